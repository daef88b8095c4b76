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
 * instance starts on a new, empty ring, so nothing is written twice.
 *
 * Console input, for the one guest the description gives it to
 * (console_input): the console server signals the VMM (VMM_SIGNAL_INPUT)
 * when a line is ready, and the VMM reads it without waiting
 * (CONSOLE_READ_NOWAIT) into the page's rx ring, at most as much as there
 * is room for; the rest stays with the console server (and behind it the
 * serial driver and the UART) until the guest took some and signalled
 * (ring_wake_producer, GUEST_CAP_CONSOLE_RING). What the guest did not take
 * before a restart is kept (vmm_console_keep_input) and is the first
 * input of the new instance: nothing typed is lost or given twice. */
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

/* Input kept across a restart (at most one ring's worth). */
static uint8_t kept[SERIAL_RING_SIZE];
static uint32_t kept_len, kept_off;

void vmm_console_keep_input(vmm_guest_t *g)
{
    if (g->console && g->cfg->console_input && kept_len == 0) {
        kept_len = serial_ring_get(&g->console->rx, kept, sizeof kept);
        kept_off = 0;
    }
}

void vmm_console_input(vmm_guest_t *g)
{
    serial_ring_t *rx;
    char buf[CONSOLE_READ_MAX];
    l4_word_t got;
    uint32_t room;
    int put = 0;

    if (!g->console || !g->cfg->console_input)
        return;
    rx = &g->console->rx;
    while (kept_off < kept_len) { /* the previous instance's first */
        uint32_t n = serial_ring_put(rx, kept + kept_off, kept_len - kept_off);
        kept_off += n;
        put |= n != 0;
        if (n == 0 && serial_ring_prepare_wait(rx) == 0)
            goto out;
    }
    kept_len = kept_off = 0;
    for (;;) { /* at most a ring's worth: CONSOLE_READ_MAX bytes per read */
        room = ring_room(&rx->ctl, SERIAL_RING_SIZE);
        if (room == 0) {
            if (serial_ring_prepare_wait(rx) == 0)
                break; /* the guest signals once it took some */
            continue;
        }
        if (console_read_nowait(VMM_CAP_CONSOLE, buf, room < sizeof buf ? room : sizeof buf,
                                &got) ||
            got == 0)
            break;
        serial_ring_put(rx, (const uint8_t *)buf, (uint32_t)got);
        put = 1;
    }
out:
    if (put)
        l4_signal(g->console_line);
}
