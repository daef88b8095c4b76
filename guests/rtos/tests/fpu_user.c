/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A protected task that computes in floating point (tests/fpu_test.c): the
 * one user program built with VFP registers (guests/rtos/SConscript,
 * tests_fp_user). Like every *_user.c it uses only its stack and its data
 * page: no globals, no library calls.
 */
#include <rtos/usys.h>

#define ROUNDS 12u

/* Loads d0-d31 from in and FPSCR, keeps them through ROUNDS rounds of
 * spins integer loop iterations (the window for preemption by ticks: the
 * RTOS time-slices tasks of one priority) and a system call that yields
 * to the other tasks of its priority, stores them to out and returns
 * FPSCR. Not inlined: its prologue saves d8-d15, a VFP instruction, which
 * must come after the FPU is enabled. */
static __attribute__((noinline)) uint32_t hold(const uint64_t *in, uint64_t *out, uint32_t fpscr,
                                               uint32_t spins)
{
    uint32_t got;

    __asm__ volatile("vldmia %[in], {d0-d15}\n\t"
                     "add r3, %[in], #128\n\t"
                     "vldmia r3, {d16-d31}\n\t"
                     "vmsr fpscr, %[fpscr]\n\t"
                     "mov r2, %[rounds]\n"
                     "1:\n\t"
                     "mov r1, %[spins]\n"
                     "2:\n\t"
                     "subs r1, r1, #1\n\t" /* ticks land here, all 32 registers live */
                     "bhi 2b\n\t"
                     "mov r0, %[yield]\n\t"
                     "svc #0\n\t" /* rtos_usys(USYS_YIELD): the others run */
                     "subs r2, r2, #1\n\t"
                     "bne 1b\n\t"
                     "vstmia %[out], {d0-d15}\n\t"
                     "add r3, %[out], #128\n\t"
                     "vstmia r3, {d16-d31}\n\t"
                     "vmrs %[got], fpscr"
                     : [got] "=r"(got)
                     : [in] "r"(in), [out] "r"(out), [fpscr] "r"(fpscr), [rounds] "I"(ROUNDS),
                       [spins] "r"(spins),
                       [yield] "I"(USYS_YIELD)
                     : "r0", "r1", "r2", "r3", "memory", "cc", "d0", "d1", "d2", "d3", "d4", "d5",
                       "d6", "d7", "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15", "d16",
                       "d17", "d18", "d19", "d20", "d21", "d22", "d23", "d24", "d25", "d26", "d27",
                       "d28", "d29", "d30", "d31");
    return got;
}

/*
 * Enables the FPU (twice: the second is harmless), then holds d0-d31 and
 * FPSCR of its own (from arg's low 8 bits) through ROUNDS rounds of
 * (arg >> 8) * 1024 spins and a yield to the other tasks of its priority
 * (FPU tasks among them). Returns 0 if every register came back, i + 1
 * for d<i>, 33 for FPSCR, 100 + the error if enabling failed.
 */
int user_fpu_own(uintptr_t arg, uintptr_t data_va)
{
    uint64_t in[32], out[32];
    volatile uint32_t *w = (volatile uint32_t *)in; /* (no vector stores before the enable) */
    uint32_t seed = (uint32_t)arg & 0xffu, got;
    uint32_t fpscr = ((seed & 0xfu) << 28) | (((seed >> 4) & 3u) << 22);
    int32_t e;

    (void)data_va;
    if ((e = usys_fpu_enable()) != 0 || (e = usys_fpu_enable()) != 0)
        return 100 - e;
    for (uint32_t i = 0; i < 64; i++)
        w[i] = seed * 0x9e3779b9u + i * 0x85ebca6bu;
    got = hold(in, out, fpscr, (uint32_t)(arg >> 8) * 1024u);
    for (uint32_t i = 0; i < 32; i++)
        if (out[i] != in[i])
            return (int)i + 1;
    return (got & 0xf0c00000u) == fpscr ? 0 : 33;
}
