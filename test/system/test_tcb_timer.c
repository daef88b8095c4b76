/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's kernel timer (tcb_set_timer, tcb_cancel_timer: docs/api.md,
 * "Timers"), what user level has instead of the generic virtual timer,
 * which is one register set for the machine and not PL0's: every error
 * (each with the armed timer left as it was), one-shot and periodic
 * expiries as signals of the bound notification with the badge given, a
 * deadline already passed, cancel, and the timer disarmed by unbinding the
 * notification, deleting it or deleting the thread. The generic timer's
 * registers fault at PL0, its counter reads. Built into the system-test
 * image and, with KTEST_DEBUG_KERNEL, the debug one, where each test ends
 * with the invariant checker (the timer heap). */
#include <stddef.h>
#include "util.h"

static uint64_t tt_now(void)
{
    l4_word_t lo, hi;
    __asm__ volatile("isb\n mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi)); /* CNTVCT */
    return ((uint64_t)hi << 32) | lo;
}

static l4_word_t tt_us(l4_word_t us)
{
    l4_word_t f;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(f)); /* CNTFRQ */
    return (l4_word_t)((uint64_t)f * us / 1000000u);
}

static void tt_pass(l4_word_t us)
{
    uint64_t end = tt_now() + tt_us(us);
    while (tt_now() < end)
        ;
}

/* Waits on its bound notification (arg 0): r[0] wakes, r[1] the bits of
 * the last, r[2] their union, r[3]/r[4] the counter at the last wake,
 * r[5] 1 once its wait failed (it then ends). */
static void tt_waiter(util_thread_t *t)
{
    for (;;) {
        l4_word_t bits = 0;
        if (l4_wait(t->arg[0], &bits) != L4_ERR_OK) {
            t->r[5]++;
            return; /* its notification was deleted */
        }
        uint64_t now = tt_now();
        t->r[0]++;
        t->r[1] = bits;
        t->r[2] |= bits;
        t->r[3] = (l4_word_t)now;
        t->r[4] = (l4_word_t)(now >> 32);
    }
}

static util_thread_t *tt_thread(l4_cptr_t *ntfn)
{
    util_root_lower();
    *ntfn = util_notification();
    util_thread_t *t = util_thread_create(tt_waiter, UTIL_PRIO_HIGH, 0);
    t->arg[0] = *ntfn;
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, *ntfn), L4_ERR_OK);
    util_thread_start(t); /* runs at once and waits */
    return t;
}

static l4_word_t tt_set(l4_cptr_t tcb, l4_word_t flags, l4_word_t badge, uint64_t deadline,
                        l4_word_t period)
{
    return l4_tcb_set_timer(tcb, flags, badge, (l4_word_t)deadline, (l4_word_t)(deadline >> 32),
                            period);
}

#define REL L4_VCPU_TIMER_RELATIVE

