/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability address resolution (kernel/core/cspace.c): guards, radix,
 * multi-level CSpaces, depth limits and zombie CNodes. CNodes are arrays of
 * cte_t here (host pointers are 64-bit, so slots are larger than 32 bytes). */
#include "unit.h"
#include <cap.h>
#include <string.h>

static cte_t top[256], mid[16], leaf[256], chain[32][2];

static int setup(void **state)
{
    (void)state;
    memset(top, 0, sizeof(top));
    memset(mid, 0, sizeof(mid));
    memset(leaf, 0, sizeof(leaf));
    memset(chain, 0, sizeof(chain));
    return 0;
}

static cap_t cnode(cte_t *slots, uint8_t radix, uint8_t guard_bits, word_t guard)
{
    return (cap_t){.type = L4_OBJ_CNODE,
                   .rights = L4_RIGHTS_ALL,
                   .bits = radix,
                   .guard_bits = guard_bits,
                   .obj = (uintptr_t)slots,
                   .data = guard};
}

static cap_t endpoint(void)
{
    return (cap_t){.type = L4_OBJ_ENDPOINT, .obj = 0x1000};
}

static word_t lookup_slot(const cap_t *root, word_t index, word_t depth, cte_t **out)
{
    *out = NULL;
    return cspace_lookup_slot(root, index, depth, out);
}

/* --- one level --------------------------------------------------------------- */

static void single_level_radix_and_guard(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 24, 0);
    cte_t *slot;
    assert_ptr_equal(cspace_lookup_cap(&root, 0xab), &top[0xab]);
    assert_int_equal(lookup_slot(&root, 0xab, 32, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &top[0xab]);
    assert_int_equal(lookup_slot(&root, 0, 32, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &top[0]);
    assert_ptr_equal(cspace_lookup_cap(&root, 0xff), &top[0xff]);
}

static void nonzero_guard_must_match(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 24, 0x123456);
    cte_t *slot;
    assert_ptr_equal(cspace_lookup_cap(&root, 0x12345607), &top[7]);
    assert_null(cspace_lookup_cap(&root, 0x12345707));
    assert_null(cspace_lookup_cap(&root, 0x00000007));
    assert_null(cspace_lookup_cap(&root, 0x92345607)); /* top guard bit differs */
    assert_int_equal(lookup_slot(&root, 0x12345607, 32, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &top[7]);
    assert_int_equal(lookup_slot(&root, 0x12345707, 32, &slot), L4_ERR_FAILED_LOOKUP);
    assert_null(slot);
}

/* A guard value wider than guard_bits can never match. */
static void guard_wider_than_guard_bits_never_matches(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 24, 0x1000000);
    cte_t *slot;
    for (word_t g = 0; g < 0x1000000; g += 0x10101)
        assert_null(cspace_lookup_cap(&root, (g << 8) | 1));
    assert_null(cspace_lookup_cap(&root, 0xffffff01));
    assert_int_equal(lookup_slot(&root, 1, 32, &slot), L4_ERR_FAILED_LOOKUP);
}

/* One level consumes all 32 bits: 31 guard bits and a radix of 1. */
static void level_of_exactly_32_bits(void **state)
{
    (void)state;
    cap_t root = cnode(chain[0], 1, 31, 0x5eadbeef >> 1);
    cte_t *slot;
    assert_ptr_equal(cspace_lookup_cap(&root, 0x5eadbeef), &chain[0][1]);
    assert_ptr_equal(cspace_lookup_cap(&root, 0x5eadbeee), &chain[0][0]);
    assert_null(cspace_lookup_cap(&root, 0xdeadbeef));
    assert_int_equal(lookup_slot(&root, 0x5eadbeef, 32, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &chain[0][1]);
    assert_int_equal(lookup_slot(&root, 0x5eadbeef >> 1, 31, &slot), L4_ERR_FAILED_LOOKUP);
}

/* --- depth ------------------------------------------------------------------- */

static void depth_zero_fails_lookup(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 24, 0);
    cte_t *slot;
    assert_int_equal(lookup_slot(&root, 0, 0, &slot), L4_ERR_FAILED_LOOKUP);
    assert_null(slot);
}

