/* SPDX-License-Identifier: BSD-2-Clause */
/* Host stand-in for kernel/plat/qemu-virt/include/plat/timer.h (whose
 * inline functions are ARM cp15 accesses): the counter is a variable the
 * test sets, and the tick and programming steps are the test's functions. */
#pragma once
#include <types.h>

extern uint64_t unit_timer_now;
static inline uint64_t plat_timer_now(void)
{
    return unit_timer_now;
}
bool plat_timer_tick_due(uint64_t now);
void plat_timer_program(uint64_t deadline);
