/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoint IPC: send, recv, call, reply, reply_recv, the non-blocking forms,
 * badges, long messages, capability transfer, reply capabilities and
 * endpoint deletion. The root runs at UTIL_PRIO_ROOT and its partners at
 * UTIL_PRIO_HIGH, so a partner made runnable runs to its next block before
 * the root's system call returns: every step is checked in order, and the
 * root blocks only where a partner is known to be waiting. */
#include "util.h"

#define C L4_CAP_INIT_CNODE

static l4_word_t pat(unsigned i)
{
    return 0x5a5a0000u + i;
}

static l4_msg_t msg_pat(l4_word_t label, l4_word_t caps, l4_word_t len)
{
    l4_msg_t m = {0};
    m.info = l4_msginfo(label, caps, len);
    for (unsigned i = 0; i < 4; i++)
        m.mr[i] = pat(i);
    for (unsigned i = 4; i < len && i < L4_MSG_MAX_WORDS; i++)
        l4_set_mr(i, pat(i));
    return m;
}

/* Words 4..len-1 of the message just received that match pat(). */
static l4_word_t matching_words(l4_word_t info)
{
    l4_word_t n = 0, len = l4_msginfo_length(info);
    for (unsigned i = 4; i < len && i < L4_MSG_MAX_WORDS; i++)
        n += l4_get_mr(i) == pat(i);
    return n;
}

/* One IPC system call by a thread.
 * In: arg[0] sysno, arg[1] cptr, arg[2] info (MRs are pat()), arg[3] receive
 * slot in the root CNode or 0, arg[4..6] caps to send.
 * Out: r[8] = 1 when started, r[0] error, r[1] info, r[2..5] MR0-3, r[6]
 * badge, r[7] words 4.. matching pat(), r[9..11] received cap badges. */
static void ipc_op(util_thread_t *t)
{
    l4_msg_t m = msg_pat(0, 0, l4_msginfo_length(t->arg[2]));
    m.info = t->arg[2];
    for (unsigned i = 0; i < 3; i++)
        l4_set_cap(i, t->arg[4 + i]);
    if (t->arg[3])
        l4_set_receive_slot(C, t->arg[3], 32);
    else
        l4_set_receive_slot(0, 0, 0);
    t->r[8] = 1;
    t->r[0] = l4_syscall_ipc(t->arg[0], t->arg[1], &m);
    t->r[1] = m.info;
    for (unsigned i = 0; i < 4; i++)
        t->r[2 + i] = m.mr[i];
    t->r[6] = m.badge;
    t->r[7] = matching_words(m.info);
    for (unsigned i = 0; i < 3; i++)
        t->r[9 + i] = l4_get_cap_badge(i);
}

static util_thread_t *start_op(l4_word_t sysno, l4_cptr_t cptr, l4_word_t info, l4_cptr_t recv_slot)
{
    util_thread_t *t = util_thread_create(ipc_op, UTIL_PRIO_HIGH, 0);
    t->arg[0] = sysno;
    t->arg[1] = cptr;
    t->arg[2] = info;
    t->arg[3] = recv_slot;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1); /* it ran at once */
    return t;
}

/* A server: receives arg[1] calls on arg[0] and answers each with label+1,
 * MR0 * 2, MR1 + 1, the caller's badge and the call's number (first with
 * recv and reply_recv, the last with reply). r[0] error, r[1] calls served. */
static void server(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[8] = 1;
    l4_word_t e = l4_recv(t->arg[0], &m);
    for (l4_word_t k = 0; e == L4_ERR_OK; k++) {
        l4_msg_t r =
            util_msg(l4_msginfo_label(m.info) + 1, 4, m.mr[0] * 2, m.mr[1] + 1, m.badge, k);
        t->r[1] = k + 1;
        if (k + 1 == t->arg[1]) {
            t->r[0] = l4_reply(&r);
            return;
        }
        m = r;
        e = l4_reply_recv(t->arg[0], &m);
    }
    t->r[0] = e;
}

