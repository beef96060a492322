#!/usr/bin/env bash
# build-dom0-tools.sh TREE CC JOBS LOG: build what dom0 runs besides the
# libraries and xl (scripts/build-tools.sh) for the end-to-end test: the
# xenstore daemon, the console daemon and client, xen-init-dom0 and
# hvmloader (which loads the system's SeaBIOS, see configure-tools.sh).
# Fails on an error or on any compiler warning.
set -eu
tree=$1 cc=$2 jobs=$3 log=$4
{
    make -C "$tree/tools/xenstored" CC="$cc" -j"$jobs" &&
    make -C "$tree/tools/console" CC="$cc" -j"$jobs" &&
    make -C "$tree/tools/helpers" CC="$cc" -j"$jobs" &&
    # The firmware makefiles pick their own compiler flags for 32-bit code
    # and do not take a CC with a launcher in it.
    make -C "$tree/tools/firmware" -j"$jobs"
} >"$log" 2>&1 || { tail -30 "$log"; echo "dom0 tools build failed, see $log" >&2; exit 1; }
if grep -n 'warning:' "$log"; then
    echo "dom0 tools build has warnings, see $log" >&2
    exit 1
fi
echo "tools: xenstored, xenconsoled, xen-init-dom0, hvmloader built in $tree/tools"
