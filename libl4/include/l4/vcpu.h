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
 * one processor. The kernel changes virq_pending (ORs bits in),
 * virq_prio (in vcpu_set_priority) and
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
static inline __attribute__((always_inline)) l4_word_t
l4_vcpu_deliverable_lines(const l4_vcpu_state_t *st, l4_word_t lines);
static inline void l4_vcpu_irq_enable(l4_vcpu_state_t *st, l4_cptr_t vcpu)
{
    l4_vcpu_barrier();
    st[L4_VCPU_STATE_VIRQ_ENABLED] = 1;
    l4_word_t pending = st[L4_VCPU_STATE_VIRQ_PENDING];
    if (pending && l4_vcpu_deliverable_lines(st, pending))
        l4_vcpu_sync(vcpu);
}

/* ---- Interrupt priorities (docs/vcpu.md, "Interrupt priorities") ----------
 * The GIC's model: each line has a priority (0 the highest ..
 * L4_VCPU_PRIO_LEVELS-1, set with l4_vcpu_set_priority); a pending line is
 * delivered only while its priority is numerically below both the priority
 * mask virq_pmr (the GIC's PMR: what a critical section raises) and the
 * running priority virq_rpr (the GIC's: what a handler that re-enables
 * interrupts sets to its own line's priority, so that only higher ones
 * preempt it). Both are plain stores; the kernel's rule is
 * vcpu_virq_deliverable (kernel/include/object/vcpu.h), mirrored here from
 * the kernel's copy of the priorities in the state page (virq_prio). */

/* Line `line`'s priority, as the kernel last wrote it. */
static inline l4_word_t l4_vcpu_prio_of(const l4_vcpu_state_t *st, unsigned line)
{
    return (st[L4_VCPU_STATE_VIRQ_PRIO + line / 8] >> (4 * (line % 8))) & 0xfu;
}

/* The priority a line must be below to be delivered now: the lower of the
 * two words, as the guest stored them. A threshold at or above
 * L4_VCPU_PRIO_NONE (any value a guest may store there) masks no line.
 * The kernel's rule, spelled the same way (vcpu_virq_deliverable). */
static inline __attribute__((always_inline)) l4_word_t
l4_vcpu_threshold(const l4_vcpu_state_t *st)
{
    l4_word_t pmr = st[L4_VCPU_STATE_VIRQ_PMR], rpr = st[L4_VCPU_STATE_VIRQ_RPR];
    return pmr < rpr ? pmr : rpr;
}

/* Those of `lines` whose priority is below t: one step per line. Out of
 * line, so that the inline callers (l4_vcpu_irq_enable on every critical
 * section's end) keep their registers when nothing is masked. */
static __attribute__((noinline, unused)) l4_word_t l4_vcpu_lines_below(const l4_vcpu_state_t *st, l4_word_t lines,
                                            l4_word_t t)
{
    l4_word_t out = 0;

    for (; lines; lines &= lines - 1) {
        unsigned k = (unsigned)__builtin_ctz(lines);
        if (l4_vcpu_prio_of(st, k) < t)
            out |= 1u << k;
    }
    return out;
}

/* Those of `lines` whose priority beats the mask and the running priority
 * (virq_enabled aside). Nothing masked by priority (the common case): the
 * lines themselves, two loads and a compare; else one step per line. */
static inline __attribute__((always_inline)) l4_word_t
l4_vcpu_deliverable_lines(const l4_vcpu_state_t *st, l4_word_t lines)
{
    l4_word_t t = l4_vcpu_threshold(st);

    return t >= L4_VCPU_PRIO_NONE ? lines : l4_vcpu_lines_below(st, lines, t);
}

/* The kernel's rule, read from the guest: would the next kernel exit (or
 * a vcpu_sync) deliver an upcall? */
static inline int l4_vcpu_virq_deliverable(const l4_vcpu_state_t *st)
{
    l4_word_t pending = st[L4_VCPU_STATE_VIRQ_PENDING];
    return st[L4_VCPU_STATE_VIRQ_ENABLED] && pending && l4_vcpu_deliverable_lines(st, pending);
}

