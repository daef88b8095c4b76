/* SPDX-License-Identifier: BSD-2-Clause */
/* A native component's use of newlib. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ktest.h"

TEST(newlib_snprintf_and_malloc)
{
    char *p = malloc(100);
    CHECK(p != NULL);
    int n = snprintf(p, 100, "%s-%d-%x", "abc", -42, 0xbeef);
    CHECK_EQ(n, 12);
    CHECK(strcmp(p, "abc--42-beef") == 0);
    char *q = malloc(4000);
    CHECK(q != NULL && q != p);
    memset(q, 0x5a, 4000);
    free(p);
    free(q);
}

TEST(newlib_malloc_exhaustion_returns_null)
{
    void *p = malloc(16u << 20); /* more than the heap */
    CHECK(p == NULL);
}

/* _exit() in a thread that declared its TCB stops only that thread. (Not
 * exit(): that also runs this program's atexit handlers and closes its
 * stdio, which this thread shares with the test runner.) */
#include "util.h"

void _exit(int status);

static void exiting_thread(util_thread_t *t)
{
    l4_set_self_tcb(t->tcb);
    t->r[0] = 1;
    _exit(7);
    t->r[0] = 2; /* not reached */
}

TEST(newlib_exit_in_a_thread_stops_only_that_thread)
{
    util_root_lower();
    util_thread_t *t = util_thread_run(exiting_thread, UTIL_PRIO_HIGH);
    CHECK_EQ(t->r[0], 1);
    CHECK_EQ(t->done, 0); /* stopped inside exit(), never returned */
    l4_word_t regs[1];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, 1, regs), L4_ERR_OK);
}
