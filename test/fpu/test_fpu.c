/* SPDX-License-Identifier: BSD-2-Clause */
/* VFP/NEON state of native threads (design.md, "FPU state"): the lazy
 * first-use switch, isolation between threads and address spaces under
 * timer preemption, yields and the IPC fastpath, ownership of deleted and
 * suspended threads, read_fpu / write_fpu with every error, FPSCR values
 * the kernel must survive, and that undefined instructions stay faults. */
#include <string.h>
#include "fpu_util.h"

/* A hold long enough that time slices (5 ms = 5 M instructions under
 * -icount) end inside it: 2 instructions per spin. */
#define LONG_HOLD 1500000u

/* What each holder reports (in the shared frame: it may run in another
 * address space). */
typedef struct {
    volatile uint32_t last;                /* the holder that started a hold last */
    volatile uint32_t done[4], bad[4];     /* per holder: finished; wrong words seen */
    volatile uint32_t interleaved[4];      /* holds during which another holder ran */
    volatile uint32_t sum_ok[4];           /* compiled floating-point code agreed */
} report_t;

/* A small filter, compiled hard-float: what a control loop does. */
static double filter_run(uint32_t seed, unsigned n)
{
    double y = 0.0, x = (double)(seed % 97u) / 7.0;
    for (unsigned i = 0; i < n; i++) {
        x = x * 1.0001 + 0.37 / (1.0 + (double)i);
        y = 0.9 * y + 0.1 * x;
    }
    return y;
}

/* arg[0] = holder index, arg[1] = rounds, arg[2] = expected filter value
 * bits (low), arg[3] (high). */
static void holder(util_thread_t *t)
{
    report_t *r = (report_t *)FPU_SHARED_VA;
    uint32_t me = t->arg[0];
    fpu_image_t in, out;
    for (uint32_t k = 0; k < t->arg[1]; k++) {
        fpu_pattern(&in, me + 1, k);
        r->last = me;
        fpu_hold(&in, &out, LONG_HOLD, 0, 0);
        if (r->last != me)
            r->interleaved[me]++;
        r->bad[me] += fpu_diff(&in, &out);
        double y = filter_run(me, 2000);
        uint64_t bits;
        memcpy(&bits, &y, sizeof bits);
        r->sum_ok[me] += bits == (((uint64_t)t->arg[3] << 32) | t->arg[2]);
    }
    r->done[me] = 1;
}

/* Start threads of priority UTIL_PRIO_HIGH together: none runs before all
 * are started; returns once all of them are blocked or done. */
static void start_all(util_thread_t **t, unsigned n)
{
    util_root_priority(UTIL_PRIO_HIGH + 1);
    for (unsigned i = 0; i < n; i++)
        util_thread_start(t[i]);
    util_root_priority(UTIL_PRIO_ROOT);
}

static void run_holders(unsigned n, int own_spaces, uint32_t rounds)
{
    util_root_lower();
    report_t *r = fpu_shared_new();
    util_thread_t *th[4];
    for (unsigned i = 0; i < n; i++) {
        util_thread_t *t = util_thread_create(holder, UTIL_PRIO_HIGH, 0);
        double y = filter_run(i, 2000); /* the root's own result, undisturbed */
        uint64_t bits;
        memcpy(&bits, &y, sizeof bits);
        t->arg[0] = i;
        t->arg[1] = rounds;
        t->arg[2] = (uint32_t)bits;
        t->arg[3] = (uint32_t)(bits >> 32);
        if (own_spaces)
            fpu_thread_new_space(t);
        th[i] = t;
    }
    start_all(th, n);
    /* The holders are above the root: it runs again once all are done. */
    for (unsigned i = 0; i < n; i++) {
        CHECK_EQ(r->done[i], 1);
        CHECK_EQ(r->bad[i], 0);
        CHECK_EQ(r->sum_ok[i], rounds);
        CHECK(r->interleaved[i] >= 1); /* preempted inside a hold at least once */
    }
}

TEST(fpu_two_threads_keep_their_registers_under_preemption)
{
    run_holders(2, 0, 6);
}

TEST(fpu_two_threads_in_different_address_spaces_keep_their_registers_under_preemption)
{
    run_holders(2, 1, 6);
}

TEST(fpu_three_threads_in_different_address_spaces_keep_their_registers_under_preemption)
{
    run_holders(3, 1, 5);
}

/* --- first use and ownership ------------------------------------------------------ */
static fpu_image_t seen[4];

