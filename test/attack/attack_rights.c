/* SPDX-License-Identifier: BSD-2-Clause */
/* The attack suite (issue 7, rerun with neighbours of every case), written
 * from docs/api.md: every system call and invocation that takes a
 * capability gets that capability with each of the eight combinations of
 * READ, WRITE and GRANT, and must succeed exactly when the rights its use
 * needs are there, else answer the error docs/api.md names. */
#include <stdio.h>
#include "util.h"

void ktest_after_each(void);

#define C L4_CAP_INIT_CNODE
#define R L4_RIGHT_READ
#define W L4_RIGHT_WRITE
#define G L4_RIGHT_GRANT
#define RW (L4_RIGHT_READ | L4_RIGHT_WRITE)

/* A thread that serves one call on arg[0] with a reply of label 3. */
static void one_reply(util_thread_t *t)
{
    l4_msg_t m = {0};
    t->r[0] = l4_recv(t->arg[0], &m);
    m = util_msg(3, 0, 0, 0, 0, 0);
    t->r[1] = l4_reply(&m);
}

/* A thread that sends one message on arg[0] (blocking). */
static void one_send(util_thread_t *t)
{
    l4_msg_t m = util_msg(5, 1, 0x55, 0, 0, 0);
    t->r[0] = l4_send(t->arg[0], &m);
}

static util_thread_t *partner(util_thread_fn fn, l4_cptr_t ep)
{
    util_thread_t *t = util_thread_create(fn, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    util_thread_start(t);
    return t;
}

/* Each attempt makes fresh objects (the pool is revoked after the test):
 * `cap` is the capability under test, a copy with `rights`. */
static l4_word_t try_nbsend(l4_word_t rights)
{
    l4_msg_t m = {0};
    return l4_nbsend(util_copy(util_endpoint(), rights), &m);
}
static l4_word_t try_send(l4_word_t rights)
{
    l4_cptr_t ep = util_endpoint();
    partner(one_reply, ep); /* waits in recv */
    l4_msg_t m = util_msg(1, 0, 0, 0, 0, 0);
    return l4_send(util_copy(ep, rights), &m);
}
static l4_word_t try_call(l4_word_t rights)
{
    l4_cptr_t ep = util_endpoint();
    partner(one_reply, ep);
    l4_msg_t m = util_msg(1, 0, 0, 0, 0, 0);
    return l4_call(util_copy(ep, rights), &m); /* the IPC fastpath's case */
}
static l4_word_t try_call_long(l4_word_t rights)
{
    l4_cptr_t ep = util_endpoint();
    partner(one_reply, ep);
    l4_msg_t m = util_msg(1, 6, 0, 0, 0, 0); /* long: the slow path */
    return l4_call(util_copy(ep, rights), &m);
}
static l4_word_t try_recv(l4_word_t rights)
{
    l4_cptr_t ep = util_endpoint();
    partner(one_send, ep); /* queued in send */
    l4_msg_t m = {0};
    return l4_recv(util_copy(ep, rights), &m);
}
static l4_word_t try_nbrecv(l4_word_t rights)
{
    l4_cptr_t ep = util_endpoint();
    partner(one_send, ep);
    l4_msg_t m = {0};
    return l4_nbrecv(util_copy(ep, rights), &m);
}
static l4_word_t try_reply_recv(l4_word_t rights)
{
    l4_cptr_t ep = util_endpoint();
    partner(one_send, ep);
    l4_msg_t m = {0};
    return l4_reply_recv(util_copy(ep, rights), &m); /* no caller: just receives */
}
static l4_word_t try_signal(l4_word_t rights)
{
    return l4_signal(util_copy(util_notification(), rights));
}
static l4_word_t try_poll(l4_word_t rights)
{
    l4_cptr_t n = util_notification();
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    return l4_poll(util_copy(n, rights), NULL);
}
static l4_word_t try_wait(l4_word_t rights)
{
    l4_cptr_t n = util_notification();
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    return l4_wait(util_copy(n, rights), NULL);
}
static l4_word_t try_bind(l4_word_t rights)
{
    return l4_tcb_bind_notification(util_new(L4_OBJ_TCB, 0), util_copy(util_notification(), rights));
}
static l4_word_t try_irq_notification(l4_word_t rights)
{
    l4_cptr_t h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, UTIL_TEST_IRQ, h, 32, C), L4_ERR_OK);
    l4_word_t e = l4_irq_handler_set_notification(h, util_copy(util_notification(), rights));
    util_delete(h);
    return e;
}
static l4_word_t try_configure_ipc_frame(l4_word_t rights)
{
    l4_cptr_t t = util_new(L4_OBJ_TCB, 0), f = util_new(L4_OBJ_FRAME_4K, 0);
    return l4_tcb_configure(t, 0, 0, UTIL_VADDR_TEST, C, L4_CAP_INIT_VSPACE, util_copy(f, rights));
}
static l4_word_t try_set_fault_regs(l4_word_t rights)
{
    return l4_tcb_set_fault_regs(util_copy(util_new(L4_OBJ_TCB, 0), rights), 1);
}
static l4_word_t try_vcpu_state_frame(l4_word_t rights)
{
    l4_cptr_t t = util_new(L4_OBJ_TCB, 0), f = util_new(L4_OBJ_FRAME_4K, 0);
    return l4_vcpu_bind(util_new(L4_OBJ_VCPU, 0), t, util_copy(f, rights));
}
static l4_word_t try_frame_map(l4_word_t rights)
{
    util_page_table_at(UTIL_VADDR_TEST);
    l4_cptr_t f = util_copy(util_new(L4_OBJ_FRAME_4K, 0), rights);
    l4_word_t e = l4_frame_map(f, UTIL_VADDR_TEST, RW, 0, L4_CAP_INIT_VSPACE);
    if (e == L4_ERR_OK)
        CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    return e;
}
static l4_word_t try_console_write(l4_word_t rights)
{
    l4_cptr_t mc = util_copy(L4_CAP_MACHINE, rights);
    return l4_machine_console_write(mc, 0, 0); /* nothing printed */
}
/* shutdown: only the refusals run (success stops the machine); a status
 * outside 0..255 is never reached before the rights check. */
