/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupts routed straight to a vCPU (irq_handler_route_vcpu) and their
 * acknowledgement in the state page (virq_ack), docs/vcpu.md "Interrupts
 * routed to a vCPU": every error of the route and of the ack, the line
 * masked from its delivery to the guest's ack, the ack taken by every
 * resume and sync (system calls and invocations), the wake-up of a guest
 * idling on its bound notification, and the route's end when the line is
 * cleared, the handler or the vCPU destroyed, or the vCPU unbound. The
 * source is the test line (util.h: the PL061's INTID 39, level-triggered,
 * so it stays asserted until the guest lowers it). The scenario test prints
 * `[twin]` lines: the suite vcpu-twin compares them between the kernel with
 * the vCPU fast paths and the one without, as it does the lines of the
 * fall-back scenario (a masked priority, virtual interrupts off, an ack
 * of a line that is not active: the assembly paths' fall-backs). */
#include <stdio.h>
#include <l4/vcpu.h>
#include "util.h"

#define STATE_VA (UTIL_VADDR_TEST + 8 * UTIL_MB)
#define ENTRY_STACK_WORDS 512
#define VTIMER_IRQ UTIL_TEST_IRQ /* the test line (util.h) */
#define SPARE_IRQ 40 /* an SPI nothing on the board raises */
#define LINE 9       /* the virtual line the timer is routed to */
#define BITL (1u << LINE)
#define EVENTS 8
#define C L4_CAP_INIT_CNODE

#define ST(f) (((volatile l4_word_t *)STATE_VA)[L4_VCPU_STATE_##f])
#define KREG(i) (((volatile l4_word_t *)STATE_VA)[L4_VCPU_STATE_KREGS + (i)])

static l4_word_t entry_stack[ENTRY_STACK_WORDS] __attribute__((aligned(8)));
static l4_cptr_t vcpu, done_ntfn, park_ntfn, bound_ntfn;
static volatile l4_word_t n_up, up_bits[EVENTS], up_user[EVENTS], up_ack[EVENTS];
static volatile l4_word_t errs[16], n_errs, spun_quiet, woke_bits;

static void err(l4_word_t e)
{
    if (n_errs < 16)
        errs[n_errs++] = e;
}

static l4_cptr_t handler_for(l4_word_t irq)
{
    l4_cptr_t h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, irq, h, 32, C), L4_ERR_OK);
    return h;
}

static void park(void)
{
    l4_signal(done_ntfn);
    for (;;)
        l4_wait(park_ntfn, NULL); /* never signalled */
}

/* A bound vCPU whose thread (not started) runs fn. */
static util_thread_t *vcpu_thread(util_thread_fn fn)
{
    util_root_lower();
    n_up = n_errs = spun_quiet = woke_bits = 0;
    done_ntfn = util_notification();
    park_ntfn = util_notification();
    vcpu = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t state = util_map_new_frame(STATE_VA);
    util_thread_t *t = util_thread_create(fn, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, util_copy(state, L4_RIGHTS_ALL)), L4_ERR_OK);
    bound_ntfn = util_notification();
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, bound_ntfn), L4_ERR_OK);
    return t;
}

static void take_one(util_thread_t *t);

/* --- the route's errors ------------------------------------------------------------ */

