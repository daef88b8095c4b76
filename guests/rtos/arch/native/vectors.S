/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Exception vectors, context save/restore and the explicit yield.
 *
 * Model: every exception saves the interrupted context into the current
 * task's port_ctx_t (native_ctx_cur), switches to SVC mode on the kernel
 * stack, calls one C handler (trap.c) with interrupts masked, and resumes
 * the port_ctx_t that handler returns, which may belong to another task.
 * Nothing stays on the kernel stack between exceptions, so sp_svc is at
 * native_exc_stack_top on every entry.
 *
 * With NATIVE_IRQ_NEST (a port option, on by default; off in the twin image
 * rtos-tests-nonest only) an interrupt handler runs with IRQs enabled at the GIC's running
 * priority (trap.c): an IRQ taken in SVC mode is then a higher-priority
 * line preempting that handler. It is not a task's: its context (lr_irq,
 * spsr_irq and the AAPCS caller-saved registers) is pushed on the SVC
 * stack, below the running handler's frames, and popped when the nested
 * handler returns (native_irq_nested_entry), as FreeRTOS's ARM_CA9 port
 * does; native_ctx_cur is not touched.
 *
 * port_ctx_t layout (port_arch.h): r0-r12 at 0, sp 52, lr 56, pc 60, cpsr 64.
 * Tasks run in SYS (kernel tasks) or USR (user tasks) mode, which share the
 * user register bank, so `stm/ldm {..}^` save and restore sp/lr for both.
 */
#include <native_stack.h>

	.syntax unified
	.arm

#define MODE_SVC 0x13
#define MODE_MASK 0x1f
#ifndef NATIVE_IRQ_NEST
#define NATIVE_IRQ_NEST 1	/* see above; -DNATIVE_IRQ_NEST=0 turns it off */
#endif
#define CTX_PC 60
#define FAULT_DATA 1
#define FAULT_PREFETCH 2
#define FAULT_UNDEF 3

/*
 * save_ctx: save the interrupted context.
 * Entry: exception mode; lr = address to resume at; spsr = interrupted
 *        CPSR; the word below sp is free scratch (stored=1: it holds the
 *        interrupted r0 already, and r0 is free).
 * Exit:  r0 = the port_ctx_t written; r1 clobbered; mode unchanged.
 */
