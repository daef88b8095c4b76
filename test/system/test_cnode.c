/* SPDX-License-Identifier: BSD-2-Clause */
/* CNodes: copy, mint, move, mutate, delete, revoke, capability addressing
 * (guard, radix, depth) and the derivation tree. save_caller is exercised in
 * test_ipc.c (it needs a caller). Notifications make badges and rights
 * visible without a second thread: signal ORs the cap's badge into the word. */
#include "util.h"

#define C L4_CAP_INIT_CNODE

static l4_word_t poll_bits(l4_cptr_t n)
{
    l4_word_t bits = 0;
    l4_word_t e = l4_poll(n, &bits);
    return e == L4_ERR_OK ? bits : 0x80000000u | e;
}

TEST(cnode_copy_creates_a_working_cap_with_rights_reduced)
{
    l4_cptr_t n = util_notification();
    l4_cptr_t w = util_copy(n, L4_RIGHT_WRITE);
    l4_cptr_t r = util_copy(n, L4_RIGHT_READ);
    CHECK_EQ(l4_signal(w), L4_ERR_OK);
    CHECK_EQ(l4_poll(w, 0), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_signal(r), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(poll_bits(r), 1);
}

TEST(cnode_copy_never_adds_rights)
{
    l4_cptr_t n = util_notification();
    l4_cptr_t r = util_copy(n, L4_RIGHT_READ);
    l4_cptr_t r2 = util_copy(r, L4_RIGHTS_ALL);
    CHECK_EQ(l4_signal(r2), L4_ERR_INSUFFICIENT_RIGHTS);
}

TEST(cnode_copy_errors)
{
    l4_cptr_t n = util_notification(), occupied = util_notification(), d = util_slot();
    CHECK_EQ(l4_cnode_copy(C, occupied, 32, n, 32, L4_RIGHTS_ALL, C), L4_ERR_DELETE_FIRST);
    CHECK_EQ(l4_cnode_copy(C, d, 32, util_slot(), 32, L4_RIGHTS_ALL, C), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_copy(C, d, 32, L4_CAP_NULL, 32, L4_RIGHTS_ALL, C), L4_ERR_FAILED_LOOKUP);
    /* index beyond the root CNode: the 20-bit guard 0 does not match */
    CHECK_EQ(l4_cnode_copy(C, 0x1000 + d, 32, n, 32, L4_RIGHTS_ALL, C), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_copy(C, d, 32, 0x100000 + n, 32, L4_RIGHTS_ALL, C), L4_ERR_FAILED_LOOKUP);
    /* depth: more than 32 bits; fewer bits than the root consumes */
    CHECK_EQ(l4_cnode_copy(C, d, 33, n, 32, L4_RIGHTS_ALL, C), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_cnode_copy(C, d, 32, n, 33, L4_RIGHTS_ALL, C), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_cnode_copy(C, d, 31, n, 32, L4_RIGHTS_ALL, C), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_copy(C, d, 0, n, 32, L4_RIGHTS_ALL, C), L4_ERR_FAILED_LOOKUP);
    /* src_root: not a CNode, empty, missing */
    CHECK_EQ(l4_cnode_copy(C, d, 32, n, 32, L4_RIGHTS_ALL, n), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_cnode_copy(C, d, 32, n, 32, L4_RIGHTS_ALL, util_slot()), L4_ERR_FAILED_LOOKUP);
    l4_word_t mr[5] = {d, 32, n, 32, L4_RIGHTS_ALL};
    CHECK_EQ(l4_invoke(C, L4_CNODE_COPY, mr, 5, 0, 0, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    l4_cptr_t root = C;
    CHECK_EQ(l4_invoke(C, L4_CNODE_COPY, mr, 4, &root, 1, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    CHECK(util_slot_is_empty(d));
}

TEST(cnode_unknown_label_is_illegal_operation)
{
    l4_word_t mr[6] = {0};
    CHECK_EQ(l4_invoke(C, L4_UNTYPED_RETYPE, mr, 6, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_invoke(C, L4_TCB_RESUME, mr, 0, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
}

TEST(cnode_invocation_on_empty_cptr_is_failed_lookup)
{
    CHECK_EQ(l4_cnode_delete(util_slot(), 5, 32), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_delete(L4_CAP_NULL, 5, 32), L4_ERR_FAILED_LOOKUP);
}

TEST(cnode_mint_sets_the_badge_of_a_notification_cap)
{
    l4_cptr_t n = util_notification();
    l4_cptr_t a = util_mint(n, L4_RIGHTS_ALL, 0x5);
    l4_cptr_t b = util_mint(n, L4_RIGHT_WRITE, 0x30);
    CHECK_EQ(l4_signal(a), L4_ERR_OK);
    CHECK_EQ(l4_signal(b), L4_ERR_OK);
    CHECK_EQ(poll_bits(n), 0x35);
    /* rights reduced by mint */
    CHECK_EQ(l4_poll(b, 0), L4_ERR_INSUFFICIENT_RIGHTS);
}

TEST(cnode_mint_of_a_badged_cap_is_illegal_operation)
{
    l4_cptr_t n = util_notification(), e = util_endpoint();
    l4_cptr_t nb = util_mint(n, L4_RIGHTS_ALL, 7), eb = util_mint(e, L4_RIGHTS_ALL, 7);
    l4_cptr_t d = util_slot();
    CHECK_EQ(l4_cnode_mint(C, d, 32, nb, 32, L4_RIGHTS_ALL, 9, C), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_cnode_mint(C, d, 32, eb, 32, L4_RIGHTS_ALL, 9, C), L4_ERR_ILLEGAL_OPERATION);
    CHECK(util_slot_is_empty(d));
    /* copying a badged cap keeps its badge */
    l4_cptr_t c = util_copy(nb, L4_RIGHTS_ALL);
    CHECK_EQ(l4_signal(c), L4_ERR_OK);
    CHECK_EQ(poll_bits(n), 7);
}

TEST(cnode_mint_badge_on_other_types_is_invalid_argument)
{
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0), t = util_new(L4_OBJ_TCB, 0);
    l4_cptr_t d = util_slot();
    CHECK_EQ(l4_cnode_mint(C, d, 32, f, 32, L4_RIGHTS_ALL, 1, C), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_cnode_mint(C, d, 32, t, 32, L4_RIGHTS_ALL, 1, C), L4_ERR_INVALID_ARGUMENT);
    CHECK(util_slot_is_empty(d));
    CHECK_EQ(l4_cnode_mint(C, d, 32, f, 32, L4_RIGHTS_ALL, 0, C), L4_ERR_OK);
}

TEST(cnode_mint_guard_wider_than_32_bits_with_radix_is_invalid_argument)
{
    l4_cptr_t cn = util_cnode(4), d = util_slot();
    CHECK_EQ(l4_cnode_mint(C, d, 32, cn, 32, L4_RIGHTS_ALL, 29, C), L4_ERR_INVALID_ARGUMENT);
    CHECK(util_slot_is_empty(d));
    CHECK_EQ(l4_cnode_mint(C, d, 32, cn, 32, L4_RIGHTS_ALL, 28, C), L4_ERR_OK);
}

/* The worked example of docs/api.md: g is a 16-slot CNode with a 4-bit guard
 * 0xA; its slot 5 holds a 16-slot CNode c2 (no guard) whose slot 7 holds a
 * notification. Index 0xA57 with depth 12 names that slot:
 *   bits 11..8 = 0xA guard of g, 7..4 = 5 slot in g, 3..0 = 7 slot in c2. */
TEST(cnode_guard_radix_and_depth_resolve_a_two_level_cspace)
{
    l4_cptr_t c = util_cnode(4), c2 = util_cnode(4), n = util_notification();
    CHECK_EQ(l4_cnode_copy(c2, 7, 4, n, 32, L4_RIGHTS_ALL, C), L4_ERR_OK);
    CHECK_EQ(l4_cnode_copy(c, 5, 4, c2, 32, L4_RIGHTS_ALL, C), L4_ERR_OK);
    l4_cptr_t g = util_mint(c, L4_RIGHTS_ALL, 4u | (0xAu << 5));

    l4_cptr_t d = util_slot();
    CHECK_EQ(l4_cnode_copy(C, d, 32, 0xA57, 12, L4_RIGHTS_ALL, g), L4_ERR_OK);
    CHECK_EQ(l4_signal(d), L4_ERR_OK);
    CHECK_EQ(poll_bits(n), 1);
    util_delete(d);

    /* wrong guard; too few / too many bits; more than 32 */
    CHECK_EQ(l4_cnode_copy(C, d, 32, 0xB57, 12, L4_RIGHTS_ALL, g), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_copy(C, d, 32, 0x52B, 11, L4_RIGHTS_ALL, g), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_copy(C, d, 32, 0x14AE, 13, L4_RIGHTS_ALL, g), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_copy(C, d, 32, 0xA57, 33, L4_RIGHTS_ALL, g), L4_ERR_RANGE_ERROR);
    /* an empty slot in c2 */
    CHECK_EQ(l4_cnode_copy(C, d, 32, 0xA56, 12, L4_RIGHTS_ALL, g), L4_ERR_FAILED_LOOKUP);
    CHECK(util_slot_is_empty(d));
    /* 8 bits stop at c2's cap itself */
    CHECK_EQ(l4_cnode_copy(C, d, 32, 0xA5, 8, L4_RIGHTS_ALL, g), L4_ERR_OK);
    l4_cptr_t d2 = util_slot();
    CHECK_EQ(l4_cnode_copy(C, d2, 32, 7, 4, L4_RIGHTS_ALL, d), L4_ERR_OK);
    CHECK_EQ(l4_signal(d2), L4_ERR_OK);
    CHECK_EQ(poll_bits(n), 1);
}

TEST(cnode_ops_address_slots_of_the_invoked_cnode)
{
    l4_cptr_t c = util_cnode(3), n = util_notification();
    CHECK_EQ(l4_cnode_copy(c, 6, 3, n, 32, L4_RIGHTS_ALL, C), L4_ERR_OK);
    CHECK_EQ(l4_cnode_copy(c, 6, 3, n, 32, L4_RIGHTS_ALL, C), L4_ERR_DELETE_FIRST);
    CHECK_EQ(l4_cnode_move(c, 2, 3, 6, 3, c), L4_ERR_OK);
    CHECK_EQ(l4_cnode_delete(c, 6, 3), L4_ERR_OK); /* now empty: no-op */
    CHECK_EQ(l4_cnode_copy(c, 6, 3, 2, 3, L4_RIGHTS_ALL, c), L4_ERR_OK);
    CHECK_EQ(l4_cnode_delete(c, 2, 3), L4_ERR_OK);
    CHECK_EQ(l4_cnode_delete(c, 6, 4), L4_ERR_FAILED_LOOKUP);
    l4_cptr_t d = util_slot();
    CHECK_EQ(l4_cnode_move(C, d, 32, 6, 3, c), L4_ERR_OK);
    CHECK_EQ(l4_signal(d), L4_ERR_OK);
    CHECK_EQ(poll_bits(n), 1);
}

TEST(cnode_move_empties_the_source_and_keeps_the_derivation)
{
    l4_cptr_t n = util_notification();
    l4_cptr_t child = util_mint(n, L4_RIGHTS_ALL, 2), d = util_slot();
    CHECK_EQ(l4_cnode_move(C, d, 32, child, 32, C), L4_ERR_OK);
    CHECK(util_slot_is_empty(child));
    CHECK_EQ(l4_signal(d), L4_ERR_OK); /* the badge moved with it */
    CHECK_EQ(poll_bits(n), 2);
    CHECK_EQ(l4_cnode_revoke(C, n, 32), L4_ERR_OK);
    CHECK(util_slot_is_empty(d)); /* still n's child after the move */
    CHECK(!util_slot_is_empty(n));
}

/* A cap with children (an untyped with objects made from it) moved: the
 * children now hang below the new slot, so revoking it destroys them and
 * frees the memory, and the moved untyped retypes again from the start. */
TEST(cnode_moved_cap_keeps_its_children_revocable_from_the_new_slot)
{
    l4_cptr_t ut = util_untyped(12), objs = util_slots(3), d = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_ENDPOINT, 0, 0, 0, objs, 3, C), L4_ERR_OK);
    l4_cptr_t copy = util_copy(objs + 1, L4_RIGHTS_ALL); /* a grandchild */
    CHECK_EQ(l4_cnode_move(C, d, 32, ut, 32, C), L4_ERR_OK);
    CHECK(util_slot_is_empty(ut));
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK); /* the empty source: nothing */
    for (unsigned i = 0; i < 3; i++)
        CHECK(!util_slot_is_empty(objs + i));
    CHECK_EQ(l4_cnode_revoke(C, d, 32), L4_ERR_OK);
    for (unsigned i = 0; i < 3; i++)
        CHECK(util_slot_is_empty(objs + i));
    CHECK(util_slot_is_empty(copy));
    /* all 4 KiB free again: 256 endpoints of 16 bytes fit */
    l4_cptr_t many = util_slots(256);
    CHECK_EQ(l4_untyped_retype(d, L4_OBJ_ENDPOINT, 0, 0, 0, many, 256, C), L4_ERR_OK);
}

/* A moved frame or page-table cap repoints the shadow entry of its mapping;
 * any other cap has no mapping, whatever its data says. A badge reads like a
 * mapping word (asid | vaddr): badges 1..511 cover every ASID, with vaddr 0
 * (entry 0 of a directory) and 0x100. pd1 has a page at vaddr 0, pd2
 * nothing there: a badge taken for a mapping would overwrite pd1's shadow
 * (so unmapping its page table would miss the page) or follow pd2's empty
 * entry (a kernel fault). */
TEST(cnode_move_of_a_badged_cap_never_touches_a_mapping)
{
    l4_cptr_t pd1 = util_new(L4_OBJ_PAGE_DIRECTORY, 0), pd2 = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0), f = util_new(L4_OBJ_FRAME_4K, 0);
    const l4_word_t rw = L4_RIGHT_READ | L4_RIGHT_WRITE;
    CHECK_EQ(l4_page_table_map(pt, 0, 0, pd1), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, 0, rw, 0, pd1), L4_ERR_OK);
    l4_cptr_t n = util_notification(), e = util_endpoint(), a = util_slot(), b = util_slot();
    for (l4_word_t badge = 1; badge < 512; badge++) {
        CHECK_EQ(l4_cnode_mint(C, a, 32, n, 32, L4_RIGHTS_ALL, badge, C), L4_ERR_OK);
        CHECK_EQ(l4_cnode_move(C, b, 32, a, 32, C), L4_ERR_OK);
        CHECK_EQ(l4_signal(b), L4_ERR_OK);
        CHECK_EQ(poll_bits(n), badge);
        util_delete(b);
        CHECK_EQ(l4_cnode_mint(C, a, 32, e, 32, L4_RIGHTS_ALL, badge, C), L4_ERR_OK);
        CHECK_EQ(l4_cnode_move(C, b, 32, a, 32, C), L4_ERR_OK);
        util_delete(b);
    }
    CHECK_EQ(l4_page_table_unmap(pt), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, 0, rw, 0, pd1), L4_ERR_NOT_MAPPED); /* the page went with it */
    CHECK_EQ(l4_page_table_map(pt, 0, 0, pd1), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, 0, rw, 0, pd1), L4_ERR_OK);
    util_delete(f);
    util_delete(pt);
    util_delete(pd2);
    util_delete(pd1);
}

