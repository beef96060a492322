#!/usr/bin/env bash
# configure-tools.sh TREE LOG: run TREE's ./configure the way the rig needs
# it (tools only, nothing downloaded); tools/Rules.mk needs it even for the
# unit harness.  The end-to-end test's toolstack takes its firmware and
# device model from dom0's image: hvmloader loads Debian's SeaBIOS (the
# seabios package, built with Xen support), and libxl starts QEMU where the
# image puts it.
set -eu
tree=$1 log=$2
cd "$tree"
./configure --disable-stubdom --disable-docs --disable-golang \
    --disable-ocamltools --disable-qemu-traditional \
    --with-system-seabios=/usr/share/seabios/bios-256k.bin \
    --disable-rombios --disable-ipxe --disable-pvshim \
    --with-system-qemu=/usr/lib/xen/bin/qemu-system-i386 >"$log" 2>&1 ||
    { tail -20 "$log"; exit 1; }
