#!/usr/bin/env bash
# headers.sh OUT TREE: Xen's own checks of the public headers ran in the
# x86 build in OUT and covered the headers the series changes: headers.chk
# (C89), headers99.chk (C99) and headers++.chk (C++, which Xen skips
# silently without a C++ compiler: one must be there).
set -eu
out=$1 tree=$2
command -v g++ >/dev/null || { echo "no C++ compiler (g++): headers++.chk would be skipped"; exit 1; }
for f in headers.chk headers99.chk headers++.chk; do
    [ -s "$out/include/$f" ] || { echo "$out/include/$f is missing or empty"; exit 1; }
done
# dm_op.h goes through the C and C++ checks; domctl.h (a *ctl.h) is left
# out of the C89 one by Xen's own filter, not of the C++ one.
grep -q 'public/hvm/dm_op.h$' "$out/include/headers.chk"
grep -q 'public/hvm/dm_op.h$' "$out/include/headers++.chk"
grep -q 'public/domctl.h$' "$out/include/headers++.chk"
grep -c . "$out/include/headers.chk" "$out/include/headers99.chk" "$out/include/headers++.chk"
