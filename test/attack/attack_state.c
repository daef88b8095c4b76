/* SPDX-License-Identifier: BSD-2-Clause */
/* The attack suite: user-visible CPU state (cpsr, GE and Q flags,
 * TPIDRURW, TPIDRURO) is the thread's own and what docs/api.md says it is;
 * what user level may not touch (TPIDRURO writes, the PMU outside the bench
 * configurations, the generic timer's physical registers, the kernel's
 * controls) is an undefined instruction; unknown and debug system calls are
 * faults; the machine capability's debug methods are refused outside their
 * configurations. */
#include <stdio.h>
#include "util.h"

void ktest_after_each(void);

#define C L4_CAP_INIT_CNODE
#ifndef KTEST_DEBUG_KERNEL
#define KTEST_DEBUG_KERNEL 0
#endif

/* ---- running one instruction in a thread with a fault handler ---------------- */

/* The fault a thread running fn took: its label (0: none, it finished),
 * and the fault's MR1 in *mr1. */
static l4_word_t fault_of(util_thread_fn fn, l4_word_t arg, l4_word_t *mr1)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(fn, UTIL_PRIO_HIGH, ep);
    t->arg[0] = arg;
    util_thread_start(t);
    l4_msg_t m = {0};
    l4_word_t e = l4_nbrecv(ep, &m);
    if (e == L4_ERR_WOULD_BLOCK) {
        CHECK_EQ(t->done, 1);
        return 0;
    }
    CHECK_EQ(e, L4_ERR_OK);
    CHECK(l4_msginfo_from_kernel(m.info));
    if (mr1)
        *mr1 = m.mr[1];
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
    return l4_msginfo_label(m.info);
}

static void write_tpidruro(util_thread_t *t)
{
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 3" ::"r"(t->arg[0]));
}
static void write_tpidrprw(util_thread_t *t)
{
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 4" ::"r"(t->arg[0]));
}
static void read_tpidrprw(util_thread_t *t)
{
    l4_word_t v;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 4" : "=r"(v));
    t->r[0] = v;
}
static void write_pmuserenr(util_thread_t *t)
{
    __asm__ volatile("mcr p15, 0, %0, c9, c14, 0" ::"r"(t->arg[0]));
}
static void write_pmintenset(util_thread_t *t)
{
    __asm__ volatile("mcr p15, 0, %0, c9, c14, 1" ::"r"(t->arg[0]));
}
static void read_pmccntr(util_thread_t *t)
{
    l4_word_t v;
    __asm__ volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(v));
    t->r[0] = v;
}
static void write_cntkctl(util_thread_t *t)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c1, 0" ::"r"(t->arg[0]));
}
static void write_cntp_ctl(util_thread_t *t)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c2, 1" ::"r"(t->arg[0]));
}
static void write_cntp_tval(util_thread_t *t)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c2, 0" ::"r"(t->arg[0]));
}
static void read_cntv_ctl(util_thread_t *t)
{
    l4_word_t v;
    __asm__ volatile("mrc p15, 0, %0, c14, c3, 1" : "=r"(v));
    t->r[0] = v;
}
static void read_cntvct(util_thread_t *t)
{
    l4_word_t lo, hi;
    __asm__ volatile("mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    t->r[0] = lo | 1u;
}
static void read_cntfrq(util_thread_t *t)
{
    l4_word_t v;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
    t->r[0] = v;
}
static void write_sctlr(util_thread_t *t)
{
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" ::"r"(t->arg[0]));
}
static void write_ttbr0(util_thread_t *t)
{
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" ::"r"(t->arg[0]));
}
static void write_dacr(util_thread_t *t)
{
    __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" ::"r"(t->arg[0]));
}

/* Registers user level must never write or read (the kernel's own): an
 * undefined instruction in every configuration. */
TEST(attack_privileged_cp15_registers_are_undefined_at_user_level)
{
    static const util_thread_fn fns[] = {write_tpidruro, write_tpidrprw, read_tpidrprw, write_pmuserenr,
                                         write_pmintenset, write_cntkctl,  write_cntp_ctl, write_cntp_tval,
                                         read_cntv_ctl,   write_sctlr,    write_ttbr0,    write_dacr};
    for (unsigned i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        l4_word_t label = fault_of(fns[i], 0xffffffffu, NULL);
        if (label != L4_FAULT_UNDEFINED)
            printf("[attack] cp15 access %u: fault label %lu\n", i, (unsigned long)label);
        CHECK_EQ(label, L4_FAULT_UNDEFINED);
        ktest_after_each();
    }
}

/* The counter and its frequency are readable (the same for everyone); the
 * PMU's cycle counter only in the bench configurations. */
TEST(attack_counter_readable_and_pmu_only_in_bench)
{
    CHECK_EQ(fault_of(read_cntvct, 0, NULL), 0);
    CHECK_EQ(fault_of(read_cntfrq, 0, NULL), 0);
    CHECK_EQ(fault_of(read_pmccntr, 0, NULL), KTEST_DEBUG_KERNEL ? L4_FAULT_UNDEFINED : 0);
}

/* ---- system calls that are not there ------------------------------------- */

static void svc_number(util_thread_t *t)
{
    register l4_word_t r0 __asm__("r0") = 0;
    register l4_word_t r7 __asm__("r7") = t->arg[0];
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r7) : "r1", "r2", "r3", "r4", "r5", "r6", "memory");
}

