#!/usr/bin/env bash
# bounded.sh TREE [RUNS]: build TREE's libFuzzer target of the policy
# (tools/fuzz/dma-dirty) and run it over its seed corpus for RUNS inputs
# (FUZZ_RUNS, default 200000), with a fixed seed.  Fails on any finding;
# prints libFuzzer's final stats (executions per second, coverage).
set -eu
tree=$1 runs=${2:-${FUZZ_RUNS:-200000}}
f=$tree/tools/fuzz/dma-dirty
log=$(dirname "$tree")/fuzz-run.log
command -v clang >/dev/null ||
    { echo "the fuzzer needs the Debian packages clang and libclang-rt-14-dev"; exit 1; }
make -s -C "$f" clean >/dev/null
make -s -C "$f" fuzz-dma-dirty ||
    { echo "the fuzzer does not build (clang, libclang-rt-14-dev?)"; exit 1; }
make -s -C "$f" run FUZZ_RUNS="$runs" > "$log" 2>&1 ||
    { tail -40 "$log"; echo "the fuzzer found something"; exit 1; }
grep -E '^(Done|#[0-9]+ +DONE)|stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log"
grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1
