/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The two ways into the runtime from the kernel: the ELF entry of a
 * pre-virtualised image, and the vCPU's upcall entry (entry_pc).
 */
	.syntax unified
	.arm
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
 */
	.global __previrt_upcall
	.type __previrt_upcall, %function
__previrt_upcall:
	bl	previrt_upcall
1:	b	1b
	.size __previrt_upcall, . - __previrt_upcall
