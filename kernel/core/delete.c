/* SPDX-License-Identifier: BSD-2-Clause */
/* Deleting capabilities, destroying objects, revoking derivation subtrees.
 *
 * Deleting the last cap to an object that holds slots (a CNode or a TCB)
 * deletes the caps inside it, which may be the last caps to further such
 * objects, and so on, with cycles possible. The walk does this without
 * recursion and in steps of constant cost (design.md 4.3): cap_delete()
 * repeats walk_step() on its `top` slot, with a preemption point after each
 * step, until the top is empty. A preempted walk keeps all of its state in
 * the caps, so the restarted system call (or any later walk that reaches the
 * same caps) continues it.
 *
 * Zombies. A final cap to a slot holder becomes a zombie (CAP_ZOMBIE): its
 * object is being destroyed, it cannot be copied, moved, invoked or looked
 * up through. Its fields (cap.h) then hold the walk's state:
 *   guard_bits  (CNode) the scan cursor in chunks of SCAN_CHUNK slots: every
 *               slot below it is empty, except possibly the walk's top;
 *   data, data2 the zombie's ring (next, previous slot), below; 0 if alone;
 *   CAP_PARKED  the cap lies in a slot of its own object, waiting in a ring.
 *
 * One step at the top, whose cap X is final:
 *  - X is no slot holder: remove it, or for an endpoint or notification
 *    with waiters / a page directory with mappings, first wake DRAIN_BATCH
 *    waiters / clear one entry per step (the cap a zombie: unusable);
 *  - X is a slot holder and no zombie yet: make it one (a TCB stops here);
 *  - X is a zombie: scan at most one chunk of its slots (never the top) for
 *    the first occupied slot s and work on s, below; an empty chunk moves
 *    the cursor on; no occupied slot left: if X's ring holds another
 *    zombie, move that one into X (it is then found by the scan), else
 *    remove X: its object is destroyed.
 * One step on s inside X: a cap that is not final, or no slot holder, is
 * removed as above; a final slot holder becomes a zombie Y; a zombie Y (if
 * it has a ring, the rest of its ring first joins X's) is not descended
 * into: its first occupied slot t is *pulled up* instead, t's cap swapped
 * into s and Y parked in t, inside its own object, in X's ring. So the walk
 * never looks more than one level below the top, and nested CNodes, however
 * deep, cost a constant per capability.
 *
 * Rings. The zombies one walk still has to finish are a circular doubly
 * linked ring through data/data2: its head (the top's zombie) and parked
 * zombies. A parked zombie is reachable only through the derivation tree (a
 * revoke of its untyped): such a walk takes it out of its ring (O(1)) and
 * continues it where it lies. A zombie the scan finds active in s (the top
 * of a walk that was preempted and never resumed) hands the rest of its ring
 * to X's. Each ring has at most one member that is not parked, at the top
 * of its walk.
 *
 * Termination: every step removes a cap, makes an object a zombie, moves a
 * cap one level up the nesting (a pull: the pulled cap and everything below
 * it are one object closer to a top; nothing ever moves down), merges two
 * rings, or advances a scan cursor over empty slots; unparking a zombie in
 * place happens once per parking, and a zombie continued where it lies is
 * never parked again by another walk (its slot is inside its own object,
 * which only its own walk scans, skipping the top). */
#include <assert.h>
#include <config.h>
#include <invoke.h>
#include <ipc.h>
#include <object/lifecycle.h>
#include <object/vcpu.h>
#include <registry.h>
#include <sched.h>
#include <trace.h>
#include <string.h>

#define SCAN_CHUNK_BITS 8 /* 256 slots per step; a radix-16 CNode has 256 chunks */
#define SCAN_CHUNK BIT(SCAN_CHUNK_BITS)
#define DRAIN_BATCH 16 /* waiters woken per step when an endpoint or notification dies */

STATIC_ASSERT(16 - SCAN_CHUNK_BITS <= 8, "a CNode's chunk cursor fits guard_bits");

/* --- zombie rings ------------------------------------------------------------- */

static cte_t *ring_next(const cte_t *z)
{
    return (cte_t *)z->cap.data;
}
static cte_t *ring_prev(const cte_t *z)
{
    return (cte_t *)z->cap.data2;
}