static l4_word_t try_shutdown(l4_word_t rights)
{
    if (rights == L4_RIGHTS_ALL)
        return L4_ERR_OK;
    return l4_machine_shutdown(util_copy(L4_CAP_MACHINE, rights), 1);
}

typedef struct {
    const char *name;
    l4_word_t (*attempt)(l4_word_t rights);
    l4_word_t need;    /* the rights the use needs */
    l4_word_t ok;      /* the answer with them */
    l4_word_t refused; /* the answer without */
} rights_case_t;

static const rights_case_t cases[] = {
    {"nbsend", try_nbsend, W, L4_ERR_WOULD_BLOCK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"send", try_send, W, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"call", try_call, W, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"call long", try_call_long, W, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"recv", try_recv, R, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"nbrecv", try_nbrecv, R, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"reply_recv", try_reply_recv, R, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"signal", try_signal, W, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"poll", try_poll, R, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"wait", try_wait, R, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"tcb_bind_notification", try_bind, R, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"irq_handler_set_notification", try_irq_notification, W, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"tcb_configure ipc_buffer_frame", try_configure_ipc_frame, RW, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"vcpu_bind state_frame", try_vcpu_state_frame, RW, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"frame_map", try_frame_map, R, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"machine_console_write", try_console_write, W, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"machine_shutdown", try_shutdown, L4_RIGHTS_ALL, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
    {"tcb_set_fault_regs", try_set_fault_regs, RW, L4_ERR_OK, L4_ERR_INSUFFICIENT_RIGHTS},
};

static void rights_case(const rights_case_t *c)
{
    for (l4_word_t rights = 0; rights <= L4_RIGHTS_ALL; rights++) {
        l4_word_t want = (rights & c->need) == c->need ? c->ok : c->refused;
        l4_word_t got = c->attempt(rights);
        if (got != want) {
            printf("[attack] %s with rights %lu: %lu, not %lu\n", c->name, (unsigned long)rights,
                   (unsigned long)got, (unsigned long)want);
            CHECK_EQ(got, want);
        }
        ktest_after_each(); /* a fresh pool, slots and priority for the next */
        util_root_lower();
    }
}

#define RIGHTS_TEST(i, name)                                                                      \
    TEST(attack_rights_##name) { rights_case(&cases[i]); }
RIGHTS_TEST(0, nbsend_needs_write)
RIGHTS_TEST(1, send_needs_write)
RIGHTS_TEST(2, call_fastpath_needs_write)
RIGHTS_TEST(3, call_long_needs_write)
RIGHTS_TEST(4, recv_needs_read)
RIGHTS_TEST(5, nbrecv_needs_read)
RIGHTS_TEST(6, reply_recv_needs_read)
RIGHTS_TEST(7, signal_needs_write)
RIGHTS_TEST(8, poll_needs_read)
RIGHTS_TEST(9, wait_needs_read)
RIGHTS_TEST(10, tcb_bind_notification_needs_read)
RIGHTS_TEST(11, irq_set_notification_needs_write)
RIGHTS_TEST(12, tcb_configure_ipc_buffer_needs_read_write)
RIGHTS_TEST(13, vcpu_bind_state_frame_needs_read_write)
RIGHTS_TEST(14, frame_map_needs_read)
RIGHTS_TEST(15, machine_console_write_needs_write)
RIGHTS_TEST(16, machine_shutdown_needs_all)
RIGHTS_TEST(17, tcb_set_fault_regs_needs_read_write)

/* Every row above has its test: a case added to the table without one
 * fails here. */
TEST(attack_rights_table_is_complete)
{
    CHECK_EQ(sizeof cases / sizeof cases[0], 18);
}

/* --- capability transfer ----------------------------------------------------- */

/* Receive one message on arg[0] into the slot arg[1]: r[0] error, r[1]
 * info (caps count), r[2] the badge word of the first cap. */
static void cap_receiver(util_thread_t *t)
{
    l4_set_receive_slot(C, t->arg[1], 32);
    l4_msg_t m = {0};
    t->r[0] = l4_recv(t->arg[0], &m);
    t->r[1] = m.info;
    t->r[2] = l4_get_cap_badge(0);
}

static util_thread_t *start_cap_receiver(l4_cptr_t ep, l4_cptr_t dest)
{
    util_thread_t *t = util_thread_create(cap_receiver, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    t->arg[1] = dest;
    util_thread_start(t);
    CHECK_EQ(t->done, 0);
    return t;
}

static l4_word_t send_cap(l4_cptr_t ep, l4_cptr_t cap)
{
    l4_msg_t m = util_msg(4, 0, 0, 0, 0, 0);
    m.info = l4_msginfo(4, 1, 0);
    l4_set_cap(0, cap);
    return l4_send(ep, &m);
}

/* Without GRANT on the sender's capability the message arrives without
 * its capabilities, whatever other rights it has. */
TEST(attack_transfer_without_grant_delivers_no_capability)
{
    util_root_lower();
    for (l4_word_t rights = 0; rights <= L4_RIGHTS_ALL; rights++) {
        if (!(rights & W))
            continue;
        l4_cptr_t ep = util_endpoint(), dest = util_slot();
        util_thread_t *t = start_cap_receiver(ep, dest);
        CHECK_EQ(send_cap(util_copy(ep, rights), util_notification()), L4_ERR_OK);
        CHECK_EQ(t->done, 1);
        CHECK_EQ(t->r[0], L4_ERR_OK);
        CHECK_EQ(l4_msginfo_caps(t->r[1]), (rights & G) ? 1 : 0);
        CHECK_EQ(util_slot_is_empty(dest), (rights & G) ? 0 : 1);
    }
}

/* A transferred capability keeps the sender's rights, never more: a
 * write-only notification received cannot be waited on. */
TEST(attack_transfer_never_widens_rights)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), dest = util_slot(), n = util_notification();
    util_thread_t *t = start_cap_receiver(ep, dest);
    CHECK_EQ(send_cap(ep, util_copy(n, W)), L4_ERR_OK);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_caps(t->r[1]), 1);
    CHECK_EQ(l4_signal(dest), L4_ERR_OK);
    CHECK_EQ(l4_poll(dest, NULL), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_tcb_bind_notification(util_new(L4_OBJ_TCB, 0), dest), L4_ERR_INSUFFICIENT_RIGHTS);
    l4_cptr_t wider = util_slot();
    CHECK_EQ(l4_cnode_copy(C, wider, 32, dest, 32, L4_RIGHTS_ALL, C), L4_ERR_OK);
    CHECK_EQ(l4_poll(wider, NULL), L4_ERR_INSUFFICIENT_RIGHTS);
}

