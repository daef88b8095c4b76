/* SPDX-License-Identifier: BSD-2-Clause */
/* TCBs: configure, priorities and mcp, registers (with cpsr sanitising),
 * suspend and resume (also in the middle of a call), notification binding.
 * Scheduling order is in test_sched.c. */
#include "util.h"

#define C L4_CAP_INIT_CNODE
#define V L4_CAP_INIT_VSPACE

static void record_entry(util_thread_t *t)
{
    l4_word_t sp, cpsr;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr)); /* QEMU shows the mode bits */
    t->r[0] = sp;
    t->r[1] = (l4_word_t)t;
    t->r[2] = cpsr;
    t->r[3] = (l4_word_t)l4_ipc_buffer();
}

TEST(tcb_thread_starts_at_pc_with_sp_r0_and_its_ipc_buffer)
{
    util_root_lower();
    util_thread_t *t = util_thread_run(record_entry, UTIL_PRIO_HIGH);
    CHECK_EQ(t->done, 1);
    CHECK(t->r[0] < t->stack_top && t->r[0] > t->stack_top - 512);
    CHECK_EQ(t->r[1], (l4_word_t)t);
    CHECK_EQ(t->r[2] & 0x1f, 0x10); /* user mode */
    CHECK_EQ(t->r[3], t->ipc_buffer);
}

TEST(tcb_new_thread_without_configure_cannot_be_resumed)
{
    l4_cptr_t t = util_new(L4_OBJ_TCB, 0);
    CHECK_EQ(l4_tcb_resume(t), L4_ERR_ILLEGAL_OPERATION);
}

TEST(tcb_new_thread_has_mcp_0)
{
    l4_cptr_t t = util_new(L4_OBJ_TCB, 0), x = util_new(L4_OBJ_TCB, 0);
    CHECK_EQ(l4_tcb_set_priority(x, 1, t), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_set_priority(x, 0, t), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_mcp(x, 1, t), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_set_mcp(x, 0, t), L4_ERR_OK);
}

TEST(tcb_configure_errors)
{
    l4_cptr_t t = util_new(L4_OBJ_TCB, 0), ep = util_endpoint();
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0), pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    const l4_word_t buf = UTIL_VADDR_TEST;
    CHECK_EQ(l4_tcb_configure(t, 0, 0, buf, ep, V, f), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, buf, C, ep, f), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, buf, C, C, f), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, buf, C, V, ep), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, buf + 0x100, C, V, f), L4_ERR_ALIGNMENT_ERROR);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, buf + 4, C, V, f), L4_ERR_ALIGNMENT_ERROR);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, buf, util_slot(), V, f), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, buf, C, V, L4_CAP_NULL), L4_ERR_FAILED_LOOKUP);
    /* fewer than three caps / fewer than three words */
    l4_word_t mr[3] = {0, 0, buf};
    l4_cptr_t caps[3] = {C, V, f};
    CHECK_EQ(l4_invoke(t, L4_TCB_CONFIGURE, mr, 3, caps, 2, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_invoke(t, L4_TCB_CONFIGURE, mr, 2, caps, 3, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    /* nothing was configured */
    CHECK_EQ(l4_tcb_resume(t), L4_ERR_ILLEGAL_OPERATION);
    /* valid: any page directory, at a 512-byte offset, or no IPC buffer */
    CHECK_EQ(l4_tcb_configure(t, 0, 0, buf + 0x200, C, pd, f), L4_ERR_OK);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, 0, C, V, L4_CAP_NULL), L4_ERR_OK);
}

TEST(tcb_set_priority_above_mcp_is_range_error)
{
    l4_cptr_t auth = util_new(L4_OBJ_TCB, 0), x = util_new(L4_OBJ_TCB, 0);
    CHECK_EQ(l4_tcb_set_mcp(auth, 50, L4_CAP_INIT_TCB), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_priority(x, 51, auth), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_set_priority(x, 50, auth), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_priority(x, 256, L4_CAP_INIT_TCB), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_set_priority(x, 0xffffffffu, L4_CAP_INIT_TCB), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_set_priority(x, 255, L4_CAP_INIT_TCB), L4_ERR_OK);
    /* mcp is bounded the same way */
    CHECK_EQ(l4_tcb_set_mcp(x, 51, auth), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_set_mcp(x, 50, auth), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_mcp(x, 256, L4_CAP_INIT_TCB), L4_ERR_RANGE_ERROR);
}

