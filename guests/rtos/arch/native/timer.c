/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ARM generic timer, virtual view (CNTV, PPI 27 on virt; ARM ARM B8).
 * The tick is programmed as an absolute compare value advanced by a fixed
 * period, so ticks do not drift with interrupt latency. If the tick was
 * late by several periods the compare value is still in the past and the
 * timer fires again at once: missed ticks are caught up, not lost.
 */
#include <rtos/rtos.h>

#include "board.h"
#include "cpu.h"

#define CNTV_CTL_ENABLE 1u

static uint64_t tick_period;   /* counter ticks per RTOS tick */
static uint64_t tick_deadline; /* CNTV_CVAL currently programmed */

uint64_t port_time_hz(void)
{
    return CP15_READ(0, c14, c0, 0); /* CNTFRQ */
}

uint64_t port_time_now(void)
{
    cpu_isb();                  /* do not read the counter early (ARM ARM B8.1.2) */
    return CP15_READ64(1, c14); /* CNTVCT */
}

void port_tick_start(unsigned hz)
{
    tick_period = port_time_hz() / hz;
    tick_deadline = port_time_now() + tick_period;
    CP15_WRITE64(3, c14, tick_deadline);        /* CNTV_CVAL */
    CP15_WRITE(0, c14, c3, 1, CNTV_CTL_ENABLE); /* CNTV_CTL */
    port_irq_unmask(BOARD_TIMER_PPI);
}

/* From the IRQ handler: re-arm, then announce the tick. */
void native_timer_irq(void)
{
    tick_deadline += tick_period;
    CP15_WRITE64(3, c14, tick_deadline);
    rtos_kernel_tick();
}
