/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The RTOS test framework. Each tests/<feature>_test.c defines test
 * functions and registers them with TEST_SUITE(); main.c runs every suite
 * from the master task (priority TEST_PRIO) and prints one line per test:
 *   [test] PASS name | [test] FAIL name: reason
 * then "[test] DONE" and exits through the port (status 0 iff all passed).
 *
 * A test must leave no helper task running and no timer active: helpers
 * are spawned with spawn() and reaped by join_all(), which main.c also
 * calls after every test.
 */
#ifndef RTOS_TEST_H
#define RTOS_TEST_H

#include <rtos/rtos.h>

#define TEST_PRIO 16u

typedef struct test_case {
    const char *name;
    void (*fn)(void);
} test_case_t;

typedef struct test_suite {
    const test_case_t *cases;
    unsigned count;
} test_suite_t;

#define TEST_CASE(fn)                                                                              \
    {                                                                                              \
#fn, fn                                                                                    \
    }
#define TEST_SUITE(var, ...)                                                                       \
    static const test_case_t var##_cases[] = {__VA_ARGS__};                                        \
    const test_suite_t var = {var##_cases, sizeof(var##_cases) / sizeof(var##_cases[0])}

/* Record the first failure of the running test. */
void test_fail(int line, const char *what, long got, long want, bool values);

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            test_fail(__LINE__, #c, 0, 0, false);                                                  \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long a_ = (long)(a), b_ = (long)(b);                                                       \
        if (a_ != b_) {                                                                            \
            test_fail(__LINE__, #a " == " #b, a_, b_, true);                                       \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Helper tasks (helpers.c). */
rtos_task_t *spawn(const char *name, unsigned prio, void (*fn)(void *), void *arg);
void join_all(void);

/* An ordered log of events, compared as a string. */
void log_reset(void);
void log_char(char c);
const char *log_get(void);
#define CHECK_LOG(s)                                                                               \
    do {                                                                                           \
        if (strlen(s) != strlen(log_get()) || memcmp(s, log_get(), strlen(s))) {                   \
            test_fail_log(__LINE__, s);                                                            \
            return;                                                                                \
        }                                                                                          \
    } while (0)
void test_fail_log(int line, const char *want);

/* Suites (one per feature file). */
extern const test_suite_t sched_suite, sem_suite, mutex_suite, queue_suite, event_suite,
    timer_suite, irq_suite, utask_suite, pool_suite, suspend_suite, fpu_suite, flags_suite;

#endif
