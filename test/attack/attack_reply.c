/* SPDX-License-Identifier: BSD-2-Clause */
/* The attack suite: reply rights deleted, reused and lapsed, and servers
 * and fault handlers that die, stop or move on in the middle of a call.
 * Every caller must wake with the error docs/api.md names (sections 5, 7
 * and 8), or keep waiting where the party it waits for can still answer;
 * a reply right must never reach anyone but its own caller. */
#include "util.h"

#define C L4_CAP_INIT_CNODE

/* call(arg[0]) with label 9: r[0] error, r[1] reply info, r[2] MR0. */
static void caller(util_thread_t *t)
{
    l4_msg_t m = util_msg(9, 1, t->arg[1], 0, 0, 0);
    t->r[8] = 1;
    t->r[0] = l4_call(t->arg[0], &m);
    t->r[1] = m.info;
    t->r[2] = m.mr[0];
}

static util_thread_t *start_caller(l4_cptr_t ep, l4_word_t word)
{
    util_thread_t *t = util_thread_create(caller, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    t->arg[1] = word;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    CHECK_EQ(t->done, 0);
    return t;
}

static l4_word_t recv_word(l4_cptr_t ep)
{
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), 9);
    return m.mr[0];
}

static l4_word_t reply_label(l4_word_t label)
{
    l4_msg_t m = util_msg(label, 1, 0xabc, 0, 0, 0);
    return l4_reply(&m);
}

static l4_word_t send_label(l4_cptr_t rc, l4_word_t label)
{
    l4_msg_t m = util_msg(label, 1, 0xabc, 0, 0, 0);
    return l4_send(rc, &m);
}

/* A thread made by hand from a TCB retyped out of `ut` (so that its memory
 * can be reused): no IPC buffer, calls arg_ep with `word`. */
static volatile l4_word_t raw_result[2], raw_word[2], raw_done[2];
static l4_cptr_t raw_ep[2], raw_tcb[2];
static uint64_t raw_stack[2][256];

static void raw_caller(l4_word_t i)
{
    l4_msg_t m = util_msg(9, 1, raw_word[i], 0, 0, 0);
    raw_result[i] = l4_call(raw_ep[i], &m);
    raw_word[i] = m.mr[0];
    raw_done[i] = 1;
    for (;;)
        l4_tcb_suspend(raw_tcb[i]);
}

static void raw_start(unsigned i, l4_cptr_t ut, l4_cptr_t ep, l4_word_t word)
{
    raw_tcb[i] = util_slot();
    raw_ep[i] = ep;
    raw_word[i] = word;
    raw_done[i] = 0;
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_TCB, 0, 0, 0, raw_tcb[i], 1, C), L4_ERR_OK);
    CHECK_EQ(l4_tcb_configure(raw_tcb[i], 0, 0, 0, C, L4_CAP_INIT_VSPACE, L4_CAP_NULL), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_priority(raw_tcb[i], UTIL_PRIO_HIGH, L4_CAP_INIT_TCB), L4_ERR_OK);
    l4_word_t regs[L4_TCB_MAX_REGS] = {0};
    regs[0] = i;
    regs[13] = (l4_word_t)&raw_stack[i][256];
    regs[15] = (l4_word_t)raw_caller;
    regs[16] = 0x10;
    CHECK_EQ(l4_tcb_write_registers(raw_tcb[i], 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
}

/* A saved reply right whose caller was destroyed answers no one, not even
 * a new thread built in the dead caller's memory and waiting for a reply
 * of its own. */
TEST(attack_reply_right_of_a_destroyed_caller_never_reaches_the_thread_in_its_memory)
{
    util_root_lower();
    l4_cptr_t ut = util_untyped(12), ep = util_endpoint(), ep2 = util_endpoint();
    raw_start(0, ut, ep, 0x11);
    CHECK_EQ(recv_word(ep), 0x11);
    l4_cptr_t rc = util_slot();
    CHECK_EQ(l4_cnode_save_caller(C, rc, 32), L4_ERR_OK);
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK); /* the caller is destroyed */
    raw_start(1, ut, ep2, 0x22);                     /* the same memory again */
    CHECK_EQ(recv_word(ep2), 0x22);                  /* it waits for our reply */
    l4_word_t e = send_label(rc, 5);
    CHECK(e == L4_ERR_FAILED_LOOKUP || e == L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(raw_done[1], 0); /* not answered by the old right */
    CHECK_EQ(reply_label(6), L4_ERR_OK);
    CHECK_EQ(raw_done[1], 1);
    CHECK_EQ(raw_result[1], L4_ERR_OK);
}

/* The same with the implicit reply right: the server received the call,
 * the caller is destroyed, a new thread in its memory calls elsewhere. */
TEST(attack_implicit_reply_of_a_destroyed_caller_is_refused)
{
    util_root_lower();
    l4_cptr_t ut = util_untyped(12), ep = util_endpoint();
    raw_start(0, ut, ep, 0x11);
    CHECK_EQ(recv_word(ep), 0x11);
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    CHECK_EQ(reply_label(5), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_cnode_save_caller(C, util_slot(), 32), L4_ERR_ILLEGAL_OPERATION);
}

/* A reply does not go through the endpoint: deleting it after the call
 * was received leaves the caller waiting for, and getting, its reply. */
TEST(attack_reply_reaches_the_caller_after_its_endpoint_is_deleted)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_caller(ep, 0x33);
    CHECK_EQ(recv_word(ep), 0x33);
    util_delete(ep);
    CHECK_EQ(t->done, 0);
    CHECK_EQ(reply_label(4), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(t->r[1]), 4);
    CHECK_EQ(t->r[2], 0xabc);
}

