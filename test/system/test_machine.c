/* SPDX-License-Identifier: BSD-2-Clause */
/* Machine control (L4_OBJ_MACHINE, L4_CAP_MACHINE): the kernel console and
 * shutdown are capability-guarded; the old debug system calls are gone
 * from every configuration but debug (test/config/ checks that one). A
 * successful machine_shutdown ends every test image (exit() in the root). */
#include "util.h"

#define W L4_RIGHT_WRITE

/* machine_console_write with `len` message words for `count` bytes. */
static l4_word_t console_raw(l4_cptr_t m, l4_word_t count, l4_word_t len)
{
    l4_word_t mr[L4_MSG_MAX_WORDS] = {count};
    for (l4_word_t i = 1; i < len && i < L4_MSG_MAX_WORDS; i++)
        mr[i] = 0x2e2e2e2eu; /* "...." */
    return l4_invoke(m, L4_MACHINE_CONSOLE_WRITE, mr, len, 0, 0, 0, 0);
}

TEST(machine_console_write_prints_through_the_capability)
{
    static const char line[] = "(machine console: a line)\n";
    CHECK_EQ(l4_machine_console_write(L4_CAP_MACHINE, sizeof line - 1, line), L4_ERR_OK);
    CHECK_EQ(l4_machine_console_write(L4_CAP_MACHINE, 0, ""), L4_ERR_OK);
    /* the most one call carries: 63 words of 4 bytes */
    char buf[L4_MACHINE_CONSOLE_MAX];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = i + 1 == sizeof buf ? '\n' : '=';
    CHECK_EQ(l4_machine_console_write(L4_CAP_MACHINE, sizeof buf, buf), L4_ERR_OK);
    CHECK_EQ(l4_console_puts("(libl4 console hook: the default goes to L4_CAP_MACHINE)\n"),
             L4_ERR_OK);
}

