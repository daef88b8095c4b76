/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * C entry of the paravirtual port, called by start.S on the boot stack
 * with .bss zeroed and virtual interrupts off. The VMM has done what the
 * native port's boot does itself (MMU, devices); all that is left is to
 * register the upcall entry and to start the interrupt priorities where
 * the native GIC driver does (every line at RTOS_IRQ_PRIO_DEFAULT), so
 * that a priority mask holds off the same lines natively and as a guest.
 */
#include "pv.h"

/* The virtual lines sysgen laid out for this guest (docs/vmm.md, "Virtual
 * interrupt lines"): software lines for PORT_IRQ_SOFT_*, physical lines
 * for the acknowledgement after their handler (pv_irq_dispatch), the
 * channels' first line. A layout that does not fit in the 32 lines is the
 * VMM's bug: stop. */
static void pv_irq_lines_init(const uint32_t *info)
{
    uint32_t soft = info[GUEST_INFO_LINE_SOFT], nsoft = info[GUEST_INFO_NSOFT];
    uint32_t phys = info[GUEST_INFO_LINE_PHYS], nphys = info[GUEST_INFO_NIRQS];

    if (nsoft > GUEST_MAX_SOFT || soft > GUEST_LINES - nsoft || nphys > GUEST_MAX_IRQS ||
        phys > GUEST_LINES - nphys)
        pv_fatal("bad virtual line layout", soft, phys);
    pv_irq_soft.first = soft;
    pv_irq_soft.count = nsoft;
    pv_irq_phys_lines = nphys ? (uint32_t)(((1ull << nphys) - 1) << phys) : 0;
    pv_irq_chan_first = info[GUEST_INFO_LINE_CHAN];
}

void pv_boot(const uint32_t *info)
{
    l4_vcpu_set_entry(pv_state, (l4_word_t)(uintptr_t)pv_upcall_entry,
                      (l4_word_t)(uintptr_t)pv_kstack_top);
    if (info[GUEST_INFO_MAGIC] != GUEST_INFO_MAGIC_VALUE ||
        info[GUEST_INFO_RAM_BASE] != GUEST_RAM_BASE)
        pv_fatal("bad guest-info page", info[GUEST_INFO_MAGIC], info[GUEST_INFO_RAM_BASE]);
    pv_irq_lines_init(info);
    for (unsigned line = 0; line < PORT_IRQ_LINES; line++)
        port_irq_set_priority(line, RTOS_IRQ_PRIO_DEFAULT);
    rtos_main(); /* (the mask is bind's: L4_VCPU_PRIO_NONE, port_irq_set_mask) */
}
