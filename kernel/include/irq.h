/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt delivery: the kernel timer drives preemption; every other line
 * with a handler is masked when it fires and signals its notification. */
#pragma once
#include <types.h>

struct notification;

/* Handle every pending interrupt (bounded: at most IRQ_BATCH per call). */
#define IRQ_BATCH 16
void irq_handle_pending(void);

/* True if some line is delivered to a notification, so that an idle
 * system may still wake up. */
bool irq_can_wake_threads(void);

bool irq_is_claimed(word_t irq);
void irq_claim(word_t irq);
void irq_release(word_t irq); /* also stops delivery and masks the line */
void irq_ack(word_t irq);     /* unmask after handling */
void irq_set_notification(word_t irq, struct notification *n, word_t badge);
/* The routing of line irq (< PLAT_IRQ_MAX), for the kernel debugger. */
void irq_line_get(word_t irq, struct notification **n, word_t *badge, bool *claimed);
/* A notification is being destroyed: stop delivering to it. */
void irq_forget_notification(const struct notification *n);
/* Read-only views for the debug invariant checker: where a line is
 * delivered (NULL: nowhere), and how many lines are delivered. */
const struct notification *irq_notification(word_t irq);
word_t irq_delivering_count(void);
