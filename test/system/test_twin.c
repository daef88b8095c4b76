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

/* --- faults to a waiting pager and its reply-receive --------------------------------- */
#define TWIN_RW (L4_RIGHT_READ | L4_RIGHT_WRITE)
#define TWIN_FAULT_VA (UTIL_VADDR_TEST + 40 * UTIL_MB)
#define TWIN_FAULTS 5
l4_word_t fault_undef(void); /* test_fault.c: UDF #0, then r0 = 42 */

/* Each fault message the pager received: info, MR0-MR3, badge. */
static volatile l4_word_t twin_fault_log[TWIN_FAULTS * 6];

/* Pager: serves arg[1] faults on arg[0] with l4_fault_reply_recv, mapping
 * frame arg[2] + k at the page of fault k; before answering the second it
 * wakes the thread waiting on arg[3] (of the faulter's priority, so it is
 * queued when the faulter is restarted: the restarted faulter runs first,
 * the IPC hand-over of docs/design.md 5.3, and it only when the faulter
 * stops); the last fault (the undefined instruction) is answered with
 * label 1, which leaves the thread stopped. */
static void twin_pager(util_thread_t *t)
{
    l4_msg_t m = {0};
    l4_word_t e = l4_recv(t->arg[0], &m);
    for (l4_word_t k = 0; e == L4_ERR_OK && k < t->arg[1]; k++) {
        volatile l4_word_t *log = &twin_fault_log[6 * k];
        log[0] = m.info, log[1] = m.mr[0], log[2] = m.mr[1], log[3] = m.mr[2], log[4] = m.mr[3];
        log[5] = m.badge;
        util_trace_add('P');
        if (l4_msginfo_label(m.info) == L4_FAULT_PAGE)
            l4_frame_map(t->arg[2] + k, m.mr[1] & ~0xfffu, TWIN_RW, 0, L4_CAP_INIT_VSPACE);
        if (k == 1)
            l4_signal(t->arg[3]);
        if (k + 1 == t->arg[1]) {
            m = util_msg(1, 0, 0, 0, 0, 0);
            e = l4_reply_recv(t->arg[0], &m); /* the thread stays stopped; we wait on */
            break;
        }
        e = l4_fault_reply_recv(t->arg[0], &m);
    }
    t->r[15] = e;
}

/* Touches four pages (writes, then a read), then executes UDF. */
static void twin_toucher(util_thread_t *t)
{
    for (l4_word_t k = 0; k < 4; k++) {
        volatile l4_word_t *p = (volatile l4_word_t *)(TWIN_FAULT_VA + k * 0x1000 + 8 * k);
        if (k < 3)
            *p = 0x1000 + k;
        t->r[k] = *p;
        util_trace_add('T' + k);
    }
    t->r[4] = fault_undef();
}

static void twin_woken(util_thread_t *t)
{
    l4_wait(t->arg[0], 0);
    util_trace_add('Q');
}

