#!/usr/bin/env bash
# mutant-iommu.sh TREE SED-EXPR: break one rule of the AMD IOMMU's dirty
# tracking (xen/drivers/passthrough/amd/iommu_dirty.c, in a copy) and check
# that the harness's test-iommu-dirty then fails.  Fails if the expression
# does not change the file, or if every test still passes.
set -eu
tree=$1 expr=$2
work=$(dirname "$tree")/mutants/i$$
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
src=$tree/xen/drivers/passthrough/amd/iommu_dirty.c
sed -e "$expr" "$src" > "$work/iommu_dirty.c"
if cmp -s "$src" "$work/iommu_dirty.c"; then
    echo "the mutation '$expr' changes nothing: fix tests/unit/mutations-iommu"
    exit 1
fi
diff -u "$src" "$work/iommu_dirty.c" || true
cp -r "$tree/tools/tests/dma-dirty" "$work/h"
make -s -C "$work/h" XEN_ROOT="$tree" clean >/dev/null
if ! make -s -C "$work/h" XEN_ROOT="$tree" IOMMU_WALK="$work/iommu_dirty.c" \
       test-iommu-dirty; then
    echo "the mutant does not build (rejected by the compiler): detected"
    exit 0
fi
if timeout 60 "$work/h/test-iommu-dirty"; then
    echo "every test passed with the rule broken"
    exit 1
fi
echo "detected"
