/* SPDX-License-Identifier: BSD-2-Clause */
/* Assembly macros of the exception entries from user mode, shared by the
 * kernel's vector table (vectors.S) and the guest-user one (vcpu_entry.S). */
#pragma once
#include <arch/cpu.h>
#include <arch/kstats.h>

#ifdef __ASSEMBLY__
/* Count one kernel entry in the stats configuration (arch/kstats.h: PMU
 * counter ARCH_KSTAT_ENTRY, software increment); nothing otherwise.
 * \scratch is overwritten. */
.macro KSTAT_ENTRY scratch
    .if CONFIG_KSTATS
    mov     \scratch, #(1 << ARCH_KSTAT_ENTRY)
    mcr     p15, 0, \scratch, c9, c12, 4    @ PMSWINC
    .endif
.endm

/* Save the interrupted user registers into the current TCB, count the
 * entry, put the TCB's address in \tcb and switch to the kernel stack.
 * Precondition: SP_svc = end of the thread's context, the return address
 * and SPSR in LR/SPSR of mode \from. r12 is scratch (saved first). */
.macro SAVE_USER_TCB from, tcb
    srsdb   sp!, #PSR_MODE_SVC          @ ctx.pc, ctx.cpsr <- lr_\from, spsr_\from
    .ifnc \from, svc
    cps     #PSR_MODE_SVC
    .endif
    stmdb   sp, {r0-r14}^               @ ctx.r0..r14 <- user registers
    KSTAT_ENTRY r12                     @ stats configuration only
    sub     \tcb, sp, #60               @ the TCB (ctx is its first field)
    movw    sp, #:lower16:kernel_stack_top
    movt    sp, #:upper16:kernel_stack_top
.endm
#endif
