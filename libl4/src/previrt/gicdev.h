/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The layout the GIC's short path and the IRQ entry in assembly
 * (gicshort.S, irqentry.S) read and write, and start.S's user exit reads: offsets in previrt_l4 (l4glue.h), whose first member is the area
 * shared with the VMM (system/previrt.h), and in its vgic_t. gicdev.c
 * checks every one against the structures with static asserts.
 */
#ifndef PREVIRT_GICDEV_H
#define PREVIRT_GICDEV_H

#define PREVIRT_GICC_IAR_ADDR 0x0801000c  /* PREVIRT_GICC_BASE + 0x0c */
#define PREVIRT_GICC_EOIR_ADDR 0x08010010 /* PREVIRT_GICC_BASE + 0x10 */
#define PREVIRT_GICD_SGIR_ADDR 0x08000f00 /* PREVIRT_GICD_BASE + 0xf00 */

#define PREVIRT_L4_SCTLR 8 /* previrt_l4.shared.sctlr */
#define PREVIRT_L4_POKE 12 /* previrt_l4.shared.poke */
#define PREVIRT_L4_VGIC 16 /* previrt_l4.shared.vgic */
#define PREVIRT_L4_NPHYS 632 /* previrt_l4.nphys */
#define PREVIRT_L4_PHYS_INTID 636 /* previrt_l4.phys_intid[] */
/* ... and what start.S's previrt_glue_user_exit reads for its resume */
#define PREVIRT_L4_USER_PD 4       /* previrt_l4.shared.user_pd */
#define PREVIRT_L4_RESUMED_PD 692  /* previrt_l4.resumed_pd */
#define PREVIRT_L4_CAP_VCPU 1      /* GUEST_CAP_VCPU */

/* previrt_cpu_t (cpu.h): the emulated VBAR */
#define PREVIRT_AREA_VBAR 200

/* vgic_t */
#define VGIC_OFF_DIST_ENABLE 0
#define VGIC_OFF_CPU_ENABLE 4
#define VGIC_OFF_PMR 8
#define VGIC_OFF_ENABLED 16
#define VGIC_OFF_PENDING 32
#define VGIC_OFF_ACTIVE 48
#define VGIC_OFF_PRIORITY 96
#define VGIC_OFF_ACTIVE_STACK 352
#define VGIC_OFF_ACTIVE_DEPTH 608
#define VGIC_OFF_CACHE 612

#define VGIC_CACHE_VALID_BIT 0x80000000
#define VGIC_CACHE_READY_BIT 0x40000000

#ifdef __ASSEMBLY__
/*
 * SET_PENDING done: INTID r9 (< 128) becomes pending (vgic.c's
 * vgic_set_pending), then on at `done`: an INTID pending already changes
 * nothing; a known answer stays known (only the new line is new among the
 * candidates: it is signalled instead of the one signalled if it is more
 * urgent, the lower INTID among equals, or, if nothing was, if it passes
 * the enables, the PMR and the running priority). r11 = the vgic; uses
 * r3, r5, r6, r10, r12 (gicshort.S's SGIs, irqentry.S's routed lines);
 * falls through to `done` when the line becomes the one signalled.
 */
.macro SET_PENDING done
	and	r3, r9, #31
	mov	r10, #1
	lsl	r10, r10, r3			@ its bit
	lsr	r3, r9, #5
	add	r5, r11, r3, lsl #2		@ the vgic, offset by its word
	ldr	r12, [r5, #VGIC_OFF_PENDING]
	tst	r12, r10
	bne	\done				@ pending already: no change
	orr	r12, r12, r10
	str	r12, [r5, #VGIC_OFF_PENDING]
	ldr	r12, [r11, #VGIC_OFF_CACHE]
	cmp	r12, #0
	bge	\done				@ not known: it stays so
	ldr	r3, [r5, #VGIC_OFF_ENABLED]
	tst	r3, r10
	beq	\done				@ not a candidate: the answer stands
	ldr	r3, [r5, #VGIC_OFF_ACTIVE]
	tst	r3, r10
	bne	\done
	add	r5, r11, #VGIC_OFF_PRIORITY
	ldrb	r6, [r5, r9]			@ its priority
	tst	r12, #VGIC_CACHE_READY_BIT
	beq	.Lsp_none\@
	ubfx	r3, r12, #0, #10		@ signalled: the one signalled
	ldrb	r5, [r5, r3]
	cmp	r6, r5
	blo	.Lsp_this\@			@ more urgent: this one
	bne	\done
	cmp	r9, r3				@ as urgent: the lower INTID
	bhs	\done
	b	.Lsp_this\@
.Lsp_none\@:
	ldr	r3, [r11, #VGIC_OFF_DIST_ENABLE] @ nothing signalled: this one if it
	ldr	r5, [r11, #VGIC_OFF_CPU_ENABLE]	@ passes the enables, the PMR and
	and	r3, r3, r5			@ the running priority
	tst	r3, #1
	beq	\done
	ldr	r3, [r11, #VGIC_OFF_PMR]
	and	r3, r3, #0xff
	cmp	r6, r3
	bhs	\done
	ldr	r3, [r11, #VGIC_OFF_ACTIVE_DEPTH]
	cmp	r3, #0
	beq	.Lsp_this\@			@ idle priority 0x100: above every byte
	add	r5, r11, #VGIC_OFF_ACTIVE_STACK
	add	r5, r5, r3, lsl #1
	ldrh	r3, [r5, #-2]			@ the innermost active INTID
	add	r5, r11, #VGIC_OFF_PRIORITY
	ldrb	r3, [r5, r3]
	cmp	r6, r3
	bhs	\done
.Lsp_this\@:
	orr	r12, r9, #(VGIC_CACHE_VALID_BIT | VGIC_CACHE_READY_BIT)
	str	r12, [r11, #VGIC_OFF_CACHE]
.endm
#endif

#ifndef __ASSEMBLY__
#include <stdint.h>

/* gicdev.c: the physical lines' INTIDs as a bitmap, once built. */
extern uint32_t previrt_gicdev_phys[4];
extern uint32_t previrt_gicdev_phys_built;
#endif

#endif