.macro save_ctx stored=0
	.if !\stored
	str	r0, [sp, #-4]		@ free r0 through the scratch word
	.endif
	ldr	r0, =native_ctx_cur
	ldr	r0, [r0]		@ r0 = context of the interrupted task
	add	r0, r0, #4
	stmia	r0, {r1-r14}^		@ r1-r12 and the user-bank sp, lr
	str	lr, [r0, #CTX_PC - 4]	@ resume pc
	mrs	r1, spsr
	str	r1, [r0, #CTX_PC]	@ interrupted cpsr (slot 64 = 60 + 4)
	ldr	r1, [sp, #-4]
	str	r1, [r0, #-4]!		@ interrupted r0; r0 = ctx base
.endm

	.section .text.vectors, "ax"
	.balign 32			@ VBAR needs 32-byte alignment
	.global native_vectors
native_vectors:
	b	native_bad_entry	@ reset (not taken through VBAR)
	b	native_und_entry
	b	native_svc_entry
	b	native_pabt_entry
	b	native_dabt_entry
	b	native_bad_entry	@ unused
	b	native_irq_entry
	b	native_bad_entry	@ FIQ: never unmasked

/* IRQ: lr_irq = interrupted pc + 4. */
	.type native_irq_entry, %function	/* named in sensaudit reports */
native_irq_entry:
	sub	lr, lr, #4
#if NATIVE_IRQ_NEST
	str	r0, [sp, #-4]		@ free r0 through the scratch word
	mrs	r0, spsr
	and	r0, r0, #MODE_MASK
	cmp	r0, #MODE_SVC		@ interrupted a handler (trap.c)?
	beq	native_irq_nested_entry	@ (its r0 in the scratch word)
	save_ctx stored=1
#else
	save_ctx
#endif
	cps	#MODE_SVC		@ handle on the kernel stack
	bl	native_irq		@ r0 = ctx in, r0 = ctx to resume out
	b	native_resume

#if NATIVE_IRQ_NEST
/* A higher-priority IRQ inside a handler. Entry: IRQ mode, lr = resume pc,
 * spsr = the handler's SVC-mode cpsr, its r0 in the word below sp_irq.
 * Exit: that handler resumed, every register as it was.
 * Stops the machine (native_irq_nest_overflow) where less than a level's
 * room (NATIVE_NEST_ROOM, native_stack.h) is left below the frame. */
	.type native_irq_nested_entry, %function	/* named in sensaudit reports */
native_irq_nested_entry:
	ldr	r0, [sp, #-4]		@ the handler's r0 again
	srsdb	sp!, #MODE_SVC		@ push lr_irq, spsr_irq on the SVC stack
	cps	#MODE_SVC		@ IRQs still masked
	push	{r0-r3, r12, lr}	@ what a C call may clobber, and lr_svc
	ldr	r0, =native_exc_stack + NATIVE_NEST_ROOM
	cmp	sp, r0			@ a level's room left below?
	movlo	r0, sp
	blo	native_irq_nest_overflow	@ no: (sp) does not return
	and	r1, sp, #4		@ AAPCS: 8-byte aligned sp at the call
	sub	sp, sp, r1
	push	{r1, r2}		@ the adjustment (r2: padding)
	bl	native_irq_nested
	pop	{r1, r2}
	add	sp, sp, r1
	pop	{r0-r3, r12, lr}
	clrex				@ no ldrex of the nested handler pairs
	rfeia	sp!			@ pc, cpsr from the srsdb frame
#endif

/* SVC: lr_svc = instruction after the svc; from USR a system call, from
 * SYS a yield (port_yield). Already in SVC mode, sp at the stack top. */
	.type native_svc_entry, %function	/* named in sensaudit reports */
native_svc_entry:
	save_ctx
	bl	native_svc
	b	native_resume

/* Data abort: lr_abt = faulting pc + 8. */
	.type native_dabt_entry, %function	/* named in sensaudit reports */
native_dabt_entry:
	sub	lr, lr, #8
	save_ctx
	cps	#MODE_SVC
	mov	r1, #FAULT_DATA
	bl	native_abort
	b	native_resume

/* Prefetch abort: lr_abt = faulting pc + 4. */
	.type native_pabt_entry, %function	/* named in sensaudit reports */
native_pabt_entry:
	sub	lr, lr, #4
	save_ctx
	cps	#MODE_SVC
	mov	r1, #FAULT_PREFETCH
	bl	native_abort
	b	native_resume

/* Undefined instruction (ARM state only): lr_und = faulting pc + 4. */
	.type native_und_entry, %function	/* named in sensaudit reports */
native_und_entry:
	sub	lr, lr, #4
	save_ctx
	cps	#MODE_SVC
	mov	r1, #FAULT_UNDEF
	bl	native_abort
	b	native_resume

	.type native_bad_entry, %function	/* named in sensaudit reports */
native_bad_entry:
	cps	#MODE_SVC
	ldr	sp, =native_exc_stack_top
	bl	native_bad_exception	@ does not return

/*
 * native_resume: resume a saved context.
 * Entry: SVC mode, r0 = port_ctx_t to resume. Never returns.
 */
	.global native_resume
	.type native_resume, %function	/* named in sensaudit reports */
native_resume:
	ldr	r1, =native_ctx_cur
	str	r0, [r1]		@ it is the current context from now on
	clrex				@ no ldrex/strex pair spans a switch
	mov	lr, r0			@ lr_svc is outside the user bank
	ldmia	lr, {r0-r14}^		@ r0-r12 and the user-bank sp, lr
	nop				@ no banked access right after ldm ^
	add	lr, lr, #CTX_PC
	rfeia	lr			@ pc = [lr], cpsr = [lr + 4]

/*
 * port_start_first(ctx): resume the first task.
 * Entry: SVC mode (boot), r0 = ctx. Resets the kernel stack. Never returns.
 */
	.global port_start_first
	.type port_start_first, %function
port_start_first:
	ldr	sp, =native_exc_stack_top
	b	native_resume
	.size port_start_first, . - port_start_first

/*
 * port_yield(): enter the kernel from a kernel task (SYS mode).
 * Entry: any registers (AAPCS call). Exit: all registers as on entry except
 * as AAPCS allows; returns when this task is next resumed. The svc is
 * taken even with IRQs masked; the task's CPSR (its I bit) is part of the
 * saved context and comes back with it.
 */
	.global port_yield
	.type port_yield, %function
port_yield:
	svc	#0
	bx	lr
	.size port_yield, . - port_yield

	.data
	.balign 4
/* The context being run; save_ctx writes the interrupted state here. */
	.global native_ctx_cur
native_ctx_cur:
	.word	native_boot_ctx
	.bss
	.balign 4
/* Sink for an exception taken before the first task runs (a boot bug). */
native_boot_ctx:
	.space	68
