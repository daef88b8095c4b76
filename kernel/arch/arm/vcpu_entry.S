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
#include <arch/lookup_asm.h>
#include <l4/abi.h>
#include <plat/gic.h>

#include <fastpath_asm.h>

/* The guest-user svc upcall in assembly (vuser_svc): not where the C
 * version makes trace records or counts entries and switches. */
#define ASM_VCPU_UPCALL (!CONFIG_TRACE && !CONFIG_TRACE_DUMP && !CONFIG_KSTATS)
/* ... and the vCPU paths on the normal vector table (vcpu_irq_asm, the
 * system calls' vcpu_resume_user_asm and vcpu_sync_asm): never in the
 * kernel without vCPU fast paths (CONFIG_VCPU_SLOW), the reference. */
#define ASM_VCPU_FAST (ASM_VCPU_UPCALL && !CONFIG_VCPU_SLOW)
#define T(off) ((off) - 60)

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

/* object/vcpu_state.h's vcpu_state_load, for an exit that loads the user
 * registers straight from the 17 words at r10 (regs or kregs):
 * VCPU_STATE_LOAD_PSR puts their pc and cpsr in the context (ctx.pc and
 * ctx.cpsr at SP, which the exit's RFE reads), cpsr as user mode may set
 * it, pc aligned for its instruction set; VCPU_STATE_EXIT loads r0-r14
 * from the words and returns. ctx.r0..r14 are not written: from the
 * return to the thread's next entry, which saves them over, nothing reads
 * them (every kernel entry from user mode saves all 17 words first). The
 * guest may change the words in between, but each is read once: the
 * checked pc and cpsr are the kernel's copy. r10 is kept; r3, r6 and r7
 * are scratch. */
