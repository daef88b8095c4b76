/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtual generic timer (ARM ARM B8, the CNTV_* registers) of a
 * pre-virtualised guest: the counter is the real CNTVCT (PL0-readable
 * here, no virtual offset without Hyp mode); the compare value and
 * control live here, and the timer server's one-shot timer (TIMER_SET on
 * line PREVIRT_LINE_TIMER) wakes the runtime when CNTVCT reaches CVAL, at
 * which point PPI 27 becomes pending in the virtual GIC.
 *
 * The line is a level (B8.1.5): asserted while the condition holds and
 * IMASK is clear. It is sampled when the guest writes CVAL, TVAL or CTL
 * and when the one-shot fires, so a compare value already in the past
 * raises the interrupt at once, as natively.
 */
#include <l4/l4.h>

#include "l4glue.h"

#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

static void vtimer_timer_set(uint32_t us)
{
    l4_msg_t m = {.info = l4_msginfo(TIMER_SET, 0, 2), .mr = {us, 0}};

    l4_call(GUEST_CAP_TIMER, &m);
}

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
    uint64_t now, delta;
    uint32_t freq;

    if (!(g->vtimer_ctl & CTL_ENABLE)) {
        vgic_clear_pending(gic, PREVIRT_VTIMER_PPI);
        if (g->vtimer_armed)
            vtimer_timer_set(0); /* stop */
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
    /* Round up, so the one-shot never fires before CVAL (it is checked
     * again then anyway). */
    delta = g->vtimer_cval - now;
    freq = previrt_hw_frequency();
    if (delta > (uint64_t)freq * 1000u) /* beyond 1000 s: wake then and look again */
        delta = (uint64_t)freq * 1000u;
    vtimer_timer_set((uint32_t)((delta * 1000000u + freq - 1) / freq) + 1);
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
