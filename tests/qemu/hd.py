#!/usr/bin/env python3
# hd.py QEMU XEN_TREE [TRACE]: the amd-iommu's host dirty tracking (qemu-patches/
# "hw/i386/amd_iommu: emulate host dirty tracking"), driven through qtest
# in the built qemu-system-x86_64, without a guest: the test writes a
# device table and I/O page tables into guest memory, enables the IOMMU
# and has an edu device read and write through it by DMA, then reads the
# Accessed and Dirty bits back.  One "ok   NAME" / "FAIL NAME" line per
# check; exit status 1 if one failed.  The Xen libraries QEMU is linked
# against come from XEN_TREE's build.  TRACE: where QEMU's trace of the
# bits it sets goes (amdvi_set_pte_flags, amdvi_iotlb_dirty), appended to.
import glob
import os
import subprocess
import sys

qemu, xen = sys.argv[1], sys.argv[2]
trace = sys.argv[3] if len(sys.argv) > 3 else os.devnull
roms = os.path.join(os.path.dirname(qemu), 'pc-bios', 'optionrom')
env = dict(os.environ, LD_LIBRARY_PATH=':'.join(
    glob.glob(os.path.join(xen, 'tools', 'libs', '*', ''))))

# Guest physical memory
DEVTAB = 0x100000     # device table, 128 entries
CMDBUF = 0x110000     # command buffer, 256 entries
L3 = 0x200000         # the I/O page tables: 3 levels
L2 = 0x201000
L1 = 0x202000
PAGE = 0x300000       # the 4K page IOVA_4K maps
BIG = 0x800000        # the 2M page IOVA_2M maps
IOVA_4K = 0x400000    # L3[0] -> L2[2] -> L1[0] -> PAGE
IOVA_2M = 0x600000    # L3[0] -> L2[3], a 2M leaf -> BIG
EDU_BAR = 0xc0000000
EDU_DEVFN = 4 << 3    # 00:04.0, devid 0x20
IOMMU = 0xfed80000    # AMDVI_BASE_ADDR
DOMID = 1

PR, A, D = 1 << 0, 1 << 5, 1 << 6
IR, IW = 1 << 61, 1 << 62


def pde(next_level, addr):
    return PR | next_level << 9 | addr | IR | IW


PDE_L3 = L3 + 0 * 8
PDE_L2 = L2 + 2 * 8
PTE_4K = L1 + 0 * 8
PTE_2M = L2 + 3 * 8

failed = 0


def result(ok, name):
    global failed
    print(('ok   ' if ok else 'FAIL ') + name)
    if not ok:
        failed += 1


class Machine:
    def __init__(self, hdsup, had):
        self.p = subprocess.Popen(
            [qemu, '-machine', 'q35', '-accel', 'qtest', '-qtest', 'stdio',
             '-display', 'none', '-nodefaults', '-m', '128M',
             '-L', roms, '-L', '/usr/share/seabios',
             '-device', 'amd-iommu,pt=off,hdsup=' + ('on' if hdsup else 'off'),
             '-device', 'edu,addr=4',
             '-trace', 'amdvi_set_pte_flags', '-trace', 'amdvi_iotlb_dirty'],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=open(trace, 'a'), env=env, text=True)
        self.tail = 0
        # edu: BAR0, memory decoding and bus mastering
        self.cfg(0x10, EDU_BAR)
        self.cfg(0x04, 0x6)
        # the device table entry of edu: translation, 3 levels, HAD
        dte = DEVTAB + EDU_DEVFN * 32
        self.wq(dte, 1 | 2 | 3 << 9 | L3 | IR | IW | had << 7)
        self.wq(dte + 8, DOMID)
        self.wq(dte + 16, 0)
        self.wq(dte + 24, 0)
        self.wq(PDE_L3, pde(2, L2))
        self.wq(PDE_L2, pde(1, L1))
        self.wq(PTE_4K, pde(0, PAGE))
        self.wq(PTE_2M, pde(0, BIG))
        # the IOMMU: device table, command buffer, enabled with it
        self.wq(IOMMU + 0x00, DEVTAB)
        self.wq(IOMMU + 0x08, CMDBUF | 8 << 56)
        self.wq(IOMMU + 0x18, 1 | 1 << 12)

    def cmd(self, line):
        self.p.stdin.write(line + '\n')
        self.p.stdin.flush()
        while True:
            r = self.p.stdout.readline()
            if not r:
                raise SystemExit('QEMU exited at: ' + line)
            if r.startswith('OK') or r.startswith('FAIL') or r.startswith('ERR'):
                break
        if not r.startswith('OK'):
            raise SystemExit('qtest: %s: %s' % (line, r.strip()))
        return r.split()

    def wq(self, addr, val):
        self.cmd('writeq 0x%x 0x%x' % (addr, val))

    def rq(self, addr):
        return int(self.cmd('readq 0x%x' % addr)[1], 16)

    def cfg(self, reg, val):
        self.cmd('outl 0xcf8 0x%x' % (0x80000000 | EDU_DEVFN << 8 | reg))
        self.cmd('outl 0xcfc 0x%x' % val)

    def dma(self, iova, write):
        # edu: its buffer at 0x40000; 8 bytes; done after 100 ms
        if write:
            self.wq(EDU_BAR + 0x80, 0x40000)
            self.wq(EDU_BAR + 0x88, iova)
        else:
            self.wq(EDU_BAR + 0x80, iova)
            self.wq(EDU_BAR + 0x88, 0x40000)
        self.wq(EDU_BAR + 0x90, 8)
        self.wq(EDU_BAR + 0x98, 1 | (2 if write else 0))
        self.cmd('clock_step 200000000')

    def command(self, lo, hi=0):
        self.wq(CMDBUF + self.tail, lo)
        self.wq(CMDBUF + self.tail + 8, hi)
        self.tail += 16
        self.wq(IOMMU + 0x2008, self.tail)

    def inval_pages(self):
        self.command(0x3 << 60 | DOMID << 32)

    def inval_all(self):
        self.command(0x8 << 60)

    def clear(self, addr, bits):
        self.wq(addr, self.rq(addr) & ~bits)

    def bits(self, addr):
        return self.rq(addr) & (A | D)

    def quit(self):
        self.p.kill()
        self.p.wait()


