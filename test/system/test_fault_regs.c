/* SPDX-License-Identifier: BSD-2-Clause */
/* Fault messages that carry the registers (tcb_set_fault_regs) and the
 * reply that installs them (L4_FAULT_REPLY_REGS): every fault kind carries
 * what read_registers reads, the reply installs what write_registers and a
 * restart install (sanitised alike), a short reply leaves the thread
 * stopped, and the option's errors. The fast paths' side (a waiting
 * handler, its reply-receive) is test_twin.c's fault_regs scenario. */
#include "util.h"

#define NREGS L4_FAULT_REGS_WORDS
#define FULL (L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS)
#define VA(n) (UTIL_VADDR_TEST + (n)*UTIL_MB)

/* test_fault.c: faulting instructions at known addresses (ARM state). */
l4_word_t fault_load(l4_word_t addr);
l4_word_t fault_undef(void); /* UDF #0, then r0 = 42 */
l4_word_t fault_svc(l4_word_t sysno);
extern const char fault_svc_insn[];

static void do_load(util_thread_t *t)
{
    t->r[0] = fault_load(t->arg[0]);
}
static void do_undef(util_thread_t *t)
{
    t->r[0] = fault_undef();
}
static void do_svc(util_thread_t *t)
{
    t->r[0] = fault_svc(t->arg[0]);
}

/* A thread at UTIL_PRIO_HIGH with the option `on`, started: it runs (the
 * root is lowered) until it faults on ep, where nobody waits yet. */
static util_thread_t *faulter(util_thread_fn fn, l4_cptr_t ep, l4_word_t on, l4_word_t a0)
{
    util_thread_t *t = util_thread_create(fn, UTIL_PRIO_HIGH, ep);
    CHECK_EQ(l4_tcb_set_fault_regs(t->tcb, on), L4_ERR_OK);
    t->arg[0] = a0;
    util_thread_start(t);
    CHECK_EQ(t->done, 0);
    return t;
}

/* Receive the queued fault of label `label`; regs = its registers. */
static l4_msg_t take_fault(l4_cptr_t ep, l4_word_t label, l4_word_t regs[NREGS])
{
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), label);
    CHECK_EQ(l4_msginfo_length(m.info), FULL);
    CHECK(l4_msginfo_from_kernel(m.info));
    const l4_word_t *buf = l4_ipc_buffer();
    for (unsigned i = 0; i < NREGS; i++)
        regs[i] = buf[L4_IPCBUF_MSG + L4_FAULT_MSG_REGS + i];
    return m;
}

/* Reply FAULT_REPLY_REGS with regs in a message of `length` words. */
static l4_word_t reply_regs(const l4_word_t regs[NREGS], l4_word_t length)
{
    l4_word_t *buf = l4_ipc_buffer();
    for (unsigned i = 0; i < NREGS; i++)
        buf[L4_IPCBUF_MSG + L4_FAULT_MSG_REGS + i] = regs[i];
    l4_msg_t m = util_msg(L4_FAULT_REPLY_REGS, length, 0, 0, 0, 0);
    return l4_reply(&m);
}

static l4_word_t reply_restart(void)
{
    l4_msg_t m = util_msg(L4_FAULT_REPLY_RESTART, 0, 0, 0, 0, 0);
    return l4_reply(&m);
}

static void check_regs_are(util_thread_t *t, const l4_word_t want[NREGS])
{
    l4_word_t r[NREGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, NREGS, r), L4_ERR_OK);
    for (unsigned i = 0; i < NREGS; i++)
        CHECK_EQ(r[i], want[i]);
}

TEST(fault_regs_off_by_default_and_after_clearing_send_four_words)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(do_undef, UTIL_PRIO_HIGH, ep);
    util_thread_start(t);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNDEFINED);
    CHECK_EQ(l4_msginfo_length(m.info), L4_MSG_REG_WORDS);
    util_thread_t *u = util_thread_create(do_undef, UTIL_PRIO_HIGH, ep);
    CHECK_EQ(l4_tcb_set_fault_regs(u->tcb, 1), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_fault_regs(u->tcb, 0), L4_ERR_OK);
    util_thread_start(u);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_length(m.info), L4_MSG_REG_WORDS);
    CHECK_EQ(m.mr[0], (l4_word_t)fault_undef);
}

TEST(fault_regs_every_kind_carries_what_read_registers_reads)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    static const struct {
        util_thread_fn fn;
        l4_word_t arg, label, pc;
    } kinds[] = {
        {do_undef, 0, L4_FAULT_UNDEFINED, (l4_word_t)fault_undef},
        {do_load, VA(1) + 0x124, L4_FAULT_PAGE, (l4_word_t)fault_load},
        {do_svc, 0x77, L4_FAULT_UNKNOWN_SYSCALL, (l4_word_t)fault_svc_insn},
    };
    for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        util_thread_t *t = faulter(kinds[k].fn, ep, 1, kinds[k].arg);
        l4_word_t regs[NREGS];
        l4_msg_t m = take_fault(ep, kinds[k].label, regs);
        CHECK_EQ(m.mr[0], kinds[k].pc);
        CHECK_EQ(regs[15], kinds[k].pc);
        CHECK_EQ(regs[16] & 0x1f, 0x10);
        if (kinds[k].label != L4_FAULT_PAGE) {
            CHECK_EQ(m.mr[2], regs[13]); /* sp */
            CHECK_EQ(m.mr[3], regs[16]); /* cpsr */
        }
        if (kinds[k].label == L4_FAULT_UNKNOWN_SYSCALL)
            CHECK_EQ(regs[7], 0x77); /* the number, in r7 */
        if (kinds[k].label == L4_FAULT_PAGE)
            CHECK_EQ(regs[0], kinds[k].arg); /* the address, in r0 */
        check_regs_are(t, regs);
        CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK); /* its reply right lapses */
    }
}

