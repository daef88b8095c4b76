/* SPDX-License-Identifier: BSD-2-Clause */
/* The capability derivation tree (kernel/core/cdt.c). After every change the
 * tests check the links of every slot (circular sibling lists, the parent on
 * first children only), invariants SAME-OBJECT-RUNS and
 * CHILDREN-SHARE-THE-OBJECT, and cdt_is_final against a brute-force count
 * of the caps to each object. Every operation changes a bounded number of
 * slots, however many children are involved (the *_touches_* tests). */
#include "unit.h"
#include <cap.h>

#define NSLOTS 256
static cte_t s[NSLOTS];

static int setup(void **state)
{
    (void)state;
    for (unsigned i = 0; i < NSLOTS; i++)
        s[i] = (cte_t){0};
    return 0;
}

static cap_t mk(uint8_t type, uintptr_t obj)
{
    return (cap_t){.type = type, .rights = L4_RIGHTS_ALL, .obj = obj};
}

static cap_t mk_ut(uintptr_t obj, uint8_t bits)
{
    cap_t c = mk(L4_OBJ_UNTYPED, obj);
    c.bits = bits;
    return c;
}

static cte_t *next_of(const cte_t *c, const cte_t *first)
{
    return cdt_next_sibling(c, first);
}

/* Every link is consistent, and among the children of each parent the caps
 * to one object are contiguous. */
static void check_links(void)
{
    static unsigned in_list[NSLOTS]; /* times a slot appears in some child list */
    for (unsigned i = 0; i < NSLOTS; i++)
        in_list[i] = 0;
    for (unsigned i = 0; i < NSLOTS; i++) {
        cte_t *x = &s[i];
        if (cap_is_null(&x->cap)) {
            assert_null(x->parent);
            assert_null(x->first_child);
            assert_null(x->next);
            assert_null(x->prev);
            continue;
        }
        /* siblings: circular with two or more, both NULL when alone */
        assert_true((x->next == NULL) == (x->prev == NULL));
        if (x->next) {
            assert_ptr_not_equal(x->next, x);
            assert_ptr_equal(x->next->prev, x);
            assert_ptr_equal(x->prev->next, x);
        }
        if (x->parent)
            assert_ptr_equal(x->parent->first_child, x);
        const cte_t *f = x->first_child;
        unsigned n = 0;
        for (const cte_t *c = f; c; c = next_of(c, f)) {
            /* the parent is recorded on the first child only */
            if (c == f)
                assert_ptr_equal(c->parent, x);
            else
                assert_null(c->parent);
            assert_false(cap_is_null(&c->cap));
            assert_true(++n <= NSLOTS); /* no loop that misses the head */
            in_list[c - s]++;
            /* CHILDREN-SHARE-THE-OBJECT */
            if (x->cap.type != L4_OBJ_UNTYPED && x->cap.type != L4_OBJ_IRQ_CONTROL)
                assert_true(cap_same_object(&c->cap, &x->cap));
            /* SAME-OBJECT-RUNS: once a run of c's object ends, it never resumes */
            for (const cte_t *d = next_of(c, f); d; d = next_of(d, f))
                if (!cap_same_object(&d->cap, &c->cap))
                    for (const cte_t *e = next_of(d, f); e; e = next_of(e, f))
                        assert_false(cap_same_object(&e->cap, &c->cap));
        }
    }
    /* every slot is in at most one child list, and one with a parent link
     * (or in any list at all) exactly once */
    for (unsigned i = 0; i < NSLOTS; i++) {
        assert_true(in_list[i] <= 1);
        if (s[i].parent)
            assert_int_equal(in_list[i], 1);
    }
}

static unsigned caps_to(const cap_t *c)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NSLOTS; i++)
        n += cap_same_object(&s[i].cap, c);
    return n;
}

/* cdt_is_final agrees with counting every cap to the object. */
static void check_final(void)
{
    for (unsigned i = 0; i < NSLOTS; i++)
        if (!cap_is_null(&s[i].cap))
            assert_int_equal(cdt_is_final(&s[i]), caps_to(&s[i].cap) == 1);
}

