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

void pv_boot(const uint32_t *info)
{
    l4_vcpu_set_entry(pv_state, (l4_word_t)(uintptr_t)pv_upcall_entry,
                      (l4_word_t)(uintptr_t)pv_kstack_top);
    if (info[GUEST_INFO_MAGIC] != GUEST_INFO_MAGIC_VALUE ||
        info[GUEST_INFO_RAM_BASE] != GUEST_RAM_BASE)
        pv_fatal("bad guest-info page", info[GUEST_INFO_MAGIC], info[GUEST_INFO_RAM_BASE]);
    for (unsigned line = 0; line < PORT_IRQ_LINES; line++)
        port_irq_set_priority(line, RTOS_IRQ_PRIO_DEFAULT);
    rtos_main(); /* (the mask is bind's: L4_VCPU_PRIO_NONE, port_irq_set_mask) */
}
