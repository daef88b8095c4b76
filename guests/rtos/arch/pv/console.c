/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console and exit (docs/vmm.md, "The guest console"). Output goes into
 * the tx ring of the console page the VMM shares with the guest
 * (system/serial.h); at each line end the port signals the VMM, which
 * takes the bytes and passes them on to the console server. Nothing here
 * waits for the console server: a write is a few stores and, per line, one
 * signal. Only a full ring waits, for the VMM to make room (its signal on
 * GUEST_IRQ_CONSOLE), with virtual interrupts off as every caller has them;
 * interrupts that arrive meanwhile are made pending and taken afterwards.
 */
#include <system/serial.h>

#include "pv.h"

#define pv_console ((serial_queue_t *)GUEST_CONSOLE_VADDR)

static unsigned pv_console_unsignalled; /* bytes put since the last signal */

/* Tell the VMM there is output. */
void pv_console_flush(void)
{
    if (!pv_console_unsignalled)
        return;
    l4_signal(GUEST_CAP_CONSOLE_RING);
    pv_console_unsignalled = 0;
}

/* The ring is full: let the VMM take it and wait until it did. The wait
 * on the bound notification returns its bits, and at once if a line is
 * pending already (the kernel takes virq_pending: docs/vcpu.md, "Virtual
 * interrupts"), so the console's answer is never missed when it came
 * before the wait. The other lines are kept aside and made pending again
 * only after the loop (taken at the caller's port_irq_restore): made
 * pending at once, the next wait would return them again. */
static void pv_console_wait(void)
{
    l4_word_t others = 0;

    pv_console_unsignalled = 1; /* the VMM may not know of the last bytes */
    pv_console_flush();
    while (serial_ring_prepare_wait(&pv_console->tx) == 0) {
        l4_word_t bits = 0;

        l4_wait(GUEST_CAP_NTFN, &bits);
        others |= bits & ~(1u << GUEST_IRQ_CONSOLE);
    }
    if (others)
        l4_vcpu_add_pending(pv_state, others);
}

void port_console_putc(char c)
{
    port_irqflags_t flags = port_irq_save();
    uint8_t b = (uint8_t)c;

    while (serial_ring_put(&pv_console->tx, &b, 1) == 0)
        pv_console_wait();
    pv_console_unsignalled++;
    if (c == '\n')
        pv_console_flush();
    port_irq_restore(flags);
}

/* Console input (docs/vmm.md, "Console input"): the VMM puts what is typed
 * into the console page's rx ring, for the guest described with
 * `console_input = yes`, and raises GUEST_IRQ_CONSOLE; taking a byte is
 * a few loads and stores, and if the VMM waits for room (rx was full) one
 * signal tells it to read on. A guest without the input finds rx empty. */
int port_console_getc(void)
{
    port_irqflags_t flags = port_irq_save();
    uint8_t b;
    int c = -1;

    if (serial_ring_get(&pv_console->rx, &b, 1) == 1) {
        c = b;
        if (serial_ring_wake_producer(&pv_console->rx))
            l4_signal(GUEST_CAP_CONSOLE_RING);
    }
    port_irq_restore(flags);
    return c;
}

int port_console_input_line(void)
{
    return GUEST_IRQ_CONSOLE;
}

/* Tell the VMM we are done; it takes what is left in the console ring,
 * stops the vCPU and reports the status. */
void port_exit(int status)
{
    l4_msg_t m = {.info = l4_msginfo(VMM_EXIT, 0, 1)};

    l4_vcpu_irq_disable(pv_state);
    pv_console_flush();
    m.mr[0] = (uint32_t)status;
    l4_call(GUEST_CAP_VMM, &m);
    for (;;) /* not stopped (no VMM?): sleep, interrupts off */
        l4_wait(GUEST_CAP_NTFN, NULL);
}
