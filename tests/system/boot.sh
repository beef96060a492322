#!/usr/bin/env bash
# boot.sh XEN IMAGE MACHINE LOG ARGS: boot the hypervisor XEN (xen.gz) in
# qemu-system-x86_64 with dom0 from IMAGE (tests/system/initramfs.sh) and
# two edu devices behind an emulated IOMMU; dom0's init runs
# "test-dma-dirty-live ARGS" (with ARGS --stress=N, "test-dma-dirty-stress
# --seconds=N").  The whole serial log goes to LOG.  MACHINE:
#   amd     AMD IOMMU (P2M not shared with it), PV dom0
#   amd-hd  the same, the AMD IOMMU with host dirty tracking (QEMU's
#           amd-iommu hdsup=on: HASup and HDSup advertised, the Accessed
#           and Dirty bits of Xen's IOMMU page tables set as hardware does)
#   intel   Intel IOMMU (EPT shared with it), PV dom0
#   pvh     AMD IOMMU, PVH dom0 (its config writes go through vPCI)
#   stress  AMD IOMMU, PV dom0, two CPUs (multi-threaded TCG) and two dom0
#           vCPUs, for the concurrency stress test (ARGS --stress=N)
#   xl, xl-intel  AMD or Intel IOMMU, PV dom0, the edu devices at 00:04.0
#           and 00:05.0 (xen-pt refuses a host device at 00:02.0), and on
#           xl two more at 00:06.0 and 00:07.0 (a guest with two devices),
#           for the end-to-end test with the toolstack (ARGS --e2e=...,
#           image initrd-xl.gz)
#   xl-hd   xl, the AMD IOMMU with host dirty tracking (hdsup=on, as amd-hd)
#
# The emulated machine is the project's QEMU, qemu-system-x86_64 of
# scripts/build-qemu.sh ("make qemu": QEMU 10.0.13 with qemu-patches/, the
# same build as the device model), unless QEMU_SYSTEM names another.  Its
# firmware: Debian's SeaBIOS (/usr/share/seabios: bios-256k.bin, and the
# VGA BIOS of bochs-display) and the option ROM that -kernel boots a
# multiboot image with (multiboot_dma.bin), which build-qemu.sh builds
# from source beside QEMU (QEMU_ROMS names another folder).  It is linked
# against the Xen libraries of build/xen, as the device model is, and runs
# with the copy of them that build-qemu.sh keeps beside it (xen-libs/).
#
# Exit status: 0 if the test program ran to its end ("LIVE: end" after
# output), 1 if the machine crashed, hung (BOOT_TIMEOUT seconds, default
# 300, plus N with --stress=N) or never reached the test, or if the
# hypervisor logged a warning, a BUG, an assertion or lock check failure
# (or its watchdog, where it works, fired); the last lines of the log are
# shown.
# BOOT_INITRD: the image in IMAGE to boot (default initrd.gz).
set -u
xen=$1 image=$2 iommu=$3 log=$4 args=$5
stress=0
case $args in --stress=*) stress=${args#--stress=} ;; esac
timeout=${BOOT_TIMEOUT:-$((300 + stress))}
initrd=${BOOT_INITRD:-initrd.gz}

top=$(cd "$(dirname "$0")/../.." && pwd)
qemu=${QEMU_SYSTEM:-$top/build/out/qemu/qemu-system-x86_64}
[ -x "$qemu" ] || {
    echo "no emulator at $qemu: build it with 'make qemu' (or set QEMU_SYSTEM)" >&2
    exit 1
}
roms=${QEMU_ROMS:-$(dirname "$qemu")/pc-bios/optionrom}
firmware=(-L /usr/share/seabios)
[ -f /usr/share/seabios/bios-256k.bin ] || {
    echo "the system test needs the Debian package seabios (/usr/share/seabios/bios-256k.bin)" >&2
    exit 1
}
if [ -f "$roms/multiboot_dma.bin" ]; then
    firmware=(-L "$roms" "${firmware[@]}")
elif [ -z "${QEMU_SYSTEM:-}" ]; then
    echo "no option ROMs in $roms (multiboot_dma.bin): build them with 'make qemu'" >&2
    exit 1
fi
# Its Xen libraries (it is built with Xen, for the device model): the copy
# build-qemu.sh keeps beside it.
libs=$(dirname "$qemu")/xen-libs
dom0= cpu=max smp=1 accel=tcg edu="-device edu -device edu" keepalive=0
# The live test's machines also have a display device (class 0x0380),
# which bus mastering off does not cover unless the toolstack says so.
display="-device bochs-display"
# QEMU's AMD IOMMU without pass-through: pt is x86-iommu's property, on
# by default, which QEMU 10.0.13's amd-iommu does not act on; off, so that
# a QEMU whose amd-iommu does still translates the edu devices' DMA by the
# tables Xen programs.
amd_iommu=amd-iommu,pt=off
case $iommu in
    amd) iommu_dev=$amd_iommu ;;
    amd-hd) iommu_dev=$amd_iommu,hdsup=on ;;
    intel) iommu_dev=intel-iommu,intremap=on ;;
    # TCG's SVM gives no next-RIP for an intercepted RDTSCP, which Xen
    # cannot then emulate for an HVM dom0: hide the instruction.
    pvh) iommu_dev=$amd_iommu dom0=dom0=pvh cpu=max,-rdtscp ;;
    # The same, with no MMCFG region Xen traps: the PVH dom0 reaches the
    # ECAM through its identity map, unseen.
    pvh-nommcfg) iommu_dev=$amd_iommu dom0="dom0=pvh mmcfg=off"
                 cpu=max,-rdtscp ;;
    # Threads of dom0 that really run at once, in Xen on two CPUs.  Xen's
    # NMI watchdog gets no NMI under TCG ("Testing NMI watchdog on all
    # CPUs: {0-1} stuck"): a hang is left to the timeout and to the stress
    # test's own watchdog.
    stress) iommu_dev=$amd_iommu smp=2 accel=tcg,thread=multi
            dom0=dom0_max_vcpus=2 display= ;;
    xl|xl-hd)
        iommu_dev=$amd_iommu
        [ "$iommu" = xl-hd ] && iommu_dev=$amd_iommu,hdsup=on
        edu="-device edu,addr=4 -device edu,addr=5 -device edu,addr=6 -device edu,addr=7"
        keepalive=1 display= ;;
    xl-intel) iommu_dev=intel-iommu,intremap=on
              edu="-device edu,addr=4 -device edu,addr=5" keepalive=1
              display= ;;
    *) echo "MACHINE: amd, amd-hd, intel, pvh, pvh-nommcfg, stress, xl, xl-hd or xl-intel" >&2
       exit 1 ;;
