/* SPDX-License-Identifier: BSD-2-Clause */
/* Invariant checks of one slot (invariants.h): its derivation links, its
 * list of children, its capability's fields and flags, zombies and their
 * rings; and the walk of an untyped's whole derivation subtree. What the
 * capability names (objects, callers, tables) is reached for its own checks.
 * The representation checked is core/cdt.c's: parent on the first child
 * only, circular sibling lists (both links NULL without siblings). */
#include <config.h>
#include <invariants.h>
#include <irq.h>
#include <object/objects.h>
#include <platform.h>

#define SLOT_ALIGN sizeof(void *)
#define LAST_TYPE L4_OBJ_MACHINE

/* Objects in one list of children (SAME-OBJECT-RUNS): a small set with a
 * generation, cleared in O(1) per list. Longer lists are checked up to it. */
#define RUN_BITS 11
#define RUN_SIZE (CONFIG_DEBUG ? BIT(RUN_BITS) : 1u)
static struct {
    uintptr_t obj;
    word_t type, gen;
} runs[RUN_SIZE];
static word_t run_gen, run_count;

/* Record that a run of caps to `c`'s object starts; false if one did before. */
static bool run_start(const cap_t *c)
{
    word_t h = (word_t)(((uint64_t)c->obj >> 4) * 2654435761u + c->type) & (RUN_SIZE - 1);
    while (runs[h].gen == run_gen) {
        if (runs[h].obj == c->obj && runs[h].type == c->type)
            return false;
        h = (h + 1) & (RUN_SIZE - 1);
    }
    if (run_count * 2 < RUN_SIZE) {
        runs[h].obj = c->obj;
        runs[h].type = c->type;
        runs[h].gen = run_gen;
        run_count++;
    }
    return true;
}

/* Bytes of the object a cap of an untyped's list of children names. */
static uintptr_t object_bytes(const cap_t *c)
{
    switch (c->type) {
    case L4_OBJ_UNTYPED:
        return BIT(c->bits);
    case L4_OBJ_CNODE:
        return BIT(c->bits + CTE_BITS);
    case L4_OBJ_TCB:
        return BIT(L4_OBJ_TCB_BITS);
    case L4_OBJ_PAGE_DIRECTORY:
        return BIT(L4_OBJ_PAGE_DIRECTORY_BITS);
    case L4_OBJ_PAGE_TABLE:
        return BIT(L4_OBJ_PAGE_TABLE_BITS);
    case L4_OBJ_FRAME_4K:
        return BIT(L4_OBJ_FRAME_4K_BITS);
    case L4_OBJ_FRAME_64K:
        return BIT(L4_OBJ_FRAME_64K_BITS);
    case L4_OBJ_FRAME_1M:
        return BIT(L4_OBJ_FRAME_1M_BITS);
    default: /* endpoint, notification, vCPU */
        return 16;
    }
}

const cte_t *inv_parent_of(const cte_t *s)
{
    const cte_t *x = s;
    for (word_t n = 0; !x->parent && x->prev && x->prev != s; n++) {
        if (n >= INV_MAX_LIST || !inv_step())
            return NULL;
        x = x->prev;
    }
    return x->parent;
}

/* The four links are mutually consistent with the neighbours'. */
static bool check_links(const cte_t *s)
{
    const cte_t *n = s->next, *p = s->prev;
    if (n || p) {
        INV_EXPECT_B(n && p && n != s, INV_SIBLINGS, s, n);
        INV_NEED_B(inv_ptr_ok(n, sizeof(cte_t), SLOT_ALIGN));
        INV_NEED_B(inv_ptr_ok(p, sizeof(cte_t), SLOT_ALIGN));
        INV_EXPECT_B(n->prev == s, INV_SIBLINGS, s, n);
        INV_EXPECT_B(p->next == s, INV_SIBLINGS, s, p);
    }
    if (s->parent) {
        INV_NEED_B(inv_ptr_ok(s->parent, sizeof(cte_t), SLOT_ALIGN));
        INV_EXPECT_B(s->parent->first_child == s, INV_PARENT, s, s->parent);
    }
    if (s->first_child) {
        INV_NEED_B(inv_ptr_ok(s->first_child, sizeof(cte_t), SLOT_ALIGN));
        INV_EXPECT_B(s->first_child->parent == s, INV_FIRST_CHILD, s, s->first_child);
    }
    return true;
}

/* c, a child of the untyped p, lies in the part p has used. */
static bool in_untyped(const cap_t *p, const cap_t *c)
{
    uintptr_t off = c->obj - p->obj;
    return c->obj >= p->obj && off <= p->data && object_bytes(c) <= p->data - off;
}