/* Numbers past the last, the reserved 2, and DEBUG_PUTC outside the debug
 * configuration are unknown system calls: a fault naming the number. */
TEST(attack_unknown_system_calls_are_faults_naming_the_number)
{
    static const l4_word_t nums[] = {L4_SYS_VCPU_SYNC + 1, 15, 16, 31, 32, 64, 128, 255, 256,
                                     0x10000, 0x7fffffff, 0x80000000u, 0xfffffffeu, 2};
    for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        l4_word_t mr1 = 0;
        CHECK_EQ(fault_of(svc_number, nums[i], &mr1), L4_FAULT_UNKNOWN_SYSCALL);
        CHECK_EQ(mr1, nums[i]);
        ktest_after_each();
    }
    if (!KTEST_DEBUG_KERNEL) {
        l4_word_t mr1 = 0;
        CHECK_EQ(fault_of(svc_number, L4_SYS_DEBUG_PUTC, &mr1), L4_FAULT_UNKNOWN_SYSCALL);
        CHECK_EQ(mr1, L4_SYS_DEBUG_PUTC);
    }
}

/* The vCPU system calls from a thread that is no vCPU's, on capabilities
 * of every other kind, do nothing and say why. */
TEST(attack_vcpu_system_calls_on_other_capabilities_are_refused)
{
    l4_cptr_t caps[] = {L4_CAP_INIT_TCB, util_endpoint(), util_notification(), L4_CAP_INIT_CNODE,
                        util_slot()};
    for (unsigned i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        l4_word_t want = i == 4 ? L4_ERR_FAILED_LOOKUP : L4_ERR_INVALID_CAPABILITY;
        CHECK_EQ(l4_vcpu_resume(caps[i], L4_VCPU_RESUME_KERNEL, L4_CAP_NULL), want);
        CHECK_EQ(l4_vcpu_sync(caps[i]), want);
    }
    /* a vCPU bound to another thread: not the caller's */
    l4_cptr_t v = util_new(L4_OBJ_VCPU, 0);
    CHECK_EQ(l4_vcpu_resume(v, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_vcpu_sync(v), L4_ERR_ILLEGAL_OPERATION);
}

/* ---- cpsr ------------------------------------------------------------------ */

/* Everything but the flags, GE, IT and T is the kernel's: write_registers
 * of all ones leaves user mode with A, I, F, E and J clear. */
TEST(attack_written_cpsr_is_sanitised)
{
    util_thread_t *t = util_thread_create(svc_number, UTIL_PRIO_HIGH, 0);
    l4_word_t r[L4_TCB_MAX_REGS];
    util_thread_initial_regs(t, r);
    static const l4_word_t values[] = {0xffffffffu, 0x000001dfu, 0x0100001fu, 0x00000013u, 0x0000021au};
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
        r[16] = values[i];
        CHECK_EQ(l4_tcb_write_registers(t->tcb, 0, L4_TCB_MAX_REGS, r), L4_ERR_OK);
        l4_word_t back[L4_TCB_MAX_REGS];
        CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, back), L4_ERR_OK);
        const l4_word_t user = 0xf8000000u | 0x06000000u | 0x000f0000u | 0x0000fc00u | 0x20u;
        CHECK_EQ(back[16], (values[i] & user) | 0x10u);
    }
}

