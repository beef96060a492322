#!/usr/bin/env bash
# build-tools.sh TREE CC JOBS LOG: build the parts of TREE's tools the
# feature touches: the libraries (libxendevicemodel, libxenctrl, libxl...),
# xl and xen-hvmctx.  TREE must be configured.  Fails on an error or on
# any compiler warning.
set -eu
tree=$1 cc=$2 jobs=$3 log=$4
{
    make -C "$tree/tools/include" CC="$cc" &&
    make -C "$tree/tools/libs" CC="$cc" -j"$jobs" &&
    make -C "$tree/tools/xl" CC="$cc" -j"$jobs" &&
    make -C "$tree/tools/misc" CC="$cc" xen-hvmctx
} >"$log" 2>&1 || { tail -30 "$log"; echo "tools build failed, see $log" >&2; exit 1; }
if grep -n 'warning:' "$log"; then
    echo "tools build has warnings, see $log" >&2
    exit 1
fi
echo "tools: libs, xl, xen-hvmctx built in $tree/tools"
