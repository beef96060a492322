#!/usr/bin/env bash
# check.sh TREE -m64|-m32: compile tests/abi/dmop-layout.c and
# domctl-layout.c against TREE's patched public headers, with the sizes of
# struct xen_dm_op and struct xen_domctl taken from the unpatched base, and
# run them.
set -eu
tree=$1 flag=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(dirname "$tree")/abi$flag
rm -rf "$work"
mkdir -p "$work/base" "$work/inc-base" "$work/inc-new"
git -C "$tree" archive base xen/include/public | tar -x -C "$work/base"
ln -s "$work/base/xen/include/public" "$work/inc-base/xen"
ln -s "$tree/xen/include/public" "$work/inc-new/xen"
if ! echo 'int main(void){return 0;}' | gcc $flag -x c - -o "$work/probe" 2>"$work/probe.err"; then
    echo "gcc cannot build $flag programs here (install gcc-multilib):"
    cat "$work/probe.err"
    exit 1
fi
gcc $flag -D__XEN_TOOLS__ -I"$work/inc-base" -o "$work/base-size" "$here/base-size.c"
read -r base_dm_op base_domctl < <("$work/base-size")
echo "base sizeof(struct xen_dm_op) = $base_dm_op, sizeof(struct xen_domctl) = $base_domctl"
gcc $flag -Wall -Werror -D__XEN_TOOLS__ -DBASE_DM_OP_SIZE="$base_dm_op" \
    -I"$work/inc-new" -o "$work/layout" "$here/dmop-layout.c"
"$work/layout"
gcc $flag -Wall -Werror -D__XEN_TOOLS__ -DBASE_DOMCTL_SIZE="$base_domctl" \
    -I"$work/inc-new" -o "$work/domctl-layout" "$here/domctl-layout.c"
"$work/domctl-layout"
