/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IRQ exception in assembly (docs/previrt.md, "The runtime on the
 * vCPU"): what previrt_take_exception(cpu, MODE_IRQ, VEC_IRQ, pc + 4)
 * does (model.c), for the two places an interrupt is most often taken:
 * an upcall for a virtual interrupt that interrupted virtual kernel mode
 * in the guest's own code (the C of previrt_upcall's upcall_kernel_context
 * and upcall_irq, without the calls where they have nothing to do), and a
 * GIC access that made one deliverable with virtual interrupts on (an SGI:
 * gicshort.S). The banked state is written once, straight into the area,
 * and the guest continues at its IRQ vector.
 *
 * Anything else goes to the C before changing a thing: an upcall of
 * another cause or from virtual user mode, one that interrupted the
 * runtime in a window of its calling contract (a stub, the entry before
 * masking, the exit after unmasking: upcall.c resolves those), inside an
 * IT block, or in FIQ mode (r8-r12) or a mode the runtime does not model.
 */
	.syntax unified
	.arm
#include <l4/abi.h>
#include <previrt/contract.h>

#include "cpu.h"
#include "gicdev.h"

#define CTX(n) ((n) * 4)
#define KREGS(n) ((L4_VCPU_STATE_KREGS + (n)) * 4)
#define CACHE_READY VGIC_CACHE_READY_BIT
#define BANK_IRQ 2
#define PSR_IT_J_BITS 0x0700fc00
#define PREVIRT_LINE_TIMER_BIT 0
#define GUEST_HOME_PHYS_LINE 16

/* INRANGE pc, lo, hi, out: to out if lo <= pc < hi (an absent section:
 * lo = hi, never); uses r10, r11. */
.macro INRANGE pc, lo, hi, out
	ldr	r10, =\lo
	ldr	r11, =\hi
	sub	r11, r11, r10
	sub	r10, \pc, r10
	cmp	r10, r11
	blo	\out
.endm

	.weak	__start_previrt_stubs, __stop_previrt_stubs
	.weak	__start_previrt_istubs, __stop_previrt_istubs

	.text
/*
 * previrt_take_irq: the IRQ exception from a mode other than FIQ, with
 * virtual interrupts on (ARM ARM B1.8.3, B1.9.10): SPSR_irq = the virtual
 * CPSR (the real flags and GE, M A F E from vcpsr, I clear, T from the
 * pc's bit 0), sp and lr of the interrupted mode banked and sp_irq live,
 * lr_irq = the next instruction + 4, the mode IRQ with I and A set, pc =
 * the vector base + 0x18; the exit masked. r0 = the area, the context
 * final, r5 = vcpsr, r9 = the bank of its mode (0, 2..5), r7 = previrt_l4.
 */
	.global previrt_take_irq
	.type previrt_take_irq, %function