TEST(tcb_priority_authority_errors)
{
    l4_cptr_t x = util_new(L4_OBJ_TCB, 0), ep = util_endpoint();
    CHECK_EQ(l4_tcb_set_priority(x, 1, ep), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_tcb_set_mcp(x, 1, ep), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_tcb_set_priority(x, 1, util_slot()), L4_ERR_FAILED_LOOKUP);
    l4_word_t mr[1] = {1};
    CHECK_EQ(l4_invoke(x, L4_TCB_SET_PRIORITY, mr, 1, 0, 0, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    l4_cptr_t a = L4_CAP_INIT_TCB;
    CHECK_EQ(l4_invoke(x, L4_TCB_SET_PRIORITY, mr, 0, &a, 1, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_invoke(x, L4_TCB_SET_MCP, mr, 0, &a, 1, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
}

TEST(tcb_unknown_label_is_illegal_operation)
{
    l4_cptr_t x = util_new(L4_OBJ_TCB, 0);
    l4_word_t mr[6] = {0};
    CHECK_EQ(l4_invoke(x, L4_UNTYPED_RETYPE, mr, 6, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_invoke(x, L4_FRAME_MAP, mr, 3, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
}

/* The name words of tcb_set_name for string s (up to 16 bytes). */
static void name_words(const char *s, l4_word_t w[4])
{
    for (unsigned i = 0; i < 4; i++)
        w[i] = 0;
    for (unsigned i = 0; i < 16 && s[i]; i++)
        w[i / 4] |= (l4_word_t)(unsigned char)s[i] << (8 * (i % 4));
}

TEST(tcb_set_name_accepts_printable_names_of_0_to_15_characters)
{
    l4_cptr_t x = util_new(L4_OBJ_TCB, 0);
    CHECK_EQ(l4_tcb_set_name_str(x, ""), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_name_str(x, "a"), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_name_str(x, "vmm:rtos1 ~!#%&"), L4_ERR_OK);    /* 15, edges 0x20, 0x7e */
    CHECK_EQ(l4_tcb_set_name_str(L4_CAP_INIT_TCB, "root"), L4_ERR_OK); /* itself, too */
}

TEST(tcb_set_name_errors)
{
    l4_cptr_t x = util_new(L4_OBJ_TCB, 0);
    l4_word_t w[4];
    CHECK_EQ(l4_tcb_set_name_str(x, "sixteen-chars-xx"), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_tcb_set_name_str(x, "bell\a"), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_tcb_set_name_str(x, "esc\033[2J"), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_tcb_set_name_str(x, "del\177"), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_tcb_set_name_str(x, "hi\200"), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_tcb_set_name_str(x, "nl\n"), L4_ERR_INVALID_ARGUMENT);
    name_words("ab", w);
    w[2] = 'z'; /* a character after the terminating NUL */
    CHECK_EQ(l4_tcb_set_name(x, w[0], w[1], w[2], w[3]), L4_ERR_INVALID_ARGUMENT);
    name_words("abc", w);
    CHECK_EQ(l4_invoke(x, L4_TCB_SET_NAME, w, 3, 0, 0, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_invoke(x, L4_TCB_SET_NAME, w, 4, 0, 0, 0, 0), L4_ERR_OK);
}

TEST(tcb_write_then_read_registers_round_trip)
{
    util_thread_t *t = util_thread_create(record_entry, UTIL_PRIO_HIGH, 0);
    l4_word_t w[L4_TCB_MAX_REGS], r[L4_TCB_MAX_REGS];
    for (unsigned i = 0; i < 13; i++)
        w[i] = 0x1000u + i * 0x111u;
    w[13] = 0x2000;
    w[14] = 0x3004;
    w[15] = 0x10000;
    w[16] = 0x10;
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, L4_TCB_MAX_REGS, w), L4_ERR_OK);
    for (unsigned i = 0; i < L4_TCB_MAX_REGS; i++)
        r[i] = 0xdeadbeef;
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    for (unsigned i = 0; i < L4_TCB_MAX_REGS; i++)
        CHECK_EQ(r[i], w[i]);
    /* a prefix */
    l4_word_t w3[3] = {7, 8, 9};
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, 3, w3), L4_ERR_OK);
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, 4, r), L4_ERR_OK);
    CHECK_EQ(r[0], 7);
    CHECK_EQ(r[2], 9);
    CHECK_EQ(r[3], w[3]);
    /* prefixes ending just before cpsr and just before TPIDRURW leave them */
    w[L4_TCB_REG_TPIDRURW] = 0x7707;
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, L4_TCB_MAX_REGS, w), L4_ERR_OK);
    l4_word_t w2[L4_TCB_MAX_REGS];
    for (unsigned i = 0; i < L4_TCB_MAX_REGS; i++)
        w2[i] = w[i] + 4; /* cpsr 0x14: FIQ mode, sanitised to USR if written */
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, 16, w2), L4_ERR_OK);
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    CHECK_EQ(r[15], w2[15]);
    CHECK_EQ(r[16], 0x10);
    CHECK_EQ(r[L4_TCB_REG_TPIDRURW], 0x7707);
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, L4_TCB_REG_TPIDRURW, w2), L4_ERR_OK);
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    CHECK_EQ(r[16], 0x10);
    CHECK_EQ(r[L4_TCB_REG_TPIDRURW], 0x7707);
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, 17, r), L4_ERR_OK);
    CHECK_EQ(t->done, 0); /* resume was 0 */
}

