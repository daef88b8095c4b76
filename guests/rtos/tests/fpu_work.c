/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Floating-point work as an application writes it: C built hard-float
 * (l4build.hard_float), so GCC keeps the state in VFP registers across the
 * loop and across the poke call (d8-d15), and a tick or interrupt can land
 * anywhere in it. Any register or FPSCR the RTOS failed to keep changes
 * the result's bits. This file must not be called from kernel context.
 */
#include "fpu.h"

uint64_t fpu_work(uint32_t seed, uint32_t fpscr, uint32_t steps, void (*poke)(void *), void *arg)
{
    /* A damped oscillator (explicit Euler), a divided sum and a single-
     * precision low-pass filter over it. */
    double x = 1.0 + (double)seed / 8.0, v = 0.0, k = 0.5 + (double)seed / 64.0;
    double c = 0.01, h = 1.0 / 1000.0, acc = 0.0;
    float g = 0.1f * (float)(seed + 1);
    union {
        double d;
        uint64_t u;
    } r;

    arm_fpu_set_fpscr(fpscr);
    for (uint32_t i = 0; i < steps; i++) {
        double a = -k * x - c * v;

        v += a * h;
        x += v * h;
        acc += x / (3.0 + v * v);
        g = g * 0.999f + (float)x * 0.001f;
        if (poke && (i & 63) == 63)
            poke(arg);
    }
    r.d = acc + (double)g;
    return r.u;
}
