#!/usr/bin/env bash
# build-qemu.sh TREE XEN_TREE OUT JOBS [CONFIGURE-ARGS...]: configure the
# QEMU tree TREE in OUT (once) with Xen enabled against the patched Xen
# tools of XEN_TREE (headers, libraries and pkg-config files of its build,
# never a system libxen-dev), and build the Xen device model
# qemu-system-i386.  meson uses ccache by itself when the machine has it.
# Fails on an error or a compiler warning.
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

if [ ! -f "$out/build.ninja" ]; then
    (cd "$out" && "$tree/configure" --target-list=i386-softmmu \
        --enable-xen --enable-xen-pci-passthrough --disable-docs \
        --disable-tools --disable-guest-agent --disable-user \
        --disable-werror --disable-install-blobs --python=/usr/bin/python3 "$@") >"$out.configure.log" 2>&1 ||
        { tail -30 "$out.configure.log"; rm -f "$out/build.ninja"
          echo "configuring QEMU failed, see $out.configure.log" >&2; exit 1; }
fi
grep -q '^#define CONFIG_XEN_BACKEND\b' "$out/config-host.h" ||
    { echo "QEMU was configured without Xen, see $out.configure.log" >&2; exit 1; }
ninja -C "$out" -j"$jobs" qemu-system-i386 >"$log" 2>&1 ||
    { grep -B2 -A12 'error' "$log" | tail -40
      echo "QEMU build failed, see $log" >&2; exit 1; }
if grep -n 'warning:' "$log"; then
    echo "QEMU build has warnings, see $log" >&2
    exit 1
fi
echo "QEMU: $out/qemu-system-i386"
