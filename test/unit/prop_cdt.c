/* SPDX-License-Identifier: BSD-2-Clause */
/* Property test of the capability derivation tree (kernel/core/cdt.c) and
 * of delete and revoke over it (kernel/core/delete.c, with the recording
 * stubs of stubs_delete.c), against a brute-force model that keeps only
 * each slot's cap and derivation parent.
 *
 * Random retypes (children of an untyped: endpoints, notifications, frames,
 * smaller untypeds), copies and mints (children of their source), moves,
 * deletes and revokes (preempted at random points and restarted); after
 * each, the full invariant: every link is consistent (circular sibling
 * lists, the parent on first children only), SAME-OBJECT-RUNS and
 * CHILDREN-SHARE-THE-OBJECT hold, each slot's parent is the model's,
 * cdt_is_final agrees with counting the caps to the object, and every
 * object was finalised exactly when its last cap went. */
#include "prop.h"
#include "stubs_delete.h"

#define NSLOTS 64
#define NOBJ 48
static cte_t s[NSLOTS]; /* s[0] holds the root untyped, never removed */
static endpoint_t eps[NOBJ];
static notification_t ntfns[NOBJ];
static int parent[NSLOTS]; /* the model: derivation parent, -1 for none */
static unsigned finalised_ep[NOBJ], finalised_ntfn[NOBJ];
static unsigned next_obj;

static int slot_index(const cte_t *c)
{
    return c ? (int)(c - s) : -1;
}

static unsigned caps_to(const cap_t *c)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NSLOTS; i++)
        n += cap_same_object(&s[i].cap, c);
    return n;
}

/* The representation (kernel/core/cdt.c): each sibling list is circular
 * through next/prev (both NULL for a slot without siblings), the parent is
 * on the first child only, and the parent's first_child points at it. */
static void check_invariant(void)
{
    for (unsigned i = 0; i < NSLOTS; i++) {
        const cte_t *x = &s[i];
        if (cap_is_null(&x->cap)) {
            PROP_CHECK(!x->parent && !x->first_child && !x->next && !x->prev,
                       "empty slot %u has links", i);
            PROP_CHECK(parent[i] == -1, "slot %u: empty, the model has a parent", i);
            continue;
        }
        PROP_CHECK(slot_index(CDT_PARENT_OF(x)) == parent[i], "slot %u: parent %d, model %d", i,
                   slot_index(CDT_PARENT_OF(x)), parent[i]);
        PROP_CHECK(!x->next == !x->prev, "slot %u: half a sibling link", i);
        if (x->next)
            PROP_CHECK(x->next->prev == x && x->prev->next == x && x->next != x,
                       "slot %u: sibling links", i);
        if (x->parent)
            PROP_CHECK(x->parent->first_child == x, "slot %u: a parent, not its first child", i);
        const cte_t *head = x->first_child;
        unsigned n = 0;
        for (const cte_t *c = head; c; c = cdt_next_sibling(c, head)) {
            PROP_CHECK(!cap_is_null(&c->cap), "slot %u: an empty child", i);
            PROP_CHECK(c == head ? c->parent == x : !c->parent,
                       "slot %u: a child's parent link is not on the first child only", i);
            PROP_CHECK(++n <= NSLOTS, "slot %u: its children loop", i);
            /* CHILDREN-SHARE-THE-OBJECT, for parents other than untyped */
            if (x->cap.type != L4_OBJ_UNTYPED)
                PROP_CHECK(cap_same_object(&c->cap, &x->cap), "slot %u: a child of another object",
                           i);
            /* SAME-OBJECT-RUNS: once a run of c's object ends, it never resumes */
            bool ended = false;
            for (const cte_t *d = cdt_next_sibling(c, head); d; d = cdt_next_sibling(d, head)) {
                if (!cap_same_object(&d->cap, &c->cap))
                    ended = true;
                else
                    PROP_CHECK(!ended, "slot %u: caps to one object are not contiguous", i);
            }
        }
        PROP_CHECK(cdt_is_final(x) == (caps_to(&x->cap) == 1),
                   "slot %u: cdt_is_final %d, %u caps to its object", i, cdt_is_final(x),
                   caps_to(&x->cap));
    }
    for (unsigned k = 0; k < NOBJ; k++) {
        PROP_CHECK(stub_calls(STUB_ENDPOINT_FINALISE, (uintptr_t)&eps[k]) == finalised_ep[k],
                   "endpoint %u finalised %u times, expected %u", k,
                   stub_calls(STUB_ENDPOINT_FINALISE, (uintptr_t)&eps[k]), finalised_ep[k]);
        PROP_CHECK(stub_calls(STUB_NOTIFICATION_FINALISE, (uintptr_t)&ntfns[k]) ==
                       finalised_ntfn[k],
                   "notification %u finalised %u times, expected %u", k,
                   stub_calls(STUB_NOTIFICATION_FINALISE, (uintptr_t)&ntfns[k]), finalised_ntfn[k]);
    }
}

static int random_slot(bool used)
{
    for (unsigned tries = 0; tries < 4 * NSLOTS; tries++) {
        unsigned i = prop_below(NSLOTS);
        if (cap_is_null(&s[i].cap) != used)
            return (int)i;
    }
    return -1;
}

/* Model side of removing slot i: its children move up to its parent; the
 * object is finalised if this was its last cap. */
static void model_removed(unsigned i, const cap_t *c)
{
    for (unsigned j = 0; j < NSLOTS; j++)
        if (parent[j] == (int)i)
            parent[j] = parent[i];
    parent[i] = -1;
    if (caps_to(c) == 0) {
        for (unsigned k = 0; k < NOBJ; k++) {
            finalised_ep[k] += c->type == L4_OBJ_ENDPOINT && c->obj == (uintptr_t)&eps[k];
            finalised_ntfn[k] += c->type == L4_OBJ_NOTIFICATION && c->obj == (uintptr_t)&ntfns[k];
        }
    }
}

