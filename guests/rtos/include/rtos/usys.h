/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The system-call interface of protected user tasks. User programs live in
 * files named *_user.c: they are linked into the shared, read-only user text
 * and may use only their stack and their data page (no globals, no library
 * calls), since nothing else is mapped in their address space.
 *
 * Calls go through rtos_usys(), the port's trap stub (native: `svc #0`).
 * Results are >= 0 on success or a negative RTOS_E* code.
 */
#ifndef RTOS_USYS_H
#define RTOS_USYS_H

#include <stdint.h>

enum usys_call {
    USYS_WRITE = 1,    /* (const char *buf, len) -> len */
    USYS_EXIT = 2,     /* (code) -> does not return */
    USYS_YIELD = 3,    /* () -> 0 */
    USYS_DELAY = 4,    /* (ticks) -> 0 */
    USYS_TICKS = 5,    /* () -> tick count */
    USYS_SEM_TAKE = 6, /* (slot, timeout) -> 0 / RTOS_ETIMEOUT */
    USYS_SEM_GIVE = 7, /* (slot) -> 0 / RTOS_EOVERFLOW */
    USYS_FPU_ENABLE = 8, /* () -> 0: FPU registers of its own from now (docs/rtos.md) */
};

/* The trap stub (in the port's user text). */
int32_t rtos_usys(uint32_t num, uint32_t a1, uint32_t a2, uint32_t a3);

static inline int32_t usys_write(const char *buf, uint32_t len)
{
    return rtos_usys(USYS_WRITE, (uint32_t)(uintptr_t)buf, len, 0);
}

static inline __attribute__((noreturn)) void usys_exit(int code)
{
    rtos_usys(USYS_EXIT, (uint32_t)code, 0, 0);
    for (;;)
        ;
}

static inline int32_t usys_yield(void)
{
    return rtos_usys(USYS_YIELD, 0, 0, 0);
}

static inline int32_t usys_delay(uint32_t ticks)
{
    return rtos_usys(USYS_DELAY, ticks, 0, 0);
}

static inline uint32_t usys_ticks(void)
{
    return (uint32_t)rtos_usys(USYS_TICKS, 0, 0, 0);
}

static inline int32_t usys_sem_take(uint32_t slot, uint32_t timeout)
{
    return rtos_usys(USYS_SEM_TAKE, slot, timeout, 0);
}

static inline int32_t usys_sem_give(uint32_t slot)
{
    return rtos_usys(USYS_SEM_GIVE, slot, 0, 0);
}

/* rtos_task_fpu_enable() for the calling protected task: d0-d31 and FPSCR
 * its own, starting at zero, from the return on; again is harmless. */
static inline int32_t usys_fpu_enable(void)
{
    return rtos_usys(USYS_FPU_ENABLE, 0, 0, 0);
}

#endif