TEST(machine_console_write_length_errors)
{
    /* more than one message can carry */
    CHECK_EQ(console_raw(L4_CAP_MACHINE, L4_MACHINE_CONSOLE_MAX + 1, L4_MSG_MAX_WORDS),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(console_raw(L4_CAP_MACHINE, 0xffffffffu, 2), L4_ERR_RANGE_ERROR);
    /* fewer words than the count needs: 9 bytes need 1 + 3 words */
    CHECK_EQ(console_raw(L4_CAP_MACHINE, 9, 3), L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(console_raw(L4_CAP_MACHINE, 1, 1), L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(console_raw(L4_CAP_MACHINE, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(console_raw(L4_CAP_MACHINE, 9, 4), L4_ERR_OK); /* "........." */
    CHECK_EQ(l4_machine_console_write(L4_CAP_MACHINE, 1, "\n"), L4_ERR_OK);
}

TEST(machine_shutdown_errors_leave_the_machine_running)
{
    /* no status word */
    CHECK_EQ(l4_invoke(L4_CAP_MACHINE, L4_MACHINE_SHUTDOWN, 0, 0, 0, 0, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    /* a console-only copy (WRITE) prints but cannot stop the machine */
    l4_cptr_t con = util_copy(L4_CAP_MACHINE, W);
    CHECK_EQ(l4_machine_console_write(con, 1, "\n"), L4_ERR_OK);
    CHECK_EQ(l4_machine_shutdown(con, 9), L4_ERR_INSUFFICIENT_RIGHTS);
    l4_cptr_t rg = util_copy(L4_CAP_MACHINE, L4_RIGHT_READ | L4_RIGHT_GRANT);
    CHECK_EQ(l4_machine_shutdown(rg, 9), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_machine_console_write(rg, 1, "x"), L4_ERR_INSUFFICIENT_RIGHTS);
    /* unknown method */
    l4_word_t mr[2] = {0};
    CHECK_EQ(l4_invoke(L4_CAP_MACHINE, L4_MACHINE_SHUTDOWN + 2, mr, 2, 0, 0, 0, 0),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_invoke(L4_CAP_MACHINE, L4_TCB_CONFIGURE, mr, 2, 0, 0, 0, 0),
             L4_ERR_ILLEGAL_OPERATION);
}

TEST(machine_capability_copies_are_children_and_not_retypeable)
{
    l4_cptr_t c = util_copy(L4_CAP_MACHINE, L4_RIGHTS_ALL);
    l4_cptr_t cc = util_copy(c, W);
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, c, 32), L4_ERR_OK);
    CHECK(util_slot_is_empty(cc));
    util_delete(c);
    /* the original is untouched */
    CHECK_EQ(l4_machine_console_write(L4_CAP_MACHINE, 1, "\n"), L4_ERR_OK);
    /* there is no machine object to make */
    l4_cptr_t s;
    CHECK_EQ(util_try_new(L4_OBJ_MACHINE, 0, &s), L4_ERR_INVALID_ARGUMENT);
    /* badges are for endpoints and notifications */
    l4_cptr_t d = util_slot();
    CHECK_EQ(l4_cnode_mint(L4_CAP_INIT_CNODE, d, 32, L4_CAP_MACHINE, 32, W, 5, L4_CAP_INIT_CNODE),
             L4_ERR_INVALID_ARGUMENT);
}

/* A thread whose CSpace is a small CNode without the machine capability:
 * slot 1 its fault endpoint, slot 2 (optionally) a granted machine cap,
 * slot 3 its own TCB (to stop itself when done). */
static void no_cap_body(util_thread_t *t)
{
    t->r[0] = l4_machine_shutdown(L4_CAP_MACHINE, 5);
    t->r[1] = l4_machine_console_write(L4_CAP_MACHINE, 2, "no");
    t->r[2] = l4_machine_console_write(2, 24, "(granted console write)\n");
    t->r[8] = 1;
    /* the retired system calls: unknown-syscall faults (pc stays at the svc,
     * the handler moves it on) */
    register l4_word_t r0 __asm__("r0") = 3;
    register l4_word_t r7 __asm__("r7") = L4_SYS_RESERVED_2;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r7) : "memory");
    t->r[3] = 1;
    r7 = L4_SYS_DEBUG_PUTC;
    r0 = 'X';
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r7) : "memory");
    t->r[4] = 1;
}

static util_thread_t *start_without_machine_cap(l4_cptr_t ep, l4_cptr_t granted)
{
    l4_cptr_t cn = util_cnode(4);
    CHECK_EQ(l4_cnode_copy(cn, 1, 4, ep, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE), L4_ERR_OK);
    if (granted)
        CHECK_EQ(l4_cnode_copy(cn, 2, 4, granted, 32, W, L4_CAP_INIT_CNODE), L4_ERR_OK);
    util_thread_t *t = util_thread_create(no_cap_body, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_cnode_copy(cn, 3, 4, t->tcb, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE), L4_ERR_OK);
    t->self = 3;
    CHECK_EQ(l4_tcb_configure(t->tcb, 1, 28, t->ipc_buffer, cn, L4_CAP_INIT_VSPACE, t->ipc_frame),
             L4_ERR_OK);
    util_thread_start(t);
    return t;
}

/* Receive the thread's unknown-syscall fault for `sysno`, then move it past
 * the svc (docs/api.md section 7) and resume it. */
static void expect_unknown_syscall(l4_cptr_t ep, util_thread_t *t, l4_word_t sysno)
{
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNKNOWN_SYSCALL);
    CHECK_EQ(m.mr[1], sysno);
    l4_word_t svc_pc = m.mr[0];
    m = util_msg(1, 0, 0, 0, 0, 0); /* leave it stopped */
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(regs[15], svc_pc); /* the saved pc is the svc itself */
    regs[15] += 4;
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
}

TEST(machine_thread_without_the_capability_cannot_stop_or_print)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_without_machine_cap(ep, 0);
    CHECK_EQ(t->r[8], 1);
    CHECK_EQ(t->r[0], L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(t->r[1], L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(t->r[2], L4_ERR_FAILED_LOOKUP);
    /* svc 2 (was debug_shutdown) and svc 1 (debug_putc, debug kernels only) */
    CHECK_EQ(t->r[3], 0);
    expect_unknown_syscall(ep, t, L4_SYS_RESERVED_2);
    CHECK_EQ(t->r[3], 1);
    CHECK_EQ(t->r[4], 0);
    expect_unknown_syscall(ep, t, L4_SYS_DEBUG_PUTC);
    CHECK_EQ(t->r[4], 1);
    CHECK_EQ(t->done, 1);
}

TEST(machine_capability_granted_by_copy_lets_a_thread_print)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_without_machine_cap(ep, L4_CAP_MACHINE);
    CHECK_EQ(t->r[0], L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(t->r[2], L4_ERR_OK);
    expect_unknown_syscall(ep, t, L4_SYS_RESERVED_2);
    expect_unknown_syscall(ep, t, L4_SYS_DEBUG_PUTC);
    CHECK_EQ(t->done, 1);
}