TEST(ipc_send_to_waiting_receiver_delivers_label_words_and_badge)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, 0);
    CHECK_EQ(r->done, 0);
    l4_cptr_t b = util_mint(ep, L4_RIGHT_WRITE, 0x42);
    l4_msg_t m = util_msg(7, 4, 11, 22, 33, 44);
    CHECK_EQ(l4_send(b, &m), L4_ERR_OK);
    CHECK_EQ(r->done, 1);
    CHECK_EQ(r->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(r->r[1]), 7);
    CHECK_EQ(l4_msginfo_length(r->r[1]), 4);
    CHECK_EQ(l4_msginfo_caps(r->r[1]), 0);
    CHECK_EQ(r->r[2], 11);
    CHECK_EQ(r->r[3], 22);
    CHECK_EQ(r->r[4], 33);
    CHECK_EQ(r->r[5], 44);
    CHECK_EQ(r->r[6], 0x42);
}

TEST(ipc_unbadged_send_delivers_badge_zero_and_length)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, 0);
    l4_msg_t m = util_msg(1, 2, 5, 6, 0, 0);
    CHECK_EQ(l4_send(ep, &m), L4_ERR_OK);
    CHECK_EQ(r->r[0], L4_ERR_OK);
    CHECK_EQ(r->r[6], 0);
    CHECK_EQ(l4_msginfo_length(r->r[1]), 2);
    CHECK_EQ(r->r[2], 5);
    CHECK_EQ(r->r[3], 6);
}

TEST(ipc_sender_blocks_until_receiver_takes_the_message)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *s =
        start_op(L4_SYS_SEND, util_mint(ep, L4_RIGHT_WRITE, 9), l4_msginfo(3, 0, 4), 0);
    CHECK_EQ(s->done, 0); /* blocked: nobody receives yet */
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK);
    CHECK_EQ(s->done, 1);
    CHECK_EQ(s->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), 3);
    CHECK_EQ(m.mr[0], pat(0));
    CHECK_EQ(m.mr[3], pat(3));
    CHECK_EQ(m.badge, 9);
}

TEST(ipc_nbrecv_takes_a_waiting_sender_else_would_block)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK);
    util_thread_t *s = start_op(L4_SYS_SEND, ep, l4_msginfo(4, 0, 1), 0);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), 4);
    CHECK_EQ(m.mr[0], pat(0));
    CHECK_EQ(s->done, 1);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK);
}

TEST(ipc_nbsend_delivers_to_a_waiting_receiver_else_would_block)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    l4_msg_t m = util_msg(2, 1, 99, 0, 0, 0);
    CHECK_EQ(l4_nbsend(ep, &m), L4_ERR_WOULD_BLOCK);
    /* nothing was queued: a receiver arriving now blocks */
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, 0);
    CHECK_EQ(r->done, 0);
    m = util_msg(2, 1, 99, 0, 0, 0);
    CHECK_EQ(l4_nbsend(ep, &m), L4_ERR_OK);
    CHECK_EQ(r->done, 1);
    CHECK_EQ(r->r[2], 99);
}

TEST(ipc_nbrecv_on_a_thread_waiting_as_receiver_would_block)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(r->done, 0);
}

TEST(ipc_call_and_reply)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *srv = util_thread_create(server, UTIL_PRIO_HIGH, 0);
    srv->arg[0] = ep;
    srv->arg[1] = 1;
    util_thread_start(srv);
    CHECK_EQ(srv->r[8], 1);
    l4_msg_t m = util_msg(20, 2, 21, 30, 0, 0);
    CHECK_EQ(l4_call(util_mint(ep, L4_RIGHT_WRITE, 0x77), &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), 21);
    CHECK_EQ(l4_msginfo_length(m.info), 4);
    CHECK_EQ(m.mr[0], 42);
    CHECK_EQ(m.mr[1], 31);
    CHECK_EQ(m.mr[2], 0x77); /* the server saw our badge */
    CHECK_EQ(m.mr[3], 0);
    CHECK_EQ(m.badge, 0); /* replies carry no badge */
    CHECK_EQ(srv->done, 1);
    CHECK_EQ(srv->r[0], L4_ERR_OK);
}

