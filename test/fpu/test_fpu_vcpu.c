/* SPDX-License-Identifier: BSD-2-Clause */
/* FPU state of a vCPU (docs/vcpu.md, "Floating point"): the guest kernel's
 * virtual FPEXC (state page field fpexc) decides whether guest user's VFP
 * instructions run or are UNDEFINED upcalls; the real FPU is switched
 * lazily between the vCPU thread and native threads, so neither sees the
 * other's registers. The guest user is hand-assembled ARM code. */
#include <stddef.h>
#include "fpu_util.h"

#define STATE_VA (UTIL_VADDR_TEST + 30 * UTIL_MB)
#define STAGING_VA (UTIL_VADDR_TEST + 31 * UTIL_MB)
#define USER_CODE_VA 0x00010000u
#define ENTRY_STACK_WORDS 512

#define ST(f) (((volatile l4_word_t *)STATE_VA)[L4_VCPU_STATE_##f])
#define REG(i) (((volatile l4_word_t *)STATE_VA)[L4_VCPU_STATE_REGS + (i)])

/* The guest-user program. */
static const l4_word_t user_code[] = {
    0xec410b10u, /* 0x00 vmov d0, r0, r1 */
    0xef000000u, /* 0x04 svc #0 */
    0xec532b10u, /* 0x08 vmov r2, r3, d0 */
    0xef000000u, /* 0x0c svc #0 */
    0xeafffffau, /* 0x10 b 0x00 */
};

static l4_word_t entry_stack[ENTRY_STACK_WORDS] __attribute__((aligned(8)));
static l4_cptr_t vcpu, upd, to_root, to_guest;
static volatile l4_word_t phase, causes[8], pcs[8], user_r2, user_r3, kernel_s0;
static volatile l4_word_t guest_fpexc_on;

/* The upcall entry (virtual kernel mode), one phase per upcall. */
static void guest_entry(void)
{
    l4_word_t p = phase++;
    causes[p] = ST(CAUSE);
    pcs[p] = REG(15);
    switch (p) {
    case 0: /* vmov d0 with the virtual FPU off: the guest's own trap */
        ST(FPEXC) = guest_fpexc_on; /* enable it (any other bits: ignored) */
        break;
    case 1: /* d0 written; let a native thread take the FPU meanwhile */
        l4_signal(to_root);
        l4_wait(to_guest, NULL);
        break;
    case 2: /* d0 read back after the native thread used the FPU */
        user_r2 = REG(2);
        user_r3 = REG(3);
        ST(FPEXC) = 0; /* off again, while this thread owns the real FPU */
        REG(15) = USER_CODE_VA;
        break;
    default: /* the vmov trapped again; the guest kernel may still use it */
        __asm__ volatile("vmov %0, s0" : "=r"(kernel_s0));
        l4_signal(to_root);
        for (;;)
            l4_wait(to_guest, NULL);
    }
    l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, upd);
}

static void guest_start(util_thread_t *t)
{
    (void)t;
    ST(ENTRY_PC) = (l4_word_t)guest_entry;
    ST(ENTRY_SP) = (l4_word_t)&entry_stack[ENTRY_STACK_WORDS];
    ST(FPEXC) = 0;
    for (int i = 0; i < 17; i++)
        REG(i) = 0;
    REG(0) = 0x11111111u;
    REG(1) = 0x22222222u;
    REG(15) = USER_CODE_VA;
    l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, upd);
}

static l4_cptr_t user_space(void)
{
    l4_cptr_t pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt, 0, 0, pd), L4_ERR_OK);
    l4_cptr_t f = util_map_new_frame(STAGING_VA);
    for (unsigned i = 0; i < sizeof user_code / sizeof user_code[0]; i++)
        ((volatile l4_word_t *)STAGING_VA)[i] = user_code[i];
    CHECK_EQ(l4_frame_map(util_copy(f, L4_RIGHTS_ALL), USER_CODE_VA, L4_RIGHT_READ, 0, pd),
             L4_ERR_OK);
    return pd;
}

static fpu_image_t native_in, native_out;

static void native_owner(util_thread_t *t)
{
    fpu_pattern(&native_in, 77, 0);
    fpu_hold(&native_in, &native_out, 0, L4_SYS_RECV, t->arg[0]);
    t->r[0] = fpu_diff(&native_in, &native_out);
}

static void run_guest(l4_word_t fpexc_on)
{
    util_root_lower();
    phase = 0;
    guest_fpexc_on = fpexc_on;
    upd = user_space();
    to_root = util_notification();
    to_guest = util_notification();
    l4_cptr_t native_wait = util_notification();
    vcpu = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t state = util_map_new_frame(STATE_VA);
    util_thread_t *g = util_thread_create(guest_start, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(vcpu, g->tcb, util_copy(state, L4_RIGHTS_ALL)), L4_ERR_OK);
    util_thread_start(g);
    /* The guest ran phases 0 and 1 and waits. */
    CHECK_EQ(phase, 2);
    CHECK_EQ(causes[0], L4_VCPU_CAUSE_UNDEFINED);
    CHECK_EQ(pcs[0], USER_CODE_VA);
    CHECK_EQ(causes[1], L4_VCPU_CAUSE_SYSCALL);
    CHECK_EQ(pcs[1], USER_CODE_VA + 8);
    util_thread_t *n = util_thread_create(native_owner, UTIL_PRIO_HIGH, 0);
    n->arg[0] = native_wait;
    util_thread_start(n); /* owns the FPU with its pattern, blocked */
    CHECK_EQ(l4_signal(to_guest), L4_ERR_OK);
    /* The guest ran phases 2 and 3. */
    CHECK_EQ(phase, 4);
    CHECK_EQ(causes[2], L4_VCPU_CAUSE_SYSCALL);
    CHECK_EQ(user_r2, 0x11111111u); /* its own d0, not the native thread's */
    CHECK_EQ(user_r3, 0x22222222u);
    CHECK_EQ(causes[3], L4_VCPU_CAUSE_UNDEFINED); /* virtual FPU off at resume */
    CHECK_EQ(pcs[3], USER_CODE_VA);
    CHECK_EQ(kernel_s0, 0x11111111u);
    CHECK_EQ(l4_signal(native_wait), L4_ERR_OK);
    CHECK_EQ(n->done, 1);
    CHECK_EQ(n->r[0], 0); /* and the native thread kept its own */
}

TEST(fpu_guest_virtual_fpexc_gates_guest_user_and_state_never_mixes_with_native_threads)
{
    run_guest(L4_VCPU_FPEXC_EN);
}

TEST(fpu_guest_exception_bits_in_virtual_fpexc_are_ignored)
{
    /* EX, DEX and every other bit set: only EN counts, nothing traps or
     * reaches the real FPEXC. */
    run_guest(~0u);
}
