#!/usr/bin/env bash
# build-xen.sh TREE OUT CONFIG CC JOBS: build TREE's x86_64 hypervisor out
# of tree in OUT with CONFIG "default" (defconfig), "flask" (defconfig plus
# XSM/FLASK) or "system" (defconfig plus shadow paging, which the system
# test needs for shadow-mode HVM and PV log-dirty).  Fails on an error or on
# any compiler warning.
set -eu
tree=$1 out=$2 config=$3 cc=$4 jobs=$5
mkdir -p "$out"
log="$out.log"
if [ ! -f "$out/.config" ]; then
    {
        make -C "$tree/xen" O="$out" XEN_TARGET_ARCH=x86_64 defconfig &&
        case "$config" in
        flask)
            sed -i -e 's/^# CONFIG_XSM is not set$/CONFIG_XSM=y/' "$out/.config" &&
            make -C "$tree/xen" O="$out" XEN_TARGET_ARCH=x86_64 olddefconfig ;;
        system)
            sed -i -e 's/^# CONFIG_SHADOW_PAGING is not set$/CONFIG_SHADOW_PAGING=y/' "$out/.config" &&
            make -C "$tree/xen" O="$out" XEN_TARGET_ARCH=x86_64 olddefconfig ;;
        esac
    } >"$out.config.log" 2>&1 ||
        { tail -30 "$out.config.log"; rm -f "$out/.config"; echo "configuring the hypervisor ($config) failed" >&2; exit 1; }
fi
make -C "$tree/xen" O="$out" XEN_TARGET_ARCH=x86_64 CC="$cc" -j"$jobs" >"$log" 2>&1 ||
    { tail -30 "$log"; echo "hypervisor build ($config) failed, see $log" >&2; exit 1; }
want=
case "$config" in
flask) want=CONFIG_XSM_FLASK ;;
system) want=CONFIG_SHADOW_PAGING ;;
esac
if [ -n "$want" ] && ! grep -q "^$want=y" "$out/.config"; then
    rm -f "$out/.config"
    echo "$want is not enabled in $out/.config" >&2
    exit 1
fi
if grep -n 'warning:' "$log"; then
    echo "hypervisor build ($config) has warnings, see $log" >&2
    exit 1
fi
echo "hypervisor ($config): $out/xen.gz"
