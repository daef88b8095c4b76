/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The layout the GIC's short path and the IRQ entry in assembly
 * (gicshort.S, irqentry.S) read and write: offsets in previrt_l4 (l4glue.h), whose first member is the area
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

#ifndef __ASSEMBLY__
#include <stdint.h>

/* gicdev.c: the physical lines' INTIDs as a bitmap, once built. */
extern uint32_t previrt_gicdev_phys[4];
extern uint32_t previrt_gicdev_phys_built;
#endif

#endif
