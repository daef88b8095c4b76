/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reset entry of the native image. QEMU's -kernel loads the ELF at its
 * physical addresses and enters _start in SVC mode, MMU and caches off,
 * IRQ and FIQ masked.
 *
 * Stacks: SVC mode owns the one kernel stack on which every exception is
 * handled (exceptions nest only where a handler re-enables IRQs for a
 * higher-priority line, NATIVE_IRQ_NEST: that IRQ's frame goes on the
 * same stack, below the handler's; vectors.S; sized in native_stack.h for
 * the deepest chain of handlers the priorities allow). IRQ, ABT
 * and UND modes only need one scratch word each (vectors.S save_ctx), so
 * their "stacks" are 16 bytes. Kernel tasks run in SYS mode on their own
 * stacks; user tasks in USR mode.
 */
#include <native_stack.h>

	.syntax unified
	.arm

#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b

	.section .text.boot, "ax"
	.global _start
	.type _start, %function
/* Contract: entered once, any registers; never returns. */
_start:
	cpsid	if			@ mask IRQ and FIQ (already so after reset)
	ldr	r0, =native_vectors
	mcr	p15, 0, r0, c12, c0, 0	@ VBAR = our vector table (SCTLR.V is 0)
	cps	#MODE_IRQ
	ldr	sp, =native_irq_scratch + 16
	cps	#MODE_ABT
	ldr	sp, =native_abt_scratch + 16
	cps	#MODE_UND
	ldr	sp, =native_und_scratch + 16
	cps	#MODE_SVC
	ldr	sp, =native_exc_stack_top
	ldr	r0, =__bss_start	@ zero .bss, one word at a time (the MMU
	ldr	r1, =__bss_end		@ is off: only aligned accesses allowed)
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	bl	native_boot		@ does not return
2:	b	2b
	.size _start, . - _start

	.section .bss.stacks, "aw", %nobits
	.balign 16
native_irq_scratch:	.space 16
native_abt_scratch:	.space 16
native_und_scratch:	.space 16
	.balign 8
	.global native_exc_stack
native_exc_stack:	.space NATIVE_EXC_STACK_SIZE
	.global native_exc_stack_top
native_exc_stack_top:
