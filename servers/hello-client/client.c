/* SPDX-License-Identifier: BSD-2-Clause */
/* Calls the hello server once and reads the board (docs/components.md). */
#include <stdio.h>
#include <stdlib.h>
#include <component.h>

#define SERVER 0   /* its id for the endpoint: the lowest free one */
const char *board; /* the shared region, read-only here */

void init(void)
{
    comp_msginfo_t info = comp_msginfo(1, 0); /* label 1, no words */
    if (comp_call(SERVER, &info) != L4_ERR_OK)
        exit(1);
    printf("call number %lu; the board says '%s'\n", (unsigned long)comp_mr_get(0), board);
    exit(0); /* ends this component only */
}
