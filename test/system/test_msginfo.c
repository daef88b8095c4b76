/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel messages cannot be forged: info bits 9-11 are the kernel's. The
 * kernel sets L4_MSG_FROM_KERNEL on what it originates (bound-notification
 * signals, fault messages, invocation results), and refuses any send, call,
 * reply, reply_recv or invocation whose info word sets one of those bits,
 * with INVALID_ARGUMENT, before anything moves. */
#include "util.h"

static const l4_word_t kernel_bits[] = {1u << 9, 1u << 10, 1u << 11, L4_MSG_KERNEL_BITS};
#define NBITS (sizeof kernel_bits / sizeof kernel_bits[0])

/* r[0] error, r[1] info, r[2] badge, r[3] MR0 of one receive on arg[0]. */
static void receiver(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[8] = 1;
    t->r[0] = l4_recv(t->arg[0], &m);
    t->r[1] = m.info;
    t->r[2] = m.badge;
    t->r[3] = m.mr[0];
}

/* A call of label 9 on arg[0]; r[0] error, r[1] reply info, r[2] MR0. */
static void caller(util_thread_t *t)
{
    l4_msg_t m = util_msg(9, 1, 0x99, 0, 0, 0);
    t->r[8] = 1;
    t->r[0] = l4_call(t->arg[0], &m);
    t->r[1] = m.info;
    t->r[2] = m.mr[0];
}

static util_thread_t *run(util_thread_fn fn, l4_cptr_t cap)
{
    util_thread_t *t = util_thread_create(fn, UTIL_PRIO_HIGH, 0);
    t->arg[0] = cap;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    return t;
}

TEST(msginfo_forged_notification_label_arrives_without_the_kernel_flag)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *t = util_thread_create(receiver, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, n), L4_ERR_OK);
    util_thread_start(t);
    /* a client imitating a signal: the label and a badge of its choosing */
    l4_msg_t m = util_msg(L4_LABEL_NOTIFICATION, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_send(util_mint(ep, L4_RIGHT_WRITE, 0x10), &m), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(l4_msginfo_label(t->r[1]), L4_LABEL_NOTIFICATION);
    CHECK_EQ(t->r[2], 0x10);
    CHECK(!l4_msginfo_from_kernel(t->r[1]));
    CHECK(!l4_msginfo_is_signal(t->r[1]));
    /* the real one, delivered to a thread blocked in recv */
    util_thread_t *u = util_thread_create(receiver, UTIL_PRIO_HIGH, 0);
    u->arg[0] = ep;
    CHECK_EQ(l4_tcb_unbind_notification(t->tcb), L4_ERR_OK);
    CHECK_EQ(l4_tcb_bind_notification(u->tcb, n), L4_ERR_OK);
    util_thread_start(u);
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x10)), L4_ERR_OK);
    CHECK_EQ(u->done, 1);
    CHECK(l4_msginfo_is_signal(u->r[1]));
    CHECK_EQ(u->r[1], (L4_LABEL_NOTIFICATION << L4_MSG_LABEL_SHIFT) | L4_MSG_FROM_KERNEL);
    CHECK_EQ(u->r[2], 0x10);
    /* and pending before the receive */
    util_thread_t *w = util_thread_create(receiver, UTIL_PRIO_HIGH, 0);
    w->arg[0] = ep;
    CHECK_EQ(l4_tcb_unbind_notification(u->tcb), L4_ERR_OK);
    CHECK_EQ(l4_tcb_bind_notification(w->tcb, n), L4_ERR_OK);
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x4)), L4_ERR_OK);
    util_thread_start(w);
    CHECK_EQ(w->done, 1);
    CHECK(l4_msginfo_is_signal(w->r[1]));
    CHECK_EQ(w->r[2], 0x4);
}

/* A bound server that takes two calls: the first with recv, answered by
 * reply_recv, the second answered by reply; both answers imitate a signal.
 * r[1], r[2]: info and badge of the first call; r[4], r[5] of the second. */
static void forging_server(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[8] = 1;
    t->r[0] = l4_recv(t->arg[0], &m);
    t->r[1] = m.info;
    t->r[2] = m.badge;
    m = util_msg(L4_LABEL_NOTIFICATION, 1, 0x55, 0, 0, 0);
    t->r[3] = l4_reply_recv(t->arg[0], &m);
    t->r[4] = m.info;
    t->r[5] = m.badge;
    m = util_msg(L4_LABEL_NOTIFICATION, 1, 0x56, 0, 0, 0);
    t->r[6] = l4_reply(&m);
}

