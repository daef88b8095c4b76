/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug configuration's invariant checker (core/invariants*.c): a walk
 * over everything reachable from one thread that checks the invariants of
 * design.md section 12 and reports the first violation precisely. It is
 * reached through machine_debug_check (object/machine.c) and compiled into
 * every configuration, but called only when CONFIG_DEBUG is set, so the
 * release kernel carries it as dead code the compiler drops.
 *
 * What is reached: the thread's TCB and CSpace root; every CNode and TCB a
 * reached capability names (their slots in turn); the whole derivation
 * subtree of every untyped capability found at the top of the tree (so every
 * object made from that memory, wherever its capabilities are); the threads
 * in every reached endpoint, notification and ready queue and behind every
 * reply capability; every page directory and page table a capability names.
 * Everything is checked when first reached: CDT links (parent on first
 * children only, circular sibling lists), SAME-OBJECT-RUNS,
 * CHILDREN-SHARE-THE-OBJECT, zombies and ZOMBIE-RINGS, reply cap <->
 * blocked caller, queued iff runnable and not running, ready-queue links
 * and bitmap, endpoint and notification queues, bindings, a TCB's cached
 * address space and IPC buffer, page-table shadows <-> capabilities, the
 * ASID table, IRQ lines, the vCPU timer heap, vCPU line priorities. The
 * walk is bounded (INV_MAX_* and a step budget); a check cut short reports
 * INV_LIMIT, never success. */
#pragma once
#include <cap.h>
#include <object/tcb.h>

/* Violation codes (out[0] of machine_debug_check; 0: every check held). */
enum inv_code {
    INV_OK = 0,
    INV_LIMIT,         /* the walk met one of its bounds: not checked */
    INV_BAD_POINTER,   /* a kernel pointer outside the kernel's memory */
    INV_BAD_TYPE,      /* a capability type no object has */
    INV_EMPTY_LINKED,  /* an empty slot with derivation links */
    INV_SIBLINGS,      /* next/prev not a consistent circular list */
    INV_PARENT,        /* parent set but the parent's first child is another */
    INV_FIRST_CHILD,   /* first_child's parent is not the slot */
    INV_NOT_FIRST,     /* a child that is not first records a parent */
    INV_CHILD_OBJECT,  /* CHILDREN-SHARE-THE-OBJECT */
    INV_SAME_OBJECT,   /* SAME-OBJECT-RUNS */
    INV_CAP_FIELDS,    /* size, guard, watermark or alignment out of range */
    INV_UNTYPED_CHILD, /* an untyped's child lies outside its used part */
    INV_ZOMBIE,        /* a zombie that is not final, or of a wrong type */
    INV_ZOMBIE_RING,   /* ZOMBIE-RINGS */
    INV_IN_TCB,        /* CAP_IN_TCB on a slot that is not a TCB's */
    INV_REPLY,         /* a reply cap whose caller does not wait on it */
    INV_REPLY_HOLDER,  /* a waiting caller without its reply cap */
    INV_THREAD_STATE,  /* a thread state, fault kind or slot out of place */
    INV_READY_QUEUE,   /* ready-queue links, priority or state */
    INV_READY_BITMAP,  /* bitmap bit set iff the queue is non-empty */
    INV_QUEUED,        /* queued iff runnable and not running */
    INV_BLOCKED_ON,    /* blocked on an object whose queue lacks it */
    INV_EP_QUEUE,      /* endpoint queue links, direction or state */
    INV_NTFN,          /* notification word, queue or binding */
    INV_BINDING,       /* bound notification or vCPU back-pointer */
    INV_TCB_CACHE,     /* cached address space / IPC buffer vs its slots */
    INV_MAPPING,       /* a mapped cap without the shadow entry naming it */
    INV_SHADOW,        /* a shadow entry not naming a cap mapped there */
    INV_ASID,          /* ASID table, free bitmap and count disagree */
    INV_IRQ,           /* IRQ line table vs handler caps */
    INV_REGISTRY,      /* the TCB registry's list (registry.h) */
    INV_VCPU_TIMER,    /* the vCPU timer heap (object/vcpu_timer.c) */
    INV_VCPU_PRIO,     /* a vCPU's line priorities vs its virq_below table */
    INV_CODES
};

/* The result: the first violation (code, the kernel addresses involved, the
 * checker's source line), and how much was checked. */
typedef struct {
    word_t code;
    uintptr_t a, b;
    const char *file; /* the check's source file and line */
    word_t line;
    word_t slots, objects, threads; /* distinct things checked */
} inv_result_t;

/* Check everything reachable from thread t (normally the caller). Memory
 * pointers must lie in [ram_lo, ram_hi) (the kernel window). Returns
 * r->code; prints a line naming the violation if there is one. */
