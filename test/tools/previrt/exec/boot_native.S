/* SPDX-License-Identifier: BSD-2-Clause */
/* Reset entry of native.elf: run the cases in SVC mode, MMU off. */
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
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	bl	run_all
2:	b	2b
	.size _start, . - _start
