/* SPDX-License-Identifier: BSD-2-Clause */
/* The vCPU fast paths against their slow path (docs/vcpu.md, "Fast paths"):
 * one scenario that takes every kind of upcall and resumes through both
 * forms (the system calls, fast on the normal kernel; the invocations,
 * always the slow path), with errors of both, virtual interrupts pending
 * at a resume and at a sync, and a change of guest-user space (the fast
 * path's fallback), and a physical interrupt (the test line, util.h, routed to
 * the vCPU's notification) while guest user spins. It checks what it can itself and prints the log of
 * every upcall, the state page and the thread's final registers as
 * `[twin]` lines: the suite vcpu-twin runs this image on the normal kernel
 * and on the kernel without fast paths (configuration vcpu-slow) and
 * requires the same lines from both (tools/qemurun --same-lines). */
#include <stdio.h>
#include <l4/vcpu.h>
#include "util.h"

#define STATE_VA (UTIL_VADDR_TEST + 8 * UTIL_MB)
#define USER_CODE_VA 0x00010000u
#define ENTRY_STACK_WORDS 512
#define EVENTS 24

#define ST(f) (((volatile l4_word_t *)STATE_VA)[L4_VCPU_STATE_##f])
#define REG(i) (((volatile l4_word_t *)STATE_VA)[L4_VCPU_STATE_REGS + (i)])
#define KREG(i) (((volatile l4_word_t *)STATE_VA)[L4_VCPU_STATE_KREGS + (i)])

/* The guest-user program: every way out of guest user, in a loop. */
static const l4_word_t user_code[] = {
    0xe2800001u, /*  0: add r0, r0, #1 */
    0xef000000u, /*  4: svc #0 (r7 as the guest left it) */
    0xe5921000u, /*  8: ldr r1, [r2]: r2 unmapped, a page fault */
    0xe7f000f0u, /* 12: udf: undefined */
    0xe3a07007u, /* 16: mov r7, #L4_SYS_CALL: the IPC fastpath's number */
    0xef000000u, /* 20: svc #0 */
    0xe3a0700cu, /* 24: mov r7, #L4_SYS_VCPU_RESUME: the vCPU fast path's */
    0xef000000u, /* 28: svc #0 */
    0xe3a0700du, /* 32: mov r7, #L4_SYS_VCPU_SYNC */
    0xef000000u, /* 36: svc #0 */
    0xeafffff4u, /* 40: b 0 */
    0xeafffffeu, /* 44: b . (where the timer interrupt finds it) */
};
#define SPIN_VA (USER_CODE_VA + 44)
#define VTIMER_IRQ UTIL_TEST_IRQ /* the test line (util.h) */
#define VTIMER_BIT (1u << 2)

static l4_word_t entry_stack[ENTRY_STACK_WORDS] __attribute__((aligned(8)));
static l4_cptr_t vcpu, upd, upd2, self_line, done_ntfn, park_ntfn, vtimer, last_pd;
static volatile l4_word_t spun_from, dirty_left;
static volatile l4_word_t n_events, errs[9], n_errs;
static volatile l4_word_t log_cause[EVENTS], log_user[EVENTS], log_pc[EVENTS], log_r0[EVENTS],
    log_addr[EVENTS], log_r7[EVENTS], log_bits[EVENTS], log_cpsr[EVENTS];

/* A guest-user space with the program's frame f at USER_CODE_VA. */
static l4_cptr_t code_space(l4_cptr_t f)
{
    l4_cptr_t pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt, 0, 0, pd), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(util_copy(f, L4_RIGHTS_ALL), USER_CODE_VA, L4_RIGHT_READ, 0, pd),
             L4_ERR_OK);
    return pd;
}

static void err(l4_word_t e)
{
    if (n_errs < 9)
        errs[n_errs++] = e;
}