TEST(twin_faults_to_a_waiting_pager_and_its_replies_leave_the_same_state)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification(), frames = util_slots(TWIN_FAULTS);
    util_page_table_at(TWIN_FAULT_VA);
    for (unsigned k = 0; k < TWIN_FAULTS; k++)
        CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_FRAME_4K, 0, 0, 0, frames + k, 1,
                                   L4_CAP_INIT_CNODE),
                 L4_ERR_OK);
    util_thread_t *p = util_thread_create(twin_pager, UTIL_PRIO_HIGH + 50, 0);
    p->arg[0] = ep, p->arg[1] = TWIN_FAULTS, p->arg[2] = frames, p->arg[3] = n;
    util_thread_start(p);
    util_thread_t *q = util_thread_create(twin_woken, UTIL_PRIO_HIGH, 0);
    q->arg[0] = n;
    util_thread_start(q); /* waits */
    /* faults through a badged copy: the badge reaches the pager */
    util_thread_t *t = util_thread_create(twin_toucher, UTIL_PRIO_HIGH, util_mint(ep, L4_RIGHTS_ALL, 0x66));
    util_thread_start(t); /* five faults, each served before we run again */
    state_words("fault_log", twin_fault_log, TWIN_FAULTS * 6);
    state_words("fault_order", util_trace, util_trace_len);
    state_words("fault_toucher", t->r, 5);
    state_thread("fault_toucher_regs", t); /* stopped at the UDF */
    state_thread("fault_pager_regs", p);   /* waiting for a sixth fault */
    TRACE_IS('P', 'T', 'P', 'T' + 1, 'P', 'T' + 2, 'P', 'T' + 3, 'P', 'Q');
    CHECK_EQ(t->done, 0);
    CHECK_EQ(p->done, 0);
    for (unsigned k = 0; k < 4; k++) {
        CHECK_EQ(l4_msginfo_label(twin_fault_log[6 * k]), L4_FAULT_PAGE);
        CHECK_EQ(twin_fault_log[6 * k + 2], TWIN_FAULT_VA + k * 0x1000 + 8 * k);
        CHECK_EQ(twin_fault_log[6 * k + 5], 0x66);
        CHECK_EQ(t->r[k], k < 3 ? 0x1000 + k : 0);
    }
    CHECK_EQ(l4_msginfo_label(twin_fault_log[24]), L4_FAULT_UNDEFINED);
    CHECK_EQ(twin_fault_log[25], (l4_word_t)fault_undef);
}

/* --- faults that carry the registers, to a waiting handler ------------------------- */
/* The handler (tcb_set_fault_regs on the faulter) emulates three faults,
 * an undefined instruction, an unknown system call and a load from an
 * unmapped page, with FAULT_REPLY_REGS replies by reply-receive: on the
 * bench kernel the fault delivery and the replies take the fast paths
 * (fastpath_fault, fast_reply_fault), on its twin the slow ones. */
#define TWIN_REGS_FAULTS 3
#define TWIN_REGS_LOG (1 + L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS)
l4_word_t fault_load(l4_word_t addr);
l4_word_t fault_svc(l4_word_t sysno);
static volatile l4_word_t twin_regs_log[TWIN_REGS_FAULTS * TWIN_REGS_LOG];

static void twin_regs_handler(util_thread_t *t)
{
    static const l4_word_t result[] = {77, 0x88, 0x99}, skip[] = {8, 8, 4};
    l4_word_t *buf = l4_ipc_buffer(), *regs = &buf[L4_IPCBUF_MSG + L4_FAULT_MSG_REGS];
    l4_msg_t m = {0};
    l4_word_t e = l4_recv(t->arg[0], &m);
    for (unsigned k = 0; e == L4_ERR_OK && k < TWIN_REGS_FAULTS; k++) {
        volatile l4_word_t *log = &twin_regs_log[TWIN_REGS_LOG * k];
        log[0] = m.info;
        for (unsigned i = 0; i < L4_MSG_REG_WORDS; i++)
            log[1 + i] = m.mr[i];
        for (unsigned i = 0; i < L4_FAULT_REGS_WORDS; i++)
            log[1 + L4_FAULT_MSG_REGS + i] = regs[i];
        regs[0] = result[k]; /* the emulated instruction's result */
        regs[15] += skip[k];
        m = util_msg(L4_FAULT_REPLY_REGS, L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS, 0, 0, 0, 0);
        e = l4_reply_recv(t->arg[0], &m); /* after the last: waits on */
    }
    t->r[15] = e;
}

static void twin_regs_faulter(util_thread_t *t)
{
    t->r[0] = fault_undef();
    t->r[1] = fault_svc(0x77);
    t->r[2] = fault_load(UTIL_VADDR_TEST + 41 * UTIL_MB);
}

/* vcpu: the faulter is a vCPU's thread (its faults, in virtual kernel
 * mode, go to the handler as a plain thread's: the pre-virtualised
 * guest's case). */