/* A caller suspended while it waits for its reply gave up: the saved reply
 * right is refused, the slot is not left holding a right to anyone, and
 * the resumed caller makes its call again from the start. */
TEST(attack_reply_to_a_caller_suspended_meanwhile_is_refused_and_the_call_restarts)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_caller(ep, 0x44);
    CHECK_EQ(recv_word(ep), 0x44);
    l4_cptr_t rc = util_slot();
    CHECK_EQ(l4_cnode_save_caller(C, rc, 32), L4_ERR_OK);
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
    l4_word_t e = send_label(rc, 5);
    CHECK(e == L4_ERR_FAILED_LOOKUP || e == L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(t->done, 0);
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_OK); /* restarts: calls again */
    CHECK_EQ(recv_word(ep), 0x44);
    CHECK_EQ(send_label(rc, 5) == L4_ERR_OK, 0); /* the old right is still dead */
    CHECK_EQ(t->done, 0);
    CHECK_EQ(reply_label(7), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(l4_msginfo_label(t->r[1]), 7);
}

/* A server that receives a second call before replying to the first lets
 * the first lapse (REPLY_LOST), also when the second call arrives by the
 * IPC fastpath (short call, server waiting in recv). The right the server
 * now holds is the second caller's only. */
TEST(attack_reply_lapses_when_a_second_call_arrives_by_the_fastpath)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *a = start_caller(ep, 0xa);
    CHECK_EQ(recv_word(ep), 0xa);
    /* the root waits in recv while b calls: b's call meets a waiting server */
    util_thread_t *b = util_thread_create(caller, UTIL_PRIO_LOW, 0);
    b->arg[0] = ep;
    b->arg[1] = 0xb;
    util_thread_start(b);
    CHECK_EQ(recv_word(ep), 0xb);
    CHECK_EQ(a->done, 1);
    CHECK_EQ(a->r[0], L4_ERR_REPLY_LOST);
    CHECK(l4_msginfo_from_kernel(a->r[1]));
    CHECK_EQ(reply_label(3), L4_ERR_OK);
    util_root_priority(UTIL_PRIO_LOW - 1); /* let b run */
    util_root_lower();
    CHECK_EQ(b->done, 1);
    CHECK_EQ(b->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(b->r[1]), 3);
    CHECK_EQ(reply_label(3), L4_ERR_ILLEGAL_OPERATION); /* used up */
}

/* A server holding a caller's reply right faults (no handler: it stops).
 * The caller waits: the server may be restarted. When the stopped server
 * is destroyed, the caller returns REPLY_LOST. */
static void faulting_server(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[0] = l4_recv(t->arg[0], &m);
    t->r[8] = 2;
    *(volatile l4_word_t *)(UTIL_VADDR_TEST + 40 * UTIL_MB) = 1; /* unmapped: a fault */
    t->r[9] = 1;
}