TEST(ipc_reply_recv_serves_successive_calls)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *srv = util_thread_create(server, UTIL_PRIO_HIGH, 0);
    srv->arg[0] = ep;
    srv->arg[1] = 50;
    util_thread_start(srv);
    for (l4_word_t k = 0; k < 50; k++) {
        l4_msg_t m = util_msg(1, 2, k, 1000 + k, 0, 0);
        CHECK_EQ(l4_call(ep, &m), L4_ERR_OK);
        CHECK_EQ(l4_msginfo_label(m.info), 2);
        CHECK_EQ(m.mr[0], 2 * k);
        CHECK_EQ(m.mr[1], 1001 + k);
        CHECK_EQ(m.mr[3], k);
    }
    CHECK_EQ(srv->done, 1);
    CHECK_EQ(srv->r[1], 50);
    CHECK_EQ(srv->r[0], L4_ERR_OK);
}

TEST(ipc_thread_calls_root_which_replies)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *c =
        start_op(L4_SYS_CALL, util_mint(ep, L4_RIGHT_WRITE, 5), l4_msginfo(8, 0, 4), 0);
    CHECK_EQ(c->done, 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(m.badge, 5);
    CHECK_EQ(l4_msginfo_label(m.info), 8);
    CHECK_EQ(c->done, 0); /* waiting for the reply */
    m = util_msg(9, 1, 123, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(c->done, 1);
    CHECK_EQ(c->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(c->r[1]), 9);
    CHECK_EQ(c->r[2], 123);
    /* the reply right is one-shot */
    m = util_msg(9, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_ILLEGAL_OPERATION);
}

TEST(ipc_reply_without_caller_is_illegal_operation)
{
    l4_msg_t m = util_msg(0, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_ILLEGAL_OPERATION);
    /* a plain send does not give the receiver a reply right */
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    start_op(L4_SYS_SEND, ep, l4_msginfo(1, 0, 0), 0);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    m = util_msg(0, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_ILLEGAL_OPERATION);
}

TEST(ipc_reply_recv_without_caller_only_receives)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *s = start_op(L4_SYS_SEND, ep, l4_msginfo(6, 0, 2), 0);
    l4_msg_t m = util_msg(0, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply_recv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), 6);
    CHECK_EQ(m.mr[1], pat(1));
    CHECK_EQ(s->done, 1);
}

TEST(ipc_send_side_needs_write_right)
{
    l4_cptr_t ep = util_endpoint();
    l4_cptr_t r = util_copy(ep, L4_RIGHT_READ | L4_RIGHT_GRANT);
    l4_msg_t m = util_msg(0, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_send(r, &m), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_nbsend(r, &m), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_call(r, &m), L4_ERR_INSUFFICIENT_RIGHTS);
}

TEST(ipc_receive_side_needs_read_right)
{
    l4_cptr_t ep = util_endpoint();
    l4_cptr_t w = util_copy(ep, L4_RIGHT_WRITE | L4_RIGHT_GRANT);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(w, &m), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_nbrecv(w, &m), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_reply_recv(w, &m), L4_ERR_INSUFFICIENT_RIGHTS);
}

