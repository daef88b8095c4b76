/* SPDX-License-Identifier: BSD-2-Clause */
/* VCPU objects (docs/vcpu.md): binding, upcalls for every cause, virtual
 * interrupts and their masking, resume into both virtual modes, and that
 * virtual user mode holds no capabilities. The "guest kernel" is a thread in
 * the root's address space; the "guest user" runs hand-assembled ARM code in
 * a page directory of its own. */
#include <stddef.h>
#include "util.h"

#define STATE_VA (UTIL_VADDR_TEST + 8 * UTIL_MB)
#define USER_CODE_VA 0x00010000u
#define USER_PT_VA 0x00000000u
#define ENTRY_STACK_WORDS 512

#define ST(f) (((volatile l4_word_t *)STATE_VA)[L4_VCPU_STATE_##f])
#define REG(i) (((volatile l4_word_t *)STATE_VA)[L4_VCPU_STATE_REGS + (i)])
#define KREG(i) (((volatile l4_word_t *)STATE_VA)[L4_VCPU_STATE_KREGS + (i)])

/* ARM encodings of the guest-user programs. */
#define I_ADD_R0_1 0xe2800001u    /* add r0, r0, #1 */
#define I_SVC_0 0xef000000u       /* svc #0 */
#define I_B_BACK2 0xeafffffcu     /* b <two instructions back> */
#define I_LDR_R1_R2 0xe5921000u   /* ldr r1, [r2] */
#define I_MOV_R7_CALL 0xe3a07007u /* mov r7, #L4_SYS_CALL */
#define I_B_SELF 0xeafffffeu      /* b . */
#define I_UDF 0xe7f000f0u         /* permanently undefined */

static l4_word_t entry_stack[ENTRY_STACK_WORDS] __attribute__((aligned(8)));
static l4_cptr_t vcpu, upd, done_ntfn, park_ntfn;
static volatile l4_word_t upcalls, last_cause, last_from_user, syscalls, stop_after;
static volatile l4_word_t seen_r0[8], seen_addr, seen_pc, virq_bits;

static l4_cptr_t staged_code; /* the frame of the last user_space()'s code */

/* A user address space with one page of code at USER_CODE_VA. */
static l4_cptr_t user_space(const l4_word_t *code, unsigned n)
{
    l4_cptr_t pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt, USER_PT_VA, 0, pd), L4_ERR_OK);
    l4_cptr_t f = util_map_new_frame(UTIL_VADDR_TEST + 9 * UTIL_MB); /* staging */
    staged_code = f;
    for (unsigned i = 0; i < n; i++)
        ((volatile l4_word_t *)(UTIL_VADDR_TEST + 9 * UTIL_MB))[i] = code[i];
    l4_cptr_t c = util_copy(f, L4_RIGHTS_ALL);
    CHECK_EQ(l4_frame_map(c, USER_CODE_VA, L4_RIGHT_READ, 0, pd), L4_ERR_OK);
    return pd;
}

/* The guest kernel's upcall entry: a fresh stack each time. */
static void guest_entry(void)
{
    l4_word_t cause = ST(CAUSE);
    upcalls++;
    last_cause = cause;
    last_from_user = ST(FROM_USER);
    if (cause == L4_VCPU_CAUSE_SYSCALL && syscalls < 8)
        seen_r0[syscalls++] = REG(0);
    if (cause == L4_VCPU_CAUSE_PAGE_FAULT)
        seen_addr = ST(FAULT_ADDR);
    seen_pc = last_from_user ? REG(15) : KREG(15);
    if (cause == L4_VCPU_CAUSE_VIRQ) {
        l4_word_t bits;
        __asm__ volatile("1: ldrex %0, [%1]\n strex r3, %2, [%1]\n cmp r3, #0\n bne 1b"
                         : "=&r"(bits)
                         : "r"(&ST(VIRQ_PENDING)), "r"(0)
                         : "r3", "memory");
        virq_bits |= bits;
    }
    if (upcalls >= stop_after) {
        l4_signal(done_ntfn);
        for (;;)
            l4_wait(park_ntfn, NULL); /* never signalled: parks the thread */
    }
    if (last_from_user)
        l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, upd);
    else
        l4_vcpu_resume(vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
}