esac

# QEMU's -kernel takes an uncompressed multiboot image.
xen_img=$(dirname "$log")/xen-$(basename "$log" .log)
gzip -dc "$xen" > "$xen_img" || exit 1

# BOOT_STDIN names what feeds the serial line (a fifo, to send Xen debug
# keys by hand: three ^A switch the console to Xen); none by default,
# but for the toolstack's machines a NUL every 5 s.  Under TCG with
# Debian 12's QEMU 7.2, Xen once idled with no timer interrupt arriving:
# 190 s with dom0 and every guest blocked ("Platform timer appears to have
# unexpectedly wrapped 4 times", a soft lockup report from dom0), ended
# by the next serial interrupt, a key typed.  The rig now runs QEMU 10.0
# (its own build), which has not done it; should it, the byte bounds the
# stall to 5 s and the e2e group reports it.
# Once Xen's console is up, three ^A give Xen the input (else dom0's
# console would echo the bytes into the log), where NUL is no debug key.
input=${BOOT_STDIN:-/dev/null} keeper=
if [ $keepalive = 1 ] && [ -z "${BOOT_STDIN:-}" ]; then
    input=$(dirname "$log")/serial-in-$(basename "$log" .log)
    rm -f "$input" "$log"
    mkfifo "$input"
    (
        until grep -aq 'Serial input to' "$log" 2> /dev/null; do sleep 1; done
        printf '\001\001\001'
        while printf '\0'; do sleep 5; done
    ) > "$input" 2> /dev/null &
    keeper=$!
fi
# These settings are the ones ../shared/context/system-test-facts.md found
# to work: TCG, HAP under -cpu max, smap=0 (dom0 faults under TCG
# otherwise), no "noreboot" so that a crash ends QEMU.
timeout --foreground -k 10 "$timeout" env LD_LIBRARY_PATH="$libs" "$qemu" \
    "${firmware[@]}" \
    -machine q35,kernel-irqchip=split -accel $accel -cpu $cpu -smp $smp -m 3072 \
    -display none -monitor none -serial stdio -no-reboot -nodefaults \
    -device "$iommu_dev" $edu $display \
    -kernel "$xen_img" \
    -append "console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M conring_size=1M loglvl=all guest_loglvl=all smap=0 iommu=1,verbose,debug $dom0" \
    -initrd "$image/vmlinuz console=hvc0 earlyprintk=xen rdinit=/init dmadirty_args=$args,$image/$initrd" \
    < "$input" 2>&1 | stdbuf -oL tr -d '\r' > "$log"
rc=${PIPESTATUS[0]}
if [ -n "$keeper" ]; then
    kill "$keeper" 2> /dev/null
    rm -f "$input"
fi
rm -f "$xen_img"

# The most telling reason first: a crash or a warning, then a hang.
crash='Panic on CPU\|FATAL TRAP\|Assertion .* failed'
bad='Xen WARN at\|Xen BUG at\|CHECKLOCK FAILURE\|Watchdog timer detects that CPU\|\<BUG: '
what=
if grep -q "$crash" "$log"; then
    why="the hypervisor crashed"
    what=$(grep -m1 -A2 "$crash" "$log")
# A debug hypervisor that goes on after a WARN_ON(), a lock check failure
# or its watchdog is as wrong, and so is a dom0 kernel BUG (a soft lockup
# in a hypercall, say).  TCG's CPUID gives the XSAVE size without XSAVEC,
# which Xen WARN()s about once at boot (xstate.c): not ours.
elif grep -v 'Xen WARN at .*arch/x86/xstate\.c:' "$log" | grep -q "$bad"; then
    why="the hypervisor (or dom0's kernel) warned or detected a bug"
    what=$(grep -v 'Xen WARN at .*arch/x86/xstate\.c:' "$log" |
           grep -m3 -A3 "$bad")
elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    why="no end after ${timeout}s: the machine hung"
elif ! grep -q '^LIVE: start' "$log"; then
    why="the machine never reached the test (QEMU exit status $rc)"
elif ! grep -q '^LIVE: end' "$log"; then
    why="the machine stopped during the test (QEMU exit status $rc)"
else
    exit 0
fi
echo "$why${what:+:}"
[ -z "$what" ] || echo "$what" | sed 's/^/    /'
echo "the last lines of $log:"
tail -25 "$log" | sed 's/^/    /'
exit 1
