/* SPDX-License-Identifier: BSD-2-Clause */
/* Notifications: signal, wait, poll, badges as bits, rights, deletion with
 * waiters, and a notification bound to a thread that receives on an
 * endpoint. */
#include "util.h"

/* arg[0] notification; r[0] error, r[1] bits, r[8] started. */
static void waiter(util_thread_t *t)
{
    t->r[8] = 1;
    l4_word_t bits = 0;
    t->r[0] = l4_wait(t->arg[0], &bits);
    t->r[1] = bits;
    util_trace_add(t->arg[1]);
}

static util_thread_t *start_waiter(l4_cptr_t n, l4_word_t id)
{
    util_thread_t *t = util_thread_create(waiter, UTIL_PRIO_HIGH, 0);
    t->arg[0] = n;
    t->arg[1] = id;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    return t;
}

TEST(notification_signal_then_poll_returns_the_bits_and_clears_them)
{
    l4_cptr_t n = util_notification();
    l4_word_t bits = 0;
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x1)), L4_ERR_OK);
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x4)), L4_ERR_OK);
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x4)), L4_ERR_OK);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x5);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
}

TEST(notification_unbadged_cap_signals_bit_1)
{
    l4_cptr_t n = util_notification();
    l4_word_t bits = 0;
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 1);
}

TEST(notification_wait_with_pending_bits_returns_at_once)
{
    l4_cptr_t n = util_notification();
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x80000000u)), L4_ERR_OK);
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x2)), L4_ERR_OK);
    l4_word_t bits = 0;
    CHECK_EQ(l4_wait(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x80000002u);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
}

TEST(notification_wait_blocks_until_a_signal)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *w = start_waiter(n, 1);
    CHECK_EQ(w->done, 0);
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x20)), L4_ERR_OK);
    CHECK_EQ(w->done, 1);
    CHECK_EQ(w->r[0], L4_ERR_OK);
    CHECK_EQ(w->r[1], 0x20);
    l4_word_t bits;
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK); /* the waiter took them */
}

TEST(notification_signal_wakes_one_waiter_in_fifo_order)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *a = start_waiter(n, 'a'), *b = start_waiter(n, 'b');
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(a->done + b->done, 1);
    CHECK_EQ(a->done, 1);
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(b->done, 1);
    CHECK_EQ(util_trace_len, 2);
    CHECK_EQ(util_trace[0], 'a');
    CHECK_EQ(util_trace[1], 'b');
}

TEST(notification_rights_write_to_signal_read_to_wait_and_poll)
{
    l4_cptr_t n = util_notification();
    l4_cptr_t r = util_copy(n, L4_RIGHT_READ), w = util_copy(n, L4_RIGHT_WRITE);
    l4_word_t bits;
    CHECK_EQ(l4_signal(r), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_poll(w, &bits), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_wait(w, &bits), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_poll(r, &bits), L4_ERR_WOULD_BLOCK);
}

TEST(notification_on_empty_slot_is_failed_lookup)
{
    l4_cptr_t e = util_slot();
    l4_word_t bits;
    CHECK_EQ(l4_signal(e), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_wait(e, &bits), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_poll(e, &bits), L4_ERR_FAILED_LOOKUP);
}

TEST(notification_deleted_with_waiters_wakes_them_with_object_deleted)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *a = start_waiter(n, 1), *b = start_waiter(n, 2);
    util_delete(n);
    CHECK_EQ(a->done, 1);
    CHECK_EQ(b->done, 1);
    CHECK_EQ(a->r[0], L4_ERR_OBJECT_DELETED);
    CHECK_EQ(b->r[0], L4_ERR_OBJECT_DELETED);
}

/* ---- bound notifications ------------------------------------------------------ */

/* Receives once on the endpoint arg[0]; r[0] error, r[1] label, r[2] badge,
 * r[3] MR0. */
static void ep_receiver(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[8] = 1;
    t->r[0] = l4_recv(t->arg[0], &m);
    t->r[1] = l4_msginfo_label(m.info);
    t->r[2] = m.badge;
    t->r[3] = m.mr[0];
}

static util_thread_t *bound_receiver(l4_cptr_t ep, l4_cptr_t n, int start)
{
    util_thread_t *t = util_thread_create(ep_receiver, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, n), L4_ERR_OK);
    if (start) {
        util_thread_start(t);
        CHECK_EQ(t->r[8], 1);
    }
    return t;
}

TEST(notification_bound_server_waiting_on_endpoint_receives_the_signal)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *t = bound_receiver(ep, n, 1);
    CHECK_EQ(t->done, 0);
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x10)), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    CHECK_EQ(t->r[1], L4_LABEL_NOTIFICATION);
    CHECK_EQ(t->r[2], 0x10);
    l4_word_t bits;
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK); /* delivered and cleared */
}

TEST(notification_bound_pending_signal_is_returned_by_the_next_receive)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *t = bound_receiver(ep, n, 0);
    CHECK_EQ(l4_signal(util_mint(n, L4_RIGHT_WRITE, 0x3)), L4_ERR_OK);
    util_thread_start(t);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[1], L4_LABEL_NOTIFICATION);
    CHECK_EQ(t->r[2], 0x3);
}

TEST(notification_bound_thread_still_receives_endpoint_messages)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *t = bound_receiver(ep, n, 1);
    l4_msg_t m = util_msg(5, 1, 0x55, 0, 0, 0);
    CHECK_EQ(l4_send(util_mint(ep, L4_RIGHT_WRITE, 0x6), &m), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[1], 5);
    CHECK_EQ(t->r[2], 0x6);
    CHECK_EQ(t->r[3], 0x55);
}

TEST(notification_unbound_thread_no_longer_receives_signals_on_endpoint)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *t = bound_receiver(ep, n, 0);
    CHECK_EQ(l4_tcb_unbind_notification(t->tcb), L4_ERR_OK);
    util_thread_start(t);
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(t->done, 0);
    l4_word_t bits = 0;
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 1);
}

TEST(notification_deleting_a_bound_notification_unbinds_the_thread)
{
    l4_cptr_t ep = util_endpoint(), n = util_notification(), n2 = util_notification();
    util_thread_t *t = bound_receiver(ep, n, 0);
    util_delete(n);
    CHECK_EQ(l4_tcb_unbind_notification(t->tcb), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, n2), L4_ERR_OK);
}

TEST(notification_deleting_a_bound_thread_frees_the_notification)
{
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *t = bound_receiver(ep, n, 0);
    util_delete(t->tcb);
    util_thread_t *t2 = util_thread_create(ep_receiver, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_bind_notification(t2->tcb, n), L4_ERR_OK);
}
