/* SPDX-License-Identifier: BSD-2-Clause */
/* vCPU timers (docs/vcpu.md, "The virtual timer"): set_timer, cancel_timer
 * and read_time, every error, both timers of a vCPU independent, periodic
 * and one-shot, a second request replacing the first, deadlines already
 * passed, timers of deleted vCPUs and threads, and many vCPUs' timers
 * firing in deadline order. Each vCPU's thread waits on its bound
 * notification (a guest's idle loop), so an expiry wakes it with the line's
 * bit; it counts the lines it saw and logs its id. Built twice: in the
 * system-test image (bench kernel) and, with KTEST_DEBUG_KERNEL, over the
 * debug kernel, where every test ends with the invariant checker (the
 * timer heap: suite vcpu-timer-debug). */
#include <stddef.h>
#include "util.h"

#define VT_STATE_VA (UTIL_VADDR_TEST + 12 * UTIL_MB)
#define VT_MAX 14 /* threads: util.c allows 16 per test */
#define VT_LOG 64

typedef struct {
    util_thread_t *t;
    l4_cptr_t vcpu, ntfn;
} vt_guest_t;

static vt_guest_t guests[VT_MAX];
static volatile l4_word_t vt_log[VT_LOG], vt_log_len;
static l4_word_t freq;

/* The vCPU's thread: wait on the bound notification; count each line seen
 * (r[line], lines 0..7), log the guest's id at each wake. */
static void vt_waiter(util_thread_t *t)
{
    for (;;) {
        l4_word_t bits = 0;
        if (l4_wait(t->arg[0], &bits) != L4_ERR_OK) {
            t->r[15]++;
            continue;
        }
        for (unsigned line = 0; line < 8; line++)
            if (bits & (1u << line))
                t->r[line]++;
        if (bits & ~0xffu)
            t->r[14]++;
        l4_word_t now[L4_VCPU_TIME_WORDS];
        l4_vcpu_read_time(t->arg[1], now);
        t->r[8] = now[0];
        t->r[9] = now[1];
        if (vt_log_len < VT_LOG)
            vt_log[vt_log_len++] = t->arg[2];
    }
}

static uint64_t vt_now(l4_cptr_t vcpu)
{
    l4_word_t w[L4_VCPU_TIME_WORDS] = {0};
    CHECK_EQ(l4_vcpu_read_time(vcpu, w), L4_ERR_OK);
    freq = w[2];
    return ((uint64_t)w[1] << 32) | w[0];
}

static l4_word_t vt_us(l4_word_t us)
{
    return (l4_word_t)((uint64_t)freq * us / 1000000u);
}

/* Let `us` microseconds of counter time pass (the waiters, above the root,
 * run whenever they are woken). */
static void vt_pass(l4_cptr_t vcpu, l4_word_t us)
{
    uint64_t end = vt_now(vcpu) + vt_us(us);
    while (vt_now(vcpu) < end)
        ;
}

/* Guest i: a vCPU bound to a waiting thread with a bound notification. */
static vt_guest_t *vt_guest(unsigned i)
{
    vt_guest_t *g = &guests[i];
    g->vcpu = util_new(L4_OBJ_VCPU, 0);
    g->ntfn = util_notification();
    g->t = util_thread_create(vt_waiter, UTIL_PRIO_HIGH, 0);
    g->t->arg[0] = g->ntfn;
    g->t->arg[1] = g->vcpu;
    g->t->arg[2] = i;
    CHECK_EQ(l4_vcpu_bind(g->vcpu, g->t->tcb, util_new(L4_OBJ_FRAME_4K, 0)), L4_ERR_OK);
    CHECK_EQ(l4_tcb_bind_notification(g->t->tcb, g->ntfn), L4_ERR_OK);
    util_thread_start(g->t); /* runs at once and waits */
    return g;
}

static void vt_begin(void)
{
    util_root_lower();
    vt_log_len = 0;
    l4_word_t w[L4_VCPU_TIME_WORDS];
    l4_cptr_t v = util_new(L4_OBJ_VCPU, 0);
    CHECK_EQ(l4_vcpu_read_time(v, w), L4_ERR_OK);
    freq = w[2];
    CHECK(freq != 0);
}

