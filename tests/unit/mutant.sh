#!/usr/bin/env bash
# mutant.sh TREE SED-EXPR [iommu]: break one rule of the policy file (in a
# copy) and check that the unit tests then fail; with "iommu", one rule of
# the AMD IOMMU's dirty tracking (xen/drivers/passthrough/amd/iommu_dirty.c)
# and the harness's test-iommu-dirty.  Fails if the expression does not
# change the file, or if every test still passes.
set -eu
tree=$1 expr=$2 what=${3:-policy}
work=$(dirname "$tree")/mutants/m$$
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
if [ "$what" = iommu ]; then
    src=$tree/xen/drivers/passthrough/amd/iommu_dirty.c
    list=tests/unit/mutations-iommu var=IOMMU_WALK target=test-iommu-dirty
    run=(timeout 60 "$work/h/test-iommu-dirty")
else
    src=$tree/xen/drivers/passthrough/x86/dma-dirty.c
    list=tests/unit/mutations var=POLICY target=all
    run=("$work/h/test-dma-dirty")
fi
sed -e "$expr" "$src" > "$work/mutant.c"
if cmp -s "$src" "$work/mutant.c"; then
    echo "the mutation '$expr' changes nothing: fix $list"
    exit 1
fi
diff -u "$src" "$work/mutant.c" || true
cp -r "$tree/tools/tests/dma-dirty" "$work/h"
make -s -C "$work/h" XEN_ROOT="$tree" clean >/dev/null
if ! make -s -C "$work/h" XEN_ROOT="$tree" "$var=$work/mutant.c" "$target"; then
    echo "the mutant does not build (rejected by the compiler): detected"
    exit 0
fi
if "${run[@]}"; then
    echo "every unit test passed with the rule broken"
    exit 1
fi
echo "detected"
