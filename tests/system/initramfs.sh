#!/usr/bin/env bash
# initramfs.sh TREE OUT CC [QEMU]: the dom0 of the system test, from
# Debian's packages and the patched tree.
#   OUT/vmlinuz     the dom0 kernel (linux-image-amd64; KERNEL=path to choose)
#   OUT/initrd.gz   busybox-static, the kernel's Xen modules, tests/system/init
#                   and tools/tests/dma-dirty-live and dma-dirty-stress,
#                   linked statically
#   OUT/initrd-qemu.gz  with QEMU (the patched qemu-system-i386) given: the
#                   same plus QEMU, TREE's xenstored, and the shared
#                   libraries both need
#   OUT/initrd-xl.gz    with QEMU given: the toolstack as a user has it, for
#                   the end-to-end test (tests/system/e2e.sh): that plus xl,
#                   xenconsoled, xen-init-dom0, libxl-save-helper, hvmloader
#                   with Debian's SeaBIOS, QEMU where libxl starts it, the
#                   pciback and gntalloc modules, and the guest that checks
#                   its DMA-written memory (tests/system/guest)
# initramfs.sh --stock STOCK_TREE OUT CC QEMU: OUT/initrd-xl-stock.gz, the
# same toolstack image from the base's tools (scripts/build-stock-tools.sh)
# with QEMU as built for them (scripts/build-qemu-stock.sh), for the
# end-to-end test's stock scenario; OUT must have the images above.
set -eu
stock=
if [ "${1:-}" = --stock ]; then stock=1; shift; fi
tree=$(cd "$1" && pwd) out=$2 cc=$3 qemu=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
live=$tree/tools/tests/dma-dirty-live
stress=$tree/tools/tests/dma-dirty-stress
libs=$tree/tools/libs

missing=
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || readelf -l "$busybox" | grep -q INTERP; then
    missing="$missing busybox-static"
