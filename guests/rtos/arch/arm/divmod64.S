/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * 64-bit division for the guest kernels, in core registers only. The
 * compiler calls __aeabi_uldivmod / __aeabi_ldivmod for a 64-bit `/` or
 * `%` (port_tick_start's tick period, the benchmarks' averages). libgcc's
 * (the hard-float multilib, thumb/v7ve+simd/hard) go through __udivmoddi4,
 * which keeps values in d16: kernel code touching the FPU it never enabled
 * (natively FPEXC.EN may be off: an undefined instruction) or whose
 * registers belong to a task (the lazy switch, core/fpu.c: the task's d16
 * is corrupted). Defined here, the linker takes these and never pulls
 * libgcc's; the fpu-free-kernels suite (test/guest/SConscript) checks
 * every guest image for a libgcc function with a VFP/NEON instruction.
 *
 * Run-time ABI for the ARM architecture (IHI 0043), 4.3.1: numerator in
 * r1:r0, denominator in r3:r2; quotient returned in r1:r0, remainder in
 * r3:r2. Division by zero returns quotient 0 and the numerator as the
 * remainder (the ABI leaves the result to __aeabi_ldiv0; nothing here
 * divides by zero).
 */
	.syntax unified
	.arm
	.text

/* Unsigned. Both high words 0: one udiv (Cortex-A15 has it, ARM ARM
 * A8.8.248). Otherwise restoring division, one quotient bit a step, from
 * the numerator's highest set bit down (at most 64 steps). */
	.global __aeabi_uldivmod
	.type __aeabi_uldivmod, %function
__aeabi_uldivmod:
	orrs	ip, r2, r3
	beq	.Lzero			@ x / 0
	orrs	ip, r1, r3
	bne	.Lwide
	udiv	ip, r0, r2		@ 32 / 32: q = n / d
	mls	r2, ip, r2, r0		@ r = n - q * d
	mov	r0, ip
	mov	r1, #0
	mov	r3, #0
	bx	lr
.Lzero:
	mov	r2, r0			@ remainder = numerator
	mov	r3, r1
	mov	r0, #0
	mov	r1, #0
	bx	lr
.Lwide:
	push	{r4-r7, lr}
	mov	r6, #0			@ r7:r6: the partial remainder
	mov	r7, #0
	cmp	r1, #0			@ steps = 64 - leading zeros of n,
	clzne	r4, r1			@ with n shifted up by as many
	clzeq	r4, r0
	addeq	r4, r4, #32
	rsb	r5, r4, #64		@ r5 = steps (0 if n == 0)
	cmp	r4, #32
	movcs	r1, r0			@ shift n left by r4 (0..63)
	movcs	r0, #0
	subcs	r4, r4, #32
	cmp	r4, #0
	beq	1f
	rsb	ip, r4, #32
	lsl	r1, r1, r4
	orr	r1, r1, r0, lsr ip
	lsl	r0, r0, r4
1:	cmp	r5, #0
	beq	3f			@ n == 0: q = 0, r = 0
2:	adds	r0, r0, r0		@ (r7:r6:r1:r0) <<= 1, the top bit in C
	adcs	r1, r1, r1
	adcs	r6, r6, r6
	adcs	r7, r7, r7
	movcs	r4, #1			@ r4: the remainder's 65th bit
	movcc	r4, #0
	subs	ip, r6, r2		@ lr:ip = remainder - d, C = no borrow
	sbcs	lr, r7, r3
	cmpcc	r4, #1			@ a 65-bit remainder is >= d anyway
	movcs	r6, ip
	movcs	r7, lr
	orrcs	r0, r0, #1		@ quotient bit
	subs	r5, r5, #1
	bne	2b
3:	mov	r2, r6
	mov	r3, r7
	pop	{r4-r7, pc}
	.size __aeabi_uldivmod, . - __aeabi_uldivmod

/* Signed: on the magnitudes; the quotient is negative if the signs
 * differ, the remainder has the numerator's sign (C's truncation). */
	.global __aeabi_ldivmod
	.type __aeabi_ldivmod, %function
__aeabi_ldivmod:
	push	{r4, lr}
	mov	r4, #0
	cmp	r1, #0
	bge	1f
	rsbs	r0, r0, #0		@ n = -n
	rsc	r1, r1, #0
	eor	r4, r4, #3		@ bit 0: negate q, bit 1: negate r
1:	cmp	r3, #0
	bge	2f
	rsbs	r2, r2, #0		@ d = -d
	rsc	r3, r3, #0
	eor	r4, r4, #1
2:	bl	__aeabi_uldivmod
	tst	r4, #1
	beq	3f
	rsbs	r0, r0, #0
	rsc	r1, r1, #0
3:	tst	r4, #2
	beq	4f
	rsbs	r2, r2, #0
	rsc	r3, r3, #0
4:	pop	{r4, pc}
	.size __aeabi_ldivmod, . - __aeabi_ldivmod
