/* SPDX-License-Identifier: BSD-2-Clause */
/* The invariant checker's reports on the target (suite inv-inject): on the
 * test kernel configuration debug-inject, machine_debug_check with two
 * words (a kind, a cptr) breaks one thing about that capability on purpose,
 * checks, and puts it back (kernel/core/invariants_inject.c). Each break
 * must be found and reported as what it is, at the capability or object it
 * was made on; the check holds again after each; and the kernel names each
 * violation on its console (the suite's --expect patterns). */
#include <stdio.h>
#include "util.h"

/* kernel/core/invariants_inject.c's kinds, and the violation codes of
 * kernel/include/invariants.h each must be reported as. */
enum {
    INJECT_UNTYPED_WATERMARK = 1,
    INJECT_CNODE_RADIX,
    INJECT_FRAME_FLAGS,
    INJECT_FRAME_ZOMBIE,
    INJECT_PD_PARKED,
    INJECT_TCB_STATE,
    INJECT_TCB_SLOT_UNMARKED,
    INJECT_TCB_SPACE,
    INJECT_TCB_VCPU_POINTER,
    INJECT_TCB_REPLY_HOLDER,
    INJECT_ENDPOINT_STATE,
    INJECT_IRQ_HANDLER_LINE,
    INJECT_UNTYPED_SPLIT_RUN,
    INJECT_VCPU_STATE_PAGE,
    INJECT_VCPU_MODE,
    INJECT_VCPU_PRIO_BELOW,
    INJECT_VCPU_PRIO_LEVEL,
    INJECT_CDT_SIBLING,
    INJECT_CDT_FIRST_CHILD,
    INJECT_CDT_PARENT,
    INJECT_TCB_QUEUED_PRIORITY,
    INJECT_REPLY_CALLER,
    INJECT_FRAME_SHADOW,
    INJECT_KINDS
};
enum {
    INV_BAD_POINTER = 2,
    INV_SIBLINGS = 5,
    INV_PARENT = 6,
    INV_FIRST_CHILD = 7,
    INV_SAME_OBJECT = 10,
    INV_CAP_FIELDS = 11,
    INV_ZOMBIE = 13,
    INV_IN_TCB = 15,
    INV_REPLY = 16,
    INV_REPLY_HOLDER = 17,
    INV_THREAD_STATE = 18,
    INV_READY_QUEUE = 19,
    INV_EP_QUEUE = 23,
    INV_BINDING = 25,
    INV_TCB_CACHE = 26,
    INV_MAPPING = 27,
    INV_SHADOW = 28,
    INV_IRQ = 30,
    INV_VCPU_PRIO = 33,
};
#define IRQ_UNUSED 150u /* an SPI no device of the board raises */

static l4_word_t check_with(l4_word_t kind, l4_cptr_t cap, l4_word_t report[L4_DEBUG_CHECK_WORDS])
{
    l4_word_t mr[2] = {kind, cap};
    l4_cptr_t caps[1] = {0};
    return l4_invoke(L4_CAP_MACHINE, L4_MACHINE_DEBUG_CHECK, mr, 2, caps, 0, report,
                     L4_DEBUG_CHECK_WORDS);
}

/* Break `kind` on `cap`: reported as `code` (or `code2`, when the walk may
 * meet the break from the other end of the link first; 0: only `code`),
 * then the kernel is whole. */
