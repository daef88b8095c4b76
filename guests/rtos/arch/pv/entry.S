/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The upcall entry, the explicit yield and the direct resume.
 *
 * Model (the paravirtual twin of arch/native/vectors.S): every upcall saves
 * the interrupted context (regs or kregs of the state page) into the
 * current task's port_ctx_t (pv_ctx_cur), calls one C handler (trap.c) for
 * its cause on the kernel stack, with virtual interrupts off, and resumes
 * the port_ctx_t that handler returns (pv_resume), which may belong to
 * another task. Nothing stays on the kernel stack between upcalls, so sp is
 * pv_kstack_top on every entry. Kernel context nests only in one place:
 * the kernel starts an upcall only when virq_enabled is 1, and kernel
 * context runs with it 0 except in a handler that a line of higher
 * priority may preempt (pv_irq_run_nested, trap.c), whose upcalls enter at
 * pv_upcall_nested instead, on the handler's stack.
 *
 * port_ctx_t layout (port_arch.h, offsets in pv.h): r0-r12, sp, lr, pc,
 * cpsr as in the state page, then kind.
 *
 * The paths a benchmark takes are here in full: the entry with its
 * dispatch of interrupts and system calls, pv_switch (the resume for each
 * kind) and every resume but the one through vcpu_resume(KERNEL) (trap.c).
 */
	.syntax unified
	.arm
#include <l4/abi.h>
#include "pv.h"

#define ST(field) (L4_VCPU_STATE_##field * 4)

	.text
/* RESUME: continue at pv_resume(r0), the trace's C half if the image
 * logs task switches (PV_TRACE, pv.h), else straight at pv_switch. */
#if PV_TRACE
#define RESUME b pv_resume
#else
#define RESUME b pv_switch
#endif
/* The resume of an interrupted kernel task (pv_switch's table). A context
 * the upcall entry saved is resumed by its kind's resume directly when the
 * core chose the same task again: pv_ctx_cur is still that context (only
 * pv_switch changes it), its kind is the one the entry stored (the core
 * does not change kinds), and the trace logs only a switch to another
 * task. */
#if PV_RESUME_INTERRUPTED
#define PV_KERNEL_RESUME pv_resume_interrupted
#else
#define PV_KERNEL_RESUME pv_resume_kernel
#endif

/*
 * BR_IF_MASK_HELD label, pmr, rpr: branch to label if the state page's
 * priority words (loaded into pmr and rpr) hold a line off, i.e. if either
 * is below L4_VCPU_PRIO_NONE (the kernel's rule, l4_vcpu_threshold); flags
 * clobbered. Falling through, every pending line is deliverable by
 * priority: the fast case of port_irq_trigger and pv_irq_dispatch. The
 * twin image (PV_FAST_LINES 0, pv.h) always branches: every line then
 * takes the general rule, line by line (pv_take_held, pv_irq_trigger_held).
 */
.macro BR_IF_MASK_HELD label, pmr, rpr
#if PV_FAST_LINES
	cmp	\pmr, #L4_VCPU_PRIO_NONE
	cmphs	\rpr, #L4_VCPU_PRIO_NONE
	blo	\label
#else
	b	\label
#endif
.endm

/*
 * pv_upcall_entry: the state page's entry_pc.
 * Entry (docs/vcpu.md): user mode, guest-kernel space, sp = entry_sp =
 *        pv_kstack_top, virq_enabled = 0, every other register unspecified;
 *        cause, from_user, fault_addr/status and regs or kregs are set.
 * Exit:  never returns; resumes what the core chose.
 * The interrupted context goes to pv_ctx_cur's port_ctx_t with its kind in
 * the same block moves: from_user (0 or 1) is PV_CTX_KERNEL or PV_CTX_USER.
 * The kernel upcalls virtual kernel mode only for an interrupt (a fault
 * there goes to the VMM: docs/vcpu.md, "Upcalls"); any other cause there
 * is reported (pv_upcall_bad). Interrupts and a protected task's system
 * call, the frequent causes, are dispatched here, with the core's calls
 * made directly (r4 = the state page and r5 = the context survive them).
 */
	.global pv_upcall_entry
	.type pv_upcall_entry, %function
