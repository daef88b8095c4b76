/* SPDX-License-Identifier: BSD-2-Clause */
/* The capability derivation tree: explicit links in every slot, every
 * operation O(1) (none walks a list: each is one non-preemptible step of
 * constant cost, whatever the tree's shape).
 *
 * Representation (cap.h: parent, first_child, next, prev):
 *  - The children of a slot form a circular doubly linked list through
 *    next/prev, first_child pointing at its head. A slot without siblings
 *    (an only child, or a root with no siblings) has next == prev == NULL:
 *    a list of one is never a self-loop.
 *  - parent is set on the FIRST child of a list only (parent->first_child
 *    points back at it) and is NULL on every other child and on roots. So
 *    inserting a first child, or splicing a child list into a parent's,
 *    re-parents one slot, not all of them. Roots (parent NULL) may have
 *    siblings too: the children of a removed root are spliced in its place.
 *  - An empty slot has all four links NULL.
 *
 * Invariant SAME-OBJECT-RUNS: among the children of one parent, caps to one
 * object are contiguous (in list order from the head). Copies are inserted
 * as the first child of the cap they are made from (so with caps to the
 * same object); removal splices a node's children (all caps derived from it,
 * hence to its object, unless it is an untyped cap) into the node's own
 * position; a move keeps the position.
 *
 * Invariant CHILDREN-SHARE-THE-OBJECT: the children of a cap that is not an
 * untyped or IRQ control cap all refer to that cap's object (they are
 * copies of it, or of its copies spliced up by removals). Hence a child that
 * is not first has the same object as its parent only if its previous
 * sibling does too (they are all the parent's object): cdt_is_final() needs
 * the parent of a first child alone. (An untyped child of an untyped of the
 * same size is the same object by cap_same_object(); it fills its parent,
 * so it is always an only child, hence first.)
 *
 * Compiled for the host unit tests too (test/unit/test_cdt.c). */
#include <cap.h>
#include <assert.h>
#include <string.h>

/* The link invariant (above) as the operations below rely on it, local to a
 * slot (ACSL for Frama-C Eva, test/eva/cdt.c; invisible to gcc): sibling
 * links both NULL or both valid, pointing back, never a self-loop; a
 * recorded parent has the slot as first child; a first child records its
 * parent. */
/*@ predicate cte_linked(cte_t *s) =
      \valid(s) &&
      (s->next == \null <==> s->prev == \null) &&
      (s->next != \null ==> \valid(s->next) && \valid(s->prev) && s->next != s &&
                            s->next->prev == s && s->prev->next == s) &&
      (s->parent != \null ==> \valid(s->parent) && s->parent->first_child == s) &&
      (s->first_child != \null ==> \valid(s->first_child) && s->first_child->parent == s);
    predicate cte_empty(cte_t *s) =
      \valid(s) && s->cap.type == L4_OBJ_NULL &&
      s->parent == \null && s->first_child == \null && s->next == \null && s->prev == \null;
*/

/* Put `d` (links undefined) in front of `f`, the head of a list. */
static void link_before_head(cte_t *f, cte_t *d)
{
    cte_t *last = f->prev ? f->prev : f;
    d->next = f;
    d->prev = last;
    last->next = d;
    f->prev = d;
}

/*@ requires cte_empty(dst) && \valid_read(cap);
    requires parent != \null ==> cte_linked(parent) && parent != dst;
    requires parent != \null && parent->first_child != \null ==> cte_linked(parent->first_child);
    requires parent != \null && parent->first_child != \null &&
             parent->first_child->prev != \null ==> cte_linked(parent->first_child->prev); */
void cdt_insert_child(cte_t *parent, cte_t *dst, const cap_t *cap)
{
    assert(cap_is_null(&dst->cap) && !dst->first_child);
    dst->cap = *cap;
    dst->first_child = NULL;
    dst->parent = parent;
    dst->next = dst->prev = NULL;
    if (!parent)
        return;
    cte_t *f = parent->first_child;
    parent->first_child = dst;
    if (f) {
        f->parent = NULL; /* no longer the first */
        link_before_head(f, dst);
    }
}

/*@ requires cte_linked(parent) && 0 < n && \valid_read(cap);
    requires \valid(dst + (0 .. n - 1));
    requires \forall integer i; 0 <= i < n ==> cte_empty(dst + i) && dst + i != parent;
    requires parent->first_child != \null ==> cte_linked(parent->first_child);
    requires parent->first_child != \null && parent->first_child->prev != \null ==>
             cte_linked(parent->first_child->prev); */
