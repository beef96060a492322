#!/usr/bin/env bash
# checkpatch.sh QEMU_TREE: QEMU's scripts/checkpatch.pl on every patch of
# qemu-patches/: no error, no warning.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tree=$1 rc=0
while read -r p; do
    case "$p" in ''|'#'*) continue ;; esac
    echo "== $p"
    perl "$tree/scripts/checkpatch.pl" --no-tree "$top/qemu-patches/$p" || rc=1
done < "$top/qemu-patches/series"
exit $rc