/* The same entry in Thumb: its address has bit 0 set, so an upcall must
 * enter it in Thumb state at the address without bit 0 (as an ARM
 * instruction stream it would not get as far as the count). */
static volatile l4_word_t thumb_upcalls, use_thumb_entry;
__attribute__((target("thumb"), noinline)) static void guest_entry_thumb(void)
{
    thumb_upcalls++;
    guest_entry();
}

/* Runs in virtual kernel mode first: enter the guest-user program. */
static void guest_start(util_thread_t *t)
{
    (void)t;
    ST(ENTRY_PC) = use_thumb_entry ? (l4_word_t)guest_entry_thumb : (l4_word_t)guest_entry;
    ST(ENTRY_SP) = (l4_word_t)&entry_stack[ENTRY_STACK_WORDS];
    for (int i = 0; i < 17; i++)
        REG(i) = 0;
    REG(15) = USER_CODE_VA;
    REG(16) = 0x10; /* user mode: the kernel forces it anyway */
    l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, upd);
}

/* Create the vCPU thread for a user program; not started. */
static util_thread_t *guest_setup(const l4_word_t *code, unsigned n, l4_word_t stop)
{
    util_root_lower();
    upcalls = syscalls = virq_bits = 0;
    stop_after = stop;
    upd = user_space(code, n);
    done_ntfn = util_notification();
    park_ntfn = util_notification();
    vcpu = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t state = util_map_new_frame(STATE_VA);
    util_thread_t *t = util_thread_create(guest_start, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, util_copy(state, L4_RIGHTS_ALL)), L4_ERR_OK);
    return t;
}

TEST(vcpu_guest_user_svc_is_an_upcall_with_its_registers)
{
    static const l4_word_t code[] = {I_ADD_R0_1, I_SVC_0, I_B_BACK2};
    util_thread_t *t = guest_setup(code, 3, 3);
    util_thread_start(t);
    l4_word_t bits;
    CHECK_EQ(l4_poll(done_ntfn, &bits), L4_ERR_OK);
    CHECK_EQ(upcalls, 3);
    CHECK_EQ(last_cause, L4_VCPU_CAUSE_SYSCALL);
    CHECK_EQ(last_from_user, 1);
    CHECK_EQ(seen_r0[0], 1);
    CHECK_EQ(seen_r0[1], 2);
    CHECK_EQ(seen_r0[2], 3);
    CHECK_EQ(seen_pc, USER_CODE_VA + 8); /* after the svc */
}

TEST(vcpu_guest_user_svc_enters_a_thumb_entry_point_in_thumb)
{
    static const l4_word_t code[] = {I_ADD_R0_1, I_SVC_0, I_B_BACK2};
    CHECK_EQ((l4_word_t)guest_entry_thumb & 1, 1);
    use_thumb_entry = 1;
    thumb_upcalls = 0;
    util_thread_t *t = guest_setup(code, 3, 3);
    util_thread_start(t);
    CHECK_EQ(l4_poll(done_ntfn, NULL), L4_ERR_OK);
    use_thumb_entry = 0;
    CHECK_EQ(upcalls, 3);
    CHECK_EQ(thumb_upcalls, 3);
    CHECK_EQ(last_cause, L4_VCPU_CAUSE_SYSCALL);
    CHECK_EQ(seen_r0[2], 3);
    CHECK_EQ(seen_pc, USER_CODE_VA + 8);
}

TEST(vcpu_guest_user_cannot_invoke_capabilities)
{
    /* r7 = CALL, r0 = the slot of the vCPU cap: would be an invocation in
     * virtual kernel mode; here it must be an upcall */
    static const l4_word_t code[] = {I_MOV_R7_CALL, I_SVC_0, I_B_SELF};
    util_thread_t *t = guest_setup(code, 3, 1);
    util_thread_start(t);
    CHECK_EQ(l4_poll(done_ntfn, NULL), L4_ERR_OK);
    CHECK_EQ(last_cause, L4_VCPU_CAUSE_SYSCALL);
    CHECK_EQ(syscalls, 1);
}