TEST(tcb_write_registers_sanitises_cpsr)
{
    util_thread_t *t = util_thread_create(record_entry, UTIL_PRIO_HIGH, 0);
    l4_word_t w[L4_TCB_MAX_REGS] = {0}, r[L4_TCB_MAX_REGS];
    w[15] = 0x10000;
    /* NZCV and GE kept; A, I, F cleared; SYS mode forced to USR */
    w[16] = 0xf00f01dfu;
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, L4_TCB_MAX_REGS, w), L4_ERR_OK);
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    CHECK_EQ(r[16], 0xf00f0010u);
    /* SVC, MON, HYP modes, the E and J bits: never privileged, never odd states */
    static const l4_word_t bad[] = {0x13, 0x16, 0x1a,  0x1f,      0x11,       0x12,
                                    0x17, 0x1b, 0x210, 0x1000010, 0xffffffffu};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        w[16] = bad[i];
        CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, L4_TCB_MAX_REGS, w), L4_ERR_OK);
        CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
        CHECK_EQ(r[16] & 0x1f, 0x10);
        CHECK_EQ(r[16] & 0x010003c0u, 0); /* J, E, A, I, F */
        CHECK_EQ(r[16] & 0xf00f0000u, bad[i] & 0xf00f0000u);
    }
    /* the Thumb bit is the user's */
    w[16] = 0x30;
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, L4_TCB_MAX_REGS, w), L4_ERR_OK);
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    CHECK_EQ(r[16], 0x30);
}

TEST(tcb_sanitised_thread_really_runs_in_user_mode)
{
    util_root_lower();
    util_thread_t *t = util_thread_create(record_entry, UTIL_PRIO_HIGH, 0);
    l4_word_t w[L4_TCB_MAX_REGS];
    util_thread_initial_regs(t, w);
    w[16] = 0x1d3; /* SVC mode, IRQs and FIQs off */
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 1, L4_TCB_MAX_REGS, w), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[2] & 0x1df, 0x10);
}

