/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtual CPUs (docs/vcpu.md): a thread bound to a VCPU runs a guest kernel
 * in its configured address space ("virtual kernel mode") and guest-user
 * contexts in other address spaces ("virtual user mode"). In virtual user
 * mode the thread's CSpace root is parked in TCB_SLOT_VCPU_CSPACE, so it
 * has no capabilities at all: every system call, including on the IPC
 * fastpath, fails its lookup and reaches c_handle_syscall, which turns it
 * into an upcall. */
#include <arch.h>
#include <invoke.h>
#include <object/lifecycle.h>
#include <object/vcpu.h>
#include <sched.h>
#include <trace.h>

#define ST(v, f) ((v)->state[L4_VCPU_STATE_##f])

bool ks_vspace_dirty;

static void ctx_to_state(const arch_context_t *ctx, word_t *dst)
{
    for (unsigned i = 0; i < CTX_NREGS; i++)
        dst[i] = ctx->r[i];
    dst[CTX_NREGS] = ctx->pc;
    dst[CTX_NREGS + 1] = ctx->cpsr;
}

static void state_to_ctx(const word_t *src, arch_context_t *ctx)
{
    for (unsigned i = 0; i < CTX_NREGS; i++)
        ctx->r[i] = src[i];
    ctx->cpsr = arch_psr_sanitise(src[CTX_NREGS + 1]);
    ctx->pc = src[CTX_NREGS] & ((ctx->cpsr & BIT(5)) ? ~1u : ~3u);
}

static void thread_use_vspace(tcb_t *t, const cap_t *pd)
{
    t->vspace_pd = kptr_to_paddr((void *)pd->obj);
    t->asid = pd->data;
    if (t == ks_cur)
        ks_vspace_dirty = true;
}

/* Back to virtual kernel mode: the guest-kernel space and CSpace. The copy
 * of the user page directory stays in its slot: the next resume into the
 * same space (the common case) then needs no capability operation. */
static void vcpu_leave_user(tcb_t *t, vcpu_t *v)
{
    cdt_move(&t->slots[TCB_SLOT_VCPU_CSPACE], &t->slots[TCB_SLOT_CSPACE]);
    thread_use_vspace(t, &t->slots[TCB_SLOT_VSPACE].cap);
    v->user_mode = 0;
}

void vcpu_upcall(tcb_t *t, word_t cause, word_t addr, word_t status)
{
    vcpu_t *v = t->vcpu;
    trace_upcall(t, cause, addr, v->user_mode, t->ctx.pc);
    if (v->user_mode) {
        ctx_to_state(&t->ctx, &ST(v, REGS));
        ST(v, FROM_USER) = 1;
        vcpu_leave_user(t, v);
    } else {
        ctx_to_state(&t->ctx, &ST(v, KREGS));
        ST(v, FROM_USER) = 0;
    }
    ST(v, CAUSE) = cause;
    ST(v, FAULT_ADDR) = addr;
    ST(v, FAULT_STATUS) = status;
    ST(v, VIRQ_ENABLED) = 0;
    word_t entry = ST(v, ENTRY_PC);
    arch_context_init(&t->ctx, entry, ST(v, ENTRY_SP));
}

void vcpu_check_pending(tcb_t *t)
{
    if (vcpu_virq_deliverable(t->vcpu))
        vcpu_upcall(t, L4_VCPU_CAUSE_VIRQ, 0, 0);
}

void vcpu_signal(tcb_t *t, word_t bits)
{
    ST(t->vcpu, VIRQ_PENDING) |= bits; /* delivered by vcpu_check_pending */
}

static word_t decode_bind(invocation_t *inv, vcpu_t *v)
{
    if (inv->ncaps < 2)
        return L4_ERR_TRUNCATED_MESSAGE;
    const cap_t *tc = &inv->caps[0]->cap, *fc = &inv->caps[1]->cap;
    if (tc->type != L4_OBJ_TCB || (tc->rights & CAP_ZOMBIE))
        return inv_wrong_cap(tc);
    if (fc->type != L4_OBJ_FRAME_4K)
        return inv_wrong_cap(fc);
    if (cap_is_device(fc))
        return L4_ERR_INVALID_CAPABILITY; /* the kernel has no mapping of it */
    if (!frame_cap_allows(fc, L4_RIGHT_READ | L4_RIGHT_WRITE)) /* upcalls write it */
        return L4_ERR_INSUFFICIENT_RIGHTS;
    tcb_t *t = tcb_of_cap(tc);
    if (v->tcb || t->vcpu)
        return L4_ERR_ILLEGAL_OPERATION;
    /* A thread an earlier vCPU left in virtual user mode still holds that
     * session's parked CSpace root: configure it first (which clears it). */
    if (!cap_is_null(&t->slots[TCB_SLOT_VCPU_CSPACE].cap))
        return L4_ERR_ILLEGAL_OPERATION;

    tcb_slot_clear(t, TCB_SLOT_VCPU_STATE); /* left by an earlier vCPU: a copy */
    tcb_slot_set(t, TCB_SLOT_VCPU_STATE, inv->caps[1], cap_derive(fc));
    v->tcb = t;
    v->state = (word_t *)fc->obj;
    v->user_mode = 0;
    t->vcpu = v;
    return L4_ERR_OK;
}

