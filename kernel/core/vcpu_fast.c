/* SPDX-License-Identifier: BSD-2-Clause */
/* vCPU fast paths (docs/vcpu.md, "Fast paths"): vcpu_resume and vcpu_sync
 * as system calls (L4_SYS_VCPU_RESUME, L4_SYS_VCPU_SYNC; vectors.S sends
 * them here), and the end of an upcall taken on an exception of the
 * running thread. Each makes every check of the slow path in object/vcpu.c
 * and falls back to it (c_handle_syscall -> vcpu_syscall) for anything
 * else: a capability that needs more than one lookup level, a page
 * directory other than the one kept from the last resume (its copy must be
 * replaced, a restartable destruction), an error (a virq_ack bit of a line
 * that awaits no acknowledgement among them). Resume and sync take the
 * guest's acknowledgement of routed interrupts with the slow path's own
 * inline halves (object/vcpu_state.h: vcpu_state_ack_ok, vcpu_state_ack). Nothing changes before
 * the last check, so a fallback starts from the state the call found.
 *
 * Scheduling: these run on a system call or exception of ks_cur that woke
 * nobody, so ks_cur keeps the CPU (no higher-priority thread is runnable
 * while one runs, sched.h, and ks_rotate is only set by a tick, which
 * kernel_exit handles in that same entry); the one thing kernel_exit would
 * still do is deliver a pending virtual interrupt, which is checked here
 * with the same predicate (vcpu_virq_deliverable). The kernel with
 * CONFIG_VCPU_SLOW never comes here: the twin suites compare the two. */
#include <arch.h>
#include <assert.h>
#include <fastpath_asm.h>
#include <invoke.h>
#include <ipc.h>
#include <irq.h>
#include <platform.h>
#include <object/vcpu.h>
#include <object/vcpu_state.h>
#include <sched.h>
#include <trace.h>

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* The layout arch/arm/vcpu_entry.S's assembly upcall (vuser_svc) uses. */
#define FP_OFF(type, field, v) STATIC_ASSERT(__builtin_offsetof(type, field) == (v), #field)
FP_OFF(tcb_t, slots[TCB_SLOT_VSPACE].cap, FP_TCB_VSPACE);
FP_OFF(tcb_t, ctx.r[CTX_SP], 52);
FP_OFF(vcpu_t, state, FP_VCPU_STATE);
FP_OFF(vcpu_t, user_mode, FP_VCPU_USER_MODE);
STATIC_ASSERT(CAP_GUEST_USER == FP_CAP_GUEST_USER && PSR_T == BIT(FP_PSR_T_SHIFT) &&
                  KERNEL_WINDOW_OFFSET == FP_KERNEL_WINDOW_OFFSET,
              "vuser_svc's constants");
/* ... and vcpu_resume_user_asm. */
FP_OFF(tcb_t, slots[TCB_SLOT_VCPU_USER].cap, FP_TCB_VCPU_USER);
FP_OFF(vcpu_t, tcb, FP_VCPU_TCB);
STATIC_ASSERT(FP_VCPU_USER_MODE == FP_VCPU_STATE + 4, "state and user_mode: one LDRD");
STATIC_ASSERT(L4_OBJ_PAGE_DIRECTORY == FP_OBJ_PAGE_DIRECTORY && L4_OBJ_VCPU == FP_OBJ_VCPU &&
                  CAP_ZOMBIE == FP_CAP_ZOMBIE,
              "vcpu_resume_user_asm's constants");
/* ... and vcpu_irq_asm, vcpu_sync_asm and vcpu_resume_kernel. */
FP_OFF(vcpu_t, virq_active, FP_VCPU_VIRQ_ACTIVE);
FP_OFF(vcpu_t, virq_line, FP_VCPU_VIRQ_LINE);
FP_OFF(vcpu_t, virq_below, FP_VCPU_VIRQ_BELOW);
STATIC_ASSERT(sizeof(((vcpu_t *)0)->virq_line[0]) == 1 && sizeof(((vcpu_t *)0)->virq_below[0]) == 4,
              "virq_line bytes, virq_below words");
STATIC_ASSERT(FP_PSR_USER_MASK == PSR_USER_MASK, "PSR_USER_MASK");

/* What a failed fast lookup returns: an empty slot, so the caller's type
 * check is the only test (no separate NULL check). Never written. */
static cte_t vcpu_fast_none;

/* The slot addressed by cptr if the CSpace root resolves it in one level:
 * the IPC fastpath's lookup (core/fastpath.c), with the same refusal of a
 * root being destroyed or in virtual user mode (CAP_UNRESOLVABLE). */
static ALWAYS_INLINE const cte_t *vcpu_fast_lookup(const tcb_t *t, word_t cptr)
{
    const cap_t *root = &t->slots[TCB_SLOT_CSPACE].cap;
    if (unlikely(root->guard_bits + root->bits != 32 || (root->rights & CAP_UNRESOLVABLE) ||
                 (cptr >> root->bits) != root->data))
        return &vcpu_fast_none;
    return &((const cte_t *)root->obj)[cptr & MASK(root->bits)];
}

