@ SPDX-License-Identifier: BSD-2-Clause
@ Instructions the rewriter must refuse, each with the reason it gives
@ (`REFUSE: text` at the end of the line: an error at exactly that line,
@ naming the reason). Nothing else in the file may be refused.
	.syntax unified
	.arm
	.arch armv7-a
	.arch_extension virt
	.arch_extension sec
	.text
	subs	pc, pc, #4		@ REFUSE: computed from pc
	movs	pc, pc			@ REFUSE: computed from pc
	adds	pc, r0, pc		@ REFUSE: computed from pc
	adds	pc, r0, r1, lsl r2	@ REFUSE: register-shifted register
	msr	cpsr_c, pc		@ REFUSE: msr from pc
	ldm	r0!, {r1, r2}^		@ REFUSE: writeback is UNPREDICTABLE
	stmia	r0!, {r1}^		@ REFUSE: writeback is UNPREDICTABLE
	ldm	r0!, {r0, pc}^		@ REFUSE: writeback to a loaded base
	ldrt	r0, [r1]		@ REFUSE: unprivileged load/store
	strbt	r0, [r1], #1		@ REFUSE: unprivileged load/store
	ldrsht	r2, [r3]		@ REFUSE: unprivileged load/store
	smc	#0			@ REFUSE: secure monitor
	hvc	#1			@ REFUSE: hypervisor
	cps	#0x16			@ REFUSE: mode 0x16
	cps	#0x1a			@ REFUSE: mode 0x1a
	srsdb	sp!, #0x10		@ REFUSE: srs to mode 0x10
	srsdb	sp!, #0x1a		@ REFUSE: srs to mode 0x1a
	mrs	r0, elr_hyp		@ REFUSE: banked register
	msr	sp_hyp, r0		@ REFUSE: banked register
	mrs	r1, spsr_mon		@ REFUSE: banked register
	mrrc	p15, 1, r0, r0, c14	@ REFUSE: may not be the same
	ldc	p14, c5, [r0]		@ REFUSE: debug DTR
	stc	p14, c5, [r0, #4]	@ REFUSE: debug DTR
	.inst	0xf10c0080		@ REFUSE: spelt as .inst
	.inst	0xe1a00000, 0xe320f003	@ REFUSE: spelt as .inst
	mrs	r0, cpsr
	.macro	read_psr reg
	mrs	\reg, cpsr		@ REFUSE: macro arguments
	.endm
	.irp	r, r1, r2
	cpsid	i
	msr	cpsr_c, \r		@ REFUSE: macro arguments
	.endr
	.inst	0xe1a00000		@ a nop: fine
	bx	lr
	@ The MEM rewrite: a load or store whose base holds the GIC's address
	@ (tools/previrt/policy.py) in a form the runtime cannot emulate.
	mov	r3, #0x08000000
	ldr	pc, [r3]		@ REFUSE: with pc as a register
	str	pc, [r3, #4]		@ REFUSE: with pc as a register
	ldr	r3, [r3, #4]!		@ REFUSE: write-back into a transferred register
	movw	r3, #0
	movt	r3, #0x0801
	str	r3, [r3], #4		@ REFUSE: write-back into a transferred register
	mov	r3, #0x08000000
	ldr	r0, [r3, r3]!		@ REFUSE: write-back into a transferred register
	mov	r3, #0x08000000
	ldrd	r2, r3, [r3, #8]!	@ REFUSE: write-back into a transferred register