/* GE and Q are per thread: two threads of one priority set different ones
 * and yield to each other. */
static void ge_flags(util_thread_t *t)
{
    l4_word_t v = t->arg[0], got;
    __asm__ volatile("msr APSR_nzcvqg, %0" ::"r"(v) : "cc");
    l4_yield();
    l4_yield();
    __asm__ volatile("mrs %0, APSR" : "=r"(got));
    t->r[0] = got & 0x080f0000u; /* Q and GE */
}

TEST(attack_ge_and_q_flags_are_per_thread)
{
    util_root_lower();
    util_thread_t *a = util_thread_create(ge_flags, UTIL_PRIO_HIGH, 0);
    util_thread_t *b = util_thread_create(ge_flags, UTIL_PRIO_HIGH, 0);
    a->arg[0] = 0x080a0000u;
    b->arg[0] = 0x00050000u;
    util_thread_start(a);
    util_thread_start(b);
    util_root_priority(UTIL_PRIO_LOW - 1);
    util_root_lower();
    CHECK_EQ(a->done, 1);
    CHECK_EQ(b->done, 1);
    CHECK_EQ(a->r[0], 0x080a0000u);
    CHECK_EQ(b->r[0], 0x00050000u);
}

/* ---- TPIDRURO and TPIDRURW ------------------------------------------------- */

static l4_word_t tpidruro(void)
{
    l4_word_t v;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(v));
    return v;
}

static volatile l4_word_t raw_ro, raw_rw, raw_done;
static l4_cptr_t raw_tcb;
static uint64_t raw_stack[256];

static void raw_thread(void)
{
    l4_word_t rw;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(rw));
    raw_rw = rw;
    raw_ro = tpidruro();
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 2" ::"r"(0xdead0000u | raw_done));
    raw_done++;
    for (;;)
        l4_tcb_suspend(raw_tcb);
}

