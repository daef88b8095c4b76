/* SPDX-License-Identifier: BSD-2-Clause */
/* The vCPU timers (object/vcpu_timer.c, docs/vcpu.md "The virtual timer"):
 * every armed timer of every vCPU is a node of one binary min-heap on its
 * deadline, and the physical timer (plat/<board>/timer.c) is programmed for
 * the earlier of the heap's minimum and the kernel's own tick. */
#pragma once
#include <object/vcpu.h>

#define VCPU_TIMER_NEVER (~(uint64_t)0)
/* Expiries one timer interrupt handles at most; more that are due fire at
 * the next interrupt, which is pending as soon as the kernel leaves. */
#define VCPU_TIMER_BATCH 16u

/* The vCPU invocations set_timer, cancel_timer and read_time. */
word_t decode_vcpu_timer(struct invocation *inv, vcpu_t *v);
/* The timer interrupt: fire the vCPU timers that are due (at most
 * VCPU_TIMER_BATCH), program the physical timer for what is next, and say
 * whether the kernel's own tick is due. */
bool vcpu_timer_irq(void);
/* Unbinding: disarm both of v's timers (lines already pending stay so). */
void vcpu_timer_disarm_all(vcpu_t *v);
/* The TCB invocations set_timer and cancel_timer: the thread's own timer,
 * which signals its bound notification. */
word_t decode_tcb_timer(struct invocation *inv, tcb_t *t);
/* Unbinding the thread's notification (or destroying the thread): disarm
 * its timer. */
void tcb_timer_disarm(tcb_t *t);
/* Is any kernel timer armed (an interrupt that can wake a thread)? */
extern word_t vcpu_timer_count;
static inline bool vcpu_timer_any_armed(void)
{
    return vcpu_timer_count != 0;
}

/* For the invariant checker (core/invariants_thread.c): the heap's root
 * and its node count. */
const vcpu_timer_t *vcpu_timer_heap_root(void);
word_t vcpu_timer_heap_count(void);
