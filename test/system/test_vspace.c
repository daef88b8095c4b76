/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtual memory: page directories (and their ASIDs), page tables and frames
 * of 4 KiB, 64 KiB and 1 MiB; map/unmap, their errors, and what deletion
 * does to mappings. Faults on mappings are in test_fault.c. */
#include "util.h"

#define V L4_CAP_INIT_VSPACE
#define RW (L4_RIGHT_READ | L4_RIGHT_WRITE)
#define VA(n) (UTIL_VADDR_TEST + (n)*UTIL_MB)

static volatile l4_word_t *word_at(l4_word_t va)
{
    return (volatile l4_word_t *)va;
}

static l4_cptr_t new_pt(l4_word_t va)
{
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt, va, 0, V), L4_ERR_OK);
    return pt;
}

TEST(vspace_frame_mapped_through_a_new_page_table_is_usable)
{
    new_pt(VA(1));
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(f, VA(1) + 0x5000, RW, 0, V), L4_ERR_OK);
    volatile l4_word_t *p = word_at(VA(1) + 0x5000);
    CHECK_EQ(p[0], 0);
    p[0] = 0x1234;
    p[1023] = 0x5678;
    CHECK_EQ(p[0] + p[1023], 0x1234 + 0x5678);
}

TEST(vspace_page_table_map_errors)
{
    l4_cptr_t pt = new_pt(VA(2)), pt2 = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt2, VA(2), 0, V), L4_ERR_ALREADY_MAPPED);
    CHECK_EQ(l4_page_table_map(pt2, 0x00000000u, 0, V), L4_ERR_ALREADY_MAPPED); /* root image */
    CHECK_EQ(l4_page_table_map(pt, VA(3), 0, V), L4_ERR_ALREADY_MAPPED);        /* pt is in use */
    CHECK_EQ(l4_page_table_map(pt2, 0x80000000u, 0, V), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_page_table_map(pt2, 0xfff00000u, 0, V), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_page_table_map(pt2, VA(3), 0, L4_CAP_INIT_CNODE), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_page_table_map(pt2, VA(3), 0, pt), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_page_table_map(pt2, VA(3), 0, util_slot()), L4_ERR_FAILED_LOOKUP);
    l4_word_t mr[2] = {VA(3), 0};
    CHECK_EQ(l4_invoke(pt2, L4_PAGE_TABLE_MAP, mr, 2, 0, 0, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    l4_cptr_t pd = V;
    CHECK_EQ(l4_invoke(pt2, L4_PAGE_TABLE_MAP, mr, 1, &pd, 1, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_page_table_map(pt2, VA(3), 0, V), L4_ERR_OK);
}

TEST(vspace_page_table_unknown_label_is_illegal_operation)
{
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
    l4_word_t mr[3] = {VA(4), RW, 0};
    l4_cptr_t pd = V;
    CHECK_EQ(l4_invoke(pt, L4_FRAME_MAP, mr, 3, &pd, 1, 0, 0), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_invoke(pt, L4_FRAME_GET_ADDRESS, mr, 0, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
}

TEST(vspace_page_table_unmap_removes_its_frames)
{
    l4_cptr_t pt = new_pt(VA(5));
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(f, VA(5), RW, 0, V), L4_ERR_OK);
    *word_at(VA(5)) = 0xfeed;
    CHECK_EQ(l4_page_table_unmap(pt), L4_ERR_OK);
    CHECK_EQ(l4_page_table_unmap(pt), L4_ERR_OK); /* unmapped: no-op */
    /* the frame's cap is unmapped too: it maps elsewhere, contents intact */
    new_pt(VA(6));
    CHECK_EQ(l4_frame_map(f, VA(6), RW, 0, V), L4_ERR_OK);
    CHECK_EQ(*word_at(VA(6)), 0xfeed);
    /* the MiB is free for a new table, and the old table maps again */
    l4_cptr_t pt2 = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt2, VA(5), 0, V), L4_ERR_OK);
    CHECK_EQ(l4_page_table_map(pt, VA(7), 0, V), L4_ERR_OK);
}

TEST(vspace_frame_map_alignment_errors)
{
    new_pt(VA(8));
    l4_cptr_t f4 = util_new(L4_OBJ_FRAME_4K, 0), f64 = util_new(L4_OBJ_FRAME_64K, 0);
    l4_cptr_t f1m = util_new(L4_OBJ_FRAME_1M, 0);
    CHECK_EQ(l4_frame_map(f4, VA(8) + 0x800, RW, 0, V), L4_ERR_ALIGNMENT_ERROR);
    CHECK_EQ(l4_frame_map(f4, VA(8) + 4, RW, 0, V), L4_ERR_ALIGNMENT_ERROR);
    CHECK_EQ(l4_frame_map(f64, VA(8) + 0x1000, RW, 0, V), L4_ERR_ALIGNMENT_ERROR);
    CHECK_EQ(l4_frame_map(f1m, VA(9) + 0x10000, RW, 0, V), L4_ERR_ALIGNMENT_ERROR);
    CHECK_EQ(l4_frame_map(f1m, VA(9) + 0x80000, RW, 0, V), L4_ERR_ALIGNMENT_ERROR);
    /* nothing was mapped by the failures */
    CHECK_EQ(l4_frame_map(f4, VA(8), RW, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f64, VA(8) + 0x10000, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f1m, VA(9), RW, 0, V), L4_ERR_OK);
}

TEST(vspace_frame_map_range_and_lookup_errors)
{
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0), f1m = util_new(L4_OBJ_FRAME_1M, 0);
    CHECK_EQ(l4_frame_map(f, 0x80000000u, RW, 0, V), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_frame_map(f, 0xfffff000u, RW, 0, V), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_frame_map(f1m, 0xc0000000u, RW, 0, V), L4_ERR_RANGE_ERROR);
    /* no page table covers VA(10) */
    CHECK_EQ(l4_frame_map(f, VA(10), RW, 0, V), L4_ERR_NOT_MAPPED);
    l4_cptr_t f64 = util_new(L4_OBJ_FRAME_64K, 0);
    CHECK_EQ(l4_frame_map(f64, VA(10), RW, 0, V), L4_ERR_NOT_MAPPED);
    CHECK_EQ(l4_frame_map(f, VA(10), RW, 0, L4_CAP_INIT_CNODE), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_frame_map(f, VA(10), RW, 0, util_slot()), L4_ERR_FAILED_LOOKUP);
    l4_word_t mr[3] = {VA(10), RW, 0};
    CHECK_EQ(l4_invoke(f, L4_FRAME_MAP, mr, 3, 0, 0, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    l4_cptr_t pd = V;
    CHECK_EQ(l4_invoke(f, L4_FRAME_MAP, mr, 2, &pd, 1, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_invoke(f, L4_PAGE_TABLE_UNMAP, mr, 0, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
}

TEST(vspace_frame_map_already_mapped_errors)
{
    new_pt(VA(11));
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0), g = util_new(L4_OBJ_FRAME_4K, 0);
    l4_cptr_t f64 = util_new(L4_OBJ_FRAME_64K, 0);
    CHECK_EQ(l4_frame_map(f, VA(11) + 0x3000, RW, 0, V), L4_ERR_OK);
    /* this cap already holds a mapping */
    CHECK_EQ(l4_frame_map(f, VA(11) + 0x4000, RW, 0, V), L4_ERR_ALREADY_MAPPED);
    /* the address is in use */
    CHECK_EQ(l4_frame_map(g, VA(11) + 0x3000, RW, 0, V), L4_ERR_ALREADY_MAPPED);
    /* a 64 KiB frame overlapping a mapped 4 KiB page */
    CHECK_EQ(l4_frame_map(f64, VA(11), RW, 0, V), L4_ERR_ALREADY_MAPPED);
    /* a 1 MiB frame where a page table is; a page table where a section is */
    l4_cptr_t f1m = util_new(L4_OBJ_FRAME_1M, 0);
    CHECK_EQ(l4_frame_map(f1m, VA(11), RW, 0, V), L4_ERR_ALREADY_MAPPED);
    CHECK_EQ(l4_frame_map(f1m, VA(12), RW, 0, V), L4_ERR_OK);
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt, VA(12), 0, V), L4_ERR_ALREADY_MAPPED);
    l4_cptr_t f1m2 = util_new(L4_OBJ_FRAME_1M, 0);
    CHECK_EQ(l4_frame_map(f1m2, VA(12), RW, 0, V), L4_ERR_ALREADY_MAPPED);
    /* root's own pages */
    CHECK_EQ(l4_frame_map(g, L4_ROOT_IPC_BUFFER, RW, 0, V), L4_ERR_ALREADY_MAPPED);
}

TEST(vspace_frame_map_rights_and_attribute_errors)
{
    new_pt(VA(13));
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(f, VA(13), L4_RIGHT_WRITE, 0, V), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_frame_map(f, VA(13), 0, 0, V), L4_ERR_INSUFFICIENT_RIGHTS);
    l4_cptr_t ro = util_copy(f, L4_RIGHT_READ), wo = util_copy(f, L4_RIGHT_WRITE);
    CHECK_EQ(l4_frame_map(wo, VA(13), RW, 0, V), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_frame_map(f, VA(13), RW, 4, V), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_frame_map(f, VA(13), RW, 0x80000000u, V), L4_ERR_INVALID_ARGUMENT);
    /* a read-only cap maps read-only even when asked for RW */
    CHECK_EQ(l4_frame_map(ro, VA(13), RW, 0, V), L4_ERR_OK);
    CHECK_EQ(*word_at(VA(13)), 0);
    CHECK_EQ(l4_frame_map(f, VA(13) + 0x1000, RW, L4_ATTR_EXECUTE_NEVER, V), L4_ERR_OK);
    *word_at(VA(13) + 0x1000) = 3;
    CHECK_EQ(*word_at(VA(13)), 3); /* same frame */
}

TEST(vspace_uncached_mapping_reads_and_writes)
{
    new_pt(VA(14));
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(f, VA(14), RW, L4_ATTR_UNCACHED | L4_ATTR_EXECUTE_NEVER, V), L4_ERR_OK);
    *word_at(VA(14) + 8) = 0xabcd;
    CHECK_EQ(*word_at(VA(14) + 8), 0xabcd);
}