/* Two calls imitating a signal, on arg[0]: r[2i] error, r[2i + 1] the
 * reply's info, r[4 + i] its MR0. */
static void forging_client(util_thread_t *t)
{
    t->r[8] = 1;
    for (unsigned i = 0; i < 2; i++) {
        l4_msg_t m = util_msg(L4_LABEL_NOTIFICATION, 1, 0x1, 0, 0, 0);
        t->r[2 * i] = l4_call(t->arg[0], &m);
        t->r[2 * i + 1] = m.info;
        t->r[4 + i] = m.mr[0];
    }
}

/* The same imitation on the short call and reply paths, between threads of
 * one priority so that the IPC fastpath takes them (system-slowpath-twin:
 * the slow path): a call, a reply_recv and a reply carrying the
 * notification label arrive as plain messages, the sender's badge as the
 * badge, never with the kernel's flag. */
TEST(msginfo_forged_notification_label_by_call_and_reply_arrives_without_the_kernel_flag)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *s = util_thread_create(forging_server, UTIL_PRIO_HIGH, 0);
    s->arg[0] = ep;
    CHECK_EQ(l4_tcb_bind_notification(s->tcb, n), L4_ERR_OK);
    util_thread_start(s);
    util_thread_t *c = util_thread_create(forging_client, UTIL_PRIO_HIGH, 0);
    c->arg[0] = util_mint(ep, L4_RIGHT_WRITE, 0x20);
    util_thread_start(c);
    CHECK_EQ(c->done, 1);
    CHECK_EQ(s->done, 1);
    for (unsigned i = 0; i < 2; i++) {
        CHECK_EQ(c->r[2 * i], L4_ERR_OK);
        CHECK_EQ(l4_msginfo_label(c->r[2 * i + 1]), L4_LABEL_NOTIFICATION);
        CHECK(!l4_msginfo_from_kernel(c->r[2 * i + 1]));
        CHECK(!l4_msginfo_is_signal(c->r[2 * i + 1]));
        CHECK_EQ(c->r[4 + i], 0x55u + i);
    }
    CHECK_EQ(s->r[0], L4_ERR_OK);
    CHECK_EQ(s->r[3], L4_ERR_OK);
    CHECK_EQ(s->r[6], L4_ERR_OK);
    for (unsigned k = 1; k <= 4; k += 3) {
        CHECK_EQ(l4_msginfo_label(s->r[k]), L4_LABEL_NOTIFICATION);
        CHECK_EQ(s->r[k + 1], 0x20);
        CHECK(!l4_msginfo_from_kernel(s->r[k]));
        CHECK(!l4_msginfo_is_signal(s->r[k]));
    }
}

TEST(msginfo_kernel_bits_refused_on_send_nbsend_and_call)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *r = run(receiver, ep);
    static const l4_word_t sys[] = {L4_SYS_SEND, L4_SYS_NBSEND, L4_SYS_CALL};
    for (unsigned s = 0; s < 3; s++)
        for (unsigned i = 0; i < NBITS; i++)
            for (l4_word_t len = 2; len <= 10; len += 8) { /* fastpath size and slow path */
                l4_msg_t m = util_msg(3, len, 1, 2, 3, 4);
                m.info |= kernel_bits[i];
                CHECK_EQ(l4_syscall_ipc(sys[s], ep, &m), L4_ERR_INVALID_ARGUMENT);
                CHECK_EQ(r->done, 0); /* nothing arrived */
            }
    /* the receiver is still waiting: a valid message reaches it */
    l4_msg_t m = util_msg(3, 1, 0x77, 0, 0, 0);
    CHECK_EQ(l4_send(ep, &m), L4_ERR_OK);
    CHECK_EQ(r->done, 1);
    CHECK_EQ(r->r[3], 0x77);
    CHECK(!l4_msginfo_from_kernel(r->r[1]));
}

