/* SPDX-License-Identifier: BSD-2-Clause */
/* The capability derivation tree: explicit parent/child/sibling links in
 * every slot. Insertion is O(1); removal splices the children into the
 * removed slot's place and re-parents each of them, O(children).
 *
 * Invariant SAME-OBJECT-RUNS: among the children of one parent, caps to one
 * object are contiguous. Copies are inserted as the first child of the cap
 * they are made from (so with caps to the same object); removal splices a node's children
 * (all caps derived from it, hence to its object, unless it is an untyped
 * cap) into the node's own position. Compiled for host unit tests too. */
#include <cap.h>
#include <assert.h>
#include <string.h>

static void link_after(cte_t *parent, cte_t *prev, cte_t *dst)
{
    dst->parent = parent;
    dst->prev = prev;
    if (prev) {
        dst->next = prev->next;
        prev->next = dst;
    } else {
        dst->next = parent ? parent->first_child : NULL;
        if (parent)
            parent->first_child = dst;
    }
    if (dst->next)
        dst->next->prev = dst;
}

void cdt_insert_child(cte_t *parent, cte_t *dst, const cap_t *cap)
{
    assert(cap_is_null(&dst->cap) && !dst->first_child);
    dst->cap = *cap;
    dst->first_child = NULL;
    link_after(parent, NULL, dst);
}

static void unlink(cte_t *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else if (s->parent && s->parent->first_child == s)
        s->parent->first_child = s->next;
    if (s->next)
        s->next->prev = s->prev;
}

void cdt_remove(cte_t *s)
{
    cte_t *c = s->first_child;
    if (c) {
        /* splice the children into s's place, in order */
        cte_t *last = c;
        for (cte_t *i = c; i; i = i->next) {
            i->parent = s->parent;
            last = i;
        }
        c->prev = s->prev;
        last->next = s->next;
        if (s->prev)
            s->prev->next = c;
        else if (s->parent)
            s->parent->first_child = c;
        if (s->next)
            s->next->prev = last;
    } else {
        unlink(s);
    }
    memset(s, 0, sizeof(*s));
}

/* Re-point every neighbour of a slot's tree position at `to`. */
static void relink(const cte_t *from, cte_t *to)
{
    if (to->prev)
        to->prev->next = to;
    else if (to->parent && to->parent->first_child == from)
        to->parent->first_child = to;
    if (to->next)
        to->next->prev = to;
    for (cte_t *c = to->first_child; c; c = c->next)
        c->parent = to;
}

void cdt_move(cte_t *src, cte_t *dst)
{
    assert(cap_is_null(&dst->cap));
    *dst = *src;
    relink(src, dst);
    memset(src, 0, sizeof(*src));
}

bool cdt_is_final(const cte_t *s)
{
    const cap_t *c = &s->cap;
    if (s->parent && cap_same_object(&s->parent->cap, c))
        return false;
    if (s->prev && cap_same_object(&s->prev->cap, c))
        return false;
    if (s->next && cap_same_object(&s->next->cap, c))
        return false;
    if (s->first_child && cap_same_object(&s->first_child->cap, c))
        return false;
    return true;
}