static l4_word_t vt_set(l4_cptr_t v, l4_word_t timer, l4_word_t flags, l4_word_t line,
                        uint64_t deadline, l4_word_t period)
{
    return l4_vcpu_set_timer(v, timer, flags, line, (l4_word_t)deadline,
                             (l4_word_t)(deadline >> 32), period);
}

TEST(vcpu_timer_errors_change_nothing)
{
    vt_begin();
    l4_cptr_t unbound = util_new(L4_OBJ_VCPU, 0);
    l4_word_t w[L4_VCPU_TIME_WORDS] = {0};
    CHECK_EQ(l4_vcpu_read_time(unbound, w), L4_ERR_OK); /* needs no binding */
    CHECK_EQ(w[2], freq);
    CHECK_EQ(vt_set(unbound, 0, L4_VCPU_TIMER_RELATIVE, 1, vt_us(100), 0),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_vcpu_cancel_timer(unbound, 0), L4_ERR_ILLEGAL_OPERATION);

    vt_guest_t *g = vt_guest(0);
    l4_word_t rel = L4_VCPU_TIMER_RELATIVE, min = vt_us(L4_VCPU_TIMER_MIN_PERIOD_US);
    /* timer 0 armed: every refused request below leaves it as it is */
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 1, vt_us(3000), 0), L4_ERR_OK);
    CHECK_EQ(vt_set(g->vcpu, L4_VCPU_TIMERS, rel, 2, vt_us(100), 0), L4_ERR_RANGE_ERROR);
    CHECK_EQ(vt_set(g->vcpu, ~0u, rel, 2, vt_us(100), 0), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_vcpu_cancel_timer(g->vcpu, L4_VCPU_TIMERS), L4_ERR_RANGE_ERROR);
    CHECK_EQ(vt_set(g->vcpu, 0, 2, 2, vt_us(100), 0), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(vt_set(g->vcpu, 0, rel | 0x80000000u, 2, vt_us(100), 0), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(vt_set(g->vcpu, 0, rel, L4_VCPU_TIMER_LINES, vt_us(100), 0), L4_ERR_INVALID_LINE);
    CHECK_EQ(vt_set(g->vcpu, 0, rel, ~0u, vt_us(100), 0), L4_ERR_INVALID_LINE);
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 2, vt_us(100), 1), L4_ERR_PERIOD_TOO_SHORT);
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 2, vt_us(100), min - 1), L4_ERR_PERIOD_TOO_SHORT);
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 2, ~(uint64_t)0, 0), L4_ERR_INVALID_ARGUMENT); /* wraps */
    l4_word_t mr[6] = {0, rel, 2, vt_us(100), 0, 0};
    CHECK_EQ(l4_invoke(g->vcpu, L4_VCPU_SET_TIMER, mr, 5, NULL, 0, NULL, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_invoke(g->vcpu, L4_VCPU_CANCEL_TIMER, mr, 0, NULL, 0, NULL, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    /* the first checks come first: unbound before a bad index */
    CHECK_EQ(vt_set(unbound, 7, 9, 99, 0, 1), L4_ERR_ILLEGAL_OPERATION);
    vt_pass(g->vcpu, 3500);
    CHECK_EQ(g->t->r[1], 1); /* the armed timer fired, once, on its line */
    CHECK_EQ(g->t->r[2], 0);
    CHECK_EQ(g->t->r[15], 0);
    /* the minimum period itself is allowed */
    CHECK_EQ(vt_set(g->vcpu, 1, rel, 3, vt_us(100), min), L4_ERR_OK);
    CHECK_EQ(l4_vcpu_cancel_timer(g->vcpu, 1), L4_ERR_OK);
    util_check_invariants();
}

TEST(vcpu_timer_one_shot_fires_once_at_its_deadline)
{
    vt_begin();
    vt_guest_t *g = vt_guest(0);
    uint64_t deadline = vt_now(g->vcpu) + vt_us(300);
    CHECK_EQ(vt_set(g->vcpu, 0, 0, 3, deadline, 0), L4_ERR_OK);
    CHECK_EQ(g->t->r[3], 0);
    vt_pass(g->vcpu, 2500);
    CHECK_EQ(g->t->r[3], 1);
    uint64_t woke = ((uint64_t)g->t->r[9] << 32) | g->t->r[8];
    CHECK(woke >= deadline);
    CHECK(woke < deadline + vt_us(100));
    CHECK_EQ(vt_log_len, 1);
    util_check_invariants();
}

TEST(vcpu_timer_periodic_fires_every_period_until_cancelled)
{
    vt_begin();
    vt_guest_t *g = vt_guest(0);
    CHECK_EQ(vt_set(g->vcpu, 0, L4_VCPU_TIMER_RELATIVE, 1, vt_us(200), vt_us(200)), L4_ERR_OK);
    vt_pass(g->vcpu, 2100); /* expiries at 200, 400, .. 2000 us */
    l4_word_t n = g->t->r[1];
    CHECK(n >= 9 && n <= 11);
    util_check_invariants();
    CHECK_EQ(l4_vcpu_cancel_timer(g->vcpu, 0), L4_ERR_OK);
    n = g->t->r[1];
    vt_pass(g->vcpu, 1000);
    CHECK_EQ(g->t->r[1], n);
    CHECK_EQ(l4_vcpu_cancel_timer(g->vcpu, 0), L4_ERR_OK); /* not armed: nothing to do */
    util_check_invariants();
}

TEST(vcpu_timer_the_two_timers_are_independent)
{
    vt_begin();
    vt_guest_t *g = vt_guest(0);
    l4_word_t rel = L4_VCPU_TIMER_RELATIVE;
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 1, vt_us(250), vt_us(250)), L4_ERR_OK); /* the tick */
    CHECK_EQ(vt_set(g->vcpu, 1, rel, 2, vt_us(1100), 0), L4_ERR_OK);          /* a deadline */
    vt_pass(g->vcpu, 2100);
    CHECK(g->t->r[1] >= 7 && g->t->r[1] <= 9);
    CHECK_EQ(g->t->r[2], 1);
    /* re-arming or cancelling one leaves the other alone */
    CHECK_EQ(vt_set(g->vcpu, 1, rel, 2, vt_us(300), 0), L4_ERR_OK);
    CHECK_EQ(l4_vcpu_cancel_timer(g->vcpu, 0), L4_ERR_OK);
    l4_word_t ticks = g->t->r[1];
    vt_pass(g->vcpu, 1000);
    CHECK_EQ(g->t->r[2], 2);
    CHECK_EQ(g->t->r[1], ticks);
    /* both timers on one line: two expiries, two wakes */
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 4, vt_us(200), 0), L4_ERR_OK);
    CHECK_EQ(vt_set(g->vcpu, 1, rel, 4, vt_us(500), 0), L4_ERR_OK);
    vt_pass(g->vcpu, 1000);
    CHECK_EQ(g->t->r[4], 2);
    util_check_invariants();
}

