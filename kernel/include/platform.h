/* SPDX-License-Identifier: BSD-2-Clause */
/* The board interface: everything generic code may ask of the platform
 * directory (kernel/plat/<board>/). */
#pragma once
#include <types.h>
#include <plat/plat.h>
#include <plat/timer.h>

/* Device MMIO ranges of the board (generated from plat/<board>/devices.def
 * by tools/sysgen/platgen.py): each becomes
 * device untypeds of the root task. Page-aligned; the kernel's own devices
 * (the interrupt controller) are not among them. */
typedef struct {
    const char *name;
    paddr_t base;
    word_t size; /* bytes, a multiple of 4 KiB */
} plat_device_t;
extern const plat_device_t plat_devices[];
extern const unsigned plat_device_count;
/* The interrupt lines user level may own, from devices.def's `irqs` lines
 * (generated with plat_devices): bit n % 32 of word n / 32. */
extern const uint32_t plat_irq_user_lines[(PLAT_IRQ_MAX + 31) / 32];

void plat_console_init(void);
void plat_console_putc(char c);
/* The next character received, or -1 if none is waiting (polled; the
 * kernel debugger's input only, debug configuration: the receive side
 * otherwise belongs to the user-level driver). */
int plat_console_getc(void);
/* Empty the receive FIFO (bounded); true if it held a break (debug
 * configuration, while no driver owns the console's input). */
bool plat_console_break(void);

void plat_irq_init(void);
/* plat_irq_claim() returns the INTID of the highest pending interrupt,
 * acknowledging it at the controller, or PLAT_IRQ_NONE. Every acknowledged
 * INTID must be passed to plat_irq_eoi() exactly once. plat_irq_mask(irq),
 * plat_irq_unmask(irq). Inline, from the board's <plat/gic.h>. */
#define PLAT_IRQ_NONE 1023u
#include <plat/gic.h>
/* A line user level may own through IRQ control: one wired to a device
 * (or the timer the board leaves to user level), never the kernel's own
 * lines or the software-generated ones. */
bool plat_irq_user_ok(uint32_t irq);
/* True if an enabled interrupt is pending at the controller. */
bool plat_irq_pending(void);

/* The kernel's one physical timer, programmed for the earlier of the
 * kernel's own tick and the earliest vCPU timer (object/vcpu_timer.c). */
void plat_timer_init(void);
/* plat_timer_now(), plat_timer_tick_due(now), plat_timer_program(deadline):
 * inline, in <plat/timer.h>. The counter's frequency in Hz: */
word_t plat_timer_freq(void);
/* us microseconds in counter ticks. */
word_t plat_timer_us_to_ticks(word_t us);