static void expect_break_as(l4_word_t kind, l4_cptr_t cap, l4_word_t code, l4_word_t code2)
{
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(check_with(kind, cap, report), L4_ERR_OK);
    printf("[inject] kind %lu: violation %lu at checker line %lu (0x%08lx 0x%08lx)\n",
           (unsigned long)kind, (unsigned long)report[L4_DEBUG_CHECK_CODE],
           (unsigned long)report[L4_DEBUG_CHECK_LINE], (unsigned long)report[L4_DEBUG_CHECK_A],
           (unsigned long)report[L4_DEBUG_CHECK_B]);
    CHECK(report[L4_DEBUG_CHECK_CODE] == code || (code2 && report[L4_DEBUG_CHECK_CODE] == code2));
    CHECK(report[L4_DEBUG_CHECK_LINE] != 0);
    CHECK(report[L4_DEBUG_CHECK_A] != 0);
    l4_word_t again[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(l4_machine_debug_check(L4_CAP_MACHINE, again), L4_ERR_OK);
    CHECK_EQ(again[L4_DEBUG_CHECK_CODE], 0);
}

static void expect_break(l4_word_t kind, l4_cptr_t cap, l4_word_t code)
{
    expect_break_as(kind, cap, code, 0);
}

TEST(inject_caps_with_fields_out_of_range_are_reported_as_such)
{
    expect_break(INJECT_UNTYPED_WATERMARK, util_untyped(12), INV_CAP_FIELDS);
    expect_break(INJECT_CNODE_RADIX, util_cnode(4), INV_CAP_FIELDS);
    expect_break(INJECT_FRAME_FLAGS, util_new(L4_OBJ_FRAME_4K, 0), INV_CAP_FIELDS);
}

TEST(inject_caps_to_one_object_split_by_another_are_reported)
{
    l4_cptr_t ut = util_untyped(14), f = util_slots(3);
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_FRAME_4K, 0, 0, 0, f, 3, L4_CAP_INIT_CNODE), L4_ERR_OK);
    expect_break(INJECT_UNTYPED_SPLIT_RUN, ut, INV_SAME_OBJECT);
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(check_with(INJECT_UNTYPED_SPLIT_RUN, util_untyped(14), report),
             L4_ERR_INVALID_CAPABILITY); /* no children to split */
}

static void idle_body(util_thread_t *t);

TEST(inject_vcpu_bindings_that_disagree_are_reported)
{
    util_thread_t *t = util_thread_create(idle_body, UTIL_PRIO_HIGH, 0);
    l4_cptr_t vcpu = util_new(L4_OBJ_VCPU, 0), state = util_new(L4_OBJ_FRAME_4K, 0);
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(check_with(INJECT_VCPU_MODE, vcpu, report), L4_ERR_INVALID_CAPABILITY); /* unbound */
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, state), L4_ERR_OK);
    expect_break(INJECT_VCPU_STATE_PAGE, vcpu, INV_BINDING);
    expect_break(INJECT_VCPU_MODE, vcpu, INV_BINDING);
}

/* The line priorities (object/vcpu_prio.c): a deliverability table that
 * disagrees with them, and a level past the last with the table agreeing. */
TEST(inject_vcpu_priorities_that_disagree_are_reported)
{
    util_thread_t *t = util_thread_create(idle_body, UTIL_PRIO_HIGH, 0);
    l4_cptr_t vcpu = util_new(L4_OBJ_VCPU, 0), state = util_new(L4_OBJ_FRAME_4K, 0);
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(check_with(INJECT_VCPU_PRIO_BELOW, vcpu, report), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, state), L4_ERR_OK);
    expect_break(INJECT_VCPU_PRIO_BELOW, vcpu, INV_VCPU_PRIO);
    expect_break(INJECT_VCPU_PRIO_LEVEL, vcpu, INV_VCPU_PRIO);
    CHECK_EQ(check_with(INJECT_VCPU_PRIO_LEVEL, util_endpoint(), report),
             L4_ERR_INVALID_CAPABILITY);
}

TEST(inject_zombies_that_cannot_be_zombies_are_reported)
{
    expect_break(INJECT_FRAME_ZOMBIE, util_new(L4_OBJ_FRAME_4K, 0), INV_ZOMBIE);
    expect_break(INJECT_PD_PARKED, util_new(L4_OBJ_PAGE_DIRECTORY, 0), INV_ZOMBIE);
}

static void idle_body(util_thread_t *t)
{
    (void)t;
}