TEST(ipc_on_empty_slot_is_failed_lookup)
{
    l4_cptr_t e = util_slot();
    l4_msg_t m = {0};
    CHECK_EQ(l4_send(e, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_nbsend(e, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_call(e, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_recv(e, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_nbrecv(e, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_reply_recv(e, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_send(0x1000 + e, &m), L4_ERR_FAILED_LOOKUP);
}

TEST(ipc_on_object_of_wrong_type_is_invalid_capability)
{
    l4_cptr_t objs[] = {util_new(L4_OBJ_TCB, 0), util_new(L4_OBJ_FRAME_4K, 0), L4_CAP_INIT_CNODE};
    for (unsigned i = 0; i < 3; i++) {
        l4_msg_t m = {0};
        CHECK_EQ(l4_send(objs[i], &m), L4_ERR_INVALID_CAPABILITY);
        CHECK_EQ(l4_nbsend(objs[i], &m), L4_ERR_INVALID_CAPABILITY);
        CHECK_EQ(l4_recv(objs[i], &m), L4_ERR_INVALID_CAPABILITY);
        CHECK_EQ(l4_nbrecv(objs[i], &m), L4_ERR_INVALID_CAPABILITY);
        CHECK_EQ(l4_reply_recv(objs[i], &m), L4_ERR_INVALID_CAPABILITY);
    }
}

TEST(ipc_long_message_of_64_words_through_the_ipc_buffer)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *s = start_op(L4_SYS_SEND, ep, l4_msginfo(1, 0, 64), 0);
    l4_msg_t m = {0};
    for (unsigned i = 4; i < 64; i++)
        l4_set_mr(i, 0);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_length(m.info), 64);
    CHECK_EQ(m.mr[2], pat(2));
    for (unsigned i = 4; i < 64; i++)
        CHECK_EQ(l4_get_mr(i), pat(i));
    CHECK_EQ(s->r[0], L4_ERR_OK);
}

/* Sends arg[1] words (label 5, MR0-MR3 = 0x50..0x53) on arg[0] with the
 * raw system call: no IPC buffer to write the others to. r[0] its error. */
static void send_without_buffer(util_thread_t *t)
{
    l4_msg_t m = util_msg(5, t->arg[1], 0x50, 0x51, 0x52, 0x53);
    t->r[0] = l4_send(t->arg[0], &m);
}

/* A sender without an IPC buffer has no words beyond the registers to
 * give: a longer message arrives with its length, and those words as 0 in
 * the receiver's buffer (nothing of what the buffer held before). */
TEST(ipc_long_message_from_a_sender_without_an_ipc_buffer_arrives_with_zeros)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *s = util_thread_create(send_without_buffer, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_configure(s->tcb, 0, 0, 0, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, 0),
             L4_ERR_OK);
    s->arg[0] = ep;
    s->arg[1] = 10;
    util_thread_start(s); /* blocks: nobody receives yet */
    CHECK_EQ(s->done, 0);
    for (unsigned i = 4; i < 12; i++)
        l4_set_mr(i, 0xdead0000u + i);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), 5);
    CHECK_EQ(l4_msginfo_length(m.info), 10);
    CHECK_EQ(m.mr[0], 0x50);
    CHECK_EQ(m.mr[3], 0x53);
    for (unsigned i = 4; i < 10; i++)
        CHECK_EQ(l4_get_mr(i), 0);
    CHECK_EQ(l4_get_mr(10), 0xdead000au); /* beyond the message: untouched */
    CHECK_EQ(s->done, 1);
    CHECK_EQ(s->r[0], L4_ERR_OK);
}

TEST(ipc_long_call_and_long_reply)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *c = start_op(L4_SYS_CALL, ep, l4_msginfo(1, 0, 64), 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(matching_words(m.info), 60);
    m = msg_pat(2, 0, 64);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(c->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_length(c->r[1]), 64);
    CHECK_EQ(c->r[7], 60); /* words 4..63 arrived in the caller's IPC buffer */
    CHECK_EQ(c->r[5], pat(3));
}

TEST(ipc_message_longer_than_64_words_is_invalid_argument)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, 0);
    l4_msg_t m = util_msg(1, 65, 0, 0, 0, 0);
    CHECK_EQ(l4_send(ep, &m), L4_ERR_INVALID_ARGUMENT);
    m = util_msg(1, 127, 0, 0, 0, 0);
    CHECK_EQ(l4_nbsend(ep, &m), L4_ERR_INVALID_ARGUMENT);
    m = util_msg(1, 65, 0, 0, 0, 0);
    CHECK_EQ(l4_call(ep, &m), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(r->done, 0); /* nothing was delivered */
    m = util_msg(2, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_send(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(r->r[1]), 2);
}

TEST(ipc_badges_identify_queued_senders_in_order)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    start_op(L4_SYS_SEND, util_mint(ep, L4_RIGHT_WRITE, 1), l4_msginfo(10, 0, 0), 0);
    start_op(L4_SYS_SEND, util_mint(ep, L4_RIGHT_WRITE, 2), l4_msginfo(20, 0, 0), 0);
    start_op(L4_SYS_CALL, util_mint(ep, L4_RIGHT_WRITE, 3), l4_msginfo(30, 0, 0), 0);
    l4_msg_t m = {0};
    for (l4_word_t b = 1; b <= 3; b++) {
        CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
        CHECK_EQ(m.badge, b);
        CHECK_EQ(l4_msginfo_label(m.info), 10 * b);
    }
}