TEST(tcb_register_count_errors)
{
    util_thread_t *t = util_thread_create(record_entry, UTIL_PRIO_HIGH, 0);
    l4_word_t r[L4_TCB_MAX_REGS + 1] = {0};
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, 0, r), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS + 1, r), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, 0, r), L4_ERR_RANGE_ERROR);
    /* count 19 with 19 words cannot be built by the stub: raw invoke */
    l4_word_t mr[21] = {0, L4_TCB_MAX_REGS + 1};
    CHECK_EQ(l4_invoke(t->tcb, L4_TCB_WRITE_REGISTERS, mr, 21, 0, 0, 0, 0), L4_ERR_RANGE_ERROR);
    /* count 18 but only 5 register words */
    mr[1] = L4_TCB_MAX_REGS;
    CHECK_EQ(l4_invoke(t->tcb, L4_TCB_WRITE_REGISTERS, mr, 7, 0, 0, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_invoke(t->tcb, L4_TCB_READ_REGISTERS, mr, 1, 0, 0, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
}

TEST(tcb_registers_of_the_calling_thread_are_illegal_operation)
{
    l4_word_t r[L4_TCB_MAX_REGS] = {0};
    CHECK_EQ(l4_tcb_read_registers(L4_CAP_INIT_TCB, 0, 1, r), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_write_registers(L4_CAP_INIT_TCB, 0, 1, r), L4_ERR_ILLEGAL_OPERATION);
    l4_cptr_t copy = util_copy(L4_CAP_INIT_TCB, L4_RIGHTS_ALL);
    CHECK_EQ(l4_tcb_read_registers(copy, 0, 1, r), L4_ERR_ILLEGAL_OPERATION);
}

/* Counts: r[0]++ then waits on arg[0], ten times. */
static void counter(util_thread_t *t)
{
    for (unsigned i = 0; i < 10; i++) {
        t->r[0]++;
        t->r[1] = l4_wait(t->arg[0], 0);
    }
}

static util_thread_t *start_counter(l4_cptr_t n)
{
    util_thread_t *t = util_thread_create(counter, UTIL_PRIO_HIGH, 0);
    t->arg[0] = n;
    util_thread_start(t);
    CHECK_EQ(t->r[0], 1);
    return t;
}

TEST(tcb_suspend_stops_a_thread_and_resume_continues_it)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *t = start_counter(n);
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(t->r[0], 2);
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(t->r[0], 2);                        /* suspended: the signal stays pending */
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK); /* again: no-op */
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_OK);
    CHECK_EQ(t->r[0], 3); /* the wait restarted and found the bit */
    CHECK_EQ(t->r[1], L4_ERR_OK);
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(t->r[0], 4);
}

TEST(tcb_resume_of_a_blocked_thread_is_a_no_op)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *t = start_counter(n);
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_OK);
    CHECK_EQ(t->r[0], 1);
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(t->r[0], 2);
}

TEST(tcb_read_registers_with_suspend_stops_the_thread)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *t = start_counter(n);
    l4_word_t r[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 1, L4_TCB_MAX_REGS, r), L4_ERR_OK);
    CHECK(r[13] < t->stack_top && r[13] > t->stack_top - 4096); /* its sp */
    CHECK_EQ(r[16] & 0x1f, 0x10);
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(t->r[0], 1);
    /* write back r0 unchanged with resume 1: the wait restarts, finds the bit */
    l4_word_t r0 = r[0];
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 1, 1, &r0), L4_ERR_OK);
    CHECK_EQ(t->r[0], 2);
}

/* Calls arg[0] with label arg[1]; r[0] error, r[1] reply label, r[2] MR0. */
static void caller(util_thread_t *t)
{
    l4_msg_t m = util_msg(t->arg[1], 1, 0x1234, 0, 0, 0);
    t->r[8]++;
    t->r[0] = l4_call(t->arg[0], &m);
    t->r[1] = l4_msginfo_label(m.info);
    t->r[2] = m.mr[0];
}

TEST(tcb_suspend_while_blocked_sending_a_call_aborts_it_and_resume_restarts_it)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(caller, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    t->arg[1] = 6;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK); /* no longer queued */
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_OK);
    CHECK_EQ(t->done, 0);
    CHECK_EQ(t->r[8], 1); /* restarted in the kernel, not re-run from the start */
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), 6);
    CHECK_EQ(m.mr[0], 0x1234);
    m = util_msg(60, 1, 0x4321, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    CHECK_EQ(t->r[1], 60);
    CHECK_EQ(t->r[2], 0x4321);
}

TEST(tcb_suspend_while_waiting_for_the_reply_then_resume_repeats_the_call)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(caller, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    t->arg[1] = 7;
    util_thread_start(t);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK); /* we hold its reply right */
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
    m = util_msg(70, 0, 0, 0, 0, 0);
    l4_reply(&m); /* the caller no longer waits: not delivered (error unspecified) */
    CHECK_EQ(t->done, 0);
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_OK);
    CHECK_EQ(t->done, 0);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK); /* the call was made again */
    CHECK_EQ(l4_msginfo_label(m.info), 7);
    m = util_msg(71, 1, 5, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[1], 71);
}

TEST(tcb_deleting_a_thread_blocked_in_a_call_leaves_the_server_without_caller)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(caller, UTIL_PRIO_HIGH, 0);
    t->arg[0] = ep;
    util_thread_start(t);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    util_delete(t->tcb);
    m = util_msg(0, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_ILLEGAL_OPERATION);
}

/* Signals arg[0] (a cptr in its own CSpace); r[0] the error. */
static void signaller(util_thread_t *t)
{
    t->r[0] = l4_signal(t->arg[0]);
}