word_t invariants_check(const tcb_t *t, uintptr_t ram_lo, uintptr_t ram_hi, inv_result_t *r);
const char *invariants_name(word_t code);
/* The test configuration debug-inject (core/invariants_inject.c): break
 * what message words 0 (a kind) and 1 (a cptr) say, check, put it back. */
struct invocation;
word_t inv_inject_check(struct invocation *inv);
/* Run the check over what inv's caller reaches and write the report
 * (L4_DEBUG_CHECK_*) into inv's results (object/machine.c). */
word_t invariants_report(struct invocation *inv);

/* --- internal to core/invariants*.c ---------------------------------------------- */
#define INV_SEEN_BITS 13         /* objects reached: a hash set of 2^13, filled at most half */
#define INV_MAX_STEPS (1u << 24) /* list and tree steps of one check */
#define INV_MAX_LIST 65536u      /* longest sibling list or queue followed */

/* Where a checked slot lies (CAP_IN_TCB is legal only in a TCB's own slots). */
#define INV_SLOT_UNKNOWN 0 /* reached through the derivation tree */
#define INV_SLOT_CNODE 1
#define INV_SLOT_TCB 2

/* Record a violation (the first one counts); false so checks can return it. */
bool inv_fail(word_t code, const void *a, const void *b, const char *file, word_t line);
#define INV_FAIL(code, a, b) inv_fail((code), (a), (b), __FILE__, __LINE__)
/* The checks read as lists of expectations, one a line, as with assert():
 * INV_EXPECT(cond, code, a, b) records the violation and leaves the check
 * if `cond` does not hold (INV_EXPECT_B: for checks returning bool);
 * INV_NEED(ok) leaves it if a helper that reports its own failure (a
 * pointer test, the step budget) said no. */
#define INV_EXPECT(cond, code, a, b)                                                               \
    do {                                                                                           \
        if (unlikely(!(cond))) {                                                                   \
            INV_FAIL((code), (a), (b));                                                            \
            return;                                                                                \
        }                                                                                          \
    } while (0)
#define INV_EXPECT_B(cond, code, a, b)                                                             \
    do {                                                                                           \
        if (unlikely(!(cond)))                                                                     \
            return INV_FAIL((code), (a), (b));                                                     \
    } while (0)
#define INV_NEED(ok)                                                                               \
    do {                                                                                           \
        if (!(ok))                                                                                 \
            return;                                                                                \
    } while (0)
#define INV_NEED_B(ok)                                                                             \
    do {                                                                                           \
        if (!(ok))                                                                                 \
            return false;                                                                          \
    } while (0)
/* One more step; false (and INV_LIMIT) once the budget is spent. */
bool inv_step(void);
/* p is a kernel pointer to `size` bytes aligned to `align` (a power of 2). */
bool inv_ptr_ok(const void *p, word_t size, word_t align);
/* The object (type L4_OBJ_*, address; `extra`: a CNode's radix, a page
 * directory's ASID) is reached: the first time, it is queued for its checks
 * (no recursion: the kernel has one small stack). */
void inv_reach(word_t type, const void *obj, word_t extra);
extern inv_result_t *inv_res;
/* No violation found so far (the walk goes on only while this holds). */
static inline bool inv_ok(void)
{
    return inv_res->code == 0;
}

/* invariants_cap.c: one slot (its cap and links, its child list), and the
 * objects its cap names. `where` is INV_SLOT_*; `owner` the TCB whose slot
 * it is (INV_SLOT_TCB). */
void inv_check_slot(const cte_t *s, int where, const tcb_t *owner);
/* The whole derivation subtree below an untyped slot. */
void inv_check_subtree(const cte_t *ut);
/* The slot's parent (NULL at the top of the tree), by the sibling list. */
const cte_t *inv_parent_of(const cte_t *s);

/* invariants_thread.c */
/* (zombie: reached through its zombie cap, being destroyed; or reached on
 * the registry alone, stopped and detached as a zombie is: maybe one) */
void inv_check_tcb(const tcb_t *t, bool zombie);
void inv_check_endpoint(const void *ep);
void inv_check_notification(const void *n);
void inv_check_vcpu(const void *v);
void inv_check_cnode(const cte_t *slots, word_t radix);
void inv_check_ready_queues(void);
/* The heap of armed vCPU timers: shape, order, links, owners (and the
 * vCPUs it names are reached). */
void inv_check_vcpu_timers(void);
void inv_check_irq_handler(const cap_t *c);
void inv_check_irq_lines(const cte_t *irq_control);

/* invariants_vspace.c */
void inv_check_mapping(const cte_t *s);
void inv_check_page_directory(const void *pd, word_t asid);
void inv_check_asids(void);