/* ---- capability transfer ---------------------------------------------------- */

TEST(ipc_cap_transfer_with_grant_places_the_cap_in_the_receive_slot)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification(), rs = util_slot();
    l4_cptr_t nb = util_mint(n, L4_RIGHTS_ALL, 0x9);
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, rs);
    l4_msg_t m = util_msg(1, 1, 7, 0, 0, 0);
    m.info = l4_msginfo(1, 1, 1);
    l4_set_cap(0, nb);
    CHECK_EQ(l4_send(ep, &m), L4_ERR_OK); /* root's ep cap has all rights */
    CHECK_EQ(r->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_caps(r->r[1]), 1);
    CHECK_EQ(r->r[9], 0x9); /* the badge of the received cap */
    CHECK_EQ(l4_signal(rs), L4_ERR_OK);
    l4_word_t bits = 0;
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x9);
    /* the sender keeps its cap: transfer copies */
    CHECK(!util_slot_is_empty(nb));
}

TEST(ipc_cap_transfer_without_grant_delivers_the_message_but_no_cap)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification(), rs = util_slot();
    l4_cptr_t nogrant = util_copy(ep, L4_RIGHT_WRITE | L4_RIGHT_READ);
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, rs);
    l4_msg_t m = util_msg(1, 1, 7, 0, 0, 0);
    m.info = l4_msginfo(1, 1, 1);
    l4_set_cap(0, n);
    CHECK_EQ(l4_send(nogrant, &m), L4_ERR_OK);
    CHECK_EQ(r->r[0], L4_ERR_OK);
    CHECK_EQ(r->r[2], 7);
    CHECK_EQ(l4_msginfo_caps(r->r[1]), 0);
    CHECK(util_slot_is_empty(rs));
}

TEST(ipc_cap_transfer_of_three_caps_fills_consecutive_slots)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification(), rs = util_slots(3);
    l4_cptr_t b[3] = {util_mint(n, L4_RIGHT_WRITE, 1), util_mint(n, L4_RIGHT_WRITE, 2),
                      util_mint(n, L4_RIGHT_WRITE, 4)};
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, rs);
    l4_msg_t m = util_msg(1, 0, 0, 0, 0, 0);
    m.info = l4_msginfo(1, 3, 0);
    for (unsigned i = 0; i < 3; i++)
        l4_set_cap(i, b[i]);
    CHECK_EQ(l4_send(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_caps(r->r[1]), 3);
    l4_word_t bits = 0;
    for (unsigned i = 0; i < 3; i++) {
        CHECK_EQ(r->r[9 + i], 1u << i);
        CHECK_EQ(l4_signal(rs + i), L4_ERR_OK);
        CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
        CHECK_EQ(bits, 1u << i);
    }
}

TEST(ipc_cap_transfer_into_occupied_slot_drops_the_cap)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification(), n2 = util_notification();
    l4_cptr_t rs = util_copy(n2, L4_RIGHTS_ALL); /* occupied */
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, rs);
    l4_msg_t m = util_msg(1, 1, 5, 0, 0, 0);
    m.info = l4_msginfo(1, 1, 1);
    l4_set_cap(0, util_mint(n, L4_RIGHTS_ALL, 8));
    CHECK_EQ(l4_send(ep, &m), L4_ERR_OK);
    CHECK_EQ(r->r[0], L4_ERR_OK);
    CHECK_EQ(r->r[2], 5);
    CHECK_EQ(l4_msginfo_caps(r->r[1]), 0);
    CHECK_EQ(l4_signal(rs), L4_ERR_OK); /* still n2's cap */
    l4_word_t bits = 0;
    CHECK_EQ(l4_poll(n2, &bits), L4_ERR_OK);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
}

