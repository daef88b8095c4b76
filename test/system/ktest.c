/* SPDX-License-Identifier: BSD-2-Clause */
/* Test runner: the root task of the system-test image. */
#include <setjmp.h>
#include <stdio.h>
#include "ktest.h"

extern const ktest_t __start_ktests[], __stop_ktests[];

static jmp_buf ktest_jmp;

/* Optional (util.c): runs after every test, passed or failed, and reclaims
 * what the test created so that one test's threads and objects never leak
 * into the next. */
void ktest_after_each(void) __attribute__((weak));
static const ktest_t *ktest_current;

void ktest_fail(const char *file, int line, const char *expr, unsigned long a, unsigned long b)
{
    printf("[test] FAIL %s: %s:%d: %s (0x%lx, 0x%lx)\n", ktest_current->name, file, line, expr, a,
           b);
    longjmp(ktest_jmp, 1);
}

/* Counters live in static storage: longjmp may clobber locals. */
static unsigned passed, failed;

static void ktest_run(const ktest_t *t)
{
    ktest_current = t;
    if (setjmp(ktest_jmp) == 0) {
        t->fn();
        printf("[test] PASS %s\n", t->name);
        passed++;
    } else {
        failed++;
    }
    if (ktest_after_each)
        ktest_after_each();
}

int main(void)
{
    for (const ktest_t *t = __start_ktests; t < __stop_ktests; t++)
        ktest_run(t);
    printf("[test] %u passed, %u failed\n", passed, failed);
    printf("[test] DONE\n");
    return failed ? 1 : 0;
}
