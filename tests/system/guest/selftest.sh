#!/usr/bin/env bash
# selftest.sh OUTDIR: the DMA check payload (README.md) without Xen: build
# it into OUTDIR, boot it in the rig's qemu-system-x86_64 (TCG, q35, an edu device
# at 00:04.0) in each mode and check its debug-port lines.  One "ok   NAME"
# or "FAIL NAME" line per check, then "N passed, N failed"; exit status 1
# if a check failed.  Logs: OUTDIR/NAME.log (debug port), NAME.mon
# (monitor).
#
# Bus mastering: SeaBIOS leaves Bus Master Enable clear on edu (hvmloader,
# under Xen, sets it), and dma-check never sets it.  This script sets it
# from the QEMU monitor, with the CF8/CFC ports, either before the firmware
# runs (SeaBIOS keeps it) or, for the first check, while the payload waits.
#
# Migration: QEMU's edu has no migration state at all, so plain QEMU
# migrates neither its registers nor its PCI configuration space.  Under
# Xen the device model keeps the configuration space and only the device
# is new; the migration check does the same by hand: it copies BAR0 and
# the command register from the source to the destination before the
# destination runs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
QEMU_TIMEOUT=${QEMU_TIMEOUT:-300}	# s, the longest a QEMU may run
WAIT=${WAIT:-120}			# s, the longest a check waits

passed=0 failed=0
pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() {
    echo "FAIL $1"
    failed=$((failed + 1))
    [ -z "${2:-}" ] || tail -8 "$2" | sed 's/^/    /'
}
# check NAME LOG CMD...: one result, from CMD's exit status.
check() {
    local name=$1 log=$2
    shift 2
    if "$@"; then pass "$name"; else fail "$name" "$log"; fi
}

# The rig's emulator (make qemu), or QEMU_SYSTEM; its option ROMs and Xen
# libraries are beside it (scripts/build-qemu.sh), SeaBIOS is Debian's.
top=$(cd "$here/../../.." && pwd)
qemu=${QEMU_SYSTEM:-$top/build/out/qemu/qemu-system-x86_64}
if [ ! -x "$qemu" ] || [ ! -f /usr/share/seabios/bios-256k.bin ]; then
    echo "FAIL selftest needs $qemu ('make qemu', or QEMU_SYSTEM) and Debian's seabios"
    echo "0 passed, 1 failed"
    exit 1
fi
qemu_env=(env LD_LIBRARY_PATH="$(dirname "$qemu")/xen-libs")
qemu_fw=(-L "${QEMU_ROMS:-$(dirname "$qemu")/pc-bios/optionrom}" -L /usr/share/seabios)
if ! "$here/build.sh" "$out"; then
    echo "FAIL build"
    echo "0 passed, 1 failed"
    exit 1
fi
pass build

# --- QEMU, one at a time, with its monitor on a FIFO

qemu_pid='' mon_fd='' mon_log=''
trap '' PIPE				# a QEMU that exits must not kill us
trap 'qemu_kill' EXIT
trap 'exit 1' INT TERM

# qemu_start NAME IMG [ARGS...]: start QEMU stopped (-S), the debug port
# in OUTDIR/NAME.log, the monitor's output in OUTDIR/NAME.mon.
qemu_start() {
    local name=$1 img=$2
    shift 2
    rm -f "$out/$name.log" "$out/$name.mon" "$out/$name.fifo"
    mkfifo "$out/$name.fifo"
    mon_log=$out/$name.mon
    timeout -k 5 "$QEMU_TIMEOUT" "${qemu_env[@]}" "$qemu" "${qemu_fw[@]}" \
        -machine q35 -accel tcg -m 32 -display none -nodefaults \
        -no-reboot -S -device edu,addr=4 \
        -drive file="$img",format=raw,if=none,id=disk \
        -device ide-hd,drive=disk,bus=ide.0 \
        -debugcon file:"$out/$name.log" -serial none -monitor stdio "$@" \
        < "$out/$name.fifo" > "$mon_log" 2>&1 &
    qemu_pid=$!
    exec {mon_fd}> "$out/$name.fifo"
    rm -f "$out/$name.fifo"
}

# qemu_stop: quit QEMU (killed if it has not within 10 s).
qemu_stop() {
    mon quit
    for _ in $(seq 50); do
        kill -0 "$qemu_pid" 2>/dev/null || break
        sleep 0.2
    done
    qemu_kill
}

qemu_kill() {
    if [ -n "$qemu_pid" ]; then
        kill "$qemu_pid" 2>/dev/null
        wait "$qemu_pid" 2>/dev/null
    fi
    [ -z "$mon_fd" ] || exec {mon_fd}>&-
    qemu_pid='' mon_fd=''
}

mon() {
    { printf '%s\n' "$1" >&"$mon_fd"; } 2>/dev/null
}

