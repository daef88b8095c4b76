/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Native port types: the RTOS runs privileged on bare ARMv7-A (QEMU virt).
 * Kernel tasks run in SYS mode, protected tasks in USR mode, and every
 * exception is handled in SVC mode on one kernel stack (see vectors.S).
 */
#ifndef PORT_ARCH_H
#define PORT_ARCH_H

#include <stdint.h>

#define PORT_NAME "native"

/* CPSR value before port_irq_save(); only the I bit matters on restore. */
typedef uint32_t port_irqflags_t;

/*
 * Saved registers of a context not currently running. The layout is fixed
 * by vectors.S: r0-r12 at 0..48, sp 52, lr 56, pc 60, cpsr 64 (pc and cpsr
 * adjacent so `rfeia` can resume them). sp/lr are the USR/SYS-bank values.
 */
typedef struct port_ctx {
    uint32_t r[13];
    uint32_t sp, lr, pc, cpsr;
} port_ctx_t;

#define PORT_CTX_PC_OFFSET 60

/* A user address space: a short-descriptor L1 table and its ASID. */
typedef struct port_as {
    uint32_t *l1;  /* 16 KiB L1 table, NULL when not created */
    uint32_t asid; /* 1..PORT_AS_MAX; 0 is the kernel-only space */
} port_as_t;

/* GICv2 on virt: 16 SGIs, 16 PPIs, SPIs. Only the first 128 are routed to
 * the core; the virt board's devices all sit below that. */
#define PORT_IRQ_LINES 128
/* SGIs 0..15 can be raised by software (GICD_SGIR). */
#define PORT_IRQ_SOFT_FIRST 0
#define PORT_IRQ_SOFT_COUNT 16

/* Port option, on by default (-DNATIVE_IRQ_NEST=0: the twin image
 * rtos-tests-nonest): a handler runs with IRQs enabled at its line's
 * priority, so a higher-priority line preempts it (arch/native/vectors.S,
 * trap.c). PORT_IRQ_NESTS says so to the tests; without it the port
 * delivers one handler at a time. */
#ifndef NATIVE_IRQ_NEST
#define NATIVE_IRQ_NEST 1
#endif
#define PORT_IRQ_NESTS NATIVE_IRQ_NEST
/* The kernel stack's bounds (start.S, native_stack.h), for the tests. */
extern char native_exc_stack[], native_exc_stack_top[];
#define PORT_IRQ_STACK_LO native_exc_stack
#define PORT_IRQ_STACK_HI native_exc_stack_top

/* User VA window: below the virt board's device space at 0x08000000 is
 * flash; 0x10000000..0x3fffffff is unused, so user tasks live there and
 * never overlap the kernel's identity map of RAM and devices. */
#define PORT_USER_BASE 0x10000000u
#define PORT_USER_END 0x20000000u

/* System-call ABI of protected tasks: shared by the ARM ports. */
#include <port_arm.h>

#endif
