/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User programs for the protected-task tests. This file runs in USR mode in
 * the tasks' own address spaces: it may use only its stack, its data page
 * (data_va) and system calls (rtos/usys.h). No globals, no library calls.
 */
#include <rtos/rtos.h>
#include <rtos/usys.h>

/* Prints a greeting and exits with arg + 1. */
int user_hello(uintptr_t arg, uintptr_t data_va)
{
    static const char msg[] = "[user] hello from a protected task\n";

    if (usys_write(msg, sizeof(msg) - 1) != (int32_t)sizeof(msg) - 1)
        return -100;
    return (int)arg + 1;
}

/* Reads a word at addr: faults unless addr is its own memory. */
int user_read(uintptr_t addr, uintptr_t data_va)
{
    return (int)*(volatile uint32_t *)addr;
}

/* Writes a word at addr. */
int user_write(uintptr_t addr, uintptr_t data_va)
{
    *(volatile uint32_t *)addr = 0xbad;
    return 0;
}

/* Jumps into its data page, which is mapped execute-never. */
int user_exec_data(uintptr_t arg, uintptr_t data_va)
{
    ((void (*)(void))data_va)();
    return 0;
}

/* Fills its data page and a stack buffer with a pattern, signals slot 0,
 * waits on slot 1, then checks both are intact (another task ran and
 * possibly tried to touch them in between). Returns 0 if intact. */
int user_guard_data(uintptr_t seed, uintptr_t data_va)
{
    volatile uint32_t *data = (volatile uint32_t *)data_va;
    volatile uint32_t stack[16];

    for (uint32_t i = 0; i < 16; i++) {
        data[i] = seed + i;
        stack[i] = seed * 3 + i;
    }
    usys_sem_give(0);
    if (usys_sem_take(1, 1000) != 0)
        return 2;
    for (uint32_t i = 0; i < 16; i++) {
        if (data[i] != seed + i || stack[i] != seed * 3 + i)
            return 1;
    }
    return 0;
}

/* Two instances run this with different ids: each keeps its id at the same
 * stack address (same VA, different pages) across many switches. */
int user_pingpong(uintptr_t id, uintptr_t data_va)
{
    volatile uint32_t mine[4];

    for (uint32_t round = 0; round < 50; round++) {
        for (int i = 0; i < 4; i++)
            mine[i] = id * 100 + round;
        usys_yield();
        for (int i = 0; i < 4; i++) {
            if (mine[i] != id * 100 + round)
                return 1;
        }
    }
    return 0;
}

/* Waits on semaphore slot 0 with the given timeout; returns the result. */
int user_sem_wait(uintptr_t timeout, uintptr_t data_va)
{
    return usys_sem_take(0, timeout);
}

/* Bad system calls must fail cleanly. Returns 0 if all did. */
int user_bad_calls(uintptr_t kernel_addr, uintptr_t data_va)
{
    char buf[4] = {'o', 'k', '\n', 0};

    if (rtos_usys(99, 0, 0, 0) != RTOS_ENOSYS)
        return 1;
    if (usys_write((const char *)kernel_addr, 4) != RTOS_EFAULT)
        return 2;
    if (usys_write((const char *)data_va + 4090, 16) != RTOS_EFAULT)
        return 3;
    if (usys_sem_take(3, 0) != RTOS_EINVAL) /* slot never granted */
        return 4;
    if (usys_write(buf, 3) != 3)
        return 5;
    return 0;
}

/* Sleeps and returns the ticks that passed. */
int user_delay(uintptr_t ticks, uintptr_t data_va)
{
    uint32_t t0 = usys_ticks();

    usys_delay(ticks);
    return (int)(usys_ticks() - t0);
}

/* A floating-point instruction from a task that never enabled the FPU:
 * an undefined-instruction fault, whatever the task before it left
 * enabled (tests/fpu_test.c). */
int user_fpu_touch(uintptr_t arg, uintptr_t data_va)
{
    uint32_t v;

    __asm__ volatile("vmrs %0, fpscr" : "=r"(v)); /* gated by FPEXC.EN */
    return (int)v;
}
