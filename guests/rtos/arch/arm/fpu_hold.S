/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test support for the FPU tests (tests/fpu_test.c), shared by the ARM
 * ports: hold a known value in every floating-point register while the
 * RTOS preempts, switches and interrupts the task, then hand back what the
 * registers hold. C cannot do this: it cannot name d0-d31 and FPSCR.
 *
 * fpu_hold_t (tests/fpu.h; offsets checked there):
 *   0    uint64_t d[32]     loaded into d0-d31
 *   256  uint32_t fpscr     loaded into FPSCR
 *   260  uint32_t rounds    rounds of work (even: the work is then undone)
 *   264  uint32_t spins     integer loop iterations per round (>= 1)
 *   268  void (*poke)(void *)  called after every round unless NULL
 *   272  void *arg
 *   276  uint32_t out_fpscr FPSCR at the end
 *   280  uint64_t out[32]   d0-d31 at the end
 */
	.syntax unified
	.arm
	.fpu	neon-vfpv4

#define H_FPSCR 256
#define H_ROUNDS 260
#define H_SPINS 264
#define H_POKE 268
#define H_ARG 272
#define H_OUT_FPSCR 276
#define H_OUT 280

/*
 * arm_fpu_hold(h): load h->d and h->fpscr; per round spin h->spins times
 * (integer only: ticks and interrupts land here, with all 32 registers
 * live), negate d0-d15 (vneg.f64, floating point) and invert d16-d31
 * (vmvn on q8-q15, Advanced SIMD), then call h->poke(h->arg). poke is
 * built without VFP registers (like the whole RTOS core), so although
 * AAPCS would let it clobber d0-d7 and d16-d31, nothing but a wrong
 * switch by the RTOS can change them. At the end store d0-d31 and FPSCR
 * to h->out and h->out_fpscr. Callee-saved d8-d15 are preserved.
 */
	.global arm_fpu_hold
	.type arm_fpu_hold, %function
arm_fpu_hold:
	push	{r4-r6, lr}
	vpush	{d8-d15}			@ AAPCS: the caller's d8-d15
	mov	r4, r0
	ldr	r1, [r4, #H_FPSCR]
	vmsr	fpscr, r1
	vldmia	r0!, {d0-d15}
	vldmia	r0, {d16-d31}
	ldr	r5, [r4, #H_ROUNDS]
1:	ldr	r6, [r4, #H_SPINS]
2:	subs	r6, r6, #1			@ the window for preemption
	bne	2b
	vneg.f64 d0, d0
	vneg.f64 d1, d1
	vneg.f64 d2, d2
	vneg.f64 d3, d3
	vneg.f64 d4, d4
	vneg.f64 d5, d5
	vneg.f64 d6, d6
	vneg.f64 d7, d7
	vneg.f64 d8, d8
	vneg.f64 d9, d9
	vneg.f64 d10, d10
	vneg.f64 d11, d11
	vneg.f64 d12, d12
	vneg.f64 d13, d13
	vneg.f64 d14, d14
	vneg.f64 d15, d15
	vmvn	q8, q8
	vmvn	q9, q9
	vmvn	q10, q10
	vmvn	q11, q11
	vmvn	q12, q12
	vmvn	q13, q13
	vmvn	q14, q14
	vmvn	q15, q15
	ldr	r3, [r4, #H_POKE]
	cmp	r3, #0
	ldrne	r0, [r4, #H_ARG]
	blxne	r3
	subs	r5, r5, #1
	bne	1b
	add	r0, r4, #H_OUT
	vstmia	r0!, {d0-d15}
	vstmia	r0, {d16-d31}
	vmrs	r1, fpscr
	str	r1, [r4, #H_OUT_FPSCR]
	vpop	{d8-d15}
	pop	{r4-r6, pc}
	.size arm_fpu_hold, . - arm_fpu_hold

/* arm_fpu_set_fpscr(v): FPSCR = v (a rounding mode for compiled work). */
	.global arm_fpu_set_fpscr
	.type arm_fpu_set_fpscr, %function
arm_fpu_set_fpscr:
	vmsr	fpscr, r0
	bx	lr
	.size arm_fpu_set_fpscr, . - arm_fpu_set_fpscr
