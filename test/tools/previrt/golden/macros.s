@ SPDX-License-Identifier: BSD-2-Clause
@ Sites inside .macro, .rept and .irp bodies and .if arms, numeric local
@ labels of the file's own, divided syntax, several statements on a line,
@ comments, and a macro from an included file.
	.syntax divided
	.arm
	.text
	.include "macros.inc"

	.macro	save_psr
	str	r0, [sp, #-4]		@ comment; with @ and ;
	stmia	r0, {r1-r14}^		@ user bank
	mrs	r1, spsr
	.endm

	.macro	mask_all mode
	cpsid	aif
	.endm

entry:	save_psr
	mask_all 0x13
	.rept	2
	wfi
	.endr
	.irp	r, r0, r1
	mov	\r, #0
	wfe
	.endr
	.if	1
	cpsie	i
	.else
	cpsid	i
	.endif
1:	cpsid	i ; mrs r0, cpsr ; b 1b	/* a block comment ; @ */
91910:	b	91910b
	ldmnefd	sp!, {r0, pc}^
	movnes	pc, lr
	irq_off
	/* cpsid i: in a comment, not code */
	.ascii	"cpsid i ; @"