static void depth_over_32_is_range_error(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 24, 0);
    cte_t *slot;
    assert_int_equal(lookup_slot(&root, 1, 33, &slot), L4_ERR_RANGE_ERROR);
    assert_int_equal(lookup_slot(&root, 1, 64, &slot), L4_ERR_RANGE_ERROR);
    assert_int_equal(lookup_slot(&root, 1, 0xffffffffu, &slot), L4_ERR_RANGE_ERROR);
    assert_null(slot);
    /* the range is checked before the root */
    cap_t ep = endpoint();
    assert_int_equal(lookup_slot(&ep, 1, 33, &slot), L4_ERR_RANGE_ERROR);
}

static void depth_equal_to_one_level(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 0, 0);
    cte_t *slot;
    assert_int_equal(lookup_slot(&root, 0x42, 8, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &top[0x42]);
}

/* Fewer bits than the level needs (guard + radix): FAILED_LOOKUP. */
static void depth_shorter_than_level_fails(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 4, 0);
    cte_t *slot;
    assert_int_equal(lookup_slot(&root, 0x42, 8, &slot), L4_ERR_FAILED_LOOKUP);
    assert_int_equal(lookup_slot(&root, 0x42, 11, &slot), L4_ERR_FAILED_LOOKUP);
    assert_int_equal(lookup_slot(&root, 0x42, 12, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &top[0x42]);
    /* lookup_cap takes the top 12 of 32 bits */
    assert_ptr_equal(cspace_lookup_cap(&root, 0x42u << 20), &top[0x42]);
}

/* The index may not have bits above `depth`. */
static void index_wider_than_depth_fails(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 0, 0);
    cte_t *slot;
    assert_int_equal(lookup_slot(&root, 0x142, 8, &slot), L4_ERR_FAILED_LOOKUP);
    assert_int_equal(lookup_slot(&root, 0x80000042u, 8, &slot), L4_ERR_FAILED_LOOKUP);
    assert_null(slot);
}

/* Bits left after the last CNode that is not a CNode: lookup_slot fails. */
static void depth_longer_than_cspace_fails(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 0, 0);
    top[5].cap = endpoint();
    cte_t *slot;
    assert_int_equal(lookup_slot(&root, 0x500, 16, &slot), L4_ERR_FAILED_LOOKUP);
    assert_int_equal(lookup_slot(&root, 0x605, 16, &slot), L4_ERR_FAILED_LOOKUP); /* empty */
    assert_null(slot);
}

/* --- several levels ---------------------------------------------------------- */

/* top: radix 4, no guard (bits 31..28); mid at top[3]: radix 4, guard 0b101
 * (bits 27..21); leaf at mid[9]: radix 8, guard_bits 13 of value 0x1abc. */
static void build_three_levels(cap_t *root)
{
    *root = cnode(top, 4, 0, 0);
    top[3].cap = cnode(mid, 4, 3, 5);
    mid[9].cap = cnode(leaf, 8, 13, 0x1abc);
    leaf[0x77].cap = endpoint();
}

#define PATH(t, m, l)                                                                              \
    (((word_t)(t) << 28) | (5u << 25) | ((word_t)(m) << 21) | (0x1abcu << 8) | (l))