/* Take z out of its ring. */
static void ring_unlink(cte_t *z)
{
    cte_t *n = ring_next(z), *p = ring_prev(z);
    assert_debug(!n || (ring_prev(n) == z && ring_next(p) == z));
    if (n) {
        if (n == p) {
            n->cap.data = n->cap.data2 = 0; /* two become one */
        } else {
            p->cap.data = (uintptr_t)n;
            n->cap.data2 = (uintptr_t)p;
        }
    }
    z->cap.data = z->cap.data2 = 0;
}

/* Join the rings of a and b, two different rings (either may be a zombie
 * alone): splice the two circles into one. */
static void ring_join(cte_t *a, cte_t *b)
{
    assert_debug(a != b && (!ring_next(a) || ring_prev(ring_next(a)) == a) &&
                 (!ring_next(b) || ring_prev(ring_next(b)) == b));
    cte_t *an = ring_next(a) ? ring_next(a) : a, *bn = ring_next(b) ? ring_next(b) : b;
    a->cap.data = (uintptr_t)bn;
    bn->cap.data2 = (uintptr_t)a;
    b->cap.data = (uintptr_t)an;
    an->cap.data2 = (uintptr_t)b;
}

/* The zombie in `z` moved there: its ring neighbours point at it again. */
static void ring_moved(cte_t *z)
{
    if (ring_next(z)) {
        ring_next(z)->cap.data2 = (uintptr_t)z;
        ring_prev(z)->cap.data = (uintptr_t)z;
    }
}

static bool cap_is_zombie(const cap_t *c)
{
    return (c->rights & CAP_ZOMBIE) != 0;
}

/* A cap the walk moves between slots: its tree position, mapping shadows,
 * reply holder and ring follow it. A cap leaving a TCB's own slot first
 * lets the TCB drop what it cached from it (tcb_slot_lost finds the TCB by
 * the slot's address, so the flag must not travel). */
static void walk_move(cte_t *src, cte_t *dst)
{
    if (src->cap.rights & CAP_IN_TCB) {
        tcb_slot_lost(src);
        src->cap.rights &= (uint8_t)~CAP_IN_TCB;
    }
    cap_move(src, dst);
    if (cap_is_zombie(&dst->cap) && cap_has_slots(&dst->cap))
        ring_moved(dst);
}

static void walk_swap(cte_t *a, cte_t *b)
{
    cte_t tmp = {0};
    walk_move(a, &tmp);
    walk_move(b, a);
    walk_move(&tmp, b);
}

/* --- slots of a slot holder ------------------------------------------------------ */

static cte_t *holder_slots(const cap_t *c, word_t *n)
{
    if (c->type == L4_OBJ_CNODE) {
        *n = BIT(c->bits);
        return (cte_t *)c->obj;
    }
    *n = TCB_SLOTS;
    return tcb_of_cap(c)->slots;
}

#define SCAN_FOUND 0
#define SCAN_MOVED 1 /* an empty chunk: the cursor moved on */
#define SCAN_EMPTY 2 /* no occupied slot (other than skip) left */

/* Look at one chunk of the zombie `c`'s slots for the first occupied one
 * other than `skip`. A TCB's seven slots are one chunk. */
word_t delete_debug_step_slots;

static int holder_scan(cap_t *c, const cte_t *skip, cte_t **found)
{
    word_t n;
    cte_t *slots = holder_slots(c, &n);
    word_t from = 0, to = n;
    if (c->type == L4_OBJ_CNODE) {
        from = (word_t)c->guard_bits << SCAN_CHUNK_BITS;
        to = from + SCAN_CHUNK < n ? from + SCAN_CHUNK : n;
    }
    if (CONFIG_DEBUG)
        delete_debug_step_slots += to - from;
    for (word_t i = from; i < to; i++) {
        if (!cap_is_null(&slots[i].cap) && &slots[i] != skip) {
            *found = &slots[i];
            return SCAN_FOUND;
        }
    }
    if (to == n)
        return SCAN_EMPTY;
    c->guard_bits++;
    return SCAN_MOVED;
}

/* --- removing one cap ------------------------------------------------------------ */

