#!/usr/bin/env bash
# Every patch of the xen series builds on its own: after each one the
# hypervisor (x86_64 defconfig, no warnings), the tools the feature touches
# (libraries, xl, xen-hvmctx; incremental from the previous patch's build),
# and the unit harness wherever the series has it.
set -eu -o pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
work=$top/build/bisect
tree=$work/xen
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
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
    echo "== $(git -C "$tree" log -1 --format=%s)"
    "$top/scripts/build-xen.sh" "$tree" "$work/out" default "$cc" "$(nproc)"
    "$top/scripts/build-tools.sh" "$tree" "$cc" "$(nproc)" "$work/tools.log"
    if [ -d "$tree/tools/tests/dma-dirty" ]; then
        make -s -C "$tree/tools/tests/dma-dirty" clean >/dev/null
        make -s -C "$tree/tools/tests/dma-dirty" run | tail -1
    fi
    if [ -d "$tree/tools/tests/dma-dirty-live" ]; then
        make -s -C "$tree/tools/tests/dma-dirty-live" clean >/dev/null
        make -s -C "$tree/tools/tests/dma-dirty-live" CC="$cc" 2>&1 |
            tee "$work/live.log"
        ! grep -q 'warning:' "$work/live.log"
    fi
done
git -C "$tree" checkout -q "$head"
