#!/usr/bin/env bash
# mutant.sh TREE OUT WORK IMAGE CC NAME BOOTS FILE SED-EXPR: break one rule
# in TREE's hypervisor (FILE edited with SED-EXPR), rebuild it in OUT (the
# system test's build, incrementally: the file and the link), keep the
# mutant's xen.gz in WORK/NAME and put FILE back at once; then boot the
# mutant on each machine of BOOTS (tests/system/boot.sh: amd, intel, pvh; in
# parallel, one per core; stress: the concurrency stress test for
# STRESS_SECONDS, default 60, on two CPUs) and list the live scenarios (or
# stress checks) that fail.  Fails if the expression changes nothing, if
# the mutant does not build, or if every scenario still passes.  OUT is left
# with the mutant's objects for FILE: the next build of OUT rebuilds them
# from the restored FILE, which is newer.
#
# FILE "qemu:PATH" breaks PATH of the QEMU tree QEMU_TREE instead, built in
# QEMU_OUT (the device model's build, incrementally), and boots the
# hypervisor OUT/xen.gz with dom0's images in IMAGE given the mutant QEMU
# (a cpio archive appended to the image, whose files replace the first
# one's): BOOTS qemu, the live test's QEMU scenarios (initrd-qemu.gz, AMD
# IOMMU), e2e, the end-to-end test's sweep scenario (initrd-xl.gz).
# For the hypervisor too: hd, the live test on the AMD IOMMU with dirty
# bits (--iommu-hd), and e2e-iommu, the end-to-end test's iommu scenario
# on that machine (a hypervisor mutant keeps the series' QEMU).
#
# An end-to-end boot of one scenario takes 3 to 5 minutes: it is stopped
# after E2E_TIMEOUT (600) seconds, and a boot that does not finish counts as
# caught (the rig's QEMU has hung a toolstack machine's dom0 in a migration
# now and then, see tests/run).
# MUTANT_PHASE=build does only the build, MUTANT_PHASE=boot only the boots
# of the mutant built before: tests/run builds the next mutant while the
# boots of one run.
set -u
tree=$1 out=$2 work=$3 image=$4 cc=$5 name=$6 boots=$7 file=$8 expr=$9
phase=${MUTANT_PHASE:-both}
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$work/$name
kind=xen
case $file in
qemu:*) kind=qemu file=${file#qemu:} src=$QEMU_TREE/$file ;;
*) src=$tree/$file ;;
esac

build_mutant() {
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$src" "$dir/original"
    # Whatever happens, FILE goes back, with a new time so that make rebuilds.
    trap 'cp "$dir/original" "$src"' EXIT
    sed -i -e "$expr" "$src"
    if cmp -s "$dir/original" "$src"; then
        echo "the mutation '$expr' changes nothing: fix tests/system/mutations"
        exit 1
    fi
    diff -u "$dir/original" "$src" | sed -n '3,$p'
    if [ $kind = qemu ]; then
        ninja -C "$QEMU_OUT" qemu-system-i386 >"$dir/build.log" 2>&1 ||
            { tail -20 "$dir/build.log"; echo "the mutant does not build"; exit 1; }
        qemu_images
    else
        "$top/scripts/build-xen.sh" "$tree" "$out" system "$cc" "$(nproc)" ||
            { echo "the mutant does not build"; exit 1; }
        cp "$out/xen.gz" "$dir/xen.gz"
    fi
    cp "$dir/original" "$src"
    trap - EXIT
}

# qemu_images: dom0's images with the mutant QEMU where each has QEMU, and
# the hypervisor of the system test.
qemu_images() {
    local qpath root
    qpath=$(sed -n 's/^#define QEMU_XEN_PATH "\(.*\)"$/\1/p' "$tree/tools/config.h")
    root=$dir/root-qemu
    mkdir -p "$root/bin"
    strip -o "$root/bin/qemu-system-i386" "$QEMU_OUT/qemu-system-i386"
    (cd "$root" && find . | cpio -o -H newc --quiet | gzip) >"$dir/qemu.cpio.gz"
    cat "$image/initrd-qemu.gz" "$dir/qemu.cpio.gz" >"$dir/initrd-qemu.gz"
    root=$dir/root-xl
    mkdir -p "$root$(dirname "$qpath")"
    cp "$root/../root-qemu/bin/qemu-system-i386" "$root$qpath"
    (cd "$root" && find . | cpio -o -H newc --quiet | gzip) >"$dir/xl.cpio.gz"
    cat "$image/initrd-xl.gz" "$dir/xl.cpio.gz" >"$dir/initrd-xl.gz"
    rm -rf "$dir/root-qemu" "$dir/root-xl"
    cp "$out/xen.gz" "$dir/xen.gz"
}

[ "$phase" = boot ] || build_mutant || exit 1
[ "$phase" = build ] && exit 0
[ -f "$dir/xen.gz" ] || { echo "no mutant built in $dir"; exit 1; }

pids=()
for m in $boots; do
    machine=$m img=$image initrd=initrd.gz timeout=${BOOT_TIMEOUT:-}
    case $m in
    intel) args=--shared-pt=yes ;;
    stress) args=--stress=${STRESS_SECONDS:-60} ;;
    pvh-nommcfg) args=--untrapped ;;
    qemu) machine=amd img=$dir initrd=initrd-qemu.gz args=--shared-pt=no ;;
    e2e) machine=xl img=$dir initrd=initrd-xl.gz args=--e2e=sweep
         timeout=${E2E_TIMEOUT:-600} ;;
    hd) machine=amd-hd args=--iommu-hd ;;
    e2e-iommu) machine=xl-hd initrd=initrd-xl.gz args=--e2e=iommu
               timeout=${E2E_TIMEOUT:-600}
               [ $kind = qemu ] && img=$dir ;;
    *) args=--shared-pt=no ;;
    esac
    BOOT_INITRD=$initrd BOOT_TIMEOUT=$timeout \
        "$top/tests/system/boot.sh" "$dir/xen.gz" "$img" "$machine" \
        "$dir/$m.log" "$args" >"$dir/$m.out" 2>&1 &
    pids+=($!)
done
caught=0 i=0
for m in $boots; do
    if ! wait "${pids[$i]}"; then
        echo "$m: the boot did not finish (counted as caught)"
        sed 's/^/    /' "$dir/$m.out" | head -8
        caught=$((caught + 1))
    fi
    i=$((i + 1))
    fails=$(grep -o 'LIVE: FAIL .*' "$dir/$m.log" |
            sed -e 's/^LIVE: FAIL /    /' -e 's/(XEN) .*$//')
    if [ -n "$fails" ]; then
        echo "$m: $(echo "$fails" | wc -l) scenarios fail:"
        echo "$fails"
        caught=$((caught + 1))
    else
        echo "$m: every scenario passes"
    fi
done
[ "$caught" -gt 0 ] || { echo "the mutant survived: $boots"; exit 1; }
echo "detected"
