/* SPDX-License-Identifier: BSD-2-Clause */
#pragma once
#include <types.h>

/* Handle every pending interrupt (bounded: at most IRQ_BATCH per call). */
#define IRQ_BATCH 16
void irq_handle_pending(void);

/* True if some interrupt line is delivered to user level, so that an idle
 * system may still wake up. */
bool irq_can_wake_threads(void);