TEST(cnode_move_errors)
{
    l4_cptr_t n = util_notification(), o = util_notification();
    CHECK_EQ(l4_cnode_move(C, o, 32, n, 32, C), L4_ERR_DELETE_FIRST);
    CHECK(!util_slot_is_empty(n));
    CHECK_EQ(l4_cnode_move(C, util_slot(), 32, util_slot(), 32, C), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_move(C, util_slot(), 33, n, 32, C), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_cnode_move(C, util_slot(), 32, n, 32, n), L4_ERR_INVALID_CAPABILITY);
    CHECK(!util_slot_is_empty(n));
}

TEST(cnode_mutate_moves_and_sets_the_badge)
{
    l4_cptr_t n = util_notification();
    l4_cptr_t c = util_copy(n, L4_RIGHT_WRITE), d = util_slot();
    CHECK_EQ(l4_cnode_mutate(C, d, 32, c, 32, 0x40, C), L4_ERR_OK);
    CHECK(util_slot_is_empty(c));
    CHECK_EQ(l4_signal(d), L4_ERR_OK);
    CHECK_EQ(poll_bits(n), 0x40);
    CHECK_EQ(l4_poll(d, 0), L4_ERR_INSUFFICIENT_RIGHTS); /* rights kept */
}

TEST(cnode_mutate_errors)
{
    l4_cptr_t n = util_notification(), f = util_new(L4_OBJ_FRAME_4K, 0);
    l4_cptr_t nb = util_mint(n, L4_RIGHTS_ALL, 1), d = util_slot();
    CHECK_EQ(l4_cnode_mutate(C, d, 32, nb, 32, 2, C), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_cnode_mutate(C, d, 32, f, 32, 2, C), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_cnode_mutate(C, nb, 32, n, 32, 2, C), L4_ERR_DELETE_FIRST);
    CHECK_EQ(l4_cnode_mutate(C, d, 32, util_slot(), 32, 2, C), L4_ERR_FAILED_LOOKUP);
    CHECK(util_slot_is_empty(d));
    CHECK(!util_slot_is_empty(nb) && !util_slot_is_empty(f) && !util_slot_is_empty(n));
}

