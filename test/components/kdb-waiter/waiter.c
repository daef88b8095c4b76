/* SPDX-License-Identifier: BSD-2-Clause */
/* Keeps systems/kdb.sys (suite `kdb`) alive through a kernel debugger
 * session: it reads lines typed at the console until `done`, which the
 * test types after the debugger has continued, and then checks that the
 * system ran on: the console still answers. Ends with status 0 if so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>

void init(void)
{
    char buf[64];
    for (int i = 0; i < 16; i++) {
        if (!fgets(buf, sizeof buf, stdin))
            break;
        if (strcmp(buf, "done\n") == 0) {
            printf("[test] PASS kdb_system_runs_on_after_continue\n");
            exit(0);
        }
        printf("[waiter] ignored '%s'\n", buf);
    }
    printf("[test] FAIL kdb_system_runs_on_after_continue: no 'done'\n");
    exit(1);
}