/* arg[0]: seed; arg[1]: notification to wait on while owning the FPU. */
static void hold_and_wait(util_thread_t *t)
{
    fpu_image_t in;
    fpu_pattern(&in, t->arg[0], 0);
    fpu_hold(&in, &seen[0], 0, L4_SYS_RECV, t->arg[1]); /* blocks in the middle */
    t->r[0] = fpu_diff(&in, &seen[0]);
}

static void store_first(util_thread_t *t)
{
    fpu_store(&seen[t->arg[0]]); /* the thread's very first VFP instruction */
}

/* The first VFP instruction stores (seen[1]); then it owns the FPU with
 * pattern arg[0], blocked on notification arg[1]. */
static void store_then_hold(util_thread_t *t)
{
    fpu_store(&seen[1]);
    hold_and_wait(t);
}

static int image_is_zero(const fpu_image_t *f)
{
    fpu_image_t z;
    memset(&z, 0, sizeof z);
    return fpu_diff(f, &z) == 0;
}

TEST(fpu_first_use_sees_zero_registers_not_the_previous_owners)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *a = util_thread_create(hold_and_wait, UTIL_PRIO_HIGH, 0);
    a->arg[0] = 7;
    a->arg[1] = n;
    util_thread_start(a); /* owns the FPU, blocked with its registers in it */
    memset(&seen[1], 0xa5, sizeof seen[1]);
    util_thread_t *b = util_thread_create(store_first, UTIL_PRIO_HIGH, 0);
    b->arg[0] = 1;
    util_thread_start(b);
    CHECK_EQ(b->done, 1);
    CHECK(image_is_zero(&seen[1]));
    CHECK_EQ(l4_signal(n), L4_ERR_OK); /* a takes its registers back */
    CHECK_EQ(a->done, 1);
    CHECK_EQ(a->r[0], 0);
}

/* The owner deletes itself while its registers are live in the FPU. */
static void hold_and_revoke(util_thread_t *t)
{
    fpu_image_t in, out;
    fpu_pattern(&in, t->arg[0], 0);
    fpu_hold(&in, &out, 0, 0, 0);
    l4_cnode_revoke(L4_CAP_INIT_CNODE, t->arg[1], 32); /* destroys this very thread */
}

/* A thread of assembly only, so that it cannot touch the FPU: invoke the
 * retype whose message the root prepared (MR0-MR3 in block[0..3], r0 =
 * block[4], the rest in the IPC buffer), then wait forever on the
 * notification in block[5]. */
__attribute__((naked)) static void recreate_entry(const l4_word_t *block)
{
    __asm__ volatile("mov r8, r0\n"
                     "ldm r8, {r2-r5}\n"
                     "ldr r0, [r8, #16]\n"
                     "ldr r1, [r8, #24]\n"
                     "mov r7, %[call]\n"
                     "svc #0\n"
                     "1: ldr r0, [r8, #20]\n"
                     "mov r1, #0\n"
                     "mov r7, %[recv]\n"
                     "svc #0\n"
                     "b 1b" ::[call] "i"(L4_SYS_CALL),
                     [recv] "i"(L4_SYS_RECV));
}

