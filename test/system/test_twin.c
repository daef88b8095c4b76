/* SPDX-License-Identifier: BSD-2-Clause */
/* Scenarios for the fast-path/slow-path twin (suite system-slowpath-twin):
 * this image runs on the bench kernel (fast paths on) and on the
 * bench-slowpath kernel (CONFIG_SLOWPATH: every system call takes the full
 * path, every exit decides in full, every woken thread is queued), and
 * qemurun --compare requires the same results and the same `[state]`
 * lines from both. Each scenario prints what it leaves behind: the
 * messages each side received (every word, buffers included), the order
 * in which threads ran, and the registers of the threads it stopped. Each
 * also checks the protocol itself, so it is a plain test as well. */
#include "util.h"
#include <stdio.h>

#define TRACE_IS(...)                                                                       \
    do {                                                                                           \
        static const l4_word_t want[] = {__VA_ARGS__};                                             \
        CHECK_EQ(util_trace_len, sizeof want / sizeof want[0]);                                    \
        for (unsigned i_ = 0; i_ < sizeof want / sizeof want[0]; i_++)                             \
            CHECK_EQ(util_trace[i_], want[i_]);                                                    \
    } while (0)

static void state_words(const char *name, const volatile l4_word_t *w, unsigned n)
{
    printf("[state] %s", name);
    for (unsigned i = 0; i < n; i++)
        printf(" %lx", (unsigned long)w[i]);
    printf("\n");
}

/* The registers of a thread that has stopped (r0-r12, sp, lr, pc, cpsr,
 * tpidrurw), and its IPC buffer's first words. */
static void state_thread(const char *name, util_thread_t *t)
{
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    state_words(name, regs, L4_TCB_MAX_REGS);
}

/* --- call and reply-receive of every length class --------------------------- */
static const l4_word_t lengths[] = {0, 2, 4, 5, 10, 63, 64};
#define NLEN (sizeof lengths / sizeof lengths[0])

/* Client: one call per length; r[k] = error ^ info ^ a fold of every reply word. */
static void twin_client(util_thread_t *t)
{
    l4_word_t *buf = l4_ipc_buffer();
    for (unsigned k = 0; k < NLEN; k++) {
        l4_word_t len = lengths[k];
        l4_msg_t m = util_msg(20 + k, len, 0x100 + k, 0x200 + k, 0x300 + k, 0x400 + k);
        for (l4_word_t i = L4_MSG_REG_WORDS; i < len; i++)
            buf[L4_IPCBUF_MSG + i] = 0x10000 * (k + 1) + i;
        l4_word_t e = l4_call(t->arg[0], &m);
        l4_word_t fold = e ^ (m.info << 1) ^ m.badge;
        for (unsigned i = 0; i < L4_MSG_REG_WORDS; i++)
            fold = (fold << 3 | fold >> 29) ^ m.mr[i];
        for (l4_word_t i = L4_MSG_REG_WORDS; i < l4_msginfo_length(m.info); i++)
            fold = (fold << 3 | fold >> 29) ^ buf[L4_IPCBUF_MSG + i];
        t->r[k] = fold;
    }
}

/* Server: answers each call with label + 100, the same length, every word
 * plus one (buffer words too); r[k] = info ^ badge ^ fold of the request. */
static void twin_server(util_thread_t *t)
{
    l4_word_t *buf = l4_ipc_buffer();
    l4_msg_t m = {0};
    l4_word_t e = l4_recv(t->arg[0], &m);
    for (unsigned k = 0; e == L4_ERR_OK && k < NLEN; k++) {
        l4_word_t len = l4_msginfo_length(m.info);
        l4_word_t fold = m.info ^ m.badge;
        for (unsigned i = 0; i < L4_MSG_REG_WORDS; i++)
            fold = (fold << 3 | fold >> 29) ^ m.mr[i];
        for (l4_word_t i = L4_MSG_REG_WORDS; i < len; i++) {
            fold = (fold << 3 | fold >> 29) ^ buf[L4_IPCBUF_MSG + i];
            buf[L4_IPCBUF_MSG + i] += 1;
        }
        t->r[k] = fold;
        m = util_msg(l4_msginfo_label(m.info) + 100, len, m.mr[0] + 1, m.mr[1] + 1, m.mr[2] + 1,
                     m.mr[3] + 1);
        e = l4_reply_recv(t->arg[0], &m);
    }
}

