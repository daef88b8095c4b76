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
