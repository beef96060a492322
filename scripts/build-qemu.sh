#!/usr/bin/env bash
# build-qemu.sh TREE XEN_TREE OUT JOBS [CONFIGURE-ARGS...]: configure the
# QEMU tree TREE in OUT (once, and again if its targets change) with Xen
# enabled against the patched Xen tools of XEN_TREE (headers, libraries and
# pkg-config files of its build, never a system libxen-dev), and build, from
# the same objects where the two targets share them:
#   qemu-system-i386    the Xen device model
#   qemu-system-x86_64  the emulated machine the system tests boot Xen in
#                       (tests/system/boot.sh), with the series' amd-iommu
#   pc-bios/optionrom/  the option ROMs its -kernel needs to boot a
#                       multiboot image (multiboot_dma.bin, ...), built from
#                       source: Debian's orig tarball has no blobs.  The BIOS
#                       itself is Debian's seabios (/usr/share/seabios).
#   xen-libs/           a copy of the Xen libraries they are linked against
# meson uses ccache by itself when the machine has it.  Fails on an error
# or a compiler warning.
set -eu
tree=$1 xen=$2 out=$3 jobs=$4
shift 4
mkdir -p "$out"
log=$out.log
export PKG_CONFIG_PATH=$xen/tools/pkg-config
export PKG_CONFIG_LIBDIR=$xen/tools/pkg-config:/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/share/pkgconfig
# Debian's orig tarball carries no firmware blobs, but QEMU's meson unpacks
# the edk2 ones whenever it finds bzip2: configure and build with a PATH
# that has everything of /usr/bin but bzip2.
bin=$out.bin
if [ ! -d "$bin" ]; then
    mkdir -p "$bin.new"
    for f in /usr/bin/*; do
        case ${f##*/} in bzip2|bunzip2) ;; *) ln -s "$f" "$bin.new/" ;; esac
    done
    mv "$bin.new" "$bin"
fi
export PATH=$bin

targets="i386-softmmu x86_64-softmmu"
configured=$(sed -n 's/^TARGET_DIRS=//p' "$out/config-host.mak" 2>/dev/null || true)
for t in $targets; do
    case " $configured " in *" $t "*) ;; *) rm -f "$out/build.ninja" ;; esac
done
if [ ! -f "$out/build.ninja" ]; then
    (cd "$out" && "$tree/configure" --target-list="${targets// /,}" \
        --enable-xen --enable-xen-pci-passthrough --disable-docs \
        --disable-tools --disable-guest-agent --disable-user \
        --disable-werror --disable-install-blobs --python=/usr/bin/python3 "$@") >"$out.configure.log" 2>&1 ||
        { tail -30 "$out.configure.log"; rm -f "$out/build.ninja"
          echo "configuring QEMU failed, see $out.configure.log" >&2; exit 1; }
fi
grep -q '^#define CONFIG_XEN_BACKEND\b' "$out/config-host.h" ||
    { echo "QEMU was configured without Xen, see $out.configure.log" >&2; exit 1; }
# QEMU_BINARIES: what to build (tests/qemu/each-patch-builds.sh builds the
# device model alone at each patch, both binaries at the last).
# shellcheck disable=SC2086
ninja -C "$out" -j"$jobs" ${QEMU_BINARIES:-qemu-system-i386 qemu-system-x86_64} >"$log" 2>&1 ||
    { grep -B2 -A12 'error' "$log" | tail -40
      echo "QEMU build failed, see $log" >&2; exit 1; }
# The option ROMs of -kernel (q35's fw_cfg has DMA: the _dma ones) and the
# one every pc machine loads (kvmvapic.bin, else an error line at start),
# with the make file configure wrote for them (pvh.bin, for PVH ELF
# kernels, is not needed: QEMU tries multiboot first, and Xen is
# multiboot).
roms="multiboot.bin multiboot_dma.bin linuxboot.bin linuxboot_dma.bin kvmvapic.bin"
# shellcheck disable=SC2086
make -C "$out/pc-bios/optionrom" PYTHON=python3 $roms >>"$log" 2>&1 ||
    { tail -20 "$log"; echo "QEMU's option ROMs failed to build, see $log" >&2; exit 1; }
if grep -n 'warning:' "$log"; then
    echo "QEMU build has warnings, see $log" >&2
    exit 1
fi
# The Xen libraries the binaries were linked against, as they are now: the
# emulated machine runs with these (tests/system/boot.sh), not with
# XEN_TREE's, which "make tree" unpacks anew without them.
rm -rf "$out/xen-libs"
mkdir -p "$out/xen-libs"
cp -a "$xen"/tools/libs/*/libxen*.so.* "$out/xen-libs/"
echo "QEMU: $out/qemu-system-i386 $out/qemu-system-x86_64 (option ROMs in $out/pc-bios/optionrom)"
