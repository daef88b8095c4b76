/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The native port's kernel stack (start.S), on which every exception and,
 * with NATIVE_IRQ_NEST, every nested handler runs (vectors.S). A level is
 * one handler: the port's frames for it (the nested entry's 40 bytes,
 * native_irq_nested, native_irq_run, rtos_kernel_irq: about 100 bytes) and
 * the handler's RTOS_IRQ_HANDLER_STACK (rtos/port.h, 256). Each nested
 * entry checks that NATIVE_NEST_ROOM is left below it, so a level within
 * its budget never overflows, and the stack holds the outermost exception,
 * RTOS_IRQ_PRIO_LEVELS (15) levels and the room the check wants. Plain
 * numbers: included by assembly too (trap.c checks them against rtos/port.h).
 */
#ifndef NATIVE_STACK_H
#define NATIVE_STACK_H

#define NATIVE_NEST_ROOM 512                         /* bytes per level */
#define NATIVE_EXC_STACK_SIZE (16 * NATIVE_NEST_ROOM) /* 8 KiB */

#endif
