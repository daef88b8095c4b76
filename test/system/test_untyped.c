/* SPDX-License-Identifier: BSD-2-Clause */
/* Untyped memory: retype into every object type, its argument checks, the
 * watermark (alignment, exhaustion) and reuse after revoke. */
#include "util.h"

static l4_word_t retype(l4_cptr_t ut, l4_word_t type, l4_word_t bits, l4_cptr_t slot,
                        l4_word_t count)
{
    return l4_untyped_retype(ut, type, bits, 0, 0, slot, count, L4_CAP_INIT_CNODE);
}

TEST(untyped_boot_caps_are_described_by_bootinfo)
{
    const l4_word_t *bi = l4_bootinfo;
    CHECK(bi[L4_BOOTINFO_UNTYPED_COUNT] > 0 && bi[L4_BOOTINFO_UNTYPED_COUNT] <= 64);
    CHECK(bi[L4_BOOTINFO_EMPTY_FIRST] < bi[L4_BOOTINFO_EMPTY_LAST]);
    CHECK(bi[L4_BOOTINFO_EMPTY_LAST] <= 1u << L4_ROOT_CNODE_BITS);
    /* The untyped caps lie after the well-known slots, outside the empty range. */
    l4_word_t uf = bi[L4_BOOTINFO_UNTYPED_FIRST], ul = uf + bi[L4_BOOTINFO_UNTYPED_COUNT];
    CHECK(uf > L4_CAP_INIT_IPC_BUFFER);
    CHECK(ul <= bi[L4_BOOTINFO_EMPTY_FIRST] || uf >= bi[L4_BOOTINFO_EMPTY_LAST]);
    for (l4_word_t i = 0; i < bi[L4_BOOTINFO_UNTYPED_COUNT]; i++) {
        l4_word_t d = bi[L4_BOOTINFO_UNTYPED_LIST + i], bits = d & 0x1f;
        CHECK(bits >= 4 && bits <= 28);
        CHECK_EQ((d & ~0x1fu) & ((1u << bits) - 1), 0); /* aligned to its size */
    }
}

TEST(untyped_retype_creates_every_object_type)
{
    static const l4_word_t types[][2] = {
        {L4_OBJ_UNTYPED, 12},     {L4_OBJ_TCB, 0},      {L4_OBJ_ENDPOINT, 0},
        {L4_OBJ_NOTIFICATION, 0}, {L4_OBJ_CNODE, 4},    {L4_OBJ_PAGE_DIRECTORY, 0},
        {L4_OBJ_PAGE_TABLE, 0},   {L4_OBJ_FRAME_4K, 0}, {L4_OBJ_FRAME_64K, 0},
        {L4_OBJ_FRAME_1M, 0},     {L4_OBJ_CNODE, 1},    {L4_OBJ_UNTYPED, 4}};
    for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++) {
        l4_cptr_t s = util_slot();
        CHECK_EQ(retype(util_pool(), types[i][0], types[i][1], s, 1), L4_ERR_OK);
        CHECK(!util_slot_is_empty(s));
    }
}

TEST(untyped_retyped_objects_have_their_type)
{
    l4_cptr_t ep = util_endpoint(), nt = util_notification();
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbsend(ep, &m), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(l4_poll(nt, 0), L4_ERR_WOULD_BLOCK);
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    l4_word_t pa = 0;
    CHECK_EQ(l4_frame_get_address(f, &pa), L4_ERR_OK);
    CHECK(pa >= 0x40000000u && pa < 0x50000000u);
    CHECK_EQ(pa & 0xfff, 0);
    l4_cptr_t f1m = util_new(L4_OBJ_FRAME_1M, 0);
    CHECK_EQ(l4_frame_get_address(f1m, &pa), L4_ERR_OK);
    CHECK_EQ(pa & 0xfffff, 0);
}

TEST(untyped_retype_count_fills_consecutive_slots)
{
    l4_cptr_t s = util_slots(6);
    CHECK_EQ(retype(util_pool(), L4_OBJ_ENDPOINT, 0, s, 5), L4_ERR_OK);
    for (unsigned i = 0; i < 5; i++) {
        l4_msg_t m = {0};
        CHECK_EQ(l4_nbrecv(s + i, &m), L4_ERR_WOULD_BLOCK);
    }
    CHECK(util_slot_is_empty(s + 5));
}

TEST(untyped_retype_256_objects_at_once)
{
    l4_cptr_t s = util_slots(256);
    CHECK_EQ(retype(util_pool(), L4_OBJ_NOTIFICATION, 0, s, 256), L4_ERR_OK);
    CHECK(!util_slot_is_empty(s + 255));
}

