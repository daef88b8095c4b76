/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Channels (port.h, optional device): bare QEMU has no peer to talk to, so
 * the native port reports none and the other functions are never called.
 */
#include <rtos/rtos.h>

unsigned port_chan_count(void)
{
    return 0;
}

void *port_chan_page(unsigned i)
{
    return NULL;
}

unsigned port_chan_line(unsigned i)
{
    return 0;
}

uint32_t port_chan_self(void)
{
    return 0;
}

uint32_t port_chan_peer(unsigned i)
{
    return 0;
}

unsigned port_chan_end(unsigned i)
{
    return 0;
}

void port_chan_signal(unsigned i) {}
