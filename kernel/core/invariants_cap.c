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
    if (s->next || s->prev) {
        if (!s->next || !s->prev || s->next == s)
            return INV_FAIL(INV_SIBLINGS, s, s->next);
        if (!inv_ptr_ok(s->next, sizeof(cte_t), SLOT_ALIGN) ||
            !inv_ptr_ok(s->prev, sizeof(cte_t), SLOT_ALIGN))
            return false;
        if (s->next->prev != s || s->prev->next != s)
            return INV_FAIL(INV_SIBLINGS, s, s->next->prev != s ? s->next : s->prev);
    }
    if (s->parent &&
        (!inv_ptr_ok(s->parent, sizeof(cte_t), SLOT_ALIGN) || s->parent->first_child != s))
        return inv_ok() ? INV_FAIL(INV_PARENT, s, s->parent) : false;
    if (s->first_child &&
        (!inv_ptr_ok(s->first_child, sizeof(cte_t), SLOT_ALIGN) || s->first_child->parent != s))
        return inv_ok() ? INV_FAIL(INV_FIRST_CHILD, s, s->first_child) : false;
    return true;
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
        if (n >= INV_MAX_LIST || !inv_step()) {
            INV_FAIL(INV_LIMIT, p, c);
            return;
        }
        if (!inv_ptr_ok(c, sizeof(cte_t), SLOT_ALIGN))
            return;
        if (c != head && c->parent) {
            INV_FAIL(INV_NOT_FIRST, c, c->parent);
            return;
        }
        if (c->next && c->next->prev != c) {
            INV_FAIL(INV_SIBLINGS, c, c->next);
            return;
        }
        if (!mixed && !cap_same_object(&c->cap, &p->cap)) {
            INV_FAIL(INV_CHILD_OBJECT, p, c);
            return;
        }
        if (mixed && (!prev || !cap_same_object(&prev->cap, &c->cap)) && !run_start(&c->cap)) {
            INV_FAIL(INV_SAME_OBJECT, p, c);
            return;
        }
        if (p->cap.type == L4_OBJ_UNTYPED &&
            (c->cap.obj < p->cap.obj || c->cap.obj - p->cap.obj > p->cap.data ||
             object_bytes(&c->cap) > p->cap.data - (c->cap.obj - p->cap.obj))) {
            INV_FAIL(INV_UNTYPED_CHILD, p, c);
            return;
        }
        prev = c;
        c = c->next == head ? NULL : c->next;
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
    if (!next != !prev) {
        INV_FAIL(INV_ZOMBIE_RING, s, next);
        return;
    }
    if (next) {
        if (!inv_ptr_ok(next, sizeof(cte_t), SLOT_ALIGN) ||
            !inv_ptr_ok(prev, sizeof(cte_t), SLOT_ALIGN))
            return;
        if ((const cte_t *)next->cap.data2 != s || (const cte_t *)prev->cap.data != s) {
            INV_FAIL(INV_ZOMBIE_RING, s, next);
            return;
        }
    }
    uintptr_t lo = c->obj, hi;
    if (c->type == L4_OBJ_CNODE) {
        hi = lo + BIT(c->bits + CTE_BITS);
        if (c->guard_bits && ((word_t)c->guard_bits << 8) >= BIT(c->bits)) {
            INV_FAIL(INV_ZOMBIE, s, NULL); /* the scan cursor beyond the last chunk */
            return;
        }
    } else {
        lo += offsetof(tcb_t, slots);
        hi = lo + TCB_SLOTS * sizeof(cte_t);
    }
    if ((c->rights & CAP_PARKED) && ((uintptr_t)s < lo || (uintptr_t)s >= hi)) {
        INV_FAIL(INV_ZOMBIE_RING, s, NULL); /* parked outside its own object */
        return;
    }
    if (c->type == L4_OBJ_CNODE) {
        const cte_t *slots = (const cte_t *)c->obj;
        word_t below = (word_t)c->guard_bits << 8, occupied = 0;
        for (word_t i = 0; i < below && inv_step(); i++) {
            const cap_t *x = &slots[i].cap;
            if (cap_is_null(x))
                continue;
            if (++occupied > 1 || !cap_has_slots(x) || !(x->rights & CAP_ZOMBIE)) {
                INV_FAIL(INV_ZOMBIE_RING, s, &slots[i]); /* below the cursor: emptied */
                return;
            }
        }
    }
    if (c->rights & CAP_PARKED || !next)
        return;
    /* The one member not parked walks its ring: no other unparked member. */
    const cte_t *z = next;
    for (word_t n = 0; z != s; n++) {
        if (n >= INV_MAX_LIST) {
            INV_FAIL(INV_LIMIT, s, z);
            return;
        }
        if (!inv_step() || !inv_ptr_ok(z, sizeof(cte_t), SLOT_ALIGN))
            return;
        const cte_t *zn = (const cte_t *)z->cap.data;
        if (!(z->cap.rights & CAP_ZOMBIE) || !cap_has_slots(&z->cap) ||
            !(z->cap.rights & CAP_PARKED) || !zn) {
            INV_FAIL(INV_ZOMBIE_RING, s, z); /* e.g. two walks' tops in one ring */
            return;
        }
        if (!inv_ptr_ok(zn, sizeof(cte_t), SLOT_ALIGN))
            return;
        if ((const cte_t *)zn->cap.data2 != z) {
            INV_FAIL(INV_ZOMBIE_RING, z, zn);
            return;
        }
        z = zn;
    }
}

