/*
 * DMA check payload: a tiny HVM guest that has a PCI "edu" device (QEMU's
 * educational device, 1234:11e8) write known data into its memory and
 * checks that the data stays there, across live migration in particular.
 * README.md describes the modes, the memory layout and the output.
 *
 * Runs in 32-bit protected mode with interrupts off (boot.S); it polls the
 * device and keeps time with the CMOS real-time clock.  Every output line
 * goes to the debug port 0xe9 and starts with "DMACHK: ".
 */
#include <stdarg.h>
#include <stdint.h>

/* Memory: below 16 MiB, clear of the BIOS areas, within edu's 28-bit DMA
 * mask.  Each ring slot is a page of its own, so that every DMA-written
 * page is a different page for dirty tracking. */
#define SRC_PAGE	0x100000u	/* written by the CPU, read by DMA */
#define RING		0x200000u	/* NSLOTS pages written only by DMA */
#define NSLOTS		16
#define SLOT_SIZE	4096u
#define XFER		1024u		/* bytes per DMA; see README.md */
#define WORDS		(XFER / 4)

/* edu's MMIO registers (QEMU's docs/specs/edu.rst), in BAR0. */
#define EDU_ID		0x00
#define EDU_LIVENESS	0x04		/* reads back ~what was written */
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define  DMA_START	0x01		/* cleared by the device when done */
#define  DMA_TO_EDU	0x00		/* direction RAM -> EDU */
#define  DMA_TO_RAM	0x02		/* direction EDU -> RAM */
#define EDU_BUF		0x40000u	/* device address of edu's buffer */

/*
 * The device-state marker: a value drawn at this guest's start, written to
 * the liveness register (which reads back its inverse).  Another device
 * (after a migration) lacks it, whether it was reset (registers at 0) or
 * keeps what another guest left in it (edu has no reset Linux can use),
 * and nothing but set_marker() puts it back.
 */
static uint32_t marker;

/* PCI configuration space, legacy mechanism #1. */
#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc
#define PCI_ID		0x00
#define PCI_COMMAND	0x04
#define  CMD_MEMORY	0x0002
#define  CMD_MASTER	0x0004
#define PCI_BAR0	0x10
#define EDU_PCI_ID	0x11e81234u	/* device << 16 | vendor */

/* CMOS real-time clock. */
#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define RTC_SECONDS	0x00
#define RTC_MINUTES	0x02
#define RTC_HOURS	0x04
#define RTC_STATUS_A	0x0a
#define  RTC_UIP	0x80		/* update in progress */
#define RTC_STATUS_B	0x0b
#define  RTC_24H	0x02
#define  RTC_BINARY	0x04
#define RTC_PM		0x80		/* in RTC_HOURS, 12-hour mode */

#define DMA_TIMEOUT	10		/* s, for a DMA */
#define HEARTBEAT	5		/* s between idle lines */
#define TOGGLE_PERIOD	20		/* s, when the header says 0 */
#define PROGRESS	16		/* steps between "ok step" lines */
#define CORRUPT_STEP	20		/* selftest-corrupt: after this step */
#define CORRUPT_SLOT	5		/* ... the CPU overwrites this slot */
#define CORRUPT_WORD	100

enum mode { DMA_CHECK, IDLE_BM_OFF, TOGGLE, SELFTEST_CORRUPT, NMODES };
static const char *const mode_name[NMODES] = {
	"dma-check", "idle-bm-off", "toggle", "selftest-corrupt",
};

/* The header at byte 512 of the image (boot.S), patched by mode.sh. */
extern const volatile uint8_t header_mode, header_period;

static unsigned edu_slot;		/* PCI device number on bus 0 */
static uintptr_t edu_mmio;		/* BAR0 as the firmware set it */
static uint32_t slot_step[NSLOTS];	/* step whose data is in the slot;
					   0: not written or DMA in flight */

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cpu_relax(void)
{
	asm volatile("pause");
}

/* --- output: one line per call, "DMACHK: " + format + "\n" on port 0xe9 */

static void put_char(char c)
{
	outb(0xe9, c);
}