TEST(ipc_cap_transfer_without_receive_slot_drops_the_cap)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, 0);
    l4_msg_t m = util_msg(1, 1, 5, 0, 0, 0);
    m.info = l4_msginfo(1, 1, 1);
    l4_set_cap(0, n);
    CHECK_EQ(l4_send(ep, &m), L4_ERR_OK);
    CHECK_EQ(r->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_caps(r->r[1]), 0);
}

TEST(ipc_cap_transfer_of_unresolvable_cap_fails_and_sends_nothing)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification(), rs = util_slots(2);
    util_thread_t *r = start_op(L4_SYS_RECV, ep, 0, rs);
    l4_msg_t m = util_msg(1, 1, 5, 0, 0, 0);
    m.info = l4_msginfo(1, 2, 1);
    l4_set_cap(0, n);
    l4_set_cap(1, util_slot()); /* empty */
    CHECK_EQ(l4_send(ep, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(r->done, 0);
    CHECK(util_slot_is_empty(rs));
    m = util_msg(2, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_send(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(r->r[1]), 2);
}

TEST(ipc_cap_transfer_from_thread_to_root)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification(), rs = util_slot();
    util_thread_t *t = util_thread_create(ipc_op, UTIL_PRIO_HIGH, 0);
    t->arg[0] = L4_SYS_SEND;
    t->arg[1] = ep;
    t->arg[2] = l4_msginfo(3, 1, 0);
    t->arg[4] = util_mint(n, L4_RIGHTS_ALL, 0x100);
    util_thread_start(t);
    l4_set_receive_slot(C, rs, 32);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_caps(m.info), 1);
    CHECK_EQ(l4_get_cap_badge(0), 0x100);
    CHECK_EQ(l4_signal(rs), L4_ERR_OK);
    l4_word_t bits = 0;
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x100);
}

/* ---- reply capabilities ----------------------------------------------------- */

TEST(ipc_server_replies_later_through_a_saved_reply_cap)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), rc = util_slot();
    util_thread_t *c = start_op(L4_SYS_CALL, ep, l4_msginfo(4, 0, 1), 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_cnode_save_caller(C, rc, 32), L4_ERR_OK);
    /* the implicit reply right moved into the slot */
    m = util_msg(0, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_ILLEGAL_OPERATION);
    /* reply caps cannot be copied or minted */
    l4_cptr_t d = util_slot();
    CHECK_EQ(l4_cnode_copy(C, d, 32, rc, 32, L4_RIGHTS_ALL, C), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_cnode_mint(C, d, 32, rc, 32, L4_RIGHTS_ALL, 0, C), L4_ERR_ILLEGAL_OPERATION);
    /* serve another client in between */
    util_thread_t *c2 = start_op(L4_SYS_CALL, ep, l4_msginfo(5, 0, 0), 0);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    m = util_msg(55, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(c2->r[1]), 55);
    CHECK_EQ(c->done, 0);
    /* now answer the first through the saved cap */
    m = util_msg(44, 1, 0xabc, 0, 0, 0);
    CHECK_EQ(l4_send(rc, &m), L4_ERR_OK);
    CHECK_EQ(c->done, 1);
    CHECK_EQ(c->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(c->r[1]), 44);
    CHECK_EQ(c->r[2], 0xabc);
    /* used once: the slot is empty */
    CHECK(util_slot_is_empty(rc));
    m = util_msg(44, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_send(rc, &m), L4_ERR_FAILED_LOOKUP);
}

TEST(ipc_save_caller_errors)
{
    util_root_lower();
    CHECK_EQ(l4_cnode_save_caller(C, util_slot(), 32), L4_ERR_ILLEGAL_OPERATION);
    l4_cptr_t ep = util_endpoint(), occupied = util_notification(), rc = util_slot();
    util_thread_t *c = start_op(L4_SYS_CALL, ep, l4_msginfo(4, 0, 0), 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_cnode_save_caller(C, occupied, 32), L4_ERR_DELETE_FIRST);
    CHECK_EQ(l4_cnode_save_caller(C, 0x1000, 32), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_save_caller(C, rc, 33), L4_ERR_RANGE_ERROR);
    /* the failed attempts kept the reply right */
    CHECK_EQ(l4_cnode_save_caller(C, rc, 32), L4_ERR_OK);
    CHECK_EQ(l4_cnode_save_caller(C, util_slot(), 32), L4_ERR_ILLEGAL_OPERATION);
    m = util_msg(1, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_send(rc, &m), L4_ERR_OK);
    CHECK_EQ(c->done, 1);
}