TEST(vcpu_guest_user_page_fault_is_an_upcall)
{
    static const l4_word_t code[] = {I_LDR_R1_R2, I_B_SELF};
    util_thread_t *t = guest_setup(code, 2, 1);
    util_thread_start(t);
    CHECK_EQ(l4_poll(done_ntfn, NULL), L4_ERR_OK);
    CHECK_EQ(last_cause, L4_VCPU_CAUSE_PAGE_FAULT);
    CHECK_EQ(seen_addr, 0); /* r2 = 0 */
    CHECK_EQ(seen_pc, USER_CODE_VA);
}

TEST(vcpu_guest_user_undefined_instruction_is_an_upcall)
{
    static const l4_word_t code[] = {I_UDF};
    util_thread_t *t = guest_setup(code, 1, 1);
    util_thread_start(t);
    CHECK_EQ(l4_poll(done_ntfn, NULL), L4_ERR_OK);
    CHECK_EQ(last_cause, L4_VCPU_CAUSE_UNDEFINED);
    CHECK_EQ(seen_pc, USER_CODE_VA);
}

TEST(vcpu_virtual_interrupt_interrupts_guest_user)
{
    /* The guest-user context spins; the guest shares the root's priority,
     * so round robin alternates them, and a signal sent while the guest is
     * preempted is delivered as an upcall when it is next scheduled. */
    static const l4_word_t code[] = {I_B_SELF};
    util_thread_t *t = guest_setup(code, 1, 1);
    l4_cptr_t n = util_notification();
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, n), L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_priority(t->tcb, UTIL_PRIO_ROOT, L4_CAP_INIT_TCB), L4_ERR_OK);
    util_thread_start(t);
    l4_cptr_t line5 = util_mint(n, L4_RIGHTS_ALL, 1u << 5);
    l4_yield(); /* the guest enters virtual user mode and spins a quantum */
    CHECK_EQ(upcalls, 0);
    CHECK_EQ(l4_signal(line5), L4_ERR_OK);
    CHECK_EQ(upcalls, 0); /* pending until the guest runs */
    l4_yield();
    CHECK_EQ(l4_poll(done_ntfn, NULL), L4_ERR_OK);
    CHECK_EQ(last_cause, L4_VCPU_CAUSE_VIRQ);
    CHECK_EQ(last_from_user, 1);
    CHECK_EQ(virq_bits, 1u << 5);
    CHECK_EQ(seen_pc, USER_CODE_VA);
}

/* Guest kernel that disables virtual interrupts, is signalled, then
 * re-enables them and syncs: the upcall comes only after the sync. */
static volatile l4_word_t masked_phase;
static l4_cptr_t self_line;

static void guest_masked(util_thread_t *t)
{
    (void)t;
    ST(ENTRY_PC) = (l4_word_t)guest_entry;
    ST(ENTRY_SP) = (l4_word_t)&entry_stack[ENTRY_STACK_WORDS];
    ST(VIRQ_ENABLED) = 0;
    l4_signal(self_line); /* a virtual interrupt for ourselves, while masked */
    l4_yield();           /* kernel entries: nothing delivered while masked */
    masked_phase = upcalls == 0 ? 1 : 99;
    ST(VIRQ_ENABLED) = 1;
    if (ST(VIRQ_PENDING))
        l4_vcpu_sync(vcpu);
    masked_phase = 2; /* not reached before the upcall; the test stops there */
}

TEST(vcpu_masked_virtual_interrupts_wait_for_enable_and_sync)
{
    util_root_lower();
    upcalls = virq_bits = 0;
    stop_after = 1;
    masked_phase = 0;
    done_ntfn = util_notification();
    park_ntfn = util_notification();
    vcpu = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t state = util_map_new_frame(STATE_VA);
    util_thread_t *t = util_thread_create(guest_masked, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, state), L4_ERR_OK);
    l4_cptr_t n = util_notification();
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, n), L4_ERR_OK);
    self_line = util_mint(n, L4_RIGHTS_ALL, 1u << 24);
    util_thread_start(t);
    CHECK_EQ(masked_phase, 1);
    CHECK_EQ(upcalls, 1);
    CHECK_EQ(l4_poll(done_ntfn, NULL), L4_ERR_OK);
    CHECK_EQ(last_cause, L4_VCPU_CAUSE_VIRQ);
    CHECK_EQ(last_from_user, 0);
    CHECK_EQ(virq_bits, 1u << 24);
    CHECK_EQ(ST(VIRQ_ENABLED), 0); /* cleared by the upcall */
}