/* A thread whose CSpace is a 16-slot CNode: slot 0 n0, slot 1 its own TCB,
 * slot 3 n. With cspace_data = 28 (a 28-bit guard of 0) cptr 3 is slot 3;
 * without a guard the CNode decodes the top 4 bits, so cptr 3 is slot 0 and
 * slot 3 is cptr 0x30000000. */
static void cspace_case(l4_word_t cspace_data, l4_cptr_t cptr, l4_word_t expect_n,
                        l4_word_t expect_n0)
{
    util_root_lower();
    l4_cptr_t n = util_notification(), n0 = util_notification(), cn = util_cnode(4);
    util_thread_t *t = util_thread_create(signaller, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_cnode_copy(cn, 0, 4, n0, 32, L4_RIGHTS_ALL, C), L4_ERR_OK);
    CHECK_EQ(l4_cnode_copy(cn, 1, 4, t->tcb, 32, L4_RIGHTS_ALL, C), L4_ERR_OK);
    CHECK_EQ(l4_cnode_copy(cn, 3, 4, n, 32, L4_RIGHTS_ALL, C), L4_ERR_OK);
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, cspace_data, t->ipc_buffer, cn, V, t->ipc_frame),
             L4_ERR_OK);
    util_delete(cn); /* the TCB keeps its own copy */
    t->self = cspace_data ? 1 : 0x10000000u;
    t->arg[0] = cptr;
    util_thread_start(t);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    l4_word_t bits = 0;
    CHECK_EQ(l4_poll(n, &bits) == L4_ERR_OK, expect_n);
    CHECK_EQ(l4_poll(n0, &bits) == L4_ERR_OK, expect_n0);
}

TEST(tcb_configure_cspace_data_sets_the_guard_of_the_thread_cspace)
{
    cspace_case(28, 3, 1, 0);
}

TEST(tcb_cspace_without_guard_decodes_the_top_bits)
{
    cspace_case(0, 3, 0, 1);
}

TEST(tcb_cspace_without_guard_reaches_slot_3_by_its_top_bits)
{
    cspace_case(0, 0x30000000u, 1, 0);
}

TEST(tcb_bind_notification_errors)
{
    l4_cptr_t a = util_new(L4_OBJ_TCB, 0), b = util_new(L4_OBJ_TCB, 0);
    l4_cptr_t n = util_notification(), n2 = util_notification(), ep = util_endpoint();
    CHECK_EQ(l4_tcb_unbind_notification(a), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_bind_notification(a, ep), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_tcb_bind_notification(a, util_slot()), L4_ERR_FAILED_LOOKUP);
    l4_word_t mr[1];
    CHECK_EQ(l4_invoke(a, L4_TCB_BIND_NOTIFICATION, mr, 0, 0, 0, 0, 0), L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_tcb_bind_notification(a, n), L4_ERR_OK);
    CHECK_EQ(l4_tcb_bind_notification(a, n2), L4_ERR_ILLEGAL_OPERATION); /* a is bound */
    CHECK_EQ(l4_tcb_bind_notification(b, n), L4_ERR_ILLEGAL_OPERATION);  /* n is bound */
    CHECK_EQ(l4_tcb_bind_notification(b, util_copy(n, L4_RIGHTS_ALL)),
             L4_ERR_ILLEGAL_OPERATION); /* the object, not the cap, is bound */
    CHECK_EQ(l4_tcb_unbind_notification(a), L4_ERR_OK);
    CHECK_EQ(l4_tcb_unbind_notification(a), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_bind_notification(b, n), L4_ERR_OK);
}

/* Binding lets the thread receive the notification's signals (a wait):
 * the capability needs READ, whatever else it has. */
TEST(tcb_bind_notification_needs_read)
{
    l4_cptr_t a = util_new(L4_OBJ_TCB, 0), n = util_notification();
    static const l4_word_t refused[] = {0, L4_RIGHT_WRITE, L4_RIGHT_GRANT, L4_RIGHT_WRITE | L4_RIGHT_GRANT};
    for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++)
        CHECK_EQ(l4_tcb_bind_notification(a, util_copy(n, refused[i])), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_tcb_unbind_notification(a), L4_ERR_ILLEGAL_OPERATION); /* nothing was bound */
    CHECK_EQ(l4_tcb_bind_notification(a, util_copy(n, L4_RIGHT_READ)), L4_ERR_OK);
}

