#!/usr/bin/env bash
# build.sh OUTDIR: build the DMA check payload (README.md) into
# OUTDIR/dmachk.img, a 1 MiB raw disk image in mode dma-check.  Needs GNU
# as/ld/objcopy and gcc with 32-bit support (gcc-multilib).  Prints nothing
# on success.
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"
obj=$out/dmachk-obj
mkdir -p "$obj"

cflags="-m32 -march=i686 -Os -std=gnu11 -Wall -Wextra -Werror
    -ffreestanding -fno-pic -fno-pie -fno-stack-protector
    -fno-asynchronous-unwind-tables -mgeneral-regs-only"
# shellcheck disable=SC2086
gcc $cflags -c "$src/boot.S" -o "$obj/boot.o"
# shellcheck disable=SC2086
gcc $cflags -c "$src/dmachk.c" -o "$obj/dmachk.o"
ld -m elf_i386 -nostdlib --no-warn-rwx-segments -T "$src/dmachk.ld" -o "$obj/dmachk.elf" \
    "$obj/boot.o" "$obj/dmachk.o"
objcopy -O binary "$obj/dmachk.elf" "$obj/dmachk.bin"
cp "$obj/dmachk.bin" "$out/dmachk.img"
truncate -s 1M "$out/dmachk.img"
