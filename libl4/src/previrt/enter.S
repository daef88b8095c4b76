/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest runtime's entry and exit: every rewritten site arrives here
 * from its call stub (tools/previrt/contract.py, docs/previrt.md).
 *
 * Entry (from the stub): r0 = &__previrt_cpu; lr = &descriptor in the stub
 *   (ARM state; a Thumb stub arrives by blx with lr bit 0 set); TPIDRURW =
 *   the guest's r0; ctx[14] = the guest's lr; every other register and the
 *   flags are the guest's; sp is the guest's and may be unusable.
 * Exit: r0-r15 and the flags from ctx, as the emulated instruction leaves
 *   them; the virtual interrupt-enable word as the instruction leaves it.
 *
 * Upcall windows (for the glue's upcall entry; docs/previrt.md): an
 * upcall can only interrupt the runtime while virtual interrupts are
 * enabled, that is between a stub's first instruction and the masking
 * store below (roll back: r0 = TPIDRURW, r1-r13 = ctx[1..13] unless pc is
 * __previrt_enter itself, lr = ctx[14], pc = the stub's start), and after
 * the unmasking store at exit (roll forward: every register from ctx).
 * Nothing between the two uses anything but the area and its stack; the
 * exit window is entirely here (its vcpu_sync included).
 */
	.syntax unified
	.arm
#include <l4/abi.h>

#include "cpu.h"

#define CTX(n) ((n) * 4)
/* The fast paths' descriptors (contract.py: op << 26 | A32 CPS fields). */
#define CPSID_I ((PREVIRT_OP_CPS << PREVIRT_OP_SHIFT) | (3 << 18) | (1 << 7))
#define CPSIE_I ((PREVIRT_OP_CPS << PREVIRT_OP_SHIFT) | (2 << 18) | (1 << 7))
/* ldm/stm ^ of a native context switch, IA, without Rn (contract.py). */
#define STM_USR_R1_R14 ((PREVIRT_OP_STM_USR << PREVIRT_OP_SHIFT) | (1 << 23) | 0x7ffe)
#define LDM_USR_R0_R14 ((PREVIRT_OP_LDM_USR << PREVIRT_OP_SHIFT) | (1 << 23) | 0x7fff)
#define LDM_USR_RFE_R0_R14 ((PREVIRT_OP_LDM_USR_RFE << PREVIRT_OP_SHIFT) | (1 << 23) | 0x7fff)
#define STM_USR_MRS_R1_R14 ((PREVIRT_OP_STM_USR_MRS << PREVIRT_OP_SHIFT) | (1 << 23) | 0x7ffe)
#define CPS_MODE ((PREVIRT_OP_CPS << PREVIRT_OP_SHIFT) | (1 << 17)) /* | mode */
/* svc 0x123456 from ARM code: semihosting (the glue's, previrt_emulate). */
#define SVC_SEMIHOSTING ((PREVIRT_OP_SVC << PREVIRT_OP_SHIFT) | 0x123456)
/* Exception returns (DP_RET: I, opcode, Rn, operand2): movs pc, lr and
 * subs pc, lr, #imm (operand2 the encoded immediate; IMM its value). */
#define MOVS_PC_LR ((PREVIRT_OP_DP_RET << PREVIRT_OP_SHIFT) | (13 << 21) | 14)
#define SUBS_PC_LR_IMM ((PREVIRT_OP_DP_RET << PREVIRT_OP_SHIFT) | (1 << 25) | (2 << 21) | (14 << 16))
#define PSR_IT_J_ASM 0x0700fc00
#define SPSR_AT(bank) (PREVIRT_AREA_SPSR + 4 * (bank)) /* < 256: a byte */
#define BANK_SVC_ASM 3

/* BANK(rd, rmode): the bank index of the mode in rmode, 0xff if invalid. */
.macro BANK rd, rmode
	and	\rd, \rmode, #0x1f
	ldr	r12, =previrt_bank_of_mode
	ldrb	\rd, [r12, \rd]
.endm

/* SWITCH_BANK(ro, rn): sp and lr of bank ro (r4 unless named) into the
 * banks, those of bank rn (r5) live; uses r3, r10, r11, r12. */
.macro SWITCH_BANK ro=r4, rn=r5
	cmp	\ro, \rn
	beq	9f
	add	r3, r0, #PREVIRT_AREA_BANK_SP
	add	r12, r0, #PREVIRT_AREA_BANK_LR
	ldr	r10, [r0, #CTX(13)]
	ldr	r11, [r0, #CTX(14)]
	str	r10, [r3, \ro, lsl #2]
	str	r11, [r12, \ro, lsl #2]
	ldr	r10, [r3, \rn, lsl #2]
	ldr	r11, [r12, \rn, lsl #2]
	str	r10, [r0, #CTX(13)]
	str	r11, [r0, #CTX(14)]
9:
.endm

/* EXIT_AS_WAS(rw): leave with virtual interrupts as they were at the
 * entry (rw = irq_was): previrt_exit's test on a register. (irq_final is
 * previrt_exit's input only: a fast path that leaves by
 * __previrt_exit_masked or previrt_exit_enable does not write it.) */
.macro EXIT_AS_WAS rw
	movs	r1, \rw
	beq	__previrt_exit_masked
	b	previrt_exit_enable		@ (r1 = 1)
.endm

/* EXIT_AS_WAS_R5(rw): EXIT_AS_WAS with r5 still the guest's APSR as the
 * entry read it (the instruction changes no flag): a masked exit takes
 * the flags from r5, not from the context. */
.macro EXIT_AS_WAS_R5 rw
	movs	r1, \rw
	bne	previrt_exit_enable		@ (r1 = 1)
	msr	APSR_nzcvqg, r5
	ldm	r0, {r0-r15}
.endm

/* VCPSR_R5(rd, rv): the virtual CPSR (as MRS reads it) into rd, rv holding
 * the area's vcpsr word, r5 the guest's APSR as the entry read it (its
 * ctx[PREVIRT_CTX_CPSR]); uses r9. */
.macro VCPSR_R5 rd, rv
	and	\rd, r5, #0xf8000000		@ N Z C V Q
	and	r9, r5, #0x000f0000		@ GE
	orr	\rd, \rd, r9
	bic	r9, \rv, #0xa0			@ not I (stale outside a call), not T
	orr	\rd, \rd, r9
	cmp	r2, #0
	orreq	\rd, \rd, #0x80			@ I: virtual interrupts were off
.endm

	.text
	.global __previrt_enter
	.type __previrt_enter, %function
__previrt_enter:
	stmib	r0, {r1-r13}			@ ctx[1..13] = the guest's r1-r13
	ldr	r1, [r0, #PREVIRT_AREA_IRQ_ENABLE]
	ldr	r2, [r1]			@ were virtual interrupts enabled?
	mov	r3, #0
	str	r3, [r1]			@ masked: no upcall from here on
	.global __previrt_masked
__previrt_masked:
	str	r2, [r0, #PREVIRT_AREA_IRQ_WAS]
	mrc	p15, 0, r1, c13, c0, 2		@ the guest's r0, parked by the stub
	str	r1, [r0, #CTX(0)]
	mrs	r5, apsr			@ the guest's flags (only they are real)
	bic	lr, lr, #1			@ a Thumb stub's blx set bit 0
	ldm	lr, {r1, r4}			@ the descriptor, ret
	strd	r4, r5, [r0, #CTX(PREVIRT_CTX_PC)] @ by default the guest goes on after the site, its flags
	.if PREVIRT_STUB_RET_OFFSET != PREVIRT_STUB_DESC_OFFSET + 4 || PREVIRT_CTX_CPSR != PREVIRT_CTX_PC + 1
	.error "the entry's ldm and strd need ret after the descriptor and cpsr after pc"
	.endif
	/*
	 * Dispatch on the op (one table load, whatever the op: the table has
	 * an entry for each of the 64 values the op field can hold): the fast
	 * paths below handle the common forms of the instructions of every
	 * critical section and context switch in a few instructions each
	 * (equal to what previrt_emulate does for them) and send anything
	 * else to previrt_slow before changing a thing. Here r0 = area,
	 * r1 = the descriptor, r2 = irq_was, r4 = ret, r5 = the guest's
	 * APSR (as ctx[PREVIRT_CTX_PC], ctx[PREVIRT_CTX_CPSR]), lr =
	 * &descriptor.
	 */
	lsr	r3, r1, #PREVIRT_OP_SHIFT
	ldr	pc, [pc, r3, lsl #2]		@ the op's path (pc reads as the table)
	b	previrt_slow			@ (never: pc reads 8 ahead)
	.word	previrt_slow			@ op 0: none
	.word	previrt_fast_cps		@ CPS (1)
	.word	previrt_fast_mrs_any		@ MRS (2)
	.rept	PREVIRT_OP_RFE - PREVIRT_OP_MRS - 1
	.word	previrt_slow
	.endr
	.word	previrt_fast_rfe		@ RFE (8)
	.word	previrt_fast_dp_ret		@ DP_RET (9)
	.rept	PREVIRT_OP_LDM_USR - PREVIRT_OP_DP_RET - 1
	.word	previrt_slow
	.endr
	.word	previrt_fast_user_bank		@ LDM_USR (11)
	.word	previrt_fast_user_bank		@ STM_USR (12)
	.rept	PREVIRT_OP_SVC - PREVIRT_OP_STM_USR - 1
	.word	previrt_slow
	.endr
	.word	previrt_fast_svc		@ SVC (19)
	.word	previrt_fast_dev		@ DEV_LOAD (20)
	.word	previrt_fast_dev		@ DEV_STORE (21)
	.word	previrt_fast_mem		@ MEM (22)
	.rept	PREVIRT_OP_MRS_CPSID - PREVIRT_OP_MEM - 1
	.word	previrt_slow
	.endr
	.word	previrt_fast_mrs_cpsid		@ MRS_CPSID (24)
	.word	previrt_fast_ldm_rfe		@ LDM_USR_RFE (25)
	.word	previrt_fast_stm_mrs		@ STM_USR_MRS (26)
	.rept	(1 << (32 - PREVIRT_OP_SHIFT)) - PREVIRT_OP_COUNT
	.word	previrt_slow			@ not an op: previrt_emulate reports it
	.endr
	.if PREVIRT_OP_CPS != 1 || PREVIRT_OP_MRS != 2 || PREVIRT_OP_DP_RET != PREVIRT_OP_RFE + 1 || PREVIRT_OP_STM_USR != PREVIRT_OP_LDM_USR + 1 || PREVIRT_OP_LDM_USR_RFE != PREVIRT_OP_MRS_CPSID + 1 || PREVIRT_OP_STM_USR_MRS != PREVIRT_OP_LDM_USR_RFE + 1 || PREVIRT_OP_COUNT != PREVIRT_OP_STM_USR_MRS + 1 || PREVIRT_OP_DEV_LOAD != PREVIRT_OP_SVC + 1 || PREVIRT_OP_DEV_STORE != PREVIRT_OP_SVC + 2 || PREVIRT_OP_MEM != PREVIRT_OP_SVC + 3 || PREVIRT_OP_MEM >= PREVIRT_OP_MRS_CPSID
	.error "the dispatch table's order is not the contract's"
	.endif
previrt_slow:
	str	lr, [r0, #PREVIRT_AREA_STUB]
	ldr	sp, [r0, #PREVIRT_AREA_STACK_TOP]
	ldr	r2, [lr, #PREVIRT_STUB_IMM_OFFSET - PREVIRT_STUB_DESC_OFFSET]
	bl	previrt_emulate			@ (cpu, desc, imm)
	ldr	r0, =__previrt_cpu
	b	previrt_exit

/*
 * A device load or store (MEM) in the commonest form, ldr/str{b} Rt, [Rn,
 * #+-imm12] (offset, no write-back, neither register pc), and a device
 * call of hand-ported code (DEV_LOAD, DEV_STORE: Rt := [Rn], [Rn] := Rt):
 * decoded here, r3 = the address, r4 = Rt, r5 = 1 for a load (| 2 for a
 * byte). A word goes to the glue's short path, previrt_glue_fast_access
 * (r0-r2 and lr as the dispatch left them), which takes the registers it
 * knows (the L4 glue's gicshort.S: the GIC's IAR, EOIR and SGIR) and sends
 * everything else on to previrt_access_decoded unchanged; its default (a
 * glue without one) is previrt_access_decoded itself, the C access
 * (memop.c). Both leave through previrt_access_exit. Every other MEM form
 * goes to previrt_emulate's decoder.
 */
previrt_fast_mem:
	and	r3, r1, #((1 << 25) | (1 << 24) | (1 << 21))
	cmp	r3, #(1 << 24)			@ immediate, P = 1, W = 0
	bne	previrt_slow
	ubfx	r6, r1, #16, #4			@ Rn
	ubfx	r4, r1, #12, #4			@ Rt
	cmp	r6, #15
	cmpne	r4, #15
	beq	previrt_slow
	ldr	r3, [r0, r6, lsl #2]
	ubfx	r6, r1, #0, #12
	tst	r1, #(1 << 23)			@ U
	addne	r3, r3, r6
	subeq	r3, r3, r6			@ the address
	ubfx	r5, r1, #20, #1			@ L
	tst	r1, #(1 << 22)			@ B: a byte, never the short path's
	beq	previrt_glue_fast_access
	orr	r5, r5, #2
	b	previrt_access_decoded
previrt_fast_dev:
	ubfx	r6, r1, #16, #4			@ Rn: the address
	ubfx	r4, r1, #12, #4			@ Rt
	ldr	r3, [r0, r6, lsl #2]
	lsr	r5, r1, #PREVIRT_OP_SHIFT
	cmp	r5, #PREVIRT_OP_DEV_LOAD
	moveq	r5, #1
	movne	r5, #0
	b	previrt_glue_fast_access
/* The access as decoded (r3, r4, r5 as above) by the runtime's C: the
 * glue's device, or the site's fallback (IMM; a device call has none). */
	.global previrt_access_decoded
previrt_access_decoded:
	str	lr, [r0, #PREVIRT_AREA_STUB]
	ldr	sp, [r0, #PREVIRT_AREA_STACK_TOP]
	mov	r1, r3
	orr	r2, r4, r5, lsl #4
	ldr	r3, [lr, #PREVIRT_STUB_IMM_OFFSET - PREVIRT_STUB_DESC_OFFSET]
	bl	previrt_mem_access		@ (cpu, addr, Rt | L << 4 | B << 5, fallback)
	ldr	r0, =__previrt_cpu
	ldr	r2, [r0, #PREVIRT_AREA_IRQ_WAS]
/* After a device access (here, or the glue's short path; r0 = the area,
 * r2 = irq_was): what previrt_glue_exit does after an instruction, without
 * the call where it has nothing to do. Virtual interrupts off: they stay
 * so. On and the GIC not poked: unmasked, and the exit's own look at the
 * pending word takes a line that came in meanwhile. Else, or in virtual
 * mode User (the glue's switch to virtual user mode), the glue's look. */
	.global previrt_access_exit
previrt_access_exit:
	ldr	r3, [r0, #PREVIRT_AREA_VCPSR]
	and	r4, r3, #0x1f
	cmp	r4, #0x10
	beq	1f
	cmp	r2, #0
	streq	r2, [r0, #PREVIRT_AREA_IRQ_FINAL]
	beq	__previrt_exit_masked
	ldr	r4, [r0, #PREVIRT_AREA_IRQ_POKE]
	ldr	r4, [r4]
	cmp	r4, #0
	moveq	r1, #1
	streq	r1, [r0, #PREVIRT_AREA_IRQ_FINAL]
	beq	previrt_exit_enable		@ (r1 = 1)
1:	bic	r3, r3, #0x80			@ the virtual I bit as the entry found it
	cmp	r2, #0
	orreq	r3, r3, #0x80
	str	r3, [r0, #PREVIRT_AREA_VCPSR]
	ldr	sp, [r0, #PREVIRT_AREA_STACK_TOP]
	bl	previrt_fast_exit_glue		@ (cpu): sets irq_final
	ldr	r0, =__previrt_cpu
	b	previrt_exit
	.weak	previrt_glue_fast_access
	.set	previrt_glue_fast_access, previrt_access_decoded

/* cps: cpsid i (masked already, and stays so), cpsie i, and cps #mode. */
previrt_fast_cps:
	ldr	r3, =CPSID_I
	cmp	r1, r3
	bne	1f
	msr	APSR_nzcvqg, r5			@ cpsid i: masked already, the flags
	ldm	r0, {r0-r15}			@ as the entry read them
1:
	ldr	r3, =CPSIE_I
	cmp	r1, r3
	bne	previrt_fast_cps_mode
/* cpsie i: unless the glue has something to look at (poke), just unmask. */
previrt_fast_cpsie:
	ldr	r3, [r0, #PREVIRT_AREA_IRQ_POKE]
	ldr	r3, [r3]
	cmp	r3, #0
	bne	previrt_slow
	mov	r1, #1
	b	previrt_exit_enable

/* cps #mode (imod 0, M 1): the banks switched, I, A, F unchanged; not to
 * or from FIQ (r8-r12), nor to User (the glue's switch to virtual user
 * mode): those go to previrt_slow. */
previrt_fast_cps_mode:
	bic	r3, r1, #0x1f
	ldr	r4, =CPS_MODE
	cmp	r3, r4
	bne	previrt_slow
	and	r6, r1, #0x1f			@ the new mode
	cmp	r6, #0x10
	cmpne	r6, #0x11
	beq	previrt_slow
	ldr	r12, =previrt_bank_of_mode	@ (BANK's table, loaded once for both)
	ldrb	r5, [r12, r6]
	cmp	r5, #0xff
	beq	previrt_slow			@ not a mode
	ldr	r7, [r0, #PREVIRT_AREA_VCPSR]
	and	r3, r7, #0x1f
	ldrb	r4, [r12, r3]
	cmp	r4, #1				@ from FIQ (bank 1)
	beq	previrt_slow
	SWITCH_BANK
	bic	r7, r7, #0x1f
	orr	r7, r7, r6
	str	r7, [r0, #PREVIRT_AREA_VCPSR]
	EXIT_AS_WAS r2

/*
 * The exception-model operations of a context switch, in their common
 * forms (model.c and emulate.c do the same for every form; anything else
 * goes to previrt_slow before changing a thing): modes other than FIQ,
 * incrementing-after transfers. Registers as above; r1-r12 are free.
 */


/* ldm/stm{ia} Rn, {...}^: r0-r12 from or to the context as one run, then
 * the User sp and lr (live in User and System mode, else banked). */
previrt_fast_user_bank:
	ldr	r4, [r0, #PREVIRT_AREA_VCPSR]
	and	r4, r4, #0x1f
	cmp	r4, #0x11			@ FIQ: r8-r12 are banked
	beq	previrt_slow
	bic	r5, r1, #(0xf << 16)		@ the descriptor but Rn
	ldr	r6, =STM_USR_R1_R14
	cmp	r5, r6
	beq	previrt_fast_stm_r1_r14
	ldr	r6, =LDM_USR_R0_R14
	cmp	r5, r6
	beq	previrt_fast_ldm_r0_r14
	and	r5, r1, #((1 << 24) | (1 << 23))
	cmp	r5, #(1 << 23)			@ IA: P = 0, U = 1
	bne	previrt_slow
	tst	r1, #0x8000			@ stm of pc: PCStoreValue
	bne	previrt_slow
	ubfx	r6, r1, #0, #13			@ r0-r12 part of the list
	rbit	r7, r6
	clz	r7, r7				@ its lowest register (32: none)
	lsr	r8, r6, r7			@ 0b11..1 if one run from there
	add	r8, r8, #1			@ then a power of two
	sub	r9, r8, #1
	tst	r8, r9
	bne	previrt_slow			@ not one run
	clz	r9, r8
	ubfx	r5, r1, #16, #4
	ldr	r5, [r0, r5, lsl #2]		@ the address
	add	r7, r0, r7, lsl #2		@ &ctx[first] (none: never used)
	rsb	r8, r9, #31			@ the run's length (0..13)
	lsr	r3, r1, #PREVIRT_OP_SHIFT
	cmp	r3, #PREVIRT_OP_LDM_USR		@ ldm: memory to the context
	moveq	r9, r7				@   r7 from, r9 to
	moveq	r7, r5
	movne	r9, r5				@ stm: the context to memory
	subs	r8, r8, #4			@ four words at a time
	blo	3f
2:	ldm	r7!, {r6, r10, r11, r12}
	stm	r9!, {r6, r10, r11, r12}
	subs	r8, r8, #4
	bhs	2b
3:	adds	r8, r8, #4			@ then the last 0..3
	beq	6f
7:	ldr	r6, [r7], #4
	str	r6, [r9], #4
	subs	r8, r8, #1
	bne	7b
6:	tst	r1, #((1 << 13) | (1 << 14))	@ neither sp nor lr: done
	beq	5f
	cmp	r3, #PREVIRT_OP_LDM_USR		@ the address after the run
	moveq	r5, r7
	movne	r5, r9
	cmp	r4, #0x10			@ sp and lr: live or banked
	cmpne	r4, #0x1f
	addeq	r6, r0, #CTX(13)
	addeq	r7, r0, #CTX(14)
	addne	r6, r0, #PREVIRT_AREA_BANK_SP	@ bank_sp[BANK_USR]
	addne	r7, r0, #PREVIRT_AREA_BANK_LR
	tst	r1, #(1 << 13)
	beq	4f
	cmp	r3, #PREVIRT_OP_LDM_USR
	ldreq	r10, [r5], #4
	streq	r10, [r6]
	ldrne	r10, [r6]
	strne	r10, [r5], #4
4:	tst	r1, #(1 << 14)
	beq	5f
	cmp	r3, #PREVIRT_OP_LDM_USR
	ldreq	r10, [r5], #4
	streq	r10, [r7]
	ldrne	r10, [r7]
	strne	r10, [r5], #4
5:	EXIT_AS_WAS r2

/* The two transfers of a native context switch, straight through:
 * stmia Rn, {r1-r14}^ (save) and ldmia Rn, {r0-r14}^ (load). r4 = the
 * mode (not FIQ); User and System have the User sp and lr live. */
previrt_fast_stm_r1_r14:
	ubfx	r5, r1, #16, #4
	ldr	r5, [r0, r5, lsl #2]		@ the address
	cmp	r4, #0x10
	cmpne	r4, #0x1f
	ldreq	r12, [r0, #CTX(13)]
	ldreq	lr, [r0, #CTX(14)]
	ldrne	r12, [r0, #PREVIRT_AREA_BANK_SP]	@ bank_sp[BANK_USR]
	ldrne	lr, [r0, #PREVIRT_AREA_BANK_LR]
	add	r6, r0, #CTX(1)
	ldm	r6!, {r1-r4, r7-r9}		@ r1-r7
	stm	r5!, {r1-r4, r7-r9}
	ldm	r6, {r1-r4, r7}			@ r8-r12
	stm	r5, {r1-r4, r7, r12, lr}	@ then the User sp and lr
	ldr	r1, [r0, #PREVIRT_AREA_IRQ_WAS]
	EXIT_AS_WAS r1

/* stmia Rn, {r1-r14}^ ... mrs Rd, spsr (fused by the rewriter, the save
 * of a native exception entry; the loads and stores between run after
 * the call): from IRQ, SVC, Abort or Undefined mode (the User sp and lr
 * banked, r8-r12 not, an SPSR), the store as previrt_fast_stm_r1_r14's
 * banked case, then the SPSR into Rd (IMM [3:0]). Any other mode or list
 * goes to previrt_slow before changing a thing. */
previrt_fast_stm_mrs:
	ldr	r4, [r0, #PREVIRT_AREA_VCPSR]
	and	r4, r4, #0x1f
	ldr	r12, =previrt_spsr_of_mode
	ldrb	r4, [r12, r4]			@ the mode's SPSR in the area: IRQ,
	cmp	r4, #0				@ SVC, Abort, Undefined mode only
	beq	previrt_slow
	bic	r3, r1, #(0xf << 16)		@ the descriptor but Rn
	ldr	r6, =STM_USR_MRS_R1_R14
	cmp	r3, r6
	bne	previrt_slow
	ubfx	r12, r1, #16, #4
	ldr	r12, [r0, r12, lsl #2]		@ the address
	add	r6, r0, #CTX(1)
	ldm	r6!, {r1, r3, r7-r11}		@ r1-r7 (r2 keeps irq_was, r5 the flags)
	stm	r12!, {r1, r3, r7-r11}
	ldm	r6, {r1, r3, r7-r9}		@ r8-r12
	ldr	r10, [r0, #PREVIRT_AREA_BANK_SP]	@ bank_sp[BANK_USR]
	ldr	r11, [r0, #PREVIRT_AREA_BANK_LR]	@ bank_lr[BANK_USR]
	stm	r12, {r1, r3, r7-r11}		@ then the User sp and lr
	ldr	r3, [r0, r4]			@ the mode's SPSR
	ldr	r6, [lr, #PREVIRT_STUB_IMM_OFFSET - PREVIRT_STUB_DESC_OFFSET]
	and	r6, r6, #15			@ Rd
	str	r3, [r0, r6, lsl #2]
	EXIT_AS_WAS_R5 r2

/* ldmia Rn, {r0-r14}^; add Rn, Rn, #imm; rfe Rn (fused by the rewriter,
 * the tail of a native context switch).
 *
 * The short path takes arch/native's native_resume to a task: from SVC
 * mode, `ldmia lr, {r0-r14}^ ; add lr, lr, #imm ; rfeia lr` to System or
 * User mode, ARM state, no IT, J or E bits. There the loaded User sp and
 * lr are live, so the load goes straight into the context, and SVC's sp
 * and lr (the lr after the add) into bank 3: the state the general path's
 * load, add, bank switch and rfe leave, with no model update between.
 * Anything else goes to the general path before changing a thing. */
previrt_fast_ldm_rfe:
	ldr	r4, [r0, #PREVIRT_AREA_VCPSR]
	and	r3, r4, #0x1f
	cmp	r3, #0x13			@ from SVC mode
	ldreq	r6, =(LDM_USR_RFE_R0_R14 | (14 << 16))
	cmpeq	r1, r6				@ ldmia lr, {r0-r14}^
	bne	previrt_fast_ldm_rfe_any
	ldr	r3, [lr, #PREVIRT_STUB_IMM_OFFSET - PREVIRT_STUB_DESC_OFFSET]
	sub	r5, r3, #(1 << 23)		@ rfeia lr (P = W = 0, U = 1): IMM is
	cmp	r5, #0x1000			@ U | the add's immediate, r5 the latter
	bhs	previrt_fast_ldm_rfe_any
	ldr	r9, [r0, #CTX(14)]		@ lr_svc: where the load starts
	add	r10, r9, r5			@ lr after the add: the rfe's frame
	ldm	r10, {r6, r7}			@ the new pc and CPSR
	and	r3, r7, #0x1f
	cmp	r3, #0x1f			@ to System
	cmpne	r3, #0x10			@ or User mode
	ldreq	r3, =(PSR_IT_J_ASM | 0x220)	@ in ARM state, no IT, J, E
	tsteq	r7, r3
	bne	previrt_fast_ldm_rfe_any
	ldr	r3, [r0, #CTX(13)]
	str	r3, [r0, #(PREVIRT_AREA_BANK_SP + 4 * BANK_SVC_ASM)] @ sp_svc banked,
	str	r10, [r0, #(PREVIRT_AREA_BANK_LR + 4 * BANK_SVC_ASM)] @ lr_svc after the add
	ldm	r9!, {r1-r5, r8, r11, r12}	@ r0-r7
	stm	r0, {r1-r5, r8, r11, r12}
	ldm	r9, {r1-r5, r8, r11}		@ r8-r12, the User sp and lr (live)
	add	r12, r0, #CTX(8)
	stm	r12, {r1-r5, r8, r11}
	ubfx	r3, r7, #0, #9			@ M, F, I, A (T and E are 0)
	str	r3, [r0, #PREVIRT_AREA_VCPSR]
	bic	r6, r6, #3			@ BranchWritePC, ARM state
	strd	r6, r7, [r0, #CTX(PREVIRT_CTX_PC)] @ pc, the flags
	tst	r7, #0xf			@ to User: the glue's switch
	beq	previrt_fast_user_exit
	tst	r7, #0x80			@ to System, interrupts on
	beq	previrt_fast_rfe_on
	msr	APSR_nzcvqg, r7			@ a task that yielded masked: the
	ldm	r0, {r0-r15}			@ masked exit, the flags from the frame

/* The general path: the load as previrt_fast_ldm_r0_r14's, the add, then
 * the rfe fast path with an RFE descriptor of the same base; that path's
 * own fall-back to previrt_slow emulates just the rfe, from the state the
 * load and the add left. Any other form, or from a mode whose sp and lr
 * are the User ones, goes to previrt_slow before changing a thing. */
previrt_fast_ldm_rfe_any:
	ldr	r4, [r0, #PREVIRT_AREA_VCPSR]
	and	r4, r4, #0x1f
	cmp	r4, #0x10			@ User, System: sp and lr not banked,
	cmpne	r4, #0x11			@ FIQ: r8-r12 banked
	cmpne	r4, #0x1f
	beq	previrt_slow
	bic	r5, r1, #(0xf << 16)		@ the descriptor but Rn
	ldr	r6, =LDM_USR_RFE_R0_R14
	cmp	r5, r6
	bne	previrt_slow
	ubfx	r11, r1, #16, #4		@ Rn
	ldr	r5, [r0, r11, lsl #2]		@ the address
	ldm	r5!, {r1-r3, r6-r12}		@ r0-r9
	stm	r0, {r1-r3, r6-r12}
	ldm	r5, {r1-r3, r6, r7}		@ r10-r12, the User sp and lr
	add	r8, r0, #CTX(10)
	stm	r8, {r1-r3}
	str	r6, [r0, #PREVIRT_AREA_BANK_SP]	@ bank_sp[BANK_USR]
	str	r7, [r0, #PREVIRT_AREA_BANK_LR]
	ldr	r1, [lr]			@ the descriptor again: Rn
	ldr	r3, [lr, #PREVIRT_STUB_IMM_OFFSET - PREVIRT_STUB_DESC_OFFSET]
	ubfx	r11, r1, #16, #4
	ldr	r5, [r0, r11, lsl #2]		@ Rn as the load left it
	ubfx	r10, r3, #0, #12		@ the add's immediate
	add	r5, r5, r10			@ the add
	str	r5, [r0, r11, lsl #2]
	and	r3, r3, #((1 << 24) | (1 << 23) | (1 << 21))
	orr	r3, r3, r11, lsl #16		@ rfe{mode} Rn{!}
	orr	r1, r3, #(PREVIRT_OP_RFE << PREVIRT_OP_SHIFT)
	ldr	r2, [r0, #PREVIRT_AREA_IRQ_WAS]
	b	previrt_fast_rfe

previrt_fast_ldm_r0_r14:
	ubfx	r5, r1, #16, #4
	ldr	r5, [r0, r5, lsl #2]		@ the address
	ldm	r5!, {r1-r3, r6-r12}		@ r0-r9
	stm	r0, {r1-r3, r6-r12}
	ldm	r5, {r1-r3, r6, r7}		@ r10-r12, the User sp and lr
	add	r8, r0, #CTX(10)
	stm	r8, {r1-r3}
	cmp	r4, #0x10
	cmpne	r4, #0x1f
	streq	r6, [r0, #CTX(13)]
	streq	r7, [r0, #CTX(14)]
	strne	r6, [r0, #PREVIRT_AREA_BANK_SP]
	strne	r7, [r0, #PREVIRT_AREA_BANK_LR]
	ldr	r1, [r0, #PREVIRT_AREA_IRQ_WAS]
	EXIT_AS_WAS r1

/* mrs Rd, spsr: the current mode's (User and System have none: slow). */
previrt_fast_mrs_any:
	tst	r1, #(1 << 22)			@ R: spsr
	beq	previrt_fast_mrs
previrt_fast_mrs_spsr:
	ldr	r4, [r0, #PREVIRT_AREA_VCPSR]
	BANK	r4, r4
	sub	r5, r4, #1
	cmp	r5, #5				@ banks 1..5 only
	bhs	previrt_slow
	add	r5, r0, #PREVIRT_AREA_SPSR
	ldr	r3, [r5, r4, lsl #2]
	ubfx	r4, r1, #12, #4			@ Rd
	str	r3, [r0, r4, lsl #2]
	EXIT_AS_WAS r2

/* rfeia Rn{!}: to a mode other than FIQ, no IT, J or E bits. To User
 * (a native port's return to a protected task) the bank switch is done
 * here and the glue's switch to virtual user mode (previrt_glue_exit,
 * whatever the I bit) follows, as after previrt_exception_return. */
previrt_fast_rfe:
	and	r5, r1, #((1 << 24) | (1 << 23))
	cmp	r5, #(1 << 23)			@ IA
	bne	previrt_slow
	ubfx	r8, r1, #16, #4			@ Rn
	ldr	r9, [r0, r8, lsl #2]
	ldr	r6, [r9]			@ the new pc
	ldr	r7, [r9, #4]			@ the new CPSR
	ldr	r3, =(PSR_IT_J_ASM | 0x200)
	tst	r7, r3
	bne	previrt_slow
	BANK	r5, r7
	cmp	r5, #0				@ System or User (bank 0), the commonest
	beq	1f
	sub	r3, r5, #2
	cmp	r3, #4				@ or banks 2..5: IRQ SVC ABT UND
	bhi	previrt_slow
1:	ldr	r4, [r0, #PREVIRT_AREA_VCPSR]
	and	r3, r4, #0x1f
	cmp	r3, #0x11			@ from FIQ: r8-r12
	beq	previrt_slow
	BANK	r4, r4
	tst	r1, #(1 << 21)			@ write-back before the mode changes
	addne	r9, r9, #8
	strne	r9, [r0, r8, lsl #2]
previrt_fast_rfe_switch:			@ (r4, r5: the banks; r6, r7: pc, CPSR)
	SWITCH_BANK
	ubfx	r3, r7, #0, #9
	bic	r3, r3, #0x20
	str	r3, [r0, #PREVIRT_AREA_VCPSR]	@ M, F, I, A
	tst	r7, #0x20			@ BranchWritePC in the new state
	orrne	r6, r6, #1
	biceq	r6, r6, #3
	strd	r6, r7, [r0, #CTX(PREVIRT_CTX_PC)] @ pc, the flags (the rest of the
						@ CPSR is never read: the exit's msr
						@ and every reader mask it)
previrt_fast_rfe_done:				@ (r7 = the new CPSR)
	tst	r7, #0xf			@ to User (the one mode 0bx0000 of bank 0..5):
	beq	previrt_fast_user_exit		@ the glue's switch
	tst	r7, #0x80
	bne	__previrt_exit_masked
previrt_fast_rfe_on:
	mov	r1, #1
	ldr	r3, [r0, #PREVIRT_AREA_IRQ_POKE] @ interrupts on: unless the glue has
	ldr	r3, [r3]			@ something to look at (poke), the exit's
	cmp	r3, #0				@ check of pending is the whole look
	beq	previrt_exit_enable		@ (r1 = 1)
	b	previrt_fast_glue_exit

/* movs pc, lr and subs pc, lr, #imm (an exception handler's return):
 * from IRQ, SVC, Abort or Undefined mode, CPSR = SPSR, to the modes and
 * states previrt_fast_rfe takes, through its bank switch and exit (the
 * same checks, made here before a thing changes). */
previrt_fast_dp_ret:
	ldr	r6, [r0, #CTX(14)]		@ lr
	ldr	r3, =MOVS_PC_LR
	cmp	r1, r3
	beq	1f
	lsr	r5, r1, #12			@ subs pc, lr, #<any immediate>
	ldr	r3, =(SUBS_PC_LR_IMM >> 12)
	cmp	r5, r3
	bne	previrt_slow
	ldr	r3, [lr, #PREVIRT_STUB_IMM_OFFSET - PREVIRT_STUB_DESC_OFFSET]
	sub	r6, r6, r3			@ the new pc
1:	ldr	r4, [r0, #PREVIRT_AREA_VCPSR]
	BANK	r4, r4
	sub	r3, r4, #2
	cmp	r3, #3				@ banks 2..5 only: an SPSR, not FIQ
	bhi	previrt_slow
	add	r5, r0, #PREVIRT_AREA_SPSR
	ldr	r7, [r5, r4, lsl #2]		@ the new CPSR: the SPSR
	ldr	r3, =(PSR_IT_J_ASM | 0x200)
	tst	r7, r3
	bne	previrt_slow
	BANK	r5, r7
	cmp	r5, #0				@ System or User (bank 0)
	beq	previrt_fast_rfe_switch
	sub	r3, r5, #2
	cmp	r3, #4				@ or banks 2..5
	bhi	previrt_slow
	b	previrt_fast_rfe_switch

/* svc #imm from ARM code (not semihosting): SVC exception entry. From
 * System mode (a native port's yield from a task, port_yield) the banks
 * are known, bank 0 to bank 3: its sp and lr go straight there, with no
 * bank lookup. Any other mode but FIQ takes the general bank switch. */
previrt_fast_svc_any:				@ (from below: r3 = the mode)
	cmp	r3, #0x11
	beq	previrt_slow
	BANK	r8, r6
	cmp	r8, #0xff
	beq	previrt_slow
	mov	r1, #BANK_SVC_ASM
	SWITCH_BANK r8, r1			@ (r4 and r5 kept)
	b	previrt_fast_svc_take
previrt_fast_svc:				@ (r4 = ret: the next instruction)
	ldr	r3, =SVC_SEMIHOSTING
	cmp	r1, r3
	beq	previrt_slow
	tst	r4, #1				@ a Thumb site
	bne	previrt_slow
	ldr	r6, [r0, #PREVIRT_AREA_VCPSR]	@ r6 = vcpsr from here on
	VCPSR_R5 r7, r6				@ the SPSR to save (T = 0)
	and	r3, r6, #0x1f
	cmp	r3, #0x1f
	bne	previrt_fast_svc_any
	ldrd	r10, r11, [r0, #CTX(13)]	@ System: bank 0 out (sp, lr), bank 3 in
	ldr	r3, [r0, #(PREVIRT_AREA_BANK_SP + 4 * BANK_SVC_ASM)]
	str	r10, [r0, #PREVIRT_AREA_BANK_SP]
	str	r11, [r0, #PREVIRT_AREA_BANK_LR]
	str	r3, [r0, #CTX(13)]		@ sp_svc (lr_svc is set below)
previrt_fast_svc_take:
	str	r7, [r0, #(PREVIRT_AREA_SPSR + 4 * BANK_SVC_ASM)]
	str	r4, [r0, #CTX(14)]		@ lr_svc: the next instruction
	bic	r3, r6, #0x1f
	orr	r3, r3, #(0x13 | 0x80)		@ SVC mode, I set
	str	r3, [r0, #PREVIRT_AREA_VCPSR]
	ldr	r3, [r0, #PREVIRT_AREA_SCTLR]	@ the vector base, as the glue's
	ldr	r3, [r3]			@ previrt_glue_vector_base gives it:
	tst	r3, #PREVIRT_SCTLR_V_BIT
	ldreq	r3, [r0, #PREVIRT_AREA_SYS_VBAR] @ VBAR, or the high vectors
	ldrne	r3, =0xffff0000
	add	r3, r3, #0x08			@ the SVC vector
	str	r3, [r0, #CTX(PREVIRT_CTX_PC)]
	msr	APSR_nzcvqg, r5			@ I is set: the masked exit, the
	ldm	r0, {r0-r15}			@ flags as the entry read them

/* After an exception return to User mode: the glue's switch (cpu.h). */
previrt_fast_user_exit:
	ldr	sp, [r0, #PREVIRT_AREA_STACK_TOP]
	b	previrt_glue_user_exit

/* After an exception return that enables virtual interrupts: what
 * previrt_glue_exit does after every slow-path instruction (also the
 * glue's previrt_glue_user_exit when it has something to look at). */
	.global previrt_fast_glue_exit
previrt_fast_glue_exit:
	ldr	sp, [r0, #PREVIRT_AREA_STACK_TOP]
	bl	previrt_fast_exit_glue		@ (cpu): sets irq_final again
	ldr	r0, =__previrt_cpu
	b	previrt_exit

	.global previrt_bank_of_mode
previrt_bank_of_mode:				@ modes 0x00..0x1f -> bank, 0xff: invalid
	.byte	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	.byte	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	.byte	0, 1, 2, 3, 0xff, 0xff, 0xff, 4		@ usr fiq irq svc . . . abt
	.byte	0xff, 0xff, 0xff, 5, 0xff, 0xff, 0xff, 0	@ . . . und . . . sys
previrt_spsr_of_mode:				@ modes 0x00..0x1f -> &spsr[bank] - area for
	.byte	0, 0, 0, 0, 0, 0, 0, 0		@ IRQ, SVC, Abort, Undefined mode; 0: another
	.byte	0, 0, 0, 0, 0, 0, 0, 0
	.byte	0, 0, SPSR_AT(2), SPSR_AT(3), 0, 0, 0, SPSR_AT(4)
	.byte	0, 0, 0, SPSR_AT(5), 0, 0, 0, 0
	.balign	4
	.ltorg

/* mrs Rd, cpsr; cpsid i (fused by the rewriter): the mrs, then interrupts
 * stay masked (they are since the entry). */
previrt_fast_mrs_cpsid:
	ldr	r6, [r0, #PREVIRT_AREA_VCPSR]
	VCPSR_R5 r3, r6
	ubfx	r4, r1, #12, #4			@ Rd
	str	r3, [r0, r4, lsl #2]
	msr	APSR_nzcvqg, r5			@ the masked exit, the flags as the
	ldm	r0, {r0-r15}			@ entry read them

/* mrs Rd, cpsr: flags and GE from the real APSR, M A F E from vcpsr, I
 * from the interrupt-enable word as it was (B9.3.8: IT, J, T read 0). */
previrt_fast_mrs:				@ (r5 = the APSR, from the entry)
	and	r3, r5, #0xf8000000		@ N Z C V Q
	and	r4, r5, #0x000f0000		@ GE
	orr	r3, r3, r4
	ldr	r4, [r0, #PREVIRT_AREA_VCPSR]
	bic	r4, r4, #0xa0			@ not I (stale outside a call), not T
	orr	r3, r3, r4
	cmp	r2, #0
	orreq	r3, r3, #0x80			@ I: virtual interrupts were off
	ubfx	r4, r1, #12, #4			@ Rd
	str	r3, [r0, r4, lsl #2]
	EXIT_AS_WAS r2
	.size __previrt_enter, . - __previrt_enter

/*
 * previrt_exit(cpu): to the guest context in cpu->ctx, the virtual
 * interrupt-enable word set to cpu->irq_final; from any point of the
 * runtime (its stack is dropped). r0 = &__previrt_cpu.
 */
	.global previrt_exit
	.type previrt_exit, %function
previrt_exit:
	ldr	r1, [r0, #PREVIRT_AREA_IRQ_FINAL]
	cmp	r1, #0
	beq	__previrt_exit_masked
	.global previrt_exit_enable
previrt_exit_enable:				@ (from a fast path: r1 = irq_final = 1)
	ldr	r2, [r0, #PREVIRT_AREA_IRQ_ENABLE]
	str	r1, [r2]			@ unmasked: the exit window starts
	.global __previrt_exit_unmasked
__previrt_exit_unmasked:
	ldr	r1, [r0, #PREVIRT_AREA_IRQ_PENDING]
	ldr	r1, [r1]
	cmp	r1, #0				@ something came in meanwhile?
	beq	__previrt_exit_masked
	ldr	r0, [r0, #PREVIRT_AREA_SYNC_CPTR] @ vcpu_sync, the system call
	mov	r7, #L4_SYS_VCPU_SYNC		@ (docs/vcpu.md): the kernel takes the
						@ interrupt as an upcall right here,
	svc	#0				@ which rolls forward to ctx
	ldr	r0, =__previrt_cpu
	.global __previrt_exit_masked
__previrt_exit_masked:
	ldr	r1, [r0, #CTX(PREVIRT_CTX_CPSR)]
	msr	APSR_nzcvqg, r1
	ldm	r0, {r0-r15}			@ the guest's registers; on at ctx[15]
	.global __previrt_exit_end
__previrt_exit_end:
	.size previrt_exit, . - previrt_exit
