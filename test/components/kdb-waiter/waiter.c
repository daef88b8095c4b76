/* SPDX-License-Identifier: BSD-2-Clause */
/* Keeps a system alive through a kernel debugger session (suites `kdb`,
 * `kdb-bare`, `kdb-trace-ring`). With a serial driver (systems/kdb.sys) it
 * reads lines typed at the console (at most 512, which `kdb-trace-ring`
 * needs) until `done`, which the test types after the debugger has
 * continued; without one (systems/kdb-bare.sys: the console refuses reads)
 * it waits 500 ms of its timer. Either way it then reports that the system
 * ran on and ends with status 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>

static void ran_on(void)
{
    printf("[test] PASS kdb_system_runs_on_after_continue\n");
    exit(0);
}

void init(void)
{
    char buf[64];
    for (int i = 0; i < 512; i++) {
        if (!fgets(buf, sizeof buf, stdin)) {
            if (i == 0 && comp_timer_set(500000, 0) == 0) {
                printf("[waiter] no console input: waiting 500 ms\n");
                return; /* notified(COMP_TIMER) */
            }
            break;
        }
        if (strcmp(buf, "done\n") == 0)
            ran_on();
        printf("[waiter] ignored '%s'\n", buf);
    }
    printf("[test] FAIL kdb_system_runs_on_after_continue: no 'done' and no timer\n");
    exit(1);
}

void notified(comp_id_t id)
{
    if (id == COMP_TIMER)
        ran_on();
}
