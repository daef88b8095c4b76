/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest console (docs/vmm.md, "The guest console"): the guest puts its
 * output into the tx ring of its console page (a serial_queue_t shared
 * with the VMM, system/serial.h) and signals the VMM's notification; the
 * VMM takes the bytes and writes them to the console server under the
 * guest's badge, then signals the guest's GUEST_IRQ_CONSOLE line if the
 * guest waits for room. The guest never waits for the console server: it
 * waits only when its ring is full, and then only for the VMM.
 *
 * The VMM takes at most one ring's worth per signal, so a guest that keeps
 * refilling cannot hold the VMM in one drain; the guest signals after
 * every put, so what is left comes with the next signal. Everything the
 * guest published is written before the VMM reports the guest's end or
 * builds it anew (vmm_console_drain from the loop, the fault and exit
 * paths and vmm_guest_destroy): a restart loses nothing, and the new
 * instance starts on a new, empty ring, so nothing is written twice. */
#include <system/console.h>
#include <system/serial.h>
#include "vmm.h"

void vmm_console_drain(vmm_guest_t *g)
{
    uint8_t buf[CONSOLE_WRITE_MAX];
    serial_ring_t *tx;
    l4_word_t taken = 0, n;

    if (!g->console)
        return;
    tx = &g->console->tx;
    while (taken < SERIAL_RING_SIZE && (n = serial_ring_get(tx, buf,
                                                            sizeof buf < SERIAL_RING_SIZE - taken
                                                                ? sizeof buf
                                                                : SERIAL_RING_SIZE - taken)) != 0) {
        console_write(VMM_CAP_G_CONSOLE, (const char *)buf, n);
        taken += n;
    }
    if (taken && serial_ring_wake_producer(tx))
        l4_signal(g->console_line);
}
