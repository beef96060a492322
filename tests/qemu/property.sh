#!/usr/bin/env bash
# property.sh QEMU XEN_TREE: the built qemu-system-i386 lists the property
# of xen-pci-passthrough, an enum of the values off, sweep and external
# that is off by default.  The Xen libraries come from XEN_TREE's build.
set -eu
qemu=$1 xen=$2
LD_LIBRARY_PATH=$(printf '%s:' "$xen"/tools/libs/*/)
export LD_LIBRARY_PATH
out=$("$qemu" -nodefaults -machine none -device xen-pci-passthrough,help 2>&1)
echo "$out"
echo "$out" | grep -Eq '^ *dma-dirty-reporting=<XenPTDMADirtyReporting> +- .*\(off/sweep/external\) \(default: off\)$'
