/* SPDX-License-Identifier: BSD-2-Clause */
/* Exception vectors, kernel entry and exit.
 *
 * The kernel runs in SVC mode with IRQs masked on one kernel stack. While a
 * user thread runs, SP_svc points just past that thread's saved context
 * (tcb_t.ctx, 17 words: r0-r14, pc, cpsr; see arch/context.h), so an entry
 * from user mode saves the user registers straight into the TCB with SRS and
 * STM^ and no bookkeeping. Every entry from user mode ends by calling a C
 * handler that never returns: it leaves through arch_restore_user_context().
 *
 * Exceptions taken from a privileged mode are kernel bugs: they print the
 * state and stop the machine (arm_kernel_fault). The kernel itself never
 * executes SVC except the semihosting call, which QEMU intercepts. */
#include <arch/cpu.h>
#include <arch/entry.h>
#include <l4/abi.h>

#define CTX_WORDS 17
#define SYSCALL_TABLE_LAST L4_SYS_VCPU_SYNC /* arm_svc_entry's table ends here */

    .section .text.vectors, "ax"
    .arm
    .balign 32
    .global arm_vectors
arm_vectors:
    b       kfault_reset
    b       arm_undef_entry
    b       arm_svc_entry
    b       arm_pabt_entry
    b       arm_dabt_entry
    b       kfault_reserved
    b       arm_irq_entry
    b       kfault_fiq

/* Save the interrupted user registers into the current TCB and switch to the
 * kernel stack. Precondition: SVC mode, SP_svc = end of the thread's context,
 * the return address and SPSR in LR/SPSR of mode \from. */
.macro SAVE_USER from
    srsdb   sp!, #PSR_MODE_SVC          @ ctx.pc, ctx.cpsr <- lr_\from, spsr_\from
    .ifnc \from, svc
    cps     #PSR_MODE_SVC
    .endif
    stmdb   sp, {r0-r14}^               @ ctx.r0..r14 <- user registers
    movw    sp, #:lower16:kernel_stack_top
    movt    sp, #:upper16:kernel_stack_top
.endm

/* Branch to \label unless the exception came from user mode. SP of the
 * current exception mode is scratch: it is not used for anything else. */
.macro FROM_USER_OR label
    mrs     sp, spsr
    tst     sp, #0xf                    @ USR is the only mode with low bits 0000
    bne     \label
.endm

arm_svc_entry:
    SAVE_USER_TCB svc, r2               @ r2 = the TCB
    cmp     r7, #SYSCALL_TABLE_LAST     @ a fast path for the number, if any:
    ldrls   pc, [pc, r7, lsl #2]        @ pc reads as . + 8, the table below
    b       syscall_slow                @ above the table: unknown (a fault)
/* The fast paths take (cptr, info, tcb) and fall back to c_handle_syscall
 * themselves: the IPC fastpath (core/fastpath.c) for yield, send, call and
 * reply-receive,
 * the vCPU's (core/vcpu_fast.c) for resume and sync. */
syscall_table:
    .word   syscall_slow                @ 0
    .word   syscall_slow                @ 1 DEBUG_PUTC
    .word   syscall_slow                @ 2 RESERVED_2
    .word   syscall_slow                @ 3 DEBUG_NULL
    .if CONFIG_SLOWPATH                 @ the generic twin: no IPC fastpath
    .word   syscall_slow                @ 4 YIELD
    .word   syscall_slow                @ 5 SEND
    .word   syscall_slow                @ 6 NBSEND
    .word   syscall_slow                @ 7 CALL
    .word   syscall_slow                @ 8 RECV
    .word   syscall_slow                @ 9 NBRECV
    .word   syscall_slow                @ 10 REPLY
    .word   syscall_slow                @ 11 REPLY_RECV
    .else
    .word   fastpath_yield              @ 4 YIELD
    .word   fastpath_send               @ 5 SEND
    .word   syscall_slow                @ 6 NBSEND
    .word   fastpath_call               @ 7 CALL
    .word   syscall_slow                @ 8 RECV
    .word   syscall_slow                @ 9 NBRECV
    .word   syscall_slow                @ 10 REPLY
    .word   fastpath_reply_recv         @ 11 REPLY_RECV
    .endif
    .if CONFIG_VCPU_SLOW                @ the reference kernel: no vCPU fast path
    .word   syscall_slow                @ 12 VCPU_RESUME
    .word   syscall_slow                @ 13 VCPU_SYNC
    .else
    .word   vcpu_fast_resume            @ 12 VCPU_RESUME
    .word   vcpu_fast_sync              @ 13 VCPU_SYNC
    .endif
    .if L4_SYS_YIELD != 4 || L4_SYS_SEND != 5 || L4_SYS_CALL != 7 || L4_SYS_REPLY_RECV != 11 || L4_SYS_VCPU_RESUME != 12 || L4_SYS_VCPU_SYNC != 13
    .error "syscall_table does not match libl4/abi.def"
    .endif
syscall_slow:
    mov     r3, r7                      @ c_handle_syscall(cptr, info, tcb, sysno)
    b       c_handle_syscall            @ does not return

arm_irq_entry:
    sub     lr, lr, #4                  @ return to the interrupted instruction
    SAVE_USER irq                       @ IRQs are only unmasked in user mode
    KSTAT_ENTRY r0                      @ stats configuration only
    bl      c_handle_irq

arm_undef_entry:
    FROM_USER_OR kfault_undef
    SAVE_USER und                       @ lr_und = faulting instruction + 4 (ARM)
    KSTAT_ENTRY r0                      @ stats configuration only
    bl      c_handle_undefined

arm_pabt_entry:
    FROM_USER_OR kfault_pabt
    sub     lr, lr, #4
    SAVE_USER abt
    KSTAT_ENTRY r0                      @ stats configuration only
    bl      c_handle_prefetch_abort

arm_dabt_entry:
    FROM_USER_OR kfault_dabt
    sub     lr, lr, #8
    SAVE_USER abt
    KSTAT_ENTRY r0                      @ stats configuration only
    bl      c_handle_data_abort

/* r0 = pointer to a saved context (17 words). Restores user r0-r14, then PC
 * and CPSR with RFE, leaving SP_svc just past the context for the next entry.
 * CLREX drops any exclusive reservation of the previously running thread. */
    .global arch_restore_user_context
arch_restore_user_context:
    add     sp, r0, #60                 @ sp = &ctx.pc
    clrex
    ldmdb   sp, {r0-r14}^               @ user-bank registers (no writeback allowed)
    rfeia   sp!                         @ pc, cpsr <- ctx.pc, ctx.cpsr; sp = ctx end

/* Faults in privileged modes: save r0-r12 on the panic stack and report. */
.macro KFAULT name, kind
kfault_\name:
    ldr     sp, =panic_stack_top
    push    {r0-r12}
    mov     r0, #\kind
    b       kfault_common
.endm
    KFAULT  reset, 0
    KFAULT  undef, 1
    KFAULT  pabt, 3
    KFAULT  dabt, 4
    KFAULT  reserved, 5
    KFAULT  fiq, 7
kfault_common:
    mov     r1, sp                      @ r1 = saved r0-r12
    mov     r2, lr                      @ r2 = exception return address
    mrs     r3, spsr                    @ r3 = mode that faulted
    bl      arm_kernel_fault            @ does not return

    .ltorg

    .section .bss
    .balign 8
    .global kernel_stack_top
kernel_stack:
    .space  8192
kernel_stack_top:
panic_stack:
    .space  1024
panic_stack_top:
