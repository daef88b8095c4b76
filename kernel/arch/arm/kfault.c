/* SPDX-License-Identifier: BSD-2-Clause */
/* Report an exception taken in a privileged mode (a kernel bug) and stop. */
#include <arch.h>
#include <arch/cpu.h>
#include <panic.h>
#include <printk.h>

static const char *const kfault_names[] = {
    "reset",      "undefined instruction", "svc", "prefetch abort",
    "data abort", "reserved vector",       "irq", "fiq",
};

/* regs: r0-r12 as saved by vectors.S; lr: exception return address. */
NORETURN void arm_kernel_fault(uint32_t kind, const uint32_t *regs, uint32_t lr, uint32_t spsr)
{
    /* Return-address offsets (ARM ARM B1.8.3): undef +4, pabt +4, dabt +8. */
    uint32_t pc = lr - (kind == 4 ? 8 : kind == 1 || kind == 3 ? 4 : 0);
    printk("\n*** KERNEL FAULT: %s in mode 0x%x at pc 0x%08x\n", kfault_names[kind & 7],
           spsr & PSR_MODE_MASK, pc);
    printk("    DFSR 0x%08x DFAR 0x%08x IFSR 0x%08x IFAR 0x%08x SPSR 0x%08x\n", cp15_read_dfsr(),
           cp15_read_dfar(), cp15_read_ifsr(), cp15_read_ifar(), spsr);
    for (int i = 0; i < 13; i++)
        printk("    r%-2d 0x%08x%s", i, regs[i], (i % 4 == 3) ? "\n" : "");
    printk("\n");
    panic("kernel fault");
}