TEST(cnode_delete_empties_the_slot_and_empty_slot_is_no_op)
{
    l4_cptr_t n = util_notification(), c = util_copy(n, L4_RIGHTS_ALL);
    util_delete(c);
    CHECK(util_slot_is_empty(c));
    CHECK_EQ(l4_cnode_delete(C, c, 32), L4_ERR_OK);
    CHECK_EQ(l4_signal(n), L4_ERR_OK); /* the object lives: n still holds it */
}

TEST(cnode_delete_errors)
{
    CHECK_EQ(l4_cnode_delete(C, 0x1000, 32), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_delete(C, 5, 33), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_cnode_delete(C, 5, 12), L4_ERR_FAILED_LOOKUP);
    l4_word_t mr[1] = {5};
    CHECK_EQ(l4_invoke(C, L4_CNODE_DELETE, mr, 1, 0, 0, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
}

TEST(cnode_revoke_deletes_a_chain_of_50_copies)
{
    l4_cptr_t n = util_notification(), s = util_slots(50);
    l4_cptr_t prev = n;
    for (unsigned i = 0; i < 50; i++) {
        CHECK_EQ(l4_cnode_copy(C, s + i, 32, prev, 32, L4_RIGHTS_ALL, C), L4_ERR_OK);
        prev = s + i;
    }
    CHECK_EQ(l4_signal(s + 49), L4_ERR_OK);
    CHECK_EQ(poll_bits(n), 1);
    /* revoking the middle keeps the upper half */
    CHECK_EQ(l4_cnode_revoke(C, s + 24, 32), L4_ERR_OK);
    for (unsigned i = 0; i < 50; i++)
        CHECK_EQ(util_slot_is_empty(s + i), i > 24);
    CHECK_EQ(l4_cnode_revoke(C, n, 32), L4_ERR_OK);
    for (unsigned i = 0; i < 50; i++)
        CHECK(util_slot_is_empty(s + i));
    CHECK_EQ(l4_signal(n), L4_ERR_OK); /* revoke keeps the cap itself */
    CHECK_EQ(poll_bits(n), 1);
}

TEST(cnode_revoke_deletes_a_wide_tree)
{
    l4_cptr_t n = util_notification(), s = util_slots(300);
    for (unsigned i = 0; i < 200; i++)
        CHECK_EQ(l4_cnode_mint(C, s + i, 32, n, 32, L4_RIGHTS_ALL, i + 1, C), L4_ERR_OK);
    for (unsigned i = 0; i < 100; i++) /* grandchildren under every other child */
        CHECK_EQ(l4_cnode_copy(C, s + 200 + i, 32, s + 2 * i, 32, L4_RIGHT_WRITE, C), L4_ERR_OK);
    CHECK_EQ(l4_cnode_revoke(C, s + 10, 32), L4_ERR_OK); /* one subtree */
    CHECK(util_slot_is_empty(s + 205));
    CHECK(!util_slot_is_empty(s + 10));
    CHECK(!util_slot_is_empty(s + 206));
    CHECK_EQ(l4_cnode_revoke(C, n, 32), L4_ERR_OK);
    for (unsigned i = 0; i < 300; i++)
        CHECK(util_slot_is_empty(s + i));
    CHECK(!util_slot_is_empty(n));
}

TEST(cnode_revoke_errors)
{
    CHECK_EQ(l4_cnode_revoke(C, 0x1000, 32), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_revoke(C, 5, 33), L4_ERR_RANGE_ERROR);
}

TEST(cnode_delete_of_the_original_keeps_copies_working)
{
    l4_cptr_t n = util_notification(), c = util_copy(n, L4_RIGHTS_ALL);
    util_delete(n);
    CHECK_EQ(l4_signal(c), L4_ERR_OK);
    CHECK_EQ(poll_bits(c), 1);
}

static void recv_once(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[1] = 1;
    t->r[0] = l4_recv(t->arg[0], &m);
}

TEST(cnode_deleting_a_cnode_deletes_the_caps_in_it)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), cn = util_cnode(2);
    util_thread_t *t = util_thread_create(recv_once, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    util_thread_start(t);
    CHECK_EQ(t->r[1], 1); /* ran at once and blocked in recv */
    CHECK_EQ(t->done, 0);
    /* the only endpoint cap goes into the CNode; deleting the CNode destroys it */
    CHECK_EQ(l4_cnode_move(cn, 1, 2, ep, 32, C), L4_ERR_OK);
    CHECK_EQ(t->done, 0);
    util_delete(cn);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OBJECT_DELETED);
}