static void check_all(void)
{
    check_links();
    check_final();
}

/* Child order of `p`, as slot indices, ending with -1. */
static void assert_children(const cte_t *p, const int *want)
{
    const cte_t *c = p->first_child;
    for (; *want >= 0; want++, c = next_of(c, p->first_child)) {
        assert_non_null(c);
        assert_ptr_equal(c, &s[*want]);
    }
    assert_null(c);
}

/* A copy as the kernel makes one: a child of its source. */
static void copy(unsigned src, unsigned dst)
{
    cdt_insert_child(&s[src], &s[dst], &s[src].cap);
}

static void root_is_final(void **state)
{
    (void)state;
    cap_t c = mk(L4_OBJ_ENDPOINT, 0x1000);
    cdt_insert_child(NULL, &s[0], &c);
    assert_int_equal(s[0].cap.type, L4_OBJ_ENDPOINT);
    assert_null(s[0].parent);
    assert_true(cdt_is_final(&s[0]));
    check_all();
}

static void insert_into_occupied_slot_asserts(void **state)
{
    (void)state;
    cap_t c = mk(L4_OBJ_ENDPOINT, 0x1000);
    cdt_insert_child(NULL, &s[0], &c);
    expect_assert_failure(cdt_insert_child(NULL, &s[0], &c));
}

static void children_newest_first(void **state)
{
    (void)state;
    cap_t u = mk_ut(0x100000, 20);
    cdt_insert_child(NULL, &s[0], &u);
    for (unsigned i = 1; i <= 4; i++) {
        cap_t c = mk(L4_OBJ_ENDPOINT, 0x100000 + 16 * i);
        cdt_insert_child(&s[0], &s[i], &c);
    }
    assert_children(&s[0], (int[]){4, 3, 2, 1, -1});
    check_all();
}

static void copy_is_not_final_until_last(void **state)
{
    (void)state;
    cap_t c = mk(L4_OBJ_NOTIFICATION, 0x2000);
    cdt_insert_child(NULL, &s[0], &c);
    copy(0, 1);
    assert_false(cdt_is_final(&s[0]));
    assert_false(cdt_is_final(&s[1]));
    check_all();
    cdt_remove(&s[1]);
    assert_true(cap_is_null(&s[1].cap));
    assert_true(cdt_is_final(&s[0]));
    check_all();
}

static void badged_copy_is_same_object(void **state)
{
    (void)state;
    cap_t c = mk(L4_OBJ_ENDPOINT, 0x2000);
    cdt_insert_child(NULL, &s[0], &c);
    c.data = 42;
    cdt_insert_child(&s[0], &s[1], &c);
    assert_false(cdt_is_final(&s[1]));
    cdt_remove(&s[0]);
    assert_true(cdt_is_final(&s[1]));
    check_all();
}

/* An untyped, an object retyped from it, and many copies of the object
 * (copies of copies too): remove caps in an order that removes originals
 * while copies remain, checking the runs and finality at each step. */
static void many_copies_remove_originals(void **state)
{
    (void)state;
    cap_t u = mk_ut(0x100000, 20);
    cdt_insert_child(NULL, &s[0], &u);
    cap_t x = mk(L4_OBJ_FRAME_4K, 0x100000), e = mk(L4_OBJ_ENDPOINT, 0x101000),
          y = mk(L4_OBJ_NOTIFICATION, 0x101010);
    cdt_insert_child(&s[0], &s[1], &x);
    cdt_insert_child(&s[0], &s[2], &e);
    cdt_insert_child(&s[0], &s[3], &y);
    /* children of the untyped: y(3) e(2) x(1); copies of e under 2 */
    for (unsigned i = 10; i < 30; i++)
        copy(2, i);
    for (unsigned i = 30; i < 40; i++)
        copy(15, i); /* copies of a copy */
    for (unsigned i = 40; i < 45; i++)
        copy(1, i); /* copies of the neighbour */
    check_all();

    cdt_remove(&s[2]); /* the original of e */
    check_all();
    /* its children take its place, in order, between y and x */
    assert_children(&s[0], (int[]){3,  29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
                                   18, 17, 16, 15, 14, 13, 12, 11, 10, 1,  -1});
    cdt_remove(&s[15]); /* a copy with copies */
    check_all();
    cdt_remove(&s[1]); /* the original of x: its copies move up next to e's run */
    check_all();
    for (unsigned i = 10; i < 45; i++) {
        if (i == 15)
            continue;
        cdt_remove(&s[i]);
        check_all();
    }
    assert_children(&s[0], (int[]){3, -1});
    assert_true(cdt_is_final(&s[3]));
}