TEST(fpu_deleted_owner_is_never_saved_into_its_freed_memory)
{
    util_root_lower();
    /* A 1 KiB untyped holds exactly one TCB: the next one lands on the
     * same memory. */
    l4_cptr_t ut = util_untyped(L4_OBJ_TCB_BITS);
    l4_cptr_t slot = util_slot(), never = util_notification();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_TCB, 0, 0, 0, slot, 1, L4_CAP_INIT_CNODE), L4_ERR_OK);
    util_thread_t *a = util_thread_create(hold_and_revoke, UTIL_PRIO_HIGH, 0);
    util_delete(a->tcb);
    a->tcb = a->self = slot;
    CHECK_EQ(l4_tcb_configure(a->tcb, 0, 0, a->ipc_buffer, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE,
                              a->ipc_frame),
             L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_priority(a->tcb, UTIL_PRIO_HIGH, L4_CAP_INIT_TCB), L4_ERR_OK);
    a->arg[0] = 9;
    a->arg[1] = ut;
    /* The re-creator runs when the owner is gone, before anything else can
     * claim the FPU: it retypes a new TCB into the same slot and memory. */
    util_thread_t *c = util_thread_create(hold_and_revoke, UTIL_PRIO_HIGH - 1, 0);
    static l4_word_t block[8];
    block[0] = L4_OBJ_TCB; /* type, size_bits, node_index, node_depth */
    block[1] = 0;
    block[2] = 0;
    block[3] = 0;
    block[4] = ut;
    block[5] = never;
    block[6] = l4_msginfo(L4_UNTYPED_RETYPE, 1, 6);
    volatile l4_word_t *buf = (volatile l4_word_t *)c->ipc_buffer;
    buf[L4_IPCBUF_MSG + 4] = slot; /* node_offset */
    buf[L4_IPCBUF_MSG + 5] = 1;    /* count */
    buf[L4_IPCBUF_CAPS] = L4_CAP_INIT_CNODE;
    l4_word_t regs[L4_TCB_MAX_REGS];
    util_thread_initial_regs(c, regs);
    regs[0] = (l4_word_t)block;
    regs[15] = (l4_word_t)recreate_entry;
    util_root_priority(UTIL_PRIO_HIGH + 1);
    util_thread_start(a);
    CHECK_EQ(l4_tcb_write_registers(c->tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    util_root_priority(UTIL_PRIO_ROOT); /* a runs and dies, then c */
    CHECK_EQ(a->done, 0);
    CHECK(!util_slot_is_empty(slot)); /* the new TCB */
    /* Another thread claims the FPU (and keeps it, blocked): whatever the
     * FPU held may be saved nowhere, in particular not into the new TCB. */
    l4_cptr_t n2 = util_notification();
    memset(&seen[1], 0xa5, sizeof seen[1]);
    util_thread_t *b = util_thread_create(store_then_hold, UTIL_PRIO_HIGH, 0);
    b->arg[0] = 10;
    b->arg[1] = n2;
    util_thread_start(b);
    CHECK(image_is_zero(&seen[1])); /* nor loaded from the dead thread */
    fpu_image_t fresh;
    CHECK_EQ(fpu_read_state(slot, 0, &fresh), L4_ERR_OK);
    CHECK(image_is_zero(&fresh));
    CHECK_EQ(l4_signal(n2), L4_ERR_OK);
    CHECK_EQ(b->done, 1);
    CHECK_EQ(b->r[0], 0);
}

TEST(fpu_suspended_owner_state_is_read_and_written_through_its_tcb)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *a = util_thread_create(hold_and_wait, UTIL_PRIO_HIGH, 0);
    a->arg[0] = 11;
    a->arg[1] = n;
    util_thread_start(a); /* owns the FPU, blocked in the hold */
    fpu_image_t want, got;
    fpu_pattern(&want, 11, 0);
    /* suspend = 1: stopped, and its registers come out of the FPU */
    CHECK_EQ(fpu_read_state(a->tcb, 1, &got), L4_ERR_OK);
    CHECK_EQ(fpu_diff(&want, &got), 0);
    /* A debugger changes them; resume restarts the aborted receive. */
    fpu_pattern(&want, 12, 3);
    CHECK_EQ(fpu_write_state(a->tcb, 1, &want), L4_ERR_OK);
    CHECK_EQ(fpu_read_state(a->tcb, 0, &got), L4_ERR_OK);
    CHECK_EQ(fpu_diff(&want, &got), 0);
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(a->done, 1);
    CHECK_EQ(fpu_diff(&want, &seen[0]), 0); /* it sees what was written, */
    CHECK(a->r[0] > 0);                     /* not its own pattern */
}

static void spin_owner(util_thread_t *t)
{
    fpu_image_t in;
    fpu_pattern(&in, t->arg[0], 1);
    fpu_hold(&in, &seen[3], LONG_HOLD * 4, 0, 0);
    t->r[0] = fpu_diff(&in, &seen[3]);
}

TEST(fpu_read_of_a_preempted_owner_sees_its_live_registers)
{
    /* The owner is preempted (round robin with the root) with its
     * registers in the FPU: read_fpu must fetch them from there. */
    util_thread_t *a = util_thread_create(spin_owner, UTIL_PRIO_ROOT, 0);
    util_root_priority(UTIL_PRIO_ROOT);
    a->arg[0] = 21;
    util_thread_start(a);
    unsigned reads = 0;
    fpu_image_t got, want;
    fpu_pattern(&want, 21, 1);
    for (;;) {
        l4_yield(); /* a runs a whole quantum: it ends inside the hold */
        if (a->done)
            break;
        CHECK_EQ(fpu_read_state(a->tcb, 0, &got), L4_ERR_OK);
        CHECK_EQ(fpu_diff(&want, &got), 0);
        reads++;
    }
    CHECK(reads >= 1);
    CHECK_EQ(a->r[0], 0);
}

