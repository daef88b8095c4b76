/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug invariant checker (invariants.h): the walk over what one thread
 * reaches, its bounds and the report. The checks themselves are in
 * invariants_cap.c (slots, derivation tree, zombies, untyped),
 * invariants_thread.c (threads, queues, bindings, IRQ lines) and
 * invariants_vspace.c (mappings, shadows, ASIDs).
 *
 * Nothing here changes kernel state. The walk is breadth first through a
 * queue of reached objects (a set remembers which were reached), so no
 * check recurses: the kernel has one 8 KiB stack. The checker's own state is
 * static and sized for the debug configuration only (one entry otherwise:
 * the code is never called then). It runs with interrupts masked for as long
 * as it takes: a debug check, not a kernel operation. Compiled for the host
 * unit tests too (test/unit/test_invariants.c). */
#include <invariants.h>
#include <config.h>
#include <printk.h>
#include <registry.h>

#define SEEN_SIZE (CONFIG_DEBUG ? BIT(INV_SEEN_BITS) : 1u)
#define QUEUE_SIZE (SEEN_SIZE / 2) /* every object is queued once */

inv_result_t *inv_res;
static uintptr_t ram_lo, ram_hi;
static word_t steps;

/* Objects reached: open addressing on the address tagged with the type
 * (objects are at least 16-byte aligned). `gen` makes clearing O(1). */
static struct {
    uintptr_t key;
    word_t gen;
} seen[SEEN_SIZE];
static word_t seen_gen, seen_count;

static struct {
    const void *obj;
    uint8_t type;
    word_t extra;
} queue[QUEUE_SIZE];
static word_t queue_len;

static const char *const names[INV_CODES] = {
    "ok",
    "check incomplete (a bound of the walk was reached)",
    "pointer outside kernel memory",
    "capability of no known type",
    "empty slot with derivation links",
    "sibling links inconsistent",
    "parent's first child is another slot",
    "first child's parent is another slot",
    "a child that is not first records a parent",
    "CHILDREN-SHARE-THE-OBJECT",
    "SAME-OBJECT-RUNS",
    "capability fields out of range",
    "untyped child outside the untyped's used part",
    "zombie not final or of a wrong type",
    "ZOMBIE-RINGS",
    "CAP_IN_TCB outside a TCB's own slots",
    "reply capability without a caller waiting on it",
    "waiting caller without its reply capability",
    "thread state",
    "ready queue links, priority or state",
    "ready bitmap disagrees with the queues",
    "queued iff runnable and not running",
    "blocked on an object whose queue lacks the thread",
    "endpoint queue",
    "notification",
    "bound notification or vCPU back-pointer",
    "TCB's cached address space or IPC buffer",
    "mapped capability without its shadow entry",
    "shadow entry not naming a capability mapped there",
    "ASID table",
    "IRQ lines",
    "TCB registry",
    "vCPU timer heap",
    "vCPU line priorities",
};
STATIC_ASSERT(ARRAY_SIZE(names) == INV_CODES, "a name for every code");

const char *invariants_name(word_t code)
{
    return code < INV_CODES ? names[code] : "?";
}

bool inv_fail(word_t code, const void *a, const void *b, const char *file, word_t line)
{
    if (inv_res->code == INV_OK) {
        inv_res->code = code;
        inv_res->a = (uintptr_t)a;
        inv_res->b = (uintptr_t)b;
        inv_res->file = file;
        inv_res->line = line;
    }
    return false;
}

bool inv_step(void)
{
    INV_EXPECT_B(++steps <= INV_MAX_STEPS, INV_LIMIT, NULL, NULL);
    return true;
}

bool inv_ptr_ok(const void *p, word_t size, word_t align)
{
    uintptr_t a = (uintptr_t)p;
    bool ok = a >= ram_lo && a < ram_hi && size <= ram_hi - a && !(a & (align - 1));
    INV_EXPECT_B(ok, INV_BAD_POINTER, p, NULL);
    return true;
}

void inv_reach(word_t type, const void *obj, word_t extra)
{
    uintptr_t key = (uintptr_t)obj | (type & 0xfu);
    word_t h = (word_t)(((uint64_t)key >> 4) * 2654435761u) & (SEEN_SIZE - 1);
    while (seen[h].gen == seen_gen) {
        if (seen[h].key == key)
            return;
        h = (h + 1) & (SEEN_SIZE - 1);
    }
    INV_EXPECT(queue_len < QUEUE_SIZE, INV_LIMIT, obj, NULL); /* more than it can follow */
    seen[h].key = key;
    seen[h].gen = seen_gen;
    seen_count++;
    queue[queue_len].obj = obj;
    queue[queue_len].type = (uint8_t)type;
    queue[queue_len].extra = extra;
    queue_len++;
}

static void check_object(word_t type, const void *obj, word_t extra)
{
    inv_res->objects++;
    switch (type) {
    case L4_OBJ_CNODE:
        inv_check_cnode(obj, extra);
        break;
    case L4_OBJ_TCB: { /* extra: 1 through a zombie cap, 2 on the registry alone */
        const tcb_t *t = obj;
        bool detached = t->state == THREAD_INACTIVE && !t->bound_ntfn && !t->vcpu;
        inv_check_tcb(t, extra == 1 || (extra == 2 && detached));
        break;
    }
    case L4_OBJ_ENDPOINT:
        inv_check_endpoint(obj);
        break;
    case L4_OBJ_NOTIFICATION:
        inv_check_notification(obj);
        break;
    case L4_OBJ_VCPU:
        inv_check_vcpu(obj);
        break;
    case L4_OBJ_PAGE_DIRECTORY:
        inv_check_page_directory(obj, extra);
        break;
    case L4_OBJ_UNTYPED: /* keyed by its slot: a subtree at the top of the tree */
        inv_check_subtree(obj);
        break;
    case L4_OBJ_IRQ_CONTROL:
        inv_check_irq_lines(obj);
        break;
    default:
        break;
    }
}

word_t invariants_check(const tcb_t *t, uintptr_t lo, uintptr_t hi, inv_result_t *r)
{
    if (!CONFIG_DEBUG)
        return INV_OK;
    *r = (inv_result_t){0};
    inv_res = r;
    ram_lo = lo;
    ram_hi = hi;
    steps = 0;
    seen_gen++;
    seen_count = 0;
    queue_len = 0;
    inv_reach(L4_OBJ_TCB, t, 0); /* its slots, hence its CSpace root */
    inv_check_ready_queues();    /* and every runnable thread */
    if (inv_ok())
        inv_check_vcpu_timers(); /* and every vCPU with a timer armed */
    word_t i = 0;
    for (; i < queue_len && inv_ok(); i++)
        check_object(queue[i].type, queue[i].obj, queue[i].extra);
    /* Then every thread there is, after those reached through caps (so a
     * zombie TCB is known as one when its cap was reached). */
    if (CONFIG_TCB_REGISTRY && inv_ok()) {
        if (!registry_walk_ok())
            INV_FAIL(INV_REGISTRY, tcb_registry, tcb_registry_tail);
        for (const tcb_t *x = tcb_registry; x && inv_ok(); x = x->reg_next)
            inv_reach(L4_OBJ_TCB, x, 2);
        for (; i < queue_len && inv_ok(); i++)
            check_object(queue[i].type, queue[i].obj, queue[i].extra);
    }
    if (inv_ok())
        inv_check_asids();
    if (!inv_ok())
        printk("[kernel] invariant violated: %s (%s:%u): 0x%08x 0x%08x\n", invariants_name(r->code),
               r->file, r->line, (word_t)r->a, (word_t)r->b);
    return r->code;
}