/* A second lookup in the same call, after vcpu_fast_lookup succeeded: the
 * root is the same and known to be usable, only the guard is checked. */
static ALWAYS_INLINE const cte_t *vcpu_fast_lookup_again(const tcb_t *t, word_t cptr)
{
    const cap_t *root = &t->slots[TCB_SLOT_CSPACE].cap;
    if (unlikely((cptr >> root->bits) != root->data))
        return &vcpu_fast_none;
    return &((const cte_t *)root->obj)[cptr & MASK(root->bits)];
}

/* The VCPU at cptr if the cap is one and it is bound to t, else NULL. */
static ALWAYS_INLINE vcpu_t *vcpu_fast_own(const tcb_t *t, word_t cptr)
{
    const cte_t *slot = vcpu_fast_lookup(t, cptr);
    if (unlikely(slot->cap.type != L4_OBJ_VCPU))
        return NULL;
    vcpu_t *v = (vcpu_t *)slot->cap.obj;
    return likely(v->tcb == t) ? v : NULL;
}

static ALWAYS_INLINE NORETURN void vcpu_fast_leave(tcb_t *t, bool new_space)
{
    if (new_space)
        arch_vspace_activate(t->vspace_pd, t->asid);
    trace_exit(t);
    arch_restore_user_context(&t->ctx);
}

NORETURN void vcpu_fast_upcall(tcb_t *t, word_t cause, word_t addr, word_t status)
{
    vcpu_fast_leave(t, vcpu_state_upcall(t, t->vcpu, cause, addr, status));
}

/* A guest-user svc through arm_vcpu_user_vectors (arch/arm/vcpu_entry.S):
 * t is ks_cur, a vCPU in virtual user mode (the table is only in place
 * between a fast resume into it and the next kernel entry). Only in the
 * trace and stats configurations: the others take vuser_svc's assembly
 * version of this same upcall. */
NORETURN void vcpu_fast_user_svc(tcb_t *t)
{
    assert_debug(t == ks_cur && t->vcpu && t->vcpu->user_mode);
    trace_syscall(t, t->ctx.r[7], t->ctx.r[0], t->ctx.r[1]);
    vcpu_fast_leave(t, vcpu_state_upcall(t, t->vcpu, L4_VCPU_CAUSE_SYSCALL, 0, 0));
}

/* An interrupt while a guest-user context runs (arch/arm/vcpu_entry.S): t
 * is ks_cur, a vCPU in virtual user mode. A line delivered to t's own
 * notification is a virtual interrupt that wakes nobody, so t keeps the
 * CPU and, with virtual interrupts on, takes the upcall at once; any other
 * interrupt (the kernel tick, another thread's line) and a virtual
 * interrupt that is off take c_handle_irq's path from there. A second
 * pending line is taken as soon as user mode unmasks interrupts again. */
NORETURN void vcpu_fast_irq(tcb_t *t)
{
    assert_debug(t == ks_cur && t->vcpu && t->vcpu->user_mode);
    trace_entry(t, TRACE_ENTRY_IRQ);
    uint32_t irq = plat_irq_claim();
    if (likely(irq_to_running_vcpu(irq, t))) {
        if (vcpu_virq_deliverable(t->vcpu))
            vcpu_fast_leave(t, vcpu_state_upcall(t, t->vcpu, L4_VCPU_CAUSE_VIRQ, 0, 0));
    } else if (irq != PLAT_IRQ_NONE) {
        irq_handle_one(irq);
    }
    irq_handle_pending();
    kernel_exit();
}

/* The exception return into virtual user mode takes svc and the other
 * exceptions through arm_vcpu_user_vectors (arch/arm/vcpu_entry.S). */
static ALWAYS_INLINE void vcpu_fast_user_vectors(void)
{
    extern char arm_vcpu_user_vectors[];
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0" ::"r"(arm_vcpu_user_vectors)); /* VBAR */
}

NORETURN void vcpu_fast_exit_deliver(tcb_t *t)
{
    /* A slow-path resume in this same entry may have left the switch to
     * do (ks_vspace_dirty): the upcall's own switch, if any, covers it. */
    bool dirty = ks_vspace_dirty;
    ks_vspace_dirty = false;
    vcpu_fast_leave(t, vcpu_state_upcall(t, t->vcpu, L4_VCPU_CAUSE_VIRQ, 0, 0) || dirty);
}

/* A pending, enabled virtual interrupt interrupts the context about to
 * run (the same test as kernel_exit's vcpu_check_pending). */
static NORETURN void vcpu_fast_deliver(tcb_t *t, bool new_space)
{
    new_space ^= vcpu_state_upcall(t, t->vcpu, L4_VCPU_CAUSE_VIRQ, 0, 0);
    vcpu_fast_leave(t, new_space);
}

/* The resume, after the VCPU check, with `ack` = virq_ack as read (0: the
 * body without the acknowledgement; both bodies are inlined, so either
 * case pays one test of the word, in vcpu_fast_resume). A bit that is not an active line is the
 * slow path's error (NOT_ACTIVE). */