TEST(vcpu_bind_and_resume_errors)
{
    util_root_lower();
    l4_cptr_t v = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    l4_cptr_t big = util_new(L4_OBJ_FRAME_64K, 0);
    util_thread_t *t = util_thread_create(guest_start, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(v, f, f), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, big), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, util_slot()), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, f), L4_ERR_OK);
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, f), L4_ERR_ILLEGAL_OPERATION);
    l4_cptr_t v2 = util_new(L4_OBJ_VCPU, 0);
    CHECK_EQ(l4_vcpu_bind(v2, t->tcb, f), L4_ERR_ILLEGAL_OPERATION); /* tcb already bound */
    /* only the vCPU's own thread may resume or sync it */
    CHECK_EQ(l4_vcpu_resume(v, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_vcpu_sync(v), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_vcpu_sync(v2), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(
        l4_untyped_retype(util_pool(), L4_OBJ_VCPU, 0, 0, 0, util_slot(), 1, L4_CAP_INIT_CNODE),
        L4_ERR_OK);
}

/* Resume errors must come from the vCPU's own thread. */
static volatile l4_word_t resume_errs[3];

static void guest_bad_resume(util_thread_t *t)
{
    (void)t;
    resume_errs[0] = l4_vcpu_resume(vcpu, 7, L4_CAP_NULL);
    resume_errs[1] = l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, L4_CAP_NULL); /* none kept */
    resume_errs[2] = l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, vcpu);
}

TEST(vcpu_resume_argument_errors)
{
    util_root_lower();
    vcpu = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t state = util_map_new_frame(STATE_VA);
    util_thread_t *t = util_thread_create(guest_bad_resume, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, state), L4_ERR_OK);
    util_thread_start(t);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(resume_errs[0], L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(resume_errs[1], L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(resume_errs[2], L4_ERR_INVALID_CAPABILITY);
}

TEST(vcpu_deleting_the_vcpu_unbinds_the_thread)
{
    util_root_lower();
    l4_cptr_t v = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    util_thread_t *t = util_thread_create(guest_start, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(v, t->tcb, f), L4_ERR_OK);
    util_delete(v);
    l4_cptr_t v2 = util_new(L4_OBJ_VCPU, 0);
    CHECK_EQ(l4_vcpu_bind(v2, t->tcb, f), L4_ERR_OK); /* free to bind again */
}

/* A vCPU deleted while its thread runs guest user: the thread goes on there
 * as a plain thread with no capabilities, its guest kernel's CSpace root
 * still marked unresolvable (CAP_GUEST_USER) in its TCB. (Found by the fuzzer: a new vCPU bound to such a thread could resume
 * into guest user onto the occupied parking slot, a kernel panic; and the
 * thread kept the guest-user page directory as its address space after that
 * space's last capability went, its ASID free for reuse.) */
#define SPIN_AT (USER_CODE_VA + 12) /* I_B_SELF, after the svc loop */

static void guest_spin(util_thread_t *t)
{
    (void)t;
    for (int i = 0; i < 17; i++)
        REG(i) = 0;
    REG(15) = SPIN_AT;
    REG(16) = 0x10;
    l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, upd);
}

/* The guest thread spinning in guest user, its vCPU deleted under it. The
 * guest shares the root's priority: the root's yield lets it run into
 * guest user, its quantum brings the root back. */
static util_thread_t *orphan_in_guest_user(l4_cptr_t *state)
{
    static const l4_word_t code[] = {I_ADD_R0_1, I_SVC_0, I_B_BACK2, I_B_SELF, I_SVC_0, I_B_SELF};
    util_root_lower();
    upcalls = syscalls = 0;
    stop_after = 2;
    upd = user_space(code, 6);
    done_ntfn = util_notification();
    park_ntfn = util_notification();
    vcpu = util_new(L4_OBJ_VCPU, 0);
    *state = util_map_new_frame(STATE_VA);
    util_thread_t *t = util_thread_create(guest_spin, UTIL_PRIO_ROOT, 0);
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, *state), L4_ERR_OK);
    util_thread_start(t);
    l4_yield();
    l4_word_t regs[16];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, 16, regs), L4_ERR_OK);
    CHECK_EQ(regs[15], SPIN_AT); /* in guest user */
    util_delete(vcpu);
    return t;
}