/* The two ways a handler changes a faulted thread's registers: the reply
 * that carries them (fast) and write_registers + restart (slow). */
static l4_word_t install(int fast, util_thread_t *t, const l4_word_t regs[NREGS])
{
    if (fast)
        return reply_regs(regs, FULL);
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, NREGS, regs), L4_ERR_OK);
    return reply_restart();
}

TEST(fault_reply_regs_installs_what_write_registers_and_restart_install)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    for (int fast = 0; fast < 2; fast++) {
        util_thread_t *t = faulter(do_undef, ep, 1, 0);
        l4_word_t regs[NREGS], again[NREGS];
        take_fault(ep, L4_FAULT_UNDEFINED, regs);
        /* caller-saved registers changed, the cpsr crafted (SVC mode,
         * A, I, F, flags, GE), pc at the UDF again: it faults afresh */
        regs[1] = 0x11111111, regs[2] = 0x22222222, regs[3] = 0x33333333, regs[12] = 0xcccc;
        regs[16] = 0xf00f01d3u;
        CHECK_EQ(install(fast, t, regs), L4_ERR_OK);
        take_fault(ep, L4_FAULT_UNDEFINED, again);
        regs[16] = 0xf00f0010u; /* sanitised: user mode, A, I, F clear */
        for (unsigned i = 0; i < NREGS; i++)
            CHECK_EQ(again[i], regs[i]);
        /* past the UDF and its mov: fault_undef returns r0 */
        again[0] = 77 + fast;
        again[15] += 8;
        CHECK_EQ(install(fast, t, again), L4_ERR_OK);
        CHECK_EQ(t->done, 1);
        CHECK_EQ(t->r[0], 77 + fast);
    }
}

TEST(fault_reply_regs_sanitises_a_crafted_cpsr_as_write_registers_does)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    /* every bit (SYS mode, Thumb, IT, J, E, A, I, F) with an odd pc; SVC
     * mode with I and F in ARM state with a pc off by 3 */
    static const l4_word_t cpsr[] = {0xffffffffu, 0x000001d3u};
    const l4_word_t user = 0xf8000000u | 0x06000000u | 0x000f0000u | 0x0000fc00u | 0x20u;
    for (unsigned k = 0; k < 2; k++)
        for (int fast = 0; fast < 2; fast++) {
            util_thread_t *t = faulter(do_undef, ep, 1, 0);
            l4_word_t regs[NREGS], want[NREGS];
            take_fault(ep, L4_FAULT_UNDEFINED, regs);
            /* below the root: it does not run before the root stops it */
            CHECK_EQ(l4_tcb_set_priority(t->tcb, UTIL_PRIO_LOW, L4_CAP_INIT_TCB), L4_ERR_OK);
            regs[15] = 0x10003;
            regs[16] = cpsr[k];
            for (unsigned i = 0; i < NREGS; i++)
                want[i] = regs[i];
            want[16] = (cpsr[k] & user) | 0x10u;
            want[15] = (cpsr[k] & 0x20u) ? 0x10002 : 0x10000;
            CHECK_EQ(install(fast, t, regs), L4_ERR_OK);
            CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
            check_regs_are(t, want);
        }
}

TEST(fault_reply_regs_too_short_leaves_the_thread_stopped_as_it_faulted)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = faulter(do_undef, ep, 1, 0);
    l4_word_t regs[NREGS], changed[NREGS];
    take_fault(ep, L4_FAULT_UNDEFINED, regs);
    for (unsigned i = 0; i < NREGS; i++)
        changed[i] = regs[i];
    changed[0] = 0x55, changed[15] += 8;
    CHECK_EQ(reply_regs(changed, FULL - 1), L4_ERR_OK); /* delivered, but nothing installed */
    CHECK_EQ(t->done, 0);
    check_regs_are(t, regs);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK); /* stopped, not faulting again */
    /* resumed, it runs the UDF again: a fault like the first */
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_OK);
    l4_word_t again[NREGS];
    take_fault(ep, L4_FAULT_UNDEFINED, again);
    for (unsigned i = 0; i < NREGS; i++)
        CHECK_EQ(again[i], regs[i]);
    CHECK_EQ(reply_regs(changed, FULL), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 0x55);
}

TEST(fault_set_fault_regs_needs_read_and_write_and_a_flag_of_0_or_1)
{
    l4_cptr_t t = util_new(L4_OBJ_TCB, 0);
    static const l4_word_t lacking[] = {0, L4_RIGHT_READ, L4_RIGHT_WRITE, L4_RIGHT_GRANT,
                                        L4_RIGHT_READ | L4_RIGHT_GRANT,
                                        L4_RIGHT_WRITE | L4_RIGHT_GRANT};
    for (unsigned k = 0; k < sizeof lacking / sizeof lacking[0]; k++)
        CHECK_EQ(l4_tcb_set_fault_regs(util_copy(t, lacking[k]), 1), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_tcb_set_fault_regs(util_copy(t, L4_RIGHT_READ | L4_RIGHT_WRITE), 1), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_fault_regs(t, 2), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_tcb_set_fault_regs(t, 0xffffffffu), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_invoke(t, L4_TCB_SET_FAULT_REGS, 0, 0, 0, 0, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
}