fi
kernel=${KERNEL:-$(ls -v /boot/vmlinuz-* 2>/dev/null | tail -1)}
kv=${kernel##*/vmlinuz-}
mods=/lib/modules/$kv/kernel/drivers/xen
if [ -z "$kernel" ] || [ ! -r "$kernel" ] || [ ! -d "$mods" ]; then
    missing="$missing linux-image-amd64"
fi
command -v cpio >/dev/null || missing="$missing cpio"
if [ -n "$missing" ]; then
    echo "the system test needs the Debian packages:$missing" >&2
    exit 1
fi

# copy_module M ROOT: the kernel's module M (path under drivers/xen, no
# suffix), uncompressed, into ROOT/lib/modules.
copy_module() {
    local f
    f=$(ls "$mods/$1".ko* 2>/dev/null | head -1)
    case "$f" in
        *.ko) cp "$f" "$2/lib/modules/" ;;
        *.ko.xz) xz -dc "$f" > "$2/lib/modules/$(basename "$1").ko" ;;
        *.ko.zst) zstd -qdc "$f" > "$2/lib/modules/$(basename "$1").ko" ;;
        *) echo "no module $1 in $mods" >&2; exit 1 ;;
    esac
}
# copy_libs TREE ROOT WHAT PROG...: the shared libraries of PROG... into
# ROOT, TREE's Xen ones (found first) in /usr/lib/xen, the others in
# /lib/x86_64-linux-gnu, with the dynamic loader; fails if one is missing
# or comes from another tree.  WHAT names the programs in the message.
copy_libs() {
    local tree=$1 root=$2 what=$3 lib libs=$1/tools/libs
    shift 3
    mkdir -p "$root/usr/lib/xen" "$root/lib64" "$root/lib/x86_64-linux-gnu"
    for lib in $(LD_LIBRARY_PATH=$(printf '%s:' "$libs"/*/) ldd "$@" |
                 awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u); do
        case "$lib" in
            "$libs"/*) cp -L "$lib" "$root/usr/lib/xen/" ;;
            */tools/libs/*) echo "$lib: not TREE's ($tree)" >&2; exit 1 ;;
            *) cp -L "$lib" "$root/lib/x86_64-linux-gnu/" ;;
        esac
    done
    cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
    if LD_LIBRARY_PATH=$(printf '%s:' "$libs"/*/) ldd "$@" | grep -q 'not found'; then
        echo "libraries of $what not found" >&2
        exit 1
    fi
}
# pack ROOT IMAGE LEVEL: ROOT as a gzip'd cpio archive, in a fixed order
# and with fixed times: the same inputs give the same image.
pack() {
    (cd "$1" && find . -print0 | LC_ALL=C sort -z |
        cpio --null -o -H newc --reproducible --quiet) | gzip -n "-$3" > "$2"
}
# toolstack_image TREE QEMU NAME: OUT/initrd-NAME.gz, the toolstack as a
# user has it, from TREE's build: the image with QEMU's content from
# OUT/root (busybox, init, the kernel's modules) plus TREE's xenstored,
# xl, xenconsoled, xen-init-dom0, libxl-save-helper and hvmloader with
# Debian's SeaBIOS, QEMU where libxl starts it, the shared libraries of all
# (TREE's own in /usr/lib/xen), the pciback and gntalloc modules, the guest
# and tests/system/e2e.sh.  Paths are those TREE's configure gave libxl
# (config/Paths.mk, tools/config.h).
toolstack_image() {
    local tree=$1 qemu=$2 name=$3 rootx=$out/root-$3
    local paths libexec_bin firmware sbindir qemu_path seabios keymap f
    local xl=$tree/tools/xl/xl save_helper=$tree/tools/libs/light/libxl-save-helper
    local progs
    paths() { sed -n "s/^$1 *:= *//p" "$tree/config/Paths.mk"; }
    libexec_bin=$(paths LIBEXEC_BIN)
    firmware=$(paths XENFIRMWAREDIR)
    sbindir=$(paths sbindir)
    qemu_path=$(sed -n 's/^#define QEMU_XEN_PATH "\(.*\)"$/\1/p' "$tree/tools/config.h")
    seabios=$(sed -n 's/^#define SEABIOS_PATH "\(.*\)"$/\1/p' "$tree/tools/config.h")
    if [ ! -r "$seabios" ]; then
        echo "the end-to-end test needs the Debian package seabios ($seabios)" >&2
        exit 1
    fi
    keymap=/usr/share/qemu/keymaps/en-us
    if [ ! -r "$keymap" ]; then
        echo "the end-to-end test needs the Debian package qemu-system-data ($keymap)" >&2
        exit 1
    fi
    progs="$qemu $tree/tools/xenstored/xenstored $xl $save_helper
           $tree/tools/console/daemon/xenconsoled $tree/tools/console/client/xenconsole
           $tree/tools/helpers/xen-init-dom0"
    for f in $progs "$tree/tools/firmware/hvmloader/hvmloader" "$out/guest/dmachk.img"; do
        [ -r "$f" ] ||
            { echo "$f is not built (make system-image builds it)" >&2; exit 1; }
    done
    rm -rf "$rootx"
    cp -a "$root" "$rootx"
    mkdir -p "$rootx/var/run/xenstored" "$rootx/var/lib/xenstored" "$rootx/tmp" \
        "$rootx$libexec_bin" "$rootx$firmware" "$rootx$sbindir" \
        "$rootx$(dirname "$qemu_path")" "$rootx$(dirname "$seabios")" \
        "$rootx$(dirname "$qemu_path")/../share/qemu/keymaps" \
        "$rootx/etc/xen" "$rootx/var/run/xen" "$rootx/var/lib/xen" \
        "$rootx/var/log/xen" "$rootx/var/lock" "$rootx/guest"
    for m in xen-pciback/xen-pciback xen-gntalloc; do
        copy_module "$m" "$rootx"
    done
    strip -o "$rootx$qemu_path" "$qemu"
    strip -o "$rootx/bin/xenstored" "$tree/tools/xenstored/xenstored"
    strip -o "$rootx$sbindir/xl" "$xl"
    strip -o "$rootx$sbindir/xenconsoled" "$tree/tools/console/daemon/xenconsoled"
    strip -o "$rootx$libexec_bin/xenconsole" "$tree/tools/console/client/xenconsole"
    strip -o "$rootx$libexec_bin/xen-init-dom0" "$tree/tools/helpers/xen-init-dom0"
    strip -o "$rootx$libexec_bin/libxl-save-helper" "$save_helper"
    cp "$tree/tools/firmware/hvmloader/hvmloader" "$rootx$firmware/"
    cp "$seabios" "$rootx$seabios"
    cp "$keymap" "$rootx$(dirname "$qemu_path")/../share/qemu/keymaps/"
    # An empty xl.conf: xl warns on every call without one.
    : > "$rootx/etc/xen/xl.conf"
    cp "$out/guest/dmachk.img" "$rootx/guest/"
    cp "$here/e2e.sh" "$rootx/bin/"
    # shellcheck disable=SC2086
    copy_libs "$tree" "$rootx" "the toolstack" $progs
    # glibc loads libgcc_s at run time (pthread_cancel), which ldd does not
    # list: without it xl aborts on its error paths.
    cp -L "$(gcc -print-file-name=libgcc_s.so.1)" "$rootx/lib/x86_64-linux-gnu/"
    pack "$rootx" "$out/initrd-$name.gz" 6
}
root=$out/root
if [ -n "$stock" ]; then
    [ -d "$root" ] && [ -r "$out/guest/dmachk.img" ] ||
        { echo "$out has no image to start from (make system-image)" >&2; exit 1; }
    toolstack_image "$tree" "$qemu" xl-stock
    exit 0
fi

# The live and stress tests, linked statically: dom0's initramfs has no
# libraries.
link_static() {
    local dir=$1 prog=$2
    make -s -C "$dir" CC="$cc" "$prog.o"
    $cc -static -o "$out/$prog" "$dir/$prog.o" \
        "$libs/ctrl/libxenctrl.a" "$libs/devicemodel/libxendevicemodel.a" \
        "$libs/foreignmemory/libxenforeignmemory.a" "$libs/evtchn/libxenevtchn.a" \
        "$libs/gnttab/libxengnttab.a" "$libs/call/libxencall.a" \
        "$libs/store/libxenstore.a" \
        "$libs/toolcore/libxentoolcore.a" "$libs/toollog/libxentoollog.a" \
        -lpthread 2> "$out/link.log" || { cat "$out/link.log" >&2; exit 1; }
}
link_static "$live" test-dma-dirty-live
link_static "$stress" test-dma-dirty-stress

rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,lib/modules}
cp "$busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
cp "$out/test-dma-dirty-live" "$out/test-dma-dirty-stress" "$root/bin/"
for m in xen-privcmd xenfs/xenfs xen-evtchn xen-gntdev; do
    copy_module "$m" "$root"
done
pack "$root" "$out/initrd.gz" 9
cp "$kernel" "$out/vmlinuz"
echo "$kv" > "$out/kernel-version"
[ -n "$qemu" ] || exit 0

# The image with QEMU: dynamic programs, so their libraries too (the Xen
# ones from TREE's build).
make -s -C "$tree/tools/xenstored" CC="$cc" xenstored
rootq=$out/root-qemu
rm -rf "$rootq"
cp -a "$root" "$rootq"
mkdir -p "$rootq/var/run/xenstored" "$rootq/var/lib/xenstored" "$rootq/tmp"
strip -o "$rootq/bin/qemu-system-i386" "$qemu"
strip -o "$rootq/bin/xenstored" "$tree/tools/xenstored/xenstored"
copy_libs "$tree" "$rootq" "QEMU or xenstored" "$qemu" "$tree/tools/xenstored/xenstored"
pack "$rootq" "$out/initrd-qemu.gz" 6

"$here/guest/build.sh" "$out/guest"
toolstack_image "$tree" "$qemu" xl
