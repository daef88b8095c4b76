/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The RTOS test program: app_init() creates the master task, which runs
 * every suite and reports on the console (protocol in test.h).
 */
#include "test.h"

extern bool test_failed, test_fail_values;
extern int test_fail_line;
extern const char *test_fail_what, *test_fail_log_want;
extern long test_fail_got, test_fail_want;

static const test_suite_t *const suites[] = {
    &sched_suite, &sem_suite,   &mutex_suite, &queue_suite,   &event_suite, &timer_suite,
    &irq_suite,   &utask_suite, &pool_suite,  &suspend_suite, &fpu_suite,   &flags_suite,
};

static rtos_task_t master;
static uint64_t master_stack[4096 / 8];

static void report(const char *name)
{
    if (!test_failed)
        rtos_printf("[test] PASS %s\n", name);
    else if (test_fail_log_want)
        rtos_printf("[test] FAIL %s: line %d: event log \"%s\", want \"%s\"\n", name,
                    test_fail_line, log_get(), test_fail_log_want);
    else if (test_fail_values)
        rtos_printf("[test] FAIL %s: line %d: %s: got %d, want %d\n", name, test_fail_line,
                    test_fail_what, (int)test_fail_got, (int)test_fail_want);
    else
        rtos_printf("[test] FAIL %s: line %d: %s\n", name, test_fail_line, test_fail_what);
}

static void test_main(void *arg)
{
    unsigned failed = 0;

    for (unsigned s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
        for (unsigned i = 0; i < suites[s]->count; i++) {
            const test_case_t *tc = &suites[s]->cases[i];

            test_failed = false;
            log_reset();
            tc->fn();
            join_all(); /* even after an early CHECK return */
            report(tc->name);
            failed += test_failed;
        }
    }
    rtos_printf("[test] DONE\n");
    port_exit(failed ? 1 : 0);
}

void app_init(void)
{
    rtos_printf("[rtos] %s port, tick %u Hz\n", PORT_NAME, RTOS_TICK_HZ);
    rtos_task_create(&master, "test", TEST_PRIO, test_main, NULL, master_stack,
                     sizeof(master_stack));
}
