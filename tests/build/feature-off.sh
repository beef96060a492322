#!/usr/bin/env bash
# feature-off.sh TREE OUT: CONFIG_DMA_DIRTY_REPORTING is off by default
# (x86 defconfig, and a config that only says UNSUPPORTED=y), and the
# release build (OUT/xen-release) was built with it off: the policy file is
# not compiled there, and the DMOP's stub (-EOPNOTSUPP) is what dm.c uses.
set -eu
tree=$1 out=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rc=0
make -s -C "$tree/xen" O="$work" XEN_TARGET_ARCH=x86_64 defconfig >/dev/null
if grep -q '^CONFIG_DMA_DIRTY_REPORTING=y' "$work/.config"; then
    echo "defconfig turns CONFIG_DMA_DIRTY_REPORTING on"
    rc=1
fi
echo CONFIG_UNSUPPORTED=y >> "$work/.config"
make -s -C "$tree/xen" O="$work" XEN_TARGET_ARCH=x86_64 olddefconfig >/dev/null 2>&1
if grep -q '^CONFIG_DMA_DIRTY_REPORTING=y' "$work/.config"; then
    echo "CONFIG_UNSUPPORTED=y alone turns CONFIG_DMA_DIRTY_REPORTING on"
    rc=1
fi
rel=$out/xen-release
if ! grep -q '^CONFIG_HVM=y' "$rel/.config" ||
   grep -q '^CONFIG_DMA_DIRTY_REPORTING=y' "$rel/.config"; then
    echo "$rel is not HVM with the feature off"
    rc=1
fi
if [ -e "$rel/drivers/passthrough/x86/dma-dirty.o" ]; then
    echo "the policy file was built in $rel"
    rc=1
fi
if ! nm "$rel/xen-syms" | grep -q ' dm_op$'; then
    echo "$rel has no dm_op: not the HVM build this check is about"
    rc=1
fi
if nm "$rel/xen-syms" | grep -q 'dma_dirty_set_reporting'; then
    echo "$rel links dma_dirty_set_reporting"
    rc=1
fi
[ $rc = 0 ] && echo "defconfig: off; release: HVM, feature off, DMOP stubbed"
exit $rc
