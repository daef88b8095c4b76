/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry of the paravirtual image. The VMM starts the vCPU thread here
 * (docs/vmm.md): ARM user mode in the guest-kernel address space, virtual
 * interrupts off, r0 = the guest-info page, sp = top of guest RAM (the boot
 * stack, used until port_start_first). No privileged set-up: the VMM has
 * already built the address space; the upcall entry is registered in C.
 */
	.syntax unified
	.arm

	.section .text.boot, "ax"
	.global _start
	.type _start, %function
/* Contract: entered once; r0 = guest-info page, sp = boot stack. */
_start:
	mov	r4, r0			@ keep the info page across the loop
	ldr	r0, =__bss_start	@ zero .bss (the loader may not have)
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	mov	r0, r4
	bl	pv_boot			@ does not return
2:	b	2b
	.size _start, . - _start
