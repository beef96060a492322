#!/usr/bin/env bash
# build.sh TREE OUT SRC... -- LIBS...: compile the test program SRC against
# the headers and libraries of the built tools in TREE (never the
# system's), linking LIBS (e.g. xendevicemodel), with an rpath so that it
# runs without installing anything.  OUT: the executable or, ending in
# .so, a shared object.
set -eu
tree=$1 out=$2
shift 2
srcs=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do srcs+=("$1"); shift; done
[ $# -gt 0 ] && shift
libs=()
rpath=
for d in "$tree"/tools/libs/*/; do
    rpath="$rpath:$d"
done
for l in "$@"; do
    libs+=(-L"$tree/tools/libs/${l#xen}" -l"$l")
done
kind=()
case "$out" in *.so) kind=(-shared -fPIC) ;; esac
mkdir -p "$(dirname "$out")"
gcc -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror -g -O1 \
    "${kind[@]}" -I"$tree/tools/include" -D__XEN_TOOLS__ \
    -o "$out" "${srcs[@]}" "${libs[@]}" \
    -Wl,--disable-new-dtags -Wl,-rpath,"${rpath#:}" -Wl,-rpath-link,"${rpath#:}"