TEST(vspace_frame_unmap_of_unmapped_frame_is_a_no_op)
{
    CHECK_EQ(l4_frame_unmap(util_new(L4_OBJ_FRAME_4K, 0)), L4_ERR_OK);
    l4_cptr_t f = util_map_new_frame(VA(15));
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, VA(15), RW, 0, V), L4_ERR_OK);
}

TEST(vspace_reusing_a_vaddr_after_unmap_sees_the_new_frame)
{
    const l4_word_t va = VA(16) + 0x7000;
    l4_cptr_t a = util_map_new_frame(va);
    *word_at(va) = 0xaaaa0001;
    CHECK_EQ(l4_frame_unmap(a), L4_ERR_OK);
    l4_cptr_t b = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(b, va, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(*word_at(va), 0); /* b's contents, not a's (stale TLB entry) */
    *word_at(va) = 0xbbbb0002;
    CHECK_EQ(l4_frame_unmap(b), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(a, va, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(*word_at(va), 0xaaaa0001);
    CHECK_EQ(l4_frame_unmap(a), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(b, va, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(*word_at(va), 0xbbbb0002);
}

/* Unmapping a 64 KiB or 1 MiB frame invalidates the TLB entries of every
 * page of it (one pass with one pair of barriers): a frame mapped there next
 * is seen on every page, none through a stale entry. (QEMU drops a whole
 * large page on any one of its addresses, so this checks the result, not
 * that every page is named; a core may hold a large page as smaller
 * entries, hence the kernel names them all.) */
TEST(vspace_reusing_the_vaddr_of_a_large_frame_sees_the_new_frame_on_every_page)
{
    new_pt(VA(26));
    const struct {
        l4_word_t type, va, size;
    } cases[] = {{L4_OBJ_FRAME_64K, VA(26) + 0x40000, 0x10000}, {L4_OBJ_FRAME_1M, VA(27), UTIL_MB}};
    for (unsigned i = 0; i < 2; i++) {
        l4_cptr_t a = util_new(cases[i].type, 0), b = util_new(cases[i].type, 0);
        CHECK_EQ(l4_frame_map(a, cases[i].va, RW, L4_ATTR_EXECUTE_NEVER, V), L4_ERR_OK);
        for (l4_word_t off = 0; off < cases[i].size; off += 0x1000)
            *word_at(cases[i].va + off) = 0xa000 + off; /* every page in the TLB */
        CHECK_EQ(l4_frame_unmap(a), L4_ERR_OK);
        CHECK_EQ(l4_frame_map(b, cases[i].va, RW, L4_ATTR_EXECUTE_NEVER, V), L4_ERR_OK);
        for (l4_word_t off = 0; off < cases[i].size; off += 0x1000)
            CHECK_EQ(*word_at(cases[i].va + off), 0);
        CHECK_EQ(l4_frame_unmap(b), L4_ERR_OK);
        util_delete(a);
        util_delete(b);
    }
}

TEST(vspace_two_copies_of_a_frame_map_the_same_memory)
{
    const l4_word_t va = VA(17);
    l4_cptr_t f = util_map_new_frame(va);
    l4_cptr_t f2 = util_copy(f, L4_RIGHTS_ALL);
    CHECK_EQ(l4_frame_map(f2, va + 0x1000, RW, 0, V), L4_ERR_OK);
    *word_at(va + 0x10) = 77;
    CHECK_EQ(*word_at(va + 0x1010), 77);
    l4_word_t a = 0, b = 1;
    CHECK_EQ(l4_frame_get_address(f, &a), L4_ERR_OK);
    CHECK_EQ(l4_frame_get_address(f2, &b), L4_ERR_OK);
    CHECK_EQ(a, b);
}

TEST(vspace_large_frames_are_usable_end_to_end)
{
    new_pt(VA(18));
    l4_cptr_t f64 = util_new(L4_OBJ_FRAME_64K, 0), f1m = util_new(L4_OBJ_FRAME_1M, 0);
    CHECK_EQ(l4_frame_map(f64, VA(18) + 0x20000, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f1m, VA(19), RW, 0, V), L4_ERR_OK);
    volatile l4_word_t *p = word_at(VA(18) + 0x20000), *q = word_at(VA(19));
    p[0] = 1;
    p[0x3fff] = 2; /* last word of 64 KiB */
    q[0] = 3;
    q[0x3ffff] = 4; /* last word of 1 MiB */
    CHECK_EQ(p[0] + p[0x3fff] + q[0] + q[0x3ffff], 10);
    /* 4 KiB mappings next to the 64 KiB frame in the same table */
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(f, VA(18) + 0x30000, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(util_new(L4_OBJ_FRAME_4K, 0), VA(18) + 0x2f000, RW, 0, V),
             L4_ERR_ALREADY_MAPPED);
    l4_word_t a = 0;
    CHECK_EQ(l4_frame_get_address(f1m, &a), L4_ERR_OK);
    CHECK_EQ(a & 0xfffff, 0);
    CHECK_EQ(l4_frame_get_address(f64, &a), L4_ERR_OK);
    CHECK_EQ(a & 0xffff, 0);
}

TEST(vspace_deleting_a_frame_cap_unmaps_it)
{
    const l4_word_t va = VA(20);
    l4_cptr_t f = util_map_new_frame(va);
    *word_at(va) = 0x5555;
    util_delete(f);
    l4_cptr_t g = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(g, va, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(*word_at(va), 0);
}

TEST(vspace_deleting_a_page_table_unmaps_its_frames)
{
    l4_cptr_t pt = new_pt(VA(21));
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(f, VA(21), RW, 0, V), L4_ERR_OK);
    util_delete(pt);
    CHECK_EQ(l4_frame_map(f, VA(21), RW, 0, V), L4_ERR_NOT_MAPPED);
    new_pt(VA(21));
    CHECK_EQ(l4_frame_map(f, VA(21), RW, 0, V), L4_ERR_OK);
}

TEST(vspace_deleting_a_page_directory_unmaps_everything_in_it)
{
    l4_cptr_t pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0), f = util_new(L4_OBJ_FRAME_4K, 0);
    l4_cptr_t f1m = util_new(L4_OBJ_FRAME_1M, 0);
    CHECK_EQ(l4_page_table_map(pt, VA(22), 0, pd), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, VA(22), RW, 0, pd), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f1m, VA(23), RW, 0, pd), L4_ERR_OK);
    /* f holds its mapping (in pd); the root's directory is independent */
    util_map_new_frame(VA(22));
    CHECK_EQ(l4_frame_map(f, VA(22) + 0x1000, RW, 0, V), L4_ERR_ALREADY_MAPPED);
    util_delete(pd);
    /* every cap became unmapped: they map into the root's directory now */
    CHECK_EQ(l4_page_table_map(pt, VA(24), 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, VA(24), RW, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f1m, VA(23), RW, 0, V), L4_ERR_OK);
}

TEST(vspace_page_directories_run_out_of_asids_and_get_them_back)
{
    /* 255 hardware ASIDs; the root task holds one */
    l4_cptr_t s = util_slots(256);
    unsigned n = 0;
    l4_word_t e = L4_ERR_OK;
    for (; n < 256; n++) {
        e = l4_untyped_retype(util_pool(), L4_OBJ_PAGE_DIRECTORY, 0, 0, 0, s + n, 1,
                              L4_CAP_INIT_CNODE);
        if (e != L4_ERR_OK)
            break;
    }
    CHECK_EQ(e, L4_ERR_NOT_ENOUGH_MEMORY);
    CHECK_EQ(n, 254);
    util_delete(s + 100);
    CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_PAGE_DIRECTORY, 0, 0, 0, s + 100, 1,
                               L4_CAP_INIT_CNODE),
             L4_ERR_OK);
    CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_PAGE_DIRECTORY, 0, 0, 0, s + 254, 1,
                               L4_CAP_INIT_CNODE),
             L4_ERR_NOT_ENOUGH_MEMORY);
}