# mon_until REGEX: wait until the monitor output printed after the last
# mon_mark matches REGEX; print the first match.
mon_mark() {
    mon_from=$(stat -c %s "$mon_log")
}
mon_until() {
    local deadline=$((SECONDS + 20)) m
    while :; do
        m=$(tail -c +$((mon_from + 1)) "$mon_log" | tr -d '\r' |
            grep -o "$1" | head -1)
        if [ -n "$m" ]; then
            echo "$m"
            return 0
        fi
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

# port_in PORT: a 32-bit read of an I/O port through the monitor.
port_in() {
    local m
    mon_mark
    mon "i /w $1"
    m=$(mon_until "portl\[$(printf 0x%04x "$1")\] = 0x[0-9a-f]*") || return 1
    echo "${m##* }"
}

# cfg_read REG, cfg_write REG h|w VALUE: the edu device's configuration
# space (00:04.0), 32-bit reads, 16- (h) or 32-bit (w) writes.  The machine
# must be stopped.  The guest's CF8 is put back afterwards, in case it was
# stopped between its own CF8 and CFC accesses.
EDU_CFG=0x80002000
cfg_read() {
    local saved v
    saved=$(port_in 0xcf8) || return 1
    mon "o /w 0xcf8 $(printf 0x%x $((EDU_CFG + $1)))"
    v=$(port_in 0xcfc) || return 1
    mon "o /w 0xcf8 $saved"
    echo "$v"
}
cfg_write() {
    local saved
    saved=$(port_in 0xcf8) || return 1
    mon "o /w 0xcf8 $(printf 0x%x $((EDU_CFG + $1)))"
    mon "o /$2 0xcfc $3"
    mon "o /w 0xcf8 $saved"
}

# bus_master_on: set Bus Master Enable of the edu device.
bus_master_on() {
    local v
    mon stop
    v=$(cfg_read 4) || return 1
    cfg_write 4 h "$(printf 0x%04x $(((v & 0xffff) | 4)))"
    mon cont
}

# wait_line LOG REGEX [UNLESS]: wait for a line of LOG matching REGEX, at
# most WAIT s, and not once QEMU has exited or a line matches UNLESS.
wait_line() {
    local deadline=$((SECONDS + WAIT))
    until grep -q "$2" "$1" 2>/dev/null; do
        if [ "$SECONDS" -ge "$deadline" ] ||
           ! kill -0 "$qemu_pid" 2>/dev/null ||
           { [ -n "${3:-}" ] && grep -q "$3" "$1" 2>/dev/null; }; then
            grep -q "$2" "$1" 2>/dev/null
            return
        fi
        sleep 0.5
    done
}

# What ends the wait for progress.
BAD='^DMACHK: CORRUPT\|^DMACHK: TIMEOUT'

# image MODE [PERIOD]: a copy of the image in MODE; prints its path.
image() {
    cp "$out/dmachk.img" "$out/$1.img" &&
        "$here/mode.sh" "$out/$1.img" "$@" &&
        echo "$out/$1.img"
}

# steps LOG: the K of the "ok step K" lines.
steps() {
    sed -n 's/^DMACHK: ok step \([0-9]*\)$/\1/p' "$1"
}

# increasing LOG [AFTER]: at least 3 progress lines, K increasing, the
# first above AFTER.
increasing() {
    steps "$1" | awk -v prev="${2:-0}" '$1 <= prev { bad = 1 }
                                        { prev = $1; n++ }
                                        END { exit bad || n < 3 }'
}

no_line() {
    ! grep -q "$2" "$1"
}

# bus_master_set VALUE, bus_master_clear VALUE: bit 2 of the command
# register VALUE (a failed read, empty, is neither).
bus_master_set() {
    [ -n "$1" ] && [ $(($1 & 4)) != 0 ]
}
bus_master_clear() {
    [ -n "$1" ] && [ $(($1 & 4)) = 0 ]
}

# stopped_and_repeated LOG: the CORRUPT line came (at least) twice and no
# DMA step completed after the first.
stopped_and_repeated() {
    [ "$(grep -c '^DMACHK: CORRUPT ' "$1")" -ge 2 ] &&
        ! sed -n '/^DMACHK: CORRUPT /,$p' "$1" | grep -q '^DMACHK: ok step'
}

# toggled LOG: twice "bus mastering on", "ok step K", "bus mastering off".
toggled() {
    grep '^DMACHK: bus mastering o\|^DMACHK: ok step' "$1" |
        sed -n '1,6p' | tr '\n' '|' |
        grep -qx 'DMACHK: bus mastering on|DMACHK: ok step 1|DMACHK: bus mastering off|DMACHK: bus mastering on|DMACHK: ok step 2|DMACHK: bus mastering off|'
}

# ran NAME: the time the last QEMU ran (for the report).
ran() {
    echo "    $1: QEMU ran $((SECONDS - t0)) s"
}

# --- dma-check: waits for bus mastering, then makes progress

log=$out/dma-check.log t0=$SECONDS
qemu_start dma-check "$(image dma-check)"
mon cont
check "dma-check: waits while bus mastering is off" "$log" \
    wait_line "$log" '^DMACHK: bus mastering off$'
bus_master_on
check "dma-check: runs once bus mastering is on" "$log" \
    wait_line "$log" '^DMACHK: bus mastering on$'
wait_line "$log" '^DMACHK: ok step 48$' "$BAD"
qemu_stop
ran dma-check
check "dma-check: progress lines keep increasing" "$log" increasing "$log"
check "dma-check: no corruption, no timeout" "$log" \
    no_line "$log" "$BAD"

# --- selftest-corrupt: the check can fail

log=$out/selftest-corrupt.log t0=$SECONDS
qemu_start selftest-corrupt "$(image selftest-corrupt)"
cfg_write 4 h 4			# stopped by -S: before the firmware
mon cont
# Word 100 of slot 5, written at step 5 as 0x00050564, inverted.
check "selftest-corrupt: the corruption is reported" "$log" \
    wait_line "$log" \
    '^DMACHK: CORRUPT slot 5 step 5 want 0x00050564 got 0xfffafa9b word 100$'
wait_line "$log" '^DMACHK: stopped after a corruption, no more DMA$'
sleep 6				# HEARTBEAT: the report comes again
qemu_stop
ran selftest-corrupt
check "selftest-corrupt: DMA stops, the report repeats" "$log" \
    stopped_and_repeated "$log"

# --- idle-bm-off: the payload clears bus mastering itself

log=$out/idle-bm-off.log t0=$SECONDS
qemu_start idle-bm-off "$(image idle-bm-off)"
cfg_write 4 h 4
mon cont
wait_line "$log" '^DMACHK: edu at '
cmd=$(sed -n 's/^DMACHK: edu at .* command \(0x[0-9a-f]*\)$/\1/p' "$log")
check "idle-bm-off: bus mastering on at start (set by this script)" "$log" \
    bus_master_set "$cmd"
check "idle-bm-off: turned off, then idle lines" "$log" \
    wait_line "$log" '^DMACHK: idle 2$'
check "idle-bm-off: says it turned bus mastering off" "$log" \
    grep -q '^DMACHK: bus mastering turned off, idle$' "$log"
mon stop
cmd=$(cfg_read 4)
mon cont
check "idle-bm-off: the command register has bus mastering clear" "$log" \
    bus_master_clear "$cmd"
qemu_stop
ran idle-bm-off

# --- toggle: one DMA step per period with bus mastering on

log=$out/toggle.log t0=$SECONDS
qemu_start toggle "$(image toggle 3)"
mon cont
wait_line "$log" '^DMACHK: ok step 3$' "$BAD"
qemu_stop
ran toggle
check "toggle: bus mastering on, one step, off; twice" "$log" toggled "$log"
check "toggle: idle lines in between" "$log" \
    grep -q '^DMACHK: idle 1$' "$log"
check "toggle: no corruption, no timeout" "$log" \
    no_line "$log" "$BAD"

# --- device state lost: migrate dma-check to a new QEMU, whose edu comes
# up reset, and carry the configuration space over as Xen's device model
# would

log=$out/migrate-src.log t0=$SECONDS
img=$(image dma-check)
qemu_start migrate-src "$img"
cfg_write 4 h 4
mon cont
wait_line "$log" '^DMACHK: ok step 32$' "$BAD"
mon "migrate \"exec:cat > $out/migration\""
for _ in $(seq 100); do			# 20 s; the source then stays paused
    mon_mark
    mon "info migrate"
    status=$(mon_until 'Migration status: [a-z]*') || break
    [ "${status##* }" != completed ] || break
    sleep 0.2
done
bar0=$(cfg_read 0x10) cmd=$(cfg_read 4)
last=$(steps "$log" | tail -1)
qemu_stop
ran migrate-src
echo "    edu on the source: BAR0 $bar0, command/status $cmd"
check "migration: the source migrates" "$log" \
    test "${status:-}" = "Migration status: completed" -a -n "$bar0" -a -n "$cmd"

log=$out/migrate-dst.log t0=$SECONDS
qemu_start migrate-dst "$img" -incoming "exec:cat $out/migration"
for _ in $(seq 100); do
    mon_mark
    mon "info status"
    status=$(mon_until 'VM status: .*') || break
    [ "$status" != "VM status: paused" ] || break
    sleep 0.2
done
check "migration: the destination loads the state" "$out/migrate-dst.mon" \
    test "${status:-}" = "VM status: paused"
cfg_write 0x10 w "$bar0"
cfg_write 4 h "$(printf 0x%04x $((cmd & 0xffff)))"
mon cont
check "migration: the destination says the device state was lost" "$log" \
    wait_line "$log" '^DMACHK: device state lost, re-issuing step [0-9]*$' \
    "$BAD"
wait_line "$log" "^DMACHK: ok step $((last + 48))$" "$BAD"
qemu_stop
ran migrate-dst
check "migration: progress continues past the source's last step" "$log" \
    increasing "$log" "$last"
check "migration: no corruption, no timeout" "$log" \
    no_line "$log" "$BAD"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