TEST(ipc_reply_cap_send_needs_no_receiver_and_rejects_recv)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), rc = util_slot();
    util_thread_t *c = start_op(L4_SYS_CALL, ep, l4_msginfo(4, 0, 0), 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_cnode_save_caller(C, rc, 32), L4_ERR_OK);
    CHECK_EQ(l4_nbrecv(rc, &m), L4_ERR_INVALID_CAPABILITY);
    m = util_msg(3, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_nbsend(rc, &m), L4_ERR_OK); /* the caller is waiting for it */
    CHECK_EQ(c->done, 1);
    CHECK_EQ(l4_msginfo_label(c->r[1]), 3);
}

/* ---- endpoint deletion ------------------------------------------------------ */

TEST(ipc_deleting_endpoint_wakes_blocked_receivers_with_object_deleted)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *a = start_op(L4_SYS_RECV, ep, 0, 0);
    util_thread_t *b = start_op(L4_SYS_RECV, ep, 0, 0);
    util_thread_t *c = start_op(L4_SYS_REPLY_RECV, ep, 0, 0);
    CHECK(!a->done && !b->done && !c->done);
    util_delete(ep);
    CHECK_EQ(a->done + b->done + c->done, 3);
    CHECK_EQ(a->r[0], L4_ERR_OBJECT_DELETED);
    CHECK_EQ(b->r[0], L4_ERR_OBJECT_DELETED);
    CHECK_EQ(c->r[0], L4_ERR_OBJECT_DELETED);
}

TEST(ipc_deleting_endpoint_wakes_blocked_senders_and_callers_with_object_deleted)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *a = start_op(L4_SYS_SEND, ep, l4_msginfo(1, 0, 0), 0);
    util_thread_t *b = start_op(L4_SYS_CALL, ep, l4_msginfo(1, 0, 0), 0);
    CHECK(!a->done && !b->done);
    util_delete(ep);
    CHECK_EQ(a->done, 1);
    CHECK_EQ(b->done, 1);
    CHECK_EQ(a->r[0], L4_ERR_OBJECT_DELETED);
    CHECK_EQ(b->r[0], L4_ERR_OBJECT_DELETED);
}

TEST(ipc_endpoint_lives_until_its_last_cap_is_deleted)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    l4_cptr_t copy = util_mint(ep, L4_RIGHTS_ALL, 3);
    util_thread_t *a = start_op(L4_SYS_RECV, ep, 0, 0);
    util_delete(ep);
    CHECK_EQ(a->done, 0);
    l4_msg_t m = util_msg(6, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_send(copy, &m), L4_ERR_OK);
    CHECK_EQ(a->r[0], L4_ERR_OK);
    CHECK_EQ(a->r[6], 3);
    util_thread_t *b = start_op(L4_SYS_RECV, copy, 0, 0);
    util_delete(copy);
    CHECK_EQ(b->done, 1);
    CHECK_EQ(b->r[0], L4_ERR_OBJECT_DELETED);
}

TEST(ipc_revoking_the_pool_destroys_endpoint_and_wakes_waiters)
{
    util_root_lower();
    l4_cptr_t ut = util_untyped(12), ep = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_ENDPOINT, 0, 0, 0, ep, 1, C), L4_ERR_OK);
    util_thread_t *a = start_op(L4_SYS_RECV, ep, 0, 0);
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    CHECK_EQ(a->done, 1);
    CHECK_EQ(a->r[0], L4_ERR_OBJECT_DELETED);
}

TEST(ipc_deleting_a_waiting_thread_removes_it_from_the_queue)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *a = start_op(L4_SYS_RECV, ep, 0, 0);
    util_delete(a->tcb);
    l4_msg_t m = util_msg(1, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_nbsend(ep, &m), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(a->done, 0);
}
