#!/usr/bin/env bash
# mutant.sh TREE NAME: break the rule NAME of tests/unit/mutations in a copy
# of the policy and check that the fuzzer, bounded as in bounded.sh, finds
# it on its own (without the unit tests).
set -eu
tree=$1 name=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
expr=$(awk -F'|' -v n="$name" '$1 == n { sub(/^[^|]*\|/, ""); print; exit }' \
       "$top/tests/unit/mutations")
[ -n "$expr" ] || { echo "no mutation '$name' in tests/unit/mutations"; exit 1; }
work=$(dirname "$tree")/fuzz-mutants
mkdir -p "$work"
src=$tree/xen/drivers/passthrough/x86/dma-dirty.c
sed -e "$expr" "$src" > "$work/policy.c"
if cmp -s "$src" "$work/policy.c"; then
    echo "the mutation '$expr' changes nothing: fix tests/unit/mutations"
    exit 1
fi
f=$tree/tools/fuzz/dma-dirty
make -s -C "$f" clean >/dev/null
if ! make -s -C "$f" fuzz-dma-dirty POLICY="$work/policy.c"; then
    echo "the mutant does not build (rejected by the compiler): detected"
    exit 0
fi
rc=0
make -s -C "$f" run POLICY="$work/policy.c" FUZZ_RUNS="${FUZZ_RUNS:-200000}" \
    > "$work/run.log" 2>&1 || rc=$?
make -s -C "$f" clean >/dev/null
if [ $rc = 0 ]; then
    echo "the fuzzer found nothing with the rule broken"
    exit 1
fi
grep -m1 -E 'MISMATCH|ERROR: AddressSanitizer|runtime error|Assertion' "$work/run.log" || true
grep -Eo '^#[0-9]+' "$work/run.log" | tail -1 | sed 's/^/found after input /'
echo "detected"