TEST(untyped_retype_invalid_type_is_invalid_argument)
{
    static const l4_word_t bad[] = {
        L4_OBJ_NULL, L4_OBJ_IRQ_CONTROL, L4_OBJ_IRQ_HANDLER, L4_OBJ_REPLY, 15, 99, 0xffffffffu};
    l4_cptr_t s = util_slot();
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ(retype(util_pool(), bad[i], 12, s, 1), L4_ERR_INVALID_ARGUMENT);
    CHECK(util_slot_is_empty(s));
}

TEST(untyped_retype_bad_size_bits_is_range_error)
{
    l4_cptr_t s = util_slot();
    CHECK_EQ(retype(util_pool(), L4_OBJ_UNTYPED, 3, s, 1), L4_ERR_RANGE_ERROR);
    CHECK_EQ(retype(util_pool(), L4_OBJ_UNTYPED, 29, s, 1), L4_ERR_RANGE_ERROR);
    CHECK_EQ(retype(util_pool(), L4_OBJ_CNODE, 0, s, 1), L4_ERR_RANGE_ERROR);
    CHECK_EQ(retype(util_pool(), L4_OBJ_CNODE, 17, s, 1), L4_ERR_RANGE_ERROR);
    CHECK(util_slot_is_empty(s));
}

TEST(untyped_retype_count_zero_or_above_256_is_range_error)
{
    l4_cptr_t s = util_slots(2);
    CHECK_EQ(retype(util_pool(), L4_OBJ_ENDPOINT, 0, s, 0), L4_ERR_RANGE_ERROR);
    CHECK_EQ(retype(util_pool(), L4_OBJ_ENDPOINT, 0, s, 257), L4_ERR_RANGE_ERROR);
    CHECK(util_slot_is_empty(s));
}

TEST(untyped_retype_past_cnode_end_is_range_error)
{
    /* root CNode: 4096 slots */
    CHECK_EQ(retype(util_pool(), L4_OBJ_ENDPOINT, 0, 4095, 2), L4_ERR_RANGE_ERROR);
    CHECK_EQ(retype(util_pool(), L4_OBJ_ENDPOINT, 0, 4096, 1), L4_ERR_RANGE_ERROR);
    /* a 4-slot CNode as destination */
    l4_cptr_t cn = util_cnode(2);
    CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_ENDPOINT, 0, cn, 32, 3, 2, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_ENDPOINT, 0, cn, 32, 2, 2, L4_CAP_INIT_CNODE),
             L4_ERR_OK);
}

TEST(untyped_retype_into_occupied_slot_is_delete_first_and_creates_nothing)
{
    l4_cptr_t s = util_slots(3);
    CHECK_EQ(retype(util_pool(), L4_OBJ_ENDPOINT, 0, s + 2, 1), L4_ERR_OK);
    CHECK_EQ(retype(util_pool(), L4_OBJ_ENDPOINT, 0, s, 3), L4_ERR_DELETE_FIRST);
    /* check-then-act: the free slots before the occupied one stay empty */
    CHECK(util_slot_is_empty(s));
    CHECK(util_slot_is_empty(s + 1));
}

TEST(untyped_retype_into_other_cnode_by_index_and_depth)
{
    l4_cptr_t cn = util_cnode(4);
    CHECK_EQ(
        l4_untyped_retype(util_pool(), L4_OBJ_NOTIFICATION, 0, cn, 32, 5, 1, L4_CAP_INIT_CNODE),
        L4_ERR_OK);
    /* Slot 5 of the 16-slot CNode is addressed in it with 4 bits. */
    l4_cptr_t s = util_slot();
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, s, 32, 5, 4, L4_RIGHTS_ALL, cn), L4_ERR_OK);
    CHECK_EQ(l4_signal(s), L4_ERR_OK);
    l4_word_t bits = 0;
    CHECK_EQ(l4_poll(s, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 1);
}

TEST(untyped_retype_node_not_a_cnode_is_failed_lookup)
{
    l4_cptr_t ep = util_endpoint(), empty = util_slot();
    CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_ENDPOINT, 0, ep, 32, 0, 1, L4_CAP_INIT_CNODE),
             L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_ENDPOINT, 0, empty, 32, 0, 1, L4_CAP_INIT_CNODE),
             L4_ERR_FAILED_LOOKUP);
}

