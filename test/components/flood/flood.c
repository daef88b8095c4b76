/* SPDX-License-Identifier: BSD-2-Clause */
/* Floods the console (systems/uart.sys, suite `uart`): FLOOD_LINES numbered
 * lines of 80 characters, far more than the serial ring holds, written
 * from a priority above the UART driver's, so the console server finds the
 * ring full again and again and must wait for the driver. The suite checks
 * that every line arrived, whole and in order. */
#include <stdio.h>
#include <stdlib.h>
#include <component.h>

#define FLOOD_LINES 1500

void init(void)
{
    for (int i = 0; i < FLOOD_LINES; i++)
        printf("flood %04d %s %08x\n", i,
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
               (unsigned)(i * 0x9e3779b1u));
    printf("[test] PASS flood_wrote_%d_lines\n", FLOOD_LINES);
    exit(0);
}
