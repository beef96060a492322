#!/usr/bin/env bash
# xl-output.sh TREE FAKE_SO CASE: run the real xl of TREE over the fake
# hypervisor (fake-xc.c, xl-fakes.c preloaded as FAKE_SO) and compare what
# it prints and its exit status with what the case expects, exactly.
set -u
tree=$1 fake=$2 case=$3
libs=$(ls -d "$tree"/tools/libs/*/ | tr '\n' ':')

# xl ARGS...: output (stdout then stderr, without the warning about the
# missing /etc/xen/xl.conf) and "exit N".
xl() {
    local out err rc
    out=$(mktemp) err=$(mktemp)
    LD_LIBRARY_PATH=$libs LD_PRELOAD=$fake timeout 20 \
        "$tree/tools/xl/xl" "$@" >"$out" 2>"$err"
    rc=$?
    cat "$out"
    grep -v '^Failed to read config file: /etc/xen/xl.conf' "$err"
    echo "exit $rc"
    rm -f "$out" "$err"
}

# The line xl prints once it went past its PCI check (see xl-fakes.c).
went_on='FAKE: retrieving the configuration of domain 5
unable to retrieve domain configuration
exit 1'

case $case in
migrate-no-device)
    want=$went_on
    got=$(FAKE_XC_DEVICES="" xl migrate 5 host) ;;
migrate-all-declared)
    want=$went_on
    got=$(FAKE_XC_DEVICES="20/3/0 28/3/0" xl migrate 5 host) ;;
migrate-bm-off)
    want=$went_on
    got=$(FAKE_XC_DEVICES="20/0/0" xl migrate 5 host) ;;
migrate-one-undeclared)
    want='0000:03:00.0: bus mastering enabled and no emulator reports its DMA writes (set dma_dirty_reporting=sweep, see xl-pci-configuration(5))
Cannot migrate domain 5: 1 PCI device would break log-dirty tracking (see xl pci-list -d).
exit 1'
    got=$(FAKE_XC_DEVICES="20/3/0 300/2/1" xl migrate 5 host) ;;
migrate-shared-pt)
    want="0000:00:04.0: bus mastering enabled and the IOMMU shares the guest's page tables, so its DMA writes cannot be tracked
0000:00:05.0: bus mastering enabled and the IOMMU shares the guest's page tables, so its DMA writes cannot be tracked
Cannot migrate domain 5: 2 PCI devices would break log-dirty tracking (see xl pci-list -d).
exit 1"
    got=$(FAKE_XC_DEVICES="20/3/2 28/2/2 30/0/0" xl migrate 5 host) ;;
migrate-old-xen)
    want="Warning: cannot check whether the PCI devices of domain 5 allow live migration (the hypervisor cannot tell); the hypervisor will refuse it if they do not.
$went_on"
    got=$(FAKE_XC_DEVICES="20/3/0" FAKE_XC_ERRNO=38 xl migrate 5 host) ;;
migrate-old-xen-no-device)
    # No device, nothing to check: no warning, whatever Xen could tell.
    want=$went_on
    got=$(FAKE_XC_DEVICES="" FAKE_XC_ERRNO=38 xl migrate 5 host) ;;
migrate-eopnotsupp)
    want="Warning: cannot check whether the PCI devices of domain 5 allow live migration (the hypervisor cannot tell); the hypervisor will refuse it if they do not.
$went_on"
    got=$(FAKE_XC_DEVICES="20/3/0" FAKE_XC_ERRNO=95 xl migrate 5 host) ;;
pci-list)
    # Without -d, the two columns scripts read, as before the series.
    want='Vdev Device
04.0 0000:00:04.0
05.0 0000:03:00.0
exit 0'
    got=$(FAKE_XC_DEVICES="20/3/0 300/2/1" xl pci-list 5) ;;
pci-list-d)
    want='Vdev Device       Dirty-reporting
04.0 0000:00:04.0 declared
05.0 0000:03:00.0 blocks:not-reported
06.0 0000:04:00.0 blocks:shared-pt
07.0 0000:05:00.0 bm-off
08.0 0000:06:00.0 blocks:untrapped
09.0 0000:07:00.0 blocks:latched
0a.0 0001:ff:1f.7 blocks:unknown
0b.0 0000:08:00.0 blocks:display
exit 0'
    got=$(FAKE_XC_DEVICES="20/3/0 300/2/1 400/3/2 500/0/0 600/0/3 700/0/0 1ffff/2/9 800/0/4" \
          FAKE_XC_FLAGS=6 FAKE_XC_LATCH=700/1 xl pci-list -d 5) ;;
pci-list-d-modes)
    # Declared: the mode the domain's configuration gives, or "declared"
    # when libxl did not configure it (another emulator declared it).
    want='Vdev Device       Dirty-reporting
04.0 0000:00:04.0 sweep
05.0 0000:00:05.0 external
06.0 0000:00:06.0 declared
07.0 0000:00:07.0 bm-off
exit 0'
    got=$(FAKE_XC_DEVICES="20/3/0 28/3/0 30/3/0 38/0/0" FAKE_PCI_MODES="seos" \
          xl pci-list -d 5) ;;
pci-list-old-xen)
    want='Vdev Device       Dirty-reporting
04.0 0000:00:04.0 -
exit 0'
    got=$(FAKE_XC_DEVICES="20/3/0" FAKE_XC_ERRNO=38 xl pci-list --dirty-reporting 5) ;;
*)
    echo "unknown case $case" >&2
    exit 2 ;;
esac

if [ "$got" != "$want" ]; then
    echo "xl printed:"
    echo "$got"
    echo "expected:"
    echo "$want"
    exit 1
fi
echo "$got"
