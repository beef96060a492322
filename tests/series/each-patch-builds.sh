#!/usr/bin/env bash
# Every patch of the xen series builds on its own: after each one, what it
# touches is built, from a clean state where it matters:
#  - the hypervisor (x86_64 defconfig, no warnings) if it changes xen/;
#  - the tools the feature touches (libraries, xl, xen-hvmctx) if it
#    changes them, the tools' headers or build files, or the public
#    headers;
#  - each of the feature's test programs once the series has it, if the
#    patch changes the program or what it is built from: the unit harness
#    (then run) and the fuzzer (if clang can) compile the hypervisor's
#    policy file and headers, the live and stress tests link the tools'
#    libraries.
# A patch that only changes documents builds nothing.  The tree and its out
# of tree build have the rig's own layout (build/xen, build/out/xen-default,
# one level down), so that ccache shares the objects of the final build.
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
tools_built=0
# touches ERE: whether the patch changes a path that matches ERE.
touches() { echo "$changed" | grep -qE "$1"; }
# no_warnings LOG: fail if the build in LOG warned ("! grep" would not:
# set -e ignores a negated command).
no_warnings() {
    if grep -n 'warning:' "$1"; then
        echo "the build has warnings: $1"
        exit 1
    fi
}
for c in $(git -C "$tree" rev-list --reverse base..patches); do
    git -C "$tree" checkout -q "$c"
    changed=$(git -C "$tree" diff --name-only "$c~1" "$c")
    echo "== $(git -C "$tree" log -1 --format=%s)"
    if touches '^xen/'; then
        "$top/scripts/build-xen.sh" "$tree" "$out" default "$cc" "$(nproc)"
    fi
    libs='^tools/(include|libs|config|Rules\.mk)|^xen/include/public/|^config/'
    if touches "$libs|^tools/(xl|misc)/"; then
        "$top/scripts/build-tools.sh" "$tree" "$cc" "$(nproc)" "$work/tools.log"
        tools_built=1
    fi
    # The harness and the fuzzer: the policy file and the headers it uses.
    h=tools/tests/dma-dirty
    if [ -d "$tree/$h" ] && touches "^$h/|^xen/"; then
        make -s -C "$tree/$h" clean >/dev/null
        make -s -C "$tree/$h" run | tail -1
    fi
    f=tools/fuzz/dma-dirty
    if [ -d "$tree/$f" ] && touches "^$f/|^$h/|^xen/"; then
        make -s -C "$tree/$f" clean >/dev/null
        make -s -C "$tree/$f" all 2>&1 | tee "$work/fuzz.log"
        no_warnings "$work/fuzz.log"
    fi
    # The live and stress tests: themselves and the libraries they link.
    for t in tools/tests/dma-dirty-live tools/tests/dma-dirty-stress; do
        [ -d "$tree/$t" ] && touches "^$t/|$libs" || continue
        if [ "$tools_built" = 0 ]; then
            "$top/scripts/build-tools.sh" "$tree" "$cc" "$(nproc)" "$work/tools.log"
            tools_built=1
        fi
        make -s -C "$tree/$t" clean >/dev/null
        make -s -C "$tree/$t" CC="$cc" 2>&1 | tee "$work/${t##*/}.log"
        no_warnings "$work/${t##*/}.log"
    done
done
git -C "$tree" checkout -q "$head"
