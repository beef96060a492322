#!/usr/bin/env bash
# The harness builds the hypervisor's own policy file, not a copy: its
# dma-dirty.c is generated (not tracked) and equals the hypervisor's file
# less its #include lines.
set -eu
tree=$1
h=$tree/tools/tests/dma-dirty
if git -C "$tree" ls-files --error-unmatch tools/tests/dma-dirty/dma-dirty.c >/dev/null 2>&1; then
    echo "tools/tests/dma-dirty/dma-dirty.c is tracked: a hand copy"
    exit 1
fi
sed -e '/#include/d' "$tree/xen/drivers/passthrough/x86/dma-dirty.c" | cmp - "$h/dma-dirty.c"
git -C "$tree" diff --quiet HEAD -- xen/drivers/passthrough/x86/dma-dirty.c
if git -C "$tree" ls-files --error-unmatch tools/tests/dma-dirty/iommu_dirty.c >/dev/null 2>&1; then
    echo "tools/tests/dma-dirty/iommu_dirty.c is tracked: a hand copy"
    exit 1
fi
sed -e '/#include/d' "$tree/xen/drivers/passthrough/amd/iommu_dirty.c" | cmp - "$h/iommu_dirty.c"
git -C "$tree" diff --quiet HEAD -- xen/drivers/passthrough/amd/iommu_dirty.c
echo "harness policy file and IOMMU walk == the hypervisor's files"