TEST(vcpu_a_thread_left_in_guest_user_is_bound_again_only_after_configure)
{
    l4_cptr_t state;
    util_thread_t *t = orphan_in_guest_user(&state);
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
    vcpu = util_new(L4_OBJ_VCPU, 0);
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, state), L4_ERR_ILLEGAL_OPERATION); /* still marked */
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, t->ipc_buffer, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE,
                              t->ipc_frame),
             L4_ERR_OK);
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, state), L4_ERR_OK);
    /* and it resumes into guest user as a fresh vCPU thread (the svc loop) */
    CHECK_EQ(l4_tcb_set_priority(t->tcb, UTIL_PRIO_HIGH, L4_CAP_INIT_TCB), L4_ERR_OK);
    t->fn = guest_start; /* the svc loop at USER_CODE_VA */
    util_thread_start(t);
    CHECK_EQ(l4_poll(done_ntfn, NULL), L4_ERR_OK);
    CHECK_EQ(upcalls, 2);
    CHECK_EQ(last_cause, L4_VCPU_CAUSE_SYSCALL);
}

/* The orphan's system calls name its old guest kernel's capabilities (the
 * root's CSpace, one level: the lookup's quick path, include/cap.h): none
 * resolves. (Found by an attack from docs/api.md: the quick path tested
 * only CAP_ZOMBIE, so the orphan could still signal, call and invoke
 * through the guest kernel's CSpace.) */
#define ORPHAN_SVC_AT (USER_CODE_VA + 16) /* I_SVC_0, then I_B_SELF */

static l4_word_t orphan_syscall(util_thread_t *t, l4_word_t sysno, l4_cptr_t cptr)
{
    l4_word_t regs[16];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 1, 16, regs), L4_ERR_OK);
    regs[0] = cptr;
    regs[1] = 0; /* a message of no words */
    regs[7] = sysno;
    regs[15] = ORPHAN_SVC_AT;
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 1, 16, regs), L4_ERR_OK);
    l4_yield(); /* it runs its svc, then spins until its quantum ends */
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, 16, regs), L4_ERR_OK);
    CHECK_EQ(regs[15], ORPHAN_SVC_AT + 4); /* the svc was made, as a plain thread's */
    return regs[0];
}

TEST(vcpu_a_thread_left_in_guest_user_resolves_no_capability)
{
    l4_cptr_t state;
    util_thread_t *t = orphan_in_guest_user(&state);
    l4_cptr_t n = util_notification();
    CHECK_EQ(orphan_syscall(t, L4_SYS_SEND, n), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_poll(n, NULL), L4_ERR_WOULD_BLOCK); /* not signalled */
    CHECK_EQ(orphan_syscall(t, L4_SYS_CALL, n), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(orphan_syscall(t, L4_SYS_NBRECV, n), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(orphan_syscall(t, L4_SYS_CALL, L4_CAP_INIT_TCB), L4_ERR_FAILED_LOOKUP);
    l4_cptr_t ep = util_endpoint();
    CHECK_EQ(orphan_syscall(t, L4_SYS_NBSEND, ep), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(orphan_syscall(t, L4_SYS_CALL, ep), L4_ERR_FAILED_LOOKUP); /* the IPC fastpath's lookup */
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
}

static void orphan_returns(util_thread_t *t)
{
    (void)t;
}

TEST(vcpu_a_thread_left_in_guest_user_stops_when_that_space_goes)
{
    l4_cptr_t state;
    util_thread_t *t = orphan_in_guest_user(&state);
    /* every cap to the guest-user page directory: it is destroyed */
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, upd, 32), L4_ERR_OK);
    util_delete(upd);
    /* the thread has no address space any more: it stopped, and cannot
     * run until configured again */
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, t->ipc_buffer, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE,
                              t->ipc_frame),
             L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_priority(t->tcb, UTIL_PRIO_HIGH, L4_CAP_INIT_TCB), L4_ERR_OK);
    t->fn = orphan_returns;
    util_thread_start(t);
    CHECK_EQ(t->done, 1);
}

