/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * C entry of the native port, called by start.S in SVC mode with IRQs
 * masked, on the kernel stack, .bss zeroed, MMU off.
 */
#include <rtos/rtos.h>

#include "cpu.h"

void native_boot(void)
{
    native_mmu_init(); /* first: unaligned accesses need the MMU on */
    native_uart_init();
    native_gic_init();
    native_pmu_init();
    native_fpu_init();
    rtos_main();
}