static void put_uint(uint32_t v, unsigned base, unsigned width)
{
	char digits[10];
	unsigned n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	for (; width > n; width--)
		put_char('0');
	while (n)
		put_char(digits[--n]);
}

/* Formats: %u, %s, %x and %0Nx (N: one digit). */
static void say(const char *fmt, ...)
{
	const char *p;
	unsigned width;
	va_list ap;

	va_start(ap, fmt);
	for (p = "DMACHK: "; *p; p++)
		put_char(*p);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put_char(*fmt);
			continue;
		}
		width = 0;
		if (*++fmt == '0') {
			width = fmt[1] - '0';
			fmt += 2;
		}
		switch (*fmt) {
		case 'u':
			put_uint(va_arg(ap, uint32_t), 10, width);
			break;
		case 'x':
			put_uint(va_arg(ap, uint32_t), 16, width);
			break;
		case 's':
			for (p = va_arg(ap, const char *); *p; p++)
				put_char(*p);
			break;
		}
	}
	put_char('\n');
	va_end(ap);
}

static void __attribute__((noreturn)) stop(void)
{
	for (;;)
		cpu_relax();
}

/* --- time: seconds since midnight from the CMOS clock, which follows
 * wall-clock time even when the guest runs slowly (TCG in TCG). */

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static uint32_t rtc_field(uint8_t v, uint8_t status_b)
{
	return status_b & RTC_BINARY ? v : (v >> 4) * 10 + (v & 0xf);
}

static uint32_t rtc_now(void)
{
	uint8_t s, m, h, b = cmos(RTC_STATUS_B);
	uint32_t hours;

	/* Two equal readings outside an update are a consistent one. */
	do {
		while (cmos(RTC_STATUS_A) & RTC_UIP)
			cpu_relax();
		s = cmos(RTC_SECONDS);
		m = cmos(RTC_MINUTES);
		h = cmos(RTC_HOURS);
	} while (s != cmos(RTC_SECONDS) || m != cmos(RTC_MINUTES) ||
		 h != cmos(RTC_HOURS));

	hours = rtc_field(h & ~RTC_PM, b);
	if (!(b & RTC_24H))
		hours = hours % 12 + (h & RTC_PM ? 12 : 0);
	return hours * 3600 + rtc_field(m, b) * 60 + rtc_field(s, b);
}

static uint32_t seconds_since(uint32_t t0)
{
	return (rtc_now() + 86400 - t0) % 86400;
}

/* Between n - 1 and n seconds: the clock counts whole seconds. */
static void sleep_s(uint32_t n)
{
	uint32_t t0 = rtc_now();

	while (seconds_since(t0) < n)
		cpu_relax();
}

/* --- PCI configuration space of the edu device (bus 0, function 0) */

static uint32_t cfg_address(unsigned slot, unsigned reg)
{
	return 0x80000000u | slot << 11 | (reg & 0xfc);
}

static uint32_t cfg_read32(unsigned slot, unsigned reg)
{
	outl(PCI_ADDR, cfg_address(slot, reg));
	return inl(PCI_DATA);
}

static uint16_t cfg_read16(unsigned slot, unsigned reg)
{
	outl(PCI_ADDR, cfg_address(slot, reg));
	return inw(PCI_DATA + (reg & 2));
}

static void cfg_write16(unsigned slot, unsigned reg, uint16_t v)
{
	outl(PCI_ADDR, cfg_address(slot, reg));
	outw(PCI_DATA + (reg & 2), v);
}

/* The only configuration writes of the payload (idle-bm-off, toggle):
 * read-modify-write of Bus Master Enable, checked by reading it back. */
static void set_bus_master(int on)
{
	uint16_t cmd = cfg_read16(edu_slot, PCI_COMMAND), got;

	cmd = on ? cmd | CMD_MASTER : cmd & ~CMD_MASTER;
	cfg_write16(edu_slot, PCI_COMMAND, cmd);
	got = cfg_read16(edu_slot, PCI_COMMAND);
	if ((got & CMD_MASTER) != (cmd & CMD_MASTER)) {
		say("command register reads 0x%04x after writing 0x%04x",
		    got, cmd);
		stop();
	}
}

/* --- the device */

static uint32_t mmio_read(unsigned reg)
{
	return *(volatile uint32_t *)(edu_mmio + reg);
}

static void mmio_write(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(edu_mmio + reg) = v;
}

static int marker_present(void)
{
	return mmio_read(EDU_LIVENESS) == ~marker;
}

/* Returns 0, or -1 (reported) if the device does not compute 12!. */
static int set_marker(void)
{
	mmio_write(EDU_LIVENESS, marker);
	if (marker_present())
		return 0;
	say("liveness register reads 0x%x, not 0x%x", mmio_read(EDU_LIVENESS),
	    ~marker);
	return -1;
}

/* This guest's marker: the time stamp counter and the time of day. */
static uint32_t new_marker(void)
{
	uint32_t lo, hi;

	asm volatile ("rdtsc" : "=a" (lo), "=d" (hi));
	return lo ^ hi * 2654435761u ^ rtc_now() * 40503u;
}

/*
 * One DMA of XFER bytes; waits until the device clears DMA_START.
 * Returns 0, or -1 if it did not within DMA_TIMEOUT seconds.  The clock
 * is read before the register, so that a guest paused (migrated) in this
 * loop reads the register once more before it can time out.
 */
static int edu_dma(uint32_t src, uint32_t dst, uint32_t dir)
{
	uint32_t t0 = rtc_now();
	int expired;

	mmio_write(EDU_DMA_SRC, src);
	mmio_write(EDU_DMA_DST, dst);
	mmio_write(EDU_DMA_CNT, XFER);
	mmio_write(EDU_DMA_CMD, dir | DMA_START);
	do {
		expired = seconds_since(t0) >= DMA_TIMEOUT;
		if (!(mmio_read(EDU_DMA_CMD) & DMA_START))
			return 0;
		cpu_relax();
	} while (!expired);
	return -1;
}

/* --- the ring */

/* Word i of the data of step k in slot s: k, then 0xKKKKSSII. */
static uint32_t pattern(uint32_t k, unsigned s, unsigned i)
{
	return i ? (k & 0xffff) << 16 | s << 8 | i : k;
}

static volatile uint32_t *slot_words(unsigned s)
{
	return (volatile uint32_t *)(RING + s * SLOT_SIZE);
}

/* Checks every slot whose DMA completed; one line per wrong slot, for
 * its first wrong word.  Returns the number of wrong slots. */
static unsigned verify_ring(void)
{
	unsigned s, i, bad = 0;
	uint32_t want, got;

	for (s = 0; s < NSLOTS; s++) {
		if (!slot_step[s])
			continue;
		for (i = 0; i < WORDS; i++) {
			want = pattern(slot_step[s], s, i);
			got = slot_words(s)[i];
			if (got != want) {
				say("CORRUPT slot %u step %u want 0x%08x got 0x%08x word %u",
				    s, slot_step[s], want, got, i);
				bad++;
				break;
			}
		}
	}
	return bad;
}

/*
 * Step k (from 1): the CPU writes the data of step k into SRC_PAGE, the
 * device copies it into its buffer (RAM -> EDU), then from its buffer into
 * slot k % NSLOTS (EDU -> RAM).  The ring is verified before each DMA.
 *
 * The step is done when the marker is still there after the second DMA
 * completed: then one device, with its buffer, did both DMAs.  Otherwise
 * the device was reset during the step (its DMAs may have been lost and
 * its buffer is empty): the marker is set again and the whole step is
 * re-issued.  The slot is left out of the verification from its DMA on,
 * since it may hold the new data before the step is done.
 *
 * Returns 0, or -1 after a corruption (already reported).
 */