static ALWAYS_INLINE NORETURN void vcpu_fast_resume_body(word_t cptr, word_t mode, tcb_t *t,
                                                         vcpu_t *v, word_t ack)
{
    word_t *st = v->state;
    bool user = mode == L4_VCPU_RESUME_USER;
    if (ack && unlikely(!vcpu_state_ack_ok(v, ack)))
        c_handle_syscall(cptr, mode, t, L4_SYS_VCPU_RESUME);
    if (!user) {
        if (unlikely(mode != L4_VCPU_RESUME_KERNEL))
            c_handle_syscall(cptr, mode, t, L4_SYS_VCPU_RESUME);
        trace_syscall(t, L4_SYS_VCPU_RESUME, cptr, mode);
        vcpu_state_load(&st[L4_VCPU_STATE_KREGS], &t->ctx);
    } else {
        /* The page directory kept from the last resume: named by
         * L4_CAP_NULL (no lookup: the kept copy is the capability), or
         * named again. */
        const cap_t *held = &t->slots[TCB_SLOT_VCPU_USER].cap;
        word_t pdc = t->ctx.r[2];
        if (pdc == L4_CAP_NULL) {
            if (unlikely(held->type != L4_OBJ_PAGE_DIRECTORY || (held->rights & CAP_ZOMBIE)))
                c_handle_syscall(cptr, mode, t, L4_SYS_VCPU_RESUME);
        } else {
            const cap_t *pd = &vcpu_fast_lookup_again(t, pdc)->cap;
            if (unlikely(pd->type != L4_OBJ_PAGE_DIRECTORY ||
                         held->type != L4_OBJ_PAGE_DIRECTORY || held->obj != pd->obj ||
                         ((pd->rights | held->rights) & CAP_ZOMBIE)))
                c_handle_syscall(cptr, mode, t, L4_SYS_VCPU_RESUME);
        }
        trace_syscall(t, L4_SYS_VCPU_RESUME, cptr, mode);
        vcpu_state_load(&st[L4_VCPU_STATE_REGS], &t->ctx);
        vcpu_state_enter_user(t, v, st);
    }
    if (ack)
        vcpu_state_ack(v, st, ack);
    st[L4_VCPU_STATE_VIRQ_ENABLED] = 1;
    trace_resume(t, mode, t->ctx.pc);
    if (unlikely(vcpu_virq_deliverable(v)))
        vcpu_fast_deliver(t, user);
    if (user)
        vcpu_fast_user_vectors();
    vcpu_fast_leave(t, user);
}

/* r0 = the VCPU, r1 = the mode, ctx.r[2] = the page directory (USER).
 * Outside the trace and stats configurations, vcpu_resume_user_asm and
 * vcpu_resume_kernel (arch/arm/vcpu_entry.S) have taken their common
 * cases already and send everything else here unchanged. */
NORETURN void vcpu_fast_resume(word_t cptr, word_t mode, tcb_t *t)
{
    vcpu_t *v = vcpu_fast_own(t, cptr);
    if (unlikely(!v || v->user_mode))
        c_handle_syscall(cptr, mode, t, L4_SYS_VCPU_RESUME);
    word_t ack = v->state[L4_VCPU_STATE_VIRQ_ACK];
    if (ack)
        vcpu_fast_resume_body(cptr, mode, t, v, ack);
    vcpu_fast_resume_body(cptr, mode, t, v, 0);
}

/* The sync, after the VCPU check, with `ack` as vcpu_fast_resume_body. */
static ALWAYS_INLINE NORETURN void vcpu_fast_sync_body(word_t cptr, word_t info, tcb_t *t,
                                                       vcpu_t *v, word_t ack)
{
    if (ack) {
        if (unlikely(!vcpu_state_ack_ok(v, ack)))
            c_handle_syscall(cptr, info, t, L4_SYS_VCPU_SYNC);
        vcpu_state_ack(v, v->state, ack);
    }
    trace_syscall(t, L4_SYS_VCPU_SYNC, cptr, info);
    t->ctx.r[0] = L4_ERR_OK;
    if (unlikely(vcpu_virq_deliverable(v)))
        vcpu_fast_deliver(t, false);
    vcpu_fast_leave(t, false);
}

/* r0 = the VCPU. Outside the trace and stats configurations,
 * vcpu_sync_asm (arch/arm/vcpu_entry.S) has taken the case with nothing
 * to deliver already and sends everything else here unchanged. */
NORETURN void vcpu_fast_sync(word_t cptr, word_t info, tcb_t *t)
{
    vcpu_t *v = vcpu_fast_own(t, cptr);
    if (unlikely(!v))
        c_handle_syscall(cptr, info, t, L4_SYS_VCPU_SYNC);
    word_t ack = v->state[L4_VCPU_STATE_VIRQ_ACK];
    if (ack)
        vcpu_fast_sync_body(cptr, info, t, v, ack);
    vcpu_fast_sync_body(cptr, info, t, v, 0);
}