static void twin_fault_regs(int vcpu)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *h = util_thread_create(twin_regs_handler, UTIL_PRIO_HIGH + 50, 0);
    h->arg[0] = ep;
    util_thread_start(h);
    util_thread_t *t = util_thread_create(twin_regs_faulter, UTIL_PRIO_HIGH, ep);
    CHECK_EQ(l4_tcb_set_fault_regs(t->tcb, 1), L4_ERR_OK);
    if (vcpu)
        CHECK_EQ(l4_vcpu_bind(util_new(L4_OBJ_VCPU, 0), t->tcb, util_new(L4_OBJ_FRAME_4K, 0)),
                 L4_ERR_OK);
    util_thread_start(t); /* three faults, each emulated before we run again */
    state_words(vcpu ? "fault_regs_vcpu_log" : "fault_regs_log", twin_regs_log,
                TWIN_REGS_FAULTS * TWIN_REGS_LOG);
    state_words(vcpu ? "fault_regs_vcpu_faulter" : "fault_regs_faulter", t->r, 3);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(h->done, 0);
    CHECK_EQ(t->r[0], 77);
    CHECK_EQ(t->r[1], 0x88);
    CHECK_EQ(t->r[2], 0x99);
    static const l4_word_t label[] = {L4_FAULT_UNDEFINED, L4_FAULT_UNKNOWN_SYSCALL, L4_FAULT_PAGE};
    for (unsigned k = 0; k < TWIN_REGS_FAULTS; k++) {
        const volatile l4_word_t *log = &twin_regs_log[TWIN_REGS_LOG * k];
        CHECK_EQ(l4_msginfo_label(log[0]), label[k]);
        CHECK_EQ(l4_msginfo_length(log[0]), L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS);
        CHECK_EQ(log[1 + L4_FAULT_MSG_REGS + 15], log[1]); /* pc, as MR0 */
        CHECK_EQ(log[1 + L4_FAULT_MSG_REGS + 16] & 0x1f, 0x10);
    }
    CHECK_EQ(twin_regs_log[TWIN_REGS_LOG + 1 + L4_FAULT_MSG_REGS + 7], 0x77);
    CHECK_EQ(twin_regs_log[2 * TWIN_REGS_LOG + 1 + L4_FAULT_MSG_REGS + 0],
             UTIL_VADDR_TEST + 41 * UTIL_MB);
}

TEST(twin_faults_with_registers_and_register_replies_leave_the_same_state)
{
    twin_fault_regs(0);
}

TEST(twin_faults_of_a_vcpu_thread_with_registers_leave_the_same_state)
{
    twin_fault_regs(1);
}