/* The receiver learns a badge for endpoint and notification capabilities
 * only (docs/api.md, section 3: "badges of received capabilities"); for
 * any other type the word is 0, not whatever the kernel keeps there (a
 * page directory's ASID, a CNode's guard). */
TEST(attack_transfer_reports_no_badge_for_unbadged_types)
{
    util_root_lower();
    l4_cptr_t pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    l4_cptr_t cn = util_slot();
    CHECK_EQ(l4_cnode_mint(C, cn, 32, util_cnode(4), 32, L4_RIGHTS_ALL, 4 | (0x9 << 5), C), L4_ERR_OK);
    l4_cptr_t sent[] = {pd, cn, util_new(L4_OBJ_TCB, 0), util_new(L4_OBJ_VCPU, 0)};
    for (unsigned i = 0; i < sizeof sent / sizeof sent[0]; i++) {
        l4_cptr_t ep = util_endpoint(), dest = util_slot();
        util_thread_t *t = start_cap_receiver(ep, dest);
        CHECK_EQ(send_cap(ep, sent[i]), L4_ERR_OK);
        CHECK_EQ(l4_msginfo_caps(t->r[1]), 1);
        CHECK_EQ(t->r[2], 0);
    }
    l4_cptr_t ep = util_endpoint(), dest = util_slot();
    util_thread_t *t = start_cap_receiver(ep, dest);
    CHECK_EQ(send_cap(ep, util_mint(util_notification(), L4_RIGHTS_ALL, 0x77)), L4_ERR_OK);
    CHECK_EQ(t->r[2], 0x77);
}

