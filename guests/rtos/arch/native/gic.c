/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GICv2 distributor and CPU interface (ARM IHI 0048B). Single CPU: SPIs
 * target CPU 0, SGIs go to "this CPU". All lines start at one priority,
 * which port_irq_set_priority changes; GICC_PMR is the RTOS's priority
 * mask (port_irq_set_mask). Interrupts preempt one another with the port
 * option NATIVE_IRQ_NEST (trap.c, on by default): the running priority
 * GICC_IAR sets holds off the same and lower levels until the EOI. QEMU
 * virt without security extensions: everything is in
 * group 0 and GICC_CTLR bit 0 enables it.
 */
#include <rtos/rtos.h>

#include "board.h"
#include "cpu.h"

#define GICD_CTLR 0x000u
#define GICD_TYPER 0x004u
#define GICD_ISENABLER 0x100u
#define GICD_ICENABLER 0x180u
#define GICD_ICPENDR 0x280u
#define GICD_IPRIORITYR 0x400u
#define GICD_ITARGETSR 0x800u
#define GICD_ICFGR 0xc00u
#define GICD_SGIR 0xf00u
#define GICD_SGIR_SELF (2u << 24) /* TargetListFilter: this CPU */

#define GICC_CTLR 0x00u
#define GICC_PMR 0x04u
#define GICC_BPR 0x08u
#define GICC_IAR 0x0cu
#define GICC_EOIR 0x10u

#define GIC_PRIO_DEFAULT (RTOS_IRQ_PRIO_DEFAULT << 4) /* all lines at boot */
#define GIC_PMR_ALL (RTOS_IRQ_PRIO_NONE << 4)         /* masks no level in use */

static uintptr_t gicd(uint32_t off)
{
    return BOARD_GICD_BASE + off;
}

static uintptr_t gicc(uint32_t off)
{
    return BOARD_GICC_BASE + off;
}

void native_gic_init(void)
{
    unsigned lines = 32 * ((mmio_read32(gicd(GICD_TYPER)) & 0x1f) + 1);

    mmio_write32(gicd(GICD_CTLR), 0);
    for (unsigned i = 0; i < lines; i += 32) {
        mmio_write32(gicd(GICD_ICENABLER + i / 8), ~0u);
        mmio_write32(gicd(GICD_ICPENDR + i / 8), ~0u);
    }
    for (unsigned i = 0; i < lines; i += 4) {
        mmio_write32(gicd(GICD_IPRIORITYR + i), GIC_PRIO_DEFAULT * 0x01010101u);
        if (i >= 32) /* SPIs: deliver to CPU 0 */
            mmio_write32(gicd(GICD_ITARGETSR + i), 0x01010101u);
    }
    mmio_write32(gicd(GICD_CTLR), 1);
    mmio_write32(gicc(GICC_PMR), GIC_PMR_ALL);
    mmio_write32(gicc(GICC_BPR), 0);
    mmio_write32(gicc(GICC_CTLR), 1);
}

/* Acknowledge the highest pending interrupt; 1020..1023 mean none. */
uint32_t native_gic_ack(void)
{
    return mmio_read32(gicc(GICC_IAR));
}

/* End it; iar is the unmodified IAR value (it carries the SGI source). */
void native_gic_eoi(uint32_t iar)
{
    mmio_write32(gicc(GICC_EOIR), iar);
}

/* Int_config bit 1 of the line's two bits (IHI 0048B 4.3.13): edge. */
void native_gic_set_edge(unsigned line)
{
    uintptr_t r = gicd(GICD_ICFGR + (line / 16) * 4);

    mmio_write32(r, mmio_read32(r) | (2u << (2 * (line % 16))));
}

void port_irq_unmask(unsigned line)
{
    mmio_write32(gicd(GICD_ISENABLER + (line / 32) * 4), 1u << (line % 32));
}

void port_irq_mask(unsigned line)
{
    mmio_write32(gicd(GICD_ICENABLER + (line / 32) * 4), 1u << (line % 32));
}

/* The line's GICD_IPRIORITYR byte is level << 4 (16 levels: the upper
 * bits every GIC implements). Read-modify-write of its word. */
void port_irq_set_priority(unsigned line, unsigned prio)
{
    uintptr_t r = gicd(GICD_IPRIORITYR + (line & ~3u));
    unsigned shift = 8 * (line % 4);

    mmio_write32(r, (mmio_read32(r) & ~(0xffu << shift)) | ((prio << 4) << shift));
    native_irq_prio_set(line, prio);
}

/* GICC_PMR = level << 4: a line is signalled iff its priority is below. */
static unsigned gic_mask = RTOS_IRQ_PRIO_NONE;

unsigned port_irq_set_mask(unsigned prio)
{
    unsigned old = gic_mask;

    gic_mask = prio;
    cpu_dsb(); /* critical-section stores before a higher mask drops */
    mmio_write32(gicc(GICC_PMR), prio << 4);
    cpu_dsb();
    cpu_isb(); /* a line it unmasks is taken here */
    return old;
}

void port_irq_trigger(unsigned line)
{
    cpu_dsb(); /* the handler must see our earlier stores */
    mmio_write32(gicd(GICD_SGIR), GICD_SGIR_SELF | (line & 0xf));
}