previrt_take_irq:
	ldr	r3, [r0, #CTX(PREVIRT_CTX_PC)]	@ the next instruction (bit 0: Thumb)
	ldr	r4, [r0, #CTX(PREVIRT_CTX_CPSR)]
	and	r8, r4, #0xf8000000		@ N Z C V Q
	and	r4, r4, #0x000f0000		@ GE
	orr	r8, r8, r4
	bic	r4, r5, #0xa0			@ M A F E; I clear (they were on), T:
	orr	r8, r8, r4
	tst	r3, #1
	orrne	r8, r8, #0x20			@ the state the interrupted code ran in
	cmp	r9, #BANK_IRQ
	beq	1f
	ldr	r11, [r0, #CTX(13)]		@ the interrupted mode's sp and lr
	ldr	r12, [r0, #CTX(14)]
	add	r10, r0, #PREVIRT_AREA_BANK_SP
	str	r11, [r10, r9, lsl #2]
	add	r10, r0, #PREVIRT_AREA_BANK_LR
	str	r12, [r10, r9, lsl #2]
	ldr	r11, [r0, #(PREVIRT_AREA_BANK_SP + 4 * BANK_IRQ)]
	str	r11, [r0, #CTX(13)]		@ sp_irq
1:	str	r8, [r0, #(PREVIRT_AREA_SPSR + 4 * BANK_IRQ)]
	bic	r3, r3, #1
	add	r3, r3, #4
	str	r3, [r0, #CTX(14)]		@ lr_irq
	bic	r5, r5, #0x1f
	orr	r5, r5, #(0x12 | 0x80)		@ IRQ mode, I,
	orr	r5, r5, #0x100			@ A
	str	r5, [r0, #PREVIRT_AREA_VCPSR]
	ldr	r3, [r7, #PREVIRT_L4_SCTLR]
	tst	r3, #(1 << 13)			@ V: the high vectors
	ldreq	r3, [r0, #PREVIRT_AREA_VBAR]
	ldrne	r3, =0xffff0000
	add	r3, r3, #0x18			@ the IRQ vector (ARM: SCTLR.TE = 0)
	str	r3, [r0, #CTX(PREVIRT_CTX_PC)]
	mov	r1, #0
	str	r1, [r0, #PREVIRT_AREA_IRQ_FINAL]
	b	__previrt_exit_masked
	.size previrt_take_irq, . - previrt_take_irq

/*
 * previrt_irq_upcall: from __previrt_upcall (start.S) for every upcall it
 * does not take itself: r1 = the cause, r2 = from_user, r4 = the state
 * page, sp = the runtime's stack. A virtual interrupt in virtual kernel
 * mode outside the runtime's windows: kregs into the context (pc with T
 * in bit 0, the flags), the lines that arrived made pending INTIDs of the
 * virtual GIC (previrt_irq_collect's steps: the routed lines' here, the
 * timer's in C, which runs the virtual timer), the poke
 * cleared, then the IRQ exception if the GIC signals one (vgic_ready,
 * only if its answer is not kept), else the context goes on with virtual
 * interrupts on: previrt_upcall's steps in its order. Anything else:
 * previrt_upcall.
 */
	.global previrt_irq_upcall
	.type previrt_irq_upcall, %function
previrt_irq_upcall:
	cmp	r1, #L4_VCPU_CAUSE_VIRQ
	cmpeq	r2, #0
	bne	9f
	ldr	r3, [r4, #KREGS(15)]		@ the interrupted pc
	ldr	r8, [r4, #KREGS(16)]		@ and CPSR
	ldr	r9, =PSR_IT_J_BITS
	tst	r8, r9
	bne	9f				@ inside an IT block: previrt_upcall stops it
	INRANGE	r3, __start_previrt_stubs, __stop_previrt_stubs, 9f
	INRANGE	r3, __start_previrt_istubs, __stop_previrt_istubs, 9f
	INRANGE	r3, __previrt_enter, __previrt_exit_end, 9f @ (masked between the
						@ entry's and the exit's windows: only
						@ those are ever met)
	ldr	r0, =__previrt_cpu
	ldr	r5, [r0, #PREVIRT_AREA_VCPSR]
	and	r9, r5, #0x1f
	ldr	r10, =previrt_bank_of_mode
	ldrb	r9, [r10, r9]			@ the bank of the interrupted mode
	cmp	r9, #1				@ FIQ: r8-r12 too
	cmpne	r9, #0xff			@ not a mode the runtime models
	beq	9f
	add	r6, r4, #KREGS(0)		@ kregs r0-r14 into the context
	mov	lr, r0
	ldm	r6!, {r1, r2, r7, r10, r11, r12}
	stm	lr!, {r1, r2, r7, r10, r11, r12}
	ldm	r6!, {r1, r2, r7, r10, r11, r12}
	stm	lr!, {r1, r2, r7, r10, r11, r12}
	ldm	r6, {r1, r2, r7}
	stm	lr, {r1, r2, r7}
	tst	r8, #0x20
	orrne	r3, r3, #1			@ T into the pc's bit 0
	str	r3, [r0, #CTX(PREVIRT_CTX_PC)]
	and	r1, r8, #0xf8000000
	and	r2, r8, #0x000f0000
	orr	r1, r1, r2
	str	r1, [r0, #CTX(PREVIRT_CTX_CPSR)] @ the flags
	ldr	r7, =previrt_l4
	ldr	r1, [r4, #(L4_VCPU_STATE_VIRQ_PENDING * 4)]
	cmp	r1, #0
	beq	5f				@ no line arrived
	tst	r1, #(1 << PREVIRT_LINE_TIMER_BIT)
	bne	4f				@ the timer's: vtimer.c, all in C
	add	r6, r4, #(L4_VCPU_STATE_VIRQ_PENDING * 4)
2:	ldrex	r1, [r6]			@ the lines, taken (l4_vcpu_take_pending)
	mov	r2, #0
	strex	r3, r2, [r6]
	cmp	r3, #0
	bne	2b
	tst	r1, #(1 << PREVIRT_LINE_TIMER_BIT)
	beq	3f
7:	ldrex	r2, [r6]			@ the timer's came in meanwhile: back,
	orr	r2, r2, r1			@ and all of it in C
	strex	r3, r2, [r6]
	cmp	r3, #0
	bne	7b
4:	bl	previrt_irq_collect		@ (cpu)
	b	5f
3:	add	r11, r7, #PREVIRT_L4_VGIC	@ each routed line's INTID pending
	ldr	r8, [r7, #PREVIRT_L4_NPHYS]	@ (previrt_irq_collect's loop)
	mov	r4, #0
6:	cmp	r4, r8
	bhs	5f
	add	r2, r4, #GUEST_HOME_PHYS_LINE
	mov	r3, #1
	tst	r1, r3, lsl r2
	beq	7f
	add	r3, r7, #PREVIRT_L4_PHYS_INTID
	ldr	r9, [r3, r4, lsl #2]
	SET_PENDING 7f				@ (r9, r11; keeps r1, r4, r7, r8)
7:	add	r4, r4, #1
	b	6b
5:	ldr	r7, =previrt_l4
	mov	r1, #0
	str	r1, [r7, #PREVIRT_L4_POKE]	@ looked at
	ldr	r1, [r7, #(PREVIRT_L4_VGIC + VGIC_OFF_CACHE)]
	cmp	r1, #0
	blt	1f				@ the answer is kept
	add	r0, r7, #PREVIRT_L4_VGIC
	bl	vgic_ready			@ (vgic): the scan, which keeps it
	ldr	r1, [r7, #(PREVIRT_L4_VGIC + VGIC_OFF_CACHE)]
1:	ldr	r0, =__previrt_cpu
	tst	r1, #CACHE_READY
	beq	8f
	ldr	r5, [r0, #PREVIRT_AREA_VCPSR]	@ vcpsr and its bank again (the
	and	r9, r5, #0x1f			@ collect used the registers)
	ldr	r10, =previrt_bank_of_mode
	ldrb	r9, [r10, r9]
	b	previrt_take_irq
8:	ldr	r5, [r0, #PREVIRT_AREA_VCPSR]	@ nothing to deliver: on it goes,
	bic	r5, r5, #0x80			@ virtual interrupts on (I clear,
	str	r5, [r0, #PREVIRT_AREA_VCPSR]	@ as previrt_upcall's)
	mov	r1, #1
	str	r1, [r0, #PREVIRT_AREA_IRQ_FINAL]
	b	previrt_exit
9:	bl	previrt_upcall
1:	b	1b
	.ltorg
	.size previrt_irq_upcall, . - previrt_irq_upcall