TEST(inject_broken_threads_are_reported_as_what_is_broken)
{
    util_thread_t *t = util_thread_create(idle_body, UTIL_PRIO_HIGH, 0);
    expect_break(INJECT_TCB_STATE, t->tcb, INV_THREAD_STATE);
    expect_break(INJECT_TCB_SLOT_UNMARKED, t->tcb, INV_IN_TCB);
    expect_break(INJECT_TCB_SPACE, t->tcb, INV_TCB_CACHE);
    expect_break(INJECT_TCB_VCPU_POINTER, t->tcb, INV_BAD_POINTER);
}

TEST(inject_an_endpoint_in_no_state_and_a_handler_of_no_line_are_reported)
{
    expect_break(INJECT_ENDPOINT_STATE, util_endpoint(), INV_EP_QUEUE);
    l4_cptr_t h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, IRQ_UNUSED, h, 32, L4_CAP_INIT_CNODE),
             L4_ERR_OK);
    expect_break(INJECT_IRQ_HANDLER_LINE, h, INV_IRQ);
    util_delete(h);
}

/* call(arg[0]): r[8] once it began, r[0] its error. */
static void caller_body(util_thread_t *t)
{
    l4_msg_t m = util_msg(9, 1, 0x99, 0, 0, 0);
    t->r[8] = 1;
    t->r[0] = l4_call(t->arg[0], &m);
}

TEST(inject_a_caller_whose_reply_holder_is_another_slot_is_reported)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(caller_body, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK); /* it waits for our reply now */
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(check_with(INJECT_TCB_REPLY_HOLDER, t->tcb, report), L4_ERR_OK);
    /* found from the reply cap's side or from the caller's, whichever the
     * walk reaches first: both say the pair no longer names each other */
    CHECK(report[L4_DEBUG_CHECK_CODE] == INV_REPLY || report[L4_DEBUG_CHECK_CODE] == INV_REPLY_HOLDER);
    l4_word_t plain[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(l4_machine_debug_check(L4_CAP_MACHINE, plain), L4_ERR_OK);
    CHECK_EQ(plain[L4_DEBUG_CHECK_CODE], 0);
    l4_msg_t r = util_msg(1, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&r), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OK);
}

/* The derivation tree's links (design.md 4.2): a frame with two copies,
 * which are its children and each other's siblings. */
TEST(inject_derivation_links_that_disagree_are_reported)
{
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0), a = util_copy(f, L4_RIGHTS_ALL);
    l4_cptr_t b = util_copy(f, L4_RIGHTS_ALL);
    expect_break(INJECT_CDT_SIBLING, a, INV_SIBLINGS);
    expect_break(INJECT_CDT_SIBLING, b, INV_SIBLINGS);
    expect_break(INJECT_CDT_FIRST_CHILD, f, INV_FIRST_CHILD);
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    l4_cptr_t first = check_with(INJECT_CDT_PARENT, a, report) == L4_ERR_OK ? a : b;
    expect_break_as(INJECT_CDT_PARENT, first, INV_PARENT, INV_FIRST_CHILD);
    /* nothing to break: a copy's only child has no sibling, a copy no
     * child, a child that is not the first records no parent */
    l4_cptr_t only = util_copy(a, L4_RIGHTS_ALL);
    CHECK_EQ(check_with(INJECT_CDT_SIBLING, only, report), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(check_with(INJECT_CDT_FIRST_CHILD, b, report), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(check_with(INJECT_CDT_PARENT, first == a ? b : a, report),
             L4_ERR_INVALID_CAPABILITY);
    expect_break_as(INJECT_CDT_PARENT, only, INV_PARENT, INV_FIRST_CHILD);
}

/* The ready queues (design.md 5): a queued thread whose priority is not its
 * queue's; a thread that is not queued (it waits) cannot be broken so. */
TEST(inject_a_queued_thread_of_another_priority_is_reported)
{
    util_thread_t *t = util_thread_create(idle_body, UTIL_PRIO_LOW, 0);
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(check_with(INJECT_TCB_QUEUED_PRIORITY, t->tcb, report), L4_ERR_INVALID_CAPABILITY);
    util_thread_start(t); /* below us: it waits in its ready queue */
    expect_break(INJECT_TCB_QUEUED_PRIORITY, t->tcb, INV_READY_QUEUE);
    CHECK_EQ(check_with(INJECT_TCB_QUEUED_PRIORITY, L4_CAP_INIT_TCB, report),
             L4_ERR_INVALID_CAPABILITY); /* the checking thread itself runs */
}

/* A reply cap and the caller waiting on it (design.md 6.4): the cap naming
 * another thread, from either side of the pair. */
TEST(inject_a_reply_cap_naming_a_thread_that_waits_for_nothing_is_reported)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), reply = util_slot();
    util_thread_t *t = util_thread_create(caller_body, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    util_thread_start(t);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_cnode_save_caller(L4_CAP_INIT_CNODE, reply, 32), L4_ERR_OK);
    expect_break_as(INJECT_REPLY_CALLER, reply, INV_REPLY, INV_REPLY_HOLDER);
    l4_msg_t r = util_msg(1, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_send(reply, &r), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(check_with(INJECT_REPLY_CALLER, ep, report), L4_ERR_INVALID_CAPABILITY);
}

