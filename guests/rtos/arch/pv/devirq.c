/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The on-demand device interrupt (port.h): the PL031 RTC passed through to
 * this guest (docs/vmm.md, "Devices passed through"). The system
 * description gives the guest the RTC's registers (a device region, mapped
 * at their physical address) and its line (`irqs = 34`: virtual line
 * GUEST_INFO_LINE_PHYS + k); the guest-info page says which of each it got. The
 * port offers the device only when it has both. The driver is the native
 * port's (arch/arm/include/pl031.h): plain stores to the mapped registers.
 * After the handler the line is acknowledged in the state page (virq_ack,
 * taken by the next resume: pv_resume), as the
 * native port ends it at the GIC.
 */
#include <pl031.h>

#include "pv.h"

/* Facts of the board (QEMU virt) by which the guest recognises the RTC
 * among what it was given; native: arch/native/board.h. */
#define RTC_PADDR 0x09010000u
#define RTC_INTID 34u
#define pv_info ((const volatile uint32_t *)GUEST_INFO_VADDR)

static bool rtc_mapped(void)
{
    uint32_t n = pv_info[GUEST_INFO_NDEVICES];

    for (uint32_t k = 0; k < n && k < GUEST_MAX_DEVICES; k++) {
        if (pv_info[GUEST_INFO_DEVICE + 2 * k] == RTC_PADDR &&
            pv_info[GUEST_INFO_DEVICE + 2 * k + 1] >= RTOS_PAGE_SIZE)
            return true;
    }
    return false;
}

int port_devirq_line(void)
{
    static int line = -2; /* -2: not looked up yet */
    uint32_t n = pv_info[GUEST_INFO_NIRQS];

    if (line != -2)
        return line;
    line = -1;
    for (uint32_t k = 0; k < n && k < GUEST_MAX_IRQS; k++) {
        if (pv_info[GUEST_INFO_IRQ + k] == RTC_INTID && rtc_mapped()) {
            pl031_devirq_init(RTC_PADDR);
            line = (int)(pv_info[GUEST_INFO_LINE_PHYS] + k);
        }
    }
    return line;
}

void port_devirq_raise(void)
{
    pl031_devirq_raise(RTC_PADDR);
}

void port_devirq_clear(void)
{
    pl031_devirq_clear(RTC_PADDR);
}