/* The kernel keeps a copy of the guest-user page directory between resumes.
 * When the guest's own caps to it are gone, that copy is the last one, and
 * a resume into another space destroys the directory: with many tables
 * mapped, a walk that a timer tick preempts. (Found reading the code while
 * writing the fuzzer: the resume then went on and filled the slot still
 * holding the dying directory, a kernel panic.) */
#define BIG_TABLES 2000u

static volatile l4_word_t big_phase, big_invoke;
static l4_cptr_t big_go, small_pd;

static void big_entry(void)
{
    upcalls++;
    l4_signal(done_ntfn);
    if (upcalls == 1) {
        l4_wait(big_go, NULL); /* the root drops its caps to the big space */
        REG(15) = USER_CODE_VA;
        if (big_invoke) /* the invocation form (object/vcpu.c decode_resume) */
            l4_vcpu_resume_invoke(vcpu, L4_VCPU_RESUME_USER, small_pd);
        else
            l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, small_pd);
        big_phase = 99; /* only on error */
    }
    for (;;)
        l4_wait(park_ntfn, NULL);
}

static void big_start(util_thread_t *t)
{
    (void)t;
    ST(ENTRY_PC) = (l4_word_t)big_entry;
    ST(ENTRY_SP) = (l4_word_t)&entry_stack[ENTRY_STACK_WORDS];
    REG(15) = USER_CODE_VA;
    REG(16) = 0x10;
    l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, upd);
}

/* The scenario, with the system call (invoke 0) or the invocation. */
static void big_space_resume(l4_word_t invoke)
{
    static const l4_word_t code[] = {I_SVC_0, I_B_SELF};
    util_root_lower();
    upcalls = 0;
    big_phase = 0;
    big_invoke = invoke;
    upd = user_space(code, 2);
    small_pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0); /* the same code, another space */
    CHECK_EQ(l4_page_table_map(util_new(L4_OBJ_PAGE_TABLE, 0), USER_PT_VA, 0, small_pd), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(util_copy(staged_code, L4_RIGHTS_ALL), USER_CODE_VA, L4_RIGHT_READ, 0,
                          small_pd),
             L4_ERR_OK);
    /* the big space: a table in every MiB up to BIG_TABLES */
    l4_cptr_t pts = util_slots(BIG_TABLES);
    for (l4_word_t i = 0; i < BIG_TABLES; i += 250)
        CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_PAGE_TABLE, 0, 0, 0, pts + i,
                                   BIG_TABLES - i < 250 ? BIG_TABLES - i : 250, L4_CAP_INIT_CNODE),
                 L4_ERR_OK);
    for (l4_word_t i = 0; i < BIG_TABLES; i++)
        CHECK_EQ(l4_page_table_map(pts + i, (i + 1) * UTIL_MB, 0, upd), L4_ERR_OK);
    done_ntfn = util_notification();
    park_ntfn = util_notification();
    big_go = util_notification();
    vcpu = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t state = util_map_new_frame(STATE_VA);
    util_thread_t *t = util_thread_create(big_start, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(vcpu, t->tcb, state), L4_ERR_OK);
    util_thread_start(t);
    CHECK_EQ(upcalls, 1); /* the svc in the big space */
    CHECK_EQ(l4_poll(done_ntfn, NULL), L4_ERR_OK);
    /* the kernel's copy in the thread, a child of this cap, becomes the
     * only cap to the big space (deleting its parent splices it up) */
    util_delete(upd);
    CHECK_EQ(l4_signal(big_go), L4_ERR_OK); /* resume into the small space */
    CHECK_EQ(big_phase, 0);
    CHECK_EQ(upcalls, 2); /* the svc in the small space */
    CHECK_EQ(l4_poll(done_ntfn, NULL), L4_ERR_OK);
}

TEST(vcpu_resume_destroying_the_last_copy_of_the_previous_space_may_be_preempted)
{
    big_space_resume(0);
}

/* The same through the invocation (vcpu_resume_invoke): preempted, the
 * invocation is restarted, never answered; it goes on into the small space. */
TEST(vcpu_resume_invoke_destroying_the_last_copy_of_the_previous_space_restarts)
{
    big_space_resume(1);
}