TEST(tcb_timer_errors_change_nothing)
{
    l4_cptr_t n;
    util_thread_t *t = tt_thread(&n);
    l4_word_t min = tt_us(L4_VCPU_TIMER_MIN_PERIOD_US);
    /* without a bound notification there is nothing to signal */
    util_thread_t *lone = util_thread_create(tt_waiter, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(tt_set(lone->tcb, REL, 1, tt_us(100), 0), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(tt_set(lone->tcb, 9, 0, 0, 1), L4_ERR_ILLEGAL_OPERATION); /* that check first */
    CHECK_EQ(l4_tcb_cancel_timer(lone->tcb), L4_ERR_OK); /* nothing armed: nothing to do */
    /* armed: every refused request below leaves it as it is */
    CHECK_EQ(tt_set(t->tcb, REL, 0x10, tt_us(3000), 0), L4_ERR_OK);
    CHECK_EQ(tt_set(t->tcb, 2, 0x20, tt_us(100), 0), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(tt_set(t->tcb, REL | 0x80000000u, 0x20, tt_us(100), 0), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(tt_set(t->tcb, REL, 0, tt_us(100), 0), L4_ERR_INVALID_ARGUMENT); /* no bits */
    CHECK_EQ(tt_set(t->tcb, REL, 0x20, tt_us(100), 1), L4_ERR_PERIOD_TOO_SHORT);
    CHECK_EQ(tt_set(t->tcb, REL, 0x20, tt_us(100), min - 1), L4_ERR_PERIOD_TOO_SHORT);
    CHECK_EQ(tt_set(t->tcb, REL, 0x20, ~(uint64_t)0, 0), L4_ERR_INVALID_ARGUMENT); /* wraps */
    l4_word_t mr[5] = {REL, 0x20, tt_us(100), 0, 0};
    CHECK_EQ(l4_invoke(t->tcb, L4_TCB_SET_TIMER, mr, 4, NULL, 0, NULL, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_invoke(t->tcb, L4_TCB_SET_TIMER, mr, 0, NULL, 0, NULL, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    tt_pass(3500);
    CHECK_EQ(t->r[0], 1); /* the armed timer fired, once, with its badge */
    CHECK_EQ(t->r[2], 0x10);
    CHECK_EQ(t->r[5], 0);
    /* the minimum period itself is allowed */
    CHECK_EQ(tt_set(t->tcb, REL, 0x20, tt_us(100), min), L4_ERR_OK);
    CHECK_EQ(l4_tcb_cancel_timer(t->tcb), L4_ERR_OK);
    util_check_invariants();
}

TEST(tcb_timer_one_shot_signals_the_bound_notification_once_at_its_deadline)
{
    l4_cptr_t n;
    util_thread_t *t = tt_thread(&n);
    uint64_t deadline = tt_now() + tt_us(300);
    CHECK_EQ(tt_set(t->tcb, 0, 0x5, deadline, 0), L4_ERR_OK);
    CHECK_EQ(t->r[0], 0);
    util_check_invariants();
    tt_pass(2500);
    CHECK_EQ(t->r[0], 1);
    CHECK_EQ(t->r[1], 0x5);
    uint64_t woke = ((uint64_t)t->r[4] << 32) | t->r[3];
    CHECK(woke >= deadline);
    CHECK(woke < deadline + tt_us(100));
    util_check_invariants();
}

TEST(tcb_timer_periodic_signals_every_period_until_cancelled)
{
    l4_cptr_t n;
    util_thread_t *t = tt_thread(&n);
    CHECK_EQ(tt_set(t->tcb, REL, 1, tt_us(200), tt_us(200)), L4_ERR_OK);
    tt_pass(2100); /* expiries at 200, 400, .. 2000 us */
    l4_word_t k = t->r[0];
    CHECK(k >= 9 && k <= 11);
    util_check_invariants();
    CHECK_EQ(l4_tcb_cancel_timer(t->tcb), L4_ERR_OK);
    k = t->r[0];
    tt_pass(1000);
    CHECK_EQ(t->r[0], k);
    CHECK_EQ(l4_tcb_cancel_timer(t->tcb), L4_ERR_OK); /* not armed: nothing to do */
    util_check_invariants();
}

TEST(tcb_timer_a_second_request_replaces_the_first_and_a_passed_deadline_fires_at_once)
{
    l4_cptr_t n;
    util_thread_t *t = tt_thread(&n);
    CHECK_EQ(tt_set(t->tcb, REL, 0x1, tt_us(500), 0), L4_ERR_OK);
    CHECK_EQ(tt_set(t->tcb, REL, 0x2, tt_us(1500), 0), L4_ERR_OK);
    tt_pass(1000);
    CHECK_EQ(t->r[0], 0); /* the first is gone */
    tt_pass(1000);
    CHECK_EQ(t->r[0], 1);
    CHECK_EQ(t->r[2], 0x2);
    CHECK_EQ(tt_set(t->tcb, 0, 0x4, tt_now() - 1, 0), L4_ERR_OK); /* absolute, passed */
    CHECK_EQ(t->r[0], 2); /* at once: the waiter, above the root, ran */
    CHECK_EQ(t->r[1], 0x4);
    CHECK_EQ(tt_set(t->tcb, 0, 0x8, 0, tt_us(300)), L4_ERR_OK); /* passed and periodic */
    CHECK_EQ(t->r[0], 3);
    tt_pass(1000);
    CHECK(t->r[0] >= 5);
    CHECK_EQ(l4_tcb_cancel_timer(t->tcb), L4_ERR_OK);
    util_check_invariants();
}

/* Its thread's bound notification is the only thing it signals: unbinding
 * it, deleting it or deleting the thread disarms the timer. */
TEST(tcb_timer_unbind_notification_delete_or_thread_delete_disarm_it)
{
    for (unsigned how = 0; how < 3; how++) {
        l4_cptr_t n;
        util_thread_t *t = tt_thread(&n);
        CHECK_EQ(tt_set(t->tcb, REL, 1, tt_us(300), tt_us(300)), L4_ERR_OK);
        if (how == 0) {
            CHECK_EQ(l4_tcb_unbind_notification(t->tcb), L4_ERR_OK);
            /* armed only with a notification to signal */
            CHECK_EQ(tt_set(t->tcb, REL, 1, tt_us(300), 0), L4_ERR_ILLEGAL_OPERATION);
        } else if (how == 1) {
            util_delete(n);
        } else {
            util_delete(t->tcb);
        }
        util_check_invariants();
        tt_pass(1500);
        CHECK_EQ(t->r[0], 0);
        if (how == 0) {
            l4_word_t bits;
            CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK); /* and not signalled unbound */
        }
        util_check_invariants();
    }
}

/* Several threads' timers and a vCPU's share the kernel's one heap: each
 * fires at its own deadline, in order. */
TEST(tcb_timer_many_threads_fire_in_deadline_order)
{
    util_root_lower();
    static const l4_word_t us[] = {900, 300, 1200, 600, 150};
    util_thread_t *t[5];
    for (unsigned i = 0; i < 5; i++) {
        l4_cptr_t n;
        t[i] = tt_thread(&n);
        CHECK_EQ(tt_set(t[i]->tcb, REL, 1u << i, tt_us(us[i]), 0), L4_ERR_OK);
    }
    util_check_invariants();
    tt_pass(2000);
    for (unsigned i = 0; i < 5; i++) {
        CHECK_EQ(t[i]->r[0], 1);
        CHECK_EQ(t[i]->r[1], 1u << i);
    }
    /* woken in deadline order: 4, 1, 3, 0, 2 */
    static const unsigned order[] = {4, 1, 3, 0, 2};
    for (unsigned k = 1; k < 5; k++) {
        util_thread_t *a = t[order[k - 1]], *b = t[order[k]];
        uint64_t wa = ((uint64_t)a->r[4] << 32) | a->r[3], wb = ((uint64_t)b->r[4] << 32) | b->r[3];
        CHECK(wa < wb);
    }
    util_check_invariants();
}

/* A thread of a fault handler touches the generic timer (arg 0 says how):
 * r[0] = 1 if it ran, r[1] the counter it read. */
static void touch_timer(util_thread_t *t)
{
    l4_word_t v = 0;
    switch (t->arg[0]) {
    case 0:
        __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" ::"r"(1u)); /* CNTV_CTL */
        break;
    case 1:
        __asm__ volatile("mcr p15, 0, %0, c14, c3, 0" ::"r"(1000u)); /* CNTV_TVAL */
        break;
    case 2:
        __asm__ volatile("mcrr p15, 3, %0, %1, c14" ::"r"(0u), "r"(0u)); /* CNTV_CVAL */
        break;
    case 3:
        __asm__ volatile("mrc p15, 0, %0, c14, c3, 1" : "=r"(v)); /* CNTV_CTL, read */
        break;
    case 4:
        __asm__ volatile("mcr p15, 0, %0, c14, c2, 1" ::"r"(1u)); /* CNTP_CTL */
        break;
    default: {
        l4_word_t lo, hi;
        __asm__ volatile("isb\n mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi)); /* CNTVCT */
        __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v)); /* CNTFRQ */
        t->r[1] = lo | hi;
        t->r[2] = v;
        break;
    }
    }
    t->r[0] = 1;
}

/* The generic virtual timer is one register set for the machine: a thread
 * that could program it could reset another partition's timer or signal
 * through it. Its registers (and the physical timer's) are undefined
 * instructions at PL0 (CNTKCTL.PL0VTEN clear: the suites user-fault-cntv-*
 * check every kernel configuration); the counter and its frequency, the
 * same for everyone and read-only, stay readable. */
TEST(tcb_timer_generic_timer_registers_fault_at_pl0_but_the_counter_reads)
{
    util_root_lower();
    for (l4_word_t k = 0; k < 6; k++) {
        l4_cptr_t ep = util_endpoint();
        util_thread_t *t = util_thread_create(touch_timer, UTIL_PRIO_HIGH, ep);
        t->arg[0] = k;
        util_thread_start(t);
        l4_msg_t m = {0};
        l4_word_t e = l4_nbrecv(ep, &m);
        if (k < 5) {
            CHECK_EQ(e, L4_ERR_OK); /* it faulted, before the access took effect */
            CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNDEFINED);
            CHECK_EQ(t->r[0], 0);
        } else {
            CHECK_EQ(e, L4_ERR_WOULD_BLOCK);
            CHECK_EQ(t->r[0], 1);
            CHECK(t->r[1] != 0 && t->r[2] != 0); /* a running counter, a frequency */
        }
    }
}