/* CAP_ZOMBIE, CAP_PARKED and CAP_IN_TCB where they may be. */
static bool check_flags(const cte_t *s, int where, const tcb_t *owner)
{
    const cap_t *c = &s->cap;
    if (c->rights & CAP_IN_TCB) {
        if (where == INV_SLOT_CNODE ||
            (where == INV_SLOT_TCB && s == &owner->slots[TCB_SLOT_CALLER]))
            return INV_FAIL(INV_IN_TCB, s, owner);
    }
    if (!(c->rights & CAP_ZOMBIE)) {
        if (c->rights & CAP_PARKED)
            return INV_FAIL(INV_ZOMBIE, s, NULL);
        return true;
    }
    switch (c->type) {
    case L4_OBJ_ENDPOINT:
    case L4_OBJ_NOTIFICATION:
        if (c->rights != CAP_ZOMBIE) /* drained without rights: nobody uses it */
            return INV_FAIL(INV_ZOMBIE, s, NULL);
        break;
    case L4_OBJ_CNODE:
    case L4_OBJ_TCB:
    case L4_OBJ_PAGE_DIRECTORY:
        break;
    default:
        return INV_FAIL(INV_ZOMBIE, s, NULL);
    }
    if ((c->rights & CAP_PARKED) && !cap_has_slots(c))
        return INV_FAIL(INV_ZOMBIE, s, NULL);
    /* The last cap to its object: no copies anywhere near it. */
    if (s->first_child || !cdt_is_final(s))
        return INV_FAIL(INV_ZOMBIE, s, s->first_child);
    if (cap_has_slots(c))
        check_zombie_holder(s);
    return inv_ok();
}

/* A reply cap names a caller that waits on exactly this slot, and is a
 * root of the tree with no siblings and no children. */
static void check_reply(const cte_t *s)
{
    const tcb_t *caller = tcb_of_cap(&s->cap);
    if (s->parent || s->first_child || s->next) {
        INV_FAIL(INV_REPLY, s, NULL);
        return;
    }
    if (!inv_ptr_ok(caller, BIT(L4_OBJ_TCB_BITS), BIT(L4_OBJ_TCB_BITS)))
        return;
    if ((caller->state != THREAD_BLOCKED_REPLY && caller->state != THREAD_BLOCKED_FAULT) ||
        caller->reply_holder != s) {
        INV_FAIL(INV_REPLY, s, caller);
        return;
    }
    inv_reach(L4_OBJ_TCB, caller, 0);
}

/* Fields of the cap by its type, and what it names. */
static void check_cap(const cte_t *s)
{
    const cap_t *c = &s->cap;
    bool zombie = (c->rights & CAP_ZOMBIE) != 0;
    switch (c->type) {
    case L4_OBJ_UNTYPED:
        if (c->bits < 4 || c->bits > 28 || c->data > BIT(c->bits) || c->data2 > BIT(c->bits) ||
            (c->obj & MASK(c->bits)) || (c->mem_flags & ~CAP_MEM_DEVICE)) {
            INV_FAIL(INV_CAP_FIELDS, s, NULL);
            return;
        }
        if (!inv_parent_of(s) && inv_ok())
            inv_reach(L4_OBJ_UNTYPED, s, 0); /* the top of a tree: walk all of it */
        return;
    case L4_OBJ_CNODE:
        if (c->bits < 1 || c->bits > 16 || (c->obj & MASK(c->bits + CTE_BITS)) ||
            (!zombie && (c->guard_bits + c->bits > 32 ||
                         (c->guard_bits < 32 && (c->data >> c->guard_bits) != 0)))) {
            INV_FAIL(INV_CAP_FIELDS, s, NULL);
            return;
        }
        if (inv_ptr_ok((const void *)c->obj, BIT(c->bits + CTE_BITS), 16))
            inv_reach(L4_OBJ_CNODE, (const void *)c->obj, c->bits);
        return;
    case L4_OBJ_TCB:
        if (inv_ptr_ok((const void *)c->obj, BIT(L4_OBJ_TCB_BITS), BIT(L4_OBJ_TCB_BITS)))
            inv_reach(L4_OBJ_TCB, (const void *)c->obj, zombie);
        return;
    case L4_OBJ_ENDPOINT:
    case L4_OBJ_NOTIFICATION:
    case L4_OBJ_VCPU:
        if (inv_ptr_ok((const void *)c->obj, 16, 16))
            inv_reach(c->type, (const void *)c->obj, 0);
        return;
    case L4_OBJ_PAGE_DIRECTORY:
        if (!inv_ptr_ok((const void *)c->obj, BIT(L4_OBJ_PAGE_DIRECTORY_BITS),
                        BIT(L4_OBJ_PAGE_DIRECTORY_BITS)))
            return;
        if (c->data == 0 || c->data > 255) {
            INV_FAIL(INV_CAP_FIELDS, s, NULL);
            return;
        }
        inv_reach(L4_OBJ_PAGE_DIRECTORY, (const void *)c->obj, c->data);
        return;
    case L4_OBJ_PAGE_TABLE:
    case L4_OBJ_FRAME_4K:
    case L4_OBJ_FRAME_64K:
    case L4_OBJ_FRAME_1M:
        if ((c->obj & (object_bytes(c) - 1)) || (c->mem_flags & ~CAP_MEM_DEVICE) ||
            (c->type == L4_OBJ_PAGE_TABLE && c->mem_flags)) {
            INV_FAIL(INV_CAP_FIELDS, s, NULL);
            return;
        }
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
    if (!inv_step())
        return;
    inv_res->slots++;
    const cap_t *c = &s->cap;
    if (cap_is_null(c)) {
        if (s->parent || s->first_child || s->next || s->prev)
            INV_FAIL(INV_EMPTY_LINKED, s, NULL);
        return;
    }
    if (c->type > LAST_TYPE) {
        INV_FAIL(INV_BAD_TYPE, s, NULL);
        return;
    }
    if (!check_links(s) || !check_flags(s, where, owner))
        return;
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
