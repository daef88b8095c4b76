/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtual CPUs (docs/vcpu.md): a thread bound to a VCPU runs a guest kernel
 * in its configured address space ("virtual kernel mode") and guest-user
 * contexts in other address spaces ("virtual user mode"). In virtual user
 * mode the thread's CSpace root carries CAP_GUEST_USER, so it resolves no
 * capability at all: every system call, including on the IPC fastpath,
 * fails its lookup and reaches c_handle_syscall, which turns it into an
 * upcall. This file is the slow path and the reference: core/vcpu_fast.c
 * short-cuts resume, sync and the end of an upcall with the same checks. */
#include <arch.h>
#include <invoke.h>
#include <irq.h>
#include <object/lifecycle.h>
#include <object/vcpu.h>
#include <object/vcpu_state.h>
#include <object/vcpu_timer.h>
#include <sched.h>
#include <trace.h>

#define ST(v, f) ((v)->state[L4_VCPU_STATE_##f])

bool ks_vspace_dirty;

void vcpu_upcall(tcb_t *t, word_t cause, word_t addr, word_t status)
{
    if (vcpu_state_upcall(t, t->vcpu, cause, addr, status) && t == ks_cur)
        ks_vspace_dirty = true;
}

void vcpu_check_pending(tcb_t *t)
{
    if (vcpu_virq_deliverable(t->vcpu))
        vcpu_upcall(t, L4_VCPU_CAUSE_VIRQ, 0, 0);
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
    /* A thread an earlier vCPU left in virtual user mode still has its
     * CSpace root marked unresolvable: configure it first (which replaces
     * the root). Binding it would hand the new guest kernel a thread that
     * resumes guest-user code with the guest kernel's CSpace. */
    if (t->slots[TCB_SLOT_CSPACE].cap.rights & CAP_GUEST_USER)
        return L4_ERR_ILLEGAL_OPERATION;

    tcb_slot_clear(t, TCB_SLOT_VCPU_STATE); /* left by an earlier vCPU: a copy */
    tcb_slot_set(t, TCB_SLOT_VCPU_STATE, inv->caps[1], cap_derive(fc));
    v->tcb = t;
    v->state = (word_t *)fc->obj;
    v->user_mode = 0;
    vcpu_prio_reset(v); /* every line 0, nothing masked (object/vcpu_prio.c) */
    t->vcpu = v;
    return L4_ERR_OK;
}

word_t vcpu_decode_resume(tcb_t *t, vcpu_t *v, word_t mode, cte_t *pd)
{
    if (v->tcb != t || v->user_mode)
        return L4_ERR_ILLEGAL_OPERATION;
    if (mode != L4_VCPU_RESUME_USER && mode != L4_VCPU_RESUME_KERNEL)
        return L4_ERR_INVALID_ARGUMENT;
    word_t ack = ST(v, VIRQ_ACK);
    if (mode == L4_VCPU_RESUME_KERNEL) {
        if (!vcpu_state_ack_ok(v, ack))
            return L4_ERR_NOT_ACTIVE;
        vcpu_state_load(&ST(v, KREGS), &t->ctx);
    } else {
        if (!pd)
            return L4_ERR_TRUNCATED_MESSAGE;
        if (pd->cap.type != L4_OBJ_PAGE_DIRECTORY || (pd->cap.rights & CAP_ZOMBIE))
            return inv_wrong_cap(&pd->cap);
        if (!vcpu_state_ack_ok(v, ack))
            return L4_ERR_NOT_ACTIVE;
        cte_t *held = &t->slots[TCB_SLOT_VCPU_USER];
        bool same = held->cap.type == L4_OBJ_PAGE_DIRECTORY && held->cap.obj == pd->cap.obj &&
                    !(held->cap.rights & CAP_ZOMBIE);
        /* The copy kept from the last resume may be the last cap to that
         * space by now: destroying it is a walk that can be preempted. Then
         * the call restarts, nothing else changed, and goes on with it. */
        if (!same && !tcb_slot_clear(t, TCB_SLOT_VCPU_USER))
            return VCPU_RESTART;
        vcpu_state_load(&ST(v, REGS), &t->ctx);
        if (!same)
            tcb_slot_set(t, TCB_SLOT_VCPU_USER, pd, cap_derive(&pd->cap));
        vcpu_state_enter_user(t, v, v->state);
        if (t == ks_cur)
            ks_vspace_dirty = true;
    }
    vcpu_state_ack(v, v->state, ack);
    ST(v, VIRQ_ENABLED) = 1;
    trace_resume(t, mode, t->ctx.pc);
    return L4_ERR_OK;
}

/* vcpu_sync's decode, shared by the invocation and the system call: the
 * acknowledgement; delivery happens on the way out (kernel_exit ->
 * vcpu_check_pending). */