/* Removing the original while a copy sits deeper keeps the deep one counted. */
static void remove_middle_of_chain(void **state)
{
    (void)state;
    cap_t c = mk(L4_OBJ_CNODE, 0x3000);
    cdt_insert_child(NULL, &s[0], &c);
    for (unsigned i = 1; i < 50; i++)
        copy(i - 1, i);
    check_all();
    for (unsigned i = 0; i < 50; i += 2) { /* every other link, the root first */
        cdt_remove(&s[i]);
        check_all();
    }
    /* the odd slots form a chain again, each the child of the one before */
    for (unsigned i = 3; i < 50; i += 2)
        assert_ptr_equal(s[i].parent, &s[i - 2]);
    for (unsigned i = 1; i < 49; i += 2) {
        cdt_remove(&s[i]);
        check_all();
    }
    assert_true(cdt_is_final(&s[49]));
}

static void remove_root_with_children(void **state)
{
    (void)state;
    cap_t c = mk(L4_OBJ_ENDPOINT, 0x4000);
    cdt_insert_child(NULL, &s[0], &c);
    copy(0, 1);
    copy(0, 2);
    copy(2, 3);
    cdt_remove(&s[0]);
    check_all();
    assert_null(s[2].parent);
    assert_null(s[1].parent);
    /* the children became roots side by side, a list of two */
    assert_ptr_equal(s[2].next, &s[1]);
    assert_ptr_equal(s[1].next, &s[2]);
    cdt_remove(&s[2]);
    check_all();
    cdt_remove(&s[1]);
    check_all();
    assert_true(cdt_is_final(&s[3]));
}

static void remove_first_middle_last_sibling(void **state)
{
    (void)state;
    cap_t u = mk_ut(0x100000, 20);
    cdt_insert_child(NULL, &s[0], &u);
    for (unsigned i = 1; i <= 5; i++) {
        cap_t c = mk(L4_OBJ_ENDPOINT, 0x100000 + 16 * i);
        cdt_insert_child(&s[0], &s[i], &c);
    }
    cdt_remove(&s[5]); /* first */
    assert_children(&s[0], (int[]){4, 3, 2, 1, -1});
    cdt_remove(&s[3]); /* middle */
    assert_children(&s[0], (int[]){4, 2, 1, -1});
    cdt_remove(&s[1]); /* last */
    assert_children(&s[0], (int[]){4, 2, -1});
    check_all();
    cdt_remove(&s[4]);
    cdt_remove(&s[2]);
    assert_null(s[0].first_child);
    check_all();
}

static void move_leaf(void **state)
{
    (void)state;
    cap_t u = mk_ut(0x100000, 20);
    cdt_insert_child(NULL, &s[0], &u);
    for (unsigned i = 1; i <= 3; i++) {
        cap_t c = mk(L4_OBJ_ENDPOINT, 0x100000 + 16 * i);
        cdt_insert_child(&s[0], &s[i], &c);
    }
    cap_t before = s[2].cap;
    cdt_move(&s[2], &s[100]); /* middle */
    assert_true(cap_is_null(&s[2].cap));
    assert_memory_equal(&s[100].cap, &before, sizeof(before));
    assert_children(&s[0], (int[]){3, 100, 1, -1});
    cdt_move(&s[3], &s[101]); /* first */
    assert_children(&s[0], (int[]){101, 100, 1, -1});
    cdt_move(&s[1], &s[102]); /* last */
    assert_children(&s[0], (int[]){101, 100, 102, -1});
    check_all();
}

