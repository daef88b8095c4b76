/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential cases for the rewriting assembler and the guest runtime.
 *
 * This file is assembled twice: as it is (native.elf, run privileged on
 * bare QEMU) and through tools/previrt (previrt.elf, run in User mode
 * against the runtime). Each case starts from one known machine state
 * (reset_state, load_regs), runs sensitive instructions, and dumps the
 * whole visible state (every mode's banked registers and SPSR, r0-r15,
 * CPSR, the emulated system registers). The two images must print the
 * same dumps: every register and flag the instruction does not change
 * survives the rewrite, and the runtime changes the others as the
 * hardware does. The dump code uses cps/mrs/msr itself, so it is part of
 * what is checked.
 *
 * The case code is linked first in both images, so its addresses (return
 * addresses, labels, the vector table) are the same in both.
 */
	.syntax unified
	.arm
	.arch armv7-a
	.arch_extension virt
	.arch_extension sec

#define STACKS 0x40200000
#define STACK_TOP(i) (STACKS + 0x1000 * (i))
#define SCRATCH 0x40208000	/* data for ldm/stm cases: no stack reaches it */

	.text
	.global cases_text_start	/* the runner maps code addresses in here to lines */
cases_text_start:
	.balign 32
	.global test_vectors
test_vectors:
	b	vec_bad
	b	vec_und
	b	vec_svc
	b	vec_bad
	b	vec_bad
	b	vec_bad
	b	vec_bad
	b	vec_bad

/* Cases are functions (AAPCS) listed in section case_table as {fn, name}. */
.macro CASE name
	.pushsection .rodata.case_names, "a"
9:	.asciz	"\name"
	.popsection
	.pushsection case_table, "a"
	.word	case_\name, 9b
	.popsection
	.global case_\name
	.type case_\name, %function
case_\name:
	push	{r4-r11, lr}
	ldr	r0, =case_saved_sp
	str	sp, [r0]
	bl	reset_state
	bl	load_regs
.endm

.macro END_CASE
	cpsid	aif, #0x13
	ldr	sp, =case_saved_sp
	ldr	sp, [sp]
	pop	{r4-r11, pc}
	.ltorg
.endm

/* From Thumb code (word-aligned here) on in ARM state. */
.macro TO_ARM
	.balign 4
	bx	pc
	nop
	.arm
.endm

/* Record r0-r14 and CPSR below sp (which must be valid), then everything
 * else; r0-r14 and the flags are as before (the 64 bytes below sp are not). */
