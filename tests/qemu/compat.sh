#!/usr/bin/env bash
# compat.sh QEMU_BUILD XEN_TREE WORK: QEMU's Xen code against a Xen with and
# without xendevicemodel_set_device_dirty_reporting(), using the compile
# command meson wrote for hw/xen/xen_pt.c (compile_commands.json).
#
# "Without" is the configured build with two things taken back: the
# probe's CONFIG_XEN_DEVICE_DIRTY_REPORTING (a copy of config-host.h found
# first through -iquote) and the Xen headers that carry the call
# (the public and library headers as they are at the base, found first
# through -I).  Prints "ok   NAME" / "FAIL NAME" lines.
set -u
build=$(realpath "$1") xen=$(realpath "$2") work=$(realpath -m "$3")
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work/old-config" "$work/old-xen"
failed=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

if grep -q '^#define CONFIG_XEN_DEVICE_DIRTY_REPORTING$' "$build/config-host.h"; then
    ok "meson found the call in the patched Xen (CONFIG_XEN_DEVICE_DIRTY_REPORTING)"
else
    bad "meson found the call in the patched Xen (CONFIG_XEN_DEVICE_DIRTY_REPORTING)"
fi
grep -v '^#define CONFIG_XEN_DEVICE_DIRTY_REPORTING$' "$build/config-host.h" \
    > "$work/old-config/config-host.h"
# The base's public headers and library headers; generated ones (such as
# xen/foreign/) come from the patched tree, later in the search path.
git -C "$xen" archive base tools/include xen/include/public | tar -x -C "$work" &&
    mv "$work/xen/include/public" "$work/old-xen/xen" &&
    cp "$work"/tools/include/*.h "$work/old-xen/" || exit 1
if grep -rq 'dirty_reporting\|DIRTY_REPORTING' "$work/old-xen"; then
    bad "the base's Xen headers lack the call"
    exit 1
fi

# The compile command of xen_pt.c, as an array, and where its -o and
# source go.
mapfile -t cmd < <(python3 - "$build" <<'PY'
import json, shlex, sys
for e in json.load(open(sys.argv[1] + '/compile_commands.json')):
    if e['file'].endswith('hw/xen/xen_pt.c'):
        print('\n'.join(shlex.split(e['command'])))
        break
PY
)
[ "${#cmd[@]}" -gt 0 ] || { bad "compile_commands.json has hw/xen/xen_pt.c"; exit 1; }

# compile OUT SRC [EXTRA...]: xen_pt.c's command for SRC, output OUT.
compile() {
    local out=$1 src=$2 args=() i skip=0
    shift 2
    args=("${cmd[0]}" "$@" -Werror)
    for ((i = 1; i < ${#cmd[@]}; i++)); do
        if [ $skip = 1 ]; then skip=0; continue; fi
        case "${cmd[$i]}" in
            -o|-MQ|-MF) skip=1 ;;
            -MD|-c) ;;
            *xen_pt.c) ;;
            *) args+=("${cmd[$i]}") ;;
        esac
    done
    (cd "$build" && "${args[@]}" -c -o "$out" "$src")
}
old=(-iquote "$work/old-config" -I "$work/old-xen")
src=$(cd "$build" && realpath "$(printf '%s\n' "${cmd[@]}" | grep 'xen_pt\.c$')")

if compile "$work/xen_pt-old.o" "$src" "${old[@]}" >"$work/xen_pt-old.log" 2>&1; then
    ok "hw/xen/xen_pt.c compiles against a Xen without the call, no warnings"
else
    bad "hw/xen/xen_pt.c compiles against a Xen without the call, no warnings"
    tail -20 "$work/xen_pt-old.log"
fi
if [ ! -f "$work/xen_pt-old.o" ] ||
   nm "$work/xen_pt-old.o" | grep -q ' U xendevicemodel_set_device_dirty_reporting'; then
    bad "without the call, xen_pt.o does not reference it"
else
    ok "without the call, xen_pt.o does not reference it"
fi

if nm "$build/libqemu-i386-softmmu.a.p/hw_xen_xen_pt.c.o" 2>/dev/null |
   grep -q ' U xendevicemodel_set_device_dirty_reporting$'; then
    ok "with the call, the built xen_pt.o calls libxendevicemodel's"
else
    bad "with the call, the built xen_pt.o calls libxendevicemodel's"
fi

for variant in old new; do
    extra=()
    [ $variant = old ] && extra=("${old[@]}")
    if compile "$work/wrapper-$variant.o" "$here/wrapper.c" "${extra[@]}" \
           >"$work/wrapper-$variant.log" 2>&1 &&
       cc -o "$work/wrapper-$variant" "$work/wrapper-$variant.o" \
           >>"$work/wrapper-$variant.log" 2>&1; then
        "$work/wrapper-$variant" || failed=$((failed + 1))
    else
        bad "tests/qemu/wrapper.c builds ($variant Xen)"
        tail -20 "$work/wrapper-$variant.log"
    fi
done
[ $failed = 0 ]