TEST(vcpu_irq_route_errors)
{
    util_thread_t *t = vcpu_thread(take_one); /* never started */
    l4_cptr_t h = handler_for(VTIMER_IRQ), h2 = handler_for(SPARE_IRQ);
    l4_cptr_t unbound = util_new(L4_OBJ_VCPU, 0);
    l4_word_t mr[1] = {LINE};
    CHECK_EQ(l4_invoke(h, L4_IRQ_HANDLER_ROUTE_VCPU, mr, 1, 0, 0, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE); /* no vCPU */
    l4_cptr_t caps[1] = {vcpu};
    CHECK_EQ(l4_invoke(h, L4_IRQ_HANDLER_ROUTE_VCPU, mr, 0, caps, 1, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE); /* no line */
    CHECK_EQ(l4_irq_handler_route_vcpu(h, LINE, util_slot()), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, LINE, bound_ntfn), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, 32, vcpu), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, ~0u, vcpu), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, LINE, unbound), L4_ERR_ILLEGAL_OPERATION);
    /* a line that has a notification */
    CHECK_EQ(l4_irq_handler_set_notification(h, util_notification()), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, LINE, vcpu), L4_ERR_ALREADY_ROUTED);
    CHECK_EQ(l4_irq_handler_clear(h), L4_ERR_OK);
    /* routed once; not again, not a second line to the same virtual line */
    CHECK_EQ(l4_irq_handler_route_vcpu(h, 31, vcpu), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, LINE, vcpu), L4_ERR_ALREADY_ROUTED);
    CHECK_EQ(l4_irq_handler_route_vcpu(h2, 31, vcpu), L4_ERR_ALREADY_ROUTED);
    CHECK_EQ(l4_irq_handler_set_notification(h, util_notification()), L4_ERR_ALREADY_ROUTED);
    CHECK_EQ(l4_irq_handler_route_vcpu(h2, 0, vcpu), L4_ERR_OK); /* another line: fine */
    /* clear ends the route: the line and the virtual line are free again */
    CHECK_EQ(l4_irq_handler_clear(h), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_route_vcpu(h2, 31, vcpu), L4_ERR_ALREADY_ROUTED); /* h2 routed */
    CHECK_EQ(l4_irq_handler_clear(h2), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_route_vcpu(h2, 31, vcpu), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_set_notification(h, util_notification()), L4_ERR_OK);
    util_delete(h);
    util_delete(h2);
    (void)t;
}

/* --- the scenario: masked until acked, every form of ack ------------------------- */

/* The upcall entry: log, then per event: resume without an ack (the line
 * stays masked: the guest code spins quietly), or ack in the resume, fast
 * or invoked. From kernel mode always (the guest never enters guest user). */