static void multi_level_resolves(void **state)
{
    (void)state;
    cap_t root;
    build_three_levels(&root);
    cte_t *slot;
    assert_ptr_equal(cspace_lookup_cap(&root, PATH(3, 9, 0x77)), &leaf[0x77]);
    assert_ptr_equal(cspace_lookup_cap(&root, PATH(3, 9, 0x10)), &leaf[0x10]);
    assert_int_equal(lookup_slot(&root, PATH(3, 9, 0x77), 32, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &leaf[0x77]);
}

static void multi_level_partial_depth_stops_at_slot(void **state)
{
    (void)state;
    cap_t root;
    build_three_levels(&root);
    cte_t *slot;
    /* depth 4: the slot holding mid's cap */
    assert_int_equal(lookup_slot(&root, 3, 4, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &top[3]);
    /* depth 11: the slot in mid holding leaf's cap */
    assert_int_equal(lookup_slot(&root, (3u << 7) | (5u << 4) | 9, 11, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &mid[9]);
    /* depth 10 runs out of bits inside mid */
    assert_int_equal(lookup_slot(&root, (3u << 6) | (5u << 3) | 4, 10, &slot),
                     L4_ERR_FAILED_LOOKUP);
    /* depth 24 runs out inside leaf */
    assert_int_equal(lookup_slot(&root, PATH(3, 9, 0x77) >> 8, 24, &slot), L4_ERR_FAILED_LOOKUP);
}

static void multi_level_guard_mismatch_at_each_level(void **state)
{
    (void)state;
    cap_t root;
    build_three_levels(&root);
    cte_t *slot;
    word_t bad_mid = PATH(3, 9, 0x77) ^ (1u << 26);
    word_t bad_leaf = PATH(3, 9, 0x77) ^ (1u << 15);
    assert_null(cspace_lookup_cap(&root, bad_mid));
    assert_null(cspace_lookup_cap(&root, bad_leaf));
    assert_int_equal(lookup_slot(&root, bad_mid, 32, &slot), L4_ERR_FAILED_LOOKUP);
    assert_int_equal(lookup_slot(&root, bad_leaf, 32, &slot), L4_ERR_FAILED_LOOKUP);
}

/* lookup_cap stops at the first slot that is not a CNode, whatever bits remain. */
static void lookup_cap_stops_at_non_cnode(void **state)
{
    (void)state;
    cap_t root;
    build_three_levels(&root);
    top[7].cap = endpoint();
    cte_t *slot;
    assert_ptr_equal(cspace_lookup_cap(&root, 0x70000000), &top[7]);
    assert_ptr_equal(cspace_lookup_cap(&root, 0x7fffffff), &top[7]);
    /* an empty slot also ends the walk; the caller sees a null cap */
    cte_t *e = cspace_lookup_cap(&root, 0x81234567);
    assert_ptr_equal(e, &top[8]);
    assert_true(cap_is_null(&e->cap));
    /* ... while lookup_slot must consume exactly `depth` bits */
    assert_int_equal(lookup_slot(&root, 0x70000000, 32, &slot), L4_ERR_FAILED_LOOKUP);
}

/* A CNode cap that ends a lookup exactly is returned, not entered. */
static void lookup_cap_returns_cnode_when_bits_run_out(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 0, 0);
    top[1].cap = cnode(mid, 4, 20, 0);
    mid[2].cap = cnode(leaf, 8, 0, 0);
    assert_ptr_equal(cspace_lookup_cap(&root, 0x01000002), &mid[2]);
}

/* Levels running out of bits in the middle: 8 + 16 bits of guard and radix
 * then a CNode needing 16 more. */
static void lookup_cap_runs_out_of_bits(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 0, 0);
    top[1].cap = cnode(mid, 4, 12, 0);
    mid[2].cap = cnode(leaf, 8, 8, 0);
    assert_null(cspace_lookup_cap(&root, 0x01000200));
}

/* 32 levels of radix 1: the longest possible walk. */
static void thirty_two_levels_of_one_bit(void **state)
{
    (void)state;
    const word_t cptr = 0xa5c3f00fu;
    cap_t root = cnode(chain[0], 1, 0, 0);
    for (unsigned k = 0; k < 31; k++) {
        unsigned bit = (cptr >> (31 - k)) & 1;
        chain[k][bit].cap = cnode(chain[k + 1], 1, 0, 0);
    }
    chain[31][cptr & 1].cap = endpoint();
    cte_t *slot;
    assert_ptr_equal(cspace_lookup_cap(&root, cptr), &chain[31][cptr & 1]);
    assert_int_equal(lookup_slot(&root, cptr, 32, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &chain[31][cptr & 1]);
    for (unsigned d = 1; d < 32; d++) {
        assert_int_equal(lookup_slot(&root, cptr >> (32 - d), d, &slot), L4_ERR_OK);
        assert_ptr_equal(slot, &chain[d - 1][(cptr >> (32 - d)) & 1]);
    }
    /* the other branch at level 10 is empty */
    assert_ptr_equal(cspace_lookup_cap(&root, cptr ^ (1u << 21)), &chain[10][!((cptr >> 21) & 1)]);
    assert_int_equal(lookup_slot(&root, cptr ^ (1u << 21), 32, &slot), L4_ERR_FAILED_LOOKUP);
}

/* A CNode of radix 0 with only a guard: every matching cptr picks slot 0. */
static void guard_only_level(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 0, 0);
    top[4].cap = cnode(mid, 0, 4, 0xa);
    mid[0].cap = cnode(leaf, 8, 12, 0);
    cte_t *slot;
    assert_ptr_equal(cspace_lookup_cap(&root, 0x04a00033), &leaf[0x33]);
    assert_null(cspace_lookup_cap(&root, 0x04b00033));
    assert_int_equal(lookup_slot(&root, 0x4a, 12, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &mid[0]);
}

/* --- roots and zombies -------------------------------------------------------- */

static void root_not_a_cnode_resolves_nothing(void **state)
{
    (void)state;
    cap_t ep = endpoint(), null = {0};
    cte_t *slot;
    assert_null(cspace_lookup_cap(&ep, 0));
    assert_null(cspace_lookup_cap(&null, 0));
    assert_int_equal(lookup_slot(&ep, 0, 32, &slot), L4_ERR_FAILED_LOOKUP);
    assert_int_equal(lookup_slot(&null, 0, 8, &slot), L4_ERR_FAILED_LOOKUP);
}

/* A CNode with no bits to consume (radix 0, no guard) cannot loop. */
static void empty_level_resolves_nothing(void **state)
{
    (void)state;
    cap_t root = cnode(top, 0, 0, 0);
    cte_t *slot;
    assert_null(cspace_lookup_cap(&root, 0));
    assert_int_equal(lookup_slot(&root, 0, 1, &slot), L4_ERR_FAILED_LOOKUP);
}

static void zombie_root_resolves_nothing(void **state)
{
    (void)state;
    cap_t root = cnode(top, 8, 24, 0);
    root.rights |= CAP_ZOMBIE;
    cte_t *slot;
    assert_null(cspace_lookup_cap(&root, 1));
    assert_int_equal(lookup_slot(&root, 1, 32, &slot), L4_ERR_FAILED_LOOKUP);
    assert_int_equal(lookup_slot(&root, 1, 8, &slot), L4_ERR_FAILED_LOOKUP);
    assert_null(slot);
}

/* An inner zombie CNode is not entered: lookup_cap ends at its slot, and
 * lookup_slot reaches the zombie's own slot but nothing inside it. */
static void zombie_inner_cnode_is_not_entered(void **state)
{
    (void)state;
    cap_t root;
    build_three_levels(&root);
    mid[9].cap.rights |= CAP_ZOMBIE;
    cte_t *slot;
    assert_ptr_equal(cspace_lookup_cap(&root, PATH(3, 9, 0x77)), &mid[9]);
    assert_int_equal(lookup_slot(&root, PATH(3, 9, 0x77), 32, &slot), L4_ERR_FAILED_LOOKUP);
    assert_int_equal(lookup_slot(&root, (3u << 7) | (5u << 4) | 9, 11, &slot), L4_ERR_OK);
    assert_ptr_equal(slot, &mid[9]);
    top[3].cap.rights |= CAP_ZOMBIE;
    assert_ptr_equal(cspace_lookup_cap(&root, PATH(3, 9, 0x77)), &top[3]);
    assert_int_equal(lookup_slot(&root, (3u << 7) | (5u << 4) | 9, 11, &slot),
                     L4_ERR_FAILED_LOOKUP);
}

/* The CSpace root of a thread in virtual user mode (CAP_GUEST_USER)
 * resolves nothing, on the one-level quick path (cap.h) and the slow path
 * alike. (The quick path once tested only CAP_ZOMBIE: a thread left in
 * guest user by a deleted vCPU kept its guest kernel's capabilities.) */
static void guest_user_root_resolves_nothing(void **state)
{
    (void)state;
    top[5].cap = endpoint();
    cap_t root = cnode(top, 8, 24, 0);
    root.rights |= CAP_GUEST_USER;
    cte_t *slot;
    assert_null(cspace_lookup_cap(&root, 5));
    assert_null(cspace_lookup_cap_levels(&root, 5));
    assert_int_equal(lookup_slot(&root, 5, 32, &slot), L4_ERR_FAILED_LOOKUP);
    cap_t two = cnode(top, 8, 0, 0); /* not one level: the slow path only */
    two.rights |= CAP_GUEST_USER;
    assert_null(cspace_lookup_cap(&two, 5u << 24));
    root.rights &= (uint8_t)~CAP_GUEST_USER;
    assert_ptr_equal(cspace_lookup_cap(&root, 5), &top[5]);
}

/* The quick path gives exactly the slow path's answer for every root it
 * takes and every one it hands on: each type, each flag of `rights`, radix
 * and guard sizes summing to 32 and not, guards that match and not. */
static void quick_lookup_matches_slow_lookup(void **state)
{
    (void)state;
    top[3].cap = cnode(leaf, 8, 0, 0); /* a second level for roots that leave bits */
    top[7].cap = endpoint();
    static const uint8_t types[] = {L4_OBJ_CNODE, L4_OBJ_ENDPOINT, L4_OBJ_NULL, L4_OBJ_TCB};
    static const uint8_t flags[] = {0,           CAP_ZOMBIE, CAP_GUEST_USER, CAP_ZOMBIE | CAP_GUEST_USER,
                                    CAP_IN_TCB, CAP_PARKED, L4_RIGHT_READ};
    static const uint8_t shapes[][2] = {{8, 24}, {1, 31}, {2, 30}, {8, 16}, {8, 0}, {4, 27}};
    static const word_t cptrs[] = {0, 3, 7, 0xff, 0x300, 0x307, 0x03000007, 0x80000007, 0xffffffff,
                                   0x12345607, 0x2468ac0e, 0x91a2b3c7};
    unsigned quick = 0;
    for (unsigned t = 0; t < sizeof types; t++)
        for (unsigned f = 0; f < sizeof flags; f++)
            for (unsigned s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
                for (unsigned g = 0; g < 3; g++) {
                    uint8_t radix = shapes[s][0], gbits = shapes[s][1];
                    word_t guard = g == 0 ? 0 : g == 1 ? (0x12345607u >> radix) & MASK(gbits) : 1u << gbits;
                    cap_t root = cnode(top, radix, gbits, guard);
                    root.type = types[t];
                    root.rights = (uint8_t)(L4_RIGHTS_ALL | flags[f]);
                    for (unsigned c = 0; c < sizeof cptrs / sizeof cptrs[0]; c++) {
                        word_t cptr = cptrs[c];
                        assert_ptr_equal(cspace_lookup_cap(&root, cptr), cspace_lookup_cap_levels(&root, cptr));
                        quick += cspace_lookup_cap(&root, cptr) != NULL;
                    }
                }
    assert_true(quick > 0); /* some inputs resolve: the comparison is not all NULLs */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(single_level_radix_and_guard, setup),
        cmocka_unit_test_setup(nonzero_guard_must_match, setup),
        cmocka_unit_test_setup(guard_wider_than_guard_bits_never_matches, setup),
        cmocka_unit_test_setup(level_of_exactly_32_bits, setup),
        cmocka_unit_test_setup(depth_zero_fails_lookup, setup),
        cmocka_unit_test_setup(depth_over_32_is_range_error, setup),
        cmocka_unit_test_setup(depth_equal_to_one_level, setup),
        cmocka_unit_test_setup(depth_shorter_than_level_fails, setup),
        cmocka_unit_test_setup(index_wider_than_depth_fails, setup),
        cmocka_unit_test_setup(depth_longer_than_cspace_fails, setup),
        cmocka_unit_test_setup(multi_level_resolves, setup),
        cmocka_unit_test_setup(multi_level_partial_depth_stops_at_slot, setup),
        cmocka_unit_test_setup(multi_level_guard_mismatch_at_each_level, setup),
        cmocka_unit_test_setup(lookup_cap_stops_at_non_cnode, setup),
        cmocka_unit_test_setup(lookup_cap_returns_cnode_when_bits_run_out, setup),
        cmocka_unit_test_setup(lookup_cap_runs_out_of_bits, setup),
        cmocka_unit_test_setup(thirty_two_levels_of_one_bit, setup),
        cmocka_unit_test_setup(guard_only_level, setup),
        cmocka_unit_test_setup(root_not_a_cnode_resolves_nothing, setup),
        cmocka_unit_test_setup(empty_level_resolves_nothing, setup),
        cmocka_unit_test_setup(zombie_root_resolves_nothing, setup),
        cmocka_unit_test_setup(zombie_inner_cnode_is_not_entered, setup),
        cmocka_unit_test_setup(guest_user_root_resolves_nothing, setup),
        cmocka_unit_test_setup(quick_lookup_matches_slow_lookup, setup),
    };
    return cmocka_run_group_tests_name("cspace", tests, NULL, NULL);
}
