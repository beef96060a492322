#!/usr/bin/env bash
# configure-tools.sh TREE LOG: run TREE's ./configure the way the rig needs
# it (tools only, nothing downloaded); tools/Rules.mk needs it even for the
# unit harness.
set -eu
tree=$1 log=$2
cd "$tree"
./configure --disable-stubdom --disable-docs --disable-golang \
    --disable-ocamltools --disable-qemu-traditional --disable-seabios \
    --disable-rombios --disable-ipxe --disable-pvshim \
    --with-system-qemu=/usr/bin/qemu-system-i386 >"$log" 2>&1 ||
    { tail -20 "$log"; exit 1; }
