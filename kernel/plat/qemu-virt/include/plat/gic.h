/* SPDX-License-Identifier: BSD-2-Clause */
/* The GICv2 operations of every interrupt (ARM IHI 0048B), inline: the
 * interrupt paths (core/irq.c, core/vcpu_fast.c) and the acknowledgement
 * of routed lines in every resume (object/vcpu_state.h) make them, and a
 * call costs as much as the access. platform.h declares the rest of the
 * controller's interface; gic.c sets it up. */
#pragma once
#include <types.h>
#include <plat/io.h>
#include <plat/plat.h>

#define GICD_ISENABLER(n) (0x100 + 4 * (n))
#define GICD_ICENABLER(n) (0x180 + 4 * (n))
#define GICC_IAR 0x0C
#define GICC_EOIR 0x10

/* The INTID of the highest pending interrupt, acknowledged at the
 * controller (one read of GICC_IAR), or PLAT_IRQ_NONE (1023: INTIDs
 * 1020-1023 are special, none is a line). */
static inline uint32_t plat_irq_claim(void)
{
    uint32_t irq = io_read32(PLAT_GICC_VADDR + GICC_IAR) & 0x3ff;
    return irq >= 1020 ? PLAT_IRQ_NONE : irq;
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