static void object_finalise(const cap_t *c)
{
    trace_delete(ks_cur, c->type, c->obj);
    switch (c->type) {
    case L4_OBJ_ENDPOINT:
        endpoint_finalise((endpoint_t *)c->obj);
        break;
    case L4_OBJ_NOTIFICATION:
        notification_finalise((notification_t *)c->obj);
        break;
    case L4_OBJ_TCB: /* stopped when its cap became a zombie; now its memory goes */
        registry_del(tcb_of_cap(c));
        break;
    case L4_OBJ_PAGE_DIRECTORY:
        vspace_pd_finalise(c);
        break;
    case L4_OBJ_IRQ_HANDLER:
        irq_handler_finalise(c->obj);
        break;
    case L4_OBJ_VCPU:
        vcpu_finalise((vcpu_t *)c->obj);
        break;
    default: /* untyped, CNode (already empty), frames, page tables, IRQ control, machine */
        break;
    }
}

/* Remove the cap in `slot`; if final, destroy its object (whose remaining
 * work, waiters or mappings, has been done step by step already). */
static void remove_one(cte_t *slot, bool final)
{
    cap_t c = slot->cap;
    if (cap_maps_memory(&c))
        vspace_cap_unmap(slot);
    if (c.type == L4_OBJ_REPLY)
        reply_cap_release(slot);
    if (c.rights & CAP_IN_TCB)
        tcb_slot_lost(slot);
    if (cap_is_zombie(&c) && cap_has_slots(&c))
        ring_unlink(slot);
    cdt_remove(slot);
    if (final)
        object_finalise(&c);
}

/* One step towards removing the cap in x, which holds no slots. Endpoints
 * and notifications wake their waiters a batch at a time and page
 * directories clear one mapping at a time first, as zombies: without rights,
 * so no system call uses them meanwhile (and no copy exists: it is final). */
static bool ipc_object_drain(const cap_t *c, word_t batch)
{
    return c->type == L4_OBJ_ENDPOINT ? endpoint_drain((endpoint_t *)c->obj, batch)
                                      : notification_drain((notification_t *)c->obj, batch);
}

static void leaf_step(cte_t *x, bool final)
{
    cap_t *c = &x->cap;
    if (final && (c->type == L4_OBJ_ENDPOINT || c->type == L4_OBJ_NOTIFICATION)) {
        if (!cap_is_zombie(c)) {
            if (!ipc_object_drain(c, 0)) { /* waiters: drain them step by step */
                c->rights = CAP_ZOMBIE;
                if (c->type == L4_OBJ_NOTIFICATION)
                    notification_detach((notification_t *)c->obj);
                return;
            }
        } else if (!ipc_object_drain(c, DRAIN_BATCH)) {
            return;
        }
    }
    if (final && c->type == L4_OBJ_PAGE_DIRECTORY) {
        c->rights |= CAP_ZOMBIE;
        if (vspace_pd_clear_next(c))
            return;
    }
    remove_one(x, final);
}

/* A final slot holder becomes a zombie; a thread stops before any of its
 * slots is emptied, so it never runs with half of its caps gone. */
static void make_zombie(cte_t *x)
{
    cap_t *c = &x->cap;
    c->rights |= CAP_ZOMBIE;
    c->rights &= (uint8_t)~CAP_PARKED;
    c->guard_bits = 0;
    c->data = c->data2 = 0;
    if (c->type == L4_OBJ_TCB)
        tcb_finalise(tcb_of_cap(c));
}

static bool slot_final(const cte_t *x)
{
    return cap_is_zombie(&x->cap) || cdt_is_final(x);
}