TEST(twin_call_and_reply_recv_of_every_length_leave_the_same_state)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *s = util_thread_create(twin_server, UTIL_PRIO_HIGH, 0);
    s->arg[0] = ep;
    util_thread_start(s);
    util_thread_t *c = util_thread_create(twin_client, UTIL_PRIO_HIGH, 0);
    c->arg[0] = util_mint(ep, L4_RIGHTS_ALL, 0x55);
    util_thread_start(c);
    CHECK_EQ(c->done, 1);
    CHECK_EQ(s->done, 0); /* waiting for an eighth call */
    state_words("ipc_lengths_client", c->r, NLEN);
    state_words("ipc_lengths_server", s->r, NLEN);
    state_thread("ipc_lengths_server_regs", s);
    /* The request of length 10: every word arrived (the server's fold). */
    l4_word_t fold = l4_msginfo(24, 0, 10) ^ 0x55;
    const l4_word_t mr[] = {0x104, 0x204, 0x304, 0x404};
    for (unsigned i = 0; i < 4; i++)
        fold = (fold << 3 | fold >> 29) ^ mr[i];
    for (unsigned i = 4; i < 10; i++)
        fold = (fold << 3 | fold >> 29) ^ (0x50000 + i);
    CHECK_EQ(s->r[4], fold);
}

/* --- who runs after a wake-up ---------------------------------------------------- */
static void twin_waiter(util_thread_t *t)
{
    for (unsigned i = 0; i < 2; i++) {
        l4_wait(t->arg[1], 0);
        util_trace_add(t->arg[0] + i);
    }
}

static void twin_receiver(util_thread_t *t)
{
    l4_msg_t m = {0};
    for (unsigned i = 0; i < 2; i++) {
        l4_recv(t->arg[1], &m);
        util_trace_add(t->arg[0] + i + m.mr[0]);
    }
}

TEST(twin_wake_ups_of_higher_equal_and_lower_threads_run_in_the_same_order)
{
    util_root_lower();
    l4_cptr_t n = util_notification(), ep = util_endpoint();
    util_thread_t *h = util_thread_create(twin_waiter, UTIL_PRIO_HIGH, 0);
    util_thread_t *e = util_thread_create(twin_waiter, UTIL_PRIO_ROOT, 0);
    util_thread_t *l = util_thread_create(twin_receiver, UTIL_PRIO_LOW, 0);
    util_thread_t *r = util_thread_create(twin_receiver, UTIL_PRIO_HIGH, 0);
    h->arg[0] = 'H', e->arg[0] = 'E', l->arg[0] = 'L', r->arg[0] = 'R';
    l4_cptr_t n2 = util_notification();
    h->arg[1] = n, e->arg[1] = n2, l->arg[1] = ep, r->arg[1] = ep;
    util_thread_start(h);
    util_thread_start(e); /* equal priority: runs when the root blocks or yields */
    util_thread_start(r);
    util_thread_start(l);
    util_trace_add('0');
    l4_signal(n);  /* H preempts */
    l4_signal(n2); /* E has not waited yet: the word stays set */
    util_trace_add('1');
    l4_yield(); /* E runs, waits again */
    util_trace_add('2');
    l4_msg_t m = util_msg(0, 1, 1, 0, 0, 0);
    l4_send(ep, &m); /* R (first in the queue) preempts */
    l4_send(ep, &m); /* R again: it received first, so it waits first */
    l4_signal(n);    /* H finishes */
    l4_signal(n2); /* E waits again: woken, queued behind the root */
    util_trace_add('3');
    l4_send(ep, &m); /* nobody waits: the root blocks, E runs and finishes, then L
                      * receives, which wakes the root: it preempts L at once */
    util_trace_add('4');
    l4_yield(); /* nothing else at the root's priority: L still has no time */
    state_words("wake_order", util_trace, util_trace_len);
    TRACE_IS('0', 'H', '1', 'E', '2', 'R' + 1, 'R' + 2, 'H' + 1, '3', 'E' + 1, '4');
    CHECK_EQ(l->done, 0);
    state_thread("wake_order_low_regs", l);
}
