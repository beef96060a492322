#!/usr/bin/env bash
# compat.sh QEMU_BUILD XEN_TREE WORK: QEMU's Xen code against a Xen with and
# without xendevicemodel_set_device_dirty_reporting(), using the compile
# command meson wrote for hw/xen/xen_pt.c (scripts/qemu-old-xen.sh says how
# "without" is made).  Prints "ok   NAME" / "FAIL NAME" lines.
set -u
build=$(realpath "$1") xen=$(realpath "$2") work=$(realpath -m "$3")
here=$(cd "$(dirname "$0")" && pwd)
failed=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }
. "$here/../../scripts/qemu-old-xen.sh"

if grep -q '^#define CONFIG_XEN_DEVICE_DIRTY_REPORTING$' "$build/config-host.h"; then
    ok "meson found the call in the patched Xen (CONFIG_XEN_DEVICE_DIRTY_REPORTING)"
else
    bad "meson found the call in the patched Xen (CONFIG_XEN_DEVICE_DIRTY_REPORTING)"
fi
if ! old_xen_setup "$build" "$xen" "$work"; then
    bad "the base's Xen headers lack the call, xen_pt.c's compile command"
    exit 1
fi
compile() { old_xen_compile "$@"; }

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
