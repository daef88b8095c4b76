/* SPDX-License-Identifier: BSD-2-Clause */
/* No thread waits for a reply that can no longer come (design.md 6.4): a
 * caller whose reply capability is destroyed unused returns
 * L4_ERR_REPLY_LOST, whichever way the capability dies; a thread waiting on
 * a fault handler whose reply capability dies takes its fault afresh. */
#include "util.h"

#define C L4_CAP_INIT_CNODE

/* call(arg[0]) with label 9: r[0] error, r[1] info, r[2] MR0. */
static void caller(util_thread_t *t)
{
    l4_msg_t m = util_msg(9, 1, 0x99, 0, 0, 0);
    t->r[8] = 1;
    t->r[0] = l4_call(t->arg[0], &m);
    t->r[1] = m.info;
    t->r[2] = m.mr[0];
}

static util_thread_t *start_caller(l4_cptr_t ep)
{
    util_thread_t *t = util_thread_create(caller, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    CHECK_EQ(t->done, 0); /* blocked in its call */
    return t;
}

static void check_lost(util_thread_t *t)
{
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_REPLY_LOST);
    CHECK(l4_msginfo_from_kernel(t->r[1]));
}

/* The root receives the call and saves the reply capability in a slot. */
static l4_cptr_t receive_and_save(l4_cptr_t ep)
{
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), 9);
    l4_cptr_t rc = util_slot();
    CHECK_EQ(l4_cnode_save_caller(C, rc, 32), L4_ERR_OK);
    return rc;
}

TEST(reply_deleting_a_saved_reply_cap_wakes_the_caller_with_reply_lost)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_caller(ep);
    l4_cptr_t rc = receive_and_save(ep);
    CHECK_EQ(t->done, 0);
    util_delete(rc);
    check_lost(t);
}

TEST(reply_moved_then_deleted_reply_cap_wakes_the_caller)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_caller(ep);
    l4_cptr_t rc = receive_and_save(ep), moved = util_slot();
    CHECK_EQ(l4_cnode_move(C, moved, 32, rc, 32, C), L4_ERR_OK);
    util_delete(rc); /* empty now: nothing happens */
    CHECK_EQ(t->done, 0);
    util_delete(moved);
    check_lost(t);
}

/* A server thread that receives one call on arg[0] and then waits on the
 * notification arg[1] (holding the reply right in its caller slot); with
 * arg[2] it first saves it into slot arg[2]. */
static void holding_server(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[8] = 1;
    t->r[0] = l4_recv(t->arg[0], &m);
    if (t->arg[2])
        t->r[1] = l4_cnode_save_caller(C, t->arg[2], 32);
    l4_wait(t->arg[1], 0);
}

TEST(reply_destroying_the_server_wakes_the_caller_with_reply_lost)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *s = util_thread_create(holding_server, UTIL_PRIO_HIGH, 0);
    s->arg[0] = ep;
    s->arg[1] = n;
    util_thread_start(s);
    util_thread_t *t = start_caller(ep); /* the server has its call */
    CHECK_EQ(s->r[0], L4_ERR_OK);
    CHECK_EQ(t->done, 0);
    util_delete(s->tcb);
    check_lost(t);
}

TEST(reply_a_second_call_into_an_occupied_caller_slot_wakes_the_first_caller)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *a = start_caller(ep), *b = start_caller(ep);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK); /* a's call */
    CHECK_EQ(a->done, 0);
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK); /* b's: a's reply right lapses */
    check_lost(a);
    CHECK_EQ(b->done, 0);
    m = util_msg(0, 1, 0xb, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK); /* b still gets its reply */
    CHECK_EQ(b->r[0], L4_ERR_OK);
    CHECK_EQ(b->r[2], 0xb);
}

TEST(reply_destroying_the_cnode_holding_a_saved_reply_cap_wakes_the_caller)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), cn = util_cnode(3);
    util_thread_t *t = start_caller(ep);
    l4_cptr_t rc = receive_and_save(ep);
    CHECK_EQ(l4_cnode_move(cn, 5, 3, rc, 32, C), L4_ERR_OK);
    CHECK_EQ(t->done, 0);
    util_delete(cn);
    check_lost(t);
}

TEST(reply_revoking_the_untyped_of_that_cnode_wakes_the_caller)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), ut = util_untyped(12), cn = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_CNODE, 2, 0, 0, cn, 1, C), L4_ERR_OK);
    util_thread_t *t = start_caller(ep);
    l4_cptr_t rc = receive_and_save(ep);
    CHECK_EQ(l4_cnode_move(cn, 1, 2, rc, 32, C), L4_ERR_OK);
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    check_lost(t);
}

