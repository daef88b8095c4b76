/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt handlers registered by drivers and applications. The port
 * acknowledges the line and calls rtos_kernel_irq(); handlers run in kernel
 * context with interrupts off and must not block, except that a port may
 * let a higher-priority line preempt a running handler (PORT_IRQ_NESTS):
 * every core call a handler may make is its own critical section.
 */
#include "kernel.h"

struct irq_slot {
    rtos_irq_fn fn; /* NULL: the line is not attached */
    void *arg;
    uint32_t count; /* deliveries, handled or not */
};

static struct irq_slot irq_table[PORT_IRQ_LINES];

int rtos_irq_attach(unsigned line, rtos_irq_fn fn, void *arg)
{
    port_irqflags_t flags;

    if (line >= PORT_IRQ_LINES || !fn)
        return RTOS_EINVAL;
    flags = port_irq_save();
    irq_table[line].arg = arg;
    irq_table[line].fn = fn;
    port_irq_unmask(line);
    port_irq_restore(flags);
    return RTOS_OK;
}

int rtos_irq_detach(unsigned line)
{
    port_irqflags_t flags;

    if (line >= PORT_IRQ_LINES)
        return RTOS_EINVAL;
    flags = port_irq_save();
    port_irq_mask(line);
    irq_table[line].fn = NULL;
    port_irq_restore(flags);
    return RTOS_OK;
}

int rtos_irq_trigger(unsigned line)
{
    /* Unsigned wrap-around makes this one comparison a range check. */
    if (line - PORT_IRQ_SOFT_FIRST >= PORT_IRQ_SOFT_COUNT)
        return RTOS_EINVAL;
    port_irq_trigger(line);
    return RTOS_OK;
}

/* A critical section like every core call a handler may make: the port's
 * update (natively a read-modify-write of the GIC's 4-line priority word,
 * then the nesting threshold from every line's level) must not be
 * preempted by a nested handler changing another line's priority. */
int rtos_irq_set_priority(unsigned line, unsigned prio)
{
    port_irqflags_t flags;

    if (line >= PORT_IRQ_LINES || prio >= RTOS_IRQ_PRIO_LEVELS)
        return RTOS_EINVAL;
    flags = port_irq_save();
    port_irq_set_priority(line, prio);
    port_irq_restore(flags);
    return RTOS_OK;
}

unsigned rtos_irq_mask_priority(unsigned prio)
{
    return port_irq_set_mask(prio < RTOS_IRQ_PRIO_NONE ? prio : RTOS_IRQ_PRIO_NONE);
}

uint32_t rtos_irq_count(unsigned line)
{
    return line < PORT_IRQ_LINES ? irq_table[line].count : 0;
}

void rtos_kernel_irq(unsigned line)
{
    struct irq_slot *s;

    if (line >= PORT_IRQ_LINES)
        return;
    s = &irq_table[line];
    s->count++;
    if (s->fn)
        s->fn(line, s->arg);
}
