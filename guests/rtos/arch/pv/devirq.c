/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The on-demand device interrupt (port.h). A guest can be given a physical
 * line (docs/vmm.md) but not yet the device's registers, which it needs to
 * raise and lower the line: so this port offers none.
 */
#include "pv.h"

int port_devirq_line(void)
{
    return -1;
}

void port_devirq_raise(void)
{
    pv_fatal("no device interrupt", 0, 0);
}

void port_devirq_clear(void)
{
    pv_fatal("no device interrupt", 0, 0);
}