TEST(vcpu_timer_a_second_request_replaces_the_first)
{
    vt_begin();
    vt_guest_t *g = vt_guest(0);
    l4_word_t rel = L4_VCPU_TIMER_RELATIVE;
    /* a later one-shot replaced by an earlier one on another line */
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 1, vt_us(1000), 0), L4_ERR_OK);
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 4, vt_us(300), 0), L4_ERR_OK);
    /* an earlier one-shot replaced by a later one */
    CHECK_EQ(vt_set(g->vcpu, 1, rel, 6, vt_us(200), 0), L4_ERR_OK);
    CHECK_EQ(vt_set(g->vcpu, 1, rel, 7, vt_us(1500), 0), L4_ERR_OK);
    vt_pass(g->vcpu, 1000);
    CHECK_EQ(g->t->r[4], 1);
    CHECK_EQ(g->t->r[6], 0);
    CHECK_EQ(g->t->r[7], 0);
    vt_pass(g->vcpu, 1500);
    CHECK_EQ(g->t->r[1], 0);
    CHECK_EQ(g->t->r[4], 1);
    CHECK_EQ(g->t->r[7], 1);
    /* a periodic timer replaced by a one-shot: the period goes too */
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 5, vt_us(200), vt_us(200)), L4_ERR_OK);
    vt_pass(g->vcpu, 500);
    CHECK(g->t->r[5] >= 1);
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 3, vt_us(200), 0), L4_ERR_OK);
    l4_word_t periodic = g->t->r[5];
    vt_pass(g->vcpu, 1500);
    CHECK_EQ(g->t->r[5], periodic);
    CHECK_EQ(g->t->r[3], 1);
    util_check_invariants();
}

