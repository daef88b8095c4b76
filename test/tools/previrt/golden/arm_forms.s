@ SPDX-License-Identifier: BSD-2-Clause
@ Every form the rewriter handles in ARM state, the forms it leaves to
@ trap, and look-alikes it must leave alone. The expected rewrite and
@ report are arm_forms.s.rewritten and arm_forms.s.report.
	.syntax unified
	.arm
	.arch armv7-a
	.arch_extension virt
	.arch_extension sec
	.fpu	vfpv4
	.text
	.equ	MODE_IRQ, 0x12
	tmp	.req	r7

cps_forms:
	cpsid	i
	cpsid	aif
	cpsie	if
	cps	#0x13
	cps	#MODE_IRQ
	cpsid	i, #0x1f
	CPSIE	A, #0x17
psr_forms:
	mrs	r0, cpsr
	mrs	ip, apsr
	mrs	lr, CPSR
	mrs	sp, spsr
	mrsne	r3, cpsr
	mrsgt	tmp, spsr
	msr	cpsr_c, r0
	msr	cpsr_x, r1
	msr	cpsr_fc, r2
	msr	cpsr_fsxc, r3
	msr	CPSR_cxsf, r4
	msr	spsr_f, r5
	msr	spsr_fsxc, lr
	msr	cpsr_c, #0xd3
	msr	spsr_fc, #0xf0000000
	msreq	cpsr_c, r6
	mrs	r0, sp_usr
	mrs	r1, lr_irq
	mrs	r2, spsr_svc
	mrs	r3, r8_fiq
	msr	sp_und, r0
	msr	spsr_abt, r1
	msr	r12_usr, r2
srs_rfe_forms:
	srsdb	sp!, #0x13
	srsia	sp, #0x1f
	srsib	sp!, #0x12
	srsda	sp, #0x1b
	srsfd	sp!, #0x17
	rfeia	sp!
	rfedb	r0
	rfeib	r1!
	rfeda	lr
	rfefd	sp!
exception_returns:
	subs	pc, lr, #4
	subs	pc, lr, #8
	movs	pc, lr
	movseq	pc, lr
	subsne	pc, lr, #4
	adds	pc, r0, r1, lsl #2
	ands	pc, r2, #0xff00
	mvns	pc, r3
	rsbs	pc, r0, #0
	movs	pc, r4, rrx
	lsrs	pc, r5, #1
	eret
	ereteq
	ldmfd	sp!, {r0-r3, pc}^
	ldm	sp!, {pc}^
	ldmib	r0, {r4, pc}^
	ldmfdne	sp!, {r4, pc}^
	ldmdb	r1, {r0-r12, pc}^
user_registers:
	ldm	sp, {r0-r14}^
	ldmda	r0, {r13, r14}^
	stmdb	sp, {r13, r14}^
	stmia	r0, {r0-r15}^
	stmib	r1, {r8-r12}^
	stmfdeq	sp, {lr}^
waits:
	wfi
	wfe
	wfine
	wfeeq
coprocessor:
	mcr	p15, 0, r0, c12, c0, 0
	mrc	p15, 0, r1, c12, c0, 0
	mcr	p15, 0, r2, c13, c0, 4
	mrc	p15, 0, r3, c13, c0, 3
	mcr	p15, 0, r4, c13, c0, 3
	mcr	p15, 0, r5, c13, c0, 2
	mrc	p15, 0, r6, c5, c0, 0
	mrc	p15, 0, r7, c6, c0, 2
	mcr	p15, 0, r0, c7, c5, 6
	mrc	p15, 0, r0, c9, c13, 0
	mcr	p15, 0, r1, c9, c12, 5
	mrc	p15, 0, r0, c14, c0, 0
	mcr	p15, 0, r1, c14, c3, 1
	mrrc	p15, 1, r0, r1, c14
	mcrr	p15, 3, r2, r3, c14
	mrc	p14, 0, APSR_nzcv, c0, c1, 0
	mrc	p14, 7, r0, c0, c0, 0
	mcreq	p15, 0, r0, c12, c0, 0
	mrcne	p15, 0, r0, c13, c0, 4
calls:
	svc	#0
	svc	0x123456
	svcne	#42
	swi	7
left_to_trap:
	mcr	p15, 0, r0, c1, c0, 0
	mrc	p15, 0, r0, c0, c0, 0
	mcr	p15, 0, r0, c2, c0, 0
	mcr	p15, 0, r0, c13, c0, 1
	mcr	p15, 0, r0, c8, c7, 0
	mcr	p15, 0, r0, c7, c5, 0
	mcrr	p15, 0, r0, r1, c2
	mrc	p14, 0, r0, c0, c0, 0
	cdp	p15, 0, c0, c1, c2, 0
	mcr2	p15, 0, r0, c1, c0, 0
	mcr	p7, 0, r0, c1, c0, 0
	vmrs	r0, fpexc
	vmsr	fpexc, r0
	fmrx	r1, fpsid
alone:
	msr	APSR_nzcvq, r0
	msr	APSR_g, r1
	msr	APSR_nzcvqg, #0
	msr	cpsr_f, r2
	ldm	sp!, {r0-r3, pc}
	stmdb	sp!, {r4, lr}
	mov	pc, lr
	add	pc, pc, r0, lsl #2
	ldr	pc, [sp], #4
	mcr	p15, 0, r0, c7, c10, 5
	mcr	p15, 0, r0, c7, c5, 4
	vmrs	r0, fpscr
	vmrs	APSR_nzcv, fpscr
	ldr	r0, =0xf10c0080
	.word	0xf10c0080		@ data (a literal), never an instruction
	nop
	yield
	sev
	bkpt	#1
	udf	#0
1:	b	1b
