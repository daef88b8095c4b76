/* SPDX-License-Identifier: BSD-2-Clause */
/* The check of the check (check_kernel_fpu.py --bad): a 64-bit division
 * linked with libgcc's hard-float __aeabi_uldivmod, which must be caught.
 * Never run. */
#include <stdint.h>

volatile uint64_t bad_n = 1000000000000ull, bad_d = 3;
uint64_t bad_q;

void _start(void);
void _start(void)
{
    bad_q = bad_n / bad_d;
    for (;;)
        ;
}
