/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The runtime's view of the vCPU state page (docs/vcpu.md): the one file
 * of the runtime that knows its layout, through the L4_VCPU_STATE_* names
 * generated from libl4/abi.def and the accessors of l4/vcpu.h. Everything
 * else in libl4/src/previrt goes through these.
 */
#ifndef PREVIRT_VCPU_H
#define PREVIRT_VCPU_H

#include <l4/vcpu.h>
#include <system/guest.h>

/* Where the VMM maps the state page (docs/vmm.md). */
#define PREVIRT_STATE ((l4_vcpu_state_t *)GUEST_STATE_VADDR)

/* The word that is the virtual CPSR.I bit, inverted (1 = enabled). */
static inline volatile uint32_t *previrt_state_irq_enable(void)
{
    return (volatile uint32_t *)&PREVIRT_STATE[L4_VCPU_STATE_VIRQ_ENABLED];
}

/* Non-zero while a virtual interrupt line is pending. */
static inline volatile uint32_t *previrt_state_pending_word(void)
{
    return (volatile uint32_t *)&PREVIRT_STATE[L4_VCPU_STATE_VIRQ_PENDING];
}

static inline uint32_t previrt_state_pending(void)
{
    return l4_vcpu_get(PREVIRT_STATE, L4_VCPU_STATE_VIRQ_PENDING);
}

static inline uint32_t previrt_state_take_pending(void)
{
    return l4_vcpu_take_pending(PREVIRT_STATE);
}

static inline void previrt_state_add_pending(uint32_t lines)
{
    l4_vcpu_add_pending(PREVIRT_STATE, lines);
}

static inline void previrt_state_set_entry(uint32_t pc, uint32_t sp)
{
    l4_vcpu_set_entry(PREVIRT_STATE, pc, sp);
}

/* The upcall's cause, and what the kernel saved. */
static inline uint32_t previrt_state_cause(void)
{
    return l4_vcpu_get(PREVIRT_STATE, L4_VCPU_STATE_CAUSE);
}

static inline int previrt_state_from_user(void)
{
    return l4_vcpu_get(PREVIRT_STATE, L4_VCPU_STATE_FROM_USER) != 0;
}

static inline uint32_t previrt_state_fault_addr(void)
{
    return l4_vcpu_get(PREVIRT_STATE, L4_VCPU_STATE_FAULT_ADDR);
}

static inline uint32_t previrt_state_fault_status(void)
{
    return l4_vcpu_get(PREVIRT_STATE, L4_VCPU_STATE_FAULT_STATUS);
}

/* regs (virtual user mode) or kregs (virtual kernel mode): r0-r12, sp,
 * lr, pc, cpsr (L4_VCPU_REGS words). */
static inline volatile uint32_t *previrt_state_regs(int user)
{
    return (volatile uint32_t *)&PREVIRT_STATE[user ? L4_VCPU_STATE_REGS : L4_VCPU_STATE_KREGS];
}

/* r0-r14 between the runtime's context and regs/kregs, as block moves
 * (ldm/stm) rather than word by word. The state page needs no volatile
 * access here: the kernel writes regs and kregs only before it upcalls
 * (the runtime is not running) and reads regs only in the resume that
 * follows (a system call, which the compiler cannot move accesses across). */
typedef struct {
    uint32_t r[15];
} previrt_state_r0_r14_t;

static inline void previrt_state_copy_r0_r14(uint32_t *to, const volatile uint32_t *from)
{
    *(previrt_state_r0_r14_t *)to = *(const previrt_state_r0_r14_t *)(uintptr_t)from;
}

static inline void previrt_state_put_r0_r14(volatile uint32_t *to, const uint32_t *from)
{
    *(previrt_state_r0_r14_t *)(uintptr_t)to = *(const previrt_state_r0_r14_t *)from;
}

#define PREVIRT_CAUSE_VIRQ L4_VCPU_CAUSE_VIRQ
#define PREVIRT_CAUSE_SYSCALL L4_VCPU_CAUSE_SYSCALL
#define PREVIRT_CAUSE_PAGE_FAULT L4_VCPU_CAUSE_PAGE_FAULT
#define PREVIRT_CAUSE_UNDEFINED L4_VCPU_CAUSE_UNDEFINED

#endif
