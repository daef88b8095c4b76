/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The RTOS demo application (systems/demo.sys): tasks that print, pass
 * messages through an RTOS queue, and ping a peer over every channel the
 * machine has (port.h, port_chan_*). Runs on any port; without channels
 * (the native port) only the local part runs. Ends with port_exit(0) if
 * every exchange completed.
 */
#ifndef DEMO_H
#define DEMO_H

#include <rtos/rtos.h>

#define DEMO_ROUNDS 3     /* pings per channel */
#define DEMO_TIMEOUT 5000 /* ticks to wait for a peer */

/* pingpong.c: one task per channel; returns how many were started. */
unsigned demo_channels_start(void);
/* The exit code of the channel tasks: 0 if all exchanges completed. */
int demo_channels_join(void);

#endif
