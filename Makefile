# DMA dirty reporting for assigned PCI devices: the rig.
#
#   make              install the Debian packages the rig needs if missing,
#                     build the patched hypervisor, the tools it touches,
#                     the unit harness and QEMU with its series, then boot
#                     the hypervisor in QEMU for the demonstration
#   make test         run the tests (tests/run: every group but the two
#                     slow ones); ends with "N passed, N failed"
#   make test-slow    the two slow groups, which CI runs too: hypervisors
#                     with a rule broken, booted (system-mutation), and
#                     every patch of the series built alone (bisect)
#   make system-test  only the live test in QEMU (AMD and Intel IOMMU, and
#                     the patched QEMU as a device model in dom0)
#   make bench        instruction counts of the log-dirty enable check
#   make tools        the patched libraries, xl and xen-hvmctx
#   make qemu         QEMU with its series (qemu-system-i386, Xen enabled)
#   make dev          the patched xen.git tree to work in: build/dev/xen
#   make export       write build/dev/xen's commits back to xen/
#   make dev-qemu, make export-qemu   the same for QEMU and qemu-patches/
#
# XEN_SRC, QEMU_SRC: the xen.git and QEMU bases (tarball, git checkout or
# folder); by default the pinned tarballs in ../shared/deps.

SHARED   ?= $(abspath $(CURDIR)/../shared)
XEN_SRC  ?= $(SHARED)/deps/xen-c447b7308b13.tar.xz
QEMU_SRC ?= $(SHARED)/deps/qemu_10.0.13+ds.orig.tar.xz
export XEN_SRC QEMU_SRC
BUILD    := $(CURDIR)/build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)

# The tree every build and test uses: the base plus xen/series, remade
# whenever the queue changes.  build/dev/xen is the developer's, never
# remade behind their back.
XEN_TREE := $(BUILD)/xen
DEV_TREE := $(BUILD)/dev/xen
QEMU_TREE := $(BUILD)/qemu
DEV_QEMU := $(BUILD)/dev/qemu
OUT      := $(BUILD)/out

# ccache where the machine has it; paths are rewritten relative to build/
# so that the trees of the per-patch build test share its cache.
CCACHE   := $(shell command -v ccache 2>/dev/null)
XEN_CC   := $(if $(CCACHE),ccache gcc,gcc)
export CCACHE_BASEDIR := $(BUILD)
export CCACHE_NOHASHDIR := 1

# Never let a build see a system libxen-dev's headers or libraries.
export C_INCLUDE_PATH :=
export CPATH :=

