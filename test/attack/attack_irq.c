/* SPDX-License-Identifier: BSD-2-Clause */
/* The attack suite: interrupt lines whose destination dies, handlers
 * deleted with their line masked, and lines handed from one owner to the
 * next. An interrupt never reaches a destroyed notification or memory
 * reused after it, and a line given up is the next owner's whole. */
#include <stddef.h>
#include "util.h"

#define C L4_CAP_INIT_CNODE
#define LINE UTIL_TEST_IRQ
#define TICKS 5000u

static l4_cptr_t handler(void)
{
    l4_cptr_t h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, LINE, h, 32, C), L4_ERR_OK);
    return h;
}

/* The line's notification is destroyed and its memory becomes a new
 * notification: the raised line signals neither (it has no destination:
 * masked), and set_notification gives it one again. */
TEST(attack_interrupt_of_a_line_whose_notification_died_reaches_no_one)
{
    util_root_lower();
    l4_cptr_t ut = util_untyped(12), n = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_NOTIFICATION, 0, 0, 0, n, 1, C), L4_ERR_OK);
    l4_cptr_t h = handler();
    CHECK_EQ(l4_irq_handler_set_notification(h, n), L4_ERR_OK);
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK); /* n destroyed */
    l4_cptr_t n2 = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_NOTIFICATION, 0, 0, 0, n2, 1, C), L4_ERR_OK); /* n's memory */
    util_line_set(0, 1);
    util_spin(50000);
    CHECK(util_line_asserted());
    l4_word_t bits = 0;
    CHECK_EQ(l4_poll(n2, &bits), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK); /* no destination: stays masked */
    util_spin(50000);
    CHECK_EQ(l4_poll(n2, &bits), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(l4_irq_handler_set_notification(h, util_mint(n2, L4_RIGHT_WRITE, 0x20)), L4_ERR_OK);
    util_spin(50000);
    CHECK_EQ(l4_poll(n2, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x20);
    util_line_set(0, 0);
}

/* The notification capability given to set_notification is deleted (a
 * copy: the object lives on): delivery goes on with that capability's
 * badge, which the line keeps. */
TEST(attack_deleting_the_notification_cap_given_keeps_delivery_to_the_object)
{
    util_root_lower();
    l4_cptr_t n = util_notification(), h = handler();
    l4_cptr_t badged = util_mint(n, L4_RIGHT_WRITE, 0x40);
    CHECK_EQ(l4_irq_handler_set_notification(h, badged), L4_ERR_OK);
    util_delete(badged);
    util_line_set(TICKS, 1);
    l4_word_t bits = 0;
    CHECK_EQ(l4_wait(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x40);
    util_line_set(0, 0);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
}

/* A handler deleted while its line is masked awaiting the ack: the next
 * owner's handler gets the line clean (its own notification, its own
 * ack), and the old owner's copies are gone with it. */
TEST(attack_a_line_deleted_while_awaiting_its_ack_is_the_next_owners_whole)
{
    util_root_lower();
    l4_cptr_t n1 = util_notification(), h1 = handler();
    CHECK_EQ(l4_irq_handler_set_notification(h1, n1), L4_ERR_OK);
    util_line_set(TICKS, 1);
    l4_word_t bits = 0;
    CHECK_EQ(l4_wait(n1, &bits), L4_ERR_OK); /* fired: masked until an ack */
    util_delete(h1);
    l4_cptr_t n2 = util_notification(), h2 = handler();
    CHECK_EQ(l4_irq_handler_set_notification(h2, util_mint(n2, L4_RIGHT_WRITE, 0x2)), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_ack(h2), L4_ERR_OK); /* the line is still asserted */
    util_spin(50000);
    CHECK_EQ(l4_poll(n2, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x2);
    CHECK_EQ(l4_poll(n1, &bits), L4_ERR_WOULD_BLOCK); /* never the old owner's */
    util_line_set(0, 0);
    CHECK_EQ(l4_irq_handler_ack(h2), L4_ERR_OK);
}

/* A line routed to a vCPU whose vCPU is destroyed: the route ends, the
 * line can be given a notification, and it is no longer ALREADY_ROUTED. */
TEST(attack_a_line_routed_to_a_destroyed_vcpu_is_free_for_a_notification)
{
    util_root_lower();
    l4_cptr_t v = util_new(L4_OBJ_VCPU, 0), h = handler();
    util_thread_t *t = util_thread_create(NULL, UTIL_PRIO_HIGH, 0);
    l4_cptr_t state = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, state), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, 3, v), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_set_notification(h, util_notification()), L4_ERR_ALREADY_ROUTED);
    util_delete(v);
    l4_cptr_t n = util_notification();
    CHECK_EQ(l4_irq_handler_set_notification(h, n), L4_ERR_OK);
    util_line_set(TICKS, 1);
    l4_word_t bits = 0;
    CHECK_EQ(l4_wait(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 1);
    util_line_set(0, 0);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
}

/* route_vcpu's line: 0..31 only, every value above refused with nothing
 * changed; a vCPU not bound, a notification instead of a vCPU. */
TEST(attack_route_vcpu_line_range_and_arguments)
{
    l4_cptr_t v = util_new(L4_OBJ_VCPU, 0), h = handler();
    static const l4_word_t bad[] = {32, 33, 255, 256, 0x80000000u, 0xffffffffu};
    CHECK_EQ(l4_irq_handler_route_vcpu(h, 0, v), L4_ERR_ILLEGAL_OPERATION); /* not bound */
    util_thread_t *t = util_thread_create(NULL, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, util_new(L4_OBJ_FRAME_4K, 0)), L4_ERR_OK);
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ(l4_irq_handler_route_vcpu(h, bad[i], v), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, 0, util_notification()), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, 0, util_slot()), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_irq_handler_set_notification(h, util_notification()), L4_ERR_OK); /* nothing routed */
    CHECK_EQ(l4_irq_handler_route_vcpu(h, 31, v), L4_ERR_ALREADY_ROUTED);
    CHECK_EQ(l4_irq_handler_clear(h), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_route_vcpu(h, 31, v), L4_ERR_OK);
}
