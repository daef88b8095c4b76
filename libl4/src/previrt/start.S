/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The two ways into the runtime from the kernel: the ELF entry of a
 * pre-virtualised image, and the vCPU's upcall entry (entry_pc).
 */
	.syntax unified
	.arm
#include <l4/abi.h>

#include "cpu.h"
#include "gicdev.h"
	.text

/*
 * __previrt_start: the image's entry (the VMM starts it in virtual kernel
 * mode, virtual interrupts off, r0 = the guest-info page, sp = top of
 * guest RAM). previrt_boot() sets the runtime up and starts the guest's
 * own reset code; it does not return.
 */
	.global __previrt_start
	.type __previrt_start, %function
__previrt_start:
	bl	previrt_boot
1:	b	1b
	.size __previrt_start, . - __previrt_start

/*
 * __previrt_upcall: entry_pc. sp = entry_sp (the runtime's stack), virtual
 * interrupts off, every other register unspecified (docs/vcpu.md).
 *
 * A system call of virtual user mode (cause SYSCALL, from user, the
 * virtual mode User) is taken here, as previrt_upcall's
 * upcall_user_context and previrt_take_exception_spsr(SVC, VEC_SVC, the
 * pc after the svc, the user CPSR) do it, in their order: regs into the
 * context (pc with T in bit 0, the flags), the User sp and lr into bank
 * 0, sp_svc live, lr_svc = pc, SPSR_svc = the user CPSR (mode User), the
 * virtual mode SVC with I set, pc = the vector base + 8, the exit masked.
 * Everything else, and a virtual mode other than User (which
 * previrt_upcall reports), goes to previrt_irq_upcall (irqentry.S: a
 * virtual interrupt of virtual kernel mode, else previrt_upcall) before
 * changing a thing.
 */
#define CTX(n) ((n) * 4)
	.global __previrt_upcall
	.type __previrt_upcall, %function
