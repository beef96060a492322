#!/usr/bin/env bash
# mutant.sh TREE SED-EXPR: break one rule of the policy file (in a copy)
# and check that the unit tests then fail.  Fails if the expression does
# not change the file, or if every unit test still passes.
set -eu
tree=$1 expr=$2
work=$(dirname "$tree")/mutants/m$$
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
src=$tree/xen/drivers/passthrough/x86/dma-dirty.c
sed -e "$expr" "$src" > "$work/policy.c"
if cmp -s "$src" "$work/policy.c"; then
    echo "the mutation '$expr' changes nothing: fix tests/unit/mutations"
    exit 1
fi
diff -u "$src" "$work/policy.c" || true
cp -r "$tree/tools/tests/dma-dirty" "$work/h"
make -s -C "$work/h" XEN_ROOT="$tree" clean >/dev/null
if ! make -s -C "$work/h" XEN_ROOT="$tree" POLICY="$work/policy.c" all; then
    echo "the mutant does not build (rejected by the compiler): detected"
    exit 0
fi
if "$work/h/test-dma-dirty"; then
    echo "every unit test passed with the rule broken"
    exit 1
fi
echo "detected"