/* Resume guest user through event i's form; errors first on some. */
static void resume_user(l4_word_t i)
{
    l4_cptr_t pd = (i / 6) % 2 ? upd2 : upd; /* a change of space now and then */
    if (i == 3) {
        err(l4_vcpu_resume(vcpu, 7, pd));                        /* INVALID_ARGUMENT */
        err(l4_vcpu_resume_invoke(vcpu, 7, pd));                 /* the same */
        err(l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, vcpu));    /* INVALID_CAPABILITY */
        err(l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, 0xfff0u)); /* FAILED_LOOKUP */
        err(l4_vcpu_resume(pd, L4_VCPU_RESUME_USER, pd));        /* INVALID_CAPABILITY */
        err(l4_vcpu_sync(pd));                                   /* INVALID_CAPABILITY */
    }
    if (i == 5 || i == 11)
        l4_signal(self_line); /* pending, masked: the resume delivers it at once */
    if (i % 2) {
        last_pd = pd;
        l4_vcpu_resume_invoke(vcpu, L4_VCPU_RESUME_USER, pd);
    }
    /* Now and then the system call names the space it was in last by
     * L4_CAP_NULL: the page directory kept from the last resume. */
    if (i % 4 == 2 && pd == last_pd)
        pd = L4_CAP_NULL;
    else
        last_pd = pd;
    if (dirty_left & (pd == L4_CAP_NULL ? 1u : 2u)) {
        /* Bits of cpsr and pc the resume must drop (mode, masks, J and
         * the reserved ones; pc's alignment), once on the system call
         * into the kept space (the fast path's case) and once into a
         * named one. */
        dirty_left &= pd == L4_CAP_NULL ? ~1u : ~2u;
        REG(16) |= 0x01f003dfu;
        REG(15) |= 3u;
    }
    l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, pd);
}

