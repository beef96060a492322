#!/usr/bin/env bash
# build-xen.sh TREE OUT CONFIG CC JOBS: build TREE's x86_64 hypervisor out
# of tree in OUT with CONFIG "default" (defconfig) or "flask" (defconfig
# plus XSM/FLASK).  Fails on an error or on any compiler warning.
set -eu
tree=$1 out=$2 config=$3 cc=$4 jobs=$5
mkdir -p "$out"
log="$out.log"
if [ ! -f "$out/.config" ]; then
    {
        make -C "$tree/xen" O="$out" XEN_TARGET_ARCH=x86_64 defconfig &&
        if [ "$config" = flask ]; then
            sed -i -e 's/^# CONFIG_XSM is not set$/CONFIG_XSM=y/' "$out/.config" &&
            make -C "$tree/xen" O="$out" XEN_TARGET_ARCH=x86_64 olddefconfig
        fi
    } >"$out.config.log" 2>&1 ||
        { tail -30 "$out.config.log"; rm -f "$out/.config"; echo "configuring the hypervisor ($config) failed" >&2; exit 1; }
fi
make -C "$tree/xen" O="$out" XEN_TARGET_ARCH=x86_64 CC="$cc" -j"$jobs" >"$log" 2>&1 ||
    { tail -30 "$log"; echo "hypervisor build ($config) failed, see $log" >&2; exit 1; }
if [ "$config" = flask ] && ! grep -q '^CONFIG_XSM_FLASK=y' "$out/.config"; then
    rm -f "$out/.config"
    echo "FLASK is not enabled in $out/.config" >&2
    exit 1
fi
if grep -n 'warning:' "$log"; then
    echo "hypervisor build ($config) has warnings, see $log" >&2
    exit 1
fi
echo "hypervisor ($config): $out/xen.gz"
