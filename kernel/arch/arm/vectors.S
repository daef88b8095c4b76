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
#include <arch/lookup_asm.h>
#include <l4/abi.h>

#include <fastpath_asm.h>

#define CTX_WORDS 17
#define SYSCALL_TABLE_LAST L4_SYS_VCPU_SYNC /* arm_svc_entry's table ends here */
/* The assembly IPC fastpath: not in the twin without fast paths, nor where
 * the C fastpath makes trace records or counts address-space switches. */
#define ASM_IPC_FASTPATH (!CONFIG_SLOWPATH && !CONFIG_TRACE && !CONFIG_TRACE_DUMP && !CONFIG_KSTATS)
/* The routed-line interrupt in assembly (vcpu_entry.S, vcpu_irq_asm): its
 * ASM_VCPU_FAST, the configurations of its other vCPU paths. */
#define ASM_VCPU_IRQ (!CONFIG_VCPU_SLOW && !CONFIG_TRACE && !CONFIG_TRACE_DUMP && !CONFIG_KSTATS)

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

/* The svc entry saves the user registers into the TCB and dispatches on
 * the number before it switches to the kernel stack: the assembly IPC
 * fastpath below works on the TCB through SP (= &ctx.pc, the TCB + 60) and
 * never needs a stack; every other target enters through a stub that puts
 * the TCB's address in r2 and loads SP_svc with the kernel stack, as
 * SAVE_USER_TCB does (arch/entry.h). */
