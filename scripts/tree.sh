#!/usr/bin/env bash
# tree.sh NAME SRC DEST: unpack the base SRC into DEST and apply the queue
# NAME/ (its series file) as commits, one per patch.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
queue=$1 src=$2 dest=$3 var=${4:-XEN_SRC}
unpack_base "$src" "$dest" "$var"
apply_series "$queue" "$dest"
echo "$dest: $(git -C "$dest" rev-list --count base..HEAD) patches applied on the base"
