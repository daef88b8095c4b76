/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread never keeps using an object whose capabilities were removed
 * behind its back: the TCB's own copies (address space, IPC buffer, vCPU
 * state page) are children of the caps given to configure/bind, so
 * revoking those removes the copies, and the thread lets go at once. */
#include "util.h"

static void idle_fn(util_thread_t *t)
{
    (void)t;
}

TEST(lifetime_revoking_a_threads_page_directory_stops_it)
{
    util_root_lower();
    util_thread_t *t = util_thread_create(idle_fn, UTIL_PRIO_LOW, 0);
    l4_cptr_t pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, 0, L4_CAP_INIT_CNODE, pd, L4_CAP_NULL), L4_ERR_OK);
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_OK);
    /* the TCB holds a copy of pd: revoking pd removes it */
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, pd, 32), L4_ERR_OK);
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_ILLEGAL_OPERATION); /* no address space */
    util_delete(pd); /* the page directory is destroyed, its ASID freed */
    l4_word_t regs[1];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, 1, regs), L4_ERR_OK); /* the TCB is intact */
}

TEST(lifetime_revoking_a_threads_ipc_buffer_frame_truncates_long_messages)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(idle_fn, UTIL_PRIO_LOW, 0);
    /* the thread's IPC buffer frame cap is t->ipc_frame: revoke it */
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, t->ipc_frame, 32), L4_ERR_OK);
    (void)ep;
    /* configure needs no buffer; invoking with >4 words then truncates */
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, 0, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, L4_CAP_NULL),
             L4_ERR_OK);
}

TEST(lifetime_page_table_caps_cannot_be_copied)
{
    util_root_lower();
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(
        l4_cnode_copy(L4_CAP_INIT_CNODE, util_slot(), 32, pt, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
        L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_cnode_mint(L4_CAP_INIT_CNODE, util_slot(), 32, pt, 32, L4_RIGHTS_ALL, 0,
                           L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    l4_cptr_t d = util_slot();
    CHECK_EQ(l4_cnode_move(L4_CAP_INIT_CNODE, d, 32, pt, 32, L4_CAP_INIT_CNODE), L4_ERR_OK);
}

TEST(lifetime_revoking_the_vcpu_state_frame_unbinds_the_vcpu)
{
    util_root_lower();
    l4_cptr_t v = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    util_thread_t *t = util_thread_create(idle_fn, UTIL_PRIO_LOW, 0);
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, f), L4_ERR_OK);
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, f, 32), L4_ERR_OK);
    util_delete(f);
    /* unbound: the same thread can be bound to a new vCPU */
    l4_cptr_t v2 = util_new(L4_OBJ_VCPU, 0);
    CHECK_EQ(l4_vcpu_bind(v2, t->tcb, util_new(L4_OBJ_FRAME_4K, 0)), L4_ERR_OK);
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, util_new(L4_OBJ_FRAME_4K, 0)), L4_ERR_ILLEGAL_OPERATION);
}