TEST(untyped_retype_root_argument_errors)
{
    l4_cptr_t s = util_slot(), ep = util_endpoint();
    /* root not a CNode */
    CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_ENDPOINT, 0, 0, 0, s, 1, ep),
             L4_ERR_INVALID_CAPABILITY);
    /* root empty */
    CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_ENDPOINT, 0, 0, 0, s, 1, util_slot()),
             L4_ERR_FAILED_LOOKUP);
    /* root cap missing (caps field 0) */
    l4_word_t mr[6] = {L4_OBJ_ENDPOINT, 0, 0, 0, s, 1};
    CHECK_EQ(l4_invoke(util_pool(), L4_UNTYPED_RETYPE, mr, 6, 0, 0, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    /* five argument words only */
    l4_cptr_t root = L4_CAP_INIT_CNODE;
    CHECK_EQ(l4_invoke(util_pool(), L4_UNTYPED_RETYPE, mr, 5, &root, 1, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    CHECK(util_slot_is_empty(s));
}

TEST(untyped_unknown_label_is_illegal_operation)
{
    l4_word_t mr[6] = {0};
    CHECK_EQ(l4_invoke(util_pool(), L4_CNODE_COPY, mr, 6, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_invoke(util_pool(), 0xfffff, mr, 0, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
}

TEST(untyped_retype_on_empty_slot_is_failed_lookup)
{
    CHECK_EQ(retype(util_slot(), L4_OBJ_ENDPOINT, 0, util_slot(), 1), L4_ERR_FAILED_LOOKUP);
}

TEST(untyped_retype_until_out_of_memory_then_revoke_and_retype_again)
{
    l4_cptr_t ut = util_untyped(16); /* 64 KiB: sixteen 4 KiB frames */
    l4_cptr_t s = util_slots(17);
    for (unsigned i = 0; i < 16; i++)
        CHECK_EQ(retype(ut, L4_OBJ_FRAME_4K, 0, s + i, 1), L4_ERR_OK);
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_4K, 0, s + 16, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    CHECK(util_slot_is_empty(s + 16));
    l4_word_t first_pa = 0;
    CHECK_EQ(l4_frame_get_address(s, &first_pa), L4_ERR_OK);

    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, ut, 32), L4_ERR_OK);
    for (unsigned i = 0; i < 16; i++)
        CHECK(util_slot_is_empty(s + i));
    /* the whole region is available again, from its start */
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_64K, 0, s, 1), L4_ERR_OK);
    l4_word_t pa = 0;
    CHECK_EQ(l4_frame_get_address(s, &pa), L4_ERR_OK);
    CHECK_EQ(pa, first_pa);
    CHECK_EQ(retype(ut, L4_OBJ_ENDPOINT, 0, s + 1, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, ut, 32), L4_ERR_OK);
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_4K, 0, s, 16), L4_ERR_OK);
}

TEST(untyped_retype_larger_than_region_is_not_enough_memory)
{
    l4_cptr_t ut = util_untyped(16);
    CHECK_EQ(retype(ut, L4_OBJ_UNTYPED, 17, util_slot(), 1), L4_ERR_NOT_ENOUGH_MEMORY);
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_1M, 0, util_slot(), 1), L4_ERR_NOT_ENOUGH_MEMORY);
    /* too many in one call: nothing is created */
    l4_cptr_t s = util_slots(17);
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_4K, 0, s, 17), L4_ERR_NOT_ENOUGH_MEMORY);
    CHECK(util_slot_is_empty(s));
    CHECK_EQ(retype(ut, L4_OBJ_UNTYPED, 16, s, 1), L4_ERR_OK);
}

TEST(untyped_objects_are_aligned_to_their_size)
{
    l4_cptr_t ut = util_untyped(16);
    /* a 16-byte endpoint moves the watermark; a 64 KiB frame no longer fits */
    CHECK_EQ(retype(ut, L4_OBJ_ENDPOINT, 0, util_slot(), 1), L4_ERR_OK);
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_64K, 0, util_slot(), 1), L4_ERR_NOT_ENOUGH_MEMORY);
    /* but fifteen 4 KiB frames still do (from offset 4 KiB) */
    l4_cptr_t s = util_slots(16);
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_4K, 0, s, 15), L4_ERR_OK);
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_4K, 0, s + 15, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    l4_word_t a = 0, b = 0;
    CHECK_EQ(l4_frame_get_address(s, &a), L4_ERR_OK);
    CHECK_EQ(l4_frame_get_address(s + 14, &b), L4_ERR_OK);
    CHECK_EQ(b - a, 14 * 4096);
    CHECK_EQ(a & 0xffff, 0x1000);
}

