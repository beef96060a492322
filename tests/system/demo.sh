#!/usr/bin/env bash
# demo.sh XEN IMAGE: the demonstration.  Boots the patched hypervisor in
# QEMU (AMD IOMMU, two edu devices) and shows what the live test's --demo
# says in dom0; then boots it again with the toolstack and tells the story
# as a user lives it with xl (tests/system/e2e.sh demo): a guest whose
# device writes its memory by DMA, xl migrate refused naming the device,
# the option that declares it, xl migrate succeeding, the guest checking
# its pages on the other side.  The two machines boot at once, one per
# core; each story is told when its machine is done.  The serial logs stay
# in IMAGE/demo.log and IMAGE/demo-xl.log.
set -u
xen=$1 image=$2
here=$(cd "$(dirname "$0")" && pwd)
log=$image/demo.log xl_log=$image/demo-xl.log
"$here/boot.sh" "$xen" "$image" amd "$log" --demo >"$image/demo.out" 2>&1 &
live=$!
BOOT_INITRD=initrd-xl.gz BOOT_TIMEOUT=1200 "$here/boot.sh" "$xen" "$image" xl \
    "$xl_log" --e2e=demo >"$image/demo-xl.out" 2>&1 &
story=$!
# done_ok PID OUT: wait for a boot; if it failed, its own output, and the
# other machine is left to end (it is bounded) before the exit.
done_ok() {
    wait "$1" && return 0
    cat "$2"
    wait
    exit 1
}

echo
echo "== Xen with DMA dirty reporting, booted in QEMU (TCG, AMD IOMMU, two edu devices) =="
echo
done_ok $live "$image/demo.out"
# The hypervisor's own output can cut into a line of dom0's: drop a
# "(XEN) ..." glued to the end of the narration (the quoted log lines
# follow ": ").
grep -o 'LIVE: .*' "$log" | sed -e 's/^LIVE: \{0,1\}//' -e 's/\([^ :]\)(XEN) .*$/\1/' |
    sed -e '/^start /d' -e '/^end$/d' -e '/^devices: /d'
echo
echo "(the whole serial log: $log)"

echo
echo "== The same with the toolstack: xl, libxl, QEMU, a guest that checks its DMA-written pages =="
echo
log=$xl_log
done_ok $story "$image/demo-xl.out"
grep -o 'LIVE: .*' "$log" | sed -e 's/^LIVE: \{0,1\}//' -e 's/\([^ :]\)(XEN) .*$/\1/' |
    sed -e '/^start /d' -e '/^end$/d' -e '/^scenario /d' -e '/^ok   set-up/d'
echo
echo "(the whole serial log: $log)"
grep -q '^LIVE: ok   demo:' "$log"
