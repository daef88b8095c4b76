/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The port's on-demand device interrupt (port.h): the PL031 RTC's alarm,
 * SPI 2 (INTID 34) on virt, through the GIC like any device line. The
 * device is set up when first asked for, so a program that never uses it
 * leaves it as the board reset it.
 */
#include <rtos/rtos.h>

#include <pl031.h>

#include "board.h"

int port_devirq_line(void)
{
    static bool ready;

    if (!ready) {
        pl031_devirq_init(BOARD_RTC_BASE);
        ready = true;
    }
    return BOARD_RTC_SPI;
}

void port_devirq_raise(void)
{
    pl031_devirq_raise(BOARD_RTC_BASE);
}

void port_devirq_clear(void)
{
    pl031_devirq_clear(BOARD_RTC_BASE);
}