/* The list of p's children: only the head records its parent; children of
 * anything but an untyped or IRQ control are caps to p's object
 * (CHILDREN-SHARE-THE-OBJECT); caps to one object are contiguous
 * (SAME-OBJECT-RUNS); an untyped's children lie in its used part. */
static void check_children(const cte_t *p)
{
    const cte_t *head = p->first_child, *c = head, *prev = NULL;
    bool mixed = p->cap.type == L4_OBJ_UNTYPED || p->cap.type == L4_OBJ_IRQ_CONTROL;
    run_gen++;
    run_count = 0;
    for (word_t n = 0; c && inv_ok(); n++) {
        INV_EXPECT(n < INV_MAX_LIST, INV_LIMIT, p, c);
        INV_NEED(inv_step() && inv_ptr_ok(c, sizeof(cte_t), SLOT_ALIGN));
        INV_EXPECT(c == head || !c->parent, INV_NOT_FIRST, c, c->parent);
        INV_EXPECT(!c->next || c->next->prev == c, INV_SIBLINGS, c, c->next);
        INV_EXPECT(mixed || cap_same_object(&c->cap, &p->cap), INV_CHILD_OBJECT, p, c);
        bool run_goes_on = prev && cap_same_object(&prev->cap, &c->cap);
        INV_EXPECT(!mixed || run_goes_on || run_start(&c->cap), INV_SAME_OBJECT, p, c);
        INV_EXPECT(p->cap.type != L4_OBJ_UNTYPED || in_untyped(&p->cap, &c->cap), INV_UNTYPED_CHILD,
                   p, c);
        prev = c;
        c = c->next == head ? NULL : c->next;
    }
}

/* The other members of the ring of s, the one member not parked (the top
 * of its walk): consistent links, zombie slot holders, all parked. */
static void check_ring(const cte_t *s)
{
    const cte_t *z = (const cte_t *)s->cap.data;
    for (word_t n = 0; z != s; n++) {
        INV_EXPECT(n < INV_MAX_LIST, INV_LIMIT, s, z);
        INV_NEED(inv_step() && inv_ptr_ok(z, sizeof(cte_t), SLOT_ALIGN));
        const cte_t *zn = (const cte_t *)z->cap.data;
        word_t want = CAP_ZOMBIE | CAP_PARKED; /* two walks' tops in one ring: not */
        INV_EXPECT((z->cap.rights & want) == want && cap_has_slots(&z->cap) && zn, INV_ZOMBIE_RING,
                   s, z);
        INV_NEED(inv_ptr_ok(zn, sizeof(cte_t), SLOT_ALIGN));
        INV_EXPECT((const cte_t *)zn->cap.data2 == z, INV_ZOMBIE_RING, z, zn);
        z = zn;
    }
}

/* A zombie CNode or TCB: its ring is a consistent circle of zombie slot
 * holders with at most one member not parked; a parked one lies in a slot
 * of its own object; a CNode's slots below the scan cursor are empty, but
 * for at most one (the walk's top, when it lies inside). */
static void check_zombie_holder(const cte_t *s)
{
    const cap_t *c = &s->cap;
    const cte_t *next = (const cte_t *)c->data, *prev = (const cte_t *)c->data2;
    INV_EXPECT(!next == !prev, INV_ZOMBIE_RING, s, next);
    if (next) {
        INV_NEED(inv_ptr_ok(next, sizeof(cte_t), SLOT_ALIGN));
        INV_NEED(inv_ptr_ok(prev, sizeof(cte_t), SLOT_ALIGN));
        INV_EXPECT((const cte_t *)next->cap.data2 == s, INV_ZOMBIE_RING, s, next);
        INV_EXPECT((const cte_t *)prev->cap.data == s, INV_ZOMBIE_RING, s, prev);
    }
    bool cnode = c->type == L4_OBJ_CNODE;
    uintptr_t lo = cnode ? c->obj : c->obj + offsetof(tcb_t, slots);
    uintptr_t hi = lo + (cnode ? BIT(c->bits + CTE_BITS) : TCB_SLOTS * sizeof(cte_t));
    word_t below = cnode ? (word_t)c->guard_bits << 8 : 0, occupied = 0;
    INV_EXPECT(!below || below < BIT(c->bits), INV_ZOMBIE, s, NULL); /* cursor in range */
    bool inside = (uintptr_t)s >= lo && (uintptr_t)s < hi;
    INV_EXPECT(inside || !(c->rights & CAP_PARKED), INV_ZOMBIE_RING, s, NULL);
    const cte_t *slots = (const cte_t *)c->obj;
    for (word_t i = 0; i < below; i++) { /* below the cursor: emptied, but for the top */
        INV_NEED(inv_step());
        const cap_t *x = &slots[i].cap;
        if (cap_is_null(x))
            continue;
        bool top = ++occupied == 1 && cap_has_slots(x) && (x->rights & CAP_ZOMBIE);
        INV_EXPECT(top, INV_ZOMBIE_RING, s, &slots[i]);
    }
    if (next && !(c->rights & CAP_PARKED))
        check_ring(s);
}

