/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reset entry of previrt.elf: set up a real SVC stack and vector table
 * (only for real_semihost), the runtime, then run the cases in real User
 * mode, where a sensitive instruction the rewriter missed would misbehave.
 */
	.syntax unified
	.arm
	.arch armv7-a
	.arch_extension virt
#include "hyp_drop.inc"
	.section .text.boot, "ax"
	.global _start
	.type _start, %function
_start:
	HYP_DROP
	ldr	sp, =0x40300000
	ldr	r0, =real_vectors
	mcr	p15, 0, r0, c12, c0, 0
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	bl	glue_init
	cps	#0x1f
	ldr	sp, =0x40310000
	cps	#0x10			@ User mode from here on
	bl	run_all
2:	b	2b
	.size _start, . - _start

/* uint32_t real_semihost(op, arg): from User mode, through a real svc. */
	.global real_semihost
	.type real_semihost, %function
real_semihost:
	svc	#0
	bx	lr
	.size real_semihost, . - real_semihost

	.balign 32
real_vectors:
	b	.
	b	.
	b	real_svc
	b	.
	b	.
	b	.
	b	.
	b	.
real_svc:
	svc	0x123456		@ QEMU semihosting, from SVC mode
	movs	pc, lr