static void guest_entry(void)
{
    l4_word_t i = n_events++;
    l4_word_t cause = ST(CAUSE), user = ST(FROM_USER);
    if (i < EVENTS) {
        log_cause[i] = cause;
        log_user[i] = user;
        log_pc[i] = user ? REG(15) : KREG(15);
        log_r0[i] = user ? REG(0) : KREG(0);
        log_r7[i] = user ? REG(7) : KREG(7);
        log_cpsr[i] = user ? REG(16) : KREG(16);
        log_addr[i] = ST(FAULT_ADDR);
        log_bits[i] = cause == L4_VCPU_CAUSE_VIRQ ? l4_vcpu_take_pending((l4_vcpu_state_t *)STATE_VA) : 0;
    }
    if (i + 1 >= EVENTS) {
        l4_signal(done_ntfn);
        for (;;)
            l4_wait(park_ntfn, NULL);
    }
    if (!user) { /* back to the interrupted guest-kernel code */
        if (i % 2)
            l4_vcpu_resume_invoke(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
        l4_vcpu_resume(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
    }
    if (cause == L4_VCPU_CAUSE_PAGE_FAULT || cause == L4_VCPU_CAUSE_UNDEFINED)
        REG(15) += 4; /* past it */
    if (i == 13) {
        /* Spin in guest user until the test line is raised (util.h). */
        spun_from = REG(15);
        REG(15) = SPIN_VA;
        util_line_set(100, 1); /* 100 ticks: long after the resume */
    }
    if (cause == L4_VCPU_CAUSE_VIRQ && user && REG(15) == SPIN_VA) {
        util_line_set(0, 0); /* level-triggered: off before the ack */
        err(l4_irq_handler_ack(vtimer));
        REG(15) = spun_from;
    }
    if (i == 8) {
        /* A virtual interrupt in guest-kernel mode: enable, sync, taken
         * here (kregs), resumed, then on to guest user. */
        l4_signal(self_line);
        ST(VIRQ_ENABLED) = 1;
        err(i % 2 ? l4_vcpu_sync_invoke(vcpu) : l4_vcpu_sync(vcpu));
        ST(VIRQ_ENABLED) = 0;
        l4_signal(self_line);
        ST(VIRQ_ENABLED) = 1;
        err(l4_vcpu_sync_invoke(vcpu));
        ST(VIRQ_ENABLED) = 0;
    }
    resume_user(i);
}

static void guest_start(util_thread_t *t)
{
    (void)t;
    ST(ENTRY_PC) = (l4_word_t)guest_entry;
    ST(ENTRY_SP) = (l4_word_t)&entry_stack[ENTRY_STACK_WORDS];
    for (int i = 0; i < 17; i++)
        REG(i) = 0x1000u + (l4_word_t)i;
    REG(2) = 0x00400000u; /* unmapped: the load faults */
    REG(7) = 0xffu;       /* the first svc: any number */
    REG(15) = USER_CODE_VA;
    REG(16) = 0xf00001dfu; /* flags, and bits the kernel must drop */
    l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, upd);
}

TEST(vcpu_twin_scenario_every_upcall_and_both_resume_forms)
{
    util_root_lower();
    n_events = n_errs = 0;
    dirty_left = 3;
    l4_cptr_t f = util_map_new_frame(UTIL_VADDR_TEST + 9 * UTIL_MB);
    for (unsigned i = 0; i < sizeof(user_code) / 4; i++)
        ((volatile l4_word_t *)(UTIL_VADDR_TEST + 9 * UTIL_MB))[i] = user_code[i];
    upd = code_space(f);
    upd2 = code_space(f);
    last_pd = upd; /* guest_start resumes into it first */
    done_ntfn = util_notification();
    park_ntfn = util_notification();
    vcpu = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t state = util_map_new_frame(STATE_VA);
    util_thread_t *t = util_thread_create(guest_start, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, util_copy(state, L4_RIGHTS_ALL)), L4_ERR_OK);
    l4_cptr_t n = util_notification();
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, n), L4_ERR_OK);
    self_line = util_mint(n, L4_RIGHT_WRITE, 1u << 4);
    vtimer = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, VTIMER_IRQ, vtimer, 32, L4_CAP_INIT_CNODE),
             L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_set_notification(vtimer, util_mint(n, L4_RIGHT_WRITE, VTIMER_BIT)),
             L4_ERR_OK);
    util_thread_start(t);
    l4_word_t bits;
    CHECK_EQ(l4_poll(done_ntfn, &bits), L4_ERR_OK);
    CHECK_EQ(n_events, EVENTS);
    /* What either kernel must do. */
    CHECK_EQ(log_cause[0], L4_VCPU_CAUSE_SYSCALL);
    CHECK_EQ(log_r0[0], 0x1001u);
    CHECK_EQ(log_r7[0], 0xffu);
    CHECK_EQ(log_cause[1], L4_VCPU_CAUSE_PAGE_FAULT);
    CHECK_EQ(log_addr[1], 0x00400000u);
    CHECK_EQ(log_cause[2], L4_VCPU_CAUSE_UNDEFINED);
    CHECK_EQ(log_pc[2], USER_CODE_VA + 12);
    CHECK_EQ(log_cause[3], L4_VCPU_CAUSE_SYSCALL); /* the IPC fastpath's number */
    CHECK_EQ(log_r7[3], L4_SYS_CALL);
    CHECK_EQ(log_cause[4], L4_VCPU_CAUSE_SYSCALL); /* the vCPU fast path's */
    CHECK_EQ(log_r7[4], L4_SYS_VCPU_RESUME);
    CHECK_EQ(log_cause[5], L4_VCPU_CAUSE_SYSCALL);
    CHECK_EQ(log_r7[5], L4_SYS_VCPU_SYNC);
    CHECK_EQ(log_cause[6], L4_VCPU_CAUSE_VIRQ); /* pending at the resume after 5 */
    CHECK_EQ(log_user[6], 1);
    CHECK_EQ(log_bits[6], 1u << 4);
    CHECK_EQ(log_cause[14], L4_VCPU_CAUSE_VIRQ); /* the timer, in the spin */
    CHECK_EQ(log_user[14], 1);
    CHECK_EQ(log_pc[14], SPIN_VA);
    CHECK_EQ(log_bits[14], VTIMER_BIT);
    for (unsigned i = 0; i < EVENTS; i++) /* guest user ran as user mode may set it */
        if (log_user[i])
            CHECK_EQ(log_cpsr[i] & 0x01f003dfu, 0x10u);
    CHECK_EQ(dirty_left, 0);
    CHECK_EQ(n_errs, 9);
    CHECK_EQ(errs[0], L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(errs[1], L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(errs[2], L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(errs[3], L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(errs[4], L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(errs[5], L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(errs[6], L4_ERR_OK);
    CHECK_EQ(errs[7], L4_ERR_OK);
    CHECK_EQ(errs[8], L4_ERR_OK); /* the ack */
    util_delete(vtimer);
    /* ... and what the twin compares. */
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    for (unsigned i = 0; i < EVENTS; i++)
        printf("[twin] upcall %u: cause %lu user %lu pc %08lx r0 %08lx r7 %lx addr %08lx bits %lx "
               "cpsr %08lx\n",
               i, log_cause[i], log_user[i], log_pc[i], log_r0[i], log_r7[i], log_addr[i],
               log_bits[i], log_cpsr[i]);
    for (unsigned i = 0; i < L4_VCPU_STATE_WORDS; i++)
        printf("[twin] state %u: %08lx\n", i, ((volatile l4_word_t *)STATE_VA)[i]);
    for (unsigned i = 0; i < L4_TCB_MAX_REGS; i++)
        printf("[twin] reg %u: %08lx\n", i, regs[i]);
    for (unsigned i = 0; i < 9; i++)
        printf("[twin] err %u: %lu\n", i, errs[i]);
}
