/* SPDX-License-Identifier: BSD-2-Clause */
/* The vCPU's state transforms, inline: what an upcall and a resume do to
 * the thread and the state page, shared by the slow path (object/vcpu.c)
 * and the fast paths (core/vcpu_fast.c) so that the two cannot differ in
 * anything but the way out of the kernel. Neither switches the address
 * space: each caller does (ks_vspace_dirty, or the fast exit directly). */
#pragma once
#include <arch.h>
#include <arch/cpu.h>
#include <arch/regcopy.h>
#include <object/vcpu.h>
#include <platform.h>
#include <trace.h>

#define VCPU_ALWAYS_INLINE inline __attribute__((always_inline))

/* A context from the state page, as user mode may set it (the flags, GE,
 * IT and T bits of cpsr; pc aligned for its instruction set). */
static VCPU_ALWAYS_INLINE void vcpu_state_load(const word_t *src, arch_context_t *ctx)
{
    arch_copy_regs((word_t *)ctx, src);
    word_t cpsr = (ctx->cpsr & PSR_USER_MASK) | PSR_MODE_USR; /* arch_psr_sanitise */
    ctx->cpsr = cpsr;
    ctx->pc &= (cpsr & PSR_T) ? ~1u : ~3u;
}

static VCPU_ALWAYS_INLINE void vcpu_use_pd(tcb_t *t, const cap_t *pd)
{
    t->vspace_pd = kptr_to_paddr((void *)pd->obj);
    t->asid = pd->data;
}

/* Into virtual user mode in the page directory kept in TCB_SLOT_VCPU_USER:
 * from now the CSpace root resolves nothing (CAP_GUEST_USER). */
static VCPU_ALWAYS_INLINE void vcpu_state_enter_user(tcb_t *t, vcpu_t *v, const word_t *st)
{
    t->slots[TCB_SLOT_CSPACE].cap.rights |= CAP_GUEST_USER;
    vcpu_use_pd(t, &t->slots[TCB_SLOT_VCPU_USER].cap);
    v->user_mode = 1;
    if (!(st[L4_VCPU_STATE_FPEXC] & L4_VCPU_FPEXC_EN))
        arch_fpu_disable(); /* guest user's VFP instructions must trap */
}

/* The guest's acknowledgement of routed interrupts (docs/vcpu.md,
 * "Interrupts routed to a vCPU"), which every resume and sync takes, slow
 * and fast: `ack` is virq_ack read once. The check (the call fails with
 * NOT_ACTIVE, nothing done, unless each bit names a line that awaits its
 * acknowledgement) comes with the call's other checks; the act, after the
 * last of them, clears the word and unmasks each line (at most
 * VCPU_VIRQ_LINES). */
static VCPU_ALWAYS_INLINE bool vcpu_state_ack_ok(const vcpu_t *v, word_t ack)
{
    return !(ack & ~v->virq_active);
}

static VCPU_ALWAYS_INLINE void vcpu_state_ack(vcpu_t *v, word_t *st, word_t ack)
{
    if (!ack)
        return;
    st[L4_VCPU_STATE_VIRQ_ACK] = 0;
    v->virq_active &= ~ack;
    for (; ack; ack &= ack - 1)
        plat_irq_unmask(v->virq_line[__builtin_ctz(ack)]);
}

/* The upcall (docs/vcpu.md, "Upcalls"): the current context to regs (from
 * virtual user mode, which it leaves) or kregs, the cause words, virtual
 * interrupts off, the entry point. The registers other than pc, sp and
 * cpsr keep what the interrupted context had (docs/vcpu.md: unspecified):
 * the guest entry overwrites them, and they are the guest's own, in the
 * state page anyway. Returns whether the address space changed. */
static VCPU_ALWAYS_INLINE bool vcpu_state_upcall(tcb_t *t, vcpu_t *v, word_t cause, word_t addr,
                                                 word_t status)
{
    word_t *st = v->state;
    word_t from_user = v->user_mode;
    trace_upcall(t, cause, addr, from_user, t->ctx.pc);
    arch_copy_regs(from_user ? &st[L4_VCPU_STATE_REGS] : &st[L4_VCPU_STATE_KREGS],
                   (const word_t *)&t->ctx);
    if (from_user) {
        /* Back to virtual kernel mode: the guest-kernel space and CSpace.
         * The copy of the user page directory stays in its slot: the next
         * resume into the same space then needs no capability operation. */
        t->slots[TCB_SLOT_CSPACE].cap.rights &= (uint8_t)~CAP_GUEST_USER;
        vcpu_use_pd(t, &t->slots[TCB_SLOT_VSPACE].cap);
        v->user_mode = 0;
    }
    st[L4_VCPU_STATE_CAUSE] = cause;
    st[L4_VCPU_STATE_FAULT_ADDR] = addr;
    st[L4_VCPU_STATE_FAULT_STATUS] = status;
    st[L4_VCPU_STATE_FROM_USER] = from_user;
    st[L4_VCPU_STATE_VIRQ_ENABLED] = 0;
    word_t entry = st[L4_VCPU_STATE_ENTRY_PC];
    t->ctx.r[CTX_SP] = st[L4_VCPU_STATE_ENTRY_SP];
    t->ctx.pc = entry & ~1u;
    t->ctx.cpsr = PSR_MODE_USR | ((entry & 1u) ? PSR_T : 0);
    return from_user;
}
