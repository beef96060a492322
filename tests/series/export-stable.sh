#!/usr/bin/env bash
# xen/*.patch and xen/series are exactly what the export writes from a
# fresh apply of themselves.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
work=$top/build/check-export
rm -rf "$work"
"$top/scripts/tree.sh" "$top/xen" "$XEN_SRC" "$work/xen"
"$top/scripts/export.sh" "$work/xen" "$work/queue"
diff -r "$top/xen" "$work/queue"
rm -rf "$work"
echo "identical"
