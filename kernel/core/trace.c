/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel event ring (trace.h): trace and debug configurations only
 * (kernel/SConscript compiles this file into those alone). Recording is a
 * handful of stores and is never preempted (the kernel runs with
 * interrupts masked), so a record is always whole. */
#include <arch.h>
#include <printk.h>
#include <registry.h>
#include <trace.h>

trace_event_t trace_ring[TRACE_RING_EVENTS] ALIGNED(32);
uint32_t trace_count;

void trace_record(uint32_t kind, const struct tcb *t, word_t a, word_t b, word_t c, word_t d)
{
    uint32_t seq = trace_count;
    trace_event_t *e = &trace_ring[seq & (TRACE_RING_EVENTS - 1)];
    e->time = arch_cycle_count();
    e->thread = (uint32_t)(uintptr_t)t;
    e->kind = kind;
    e->a = a;
    e->b = b;
    e->c = c;
    e->d = d;
    e->seq = seq;
    trace_count = seq + 1;
}

/* The console format (docs/observability.md, read by tools/trace):
 *   [trace] begin <records> <total> <ring size> <words per record>
 *   [trace] thread <tcb> <priority> <vcpu 0/1> <asid> <name>   every live thread
 *   [trace] e <8 words in hex>                          oldest record first
 *   [trace] end <total>
 * Bounded: the ring's size and the registry's count (the walk stops at
 * either). The records are taken first, so that the dump's own output is
 * not in it (printing records nothing). */
void trace_dump(void)
{
    uint32_t total = trace_count;
    uint32_t n = total < TRACE_RING_EVENTS ? total : TRACE_RING_EVENTS;
    printk("\n[trace] begin %u %u %u %u\n", n, total, TRACE_RING_EVENTS, TRACE_EVENT_WORDS);
    word_t i = 0;
    for (const tcb_t *t = tcb_registry; t && i < tcb_registry_count; t = t->reg_next, i++)
        printk("[trace] thread %08x %u %u %u %s\n", (uint32_t)(uintptr_t)t, t->priority,
               t->vcpu != NULL, t->asid, t->name);
    for (uint32_t k = total - n; k != total; k++) {
        const uint32_t *w = (const uint32_t *)&trace_ring[k & (TRACE_RING_EVENTS - 1)];
        printk("[trace] e %08x %08x %08x %08x %08x %08x %08x %08x\n", w[0], w[1], w[2], w[3], w[4],
               w[5], w[6], w[7]);
    }
    printk("[trace] end %u\n", total);
}
