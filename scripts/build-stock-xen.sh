#!/usr/bin/env bash
# build-stock-xen.sh TREE STOCK CC JOBS: the hypervisor of TREE's base, without
# the series (default configuration), in STOCK/out/xen-default: the "older
# Xen" that the QEMU patches must cope with.  The base is extracted once;
# the layout is the rig's own one level down, so ccache serves the files the
# series does not touch.
set -eu
tree=$1 stock=$2 cc=$3 jobs=$4
here=$(cd "$(dirname "$0")" && pwd)
base=$(git -C "$tree" rev-parse base)
if [ "$(cat "$stock/base" 2>/dev/null)" != "$base" ]; then
    rm -rf "$stock"
    mkdir -p "$stock/xen"
    git -C "$tree" archive base xen config Config.mk | tar -x -C "$stock/xen"
    echo "$base" > "$stock/base"
fi
"$here/build-xen.sh" "$stock/xen" "$stock/out/xen-default" default "$cc" "$jobs"
