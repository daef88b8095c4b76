/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The operations whose emulated cost the benchmarks record
 * (docs/previrt.md, "What it costs"), each a loop of the native
 * instruction: written as native privileged code, assembled through the
 * rewriter like the RTOS. Every loop: r0 = iterations, r1 = the device
 * register address (for the MMIO loop); AAPCS.
 */
	.syntax unified
	.arm
	.text

	.macro LOOP name
	.global \name
	.type \name, %function
\name:
1:
	.endm
	.macro END_LOOP name
	subs	r0, r0, #1
	bne	1b
	bx	lr
	.size \name, . - \name
	.endm

/* The loop alone: what every other loop costs besides its operation. */
LOOP emul_loop_empty
	nop
END_LOOP emul_loop_empty

/* A runtime call: the cheapest rewritten instruction (mrs cpsr). */
LOOP emul_loop_runtime_call
	mrs	r2, cpsr
END_LOOP emul_loop_runtime_call

/* A critical section: cpsid i, then cpsie i (nothing pending). */
LOOP emul_loop_irq_toggle
	cpsid	i
	cpsie	i
END_LOOP emul_loop_irq_toggle

/* A critical section as the RTOS makes it: mrs and cpsid i (the rewriter
 * fuses the pair into one call), then cpsie i. */
LOOP emul_loop_critical
	mrs	r2, cpsr
	cpsid	i
	cpsie	i
END_LOOP emul_loop_critical
/* A trapped cp15 access the VMM emulates (MIDR read). */
LOOP emul_loop_cp15_trap
	mrc	p15, 0, r2, c0, c0, 0
END_LOOP emul_loop_cp15_trap

/* A trapped device access the VMM emulates (GICD_TYPER read). */
LOOP emul_loop_mmio_trap
	ldr	r2, [r1]
END_LOOP emul_loop_mmio_trap

/* The same device read as the MEM rewrite makes it: the base register
 * is seen to hold the GIC's address, so the load is a runtime call (the
 * mov is in the loop because the loop's label makes the rewriter forget
 * every register). */
LOOP emul_loop_mem_call
	mov	r3, #0x08000000
	ldr	r2, [r3, #4]		@ GICD_TYPER
END_LOOP emul_loop_mem_call
/* The same device read as hand-ported code makes it, a call of the
 * runtime (previrt/dev.h): the call and its argument move included. */
	.global emul_loop_dev_call
	.type emul_loop_dev_call, %function
emul_loop_dev_call:
	push	{r4, lr}
	mov	r4, r0
1:	mov	r0, r1
	bl	previrt_dev_read32
	subs	r4, r4, #1
	bne	1b
	pop	{r4, pc}
	.size emul_loop_dev_call, . - emul_loop_dev_call

/* An exception and its return: svc, and the handler's movs pc, lr (in
 * SVC mode the svc overwrites lr: it is kept on the stack). */
	.global emul_loop_svc_return
	.type emul_loop_svc_return, %function
emul_loop_svc_return:
	push	{r4, lr}
1:	svc	#0
	subs	r0, r0, #1
	bne	1b
	pop	{r4, pc}
	.size emul_loop_svc_return, . - emul_loop_svc_return

/* The user-bank transfers of a context switch: stm ^ and ldm ^. */
LOOP emul_loop_user_bank
	stmia	r1, {r2-r3}^
	ldmia	r1, {r2-r3}^
END_LOOP emul_loop_user_bank

/* A mode change there and back (cps #irq, cps #svc). */
LOOP emul_loop_mode_switch
	cps	#0x12
	cps	#0x13
END_LOOP emul_loop_mode_switch

	.balign 32
	.global emul_vectors
emul_vectors:
	b	.
	b	.
	movs	pc, lr			@ SVC: return at once
	b	.
	b	.
	b	.
	b	.
	b	.

/* The faults of systems/previrt-faults.sys: none of them returns. */
	.global emul_fault_mmio
	.type emul_fault_mmio, %function
emul_fault_mmio:
	ldr	r1, =0x0a000000			@ virtio-mmio: not emulated
	ldr	r0, [r1]
	b	.
	.size emul_fault_mmio, . - emul_fault_mmio

	.global emul_fault_ats
	.type emul_fault_ats, %function
emul_fault_ats:
	mcr	p15, 0, r0, c7, c8, 0		@ ATS1CPR: left to trap, not emulated
	b	.
	.size emul_fault_ats, . - emul_fault_ats

	.global emul_fault_ptimer
	.type emul_fault_ptimer, %function
emul_fault_ptimer:
	mov	r0, #1
	mcr	p15, 0, r0, c14, c2, 1		@ CNTP_CTL: rewritten, not emulated
	b	.
	.size emul_fault_ptimer, . - emul_fault_ptimer

	.global emul_fault_dev
	.type emul_fault_dev, %function
emul_fault_dev:
	ldr	r0, =0x0a000000			@ no device of the runtime's
	bl	previrt_dev_read32
	b	.
	.size emul_fault_dev, . - emul_fault_dev

	.global emul_fault_fetch
	.type emul_fault_fetch, %function
emul_fault_fetch:
	ldr	r0, =0x20000000
	bx	r0
	.size emul_fault_fetch, . - emul_fault_fetch
	.ltorg