XEN_PATCHES := $(wildcard xen/*.patch)
QEMU_PATCHES := $(wildcard qemu-patches/*.patch)

.PHONY: all
all: setup hypervisor hypervisor-system tools harness qemu demo

# The Debian packages the rig needs, installed when missing (as root;
# otherwise it stops and prints the command that does): scripts/setup.sh.
.PHONY: setup
setup:
	@scripts/setup.sh

$(XEN_TREE)/.applied: xen/series $(XEN_PATCHES) scripts/tree.sh scripts/lib.sh
	scripts/tree.sh xen "$(XEN_SRC)" $(XEN_TREE) XEN_SRC
	touch $@

.PHONY: tree
tree: $(XEN_TREE)/.applied

# The hypervisor, x86_64: default configuration, one with XSM/FLASK, and
# the one the system test boots (shadow paging on, which defconfig lacks:
# shadow-mode HVM and PV domains use it for log-dirty mode).  A warning
# fails the build (Xen builds with -Werror).
.PHONY: hypervisor hypervisor-flask hypervisor-system
hypervisor: $(XEN_TREE)/.applied
	scripts/build-xen.sh $(XEN_TREE) $(OUT)/xen-default default "$(XEN_CC)" $(JOBS)

hypervisor-system: $(XEN_TREE)/.applied
	scripts/build-xen.sh $(XEN_TREE) $(OUT)/xen-system system "$(XEN_CC)" $(JOBS)

hypervisor-flask: $(XEN_TREE)/.applied
	scripts/build-xen.sh $(XEN_TREE) $(OUT)/xen-flask flask "$(XEN_CC)" $(JOBS)

# The other configurations a maintainer's CI builds (scripts/build-xen.sh):
# make hypervisor-release, -nohvm, -nopv, -clang, -arm64, and the feature
# off without HVM or PV, -nohvm-off, -nopv-off.
HYPERVISOR_CONFIGS := release nohvm nopv nohvm-off nopv-off clang arm64
.PHONY: $(addprefix hypervisor-,$(HYPERVISOR_CONFIGS))
$(addprefix hypervisor-,$(HYPERVISOR_CONFIGS)): hypervisor-%: $(XEN_TREE)/.applied
	scripts/build-xen.sh $(XEN_TREE) $(OUT)/xen-$* $* "$(XEN_CC)" $(JOBS)

# The base's hypervisor, without the series: the older Xen below QEMU.
.PHONY: hypervisor-stock
hypervisor-stock: $(XEN_TREE)/.applied
	scripts/build-stock-xen.sh $(XEN_TREE) $(BUILD)/stock "$(XEN_CC)" $(JOBS)

# The tools' make files need ./configure to have run; the harness needs
# nothing it finds.
$(XEN_TREE)/config/Tools.mk: $(XEN_TREE)/.applied scripts/configure-tools.sh
	scripts/configure-tools.sh $(XEN_TREE) $(BUILD)/configure.log
	touch $@

# The example FLASK policy (tools/flask/policy), with checkpolicy.
.PHONY: flask-policy
flask-policy: $(XEN_TREE)/config/Tools.mk
	tests/build/flask-policy.sh $(XEN_TREE)

# The tools the feature touches: libraries, xl, xen-hvmctx.
.PHONY: tools
tools: $(XEN_TREE)/config/Tools.mk
	scripts/build-tools.sh $(XEN_TREE) "$(XEN_CC)" $(JOBS) $(BUILD)/tools.log

HARNESS := $(XEN_TREE)/tools/tests/dma-dirty

# What dom0 runs besides them in the end-to-end test: xenstored,
# xenconsoled, xen-init-dom0, hvmloader.
.PHONY: tools-dom0
tools-dom0: tools
	scripts/build-dom0-tools.sh $(XEN_TREE) "$(XEN_CC)" $(JOBS) $(BUILD)/tools-dom0.log

.PHONY: harness
harness: $(XEN_TREE)/config/Tools.mk
	$(MAKE) -s -C $(HARNESS) all

# QEMU with its series, the Xen device model (qemu-system-i386), built
# against the patched tools above.
$(QEMU_TREE)/.applied: qemu-patches/series $(QEMU_PATCHES) scripts/tree.sh scripts/lib.sh
	scripts/tree.sh qemu-patches "$(QEMU_SRC)" $(QEMU_TREE) QEMU_SRC
	touch $@

.PHONY: qemu-tree qemu
qemu-tree: $(QEMU_TREE)/.applied

qemu: tools qemu-tree
	scripts/build-qemu.sh $(QEMU_TREE) $(XEN_TREE) $(OUT)/qemu $(JOBS)

# The system test's dom0: Debian's kernel, busybox-static and the live test
# (tools/tests/dma-dirty-live) in an initramfs; a second image adds QEMU
# and xenstored, a third the toolstack and the guest of the end-to-end
# test.
SYSTEM := $(BUILD)/system

.PHONY: system-image
system-image: tools tools-dom0 qemu
	@mkdir -p $(SYSTEM)
	tests/system/initramfs.sh $(XEN_TREE) $(SYSTEM) "$(XEN_CC)" $(OUT)/qemu/qemu-system-i386

# The base without the series, as a user of the stock release has it: the
# tools (libraries, xl, xenstored...), QEMU with its series built for
# them, and the toolstack image of the end-to-end test's stock scenario,
# which boots the base's hypervisor (hypervisor-stock).
.PHONY: tools-stock stock-image
tools-stock: $(XEN_TREE)/.applied
	scripts/build-stock-tools.sh $(XEN_TREE) $(BUILD)/stock "$(XEN_CC)" $(JOBS)

stock-image: system-image tools-stock
	scripts/build-qemu-stock.sh $(OUT)/qemu $(XEN_TREE) $(BUILD)/stock/tools \
		$(BUILD)/stock/qemu-system-i386
	tests/system/initramfs.sh --stock $(BUILD)/stock/tools $(SYSTEM) "$(XEN_CC)" \
		$(BUILD)/stock/qemu-system-i386

# The live test in the emulated machine, AMD and Intel IOMMU.
.PHONY: system-test
system-test:
	@tests/run system

# The demonstration: a narrated run on the patched hypervisor, booted in
# QEMU with an AMD IOMMU and QEMU's edu device.
.PHONY: demo
demo: hypervisor-system system-image
	@tests/system/demo.sh $(OUT)/xen-system/xen.gz $(SYSTEM)

# The same story told by the user-space harness, without a hypervisor.
.PHONY: demo-harness
demo-harness: harness
	@$(HARNESS)/test-dma-dirty --demo

# The libFuzzer target of the policy (tools/fuzz/dma-dirty, needs clang):
# `make fuzz FUZZ_TIME=seconds` fuzzes for as long as asked, keeping what it
# finds in build/xen/tools/fuzz/dma-dirty/fuzz-corpus/.
FUZZ_TIME ?= 600
.PHONY: fuzz
fuzz: $(XEN_TREE)/config/Tools.mk
	$(MAKE) -C $(XEN_TREE)/tools/fuzz/dma-dirty fuzz FUZZ_TIME=$(FUZZ_TIME)

.PHONY: bench
bench: harness
	@command -v valgrind >/dev/null || { echo "bench needs valgrind" >&2; exit 1; }
	$(MAKE) -s -C $(HARNESS) bench

.PHONY: test test-slow
test: setup
	@tests/run

test-slow: setup
	@tests/run system-mutation bisect

.PHONY: dev
dev:
	@if [ -d $(DEV_TREE)/.git ]; then \
	    echo "$(DEV_TREE) exists; 'make export' writes it back, remove it to start again"; \
	else \
	    scripts/tree.sh xen "$(XEN_SRC)" $(DEV_TREE) XEN_SRC; \
	fi

.PHONY: export
export:
	scripts/export.sh $(DEV_TREE) xen

.PHONY: dev-qemu export-qemu
dev-qemu:
	@if [ -d $(DEV_QEMU)/.git ]; then \
	    echo "$(DEV_QEMU) exists; 'make export-qemu' writes it back, remove it to start again"; \
	else \
	    scripts/tree.sh qemu-patches "$(QEMU_SRC)" $(DEV_QEMU) QEMU_SRC; \
	fi

export-qemu:
	scripts/export.sh $(DEV_QEMU) qemu-patches

.PHONY: clean
clean:
	rm -rf $(BUILD)