TEST(reply_destroying_a_server_that_saved_the_cap_in_its_own_cnode_wakes_the_caller)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *s = util_thread_create(holding_server, UTIL_PRIO_HIGH, 0);
    s->arg[0] = ep;
    s->arg[1] = n;
    s->arg[2] = util_slot();
    util_thread_start(s);
    util_thread_t *t = start_caller(ep);
    CHECK_EQ(s->r[1], L4_ERR_OK); /* saved: the caller slot is empty */
    util_delete(s->tcb);          /* the saved cap survives its server */
    CHECK_EQ(t->done, 0);
    util_delete(s->arg[2]);
    check_lost(t);
}

TEST(reply_a_used_reply_cap_does_not_wake_anyone_twice)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_caller(ep);
    l4_cptr_t rc = receive_and_save(ep);
    l4_msg_t m = util_msg(0, 1, 0x42, 0, 0, 0);
    CHECK_EQ(l4_send(rc, &m), L4_ERR_OK);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    CHECK_EQ(t->r[2], 0x42);
    CHECK(util_slot_is_empty(rc));
}

/* ---- faults ------------------------------------------------------------------ */

l4_word_t reply_fault_load(l4_word_t addr);
extern const char reply_fault_insn[];
__asm__(".text\n .arm\n .global reply_fault_load\n"
        "reply_fault_load:\n .global reply_fault_insn\n reply_fault_insn: ldr r0, [r0]\n bx lr\n");

static void faulter(util_thread_t *t)
{
    t->r[8] = 1;
    t->r[0] = reply_fault_load(t->arg[0]);
    t->r[1] = 1;
}

TEST(reply_lost_fault_reply_takes_the_fault_afresh)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), fe = util_mint(ep, L4_RIGHT_WRITE, 0x5);
    const l4_word_t addr = UTIL_VADDR_TEST + 9 * UTIL_MB;
    util_thread_t *t = util_thread_create(faulter, UTIL_PRIO_HIGH, fe);
    t->arg[0] = addr;
    util_thread_start(t);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    l4_cptr_t rc = util_slot();
    CHECK_EQ(l4_cnode_save_caller(C, rc, 32), L4_ERR_OK);
    /* the handler loses the reply right: the thread faults again at once */
    util_delete(rc);
    m = (l4_msg_t){0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(m.mr[0], (l4_word_t)reply_fault_insn);
    CHECK_EQ(m.mr[1], addr);
    CHECK_EQ(m.badge, 0x5);
    /* the second delivery is an ordinary one: resolve it and restart */
    util_map_new_frame(addr & ~0xfffu);
    *(volatile l4_word_t *)addr = 0x77;
    m = util_msg(L4_FAULT_REPLY_RESTART, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 0x77);
}

TEST(reply_lost_fault_reply_without_a_handler_left_stops_the_thread)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), fe = util_mint(ep, L4_RIGHT_WRITE, 0x5);
    const l4_word_t addr = UTIL_VADDR_TEST + 10 * UTIL_MB;
    util_thread_t *t = util_thread_create(faulter, UTIL_PRIO_HIGH, fe);
    t->arg[0] = addr;
    util_thread_start(t);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    l4_cptr_t rc = util_slot();
    CHECK_EQ(l4_cnode_save_caller(C, rc, 32), L4_ERR_OK);
    /* the fault endpoint no longer resolves, then the reply right dies */
    util_delete(fe);
    util_delete(rc);
    /* the fault was taken afresh, found no handler: reported, stopped */
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(t->done, 0);
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(regs[15], (l4_word_t)reply_fault_insn);
    /* it is stopped, not blocked: given a page and resumed, it completes */
    util_map_new_frame(addr & ~0xfffu);
    *(volatile l4_word_t *)addr = 0x78;
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 0x78);
}

TEST(reply_lost_when_the_fault_handler_thread_is_destroyed)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    /* the handler is a thread that takes the fault and sits on it */
    util_thread_t *h = util_thread_create(holding_server, UTIL_PRIO_HIGH, 0);
    h->arg[0] = ep;
    h->arg[1] = n;
    util_thread_start(h);
    const l4_word_t addr = UTIL_VADDR_TEST + 11 * UTIL_MB;
    util_thread_t *t = util_thread_create(faulter, UTIL_PRIO_HIGH, ep);
    t->arg[0] = addr;
    util_thread_start(t);
    CHECK_EQ(h->r[0], L4_ERR_OK); /* it has the fault */
    util_delete(h->tcb);
    /* taken afresh: now queued on the endpoint for the next handler */
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(m.mr[1], addr);
}

/* ---- a 250-deep call chain ------------------------------------------------------ */