/* CAP_ZOMBIE, CAP_PARKED, CAP_IN_TCB and CAP_GUEST_USER where they may be. */
static bool check_flags(const cte_t *s, int where, const tcb_t *owner)
{
    const cap_t *c = &s->cap;
    bool in_tcb_slot =
        where == INV_SLOT_UNKNOWN || (where == INV_SLOT_TCB && s != &owner->slots[TCB_SLOT_CALLER]);
    INV_EXPECT_B(in_tcb_slot || !(c->rights & CAP_IN_TCB), INV_IN_TCB, s, owner);
    bool root_slot = where == INV_SLOT_UNKNOWN ||
                     (where == INV_SLOT_TCB && s == &owner->slots[TCB_SLOT_CSPACE]);
    INV_EXPECT_B(root_slot || !(c->rights & CAP_GUEST_USER), INV_IN_TCB, s, owner);
    bool zombie = (c->rights & CAP_ZOMBIE) != 0,
         ipc = c->type == L4_OBJ_ENDPOINT || c->type == L4_OBJ_NOTIFICATION;
    INV_EXPECT_B(zombie || !(c->rights & CAP_PARKED), INV_ZOMBIE, s, NULL);
    if (!zombie)
        return true;
    /* Slot holders, page directories being emptied, endpoints and
     * notifications being drained (without rights: nobody uses them). */
    bool kind =
        cap_has_slots(c) || c->type == L4_OBJ_PAGE_DIRECTORY || (ipc && c->rights == CAP_ZOMBIE);
    INV_EXPECT_B(kind, INV_ZOMBIE, s, NULL);
    INV_EXPECT_B(cap_has_slots(c) || !(c->rights & CAP_PARKED), INV_ZOMBIE, s, NULL);
    /* The last cap to its object: no copies anywhere near it. */
    INV_EXPECT_B(!s->first_child && cdt_is_final(s), INV_ZOMBIE, s, s->first_child);
    if (cap_has_slots(c))
        check_zombie_holder(s);
    return inv_ok();
}

/* A reply cap names a caller that waits on exactly this slot, and is a
 * root of the tree with no siblings and no children. */
static void check_reply(const cte_t *s)
{
    const tcb_t *caller = tcb_of_cap(&s->cap);
    INV_EXPECT(!s->parent && !s->first_child && !s->next, INV_REPLY, s, NULL);
    INV_NEED(inv_ptr_ok(caller, BIT(L4_OBJ_TCB_BITS), BIT(L4_OBJ_TCB_BITS)));
    bool waits = caller->state == THREAD_BLOCKED_REPLY || caller->state == THREAD_BLOCKED_FAULT;
    INV_EXPECT(waits && caller->reply_holder == s, INV_REPLY, s, caller);
    inv_reach(L4_OBJ_TCB, caller, 0);
}

static bool untyped_fields_ok(const cap_t *c)
{
    return c->bits >= 4 && c->bits <= 28 && c->data <= BIT(c->bits) && c->data2 <= BIT(c->bits) &&
           !(c->obj & MASK(c->bits)) && !(c->mem_flags & ~CAP_MEM_DEVICE);
}

static bool cnode_fields_ok(const cap_t *c)
{
    bool guard =
        c->guard_bits + c->bits <= 32 && (c->guard_bits >= 32 || (c->data >> c->guard_bits) == 0);
    return c->bits >= 1 && c->bits <= 16 && !(c->obj & MASK(c->bits + CTE_BITS)) &&
           ((c->rights & CAP_ZOMBIE) || guard); /* a zombie's guard is its scan cursor */
}

static bool frame_fields_ok(const cap_t *c)
{
    return !(c->obj & (object_bytes(c) - 1)) && !(c->mem_flags & ~CAP_MEM_DEVICE) &&
           (c->type != L4_OBJ_PAGE_TABLE || !c->mem_flags);
}

