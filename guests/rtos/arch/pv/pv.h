/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interfaces of the paravirtual port (arch/pv/ only). The constant
 * part is plain #defines so entry.S can include it.
 *
 * How contexts are resumed (the `kind` of a port_ctx_t):
 *   PV_CTX_KERNEL   a kernel task with virtual interrupts on, interrupted
 *                   by an upcall (all registers valid) or freshly created.
 *                   Resumed by a jump that loads every register from a
 *                   frame below its sp and turns interrupts on
 *                   (pv_resume_interrupted), or, where that cannot be
 *                   (IT bits, a frame in use: trap.c, pv_resume), by
 *                   copying it to the state page's kregs and
 *                   vcpu_resume(KERNEL).
 * Every jump makes a vcpu_sync when virq_ack or (interrupts on) virq_pending
 * is non-zero: what vcpu_resume would have done in the same call.
 *   PV_CTX_YIELDED  a kernel task that called port_yield() with interrupts
 *                   off: only callee-saved registers, sp, lr and pc are
 *                   valid (AAPCS). Resumed by a plain jump (pv_resume_jump);
 *                   interrupts stay off, as they were.
 *   PV_CTX_USER     a protected task: copied to regs, vcpu_resume(USER, pd).
 *   PV_CTX_CALLED   a kernel task that entered kernel context by a call with
 *                   interrupts on (port_yield with them on; pv_self_upcall:
 *                   a software interrupt for itself): only callee-saved
 *                   registers, sp, lr and pc are valid. Resumed by a plain
 *                   jump that turns interrupts on again and takes what is
 *                   pending with vcpu_sync (pv_resume_called): no trap
 *                   when nothing is.
 */
#ifndef PV_H
#define PV_H

#include <system/guest.h> /* the VMM's guest contract (docs/vmm.md) */

/* GUEST_STATE_VADDR for assembly, which takes no `u` suffix (checked
 * against the contract in trap.c). */
#define PV_STATE_VADDR 0x7ff00000

/* The kinds, 0-3 in this order: the upcall entry stores from_user as the
 * kind and pv_switch indexes its table with it (entry.S). */
#define PV_CTX_KERNEL 0
#define PV_CTX_USER 1
#define PV_CTX_YIELDED 2
#define PV_CTX_CALLED 3

/* Task switches logged on the kernel's trace (trap.c; the benchmark image
 * is built with 0), and interrupted kernel tasks resumed by a jump (the
 * twin image rtos-kresume-twin is built with 0; entry.S picks the resume,
 * so the twin compiles entry.S with it too): for C and entry.S. */
#ifndef PV_TRACE
#define PV_TRACE 1
#endif
#ifndef PV_RESUME_INTERRUPTED
#define PV_RESUME_INTERRUPTED 1
#endif
/* Interrupt lines taken with one exchange when no priority mask is held
 * (entry.S, BR_IF_MASK_HELD) and run in line order when all have one
 * priority (pv_irq_dispatch); the twin image rtos-kresume-twin is built
 * with 0: every line by the general rule, run by the general order
 * (pv_irq_run_ordered, trap.c). */
#ifndef PV_FAST_LINES
#define PV_FAST_LINES 1
#endif

#define PV_CAP_VCPU 1 /* GUEST_CAP_VCPU for assembly (checked in trap.c) */
/* GUEST_IRQ_TIMER for assembly (checked in trap.c); the physical lines are
 * the info page's, pv_irq_phys_lines. */
#define PV_IRQ_TIMER 0

/* port_ctx_t offsets (port_arch.h; checked by static asserts in trap.c). */
#define PV_CTX_R4 16
#define PV_CTX_SP 52
#define PV_CTX_LR 56
#define PV_CTX_PC 60
#define PV_CTX_CPSR 64
#define PV_CTX_KIND 68

/* pv_upcall_nested (entry.S): the frame it keeps a preempted handler's 17
 * words in (and a pad: 8-byte aligned), and the kernel stack it wants left
 * below that handler's sp for the level it runs (bytes): the port's frames
 * for a level (that one, pv_irq_dispatch, pv_irq_run_ordered,
 * pv_irq_run_nested, rtos_kernel_irq: about 200 bytes) and the handler's
 * RTOS_IRQ_HANDLER_STACK (rtos/port.h). The kernel stack holds the
 * outermost upcall, the deepest chain of handlers the priorities allow
 * (RTOS_IRQ_PRIO_LEVELS, 15) and the room the check wants: a level within
 * its budget never overflows it (trap.c checks the figures). */
#define PV_NEST_FRAME 72
#define PV_NEST_ROOM 1024
#define PV_KSTACK_SIZE (17 * PV_NEST_ROOM)

#define PV_PSR_USR 0x10 /* user mode, ARM state, flags clear */
#define PV_PSR_T 0x20      /* Thumb state */
#define PV_PSR_IT_HI 0xfc00     /* the IT bits, which PL0 cannot set: */
#define PV_PSR_IT_LO 0x06000000 /* IT[7:2] and IT[1:0] */

#ifndef __ASSEMBLY__
#include <rtos/rtos.h>
#include <l4/vcpu.h>

/* The vCPU state page, where the VMM maps it. */
#define pv_state ((l4_vcpu_state_t *)GUEST_STATE_VADDR)

