/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The GIC twin test's accesses (emul.c, emul_gic_twin): access number r0
 * of the table below (the order of emul.c's GICTWIN_*), r1 the value a
 * store writes; a load returns its value in r0, a store 0. Native
 * privileged code, through the rewriter, three ways:
 *
 * emul_gic_short: [Rn, #+-imm12] with the base seen (movw/movt after each
 *   label): a MEM site in the form the runtime's short path takes for the
 *   hot registers (enter.S, gicshort.S), the C access for the rest;
 * emul_gic_general: the same as [Rn, Rm]: a MEM site the runtime takes
 *   through its general load/store decoder (previrt_emulate_mem);
 * emul_gic_trapped(op, value, GICD base): the same as [Rn, #+-imm12] with
 *   the base from the caller, which the rewriter cannot see: a load or
 *   store that traps, emulated by the VMM (pvdev.c).
 */
	.syntax unified
	.arm
	.text
	.global emul_gic_short
	.type emul_gic_short, %function
emul_gic_short:
	cmp	r0, #35
	movhs	r0, #0
	bxhs	lr
	ldr	pc, [pc, r0, lsl #2]
	nop
	.word	short_0
	.word	short_1
	.word	short_2
	.word	short_3
	.word	short_4
	.word	short_5
	.word	short_6
	.word	short_7
	.word	short_8
	.word	short_9
	.word	short_10
	.word	short_11
	.word	short_12
	.word	short_13
	.word	short_14
	.word	short_15
	.word	short_16
	.word	short_17
	.word	short_18
	.word	short_19
	.word	short_20
	.word	short_21
	.word	short_22
	.word	short_23
	.word	short_24
	.word	short_25
	.word	short_26
	.word	short_27
	.word	short_28
	.word	short_29
	.word	short_30
	.word	short_31
	.word	short_32
	.word	short_33
	.word	short_34
short_0:					@ GICC_CTLR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	ldr	r0, [r3, #0x0]
	bx	lr
short_1:					@ GICC_CTLR store
	movw	r3, #0x0000
	movt	r3, #0x0801
	str	r1, [r3, #0x0]
	mov	r0, #0
	bx	lr
short_2:					@ GICC_PMR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	ldr	r0, [r3, #0x4]
	bx	lr
short_3:					@ GICC_PMR store
	movw	r3, #0x0000
	movt	r3, #0x0801
	str	r1, [r3, #0x4]
	mov	r0, #0
	bx	lr
short_4:					@ GICC_BPR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	ldr	r0, [r3, #0x8]
	bx	lr
short_5:					@ GICC_BPR store
	movw	r3, #0x0000
	movt	r3, #0x0801
	str	r1, [r3, #0x8]
	mov	r0, #0
	bx	lr
short_6:					@ GICC_IAR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	ldr	r0, [r3, #0xc]
	bx	lr
short_7:					@ GICC_IAR store (read-only)
	movw	r3, #0x0000
	movt	r3, #0x0801
	str	r1, [r3, #0xc]
	mov	r0, #0
	bx	lr
short_8:					@ GICC_EOIR load (write-only)
	movw	r3, #0x0000
	movt	r3, #0x0801
	ldr	r0, [r3, #0x10]
	bx	lr
short_9:					@ GICC_EOIR store
	movw	r3, #0x0000
	movt	r3, #0x0801
	str	r1, [r3, #0x10]
	mov	r0, #0
	bx	lr
short_10:					@ GICC_RPR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	ldr	r0, [r3, #0x14]
	bx	lr
short_11:					@ GICC_HPPIR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	ldr	r0, [r3, #0x18]
	bx	lr
short_12:					@ GICC 0x1c load
	movw	r3, #0x0000
	movt	r3, #0x0801
	ldr	r0, [r3, #0x1c]
	bx	lr
short_13:					@ GICC 0x1c store
	movw	r3, #0x0000
	movt	r3, #0x0801
	str	r1, [r3, #0x1c]
	mov	r0, #0
	bx	lr
short_14:					@ GICC_IAR load, negative offset
	movw	r3, #0x001c
	movt	r3, #0x0801
	ldr	r0, [r3, #-16]
	bx	lr
short_15:					@ GICC_EOIR store, negative offset
	movw	r3, #0x0020
	movt	r3, #0x0801
	str	r1, [r3, #-16]
	mov	r0, #0
	bx	lr
short_16:					@ GICD_SGIR store
	movw	r3, #0x0000
	movt	r3, #0x0800
	str	r1, [r3, #0xf00]
	mov	r0, #0
	bx	lr
short_17:					@ GICD_SGIR load (write-only)
	movw	r3, #0x0000
	movt	r3, #0x0800
	ldr	r0, [r3, #0xf00]
	bx	lr
short_18:					@ GICD 0xefc store
	movw	r3, #0x0000
	movt	r3, #0x0800
	str	r1, [r3, #0xefc]
	mov	r0, #0
	bx	lr
short_19:					@ GICD 0xf04 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	str	r1, [r3, #0xf04]
	mov	r0, #0
	bx	lr
short_20:					@ GICD_CTLR load
	movw	r3, #0x0000
	movt	r3, #0x0800
	ldr	r0, [r3, #0x0]
	bx	lr
short_21:					@ GICD_CTLR store
	movw	r3, #0x0000
	movt	r3, #0x0800
	str	r1, [r3, #0x0]
	mov	r0, #0
	bx	lr
short_22:					@ GICD_ISENABLER0 load
	movw	r3, #0x0000
	movt	r3, #0x0800
	ldr	r0, [r3, #0x100]
	bx	lr
short_23:					@ GICD_ISENABLER0 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	str	r1, [r3, #0x100]
	mov	r0, #0
	bx	lr
short_24:					@ GICD_ICENABLER0 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	str	r1, [r3, #0x180]
	mov	r0, #0
	bx	lr
short_25:					@ GICD_ISPENDR0 load
	movw	r3, #0x0000
	movt	r3, #0x0800
	ldr	r0, [r3, #0x200]
	bx	lr
short_26:					@ GICD_ICPENDR0 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	str	r1, [r3, #0x280]
	mov	r0, #0
	bx	lr
short_27:					@ GICD_ISACTIVER0 load
	movw	r3, #0x0000
	movt	r3, #0x0800
	ldr	r0, [r3, #0x300]
	bx	lr
short_28:					@ GICD_IPRIORITYR0 load
	movw	r3, #0x0000
	movt	r3, #0x0800
	ldr	r0, [r3, #0x400]
	bx	lr
short_29:					@ GICD_IPRIORITYR0 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	str	r1, [r3, #0x400]
	mov	r0, #0
	bx	lr
short_30:					@ GICD_IPRIORITYR0 byte 1 load
	movw	r3, #0x0000
	movt	r3, #0x0800
	ldrb	r0, [r3, #0x401]
	bx	lr
short_31:					@ GICD_IPRIORITYR0 byte 1 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	strb	r1, [r3, #0x401]
	mov	r0, #0
	bx	lr
short_32:					@ GICC_IAR + 2 load (unaligned)
	movw	r3, #0x0000
	movt	r3, #0x0801
	ldr	r0, [r3, #0xe]
	bx	lr
short_33:					@ GICD_SGIR + 2 store (unaligned)
	movw	r3, #0x0000
	movt	r3, #0x0800
	str	r1, [r3, #0xf02]
	mov	r0, #0
	bx	lr
short_34:					@ GICD_ISACTIVER0 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	str	r1, [r3, #0x300]
	mov	r0, #0
	bx	lr
	.size emul_gic_short, . - emul_gic_short

	.global emul_gic_general
	.type emul_gic_general, %function
emul_gic_general:
	cmp	r0, #35
	movhs	r0, #0
	bxhs	lr
	ldr	pc, [pc, r0, lsl #2]
	nop
	.word	general_0
	.word	general_1
	.word	general_2
	.word	general_3
	.word	general_4
	.word	general_5
	.word	general_6
	.word	general_7
	.word	general_8
	.word	general_9
	.word	general_10
	.word	general_11
	.word	general_12
	.word	general_13
	.word	general_14
	.word	general_15
	.word	general_16
	.word	general_17
	.word	general_18
	.word	general_19
	.word	general_20
	.word	general_21
	.word	general_22
	.word	general_23
	.word	general_24
	.word	general_25
	.word	general_26
	.word	general_27
	.word	general_28
	.word	general_29
	.word	general_30
	.word	general_31
	.word	general_32
	.word	general_33
	.word	general_34
general_0:					@ GICC_CTLR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x0
	ldr	r0, [r3, r2]
	bx	lr
general_1:					@ GICC_CTLR store
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x0
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_2:					@ GICC_PMR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x4
	ldr	r0, [r3, r2]
	bx	lr
general_3:					@ GICC_PMR store
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x4
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_4:					@ GICC_BPR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x8
	ldr	r0, [r3, r2]
	bx	lr
general_5:					@ GICC_BPR store
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x8
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_6:					@ GICC_IAR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0xc
	ldr	r0, [r3, r2]
	bx	lr
general_7:					@ GICC_IAR store (read-only)
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0xc
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_8:					@ GICC_EOIR load (write-only)
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x10
	ldr	r0, [r3, r2]
	bx	lr
general_9:					@ GICC_EOIR store
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x10
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_10:					@ GICC_RPR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x14
	ldr	r0, [r3, r2]
	bx	lr
general_11:					@ GICC_HPPIR load
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x18
	ldr	r0, [r3, r2]
	bx	lr
general_12:					@ GICC 0x1c load
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x1c
	ldr	r0, [r3, r2]
	bx	lr
general_13:					@ GICC 0x1c store
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0x1c
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_14:					@ GICC_IAR load, negative offset
	movw	r3, #0x001c
	movt	r3, #0x0801
	mov	r2, #16
	ldr	r0, [r3, -r2]
	bx	lr
general_15:					@ GICC_EOIR store, negative offset
	movw	r3, #0x0020
	movt	r3, #0x0801
	mov	r2, #16
	str	r1, [r3, -r2]
	mov	r0, #0
	bx	lr
general_16:					@ GICD_SGIR store
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0xf00
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_17:					@ GICD_SGIR load (write-only)
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0xf00
	ldr	r0, [r3, r2]
	bx	lr
general_18:					@ GICD 0xefc store
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0xefc
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_19:					@ GICD 0xf04 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0xf04
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_20:					@ GICD_CTLR load
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x0
	ldr	r0, [r3, r2]
	bx	lr
general_21:					@ GICD_CTLR store
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x0
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_22:					@ GICD_ISENABLER0 load
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x100
	ldr	r0, [r3, r2]
	bx	lr
general_23:					@ GICD_ISENABLER0 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x100
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_24:					@ GICD_ICENABLER0 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x180
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_25:					@ GICD_ISPENDR0 load
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x200
	ldr	r0, [r3, r2]
	bx	lr
general_26:					@ GICD_ICPENDR0 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x280
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_27:					@ GICD_ISACTIVER0 load
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x300
	ldr	r0, [r3, r2]
	bx	lr
general_28:					@ GICD_IPRIORITYR0 load
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x400
	ldr	r0, [r3, r2]
	bx	lr
general_29:					@ GICD_IPRIORITYR0 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x400
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_30:					@ GICD_IPRIORITYR0 byte 1 load
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x401
	ldrb	r0, [r3, r2]
	bx	lr
general_31:					@ GICD_IPRIORITYR0 byte 1 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x401
	strb	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_32:					@ GICC_IAR + 2 load (unaligned)
	movw	r3, #0x0000
	movt	r3, #0x0801
	mov	r2, #0xe
	ldr	r0, [r3, r2]
	bx	lr
general_33:					@ GICD_SGIR + 2 store (unaligned)
	movw	r3, #0x0000
	movt	r3, #0x0800
	movw	r2, #0xf02
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
general_34:					@ GICD_ISACTIVER0 store
	movw	r3, #0x0000
	movt	r3, #0x0800
	mov	r2, #0x300
	str	r1, [r3, r2]
	mov	r0, #0
	bx	lr
	.size emul_gic_general, . - emul_gic_general

	.global emul_gic_trapped
	.type emul_gic_trapped, %function
emul_gic_trapped:
	cmp	r0, #35
	movhs	r0, #0
	bxhs	lr
	ldr	pc, [pc, r0, lsl #2]
	nop
	.word	trapped_0
	.word	trapped_1
	.word	trapped_2
	.word	trapped_3
	.word	trapped_4
	.word	trapped_5
	.word	trapped_6
	.word	trapped_7
	.word	trapped_8
	.word	trapped_9
	.word	trapped_10
	.word	trapped_11
	.word	trapped_12
	.word	trapped_13
	.word	trapped_14
	.word	trapped_15
	.word	trapped_16
	.word	trapped_17
	.word	trapped_18
	.word	trapped_19
	.word	trapped_20
	.word	trapped_21
	.word	trapped_22
	.word	trapped_23
	.word	trapped_24
	.word	trapped_25
	.word	trapped_26
	.word	trapped_27
	.word	trapped_28
	.word	trapped_29
	.word	trapped_30
	.word	trapped_31
	.word	trapped_32
	.word	trapped_33
	.word	trapped_34
trapped_0:					@ GICC_CTLR load
	add	r3, r2, #0x10000
	ldr	r0, [r3, #0x0]
	bx	lr
trapped_1:					@ GICC_CTLR store
	add	r3, r2, #0x10000
	str	r1, [r3, #0x0]
	mov	r0, #0
	bx	lr
trapped_2:					@ GICC_PMR load
	add	r3, r2, #0x10000
	ldr	r0, [r3, #0x4]
	bx	lr
trapped_3:					@ GICC_PMR store
	add	r3, r2, #0x10000
	str	r1, [r3, #0x4]
	mov	r0, #0
	bx	lr
trapped_4:					@ GICC_BPR load
	add	r3, r2, #0x10000
	ldr	r0, [r3, #0x8]
	bx	lr
trapped_5:					@ GICC_BPR store
	add	r3, r2, #0x10000
	str	r1, [r3, #0x8]
	mov	r0, #0
	bx	lr
trapped_6:					@ GICC_IAR load
	add	r3, r2, #0x10000
	ldr	r0, [r3, #0xc]
	bx	lr
trapped_7:					@ GICC_IAR store (read-only)
	add	r3, r2, #0x10000
	str	r1, [r3, #0xc]
	mov	r0, #0
	bx	lr
trapped_8:					@ GICC_EOIR load (write-only)
	add	r3, r2, #0x10000
	ldr	r0, [r3, #0x10]
	bx	lr
trapped_9:					@ GICC_EOIR store
	add	r3, r2, #0x10000
	str	r1, [r3, #0x10]
	mov	r0, #0
	bx	lr
trapped_10:					@ GICC_RPR load
	add	r3, r2, #0x10000
	ldr	r0, [r3, #0x14]
	bx	lr
trapped_11:					@ GICC_HPPIR load
	add	r3, r2, #0x10000
	ldr	r0, [r3, #0x18]
	bx	lr
trapped_12:					@ GICC 0x1c load
	add	r3, r2, #0x10000
	ldr	r0, [r3, #0x1c]
	bx	lr
trapped_13:					@ GICC 0x1c store
	add	r3, r2, #0x10000
	str	r1, [r3, #0x1c]
	mov	r0, #0
	bx	lr
trapped_14:					@ GICC_IAR load, negative offset
	add	r3, r2, #0x10000
	add	r3, r3, #0x1c
	ldr	r0, [r3, #-16]
	bx	lr
trapped_15:					@ GICC_EOIR store, negative offset
	add	r3, r2, #0x10000
	add	r3, r3, #0x20
	str	r1, [r3, #-16]
	mov	r0, #0
	bx	lr
trapped_16:					@ GICD_SGIR store
	mov	r3, r2
	str	r1, [r3, #0xf00]
	mov	r0, #0
	bx	lr
trapped_17:					@ GICD_SGIR load (write-only)
	mov	r3, r2
	ldr	r0, [r3, #0xf00]
	bx	lr
trapped_18:					@ GICD 0xefc store
	mov	r3, r2
	str	r1, [r3, #0xefc]
	mov	r0, #0
	bx	lr
trapped_19:					@ GICD 0xf04 store
	mov	r3, r2
	str	r1, [r3, #0xf04]
	mov	r0, #0
	bx	lr
trapped_20:					@ GICD_CTLR load
	mov	r3, r2
	ldr	r0, [r3, #0x0]
	bx	lr
trapped_21:					@ GICD_CTLR store
	mov	r3, r2
	str	r1, [r3, #0x0]
	mov	r0, #0
	bx	lr
trapped_22:					@ GICD_ISENABLER0 load
	mov	r3, r2
	ldr	r0, [r3, #0x100]
	bx	lr
trapped_23:					@ GICD_ISENABLER0 store
	mov	r3, r2
	str	r1, [r3, #0x100]
	mov	r0, #0
	bx	lr
trapped_24:					@ GICD_ICENABLER0 store
	mov	r3, r2
	str	r1, [r3, #0x180]
	mov	r0, #0
	bx	lr
trapped_25:					@ GICD_ISPENDR0 load
	mov	r3, r2
	ldr	r0, [r3, #0x200]
	bx	lr
trapped_26:					@ GICD_ICPENDR0 store
	mov	r3, r2
	str	r1, [r3, #0x280]
	mov	r0, #0
	bx	lr
trapped_27:					@ GICD_ISACTIVER0 load
	mov	r3, r2
	ldr	r0, [r3, #0x300]
	bx	lr
trapped_28:					@ GICD_IPRIORITYR0 load
	mov	r3, r2
	ldr	r0, [r3, #0x400]
	bx	lr
trapped_29:					@ GICD_IPRIORITYR0 store
	mov	r3, r2
	str	r1, [r3, #0x400]
	mov	r0, #0
	bx	lr
trapped_30:					@ GICD_IPRIORITYR0 byte 1 load
	mov	r3, r2
	ldrb	r0, [r3, #0x401]
	bx	lr
trapped_31:					@ GICD_IPRIORITYR0 byte 1 store
	mov	r3, r2
	strb	r1, [r3, #0x401]
	mov	r0, #0
	bx	lr
trapped_32:					@ GICC_IAR + 2 load (unaligned)
	add	r3, r2, #0x10000
	ldr	r0, [r3, #0xe]
	bx	lr
trapped_33:					@ GICD_SGIR + 2 store (unaligned)
	mov	r3, r2
	str	r1, [r3, #0xf02]
	mov	r0, #0
	bx	lr
trapped_34:					@ GICD_ISACTIVER0 store
	mov	r3, r2
	str	r1, [r3, #0x300]
	mov	r0, #0
	bx	lr
	.size emul_gic_trapped, . - emul_gic_trapped

