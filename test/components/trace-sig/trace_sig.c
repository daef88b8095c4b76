/* SPDX-License-Identifier: BSD-2-Clause */
/* Answers each signal of the trace server with one of its own
 * (systems/trace-paths.sys). It has the server's priority, so the
 * server's two signals leave it runnable with the second pending: its
 * next wait returns those bits at once. After two it ends. */
#include <stdio.h>
#include <stdlib.h>
#include <component.h>

#define KICK 0 /* its id for the channel to the server */

static int seen;

void init(void) {}

void notified(comp_id_t id)
{
    comp_notify(id);
    if (id == KICK && ++seen == 2) {
        printf("[test] PASS trace_paths_signals_answered\n");
        exit(0);
    }
}