/* Thread i receives a call on ep[i] (i > 0), then calls ep[i + 1] (i < N-1).
 * When its call fails it deletes its own TCB, so its caller's reply right
 * dies with it; when it succeeds it replies. The last thread waits for the
 * root's signal, then replies. */
#define CHAIN 250
#define CHAIN_STACK 512
static l4_cptr_t chain_ep[CHAIN], chain_tcb[CHAIN], chain_go;
static volatile l4_word_t chain_call[CHAIN], chain_reply[CHAIN], chain_state[CHAIN];
static uint8_t chain_stacks[CHAIN][CHAIN_STACK] __attribute__((aligned(8)));

static void chain_thread(l4_word_t i)
{
    l4_msg_t m = {0};
    if (i > 0)
        l4_recv(chain_ep[i], &m);
    chain_state[i] = 1; /* has its caller's reply right */
    if (i + 1 < CHAIN) {
        m = util_msg(1, 1, i, 0, 0, 0);
        chain_call[i] = l4_call(chain_ep[i + 1], &m);
    } else {
        l4_wait(chain_go, 0);
        chain_call[i] = L4_ERR_OK;
    }
    chain_state[i] = 2;
    if (chain_call[i] != L4_ERR_OK)
        l4_cnode_delete(C, chain_tcb[i], 32); /* does not return */
    if (i > 0) {
        m = util_msg(0, 1, i, 0, 0, 0);
        chain_reply[i] = l4_reply(&m);
    }
    chain_state[i] = 3;
    l4_tcb_suspend(chain_tcb[i]);
}

TEST(reply_deleting_the_middle_of_a_250_deep_call_chain_returns_every_caller_above)
{
    util_root_lower();
    const unsigned k = 137; /* the thread deleted */
    chain_go = util_notification();
    for (unsigned i = 0; i < CHAIN; i++) {
        chain_ep[i] = util_endpoint();
        chain_tcb[i] = util_new(L4_OBJ_TCB, 0);
        chain_call[i] = chain_reply[i] = 0xdead;
        chain_state[i] = 0;
        CHECK_EQ(l4_tcb_configure(chain_tcb[i], 0, 0, 0, C, L4_CAP_INIT_VSPACE, L4_CAP_NULL),
                 L4_ERR_OK);
        CHECK_EQ(l4_tcb_set_priority(chain_tcb[i], UTIL_PRIO_HIGH, L4_CAP_INIT_TCB), L4_ERR_OK);
    }
    /* the bottom first: each waits for its caller; thread 0 starts the calls */
    for (unsigned n = CHAIN; n-- > 0;) {
        l4_word_t regs[L4_TCB_MAX_REGS] = {0};
        regs[0] = n;
        regs[13] = (l4_word_t)(chain_stacks[n] + CHAIN_STACK);
        regs[15] = (l4_word_t)chain_thread;
        regs[16] = 0x10;
        CHECK_EQ(l4_tcb_write_registers(chain_tcb[n], 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    }
    for (unsigned i = 0; i < CHAIN; i++)
        CHECK_EQ(chain_state[i], 1);
    /* kill one in the middle */
    util_delete(chain_tcb[k]);
    for (unsigned i = 0; i < k; i++) {
        CHECK_EQ(chain_call[i], L4_ERR_REPLY_LOST);
        CHECK_EQ(chain_state[i], 2);
        CHECK_EQ(chain_reply[i], 0xdead); /* it died deleting itself, before any reply */
        /* Its walk stopped with it if an interrupt came in the middle (the
         * slot is left a zombie, design.md 4.3): any later delete of the
         * slot finishes it. */
        util_delete(chain_tcb[i]);
        CHECK(util_slot_is_empty(chain_tcb[i]));
    }
    for (unsigned i = k + 1; i < CHAIN; i++)
        CHECK_EQ(chain_state[i], 1); /* below: untouched, still waiting */
    /* the rest is consistent: unwinding from the bottom returns every call
     * below; the first one below has nobody to reply to */
    CHECK_EQ(l4_signal(chain_go), L4_ERR_OK);
    for (unsigned i = k + 1; i < CHAIN; i++) {
        CHECK_EQ(chain_call[i], L4_ERR_OK);
        CHECK_EQ(chain_state[i], 3);
        CHECK_EQ(chain_reply[i], i == k + 1 ? L4_ERR_ILLEGAL_OPERATION : L4_ERR_OK);
    }
    /* and the endpoints work as before */
    util_thread_t *t = start_caller(chain_ep[k]);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(chain_ep[k], &m), L4_ERR_OK);
    m = util_msg(0, 1, 3, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(t->r[0], L4_ERR_OK);
}