/* A mapping and its shadow entry (design.md 8.1), from either side: the
 * frame's, or the table object's; an unmapped frame has none. */
#define SHADOW_VA 0x60000000u
TEST(inject_a_mapped_frame_whose_shadow_entry_is_gone_is_reported)
{
    l4_cptr_t f = util_map_new_frame(SHADOW_VA);
    expect_break_as(INJECT_FRAME_SHADOW, f, INV_MAPPING, INV_SHADOW);
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(check_with(INJECT_FRAME_SHADOW, f, report), L4_ERR_INVALID_CAPABILITY);
}

TEST(inject_refuses_unknown_kinds_empty_slots_and_caps_of_another_type)
{
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    l4_cptr_t ep = util_endpoint();
    CHECK_EQ(check_with(0, ep, report), L4_ERR_RANGE_ERROR);
    CHECK_EQ(check_with(INJECT_KINDS, ep, report), L4_ERR_RANGE_ERROR);
    CHECK_EQ(check_with(INJECT_ENDPOINT_STATE, util_slot(), report), L4_ERR_FAILED_LOOKUP);
    for (l4_word_t k = 1; k < INJECT_KINDS; k++) /* (links: any cap's, tested above) */
        if (k != INJECT_ENDPOINT_STATE && (k < INJECT_CDT_SIBLING || k > INJECT_CDT_PARENT))
            CHECK_EQ(check_with(k, ep, report), L4_ERR_INVALID_CAPABILITY);
    /* a thread not waiting for a reply has no reply holder to break */
    util_thread_t *t = util_thread_create(idle_body, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(check_with(INJECT_TCB_REPLY_HOLDER, t->tcb, report), L4_ERR_INVALID_CAPABILITY);
    l4_word_t plain[L4_DEBUG_CHECK_WORDS] = {0};
    CHECK_EQ(l4_machine_debug_check(L4_CAP_MACHINE, plain), L4_ERR_OK);
    CHECK_EQ(plain[L4_DEBUG_CHECK_CODE], 0);
}

/* ---- the check in the middle of a preempted delete ------------------------------ */
/* A chain of CHAIN CNodes (radix 1) from `ut`, each holding the last cap to
 * the next, the head in `first`. */
enum { CHAIN = 300 };
static void chain_at(l4_cptr_t first, l4_cptr_t ut)
{
    for (unsigned i = 0; i < CHAIN; i++)
        CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_CNODE, 1, 0, 0, first + i, 1, L4_CAP_INIT_CNODE),
                 L4_ERR_OK);
    for (unsigned i = CHAIN - 1; i-- > 0;)
        CHECK_EQ(l4_cnode_move(first + i, 0, 1, first + i + 1, 32, L4_CAP_INIT_CNODE), L4_ERR_OK);
}

