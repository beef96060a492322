#!/usr/bin/env bash
# build-xen.sh TREE OUT CONFIG CC JOBS: build TREE's hypervisor out of tree
# in OUT, in one of the configurations a maintainer's CI builds.  The
# feature (CONFIG_DMA_DIRTY_REPORTING, UNSUPPORTED, default n) is turned on
# explicitly in every x86 configuration but release:
#   default   x86_64 defconfig
#   flask     defconfig plus XSM/FLASK
#   system    defconfig plus shadow paging (the system test boots it: shadow-
#             mode HVM and PV domains use it for log-dirty mode)
#   release   defconfig without CONFIG_DEBUG, the feature left at its
#             default, off (HVM on: the DMOP then fails with -EOPNOTSUPP)
#   nohvm     defconfig without HVM (PV only)
#   nopv      defconfig without PV (HVM only)
#   nohvm-off, nopv-off  the same with the feature off: with release
#             (HVM and PV), every combination of the feature and what it
#             depends on or is built with (HVM: the DMOP, ioreq servers;
#             PV: the CF8 and MMCFG hooks) is built
#   clang     defconfig, built with clang (CC's gcc replaced by clang)
#   arm64     Arm64 defconfig plus PCI passthrough and ioreq servers (the
#             common code the series touches), cross-built with
#             aarch64-linux-gnu-gcc; the feature is x86 only
# The configurations that are only built (all but default and system, which
# are booted and keep defconfig's debug information) are built without
# CONFIG_DEBUG_INFO: -g changes no diagnostic, and it is a quarter of a
# build's time (88 s against 63 s for nopv, cold, on 2 cores).
# Each setting asked for is checked to be in the resulting .config, which
# is made again when the settings change.  Fails on an error or on any
# compiler warning.
set -eu
# Absolute: make runs in TREE/xen, where a relative O= would name another
# directory than the one configured here.
tree=$(realpath "$1") out=$(realpath -m "$2") config=$3 cc=$4 jobs=$5
arch=x86_64 cross= image=xen.gz make_vars=()
set_y= set_n=
case "$config" in
default) ;;
flask) set_y="XSM XSM_FLASK" ;;
system) set_y="SHADOW_PAGING" ;;
release) set_n="DEBUG" ;;
nohvm) set_n="HVM" ;;
nopv) set_n="PV" ;;
nohvm-off) set_n="HVM DMA_DIRTY_REPORTING" ;;
nopv-off) set_n="PV DMA_DIRTY_REPORTING" ;;
clang)
    cc=${cc/gcc/clang}
    make_vars=(clang=y) ;;
arm64)
    arch=arm64 cross=aarch64-linux-gnu- image=xen
    cc=${cc/gcc/${cross}gcc}
    command -v "${cross}gcc" >/dev/null || {
        echo "the Arm64 build needs the Debian package gcc-aarch64-linux-gnu" >&2
        exit 1
    }
    set_y="EXPERT PCI_PASSTHROUGH IOREQ_SERVER" ;;
*)
    echo "unknown configuration $config" >&2
    exit 1 ;;
esac
case "$config" in
default|system) ;;
*) set_n="$set_n DEBUG_INFO" ;;
esac
# A tree without the series' Kconfig patch (the base's hypervisor, the
# per-patch build test before that patch) has no such option to ask for.
if grep -q '^config DMA_DIRTY_REPORTING$' "$tree/xen/drivers/passthrough/Kconfig"; then
    case "$config" in
    release) set_n="$set_n DMA_DIRTY_REPORTING" ;;
    arm64|*-off) ;;
    *) set_y="UNSUPPORTED DMA_DIRTY_REPORTING${set_y:+ $set_y}" ;;
    esac
fi
if [ "$config" = clang ]; then
    command -v clang >/dev/null || {
        echo "the clang build needs the Debian package clang" >&2
        exit 1
    }
fi
xmake() {
    make -C "$tree/xen" O="$out" XEN_TARGET_ARCH=$arch CC="$cc" \
        ${cross:+CROSS_COMPILE=$cross} "${make_vars[@]}" "$@"
}

mkdir -p "$out"
log="$out.log"
settings="y: $set_y; n: $set_n"
[ "$(cat "$out.settings" 2>/dev/null)" = "$settings" ] || rm -f "$out/.config"
if [ ! -f "$out/.config" ]; then
    {
        xmake defconfig &&
        for o in $set_y; do
            sed -i -e "s/^# CONFIG_$o is not set$/CONFIG_$o=y/" "$out/.config"
            grep -q "^CONFIG_$o=y" "$out/.config" || echo "CONFIG_$o=y" >> "$out/.config"
        done &&
        for o in $set_n; do
            sed -i -e "s/^CONFIG_$o=y$/# CONFIG_$o is not set/" "$out/.config"
        done &&
        xmake olddefconfig
    } >"$out.config.log" 2>&1 ||
        { tail -30 "$out.config.log"; rm -f "$out/.config"; echo "configuring the hypervisor ($config) failed" >&2; exit 1; }
    for o in $set_y; do
        grep -q "^CONFIG_$o=y" "$out/.config" ||
            { rm -f "$out/.config"; echo "CONFIG_$o is not enabled in $out/.config ($config)" >&2; exit 1; }
    done
    for o in $set_n; do
        ! grep -q "^CONFIG_$o=y" "$out/.config" ||
            { rm -f "$out/.config"; echo "CONFIG_$o is still enabled in $out/.config ($config)" >&2; exit 1; }
    done
    echo "$settings" > "$out.settings"
fi
xmake -j"$jobs" >"$log" 2>&1 ||
    { tail -30 "$log"; echo "hypervisor build ($config) failed, see $log" >&2; exit 1; }
if grep -n 'warning:' "$log"; then
    echo "hypervisor build ($config) has warnings, see $log" >&2
    exit 1
fi
echo "hypervisor ($config): $out/$image"