static void raw_run(l4_cptr_t ut, l4_word_t ipc_buffer, l4_cptr_t frame)
{
    raw_tcb = util_slot();
    CHECK_EQ(l4_untyped_retype(ut, L4_OBJ_TCB, 0, 0, 0, raw_tcb, 1, C), L4_ERR_OK);
    CHECK_EQ(l4_tcb_configure(raw_tcb, 0, 0, ipc_buffer, C, L4_CAP_INIT_VSPACE, frame), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_priority(raw_tcb, UTIL_PRIO_HIGH, L4_CAP_INIT_TCB), L4_ERR_OK);
    l4_word_t regs[L4_TCB_MAX_REGS] = {0};
    regs[13] = (l4_word_t)&raw_stack[256];
    regs[15] = (l4_word_t)raw_thread;
    regs[16] = 0x10;
    CHECK_EQ(l4_tcb_write_registers(raw_tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
}

/* TPIDRURO is the thread's IPC buffer address, 0 for a thread without one
 * (never a value left by the thread that ran before); TPIDRURW starts at 0
 * in a thread made in a destroyed thread's memory. */
TEST(attack_tpidruro_is_the_own_buffer_and_tpidrurw_starts_clean_in_reused_memory)
{
    util_root_lower();
    CHECK_EQ(tpidruro(), L4_ROOT_IPC_BUFFER);
    l4_cptr_t ut = util_untyped(12);
    const l4_word_t buf = UTIL_VADDR_TEST + 4096;
    l4_cptr_t f = util_map_new_frame(UTIL_VADDR_TEST);
    raw_done = 0;
    raw_run(ut, buf, f);
    CHECK_EQ(raw_done, 1);
    CHECK_EQ(raw_ro, buf);
    CHECK_EQ(raw_rw, 0);
    /* reconfigured without a buffer: TPIDRURO 0 */
    CHECK_EQ(l4_tcb_configure(raw_tcb, 0, 0, 0, C, L4_CAP_INIT_VSPACE, L4_CAP_NULL), L4_ERR_OK);
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(raw_tcb, 0, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(regs[L4_TCB_REG_TPIDRURW], 0xdead0000u);
    regs[15] = (l4_word_t)raw_thread;
    CHECK_EQ(l4_tcb_write_registers(raw_tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(raw_done, 2);
    CHECK_EQ(raw_ro, 0);
    CHECK_EQ(raw_rw, 0xdead0000u);
    /* destroyed, and a new thread in the same memory starts with 0 */
    CHECK_EQ(l4_cnode_revoke(C, ut, 32), L4_ERR_OK);
    raw_run(ut, 0, L4_CAP_NULL);
    CHECK_EQ(raw_done, 3);
    CHECK_EQ(raw_rw, 0);
    CHECK_EQ(raw_ro, 0);
    CHECK_EQ(tpidruro(), L4_ROOT_IPC_BUFFER); /* the root's own again */
}

/* ---- the machine capability's debug methods ------------------------------- */

TEST(attack_machine_debug_methods_only_in_their_configurations)
{
    l4_cptr_t none = util_copy(L4_CAP_MACHINE, 0);
    l4_word_t report[L4_DEBUG_CHECK_WORDS];
    l4_word_t e = l4_machine_debug_check(none, report);
    CHECK_EQ(e, KTEST_DEBUG_KERNEL ? L4_ERR_OK : L4_ERR_ILLEGAL_OPERATION);
    l4_word_t seq;
    /* the trace needs the event ring: the debug kernel has it, bench not */
    CHECK_EQ(l4_machine_trace(none, 0, 1, 2, 3, 4, &seq), KTEST_DEBUG_KERNEL ? L4_ERR_OK : L4_ERR_ILLEGAL_OPERATION);
    if (KTEST_DEBUG_KERNEL)
        CHECK_EQ(l4_machine_trace(none, L4_TRACE_USER_EVENTS, 1, 2, 3, 4, &seq), L4_ERR_RANGE_ERROR);
    /* debug_break: only the console's line, only in debug; never the test line */
    l4_cptr_t h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, UTIL_TEST_IRQ, h, 32, C), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_debug_break(h), L4_ERR_ILLEGAL_OPERATION);
    if (!KTEST_DEBUG_KERNEL) {
        l4_cptr_t h33 = util_slot();
        CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, 33, h33, 32, C), L4_ERR_OK);
        CHECK_EQ(l4_irq_handler_debug_break(h33), L4_ERR_ILLEGAL_OPERATION);
    }
    /* methods of the machine on other objects, and unknown labels */
    l4_word_t mr[2] = {0, 0};
    CHECK_EQ(l4_invoke(L4_CAP_INIT_TCB, L4_MACHINE_SHUTDOWN, mr, 1, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_invoke(L4_CAP_MACHINE, 0, mr, 1, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_invoke(L4_CAP_MACHINE, 0xfffff, mr, 1, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
}
