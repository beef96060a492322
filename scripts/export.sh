#!/usr/bin/env bash
# export.sh TREE QUEUE: write TREE's commits after its "base" tag to QUEUE/
# as git format-patch files plus a series file.  The same commits always
# give byte-identical files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
[ -d "$1/.git" ] || die "$1 is not a tree made by 'make dev'"
git -C "$1" rev-parse -q --verify base >/dev/null || die "$1 has no base tag"
export_series "$1" "$2"
echo "exported $(wc -l < "$2/series") patches to $2"
