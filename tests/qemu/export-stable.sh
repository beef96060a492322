#!/usr/bin/env bash
# export-stable.sh QEMU_TREE: qemu-patches/ is exactly what the export
# writes from the rig's tree, which make applied from qemu-patches/.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tree=$1
work=$top/build/check-export-qemu
rm -rf "$work"
[ "$(git -C "$tree" rev-parse HEAD)" = "$(git -C "$tree" rev-parse patches)" ]
"$top/scripts/export.sh" "$tree" "$work"
diff -r "$top/qemu-patches" "$work"
rm -rf "$work"
echo "identical"
