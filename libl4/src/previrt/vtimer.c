/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtual generic timer (ARM ARM B8, the CNTV_* registers) of a
 * pre-virtualised guest: the counter is the real CNTVCT (PL0-readable
 * here, no virtual offset without Hyp mode); the compare value and
 * control live here, and the vCPU's own kernel timer 0 (vcpu_set_timer,
 * docs/vcpu.md "The virtual timer", on line PREVIRT_LINE_TIMER) is armed
 * at CVAL itself, an absolute deadline on the same counter: the runtime
 * wakes when CNTVCT reaches CVAL, with no server, no IPC and no
 * conversion of units on the way, and PPI 27 becomes pending in the
 * virtual GIC.
 *
 * The line is a level (B8.1.5): asserted while the condition holds and
 * IMASK is clear. It is sampled when the guest writes CVAL, TVAL or CTL
 * and when the kernel timer fires, so a compare value already in the past
 * raises the interrupt at once, as natively.
 */
#include <l4/l4.h>

#include "l4glue.h"

#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

#define VTIMER 0u /* the vCPU timer behind CNTV (the runtime uses no other) */

uint32_t previrt_vtimer_ctl(void)
{
    previrt_l4_t *g = &previrt_l4;
    uint32_t ctl = g->vtimer_ctl & (CTL_ENABLE | CTL_IMASK);

    if ((ctl & CTL_ENABLE) && previrt_hw_counter() >= g->vtimer_cval)
        ctl |= CTL_ISTATUS;
    return ctl;
}

void previrt_vtimer_update(void)
{
    previrt_l4_t *g = &previrt_l4;
    vgic_t *gic = &g->shared.vgic;
    uint64_t now;

    if (!(g->vtimer_ctl & CTL_ENABLE)) {
        vgic_clear_pending(gic, PREVIRT_VTIMER_PPI);
        if (g->vtimer_armed)
            l4_vcpu_cancel_timer(GUEST_CAP_VCPU, VTIMER);
        g->vtimer_armed = 0;
        return;
    }
    now = previrt_hw_counter();
    if (now >= g->vtimer_cval) {
        if (!(g->vtimer_ctl & CTL_IMASK)) {
            vgic_set_pending(gic, PREVIRT_VTIMER_PPI);
            g->shared.poke = 1;
        }
        return;
    }
    vgic_clear_pending(gic, PREVIRT_VTIMER_PPI);
    /* (a deadline the counter reaches before the kernel sees it fires at once) */
    l4_vcpu_set_timer(GUEST_CAP_VCPU, VTIMER, 0, PREVIRT_LINE_TIMER, (uint32_t)g->vtimer_cval,
                      (uint32_t)(g->vtimer_cval >> 32), 0);
    g->vtimer_armed = 1;
}

void previrt_vtimer_set_ctl(uint32_t v)
{
    previrt_l4.vtimer_ctl = v & (CTL_ENABLE | CTL_IMASK);
    previrt_vtimer_update();
}

void previrt_vtimer_set_cval(uint64_t v)
{
    previrt_l4.vtimer_cval = v;
    previrt_vtimer_update();
}