/* A chain of 300 CNodes, each holding the last cap to the next, the last
 * one holding the only cap to an endpoint a thread waits on (the CNodes
 * from an untyped of their own). */
enum { CHAIN_DEPTH = 300 };
static l4_cptr_t build_cnode_chain_at(l4_cptr_t first, l4_cptr_t ut, l4_cptr_t ep, int self_cycle)
{
    for (unsigned i = 0; i < CHAIN_DEPTH; i++)
        CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_CNODE, 1, 0, 0, first + i, 1, C), L4_ERR_OK);
    l4_cptr_t last = first + CHAIN_DEPTH - 1;
    CHECK_EQ(l4_cnode_move(last, 1, 1, ep, 32, C), L4_ERR_OK);
    if (self_cycle) /* the last CNode also holds a cap to itself */
        CHECK_EQ(l4_cnode_copy(last, 0, 1, last, 32, L4_RIGHTS_ALL, C), L4_ERR_OK);
    for (unsigned i = CHAIN_DEPTH - 1; i-- > 0;)
        CHECK_EQ(l4_cnode_move(first + i, 0, 1, first + i + 1, 32, C), L4_ERR_OK);
    for (unsigned i = 1; i < CHAIN_DEPTH; i++)
        CHECK(util_slot_is_empty(first + i));
    return first;
}

