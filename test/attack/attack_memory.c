/* SPDX-License-Identifier: BSD-2-Clause */
/* The attack suite: stale mappings and reused memory. A frame's
 * capability remembers where it was mapped; once that mapping is gone
 * (its page table or page directory destroyed), an unmap through it must
 * not remove what the same address holds now, in a new page table at the
 * same MiB or in a new page directory with the same ASID. Memory given
 * back by a revoke and retyped is never reachable through a mapping, an
 * IPC buffer or a vCPU state page of its former life. */
#include "util.h"

#define C L4_CAP_INIT_CNODE
#define V L4_CAP_INIT_VSPACE
#define RW (L4_RIGHT_READ | L4_RIGHT_WRITE)
#define VA(n) (UTIL_VADDR_TEST + (n) * UTIL_MB)

/* What a thread in address space `pd` (the root's image is not there: the
 * thread runs in the root's own space unless pd is V) reads at va: the word, or
 * ~0 after a page fault (taken by the handler, which stops the thread). */
static void reader(util_thread_t *t)
{
    t->r[0] = *(volatile l4_word_t *)t->arg[0];
    t->r[1] = 1;
}

static l4_word_t read_as_thread(l4_word_t va, l4_word_t *faulted)
{
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(reader, UTIL_PRIO_HIGH, ep);
    t->arg[0] = va;
    util_thread_start(t);
    l4_msg_t m = {0};
    if (l4_nbrecv(ep, &m) == L4_ERR_OK) {
        CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
        CHECK_EQ(m.mr[1], va);
        CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
        *faulted = 1;
        return ~0u;
    }
    CHECK_EQ(t->r[1], 1);
    *faulted = 0;
    return t->r[0];
}

static l4_cptr_t frame_with(l4_word_t word)
{
    l4_cptr_t f = util_map_new_frame(VA(30));
    *(volatile l4_word_t *)VA(30) = word;
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    return f;
}

/* F mapped at va through page table 1; page table 1 destroyed; page table
 * 2 at the same MiB, G at va: unmapping F leaves G's mapping alone. */
TEST(attack_unmap_of_a_frame_whose_page_table_died_leaves_the_new_mapping)
{
    util_root_lower();
    const l4_word_t va = VA(31) + 0x3000;
    l4_cptr_t f = frame_with(0xf), g = frame_with(0x9);
    l4_cptr_t pt1 = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt1, VA(31), 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, va, RW, 0, V), L4_ERR_OK);
    util_delete(pt1);
    l4_cptr_t pt2 = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt2, VA(31), 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(g, va, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    l4_word_t faulted;
    CHECK_EQ(read_as_thread(va, &faulted), 0x9);
    CHECK_EQ(faulted, 0);
    /* and F maps again at once, elsewhere: its cap knows it is unmapped */
    CHECK_EQ(l4_frame_map(f, va + 0x1000, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(read_as_thread(va + 0x1000, &faulted), 0xf);
}

/* The same through a page table unmapped (not destroyed) and mapped again
 * elsewhere: F's old address in it is G's now. */
TEST(attack_unmap_of_a_frame_whose_page_table_moved_leaves_the_new_mapping)
{
    util_root_lower();
    l4_cptr_t f = frame_with(0xf), g = frame_with(0x9);
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt, VA(32), 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, VA(32) + 0x2000, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_page_table_unmap(pt), L4_ERR_OK);
    CHECK_EQ(l4_page_table_map(pt, VA(33), 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(g, VA(33) + 0x2000, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    l4_word_t faulted;
    CHECK_EQ(read_as_thread(VA(33) + 0x2000, &faulted), 0x9);
    CHECK_EQ(faulted, 0);
    CHECK_EQ(read_as_thread(VA(32) + 0x2000, &faulted), ~0u); /* nothing there */
    CHECK_EQ(faulted, 1);
}

/* F mapped in page directory 1 (a 1 MiB section: no page table); PD 1
 * destroyed; PD 2 takes the same ASID (the lowest free) and maps G at the
 * same address: unmapping F leaves G's mapping in PD 2 alone, which a
 * third frame's map at that address then finds (ALREADY_MAPPED). The same
 * with 4 KiB frames through page tables of each directory. */
TEST(attack_unmap_through_a_dead_directorys_asid_leaves_its_successors_mapping)
{
    util_root_lower();
    const l4_word_t va = 0x60000000u;
    l4_cptr_t f = util_new(L4_OBJ_FRAME_1M, 0), g = util_new(L4_OBJ_FRAME_1M, 0);
    l4_cptr_t h = util_new(L4_OBJ_FRAME_1M, 0);
    l4_cptr_t pd1 = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    CHECK_EQ(l4_frame_map(f, va, RW, 0, pd1), L4_ERR_OK);
    util_delete(pd1);
    l4_cptr_t pd2 = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    CHECK_EQ(l4_frame_map(g, va, RW, 0, pd2), L4_ERR_OK);
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(h, va, RW, 0, pd2), L4_ERR_ALREADY_MAPPED);
    CHECK_EQ(l4_frame_map(f, va + UTIL_MB, RW, 0, pd2), L4_ERR_OK); /* F is free to map */

    l4_cptr_t f4 = util_new(L4_OBJ_FRAME_4K, 0), g4 = util_new(L4_OBJ_FRAME_4K, 0);
    l4_cptr_t h4 = util_new(L4_OBJ_FRAME_4K, 0);
    l4_cptr_t pd3 = util_new(L4_OBJ_PAGE_DIRECTORY, 0), pt3 = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt3, 0x61000000u, 0, pd3), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f4, 0x61000000u, RW, 0, pd3), L4_ERR_OK);
    util_delete(pd3);
    l4_cptr_t pd4 = util_new(L4_OBJ_PAGE_DIRECTORY, 0), pt4 = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt4, 0x61000000u, 0, pd4), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(g4, 0x61000000u, RW, 0, pd4), L4_ERR_OK);
    CHECK_EQ(l4_frame_unmap(f4), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(h4, 0x61000000u, RW, 0, pd4), L4_ERR_ALREADY_MAPPED);
    CHECK_EQ(l4_page_table_unmap(pt3), L4_ERR_OK); /* pt3's old place: pt4's now */
    CHECK_EQ(l4_frame_map(h4, 0x61000000u, RW, 0, pd4), L4_ERR_ALREADY_MAPPED);
}