TEST(tcb_deleted_thread_stops_running)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *t = start_counter(n);
    util_delete(t->tcb);
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(t->r[0], 1);
    l4_word_t bits = 0;
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK); /* nobody took the signal */
}

/* cspace_data sets the guard of the TCB's copy of the CSpace root; a guard
 * that does not fit (guard bits + radix > 32, or a value wider than its
 * bits) is refused, and a good one is used for lookups. */
TEST(tcb_configure_bad_cspace_guard_is_invalid_argument)
{
    util_root_lower();
    util_thread_t *t = util_thread_create((util_thread_fn)0, UTIL_PRIO_LOW, 0); /* never started */
    l4_cptr_t cn = util_cnode(4);
    /* radix 4 + guard 29 bits > 32 */
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 29, t->ipc_buffer, cn, L4_CAP_INIT_VSPACE, t->ipc_frame),
             L4_ERR_INVALID_ARGUMENT);
    /* guard value 4 does not fit in 2 guard bits */
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 2 | (4u << 5), t->ipc_buffer, cn, L4_CAP_INIT_VSPACE,
                              t->ipc_frame),
             L4_ERR_INVALID_ARGUMENT);
    /* 28 bits of guard 0 + radix 4 = 32: fine */
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 28, t->ipc_buffer, cn, L4_CAP_INIT_VSPACE, t->ipc_frame),
             L4_ERR_OK);
}

static void mark_done(util_thread_t *t)
{
    t->r[0] = 0x600d;
}

/* Configure replaces a thread's address space; when its slot held the last
 * cap to a directory with 512 page tables, configure destroys it, is
 * preempted by the interrupt that arrives meanwhile (the woken thread finds
 * the directory's last table still in it), restarts and completes: the
 * directory is gone and the thread runs in its new space. */
TEST(tcb_configure_destroying_the_old_address_space_is_preempted_and_completes)
{
    util_root_lower();
    l4_cptr_t last, pd = util_big_pd(512, &last);
    util_thread_t *t = util_thread_create(mark_done, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, t->ipc_buffer, L4_CAP_INIT_CNODE, pd, t->ipc_frame),
             L4_ERR_OK);
    util_delete(pd); /* the thread's slot holds the last cap to it */
    util_thread_t *probe = util_interrupt_probe(last, 12500);
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, t->ipc_buffer, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE,
                              t->ipc_frame),
             L4_ERR_OK);
    util_interrupt_probe_end();
    CHECK_EQ(probe->r[1], 1);
    CHECK_EQ(probe->r[0], L4_ERR_ALREADY_MAPPED); /* it ran before the end */
    CHECK_EQ(l4_page_table_map(last, UTIL_VADDR_TEST, 0, L4_CAP_INIT_VSPACE), L4_ERR_OK);
    util_thread_start(t);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 0x600d);
}

/* A thread revokes the copy of the directory cap its own address space
 * came from: the cap in its TCB goes, so it loses the space it is running
 * in. It stops there (suspended, not faulting, the system call never
 * returns), cannot be resumed without an address space, and runs again
 * once configured with one. */
static void revoke_own_space(util_thread_t *t)
{
    if (t->arg[1]) {
        t->r[0] = 0x600d;
        return;
    }
    t->r[8] = 1;
    t->r[0] = l4_cnode_revoke(L4_CAP_INIT_CNODE, t->arg[0], 32);
    t->r[9] = 1; /* never: the thread stopped inside the revoke */
}

TEST(tcb_thread_losing_its_address_space_while_running_stops_and_can_run_again)
{
    util_root_lower();
    l4_cptr_t space = util_copy(L4_CAP_INIT_VSPACE, L4_RIGHTS_ALL);
    util_thread_t *t = util_thread_create(revoke_own_space, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, t->ipc_buffer, L4_CAP_INIT_CNODE, space, t->ipc_frame),
             L4_ERR_OK);
    t->arg[0] = space;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    CHECK_EQ(t->r[9], 0);
    CHECK_EQ(t->done, 0);
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_ILLEGAL_OPERATION); /* no address space */
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, t->ipc_buffer, L4_CAP_INIT_CNODE, space, t->ipc_frame),
             L4_ERR_OK);
    t->arg[1] = 1;
    util_thread_start(t);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 0x600d);
    CHECK_EQ(t->r[9], 0);
}