TEST(vcpu_timer_cancel_means_it_never_fires)
{
    vt_begin();
    vt_guest_t *g = vt_guest(0);
    CHECK_EQ(vt_set(g->vcpu, 0, L4_VCPU_TIMER_RELATIVE, 1, vt_us(300), 0), L4_ERR_OK);
    CHECK_EQ(vt_set(g->vcpu, 1, L4_VCPU_TIMER_RELATIVE, 2, vt_us(300), vt_us(300)), L4_ERR_OK);
    CHECK_EQ(l4_vcpu_cancel_timer(g->vcpu, 0), L4_ERR_OK);
    CHECK_EQ(l4_vcpu_cancel_timer(g->vcpu, 1), L4_ERR_OK);
    util_check_invariants();
    vt_pass(g->vcpu, 1500);
    CHECK_EQ(g->t->r[1], 0);
    CHECK_EQ(g->t->r[2], 0);
    CHECK_EQ(vt_log_len, 0);
}

TEST(vcpu_timer_a_deadline_already_passed_fires_at_once)
{
    vt_begin();
    vt_guest_t *g = vt_guest(0);
    CHECK_EQ(vt_set(g->vcpu, 0, 0, 2, 0, 0), L4_ERR_OK); /* absolute 0: long past */
    CHECK_EQ(g->t->r[2], 1); /* the waiter, above us, ran before the call returned */
    CHECK_EQ(vt_set(g->vcpu, 1, L4_VCPU_TIMER_RELATIVE, 3, 0, 0), L4_ERR_OK); /* now */
    CHECK_EQ(g->t->r[3], 1);
    /* periodic from a passed deadline: at once, then every period from now */
    CHECK_EQ(vt_set(g->vcpu, 0, 0, 5, vt_now(g->vcpu) - vt_us(5000), vt_us(400)), L4_ERR_OK);
    CHECK_EQ(g->t->r[5], 1);
    vt_pass(g->vcpu, 1000); /* 400, 800 */
    CHECK_EQ(g->t->r[5], 3);
    CHECK_EQ(l4_vcpu_cancel_timer(g->vcpu, 0), L4_ERR_OK);
    CHECK_EQ(g->t->r[2], 1);
    CHECK_EQ(g->t->r[3], 1);
    util_check_invariants();
}

TEST(vcpu_timer_without_a_bound_notification_the_line_becomes_pending)
{
    vt_begin();
    l4_cptr_t v = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t state = util_map_new_frame(VT_STATE_VA);
    util_thread_t *t = util_thread_create(vt_waiter, UTIL_PRIO_HIGH, 0); /* never started */
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, state), L4_ERR_OK);
    volatile l4_word_t *st = (volatile l4_word_t *)VT_STATE_VA;
    CHECK_EQ(vt_set(v, 1, L4_VCPU_TIMER_RELATIVE, 9, vt_us(300), 0), L4_ERR_OK);
    CHECK_EQ(st[L4_VCPU_STATE_VIRQ_PENDING], 0);
    vt_pass(v, 800);
    CHECK_EQ(st[L4_VCPU_STATE_VIRQ_PENDING], 1u << 9);
    CHECK_EQ(vt_set(v, 0, 0, 31, 0, 0), L4_ERR_OK); /* at once */
    CHECK_EQ(st[L4_VCPU_STATE_VIRQ_PENDING], (1u << 9) | (1u << 31));
    util_check_invariants();
}

