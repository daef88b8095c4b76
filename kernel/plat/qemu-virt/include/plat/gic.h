/* SPDX-License-Identifier: BSD-2-Clause */
/* The GICv2 operations of every interrupt (ARM IHI 0048B), inline: the
 * interrupt paths (core/irq.c, core/vcpu_fast.c) and the acknowledgement
 * of routed lines in every resume (object/vcpu_state.h) make them, and a
 * call costs as much as the access. platform.h declares the rest of the
 * controller's interface; gic.c sets it up. */
#pragma once
#include <plat/plat.h>

/* Register offsets (the C operations below, the assembly ones after them). */
#define GICD_ISENABLER(n) (0x100 + 4 * (n))
#define GICD_ICENABLER(n) (0x180 + 4 * (n))
#define GICC_IAR 0x0C
#define GICC_EOIR 0x10
#define GIC_INTID_MASK 0x3ff     /* GICC_IAR's INTID field */
#define GIC_INTID_SPECIAL 1020   /* INTIDs from here on are no line */

#ifndef __ASSEMBLY__
#include <types.h>
#include <plat/io.h>

/* The INTID of the highest pending interrupt, acknowledged at the
 * controller (one read of GICC_IAR), or PLAT_IRQ_NONE (1023: INTIDs
 * 1020-1023 are special, none is a line). */
static inline uint32_t plat_irq_claim(void)
{
    uint32_t irq = io_read32(PLAT_GICC_VADDR + GICC_IAR) & GIC_INTID_MASK;
    return irq >= GIC_INTID_SPECIAL ? PLAT_IRQ_NONE : irq;
}

static inline void plat_irq_eoi(uint32_t irq)
{
    io_write32(PLAT_GICC_VADDR + GICC_EOIR, irq);
}

static inline void plat_irq_mask(uint32_t irq)
{
    io_write32(PLAT_GICD_VADDR + GICD_ICENABLER(irq / 32), BIT(irq % 32));
}

static inline void plat_irq_unmask(uint32_t irq)
{
    io_write32(PLAT_GICD_VADDR + GICD_ISENABLER(irq / 32), BIT(irq % 32));
}
#endif

#ifdef __ASSEMBLY__
/* The same operations for the assembly vCPU paths (arch/arm/vcpu_entry.S),
 * the same register accesses as the C ones. \gicc and \gicd
 * hold the base addresses (PLAT_GICC_BASE_ASM, PLAT_GICD_BASE_ASM); the other arguments but
 * \irq are scratch. */
.macro PLAT_GICC_BASE_ASM gicc
    ldr     \gicc, =PLAT_GICC_VADDR
.endm
.macro PLAT_GICD_BASE_ASM gicd
    ldr     \gicd, =PLAT_GICD_VADDR
.endm
/* \irq = GICC_IAR's INTID (acknowledged): plat_irq_claim, except that an
 * INTID of GIC_INTID_SPECIAL or above is left as read (no line). */
.macro PLAT_IRQ_CLAIM_ASM irq, gicc
    ldr     \irq, [\gicc, #GICC_IAR]
    ubfx    \irq, \irq, #0, #10           @ & GIC_INTID_MASK
.endm
.macro PLAT_IRQ_EOI_ASM irq, gicc
    str     \irq, [\gicc, #GICC_EOIR]
.endm
/* GICD_ICENABLER(irq / 32) or GICD_ISENABLER(irq / 32) = BIT(irq % 32):
 * \t1 = the bit, \t2 = GICD + 4 * (irq / 32). */
.macro PLAT_IRQ_BIT_ASM irq, gicd, t1, t2
    and     \t1, \irq, #31
    mov     \t2, #1
    lsl     \t1, \t2, \t1                 @ BIT(irq % 32)
    lsr     \t2, \irq, #5
    add     \t2, \gicd, \t2, lsl #2
.endm
.macro PLAT_IRQ_MASK_ASM irq, gicd, t1, t2
    PLAT_IRQ_BIT_ASM \irq, \gicd, \t1, \t2
    str     \t1, [\t2, #GICD_ICENABLER(0)]
.endm
.macro PLAT_IRQ_UNMASK_ASM irq, gicd, t1, t2
    PLAT_IRQ_BIT_ASM \irq, \gicd, \t1, \t2
    str     \t1, [\t2, #GICD_ISENABLER(0)]
.endm
#endif
