@ SPDX-License-Identifier: BSD-2-Clause
@ Thumb-2 forms: 16- and 32-bit encodings, and sites inside IT blocks,
@ which the rewriter splits into one IT per remaining instruction.
	.syntax unified
	.thumb
	.arch armv7-a
	.arch_extension virt
	.text
	.thumb_func
thumb_forms:
	cpsid	i
	cpsie	if
	cpsid.w	aif
	cps	#0x12
	cpsie	i, #0x1f
	mrs	r0, cpsr
	mrs	r1, spsr
	msr	cpsr_c, r2
	msr	spsr_fsxc, r3
	mrs	r4, sp_usr
	msr	lr_irq, r5
	srsdb	sp!, #0x13
	srsia	sp, #0x1f
	rfeia	sp!
	rfedb	r0
	subs	pc, lr, #4
	subs	pc, lr, #0
	movs	pc, lr
	eret
	wfi
	wfe.w
	mcr	p15, 0, r0, c12, c0, 0
	mrc	p15, 0, r1, c13, c0, 4
	mrrc	p15, 1, r2, r3, c14
	svc	#1
	mcr	p15, 0, r0, c2, c0, 0
	msr	APSR_nzcvq, r0
it_blocks:
	it	eq
	mrseq	r0, cpsr
	ite	ne
	mrsne	r1, cpsr
	moveq	r2, #2
	itte	cs
	addcs	r3, r3, #1
	wfics
	wfecc
	ittet	gt
	movgt	r4, #4
	mcrgt	p15, 0, r4, c13, c0, 4
	movle	r5, #5
	svcgt	#3
	bx	lr