/* At the test line's interrupt (util.h) (notification arg[0]): r[2] the error of
 * copying the chain's head arg[2] into the empty slot arg[3]
 * (ILLEGAL_OPERATION: a zombie, its delete preempted half-way); r[3] the
 * invariant check's violation then; r[0] the revoke of the untyped arg[1];
 * r[4] the check's violation after it; r[1] 1 once done. */
static void check_revoke_on_tick(util_thread_t *t)
{
    l4_word_t bits, report[L4_DEBUG_CHECK_WORDS] = {0};
    l4_wait(t->arg[0], &bits);
    t->r[2] = l4_cnode_copy(L4_CAP_INIT_CNODE, t->arg[3], 32, t->arg[2], 32, L4_RIGHTS_ALL,
                            L4_CAP_INIT_CNODE);
    t->r[3] = l4_machine_debug_check(L4_CAP_MACHINE, report) ?: report[L4_DEBUG_CHECK_CODE];
    t->r[0] = l4_cnode_revoke(L4_CAP_INIT_CNODE, t->arg[1], 32);
    t->r[4] = l4_machine_debug_check(L4_CAP_MACHINE, report) ?: report[L4_DEBUG_CHECK_CODE];
    t->r[1] = 1;
}

/* The timer interrupts the chain's delete (its delay halving from 2^17
 * ticks, so at several points of the walk): every invariant holds there,
 * with zombies in rings and parked in their own CNodes, and again after a
 * revoke of the untyped they came from has finished them where they lie;
 * the restarted delete finds its slot empty and the untyped is whole. */
TEST(inject_every_invariant_holds_in_a_preempted_delete_and_after_a_revoke_finishes_it)
{
    util_root_lower();
    l4_cptr_t n = util_notification(), h = util_slot(), chain = util_slots(CHAIN);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, UTIL_TEST_IRQ, h, 32, L4_CAP_INIT_CNODE), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_set_notification(h, n), L4_ERR_OK);
    int preempted = 0;
    for (l4_word_t ticks = 1u << 17; ticks >= 1u << 11; ticks /= 2) {
        l4_cptr_t ut = util_untyped(16), scratch = util_slot(), whole = util_slot();
        chain_at(chain, ut);
        util_thread_t *p = util_thread_create(check_revoke_on_tick, UTIL_PRIO_HIGH, 0);
        p->arg[0] = n;
        p->arg[1] = ut;
        p->arg[2] = chain;
        p->arg[3] = scratch;
        util_thread_start(p); /* waits for the timer */
        util_line_set(ticks, 1);
        CHECK_EQ(l4_cnode_delete(L4_CAP_INIT_CNODE, chain, 32), L4_ERR_OK);
        while (!p->r[1])
            util_spin(1000); /* the timer fires after the delete, if not during it */
        util_line_set(0, 0);
        CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
        CHECK_EQ(p->r[3], 0);
        CHECK_EQ(p->r[0], L4_ERR_OK);
        CHECK_EQ(p->r[4], 0);
        preempted += p->r[2] == L4_ERR_ILLEGAL_OPERATION;
        if (p->r[2] == L4_ERR_OK)
            util_delete(scratch);
        CHECK(util_slot_is_empty(chain));
        CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_UNTYPED, 16, 0, 0, whole, 1, L4_CAP_INIT_CNODE),
                 L4_ERR_OK);
        util_delete(whole);
    }
    CHECK(preempted >= 1);
}

/* Deletes the cap in slot 0 of the CNode arg[1] (radix 2): r[0] its error. */
static void delete_in_cnode(util_thread_t *t)
{
    t->r[0] = l4_cnode_delete(t->arg[1], 0, 2);
}

/* At the test line's interrupt (util.h) (notification arg[0]): r[2] as above
 * for slot 0 of the CNode arg[1]; stops the deleting thread arg[4] (its
 * walk abandoned), r[3] the check then; deletes the CNode (root slot
 * arg[2]) around the abandoned walk's top, r[0]; r[4] the check after. */
