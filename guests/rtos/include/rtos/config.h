/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compile-time configuration of the RTOS core. Everything here is a constant
 * used in ordinary C expressions (`if (RTOS_X)`), never in #ifdef: a feature
 * that is switched off is dead code the compiler removes.
 */
#ifndef RTOS_CONFIG_H
#define RTOS_CONFIG_H

/* Priorities 0..RTOS_PRIO_MAX-1; a larger number is more urgent. 0 is idle. */
#define RTOS_PRIO_MAX 32
#define RTOS_PRIO_IDLE 0

/* The periodic tick; every timeout and delay is counted in ticks. */
#define RTOS_TICK_HZ 1000

/* Ticks a task runs before yielding to an equal-priority ready task. */
#define RTOS_TIMESLICE_TICKS 2

/* Longest mutex-ownership chain that priority inheritance follows. A chain
 * longer than this (or a cycle, i.e. a deadlock) stops propagating instead of
 * looping with interrupts off. */
#define RTOS_PI_DEPTH_MAX 16

/* Protected user tasks: 4 KiB pages backing user stacks and data. */
#define RTOS_PAGE_SIZE 4096u
#define RTOS_UPAGES 32
#define RTOS_USER_SEM_SLOTS 4
#define RTOS_USER_STACK_PAGES 1

/* Stack of the idle task (bytes). */
#define RTOS_IDLE_STACK 1024

#endif