/* ... in CHAIN_DEPTH new slots. */
static l4_cptr_t build_cnode_chain(l4_cptr_t ut, l4_cptr_t ep, int self_cycle)
{
    return build_cnode_chain_at(util_slots(CHAIN_DEPTH), ut, ep, self_cycle);
}

/* Deleting the head destroys all of it, in steps of constant cost
 * (design.md 4.3), the endpoint at the bottom included. */
TEST(cnode_deleting_a_300_deep_chain_destroys_the_endpoint_at_its_bottom)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), ut = util_untyped(16);
    util_thread_t *t = util_thread_create(recv_once, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    util_thread_start(t);
    l4_cptr_t first = build_cnode_chain(ut, ep, 0);
    CHECK_EQ(t->done, 0);
    util_delete(first);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OBJECT_DELETED);
}

/* With a cap to itself in the last CNode, that CNode is not destroyed with
 * the chain (it still has a cap: an unreachable cycle); revoking the
 * untyped it came from destroys it and what it holds. */
TEST(cnode_a_self_holding_cnode_survives_the_chain_until_its_untyped_is_revoked)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), ut = util_untyped(16);
    util_thread_t *t = util_thread_create(recv_once, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    util_thread_start(t);
    l4_cptr_t first = build_cnode_chain(ut, ep, 1);
    util_delete(first);
    CHECK_EQ(t->done, 0);
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OBJECT_DELETED);
}