# The Extended Feature Register: HASup (49) and HDSup (52) with hdsup=on
m = Machine(hdsup=False, had=3)
efr = m.rq(IOMMU + 0x30)
result(not efr & (1 << 49 | 1 << 52),
       'hdsup=off (default): the EFR has neither HASup nor HDSup (%#x)' % efr)
m.wq(PAGE, 0xffffffffffffffff)
m.dma(IOVA_4K, True)
result(m.rq(PAGE) == 0, 'hdsup=off: edu writes through the IOMMU (%#x)'
       % m.rq(PAGE))
result(m.bits(PTE_4K) == 0 and m.bits(PDE_L2) == 0 and m.bits(PDE_L3) == 0,
       'hdsup=off: HAD=11b in the DTE is ignored, no bit set')
m.quit()

m = Machine(hdsup=True, had=3)
efr = m.rq(IOMMU + 0x30)
result(efr & (1 << 49) and efr & (1 << 52),
       'hdsup=on: the EFR has HASup (bit 49) and HDSup (bit 52) (%#x)' % efr)

# A read fills the IOTLB: Accessed on every level, not Dirty
m.dma(IOVA_4K, False)
result(m.bits(PDE_L3) == A and m.bits(PDE_L2) == A,
       'HAD=11b, a read: Accessed set in both PDEs the walk used')
result(m.bits(PTE_4K) == A, 'HAD=11b, a read: Accessed set in the leaf, not Dirty')
# A write that hits the entry the read filled sets Dirty
m.wq(PAGE, 0xffffffffffffffff)
m.dma(IOVA_4K, True)
result(m.rq(PAGE) == 0, 'HAD=11b: the write went through (%#x)' % m.rq(PAGE))
result(m.bits(PTE_4K) == A | D,
       'a write hitting an IOTLB entry filled by a read sets Dirty in the leaf')
# Software clears Dirty and does not invalidate: the next write is missed
m.clear(PTE_4K, D)
m.dma(IOVA_4K, True)
result(m.bits(PTE_4K) == A,
       'Dirty cleared without an invalidation: the next write does not set'
       ' it again (the IOTLB entry recorded dirty, as on hardware)')
# INVALIDATE_IOMMU_PAGES: the next write walks and sets Dirty
m.inval_pages()
m.dma(IOVA_4K, True)
result(m.bits(PTE_4K) == A | D,
       'after INVALIDATE_IOMMU_PAGES, the next write sets Dirty again')
# INVALIDATE_IOMMU_ALL, Accessed and Dirty cleared: a write sets both
for a in (PDE_L3, PDE_L2, PTE_4K):
    m.clear(a, A | D)
m.inval_all()
m.dma(IOVA_4K, True)
result(m.bits(PTE_4K) == A | D and m.bits(PDE_L2) == A and
       m.bits(PDE_L3) == A,
       'after INVALIDATE_IOMMU_ALL, a write fill sets Accessed on every level,'
       ' Dirty on the leaf only')
# A 2M leaf gets its Dirty bit like a 4K one
m.dma(IOVA_2M + 0x1000, True)
result(m.bits(PTE_2M) == A | D, 'a 2M leaf (next level 0 at level 2) gets'
       ' Accessed and Dirty on a write')
m.quit()

# HAD=01b: Accessed only
m = Machine(hdsup=True, had=1)
m.dma(IOVA_4K, True)
result(m.bits(PTE_4K) == A and m.bits(PDE_L2) == A,
       'HAD=01b: a write sets Accessed, never Dirty')
m.quit()

# HAD=00b: nothing
m = Machine(hdsup=True, had=0)
m.dma(IOVA_4K, True)
result(m.bits(PTE_4K) == 0 and m.bits(PDE_L3) == 0,
       'HAD=00b: no bit set')
m.quit()

print('%d failed' % failed)
sys.exit(1 if failed else 0)
