@ SPDX-License-Identifier: BSD-2-Clause
@ Thumb-2 refusals: IT blocks the rewriter cannot follow, and .inst.
	.syntax unified
	.thumb
	.text
	.macro	move_eq
	moveq	r1, r2
	.endm
	.thumb_func
f:	itt	eq
	move_eq
	mrseq	r0, cpsr		@ REFUSE: IT block the rewriter cannot follow
	ite	ne
	movne	r3, #1
1:	wfieq				@ REFUSE: IT block the rewriter cannot follow
	.inst.n	0xb672			@ REFUSE: spelt as .inst
	.inst.w	0xf3ef8000		@ REFUSE: spelt as .inst
	subs	pc, lr, #4
	bx	lr
