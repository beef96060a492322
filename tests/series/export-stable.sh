#!/usr/bin/env bash
# xen/*.patch and xen/series are exactly what the export writes from a
# fresh apply of themselves.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/check-export
rm -rf "$work"
"$top/scripts/tree.sh" "$top/xen" "${XEN_SRC:-$(cd "$top/.." && pwd)/shared/deps/xen-c447b7308b13.tar.xz}" "$work/xen"
"$top/scripts/export.sh" "$work/xen" "$work/queue"
diff -r "$top/xen" "$work/queue"
rm -rf "$work"
echo "identical"
