/* SPDX-License-Identifier: BSD-2-Clause */
/* A frame handed to the kernel for its own use needs the rights of that use
 * (design.md 4.2): the IPC buffer of tcb_configure is read and written by
 * the kernel, the state page of vcpu_bind is written by every upcall. A
 * capability without READ and WRITE is INSUFFICIENT_RIGHTS, decided before
 * anything changes. */
#include "util.h"

#define C L4_CAP_INIT_CNODE
#define V L4_CAP_INIT_VSPACE
#define RW (L4_RIGHT_READ | L4_RIGHT_WRITE)

/* Sends a 10-word call whose words 4..9 it writes into its IPC buffer. */
static l4_cptr_t fr_ep;
static void long_sender(util_thread_t *t)
{
    for (unsigned i = 4; i < 10; i++)
        l4_set_mr(i, 0x100u + i);
    l4_msg_t m = {.info = l4_msginfo(5, 0, 10), .mr = {0, 1, 2, 3}};
    t->r[0] = l4_call(fr_ep, &m);
    t->r[1] = l4_get_mr(4); /* the reply's word 4, written by the kernel */
}

TEST(frame_rights_configure_refuses_an_ipc_buffer_without_read_and_write)
{
    util_root_lower();
    fr_ep = util_endpoint();
    util_thread_t *t = util_thread_create(long_sender, UTIL_PRIO_HIGH, 0);
    const l4_word_t other = UTIL_VADDR_TEST;
    l4_cptr_t f = util_map_new_frame(other), f64 = util_new(L4_OBJ_FRAME_64K, 0);
    /* every frame size, every lacking combination of rights */
    static const l4_word_t weak[] = {0, L4_RIGHT_READ, L4_RIGHT_WRITE, L4_RIGHT_GRANT,
                                     L4_RIGHT_READ | L4_RIGHT_GRANT,
                                     L4_RIGHT_WRITE | L4_RIGHT_GRANT};
    for (unsigned i = 0; i < sizeof weak / sizeof weak[0]; i++) {
        CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, other, C, V, util_copy(f, weak[i])),
                 L4_ERR_INSUFFICIENT_RIGHTS);
        CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, other, C, V, util_copy(f64, weak[i])),
                 L4_ERR_INSUFFICIENT_RIGHTS);
    }
    /* nothing changed: the thread still uses its own buffer, both ways */
    util_thread_start(t);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(fr_ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_length(m.info), 10);
    CHECK_EQ(l4_get_mr(9), 0x109);
    l4_set_mr(4, 0xfeed);
    m = (l4_msg_t){.info = l4_msginfo(0, 0, 5)};
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    CHECK_EQ(t->r[1], 0xfeed);
    /* READ and WRITE suffice (GRANT is not needed); without a buffer the
     * frame argument is not used, whatever its rights */
    util_thread_t *u = util_thread_create(long_sender, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_configure(u->tcb, 0, 0, other, C, V, util_copy(f, RW)), L4_ERR_OK);
    CHECK_EQ(l4_tcb_configure(u->tcb, 0, 0, 0, C, V, util_copy(f, L4_RIGHT_READ)), L4_ERR_OK);
}

/* The frame is also mapped read-only to the thread: the kernel writes the
 * buffer through the TCB's copy of the READ|WRITE cap given to configure,
 * which is the authority the caller presented. */
TEST(frame_rights_ipc_buffer_may_be_mapped_read_only_by_its_owner)
{
    util_root_lower();
    fr_ep = util_endpoint();
    util_thread_t *t = util_thread_create(long_sender, UTIL_PRIO_HIGH, 0);
    const l4_word_t ro = UTIL_VADDR_TEST + UTIL_MB;
    util_page_table_at(ro);
    l4_cptr_t view = util_copy(t->ipc_frame, L4_RIGHT_READ);
    CHECK_EQ(l4_frame_map(view, ro, RW, 0, V), L4_ERR_OK);
    util_thread_start(t);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(fr_ep, &m), L4_ERR_OK);
    l4_set_mr(4, 0x4444);
    m = (l4_msg_t){.info = l4_msginfo(0, 0, 5)};
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(t->r[1], 0x4444);
    CHECK_EQ(((volatile l4_word_t *)ro)[L4_IPCBUF_MSG + 4], 0x4444);
}

static void idle_body(util_thread_t *t)
{
    (void)t;
}

TEST(frame_rights_vcpu_bind_refuses_a_state_page_without_read_and_write)
{
    l4_cptr_t v = util_new(L4_OBJ_VCPU, 0), f = util_new(L4_OBJ_FRAME_4K, 0);
    util_thread_t *t = util_thread_create(idle_body, UTIL_PRIO_HIGH, 0);
    static const l4_word_t weak[] = {0, L4_RIGHT_READ, L4_RIGHT_WRITE,
                                     L4_RIGHT_READ | L4_RIGHT_GRANT};
    for (unsigned i = 0; i < sizeof weak / sizeof weak[0]; i++)
        CHECK_EQ(l4_vcpu_bind(v, t->tcb, util_copy(f, weak[i])), L4_ERR_INSUFFICIENT_RIGHTS);
    /* nothing was bound: the vCPU and the thread are still free */
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, util_copy(f, RW)), L4_ERR_OK);
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, util_copy(f, RW)), L4_ERR_ILLEGAL_OPERATION);
}
