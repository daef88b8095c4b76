/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Channels (port.h, optional device), paravirtualised: the VMM maps channel
 * i's shared page at GUEST_CHAN_VADDR + 4 KiB * i, the peer's signals arrive
 * on virtual line GUEST_INFO_LINE_CHAN + i, and signalling the peer is one l4_signal
 * on GUEST_CAP_CHAN + i (docs/vmm.md). The count, the ids and this guest's
 * end of each channel (the ring of the page it produces into,
 * system/channel.h) come from the read-only guest-info page. No trap
 * except the signal.
 */
#include "pv.h"

#define pv_info ((const volatile uint32_t *)GUEST_INFO_VADDR)

unsigned port_chan_count(void)
{
    uint32_t n = pv_info[GUEST_INFO_NCHANNELS];

    return n < GUEST_MAX_CHANNELS ? n : GUEST_MAX_CHANNELS;
}

void *port_chan_page(unsigned i)
{
    return (void *)(uintptr_t)(GUEST_CHAN_VADDR + 4096u * i);
}

unsigned port_chan_line(unsigned i)
{
    return pv_irq_chan_first + i;
}

uint32_t port_chan_self(void)
{
    return pv_info[GUEST_INFO_ID];
}

uint32_t port_chan_peer(unsigned i)
{
    return pv_info[GUEST_INFO_CHAN_PEER + i];
}

unsigned port_chan_end(unsigned i)
{
    return pv_info[GUEST_INFO_CHAN_END + i] & 1u;
}

void port_chan_signal(unsigned i)
{
    l4_signal(GUEST_CAP_CHAN + i);
}
