/* SPDX-License-Identifier: BSD-2-Clause */
/* Answers every call with how often it was called, and writes who called
 * on the board, a region it shares with its clients (docs/components.md). */
#include <stdio.h>
#include <component.h>

char *board; /* the shared region: the root task writes its address here */
static unsigned calls;

void init(void)
{
    printf("hello server up\n"); /* a line tagged [hello] on the console */
}

comp_msginfo_t protected(comp_id_t id, l4_word_t badge, comp_msginfo_t info)
{
    (void)id, (void)info;
    calls++;
    snprintf(board, 64, "call %u came from badge %lu", calls, (unsigned long)badge);
    comp_mr_set(0, calls); /* the reply: one word */
    return comp_msginfo(0, 1);
}
