/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest runtime's entry and exit: every rewritten site arrives here
 * from its call stub (tools/previrt/contract.py, docs/previrt.md).
 *
 * Entry (from the stub): r0 = &__previrt_cpu; lr = &descriptor in the stub
 *   (ARM state; a Thumb stub arrives by blx with lr bit 0 set); TPIDRURW =
 *   the guest's r0; ctx[14] = the guest's lr; every other register and the
 *   flags are the guest's; sp is the guest's and may be unusable.
 * Exit: r0-r15 and the flags from ctx, as the emulated instruction leaves
 *   them; the virtual interrupt-enable word as the instruction leaves it.
 *
 * Upcall windows (for the glue's upcall entry; docs/previrt.md): an
 * upcall can only interrupt the runtime while virtual interrupts are
 * enabled, that is between a stub's first instruction and the masking
 * store below (roll back: r0 = TPIDRURW, r1-r13 = ctx[1..13] unless pc is
 * __previrt_enter itself, lr = ctx[14], pc = the stub's start), and after
 * the unmasking store at exit (roll forward: every register from ctx).
 * Nothing between the two uses anything but the area and its stack; the
 * exit window is entirely here (its vcpu_sync included).
 */
	.syntax unified
	.arm
#include <l4/abi.h>

#include "cpu.h"

#define CTX(n) ((n) * 4)

	.text
	.global __previrt_enter
	.type __previrt_enter, %function
__previrt_enter:
	stmib	r0, {r1-r13}			@ ctx[1..13] = the guest's r1-r13
	ldr	r1, [r0, #PREVIRT_AREA_IRQ_ENABLE]
	ldr	r2, [r1]			@ were virtual interrupts enabled?
	mov	r3, #0
	str	r3, [r1]			@ masked: no upcall from here on
	.global __previrt_masked
__previrt_masked:
	str	r2, [r0, #PREVIRT_AREA_IRQ_WAS]
	mrc	p15, 0, r1, c13, c0, 2		@ the guest's r0, parked by the stub
	str	r1, [r0, #CTX(0)]
	mrs	r1, apsr			@ the guest's flags (only they are real)
	str	r1, [r0, #CTX(PREVIRT_CTX_CPSR)]
	bic	lr, lr, #1			@ a Thumb stub's blx set bit 0
	ldr	r1, [lr, #PREVIRT_STUB_RET_OFFSET - PREVIRT_STUB_DESC_OFFSET]
	str	r1, [r0, #CTX(PREVIRT_CTX_PC)]	@ by default the guest goes on after the site
	str	lr, [r0, #PREVIRT_AREA_STUB]
	ldr	sp, [r0, #PREVIRT_AREA_STACK_TOP]
	ldr	r2, [lr, #PREVIRT_STUB_IMM_OFFSET - PREVIRT_STUB_DESC_OFFSET]
	ldr	r1, [lr]			@ the descriptor
	bl	previrt_emulate			@ (cpu, desc, imm)
	ldr	r0, =__previrt_cpu
	.size __previrt_enter, . - __previrt_enter

/*
 * previrt_exit(cpu): to the guest context in cpu->ctx, the virtual
 * interrupt-enable word set to cpu->irq_final; from any point of the
 * runtime (its stack is dropped). r0 = &__previrt_cpu.
 */
	.global previrt_exit
	.type previrt_exit, %function
previrt_exit:
	ldr	r1, [r0, #PREVIRT_AREA_IRQ_FINAL]
	cmp	r1, #0
	beq	__previrt_exit_masked
	ldr	r2, [r0, #PREVIRT_AREA_IRQ_ENABLE]
	str	r1, [r2]			@ unmasked: the exit window starts
	.global __previrt_exit_unmasked
__previrt_exit_unmasked:
	ldr	r1, [r0, #PREVIRT_AREA_IRQ_PENDING]
	ldr	r1, [r1]
	cmp	r1, #0				@ something came in meanwhile?
	beq	__previrt_exit_masked
	ldr	r0, [r0, #PREVIRT_AREA_SYNC_CPTR] @ vcpu_sync (docs/api.md): the
	ldr	r1, =(L4_VCPU_SYNC << L4_MSG_LABEL_SHIFT) @ kernel takes the
	mov	r7, #L4_SYS_CALL		@ interrupt as an upcall right here,
	svc	#0				@ which rolls forward to ctx
	ldr	r0, =__previrt_cpu
__previrt_exit_masked:
	ldr	r1, [r0, #CTX(PREVIRT_CTX_CPSR)]
	msr	APSR_nzcvqg, r1
	ldm	r0, {r0-r15}			@ the guest's registers; on at ctx[15]
	.global __previrt_exit_end
__previrt_exit_end:
	.size previrt_exit, . - previrt_exit