TEST(vspace_frame_get_address_distinguishes_frames)
{
    l4_cptr_t a = util_new(L4_OBJ_FRAME_4K, 0), b = util_new(L4_OBJ_FRAME_4K, 0);
    l4_word_t pa = 0, pb = 0;
    CHECK_EQ(l4_frame_get_address(a, &pa), L4_ERR_OK);
    CHECK_EQ(l4_frame_get_address(b, &pb), L4_ERR_OK);
    CHECK(pa != pb);
    CHECK_EQ(pa & 0xfff, 0);
    l4_word_t ra = 0;
    CHECK_EQ(l4_frame_get_address(L4_CAP_INIT_IPC_BUFFER, &ra), L4_ERR_OK);
    CHECK(ra >= 0x40000000u && ra < 0x50000000u);
}

/* Move a cap within the root CNode; returns the new slot. */
static l4_cptr_t move(l4_cptr_t from)
{
    l4_cptr_t to = util_slot();
    CHECK_EQ(l4_cnode_move(L4_CAP_INIT_CNODE, to, 32, from, 32, L4_CAP_INIT_CNODE), L4_ERR_OK);
    CHECK(util_slot_is_empty(from));
    return to;
}

/* A mapped frame cap of each size, moved: the mapping stays usable, and
 * unmapping through the new slot removes it (the table's record of which
 * slot mapped each entry followed the move), so a new frame maps there. */