.macro VCPU_STATE_LOAD_PSR
    ldrd    r6, r7, [r10, #60]          @ words 15, 16: pc, cpsr
    ldr     r3, =FP_PSR_USER_MASK
    and     r7, r7, r3
    orr     r7, r7, #PSR_MODE_USR       @ arch_psr_sanitise
    tst     r7, #(1 << FP_PSR_T_SHIFT)
    bicne   r6, r6, #1                  @ Thumb: halfword aligned
    biceq   r6, r6, #3                  @ ARM: word aligned
    strd    r6, r7, [sp]                @ ctx.pc, ctx.cpsr
.endm

.macro VCPU_STATE_EXIT
    clrex                               @ arch_restore_user_context
    ldm     r10, {r0-r14}^              @ words 0..14 (r10, the base, too)
    rfeia   sp!
.endm

/* The same from kregs of the state page at r10: r10 ends at kregs. */
.macro VCPU_STATE_LOAD_PSR_KREGS
    add     r10, r10, #(L4_VCPU_STATE_KREGS * 4)
    VCPU_STATE_LOAD_PSR
.endm

/* The checks every vCPU system call in assembly makes first (core/
 * vcpu_fast.c's vcpu_fast_own): r0 names a VCPU cap in one level of the
 * caller t's CSpace, bound to t; else a branch to \fail. Out: lr = the
 * vCPU (lr_svc is saved in ctx.pc), r12 = t. r0 and r1 are kept; r9-r11
 * are scratch. */
.macro VCPU_OWN fail
    CAP_LOOKUP_ONE_LEVEL r0, r9, r10, r11, \fail @ r9: the slot
    ldrb    r11, [r9, #FP_CAP_TYPE]
    cmp     r11, #FP_OBJ_VCPU           @ a VCPU cap ...
    bne     \fail
    ldr     lr, [r9, #FP_CAP_OBJ]       @ v
    sub     r12, sp, #60                @ t
    ldr     r11, [lr, #FP_VCPU_TCB]
    cmp     r11, r12                    @ ... bound to the caller
    bne     \fail
.endm

/* The check of the guest's acknowledgement (vcpu_state_ack_ok): r4 =
 * virq_ack of the state page at r10, read once; a bit that is not an
 * active routed line of the vCPU at lr is a branch to \fail (the slow
 * path's NOT_ACTIVE). Out: r5 = v->virq_active. Z set: nothing to ack. */
.macro VCPU_ACK_CHECK fail
    ldr     r4, [r10, #(L4_VCPU_STATE_VIRQ_ACK * 4)]
    ldr     r5, [lr, #FP_VCPU_VIRQ_ACTIVE]
    bics    r6, r4, r5                  @ ack & ~virq_active
    bne     \fail
    cmp     r4, #0
.endm

/* The act (vcpu_state_ack), after every check: r4 = the word (not 0),
 * r5 = virq_active, r10 = the state page, lr = the vCPU. The word
 * cleared, the lines no longer active, each unmasked (at most 32 turns).
 * r4-r9 are scratch; local label 9 is the macro's own. */
.macro VCPU_ACK
    mov     r6, #0
    str     r6, [r10, #(L4_VCPU_STATE_VIRQ_ACK * 4)]
    bic     r5, r5, r4
    str     r5, [lr, #FP_VCPU_VIRQ_ACTIVE]
    PLAT_GICD_BASE_ASM r5
    add     r7, lr, #FP_VCPU_VIRQ_LINE
9:  rbit    r6, r4
    clz     r6, r6                      @ the lowest virtual line left
    ldrb    r6, [r7, r6]                @ its physical line
    PLAT_IRQ_UNMASK_ASM r6, r5, r8, r9
    sub     r6, r4, #1
    ands    r4, r4, r6                  @ the next
    bne     9b
.endm

/* The guest-user svc: vectors.S's arm_svc_entry save, then the upcall
 * (core/vcpu_fast.c: vcpu_fast_user_svc(tcb), does not return), or, in
 * the configurations without trace records and stats, the same upcall in
 * assembly: object/vcpu_state.h's vcpu_state_upcall for a vCPU in virtual
 * user mode (the only one this table sees), then vcpu_fast_leave with the
 * switch to the guest kernel's space. Every store is one of
 * vcpu_state_upcall's, in the same words; it has no check to make (the
 * table is in place only for a bound vCPU in virtual user mode) and
 * nothing can fail. While it runs SP = &ctx.pc of the thread t (its
 * TCB + 60), so t's fields are at T(offset), as in vectors.S's IPC
 * fastpath; the user's registers are saved and r0-r12 are scratch. */
vuser_svc:
    .if ASM_VCPU_UPCALL
    .if L4_VCPU_STATE_REGS != 0 || L4_VCPU_STATE_FAULT_ADDR != L4_VCPU_STATE_CAUSE + 1 || L4_VCPU_STATE_FAULT_STATUS != L4_VCPU_STATE_CAUSE + 2 || L4_VCPU_STATE_FROM_USER != L4_VCPU_STATE_CAUSE + 3 || L4_VCPU_STATE_VIRQ_ENABLED != L4_VCPU_STATE_CAUSE + 4 || L4_VCPU_STATE_ENTRY_SP != L4_VCPU_STATE_ENTRY_PC + 1
    .error "vuser_svc does not match the state page of libl4/abi.def"
    .endif
    srsdb   sp!, #PSR_MODE_SVC          @ ctx.pc, ctx.cpsr <- lr_svc, spsr_svc
    stmdb   sp, {r0-r14}^               @ ctx.r0..r14 <- user registers
    ldr     lr, [sp, #T(FP_TCB_VCPU)]   @ v (lr_svc is in ctx.pc)
    ldr     lr, [lr, #FP_VCPU_STATE]    @ st; regs are its first 17 words
    stm     lr, {r0-r14}^               @ regs[0..14] <- the user registers
    ldrd    r2, r3, [sp]                @ regs[15, 16] <- ctx.pc, ctx.cpsr
    strd    r2, r3, [lr, #60]
    VECTORS_NORMAL r0
    ldr     r1, [sp, #T(FP_TCB_VCPU)]   @ v
    adr     r3, vuser_svc_cause
    ldm     r3, {r3-r7}                 @ the five words (r4, r7: 0)
    add     r8, lr, #(L4_VCPU_STATE_CAUSE * 4)
    stm     r8, {r3-r7}                 @ cause .. virq_enabled
    str     r4, [r1, #FP_VCPU_USER_MODE] @ v->user_mode = 0
    ldrd    r8, r9, [lr, #(L4_VCPU_STATE_ENTRY_PC * 4)] @ entry_pc, entry_sp
    mov     r10, #PSR_MODE_USR
    bfi     r10, r8, #FP_PSR_T_SHIFT, #1 @ ctx.cpsr = USR | (entry bit 0, a Thumb entry: T)
    bic     r8, r8, #1                  @ ctx.pc = entry & ~1
    str     r9, [sp, #T(52)]            @ ctx.sp = entry_sp
    stm     sp, {r8, r10}               @ ctx.pc, ctx.cpsr
    /* Virtual kernel mode: the CSpace root resolves again, the guest
     * kernel's page directory (vcpu_use_pd). */
    ldrb    r3, [sp, #T(FP_TCB_CSPACE + FP_CAP_RIGHTS)]
    bic     r3, r3, #FP_CAP_GUEST_USER
    strb    r3, [sp, #T(FP_TCB_CSPACE + FP_CAP_RIGHTS)]
    ldrd    r4, r5, [sp, #T(FP_TCB_VSPACE + FP_CAP_OBJ)] @ the cap's obj (kernel pointer), data (ASID)
    sub     r4, r4, #FP_KERNEL_WINDOW_OFFSET @ kptr_to_paddr
    strd    r4, r5, [sp, #T(FP_TCB_PD)] @ t->vspace_pd, t->asid
    /* arch_vspace_activate, less its last ISB: the RFE synchronises the
     * ASID write before any instruction of the new space. */
    orr     r4, r4, #FP_TTBR_WALK_ATTR
    mcr     p15, 0, r7, c13, c0, 1      @ CONTEXTIDR = 0 (reserved; r7 is still 0)
    isb
    mcr     p15, 0, r4, c2, c0, 0       @ TTBR0 = the guest kernel's table
    isb
    mcr     p15, 0, r5, c13, c0, 1      @ CONTEXTIDR = its ASID
    clrex                               @ arch_restore_user_context
    ldmdb   sp, {r0-r14}^
    rfeia   sp!
vuser_svc_cause:                        @ vcpu_state_upcall's cause words
    .word   L4_VCPU_CAUSE_SYSCALL       @ cause
    .word   0                           @ fault_addr
    .word   0                           @ fault_status
    .word   1                           @ from_user
    .word   0                           @ virq_enabled: virtual interrupts off
    .else
    SAVE_USER_TCB svc, r0               @ r0 = the TCB
    VECTORS_NORMAL r1
    b       vcpu_fast_user_svc
    .endif

/* --- vcpu_resume into guest user in assembly ------------------------------------
 * The system call L4_SYS_VCPU_RESUME from vectors.S's arm_svc_entry, in the
 * configurations of vuser_svc's assembly (and never with CONFIG_VCPU_SLOW):
 * the common case of core/vcpu_fast.c's vcpu_fast_resume, mode
 * L4_VCPU_RESUME_USER into the page directory kept from the last resume
 * (r2 = L4_CAP_NULL), nothing to acknowledge and nothing pending. It makes
 * every check vcpu_fast_resume makes for that case (one-level lookup of
 * r0, a VCPU cap, bound to the caller, in virtual kernel mode; a kept page
 * directory, not a zombie) and anything else goes, unchanged, to
 * vcpu_resume_kernel below (mode L4_VCPU_RESUME_KERNEL) or to
 * vcpu_fast_resume, which handles or refuses it: another mode, a named
 * page directory, a virq_ack or virq_pending word that is not zero (the
 * acknowledgement; the delivery, whose priority test is there). Nothing
 * changes before the last check. The acts are vcpu_fast_resume_body's for
 * the case, in its order: vcpu_state_load, vcpu_state_enter_user,
 * virq_enabled = 1, the guest-user vector table, the switch, the exit.
 * Register contract: r0 = cptr, r1 = mode (kept for the fallback), SP =
 * &ctx.pc of the caller t (its TCB + 60); r2-r14 are scratch (saved). */
    .global vcpu_resume_user_asm
vcpu_resume_user_asm:
    .if ASM_VCPU_FAST
    .if L4_VCPU_RESUME_USER != 0 || L4_CAP_NULL != 0
    .error "vcpu_resume_user_asm tests mode and page directory against 0 with one ORRS"
    .endif
    .if L4_VCPU_STATE_VIRQ_ACK != L4_VCPU_STATE_FPEXC + 1
    .error "vcpu_resume_user_asm loads fpexc and virq_ack with one LDRD"
    .endif
    /* The cases this takes first, so that the others lose only these
     * three instructions: mode guest user, the kept page directory. */
    ldr     r9, [sp, #T(8)]             @ the page directory argument: ctx.r[2]
    orrs    r9, r9, r1                  @ L4_CAP_NULL, L4_VCPU_RESUME_USER
    bne     vcpu_resume_kernel          @ (the kernel mode, or to C)
    /* The VCPU cap: a one-level lookup (vcpu_fast_lookup). */
    VCPU_OWN resume_to_c                @ lr = v, r12 = t
    ldrd    r10, r11, [lr, #FP_VCPU_STATE] @ st, v->user_mode
    ldrd    r8, r9, [r10, #(L4_VCPU_STATE_FPEXC * 4)] @ fpexc (r8 from here), virq_ack
    orr     r9, r9, r11
    ldr     r11, [r10, #(L4_VCPU_STATE_VIRQ_PENDING * 4)]
    orrs    r9, r9, r11                 @ virtual kernel mode, nothing to
    bne     resume_to_c                 @ acknowledge, nothing pending
    ldrb    r9, [sp, #T(FP_TCB_VCPU_USER + FP_CAP_TYPE)]
    ldrb    r11, [sp, #T(FP_TCB_VCPU_USER + FP_CAP_RIGHTS)]
    cmp     r9, #FP_OBJ_PAGE_DIRECTORY  @ a page directory kept ...
    tsteq   r11, #FP_CAP_ZOMBIE         @ ... and not a zombie
    bne     resume_to_c
    /* Act (cannot fail). vcpu_state_load: regs -> ctx, cpsr as user mode
     * may set it, pc aligned for its instruction set. */
    VCPU_STATE_LOAD_PSR
    /* vcpu_state_enter_user: the CSpace root resolves nothing, the kept
     * page directory, virtual user mode, the guest's virtual FPU. */
    ldrb    r3, [sp, #T(FP_TCB_CSPACE + FP_CAP_RIGHTS)]
    orr     r3, r3, #FP_CAP_GUEST_USER
    strb    r3, [sp, #T(FP_TCB_CSPACE + FP_CAP_RIGHTS)]
    ldr     r4, [sp, #T(FP_TCB_VCPU_USER + FP_CAP_OBJ)]  @ (LDRD's offset is 8 bits)
    ldr     r5, [sp, #T(FP_TCB_VCPU_USER + FP_CAP_DATA)]
    sub     r4, r4, #FP_KERNEL_WINDOW_OFFSET @ kptr_to_paddr
    strd    r4, r5, [sp, #T(FP_TCB_PD)] @ t->vspace_pd, t->asid
    mov     r3, #1
    str     r3, [lr, #FP_VCPU_USER_MODE]
    str     r3, [r10, #(L4_VCPU_STATE_VIRQ_ENABLED * 4)] @ virtual interrupts on
    /* The guest's virtual FPU off (its FPEXC, read above, without EN):
     * arch_fpu_disable's effect, FPEXC = 0, by one write, without its
     * read and test (EX and DEX are never set: arch/arm/fpu.c), so that
     * guest user's VFP instructions trap. */
    mov     r3, #0
    tst     r8, #FP_FPEXC_EN
    mcreq   p10, 7, r3, c8, c0, 0       @ FPEXC = 0
    ldr     r6, =arm_vcpu_user_vectors
    mcr     p15, 0, r6, c12, c0, 0      @ VBAR (vcpu_fast_user_vectors)
    /* arch_vspace_activate, less its last ISB (the RFE synchronises). */
    orr     r4, r4, #FP_TTBR_WALK_ATTR
    mcr     p15, 0, r3, c13, c0, 1      @ CONTEXTIDR = 0 (reserved)
    isb
    mcr     p15, 0, r4, c2, c0, 0       @ TTBR0 = the guest-user table
    isb
    mcr     p15, 0, r5, c13, c0, 1      @ CONTEXTIDR = its ASID
    VCPU_STATE_EXIT

/* vcpu_resume(KERNEL) from vcpu_resume_user_asm's first test: the common
 * case of vcpu_fast_resume for L4_VCPU_RESUME_KERNEL, the acknowledgement
 * in virq_ack included, nothing pending. Every check of vcpu_fast_resume
 * for the case first (the mode, the VCPU cap bound to the caller, virtual
 * kernel mode, each bit of virq_ack an active line), then the acts, which
 * cannot fail: the acknowledgement, vcpu_state_load from kregs,
 * virq_enabled = 1, the exit (the same space: virtual kernel mode). The
 * C body loads before it acknowledges; the two touch disjoint state (the
 * thread's context; the word, the vCPU's active set, the GIC) with
 * interrupts masked, so the order is not observable. A pending line (whose
 * delivery the priorities decide, with virtual interrupts on now) or a
 * bad ack goes to vcpu_fast_resume with r0, r1 as they came, before
 * anything changed. Register contract: vcpu_resume_user_asm's. */
vcpu_resume_kernel:
    cmp     r1, #L4_VCPU_RESUME_KERNEL
    bne     resume_to_c
    VCPU_OWN resume_to_c                @ lr = v, r12 = t
    ldrd    r10, r11, [lr, #FP_VCPU_STATE] @ st, v->user_mode
    ldr     r9, [r10, #(L4_VCPU_STATE_VIRQ_PENDING * 4)]
    orrs    r11, r11, r9                @ virtual kernel mode, nothing pending
    bne     resume_to_c
    VCPU_ACK_CHECK resume_to_c          @ r4 = virq_ack, r5 = virq_active
    /* Act. */
    beq     1f
    VCPU_ACK
1:  VCPU_STATE_LOAD_PSR_KREGS
    mov     r3, #1
    str     r3, [r10, #((L4_VCPU_STATE_VIRQ_ENABLED - L4_VCPU_STATE_KREGS) * 4)]
    VCPU_STATE_EXIT
resume_to_c:                            @ r0, r1 as they came
    .endif
    sub     r2, sp, #60
    ldr     sp, =kernel_stack_top
    b       vcpu_fast_resume

/* --- vcpu_sync in assembly -----------------------------------------------------
 * The system call L4_SYS_VCPU_SYNC from vectors.S's arm_svc_entry, in the
 * configurations of vcpu_resume_user_asm: the common case of core/
 * vcpu_fast.c's vcpu_fast_sync, nothing to deliver (no line pending, or
 * virtual interrupts off), the acknowledgement in virq_ack included. Its
 * checks first (the VCPU cap bound to the caller; each bit of virq_ack an
 * active line: else the slow path's NOT_ACTIVE), then its acts (the
 * acknowledgement, r0 = L4_ERR_OK, the exit in the same space). A line
 * pending with virtual interrupts on (the delivery, whose priority test
 * vcpu_fast_sync makes) and anything else go to vcpu_fast_sync with r0,
 * r1 as they came, before anything changed. Register contract:
 * vcpu_resume_user_asm's (r0 = cptr, r1 = info). */
    .global vcpu_sync_asm
vcpu_sync_asm:
    .if ASM_VCPU_FAST
    VCPU_OWN sync_to_c                  @ lr = v, r12 = t
    ldr     r10, [lr, #FP_VCPU_STATE]
    .if L4_VCPU_STATE_VIRQ_PENDING != L4_VCPU_STATE_VIRQ_ENABLED + 1
    .error "vcpu_sync_asm loads virq_enabled and virq_pending with one LDRD"
    .endif
    ldrd    r2, r3, [r10, #(L4_VCPU_STATE_VIRQ_ENABLED * 4)]
    cmp     r2, #0
    cmpne   r3, #0                      @ interrupts on and a line pending:
    bne     sync_to_c                   @ a delivery, maybe
    VCPU_ACK_CHECK sync_to_c            @ r4 = virq_ack, r5 = virq_active
    /* Act. */
    beq     1f
    VCPU_ACK
1:  mov     r0, #L4_ERR_OK              @ the result (r0 is not reloaded below)
    clrex                               @ arch_restore_user_context
    ldmdb   sp, {r1-r14}^
    rfeia   sp!
sync_to_c:                              @ r0, r1 as they came
    .endif
    sub     r2, sp, #60
    ldr     sp, =kernel_stack_top
    b       vcpu_fast_sync

/* --- a routed line's interrupt in virtual kernel mode, in assembly ---------------
 * vectors.S's arm_irq_entry, in the configurations of vcpu_resume_user_asm,
 * after saving the interrupted user registers into the thread t's context
 * (SP = &t->ctx.pc; t is ks_cur: the thread whose context SP_svc ends),
 * for a thread with a vCPU (r5 = t->vcpu: arm_irq_entry's test, so that
 * other threads lose three instructions); r0-r14 are scratch. The common case of core/irq.c's c_handle_irq for a
 * vCPU in virtual kernel mode: the line claimed is routed to t's vCPU
 * (irq_for_running_vcpu), virtual interrupts are on and the line is
 * deliverable with the pending ones under the priority rules
 * (vcpu_virq_deliverable, with the line's bit added): the delivery (line
 * masked, active, pending, end of interrupt) and the upcall
 * (vcpu_state_upcall from virtual kernel mode: the context to kregs, the
 * cause words, virtual interrupts off, the entry point), then straight
 * out in the same space, as vcpu_fast_upcall. Every check first, on the
 * claimed INTID; anything else (the kernel's tick, no line, a line with a
 * notification or of another vCPU or of none, a vCPU in virtual user mode, virtual interrupts off, a line the priorities
 * mask) goes to c_handle_irq_claimed(irq) on the kernel stack, which is
 * c_handle_irq after its claim: nothing but the claim has happened. */
    .if ASM_VCPU_FAST
    .if L4_VCPU_STATE_VIRQ_PENDING != L4_VCPU_STATE_VIRQ_ENABLED + 1 || L4_VCPU_STATE_VIRQ_RPR != L4_VCPU_STATE_VIRQ_PMR + 1 || L4_VCPU_STATE_CAUSE != L4_VCPU_STATE_KREGS + 17 || L4_VCPU_STATE_VIRQ_ENABLED != L4_VCPU_STATE_CAUSE + 4 || L4_VCPU_PRIO_NONE != 16
    .error "vcpu_irq_asm does not match the state page of libl4/abi.def"
    .endif
    .global vcpu_irq_asm
vcpu_irq_asm:                           @ r5 = v = t->vcpu, not NULL
    PLAT_GICC_BASE_ASM r4
    PLAT_IRQ_CLAIM_ASM r0, r4           @ r0 = irq (1020.. for none)
    cmp     r0, #PLAT_IRQ_TIMER         @ the kernel's tick: C at once
    beq     irq_line_to_c
    cmp     r0, #PLAT_IRQ_MAX           @ a line of the table (not none)
    bhs     irq_to_c
    ldr     r6, =irq_lines
    add     r6, r6, r0, lsl #FP_IRQ_LINE_BITS @ irq_lines[irq]
    ldrd    r8, r9, [r6, #FP_IRQ_LINE_NTFN] @ its ntfn, vcpu
    cmp     r8, #0                      @ no notification,
    cmpeq   r9, r5                      @ routed to t's vCPU
    bne     irq_to_c
    ldrd    r10, r11, [r5, #FP_VCPU_STATE] @ st, v->user_mode
    ldr     r7, [r6, #FP_IRQ_LINE_BADGE] @ the virtual line's bit
    cmp     r11, #0                     @ virtual kernel mode
    bne     irq_to_c
    ldrd    r8, r9, [r10, #(L4_VCPU_STATE_VIRQ_ENABLED * 4)] @ virq_enabled, virq_pending
    cmp     r8, #0                      @ virtual interrupts on
    beq     irq_to_c
    orr     r2, r9, r7                  @ pending, with the line
    /* vcpu_virq_deliverable: the threshold is the lower of virq_pmr and
     * virq_rpr; at L4_VCPU_PRIO_NONE or above it masks nothing, below it
     * the lines of virq_below[threshold] pass. */
    ldrd    r8, r9, [r10, #(L4_VCPU_STATE_VIRQ_PMR * 4)]
    cmp     r8, r9
    movhi   r8, r9                      @ min(pmr, rpr)
    cmp     r8, #L4_VCPU_PRIO_NONE
    movhs   r9, r2                      @ nothing masked: every pending line
    addlo   r9, r5, #FP_VCPU_VIRQ_BELOW
    ldrlo   r9, [r9, r8, lsl #2]        @ virq_below[threshold]
    tst     r9, r2
    beq     irq_to_c                    @ the priorities mask them all
    /* Act (cannot fail): irq_for_running_vcpu's delivery ... */
    PLAT_GICD_BASE_ASM r3
    PLAT_IRQ_MASK_ASM r0, r3, r8, r9
    ldr     r8, [r5, #FP_VCPU_VIRQ_ACTIVE]
    orr     r8, r8, r7
    str     r8, [r5, #FP_VCPU_VIRQ_ACTIVE] @ active until the guest's ack
    str     r2, [r10, #(L4_VCPU_STATE_VIRQ_PENDING * 4)] @ vcpu_signal
    PLAT_IRQ_EOI_ASM r0, r4
    /* ... then vcpu_state_upcall from virtual kernel mode: the context to
     * kregs, then (right after them) the cause words. */
    sub     r0, sp, #60                 @ &t->ctx
    add     r12, r10, #(L4_VCPU_STATE_KREGS * 4)
    ldmia   r0!, {r1-r9, r11}           @ ctx.r0..r9
    stmia   r12!, {r1-r9, r11}
    ldm     r0, {r1-r7}                 @ ctx.r10..r14, pc, cpsr
    stmia   r12!, {r1-r7}               @ (r12 = &st[CAUSE] from here)
    mov     r1, #L4_VCPU_CAUSE_VIRQ
    mov     r2, #0                      @ fault_addr
    mov     r3, #0                      @ fault_status
    mov     r4, #0                      @ from_user
    mov     r5, #0                      @ virq_enabled: virtual interrupts off
    stm     r12, {r1-r5}                @ cause .. virq_enabled
    ldrd    r8, r9, [r10, #(L4_VCPU_STATE_ENTRY_PC * 4)] @ entry_pc, entry_sp
    and     r11, r8, #1                 @ bit 0: a Thumb entry
    bic     r8, r8, #1                  @ ctx.pc = entry & ~1
    mov     r1, #PSR_MODE_USR
    orr     r11, r1, r11, lsl #FP_PSR_T_SHIFT @ ctx.cpsr = USR | (Thumb ? T : 0)
    str     r9, [sp, #T(52)]            @ ctx.sp = entry_sp
    stm     sp, {r8, r11}               @ ctx.pc, ctx.cpsr
    clrex                               @ arch_restore_user_context
    ldmdb   sp, {r0-r14}^
    rfeia   sp!
irq_to_c:                               @ r0 = the INTID claimed
    cmp     r0, #GIC_INTID_SPECIAL
    movwhs  r0, #FP_IRQ_NONE            @ none (plat_irq_claim)
irq_line_to_c:
    ldr     sp, =kernel_stack_top
    b       c_handle_irq_claimed
    .endif

    .ltorg
