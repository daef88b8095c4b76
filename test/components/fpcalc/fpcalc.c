/* SPDX-License-Identifier: BSD-2-Clause */
/* A component built hard-float: it sums k * factor for k = 1..N in a
 * double, yielding the processor every few steps so that its twin (the
 * same program, another factor: systems/components.sys) runs with its own
 * sum in the same VFP registers, and checks the exact result (below 2^53
 * every partial sum is exact). The kernel switches the FPU state lazily;
 * here that it does so between components. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>

#define N 4000

void init(void)
{
    const double factor = strcmp(comp_name(), "fp-a") == 0 ? 3.0 : 7.0;
    register double sum __asm__("d8") = 0.0; /* kept in a VFP register across the yields */
    for (int k = 1; k <= N; k++) {
        sum += (double)k * factor;
        if (k % 16 == 0)
            l4_yield();
    }
    const double want = factor * N * (N + 1) / 2;
    printf("[test] %s fpcalc_%s_sum_exact_across_yields (%ld)\n", sum == want ? "PASS" : "FAIL",
           comp_name(), (long)sum);
    exit(sum == want ? 0 : 1);
}