/* Memory that was a mapped frame, revoked and retyped into kernel objects,
 * is unreachable through the old mapping: the address faults. */
TEST(attack_a_revoked_frames_mapping_does_not_reach_the_objects_made_in_its_memory)
{
    util_root_lower();
    l4_cptr_t ut = util_untyped(12), f = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_FRAME_4K, 0, 0, 0, f, 1, C), L4_ERR_OK);
    util_page_table_at(VA(35));
    CHECK_EQ(l4_frame_map(util_copy(f, L4_RIGHTS_ALL), VA(35), RW, 0, V), L4_ERR_OK);
    *(volatile l4_word_t *)VA(35) = 0x1234;
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    l4_cptr_t objs = util_slots(4);
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_TCB, 0, 0, 0, objs, 4, C), L4_ERR_OK);
    l4_word_t faulted;
    CHECK_EQ(read_as_thread(VA(35), &faulted), ~0u);
    CHECK_EQ(faulted, 1);
}

/* A thread blocked in a receive whose IPC buffer frame is revoked and
 * whose memory becomes a new frame: a long message does not write into the
 * new frame (the thread has no buffer any more). */
static void long_receiver(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[0] = l4_recv(t->arg[0], &m);
    t->r[1] = l4_msginfo_length(m.info);
}

TEST(attack_a_lost_ipc_buffer_is_never_written_in_its_memorys_next_life)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), ut = util_untyped(12), f = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_FRAME_4K, 0, 0, 0, f, 1, C), L4_ERR_OK);
    util_thread_t *t = util_thread_create(long_receiver, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, VA(36), C, V, f), L4_ERR_OK);
    t->arg[0] = ep;
    util_thread_start(t); /* waits; it never touches its buffer itself */
    CHECK_EQ(t->done, 0);
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    l4_cptr_t g = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_FRAME_4K, 0, 0, 0, g, 1, C), L4_ERR_OK);
    util_page_table_at(VA(37));
    CHECK_EQ(l4_frame_map(g, VA(37), RW, 0, V), L4_ERR_OK);
    volatile l4_word_t *p = (volatile l4_word_t *)VA(37);
    for (unsigned i = 0; i < 1024; i++)
        p[i] = 0x5a5a0000u | i;
    l4_msg_t m = util_msg(3, 20, 1, 2, 3, 4);
    for (unsigned i = 4; i < 20; i++)
        l4_ipc_buffer()[L4_IPCBUF_MSG + i] = 0xbad0000u | i;
    CHECK_EQ(l4_send(ep, &m), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    for (unsigned i = 0; i < 1024; i++)
        CHECK_EQ(p[i], 0x5a5a0000u | i);
}
