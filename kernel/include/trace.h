/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel event trace (docs/observability.md): a ring of fixed-size
 * records in kernel memory, written by one-line hooks at the points below,
 * read at shutdown (the trace configuration dumps it on the console for
 * `scons trace`), by the kernel debugger and by gdb (`l4 trace`).
 *
 * Zero cost unless configured: every hook is a macro around
 * `if (CONFIG_TRACE)`, so in the release kernel (CONFIG_TRACE 0) the call
 * and the evaluation of its arguments fold away, and core/trace.c is not
 * even compiled in (kernel/SConscript). The suite `trace-release` checks
 * it: the release kernel built with every hook removed from the source
 * (TRACE_HOOKS_STRIPPED, below) has the same text and data, byte for byte.
 *
 * A record (trace_event_t) is 8 words: timestamp, thread, kind, four
 * arguments and a sequence number. The timestamp is PMCCNTR, which counts
 * one per instruction under `-icount shift=0` (and the idle time QEMU
 * skips, in virtual nanoseconds); it wraps at 2^32 and readers unwrap it,
 * since consecutive events are never that far apart (the 1 ms tick is one).
 * `thread` is the TCB the event belongs to (its kernel address; 0: none,
 * the idle loop). The meaning of a..d per kind is the table below; every
 * tool that reads records takes the kinds from this header (tools/trace,
 * tools/gdb generate their tables from it), so keep one kind per line. */
#pragma once
#include <config.h>
#include <types.h>

/* Kinds: bits 0-7 of trace_event_t.kind, bits 8-31 are a detail. What a,
 * b, c, d hold (docs/observability.md has the table):
 *   SYSCALL   sysno, cptr, info           ENTRY   pc (detail: TRACE_ENTRY_*)
 *   EXIT      r0, pc                      SWITCH  next thread (0: idle)
 *   IPC_SEND  ep, badge, info, receiver (0: blocks)
 *   IPC_RECV  ep, badge, info, sender (0: blocks)
 *   IPC_REPLY caller, info                SIGNAL  ntfn (0: routed), bits, woken (0: none), vcpu
 *   IRQ       intid, ntfn, badge          UPCALL  cause, fault addr, from user, pc
 *   RESUME    mode, pc                    FAULT   pc, addr, status, handled (detail: kind)
 *   CREATE    type, first object, count, size bits
 *   DELETE    type, object                NAME    the 16 bytes of the name
 *   USER      a, b, c, d as given (detail: the event id)
 *   VTIMER    timer, line, deadline low, high word (thread: the vCPU's) */
#define TRACE_SYSCALL 1   /* a system call enters (the fastpath: at its commit, detail FASTPATH) */
#define TRACE_ENTRY 2     /* any other kernel entry from user mode */
#define TRACE_EXIT 3      /* the kernel returns to `thread` */
#define TRACE_SWITCH 4    /* the CPU goes from `thread` to another, or to idle */
#define TRACE_IPC_SEND 5  /* a send or call on an endpoint */
#define TRACE_IPC_RECV 6  /* a receive on an endpoint */
#define TRACE_IPC_REPLY 7 /* a reply delivered to its caller */
#define TRACE_SIGNAL 8    /* a notification signalled */
#define TRACE_IRQ 9       /* an interrupt line taken */
#define TRACE_UPCALL 10   /* a vCPU upcall into the guest kernel */
#define TRACE_RESUME 11   /* vcpu_resume */
#define TRACE_FAULT 12    /* a fault delivered or reported */
#define TRACE_CREATE 13   /* a retype */
#define TRACE_DELETE 14   /* an object destroyed (its last cap gone) */
#define TRACE_NAME 15     /* a thread named */
#define TRACE_USER 16     /* a user trace point (machine_trace) */
#define TRACE_VTIMER 17   /* a vCPU timer expired (object/vcpu_timer.c) */

/* TRACE_SYSCALL details */
#define TRACE_SYSCALL_FASTPATH 1 /* carried by the IPC fastpath (core/fastpath.c) */
/* Detail of an IPC_RECV record: */
#define TRACE_RECV_SIGNAL 1 /* the receive returned notification bits at once (no partner, no block) */

/* TRACE_ENTRY details */
#define TRACE_ENTRY_IRQ 1
#define TRACE_ENTRY_UNDEF 2
#define TRACE_ENTRY_PABT 3
#define TRACE_ENTRY_DABT 4

#define TRACE_KIND_BITS 8
/* 32,768 records (1 MiB) where the ring is dumped for `scons trace`, 8,192
 * (256 KiB) for the debugger and the cost benchmark. */
#define TRACE_RING_BITS (CONFIG_TRACE_DUMP ? 15 : 13)
#define TRACE_RING_EVENTS (1u << TRACE_RING_BITS)
#define TRACE_EVENT_WORDS 8

#ifndef __ASSEMBLY__
struct tcb;

typedef struct trace_event {
    uint32_t time;   /* PMCCNTR, low 32 bits */
    uint32_t thread; /* the TCB, 0: none */
    uint32_t kind;   /* TRACE_* | detail << TRACE_KIND_BITS */
    uint32_t a, b, c, d;
    uint32_t seq; /* index of the record since boot: trace_count when written */
} trace_event_t;

STATIC_ASSERT(sizeof(trace_event_t) == 4 * TRACE_EVENT_WORDS, "record layout");

