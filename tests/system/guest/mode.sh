#!/usr/bin/env bash
# mode.sh IMG MODE [PERIOD]: set the mode of the DMA check payload image
# IMG (built by build.sh; patched in place, so pass a copy) to MODE:
# dma-check, idle-bm-off, toggle or selftest-corrupt.  PERIOD: seconds
# between the DMA steps of toggle, 1..255 (0 or none: 20).  README.md lists
# the bytes this writes.
set -eu
img=$1 mode=$2 period=${3:-0}

case $mode in
    dma-check) n=0 ;;
    idle-bm-off) n=1 ;;
    toggle) n=2 ;;
    selftest-corrupt) n=3 ;;
    *) echo "mode.sh: unknown mode '$mode'" >&2; exit 1 ;;
esac
case $period in
    *[!0-9]*|'') echo "mode.sh: PERIOD must be 0..255" >&2; exit 1 ;;
esac
if [ "$period" -gt 255 ]; then
    echo "mode.sh: PERIOD must be 0..255" >&2
    exit 1
fi
if [ "$(dd if="$img" bs=1 skip=512 count=6 status=none)" != DMACHK ]; then
    echo "mode.sh: $img has no DMACHK header at byte 512" >&2
    exit 1
fi
# Byte 518: the mode; byte 519: the period (0: the default).
printf '%b' "$(printf '\\0%03o\\0%03o' "$n" "$period")" |
    dd of="$img" bs=1 seek=518 conv=notrunc status=none
