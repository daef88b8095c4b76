/* SPDX-License-Identifier: BSD-2-Clause */
/* The attack suite: non-preemptible work is bounded (design.md section 12)
 * for the long operations test/bench/latency.c does not time: a thread M
 * above everything else is woken by its kernel timer every PERIOD_TICKS
 * and measures how late it runs, in instructions (under -icount shift=0 one
 * instruction is one nanosecond: a counter tick is 1e9 / CNTFRQ of them),
 * while the root makes the kernel
 *   retype   retype 256 TCBs, 256 notifications, 64 page directories and
 *            a 4 MiB span of 1 MiB frames in single calls (the creation
 *            passes and the clearing)
 *   cnode    delete a CNode of 65,536 slots holding 4,096 notifications
 *   waiters  delete a notification 128 threads wait on
 *   pd       delete a page directory with 1,024 page tables mapped
 *   revoke   revoke an untyped holding a CNode and 1,024 TCBs in it
 * The worst lateness of each is printed ("[attack] latency ..."); on the
 * bench kernels (not debug, whose assertions cost) it must stay below
 * ATTACK_LATENCY_BOUND, latency.c's bound. */
#include <stdio.h>
#include "util.h"

#define C L4_CAP_INIT_CNODE
#ifndef KTEST_DEBUG_KERNEL
#define KTEST_DEBUG_KERNEL 0
#endif
#define ATTACK_LATENCY_BOUND 12000u /* instructions: test/bench/latency.c's LATENCY_BOUND */
#define PERIOD_TICKS 1500u          /* 24,000 instructions at 62.5 MHz */
#define PRIO_M 254

static const char *const phase_name[] = {"setup", "retype", "cnode", "waiters", "pd", "revoke"};
#define PHASES (sizeof phase_name / sizeof phase_name[0])
static volatile unsigned phase, stop_m;
static volatile l4_word_t worst[PHASES], samples[PHASES];

static uint64_t counter(void)
{
    l4_word_t lo, hi;
    __asm__ volatile("isb\n mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* M: arm an absolute deadline, wait, record how late it woke. */
static void m_thread(util_thread_t *t)
{
    while (!stop_m) {
        uint64_t deadline = counter() + PERIOD_TICKS;
        if (l4_tcb_set_timer(t->self, 0, 1, (l4_word_t)deadline, (l4_word_t)(deadline >> 32), 0) !=
            L4_ERR_OK) {
            t->r[0] = 1;
            return;
        }
        l4_wait(t->arg[0], NULL);
        uint64_t late = counter() - deadline;
        unsigned p = phase;
        l4_word_t l = late > 0xffffffu ? 0xffffffu : (l4_word_t)late;
        if (l > worst[p])
            worst[p] = l;
        samples[p]++;
    }
    l4_tcb_cancel_timer(t->self);
}

/* Waiter threads: no stack, no buffer; a receive on the notification in r0
 * and then an undefined instruction, whose fault blocks them for good on
 * an endpoint nobody receives on. */
__attribute__((naked)) static void waiter_code(void)
{
    __asm__ volatile("svc #0\n"
                     ".word 0xe7f000f0\n");
}

#define WAITERS 128
#define PDS 64
#define TABLES 1024
#define TCBS 1024

TEST(attack_latency_of_long_operations_is_bounded)
{
    util_root_lower();
    for (unsigned p = 0; p < PHASES; p++)
        worst[p] = samples[p] = 0;
    phase = 0;
    stop_m = 0;
    l4_word_t frq;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(frq));
    CHECK(frq > 0);
    l4_cptr_t mn = util_notification();
    util_thread_t *m = util_thread_create(m_thread, PRIO_M, 0);
    CHECK_EQ(l4_tcb_bind_notification(m->tcb, mn), L4_ERR_OK);
    m->arg[0] = mn;
    util_thread_start(m);

    /* retype: the largest single creation passes and clearings */
    l4_cptr_t ut = util_untyped(22); /* 4 MiB */
    l4_cptr_t s = util_slots(256);
    phase = 1;
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_TCB, 0, 0, 0, s, 256, C), L4_ERR_OK);
    phase = 0;
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    phase = 1;
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_NOTIFICATION, 0, 0, 0, s, 256, C), L4_ERR_OK);
    phase = 0;
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    phase = 1;
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_PAGE_DIRECTORY, 0, 0, 0, s, PDS, C), L4_ERR_OK);
    phase = 0;
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    phase = 1;
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_FRAME_1M, 0, 0, 0, s, 4, C), L4_ERR_OK);
    phase = 0;
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);

    /* cnode: 4,096 notifications in a 65,536-slot CNode, deleted at once */
    l4_cptr_t big = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_CNODE, 16, 0, 0, big, 1, C), L4_ERR_OK);
    for (unsigned i = 0; i < 16; i++)
        CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_NOTIFICATION, 0, big, 32, i * 4096u, 256, C), L4_ERR_OK);
    phase = 2;
    util_delete(big);
    phase = 0;
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);

    /* waiters: a notification 128 threads wait on, deleted */
    l4_cptr_t wn = util_notification(), nobody = util_endpoint();
    for (unsigned i = 0; i < WAITERS; i++) {
        l4_cptr_t t = util_new(L4_OBJ_TCB, 0);
        CHECK_EQ(l4_tcb_configure(t, nobody, 0, 0, C, L4_CAP_INIT_VSPACE, L4_CAP_NULL), L4_ERR_OK);
        CHECK_EQ(l4_tcb_set_priority(t, UTIL_PRIO_HIGH, L4_CAP_INIT_TCB), L4_ERR_OK);
        l4_word_t regs[L4_TCB_MAX_REGS] = {0};
        regs[0] = wn;
        regs[7] = L4_SYS_RECV;
        regs[15] = (l4_word_t)waiter_code;
        regs[16] = 0x10;
        CHECK_EQ(l4_tcb_write_registers(t, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    }
    phase = 3;
    util_delete(wn);
    phase = 0;

    /* pd: 1,024 page tables mapped, the directory deleted */
    l4_cptr_t last;
    l4_cptr_t pd = util_big_pd(TABLES, &last);
    phase = 4;
    util_delete(pd);
    phase = 0;

    /* revoke: an untyped holding a CNode and 1,024 TCBs in it */
    l4_cptr_t tn = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_CNODE, 10, 0, 0, tn, 1, C), L4_ERR_OK);
    for (unsigned i = 0; i < TCBS / 256; i++)
        CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_TCB, 0, tn, 32, i * 256u, 256, C), L4_ERR_OK);
    phase = 5;
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    phase = 0;

    stop_m = 1;
    util_root_priority(UTIL_PRIO_LOW - 1); /* M's last wake-up ends it */
    for (unsigned i = 0; i < 100 && !m->done; i++)
        util_spin(10000);
    util_root_lower();
    CHECK_EQ(m->r[0], 0);
    l4_word_t ns_per_tick = 1000000000u / frq, all = 0;
    for (unsigned p = 1; p < PHASES; p++) {
        printf("[attack] latency %s: worst %lu instructions (%lu ticks), %lu samples\n", phase_name[p],
               (unsigned long)(worst[p] * ns_per_tick), (unsigned long)worst[p], (unsigned long)samples[p]);
        if (worst[p] > all)
            all = worst[p];
        CHECK(samples[p] > 0);
    }
    printf("[attack] latency worst: %lu instructions\n", (unsigned long)(all * ns_per_tick));
    if (!KTEST_DEBUG_KERNEL)
        CHECK(all * ns_per_tick < ATTACK_LATENCY_BOUND);
}
