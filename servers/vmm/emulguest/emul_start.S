/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reset code, PMU read and exit of the emulation micro-benchmark (emul.c):
 * native privileged code (SVC mode, MMU off), assembled through the
 * rewriter like the rest.
 */
	.syntax unified
	.arm
	.section .text.boot, "ax"
	.global _start
	.type _start, %function
_start:
	cpsid	if
	cps	#0x12
	ldr	sp, =emul_irq_stack_top		@ IRQ mode's stack (emul_irq_entry)
	cps	#0x13
	ldr	sp, =emul_stack_top
	mov	r0, #0
	mcr	p15, 0, r0, c9, c12, 5		@ PMSELR: counter 0
	ldr	r0, =emul_vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	bl	emul_main
1:	b	1b
	.size _start, . - _start

	.text
/* uint32_t emul_counter(void): PMXEVCNTR of counter 0 (instructions). */
	.global emul_counter
	.type emul_counter, %function
emul_counter:
	mrc	p15, 0, r0, c9, c13, 2
	bx	lr
	.size emul_counter, . - emul_counter

/* emul_exit(status): semihosting SYS_EXIT_EXTENDED. */
	.global emul_exit
	.type emul_exit, %function
emul_exit:
	ldr	r1, =emul_exit_block
	str	r0, [r1, #4]
	mov	r0, #0x20
	svc	0x123456
1:	b	1b
	.size emul_exit, . - emul_exit

	.data
	.balign 4
emul_exit_block: .word 0x20026, 0
	.bss
	.balign 8
	.space 4096
emul_stack_top:
	.space 256
emul_irq_stack_top:
