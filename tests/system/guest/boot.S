/*
 * Boot sector of the DMA check payload (see README.md).
 *
 * The BIOS loads sector 0 at 0x7c00 and jumps to it in real mode with the
 * boot drive in %dl.  This code reads the rest of the payload (sectors 1..,
 * starting with the header below) to 0x7e00 with int 13h AH=42h, enables
 * A20, switches to 32-bit protected mode with flat 4 GiB code and data
 * segments, clears .bss and jumps to main() (dmachk.c).  Interrupts stay
 * disabled for good: the payload polls, it has no IDT.
 */

#define CODE_SEL 0x08
#define DATA_SEL 0x10

	.section .boot, "ax"
	.code16
	.globl _start
_start:
	cli
	ljmp	$0, $1f			/* %cs = 0, whatever the BIOS used */
1:	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7c00, %sp

	/* Load the payload from the boot drive (%dl, as the BIOS left it). */
	movw	$dap, %si
	movb	$0x42, %ah
	int	$0x13
	jc	disk_error

	/* A20 through the "fast A20" port; bit 0 of port 0x92 resets. */
	inb	$0x92, %al
	orb	$0x02, %al
	andb	$0xfe, %al
	outb	%al, $0x92

	lgdt	gdt_desc
	movl	%cr0, %eax
	orl	$1, %eax		/* CR0.PE */
	movl	%eax, %cr0
	ljmpl	$CODE_SEL, $protected

disk_error:
	movw	$disk_msg, %si
	movw	$0xe9, %dx
2:	lodsb
	outb	%al, %dx
	cmpb	$'\n', %al
	jne	2b
3:	jmp	3b

	.code32
protected:
	movw	$DATA_SEL, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	$stack_top, %esp
	cld
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	jmp	main			/* never returns */

disk_msg:
	.ascii	"DMACHK: disk read error\n"

/* Disk address packet of int 13h AH=42h. */
	.balign 4
dap:
	.byte	0x10, 0			/* size of the packet, reserved */
	.word	payload_sectors		/* from dmachk.ld */
	.word	0x7e00, 0		/* buffer offset, segment */
	.quad	1			/* first sector (LBA) */

	.balign 8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* CODE_SEL: base 0, 4 GiB, 32-bit, r-x */
	.quad	0x00cf92000000ffff	/* DATA_SEL: base 0, 4 GiB, rw- */
gdt_desc:
	.word	gdt_desc - gdt - 1
	.long	gdt

	.section .signature, "a"
	.byte	0x55, 0xaa

/*
 * The header, at byte 512 of the image (sector 1): what mode.sh patches.
 * Offsets are part of the interface with the test rigs (README.md).
 */
	.section .header, "a"
	.globl	header_mode, header_period
	.ascii	"DMACHK"		/* 512..517: magic */
header_mode:
	.byte	0			/* 518: mode, 0 = dma-check */
header_period:
	.byte	0			/* 519: toggle period in s, 0 = 20 */

	.section .bss
	.balign	16
	.space	8192
stack_top:

	.section .note.GNU-stack, "", @progbits
