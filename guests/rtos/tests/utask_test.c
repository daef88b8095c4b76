/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Protected user tasks: system calls, blocking calls, address-space
 * isolation (kernel memory, another task's memory, read-only text,
 * execute-never data) and survival of the RTOS after a task is killed.
 */
#include "test.h"

int user_hello(uintptr_t, uintptr_t);
int user_read(uintptr_t, uintptr_t);
int user_write(uintptr_t, uintptr_t);
int user_exec_data(uintptr_t, uintptr_t);
int user_guard_data(uintptr_t, uintptr_t);
int user_pingpong(uintptr_t, uintptr_t);
int user_sem_wait(uintptr_t, uintptr_t);
int user_bad_calls(uintptr_t, uintptr_t);
int user_delay(uintptr_t, uintptr_t);
int user_regs_kept(uintptr_t, uintptr_t);

static rtos_utask_t ut[2];
static volatile uint32_t kernel_secret = 0x5ec2e7;
static rtos_sem_t usem[2];

/* Run one user task to completion; return its exit code. */
static int run_user(rtos_uentry_t entry, uintptr_t arg, unsigned prio)
{
    int code = 12345;

    if (rtos_utask_create(&ut[0], "user", prio, entry, arg) != RTOS_OK)
        return 54321;
    if (rtos_task_join(&ut[0].task, 1000, &code) != RTOS_OK)
        return 54322;
    return code;
}

static void user_task_runs_and_exits_with_code(void)
{
    CHECK_EQ(run_user(user_hello, 41, TEST_PRIO - 1), 42);
    CHECK_EQ(run_user(user_hello, 1, TEST_PRIO + 1), 2);
}

static void reading_kernel_memory_kills_only_the_task(void)
{
    CHECK_EQ(run_user(user_read, (uintptr_t)&kernel_secret, TEST_PRIO + 1), RTOS_EFAULT);
    CHECK_EQ(run_user(user_hello, 0, TEST_PRIO + 1), 1); /* RTOS lives */
}

static void writing_kernel_memory_faults_and_changes_nothing(void)
{
    CHECK_EQ(run_user(user_write, (uintptr_t)&kernel_secret, TEST_PRIO + 1), RTOS_EFAULT);
    CHECK_EQ(kernel_secret, 0x5ec2e7);
}

static void writing_own_text_faults(void)
{
    CHECK_EQ(run_user(user_write, (uintptr_t)user_hello, TEST_PRIO + 1), RTOS_EFAULT);
}

static void executing_data_faults(void)
{
    CHECK_EQ(run_user(user_exec_data, 0, TEST_PRIO + 1), RTOS_EFAULT);
}

static void touching_another_tasks_memory_faults(void)
{
    int code = -1;

    rtos_sem_init(&usem[0], 0, 1);
    rtos_sem_init(&usem[1], 0, 1);
    rtos_utask_grant_sem(&ut[1], 0, &usem[0]);
    rtos_utask_grant_sem(&ut[1], 1, &usem[1]);
    CHECK_EQ(rtos_utask_create(&ut[1], "guard", TEST_PRIO + 1, user_guard_data, 0x1000), RTOS_OK);
    CHECK_EQ(rtos_sem_take(&usem[0], 100), RTOS_OK); /* pattern written */
    /* Another task reads and writes the guard's data page by its VA. */
    CHECK_EQ(run_user(user_read, ut[1].data_va, TEST_PRIO + 1), RTOS_EFAULT);
    CHECK_EQ(run_user(user_write, ut[1].data_va, TEST_PRIO + 1), RTOS_EFAULT);
    /* ... or by the kernel address backing it. */
    CHECK_EQ(run_user(user_write, ut[1].region[2].kva, TEST_PRIO + 1), RTOS_EFAULT);
    rtos_sem_give(&usem[1]);
    CHECK_EQ(rtos_task_join(&ut[1].task, 1000, &code), RTOS_OK);
    CHECK_EQ(code, 0);
}

static void same_address_in_two_spaces_holds_different_data(void)
{
    int c0 = -1, c1 = -1;

    CHECK_EQ(rtos_utask_create(&ut[0], "pp0", TEST_PRIO - 1, user_pingpong, 1), RTOS_OK);
    CHECK_EQ(rtos_utask_create(&ut[1], "pp1", TEST_PRIO - 1, user_pingpong, 2), RTOS_OK);
    CHECK_EQ(rtos_task_join(&ut[0].task, 1000, &c0), RTOS_OK);
    CHECK_EQ(rtos_task_join(&ut[1].task, 1000, &c1), RTOS_OK);
    CHECK_EQ(c0, 0);
    CHECK_EQ(c1, 0);
}

static void blocking_system_call_returns_result_on_wake(void)
{
    int code = -1;

    rtos_sem_init(&usem[0], 0, 1);
    rtos_utask_grant_sem(&ut[0], 0, &usem[0]);
    CHECK_EQ(rtos_utask_create(&ut[0], "semw", TEST_PRIO + 1, user_sem_wait, RTOS_WAIT_FOREVER),
             RTOS_OK);
    CHECK_EQ(rtos_sem_give(&usem[0]), RTOS_OK);
    CHECK_EQ(rtos_task_join(&ut[0].task, 100, &code), RTOS_OK);
    CHECK_EQ(code, RTOS_OK);
    rtos_utask_grant_sem(&ut[0], 0, &usem[0]);
    CHECK_EQ(run_user(user_sem_wait, 5, TEST_PRIO + 1), RTOS_ETIMEOUT);
    code = run_user(user_delay, 5, TEST_PRIO + 1);
    CHECK(code >= 5 && code <= 6);
}

static void bad_system_calls_fail_cleanly(void)
{
    CHECK_EQ(run_user(user_bad_calls, (uintptr_t)&kernel_secret, TEST_PRIO + 1), 0);
}

/* A system call changes r0 alone: r1-r12 and lr come back as they went
 * in (tests/utask_user.c), after a yield to a task of the same priority and after a call that
 * returns at once. */
static void yield_a_few(void *arg)
{
    for (unsigned i = 0; i < 4; i++)
        rtos_task_yield();
}

static void system_call_keeps_every_register_but_r0(void)
{
    int code = -1;

    rtos_task_set_priority(rtos_task_self(), TEST_PRIO + 2);
    spawn("other", TEST_PRIO + 1, yield_a_few, NULL);
    CHECK_EQ(rtos_utask_create(&ut[0], "regs", TEST_PRIO + 1, user_regs_kept, 0), RTOS_OK);
    rtos_task_set_priority(rtos_task_self(), TEST_PRIO);
    CHECK_EQ(rtos_task_join(&ut[0].task, 1000, &code), RTOS_OK);
    join_all();
    CHECK_EQ(code, 0);
    CHECK_EQ(run_user(user_regs_kept, 0, TEST_PRIO + 1), 0); /* alone at its priority */
}

TEST_SUITE(utask_suite, TEST_CASE(user_task_runs_and_exits_with_code),
           TEST_CASE(reading_kernel_memory_kills_only_the_task),
           TEST_CASE(writing_kernel_memory_faults_and_changes_nothing),
           TEST_CASE(writing_own_text_faults), TEST_CASE(executing_data_faults),
           TEST_CASE(touching_another_tasks_memory_faults),
           TEST_CASE(same_address_in_two_spaces_holds_different_data),
           TEST_CASE(blocking_system_call_returns_result_on_wake),
           TEST_CASE(bad_system_calls_fail_cleanly),
           TEST_CASE(system_call_keeps_every_register_but_r0));
