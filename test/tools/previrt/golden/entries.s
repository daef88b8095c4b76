@ SPDX-License-Identifier: BSD-2-Clause
@ The fused exception-entry save (rewriter.py fuse_exception_entries, op
@ STM_USR_MRS): `stm Rn, {...}^`, loads and stores with an immediate offset
@ that name neither Rd nor pc, then `mrs Rd, spsr`: one call (the mrs moved
@ up to the stm, its place a nop; the loads and stores stay). Every other
@ site below must stay two calls, each for the reason its comment names.
	.syntax unified
	.arm
	.text
fused_native:				@ arch/native's save_ctx
	stmia	r0, {r1-r14}^
	str	lr, [r0, #60 - 4]
	mrs	r1, spsr
	str	r1, [r0, #60]
fused_adjacent:				@ nothing between, another list and base
	stmia	r3, {r4-r7}^
	mrs	r2, spsr
fused_other_mode:			@ db, loads, byte and write-back forms between
	stmdb	sp, {r0-r12, sp, lr}^
	ldr	r4, [r5, #-8]
	strb	r6, [r5, #3]!
	ldr	r7, [sp, #-4]
	mrs	r8, spsr
fused_in_macro:
	.macro	save_bank
	stmia	r2, {r0-r14}^
	str	lr, [r2, #60]
	mrs	r3, spsr
	.endm
	save_bank
label_on_mrs:				@ a label: code may branch to the mrs
	stmia	r0, {r1-r14}^
	str	lr, [r0, #56]
1:	mrs	r1, spsr
label_on_str:				@ a label between
	stmia	r0, {r1-r14}^
2:	str	lr, [r0, #56]
	mrs	r1, spsr
str_of_rd:				@ the store reads Rd: it must see the old value
	stmia	r0, {r1-r14}^
	str	r1, [r0, #56]
	mrs	r1, spsr
load_into_rd:				@ the load writes Rd
	stmia	r0, {r1-r14}^
	ldr	r1, [r0, #56]
	mrs	r1, spsr
base_rd:				@ Rd is a base between
	stmia	r0, {r1-r14}^
	str	lr, [r1, #56]
	mrs	r1, spsr
register_offset:			@ not an immediate offset
	stmia	r0, {r1-r14}^
	str	lr, [r0, r2]
	mrs	r1, spsr
literal_load:				@ pc-relative
	stmia	r0, {r1-r14}^
	ldr	r4, =0x12345678
	mrs	r1, spsr
conditional_str:			@ a condition between
	stmia	r0, {r1-r14}^
	streq	lr, [r0, #56]
	mrs	r1, spsr
other_instruction:			@ an instruction that is no load or store
	stmia	r0, {r1-r14}^
	add	r4, r4, #1
	mrs	r1, spsr
conditional_stm:
	stmiaeq	r0, {r1-r14}^
	mrs	r1, spsr
conditional_mrs:
	stmia	r0, {r1-r14}^
	mrsne	r1, spsr
mrs_cpsr:				@ the CPSR, not the SPSR
	stmia	r0, {r1-r14}^
	mrs	r1, cpsr
ldm_not_stm:
	ldmia	r0, {r1-r14}^
	mrs	r1, spsr
directive_between:
	stmia	r0, {r1-r14}^
	.balign	4
	mrs	r1, spsr
too_far:				@ more than eight loads and stores between
	stmia	r0, {r1-r14}^
	str	lr, [r0, #56]
	str	lr, [r0, #56]
	str	lr, [r0, #56]
	str	lr, [r0, #56]
	str	lr, [r0, #56]
	str	lr, [r0, #56]
	str	lr, [r0, #56]
	str	lr, [r0, #56]
	str	lr, [r0, #56]
	mrs	r1, spsr
