/* SPDX-License-Identifier: BSD-2-Clause */
/* Counts 50 ticks of a 1 ms periodic timer, printing every 10: progress
 * that a misbehaving guest must not stop. Ends with status 0 when done. */
#include <stdio.h>
#include <stdlib.h>
#include <component.h>

static unsigned ticks;

void init(void)
{
    if (comp_timer_set(1000, 1) != 0) {
        printf("[test] FAIL native_progress: no timer\n");
        exit(1);
    }
}

void notified(comp_id_t id)
{
    if (id != COMP_TIMER)
        return;
    if (++ticks % 10 == 0)
        printf("%s: progress %u\n", comp_name(), ticks);
    if (ticks == 50) {
        comp_timer_set(0, 0);
        printf("[test] PASS native_progress\n");
        exit(0);
    }
}
