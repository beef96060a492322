#!/usr/bin/env bash
# The design document in docs/designs/ is the one the xen series adds.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tree=$1
cmp "$top/docs/designs/dma-dirty-reporting.md" "$tree/docs/designs/dma-dirty-reporting.md"
git -C "$tree" log --format=%s -- docs/designs/dma-dirty-reporting.md | grep .
echo "identical"