/* --- read_fpu / write_fpu: every error ----------------------------------------------- */
TEST(fpu_read_and_write_fpu_reject_bad_ranges_self_and_short_messages)
{
    util_thread_t *a = util_thread_create(store_first, UTIL_PRIO_LOW, 0);
    l4_word_t w[64] = {0};
    CHECK_EQ(l4_tcb_read_fpu(a->tcb, 0, 0, 0, w), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_read_fpu(a->tcb, 0, 0, 65, w), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_read_fpu(a->tcb, 0, 65, 1, w), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_read_fpu(a->tcb, 0, 60, 6, w), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_read_fpu(a->tcb, 0, ~0u, 2, w), L4_ERR_RANGE_ERROR); /* no wrap-around */
    CHECK_EQ(l4_tcb_read_fpu(a->tcb, 0, 1, 64, w), L4_ERR_OK);           /* the largest */
    CHECK_EQ(l4_tcb_write_fpu(a->tcb, 0, 0, 0, w), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_write_fpu(a->tcb, 0, 0, 62, w), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_write_fpu(a->tcb, 0, 64, 2, w), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_write_fpu(a->tcb, 0, 4, 61, w), L4_ERR_OK);
    CHECK_EQ(l4_tcb_read_fpu(L4_CAP_INIT_TCB, 0, 0, 1, w), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_write_fpu(L4_CAP_INIT_TCB, 0, 0, 1, w), L4_ERR_ILLEGAL_OPERATION);
    /* Messages shorter than the arguments they announce. */
    l4_word_t mr[8] = {0, 0, 4, 1, 2};
    l4_cptr_t none[1] = {0};
    CHECK_EQ(l4_invoke(a->tcb, L4_TCB_READ_FPU, mr, 2, none, 0, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_invoke(a->tcb, L4_TCB_WRITE_FPU, mr, 2, none, 0, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_invoke(a->tcb, L4_TCB_WRITE_FPU, mr, 5, none, 0, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE); /* 4 words announced, 2 sent */
    /* A write is visible to a read, word by word. */
    for (unsigned i = 0; i < 61; i++)
        w[i] = 0x1000u + i;
    CHECK_EQ(l4_tcb_write_fpu(a->tcb, 0, 3, 61, w), L4_ERR_OK);
    l4_word_t back[64];
    CHECK_EQ(l4_tcb_read_fpu(a->tcb, 0, 0, 64, back), L4_ERR_OK);
    CHECK_EQ(back[2], 0);
    CHECK_EQ(back[3], 0x1000u);
    CHECK_EQ(back[63], 0x1000u + 60);
}

TEST(fpu_written_state_is_what_the_thread_first_sees)
{
    util_root_lower();
    util_thread_t *a = util_thread_create(store_first, UTIL_PRIO_HIGH, 0);
    a->arg[0] = 1;
    fpu_image_t want;
    fpu_pattern(&want, 33, 4);
    CHECK_EQ(fpu_write_state(a->tcb, 0, &want), L4_ERR_OK);
    util_thread_start(a);
    CHECK_EQ(a->done, 1);
    CHECK_EQ(fpu_diff(&want, &seen[1]), 0);
}

/* --- switches through yield and the IPC fastpath -------------------------------------- */
static void hold_yield(util_thread_t *t)
{
    fpu_image_t in, out;
    for (uint32_t k = 0; k < 20; k++) {
        fpu_pattern(&in, t->arg[0], k);
        fpu_hold(&in, &out, 100, L4_SYS_YIELD, 0);
        t->r[0] += fpu_diff(&in, &out);
    }
}

TEST(fpu_registers_survive_yields_between_fpu_threads_and_a_soft_one)
{
    util_root_lower();
    util_thread_t *a = util_thread_create(hold_yield, UTIL_PRIO_HIGH, 0);
    util_thread_t *b = util_thread_create(hold_yield, UTIL_PRIO_HIGH, 0);
    a->arg[0] = 41;
    b->arg[0] = 42;
    util_thread_t *th[] = {a, b};
    start_all(th, 2);
    CHECK_EQ(a->done, 1);
    CHECK_EQ(b->done, 1);
    CHECK_EQ(a->r[0], 0);
    CHECK_EQ(b->r[0], 0);
}

/* Server: receives with the FPU full of its pattern, replies from inside the
 * hold (the fastpath's reply-receive switches to the client). */
static void fpu_server(util_thread_t *t)
{
    fpu_image_t in, out;
    l4_msg_t m = {0};
    l4_recv(t->arg[1], &m);
    for (uint32_t k = 0; k < 30; k++) {
        fpu_pattern(&in, t->arg[0], k);
        /* REPLY_RECV on the endpoint: MR words are whatever the hold left
         * in r2-r5; the client ignores them. */
        fpu_hold(&in, &out, 50, L4_SYS_REPLY_RECV, t->arg[1]);
        t->r[0] += fpu_diff(&in, &out);
    } /* the client stops after 30 calls: the last reply-receive never returns */
}

static void fpu_client(util_thread_t *t)
{
    fpu_image_t in, out;
    for (uint32_t k = 0; k < 30; k++) {
        fpu_pattern(&in, t->arg[0], k);
        fpu_hold(&in, &out, 50, L4_SYS_CALL, t->arg[1]);
        t->r[0] += fpu_diff(&in, &out);
    }
}

TEST(fpu_registers_survive_fastpath_calls_between_fpu_threads)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *s = util_thread_create(fpu_server, UTIL_PRIO_HIGH, 0);
    util_thread_t *c = util_thread_create(fpu_client, UTIL_PRIO_HIGH, 0);
    s->arg[0] = 51;
    c->arg[0] = 52;
    s->arg[1] = c->arg[1] = ep;
    util_thread_start(s);
    util_thread_start(c);
    CHECK_EQ(c->done, 1);
    CHECK_EQ(c->r[0], 0);
    CHECK_EQ(s->r[0], 0);
}

/* --- encodings, Thumb, NEON, undefined instructions, FPSCR ----------------------------- */
__attribute__((target("thumb"), noinline)) static uint32_t thumb_vfp_first(uint32_t x)
{
    uint32_t y;
    /* vmov s0, r; vadd.f32 s0, s0, s0; vmov r, s0: the first one traps */
    __asm__ volatile("vmov s0, %1\n vadd.f32 s0, s0, s0\n vmov %0, s0"
                     : "=r"(y)
                     : "r"(x)
                     : "s0");
    return y;
}

static void thumb_user(util_thread_t *t)
{
    t->r[0] = thumb_vfp_first(0x3f800000u); /* 1.0f + 1.0f */
}

TEST(fpu_first_vfp_instruction_in_thumb_state_is_switched_in)
{
    util_root_lower();
    util_thread_t *a = util_thread_create(thumb_user, UTIL_PRIO_HIGH, 0);
    util_thread_start(a);
    CHECK_EQ(a->done, 1);
    CHECK_EQ(a->r[0], 0x40000000u); /* 2.0f */
}

static void neon_user(util_thread_t *t)
{
    uint32_t v[4] = {1, 2, 3, 4}, w[4];
    /* An Advanced SIMD data-processing instruction first: veor q0, q0, q0 */
    __asm__ volatile("veor q0, q0, q0\n vld1.32 {d2, d3}, [%1]\n vadd.i32 q0, q0, q1\n"
                     "vadd.i32 q0, q0, q1\n vst1.32 {d0, d1}, [%0]"
                     :
                     : "r"(w), "r"(v)
                     : "q0", "q1", "memory");
    t->r[0] = w[0] + (w[1] << 8) + (w[2] << 16) + (w[3] << 24);
}

static void neon_load_user(util_thread_t *t)
{
    uint32_t v[2] = {5, 6}, w[2];
    /* An Advanced SIMD structure load first: vld1.32 {d0} */
    __asm__ volatile("vld1.32 {d0}, [%1]\n vst1.32 {d0}, [%0]" : : "r"(w), "r"(v) : "d0", "memory");
    t->r[0] = w[0] + (w[1] << 8);
}

TEST(fpu_first_neon_instruction_is_switched_in)
{
    util_root_lower();
    util_thread_t *a = util_thread_create(neon_user, UTIL_PRIO_HIGH, 0);
    util_thread_t *b = util_thread_create(neon_load_user, UTIL_PRIO_HIGH, 0);
    util_thread_start(a);
    util_thread_start(b);
    CHECK_EQ(a->r[0], 2u + (4u << 8) + (6u << 16) + (8u << 24));
    CHECK_EQ(b->r[0], 5u + (6u << 8));
}

static void udf_first(util_thread_t *t)
{
    t->r[8] = 1;
    __asm__ volatile(".word 0xe7f000f0"); /* permanently undefined, FPU off */
    t->r[0] = 1;
}

static void udf_after_vfp(util_thread_t *t)
{
    fpu_image_t f;
    fpu_store(&f); /* owner, FPU on */
    t->r[8] = 1;
    __asm__ volatile(".word 0xe7f000f0");
    t->r[0] = 1;
}

static void vfp_cp2_form(util_thread_t *t)
{
    t->r[8] = 1;
    /* mrc2 p10 (cond 1111 on a VFP coprocessor): UNDEFINED, not a VFP
     * instruction, whatever FPEXC says */
    __asm__ volatile(".word 0xfe100a10");
    t->r[0] = 1;
}

static void expect_undefined(util_thread_fn fn)
{
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(fn, UTIL_PRIO_HIGH, ep);
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNDEFINED);
    CHECK_EQ(t->r[0], 0);
    /* restart: the same fault again (no switch loop, no progress) */
    m = util_msg(L4_FAULT_REPLY_RESTART, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNDEFINED);
    CHECK_EQ(t->r[0], 0);
}

TEST(fpu_undefined_instruction_is_still_a_fault_with_the_fpu_off_and_on)
{
    util_root_lower();
    expect_undefined(udf_first);
    expect_undefined(udf_after_vfp);
    expect_undefined(vfp_cp2_form);
}

/* Every FPSCR bit set, exceptions raised: the kernel saves and loads what
 * the hardware keeps, and nothing traps. */
#define FPSCR_LEN_STRIDE 0x00370000u /* short vectors: must be 0 for data processing */

static void fpscr_all(util_thread_t *t)
{
    uint32_t got, flags;
    register uint32_t r7 __asm__("r7") = L4_SYS_YIELD;
    __asm__ volatile("vmsr fpscr, %3\n"
                     "vmov s0, %4\n vmov s1, %5\n"
                     "vdiv.f32 s2, s0, s1\n" /* 1 / 0: division by zero */
                     "vmrs %1, fpscr\n"
                     "svc #0\n" /* yield: a switch to the other FPU thread */
                     "vmrs %0, fpscr"
                     : "=r"(got), "=r"(flags), "+r"(r7)
                     : "r"(~FPSCR_LEN_STRIDE), "r"(0x3f800000u), "r"(0)
                     : "s0", "s1", "s2", "r0", "r1", "r2", "r3", "r4", "r5", "r6", "memory");
    t->r[0] = got;
    t->r[1] = flags;
}

/* Short vectors on: the VFP data-processing instruction is UNDEFINED with
 * the FPU enabled, a genuine fault (not a switch, not a kernel crash). */
static void fpscr_len_set(util_thread_t *t)
{
    __asm__ volatile("vmsr fpscr, %0" ::"r"(FPSCR_LEN_STRIDE));
    t->r[8] = 1;
    __asm__ volatile("vadd.f32 s0, s0, s0" ::: "s0");
    t->r[0] = 1;
}

TEST(fpu_any_fpscr_value_survives_switches_and_traps_nothing)
{
    util_root_lower();
    util_thread_t *a = util_thread_create(fpscr_all, UTIL_PRIO_HIGH, 0);
    util_thread_t *b = util_thread_create(hold_yield, UTIL_PRIO_HIGH, 0);
    b->arg[0] = 61;
    util_thread_t *th[] = {a, b};
    start_all(th, 2);
    CHECK_EQ(a->done, 1);
    CHECK_EQ(b->done, 1);
    CHECK_EQ(b->r[0], 0);
    CHECK_EQ(a->r[0], a->r[1]); /* unchanged across the switch */
    CHECK(a->r[1] & 2u);        /* DZC: the division by zero was recorded */
    /* write_fpu takes any FPSCR too */
    util_thread_t *c = util_thread_create(store_first, UTIL_PRIO_HIGH, 0);
    c->arg[0] = 3;
    l4_word_t all = ~0u;
    CHECK_EQ(l4_tcb_write_fpu(c->tcb, 0, L4_FPU_FPSCR, 1, &all), L4_ERR_OK);
    util_thread_start(c);
    CHECK_EQ(c->done, 1);
    CHECK_EQ(seen[3].fpscr >> 28, 0xfu); /* NZCV as written */
    /* and with short vectors set, data processing is a fault of the thread */
    expect_undefined(fpscr_len_set);
}