TEST(msginfo_kernel_bits_refused_on_reply_reply_recv_and_saved_reply)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), other = util_endpoint(), rc = util_slot();
    util_thread_t *c = run(caller, ep);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK);
    for (unsigned i = 0; i < NBITS; i++) {
        m = util_msg(1, 1, 5, 0, 0, 0);
        m.info |= kernel_bits[i];
        CHECK_EQ(l4_reply(&m), L4_ERR_INVALID_ARGUMENT);
        m = util_msg(1, 1, 5, 0, 0, 0);
        m.info |= kernel_bits[i];
        /* neither replies nor receives: it returns at once, not blocked on other */
        CHECK_EQ(l4_reply_recv(other, &m), L4_ERR_INVALID_ARGUMENT);
        CHECK_EQ(c->done, 0);
    }
    /* through a saved reply capability (send on it) */
    CHECK_EQ(l4_cnode_save_caller(L4_CAP_INIT_CNODE, rc, 32), L4_ERR_OK);
    for (unsigned i = 0; i < NBITS; i++) {
        m = util_msg(1, 1, 5, 0, 0, 0);
        m.info |= kernel_bits[i];
        CHECK_EQ(l4_send(rc, &m), L4_ERR_INVALID_ARGUMENT);
        CHECK_EQ(c->done, 0);
    }
    /* the caller still waits for its reply, which arrives without the flag */
    m = util_msg(4, 1, 0x55, 0, 0, 0);
    CHECK_EQ(l4_send(rc, &m), L4_ERR_OK);
    CHECK_EQ(c->done, 1);
    CHECK_EQ(c->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(c->r[1]), 4);
    CHECK(!l4_msginfo_from_kernel(c->r[1]));
    CHECK_EQ(c->r[2], 0x55);
}

TEST(msginfo_kernel_bits_refused_on_invocations)
{
    l4_cptr_t n = util_notification();
    for (unsigned i = 0; i < NBITS; i++) {
        /* cnode_delete of the notification: refused, so it is still there */
        l4_msg_t m = {.info = l4_msginfo(L4_CNODE_DELETE, 0, 2) | kernel_bits[i], .mr = {n, 32}};
        CHECK_EQ(l4_syscall_ipc(L4_SYS_CALL, L4_CAP_INIT_CNODE, &m), L4_ERR_INVALID_ARGUMENT);
        CHECK(!util_slot_is_empty(n));
    }
    l4_msg_t m = {.info = l4_msginfo(L4_CNODE_DELETE, 0, 2), .mr = {n, 32}};
    CHECK_EQ(l4_syscall_ipc(L4_SYS_CALL, L4_CAP_INIT_CNODE, &m), L4_ERR_OK);
    CHECK(util_slot_is_empty(n));
}

TEST(msginfo_kernel_flag_marks_faults_and_invocation_results_not_replies)
{
    util_root_lower();
    /* an invocation's result */
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    l4_msg_t m = {.info = l4_msginfo(L4_FRAME_GET_ADDRESS, 0, 0)};
    CHECK_EQ(l4_syscall_ipc(L4_SYS_CALL, f, &m), L4_ERR_OK);
    CHECK(l4_msginfo_from_kernel(m.info));
    CHECK_EQ(l4_msginfo_length(m.info), 1);
    /* a server's reply to the same call on an endpoint: no flag */
    l4_cptr_t ep = util_endpoint();
    util_thread_t *c = run(caller, ep);
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK);
    CHECK(!l4_msginfo_from_kernel(m.info));
    m = util_msg(0, 1, 7, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK(!l4_msginfo_from_kernel(c->r[1]));
    /* a fault message (the thread has no page at address 16) */
    l4_cptr_t fe = util_endpoint();
    util_thread_t *t = util_thread_create(caller, UTIL_PRIO_HIGH, fe);
    t->arg[0] = ep;
    l4_word_t regs[L4_TCB_MAX_REGS];
    util_thread_initial_regs(t, regs);
    regs[15] = 16;
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    m = (l4_msg_t){0};
    CHECK_EQ(l4_nbrecv(fe, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK(l4_msginfo_from_kernel(m.info));
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
}

/* A blocked sender's message stays in its registers until a receiver
 * comes; rewriting them meanwhile (write_registers) must not forge the flag. */
static void sender(util_thread_t *t)
{
    l4_msg_t m = util_msg(6, 1, 0x66, 0, 0, 0);
    t->r[8] = 1;
    t->r[0] = l4_send(t->arg[0], &m);
}

TEST(msginfo_rewritten_blocked_sender_cannot_forge_the_flag)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *s = run(sender, ep);
    CHECK_EQ(s->done, 0); /* blocked: no receiver */
    l4_word_t regs[2];
    CHECK_EQ(l4_tcb_read_registers(s->tcb, 0, 2, regs), L4_ERR_OK);
    regs[1] = (L4_LABEL_NOTIFICATION << L4_MSG_LABEL_SHIFT) | L4_MSG_KERNEL_BITS | 1;
    CHECK_EQ(l4_tcb_write_registers(s->tcb, 0, 2, regs), L4_ERR_OK);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_LABEL_NOTIFICATION);
    CHECK_EQ(m.info & L4_MSG_KERNEL_BITS, 0);
    CHECK_EQ(m.mr[0], 0x66);
}