/* Waits for the test line's interrupt (util.h) (notification arg[0]), then revokes the
 * untyped arg[1]: r[2] the error of copying the chain's head arg[2] into
 * the empty slot arg[3] just before (ILLEGAL_OPERATION: a zombie, its
 * delete preempted half-way), r[0] the revoke's error, r[1] 1 once done. */
static void revoke_on_tick(util_thread_t *t)
{
    l4_word_t bits;
    l4_wait(t->arg[0], &bits);
    t->r[2] = l4_cnode_copy(C, t->arg[3], 32, t->arg[2], 32, L4_RIGHTS_ALL, C);
    t->r[0] = l4_cnode_revoke(C, t->arg[1], 32);
    t->r[1] = 1;
}

/* The chain's delete is preempted by the timer half-way (its zombies in
 * rings, parked inside their own CNodes); a revoke of the untyped they all
 * came from then reaches each parked zombie through the derivation tree,
 * takes it out of its ring and finishes it where it lies; the preempted
 * delete, restarted, finds its slot empty. Nothing is left: the endpoint at
 * the bottom is destroyed, the untyped is whole again. The timer's delay
 * halves from 2^17 ticks to 2^11, so the revoke meets the walk at several
 * points (after it, too: then the chain is already gone); at least one of
 * them in the middle of the delete. */
