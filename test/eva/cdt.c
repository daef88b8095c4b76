/* SPDX-License-Identifier: BSD-2-Clause */
/* Eva driver for kernel/core/cdt.c: every operation on every slot of every
 * derivation tree of four caps (each cap the child of any earlier one, or a
 * root), also after one of them was removed (so roots with siblings, the
 * children of a removed root spliced in its place), then every slot removed
 * in turn; the whole tree checked after every step.
 *
 * cdt.c's preconditions state the link invariant each operation relies on
 * (cap.h, cdt.c's header): a slot's sibling links are both NULL or both
 * valid and point back; a recorded parent's first child is the slot; a first
 * child records its parent. Eva checks them at every call and the driver's
 * check_tree() after every step checks that the operation kept the whole
 * tree so (an unreachable failure, or an alarm).
 *
 * Every choice is split on exactly, so each abstract state is one concrete
 * tree: Eva's value domain is not relational, and a join of two trees would
 * lose which link belongs to which. */
#define EVA_MEMSET_CODE
#include "eva.h"
#include <cap.h>

#define TREE 4  /* slots a shape is built in */
#define SPARE 3 /* empty slots: destinations of moves and inserts */
#define SLOTS (TREE + SPARE)
static cte_t slot[SLOTS];

/* The kernel's memset (core/string.c) as code: eva.h's contract would
 * leave the emptied slot's bytes unknown, and Eva's builtin replacement
 * (without Frama-C's C library) leaves no state at all after the call, so
 * that everything after it would be dead and vacuously free of alarms; the
 * suite runs this driver with -eva-no-builtins-auto. The kernel clears only
 * whole slots here. */
void *memset(void *s, int c, size_t n)
{
    if (n != sizeof(cte_t) || c != 0)
        panic("memset: not a slot");
    cte_t zero = {0};
    *(cte_t *)s = zero;
    return s;
}

/* A failed check of the driver's own: reachable only if an operation broke
 * the tree, and then an alarm (its precondition is false). */
/*@ requires \false;
    assigns \nothing; */
void tree_broken(void);

static bool in_pool(const cte_t *p)
{
    return p >= &slot[0] && p < &slot[SLOTS];
}

/* Every link of every slot as cdt.c's header states it; the children of a
 * slot form one circular list from its first child, of at most SLOTS. */
static void check_tree(void)
{
    for (unsigned i = 0; i < SLOTS; i++) {
        cte_t *s = &slot[i];
        if (cap_is_null(&s->cap)) {
            if (s->parent || s->first_child || s->next || s->prev)
                tree_broken();
            continue;
        }
        if ((s->next == NULL) != (s->prev == NULL))
            tree_broken();
        if (s->next) {
            if (!in_pool(s->next) || !in_pool(s->prev) || s->next == s || s->next->prev != s ||
                s->prev->next != s)
                tree_broken();
        }
        if (s->parent && (!in_pool(s->parent) || s->parent->first_child != s))
            tree_broken();
        cte_t *c = s->first_child;
        if (c) {
            if (!in_pool(c) || c->parent != s)
                tree_broken();
            unsigned n = 0;
            for (cte_t *k = c; k; k = cdt_next_sibling(k, c)) {
                if (cap_is_null(&k->cap) || (k != c && k->parent) || ++n > SLOTS)
                    tree_broken();
            }
        }
    }
}

static cap_t cap_of(unsigned i)
{
    /* Slot 0 an untyped (its children other objects), the rest endpoints:
     * cdt_is_final() compares them. */
    cap_t c = {.type = i == 0 ? L4_OBJ_UNTYPED : L4_OBJ_ENDPOINT, .bits = 12,
               .obj = 0x1000u * (i % 2 + 1)};
    return c;
}

/* Slot i the child of slot p < i, or (p == i) a root. */
static void insert(unsigned i, unsigned p)
{
    cap_t c = cap_of(i);
    cdt_insert_child(p == i ? NULL : &slot[p], &slot[i], &c);
}

/* One operation on slot i (a tree slot) with the first spare slots. */
static void operate(unsigned op, unsigned i)
{
    cte_t *s = &slot[i];
    cap_t c = cap_of(i);
    switch (op) {
    case 0:
        cdt_remove(s);
        break;
    case 1:
        cdt_move(s, &slot[TREE]);
        break;
    case 2:
        cdt_insert_child(s, &slot[TREE], &c);
        break;
    case 3: /* a retype's objects: 1..SPARE children at once */
    default: {
        unsigned n = eva_range(1, SPARE);
        //@ split n;
        cdt_insert_children(s, &slot[TREE], n, &c, 0x100);
        break;
    }
    }
}

int main(void)
{
    /* A tree of TREE caps: slot i the child of any earlier slot, or a root
     * (each choice a split of its own: one key per tree shape). */
    insert(0, 0);
    unsigned p1 = eva_range(0, 1), p2 = eva_range(0, 2), p3 = eva_range(0, 3);
    //@ split p1;
    //@ split p2;
    //@ split p3;
    insert(1, p1);
    insert(2, p2);
    insert(3, p3);
    /* Optionally remove one cap first: its children become roots' siblings
     * or move up a level. */
    unsigned pre = eva_range(0, TREE); /* TREE: none */
    //@ split pre;
    if (pre < TREE) {
        cdt_remove(&slot[pre]);
        check_tree();
    }
    unsigned i = eva_range(0, TREE - 1), op = eva_range(0, 3);
    //@ split i;
    //@ split op;
    if (!cap_is_null(&slot[i].cap)) {
        eva_use(cdt_is_final(&slot[i]));
        if (slot[i].first_child)
            eva_use((word_t)(uintptr_t)cdt_next_sibling(slot[i].first_child, slot[i].first_child));
        operate(op, i);
        check_tree();
    }
    /* Then every cap removed in turn, each remove on the tree the previous
     * ones left. */
    for (unsigned k = 0; k < SLOTS; k++) {
        if (!cap_is_null(&slot[k].cap)) {
            eva_use(cdt_is_final(&slot[k]));
            cdt_remove(&slot[k]);
            check_tree();
        }
    }
    eva_end();
    return 0;
}