TEST(vspace_moved_mapped_frames_keep_their_mapping_and_unmap_from_the_new_slot)
{
    static const l4_word_t types[] = {L4_OBJ_FRAME_4K, L4_OBJ_FRAME_64K, L4_OBJ_FRAME_1M};
    for (unsigned k = 0; k < 3; k++) {
        const l4_word_t va = VA(25 + k);
        if (types[k] != L4_OBJ_FRAME_1M)
            new_pt(va);
        l4_cptr_t f = util_new(types[k], 0);
        CHECK_EQ(l4_frame_map(f, va, RW, 0, V), L4_ERR_OK);
        *word_at(va + 0x100) = 0xf00d0000u + k;
        l4_cptr_t g = move(f);
        CHECK_EQ(*word_at(va + 0x100), 0xf00d0000u + k);
        l4_cptr_t h = util_new(types[k], 0);
        CHECK_EQ(l4_frame_map(h, va, RW, 0, V), L4_ERR_ALREADY_MAPPED);
        CHECK_EQ(l4_frame_unmap(g), L4_ERR_OK);
        CHECK_EQ(l4_frame_map(h, va, RW, 0, V), L4_ERR_OK);
        CHECK_EQ(*word_at(va + 0x100), 0); /* h's memory, not g's */
    }
}

