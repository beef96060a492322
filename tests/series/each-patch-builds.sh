#!/usr/bin/env bash
# Every patch of the xen series builds on its own: after each one, what it
# touches is built: the hypervisor (x86_64 defconfig, no warnings) if it
# changes xen/, and if it changes tools/ or the public headers the tools
# the feature touches
# (libraries, xl, xen-hvmctx), the unit harness (run), the fuzzer (if clang
# can), the live and the stress tests wherever the series has them.  A patch that only
# changes documents builds nothing.  The tree and its out of tree build
# have the rig's own layout (build/xen, build/out/xen-default, one level
# down), so that ccache shares the objects of the final build.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
work=$top/build/bisect
tree=$work/xen
out=$work/out/xen-default
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
export CCACHE_BASEDIR=$top/build CCACHE_NOHASHDIR=1
if [ ! -d "$tree/.git" ] || ! git -C "$tree" diff --quiet ||
   [ "$(cat "$work/queue.sum" 2>/dev/null)" != "$(cat "$top/xen/series" "$top"/xen/*.patch | sha256sum)" ]; then
    rm -rf "$work"
    "$top/scripts/tree.sh" "$top/xen" "$XEN_SRC" "$tree"
    cat "$top/xen/series" "$top"/xen/*.patch | sha256sum > "$work/queue.sum"
    "$top/scripts/configure-tools.sh" "$tree" "$work/configure.log"
fi
head=$(git -C "$tree" rev-parse patches)
for c in $(git -C "$tree" rev-list --reverse base..patches); do
    git -C "$tree" checkout -q "$c"
    changed=$(git -C "$tree" diff --name-only "$c~1" "$c")
    echo "== $(git -C "$tree" log -1 --format=%s)"
    if echo "$changed" | grep -q '^xen/'; then
        "$top/scripts/build-xen.sh" "$tree" "$out" default "$cc" "$(nproc)"
    fi
    # The tools compile the public headers too.
    echo "$changed" | grep -q '^tools/\|^xen/include/public/' || continue
    "$top/scripts/build-tools.sh" "$tree" "$cc" "$(nproc)" "$work/tools.log"
    if [ -d "$tree/tools/tests/dma-dirty" ]; then
        make -s -C "$tree/tools/tests/dma-dirty" clean >/dev/null
        make -s -C "$tree/tools/tests/dma-dirty" run | tail -1
    fi
    if [ -d "$tree/tools/fuzz/dma-dirty" ]; then
        make -s -C "$tree/tools/fuzz/dma-dirty" clean >/dev/null
        make -s -C "$tree/tools/fuzz/dma-dirty" all 2>&1 | tee "$work/fuzz.log"
        ! grep -q 'warning:' "$work/fuzz.log"
    fi
    for t in dma-dirty-live dma-dirty-stress; do
        [ -d "$tree/tools/tests/$t" ] || continue
        make -s -C "$tree/tools/tests/$t" clean >/dev/null
        make -s -C "$tree/tools/tests/$t" CC="$cc" 2>&1 | tee "$work/$t.log"
        ! grep -q 'warning:' "$work/$t.log"
    done
done
git -C "$tree" checkout -q "$head"
