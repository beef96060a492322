#!/usr/bin/env bash
# mutant-hd.sh QEMU_TREE QEMU_OUT XEN_TREE NAME SED-EXPR: break one rule of
# the emulated AMD IOMMU's dirty tracking (hw/i386/amd_iommu.c of the
# applied QEMU tree), rebuild qemu-system-x86_64 in QEMU_OUT
# (incrementally), run tests/qemu/hd.py on it and put the file back.
# Fails if the expression changes nothing, if the mutant does not build or
# if every check of hd.py still passes.  QEMU_OUT is left with the
# mutant's object: the next build rebuilds it from the restored, newer file.
set -u
tree=$1 out=$2 xen=$3 name=$4 expr=$5
top=$(cd "$(dirname "$0")/../.." && pwd)
src=$tree/hw/i386/amd_iommu.c
work=$(mktemp -d)
cp "$src" "$work/original"
trap 'cp "$work/original" "$src"; rm -rf "$work"' EXIT
sed -i -e "$expr" "$src"
if cmp -s "$work/original" "$src"; then
    echo "the mutation '$expr' changes nothing: fix tests/qemu/mutations-hd"
    exit 1
fi
diff -u "$work/original" "$src" | sed -n '3,$p'
PATH=$out.bin ninja -C "$out" qemu-system-x86_64 >"$work/build.log" 2>&1 ||
    { tail -20 "$work/build.log"; echo "the mutant does not build"; exit 1; }
"$top/tests/qemu/hd.py" "$out/qemu-system-x86_64" "$xen" >"$work/hd.log" 2>&1
if ! grep -q '^FAIL ' "$work/hd.log"; then
    cat "$work/hd.log"
    echo "$name: every check of hd.py passes with the rule broken"
    exit 1
fi
grep '^FAIL ' "$work/hd.log"
echo "detected"
