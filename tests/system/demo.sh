#!/usr/bin/env bash
# demo.sh XEN IMAGE: the demonstration.  Boots the patched hypervisor in
# QEMU (AMD IOMMU, two edu devices) and shows what the live test's --demo
# says in dom0; the whole serial log stays in IMAGE/demo.log.
set -u
xen=$1 image=$2
here=$(cd "$(dirname "$0")" && pwd)
log=$image/demo.log

echo
echo "== Xen with DMA dirty reporting, booted in QEMU (TCG, AMD IOMMU, two edu devices) =="
echo
"$here/boot.sh" "$xen" "$image" amd "$log" --demo || exit 1
# The hypervisor's own output can cut into a line of dom0's: drop a
# "(XEN) ..." glued to the end of the narration (the quoted log lines
# follow ": ").
grep -o 'LIVE: .*' "$log" | sed -e 's/^LIVE: \{0,1\}//' -e 's/\([^ :]\)(XEN) .*$/\1/' |
    sed -e '/^start /d' -e '/^end$/d' -e '/^devices: /d'
echo
echo "(the whole serial log: $log)"