/* A mapped page table cap, moved: unmapping it through the new slot takes
 * it out of the directory, so another page table maps at its place, and
 * the frames that were in it are unmapped. */
TEST(vspace_moved_mapped_page_table_unmaps_from_the_new_slot)
{
    const l4_word_t va = VA(29);
    l4_cptr_t pt = new_pt(va), f = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(f, va + 0x3000, RW, 0, V), L4_ERR_OK);
    *word_at(va + 0x3000) = 0xbeef;
    l4_cptr_t moved = move(pt);
    CHECK_EQ(*word_at(va + 0x3000), 0xbeef);
    l4_cptr_t pt2 = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt2, va, 0, V), L4_ERR_ALREADY_MAPPED);
    CHECK_EQ(l4_page_table_unmap(moved), L4_ERR_OK);
    CHECK_EQ(l4_page_table_map(pt2, va, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, va + 0x3000, RW, 0, V), L4_ERR_OK); /* f was unmapped with it */
    CHECK_EQ(*word_at(va + 0x3000), 0xbeef);
}

/* Caps moved after mapping into another directory: destroying the
 * directory marks the moved caps unmapped, so they map again. */
TEST(vspace_deleting_a_page_directory_unmaps_caps_moved_after_mapping)
{
    l4_cptr_t pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0), f = util_new(L4_OBJ_FRAME_64K, 0);
    l4_cptr_t f1m = util_new(L4_OBJ_FRAME_1M, 0);
    CHECK_EQ(l4_page_table_map(pt, VA(30), 0, pd), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, VA(30) + 0x10000, RW, 0, pd), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f1m, VA(31), RW, 0, pd), L4_ERR_OK);
    pt = move(pt);
    f = move(f);
    f1m = move(f1m);
    util_delete(pd);
    CHECK_EQ(l4_page_table_map(pt, VA(32), 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, VA(32), RW, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f1m, VA(33), RW, 0, V), L4_ERR_OK);
}

/* Destroying a page directory with 512 page tables takes far longer than
 * the probe's 200 us: the interrupt arrives during the destruction, which
 * stops at its next entry (the woken thread runs while the last table is
 * still in the directory), then resumes and finishes. */
TEST(vspace_page_directory_destruction_is_preempted_by_an_interrupt_and_completes)
{
    util_root_lower();
    l4_cptr_t last, pd = util_big_pd(512, &last);
    util_thread_t *t = util_interrupt_probe(last, 12500);
    util_delete(pd);
    util_interrupt_probe_end();
    CHECK_EQ(t->r[1], 1);
    CHECK_EQ(t->r[2], L4_ERR_OK);
    CHECK_EQ(t->r[0], L4_ERR_ALREADY_MAPPED);                   /* it ran before the end */
    CHECK_EQ(l4_page_table_map(last, VA(34), 0, V), L4_ERR_OK); /* and the end came */
}
