/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Paravirtual port types: the RTOS runs in ARM user mode as the guest
 * kernel of our VMM, on a vCPU (docs/vcpu.md, docs/vmm.md). Kernel tasks
 * run in the guest-kernel address space, protected tasks in user page
 * directories (virtual user mode); every exception and virtual interrupt
 * arrives as an upcall (entry.S).
 */
#ifndef PORT_ARCH_H
#define PORT_ARCH_H

#include <stdint.h>

#define PORT_NAME "virtual" /* benchmark records rtos_<x>_virtual */

/* The state page's virq_enabled before port_irq_save(): 1 on, 0 off. */
typedef uint32_t port_irqflags_t;

/*
 * Saved registers of a context not currently running. r0..cpsr are laid
 * out exactly like the state page's regs/kregs (17 words), so an upcall
 * copies them with two ldm/stm pairs. `kind` says how to resume it
 * (pv.h: PV_CTX_*); entry.S relies on the offsets in pv.h.
 */
typedef struct port_ctx {
    uint32_t r[13];
    uint32_t sp, lr, pc, cpsr;
    uint32_t kind;
} port_ctx_t;

/* A protected task's address space: one of the page directories the VMM
 * gave us. pd is its capability slot, 0 when not created. */
typedef struct port_as {
    uint32_t pd;
} port_as_t;

/* Lines are the 32 badge bits of the vCPU's notification (docs/vmm.md):
 * 0 timer, 1 console, then the channels', physical and software lines
 * where the system description put them: the guest-info page says, and
 * pv_boot reads it before anything else runs (the software lines: the
 * description's `soft_irqs`, 16 in the test systems, as many as the native
 * port's SGIs). */
#define PORT_IRQ_LINES 32
/* One object, so that a range check loads both with one address (ldrd). */
extern struct pv_irq_soft {
    unsigned first, count;
} pv_irq_soft __attribute__((aligned(8)));
#define PORT_IRQ_SOFT_FIRST pv_irq_soft.first
#define PORT_IRQ_SOFT_COUNT pv_irq_soft.count

/* A handler runs with virtual interrupts on at its line's priority when a
 * line of higher priority exists, so that one preempts it (arch/pv/trap.c,
 * pv_irq_run_nested; entry.S, pv_upcall_nested). */
#define PORT_IRQ_NESTS 1
/* The kernel stack's bounds (entry.S, pv.h PV_KSTACK_SIZE), for the tests. */
extern char pv_kstack[], pv_kstack_top[];
#define PORT_IRQ_STACK_LO pv_kstack
#define PORT_IRQ_STACK_HI pv_kstack_top

/* User VA window. User spaces are separate page directories, so nothing
 * of the guest kernel is in them and the window may overlap guest RAM: the
 * shared user text is linked where it is loaded (inside the image), which
 * keeps the ELF a single image with vaddr == paddr for the VMM's loader.
 * Stacks and data pages (core/utask.c) land at +8 MiB and +16 MiB, beyond
 * the 4 MiB of guest RAM. */
#define PORT_USER_BASE 0x40000000u
#define PORT_USER_END 0x50000000u

/* System-call ABI of protected tasks: shared by the ARM ports. */
#include <port_arm.h>

#endif