/* Capabilities whose copies would break their uniqueness are neither
 * copied nor transferred: reply (one-shot), untyped, IRQ control. */
static void one_call(util_thread_t *t)
{
    l4_msg_t m = util_msg(6, 0, 0, 0, 0, 0);
    t->r[0] = l4_call(t->arg[0], &m);
    t->r[1] = l4_msginfo_label(m.info);
}

TEST(attack_reply_untyped_and_irq_control_caps_cannot_be_copied_or_sent)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), cep = util_endpoint();
    util_thread_t *c = partner(one_call, cep);
    l4_msg_t m = {0};
    CHECK_EQ(l4_recv(cep, &m), L4_ERR_OK);
    l4_cptr_t rc = util_slot();
    CHECK_EQ(l4_cnode_save_caller(C, rc, 32), L4_ERR_OK);
    l4_cptr_t sent[] = {rc, util_untyped(12), L4_CAP_IRQ_CONTROL};
    for (unsigned i = 0; i < sizeof sent / sizeof sent[0]; i++) {
        CHECK_EQ(l4_cnode_copy(C, util_slot(), 32, sent[i], 32, L4_RIGHTS_ALL, C), L4_ERR_ILLEGAL_OPERATION);
        CHECK_EQ(l4_cnode_mint(C, util_slot(), 32, sent[i], 32, L4_RIGHTS_ALL, 0, C), L4_ERR_ILLEGAL_OPERATION);
        l4_cptr_t dest = util_slot();
        util_thread_t *t = start_cap_receiver(ep, dest);
        CHECK_EQ(send_cap(ep, sent[i]), L4_ERR_OK);
        CHECK_EQ(t->r[0], L4_ERR_OK);
        CHECK_EQ(l4_msginfo_caps(t->r[1]), 0);
        CHECK(util_slot_is_empty(dest));
    }
    /* the reply capability is still the one: it answers the caller once */
    m = util_msg(8, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_send(rc, &m), L4_ERR_OK);
    CHECK_EQ(c->done, 1);
    CHECK_EQ(c->r[0], L4_ERR_OK);
    CHECK_EQ(c->r[1], 8);
    CHECK(util_slot_is_empty(rc));
}