void cdt_insert_children(cte_t *parent, cte_t *dst, word_t n, const cap_t *cap, uintptr_t stride)
{
    assert(parent && n > 0);
    /* dst[n-1] .. dst[0] in that order, as n cdt_insert_child() calls make
     * them, linked as an open chain first; then spliced in at the head. */
    for (word_t i = 0; i < n; i++) {
        cte_t *d = &dst[i];
        assert(cap_is_null(&d->cap) && !d->first_child);
        d->cap = *cap;
        d->cap.obj += i * stride;
        d->first_child = NULL;
        d->parent = NULL;
        d->next = i > 0 ? &dst[i - 1] : NULL;
        d->prev = i + 1 < n ? &dst[i + 1] : NULL;
    }
    cte_t *head = &dst[n - 1], *tail = &dst[0], *f = parent->first_child;
    parent->first_child = head;
    head->parent = parent;
    if (f) {
        cte_t *last = f->prev ? f->prev : f;
        f->parent = NULL;
        tail->next = f;
        f->prev = tail;
        head->prev = last;
        last->next = head;
    } else if (n > 1) {
        head->prev = tail;
        tail->next = head;
    }
}

/* Replace `s` in its list by the chain first..last (linked first->...->last,
 * its outer links about to be set), which becomes first if s was. */
static void replace_in_list(cte_t *s, cte_t *first, cte_t *last)
{
    first->parent = s->parent;
    if (s->parent)
        s->parent->first_child = first;
    if (!s->next) { /* s had no siblings: the chain is the list */
        if (first != last) {
            first->prev = last;
            last->next = first;
        } else {
            first->next = first->prev = NULL;
        }
        return;
    }
    cte_t *p = s->prev, *n = s->next; /* p == n if s had one sibling */
    p->next = first;
    first->prev = p;
    last->next = n;
    n->prev = last;
}

/* Take `s` out of its list (it has no children). */
static void unlink(cte_t *s)
{
    cte_t *n = s->next, *p = s->prev;
    if (n) {
        if (n == p) {
            n->next = n->prev = NULL; /* two become one */
        } else {
            p->next = n;
            n->prev = p;
        }
    }
    if (s->parent) {
        s->parent->first_child = n;
        if (n)
            n->parent = s->parent;
    }
}

/*@ requires cte_linked(s);
    requires s->next != \null ==> cte_linked(s->next) && cte_linked(s->prev);
    requires s->first_child != \null ==> cte_linked(s->first_child);
    requires s->first_child != \null && s->first_child->prev != \null ==>
             cte_linked(s->first_child->prev); */
void cdt_remove(cte_t *s)
{
    cte_t *c = s->first_child;
    if (c) {
        /* Splice the children, in order, into s's place: O(1), since the
         * head's prev is the last child and only the head holds a parent. */
        cte_t *last = c->prev ? c->prev : c;
        if (c->next) {
            c->prev = NULL; /* open the circle into a chain c..last */
            last->next = NULL;
        }
        replace_in_list(s, c, last);
    } else {
        unlink(s);
    }
    /* Eight word stores, not a call to memset (41 instructions for 32 bytes). */
    *s = (cte_t){.cap = {.type = L4_OBJ_NULL}};
}

/*@ requires cte_linked(src) && cte_empty(dst) && src != dst; */
void cdt_move(cte_t *src, cte_t *dst)
{
    assert(cap_is_null(&dst->cap));
    *dst = *src;
    if (dst->next) { /* also right when prev == next (one sibling) */
        dst->prev->next = dst;
        dst->next->prev = dst;
    }
    if (dst->parent)
        dst->parent->first_child = dst;
    if (dst->first_child)
        dst->first_child->parent = dst;
    memset(src, 0, sizeof(*src));
}

/*@ requires cte_linked((cte_t *)s); */
bool cdt_is_final(const cte_t *s)
{
    const cap_t *c = &s->cap;
    /* Only a first child records its parent; for any other child the parent
     * is its object only if the previous sibling is too (above). The
     * circular neighbours of the first and the last child compare caps that
     * are not adjacent in order, which is harmless: any other cap to the
     * same object means "not final". */
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

/*@ requires cte_linked((cte_t *)s); */
cte_t *cdt_next_sibling(const cte_t *s, const cte_t *first)
{
    return s->next == first ? NULL : s->next;
}