/* Fields of the cap by its type, and what it names. */
static void check_cap(const cte_t *s)
{
    const cap_t *c = &s->cap;
    const void *obj = (const void *)c->obj;
    switch (c->type) {
    case L4_OBJ_UNTYPED:
        INV_EXPECT(untyped_fields_ok(c), INV_CAP_FIELDS, s, NULL);
        if (!inv_parent_of(s) && inv_ok())
            inv_reach(L4_OBJ_UNTYPED, s, 0); /* the top of a tree: walk all of it */
        return;
    case L4_OBJ_CNODE:
        INV_EXPECT(cnode_fields_ok(c), INV_CAP_FIELDS, s, NULL);
        INV_NEED(inv_ptr_ok(obj, BIT(c->bits + CTE_BITS), 16));
        inv_reach(L4_OBJ_CNODE, obj, c->bits);
        return;
    case L4_OBJ_TCB:
        INV_NEED(inv_ptr_ok(obj, BIT(L4_OBJ_TCB_BITS), BIT(L4_OBJ_TCB_BITS)));
        inv_reach(L4_OBJ_TCB, obj, (c->rights & CAP_ZOMBIE) != 0);
        return;
    case L4_OBJ_ENDPOINT:
    case L4_OBJ_NOTIFICATION:
    case L4_OBJ_VCPU:
        INV_NEED(inv_ptr_ok(obj, 16, 16));
        inv_reach(c->type, obj, 0);
        return;
    case L4_OBJ_PAGE_DIRECTORY:
        INV_NEED(inv_ptr_ok(obj, BIT(L4_OBJ_PAGE_DIRECTORY_BITS), BIT(L4_OBJ_PAGE_DIRECTORY_BITS)));
        INV_EXPECT(c->data != 0 && c->data < 256, INV_CAP_FIELDS, s, NULL); /* its ASID */
        inv_reach(L4_OBJ_PAGE_DIRECTORY, obj, c->data);
        return;
    case L4_OBJ_PAGE_TABLE:
    case L4_OBJ_FRAME_4K:
    case L4_OBJ_FRAME_64K:
    case L4_OBJ_FRAME_1M:
        INV_EXPECT(frame_fields_ok(c), INV_CAP_FIELDS, s, NULL);
        if (c->data)
            inv_check_mapping(s);
        return;
    case L4_OBJ_REPLY:
        check_reply(s);
        return;
    case L4_OBJ_IRQ_HANDLER:
        inv_check_irq_handler(c);
        return;
    case L4_OBJ_IRQ_CONTROL:
        inv_reach(L4_OBJ_IRQ_CONTROL, s, 0);
        return;
    default: /* machine: no object */
        return;
    }
}

void inv_check_slot(const cte_t *s, int where, const tcb_t *owner)
{
    INV_NEED(inv_step());
    inv_res->slots++;
    const cap_t *c = &s->cap;
    bool linked = s->parent || s->first_child || s->next || s->prev;
    INV_EXPECT(!cap_is_null(c) || !linked, INV_EMPTY_LINKED, s, NULL);
    if (cap_is_null(c))
        return;
    INV_EXPECT(c->type <= LAST_TYPE, INV_BAD_TYPE, s, NULL);
    INV_NEED(check_links(s) && check_flags(s, where, owner));
    if (s->first_child)
        check_children(s);
    if (inv_ok())
        check_cap(s);
}

/* Pre-order through first_child and next: at the end of a list (the next
 * sibling is the head, the one that records the parent) go up to the
 * parent's next sibling. O(1) memory; each step checked before it is
 * taken, so a corrupt tree ends the walk with its violation. */
void inv_check_subtree(const cte_t *top)
{
    const cte_t *n = top->first_child;
    while (n && inv_ok()) {
        inv_check_slot(n, INV_SLOT_UNKNOWN, NULL);
        if (!inv_ok())
            return;
        if (n->first_child) {
            n = n->first_child;
            continue;
        }
        for (;;) {
            const cte_t *nx = n->next;
            if (nx && !nx->parent) {
                n = nx; /* the next sibling */
                break;
            }
            const cte_t *head = nx ? nx : n;
            n = head->parent; /* the list is done: its parent's is next */
            if (!n || n == top || !inv_step())
                return;
        }
    }
}

void inv_check_cnode(const cte_t *slots, word_t radix)
{
    for (word_t i = 0; i < BIT(radix) && inv_ok(); i++)
        inv_check_slot(&slots[i], INV_SLOT_CNODE, NULL);
}
