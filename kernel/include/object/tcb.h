/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control block. */
#pragma once
#include <types.h>
#include <arch/context.h>

#define THREAD_INACTIVE 0  /* not scheduled: never started, suspended or faulted */
#define THREAD_RUNNABLE 1  /* in the ready queue of its priority */

#define NUM_PRIORITIES 256
#define TIME_SLICE_TICKS 5 /* round-robin quantum, in kernel ticks */

typedef struct tcb {
    /* Must stay first: while the thread runs in user mode, SP_svc points at
     * the end of ctx and the entry code saves registers into it. */
    arch_context_t ctx;

    /* Scheduler fields, owned by core/sched.c. Linked into ready[priority]
     * exactly when state == THREAD_RUNNABLE. */
    struct tcb *sched_next, *sched_prev;
    uint8_t state;
    uint8_t priority;
    uint8_t mcp;          /* maximum controlled priority */
    uint8_t pad0;
    uint32_t time_slice;  /* ticks left in the current quantum */

    /* Address space: physical address of the first-level table and its ASID. */
    paddr_t vspace_pd;
    uint32_t asid;
    vaddr_t ipc_buffer;   /* user address, published in TPIDRURO */

    char name[16];        /* for fault reports */
} tcb_t;
