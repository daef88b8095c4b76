/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtual CPU objects (object/vcpu.c, docs/vcpu.md). */
#pragma once
#include <object/tcb.h>

typedef struct vcpu {
    tcb_t *tcb;       /* bound thread, or NULL */
    word_t *state;    /* kernel address of the shared state page */
    word_t user_mode; /* 1: the thread runs a guest-user context */
    word_t pad;
} vcpu_t;

STATIC_ASSERT(sizeof(void *) != 4 || sizeof(vcpu_t) <= (1u << L4_OBJ_VCPU_BITS), "vcpu size");

/* Exception from the thread's current context: upcall the guest kernel if
 * the thread is a vCPU in virtual user mode (returns true), else false.
 * The check is inline: it is on every slow-path system call. */
void vcpu_upcall(tcb_t *t, word_t cause, word_t addr, word_t status);
static inline bool vcpu_user_exception(tcb_t *t, word_t cause, word_t addr, word_t status)
{
    if (likely(!t->vcpu) || !t->vcpu->user_mode)
        return false;
    vcpu_upcall(t, cause, addr, status);
    return true;
}
/* May t's current context use the real FPU? Not a guest-user context whose
 * guest kernel has its virtual FPU off (state page fpexc): there a VFP
 * instruction is the guest kernel's own undefined-instruction trap. */
static inline bool vcpu_fpu_enabled(const tcb_t *t)
{
    return likely(!t->vcpu) || !t->vcpu->user_mode ||
           (t->vcpu->state[L4_VCPU_STATE_FPEXC] & L4_VCPU_FPEXC_EN);
}
/* Is a virtual interrupt pending that the guest has enabled, so that the
 * next return to the vCPU's thread must be an upcall? The one definition
 * every exit path (slow, and each fast path) asks. */
static inline bool vcpu_virq_deliverable(const vcpu_t *v)
{
    return v->state[L4_VCPU_STATE_VIRQ_ENABLED] && v->state[L4_VCPU_STATE_VIRQ_PENDING];
}
/* Before a vCPU thread returns to user mode: deliver pending virtual
 * interrupts if enabled. */
void vcpu_check_pending(tcb_t *t);
/* A signal for the vCPU bound to t (t not waiting on the notification). */
void vcpu_signal(tcb_t *t, word_t bits);
void vcpu_finalise(vcpu_t *v);
void vcpu_tcb_finalise(tcb_t *t);

/* The running thread's address space changed under it (kernel_exit must
 * reload it even though the thread stays the same). */
extern bool ks_vspace_dirty;