static int dma_step(uint32_t k)
{
	unsigned slot = k % NSLOTS, i;
	volatile uint32_t *src = (volatile uint32_t *)SRC_PAGE;

	for (i = 0; i < WORDS; i++)
		src[i] = pattern(k, slot, i);
	for (;;) {
		if (verify_ring())
			return -1;
		if (edu_dma(SRC_PAGE, EDU_BUF, DMA_TO_EDU)) {
			say("TIMEOUT step %u RAM->EDU, command 0x%x", k,
			    mmio_read(EDU_DMA_CMD));
			continue;
		}
		if (verify_ring())
			return -1;
		slot_step[slot] = 0;
		if (edu_dma(EDU_BUF, RING + slot * SLOT_SIZE, DMA_TO_RAM)) {
			say("TIMEOUT step %u EDU->RAM, command 0x%x", k,
			    mmio_read(EDU_DMA_CMD));
			continue;
		}
		if (marker_present())
			break;
		say("device state lost, re-issuing step %u", k);
		if (set_marker())
			sleep_s(HEARTBEAT);	/* a dead device: slowly */
	}
	slot_step[slot] = k;
	return 0;
}

/* After a corruption: no more DMA, so that the evidence stays; the
 * verification, and its CORRUPT lines, repeat every HEARTBEAT s. */
static void __attribute__((noreturn)) corrupted(void)
{
	for (;;) {
		say("stopped after a corruption, no more DMA");
		sleep_s(HEARTBEAT);
		verify_ring();
	}
}

/* dma-check and selftest-corrupt.  Bus mastering is left as found: the
 * payload waits for someone else to turn it on. */
static void __attribute__((noreturn)) dma_check(enum mode mode, uint16_t cmd)
{
	uint32_t k;

	if (!(cmd & CMD_MASTER)) {
		say("bus mastering off");
		while (!(cfg_read16(edu_slot, PCI_COMMAND) & CMD_MASTER))
			sleep_s(1);
		say("bus mastering on");
	}
	set_marker();
	for (k = 1;; k++) {
		if (dma_step(k))
			corrupted();
		if (k % PROGRESS == 0)
			say("ok step %u", k);
		if (mode == SELFTEST_CORRUPT && k == CORRUPT_STEP) {
			say("selftest: the CPU overwrites word %u of slot %u",
			    CORRUPT_WORD, CORRUPT_SLOT);
			slot_words(CORRUPT_SLOT)[CORRUPT_WORD] ^= 0xffffffffu;
		}
	}
}

/* idle-bm-off and toggle: bus mastering off, a heartbeat every HEARTBEAT
 * s; toggle does one DMA step with bus mastering on every period. */
static void __attribute__((noreturn)) idle(enum mode mode)
{
	uint32_t period = header_period ? header_period : TOGGLE_PERIOD;
	uint32_t beat = rtc_now(), last_step = beat, n = 0, k = 1;

	set_bus_master(0);
	say("bus mastering turned off, idle");
	if (mode == TOGGLE)
		set_marker();
	for (;;) {
		sleep_s(1);
		if (seconds_since(beat) >= HEARTBEAT) {
			beat = rtc_now();
			say("idle %u", ++n);
		}
		if (mode == TOGGLE && seconds_since(last_step) >= period) {
			set_bus_master(1);
			say("bus mastering on");
			if (dma_step(k))
				corrupted();
			say("ok step %u", k++);
			set_bus_master(0);
			say("bus mastering off");
			last_step = rtc_now();
		}
	}
}

void __attribute__((noreturn)) main(void)
{
	enum mode mode = header_mode;
	uint16_t cmd;

	if (mode >= NMODES) {
		say("unknown mode %u", mode);
		stop();
	}
	say("start, mode %s", mode_name[mode]);
	marker = new_marker();

	for (edu_slot = 0; edu_slot < 32; edu_slot++)
		if (cfg_read32(edu_slot, PCI_ID) == EDU_PCI_ID)
			break;
	if (edu_slot == 32) {
		say("no edu device (1234:11e8) on bus 0");
		stop();
	}
	edu_mmio = cfg_read32(edu_slot, PCI_BAR0) & ~0xfu;
	cmd = cfg_read16(edu_slot, PCI_COMMAND);
	say("edu at 00:%02x.0 bar0 0x%08x command 0x%04x", edu_slot,
	    edu_mmio, cmd);
	if (!(cmd & CMD_MEMORY) || !edu_mmio) {
		say("edu BAR0 not enabled");
		stop();
	}
	say("edu id 0x%08x", mmio_read(EDU_ID));

	if (mode == DMA_CHECK || mode == SELFTEST_CORRUPT)
		dma_check(mode, cmd);
	idle(mode);
}
