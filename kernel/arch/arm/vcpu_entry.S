/* SPDX-License-Identifier: BSD-2-Clause */
/* The vector table while a guest-user context runs (docs/vcpu.md, "Fast
 * paths"). The vCPU fast resume into virtual user mode points VBAR here
 * (arch_vcpu_user_vectors_on, just before its exception return); the
 * first thing every entry through this table does is point VBAR back at
 * arm_vectors (vectors.S). Between the two only that thread runs, in user
 * mode, so an entry through this table comes from it: a vCPU in virtual
 * user mode, where every svc is an upcall, which this table's svc entry
 * starts at once (no system-call dispatch, no capability lookup). Every
 * other entry continues in arm_vectors' own. VBAR is only a short cut:
 * every other way into virtual user mode leaves arm_vectors in place, and
 * there the svc reaches the same upcall through c_handle_syscall (the
 * thread's CSpace root resolves nothing). The VBAR writes need no ISB:
 * exception entry and return are context synchronisation events, and the
 * kernel takes no exception of its own in between (ARM ARM B3.17.2, B5.6).
 */
#include <arch/cpu.h>
#include <arch/entry.h>
#include <l4/abi.h>

    .section .text.vectors, "ax"
    .arm
    .balign 32
    .global arm_vcpu_user_vectors
arm_vcpu_user_vectors:
    b       arm_vectors                 @ reset: a kernel fault
    b       vuser_undef
    b       vuser_svc
    b       vuser_pabt
    b       vuser_dabt
    b       arm_vectors + 0x14          @ reserved: a kernel fault
    b       vuser_irq
    b       arm_vectors + 0x1c          @ FIQ: a kernel fault

/* VBAR = arm_vectors, with \scratch (the mode's own SP outside SVC mode:
 * unused by the entries, vectors.S FROM_USER_OR). */
.macro VECTORS_NORMAL scratch
    ldr     \scratch, =arm_vectors
    mcr     p15, 0, \scratch, c12, c0, 0 @ VBAR
.endm

vuser_undef:
    VECTORS_NORMAL sp
    b       arm_vectors + 0x04
vuser_pabt:
    VECTORS_NORMAL sp
    b       arm_vectors + 0x0c
vuser_dabt:
    VECTORS_NORMAL sp
    b       arm_vectors + 0x10

/* An interrupt: vectors.S's arm_irq_entry save, then core/vcpu_fast.c's
 * vcpu_fast_irq(tcb) (a virtual interrupt for this vCPU, or the rest of
 * c_handle_irq; does not return). */
vuser_irq:
    sub     lr, lr, #4                  @ return to the interrupted instruction
    SAVE_USER_TCB irq, r0               @ r0 = the TCB
    VECTORS_NORMAL r1
    b       vcpu_fast_irq

/* The guest-user svc: vectors.S's arm_svc_entry save, then the upcall
 * (core/vcpu_fast.c: vcpu_fast_user_svc(tcb), does not return). */
vuser_svc:
    SAVE_USER_TCB svc, r0               @ r0 = the TCB
    VECTORS_NORMAL r1
    b       vcpu_fast_user_svc

    .ltorg