static bool descends(unsigned j, unsigned i)
{
    for (int p = parent[j]; p >= 0; p = parent[p])
        if (p == (int)i)
            return true;
    return false;
}

static void run_preemptible(bool (*op)(cte_t *), cte_t *slot)
{
    stub_preempt_every = prop_below(3) ? 0 : 1 + prop_below(3);
    for (unsigned tries = 0; !op(slot); tries++)
        PROP_CHECK(tries < 10 * NSLOTS, "a preempted operation never finishes");
    stub_preempt_every = 0;
}

static void step(void)
{
    int src = random_slot(true), dst = random_slot(false);
    if (src < 0)
        return;
    cte_t *from = &s[src];
    switch (prop_below(6)) {
    case 0: /* retype from an untyped */
        if (dst >= 0 && from->cap.type == L4_OBJ_UNTYPED && next_obj < NOBJ) {
            unsigned k = next_obj++;
            cap_t c = {.rights = L4_RIGHTS_ALL};
            switch (prop_below(4)) {
            case 0:
                c.type = L4_OBJ_ENDPOINT, c.obj = (uintptr_t)&eps[k];
                break;
            case 1:
                c.type = L4_OBJ_NOTIFICATION, c.obj = (uintptr_t)&ntfns[k];
                break;
            case 2:
                c.type = L4_OBJ_FRAME_4K, c.obj = 0x20000000 + 0x1000 * k;
                break;
            default: /* a smaller untyped, sometimes at its parent's own address */
                c.type = L4_OBJ_UNTYPED;
                c.bits = (uint8_t)(from->cap.bits - 1 - prop_below(3));
                c.obj = prop_below(2) ? from->cap.obj : from->cap.obj + BIT(c.bits);
                break;
            }
            if (caps_to(&c))
                break; /* retype never makes an object twice (the watermark moves) */
            cdt_insert_child(from, &s[dst], &c);
            parent[dst] = src;
        }
        break;
    case 1: /* copy or mint (untyped caps are never copied) */
        if (dst >= 0 && from->cap.type != L4_OBJ_UNTYPED) {
            cap_t c = cap_derive(&from->cap);
            if (c.type == L4_OBJ_ENDPOINT && !c.data && prop_below(2))
                c.data = 1 + prop_below(3); /* a badged copy: the same object */
            cap_insert_copy(from, &s[dst], &c);
            parent[dst] = src;
        }
        break;
    case 2: /* move */
        if (dst >= 0 && src != 0) {
            cap_move(from, &s[dst]);
            parent[dst] = parent[src];
            parent[src] = -1;
            for (unsigned j = 0; j < NSLOTS; j++)
                if (parent[j] == src)
                    parent[j] = dst;
        }
        break;
    case 3: /* delete */
    case 4:
        if (src != 0) {
            cap_t c = from->cap;
            run_preemptible(cap_delete, from);
            model_removed((unsigned)src, &c);
        }
        break;
    default: { /* revoke: every descendant goes, in the model in any order */
        bool gone[NSLOTS];
        for (unsigned j = 0; j < NSLOTS; j++)
            gone[j] = descends(j, (unsigned)src);
        cap_t caps[NSLOTS];
        for (unsigned j = 0; j < NSLOTS; j++)
            caps[j] = s[j].cap;
        run_preemptible(cap_revoke, from);
        for (unsigned j = 0; j < NSLOTS; j++)
            if (gone[j])
                parent[j] = -2; /* removed */
        for (unsigned j = 0; j < NSLOTS; j++)
            if (gone[j]) {
                parent[j] = -1;
                if (caps_to(&caps[j]) == 0) {
                    bool first = true; /* count each object once */
                    for (unsigned m = 0; m < j; m++)
                        if (gone[m] && cap_same_object(&caps[m], &caps[j]))
                            first = false;
                    for (unsigned k = 0; first && k < NOBJ; k++) {
                        finalised_ep[k] +=
                            caps[j].type == L4_OBJ_ENDPOINT && caps[j].obj == (uintptr_t)&eps[k];
                        finalised_ntfn[k] += caps[j].type == L4_OBJ_NOTIFICATION &&
                                             caps[j].obj == (uintptr_t)&ntfns[k];
                    }
                }
            }
        if (src == 0)
            next_obj = 0; /* the region is free again: objects are made anew */
        break;
    }
    }
}

static void tree_matches_the_model(void **state)
{
    (void)state;
    stubs_reset();
    memset(s, 0, sizeof(s));
    for (unsigned i = 0; i < NSLOTS; i++)
        parent[i] = -1;
    cap_t u = {.type = L4_OBJ_UNTYPED, .rights = L4_RIGHTS_ALL, .bits = 28, .obj = 0x10000000};
    cdt_insert_child(NULL, &s[0], &u);
    unsigned deepest = 0;
    for (prop_step = 0; prop_step < prop_steps; prop_step++) {
        step();
        check_invariant();
        for (unsigned j = 0; j < NSLOTS; j++) {
            unsigned d = 0;
            for (int p = parent[j]; p >= 0; p = parent[p])
                d++;
            deepest = d > deepest ? d : deepest;
        }
    }
    PROP_CHECK(prop_steps < 500 || deepest >= 4, "the tree never got deep (%u)", deepest);
}

int main(int argc, char **argv)
{
    prop_args(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tree_matches_the_model),
    };
    return cmocka_run_group_tests_name("prop-cdt", tests, NULL, NULL);
}
