/* SPDX-License-Identifier: BSD-2-Clause */
/* GICv2 distributor and CPU interface (ARM IHI 0048B). Single core: every SPI
 * is routed to CPU 0. All interrupts are Group 0 with one priority, so the
 * kernel never nests interrupts (it runs with IRQs masked anyway). The
 * operations of each interrupt (claim, end, mask, unmask) are inline in
 * <plat/gic.h>. */
#include <platform.h>
#include <plat/io.h>

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ICPENDR(n) (0x280 + 4 * (n))
#define GICD_IPRIORITYR(n) (0x400 + 4 * (n))
#define GICD_ITARGETSR(n) (0x800 + 4 * (n))
#define GICD_ICFGR(n) (0xC00 + 4 * (n))

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_HPPIR 0x18

#define GIC_PRIO_DEFAULT 0xA0u

static uint32_t gic_lines; /* number of INTIDs the distributor implements */

void plat_irq_init(void)
{
    io_write32(PLAT_GICD_VADDR + GICD_CTLR, 0);
    gic_lines = 32 * ((io_read32(PLAT_GICD_VADDR + GICD_TYPER) & 0x1f) + 1);
    if (gic_lines > PLAT_IRQ_MAX)
        gic_lines = PLAT_IRQ_MAX;
    for (uint32_t i = 0; i < gic_lines / 32; i++) {
        io_write32(PLAT_GICD_VADDR + GICD_ICENABLER(i), 0xffffffffu);
        io_write32(PLAT_GICD_VADDR + GICD_ICPENDR(i), 0xffffffffu);
    }
    for (uint32_t i = 0; i < gic_lines / 4; i++) {
        io_write32(PLAT_GICD_VADDR + GICD_IPRIORITYR(i), GIC_PRIO_DEFAULT * 0x01010101u);
        if (i >= PLAT_IRQ_FIRST_SPI / 4)
            io_write32(PLAT_GICD_VADDR + GICD_ITARGETSR(i), 0x01010101u);
    }
    io_write32(PLAT_GICD_VADDR + GICD_CTLR, 1);
    io_write32(PLAT_GICC_VADDR + GICC_PMR, 0xff);
    io_write32(PLAT_GICC_VADDR + GICC_CTLR, 1);
}

/* GICv2 INTIDs: 0-15 SGIs (software-generated, the kernel's for SMP), 16-31
 * PPIs (per-core peripherals: the timers, the PMU and maintenance lines),
 * 32.. SPIs (the devices). User level may own the lines devices.def's
 * `irqs` lines give it (the SPIs: no SGI and no PPI, the per-core timers
 * included, the virtual timer too since PL0 may not program it), if the
 * distributor has them. sysgen checks descriptions against the same
 * lines. */
bool plat_irq_user_ok(uint32_t irq)
{
    return irq < gic_lines && irq < PLAT_IRQ_MAX &&
           ((plat_irq_user_lines[irq / 32] >> (irq % 32)) & 1u);
}

bool plat_irq_pending(void)
{
    return (io_read32(PLAT_GICC_VADDR + GICC_HPPIR) & 0x3ff) < 1020;
}
