#!/usr/bin/env bash
# build-stock-tools.sh TREE STOCK CC JOBS: the tools of TREE's base, without
# the series, in STOCK/tools: what a user of the stock release has in dom0
# (the libraries, xl, xenstored, xenconsoled, xen-init-dom0, hvmloader),
# configured and built the way scripts/configure-tools.sh, build-tools.sh
# and build-dom0-tools.sh build the patched ones.  The end-to-end test's
# stock scenario runs them on the base's hypervisor (build-stock-xen.sh).
set -eu
tree=$1 stock=$(realpath -m "$2") cc=$3 jobs=$4
here=$(cd "$(dirname "$0")" && pwd)
base=$(git -C "$tree" rev-parse base)
dir=$stock/tools
if [ "$(cat "$stock/tools-base" 2>/dev/null)" != "$base" ]; then
    rm -rf "$dir" "$stock/tools-base"
    mkdir -p "$dir"
    git -C "$tree" archive base | tar -x -C "$dir"
    "$here/configure-tools.sh" "$dir" "$stock/tools-configure.log"
    echo "$base" > "$stock/tools-base"
fi
"$here/build-tools.sh" "$dir" "$cc" "$jobs" "$stock/tools.log"
"$here/build-dom0-tools.sh" "$dir" "$cc" "$jobs" "$stock/tools-dom0.log"