TEST(attack_caller_of_a_server_stopped_by_a_fault_wakes_when_the_server_is_destroyed)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *s = util_thread_create(faulting_server, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_set_name_str(s->tcb, "attack-server"), L4_ERR_OK);
    s->arg[0] = ep;
    util_thread_start(s);
    util_thread_t *t = start_caller(ep, 0x55);
    CHECK_EQ(s->r[8], 2);
    CHECK_EQ(s->r[9], 0); /* stopped at its fault */
    CHECK_EQ(t->done, 0); /* still waiting */
    util_delete(s->tcb);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_REPLY_LOST);
    CHECK(l4_msginfo_from_kernel(t->r[1]));
}

/* A fault handler that receives the next fault before replying to the
 * first lets the first's reply right lapse (docs/api.md, reply: receiving
 * another call or fault replaces the right): that thread takes the same
 * fault afresh, so the handler's next receive is that fault again. */
static void page_faulter(util_thread_t *t)
{
    t->r[8] = 1;
    t->r[0] = *(volatile l4_word_t *)t->arg[0];
}

static util_thread_t *start_faulter(l4_cptr_t ep, l4_word_t addr)
{
    util_thread_t *t = util_thread_create(page_faulter, UTIL_PRIO_HIGH, ep);
    t->arg[0] = addr;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    return t;
}

static l4_word_t recv_fault(l4_cptr_t ep, l4_word_t addr)
{
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK(l4_msginfo_from_kernel(m.info));
    CHECK_EQ(m.mr[1], addr);
    return m.mr[0];
}

TEST(attack_fault_whose_reply_lapses_is_taken_afresh)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    const l4_word_t a1 = UTIL_VADDR_TEST + 41 * UTIL_MB, a2 = UTIL_VADDR_TEST + 42 * UTIL_MB;
    util_thread_t *t1 = start_faulter(ep, a1), *t2 = start_faulter(ep, a2);
    l4_word_t pc = recv_fault(ep, a1);
    CHECK_EQ(recv_fault(ep, a2), pc); /* t1's right lapses: it faults again */
    CHECK_EQ(recv_fault(ep, a1), pc); /* and t2's */
    util_map_new_frame(a1);
    *(volatile l4_word_t *)a1 = 0x66;
    l4_msg_t m = util_msg(L4_FAULT_REPLY_RESTART, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(t1->done, 1);
    CHECK_EQ(t1->r[0], 0x66);
    CHECK_EQ(recv_fault(ep, a2), pc); /* t2, afresh */
    CHECK_EQ(t2->done, 0);
}

/* A caller still queued when its server thread dies keeps waiting (the
 * endpoint lives, another server may come); the endpoint's deletion then
 * returns OBJECT_DELETED. */
static void server_once(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[0] = l4_recv(t->arg[0], &m);
    t->r[1] = l4_msginfo_label(m.info);
}

TEST(attack_queued_caller_outlives_the_server_thread_and_wakes_on_endpoint_deletion)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *s = util_thread_create(server_once, UTIL_PRIO_LOW, 0);
    s->arg[0] = ep;
    util_thread_start(s); /* below the root: not yet waiting */
    util_thread_t *t = start_caller(ep, 0x77);
    util_delete(s->tcb);
    CHECK_EQ(t->done, 0);
    util_delete(ep);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OBJECT_DELETED);
}

/* A server that received a call and then stopped (it suspended itself)
 * still holds the reply right: the caller waits; destroying the server
 * returns REPLY_LOST. */
TEST(attack_caller_of_a_stopped_server_waits_and_wakes_when_it_is_destroyed)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *s = util_thread_create(server_once, UTIL_PRIO_HIGH, 0);
    s->arg[0] = ep;
    util_thread_start(s);
    util_thread_t *t = start_caller(ep, 0x78);
    CHECK_EQ(s->done, 1); /* received, then suspended itself */
    CHECK_EQ(s->r[1], 9);
    CHECK_EQ(t->done, 0);
    util_delete(s->tcb);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_REPLY_LOST);
}

/* A bound notification does not cut a call's wait for its reply short: the
 * caller gets its reply, and the signal stays in the notification. */
TEST(attack_bound_notification_does_not_interrupt_the_wait_for_a_reply)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *t = util_thread_create(caller, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, n), L4_ERR_OK);
    t->arg[0] = ep;
    util_thread_start(t);
    CHECK_EQ(recv_word(ep), 0);
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x4)), L4_ERR_OK);
    CHECK_EQ(t->done, 0);
    CHECK_EQ(reply_label(2), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(t->r[1]), 2);
    CHECK(!l4_msginfo_from_kernel(t->r[1]));
    l4_word_t bits = 0;
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x4);
}