arm_svc_entry:
    srsdb   sp!, #PSR_MODE_SVC          @ ctx.pc, ctx.cpsr <- lr_svc, spsr_svc
    stmdb   sp, {r0-r14}^               @ ctx.r0..r14 <- user registers
    KSTAT_ENTRY r12                     @ stats configuration only
    cmp     r7, #SYSCALL_TABLE_LAST     @ a fast path for the number, if any:
    ldrls   pc, [pc, r7, lsl #2]        @ pc reads as . + 8, the table below
    b       syscall_slow                @ above the table: unknown (a fault)
/* The fast paths take (cptr, info, tcb) and fall back to c_handle_syscall
 * themselves: the IPC fastpath (core/fastpath.c) for yield, send, call and
 * reply-receive (call and reply-receive first in assembly, below), the
 * vCPU's (core/vcpu_fast.c) for resume and sync. */
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
    .word   entry_fastpath_yield        @ 4 YIELD
    .word   entry_fastpath_send         @ 5 SEND
    .word   syscall_slow                @ 6 NBSEND
    .if ASM_IPC_FASTPATH
    .word   fastpath_call_asm           @ 7 CALL
    .else
    .word   entry_fastpath_call         @ 7 CALL
    .endif
    .word   syscall_slow                @ 8 RECV
    .word   syscall_slow                @ 9 NBRECV
    .word   syscall_slow                @ 10 REPLY
    .if ASM_IPC_FASTPATH
    .word   fastpath_reply_recv_asm     @ 11 REPLY_RECV
    .else
    .word   entry_fastpath_reply_recv   @ 11 REPLY_RECV
    .endif
    .endif
    .if CONFIG_VCPU_SLOW                @ the reference kernel: no vCPU fast path
    .word   syscall_slow                @ 12 VCPU_RESUME
    .word   syscall_slow                @ 13 VCPU_SYNC
    .else
    .word   vcpu_resume_user_asm        @ 12 VCPU_RESUME (vcpu_entry.S: in C without its assembly)
    .word   vcpu_sync_asm               @ 13 VCPU_SYNC (vcpu_entry.S: in C without its assembly)
    .endif
    .if L4_SYS_YIELD != 4 || L4_SYS_SEND != 5 || L4_SYS_CALL != 7 || L4_SYS_REPLY_RECV != 11 || L4_SYS_VCPU_RESUME != 12 || L4_SYS_VCPU_SYNC != 13
    .error "syscall_table does not match libl4/abi.def"
    .endif

/* r2 = the TCB, SP_svc = the kernel stack (one literal load), then \target. */
.macro TO_C name, target
\name:
    sub     r2, sp, #60
    ldr     sp, =kernel_stack_top
    b       \target
.endm
syscall_slow:
    sub     r2, sp, #60
    ldr     sp, =kernel_stack_top
    mov     r3, r7                      @ c_handle_syscall(cptr, info, tcb, sysno)
    b       c_handle_syscall            @ does not return
    TO_C    entry_fastpath_yield, fastpath_yield
    TO_C    entry_fastpath_send, fastpath_send
    TO_C    entry_fastpath_call, fastpath_call
    TO_C    entry_fastpath_reply_recv, fastpath_reply_recv

/* --- the IPC fastpath in assembly ----------------------------------------------
 * Call and reply-receive of up to four words (in registers) between threads
 * of one priority: the common case of core/fastpath.c's fast_call and
 * fast_reply_recv, with the same checks (every one; a few more cases fall
 * back), the same commit and the same thread switch. Anything else goes to
 * the C fastpath with the registers it came with (r0 = cptr, r1 = info,
 * r2 = the TCB, the kernel stack), which handles every other case or
 * falls back to the full path itself: messages longer than the registers,
 * capabilities or kernel-only bits in the info, a partner with a vCPU (the
 * C fastpath tests its virtual interrupts), a faulted caller, a bound
 * notification. Not in the trace and stats configurations: the C fastpath
 * makes their records and counts.
 *
 * While it runs, SP = &ctx.pc of the calling thread t (its TCB + 60), so
 * t's fields are at T(offset); the user's r2-r14 are saved in t->ctx and
 * are scratch, r3-r5 still hold MR1-MR3. */
    .if ASM_IPC_FASTPATH
#define T(off) ((off) - 60)

fastpath_call_asm:
    ubfx    r12, r1, #0, #FP_MSG_INFO_LOW_MASK_BITS
    cmp     r12, #FP_MSG_REG_WORDS      @ length <= 4, no caps, no kernel-only bit
    bhi     call_long_to_c              @ (what fastpath_call does with it)
    /* The endpoint cap: a one-level lookup (core/fastpath.c, fast_lookup). */
    CAP_LOOKUP_ONE_LEVEL r0, r9, r10, r11, call_to_c @ r9: the slot
    ldrh    r11, [r9, #FP_CAP_TYPE]     @ type | rights << 8
    eor     r11, r11, #(FP_RIGHT_WRITE << 8)
    bic     r11, r11, #(0xfe << 8)      @ type | !write << 8
    cmp     r11, #FP_OBJ_ENDPOINT       @ an endpoint cap with the write right
    bne     call_to_c
    ldr     r10, [r9, #FP_CAP_OBJ]      @ ep
    ldr     r6, [r9, #FP_CAP_DATA]      @ the badge: the receiver's r6
    ldr     r11, [r10, #FP_EP_STATE]
    ldr     r8, [r10, #FP_EP_HEAD]      @ r, the receiver (if RECEIVING)
    cmp     r11, #FP_EP_RECEIVING
    bne     call_to_c
    ldrb    r11, [r8, #FP_TCB_PRIO]
    ldrb    r9, [sp, #T(FP_TCB_PRIO)]
    cmp     r11, r9                     @ the same priority
    bne     call_to_c
    ldrb    r11, [r8, #FP_TCB_CALLER + FP_CAP_TYPE]
    ldr     r9, [r8, #FP_TCB_VCPU]
    orrs    r11, r11, r9                @ an empty caller slot, no vCPU
    bne     call_to_c
    /* Commit (fast_call): the message and receive results, r leaves the
     * queue (its links stay stale), the reply cap, t waits for it. */
    sub     r7, sp, #60                 @ t
    mov     r0, #0                      @ L4_ERR_OK
    ldr     r2, [sp, #T(8)]             @ MR0 = t->ctx.r[2]
    stm     r8, {r0-r6}                 @ r->ctx.r[0..6]: OK, info, MR0-MR3, badge
    ldr     r9, [r8, #FP_TCB_IPC_NEXT]
    str     r9, [r10, #FP_EP_HEAD]
    cmp     r9, #0
    strne   r0, [r9, #FP_TCB_IPC_PREV]
    stmeqib r10, {r0, r9}               @ empty: tail = NULL, state = EP_IDLE
    movw    r9, #(FP_OBJ_REPLY | FP_RIGHT_WRITE << 8)
    strh    r9, [r8, #FP_TCB_CALLER + FP_CAP_TYPE]  @ the reply cap (a CDT root) ...
    str     r7, [r8, #FP_TCB_CALLER + FP_CAP_OBJ]   @ ... to t
    add     r9, r8, #FP_TCB_CALLER
    str     r9, [sp, #T(FP_TCB_REPLY_HOLDER)]
    mov     r9, #FP_THREAD_BLOCKED_REPLY
    strb    r9, [sp, #T(FP_TCB_STATE)]
    mov     r9, #FP_THREAD_RUNNABLE
    strb    r9, [r8, #FP_TCB_STATE]
    b       fast_switch_asm

call_to_c:
    sub     r2, sp, #60
    ldr     sp, =kernel_stack_top
    b       fastpath_call
call_long_to_c:
    sub     r2, sp, #60
    ldr     sp, =kernel_stack_top
    b       fastpath_call_long

fastpath_reply_recv_asm:
    ubfx    r12, r1, #0, #FP_MSG_INFO_LOW_MASK_BITS
    cmp     r12, #FP_MSG_REG_WORDS
    bhi     rr_long_to_c
    /* The reply cap and its caller c, waiting for it (not faulted), of t's
     * priority, without a vCPU. */
    ldrb    r9, [sp, #T(FP_TCB_CALLER + FP_CAP_TYPE)]
    ldr     r8, [sp, #T(FP_TCB_CALLER + FP_CAP_OBJ)]   @ c
    cmp     r9, #FP_OBJ_REPLY
    bne     rr_to_c
    ldrh    r9, [r8, #FP_TCB_STATE]     @ state | priority << 8
    ldrb    r11, [sp, #T(FP_TCB_PRIO)]
    ldr     r10, [r8, #FP_TCB_VCPU]
    eor     r9, r9, r11, lsl #8
    eor     r9, r9, #FP_THREAD_BLOCKED_REPLY
    orrs    r9, r9, r10
    bne     rr_to_c
    /* The endpoint cap to receive on (one level, read right). */
    CAP_LOOKUP_ONE_LEVEL r0, r9, r10, r11, rr_to_c @ r9: the slot
    ldrh    r11, [r9, #FP_CAP_TYPE]
    eor     r11, r11, #(FP_RIGHT_READ << 8)
    bic     r11, r11, #(0xfd << 8)      @ type | !read << 9
    cmp     r11, #FP_OBJ_ENDPOINT
    bne     rr_to_c
    ldr     r10, [r9, #FP_CAP_OBJ]      @ ep
    ldr     r11, [r10, #FP_EP_STATE]
    ldr     r12, [sp, #T(FP_TCB_BOUND)]
    orrs    r12, r12, r11, lsl #31      @ no sender waiting, no bound notification
    bne     rr_to_c
    /* Commit (fast_reply_recv): the reply, the reply cap used up (c's
     * reply_holder goes stale), t at the tail of the receive queue. */
    sub     r7, sp, #60                 @ t
    mov     r0, #0
    ldr     r2, [sp, #T(8)]
    mov     r6, #0                      @ no badge
    stm     r8, {r0-r6}                 @ c->ctx.r[0..6]
    strb    r0, [sp, #T(FP_TCB_CALLER + FP_CAP_TYPE)]  @ L4_OBJ_NULL
    mov     r9, #FP_THREAD_BLOCKED_RECV
    strb    r9, [sp, #T(FP_TCB_STATE)]
    ldr     r11, [r10, #FP_EP_TAIL]
    str     r10, [sp, #T(FP_TCB_BLOCKED_ON)]
    str     r0, [sp, #T(FP_TCB_IPC_NEXT)]
    str     r11, [sp, #T(FP_TCB_IPC_PREV)]
    cmp     r11, #0
    strne   r7, [r11, #FP_TCB_IPC_NEXT]
    streq   r7, [r10, #FP_EP_HEAD]
    mov     r9, #FP_EP_RECEIVING
    stmib   r10, {r7, r9}               @ tail = t, state = EP_RECEIVING
    mov     r9, #FP_THREAD_RUNNABLE
    strb    r9, [r8, #FP_TCB_STATE]
    /* (falls through) */

/* The thread switch from t (r7) to r8 (core/fastpath.c, fast_switch);
 * r0 = 0. */
fast_switch_asm:
    ldrd    r10, r11, [r8, #FP_TCB_PD]  @ its page directory and ASID
    ldr     r9, [r7, #FP_TCB_ASID]
    cmp     r11, r9
    beq     1f
    orr     r10, r10, #FP_TTBR_WALK_ATTR
    mcr     p15, 0, r0, c13, c0, 1      @ CONTEXTIDR = 0 (reserved; arch_vspace_activate)
    isb
    mcr     p15, 0, r10, c2, c0, 0      @ TTBR0 = the new table
    isb
    mcr     p15, 0, r11, c13, c0, 1     @ CONTEXTIDR = the new ASID (the RFE synchronises it)
1:  mrc     p15, 0, r9, c13, c0, 2      @ TPIDRURW: t's saved, r8's loaded
    ldr     r10, [r8, #FP_TCB_TLS]
    str     r9, [r7, #FP_TCB_TLS]
    mcr     p15, 0, r10, c13, c0, 2
    ldr     r9, [r8, #FP_TCB_IPCBUF]
    mcr     p15, 0, r9, c13, c0, 3      @ TPIDRURO = its IPC buffer
    mrc     p10, 7, r9, c8, c0, 0       @ FPEXC (arch_fpu_disable)
    tst     r9, #FP_FPEXC_EN
    bne     3f
2:  ldr     r9, =ks_sched
    str     r8, [r9, #FP_KS_CUR]        @ ks_cur = r8
    add     sp, r8, #60                 @ arch_restore_user_context
    clrex
    ldmdb   sp, {r0-r14}^
    rfeia   sp!
3:  mcr     p10, 7, r0, c8, c0, 0       @ FPEXC = 0: its first VFP instruction traps
    b       2b

rr_to_c:
    sub     r2, sp, #60
    ldr     sp, =kernel_stack_top
    b       fastpath_reply_recv
rr_long_to_c:
    sub     r2, sp, #60
    ldr     sp, =kernel_stack_top
    b       fastpath_reply_recv_long
#undef T
    .endif

arm_irq_entry:
    sub     lr, lr, #4                  @ return to the interrupted instruction
    .if ASM_VCPU_IRQ
    /* SAVE_USER, with a test before the kernel stack: a vCPU's thread
     * goes to vcpu_entry.S's vcpu_irq_asm (a routed line's upcall in
     * virtual kernel mode), which works on the TCB through SP and takes
     * the kernel stack only to fall back to c_handle_irq_claimed. */
    srsdb   sp!, #PSR_MODE_SVC          @ ctx.pc, ctx.cpsr <- lr_irq, spsr_irq
    cps     #PSR_MODE_SVC
    stmdb   sp, {r0-r14}^               @ ctx.r0..r14 <- user registers
    ldr     r5, [sp, #(FP_TCB_VCPU - 60)]
    cmp     r5, #0
    bne     vcpu_irq_asm                @ r5 = the thread's vCPU
    movw    sp, #:lower16:kernel_stack_top
    movt    sp, #:upper16:kernel_stack_top
    bl      c_handle_irq
    .else
    SAVE_USER irq                       @ IRQs are only unmasked in user mode
    KSTAT_ENTRY r0                      @ stats configuration only
    bl      c_handle_irq
    .endif

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
