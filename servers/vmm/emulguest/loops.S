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

/* The RTOS's critical section as functions (its port_irq_save and
 * port_irq_enable): each site is followed by a return, so the rewriter
 * makes both inline stubs (docs/previrt.md, "Inline stubs"). */
	.global emul_irq_save
	.type emul_irq_save, %function
emul_irq_save:
	mrs	r0, cpsr
	cpsid	i
	bx	lr
	.size emul_irq_save, . - emul_irq_save

	.global emul_irq_enable
	.type emul_irq_enable, %function
emul_irq_enable:
	cpsie	i
	bx	lr
	.size emul_irq_enable, . - emul_irq_enable

/* The same critical section in its inline form: two calls, moves included. */
	.global emul_loop_critical_inline
	.type emul_loop_critical_inline, %function
emul_loop_critical_inline:
	push	{r4, lr}
	mov	r4, r0
1:	bl	emul_irq_save
	bl	emul_irq_enable
	subs	r4, r4, #1
	bne	1b
	pop	{r4, pc}
	.size emul_loop_critical_inline, . - emul_loop_critical_inline

/*
 * int emul_rollback_loop(uint32_t n): n critical sections of inline stubs
 * with virtual interrupts on around them, while the timer interrupts
 * (emul_irq_entry): an upcall that lands inside a stub is rolled back to
 * the stub's start. Returns 0, or 1 if a stub's result (the mrs: SVC mode,
 * I clear), the r0 that cpsie i keeps, or a register no stub touches
 * (r4-r11) came out wrong. Returns with interrupts masked.
 */
	.global emul_rollback_loop
	.type emul_rollback_loop, %function
emul_rollback_loop:
	push	{r4-r11, lr}
	mov	r4, r0
	ldr	r5, =0x5a5a0005
	add	r6, r5, #1
	add	r7, r5, #2
	add	r8, r5, #3
	add	r9, r5, #4
	add	r10, r5, #5
	add	r11, r5, #6
	bl	emul_irq_enable
1:	ldr	r0, =0x0c0ffee0
	bl	emul_irq_save
	and	r1, r0, #0x9f
	cmp	r1, #0x13		@ SVC mode, interrupts were on
	bne	9f
	ldr	r0, =0x0c0ffee1
	bl	emul_irq_enable
	ldr	r1, =0x0c0ffee1
	cmp	r0, r1
	bne	9f
	subs	r4, r4, #1
	bne	1b
	ldr	r1, =0x5a5a0005
	cmp	r5, r1
	addeq	r1, r1, #1
	cmpeq	r6, r1
	addeq	r1, r1, #1
	cmpeq	r7, r1
	addeq	r1, r1, #1
	cmpeq	r8, r1
	addeq	r1, r1, #1
	cmpeq	r9, r1
	addeq	r1, r1, #1
	cmpeq	r10, r1
	addeq	r1, r1, #1
	cmpeq	r11, r1
	bne	9f
	mov	r0, #0
	b	8f
9:	mov	r0, #1
8:	cpsid	i
	pop	{r4-r11, pc}
	.size emul_rollback_loop, . - emul_rollback_loop

/* emul_timer_set(tval, ctl): CNTV_TVAL, then CNTV_CTL (1: on, 0: off). */
	.global emul_timer_set
	.type emul_timer_set, %function
emul_timer_set:
	mcr	p15, 0, r0, c14, c3, 0
	mcr	p15, 0, r1, c14, c3, 1
	bx	lr
	.size emul_timer_set, . - emul_timer_set

/* IRQ: emul_tick (emul.c) with the interrupted registers kept. */
	.type emul_irq_entry, %function
emul_irq_entry:
	sub	lr, lr, #4
	push	{r0-r3, ip, lr}
	bl	emul_tick
	pop	{r0-r3, ip, lr}
	movs	pc, lr
	.size emul_irq_entry, . - emul_irq_entry

	.balign 32
	.global emul_vectors
emul_vectors:
	b	.
	b	.
	movs	pc, lr			@ SVC: return at once
	b	.
	b	.
	b	.
	b	emul_irq_entry
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