TEST(untyped_memory_is_not_reused_after_delete_without_revoke)
{
    l4_cptr_t ut = util_untyped(14); /* four 4 KiB frames */
    l4_cptr_t s = util_slots(4);
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_4K, 0, s, 4), L4_ERR_OK);
    for (unsigned i = 0; i < 4; i++)
        util_delete(s + i);
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_4K, 0, s, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, ut, 32), L4_ERR_OK);
    CHECK_EQ(retype(ut, L4_OBJ_FRAME_4K, 0, s, 4), L4_ERR_OK);
}

TEST(untyped_retyped_memory_is_zeroed_again_after_revoke)
{
    l4_cptr_t ut = util_untyped(12);
    l4_cptr_t f = util_slot();
    const l4_word_t va = UTIL_VADDR_TEST;
    util_page_table_at(va);
    for (int round = 0; round < 2; round++) {
        CHECK_EQ(retype(ut, L4_OBJ_FRAME_4K, 0, f, 1), L4_ERR_OK);
        CHECK_EQ(l4_frame_map(f, va, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE),
                 L4_ERR_OK);
        volatile l4_word_t *p = (volatile l4_word_t *)va;
        for (unsigned i = 0; i < 1024; i++)
            CHECK_EQ(p[i], 0);
        for (unsigned i = 0; i < 1024; i++)
            p[i] = 0xdead0000u + i;
        CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, ut, 32), L4_ERR_OK);
        CHECK(util_slot_is_empty(f));
    }
}

TEST(untyped_child_untyped_is_revoked_with_its_parent)
{
    l4_cptr_t ut = util_untyped(16);
    l4_cptr_t child = util_slot(), grand = util_slot();
    CHECK_EQ(retype(ut, L4_OBJ_UNTYPED, 14, child, 1), L4_ERR_OK);
    CHECK_EQ(retype(child, L4_OBJ_ENDPOINT, 0, grand, 1), L4_ERR_OK);
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, ut, 32), L4_ERR_OK);
    CHECK(util_slot_is_empty(child));
    CHECK(util_slot_is_empty(grand));
}

TEST(untyped_copy_and_mint_are_illegal_operation_move_is_allowed)
{
    l4_cptr_t ut = util_untyped(12), d = util_slot(), d2 = util_slot();
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, d, 32, ut, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_cnode_mint(L4_CAP_INIT_CNODE, d, 32, ut, 32, L4_RIGHTS_ALL, 0, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK(util_slot_is_empty(d));
    CHECK_EQ(l4_cnode_move(L4_CAP_INIT_CNODE, d, 32, ut, 32, L4_CAP_INIT_CNODE), L4_ERR_OK);
    CHECK(util_slot_is_empty(ut));
    CHECK_EQ(retype(d, L4_OBJ_FRAME_4K, 0, d2, 1), L4_ERR_OK);
    /* the moved untyped is still a child of the pool: the pool's revoke (after
     * the test) reclaims it and the frame */
}

/* Clearing 16 MiB takes several kernel ticks: the retype is preempted,
 * restarted and resumes clearing where it stopped; the frames come out
 * zeroed even where the memory was dirty before. */
TEST(untyped_large_retype_is_preemptible_and_zeroes_memory)
{
    util_root_lower();
    l4_cptr_t ut = util_untyped(24);
    l4_cptr_t f = util_slots(16);
    /* dirty the region first: fill it through 1 MiB frames, then revoke */
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_FRAME_1M, 0, 0, 0, f, 1, L4_CAP_INIT_CNODE), L4_ERR_OK);
    l4_word_t va = UTIL_VADDR_TEST + 32 * UTIL_MB;
    CHECK_EQ(l4_frame_map(f, va, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE), L4_ERR_OK);
    for (l4_word_t i = 0; i < UTIL_MB / 4; i += 1024)
        ((volatile l4_word_t *)va)[i] = 0xdeadbeefu;
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, ut, 32), L4_ERR_OK);
    uint32_t k0 = l4_pmu_read(L4_PMU_KERNEL);
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_FRAME_1M, 0, 0, 0, f, 16, L4_CAP_INIT_CNODE), L4_ERR_OK);
    uint32_t k1 = l4_pmu_read(L4_PMU_KERNEL);
    CHECK(k1 - k0 > 1500000); /* it did clear 16 MiB: 3 instructions per 32 bytes */
    CHECK_EQ(l4_frame_map(f, va, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE), L4_ERR_OK);
    for (l4_word_t i = 0; i < UTIL_MB / 4; i += 1024)
        CHECK_EQ(((volatile l4_word_t *)va)[i], 0);
}