static void move_node_with_children(void **state)
{
    (void)state;
    cap_t u = mk_ut(0x100000, 20);
    cdt_insert_child(NULL, &s[0], &u);
    cap_t e = mk(L4_OBJ_ENDPOINT, 0x100000), f = mk(L4_OBJ_ENDPOINT, 0x100010);
    cdt_insert_child(&s[0], &s[1], &f);
    cdt_insert_child(&s[0], &s[2], &e);
    for (unsigned i = 10; i < 15; i++)
        copy(2, i);
    copy(12, 20);
    cdt_move(&s[2], &s[50]);
    check_all();
    assert_children(&s[0], (int[]){50, 1, -1});
    assert_children(&s[50], (int[]){14, 13, 12, 11, 10, -1});
    assert_children(&s[12], (int[]){20, -1});
    /* moving a copy with a child, then removing the moved original */
    cdt_move(&s[12], &s[51]);
    check_all();
    assert_ptr_equal(s[20].parent, &s[51]);
    cdt_remove(&s[50]);
    check_all();
    assert_children(&s[0], (int[]){14, 13, 51, 11, 10, 1, -1});
}

static void move_root_with_children(void **state)
{
    (void)state;
    cap_t c = mk(L4_OBJ_TCB, 0x8000);
    cdt_insert_child(NULL, &s[0], &c);
    copy(0, 1);
    copy(0, 2);
    cdt_move(&s[0], &s[7]);
    check_all();
    assert_null(s[7].parent);
    assert_children(&s[7], (int[]){2, 1, -1});
}

static void move_to_occupied_slot_asserts(void **state)
{
    (void)state;
    cap_t c = mk(L4_OBJ_ENDPOINT, 0x1000);
    cdt_insert_child(NULL, &s[0], &c);
    copy(0, 1);
    expect_assert_failure(cdt_move(&s[0], &s[1]));
}

/* A child untyped may start where its parent starts: the size tells them
 * apart, so neither is a copy of the other. */
static void untyped_child_at_same_address_is_distinct(void **state)
{
    (void)state;
    cap_t big = mk_ut(0x100000, 20), small = mk_ut(0x100000, 12), small2 = mk_ut(0x101000, 12);
    cdt_insert_child(NULL, &s[0], &big);
    cdt_insert_child(&s[0], &s[1], &small2);
    cdt_insert_child(&s[0], &s[2], &small);
    assert_true(cdt_is_final(&s[0]));
    assert_true(cdt_is_final(&s[2]));
    check_all();
    /* an object retyped from the small one at the same address again */
    cap_t ep = mk(L4_OBJ_ENDPOINT, 0x100000);
    cdt_insert_child(&s[2], &s[3], &ep);
    cap_t smaller = mk_ut(0x100000, 8);
    cdt_insert_child(&s[2], &s[4], &smaller);
    check_all();
    cdt_remove(&s[2]);
    check_all();
    assert_children(&s[0], (int[]){4, 3, 1, -1});
    assert_true(cdt_is_final(&s[4]));
    assert_true(cdt_is_final(&s[0]));
}

/* A deterministic random mix of copies, retypes, moves and removals, as the
 * kernel makes them (copies are children of their source; new objects are
 * children of an untyped), checking everything after each step. */
static uint32_t rng = 12345;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) % n;
}

static int random_used(bool want_used)
{
    for (unsigned tries = 0; tries < 4 * NSLOTS; tries++) {
        unsigned i = rnd(NSLOTS);
        if (cap_is_null(&s[i].cap) != want_used)
            return (int)i;
    }
    return -1;
}