/* The guest's virtual lines (from the info page at boot, pv_boot): the
 * physical lines granted, as bits (acknowledged after their handler; word
 * 2 of trap.c's pv_irq_masks, beside the masks pv_irq_dispatch reads), and
 * channel 0's line (cpu.c). */
extern uint32_t pv_irq_masks[4], pv_irq_chan_first;
#define pv_irq_phys_lines (pv_irq_masks[2])
/* Word 3: L4_VCPU_PRIO_NONE while every line has one priority (then no
 * handler can be preempted and the lines run in line order, pv_irq_dispatch),
 * else the highest priority (lowest value) of any line: a handler of a line
 * below it runs with interrupts on at its priority (pv_irq_run_nested,
 * trap.c). Kept by port_irq_set_priority (cpu.c) from the state page's
 * copy of the priorities, which only this port changes once it runs. */
#define pv_irq_nest_above (pv_irq_masks[3])
/* Handlers running with interrupts on (pv_irq_run_nested): while it is not
 * 0, entry_pc is pv_upcall_nested. */
extern uint32_t pv_irq_nest_depth;

/* The context being run: upcalls save the interrupted state here. */
extern port_ctx_t *pv_ctx_cur;
/* The user page directory the next PV_CTX_USER resume runs in, and the
 * one the last ran in (pv_resume passes L4_CAP_NULL when they are the
 * same: the kernel's kept copy; trap.c). */
extern uint32_t pv_user_pds[2];
#define pv_user_pd (pv_user_pds[0])
/* The contexts whose words the state page's kregs (a kernel task's) and
 * regs (a protected task's) hold as saved there (by the last upcall from
 * that mode, or the last resume through the kernel that copied them), or
 * NULL. A resume through the kernel of the same context again then writes
 * only r0: the core changes a saved context only there (port_ctx_set_ret:
 * a system call's result) and at its creation (port_context_init and
 * port_user_context_init forget it); a yield's save changes its kind (a
 * jump resumes it, and only an upcall makes it PV_CTX_KERNEL again), and
 * a jump (pv_resume_interrupted) reads the context without changing it or
 * the state page. Written by the upcall entry, pv_resume and the two
 * inits, nothing else. */
extern port_ctx_t *pv_held_ctx[2]; /* indexed by PV_CTX_KERNEL, PV_CTX_USER */
#define pv_kregs_ctx (pv_held_ctx[PV_CTX_KERNEL])
#define pv_regs_ctx (pv_held_ctx[PV_CTX_USER])

/* entry.S */
void pv_upcall_entry(void);
/* The upcall entry while a handler nests (entry.S; pv_irq_nest_depth). */
void pv_upcall_nested(void);
extern char pv_kstack[];
/* Resume ctx by its kind, without the trace (pv_resume logs, then calls
 * it). */
PORT_NORETURN void pv_switch(port_ctx_t *ctx);
extern char pv_kstack_top[];
PORT_NORETURN void pv_resume_jump(port_ctx_t *ctx);
/* Resume an interrupted kernel task without the kernel, or, where that
 * cannot be, through pv_resume_kernel (entry.S). */
PORT_NORETURN void pv_resume_interrupted(port_ctx_t *ctx);
/* ctx through the state page and vcpu_resume (trap.c). */
PORT_NORETURN void pv_resume_kernel(port_ctx_t *ctx);
/* A resume by jump's vcpu_sync failed (entry.S): reports, stops. */
PORT_NORETURN void pv_sync_failed(l4_word_t err);
/* The 17 words of ctx (r0-r12, sp, lr, pc, cpsr) to the state page's regs
 * or kregs at dst, with block moves (entry.S). */
void pv_ctx_to_state(l4_vcpu_state_t *dst, const port_ctx_t *ctx);
/* Take the pending virtual interrupts now, in kernel context, without a
 * trap (entry.S); virtual interrupts were on and are off. Returns when the
 * task is resumed. */
void pv_self_upcall(void);
/* port_irq_trigger's end when a priority mask is held (cpu.c). */
void pv_irq_trigger_held(uint32_t bit);
PORT_NORETURN void pv_resume_called(port_ctx_t *ctx);

/* trap.c */
PORT_NORETURN void pv_resume(port_ctx_t *ctx);
/* vcpu_resume(USER) of pv_ctx_cur failed (entry.S): reports, stops. */
PORT_NORETURN void pv_resume_failed(l4_word_t err);
port_ctx_t *pv_upcall_fault(port_ctx_t *ctx, uint32_t addr, uint32_t status);
port_ctx_t *pv_upcall_undef(port_ctx_t *ctx);
PORT_NORETURN void pv_upcall_bad(port_ctx_t *ctx, uint32_t cause);
PORT_NORETURN void pv_fatal(const char *what, uint32_t a, uint32_t b);
/* entry.S; and its lines when a priority mask is held (trap.c). */
void pv_irq_dispatch(void);
uint32_t pv_take_held(void);
/* pv_irq_dispatch's lines when their priorities differ (trap.c). */
void pv_irq_run_ordered(uint32_t lines);
/* pv_upcall_nested's reports (trap.c): a refused resume, and an entry
 * that was no nested interrupt. */
PORT_NORETURN void pv_nested_resume_failed(l4_word_t err, uint32_t sp);
PORT_NORETURN void pv_upcall_nested_bad(uint32_t cause, uint32_t from_user, uint32_t depth,
                                        uint32_t sp);

/* console.c */
void pv_console_flush(void);

#endif
#endif
