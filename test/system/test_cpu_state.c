/* SPDX-License-Identifier: BSD-2-Clause */
/* User-visible CPU state is per thread (design.md 5.4): TPIDRURW is saved
 * and loaded on every switch (kernel exit and the IPC fastpath) and is
 * register 17 of read/write_registers; the exclusive monitor is cleared on
 * every kernel exit. (VFP/NEON state: test/fpu/.) */
#include "util.h"

static inline l4_word_t tls_get(void)
{
    l4_word_t v;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(v));
    return v;
}
static inline void tls_set(l4_word_t v)
{
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 2" ::"r"(v) : "memory");
}

/* ---- registers -------------------------------------------------------------- */

static l4_cptr_t regs_ntfn;
static void tls_report(util_thread_t *t)
{
    t->r[0] = tls_get();
    tls_set(0x5678abcdu);
    l4_wait(regs_ntfn, 0);
    t->r[1] = tls_get();
}

TEST(cpu_tpidrurw_starts_at_zero_and_is_register_17)
{
    util_root_lower();
    regs_ntfn = util_notification();
    /* a new thread starts with 0 */
    util_thread_t *a = util_thread_run(tls_report, UTIL_PRIO_HIGH);
    CHECK_EQ(a->r[0], 0);
    /* the register set exposes it: the value the blocked thread wrote */
    l4_word_t r[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(a->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    CHECK_EQ(r[L4_TCB_REG_TPIDRURW], 0x5678abcdu);
    /* and writes it: the thread sees the new value when it next runs */
    r[L4_TCB_REG_TPIDRURW] = 0x600d;
    CHECK_EQ(l4_tcb_write_registers(a->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    CHECK_EQ(l4_signal(regs_ntfn), L4_ERR_OK);
    CHECK_EQ(a->r[1], 0x600d);
    /* write_registers before the first run sets the starting value */
    util_thread_t *b = util_thread_create(tls_report, UTIL_PRIO_HIGH, 0);
    util_thread_initial_regs(b, r);
    r[L4_TCB_REG_TPIDRURW] = 0x1234;
    CHECK_EQ(l4_tcb_write_registers(b->tcb, 1, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    CHECK_EQ(b->r[0], 0x1234);
    /* a shorter count leaves it alone */
    CHECK_EQ(l4_tcb_read_registers(b->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    CHECK_EQ(r[L4_TCB_REG_TPIDRURW], 0x5678abcdu);
    CHECK_EQ(l4_tcb_write_registers(b->tcb, 0, L4_TCB_MAX_REGS - 1, r), L4_ERR_OK);
    CHECK_EQ(l4_tcb_read_registers(b->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    CHECK_EQ(r[L4_TCB_REG_TPIDRURW], 0x5678abcdu);
}

/* ---- no value crosses between threads in different address spaces ----------- */

/* Shared page, per thread k (arg[0]) at 16k: */
#define S_DONE 0   /* rounds completed */
#define S_BAD 1    /* rounds in which TPIDRURW was not the thread's own value */
#define S_SEEN 2   /* the first wrong value */
#define S_START 3  /* TPIDRURW at the thread's start */
#define S_FIN 4    /* 1 when finished */
#define S_BEAT 5   /* heartbeat: incremented while spinning */
#define S_SWITCH 6 /* rounds in which the other thread ran between set and read */
#define S_FAILSPIN 7
#define SH(k, f) (util_shared()[16 * (k) + (f)])

static void tls_check(volatile l4_word_t *s, l4_word_t want)
{
    l4_word_t v = tls_get();
    if (v != want) {
        if (!s[S_BAD])
            s[S_SEEN] = v;
        s[S_BAD]++;
    }
}

#define YIELD_ROUNDS 200
static void tls_yield_body(util_thread_t *t)
{
    volatile l4_word_t *s = (volatile l4_word_t *)UTIL_SHARED_VADDR + 16 * t->arg[0];
    s[S_START] = tls_get();
    for (l4_word_t i = 0; i < YIELD_ROUNDS; i++) {
        tls_set(t->arg[1] + i);
        l4_yield(); /* the other thread (same priority) runs and sets its own */
        tls_check(s, t->arg[1] + i);
        s[S_DONE] = i + 1;
    }
    s[S_FIN] = 1;
}

/* Two threads of equal priority in two address spaces, and the root. */
static void run_pair(util_thread_fn fn)
{
    util_root_lower();
    util_thread_t *a = util_thread_create_in_space(fn, UTIL_PRIO_HIGH, 0, 0, 0xa0000000u);
    util_thread_t *b = util_thread_create_in_space(fn, UTIL_PRIO_HIGH, 0, 1, 0xb0000000u);
    tls_set(0x2007);
    /* both become ready before either runs: then they alternate */
    util_root_priority(UTIL_PRIO_HIGH + 1);
    util_thread_start(a);
    util_thread_start(b);
    util_root_priority(UTIL_PRIO_ROOT);
    CHECK_EQ(tls_get(), 0x2007); /* the root's own value survived both */
    for (int k = 0; k < 2; k++) {
        CHECK_EQ(SH(k, S_FIN), 1);
        CHECK_EQ(SH(k, S_START), 0);
        CHECK_EQ(SH(k, S_BAD), 0);
        CHECK_EQ(SH(k, S_FAILSPIN), 0);
    }
}

TEST(cpu_tpidrurw_does_not_cross_address_spaces_on_yield)
{
    run_pair(tls_yield_body);
    CHECK_EQ(SH(0, S_DONE), YIELD_ROUNDS);
    CHECK_EQ(SH(1, S_DONE), YIELD_ROUNDS);
}

/* Under preemption: set, spin until the other thread has run (the tick
 * rotated us out: same priority, 5 ms quanta), read. */
#define PREEMPT_ROUNDS 3
#define SPIN_LIMIT 20000000u /* far more than one quantum */
static void tls_preempt_body(util_thread_t *t)
{
    volatile l4_word_t *s = (volatile l4_word_t *)UTIL_SHARED_VADDR + 16 * t->arg[0];
    volatile l4_word_t *o = (volatile l4_word_t *)UTIL_SHARED_VADDR + 16 * (t->arg[0] ^ 1);
    s[S_START] = tls_get();
    for (l4_word_t i = 0; i < PREEMPT_ROUNDS; i++) {
        tls_set(t->arg[1] + i);
        l4_word_t beat = o[S_BEAT], n = 0;
        while (o[S_BEAT] == beat && !o[S_FIN] && n < SPIN_LIMIT) {
            s[S_BEAT]++;
            n++;
        }
        if (n == SPIN_LIMIT)
            s[S_FAILSPIN]++;
        if (o[S_BEAT] != beat)
            s[S_SWITCH]++;
        tls_check(s, t->arg[1] + i);
        s[S_DONE] = i + 1;
    }
    s[S_FIN] = 1;
}

TEST(cpu_tpidrurw_does_not_cross_address_spaces_under_preemption)
{
    run_pair(tls_preempt_body);
    CHECK_EQ(SH(0, S_DONE), PREEMPT_ROUNDS);
    CHECK_EQ(SH(1, S_DONE), PREEMPT_ROUNDS);
    /* the thread that finished first saw the other run in every round */
    CHECK(SH(0, S_SWITCH) + SH(1, S_SWITCH) >= PREEMPT_ROUNDS);
}

/* Through IPC: a client and a server of equal priority in two spaces, with
 * 2-word calls (the fastpath) and 10-word calls (the slow path). */
#define IPC_ROUNDS 100
static l4_cptr_t tls_ep;
static void tls_server(util_thread_t *t)
{
    volatile l4_word_t *s = (volatile l4_word_t *)UTIL_SHARED_VADDR + 16 * t->arg[0];
    s[S_START] = tls_get();
    tls_set(t->arg[1]);
    l4_msg_t m = {0};
    l4_recv(tls_ep, &m);
    for (l4_word_t i = 0;; i++) {
        tls_check(s, t->arg[1]);
        s[S_DONE] = i + 1;
        m.info = l4_msginfo(0, 0, l4_msginfo_length(m.info));
        l4_reply_recv(tls_ep, &m);
    }
}
static void tls_client(util_thread_t *t)
{
    volatile l4_word_t *s = (volatile l4_word_t *)UTIL_SHARED_VADDR + 16 * t->arg[0];
    s[S_START] = tls_get();
    tls_set(t->arg[1]);
    for (l4_word_t i = 0; i < IPC_ROUNDS; i++) {
        l4_msg_t m = {.info = l4_msginfo(1, 0, (i & 1) ? 10 : 2)};
        if (l4_call(tls_ep, &m) != L4_ERR_OK)
            s[S_FAILSPIN]++;
        tls_check(s, t->arg[1]);
    }
    s[S_FIN] = 1;
}

TEST(cpu_tpidrurw_does_not_cross_address_spaces_through_ipc)
{
    util_root_lower();
    tls_ep = util_endpoint();
    util_thread_t *srv = util_thread_create_in_space(tls_server, UTIL_PRIO_HIGH, 0, 1, 0xb0b0b0b0u);
    util_thread_t *cl = util_thread_create_in_space(tls_client, UTIL_PRIO_HIGH, 0, 0, 0xc1c1c1c1u);
    tls_set(0x2008);
    util_thread_start(srv); /* waits in recv */
    util_thread_start(cl);
    CHECK_EQ(tls_get(), 0x2008);
    CHECK_EQ(SH(0, S_FIN), 1);
    CHECK_EQ(SH(0, S_FAILSPIN), 0);
    CHECK_EQ(SH(1, S_DONE), IPC_ROUNDS);
    for (int k = 0; k < 2; k++) {
        CHECK_EQ(SH(k, S_START), 0);
        CHECK_EQ(SH(k, S_BAD), 0);
    }
    CHECK_EQ(l4_tcb_suspend(srv->tcb), L4_ERR_OK);
}

/* ---- the exclusive monitor ----------------------------------------------------- */

/* ldrex; [svc debug_null]; strex: returns strex's status (0 = stored). */
static l4_word_t exclusive_across(int with_svc)
{
    static volatile l4_word_t word;
    l4_word_t status, old;
    if (with_svc)
        __asm__ volatile("ldrex %1, [%2]\n"
                         "push {r7}\n mov r7, %3\n svc #0\n pop {r7}\n"
                         "strex %0, %1, [%2]"
                         : "=&r"(status), "=&r"(old)
                         : "r"(&word), "i"(L4_SYS_DEBUG_NULL)
                         : "memory");
    else
        __asm__ volatile("ldrex %1, [%2]\n strex %0, %1, [%2]"
                         : "=&r"(status), "=&r"(old)
                         : "r"(&word)
                         : "memory");
    return status;
}

TEST(cpu_exclusive_monitor_is_cleared_by_every_kernel_entry)
{
    CHECK_EQ(exclusive_across(0), 0);
    CHECK_EQ(exclusive_across(1), 1);
}
