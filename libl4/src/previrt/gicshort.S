/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The GIC's short path (docs/previrt.md, "Device loads and stores"): the
 * registers of every interrupt, GICC_IAR and GICC_EOIR, and GICD_SGIR of
 * every software one, straight from the entry (enter.S) of a MEM site in
 * its commonest form or a device call (previrt/dev.h), with no C call,
 * decoder or page decode: what vgic_acknowledge, vgic_end and vgic_sgi
 * (vgic.c) and gicdev.c's short path do for them, on the same vgic_t.
 *
 * previrt_glue_fast_access (the glue's, enter.S has a weak default):
 *   r0 = the area, r1 = the descriptor, r2 = irq_was, lr = &descriptor,
 *   r3 = the address, r4 = Rt (the register loaded or stored), r5 = 1 for
 *   a load, 0 for a store; 32 bits, aligned to the address by the entry's
 *   checks (a word access at the register's own address: anything else
 *   is another address).
 * Whatever it does not take it sends to previrt_access_decoded (the C
 * access) with r0-r5 and lr unchanged, before changing a thing: another
 * address, a GICC_IAR with the vgic's answer not known (vgic_refresh's
 * scan), an EOI of an interrupt that is not the innermost active one (the
 * stack's search) or before the physical lines' bitmap is built. The EOI
 * of a physical line is its acknowledgement too, a vcpu_sync (here).
 * Then the exit: with virtual interrupts off as they were, masked; on,
 * unmasked unless the GIC was poked (an SGI signalled, an EOI with
 * something pending), when the glue looks as after any instruction, here
 * (the IRQ exception in assembly, irqentry.S) in the common case, else in
 * C (enter.S's previrt_access_exit).
 * Registers r3-r12 are free; sp is not used.
 *
 * emulguest's GIC twin (servers/vmm/emulguest) runs the same script of
 * accesses through here, through the general decoder and the page decode
 * (C), trapped to the VMM, and as device calls, and compares.
 */
	.syntax unified
	.arm
#include <l4/abi.h>
#include <previrt/contract.h>

#include "cpu.h"
#include "gicdev.h"

#define CTX(n) ((n) * 4)
#define CACHE_VALID VGIC_CACHE_VALID_BIT
#define CACHE_READY VGIC_CACHE_READY_BIT
#define LINES 128
#define GUEST_STATE_VADDR 0x7ff00000
#define GUEST_HOME_PHYS 16

/* ANY_PENDING vg, t1..t4: Z clear if any INTID is pending (vgic_any_pending). */
.macro ANY_PENDING vg, t1, t2, t3, t4
	add	\t1, \vg, #VGIC_OFF_PENDING
	ldm	\t1, {\t1, \t2, \t3, \t4}
	orr	\t1, \t1, \t2
	orr	\t3, \t3, \t4
	orrs	\t1, \t1, \t3
.endm

	.text
	.global previrt_glue_fast_access
	.type previrt_glue_fast_access, %function
previrt_glue_fast_access:
	ldr	r7, =previrt_l4
	add	r11, r7, #PREVIRT_L4_VGIC	@ r11 = the vgic from here on
	cmp	r5, #0
	beq	1f
	ldr	r6, =PREVIRT_GICC_IAR_ADDR	@ a load: GICC_IAR only
	cmp	r3, r6
	beq	gic_iar
	b	previrt_access_decoded
1:	ldr	r6, =PREVIRT_GICC_EOIR_ADDR	@ a store: GICC_EOIR, GICD_SGIR
	cmp	r3, r6
	beq	gic_eoir
	ldr	r6, =PREVIRT_GICD_SGIR_ADDR
	cmp	r3, r6
	bne	previrt_access_decoded
	/* fall through */

/* GICD_SGIR (vgic_sgi): filter 0 with CPU 0 in the target list, or 2
 * (self), pends SGI v[3:0] (previrt_gic_set_pending: lr, the descriptor's
 * address, is dead once the access is the short path's). Then poke
 * unless the answer is known and nothing is signalled (gicdev.c's
 * gicdev_sgir). */
gic_sgir:
	ldr	r8, [r0, r4, lsl #2]		@ the value
	ubfx	r9, r8, #24, #2			@ TargetListFilter
	cmp	r9, #2
	beq	2f
	cmp	r9, #0
	bne	gic_sgir_poke			@ 1 (all but self: none), 3: nothing
	tst	r8, #(1 << 16)			@ CPU 0 in the list?
	beq	gic_sgir_poke
2:	and	r9, r8, #15			@ the SGI
	SET_PENDING gic_sgir_poke
gic_sgir_poke:
	ldr	r12, [r11, #VGIC_OFF_CACHE]
	and	r12, r12, #(CACHE_VALID | CACHE_READY)
	cmp	r12, #CACHE_VALID
	movne	r3, #1
	strne	r3, [r7, #PREVIRT_L4_POKE]	@ signalled now, or not known
	b	gic_exit

/* GICC_IAR (vgic_acknowledge) with the answer known: the INTID it names
 * pending -> active, pushed on the active stack (the running priority
 * rises), or 1023; then nothing pending means nothing signalled. A read
 * pokes nothing. */
gic_iar:
	ldr	r12, [r11, #VGIC_OFF_CACHE]
	cmp	r12, #0
	bge	previrt_access_decoded		@ not known: vgic_refresh, in C
	tst	r12, #CACHE_READY
	movweq	r8, #1023			@ nothing signalled: spurious
	beq	gic_iar_done
	ubfx	r8, r12, #0, #10		@ the INTID
	lsr	r9, r8, #5			@ its word
	and	r10, r8, #31
	mov	r3, #1
	lsl	r10, r3, r10			@ its bit
	add	r3, r11, #VGIC_OFF_PENDING
	ldr	r6, [r3, r9, lsl #2]
	bic	r6, r6, r10
	str	r6, [r3, r9, lsl #2]
	add	r3, r11, #VGIC_OFF_ACTIVE
	ldr	r6, [r3, r9, lsl #2]
	orr	r6, r6, r10
	str	r6, [r3, r9, lsl #2]
	ldr	r6, [r11, #VGIC_OFF_ACTIVE_DEPTH]
	add	r3, r11, #VGIC_OFF_ACTIVE_STACK
	add	r3, r3, r6, lsl #1
	strh	r8, [r3]
	add	r6, r6, #1
	str	r6, [r11, #VGIC_OFF_ACTIVE_DEPTH]
	ANY_PENDING r11, r3, r5, r6, r9		@ vgic_settled
	movne	r3, #0				@ something pending: not known
	ldreq	r3, =(CACHE_VALID | 1023)	@ nothing: nothing signalled
	str	r3, [r11, #VGIC_OFF_CACHE]
gic_iar_done:
	str	r8, [r0, r4, lsl #2]		@ Rt
	b	gic_exit

/* GICC_EOIR (vgic_end) of the innermost active interrupt, not a physical
 * line: inactive, popped (the running priority drops), then settled; of
 * one not active (or not an INTID): nothing changes. Then poke if
 * anything is pending (gicdev.c's gicdev_eoir). */
gic_eoir:
	ldr	r8, [r0, r4, lsl #2]
	ubfx	r8, r8, #0, #10			@ the INTID
	cmp	r8, #LINES
	bhs	gic_eoir_poke			@ none: nothing changes
	lsr	r9, r8, #5
	and	r10, r8, #31
	mov	r6, #1
	lsl	r10, r6, r10
	add	r12, r11, #VGIC_OFF_ACTIVE
	ldr	r6, [r12, r9, lsl #2]
	tst	r6, r10
	beq	gic_eoir_poke			@ not active: nothing changes
	ldr	r6, [r11, #VGIC_OFF_ACTIVE_DEPTH]
	subs	r6, r6, #1			@ the depth after the pop
	blo	previrt_access_decoded		@ none stacked (GICD_ISACTIVER): in C
	add	r7, r11, #VGIC_OFF_ACTIVE_STACK
	add	r7, r7, r6, lsl #1
	ldrh	r7, [r7]			@ the innermost
	cmp	r7, r8
	bne	previrt_access_decoded		@ not the innermost: the search, in C
	ldr	r7, =previrt_gicdev_phys_built
	ldr	r7, [r7]
	cmp	r7, #0
	beq	previrt_access_decoded		@ the lines' bitmap is built there
	ldr	r7, =previrt_gicdev_phys
	ldr	r7, [r7, r9, lsl #2]
	and	r7, r7, r10			@ non-zero: a physical line's
	str	r6, [r11, #VGIC_OFF_ACTIVE_DEPTH]
	ldr	r6, [r12, r9, lsl #2]
	bic	r6, r6, r10
	str	r6, [r12, r9, lsl #2]
	ANY_PENDING r11, r3, r5, r6, r9		@ vgic_settled
	movne	r3, #0
	ldreq	r3, =(CACHE_VALID | 1023)
	str	r3, [r11, #VGIC_OFF_CACHE]
	cmp	r7, #0
	ldr	r7, =previrt_l4
	bne	gic_eoir_phys
gic_eoir_poke:
	ANY_PENDING r11, r3, r5, r6, r9
	movne	r3, #1
	strne	r3, [r7, #PREVIRT_L4_POKE]	@ a lower running priority may let one in
	/* fall through */

/* The exit. With virtual interrupts on and the GIC poked, the glue's look
 * here (previrt_glue_exit's, when no line has arrived, the mode is
 * neither FIQ nor User, whose switch to virtual user mode follows any
 * instruction, and the answer is kept): the poke cleared, then the IRQ
 * exception (irqentry.S) if one is signalled, else unmasked. Every other case:
 * enter.S's exit after an access (previrt_access_exit). */
gic_exit:
	cmp	r2, #0
	beq	previrt_access_exit		@ off: they stay so
	ldr	r3, [r7, #PREVIRT_L4_POKE]
	cmp	r3, #0
	beq	previrt_access_exit		@ not poked: unmasked
	ldr	r3, [r0, #PREVIRT_AREA_IRQ_PENDING]
	ldr	r3, [r3]
	cmp	r3, #0
	bne	previrt_access_exit		@ lines to collect: the C look
	ldr	r5, [r0, #PREVIRT_AREA_VCPSR]
	and	r9, r5, #0x1f
	cmp	r9, #0x10			@ virtual mode User: the glue's switch
	beq	previrt_access_exit
	ldr	r10, =previrt_bank_of_mode
	ldrb	r9, [r10, r9]
	cmp	r9, #1				@ FIQ
	cmpne	r9, #0xff
	beq	previrt_access_exit
	ldr	r12, [r11, #VGIC_OFF_CACHE]
	cmp	r12, #0
	bge	previrt_access_exit		@ not known: vgic_refresh, in C
	mov	r3, #0
	str	r3, [r7, #PREVIRT_L4_POKE]	@ looked at
	tst	r12, #CACHE_READY
	bne	previrt_take_irq		@ (r0, r5 = vcpsr, r9 = its bank, r7)
	mov	r1, #1
	str	r1, [r0, #PREVIRT_AREA_IRQ_FINAL]
	b	previrt_exit_enable		@ (r1 = 1)

/* The end of a physical line (r8 = its INTID, r7 = previrt_l4): its
 * acknowledgement in the state page, taken at once by a vcpu_sync (the
 * line is routed straight to the vCPU and masked until then, docs/vcpu.md);
 * a line that awaits none (the sync refuses it, changing nothing) leaves
 * the word cleared again. gicdev.c's gicdev_ack_phys. */
gic_eoir_phys:
	ldr	r3, [r7, #PREVIRT_L4_NPHYS]
	add	r5, r7, #PREVIRT_L4_PHYS_INTID
	mov	r6, #0
1:	cmp	r6, r3
	bhs	gic_eoir_poke
	ldr	r9, [r5, r6, lsl #2]
	add	r6, r6, #1
	cmp	r9, r8
	bne	1b
	add	r6, r6, #(GUEST_HOME_PHYS - 1)	@ its virtual line, PREVIRT_LINE_PHYS(k)
	mov	r9, #1
	lsl	r9, r9, r6
	ldr	r3, =(GUEST_STATE_VADDR + 4 * L4_VCPU_STATE_VIRQ_ACK)
	ldr	r5, [r3]
	orr	r5, r5, r9
	str	r5, [r3]			@ l4_vcpu_ack
	mov	r10, r0				@ the area and previrt_l4 past the call
	mov	r12, r7
	ldr	r0, [r10, #PREVIRT_AREA_SYNC_CPTR]
	mov	r7, #L4_SYS_VCPU_SYNC
	svc	#0				@ vcpu_sync: r0 = the error (masked: no upcall)
	cmp	r0, #L4_ERR_NOT_ACTIVE
	moveq	r5, #0
	streq	r5, [r3]
	mov	r0, r10
	mov	r7, r12
	b	gic_eoir_poke

	.ltorg
	.size previrt_glue_fast_access, . - previrt_glue_fast_access