TEST(vcpu_timer_timers_of_a_deleted_vcpu_never_fire)
{
    vt_begin();
    vt_guest_t *g = vt_guest(0);
    vt_guest_t *h = vt_guest(1);
    l4_word_t rel = L4_VCPU_TIMER_RELATIVE;
    CHECK_EQ(vt_set(g->vcpu, 0, rel, 1, vt_us(300), 0), L4_ERR_OK);
    CHECK_EQ(vt_set(g->vcpu, 1, rel, 2, vt_us(200), vt_us(200)), L4_ERR_OK);
    CHECK_EQ(vt_set(h->vcpu, 0, rel, 3, vt_us(600), 0), L4_ERR_OK); /* a bystander */
    util_delete(g->vcpu);
    util_check_invariants();
    vt_pass(h->vcpu, 1500);
    CHECK_EQ(g->t->r[1], 0);
    CHECK_EQ(g->t->r[2], 0);
    CHECK_EQ(h->t->r[3], 1);
    /* the thread's deletion unbinds the vCPU: its timers go with it */
    CHECK_EQ(vt_set(h->vcpu, 0, rel, 4, vt_us(300), vt_us(300)), L4_ERR_OK);
    CHECK_EQ(vt_set(h->vcpu, 1, rel, 5, vt_us(400), 0), L4_ERR_OK);
    util_delete(h->t->tcb);
    util_check_invariants();
    CHECK_EQ(vt_set(h->vcpu, 0, rel, 4, vt_us(300), 0), L4_ERR_ILLEGAL_OPERATION);
    /* bound again to a new thread: nothing of the old timers is left */
    vt_guest_t *k = vt_guest(2);
    CHECK_EQ(l4_vcpu_bind(h->vcpu, util_thread_create(vt_waiter, UTIL_PRIO_HIGH, 0)->tcb,
                          util_new(L4_OBJ_FRAME_4K, 0)),
             L4_ERR_OK);
    CHECK_EQ(vt_set(k->vcpu, 0, rel, 6, vt_us(900), 0), L4_ERR_OK);
    vt_pass(k->vcpu, 1500);
    CHECK_EQ(k->t->r[6], 1);
    CHECK_EQ(vt_log_len, 2); /* h's line 3, k's line 6: nothing else */
    util_check_invariants();
}

/* Deadlines in a scrambled order across many vCPUs, some cancelled and some
 * replaced: they fire in deadline order (the heap's order), each once. */
TEST(vcpu_timer_many_vcpus_fire_in_deadline_order)
{
    vt_begin();
    enum { N = VT_MAX };
    for (unsigned i = 0; i < N; i++)
        vt_guest(i);
    uint64_t base = vt_now(guests[0].vcpu) + vt_us(500);
    l4_word_t slot[N]; /* guest i fires in slot[i] (a permutation of 0..N-1) */
    for (unsigned i = 0; i < N; i++)
        slot[i] = (i * 5 + 3) % N; /* 5 is prime to N */
    for (unsigned i = 0; i < N; i++) {
        /* timer 1 of every guest: an early decoy, cancelled or replaced below */
        CHECK_EQ(vt_set(guests[i].vcpu, 1, 0, 7, base + vt_us(40) * slot[i] + vt_us(20), 0),
                 L4_ERR_OK);
        CHECK_EQ(vt_set(guests[i].vcpu, 0, 0, 1, base + vt_us(40) * (N - 1 - slot[i]), 0),
                 L4_ERR_OK);
    }
    for (unsigned i = 0; i < N; i++) {
        if (i % 2)
            CHECK_EQ(l4_vcpu_cancel_timer(guests[i].vcpu, 1), L4_ERR_OK);
        else
            CHECK_EQ(vt_set(guests[i].vcpu, 1, 0, 7, base + vt_us(100000), 0), L4_ERR_OK);
        /* timer 0 replaced: now it fires in slot[i] */
        CHECK_EQ(vt_set(guests[i].vcpu, 0, 0, 1, base + vt_us(40) * slot[i], 0), L4_ERR_OK);
    }
    vt_pass(guests[0].vcpu, 500 + 40 * N + 200);
    CHECK_EQ(vt_log_len, N);
    for (unsigned k = 0; k < N; k++) {
        l4_word_t id = vt_log[k];
        CHECK(id < N);
        CHECK_EQ(slot[id], k);
        CHECK_EQ(guests[id].t->r[1], 1);
        CHECK_EQ(guests[id].t->r[7], 0);
    }
    for (unsigned i = 0; i < N; i += 2)
        CHECK_EQ(l4_vcpu_cancel_timer(guests[i].vcpu, 1), L4_ERR_OK);
    util_check_invariants();
}