static void abandon_on_tick(util_thread_t *t)
{
    l4_word_t bits, report[L4_DEBUG_CHECK_WORDS] = {0};
    l4_wait(t->arg[0], &bits);
    t->r[2] = l4_cnode_copy(L4_CAP_INIT_CNODE, t->arg[3], 32, 0, 2, L4_RIGHTS_ALL, t->arg[1]);
    l4_tcb_suspend(t->arg[4]);
    t->r[3] = l4_machine_debug_check(L4_CAP_MACHINE, report) ?: report[L4_DEBUG_CHECK_CODE];
    t->r[0] = l4_cnode_delete(L4_CAP_INIT_CNODE, t->arg[2], 32);
    t->r[4] = l4_machine_debug_check(L4_CAP_MACHINE, report) ?: report[L4_DEBUG_CHECK_CODE];
    t->r[1] = 1;
}

/* A thread deleting a chain's head, in slot 0 of a CNode X, is interrupted
 * and stopped for good: its walk is abandoned half-way. Deleting X then
 * meets that walk's top inside X and takes over its ring: the whole chain
 * is destroyed (the check reaches exactly what it reached before the chain
 * was made), every invariant holding before and after. */
TEST(inject_a_delete_meeting_an_abandoned_walk_takes_it_over)
{
    util_root_lower();
    l4_cptr_t n = util_notification(), h = util_slot(), chain = util_slots(CHAIN);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, UTIL_TEST_IRQ, h, 32, L4_CAP_INIT_CNODE), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_set_notification(h, n), L4_ERR_OK);
    int abandoned = 0;
    for (l4_word_t ticks = 1u << 17; ticks >= 1u << 12; ticks /= 2) { /* 12 threads in all */
        l4_cptr_t ut = util_untyped(16), x = util_slot(), scratch = util_slot();
        util_thread_t *a = util_thread_create(delete_in_cnode, UTIL_PRIO_HIGH - 10, 0);
        util_thread_t *p = util_thread_create(abandon_on_tick, UTIL_PRIO_HIGH, 0);
        l4_word_t before[L4_DEBUG_CHECK_WORDS] = {0}, after[L4_DEBUG_CHECK_WORDS] = {0};
        CHECK_EQ(l4_machine_debug_check(L4_CAP_MACHINE, before), L4_ERR_OK);
        chain_at(chain, ut);
        CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_CNODE, 2, 0, 0, x, 1, L4_CAP_INIT_CNODE), L4_ERR_OK);
        CHECK_EQ(l4_cnode_move(x, 0, 2, chain, 32, L4_CAP_INIT_CNODE), L4_ERR_OK);
        a->arg[1] = x;
        p->arg[0] = n;
        p->arg[1] = x;
        p->arg[2] = x;
        p->arg[3] = scratch;
        p->arg[4] = a->tcb;
        util_thread_start(p); /* waits for the timer */
        util_line_set(ticks, 1);
        util_thread_start(a); /* runs its delete at once, above us */
        while (!p->r[1])
            util_spin(1000); /* the timer fires after the delete, if not during it */
        util_line_set(0, 0);
        CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
        CHECK_EQ(p->r[3], 0);
        CHECK_EQ(p->r[0], L4_ERR_OK);
        CHECK_EQ(p->r[4], 0);
        abandoned += p->r[2] == L4_ERR_ILLEGAL_OPERATION && !a->done;
        if (p->r[2] == L4_ERR_OK)
            util_delete(scratch);
        CHECK(util_slot_is_empty(x));
        /* nothing of the chain is left: what the check reaches is what it was */
        CHECK_EQ(l4_machine_debug_check(L4_CAP_MACHINE, after), L4_ERR_OK);
        CHECK_EQ(after[L4_DEBUG_CHECK_CODE], 0);
        CHECK_EQ(after[L4_DEBUG_CHECK_OBJECTS], before[L4_DEBUG_CHECK_OBJECTS]);
        CHECK_EQ(after[L4_DEBUG_CHECK_SLOTS], before[L4_DEBUG_CHECK_SLOTS]);
    }
    CHECK(abandoned >= 1);
}

