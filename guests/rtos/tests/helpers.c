/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test helpers: a pool of helper tasks, the event log and failure records.
 */
#include "test.h"

#define HELPER_MAX 6
#define HELPER_STACK 2048
#define HELPER_JOIN_TICKS 2000u
#define LOG_MAX 64

static rtos_task_t helper[HELPER_MAX];
static uint64_t helper_stack[HELPER_MAX][HELPER_STACK / 8];
static bool helper_live[HELPER_MAX];

static char log_buf[LOG_MAX + 1];
static unsigned log_len;

/* The failure of the running test, read by main.c. */
bool test_failed;
int test_fail_line;
const char *test_fail_what;
long test_fail_got, test_fail_want;
bool test_fail_values;
const char *test_fail_log_want;

void test_fail(int line, const char *what, long got, long want, bool values)
{
    if (test_failed)
        return;
    test_failed = true;
    test_fail_line = line;
    test_fail_what = what;
    test_fail_got = got;
    test_fail_want = want;
    test_fail_values = values;
    test_fail_log_want = NULL;
}

void test_fail_log(int line, const char *want)
{
    test_fail(line, "event log", 0, 0, false);
    test_fail_log_want = want;
}

rtos_task_t *spawn(const char *name, unsigned prio, void (*fn)(void *), void *arg)
{
    for (unsigned i = 0; i < HELPER_MAX; i++) {
        if (helper_live[i])
            continue;
        helper_live[i] = true;
        if (rtos_task_create(&helper[i], name, prio, fn, arg, helper_stack[i], HELPER_STACK) ==
            RTOS_OK)
            return &helper[i];
        helper_live[i] = false;
        break;
    }
    test_fail(__LINE__, "spawn: no helper slot", 0, 0, false);
    return NULL;
}

void join_all(void)
{
    for (unsigned i = 0; i < HELPER_MAX; i++) {
        if (!helper_live[i])
            continue;
        if (rtos_task_join(&helper[i], HELPER_JOIN_TICKS, NULL) != RTOS_OK)
            test_fail(__LINE__, "helper task did not finish", 0, 0, false);
        else
            helper_live[i] = false;
    }
}

void log_reset(void)
{
    log_len = 0;
    log_buf[0] = '\0';
}

void log_char(char c)
{
    port_irqflags_t flags = port_irq_save();

    if (log_len < LOG_MAX) {
        log_buf[log_len++] = c;
        log_buf[log_len] = '\0';
    }
    port_irq_restore(flags);
}

const char *log_get(void)
{
    return log_buf;
}