/* core/trace.c (trace and debug configurations only). The ring holds the
 * last TRACE_RING_EVENTS records: record i is trace_ring[i % size], the
 * newest is trace_count - 1; trace_count never wraps in practice (a 32-bit
 * count of events: more than a benchmark run makes) and readers take
 * min(trace_count, size) records. */
extern trace_event_t trace_ring[TRACE_RING_EVENTS];
extern uint32_t trace_count;
void trace_record(uint32_t kind, const struct tcb *t, word_t a, word_t b, word_t c, word_t d);
/* The ring and every live thread's name on the console (trace
 * configuration, at shutdown): `[trace] ...` lines, docs/observability.md. */
void trace_dump(void);

/* Without the trace the hooks expand to nothing at all, as when stripped:
 * an `if (0)` hook still took SSA names in GCC and moved its register
 * allocation by an instruction or two (kernel_exit). Configurations with
 * the trace compile every hook's arguments. */
#if !defined(TRACE_HOOKS_STRIPPED) && (CONFIG_TRACE || CONFIG_TRACE_DUMP)
#define TRACE_EVENT(kind, t, a, b, c, d)                                                           \
    do {                                                                                           \
        if (CONFIG_TRACE)                                                                          \
            trace_record((kind), (t), (word_t)(uintptr_t)(a), (word_t)(uintptr_t)(b),              \
                         (word_t)(uintptr_t)(c), (word_t)(uintptr_t)(d));                          \
    } while (0)
#define TRACE_DUMP_AT_SHUTDOWN()                                                                   \
    do {                                                                                           \
        if (CONFIG_TRACE_DUMP)                                                                     \
            trace_dump();                                                                          \
    } while (0)
#else /* no trace, or suite trace-release: the hooks removed, arguments never evaluated */
#define TRACE_EVENT(kind, t, a, b, c, d)                                                           \
    do {                                                                                           \
    } while (0)
#define TRACE_DUMP_AT_SHUTDOWN()                                                                   \
    do {                                                                                           \
    } while (0)
#endif

#define TRACE_DETAIL(kind, detail) ((kind) | ((uint32_t)(detail) << TRACE_KIND_BITS))

/* The hooks: one call at each point, nothing else (docs/observability.md). */
#define trace_syscall(t, sysno, cptr, info) TRACE_EVENT(TRACE_SYSCALL, t, sysno, cptr, info, 0)
#define trace_syscall_fast(t, sysno, cptr, info)                                                   \
    TRACE_EVENT(TRACE_DETAIL(TRACE_SYSCALL, TRACE_SYSCALL_FASTPATH), t, sysno, cptr, info, 0)
#define trace_entry(t, why)                                                                        \
    TRACE_EVENT(TRACE_DETAIL(TRACE_ENTRY, why), t, (t) ? (t)->ctx.pc : 0, 0, 0, 0)
#define trace_exit(t) TRACE_EVENT(TRACE_EXIT, t, (t)->ctx.r[0], (t)->ctx.pc, 0, 0)
#define trace_switch(from, to) TRACE_EVENT(TRACE_SWITCH, from, to, 0, 0, 0)
#define trace_ipc_send(s, ep, badge, info, r) TRACE_EVENT(TRACE_IPC_SEND, s, ep, badge, info, r)
#define trace_ipc_recv(r, ep, badge, info, s) TRACE_EVENT(TRACE_IPC_RECV, r, ep, badge, info, s)
#define trace_recv_signal(r, obj, bits, info)                                                      \
    TRACE_EVENT(TRACE_DETAIL(TRACE_IPC_RECV, TRACE_RECV_SIGNAL), r, obj, bits, info, 0)
#define trace_ipc_reply(t, caller, info) TRACE_EVENT(TRACE_IPC_REPLY, t, caller, info, 0, 0)
#define trace_signal(t, n, bits, woken, vcpu) TRACE_EVENT(TRACE_SIGNAL, t, n, bits, woken, vcpu)
#define trace_irq(t, irq, n, badge) TRACE_EVENT(TRACE_IRQ, t, irq, n, badge, 0)
#define trace_upcall(t, cause, addr, from_user, pc)                                                \
    TRACE_EVENT(TRACE_UPCALL, t, cause, addr, from_user, pc)
#define trace_resume(t, mode, pc) TRACE_EVENT(TRACE_RESUME, t, mode, pc, 0, 0)
#define trace_fault(t, kind, pc, addr, status, handled)                                            \
    TRACE_EVENT(TRACE_DETAIL(TRACE_FAULT, kind), t, pc, addr, status, handled)
#define trace_create(t, type, obj, count, bits) TRACE_EVENT(TRACE_CREATE, t, type, obj, count, bits)
#define trace_delete(t, type, obj) TRACE_EVENT(TRACE_DELETE, t, type, obj, 0, 0)
#define trace_name(t, w) TRACE_EVENT(TRACE_NAME, t, (w)[0], (w)[1], (w)[2], (w)[3])
#define trace_user(t, id, a, b, c, d) TRACE_EVENT(TRACE_DETAIL(TRACE_USER, id), t, a, b, c, d)
#define trace_vtimer(t, timer, line, lo, hi) TRACE_EVENT(TRACE_VTIMER, t, timer, line, lo, hi)
#define trace_at_shutdown() TRACE_DUMP_AT_SHUTDOWN()
#endif