static void random_operations_keep_invariants(void **state)
{
    (void)state;
    cap_t u = mk_ut(0x1000000, 24);
    cdt_insert_child(NULL, &s[0], &u);
    uintptr_t next_obj = 0x1000000;
    for (unsigned step = 0; step < 3000; step++) {
        int src = random_used(true), dst = random_used(false);
        if (src < 0 || dst < 0)
            continue;
        switch (rnd(4)) {
        case 0: /* retype from an untyped */
            if (s[src].cap.type == L4_OBJ_UNTYPED) {
                next_obj += 16;
                cap_t c = mk((uint8_t)(L4_OBJ_TCB + rnd(3)), next_obj);
                if (rnd(4) == 0)
                    c = mk_ut(next_obj, (uint8_t)(4 + rnd(8)));
                cdt_insert_child(&s[src], &s[dst], &c);
            }
            break;
        case 1: /* copy (never an untyped, as the kernel refuses) */
            if (s[src].cap.type != L4_OBJ_UNTYPED)
                copy((unsigned)src, (unsigned)dst);
            break;
        case 2:
            cdt_move(&s[src], &s[dst]);
            break;
        default:
            if (src != 0 || rnd(50) == 0)
                cdt_remove(&s[src]);
            break;
        }
        check_all();
    }
}

/* cdt_insert_children: the same tree as one cdt_insert_child per object,
 * into an empty child list, one with a child, one with several, n = 1. */
static void batch_insert_equals_single_inserts(void **state)
{
    (void)state;
    for (unsigned before = 0; before <= 3; before++)
        for (unsigned n = 1; n <= 5; n += 4) {
            setup(NULL);
            cap_t u = mk_ut(0x100000, 20);
            cdt_insert_child(NULL, &s[0], &u);
            for (unsigned i = 0; i < before; i++) {
                cap_t c = mk(L4_OBJ_TCB, 0x200000 + 0x400 * i);
                cdt_insert_child(&s[0], &s[100 + i], &c);
            }
            cap_t first = mk(L4_OBJ_ENDPOINT, 0x100000);
            cdt_insert_children(&s[0], &s[10], n, &first, 16);
            check_all();
            int want[16], k = 0;
            for (unsigned i = n; i-- > 0;) { /* newest first, as single inserts */
                assert_int_equal(s[10 + i].cap.obj, 0x100000 + 16 * i);
                want[k++] = (int)(10 + i);
            }
            for (unsigned i = before; i-- > 0;)
                want[k++] = (int)(100 + i);
            want[k] = -1;
            assert_children(&s[0], want);
            for (unsigned i = 0; i < n; i++)
                assert_true(cdt_is_final(&s[10 + i]));
        }
}

/* ---- every operation is O(1): it changes a bounded set of slots ------------ */

static cte_t before[NSLOTS];

static void snapshot(void)
{
    for (unsigned i = 0; i < NSLOTS; i++)
        before[i] = s[i];
}

static bool same_slot(const cte_t *a, const cte_t *b)
{
    return a->cap.type == b->cap.type && a->cap.rights == b->cap.rights &&
           a->cap.obj == b->cap.obj && a->cap.data == b->cap.data && a->parent == b->parent &&
           a->first_child == b->first_child && a->next == b->next && a->prev == b->prev;
}

/* Slots whose contents changed since the snapshot. */
static unsigned changed(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NSLOTS; i++)
        n += !same_slot(&before[i], &s[i]);
    return n;
}

/* An untyped (slot 0) with endpoints 1..3 retyped from it; endpoint 2 has
 * `n` copies in slots 10.., and the copy in slot 10 has a copy in slot 9. */
static void wide_tree(unsigned n)
{
    cap_t u = mk_ut(0x100000, 20);
    cdt_insert_child(NULL, &s[0], &u);
    for (unsigned i = 1; i <= 3; i++) {
        cap_t c = mk(L4_OBJ_ENDPOINT, 0x100000 + 16 * i);
        cdt_insert_child(&s[0], &s[i], &c);
    }
    for (unsigned i = 10; i < 10 + n; i++)
        copy(2, i);
    copy(10, 9);
    check_all();
}

static void remove_of_a_node_with_many_children_touches_few_slots(void **state)
{
    (void)state;
    for (unsigned where = 1; where <= 3; where++) { /* last, middle, first of its list */
        setup(NULL);
        cap_t u = mk_ut(0x100000, 20);
        cdt_insert_child(NULL, &s[0], &u);
        for (unsigned i = 1; i <= 3; i++) {
            cap_t c = mk(L4_OBJ_ENDPOINT, 0x100000 + 16 * i);
            cdt_insert_child(&s[0], &s[i], &c);
        }
        for (unsigned i = 10; i < 250; i++)
            copy(where, i);
        check_all();
        snapshot();
        cdt_remove(&s[where]);
        /* the node, its two neighbours, the parent (when it was first), the
         * first and the last of its children: never the children between */
        assert_true(changed() <= 6);
        check_all();
        assert_false(cdt_is_final(&s[10]));
    }
}