.macro DUMP id
	stmdb	sp, {r0-r14}
	sub	sp, sp, #64
	mrs	r0, cpsr
	str	r0, [sp]
	mov	r0, sp
	mov	r1, #\id
	bl	dump_record
	ldr	r0, [sp]
	msr	APSR_nzcvqg, r0
	ldr	lr, [sp, #60]
	ldmib	sp, {r0-r12}
	add	sp, sp, #64
.endm

/*
 * dump_record(record, id): record = {CPSR, r0-r14}; read every mode's sp, lr, SPSR (and FIQ's
 * r8-r12) by visiting the modes, go back to the recorded mode, print.
 * Clobbers r0-r7 and the flags; returns in the mode it was called in.
 */
	.type dump_record, %function
dump_record:
	mov	r4, r0
	mov	r5, r1
	mov	r6, lr
	ldr	r7, =dump_banks
	cps	#0x11
	stmia	r7!, {r8-r14}
	mrs	r0, spsr
	str	r0, [r7], #4
	cps	#0x12
	stmia	r7!, {r13, r14}
	mrs	r0, spsr
	str	r0, [r7], #4
	cps	#0x13
	stmia	r7!, {r13, r14}
	mrs	r0, spsr
	str	r0, [r7], #4
	cps	#0x17
	stmia	r7!, {r13, r14}
	mrs	r0, spsr
	str	r0, [r7], #4
	cps	#0x1b
	stmia	r7!, {r13, r14}
	mrs	r0, spsr
	str	r0, [r7], #4
	cps	#0x1f
	stmia	r7!, {r8-r14}
	mrc	p15, 0, r0, c12, c0, 0		@ VBAR
	mrc	p15, 0, r1, c13, c0, 2		@ TPIDRURW
	mrc	p15, 0, r2, c13, c0, 3		@ TPIDRURO
	mrc	p15, 0, r3, c13, c0, 4		@ TPIDRPRW
	stmia	r7!, {r0-r3}
	mrc	p15, 0, r0, c5, c0, 0		@ DFSR
	mrc	p15, 0, r1, c5, c0, 1		@ IFSR
	mrc	p15, 0, r2, c6, c0, 0		@ DFAR
	mrc	p15, 0, r3, c6, c0, 2		@ IFAR
	stmia	r7!, {r0-r3}
	ldr	r0, [r4]
	msr	cpsr_c, r0			@ back to the recorded mode, A, I, F
	mov	r0, r5
	mov	r1, r4
	ldr	r2, =dump_banks
	bl	print_dump
	bx	r6
	.ltorg
	.size dump_record, . - dump_record

/* Every mode's sp, lr and SPSR, FIQ's r8-r12, the system registers. */
	.type reset_state, %function
reset_state:
	mov	r7, lr
	cpsid	aif, #0x11
	ldr	sp, =STACK_TOP(1)
	ldr	lr, =0x11111111
	ldr	r0, =0x200000d1
	msr	spsr_fsxc, r0
	ldr	r8, =0xf8f8f8f8
	ldr	r9, =0xf9f9f9f9
	ldr	r10, =0xfafafafa
	ldr	r11, =0xfbfbfbfb
	ldr	r12, =0xfcfcfcfc
	cps	#0x12
	ldr	sp, =STACK_TOP(2)
	ldr	lr, =0x12121212
	ldr	r0, =0x400001d2
	msr	spsr_fsxc, r0
	cps	#0x17
	ldr	sp, =STACK_TOP(4)
	ldr	lr, =0x17171717
	ldr	r0, =0x80000197
	msr	spsr_fsxc, r0
	cps	#0x1b
	ldr	sp, =STACK_TOP(5)
	ldr	lr, =0x1b1b1b1b
	ldr	r0, =0x1000005b
	msr	spsr_fsxc, r0
	cps	#0x1f
	ldr	sp, =STACK_TOP(6)
	ldr	lr, =0x1f1f1f1f
	cps	#0x13
	ldr	sp, =STACK_TOP(3)
	ldr	r0, =0x60000113
	msr	spsr_fsxc, r0
	ldr	r0, =test_vectors
	mcr	p15, 0, r0, c12, c0, 0
	ldr	r0, =0xc0de0001
	mcr	p15, 0, r0, c13, c0, 2
	ldr	r0, =0xc0de0002
	mcr	p15, 0, r0, c13, c0, 3
	ldr	r0, =0xc0de0003
	mcr	p15, 0, r0, c13, c0, 4
	mov	r0, #0
	mcr	p15, 0, r0, c5, c0, 0
	mcr	p15, 0, r0, c5, c0, 1
	mcr	p15, 0, r0, c6, c0, 0
	mcr	p15, 0, r0, c6, c0, 2
	bx	r7
	.ltorg
	.size reset_state, . - reset_state

/* r0-r12 to patterns, flags N C Q GE=0101 set, lr to a pattern. */
	.type load_regs, %function
load_regs:
	mov	r12, lr
	ldr	r0, =0xa8050000
	msr	APSR_nzcvqg, r0
	ldr	r0, =0x00000010
	ldr	r1, =0x01010101
	ldr	r2, =0x02020202
	ldr	r3, =0x03030303
	ldr	r4, =0x04040404
	ldr	r5, =0x05050505
	ldr	r6, =0x06060606
	ldr	r7, =0x07070707
	ldr	r8, =0x08080808
	ldr	r9, =0x09090909
	ldr	r10, =0x0a0a0a0a
	ldr	r11, =0x0b0b0b0b
	mov	lr, r12
	ldr	r12, =0x0c0c0c0c
	mov	pc, lr
	.size load_regs, . - load_regs

	.type vec_svc, %function
vec_svc:
	push	{r0-r12, lr}
	DUMP	90
	pop	{r0-r12, lr}
	movs	pc, lr
	.size vec_svc, . - vec_svc

	.type vec_und, %function
vec_und:
	mov	r0, #3
	b	test_exit
vec_bad:
	mov	r0, #4
	b	test_exit
	.size vec_und, . - vec_und

/* test_exit(status): semihosting SYS_EXIT_EXTENDED. */
	.global test_exit
	.type test_exit, %function
test_exit:
	ldr	r1, =exit_block
	str	r0, [r1, #4]
	mov	r0, #0x20
	svc	0x123456
1:	b	1b
	.size test_exit, . - test_exit

/* --- cps ------------------------------------------------------------------ */
CASE cps_masks
	cpsie	i
	DUMP	1
	cpsie	af
	DUMP	2
	cpsid	a
	DUMP	3
	cpsid	if
	DUMP	4
END_CASE

CASE cps_modes
	cps	#0x12
	DUMP	1
	cps	#0x1f
	DUMP	2
	cpsie	i, #0x17
	DUMP	3
	cpsid	aif, #0x1b
	DUMP	4
	cps	#0x13
	DUMP	5
END_CASE

CASE cps_fiq_bank
	mov	r8, #0x88
	cps	#0x11
	mov	r9, #0x99
	DUMP	1
	cps	#0x13
	DUMP	2
END_CASE

/* No stack anywhere: the rewritten instructions must not need one. */
CASE no_stack
	mov	sp, #0
	cpsie	i
	cps	#0x12
	mov	sp, #1
	cps	#0x13
	mrs	r5, cpsr
	mov	r6, sp
	ldr	sp, =STACK_TOP(3)
	DUMP	1
END_CASE

/* The entry of a critical section, mrs then cpsid i: the rewriter fuses
 * the pair into one call (MRS_CPSID) unless the cpsid has a label. */
CASE mrs_cpsid
	cpsie	i
	mrs	r3, cpsr
	cpsid	i
	DUMP	1
	mrs	r4, cpsr
	cpsid	i
	DUMP	2
	cpsie	if
	mrs	r5, cpsr
1:	cpsid	i
	DUMP	3
	cpsie	i
	mrs	r6, cpsr
	cpsid	if			@ not only i: not fused
	DUMP	4
END_CASE

/* Inline stubs (tools/previrt/contract.py): a critical section's entry
 * and exit as compiled C has them, each returning at once, so ip and the
 * flags are dead and the rewriter does them without a runtime call. The
 * caller sets ip and the flags after each call (they are dead), then
 * dumps: the result (the virtual CPSR with the flags and GE bits that were
 * set before the call, and its I bit) and every other register must be as
 * natively; cpsie_twice shows an enable of an enabled state changes
 * nothing. */
	.type istub_save_r0, %function
istub_save_r0:
	mrs	r0, cpsr
	cpsid	i
	bx	lr

	.type istub_save_r3, %function
istub_save_r3:
	push	{r4, lr}
	mrs	r3, cpsr
	cpsid	i
	pop	{r4, pc}

	.type istub_save_r2, %function
istub_save_r2:
	push	{lr}
	mrs	r2, cpsr
	cpsid	i
	.syntax unified			@ what gcc puts after inline assembly
	.arm
	ldmfd	sp!, {pc}

	.type istub_restore, %function
istub_restore:
	tst	r0, #0x80
	bne	1f
	cpsie	i
1:	bx	lr

.macro DEAD_IP_FLAGS
	mov	ip, #0x5a
	msr	APSR_nzcvqg, #0x50000000
.endm

CASE inline_stubs
	cpsie	i
	msr	APSR_nzcvqg, #0xa0000000
	bl	istub_save_r0		@ I was clear: r0 has it clear, now set
	DEAD_IP_FLAGS
	DUMP	1
	ldr	r1, =0x380f0000		@ Z C V Q, GE
	msr	APSR_nzcvqg, r1
	bl	istub_save_r3		@ I was set
	DEAD_IP_FLAGS
	DUMP	2
	bl	istub_restore		@ r0's I clear: enabled again
	DEAD_IP_FLAGS
	DUMP	3
	mov	r0, #0x80
	cpsid	i
	bl	istub_restore		@ r0's I set: stays masked
	DEAD_IP_FLAGS
	DUMP	4
	mov	r0, #0
	bl	istub_restore		@ enabled, then cpsie_twice
	bl	istub_restore
	cps	#0x1f			@ System mode: M in the result
	bl	istub_save_r2
	DEAD_IP_FLAGS
	DUMP	5
	cps	#0x13
END_CASE

/* --- mrs, msr ------------------------------------------------------------- */
CASE mrs_cpsr
	mrs	r0, cpsr
	mrs	r12, apsr
	mrs	lr, cpsr
	cmp	r0, r0
	mrseq	r1, cpsr
	mrsne	r2, cpsr
	DUMP	1
END_CASE

CASE mrs_spsr
	mrs	r3, spsr
	cps	#0x17
	mrs	r4, spsr
	DUMP	1
END_CASE

CASE msr_cpsr
	ldr	r0, =0x00000192
	msr	cpsr_c, r0
	DUMP	1
	ldr	r1, =0xf00f0013
	msr	cpsr_fsxc, r1
	DUMP	2
	msr	cpsr_c, #0xd7
	DUMP	3
	ldr	r2, =0x50000013
	msr	cpsr_fc, r2
	DUMP	4
	ldr	r0, =0x00000192
	msr	cpsr_x, r0
	DUMP	5
END_CASE

CASE msr_spsr
	ldr	r0, =0x800001ff
	msr	spsr_fsxc, r0
	DUMP	1
	ldr	r0, =0x11223344
	msr	spsr_c, r0
	DUMP	2
	msr	spsr_f, #0x40000000
	DUMP	3
	ldr	r0, =0x11223344
	msr	spsr_sx, r0
	DUMP	4
END_CASE

CASE msr_conditional
	cmp	r0, #0
	msreq	cpsr_c, #0x12
	DUMP	1
	msrne	cpsr_c, #0x1b
	DUMP	2
END_CASE

CASE banked
	mrs	r0, sp_usr
	mrs	r1, lr_irq
	mrs	r2, spsr_abt
	mrs	r3, r8_fiq
	mrs	r4, sp_und
	DUMP	1
	ldr	r1, =0x5ec01
	ldr	r2, =0x5ec02
	ldr	r3, =0x5ec03
	ldr	r4, =0x5ec04
	msr	sp_und, r1
	msr	lr_usr, r2
	msr	spsr_fiq, r3
	msr	r10_fiq, r4
	DUMP	2
	cps	#0x11
	mrs	r5, r9_usr
	ldr	r6, =0x5ec06
	msr	r11_usr, r6
	DUMP	3
END_CASE

/* --- srs, rfe ------------------------------------------------------------- */
CASE srs
	ldr	lr, =0x5a5a5a5a
	srsdb	sp!, #0x12
	DUMP	1
	ldr	lr, =0x5a5a0002
	srsia	sp, #0x17
	DUMP	2
	srsib	sp!, #0x13
	DUMP	3
	srsda	sp, #0x1b
	DUMP	4
	ldr	r0, =STACK_TOP(2) - 8
	ldm	r0, {r1, r2}
	ldr	r0, =STACK_TOP(4)
	ldm	r0, {r3, r4}
	DUMP	5
END_CASE

CASE rfe
	ldr	r0, =STACK_TOP(3) - 16
	adr	r1, 1f
	ldr	r2, =0x80000112
	stm	r0, {r1, r2}
	rfeia	r0!
1:	DUMP	1
	ldr	r0, =STACK_TOP(2) - 16
	adr	r1, 2f
	ldr	r2, =0x400001d3
	stmdb	r0, {r1, r2}
	rfedb	r0
2:	DUMP	2
	ldr	r3, =STACK_TOP(3) - 32
	adr	r1, 3f
	ldr	r2, =0x20000193
	stmib	r3, {r1, r2}
	rfeib	r3!
3:	DUMP	3
END_CASE

/* rfe to User mode: rfeia (the runtime's fast path) and rfedb (its slow
 * path, previrt_emulate), each back to SVC mode by an svc whose vector
 * (rfe_user_vectors) continues the case after it in SVC mode. */
CASE rfe_user
	ldr	r0, =rfe_user_vectors
	mcr	p15, 0, r0, c12, c0, 0
	ldr	r0, =STACK_TOP(3) - 16
	adr	r1, 1f
	ldr	r2, =0x80000010
	stm	r0, {r1, r2}
	rfeia	r0!
1:	svc	#1
	DUMP	1
	ldr	r0, =STACK_TOP(2) - 16
	adr	r1, 2f
	ldr	r2, =0x20000150
	stmdb	r0, {r1, r2}
	rfedb	r0
2:	svc	#2
	DUMP	2
END_CASE

	.balign	32
rfe_user_vectors:
	b	vec_bad
	b	vec_und
	bx	lr			@ svc: on after it, in SVC mode
	b	vec_bad
	b	vec_bad
	b	vec_bad
	b	vec_bad
	b	vec_bad

/* --- exception returns ---------------------------------------------------- */
CASE subs_pc_lr
	ldr	r0, =0xa0000192
	msr	spsr_fsxc, r0
	adr	lr, 1f
	add	lr, lr, #4
	subs	pc, lr, #4
	udf	#0
1:	DUMP	1
END_CASE

/* The exception returns' fast path (previrt_fast_dp_ret) from ARM code to
 * the other states and modes: to Thumb code in SVC mode, from IRQ and
 * from Abort mode; to User mode (back in SVC mode by an svc, as in
 * rfe_user). */
CASE dp_ret_targets
	cps	#0x12
	ldr	r0, =0x600001b3			@ SVC mode, Thumb
	msr	spsr_fsxc, r0
	adr	lr, 1f
	add	lr, lr, #4
	subs	pc, lr, #4
	udf	#0
	.thumb
	.balign 4
1:	TO_ARM
	.arm					@ (for the rewriter: TO_ARM's)
	DUMP	1
	cps	#0x17
	ldr	r0, =0x90000033			@ SVC mode, Thumb, interrupts on
	msr	spsr_fsxc, r0
	adr	lr, 2f
	movs	pc, lr
	udf	#0
	.thumb
	.balign 4
2:	TO_ARM
	.arm					@ (for the rewriter: TO_ARM's)
	DUMP	2
	ldr	r0, =rfe_user_vectors
	mcr	p15, 0, r0, c12, c0, 0
	cps	#0x12
	ldr	r0, =0x80000010			@ User mode
	msr	spsr_fsxc, r0
	adr	lr, 3f
	add	lr, lr, #4
	subs	pc, lr, #4
	udf	#0
3:	svc	#3
	DUMP	3
END_CASE

CASE movs_pc
	ldr	r0, =0x000001d7
	msr	spsr_fsxc, r0
	adr	lr, 1f
	movs	pc, lr
	udf	#0
1:	DUMP	1
END_CASE

/* QEMU 7.2 treats only SUBS and MOVS (every operand form) as exception
 * returns; the other opcodes are in dp_ret_opcodes (previrt image only). */
CASE dp_pc_forms
	ldr	r0, =0x10000113
	msr	spsr_fsxc, r0
	adr	r4, 1f
	add	r4, r4, #12
	mov	r1, #3
	subs	pc, r4, r1, lsl #2
	udf	#0
1:	DUMP	1
	adr	r6, 2f
	mov	r8, r6, ror #8
	movs	pc, r8, ror #24
	udf	#0
2:	DUMP	2
	adr	r9, 3f
	add	r9, r9, #0x40
	mov	r10, #0x40
	subs	pc, r9, r10
	udf	#0
3:	DUMP	3
	adr	r11, 4f
	mov	r11, r11, lsr #2
	movs	pc, r11, lsl #2
	udf	#0
4:	DUMP	4
	msr	APSR_nzcvq, #0			@ C = 0: rrx shifts it into bit 31
	adr	r12, 5f
	mov	r12, r12, lsl #1
	movs	pc, r12, rrx
	udf	#0
5:	DUMP	5
END_CASE

CASE exc_return_cond
	ldr	r0, =0x000001d2
	msr	spsr_fsxc, r0
	adr	lr, 1f
	cmp	r0, #0
	movseq	pc, lr
	DUMP	1
	adr	lr, 1f
	mov	r0, #1
	cmp	r0, #0
	movsne	pc, lr
	udf	#0
1:	DUMP	2
END_CASE

CASE ldm_return
	ldr	r0, =0x800001d7
	msr	spsr_fsxc, r0
	sub	sp, sp, #20
	ldr	r0, =0x1000
	ldr	r1, =0x1001
	ldr	r2, =0x1002
	ldr	r3, =0x1003
	adr	r4, 1f
	stm	sp, {r0-r4}
	mov	r0, #0
	mov	r1, #0
	mov	r2, #0
	mov	r3, #0
	ldmfd	sp!, {r0-r3, pc}^
	udf	#0
1:	DUMP	1
	cps	#0x13
	ldr	r0, =0x40000113
	msr	spsr_fsxc, r0
	ldr	r5, =STACK_TOP(3) - 64
	adr	r1, 2f
	str	r1, [r5, #4]
	ldmib	r5, {pc}^
	udf	#0
2:	DUMP	2
	cps	#0x13
	ldr	r0, =0x20000113
	msr	spsr_fsxc, r0
	ldr	r6, =STACK_TOP(3) - 96
	ldr	r1, =0x2222
	adr	r2, 3f
	stmda	r6, {r1, r2}
	cmp	r6, #0
	ldmdane	r6!, {r9, pc}^
	udf	#0
3:	DUMP	3
END_CASE

/* --- ldm/stm ^ (user registers) ------------------------------------------- */
CASE stm_user
	ldr	r0, =SCRATCH
	stmia	r0, {r0-r15}^
	cps	#0x11
	ldr	r1, =SCRATCH + 0x100
	stmdb	r1, {r8-r14}^
	cps	#0x13
	ldr	r2, =SCRATCH
	ldm	r2, {r0-r7}
	DUMP	1
	ldr	r2, =SCRATCH + 32
	ldm	r2, {r0-r7}
	DUMP	2
	ldr	r2, =SCRATCH + 0x100 - 28
	ldm	r2, {r0-r6}
	DUMP	3
END_CASE

CASE ldm_user
	ldr	r0, =SCRATCH + 0x200
	ldr	r1, =0x7777
	ldr	r2, =0x8888
	ldr	r3, =0x9999
	stmdb	r0, {r1-r3}
	stm	r0, {r1-r3}
	ldmia	r0, {r12-r14}^
	DUMP	1
	cps	#0x11
	ldmib	r0, {r8, r9}^
	DUMP	2
	cps	#0x13
	ldmda	r0, {r4, r5}^
	DUMP	3
END_CASE

/* The tail of a native context switch, `ldm Rn, {...}^`, `nop`, `add Rn,
 * Rn, #imm`, `rfe Rn`: the rewriter makes it one call (LDM_USR_RFE). Each
 * part resumes a context at SCRATCH + 0x300 (r0-r12, the User sp and lr,
 * pc, cpsr; ctx_fill): 1 to SVC mode (the add shows in lr_svc), 2 to
 * System and 3 to User (back by an svc, rfe_user_vectors), all three the
 * runtime's fast path (2 and 3 its short path from SVC mode, 1 its
 * general one); 4 an rfedb with write-back after the fast load (the
 * runtime's fall-back to the slow rfe); 5 another list and base (the
 * slow path, previrt_emulate, for the whole); 6 from FIQ mode (slow); 7
 * with a label on the add (not fused: two calls); 8 to System with I and
 * F set (the short path, the exit masked); 9 to System from IRQ mode (the
 * general fast path); 8 and 9 back by an svc as 2. */
#define CTXAREA (SCRATCH + 0x300)

/* ctx_fill(cpsr in r1, pc in r2): the context at CTXAREA, r0-r12 =
 * 0xd0d0d0d0 + n * 0x01010101, sp = 0x5a5a0000 + n, lr = 0x1e1e0000 + n,
 * then pc, cpsr; at CTXAREA - 8 the same pc, cpsr (for an rfedb). */
	.type ctx_fill, %function
ctx_fill:
	ldr	r0, =CTXAREA
	ldr	r3, =0xd0d0d0d0
	ldr	r12, =0x01010101
	mov	r4, #0
1:	str	r3, [r0, r4, lsl #2]
	add	r3, r3, r12
	add	r4, r4, #1
	cmp	r4, #13
	bne	1b
	ldr	r3, =0x5a5a0000
	add	r3, r3, r1, lsr #24
	str	r3, [r0, #52]
	ldr	r3, =0x1e1e0000
	add	r3, r3, r1, lsr #24
	str	r3, [r0, #56]
	str	r2, [r0, #60]
	str	r1, [r0, #64]
	str	r2, [r0, #-8]
	str	r1, [r0, #-4]
	bx	lr
	.ltorg
	.size ctx_fill, . - ctx_fill

CASE ldm_rfe
	ldr	r0, =rfe_user_vectors
	mcr	p15, 0, r0, c12, c0, 0
	ldr	r1, =0x60000193			@ SVC, I set
	adr	r2, 1f
	bl	ctx_fill
	mov	lr, r0
	ldmia	lr, {r0-r14}^
	nop
	add	lr, lr, #60
	rfeia	lr
1:	DUMP	1
	ldr	r1, =0x9000001f			@ System, interrupts on
	adr	r2, 2f
	bl	ctx_fill
	mov	lr, r0
	ldmia	lr, {r0-r14}^
	nop
	add	lr, lr, #60
	rfeia	lr
2:	svc	#1
	DUMP	2
	ldr	r1, =0x30000010			@ User
	adr	r2, 3f
	bl	ctx_fill
	mov	lr, r0
	ldmia	lr, {r0-r14}^
	add	lr, lr, #0x3c
	rfeia	lr
3:	svc	#2
	DUMP	3
	ldr	r1, =0x500000d3			@ SVC, I and F set
	adr	r2, 4f
	bl	ctx_fill
	mov	lr, r0
	ldmia	lr, {r0-r14}^
	nop
	nop
	add	lr, lr, #0
	rfedb	lr!
4:	DUMP	4
	ldr	r1, =0x80000113			@ SVC, A set
	adr	r2, 5f
	bl	ctx_fill
	add	r3, r0, #16			@ r4.. from CTXAREA + 16
	ldmia	r3, {r4-r14}^
	add	r3, r3, #44
	rfeia	r3!
5:	DUMP	5
	ldr	r1, =0x20000193			@ SVC, from FIQ
	adr	r2, 6f
	bl	ctx_fill
	cps	#0x11
	mov	lr, r0
	ldmia	lr, {r0-r14}^
	nop
	add	lr, lr, #60
	rfeia	lr
6:	DUMP	6
	ldr	r1, =0x40000193
	adr	r2, 7f
	bl	ctx_fill
	mov	lr, r0
	ldmia	lr, {r0-r14}^
	nop
8:	add	lr, lr, #60
	rfeia	lr
7:	DUMP	7
	ldr	r1, =0x600000df			@ System, I and F set
	adr	r2, 9f
	bl	ctx_fill
	mov	lr, r0
	ldmia	lr, {r0-r14}^
	nop
	add	lr, lr, #60
	rfeia	lr
9:	svc	#3
	DUMP	8
	cps	#0x12				@ from IRQ mode
	ldr	r1, =0x9000001f			@ System, interrupts on
	adr	r2, 10f
	bl	ctx_fill
	mov	lr, r0
	ldmia	lr, {r0-r14}^
	nop
	add	lr, lr, #60
	rfeia	lr
10:	svc	#4
	DUMP	9
END_CASE

/* --- device loads and stores (the MEM rewrite) ----------------------------- *
 * The previrt image is rewritten with --previrt-devices=MMIO:0x2000 (the
 * SConscript), so loads and stores whose base the rewriter sees holding an
 * address in MMIO or NODEV become runtime calls; the bare glue's "device"
 * is the memory itself, except NODEV, where the runtime has no device and
 * the site takes its fallback (the original instruction). Natively all of
 * them are plain accesses to RAM. Each case ends with the memory it wrote,
 * read back with ldm (never rewritten). */
#define MMIO 0x40209000
#define NODEV 0x4020a000

.macro MEM_INIT base
	ldr	r0, =\base
	ldr	r1, =0x8081f2f3
	ldr	r2, =0x74757677
	ldr	r3, =0xc1c2c3c4
	ldr	r4, =0x01234567
	stm	r0, {r1-r4}
	bl	load_regs
.endm

.macro MEM_READBACK base
	ldr	r0, =\base
	ldm	r0, {r1-r4}
	DUMP	99
.endm

CASE mem_widths
	MEM_INIT MMIO
	ldr	r0, =MMIO
	ldr	r4, [r0, #4]		@ word
	ldrb	r5, [r0, #3]		@ 0x80
	ldrsb	r6, [r0, #3]		@ 0xffffff80
	ldrh	r7, [r0, #2]		@ 0x8081
	ldrsh	r8, [r0, #2]		@ 0xffff8081
	ldrsh	r9, [r0, #4]		@ 0x00007677
	ldrd	r10, r11, [r0, #8]
	DUMP	1
	ldr	r0, =MMIO		@ a macro invocation forgets r0's value
	str	r1, [r0]
	strb	r2, [r0, #4]
	strh	r3, [r0, #6]
	strd	r8, r9, [r0, #8]
	DUMP	2
	MEM_READBACK MMIO
END_CASE

CASE mem_modes
	MEM_INIT MMIO
	ldr	r0, =MMIO
	mov	r1, #4
	ldr	r2, [r0, r1]		@ register offset
	ldr	r3, [r0, r1, lsl #1]	@ scaled register
	ldr	r4, [r0, -r1, lsl #1]!	@ pre-indexed, negative, write-back: r0 = MMIO - 8
	DUMP	1
	ldr	r5, =MMIO
	ldr	r6, [r5], #4		@ post-indexed: r5 = MMIO + 4
	ldr	r7, =MMIO
	strh	r9, [r7, #2]!		@ pre-indexed halfword: r7 = MMIO + 2
	ldr	r8, =MMIO
	ldrsh	r10, [r8], r1		@ extra load, register post-indexed: r8 = MMIO + 4
	ldr	r11, =MMIO
	ldrd	r2, r3, [r11, #8]!	@ doubleword, write-back: r11 = MMIO + 8
	ldr	r12, =MMIO
	strb	r1, [r12, #-1]		@ below the first word, negative immediate
	ldr	r12, =MMIO
	ldrb	r12, [r12, #-1]		@ the loaded register is the base (no write-back)
	DUMP	2
	MEM_READBACK MMIO - 4
END_CASE

CASE mem_conditions
	MEM_INIT MMIO
	ldr	r0, =MMIO
	ldrne	r1, [r0]		@ Z clear: runs
	ldreq	r2, [r0]		@ does not
	strmi	r3, [r0, #8]		@ N set: runs
	strpl	r4, [r0, #12]		@ does not
	ldrbcs	r5, [r0, #1]
	ldrhvs	r6, [r0, #2]		@ V clear: does not
	ldrsbvc	r7, [r0, #3]
	DUMP	1
	ldr	r0, =MMIO
	cmp	r0, r0			@ Z C set, N V clear
	ldreq	r8, [r0, #4]
	ldrne	r9, [r0, #4]
	strheq	r10, [r0, #14]
	ldrdhi	r2, r3, [r0]		@ C and not Z: does not
	ldrdls	r4, r5, [r0]
	DUMP	2
	MEM_READBACK MMIO
END_CASE

CASE mem_fallback
	MEM_INIT NODEV
	ldr	r0, =NODEV
	ldr	r1, [r0]		@ no device there: the original instruction
	str	r2, [r0, #4]
	ldrsh	r3, [r0, #2]
	ldrb	r4, [r0, #1]!		@ with write-back: r0 = NODEV + 1
	ldr	r5, =NODEV
	ldrd	r6, r7, [r5, #8]
	DUMP	1
	ldr	r8, =MMIO
	mov	r9, #0x1000
	add	r10, r8, r9		@ MMIO plus a register: NODEV, found at run time
	ldr	r11, [r10, #12]
	strb	r9, [r10, #13]
	DUMP	2
	MEM_READBACK NODEV
END_CASE

/* The transfers of a native context switch (enter.S has them straight
 * through): stmia Rn, {r1-r14}^ and ldmia lr, {r0-r14}^, from SVC and IRQ
 * mode, where the User sp and lr are banked. */
CASE user_bank_switch
	ldr	r0, =SCRATCH + 0x300
	stmia	r0, {r1-r14}^
	ldr	r1, =SCRATCH + 0x300
	ldm	r1, {r2-r9}
	DUMP	1
	ldr	r1, =SCRATCH + 0x320
	ldm	r1, {r2-r7}
	DUMP	2
	cps	#0x12
	ldr	lr, =SCRATCH + 0x300
	ldmia	lr, {r0-r14}^
	nop
	DUMP	3
	cps	#0x13
	ldr	r5, =SCRATCH + 0x300
	ldr	r6, =0x12345678
	str	r6, [r5, #52]
	ldmia	r5, {r0-r14}^
	nop
	DUMP	4
END_CASE

/* ldm/stm ^ of a run of r0-r12 alone, neither sp nor lr (the runtime's
 * general fast path, which then skips the sp and lr part): from SVC mode
 * a run of two each way, from System mode a run of six. */
CASE user_bank_runs
	ldr	r1, =SCRATCH + 0x700
	stmia	r1, {r2-r3}^
	ldm	r1, {r4, r5}
	DUMP	1
	ldr	r6, =0x12345678
	ldr	r7, =0x9abcdef0
	stm	r1, {r6, r7}
	ldmia	r1, {r2-r3}^
	DUMP	2
	cps	#0x1f
	stmia	r1, {r4-r9}^
	ldr	r0, =0x0f0f0f0f
	str	r0, [r1, #8]
	ldmia	r1, {r2-r7}^
	DUMP	3
	cps	#0x13
END_CASE

/* The save of a native exception entry, fused (op STM_USR_MRS): stm ^,
 * loads and stores that name neither Rd nor pc, mrs Rd, spsr. The fast
 * path (stmia Rn, {r1-r14}^ from SVC and IRQ mode, a store with
 * write-back between), the slow path (from FIQ mode, where r8-r12 are
 * banked; another list), and an unfused site whose store reads Rd. */
CASE stm_mrs
	ldr	r0, =SCRATCH + 0x400
	stmia	r0, {r1-r14}^
	str	lr, [r0, #56]
	mrs	r1, spsr
	str	r1, [r0, #60]
	DUMP	1
	ldr	r2, =SCRATCH + 0x400
	ldm	r2, {r3-r10}
	DUMP	2
	ldr	r2, =SCRATCH + 0x420
	ldm	r2, {r3-r10}
	DUMP	3
	cps	#0x12
	ldr	r4, =SCRATCH + 0x480
	stmia	r4, {r1-r14}^
	str	r5, [r4, #-4]!
	mrs	r6, spsr
	DUMP	4
	ldr	r2, =SCRATCH + 0x47c
	ldm	r2, {r3-r10}
	DUMP	5
	cps	#0x11
	ldr	r7, =SCRATCH + 0x500
	stmia	r7, {r1-r14}^
	mrs	r9, spsr
	DUMP	6
	ldr	r2, =SCRATCH + 0x500
	ldm	r2, {r3-r9}
	DUMP	7
	ldr	r2, =SCRATCH + 0x51c
	ldm	r2, {r3-r9}
	DUMP	8
	cps	#0x13
	ldr	r0, =SCRATCH + 0x580
	stmdb	r0, {r2-r5, lr}^
	strb	r3, [r0, #1]
	ldr	r4, [r0, #-8]
	mrs	r2, spsr
	DUMP	9
	ldr	r2, =SCRATCH + 0x580 - 20
	ldm	r2, {r3-r8}
	DUMP	10
	ldr	r0, =SCRATCH + 0x600
	stmia	r0, {r1-r14}^
	str	r1, [r0, #56]
	mrs	r1, spsr
	ldr	r2, [r0, #56]
	DUMP	11
END_CASE

/* --- svc: exception entry and the handler's return ------------------------- */
CASE svc
	svc	#5
	DUMP	1
	mov	r0, #1
	cmp	r0, #0
	svcne	#6
	svceq	#7
	DUMP	2
	cps	#0x1f				@ from System mode (a task's yield):
	ldr	r1, =0x580f0000			@ the runtime's short path
	msr	APSR_nzcvqg, r1
	svc	#8
	DUMP	3
	cpsie	i
	svc	#9				@ with interrupts on
	DUMP	4
	cpsid	i
	cps	#0x13
END_CASE

/* --- coprocessor registers the runtime owns -------------------------------- */
CASE sysregs
	ldr	r0, =0x40001000
	mcr	p15, 0, r0, c12, c0, 0
	ldr	r1, =0xdead0001
	mcr	p15, 0, r1, c13, c0, 2
	mcr	p15, 0, r1, c13, c0, 4
	ldr	r2, =0x00000805
	mcr	p15, 0, r2, c5, c0, 0
	mov	r3, #5
	mcr	p15, 0, r3, c5, c0, 1
	mcr	p15, 0, r0, c6, c0, 0
	mcr	p15, 0, r1, c6, c0, 2
	mcr	p15, 0, r0, c7, c5, 6		@ BPIALL
	mrc	p15, 0, r4, c12, c0, 0
	mrc	p15, 0, r5, c13, c0, 2
	cmp	r0, #0
	mrcne	p15, 0, r6, c5, c0, 0
	mrceq	p15, 0, r7, c5, c0, 0
	DUMP	1
END_CASE

CASE wfe
	sev
	wfe
	DUMP	1
END_CASE

/*
 * Previrt image only (QEMU does not implement these as exception returns,
 * though the ARM ARM, B9.3.20, does): every other data-processing opcode
 * with S and pc as destination. Each lands on its label with CPSR = SPSR;
 * CHECK_CPSR compares the (virtual) CPSR there, a wrong target ends in udf.
 */
.macro CHECK_CPSR expected
	mrs	r0, cpsr
	ldr	r1, =\expected
	bl	check_equal
.endm

.macro PREVIRT_CASE name
	.pushsection .rodata.case_names, "a"
9:	.asciz	"\name"
	.popsection
	.pushsection case_table_previrt, "a"
	.word	case_\name, 9b
	.popsection
	.global case_\name
	.type case_\name, %function
case_\name:
	push	{r4-r11, lr}
	ldr	r0, =case_saved_sp
	str	sp, [r0]
	bl	reset_state
	bl	load_regs
.endm

.macro SET_SPSR value
	ldr	r0, =\value
	msr	spsr_fsxc, r0
.endm

PREVIRT_CASE dp_ret_opcodes
	SET_SPSR 0x800001d3
	adr	r4, 1f
	mvn	r5, #0
	ands	pc, r4, r5
	udf	#0
1:	CHECK_CPSR 0x800001d3
	SET_SPSR 0x400001d3
	adr	r4, 2f
	eor	r4, r4, #0x30000
	eors	pc, r4, #0x30000
	udf	#0
2:	CHECK_CPSR 0x400001d3
	SET_SPSR 0x200001d3
	adr	r4, 3f
	rsb	r4, r4, #0x200
	rsbs	pc, r4, #0x200
	udf	#0
3:	CHECK_CPSR 0x200001d3
	SET_SPSR 0x300001d3
	adr	r4, 4f
	sub	r4, r4, #8
	adds	pc, r4, #8
	udf	#0
4:	CHECK_CPSR 0x300001d3
	SET_SPSR 0x900001d3
	msr	APSR_nzcvq, #0x20000000		@ C = 1
	adr	r4, 5f
	sub	r4, r4, #9
	mov	r5, #8
	adcs	pc, r4, r5
	udf	#0
5:	CHECK_CPSR 0x900001d3
	SET_SPSR 0x500001d3
	msr	APSR_nzcvq, #0			@ C = 0: sbc subtracts one more
	adr	r4, 6f
	add	r4, r4, #7
	mov	r5, #6
	sbcs	pc, r4, r5
	udf	#0
6:	CHECK_CPSR 0x500001d3
	SET_SPSR 0x600001d3
	msr	APSR_nzcvq, #0x20000000		@ C = 1
	adr	r4, 7f
	mov	r5, r4
	rscs	pc, r5, r4, lsl #1
	udf	#0
7:	CHECK_CPSR 0x600001d3
	SET_SPSR 0xa00001d3
	adr	r4, 8f
	bic	r5, r4, #0xff
	and	r6, r4, #0xff
	orrs	pc, r5, r6
	udf	#0
8:	CHECK_CPSR 0xa00001d3
	SET_SPSR 0xc00001d3
	adr	r4, 9f
	orr	r5, r4, #0x0f000000
	bics	pc, r5, #0x0f000000
	udf	#0
9:	CHECK_CPSR 0xc00001d3
	SET_SPSR 0xe00001d3
	adr	r4, 10f
	mvn	r4, r4
	mvns	pc, r4
	udf	#0
10:	CHECK_CPSR 0xe00001d3
END_CASE

/* Hand-ported code's device calls (previrt/dev.h, the runtime's DEV_LOAD
 * and DEV_STORE): every register but a load's r0, and the flags, are as
 * before the call; the word stored is the word loaded back. */
.macro DEV_CHECK want
	stmdb	sp!, {r0-r12}
	mrs	r0, cpsr
	push	{r0}
	mov	r0, sp
	ldr	r1, =\want
	bl	check_dev_state
	add	sp, sp, #56
.endm

	.weak	previrt_dev_read32, previrt_dev_write32	@ only previrt.elf has them
PREVIRT_CASE dev_access
	ldr	r0, =SCRATCH
	ldr	r1, =0x5a5a1234
	bl	previrt_dev_write32
	DEV_CHECK dev_want_write
	bl	load_regs
	ldr	r0, =SCRATCH
	bl	previrt_dev_read32
	DEV_CHECK dev_want_read
END_CASE

	.pushsection .rodata
dev_want_write:	@ CPSR flags, then r0-r12
	.word	0xa8050000, SCRATCH, 0x5a5a1234, 0x02020202, 0x03030303, 0x04040404
	.word	0x05050505, 0x06060606, 0x07070707, 0x08080808, 0x09090909, 0x0a0a0a0a
	.word	0x0b0b0b0b, 0x0c0c0c0c
dev_want_read:
	.word	0xa8050000, 0x5a5a1234, 0x01010101, 0x02020202, 0x03030303, 0x04040404
	.word	0x05050505, 0x06060606, 0x07070707, 0x08080808, 0x09090909, 0x0a0a0a0a
	.word	0x0b0b0b0b, 0x0c0c0c0c
	.popsection

/* --- Thumb ---------------------------------------------------------------- */
	.thumb
.macro CASE_T name
	.pushsection .rodata.case_names, "a"
9:	.asciz	"\name"
	.popsection
	.pushsection case_table, "a"
	.word	case_\name, 9b
	.popsection
	.global case_\name
	.type case_\name, %function
	.thumb_func
case_\name:
	push	{r4-r11, lr}
	ldr	r0, =case_saved_sp
	str	sp, [r0]
	bl	reset_state
	bl	load_regs
.endm

CASE_T thumb_basic
	cpsie	i
	cpsid.w	if
	mrs	r1, cpsr
	cps	#0x12
	mrs	r2, spsr
	cps	#0x13
	ldr	r3, =0x000001d7
	msr	cpsr_c, r3
	mcr	p15, 0, r1, c13, c0, 4
	sev
	wfe
	TO_ARM
	DUMP	1
END_CASE

	.thumb
CASE_T thumb_it
	cmp	r0, #0
	ite	ne
	mrsne	r1, cpsr
	moveq	r2, #0x22
	itt	eq
	moveq	r3, #0x33
	mrseq	r4, cpsr
	itet	ne
	movne	r5, #0x55
	mrseq	r6, cpsr
	movne	r7, #0x77
	TO_ARM
	DUMP	1
END_CASE

	.thumb
CASE_T thumb_svc_return
	svc	#9
	ldr	r0, =0x00000033
	msr	spsr_fsxc, r0
	adr.w	lr, 1f
	add	lr, lr, #1
	subs	pc, lr, #0
	udf	#0
	.balign 4
1:	TO_ARM
	.arm					@ (for the rewriter: TO_ARM's)
	DUMP	1
END_CASE

	.ltorg
	.global cases_text_end
cases_text_end:
	.data
	.balign 4
case_saved_sp:	.word	0
exit_block:	.word	0x20026, 0
	.global dump_banks
dump_banks:	.space	4 * 40
