/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * previrt/dev.h: hand-ported code's device accesses, as AAPCS functions
 * whose body is a rewritten site (a branch to a call stub, then the
 * return), so the runtime treats them exactly as it treats a rewritten
 * instruction: the same entry, exit and upcall windows (the stubs are in
 * previrt_stubs, 32-byte aligned, where the glue's roll-back finds them).
 * r0 = the address, r1 = the value to store; a load's word comes back in
 * r0. lr is the caller's return address throughout: the stub saves it
 * into the context and the exit restores it.
 */
	.syntax unified
	.arm
#include <previrt/contract.h>

#define DEV_DESC(op, rn, rt) (((op) << PREVIRT_OP_SHIFT) | ((rn) << 16) | ((rt) << 12))

.macro DEV_STUB desc, ret
	.pushsection previrt_stubs, "ax", %progbits
	.balign	PREVIRT_STUB_BYTES
1:	mcr	p15, 0, r0, c13, c0, 2
	movw	r0, #:lower16:PREVIRT_AREA_SYMBOL
	movt	r0, #:upper16:PREVIRT_AREA_SYMBOL
	str	lr, [r0, #PREVIRT_CTX_LR * 4]
	bl	PREVIRT_ENTRY_SYMBOL
	.word	\desc
	.word	\ret
	.word	0
	.popsection
.endm

	.text
	.global previrt_dev_read32
	.type previrt_dev_read32, %function
previrt_dev_read32:
	b	1f
2:	bx	lr
	DEV_STUB DEV_DESC(PREVIRT_OP_DEV_LOAD, 0, 0), 2b
	.size previrt_dev_read32, . - previrt_dev_read32

	.global previrt_dev_write32
	.type previrt_dev_write32, %function
previrt_dev_write32:
	b	1f
2:	bx	lr
	DEV_STUB DEV_DESC(PREVIRT_OP_DEV_STORE, 0, 1), 2b
	.size previrt_dev_write32, . - previrt_dev_write32