/* ---- a revoke through a cycle of CNodes ------------------------------------------ */
/* Waits on the endpoint arg[0]: r[0] the error, r[1] 1 once waiting. */
static void wait_on_endpoint(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[1] = 1;
    t->r[0] = l4_recv(t->arg[0], &m);
}

/* CNodes A, B, C, D (radix 2) and an endpoint E, all from one untyped, A's
 * cap its first child: A = {C, B}, B = {A}, C = {D}, D = {E}, each cap the
 * only one to its object, none left in the root. Revoking the untyped
 * deletes A's cap in B first. The walk pulls D up out of C and E out of D
 * (C and D parked in their own slots, in the ring of the walk's top), then
 * makes B, in A, a zombie: B's first cap is the top itself. So the top's
 * zombie A, with its ring, moves into A's slot 1 (its ring neighbours must
 * follow it: delete.c ring_moved), parked there and joined to the ring of
 * B's zombie, now at the top (delete.c inner_step, t == top). Everything is
 * destroyed (the waiter on E woken), the untyped is whole, and the check
 * reaches what it reached before. The debug kernel's ring asserts stop it
 * if either step leaves the ring broken. */
TEST(inject_revoking_an_untyped_whose_cnodes_hold_each_other_destroys_them_all)
{
    util_root_lower();
    l4_word_t before[L4_DEBUG_CHECK_WORDS] = {0}, after[L4_DEBUG_CHECK_WORDS] = {0};
    l4_cptr_t ut = util_untyped(16), s = util_slots(5), whole = util_slot();
    const l4_cptr_t r = L4_CAP_INIT_CNODE, a = s, b = s + 1, c = s + 2, d = s + 3, e = s + 4;
    util_thread_t *w = util_thread_create(wait_on_endpoint, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_machine_debug_check(L4_CAP_MACHINE, before), L4_ERR_OK);
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_ENDPOINT, 0, 0, 0, e, 1, r), L4_ERR_OK);
    for (l4_cptr_t x = d; x >= a; x--) /* A last: the untyped's first child */
        CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_CNODE, 2, 0, 0, x, 1, r), L4_ERR_OK);
    w->arg[0] = e;
    util_thread_start(w);
    CHECK_EQ(w->r[1], 1);
    CHECK_EQ(l4_cnode_move(d, 0, 2, e, 32, r), L4_ERR_OK);
    CHECK_EQ(l4_cnode_move(c, 0, 2, d, 32, r), L4_ERR_OK);
    CHECK_EQ(l4_cnode_move(a, 0, 2, c, 32, r), L4_ERR_OK);
    CHECK_EQ(l4_cnode_move(a, 1, 2, b, 32, r), L4_ERR_OK);
    CHECK_EQ(l4_cnode_move(a, 1u << 2, 4, a, 32, r), L4_ERR_OK); /* A into B[0]: A[1], then B[0] */
    CHECK(util_slot_is_empty(a));
    CHECK_EQ(w->done, 0);
    CHECK_EQ(l4_cnode_revoke(r, ut, 32), L4_ERR_OK);
    CHECK_EQ(w->done, 1);
    CHECK_EQ(w->r[0], L4_ERR_OBJECT_DELETED);
    CHECK_EQ(l4_machine_debug_check(L4_CAP_MACHINE, after), L4_ERR_OK);
    CHECK_EQ(after[L4_DEBUG_CHECK_CODE], 0);
    CHECK_EQ(after[L4_DEBUG_CHECK_OBJECTS], before[L4_DEBUG_CHECK_OBJECTS]);
    CHECK_EQ(after[L4_DEBUG_CHECK_SLOTS], before[L4_DEBUG_CHECK_SLOTS]);
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_UNTYPED, 16, 0, 0, whole, 1, r), L4_ERR_OK);
    util_delete(whole);
}