/* --- frame maps: the fast path's case and every answer around it ---------------- */
TEST(twin_frame_maps_answer_and_map_the_same)
{
    const l4_word_t va = UTIL_VADDR_TEST + 41 * UTIL_MB, V = L4_CAP_INIT_VSPACE;
    const l4_word_t XN = L4_ATTR_EXECUTE_NEVER;
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0), g = util_new(L4_OBJ_FRAME_4K, 0);
    l4_cptr_t wo = util_copy(f, L4_RIGHT_WRITE); /* no read right: never mappable */
    l4_cptr_t ro = util_copy(g, L4_RIGHT_READ);
    l4_word_t e[16];
    unsigned n = 0;
    e[n++] = l4_frame_map(f, va, TWIN_RW, XN, V); /* no page table yet */
    util_page_table_at(va);
    e[n++] = l4_frame_map(f, va + 0x1000, TWIN_RW, XN, V);
    e[n++] = l4_frame_map(f, va + 0x2000, TWIN_RW, XN, V); /* the cap is mapped */
    e[n++] = l4_frame_map(g, va + 0x1000, TWIN_RW, 0, V);  /* the entry is taken */
    e[n++] = l4_frame_map(g, va + 0x2004, TWIN_RW, 0, V);
    e[n++] = l4_frame_map(g, L4_USER_TOP, TWIN_RW, 0, V);
    e[n++] = l4_frame_map(g, va + 0x2000, TWIN_RW, 0x100, V);
    e[n++] = l4_frame_map(g, va + 0x2000, TWIN_RW, 0, f); /* not a page directory */
    e[n++] = l4_frame_map(g, va + 0x2000, TWIN_RW, 0, L4_CAP_NULL); /* (an empty cap) */
    e[n++] = l4_frame_map(wo, va + 0x3000, TWIN_RW, 0, V);
    e[n++] = l4_frame_map(ro, va + 0x3000, TWIN_RW, 0, V);              /* read-only */
    e[n++] = l4_frame_map(g, va + 0x2000, TWIN_RW, L4_ATTR_UNCACHED, V); /* executable */
    volatile l4_word_t *pf = (volatile l4_word_t *)(va + 0x1000);
    volatile l4_word_t *pg = (volatile l4_word_t *)(va + 0x2000);
    volatile l4_word_t *pro = (volatile l4_word_t *)(va + 0x3000);
    pf[1] = 0x1234;
    pg[2] = 0x5678;
    e[n++] = l4_frame_unmap(f);
    e[n++] = l4_frame_map(f, va + 0x1000, TWIN_RW, XN, V); /* again: the same frame */
    l4_word_t seen[] = {pf[1], pro[2], pg[2]};
    state_words("frame_map_errors", e, n);
    state_words("frame_map_words", seen, 3);
    static const l4_word_t want[] = {
        L4_ERR_NOT_MAPPED, L4_ERR_OK, L4_ERR_ALREADY_MAPPED, L4_ERR_ALREADY_MAPPED,
        L4_ERR_ALIGNMENT_ERROR, L4_ERR_RANGE_ERROR, L4_ERR_INVALID_ARGUMENT,
        L4_ERR_INVALID_CAPABILITY, L4_ERR_FAILED_LOOKUP, L4_ERR_INSUFFICIENT_RIGHTS,
        L4_ERR_OK, L4_ERR_OK, L4_ERR_OK, L4_ERR_OK};
    CHECK_EQ(n, sizeof want / sizeof want[0]);
    for (unsigned i = 0; i < n; i++)
        CHECK_EQ(e[i], want[i]);
    CHECK_EQ(seen[0], 0x1234);
    CHECK_EQ(seen[1], 0x5678);
    CHECK_EQ(seen[2], 0x5678);
}

/* --- the register-form IPC fastpath (assembly) with a queue of servers ----------- */
static l4_word_t twin_tls_get(void)
{
    l4_word_t v;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(v));
    return v;
}

static void twin_tls_set(l4_word_t v)
{
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 2" ::"r"(v));
}

/* Server arg[0] on endpoint arg[1]: answers each call with its own mark in
 * MR0 and the request's words plus one; r[k] = its TPIDRURW after each
 * reply-receive ^ the words it received. */
static void twin_queued_server(util_thread_t *t)
{
    twin_tls_set(0x7000 + t->arg[0]);
    l4_msg_t m = {0};
    l4_word_t e = l4_recv(t->arg[1], &m);
    for (unsigned k = 0; e == L4_ERR_OK && k < 3; k++) {
        t->r[k] = twin_tls_get() ^ m.info ^ m.badge ^ m.mr[0] ^ (m.mr[1] << 1) ^ (m.mr[3] << 3);
        m = util_msg(30 + t->arg[0], 4, t->arg[0], m.mr[1] + 1, m.mr[2] + 1, m.mr[3] + 1);
        e = l4_reply_recv(t->arg[1], &m);
    }
}

/* Client: six calls of 0 to 4 words; r[k] = its TPIDRURW ^ the reply. */
static void twin_queue_client(util_thread_t *t)
{
    twin_tls_set(0x6000);
    for (unsigned k = 0; k < 6; k++) {
        l4_msg_t m = util_msg(40 + k, k % 5, k, 0x10 * k, 0x100 * k, 0x1000 * k);
        l4_word_t e = l4_call(t->arg[1], &m);
        t->r[k] = twin_tls_get() ^ e ^ m.info ^ m.badge ^ (m.mr[0] << 8) ^ m.mr[1] ^ m.mr[3];
    }
}