static void remove_of_an_only_root_with_many_children_touches_few_slots(void **state)
{
    (void)state;
    cap_t c = mk(L4_OBJ_ENDPOINT, 0x4000);
    cdt_insert_child(NULL, &s[0], &c);
    for (unsigned i = 1; i < 250; i++)
        copy(0, i);
    snapshot();
    cdt_remove(&s[0]);
    assert_true(changed() <= 3); /* the root, the first and last child */
    check_all();
    for (unsigned i = 1; i < 250; i++)
        assert_null(s[i].parent); /* roots now, side by side */
}

static void move_of_a_node_with_many_children_touches_few_slots(void **state)
{
    (void)state;
    wide_tree(200);
    snapshot();
    cdt_move(&s[2], &s[255]);
    /* source, destination, two neighbours, the first child */
    assert_true(changed() <= 5);
    check_all();
    assert_children(&s[0], (int[]){3, 255, 1, -1});
    snapshot();
    cdt_move(&s[10], &s[254]); /* a child with a child of its own */
    assert_true(changed() <= 5);
    check_all();
}

static void insert_into_a_wide_list_touches_few_slots(void **state)
{
    (void)state;
    wide_tree(200);
    snapshot();
    copy(2, 250);
    /* the new slot, the parent, the old first child, the last child */
    assert_true(changed() <= 4);
    check_all();
    assert_false(cdt_is_final(&s[250]));
}

/* cdt_is_final looks at four links, so its answer for a copy deep in a long
 * list is right without looking at the rest of the list: check it for every
 * child of a wide tree as caps to other objects are interleaved around. */
static void final_test_is_exact_in_wide_lists(void **state)
{
    (void)state;
    wide_tree(200);
    for (unsigned i = 10; i < 210; i += 7)
        cdt_remove(&s[i]);
    check_all();
    cdt_remove(&s[2]); /* the original: its copies take its place */
    check_all();
    for (unsigned i = 10; i < 210; i++)
        if (!cap_is_null(&s[i].cap))
            assert_false(cdt_is_final(&s[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(root_is_final, setup),
        cmocka_unit_test_setup(insert_into_occupied_slot_asserts, setup),
        cmocka_unit_test_setup(children_newest_first, setup),
        cmocka_unit_test_setup(copy_is_not_final_until_last, setup),
        cmocka_unit_test_setup(badged_copy_is_same_object, setup),
        cmocka_unit_test_setup(many_copies_remove_originals, setup),
        cmocka_unit_test_setup(remove_middle_of_chain, setup),
        cmocka_unit_test_setup(remove_root_with_children, setup),
        cmocka_unit_test_setup(remove_first_middle_last_sibling, setup),
        cmocka_unit_test_setup(move_leaf, setup),
        cmocka_unit_test_setup(move_node_with_children, setup),
        cmocka_unit_test_setup(move_root_with_children, setup),
        cmocka_unit_test_setup(move_to_occupied_slot_asserts, setup),
        cmocka_unit_test_setup(untyped_child_at_same_address_is_distinct, setup),
        cmocka_unit_test_setup(random_operations_keep_invariants, setup),
        cmocka_unit_test_setup(remove_of_a_node_with_many_children_touches_few_slots, setup),
        cmocka_unit_test_setup(remove_of_an_only_root_with_many_children_touches_few_slots, setup),
        cmocka_unit_test_setup(move_of_a_node_with_many_children_touches_few_slots, setup),
        cmocka_unit_test_setup(insert_into_a_wide_list_touches_few_slots, setup),
        cmocka_unit_test_setup(final_test_is_exact_in_wide_lists, setup),
        cmocka_unit_test_setup(batch_insert_equals_single_inserts, setup),
    };
    return cmocka_run_group_tests_name("cdt", tests, NULL, NULL);
}
