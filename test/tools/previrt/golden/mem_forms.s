@ SPDX-License-Identifier: BSD-2-Clause
@ The MEM rewrite (tools/previrt/memsite.py): which loads and stores the
@ rewriter finds addressing the GIC (policy.DEVICES), through the registers
@ of straight-line code, and which it leaves alone.
	.syntax unified
	.arm
	.text
gic_constants:
	mov	r3, #0
	movt	r3, #0x0801		@ r3 = GICC
	ldr	r0, [r3, #12]		@ rewritten: GICC_IAR
	str	r0, [r3, #16]		@ rewritten: GICC_EOIR
	mov	r2, #0x08000000		@ r2 = GICD
	ldr	r1, [r2, #4]		@ rewritten
	strb	r1, [r2, #0x400]	@ rewritten: a byte
	ldrh	r1, [r2, #0x82]	@ rewritten: a halfword
	ldrsb	r1, [r2, #0x83]	@ rewritten: signed
	ldrd	r4, r5, [r2, #0x88]	@ rewritten: a doubleword
	ldr	ip, =0x08000f00		@ ip = GICD_SGIR (a literal)
	str	r0, [ip]		@ rewritten
	movw	r7, #0x0f00
	movt	r7, #0x0800
	str	r0, [r7], #4		@ rewritten: post-indexed (r7 unknown afterwards)
	str	r0, [r7]		@ left: r7 was written back
	bx	lr

derived:
	lsl	r3, r0, #2
	add	r3, r3, #0x08000000	@ r3 = GICD + a register
	str	r1, [r3, #0x100]	@ rewritten: GICD_ISENABLER + (line / 32) * 4
	mov	r2, #0x08000000
	add	r4, r2, r0, lsl #2	@ r4 = GICD + a shifted register
	str	r1, [r4, #0x180]	@ rewritten
	add	r5, r2, #0x800		@ a constant plus a constant
	ldr	r1, [r5, r0]		@ rewritten: register offset
	ldr	r1, [r5, -r0, lsl #2]!	@ rewritten: scaled, write-back
	ldrne	r6, [r2]		@ rewritten: conditional
	ldrbeq	r6, [r2, #1]		@ rewritten: conditional byte
	bx	lr

forgotten:
	mov	r3, #0x08000000
.Lloop:
	ldr	r0, [r3]		@ left: a label is a join
	mov	r3, #0x08000000
.LVL7:
	ldr	r0, [r3]		@ rewritten: gcc's debug labels are not joins
	bl	somewhere
	ldr	r0, [r3]		@ left: a call forgets everything
	mov	r3, #0x08000000
	moveq	r3, #0x40000000
	ldr	r0, [r3]		@ left: a conditional write
	mov	r3, #0x08000000
	and	r3, r3, r0
	ldr	r0, [r3]		@ left: and is not followed
	mov	r3, #0x08000000
	ldr	r3, [r3]		@ rewritten (and r3 is the loaded word afterwards)
	ldr	r0, [r3]		@ left
	mov	r3, #0x08000000
	.word	0
	ldr	r0, [r3]		@ left: a directive forgets everything
	mov	r3, #0x40000000
	ldr	r0, [r3]		@ left: RAM
	mov	r3, #0x09000000
	ldr	r0, [r3]		@ left: the UART is the VMM's (it traps)
	mov	r3, #0x08000000
	ldrex	r0, [r3]		@ left: not a single load
	ldm	r3, {r0, r1}		@ left: a multiple transfer
	ldr	r0, .Lpool		@ left: pc-relative
	b	forgotten
.Lpool:
	.word	0x08000000

.macro READ_GIC
	mov	r3, #0x08000000
	ldr	r0, [r3]		@ left: in a macro body
.endm
	READ_GIC

	.thumb
	.syntax unified
thumb_code:
	mov	r3, #0x08000000
	ldr	r0, [r3]		@ left: Thumb code is not followed
	bx	lr