__previrt_upcall:
	ldr	r4, =previrt_upcall_state
	ldr	r4, [r4]			@ the state page
	ldr	r1, [r4, #(L4_VCPU_STATE_CAUSE * 4)]
	ldr	r2, [r4, #(L4_VCPU_STATE_FROM_USER * 4)]
	cmp	r1, #L4_VCPU_CAUSE_SYSCALL
	bne	2f
	cmp	r2, #0
	beq	2f
	ldr	r0, =__previrt_cpu
	ldr	r5, [r0, #PREVIRT_AREA_VCPSR]
	and	r3, r5, #0x1f
	cmp	r3, #0x10			@ virtual mode User
	bne	2f
	add	r6, r4, #(L4_VCPU_STATE_REGS * 4)
	ldm	r6!, {r1-r3, r7-r12}		@ regs r0-r8
	stm	r0, {r1-r3, r7-r12}		@ ctx r0-r8
	ldm	r6, {r1-r3, r7-r11}		@ r9-r12, sp, lr, pc, cpsr
	add	r12, r0, #CTX(9)
	stm	r12, {r1-r3, r7}		@ ctx r9-r12
	str	r8, [r0, #PREVIRT_AREA_BANK_SP]	@ bank 0 (User): sp, lr
	str	r9, [r0, #PREVIRT_AREA_BANK_LR]
	ldr	r1, [r0, #(PREVIRT_AREA_BANK_SP + 4 * 3)] @ sp_svc (bank 3)
	bic	r10, r10, #1			@ lr_svc: the pc after the svc
	str	r1, [r0, #CTX(13)]
	str	r10, [r0, #CTX(14)]
	and	r2, r11, #0xf8000000		@ N Z C V Q
	and	r3, r11, #0x000f0000		@ GE
	orr	r2, r2, r3
	str	r2, [r0, #CTX(PREVIRT_CTX_CPSR)]
	bic	r3, r11, #0x1f
	orr	r3, r3, #0x10			@ SPSR_svc: the user CPSR, mode User
	str	r3, [r0, #(PREVIRT_AREA_SPSR + 4 * 3)]
	bic	r5, r5, #0x1f
	orr	r5, r5, #(0x13 | 0x80)		@ SVC mode, I set
	str	r5, [r0, #PREVIRT_AREA_VCPSR]
	mov	r1, #0
	str	r1, [r0, #PREVIRT_AREA_IRQ_FINAL]
	bl	previrt_glue_vector_base	@ (cpu)
	add	r3, r0, #0x08			@ the SVC vector
	ldr	r0, =__previrt_cpu
	str	r3, [r0, #CTX(PREVIRT_CTX_PC)]
	b	previrt_exit			@ masked (irq_final 0)
2:	b	previrt_irq_upcall		@ (irqentry.S) r1 cause, r2 from_user, r4 state
	.size __previrt_upcall, . - __previrt_upcall

/*
 * previrt_glue_user_exit(cpu) (cpu.h): after a fast exception return to
 * the virtual mode User. With nothing pending, no poke and no IT bits to
 * restore, previrt_glue_exit would only take previrt_enter_user's steps:
 * regs from the context (pc without bit 0, the cpsr's flags and GE, User
 * mode, T from pc's bit 0), then previrt_resume_user. Those are done here
 * in a few block moves, and the resume's common case too (glue.c: the
 * shadow space of the last resume, named L4_CAP_NULL; else the C
 * function names it); anything else takes previrt_fast_glue_exit (the
 * glue's exit in C) before changing a thing. r0 = cpu, sp = its stack.
 */
	.global previrt_glue_user_exit
	.type previrt_glue_user_exit, %function
previrt_glue_user_exit:
	.if L4_VCPU_STATE_REGS != 0 || CTX(0) != 0 || L4_VCPU_RESUME_USER != 0 || L4_CAP_NULL != 0
	.error "previrt_glue_user_exit: regs at the state page's start, the context at cpu's, resume(USER, NULL) = 0, 0"
	.endif
	ldr	r1, [r0, #PREVIRT_AREA_IRQ_PENDING]
	ldr	r2, [r0, #PREVIRT_AREA_IRQ_POKE]
	ldr	r3, [r0, #PREVIRT_AREA_USER_ITSTATE]
	ldr	r1, [r1]
	ldr	r2, [r2]
	orr	r1, r1, r2
	orrs	r1, r1, r3
	bne	previrt_fast_glue_exit
	ldr	r4, =previrt_upcall_state
	ldr	r4, [r4]			@ the state page: regs
	ldm	r0!, {r1-r3, r5-r12}		@ r0-r10 (r0 = &ctx[11] from here)
	stm	r4!, {r1-r3, r5-r12}
	ldm	r0, {r1-r3, r5-r7}		@ r11, r12, sp, lr, pc, the flags
	ldr	r8, =0xf80f0000			@ PSR_FLAGS: N Z C V Q, GE
	and	r7, r7, r8
	orr	r7, r7, #0x10			@ User mode
	bfi	r7, r6, #5, #1			@ T: a Thumb pc (bit 0)
	bic	r6, r6, #1
	stm	r4, {r1-r3, r5-r7}		@ regs r11-r12, sp, lr, pc, cpsr
	ldr	r3, =previrt_l4
	ldr	r1, [r3, #PREVIRT_L4_USER_PD]
	ldr	r2, [r3, #PREVIRT_L4_RESUMED_PD]
	cmp	r1, r2				@ the selection of the last resume:
	bne	previrt_resume_user		@ (else named, in C)
	mov	r0, #PREVIRT_L4_CAP_VCPU
	mov	r1, #L4_VCPU_RESUME_USER
	mov	r2, #L4_CAP_NULL		@ the kept page directory
	mov	r7, #L4_SYS_VCPU_RESUME
	svc	#0				@ returns if the kernel kept none:
	b	previrt_resume_user		@ the C function names it then
	.size previrt_glue_user_exit, . - previrt_glue_user_exit