static void scenario_entry(void)
{
    l4_word_t i = n_up++;
    if (i < EVENTS) {
        up_user[i] = ST(FROM_USER);
        up_bits[i] = l4_vcpu_take_pending((l4_vcpu_state_t *)STATE_VA);
        up_ack[i] = ST(VIRQ_ACK);
    }
    switch (i) {
    case 0: /* no ack: the code goes on, the line stays masked */
    case 1: /* (after the fast sync's ack) */
        l4_vcpu_resume(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
        break;
    case 2: /* (after the invoked sync's ack) ack in the fast resume */
        ST(VIRQ_ACK) = BITL;
        l4_vcpu_resume(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
        break;
    case 3: /* ack in the invoked resume */
        ST(VIRQ_ACK) = BITL;
        l4_vcpu_resume_invoke(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
        break;
    case 4: /* the line lowered, then the ack */
        util_line_set(0, 0);
        ST(VIRQ_ACK) = BITL;
        l4_vcpu_resume(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
        break;
    default:
        park();
    }
    park(); /* a resume failed */
}

static void scenario_guest(util_thread_t *t)
{
    (void)t;
    ST(ENTRY_PC) = (l4_word_t)scenario_entry;
    ST(ENTRY_SP) = (l4_word_t)&entry_stack[ENTRY_STACK_WORDS];
    /* an ack of a line that is not active: nothing done, the word kept */
    ST(VIRQ_ACK) = BITL;
    err(l4_vcpu_sync(vcpu));
    err(l4_vcpu_sync_invoke(vcpu));
    err(l4_vcpu_resume(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL));
    err(l4_vcpu_resume_invoke(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL));
    err(ST(VIRQ_ACK));
    ST(VIRQ_ACK) = 1u << 3; /* a line not routed at all */
    err(l4_vcpu_sync(vcpu));
    ST(VIRQ_ACK) = 0;
    ST(VIRQ_ENABLED) = 1;
    util_line_set(50, 1); /* level: asserted from now until turned off */
    while (n_up == 0)
        ;
    /* upcall 0 came and was resumed without an ack: masked, quiet */
    util_spin(200000);
    spun_quiet = n_up == 1 && util_line_asserted(); /* still asserted */
    ST(VIRQ_ACK) = BITL;
    err(l4_vcpu_sync(vcpu)); /* the ack (fast): the line fires at once: upcall 1 */
    ST(VIRQ_ACK) = BITL;
    err(l4_vcpu_sync_invoke(vcpu)); /* the ack (invoked): upcall 2, and 3, 4 from its resumes */
    util_spin(20000);
    err(n_up);
    err(ST(VIRQ_ACK)); /* every ack consumed */
    park();
}

TEST(vcpu_irq_routed_line_masked_until_acked_by_every_resume_and_sync)
{
    util_thread_t *t = vcpu_thread(scenario_guest);
    l4_cptr_t h = handler_for(VTIMER_IRQ);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, LINE, vcpu), L4_ERR_OK);
    util_thread_start(t);
    CHECK_EQ(l4_wait(done_ntfn, NULL), L4_ERR_OK);
    CHECK_EQ(n_errs, 10);
    for (unsigned i = 0; i < 4; i++)
        CHECK_EQ(errs[i], L4_ERR_NOT_ACTIVE);
    CHECK_EQ(errs[4], BITL); /* kept */
    CHECK_EQ(errs[5], L4_ERR_NOT_ACTIVE);
    CHECK_EQ(errs[6], L4_ERR_OK);
    CHECK_EQ(errs[7], L4_ERR_OK);
    CHECK_EQ(errs[8], 5); /* five deliveries, none after the timer went off */
    CHECK_EQ(errs[9], 0);
    CHECK_EQ(spun_quiet, 1);
    for (unsigned i = 0; i < 5; i++) {
        CHECK_EQ(up_bits[i], BITL);
        CHECK_EQ(up_user[i], 0);
        CHECK_EQ(up_ack[i], 0); /* the kernel cleared the word it took */
    }
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    for (unsigned i = 0; i < 5; i++)
        printf("[twin] virq upcall %u: bits %lx user %lu\n", i, up_bits[i], up_user[i]);
    for (unsigned i = 0; i < n_errs; i++)
        printf("[twin] virq err %u: %lu\n", i, errs[i]);
    for (unsigned i = 0; i < L4_VCPU_STATE_WORDS; i++)
        if (i < L4_VCPU_STATE_KREGS || i >= L4_VCPU_STATE_KREGS + L4_VCPU_REGS)
            printf("[twin] virq state %u: %08lx\n", i, ((volatile l4_word_t *)STATE_VA)[i]);
    util_delete(h);
}

/* --- the fall-backs of the fast paths (in assembly on the bench kernel) ------------ */

/* The line's priority, and the running priority that masks it. */
#define PRIO_LINE 8
#define PMR_PASSES 12 /* below L4_VCPU_PRIO_NONE, above the line's priority */

static volatile l4_word_t fb_pending_masked, fb_pending_off;

/* From kernel mode always: resume(KERNEL) with an ack of the line that
 * fires again at once (a delivery through the priority table), a sync
 * that acks with virtual interrupts off (the line pending, not taken), a
 * resume with the ack and that pending line (an upcall at once), a resume
 * whose ack names a line that is no longer active (NOT_ACTIVE). */
static void fallback_entry(void)
{
    l4_word_t i = n_up++;
    if (i < EVENTS) {
        up_user[i] = ST(FROM_USER);
        up_bits[i] = l4_vcpu_take_pending((l4_vcpu_state_t *)STATE_VA);
        up_ack[i] = ST(VIRQ_ACK);
    }
    switch (i) {
    case 0: /* the ack in the resume: the line, still asserted, fires at once */
        ST(VIRQ_ACK) = BITL;
        l4_vcpu_resume(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
        break;
    case 1: /* virtual interrupts off (the upcall's): ack in a sync; it fires,
             * and stays pending */
        ST(VIRQ_ACK) = BITL;
        err(l4_vcpu_sync(vcpu));
        while (!(ST(VIRQ_PENDING) & BITL))
            ;
        fb_pending_off = ST(VIRQ_PENDING);
        err(n_up); /* not taken */
        util_line_set(0, 0);
        ST(VIRQ_ACK) = BITL; /* the ack and a line pending: upcall 2 at once */
        l4_vcpu_resume(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
        break;
    case 2: /* that line was acked already: not active */
        ST(VIRQ_ACK) = BITL;
        err(l4_vcpu_resume(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL));
        ST(VIRQ_ACK) = 0;
        l4_vcpu_resume(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
        break;
    default:
        park();
    }
    park(); /* a resume failed */
}

static void fallback_guest(util_thread_t *t)
{
    (void)t;
    ST(ENTRY_PC) = (l4_word_t)fallback_entry;
    ST(ENTRY_SP) = (l4_word_t)&entry_stack[ENTRY_STACK_WORDS];
    err(l4_vcpu_set_priority(vcpu, LINE, PRIO_LINE));
    ST(VIRQ_RPR) = PRIO_LINE; /* the line's priority is not below it: masked */
    ST(VIRQ_ENABLED) = 1;
    util_line_set(0, 1); /* raised by this thread: the interrupt comes while it runs */
    while (!(ST(VIRQ_PENDING) & BITL)) /* delivered, pending, not taken */
        ;
    fb_pending_masked = ST(VIRQ_PENDING);
    err(n_up);
    ST(VIRQ_ACK) = 1u << 3; /* not a routed line: NOT_ACTIVE, nothing done */
    err(l4_vcpu_sync(vcpu));
    ST(VIRQ_ACK) = 0;
    err(l4_vcpu_sync(vcpu)); /* pending, enabled, masked: no upcall */
    err(n_up);
    ST(VIRQ_RPR) = L4_VCPU_PRIO_NONE;
    ST(VIRQ_PMR) = PMR_PASSES;
    err(l4_vcpu_sync(vcpu)); /* deliverable now: upcall 0; 0 when resumed */
    util_spin(20000);
    err(n_up);
    err(ST(VIRQ_ACK));
    err(ST(VIRQ_PENDING));
    park();
}

TEST(vcpu_irq_routed_line_masked_priority_interrupts_off_and_inactive_ack_fall_back)
{
    util_thread_t *t = vcpu_thread(fallback_guest);
    fb_pending_masked = fb_pending_off = 0;
    l4_cptr_t h = handler_for(VTIMER_IRQ);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, LINE, vcpu), L4_ERR_OK);
    util_thread_start(t);
    CHECK_EQ(l4_wait(done_ntfn, NULL), L4_ERR_OK);
    CHECK_EQ(n_errs, 12);
    CHECK_EQ(errs[0], L4_ERR_OK);
    CHECK_EQ(errs[1], 0); /* masked by the running priority: not taken */
    CHECK_EQ(errs[2], L4_ERR_NOT_ACTIVE);
    CHECK_EQ(errs[3], L4_ERR_OK);
    CHECK_EQ(errs[4], 0);
    CHECK_EQ(errs[5], L4_ERR_OK); /* the ack with interrupts off */
    CHECK_EQ(errs[6], 2);         /* the line it let fire stayed pending */
    CHECK_EQ(errs[7], L4_ERR_NOT_ACTIVE);
    CHECK_EQ(errs[8], L4_ERR_OK); /* the sync that upcall 0 interrupted */
    CHECK_EQ(errs[9], 3);
    CHECK_EQ(errs[10], 0);
    CHECK_EQ(errs[11], 0);
    CHECK_EQ(fb_pending_masked, BITL);
    CHECK_EQ(fb_pending_off, BITL);
    for (unsigned i = 0; i < 3; i++) {
        CHECK_EQ(up_bits[i], BITL);
        CHECK_EQ(up_user[i], 0);
        CHECK_EQ(up_ack[i], 0);
    }
    for (unsigned i = 0; i < 3; i++)
        printf("[twin] fallback upcall %u: bits %lx user %lu ack %lx\n", i, up_bits[i], up_user[i],
               up_ack[i]);
    for (unsigned i = 0; i < n_errs; i++)
        printf("[twin] fallback err %u: %lu\n", i, errs[i]);
    printf("[twin] fallback pending masked %lx off %lx\n", fb_pending_masked, fb_pending_off);
    for (unsigned i = 0; i < L4_VCPU_STATE_WORDS; i++)
        if (i < L4_VCPU_STATE_KREGS || i >= L4_VCPU_STATE_KREGS + L4_VCPU_REGS)
            printf("[twin] fallback state %u: %08lx\n", i, ((volatile l4_word_t *)STATE_VA)[i]);
    util_delete(h);
}

/* --- a guest idling on its bound notification wakes ------------------------------ */

static void idle_guest(util_thread_t *t)
{
    (void)t;
    l4_word_t bits = 0;
    util_line_set(2000, 1); /* long after it waits */
    l4_wait(bound_ntfn, &bits); /* the guest's idle loop: the routed line wakes it */
    woke_bits = bits;
    util_line_set(0, 0);
    ST(VIRQ_ACK) = BITL; /* it is active: the sync takes the ack */
    err(l4_vcpu_sync(vcpu));
    err(ST(VIRQ_PENDING));
    park();
}

TEST(vcpu_irq_routed_line_wakes_the_guest_waiting_on_its_bound_notification)
{
    util_thread_t *t = vcpu_thread(idle_guest);
    l4_cptr_t h = handler_for(VTIMER_IRQ);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, LINE, vcpu), L4_ERR_OK);
    util_thread_start(t);
    CHECK_EQ(l4_wait(done_ntfn, NULL), L4_ERR_OK);
    CHECK_EQ(woke_bits, BITL);
    CHECK_EQ(n_errs, 2);
    CHECK_EQ(errs[0], L4_ERR_OK);
    CHECK_EQ(errs[1], 0); /* the bit came in r6, not in virq_pending */
    util_delete(h);
}

/* --- the route's end ---------------------------------------------------------------- */

/* The guest takes one delivery and, with the line active (masked), parks. */
static void take_one(util_thread_t *t)
{
    (void)t;
    l4_word_t bits = 0;
    util_line_set(2000, 1); /* long after it waits */
    l4_wait(bound_ntfn, &bits);
    woke_bits = bits;
    park();
}

static util_thread_t *routed_and_active(l4_cptr_t *h)
{
    util_thread_t *t = vcpu_thread(take_one);
    *h = handler_for(VTIMER_IRQ);
    CHECK_EQ(l4_irq_handler_route_vcpu(*h, LINE, vcpu), L4_ERR_OK);
    util_thread_start(t);
    CHECK_EQ(l4_wait(done_ntfn, NULL), L4_ERR_OK);
    CHECK_EQ(woke_bits, BITL);
    return t;
}

/* After the route ended, the line (still asserted) reaches a notification
 * again once it is given one: nothing of the route is left. */
static void line_works_again(l4_cptr_t h)
{
    l4_cptr_t n = util_notification();
    l4_word_t bits = 0;
    CHECK_EQ(l4_irq_handler_set_notification(h, n), L4_ERR_OK);
    CHECK_EQ(l4_wait(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 1);
    util_line_set(0, 0);
    CHECK_EQ(l4_irq_handler_clear(h), L4_ERR_OK);
}

TEST(vcpu_irq_deleting_the_vcpu_ends_the_route)
{
    l4_cptr_t h;
    util_thread_t *t = routed_and_active(&h);
    util_delete(vcpu);
    line_works_again(h);
    util_delete(h);
    (void)t;
}

TEST(vcpu_irq_deleting_the_thread_unbinds_and_ends_the_route)
{
    l4_cptr_t h;
    util_thread_t *t = routed_and_active(&h);
    util_delete(t->tcb);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, LINE, vcpu), L4_ERR_ILLEGAL_OPERATION); /* unbound */
    line_works_again(h);
    util_delete(h);
}