pv_upcall_entry:
	ldr	r4, =PV_STATE_VADDR
	ldr	r5, =pv_ctx_cur
	ldr	r5, [r5]			@ r5 = context of the interrupted task
	ldr	lr, [r4, #ST(FROM_USER)]	@ lr: its kind (PV_CTX_KERNEL 0,
	cmp	lr, #0				@ PV_CTX_USER 1); Z: a kernel task,
	addeq	r6, r4, #ST(KREGS)		@ its registers are in kregs,
	addne	r6, r4, #ST(REGS)		@ a user task's in regs
	mov	r7, r5
	ldmia	r6!, {r0-r3, r8-r12}		@ words 0-8 (r0-r8)
	stmia	r7!, {r0-r3, r8-r12}
	ldmia	r6, {r0-r3, r8-r11}		@ words 9-16 (r9-r12, sp, lr, pc,
	stmia	r7, {r0-r3, r8-r11, lr}		@ cpsr), word 17: the kind (lr
	ldr	r1, =pv_held_ctx		@ last: stm stores in register
	str	r5, [r1, lr, lsl #2]		@ order); kregs or regs now hold
	ldr	r1, [r4, #ST(CAUSE)]		@ this context as saved (pv.h);
	bne	pv_upcall_user			@ flags still from the cmp
	cmp	r1, #L4_VCPU_CAUSE_VIRQ
	bne	pv_upcall_bad_kernel
	bl	rtos_kernel_enter		@ an interrupted kernel task
	bl	pv_irq_dispatch
	bl	rtos_kernel_leave
	cmp	r0, r5				@ the same task again (pv_ctx_cur
	beq	PV_KERNEL_RESUME		@ still is): its resume at once
	RESUME
pv_upcall_user:
	cmp	r1, #L4_VCPU_CAUSE_SYSCALL
	bne	1f
	bl	rtos_kernel_enter		@ a protected task's system call
	mov	r0, r5
	bl	rtos_kernel_syscall
	ldr	r0, [r4, #ST(VIRQ_PENDING)]	@ an interrupt that came meanwhile:
	cmp	r0, #0				@ now, not in a second upcall
	blne	pv_irq_dispatch
	bl	rtos_kernel_leave
	cmp	r0, r5				@ the same task again (pv_ctx_cur
	bne	pv_resume_other			@ still is): regs hold it as this
	ldr	r2, [r0]			@ entry saved it (pv_regs_ctx), so
	str	r2, [r4, #ST(REGS)]		@ its r0 alone, and vcpu_resume
	b	pv_resume_user_pd
pv_resume_other:
	RESUME
1:	cmp	r1, #L4_VCPU_CAUSE_VIRQ
	bne	2f
	bl	rtos_kernel_enter		@ an interrupted protected task
	bl	pv_irq_dispatch
	bl	rtos_kernel_leave
	RESUME
2:	mov	r0, r5				@ first argument: the saved context
	cmp	r1, #L4_VCPU_CAUSE_PAGE_FAULT
	beq	3f
	cmp	r1, #L4_VCPU_CAUSE_UNDEFINED
	beq	4f
pv_upcall_bad_kernel:
	mov	r0, r5
	bl	pv_upcall_bad			@ (ctx, cause): does not return
3:	ldr	r1, [r4, #ST(FAULT_ADDR)]
	ldr	r2, [r4, #ST(FAULT_STATUS)]
	bl	pv_upcall_fault			@ (ctx, addr, status)
	RESUME
4:	bl	pv_upcall_undef			@ each handler: r0 = ctx in,
	RESUME					@ r0 = context to resume out
	.size pv_upcall_entry, . - pv_upcall_entry

/*
 * pv_switch(ctx): resume ctx, which becomes the current context (pv.h says
 * which kind takes which resume). Kernel context (virtual interrupts off).
 * One indexed load of the resume for its kind: kinds are 0-3, written only
 * by this port (pv.h). Exit: never returns.
 */
	.global pv_switch
	.type pv_switch, %function
pv_switch:
	ldr	r1, =pv_ctx_cur
	ldr	r2, [r0, #PV_CTX_KIND]
	str	r0, [r1]
	ldr	pc, [pc, r2, lsl #2]		@ the table after the next word
	.word	0				@ (never executed: pc reads + 8)
	.word	PV_KERNEL_RESUME		@ PV_CTX_KERNEL
	.word	pv_resume_user			@ PV_CTX_USER
	.word	pv_resume_jump			@ PV_CTX_YIELDED
	.word	pv_resume_called		@ PV_CTX_CALLED
	.size pv_switch, . - pv_switch
	.if PV_CTX_KERNEL != 0 || PV_CTX_USER != 1 || PV_CTX_YIELDED != 2 || PV_CTX_CALLED != 3
	.error "pv_switch's table and the upcall entry's kind need kinds 0-3 in this order"
	.endif

/*
 * pv_resume_user(ctx): a protected task through regs and
 * vcpu_resume(USER, pd). Where regs still hold ctx as saved (pv_regs_ctx),
 * only its r0 is written (the one word the core changes: pv.h); the page
 * directory is L4_CAP_NULL when it is the one the kernel kept from the
 * last vcpu_resume(USER) (pv_user_pds, pv.h).
 * Entry: from pv_switch (pv_ctx_cur = ctx). Exit: never returns.
 */
	.type pv_resume_user, %function
pv_resume_user:
	ldr	r3, =PV_STATE_VADDR
	ldr	r1, =pv_held_ctx + 4 * PV_CTX_USER
	ldr	r2, [r1]
	cmp	r2, r0				@ regs hold ctx as saved?
	bne	1f
	ldr	r2, [r0]			@ yes: its r0 alone
	str	r2, [r3, #ST(REGS)]
pv_resume_user_pd:				@ regs hold ctx: vcpu_resume(USER)
	ldr	r1, =pv_user_pds
	ldrd	r2, r3, [r1]			@ r2: its space, r3: the last one
	cmp	r2, r3
	strne	r2, [r1, #4]			@ another: named, and kept next
	moveq	r2, #L4_CAP_NULL		@ the same: the kernel's copy
	mov	r0, #PV_CAP_VCPU
	mov	r1, #L4_VCPU_RESUME_USER
	mov	r7, #L4_SYS_VCPU_RESUME
	svc	#0				@ returns only on an error (r0)
	b	pv_resume_failed		@ (r0: the error) does not return
1:	str	r0, [r1]			@ regs will hold ctx: the 17 words
	add	r1, r3, #ST(REGS)
	ldmia	r0!, {r2, r4-r12}		@ words 0-9
	stmia	r1!, {r2, r4-r12}
	ldmia	r0, {r2, r4-r9}			@ words 10-16
	stmia	r1, {r2, r4-r9}
	b	pv_resume_user_pd
	.size pv_resume_user, . - pv_resume_user

/*
 * SAVE_CALLED_CONTEXT: save the calling task's context as at a function call
 * into pv_ctx_cur's context (r4-r11, sp, lr, user-mode cpsr), to resume at
 * the local label 1 after the macro's use. Out: r0 = the context,
 * r1 = &pv_ctx_cur, r2 clobbered.
 */
.macro SAVE_CALLED_CONTEXT
	ldr	r1, =pv_ctx_cur
	ldr	r0, [r1]			@ r0 = the caller's context
	add	r2, r0, #PV_CTX_R4
	stmia	r2, {r4-r11}			@ callee-saved registers
	str	sp, [r0, #PV_CTX_SP]
	str	lr, [r0, #PV_CTX_LR]
	adr	r2, 1f
	str	r2, [r0, #PV_CTX_PC]		@ resume at 1: below
	mov	r2, #PV_PSR_USR
	str	r2, [r0, #PV_CTX_CPSR]
.endm

/*
 * LOAD_CALLED_CONTEXT: from the context in r0, r4-r11, sp and lr (the
 * callee-saved part a resume without the kernel restores). r1 clobbered.
 */
.macro LOAD_CALLED_CONTEXT
	clrex					@ no ldrex/strex pair spans a switch
	add	r1, r0, #PV_CTX_R4
	ldmia	r1, {r4-r11}
	ldr	sp, [r0, #PV_CTX_SP]
	ldr	lr, [r0, #PV_CTX_LR]
.endm

/*
 * port_yield(): enter kernel context from a kernel task, without a trap.
 * Entry: AAPCS call from task context, virtual interrupts on or off.
 * Exit:  returns when this task is next resumed, callee-saved registers
 *        intact, interrupt state as on entry (it is part of the context:
 *        PV_CTX_YIELDED if off, PV_CTX_CALLED if on; neither needs kregs,
 *        since only what a call preserves is live). Interrupts go off before
 *        anything is saved: an upcall between the save and the store would
 *        save this task over it, at a pc inside port_yield, and every
 *        resume of it would enter the yield again (a livelock, found by
 *        benchmark coop_irqon).
 */
	.global port_yield
	.type port_yield, %function
port_yield:
	ldr	r3, =PV_STATE_VADDR + ST(VIRQ_ENABLED)
	ldr	ip, [r3]			@ ip: were interrupts on?
	mov	r2, #0
	str	r2, [r3]			@ kernel context: interrupts off,
	SAVE_CALLED_CONTEXT			@ then save (an upcall before the
	cmp	ip, #0				@ store finds nothing saved yet)
	moveq	r2, #PV_CTX_YIELDED		@ off: resume with a plain jump
	movne	r2, #PV_CTX_CALLED		@ on: a jump that re-enables them
	str	r2, [r0, #PV_CTX_KIND]
	ldr	sp, =pv_kstack_top		@ kernel context: the core's yield,
	bl	rtos_kernel_enter		@ then the interrupts pending (one
	bl	rtos_kernel_yield		@ that came meanwhile costs no
	ldr	r0, =PV_STATE_VADDR + ST(VIRQ_PENDING) @ second upcall), and
	ldr	r0, [r0]			@ what the core chose
	cmp	r0, #0
	blne	pv_irq_dispatch
	bl	rtos_kernel_leave
	RESUME
1:	bx	lr				@ resumed: back to the caller
	.size port_yield, . - port_yield

/*
 * pv_resume_jump(ctx): resume a PV_CTX_YIELDED context without the kernel.
 * Entry: kernel context (virq_enabled 0, which the context also had).
 * Exit:  never returns; r4-r11, sp, lr from ctx, continues at ctx->pc.
 *        Lines the handlers acknowledged (virq_ack) are taken by a
 *        vcpu_sync first (pv_resume_sync), as vcpu_resume would have:
 *        with interrupts off it only acknowledges.
 */
	.global pv_resume_jump
	.type pv_resume_jump, %function
pv_resume_jump:
	LOAD_CALLED_CONTEXT
	ldr	r1, =PV_STATE_VADDR
	ldr	r2, [r1, #ST(VIRQ_ACK)]		@ anything to acknowledge?
	cmp	r2, #0
	ldreq	pc, [r0, #PV_CTX_PC]		@ no: a plain jump
	ldr	ip, [r0, #PV_CTX_PC]		@ ip: kept by the system call
	b	pv_resume_sync
	.size pv_resume_jump, . - pv_resume_jump

/*
 * port_irq_trigger(line): a software interrupt for ourselves (cpu.c says
 * what it models). Interrupts off, the line's bit ORed into virq_pending
 * (ldrex/strex: the kernel ORs bits in at any time), then: interrupts were
 * off, return (it stays pending until port_irq_restore); on and no
 * priority mask held (virq_pmr and virq_rpr both at or above
 * L4_VCPU_PRIO_NONE: the kernel's rule, l4_vcpu_threshold), the handlers
 * now (pv_self_upcall, a tail call: it returns to our caller); on with a
 * mask, pv_irq_trigger_held decides by the line's priority (cpu.c).
 * pv_self_upcall must follow it: the fast case falls into it.
 * Entry: AAPCS call, kernel task. Exit: r0-r3, ip clobbered.
 */
	.global port_irq_trigger
	.type port_irq_trigger, %function
port_irq_trigger:
	ldr	r3, =PV_STATE_VADDR + ST(VIRQ_PENDING)
	mov	r1, #1
	lsl	r0, r1, r0			@ r0: the line's bit
	ldr	r2, [r3, #ST(VIRQ_ENABLED) - ST(VIRQ_PENDING)] @ r2: were they on?
	mov	r1, #0
	str	r1, [r3, #ST(VIRQ_ENABLED) - ST(VIRQ_PENDING)] @ off, then
1:	ldrex	r1, [r3]			@ pending |= bit
	orr	r1, r1, r0
	strex	ip, r1, [r3]
	cmp	ip, #0
	bne	1b				@ the kernel came in between: again
	cmp	r2, #0
	bxeq	lr				@ they were off: it waits for them
	ldr	r1, [r3, #ST(VIRQ_PMR) - ST(VIRQ_PENDING)]
	ldr	r2, [r3, #ST(VIRQ_RPR) - ST(VIRQ_PENDING)]
	BR_IF_MASK_HELD	pv_irq_trigger_held, r1, r2 @ (r0: the bit) by its priority
	@ fall through: nothing held, the handlers now (pv_self_upcall)
	.size port_irq_trigger, . - port_irq_trigger

/*
 * pv_self_upcall(): a software interrupt for ourselves, taken now without a
 * trap (this vCPU is the one running): like port_yield, save the caller's
 * context (PV_CTX_CALLED) and run the interrupt handlers in kernel context,
 * as the kernel's upcall would have made us do, then resume what the core
 * chose: this task again at once by its jump (pv_ctx_cur and the kind are
 * still the ones stored here, as in the upcall entry), another through
 * RESUME.
 * Entry: AAPCS call from a kernel task whose virtual interrupts were on and
 *        have just been turned off; the lines are pending in the state page.
 * Exit:  returns when this task is resumed (pv_resume_called), callee-saved
 *        registers, sp and lr intact, interrupts on.
 */
	.global pv_self_upcall
	.type pv_self_upcall, %function
pv_self_upcall:
	SAVE_CALLED_CONTEXT
	mov	r2, #PV_CTX_CALLED
	str	r2, [r0, #PV_CTX_KIND]
	clrex					@ as the kernel's upcall would
	ldr	sp, =pv_kstack_top
	mov	r4, r0				@ r4: this context (saved above)
	bl	rtos_kernel_enter
	bl	pv_irq_dispatch
	bl	rtos_kernel_leave
	cmp	r0, r4				@ this task again: its jump
	beq	pv_resume_called
	RESUME
1:	bx	lr				@ resumed: back to the caller
	.size pv_self_upcall, . - pv_self_upcall

/*
 * pv_irq_dispatch(): deliver the pending lines (trap.c says which and
 * why: the lines the priority masks let through, once; the core's masked
 * lines deferred; the tick; the handlers; a physical line acknowledged in
 * virq_ack). Kernel context, AAPCS call. The common case, no priority mask
 * held (both words at or above L4_VCPU_PRIO_NONE), takes every pending
 * line with one atomic exchange; a held mask takes only the deliverable
 * ones (pv_take_held, trap.c). Where the lines' priorities differ
 * (pv_irq_nest_above, pv.h) they run in priority order, nesting where a
 * handler can be preempted (pv_irq_run_ordered, trap.c); else here, in
 * line order, which is that order for one priority (the twin image,
 * PV_FAST_LINES 0, always takes the general one).
 * Registers: r4 the lines left to run, r5 the line, r6 the state page,
 * r7 pv_irq_masks (allowed, deferred, physical lines).
 */
	.global pv_irq_dispatch
	.type pv_irq_dispatch, %function
pv_irq_dispatch:
	push	{r4-r7, lr}
	ldr	r6, =PV_STATE_VADDR
	ldr	r0, [r6, #ST(VIRQ_PMR)]
	ldr	r1, [r6, #ST(VIRQ_RPR)]
	BR_IF_MASK_HELD	5f, r0, r1
	add	r2, r6, #ST(VIRQ_PENDING)
	mov	r1, #0
1:	ldrex	r4, [r2]			@ r4: every pending line, and
	strex	r3, r1, [r2]			@ pending = 0 if still exclusive
	cmp	r3, #0
	bne	1b				@ the kernel came in between: again
2:	ldr	r7, =pv_irq_masks		@ the lines the core allowed, and
	ldr	r3, [r7]			@ after them those deferred
	bics	r0, r4, r3			@ r0: lines the core has masked:
	bne	6f				@ deferred until it unmasks them
3:	ands	r4, r4, r3
	popeq	{r4-r7, pc}			@ nothing allowed was pending
#if PV_FAST_LINES
	ldr	r0, [r7, #12]			@ pv_irq_nest_above: the lines'
	cmp	r0, #L4_VCPU_PRIO_NONE		@ priorities differ, so order
	bne	10f				@ and nesting matter (trap.c)
#else
	b	10f				@ the twin: always the general order
#endif
4:	rbit	r5, r4				@ r5: the lowest line left
	clz	r5, r5
	sub	r0, r4, #1
	and	r4, r4, r0			@ and it is taken
	cmp	r5, #PV_IRQ_TIMER
	beq	7f
	mov	r0, r5
	bl	rtos_kernel_irq
	ldr	r0, [r7, #8]			@ pv_irq_phys_lines
	mov	r1, #1
	ands	r1, r0, r1, lsl r5		@ r1: the line's bit if physical:
	bne	8f				@ acknowledged
9:	cmp	r4, #0
	bne	4b
	pop	{r4-r7, pc}
5:	bl	pv_take_held			@ a mask held: the lines it lets
	mov	r4, r0				@ through, taken
	b	2b
6:	ldr	r1, [r7, #4]			@ pv_irq_deferred |= r0
	orr	r1, r1, r0
	str	r1, [r7, #4]
	b	3b
7:	bl	rtos_kernel_tick		@ the tick's line
	b	9b
8:	ldr	r0, [r6, #ST(VIRQ_ACK)]		@ serviced: the next resume or
	orr	r0, r0, r1			@ sync unmasks it, as a native EOI
	str	r0, [r6, #ST(VIRQ_ACK)]
	b	9b
10:	mov	r0, r4				@ lines of differing priorities:
	bl	pv_irq_run_ordered		@ highest first, each handler
	pop	{r4-r7, pc}			@ nesting where one can preempt it
	.size pv_irq_dispatch, . - pv_irq_dispatch

/*
 * pv_upcall_nested: the state page's entry_pc while a handler runs with
 * virtual interrupts on (pv_irq_run_nested, trap.c: only a line of higher
 * priority than virq_rpr reaches it). The kernel's upcall saved that
 * handler in kregs and started us at entry_sp, which is not used: the
 * handler's own stack, from its sp in kregs down, is free (AAPCS), so its
 * 17 words go there (sp 8-byte aligned below them), the lines this level
 * may take run there (pv_irq_dispatch: virq_rpr now holds off every line
 * not above the handler's), and the words go back to kregs for
 * vcpu_resume(KERNEL), which continues the handler with interrupts on and
 * delivers at once what is pending and deliverable (a nested upcall again).
 * No rtos_kernel_enter/leave: this runs inside the outermost handler's,
 * whose leave makes any switch the handlers caused (port.h).
 * Checked first, as the guest's own entry can be jumped to by anyone in it:
 * an interrupt upcall from virtual kernel mode, a handler nesting
 * (pv_irq_nest_depth), the handler's sp inside the kernel stack with room
 * for another level (PV_NEST_ROOM); anything else is reported
 * (pv_upcall_nested_bad) and stops the guest.
 * Registers: r4 the state page, r5 the handler's sp, r6 the frame.
 */
	.global pv_upcall_nested
	.type pv_upcall_nested, %function
pv_upcall_nested:
	ldr	r4, =PV_STATE_VADDR
	ldr	r0, [r4, #ST(CAUSE)]
	ldr	r1, [r4, #ST(FROM_USER)]
	ldr	r2, =pv_irq_nest_depth
	ldr	r2, [r2]
	ldr	r5, [r4, #ST(KREGS) + PV_CTX_SP]	@ r5: the handler's sp
	cmp	r0, #L4_VCPU_CAUSE_VIRQ		@ an interrupt,
	cmpeq	r1, #0				@ from virtual kernel mode,
	bne	1f
	cmp	r2, #0				@ into a nesting handler,
	beq	1f
	ldr	r3, =pv_kstack + PV_NEST_ROOM
	cmp	r5, r3				@ its sp in the kernel stack, with
	blo	1f				@ room for another level below it
	ldr	r3, =pv_kstack_top
	cmp	r5, r3
	bhi	1f
	bic	r6, r5, #7			@ r6: the frame, 17 words and a
	sub	r6, r6, #PV_NEST_FRAME		@ pad below the handler's sp
	mov	sp, r6
	mov	r0, r6
	add	r1, r4, #ST(KREGS)
	bl	pv_ctx_to_state			@ kregs to the frame
	ldr	r0, =pv_held_ctx		@ kregs are no task's now (pv.h):
	mov	r1, #0				@ pv_resume_kernel copies all of
	str	r1, [r0, #4 * PV_CTX_KERNEL]	@ a task's back
	bl	pv_irq_dispatch
	add	r0, r4, #ST(KREGS)
	mov	r1, r6
	bl	pv_ctx_to_state			@ the frame back to kregs
	mov	r0, #PV_CAP_VCPU
	mov	r1, #L4_VCPU_RESUME_KERNEL
	mov	r2, #L4_CAP_NULL
	mov	r7, #L4_SYS_VCPU_RESUME
	svc	#0				@ returns only on an error (r0)
	mov	r1, r5
	bl	pv_nested_resume_failed		@ (err, sp) does not return
1:	mov	r3, r5				@ (cause, from_user, depth, sp):
	bl	pv_upcall_nested_bad
	.size pv_upcall_nested, . - pv_upcall_nested	@ does not return

/*
 * pv_resume_called(ctx): resume a PV_CTX_CALLED context without the kernel
 * unless something is pending or to be acknowledged.
 * Entry: kernel context (virq_enabled 0); pv_ctx_cur = ctx.
 * Exit:  never returns; r4-r11, sp, lr from ctx, virtual interrupts on,
 *        continues at ctx->pc. An interrupt from the moment they are on is
 *        an ordinary upcall from here (this is ctx's task: pv_ctx_cur).
 */
	.global pv_resume_called
	.type pv_resume_called, %function
pv_resume_called:
	LOAD_CALLED_CONTEXT
	ldr	ip, [r0, #PV_CTX_PC]		@ ip: kept by the system call, and
	ldr	r1, =PV_STATE_VADDR		@ by an upcall and its resume
	mov	r2, #1
	str	r2, [r1, #ST(VIRQ_ENABLED)]	@ interrupts on, then
	ldr	r2, [r1, #ST(VIRQ_PENDING)]	@ anything already pending,
	ldr	r3, [r1, #ST(VIRQ_ACK)]		@ or to acknowledge?
	orrs	r2, r2, r3
	bxeq	ip				@ no: a plain jump
	@ fall through
	.size pv_resume_called, . - pv_resume_called

/*
 * pv_resume_sync: the tail of the two jumps above when the kernel has
 * something to do: a vcpu_sync takes virq_ack and, if interrupts are on,
 * delivers what is pending (an upcall from here), as vcpu_resume would
 * have. Entry: ip = where to continue, sp the task's (r7 saved below it:
 * free at a call). Exit: continues at ip, r4-r11, sp, lr intact.
 */
	.type pv_resume_sync, %function
pv_resume_sync:
	push	{r7, ip}
	mov	r0, #PV_CAP_VCPU
	mov	r7, #L4_SYS_VCPU_SYNC
	svc	#0				@ vcpu_sync: an upcall here if due
	cmp	r0, #L4_ERR_OK
	bne	pv_sync_failed			@ (r0: the error) does not return
	pop	{r7, ip}
	bx	ip
	.size pv_resume_sync, . - pv_resume_sync

/*
 * port_irq_save(): the old virq_enabled, then virq_enabled = 0 (cpu.c).
 * port_irq_restore(flags): if flags, virq_enabled = flags (on again) and,
 * if a line is pending, vcpu_sync (taken as an upcall here). An interrupt
 * after the store is an ordinary upcall. l4/vcpu.h's l4_vcpu_irq_disable
 * and l4_vcpu_irq_restore, with one literal load of the flag's address
 * instead of the compiler's movw/movt pair. AAPCS calls; r0-r3 clobbered.
 */
	.global port_irq_save
	.type port_irq_save, %function
port_irq_save:
	ldr	r3, =PV_STATE_VADDR + ST(VIRQ_ENABLED)
	ldr	r0, [r3]
	mov	r2, #0
	str	r2, [r3]
	bx	lr
	.size port_irq_save, . - port_irq_save

	.global port_irq_restore
	.type port_irq_restore, %function
port_irq_restore:
	cmp	r0, #0
	bxeq	lr				@ they were off: nothing to do
	ldr	r3, =PV_STATE_VADDR + ST(VIRQ_ENABLED)
	str	r0, [r3]			@ on (the value the save read)
	ldr	r2, [r3, #ST(VIRQ_PENDING) - ST(VIRQ_ENABLED)]
	cmp	r2, #0
	bxeq	lr				@ nothing pending: no trap
	push	{r7, lr}
	mov	r0, #PV_CAP_VCPU
	mov	r7, #L4_SYS_VCPU_SYNC
	svc	#0				@ vcpu_sync: the upcall, then back
	pop	{r7, pc}
	.size port_irq_restore, . - port_irq_restore

/*
 * pv_resume_interrupted(ctx): resume a PV_CTX_KERNEL context (a kernel task
 * an upcall interrupted: every register live) without the kernel unless
 * something is pending or to be acknowledged. Its r0-r12, lr and pc go to
 * a frame of 15 words just below its sp (free: under the AAPCS no code
 * keeps data below sp; each task has its own, so an upcall in this routine
 * that resumes another task cannot overwrite it), virtual interrupts on,
 * then a vcpu_sync if the kernel has something to do (as vcpu_resume
 * would: take virq_ack, deliver what is pending), its flags and GE bits to
 * APSR (the APSR_nzcvqg form: legal at PL0, not sensitive), and one
 * ldmdb from sp loads every register but sp from the frame, pc last
 * (interworking: bit 0 set for Thumb; pc aligned as vcpu_state_load
 * aligns it).
 * Entry: kernel context (virq_enabled 0); pv_ctx_cur = ctx; ctx->cpsr has
 *        no IT bits (PL0 cannot set them) and ctx->pc is not in this
 *        routine (a context interrupted here has its frame in place and
 *        resumes through the kernel; a second frame would overwrite it):
 *        it checks both first and falls back to pv_resume_kernel.
 * Exit:  never returns. From the moment virtual interrupts are on, an
 *        interrupt is an ordinary upcall from here: sp is already the
 *        task's, the frame stays below it and r1 holds its cpsr (kept by
 *        the system call, an upcall and its resume).
 */
	.global pv_resume_interrupted
	.global pv_resume_interrupted_end
	.type pv_resume_interrupted, %function
pv_resume_interrupted:
	ldr	r1, [r0, #PV_CTX_CPSR]		@ r1: the task's cpsr, to the msr
	ldr	r2, [r0, #PV_CTX_PC]
	tst	r1, #PV_PSR_IT_HI		@ C = 0 from here (a rotated
	tsteq	r1, #PV_PSR_IT_LO		@ immediate's bit 31: A5.2.4); Z:
	adreq	r3, pv_resume_interrupted	@ no IT bits (PL0 cannot load
	subeq	r3, r2, r3			@ them), then C: pc not in here
	cmpeq	r3, #PV_RESUME_INTERRUPTED_LEN	@ (a frame in use below its sp)
	bcc	pv_resume_kernel		@ else (r0: ctx) through vcpu_resume
	tst	r1, #PV_PSR_T			@ pc aligned as the kernel's resume
	biceq	r2, r2, #3			@ would (vcpu_state_load): ARM,
	orrne	r2, r2, #1			@ Thumb: the ldm's pc load interworks
	ldr	sp, [r0, #PV_CTX_SP]		@ the task's stack from here on
	str	r2, [sp, #-4]			@ frame word 14: pc
	ldr	r2, [r0, #PV_CTX_LR]
	str	r2, [sp, #-8]			@ frame word 13: lr
	sub	ip, sp, #60			@ ip: the frame
	ldmia	r0!, {r2-r8}			@ frame words 0-6: r0-r6
	stmia	ip!, {r2-r8}
	ldmia	r0, {r2-r7}			@ frame words 7-12: r7-r12
	stmia	ip, {r2-r7}
	ldr	r2, =PV_STATE_VADDR
	mov	r3, #1
	str	r3, [r2, #ST(VIRQ_ENABLED)]	@ interrupts on, then
	ldr	r3, [r2, #ST(VIRQ_PENDING)]	@ anything already pending,
	ldr	r2, [r2, #ST(VIRQ_ACK)]		@ or to acknowledge?
	orrs	r2, r2, r3
	beq	1f
	mov	r0, #PV_CAP_VCPU
	mov	r7, #L4_SYS_VCPU_SYNC
	svc	#0				@ vcpu_sync: an upcall here if due
	cmp	r0, #L4_ERR_OK
	bne	pv_sync_failed			@ (r0: the error) does not return
1:	msr	APSR_nzcvqg, r1			@ the task's flags (no flag-setting
	clrex					@ instruction after it); as the
	ldmdb	sp, {r0-r12, lr, pc}		@ kernel's return would: the task
pv_resume_interrupted_end:
	.size pv_resume_interrupted, . - pv_resume_interrupted
	.equ PV_RESUME_INTERRUPTED_LEN, pv_resume_interrupted_end - pv_resume_interrupted

/*
 * pv_ctx_to_state(dst, ctx): copy the 17 context words (the state page's
 * layout) to regs or kregs at dst: three ldm/stm pairs.
 * Entry: AAPCS call. Exit: r0-r3, ip clobbered.
 */
	.global pv_ctx_to_state
	.type pv_ctx_to_state, %function
pv_ctx_to_state:
	push	{r4-r7}
	ldmia	r1!, {r2-r7}			@ words 0-5
	stmia	r0!, {r2-r7}
	ldmia	r1!, {r2-r7}			@ words 6-11
	stmia	r0!, {r2-r7}
	ldmia	r1, {r2-r6}			@ words 12-16
	stmia	r0, {r2-r6}
	pop	{r4-r7}
	bx	lr
	.size pv_ctx_to_state, . - pv_ctx_to_state

	.bss
	.balign 8
	.global pv_kstack
pv_kstack:	.space PV_KSTACK_SIZE		@ the kernel stack: upcalls, yields
						@ and nested handlers (pv_upcall_nested)
	.global pv_kstack_top
pv_kstack_top:
