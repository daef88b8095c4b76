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

/* user_regs_probe(out, call): r1-r12 and lr set to known values
 * (0xa1a10101 * k for register k, lr 0xa1a1010d * 13), the system call
 * `call` (no arguments that matter), then r1-r12 and lr as they came back
 * stored to out[0..12]. */
void user_regs_probe(uint32_t *out, uint32_t call);
__asm__(".text\n"
        ".global user_regs_probe\n"
        ".type user_regs_probe, %function\n"
        "user_regs_probe:\n"
        "push {r0, r4-r11, lr}\n"
        "mov r0, r1\n"
        "movw r1, #0x0101\n movt r1, #0xa1a1\n"
        "add r2, r1, r1\n add r3, r2, r1\n add r4, r3, r1\n add r5, r4, r1\n"
        "add r6, r5, r1\n add r7, r6, r1\n add r8, r7, r1\n add r9, r8, r1\n"
        "add r10, r9, r1\n add r11, r10, r1\n add r12, r11, r1\n add lr, r12, r1\n"
        "svc #0\n"
        "push {r1-r12, lr}\n"
        "ldr r0, [sp, #52]\n" /* out, pushed first */
        "mov r1, sp\n"
        "ldmia r1!, {r2-r8}\n stmia r0!, {r2-r8}\n"
        "ldmia r1!, {r2-r7}\n stmia r0!, {r2-r7}\n"
        "add sp, sp, #52\n"
        "pop {r0, r4-r11, lr}\n"
        "bx lr\n"
        ".size user_regs_probe, . - user_regs_probe\n");

/* r1-r12 and lr come back from a system call as they went in
 * (usys_user.S): a yield (the task switched out and back) and a call that
 * returns at once. Returns 0, or 100 * (1 + the call's index) + k for the
 * first register rk (13: lr) changed. r12 (ip) is a scratch register
 * under the AAPCS, but a system call is no call: natively the exception
 * entry and return keep it, so every port must. */
int user_regs_kept(uintptr_t arg, uintptr_t data_va)
{
    static const uint32_t calls[2] = {USYS_YIELD, USYS_TICKS};
    uint32_t out[13];

    (void)arg;
    (void)data_va;
    for (uint32_t c = 0; c < 2; c++) {
        user_regs_probe(out, calls[c]);
        for (uint32_t k = 0; k < 13; k++)
            if (out[k] != 0xa1a10101u * (k + 1))
                return (int)(100 * (c + 1) + k + 1);
    }
    return 0;
}
