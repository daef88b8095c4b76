@ SPDX-License-Identifier: BSD-2-Clause
@ The fused context resume (rewriter.py fuse_context_resumes, op LDM_USR_RFE):
@ `ldm Rn, {...}^`, nops, `add Rn, Rn, #imm`, `rfe Rn`. The first three are
@ fused (one call; the add stays, the rfe becomes udf #0: never reached); every other
@ site below must stay two calls, each for the reason its comment names.
	.syntax unified
	.arm
	.text
fused:
	ldmia	lr, {r0-r14}^
	nop
	add	lr, lr, #60
	rfeia	lr
fused_no_nop_hex:
	ldmia	r3, {r4-r14}^
	add	r3, r3, #0x2c
	rfedb	r3!
fused_two_nops:
	ldmib	r5, {r0-r4}^
	nop
	nop
	add	r5, r5, #0
	rfeia	r5
label_on_add:
	ldmia	lr, {r0-r14}^
1:	add	lr, lr, #60
	rfeia	lr
label_on_rfe:
	ldmia	lr, {r0-r14}^
	add	lr, lr, #60
2:	rfeia	lr
conditional_ldm:
	ldmiaeq	lr, {r0-r14}^
	add	lr, lr, #60
	rfeia	lr
conditional_add:
	ldmia	lr, {r0-r14}^
	addne	lr, lr, #60
	rfeia	lr
other_base_add:
	ldmia	lr, {r0-r14}^
	add	lr, r1, #60
	rfeia	lr
other_base_rfe:
	ldmia	lr, {r0-r14}^
	add	lr, lr, #60
	rfeia	r2
flags_add:
	ldmia	lr, {r0-r14}^
	adds	lr, lr, #60
	rfeia	lr
large_imm:
	ldmia	lr, {r0-r14}^
	add	lr, lr, #0x1000
	rfeia	lr
symbolic_imm:
	ldmia	lr, {r0-r14}^
	add	lr, lr, #(4 * 15)
	rfeia	lr
something_between:
	ldmia	lr, {r0-r14}^
	mov	r0, r0
	add	lr, lr, #60
	rfeia	lr
stm_not_ldm:
	stmia	lr, {r0-r14}^
	add	lr, lr, #60
	rfeia	lr
