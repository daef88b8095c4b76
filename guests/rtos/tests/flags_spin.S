/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * flags_spin(spin): the spinning half of tests/flags_test.c. Sets the
 * condition flags (N Z C V Q GE) to spin->apsr and r0-r12, lr to
 * spin->seed ^ (i << 24) (lr: i = 14), then loops without ever writing the
 * flags again (no flag-setting instruction, loop control by a computed
 * jump), so whatever an interrupt or a preemption leaves behind is seen:
 * each round checks N Z C V (conditional orr, which keeps them) and GE
 * (sel, which reads them) against spin->nzcv and spin->ge, and every
 * register against its value; mismatches are ORed into spin->err_flags and
 * spin->err_regs. The loop ends when *spin->count reaches its value at
 * entry plus spin->events, or after spin->left rounds (then left < 0). Q
 * has no conditional test: the APSR at the end (flags_apsr_read, before
 * any instruction that could set a flag) goes to spin->apsr_end.
 * Entry: AAPCS call, ARM state. Exit: the spin_t fields above written.
 * Nothing is written below sp (an interrupt may write there).
 */
	.syntax unified
	.arm

#define SPIN_APSR 0
#define SPIN_NZCV 4
#define SPIN_GE 8
#define SPIN_COUNT 12
#define SPIN_EVENTS 16
#define SPIN_LEFT 20
#define SPIN_SEED 24
#define SPIN_ERR_FLAGS 28
#define SPIN_ERR_REGS 32
#define SPIN_WANT_M1 36
#define SPIN_APSR_END 40

	.text
	.global flags_spin
	.type flags_spin, %function
flags_spin:
	push	{r4-r11, lr}
	push	{r0}				@ [sp]: spin, through the loop
	ldr	r1, [r0, #SPIN_COUNT]
	ldr	r1, [r1]
	ldr	r2, [r0, #SPIN_EVENTS]
	add	r1, r1, r2
	sub	r1, r1, #1
	str	r1, [r0, #SPIN_WANT_M1]		@ done once *count > want_m1
	mov	r1, #0
	str	r1, [r0, #SPIN_ERR_FLAGS]
	str	r1, [r0, #SPIN_ERR_REGS]
	ldr	r2, [r0, #SPIN_APSR]
	ldr	r1, [r0, #SPIN_SEED]
	msr	APSR_nzcvqg, r2			@ the flags: never written again
	.irp i, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
	eor	r\i, r1, #(\i << 24)
	.endr
	eor	lr, r1, #(14 << 24)
	mov	r0, r1
	eor	r1, r1, #(1 << 24)
1:	.rept	32				@ every register and flag live
	nop
	.endr
	sub	sp, sp, #20			@ r0-r3 saved, a word for the jump
	stmia	sp, {r0-r3}
	ldr	r2, [sp, #20]			@ r2: spin
	mov	r0, #0				@ r0: N Z C V as bits 3-0
	orrmi	r0, r0, #8
	orreq	r0, r0, #4
	orrcs	r0, r0, #2
	orrvs	r0, r0, #1
	ldr	r1, [r2, #SPIN_NZCV]
	eor	r0, r0, r1
	ldr	r1, [r2, #SPIN_GE]		@ byte i: 0xff iff GE[i] wanted
	mvn	r3, r1
	sel	r1, r3, r1			@ 0 iff GE as wanted
	orr	r0, r0, r1
	ldr	r1, [r2, #SPIN_ERR_FLAGS]
	orr	r1, r1, r0
	str	r1, [r2, #SPIN_ERR_FLAGS]
	ldr	r3, [r2, #SPIN_SEED]		@ r0: register differences
	mov	r0, #0
	.irp i, 0, 1, 2, 3
	ldr	r1, [sp, #(\i * 4)]
	eor	r1, r1, r3
	eor	r1, r1, #(\i << 24)
	orr	r0, r0, r1
	.endr
	.irp i, 4, 5, 6, 7, 8, 9, 10, 11, 12
	eor	r1, r\i, r3
	eor	r1, r1, #(\i << 24)
	orr	r0, r0, r1
	.endr
	eor	r1, lr, r3
	eor	r1, r1, #(14 << 24)
	orr	r0, r0, r1
	ldr	r1, [r2, #SPIN_ERR_REGS]
	orr	r1, r1, r0
	str	r1, [r2, #SPIN_ERR_REGS]
	ldr	r1, [r2, #SPIN_LEFT]		@ one round less
	sub	r1, r1, #1
	str	r1, [r2, #SPIN_LEFT]
	ldr	r0, [r2, #SPIN_COUNT]
	ldr	r0, [r0]
	ldr	r3, [r2, #SPIN_WANT_M1]
	sub	r0, r3, r0			@ < 0: the events came
	orr	r0, r0, r1			@ < 0: or the bound
	asr	r0, r0, #31			@ r0: all ones iff done
	adr	r1, 1b
	adr	r3, 2f
	sub	r3, r3, r1
	and	r3, r3, r0
	add	r1, r1, r3			@ r1: 1b, or 2f when done
	str	r1, [sp, #16]
	ldmia	sp!, {r0-r3, pc}		@ registers back, on to r1's pick
2:	bl	flags_apsr_read			@ r0: the APSR (bl sets no flag)
	ldr	r1, [sp]
	str	r0, [r1, #SPIN_APSR_END]
	add	sp, sp, #4
	pop	{r4-r11, pc}
	.size flags_spin, . - flags_spin

/*
 * flags_apsr_read(): the APSR (N Z C V Q GE; the rest of the CPSR read
 * means nothing here). The one sensitive instruction of the test image:
 * at PL0 it reads the flags faithfully, and the paravirtual image's audit
 * allows this function alone (guests/rtos/SConscript).
 * Entry: AAPCS call. Exit: r0 = the APSR; flags unchanged.
 */
	.global flags_apsr_read
	.type flags_apsr_read, %function
flags_apsr_read:
	mrs	r0, APSR
	bx	lr
	.size flags_apsr_read, . - flags_apsr_read
