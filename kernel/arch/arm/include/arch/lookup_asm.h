/* SPDX-License-Identifier: BSD-2-Clause */
/* The one-level capability lookup of the assembly fast paths (the IPC
 * fastpath in vectors.S, the vCPU paths in vcpu_entry.S): core/fastpath.c's
 * fast_lookup and core/vcpu_fast.c's vcpu_fast_lookup, once. */
#pragma once
#include <fastpath_asm.h>

#ifdef __ASSEMBLY__
/* \slot = the slot \cptr names in the CSpace of the calling thread t, if
 * t's CSpace root resolves all 32 bits in one level (guard + radix) and is
 * neither being destroyed nor in virtual user mode (CAP_UNRESOLVABLE), and
 * its guard matches; else a branch to \fail. Precondition: SP = &t->ctx.pc
 * (t's TCB + 60), as on every system-call fast path. \cptr is kept; \slot,
 * \t1 and \t2 are scratch (on \fail too), flags are clobbered. Changes
 * nothing else: the fallback starts from the state the call found. */
.macro CAP_LOOKUP_ONE_LEVEL cptr, slot, t1, t2, fail
    ldrb    \t1, [sp, #(FP_TCB_CSPACE + FP_CAP_BITS - 60)]
    ldrb    \slot, [sp, #(FP_TCB_CSPACE + FP_CAP_GUARD - 60)]
    ldrb    \t2, [sp, #(FP_TCB_CSPACE + FP_CAP_RIGHTS - 60)]
    add     \slot, \slot, \t1
    cmp     \slot, #32                  @ guard + radix resolve all 32 bits
    tsteq   \t2, #FP_CAP_UNRESOLVABLE   @ not a zombie, not virtual user mode
    bne     \fail
    ldr     \slot, [sp, #(FP_TCB_CSPACE + FP_CAP_DATA - 60)]
    cmp     \slot, \cptr, lsr \t1       @ the guard
    bne     \fail
    ldr     \slot, [sp, #(FP_TCB_CSPACE + FP_CAP_OBJ - 60)]
    mvn     \t2, #0
    bic     \t2, \cptr, \t2, lsl \t1    @ the index: cptr's low radix bits
    add     \slot, \slot, \t2, lsl #FP_CTE_BITS
.endm
#endif
