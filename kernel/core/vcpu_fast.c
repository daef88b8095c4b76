/* SPDX-License-Identifier: BSD-2-Clause */
/* vCPU fast paths (docs/vcpu.md, "Fast paths"): vcpu_resume and vcpu_sync
 * as system calls (L4_SYS_VCPU_RESUME, L4_SYS_VCPU_SYNC; vectors.S sends
 * them here), and the end of an upcall taken on an exception of the
 * running thread. Each makes every check of the slow path in object/vcpu.c
 * and falls back to it (c_handle_syscall -> vcpu_syscall) for anything
 * else: a capability that needs more than one lookup level, a page
 * directory other than the one kept from the last resume (its copy must be
 * replaced, a restartable destruction), an error. Nothing changes before
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
#include <arch/cpu.h>
#include <arch/regcopy.h>
#include <invoke.h>
#include <ipc.h>
#include <object/vcpu.h>
#include <sched.h>
#include <trace.h>

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* The slot addressed by cptr if the CSpace root resolves it in one level:
 * the IPC fastpath's lookup (core/fastpath.c), with the same refusal of a
 * root being destroyed or in virtual user mode (CAP_UNRESOLVABLE). */
static ALWAYS_INLINE cte_t *vcpu_fast_lookup(const tcb_t *t, word_t cptr)
{
    const cap_t *root = &t->slots[TCB_SLOT_CSPACE].cap;
    if (unlikely(root->guard_bits + root->bits != 32 || (root->rights & CAP_UNRESOLVABLE)))
        return NULL;
    if (unlikely((cptr >> root->bits) != root->data))
        return NULL;
    return &((cte_t *)root->obj)[cptr & MASK(root->bits)];
}

/* The VCPU cap at cptr if it is bound to t, else NULL (slow path). */
static ALWAYS_INLINE vcpu_t *vcpu_fast_own(const tcb_t *t, word_t cptr)
{
    cte_t *slot = vcpu_fast_lookup(t, cptr);
    if (unlikely(!slot || slot->cap.type != L4_OBJ_VCPU))
        return NULL;
    vcpu_t *v = (vcpu_t *)slot->cap.obj;
    return likely(v->tcb == t && !v->user_mode) ? v : NULL;
}

/* state_to_ctx of object/vcpu.c. */
static ALWAYS_INLINE void vcpu_fast_load(const word_t *src, arch_context_t *ctx)
{
    arch_copy_regs((word_t *)ctx, src);
    ctx->cpsr = arch_psr_sanitise(ctx->cpsr);
    ctx->pc &= (ctx->cpsr & PSR_T) ? ~1u : ~3u;
}

NORETURN void vcpu_fast_upcall_exit(tcb_t *t)
{
    if (ks_vspace_dirty) {
        ks_vspace_dirty = false;
        arch_vspace_activate(t->vspace_pd, t->asid);
    }
    trace_exit(t);
    arch_restore_user_context(&t->ctx);
}

/* Deliver what the resumed or syncing context has pending, then go. */
static ALWAYS_INLINE NORETURN void vcpu_fast_exit(tcb_t *t, vcpu_t *v)
{
    if (vcpu_virq_deliverable(v))
        vcpu_upcall(t, L4_VCPU_CAUSE_VIRQ, 0, 0);
    vcpu_fast_upcall_exit(t);
}

/* r0 = the VCPU, r1 = the mode, ctx.r[2] = the page directory (USER). */
NORETURN void vcpu_fast_resume(word_t cptr, word_t mode, tcb_t *t)
{
    vcpu_t *v = vcpu_fast_own(t, cptr);
    if (unlikely(!v))
        c_handle_syscall(cptr, mode, t, L4_SYS_VCPU_RESUME);
    if (mode == L4_VCPU_RESUME_KERNEL) {
        trace_syscall(t, L4_SYS_VCPU_RESUME, cptr, mode);
        vcpu_fast_load(&v->state[L4_VCPU_STATE_KREGS], &t->ctx);
    } else {
        /* The page directory kept from the last resume, named again. */
        cte_t *pd = vcpu_fast_lookup(t, t->ctx.r[2]);
        const cap_t *held = &t->slots[TCB_SLOT_VCPU_USER].cap;
        if (unlikely(mode != L4_VCPU_RESUME_USER || !pd ||
                     pd->cap.type != L4_OBJ_PAGE_DIRECTORY || (pd->cap.rights & CAP_ZOMBIE) ||
                     held->type != L4_OBJ_PAGE_DIRECTORY || held->obj != pd->cap.obj ||
                     (held->rights & CAP_ZOMBIE)))
            c_handle_syscall(cptr, mode, t, L4_SYS_VCPU_RESUME);
        trace_syscall(t, L4_SYS_VCPU_RESUME, cptr, mode);
        vcpu_fast_load(&v->state[L4_VCPU_STATE_REGS], &t->ctx);
        vcpu_enter_user(t, v);
    }
    v->state[L4_VCPU_STATE_VIRQ_ENABLED] = 1;
    trace_resume(t, mode, t->ctx.pc);
    vcpu_fast_exit(t, v);
}

/* r0 = the VCPU. */
NORETURN void vcpu_fast_sync(word_t cptr, word_t info, tcb_t *t)
{
    vcpu_t *v = vcpu_fast_own(t, cptr);
    if (unlikely(!v))
        c_handle_syscall(cptr, info, t, L4_SYS_VCPU_SYNC);
    trace_syscall(t, L4_SYS_VCPU_SYNC, cptr, info);
    t->ctx.r[0] = L4_ERR_OK;
    vcpu_fast_exit(t, v);
}