/* The highest-priority line of `lines` (lowest value; ties: the lowest
 * line), or -1 if `lines` is 0: what a handler takes first. */
static inline int l4_vcpu_highest_line(const l4_vcpu_state_t *st, l4_word_t lines)
{
    int best = -1;
    l4_word_t bp = L4_VCPU_PRIO_NONE;

    for (; lines; lines &= lines - 1) {
        unsigned k = (unsigned)__builtin_ctz(lines);
        l4_word_t p = l4_vcpu_prio_of(st, k);
        if (p < bp) {
            bp = p;
            best = (int)k;
        }
    }
    return best;
}

/* Store to virq_pmr or virq_rpr (`field`) and return the old value.
 * Raising the mask (a lower value) never traps; lowering it traps
 * (vcpu_sync) only if virtual interrupts are on and a pending line it
 * unmasks is now deliverable: the interrupt is then taken before this
 * returns, as natively after a write to the GIC's PMR. */
static inline l4_word_t l4_vcpu_set_prio_word(l4_vcpu_state_t *st, unsigned field, l4_word_t v,
                                              l4_cptr_t vcpu)
{
    l4_word_t old = st[field];

    l4_vcpu_barrier();
    st[field] = v;
    l4_vcpu_barrier();
    if (v > old && l4_vcpu_virq_deliverable(st))
        l4_vcpu_sync(vcpu);
    return old;
}

/* The guest's write to the GIC's PMR (its critical section at a priority:
 * FreeRTOS's portSET_INTERRUPT_MASK at configMAX_API_CALL_INTERRUPT_PRIORITY). */
static inline l4_word_t l4_vcpu_set_pmr(l4_vcpu_state_t *st, l4_word_t pmr, l4_cptr_t vcpu)
{
    return l4_vcpu_set_prio_word(st, L4_VCPU_STATE_VIRQ_PMR, pmr, vcpu);
}

/* The running priority: a handler sets it to its line's priority before it
 * re-enables interrupts (nesting) and restores the old value when done
 * (the GIC's acknowledge and priority drop, in software). */
static inline l4_word_t l4_vcpu_set_rpr(l4_vcpu_state_t *st, l4_word_t rpr, l4_cptr_t vcpu)
{
    return l4_vcpu_set_prio_word(st, L4_VCPU_STATE_VIRQ_RPR, rpr, vcpu);
}

/* Take the given pending lines (an atomic AND-NOT): a handler that takes
 * only the lines it will run now leaves the others pending, for the
 * kernel to deliver when the masks allow. Returns those of `lines` that
 * were pending. */
static inline l4_word_t l4_vcpu_take_lines(l4_vcpu_state_t *st, l4_word_t lines)
{
    l4_word_t v, took, fail;

    __asm__ volatile("1: ldrex  %0, [%3]\n"
                     "   and    %1, %0, %4\n"  /* took = pending & lines */
                     "   bic    %0, %0, %4\n"  /* pending &= ~lines */
                     "   strex  %2, %0, [%3]\n"
                     "   cmp    %2, #0\n"
                     "   bne    1b\n"
                     : "=&r"(v), "=&r"(took), "=&r"(fail)
                     : "r"(&st[L4_VCPU_STATE_VIRQ_PENDING]), "r"(lines)
                     : "cc", "memory");
    return took;
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
 * runs (the kernel ORs the badge into virq_pending), without the kernel.
 * A line its priority masks (virq_pmr, virq_rpr) stays pending, no trap. */
static inline void l4_vcpu_add_pending(l4_vcpu_state_t *st, l4_word_t lines);
static inline void l4_vcpu_raise_self(l4_vcpu_state_t *st, l4_word_t lines, l4_cptr_t vcpu)
{
    l4_vcpu_add_pending(st, lines);
    l4_vcpu_barrier();
    if (st[L4_VCPU_STATE_VIRQ_ENABLED] && l4_vcpu_deliverable_lines(st, lines))
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
