#!/usr/bin/env bash
# mutant.sh TREE WORK IMAGE CC NAME BOOTS FILE SED-EXPR: break one rule in a
# copy of TREE's hypervisor (FILE edited with SED-EXPR), build it in
# WORK/NAME, boot it on each machine of BOOTS (tests/system/boot.sh: amd,
# intel, pvh) and list the live scenarios that fail.  Fails if the
# expression changes nothing, if the mutant does not build, or if every
# scenario still passes.
set -u
tree=$1 work=$2 image=$3 cc=$4 name=$5 boots=$6 file=$7 expr=$8
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$work/$name

# The layout of build/xen and build/out/xen-system, one level down: the
# relative paths, and so ccache's entries, are the same.
rm -rf "$dir/xen"
mkdir -p "$dir/xen"
cp -a "$tree/xen" "$tree/config" "$tree/Config.mk" "$dir/xen/"
sed -i -e "$expr" "$dir/xen/$file"
if cmp -s "$tree/$file" "$dir/xen/$file"; then
    echo "the mutation '$expr' changes nothing: fix tests/system/mutations"
    exit 1
fi
diff -u "$tree/$file" "$dir/xen/$file" | sed -n '3,$p'
"$top/scripts/build-xen.sh" "$dir/xen" "$dir/out/xen-system" system "$cc" \
    "$(nproc)" || { echo "the mutant does not build"; exit 1; }

caught=0
for iommu in $boots; do
    shared=no
    [ "$iommu" = intel ] && shared=yes
    log=$dir/$iommu.log
    if ! "$top/tests/system/boot.sh" "$dir/out/xen-system/xen.gz" "$image" \
         "$iommu" "$log" "--shared-pt=$shared"; then
        echo "$iommu: the boot did not finish (counted as caught)"
        caught=$((caught + 1))
    fi
    fails=$(grep -o 'LIVE: FAIL .*' "$log" | sed -e 's/^LIVE: FAIL /    /' -e 's/(XEN) .*$//')
    if [ -n "$fails" ]; then
        echo "$iommu: $(echo "$fails" | wc -l) scenarios fail:"
        echo "$fails"
        caught=$((caught + 1))
    else
        echo "$iommu: every scenario passes"
    fi
done
[ "$caught" -gt 0 ] || { echo "the mutant survived: $boots"; exit 1; }
echo "detected"
