/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pv_fatal_upcall(entry_pc, entry_sp): enter the upcall entry as the kernel
 * does (docs/vcpu.md, "Upcalls"): sp = entry_sp, a jump to entry_pc; the
 * caller has set the state page. Does not return.
 */
	.syntax unified
	.arm
	.text
	.global pv_fatal_upcall
	.type pv_fatal_upcall, %function
pv_fatal_upcall:
	mov	sp, r1
	bx	r0
	.size pv_fatal_upcall, . - pv_fatal_upcall