/* One step on s, an occupied slot inside the zombie at `top`. */
static void inner_step(cte_t *top, cte_t *s)
{
    cap_t *y = &s->cap;
    bool final = slot_final(s);
    if (!cap_has_slots(y) || !final) {
        leaf_step(s, final);
        return;
    }
    if (!cap_is_zombie(y)) {
        make_zombie(s);
        return;
    }
    /* Parked zombies lie in their own objects, which no other walk scans. */
    assert(!(y->rights & CAP_PARKED));
    if (ring_next(s)) { /* the top of an abandoned walk: its ring joins ours */
        cte_t *rest = ring_next(s);
        ring_unlink(s);
        ring_join(top, rest);
        return;
    }
    cte_t *t;
    int r = holder_scan(y, s, &t);
    if (r == SCAN_MOVED)
        return;
    if (r == SCAN_EMPTY) {
        assert_debug(!ring_next(s)); /* its ring was handed over above */
        remove_one(s, true);
        return;
    }
    /* Pull t's cap up into s; Y goes into t, a slot of its own object. If t
     * is the top (Y contains it), the top's zombie comes into s, inside its
     * own object too: it is parked and Y becomes the top's zombie. */
    walk_swap(s, t);
    if (t == top) {
        s->cap.rights |= CAP_PARKED;
        ring_join(top, s);
    } else {
        t->cap.rights |= CAP_PARKED;
        ring_join(top, t);
    }
}

/* One step on the zombie at `top`. */
static void zombie_step(cte_t *top)
{
    cap_t *x = &top->cap;
    cte_t *s;
    int r = holder_scan(x, top, &s);
    if (r == SCAN_FOUND) {
        inner_step(top, s);
        return;
    }
    if (r == SCAN_MOVED)
        return;
    cte_t *q = ring_next(top);
    assert_debug(!q || (q->cap.rights & CAP_PARKED)); /* ZOMBIE-RINGS */
    if (!q) {
        remove_one(top, true); /* nothing in it, nothing owed: destroyed */
        return;
    }
    /* Empty, but the ring holds a parked zombie: put it into this object's
     * first slot (not the top), where the scan finds it and pulls from it. */
    word_t n;
    cte_t *slots = holder_slots(x, &n);
    cte_t *e = &slots[0] == top ? &slots[1] : &slots[0];
    ring_unlink(q);
    q->cap.rights &= (uint8_t)~CAP_PARKED;
    walk_move(q, e);
    x->guard_bits = 0;
}

static void walk_step(cte_t *top)
{
    cap_t *c = &top->cap;
    bool final = slot_final(top);
    if (!cap_has_slots(c) || !final) {
        leaf_step(top, final);
        return;
    }
    if (!cap_is_zombie(c)) {
        make_zombie(top);
        return;
    }
    if (c->rights & CAP_PARKED) {
        /* Reached through the derivation tree (a revoke): it is continued
         * here, where it lies, and its old walk no longer owes it. */
        ring_unlink(top);
        c->rights &= (uint8_t)~CAP_PARKED;
        return;
    }
    zombie_step(top);
}

bool cap_delete(cte_t *top)
{
    while (!cap_is_null(&top->cap)) {
        if (CONFIG_DEBUG)
            delete_debug_step_slots = 0;
        walk_step(top);
        if (!cap_is_null(&top->cap) && preemption_point())
            return false;
    }
    return true;
}

bool cap_revoke(cte_t *slot)
{
    while (slot->first_child) {
        if (!cap_delete(slot->first_child))
            return false;
        if (slot->first_child && preemption_point())
            return false;
    }
    if (slot->cap.type == L4_OBJ_UNTYPED) {
        slot->cap.data = 0;  /* no children left: the memory may be reused */
        slot->cap.data2 = 0; /* ... and is no longer known to be zero */
    }
    return true;
}

cap_t cap_derive(const cap_t *src)
{
    cap_t c = *src;
    c.rights &= (uint8_t)~CAP_IN_TCB;
    if (cap_maps_memory(&c)) {
        c.data = 0;  /* a copy starts unmapped */
        c.data2 = 0; /* ... with no maintenance of its own in progress */
    }
    return c;
}

void cap_insert_copy(cte_t *src, cte_t *dst, const cap_t *cap)
{
    /* A copy with a different badge or guard is a child (revoking the
     * original removes it); an identical copy is a child too, so that
     * revoke on an original removes every copy made from it. */
    cdt_insert_child(src, dst, cap);
}

void cap_move(cte_t *src, cte_t *dst)
{
    cdt_move(src, dst);
    if (dst->cap.type == L4_OBJ_REPLY) {
        tcb_t *caller = tcb_of_cap(&dst->cap);
        if (caller->reply_holder == src)
            caller->reply_holder = dst;
    }
    vspace_cap_moved(dst);
}