TEST(cnode_revoking_the_untyped_of_a_chain_whose_delete_was_preempted_destroys_it_all)
{
    util_root_lower();
    l4_cptr_t n = util_notification(), h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, UTIL_TEST_IRQ, h, 32, C), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_set_notification(h, n), L4_ERR_OK);
    int preempted = 0;
    l4_cptr_t chain = util_slots(CHAIN_DEPTH); /* empty again after each round */
    for (l4_word_t ticks = 1u << 17; ticks >= 1u << 11; ticks /= 2) { /* 14 threads in all */
        l4_cptr_t ep = util_endpoint(), ut = util_untyped(16), scratch = util_slot();
        util_thread_t *w = util_thread_create(recv_once, UTIL_PRIO_HIGH, 0);
        w->arg[0] = ep;
        util_thread_start(w);
        l4_cptr_t first = build_cnode_chain_at(chain, ut, ep, 0);
        util_thread_t *p = util_thread_create(revoke_on_tick, UTIL_PRIO_HIGH, 0);
        p->arg[0] = n;
        p->arg[1] = ut;
        p->arg[2] = first;
        p->arg[3] = scratch;
        util_thread_start(p); /* waits for the timer */
        util_line_set(ticks, 1);
        CHECK_EQ(l4_cnode_delete(C, first, 32), L4_ERR_OK);
        while (!p->r[1])
            util_spin(1000); /* the timer fires after the delete, if not during it */
        util_line_set(0, 0);
        CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
        CHECK_EQ(p->r[0], L4_ERR_OK);
        preempted += p->r[2] == L4_ERR_ILLEGAL_OPERATION;
        if (p->r[2] == L4_ERR_OK)
            util_delete(scratch);
        CHECK(util_slot_is_empty(first));
        CHECK_EQ(w->done, 1);
        CHECK_EQ(w->r[0], L4_ERR_OBJECT_DELETED);
        l4_cptr_t whole = util_slot();
        CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_UNTYPED, 16, 0, 0, whole, 1, C), L4_ERR_OK);
        util_delete(whole);
    }
    CHECK(preempted >= 1);
}