static word_t vcpu_decode_sync(const tcb_t *t, vcpu_t *v)
{
    if (v->tcb != t)
        return L4_ERR_ILLEGAL_OPERATION;
    word_t ack = ST(v, VIRQ_ACK);
    if (!vcpu_state_ack_ok(v, ack))
        return L4_ERR_NOT_ACTIVE;
    vcpu_state_ack(v, v->state, ack);
    return L4_ERR_OK;
}

static word_t decode_resume(invocation_t *inv, vcpu_t *v)
{
    if (inv->length < 1 && v->tcb == inv->caller && !v->user_mode)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t mode = inv->length < 1 ? ~0u : inv_arg(inv, 0);
    word_t err = vcpu_decode_resume(inv->caller, v, mode, inv->ncaps < 1 ? NULL : inv->caps[0]);
    if (err == VCPU_RESTART) {
        inv->restart = true;
        return L4_ERR_OK;
    }
    inv->no_reply = true; /* the registers are the resumed context's */
    return err;
}

/* The system-call forms: r0 the VCPU, r1 the mode, r2 the page directory
 * (looked up only for L4_VCPU_RESUME_USER). Only r0 is written: the error,
 * or (sync) L4_ERR_OK; a resume that succeeds returns nothing, its
 * registers are the resumed context's. */
void vcpu_syscall(tcb_t *t, word_t sysno)
{
    cte_t *slot = cspace_lookup_cap(tcb_cspace(t), t->ctx.r[0]);
    word_t err = L4_ERR_OK;
    if (!slot || cap_is_null(&slot->cap))
        err = L4_ERR_FAILED_LOOKUP;
    else if (slot->cap.type != L4_OBJ_VCPU)
        err = L4_ERR_INVALID_CAPABILITY;
    else if (sysno == L4_SYS_VCPU_SYNC) {
        err = vcpu_decode_sync(t, (vcpu_t *)slot->cap.obj);
    } else {
        vcpu_t *v = (vcpu_t *)slot->cap.obj;
        word_t mode = t->ctx.r[1];
        cte_t *pd = NULL;
        if (mode == L4_VCPU_RESUME_USER && v->tcb == t && !v->user_mode) {
            /* L4_CAP_NULL (a slot that is always empty) names the page
             * directory kept from the last resume into guest user: its
             * copy, a capability the thread holds; empty if none. */
            if (t->ctx.r[2] == L4_CAP_NULL)
                pd = &t->slots[TCB_SLOT_VCPU_USER];
            else
                pd = cspace_lookup_cap(tcb_cspace(t), t->ctx.r[2]);
            if (!pd) {
                t->ctx.r[0] = L4_ERR_FAILED_LOOKUP;
                return;
            }
        }
        err = vcpu_decode_resume(t, v, mode, pd);
        if (err == VCPU_RESTART) {
            t->ctx.pc -= (t->ctx.cpsr & PSR_T) ? 2 : 4; /* the same svc again */
            return;
        }
        if (err == L4_ERR_OK)
            return;
    }
    t->ctx.r[0] = err;
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
        return vcpu_decode_sync(inv->caller, v);
    case L4_VCPU_SET_PRIORITY:
        return decode_vcpu_set_priority(inv, v); /* object/vcpu_prio.c */
    case L4_VCPU_SET_TIMER:
    case L4_VCPU_CANCEL_TIMER:
    case L4_VCPU_READ_TIME:
        return decode_vcpu_timer(inv, v); /* object/vcpu_timer.c */
    default:
        return L4_ERR_ILLEGAL_OPERATION;
    }
}

void vcpu_finalise(vcpu_t *v)
{
    /* A thread left in virtual user mode continues there as an ordinary
     * thread, still without capabilities: it must not gain the guest
     * kernel's, so its CSpace root keeps CAP_GUEST_USER until configure
     * replaces the thread's spaces (and vcpu_bind refuses it until then);
     * its space is TCB_SLOT_VCPU_USER's, lost like any other
     * (tcb_slot_lost). Its timers stop with the binding. */
    vcpu_timer_disarm_all(v);
    /* Its routed interrupts end, masked. */
    irq_unroute_vcpu(v);
    if (v->tcb)
        v->tcb->vcpu = NULL;
    v->tcb = NULL;
}

void vcpu_tcb_finalise(tcb_t *t)
{
    /* Unbound: no state page any more, so no routed interrupt and no timer. */
    if (t->vcpu) {
        irq_unroute_vcpu(t->vcpu);
        vcpu_timer_disarm_all(t->vcpu); /* an unbound vCPU has no timer armed */
        t->vcpu->tcb = NULL;
    }
    t->vcpu = NULL;
}