TEST(vcpu_irq_deleting_the_handler_ends_the_route)
{
    l4_cptr_t h;
    util_thread_t *t = routed_and_active(&h);
    util_delete(h);
    /* the virtual line is free for another handler of the same line */
    l4_cptr_t h2 = handler_for(VTIMER_IRQ);
    CHECK_EQ(l4_irq_handler_route_vcpu(h2, LINE, vcpu), L4_ERR_OK);
    /* the route unmasked the line, still asserted: a new delivery, pending
     * (the guest is parked elsewhere) */
    util_spin(20000);
    CHECK_EQ(ST(VIRQ_PENDING), BITL);
    CHECK_EQ(l4_irq_handler_clear(h2), L4_ERR_OK);
    line_works_again(h2);
    util_delete(h2);
    (void)t;
}

TEST(vcpu_irq_handler_ack_of_a_routed_line_acknowledges_it)
{
    l4_cptr_t h;
    util_thread_t *t = routed_and_active(&h);
    /* the line is active (masked): the handler's ack unmasks it; the timer
     * still asserts, so it is delivered again (pending: the guest parked) */
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
    util_spin(20000);
    CHECK_EQ(ST(VIRQ_PENDING), BITL);
    util_line_set(0, 0);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK); /* active again: unmasked, now quiet */
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK); /* not active: nothing */
    util_delete(h);
    (void)t;
}
