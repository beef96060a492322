#!/usr/bin/env bash
# each-patch-builds.sh TREE XEN_TREE OUT JOBS: build qemu-system-i386 at
# every patch of the QEMU series, in the rig's tree and build folder (only
# what a patch changes is rebuilt), then go back to the last patch and build
# both binaries (the emulated machine's qemu-system-x86_64 compiles the same
# files, amd_iommu.c and xen_pt*.c included, for another target: linking it
# at every patch would double the cost).
set -u
tree=$1 xen=$2 out=$3 jobs=$4
top=$(cd "$(dirname "$0")/../.." && pwd)
head=$(git -C "$tree" rev-parse patches) || exit 1
rc=0
for c in $(git -C "$tree" rev-list --reverse base..patches); do
    git -C "$tree" checkout -q "$c" || { rc=1; break; }
    echo "== $(git -C "$tree" log -1 --format=%s)"
    QEMU_BINARIES=qemu-system-i386 \
        "$top/scripts/build-qemu.sh" "$tree" "$xen" "$out" "$jobs" || rc=1
done
git -C "$tree" checkout -q patches
[ "$(git -C "$tree" rev-parse HEAD)" = "$head" ] || rc=1
"$top/scripts/build-qemu.sh" "$tree" "$xen" "$out" "$jobs" >/dev/null || rc=1
exit $rc