TEST(twin_register_ipc_with_a_queue_of_servers_leaves_the_same_state)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *a = util_thread_create(twin_queued_server, UTIL_PRIO_HIGH, 0);
    util_thread_t *b = util_thread_create(twin_queued_server, UTIL_PRIO_HIGH, 0);
    a->arg[0] = 1, b->arg[0] = 2, a->arg[1] = b->arg[1] = ep;
    util_thread_start(a);
    util_thread_start(b); /* both wait: a first */
    util_thread_t *c = util_thread_create(twin_queue_client, UTIL_PRIO_HIGH, 0);
    c->arg[1] = util_mint(ep, L4_RIGHTS_ALL, 0x99);
    util_thread_start(c);
    CHECK_EQ(c->done, 1);
    state_words("queue_client", c->r, 6);
    state_words("queue_server_a", a->r, 3);
    state_words("queue_server_b", b->r, 3);
    state_thread("queue_server_a_regs", a);
    state_thread("queue_server_b_regs", b);
    /* the servers took turns (a, b, a, ...): each reply carries its mark */
    for (unsigned k = 0; k < 6; k++) {
        l4_word_t mark = 1 + k % 2, len = 4;
        l4_word_t want = 0x6000 ^ L4_ERR_OK ^ l4_msginfo(30 + mark, 0, len) ^ 0 ^ (mark << 8) ^
                         (0x10 * k + 1) ^ (0x1000 * k + 1);
        CHECK_EQ(c->r[k], want);
    }
}

/* --- an IPC hands the CPU to an equal-priority partner, a queued thread waits ---- */
/* A call whose caller blocks, and a reply-receive whose server blocks,
 * give the CPU to the partner they wake at once, ahead of a thread of the
 * same priority that was queued already (docs/design.md 5.3, "the IPC
 * hand-over"): the fast paths (the register form in assembly for the short
 * messages, the C fastpath for the long ones) and the slow path alike.
 * The queued thread runs when the client waits for good. */
static void twin_handover_server(util_thread_t *t)
{
    l4_msg_t m = {0};
    l4_word_t e = l4_recv(t->arg[0], &m);
    for (unsigned k = 0; e == L4_ERR_OK; k++) {
        util_trace_add('S' + 0x100 * l4_msginfo_length(m.info));
        m = util_msg(50 + k, l4_msginfo_length(m.info), k, 0, 0, 0);
        e = l4_reply_recv(t->arg[0], &m);
    }
}

static void twin_handover_client(util_thread_t *t)
{
    static const l4_word_t len[] = {2, 2, 10, 10};
    util_trace_add('C');
    for (unsigned k = 0; k < 4; k++) {
        l4_msg_t m = util_msg(60 + k, len[k], k, 0, 0, 0);
        l4_word_t e = l4_call(t->arg[0], &m);
        util_trace_add('c' + 0x100 * k + 0x10000 * (e != L4_ERR_OK));
    }
    l4_wait(t->arg[1], 0); /* for good: the queued thread runs now */
}

static void twin_handover_bystander(util_thread_t *t)
{
    util_trace_add('Q');
    l4_yield(); /* behind the client, which runs */
    util_trace_add('q');
}

TEST(twin_ipc_hands_the_cpu_to_an_equal_priority_partner_before_a_queued_thread)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), never = util_notification();
    util_thread_t *s = util_thread_create(twin_handover_server, UTIL_PRIO_HIGH, 0);
    s->arg[0] = ep;
    util_thread_start(s); /* it waits on ep */
    util_thread_t *q = util_thread_create(twin_handover_bystander, UTIL_PRIO_HIGH, 0);
    util_thread_t *c = util_thread_create(twin_handover_client, UTIL_PRIO_HIGH, 0);
    c->arg[0] = ep, c->arg[1] = never;
    /* Both made ready from above, so that both are queued before either runs. */
    util_root_priority(255);
    util_thread_start(q);
    util_thread_start(c);
    util_root_lower(); /* Q runs, yields to C: Q is queued while C calls */
    state_words("handover_order", util_trace, util_trace_len);
    TRACE_IS('Q', 'C', 'S' + 0x200, 'c', 'S' + 0x200, 'c' + 0x100, 'S' + 0xa00, 'c' + 0x200,
             'S' + 0xa00, 'c' + 0x300, 'q');
    CHECK_EQ(q->done, 1);
    CHECK_EQ(c->done, 0);
    state_thread("handover_client_regs", c);
    state_thread("handover_server_regs", s);
}
