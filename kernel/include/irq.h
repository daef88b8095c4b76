/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt delivery: the kernel timer drives preemption; every other line
 * with a handler is masked when it fires and signals its notification, or,
 * routed to a vCPU, sets its virtual line pending there (masked until the
 * guest acknowledges it: docs/vcpu.md). */
#pragma once
#include <types.h>

struct notification;
struct vcpu;

/* Handle every pending interrupt (bounded: at most IRQ_BATCH per call). */
#define IRQ_BATCH 16
void irq_handle_pending(void);
/* Handle one line already claimed from the controller (plat_irq_claim; not
 * PLAT_IRQ_NONE), as irq_handle_pending does each. */
void irq_handle_one(uint32_t irq);
/* The vCPU fast path's half of that (core/vcpu_fast.c): if the claimed line
 * irq is delivered to the notification bound to the running vCPU thread t,
 * and nobody waits on it (so the signal is a virtual interrupt for t and
 * wakes no thread), handle it as irq_handle_one would and return true;
 * else do nothing and return false. */
struct tcb;
bool irq_to_running_vcpu(uint32_t irq, struct tcb *t);

/* True if some line is delivered to a notification, so that an idle
 * system may still wake up. */
bool irq_can_wake_threads(void);

bool irq_is_claimed(word_t irq);
void irq_claim(word_t irq);
void irq_release(word_t irq); /* also stops delivery and masks the line */
void irq_ack(word_t irq);     /* unmask after handling */
/* Deliver to a notification (NULL: nowhere); ends a route to a vCPU. */
void irq_set_notification(word_t irq, struct notification *n, word_t badge);
/* Has the line a notification or a vCPU? Is it routed to a vCPU? */
bool irq_has_destination(word_t irq);
bool irq_is_routed(word_t irq);
/* Route the claimed line irq, which has no destination, to the bound vCPU
 * v as its virtual line vline (< VCPU_VIRQ_LINES, not routed yet), and
 * unmask it. Cannot fail: object/irq.c checked everything. */
void irq_route_vcpu(word_t irq, struct vcpu *v, word_t vline);
/* v is destroyed or unbound: end every route to it (the lines masked). */
void irq_unroute_vcpu(struct vcpu *v);
/* The routing of line irq (< PLAT_IRQ_MAX), for the kernel debugger. */
void irq_line_get(word_t irq, struct notification **n, word_t *badge, bool *claimed);
/* A notification is being destroyed: stop delivering to it. */
void irq_forget_notification(const struct notification *n);
/* Read-only views for the debug invariant checker: where a line is
 * delivered (NULL: nowhere), and how many lines are delivered. */
const struct notification *irq_notification(word_t irq);
const struct vcpu *irq_vcpu(word_t irq, word_t *bit); /* NULL if not routed */
word_t irq_delivering_count(void);
