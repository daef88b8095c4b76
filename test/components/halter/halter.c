/* SPDX-License-Identifier: BSD-2-Clause */
/* Machine control is granted, never assumed (systems/components-machine.sys):
 * `denied` (no `machine` key) must fail to stop the machine and reports;
 * `halter` (machine = yes) waits for that report on its channel, then
 * stops the machine with status 7, which QEMU returns. */
#include <stdio.h>
#include <string.h>
#include <component.h>

#define CHANNEL 0

void init(void)
{
    if (strcmp(comp_name(), "denied") == 0) {
        l4_word_t err = comp_machine_shutdown(9);
        printf("[test] %s machine_shutdown_needs_the_granted_capability\n",
               err == L4_ERR_FAILED_LOOKUP ? "PASS" : "FAIL");
        comp_notify(CHANNEL);
    }
}

void notified(comp_id_t id)
{
    if (id != CHANNEL)
        return;
    printf("stopping the machine with status 7\n");
    comp_machine_shutdown(7);
    printf("[test] FAIL machine_shutdown_returned\n");
}
