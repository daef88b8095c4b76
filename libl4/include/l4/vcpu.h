/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The vCPU state page from the guest kernel's side (docs/vcpu.md): field
 * accessors and the virtual interrupt-flag helpers a paravirtual guest uses
 * in place of cpsid/cpsie. Struct-free on purpose: the layout is the word
 * offsets L4_VCPU_STATE_* generated from libl4/abi.def, so kernel, library
 * and guests cannot drift apart.
 *
 * `st` is the state page as the guest kernel maps it (any address it chose;
 * under our VMM it is GUEST_STATE_VADDR). Every access is volatile: the
 * kernel writes the page whenever the vCPU's thread enters it, so a load
 * must not be cached across a system call or an upcall.
 *
 * Concurrency: only the vCPU's own thread and the kernel touch the page, on
 * one processor. The kernel changes virq_pending (ORs bits in) and
 * virq_enabled (clears it on an upcall, sets it on resume) and clears
 * virq_ack (in the thread's own resume or sync) only while the
 * thread is in the kernel, and it clears the exclusive monitor whenever it
 * returns to the thread, so an ldrex/strex pair interrupted by the kernel
 * simply retries.
 */
#pragma once
#include <stdint.h>
#include <l4/abi.h>
#include <l4/ipc.h>
#include <l4/invocations.h>

typedef volatile l4_word_t l4_vcpu_state_t; /* the state page, as words */

/* Saved registers: index i of regs/kregs is r0-r12, sp, lr, pc, cpsr. */
#define L4_VCPU_REG_SP 13
#define L4_VCPU_REG_LR 14
#define L4_VCPU_REG_PC 15
#define L4_VCPU_REG_CPSR 16
#define L4_VCPU_REGS 17

/* Keep the compiler from moving memory accesses across a flag change:
 * a critical section must not leak out of the window the flag guards. */
static inline void l4_vcpu_barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

static inline l4_word_t l4_vcpu_get(const l4_vcpu_state_t *st, unsigned field)
{
    return st[field];
}

static inline void l4_vcpu_set(l4_vcpu_state_t *st, unsigned field, l4_word_t v)
{
    st[field] = v;
}

/* Where upcalls start: pc (bit 0 set for Thumb) and stack. */
static inline void l4_vcpu_set_entry(l4_vcpu_state_t *st, l4_word_t pc, l4_word_t sp)
{
    st[L4_VCPU_STATE_ENTRY_PC] = pc;
    st[L4_VCPU_STATE_ENTRY_SP] = sp;
}

/* The guest's `cpsid i`: a plain store. Returns the previous state (1 on). */
static inline l4_word_t l4_vcpu_irq_disable(l4_vcpu_state_t *st)
{
    l4_word_t was = st[L4_VCPU_STATE_VIRQ_ENABLED];

    st[L4_VCPU_STATE_VIRQ_ENABLED] = 0;
    l4_vcpu_barrier();
    return was;
}

/* The guest's `cpsie i`: a store, and a trap (vcpu_sync) only if a virtual
 * interrupt is already pending. One that arrives after the check finds the
 * flag set and is delivered by the kernel at its next entry, so none is
 * lost. `vcpu` is the guest's VCPU capability. */
static inline void l4_vcpu_irq_enable(l4_vcpu_state_t *st, l4_cptr_t vcpu)
{
    l4_vcpu_barrier();
    st[L4_VCPU_STATE_VIRQ_ENABLED] = 1;
    if (st[L4_VCPU_STATE_VIRQ_PENDING])
        l4_vcpu_sync(vcpu);
}

/* Undo the matching l4_vcpu_irq_disable(). */
static inline void l4_vcpu_irq_restore(l4_vcpu_state_t *st, l4_word_t was, l4_cptr_t vcpu)
{
    if (was)
        l4_vcpu_irq_enable(st, vcpu);
}

/* Take every pending line at once (an atomic exchange with 0): each bit is
 * handled exactly once even if the kernel ORs in a new one meanwhile. */
static inline l4_word_t l4_vcpu_take_pending(l4_vcpu_state_t *st)
{
    l4_word_t bits, fail;

    __asm__ volatile("1: ldrex  %0, [%2]\n"     /* bits = pending, mark exclusive */
                     "   strex  %1, %3, [%2]\n" /* pending = 0 if still exclusive */
                     "   cmp    %1, #0\n"
                     "   bne    1b\n" /* the kernel came in between: retry */
                     : "=&r"(bits), "=&r"(fail)
                     : "r"(&st[L4_VCPU_STATE_VIRQ_PENDING]), "r"(0)
                     : "cc", "memory");
    return bits;
}

/* A software interrupt the running vCPU raises for itself (the guest's SGI
 * to self): the lines are marked pending in the state page, and taken at
 * once (vcpu_sync, a fast path of the kernel) only if virtual interrupts
 * are on, as natively; with them off nothing traps. This is what a signal
 * to a badged copy of the vCPU's bound notification does while the vCPU
 * runs (the kernel ORs the badge into virq_pending), without the kernel. */
static inline void l4_vcpu_add_pending(l4_vcpu_state_t *st, l4_word_t lines);
static inline void l4_vcpu_raise_self(l4_vcpu_state_t *st, l4_word_t lines, l4_cptr_t vcpu)
{
    l4_vcpu_add_pending(st, lines);
    l4_vcpu_barrier();
    if (st[L4_VCPU_STATE_VIRQ_ENABLED])
        l4_vcpu_sync(vcpu);
}

/* Mark lines pending from the guest itself (e.g. bits an l4_wait returned,
 * or a line the guest had masked and now unmasks). Atomic OR. */
static inline void l4_vcpu_add_pending(l4_vcpu_state_t *st, l4_word_t lines)
{
    l4_word_t v, fail;

    __asm__ volatile("1: ldrex  %0, [%2]\n"
                     "   orr    %0, %0, %3\n"
                     "   strex  %1, %0, [%2]\n"
                     "   cmp    %1, #0\n"
                     "   bne    1b\n"
                     : "=&r"(v), "=&r"(fail)
                     : "r"(&st[L4_VCPU_STATE_VIRQ_PENDING]), "r"(lines)
                     : "cc", "memory");
}

/* Acknowledge routed interrupts (docs/vcpu.md, "Interrupts routed to a
 * vCPU"): the guest has serviced the devices behind these virtual lines,
 * whose physical lines the kernel keeps masked from their delivery until
 * then. Nothing traps: the next vcpu_resume or vcpu_sync takes the word,
 * clears it and unmasks the lines (and fails with L4_ERR_NOT_ACTIVE,
 * changing nothing, if a line awaits no acknowledgement). Only that call
 * of the vCPU's own thread writes the word, so a plain OR is safe. */
static inline void l4_vcpu_ack(l4_vcpu_state_t *st, l4_word_t lines)
{
    st[L4_VCPU_STATE_VIRQ_ACK] |= lines;
}

/* The acknowledgement now, for a guest that does not resume soon (its
 * next context is a plain jump away): vcpu_sync takes it, and delivers
 * what is pending if virtual interrupts are on. */
static inline l4_word_t l4_vcpu_ack_now(l4_vcpu_state_t *st, l4_word_t lines, l4_cptr_t vcpu)
{
    l4_vcpu_ack(st, lines);
    return l4_vcpu_sync(vcpu);
}