static word_t decode_resume(invocation_t *inv, vcpu_t *v)
{
    tcb_t *t = inv->caller;
    if (v->tcb != t || v->user_mode)
        return L4_ERR_ILLEGAL_OPERATION;
    if (inv->length < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t mode = inv_arg(inv, 0);
    if (mode != L4_VCPU_RESUME_USER && mode != L4_VCPU_RESUME_KERNEL)
        return L4_ERR_INVALID_ARGUMENT;
    if (mode == L4_VCPU_RESUME_KERNEL) {
        state_to_ctx(&ST(v, KREGS), &t->ctx);
    } else {
        if (inv->ncaps < 1)
            return L4_ERR_TRUNCATED_MESSAGE;
        cte_t *pd = inv->caps[0];
        if (pd->cap.type != L4_OBJ_PAGE_DIRECTORY || (pd->cap.rights & CAP_ZOMBIE))
            return inv_wrong_cap(&pd->cap);
        cte_t *held = &t->slots[TCB_SLOT_VCPU_USER];
        bool same = held->cap.type == L4_OBJ_PAGE_DIRECTORY && held->cap.obj == pd->cap.obj &&
                    !(held->cap.rights & CAP_ZOMBIE);
        /* The copy kept from the last resume may be the last cap to that
         * space by now: destroying it is a walk that can be preempted. Then
         * the call restarts, nothing else changed, and goes on with it. */
        if (!same && !tcb_slot_clear(t, TCB_SLOT_VCPU_USER)) {
            inv->restart = true;
            return L4_ERR_OK;
        }
        state_to_ctx(&ST(v, REGS), &t->ctx);
        if (!same)
            tcb_slot_set(t, TCB_SLOT_VCPU_USER, pd, cap_derive(&pd->cap));
        cdt_move(&t->slots[TCB_SLOT_CSPACE], &t->slots[TCB_SLOT_VCPU_CSPACE]);
        thread_use_vspace(t, &held->cap);
        v->user_mode = 1;
        if (!vcpu_fpu_enabled(t))
            arch_fpu_disable(); /* guest user's VFP instructions must trap */
    }
    ST(v, VIRQ_ENABLED) = 1;
    trace_resume(t, mode, t->ctx.pc);
    inv->no_reply = true; /* the registers are the resumed context's */
    return L4_ERR_OK;
}

word_t decode_vcpu(invocation_t *inv)
{
    vcpu_t *v = (vcpu_t *)inv->slot->cap.obj;
    switch (inv->label) {
    case L4_VCPU_BIND:
        return decode_bind(inv, v);
    case L4_VCPU_RESUME:
        return decode_resume(inv, v);
    case L4_VCPU_SYNC:
        /* Delivery happens on the way out (kernel_exit -> vcpu_check_pending). */
        return v->tcb == inv->caller ? L4_ERR_OK : L4_ERR_ILLEGAL_OPERATION;
    default:
        return L4_ERR_ILLEGAL_OPERATION;
    }
}

void vcpu_finalise(vcpu_t *v)
{
    /* A thread left in virtual user mode continues there as an ordinary
     * thread, still without a CSpace: it must not gain the guest kernel's,
     * which stays parked in TCB_SLOT_VCPU_CSPACE until configure replaces
     * the thread's spaces (and vcpu_bind refuses it until then); its space
     * is TCB_SLOT_VCPU_USER's, lost like any other (tcb_slot_lost). */
    if (v->tcb)
        v->tcb->vcpu = NULL;
    v->tcb = NULL;
}

void vcpu_tcb_finalise(tcb_t *t)
{
    if (t->vcpu)
        t->vcpu->tcb = NULL;
    t->vcpu = NULL;
}
