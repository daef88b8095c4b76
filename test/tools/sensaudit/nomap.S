/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Code without mapping symbols: the build strips every $a/$t/$d from the
 * linked image, so sensaudit must fall back to the FUNC symbols (Thumb when
 * the symbol value has bit 0 set, else ARM). The audit of this image is also
 * compared line by line with nomap.expected, which pins the plain format.
 */
	.syntax unified
	.arch armv7-a
	.arch_extension sec
#include "expect.inc"
	.text

FUNC arm_nomap, arm
	nop
	X cps; cpsid i
	X psr; mrs r0, cpsr
	bx lr
	.size arm_nomap, . - arm_nomap

FUNC thumb_nomap, thumb
	nop
	X cps; cpsid i
	X wfi_wfe; wfi
	X psr; msr cpsr_c, r0
	X exception_return; subs pc, lr, #4
	.size thumb_nomap, . - thumb_nomap

	.align 2
FUNC arm_nomap_tail, arm
	XT smc; smc #0
	bx lr
	.size arm_nomap_tail, . - arm_nomap_tail
