/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FPU tests' shared declarations: the register-holding routine of the
 * ARM ports (arch/arm/fpu_hold.S) and the compiled floating-point work
 * (fpu_work.c, the one test file built hard-float with VFP registers;
 * everything else, like the RTOS core, is built without them).
 */
#ifndef RTOS_TEST_FPU_H
#define RTOS_TEST_FPU_H

#include <stddef.h>

#include <rtos/rtos.h>

/* What arm_fpu_hold() loads, how long it holds it, and what it found. */
typedef struct fpu_hold {
    uint64_t d[32];       /* loaded into d0-d31 */
    uint32_t fpscr;       /* loaded into FPSCR */
    uint32_t rounds;      /* rounds of work (even: the work is undone) */
    uint32_t spins;       /* integer loop iterations per round (>= 1) */
    void (*poke)(void *); /* after every round, unless NULL */
    void *arg;
    uint32_t out_fpscr; /* FPSCR at the end */
    uint64_t out[32];   /* d0-d31 at the end */
} fpu_hold_t;

_Static_assert(offsetof(fpu_hold_t, fpscr) == 256 && offsetof(fpu_hold_t, rounds) == 260 &&
                   offsetof(fpu_hold_t, spins) == 264 && offsetof(fpu_hold_t, poke) == 268 &&
                   offsetof(fpu_hold_t, arg) == 272 && offsetof(fpu_hold_t, out_fpscr) == 276 &&
                   offsetof(fpu_hold_t, out) == 280,
               "arch/arm/fpu_hold.S layout");

void arm_fpu_hold(fpu_hold_t *h);
void arm_fpu_set_fpscr(uint32_t fpscr);

/* Compiled floating-point work (double and single precision, divisions)
 * under the given FPSCR (its rounding mode matters), calling poke(arg)
 * every 64 steps unless NULL. Returns the result's bit pattern. */
uint64_t fpu_work(uint32_t seed, uint32_t fpscr, uint32_t steps, void (*poke)(void *), void *arg);

#endif
