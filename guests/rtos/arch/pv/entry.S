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
 * pv_kstack_top on every entry. Kernel context never nests: the kernel
 * starts an upcall only when virq_enabled is 1, and kernel context runs
 * with it 0.
 *
 * port_ctx_t layout (port_arch.h, offsets in pv.h): r0-r12, sp, lr, pc,
 * cpsr as in the state page, then kind.
 */
	.syntax unified
	.arm
#include <l4/abi.h>
#include "pv.h"

#define ST(field) (L4_VCPU_STATE_##field * 4)

	.text
/*
 * pv_upcall_entry: the state page's entry_pc.
 * Entry (docs/vcpu.md): user mode, guest-kernel space, sp = entry_sp =
 *        pv_kstack_top, virq_enabled = 0, every other register unspecified;
 *        cause, from_user, fault_addr/status and regs or kregs are set.
 * Exit:  never returns; resumes what the handler chose.
 */
	.global pv_upcall_entry
	.type pv_upcall_entry, %function
pv_upcall_entry:
	ldr	r4, =PV_STATE_VADDR
	ldr	r5, =pv_ctx_cur
	ldr	r5, [r5]			@ r5 = context of the interrupted task
	ldr	r0, [r4, #ST(FROM_USER)]
	cmp	r0, #0				@ Z: a kernel task was interrupted
	addeq	r6, r4, #ST(KREGS)		@ its registers are in kregs,
	addne	r6, r4, #ST(REGS)		@ a user task's in regs
	mov	r7, r5
	ldmia	r6!, {r0-r3, r8-r11}		@ copy words 0-7 (r0-r7)
	stmia	r7!, {r0-r3, r8-r11}
	ldmia	r6!, {r0-r3, r8-r11}		@ words 8-15 (r8-r12, sp, lr, pc)
	stmia	r7!, {r0-r3, r8-r11}
	ldr	r0, [r6]			@ word 16 (cpsr)
	str	r0, [r7]
	moveq	r0, #PV_CTX_KERNEL		@ flags still from the cmp above:
	movne	r0, #PV_CTX_USER		@ ldm/stm/mov leave them alone
	str	r0, [r5, #PV_CTX_KIND]
	mov	r0, r5				@ first argument: the saved context
	ldr	r1, [r4, #ST(CAUSE)]
	cmp	r1, #L4_VCPU_CAUSE_VIRQ
	beq	1f
	cmp	r1, #L4_VCPU_CAUSE_SYSCALL
	beq	2f
	cmp	r1, #L4_VCPU_CAUSE_PAGE_FAULT
	beq	3f
	cmp	r1, #L4_VCPU_CAUSE_UNDEFINED
	beq	4f
	bl	pv_upcall_bad			@ (ctx, cause): does not return
1:	bl	pv_upcall_virq			@ each handler: r0 = ctx in,
	b	pv_resume			@ r0 = context to resume out
2:	bl	pv_upcall_syscall
	b	pv_resume
3:	ldr	r1, [r4, #ST(FAULT_ADDR)]
	ldr	r2, [r4, #ST(FAULT_STATUS)]
	bl	pv_upcall_fault			@ (ctx, addr, status)
	b	pv_resume
4:	bl	pv_upcall_undef
	b	pv_resume
	.size pv_upcall_entry, . - pv_upcall_entry

/*
 * port_yield(): enter kernel context from a kernel task, without a trap.
 * Entry: AAPCS call from task context, virtual interrupts on or off.
 * Exit:  returns when this task is next resumed, callee-saved registers
 *        intact, interrupt state as on entry (it is part of the context:
 *        PV_CTX_YIELDED if off, PV_CTX_KERNEL if on).
 */
	.global port_yield
	.type port_yield, %function
port_yield:
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
	ldr	r3, =PV_STATE_VADDR + ST(VIRQ_ENABLED)
	ldr	r2, [r3]
	cmp	r2, #0
	moveq	r2, #PV_CTX_YIELDED		@ off: resume with a plain jump
	movne	r2, #PV_CTX_KERNEL		@ on: through kregs, re-enabling
	str	r2, [r0, #PV_CTX_KIND]
	mov	r2, #0
	str	r2, [r3]			@ kernel context: interrupts off
	ldr	sp, =pv_kstack_top
	bl	pv_yield			@ does not return
1:	bx	lr				@ resumed: back to the caller
	.size port_yield, . - port_yield

/*
 * pv_resume_jump(ctx): resume a PV_CTX_YIELDED context without the kernel.
 * Entry: kernel context (virq_enabled 0, which the context also had).
 * Exit:  never returns; r4-r11, sp, lr from ctx, continues at ctx->pc.
 */
	.global pv_resume_jump
	.type pv_resume_jump, %function
pv_resume_jump:
	clrex					@ no ldrex/strex pair spans a switch
	add	r1, r0, #PV_CTX_R4
	ldmia	r1, {r4-r11}
	ldr	sp, [r0, #PV_CTX_SP]
	ldr	lr, [r0, #PV_CTX_LR]
	ldr	pc, [r0, #PV_CTX_PC]
	.size pv_resume_jump, . - pv_resume_jump

/*
 * pv_self_upcall(): take the virtual interrupts just made pending now, as
 * the kernel's upcall from virtual kernel mode would (docs/vcpu.md,
 * "Upcalls": the context to kregs, cause VIRQ, from_user 0, virtual
 * interrupts off, entry_pc on entry_sp, the exclusive monitor cleared), but
 * without a trap: this vCPU is the one running (issue: a software interrupt
 * for itself). The handler resumes the context through kregs like any
 * interrupted kernel task (vcpu_resume(KERNEL)).
 * Entry: AAPCS call from a kernel task whose virtual interrupts were on and
 *        have just been turned off; the lines are pending in the state page.
 * Exit:  returns when this context is resumed, callee-saved registers,
 *        sp and lr intact.
 */
	.global pv_self_upcall
	.type pv_self_upcall, %function
pv_self_upcall:
	ldr	r0, =PV_STATE_VADDR
	add	r1, r0, #ST(KREGS)
	stmia	r1, {r0-r12}			@ kregs r0-r12 (r4-r11 matter)
	str	sp, [r1, #52]			@ words 13-16: sp, lr, pc, cpsr
	str	lr, [r1, #56]
	adr	r2, 1f
	str	r2, [r1, #60]			@ resumed at 1: below
	mov	r2, #PV_PSR_USR			@ (the flags: AAPCS keeps none)
	str	r2, [r1, #64]
	mov	r2, #L4_VCPU_CAUSE_VIRQ
	mov	r3, #0
	str	r2, [r0, #ST(CAUSE)]
	str	r3, [r0, #ST(FAULT_ADDR)]
	str	r3, [r0, #ST(FAULT_STATUS)]
	str	r3, [r0, #ST(FROM_USER)]
	str	r3, [r0, #ST(VIRQ_ENABLED)]	@ (already 0: as the kernel does)
	clrex
	ldr	sp, [r0, #ST(ENTRY_SP)]
	ldr	r1, [r0, #ST(ENTRY_PC)]
	bx	r1				@ bit 0: Thumb, as the kernel's entry
1:	bx	lr
	.size pv_self_upcall, . - pv_self_upcall

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
pv_kstack:	.space 4096			@ the kernel stack: upcalls, yields
	.global pv_kstack_top
pv_kstack_top:
