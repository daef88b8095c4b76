/* SPDX-License-Identifier: BSD-2-Clause */
/* Retype (kernel/object/untyped.c) with the real derivation tree and CSpace
 * lookup (core/cdt.c, core/cspace.c) and stubs for the rest
 * (stubs_untyped.c): argument validation and its error codes, the
 * destination CNode (node_depth 0 or a nested CNode), placement at the
 * aligned watermark, the exact end of the region, clearing ahead in chunks
 * with preemption and restart, and the new caps' place in the tree.
 *
 * The untyped region is a real host buffer aligned to its size, starting
 * dirty, so "the memory is zeroed" is checked, not assumed. CNodes are
 * arrays of cte_t (host slots are 48 bytes on a 64-bit host, so a CNode made
 * by retype is used as a destination only in the 32-bit build, suite
 * unit-untyped-32, where slots have the target's 32 bytes). */
#include <registry.h>
#include "unit.h"
#include "stubs_untyped.h"
#include <stdlib.h>
#include <string.h>

#define REGION_BITS 20 /* 1 MiB: fits one 1 MiB frame, 64 clearing chunks */
#define REGION_SIZE (1u << REGION_BITS)
#define CHUNK (4u * 1024) /* untyped.c clears 4 KiB between preemption points */
#define DIRT 0xa5
#define ROOT_RADIX 8 /* with a 24-bit zero guard: index = slot number, depth 32 */
#define INNER_RADIX 4
#define INNER_SLOT 5 /* root slot holding the nested CNode */
#define EP_SLOT 7    /* root slot holding an endpoint */
#define NSLOTS (1u << ROOT_RADIX)

static uint8_t *region, *saved_region;
static uintptr_t base;
static cte_t ut;       /* the invoked untyped */
static cte_t root_cte; /* the root argument */
static cte_t root[NSLOTS], inner[1u << INNER_RADIX];
static cte_t saved_root[NSLOTS], saved_inner[1u << INNER_RADIX];
static cte_t saved_ut;
static unsigned saved_pd_inits, saved_context_inits;
static endpoint_t some_ep;
static invocation_t inv;

static cap_t cnode_cap(cte_t *slots, uint8_t radix, uint8_t guard_bits)
{
    return (cap_t){.type = L4_OBJ_CNODE,
                   .rights = L4_RIGHTS_ALL,
                   .bits = radix,
                   .guard_bits = guard_bits,
                   .obj = (uintptr_t)slots};
}

static int setup(void **state)
{
    (void)state;
    stubs_reset();
    tcb_registry = tcb_registry_tail = NULL; /* (a test's TCBs are gone after it) */
    tcb_registry_count = 0;
    region = aligned_alloc(REGION_SIZE, REGION_SIZE);
    saved_region = malloc(REGION_SIZE);
    assert_non_null(region);
    assert_non_null(saved_region);
    base = (uintptr_t)region;
    memset(region, DIRT, REGION_SIZE);
    memset(&ut, 0, sizeof(ut));
    memset(&root_cte, 0, sizeof(root_cte));
    memset(root, 0, sizeof(root));
    memset(inner, 0, sizeof(inner));
    cap_t u = {.type = L4_OBJ_UNTYPED, .rights = L4_RIGHTS_ALL, .bits = REGION_BITS, .obj = base};
    cdt_insert_child(NULL, &ut, &u);
    cap_t r = cnode_cap(root, ROOT_RADIX, 32 - ROOT_RADIX);
    cdt_insert_child(NULL, &root_cte, &r);
    cap_t in = cnode_cap(inner, INNER_RADIX, 0);
    cdt_insert_child(NULL, &root[INNER_SLOT], &in);
    cap_t ep = {.type = L4_OBJ_ENDPOINT, .rights = L4_RIGHTS_ALL, .obj = (uintptr_t)&some_ep};
    cdt_insert_child(NULL, &root[EP_SLOT], &ep);
    memset(&inv, 0, sizeof(inv));
    inv.label = L4_UNTYPED_RETYPE;
    inv.length = 6;
    inv.ncaps = 1;
    inv.slot = &ut;
    inv.caps[0] = &root_cte;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(region);
    free(saved_region);
    return 0;
}

static word_t retype(word_t type, word_t size_bits, word_t index, word_t depth, word_t offset,
                     word_t count)
{
    word_t a[6] = {type, size_bits, index, depth, offset, count};
    memcpy(stub_args, a, sizeof(a));
    inv.restart = false;
    return decode_untyped(&inv);
}

/* Into slots [offset, offset + count) of the root CNode (node_depth 0). */
static word_t retype_root(word_t type, word_t size_bits, word_t offset, word_t count)
{
    return retype(type, size_bits, 0, 0, offset, count);
}

/* --- helpers ------------------------------------------------------------------- */

static void snapshot(void)
{
    memcpy(saved_region, region, REGION_SIZE);
    saved_ut = ut;
    memcpy(saved_root, root, sizeof(root));
    memcpy(saved_inner, inner, sizeof(inner));
    saved_pd_inits = stub_pd_inits;
    saved_context_inits = stub_context_inits;
    stub_preempt_calls = 0;
}

/* A failed decode changed nothing: not the untyped (watermark, cleared
 * mark, tree links), the CNodes, the memory, nor any ASID or thread. */
static void assert_unchanged(void)
{
    assert_memory_equal(&ut, &saved_ut, sizeof(ut));
    assert_memory_equal(root, saved_root, sizeof(root));
    assert_memory_equal(inner, saved_inner, sizeof(inner));
    assert_memory_equal(region, saved_region, REGION_SIZE);
    assert_int_equal(stub_preempt_calls, 0);
    assert_int_equal(stub_pd_inits, saved_pd_inits);
    assert_int_equal(stub_context_inits, saved_context_inits);
    assert_false(inv.restart);
}

static bool bytes_are(uintptr_t off, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++)
        if (region[off + i] != v)
            return false;
    return true;
}

static bool is_child_of(const cte_t *parent, const cte_t *slot)
{
    CDT_FOR_CHILDREN(c, parent)
    if (c == slot)
        return CDT_PARENT_OF(c) == parent;
    return false;
}

static unsigned children(const cte_t *parent)
{
    unsigned n = 0;
    CDT_FOR_CHILDREN(c, parent)
    {
        assert_ptr_equal(CDT_PARENT_OF(c), parent);
        assert_true(c->next == NULL || c->next->prev == c);
        n++;
    }
    return n;
}

/* slots[i] for i < count hold caps of `type` to consecutive objects of
 * 2^obj_bits bytes from region offset `start`, each zero and a child of ut. */
static void assert_objects(const cte_t *slots, word_t type, unsigned obj_bits, word_t start,
                           word_t count)
{
    for (word_t i = 0; i < count; i++) {
        const cap_t *c = &slots[i].cap;
        uintptr_t off = start + ((uintptr_t)i << obj_bits);
        assert_int_equal(c->type, type);
        assert_int_equal(c->rights, L4_RIGHTS_ALL);
        assert_int_equal(c->obj, base + off);
        if (type == L4_OBJ_TCB) { /* all zero but the registry links (registry.h) */
            size_t links = offsetof(tcb_t, reg_next), end = offsetof(tcb_t, reg_prev) + 8;
            assert_true(bytes_are(off, links, 0));
            assert_true(bytes_are(off + end, ((size_t)1 << obj_bits) - end, 0));
        } else {
            assert_true(bytes_are(off, (size_t)1 << obj_bits, 0));
        }
        assert_true(is_child_of(&ut, &slots[i]));
        assert_null(slots[i].first_child);
    }
}

/* --- label, length and type ------------------------------------------------------ */

static void wrong_label_is_illegal_operation(void **state)
{
    (void)state;
    snapshot();
    inv.label = L4_UNTYPED_RETYPE + 1;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_ILLEGAL_OPERATION);
    assert_unchanged();
}

static void fewer_than_six_words_is_truncated_message(void **state)
{
    (void)state;
    snapshot();
    inv.length = 5;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_TRUNCATED_MESSAGE);
    inv.length = 0;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_TRUNCATED_MESSAGE);
    assert_unchanged();
}

static void missing_root_cap_is_truncated_message(void **state)
{
    (void)state;
    snapshot();
    inv.ncaps = 0;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_TRUNCATED_MESSAGE);
    assert_unchanged();
}

static void uncreatable_or_unknown_type_is_invalid_argument(void **state)
{
    (void)state;
    const word_t bad[] = {L4_OBJ_NULL,  L4_OBJ_IRQ_CONTROL, L4_OBJ_IRQ_HANDLER,
                          L4_OBJ_REPLY, L4_OBJ_VCPU + 1,    0x80,
                          0xffffffffu};
    snapshot();
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
        assert_int_equal(retype_root(bad[i], 8, 0, 1), L4_ERR_INVALID_ARGUMENT);
    assert_unchanged();
}

static void untyped_size_outside_4_to_28_is_range_error(void **state)
{
    (void)state;
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 3, 0, 1), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 29, 0, 1), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 0, 0, 1), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 0xffffffffu, 0, 1), L4_ERR_RANGE_ERROR);
    /* 28 is a valid size, just bigger than this 1 MiB region */
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 28, 0, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged();
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 4, 0, 1), L4_ERR_OK);
}

static void cnode_radix_outside_1_to_16_is_range_error(void **state)
{
    (void)state;
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_CNODE, 0, 0, 1), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype_root(L4_OBJ_CNODE, 17, 0, 1), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype_root(L4_OBJ_CNODE, 0xffffffffu, 0, 1), L4_ERR_RANGE_ERROR);
    /* radix 16 is 2 MiB of slots: valid, but not from 1 MiB */
    assert_int_equal(retype_root(L4_OBJ_CNODE, 16, 0, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged();
    assert_int_equal(retype_root(L4_OBJ_CNODE, 1, 0, 1), L4_ERR_OK);
    assert_int_equal(root[0].cap.bits, 1);
}

static void fixed_size_types_ignore_size_bits(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0xffffffffu, 0, 1), L4_ERR_OK);
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 99, 1, 1), L4_ERR_OK);
    assert_objects(&root[0], L4_OBJ_ENDPOINT, L4_OBJ_ENDPOINT_BITS, 0, 1);
    assert_objects(&root[1], L4_OBJ_FRAME_4K, L4_OBJ_FRAME_4K_BITS, 4096, 1);
}

/* --- count ------------------------------------------------------------------------ */

static void count_zero_or_above_256_is_range_error(void **state)
{
    (void)state;
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 0), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 257), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 0xffffffffu), L4_ERR_RANGE_ERROR);
    assert_unchanged();
}

static void count_of_256_fills_a_256_slot_cnode(void **state)
{
    (void)state;
    memset(root, 0, sizeof(root)); /* all 256 slots free */
    assert_int_equal(retype_root(L4_OBJ_NOTIFICATION, 0, 0, 256), L4_ERR_OK);
    assert_objects(root, L4_OBJ_NOTIFICATION, L4_OBJ_NOTIFICATION_BITS, 0, 256);
    assert_int_equal(children(&ut), 256);
    assert_int_equal(ut.cap.data, 256u << L4_OBJ_NOTIFICATION_BITS);
}

/* --- the root argument and the destination CNode ------------------------------------- */

static void empty_root_is_failed_lookup(void **state)
{
    (void)state;
    cte_t empty = {0};
    inv.caps[0] = &empty;
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_FAILED_LOOKUP);
    assert_unchanged();
}

static void root_that_is_not_a_cnode_is_invalid_capability(void **state)
{
    (void)state;
    snapshot();
    inv.caps[0] = &root[EP_SLOT];
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_INVALID_CAPABILITY);
    inv.caps[0] = &ut;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_INVALID_CAPABILITY);
    assert_unchanged();
}

static void zombie_root_cnode_is_invalid_capability(void **state)
{
    (void)state;
    root_cte.cap.rights |= CAP_ZOMBIE;
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_INVALID_CAPABILITY);
    assert_unchanged();
}

static void node_depth_zero_is_the_root_whatever_the_index(void **state)
{
    (void)state;
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, 0xdeadbeefu, 0, 10, 2), L4_ERR_OK);
    assert_objects(&root[10], L4_OBJ_ENDPOINT, L4_OBJ_ENDPOINT_BITS, 0, 2);
    assert_int_equal(children(&inner[0]), 0);
    for (unsigned i = 0; i < ARRAY_SIZE(inner); i++)
        assert_true(cap_is_null(&inner[i].cap));
}

static void nested_cnode_named_by_index_and_depth_is_the_destination(void **state)
{
    (void)state;
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 32, 3, 4), L4_ERR_OK);
    assert_objects(&inner[3], L4_OBJ_ENDPOINT, L4_OBJ_ENDPOINT_BITS, 0, 4);
    assert_true(cap_is_null(&inner[2].cap));
    assert_true(cap_is_null(&inner[7].cap));
    assert_true(cap_is_null(&root[3].cap)); /* not the root's slots */
    assert_int_equal(root[INNER_SLOT].cap.type, L4_OBJ_CNODE);
}

static void nested_cnode_named_with_fewer_than_32_bits(void **state)
{
    (void)state;
    /* a root without a guard: a depth-8 index names one of its slots */
    root_cte.cap.guard_bits = 0;
    assert_int_equal(retype(L4_OBJ_NOTIFICATION, 0, INNER_SLOT, 8, 0, 16), L4_ERR_OK);
    assert_objects(inner, L4_OBJ_NOTIFICATION, L4_OBJ_NOTIFICATION_BITS, 0, 16);
}

static void node_depth_above_32_is_range_error(void **state)
{
    (void)state;
    snapshot();
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 33, 0, 1), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 0xffffffffu, 0, 1), L4_ERR_RANGE_ERROR);
    assert_unchanged();
}

static void node_that_does_not_resolve_is_failed_lookup(void **state)
{
    (void)state;
    snapshot();
    /* guard mismatch, bits running out inside the root, index wider than depth */
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, 0x100 | INNER_SLOT, 32, 0, 1),
                     L4_ERR_FAILED_LOOKUP);
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 16, 0, 1), L4_ERR_FAILED_LOOKUP);
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, 0x100 | INNER_SLOT, 8, 0, 1), L4_ERR_FAILED_LOOKUP);
    assert_unchanged();
}

static void node_that_is_not_a_cnode_is_failed_lookup(void **state)
{
    (void)state;
    snapshot();
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, 6, 32, 0, 1), L4_ERR_FAILED_LOOKUP); /* empty */
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, EP_SLOT, 32, 0, 1), L4_ERR_FAILED_LOOKUP);
    assert_unchanged();
}

static void zombie_nested_cnode_is_failed_lookup(void **state)
{
    (void)state;
    root[INNER_SLOT].cap.rights |= CAP_ZOMBIE;
    snapshot();
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 32, 0, 1), L4_ERR_FAILED_LOOKUP);
    assert_unchanged();
}

static void slots_past_the_end_of_the_cnode_are_range_error(void **state)
{
    (void)state;
    const word_t n = 1u << INNER_RADIX;
    snapshot();
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 32, n, 1), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 32, n - 1, 2), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 32, 0, n + 1), L4_ERR_RANGE_ERROR);
    /* offset + count would wrap to a small number */
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 32, 0xffffffffu, 2),
                     L4_ERR_RANGE_ERROR);
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, NSLOTS, 1), L4_ERR_RANGE_ERROR);
    assert_unchanged();
    /* the last slot and the whole CNode are fine */
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 32, n - 1, 1), L4_ERR_OK);
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 32, 0, n - 1), L4_ERR_OK);
    assert_int_equal(children(&ut), n);
}

static void any_occupied_destination_is_delete_first_and_none_is_filled(void **state)
{
    (void)state;
    snapshot();
    /* EP_SLOT is the last of [5, 8) and INNER_SLOT the first of [5, 6) */
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, EP_SLOT - 2, 3), L4_ERR_DELETE_FIRST);
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, INNER_SLOT, 1), L4_ERR_DELETE_FIRST);
    assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 6, 2), L4_ERR_DELETE_FIRST);
    assert_unchanged();
}

static void errors_come_in_argument_order(void **state)
{
    (void)state;
    inv.caps[0] = &root[EP_SLOT]; /* bad root ... */
    ut.cap.data = REGION_SIZE;    /* ... and a full untyped */
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_REPLY, 0, 0, 0), L4_ERR_INVALID_ARGUMENT);
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 0), L4_ERR_RANGE_ERROR);
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, EP_SLOT, 1), L4_ERR_INVALID_CAPABILITY);
    inv.caps[0] = &root_cte;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, EP_SLOT, 1), L4_ERR_DELETE_FIRST);
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged();
}

/* --- placement and the end of the region ----------------------------------------- */

static void objects_are_placed_at_the_watermark_which_advances(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 3), L4_ERR_OK);
    assert_objects(&root[0], L4_OBJ_ENDPOINT, L4_OBJ_ENDPOINT_BITS, 0, 3);
    assert_int_equal(ut.cap.data, 48);
    assert_int_equal(retype_root(L4_OBJ_NOTIFICATION, 0, 3, 2), L4_ERR_OK);
    assert_objects(&root[3], L4_OBJ_NOTIFICATION, L4_OBJ_NOTIFICATION_BITS, 48, 2);
    assert_int_equal(ut.cap.data, 80);
    assert_int_equal(ut.cap.obj, base);
    assert_int_equal(ut.cap.bits, REGION_BITS);
}

static void objects_above_the_watermark_are_naturally_aligned(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_OK); /* watermark 16 */
    assert_int_equal(retype_root(L4_OBJ_TCB, 0, 1, 1), L4_ERR_OK);
    assert_objects(&root[1], L4_OBJ_TCB, L4_OBJ_TCB_BITS, 1024, 1);
    assert_int_equal(retype_root(L4_OBJ_PAGE_TABLE, 0, 2, 1), L4_ERR_OK);
    assert_objects(&root[2], L4_OBJ_PAGE_TABLE, L4_OBJ_PAGE_TABLE_BITS, 2048, 1);
    assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 3, 2), L4_ERR_OK);
    assert_objects(&root[3], L4_OBJ_FRAME_64K, L4_OBJ_FRAME_64K_BITS, 64 * 1024, 2);
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 13, 8, 1), L4_ERR_OK);
    assert_int_equal(root[8].cap.obj, base + 192 * 1024);
    assert_int_equal(ut.cap.data, 192 * 1024 + 8192);
}

static void a_full_region_up_to_the_last_byte_succeeds(void **state)
{
    (void)state;
    memset(root, 0, sizeof(root));
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 0, REGION_SIZE / 4096), L4_ERR_OK);
    assert_objects(root, L4_OBJ_FRAME_4K, L4_OBJ_FRAME_4K_BITS, 0, REGION_SIZE / 4096);
    assert_int_equal(ut.cap.data, REGION_SIZE);
    assert_true(bytes_are(0, REGION_SIZE, 0));
}

static void one_object_past_the_end_is_not_enough_memory(void **state)
{
    (void)state;
    ut.cap.data = REGION_SIZE - 2 * 4096;
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 0, 3), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged();
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 0, 2), L4_ERR_OK);
    assert_objects(root, L4_OBJ_FRAME_4K, L4_OBJ_FRAME_4K_BITS, REGION_SIZE - 2 * 4096, 2);
    assert_int_equal(ut.cap.data, REGION_SIZE);
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 2, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged();
}

static void alignment_padding_counts_against_the_end(void **state)
{
    (void)state;
    /* 16 bytes into the last page: no 4 KiB frame fits, 255 endpoints do */
    ut.cap.data = REGION_SIZE - 4096 + 16;
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 0, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    memset(root, 0, sizeof(root));
    memcpy(saved_root, root, sizeof(root));
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 256), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged();
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 255), L4_ERR_OK);
    assert_objects(root, L4_OBJ_ENDPOINT, L4_OBJ_ENDPOINT_BITS, REGION_SIZE - 4096 + 16, 255);
    assert_int_equal(ut.cap.data, REGION_SIZE);
}

static void object_larger_than_the_region_is_not_enough_memory(void **state)
{
    (void)state;
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, REGION_BITS + 1, 0, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    ut.cap.bits = 12; /* a 4 KiB untyped (its first 4 KiB of the buffer) */
    saved_ut.cap.bits = 12;
    assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 0, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_int_equal(retype_root(L4_OBJ_PAGE_DIRECTORY, 0, 0, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 0, 2), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged();
    assert_int_equal(stub_asid_checks, 0); /* memory is checked before ASIDs */
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 0, 1), L4_ERR_OK);
}

static void large_counts_of_large_objects_do_not_wrap(void **state)
{
    (void)state;
    memset(root, 0, sizeof(root));
    memcpy(saved_root, root, sizeof(root));
    snapshot();
    /* 256 << 20 and 256 << 28 overflow 32 bits */
    assert_int_equal(retype_root(L4_OBJ_FRAME_1M, 0, 0, 256), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 28, 0, 256), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 16, 0, 17), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged();
}

static void a_full_watermark_fits_nothing(void **state)
{
    (void)state;
    ut.cap.data = REGION_SIZE;
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 4, 0, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged();
}

/* The debug configuration's registry (registry.h): every TCB a retype
 * makes is on it, in creation order, and nothing else is. */
static void retyped_tcbs_join_the_registry_in_order(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_OK);
    assert_int_equal(tcb_registry_count, 0);
    assert_int_equal(retype_root(L4_OBJ_TCB, 0, 1, 3), L4_ERR_OK);
    assert_int_equal(retype_root(L4_OBJ_TCB, 0, 4, 1), L4_ERR_OK);
    assert_int_equal(tcb_registry_count, 4);
    assert_true(registry_walk_ok());
    const tcb_t *t = tcb_registry;
    for (unsigned i = 1; i <= 4; i++, t = t->reg_next)
        assert_ptr_equal(t, (const tcb_t *)root[i].cap.obj);
    assert_null(t);
    registry_remove((tcb_t *)root[2].cap.obj); /* from the middle */
    registry_remove((tcb_t *)root[4].cap.obj); /* the tail */
    registry_remove((tcb_t *)root[1].cap.obj); /* the head */
    assert_true(registry_walk_ok());
    assert_int_equal(tcb_registry_count, 1);
    assert_ptr_equal(tcb_registry, (const tcb_t *)root[3].cap.obj);
    assert_ptr_equal(tcb_registry_tail, tcb_registry);
}

/* --- zeroing ahead, preemption and restart ---------------------------------------- */

static void new_objects_are_zero_though_the_memory_was_dirty(void **state)
{
    (void)state;
    assert_true(bytes_are(0, REGION_SIZE, DIRT));
    assert_int_equal(retype_root(L4_OBJ_TCB, 0, 0, 2), L4_ERR_OK);
    assert_objects(root, L4_OBJ_TCB, L4_OBJ_TCB_BITS, 0, 2);
    assert_int_equal(retype_root(L4_OBJ_CNODE, 4, 2, 1), L4_ERR_OK);
    assert_objects(&root[2], L4_OBJ_CNODE, 4 + CTE_BITS, 2048, 1);
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 3, 1), L4_ERR_OK);
    assert_objects(&root[3], L4_OBJ_FRAME_4K, 12, 4096, 1);
    /* only what was handed out was cleared */
    assert_true(bytes_are(8192, REGION_SIZE - 8192, DIRT));
}

static void memory_reused_after_revoke_is_cleared_again(void **state)
{
    (void)state;
    memset(root, 0, sizeof(root));
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 0, 2), L4_ERR_OK);
    memset(region, 0x5a, 8192); /* the owner writes to its frames */
    /* what a completed revoke leaves (core/delete.c cap_revoke) */
    cdt_remove(&root[0]);
    cdt_remove(&root[1]);
    assert_null(ut.first_child);
    ut.cap.data = ut.cap.data2 = 0;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 256), L4_ERR_OK);
    assert_objects(root, L4_OBJ_ENDPOINT, L4_OBJ_ENDPOINT_BITS, 0, 256);
}

static void one_chunk_needs_no_preemption_point(void **state)
{
    (void)state;
    stub_preempt_every = 1;
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 0, 1), L4_ERR_OK); /* one chunk */
    assert_false(inv.restart);
    assert_int_equal(stub_preempt_calls, 0);
    assert_int_equal(ut.cap.data2, CHUNK);
}

static void clearing_polls_for_preemption_between_chunks(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_FRAME_1M, 0, 0, 1), L4_ERR_OK);
    assert_false(inv.restart);
    assert_int_equal(stub_preempt_calls, REGION_SIZE / CHUNK - 1);
    assert_objects(root, L4_OBJ_FRAME_1M, 20, 0, 1);
    assert_int_equal(ut.cap.data2, REGION_SIZE);
}

static void preempted_retype_creates_nothing_and_asks_for_restart(void **state)
{
    (void)state;
    stub_preempt_every = 1;
    assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 0, 1), L4_ERR_OK);
    assert_true(inv.restart);
    assert_true(cap_is_null(&root[0].cap));
    assert_null(ut.first_child);
    assert_int_equal(ut.cap.data, 0);      /* watermark unchanged */
    assert_int_equal(ut.cap.data2, CHUNK); /* progress kept */
    assert_true(bytes_are(0, CHUNK, 0));
    assert_true(bytes_are(CHUNK, REGION_SIZE - CHUNK, DIRT));
}

static void restarted_retype_resumes_where_clearing_stopped(void **state)
{
    (void)state;
    stub_preempt_every = 1; /* every poll finds an interrupt */
    unsigned calls = 0;
    do {
        assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 0, 1), L4_ERR_OK);
        calls++;
        assert_true(calls <= 64 * 1024 / CHUNK);
        if (inv.restart) {
            assert_int_equal(ut.cap.data2, calls * CHUNK);
            assert_true(cap_is_null(&root[0].cap));
        }
    } while (inv.restart);
    assert_int_equal(calls, 64 * 1024 / CHUNK); /* one chunk per attempt: no work repeated */
    assert_objects(root, L4_OBJ_FRAME_64K, 16, 0, 1);
    assert_int_equal(ut.cap.data, 64 * 1024);
    assert_int_equal(children(&ut), 1);
}

static void restart_rechecks_arguments_and_keeps_progress(void **state)
{
    (void)state;
    stub_preempt_every = 1;
    assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 0, 1), L4_ERR_OK);
    assert_true(inv.restart);
    /* the slot was filled meanwhile */
    cap_t ep = {.type = L4_OBJ_ENDPOINT, .rights = L4_RIGHTS_ALL, .obj = (uintptr_t)&some_ep};
    cdt_insert_child(NULL, &root[0], &ep);
    assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 0, 1), L4_ERR_DELETE_FIRST);
    assert_int_equal(ut.cap.data2, CHUNK);
    cdt_remove(&root[0]);
    stub_preempt_every = 0;
    stub_preempt_calls = 0;
    assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 0, 1), L4_ERR_OK);
    assert_false(inv.restart);
    assert_int_equal(stub_preempt_calls, 64 * 1024 / CHUNK - 2); /* all chunks but one left */
    assert_objects(root, L4_OBJ_FRAME_64K, 16, 0, 1);
}

static void memory_cleared_ahead_serves_a_different_request(void **state)
{
    (void)state;
    stub_preempt_every = 32 * 1024 / CHUNK; /* stopped after 32 KiB */
    assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 0, 1), L4_ERR_OK);
    assert_true(inv.restart);
    assert_int_equal(ut.cap.data2, 32 * 1024);
    /* the caller gave up on the frame and wants 32 KiB of page tables */
    stub_preempt_every = 1;
    stub_preempt_calls = 0;
    assert_int_equal(retype(L4_OBJ_PAGE_TABLE, 0, INNER_SLOT, 32, 0, 16), L4_ERR_OK);
    assert_false(inv.restart);
    assert_int_equal(stub_preempt_calls, 0);
    assert_objects(inner, L4_OBJ_PAGE_TABLE, L4_OBJ_PAGE_TABLE_BITS, 0, 16);
    assert_int_equal(ut.cap.data, 32 * 1024);
    assert_int_equal(ut.cap.data2, 32 * 1024);
}

static void clearing_restarts_at_the_watermark_when_it_passed_the_cleared_part(void **state)
{
    (void)state;
    stub_preempt_every = 1;
    assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 0, 1), L4_ERR_OK);
    assert_true(inv.restart);
    assert_int_equal(ut.cap.data2, CHUNK);
    /* a 64 KiB untyped child moves the watermark past the cleared part */
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 16, 0, 1), L4_ERR_OK);
    assert_int_equal(ut.cap.data, 64 * 1024);
    stub_preempt_every = 0;
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 1, 3), L4_ERR_OK);
    assert_objects(&root[1], L4_OBJ_FRAME_4K, 12, 64 * 1024, 3);
    assert_true(bytes_are(CHUNK, 48 * 1024, DIRT)); /* inside the child: left alone */
}

/* --- per-type behaviour -------------------------------------------------------------- */

static void untyped_children_are_not_cleared(void **state)
{
    (void)state;
    stub_preempt_every = 1;
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 18, 0, 2), L4_ERR_OK); /* 512 KiB */
    assert_false(inv.restart);
    assert_int_equal(stub_preempt_calls, 0);
    assert_true(bytes_are(0, REGION_SIZE, DIRT));
    assert_int_equal(ut.cap.data, 512 * 1024);
    assert_int_equal(ut.cap.data2, 0);
    for (unsigned i = 0; i < 2; i++) {
        const cap_t *c = &root[i].cap;
        assert_int_equal(c->type, L4_OBJ_UNTYPED);
        assert_int_equal(c->bits, 18);
        assert_int_equal(c->obj, base + i * 256 * 1024);
        assert_int_equal(c->data, 0);  /* empty watermark */
        assert_int_equal(c->data2, 0); /* nothing known to be zero */
        assert_int_equal(c->rights, L4_RIGHTS_ALL);
        assert_true(is_child_of(&ut, &root[i]));
    }
}

static void an_untyped_child_clears_its_own_memory_when_retyped(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 12, 0, 1), L4_ERR_OK);
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 12, 1, 1), L4_ERR_OK);
    inv.slot = &root[1];
    assert_int_equal(retype_root(L4_OBJ_NOTIFICATION, 0, 8, 4), L4_ERR_OK);
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(root[8 + i].cap.obj, base + 4096 + 16 * i);
        assert_ptr_equal(CDT_PARENT_OF(&root[8 + i]), &root[1]);
    }
    assert_true(bytes_are(4096, 64, 0));
    assert_true(bytes_are(4096 + 64, 4096 - 64, DIRT));
    assert_true(bytes_are(0, 4096, DIRT)); /* the sibling untyped */
    assert_int_equal(root[1].cap.data, 64);
    assert_int_equal(ut.cap.data, 8192);
    assert_int_equal(children(&ut), 2);
    assert_int_equal(children(&root[1]), 4);
}

static void cnode_caps_have_radix_and_no_guard(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_CNODE, 3, 0, 2), L4_ERR_OK);
    for (unsigned i = 0; i < 2; i++) {
        const cap_t *c = &root[i].cap;
        assert_int_equal(c->bits, 3);
        assert_int_equal(c->guard_bits, 0);
        assert_int_equal(c->data, 0);
        assert_int_equal(c->data2, 0);
    }
    assert_objects(root, L4_OBJ_CNODE, 3 + CTE_BITS, 0, 2);
    assert_int_equal(ut.cap.data, 2u << (3 + CTE_BITS));
}

/* A CNode made by retype holds its 2^radix slots inside its object: filling
 * every slot leaves the objects made after it intact. Needs the target's
 * 32-byte slots (the 32-bit build); skipped on a 64-bit host. */
static void a_retyped_cnode_holds_its_slots_inside_its_object(void **state)
{
    (void)state;
    if (sizeof(cte_t) != (1u << CTE_BITS))
        skip();
    assert_int_equal(retype_root(L4_OBJ_CNODE, 4, 0, 1), L4_ERR_OK);
    assert_int_equal(root[0].cap.obj, base);
    const cte_t *slots = (const cte_t *)root[0].cap.obj;
    /* every slot of the new CNode (root slot 0: index 0 at depth 32) */
    assert_int_equal(retype(L4_OBJ_ENDPOINT, 0, 0, 32, 0, 16), L4_ERR_OK);
    for (unsigned i = 0; i < 16; i++) {
        assert_int_equal(slots[i].cap.type, L4_OBJ_ENDPOINT);
        assert_int_equal(slots[i].cap.obj, base + 512 + 16 * i);
        assert_ptr_equal(CDT_PARENT_OF(&slots[i]), &ut);
    }
    assert_true(bytes_are(512, 256, 0)); /* the endpoints, untouched by the slots */
    assert_true(bytes_are(768, CHUNK - 768, DIRT));
    assert_int_equal(ut.cap.data, 768);
}

static void tcbs_get_a_fresh_user_context(void **state)
{
    (void)state;
    ut.cap.data = 16;
    assert_int_equal(retype_root(L4_OBJ_TCB, 0, 0, 3), L4_ERR_OK);
    assert_int_equal(stub_context_inits, 3);
    for (unsigned i = 0; i < 3; i++) {
        tcb_t *t = (tcb_t *)root[i].cap.obj;
        assert_ptr_equal(t, (tcb_t *)(base + 1024 * (i + 1)));
        /* order does not matter: each TCB once */
        unsigned seen = 0;
        for (unsigned j = 0; j < 3; j++)
            seen += stub_context_ctx[j] == &t->ctx;
        assert_int_equal(seen, 1);
        assert_int_equal(stub_context_pc[i], 0);
        assert_int_equal(stub_context_sp[i], 0);
    }
}

static void other_types_get_no_context_and_no_asid(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 1), L4_ERR_OK);
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 1, 1), L4_ERR_OK);
    assert_int_equal(retype_root(L4_OBJ_VCPU, 0, 2, 1), L4_ERR_OK);
    assert_int_equal(stub_context_inits, 0);
    assert_int_equal(stub_pd_inits, 0);
    assert_int_equal(stub_asid_checks, 0);
    assert_int_equal(root[1].cap.data, 0);
}

static void page_directories_each_get_an_asid(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_PAGE_DIRECTORY, 0, 0, 3), L4_ERR_OK);
    assert_objects(root, L4_OBJ_PAGE_DIRECTORY, L4_OBJ_PAGE_DIRECTORY_BITS, 0, 3);
    assert_int_equal(stub_pd_inits, 3);
    assert_int_equal(stub_asids_free, 252);
    bool asid_seen[4] = {false};
    for (unsigned i = 0; i < 3; i++) {
        word_t a = root[i].cap.data; /* the ASID the stub gave, in the stored cap */
        assert_in_range(a, 1, 3);
        assert_false(asid_seen[a]);
        asid_seen[a] = true;
        assert_int_equal(stub_pd_objs[a - 1], root[i].cap.obj);
    }
}

static void page_directories_without_asids_are_not_enough_memory(void **state)
{
    (void)state;
    stub_asids_free = 2;
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_PAGE_DIRECTORY, 0, 0, 3), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged(); /* checked before anything was cleared */
    assert_int_equal(retype_root(L4_OBJ_PAGE_DIRECTORY, 0, 0, 2), L4_ERR_OK);
    assert_int_equal(stub_pd_inits, 2);
    snapshot();
    assert_int_equal(retype_root(L4_OBJ_PAGE_DIRECTORY, 0, 2, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_unchanged();
}

static void preempted_page_directories_take_no_asid(void **state)
{
    (void)state;
    stub_preempt_every = 1;
    assert_int_equal(retype_root(L4_OBJ_PAGE_DIRECTORY, 0, 0, 2), L4_ERR_OK);
    assert_true(inv.restart);
    assert_int_equal(stub_pd_inits, 0);
    assert_int_equal(stub_asids_free, 255);
    stub_preempt_every = 0;
    assert_int_equal(retype_root(L4_OBJ_PAGE_DIRECTORY, 0, 0, 2), L4_ERR_OK);
    assert_false(inv.restart);
    assert_int_equal(stub_pd_inits, 2);
}

/* --- the derivation tree ---------------------------------------------------------- */

static void new_caps_are_children_of_the_untyped(void **state)
{
    (void)state;
    cte_t *ut_parent = ut.parent;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 3), L4_ERR_OK);
    assert_int_equal(retype(L4_OBJ_NOTIFICATION, 0, INNER_SLOT, 32, 0, 2), L4_ERR_OK);
    assert_int_equal(children(&ut), 5);
    for (unsigned i = 0; i < 3; i++)
        assert_true(is_child_of(&ut, &root[i]));
    for (unsigned i = 0; i < 2; i++)
        assert_true(is_child_of(&ut, &inner[i]));
    assert_ptr_equal(ut.parent, ut_parent);
    assert_null(root_cte.first_child); /* not children of the destination's cap */
    assert_null(root[INNER_SLOT].first_child);
    for (unsigned i = 0; i < 5; i++) {
        const cte_t *s = i < 3 ? &root[i] : &inner[i - 3];
        assert_true(cdt_is_final(s)); /* each is the only cap to its object */
    }
}

static void a_moved_untyped_keeps_its_watermark_and_children(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 0, 2), L4_ERR_OK);
    cdt_move(&ut, &root[100]);
    inv.slot = &root[100];
    assert_int_equal(retype_root(L4_OBJ_ENDPOINT, 0, 2, 1), L4_ERR_OK);
    assert_int_equal(root[2].cap.obj, base + 32);
    assert_ptr_equal(CDT_PARENT_OF(&root[2]), &root[100]);
    assert_int_equal(children(&root[100]), 3);
}

/* --- device untypeds (CAP_MEM_DEVICE) ------------------------------------------ */

static void make_device(void)
{
    ut.cap.mem_flags = CAP_MEM_DEVICE;
}

static void device_untyped_makes_device_frames_without_clearing(void **state)
{
    (void)state;
    make_device();
    stub_preempt_every = 1; /* clearing would poll (and be preempted) */
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 0, 2), L4_ERR_OK);
    assert_false(inv.restart);
    assert_int_equal(retype_root(L4_OBJ_FRAME_64K, 0, 2, 1), L4_ERR_OK);
    assert_int_equal(retype_root(L4_OBJ_FRAME_1M, 0, 3, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    assert_int_equal(stub_preempt_calls, 0);
    assert_true(bytes_are(0, REGION_SIZE, DIRT)); /* not a byte written */
    static const uintptr_t off[3] = {0, 0x1000, 0x10000};
    static const word_t type[3] = {L4_OBJ_FRAME_4K, L4_OBJ_FRAME_4K, L4_OBJ_FRAME_64K};
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(root[i].cap.type, type[i]);
        assert_int_equal(root[i].cap.obj, base + off[i]);
        assert_int_equal(root[i].cap.mem_flags, CAP_MEM_DEVICE);
        assert_true(cap_is_device(&root[i].cap));
        assert_true(is_child_of(&ut, &root[i]));
    }
    assert_int_equal(ut.cap.data, 0x20000);
    assert_int_equal(ut.cap.data2, 0); /* nothing recorded as cleared */
}

static void device_untyped_makes_no_other_type(void **state)
{
    (void)state;
    static const word_t types[][2] = {
        {L4_OBJ_UNTYPED, 12},       {L4_OBJ_UNTYPED, 4},      {L4_OBJ_TCB, 0},
        {L4_OBJ_ENDPOINT, 0},       {L4_OBJ_NOTIFICATION, 0}, {L4_OBJ_CNODE, 1},
        {L4_OBJ_PAGE_DIRECTORY, 0}, {L4_OBJ_PAGE_TABLE, 0},   {L4_OBJ_VCPU, 0}};
    make_device();
    snapshot();
    for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++)
        assert_int_equal(retype_root(types[i][0], types[i][1], 0, 1), L4_ERR_ILLEGAL_OPERATION);
    assert_unchanged();
    /* An unknown type and a bad size are still reported as such. */
    assert_int_equal(retype_root(77, 0, 0, 1), L4_ERR_INVALID_ARGUMENT);
    assert_int_equal(retype_root(L4_OBJ_UNTYPED, 3, 0, 1), L4_ERR_RANGE_ERROR);
    assert_unchanged();
}

static void ram_frames_are_not_device_frames(void **state)
{
    (void)state;
    assert_int_equal(retype_root(L4_OBJ_FRAME_4K, 0, 0, 1), L4_ERR_OK);
    assert_int_equal(root[0].cap.mem_flags, 0);
    assert_false(cap_is_device(&root[0].cap));
    assert_false(cap_is_device(&ut.cap));
    /* A device frame and a RAM frame at the same number are two objects. */
    cap_t dev = root[0].cap;
    dev.mem_flags = CAP_MEM_DEVICE;
    assert_false(cap_same_object(&dev, &root[0].cap));
    assert_true(cap_same_object(&dev, &dev));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(wrong_label_is_illegal_operation),
        T(fewer_than_six_words_is_truncated_message),
        T(missing_root_cap_is_truncated_message),
        T(uncreatable_or_unknown_type_is_invalid_argument),
        T(untyped_size_outside_4_to_28_is_range_error),
        T(cnode_radix_outside_1_to_16_is_range_error),
        T(fixed_size_types_ignore_size_bits),
        T(count_zero_or_above_256_is_range_error),
        T(count_of_256_fills_a_256_slot_cnode),
        T(empty_root_is_failed_lookup),
        T(root_that_is_not_a_cnode_is_invalid_capability),
        T(zombie_root_cnode_is_invalid_capability),
        T(node_depth_zero_is_the_root_whatever_the_index),
        T(nested_cnode_named_by_index_and_depth_is_the_destination),
        T(nested_cnode_named_with_fewer_than_32_bits),
        T(node_depth_above_32_is_range_error),
        T(node_that_does_not_resolve_is_failed_lookup),
        T(node_that_is_not_a_cnode_is_failed_lookup),
        T(zombie_nested_cnode_is_failed_lookup),
        T(slots_past_the_end_of_the_cnode_are_range_error),
        T(any_occupied_destination_is_delete_first_and_none_is_filled),
        T(errors_come_in_argument_order),
        T(objects_are_placed_at_the_watermark_which_advances),
        T(objects_above_the_watermark_are_naturally_aligned),
        T(a_full_region_up_to_the_last_byte_succeeds),
        T(one_object_past_the_end_is_not_enough_memory),
        T(alignment_padding_counts_against_the_end),
        T(object_larger_than_the_region_is_not_enough_memory),
        T(large_counts_of_large_objects_do_not_wrap),
        T(a_full_watermark_fits_nothing),
        T(retyped_tcbs_join_the_registry_in_order),
        T(new_objects_are_zero_though_the_memory_was_dirty),
        T(memory_reused_after_revoke_is_cleared_again),
        T(one_chunk_needs_no_preemption_point),
        T(clearing_polls_for_preemption_between_chunks),
        T(preempted_retype_creates_nothing_and_asks_for_restart),
        T(restarted_retype_resumes_where_clearing_stopped),
        T(restart_rechecks_arguments_and_keeps_progress),
        T(memory_cleared_ahead_serves_a_different_request),
        T(clearing_restarts_at_the_watermark_when_it_passed_the_cleared_part),
        T(untyped_children_are_not_cleared),
        T(an_untyped_child_clears_its_own_memory_when_retyped),
        T(cnode_caps_have_radix_and_no_guard),
        T(a_retyped_cnode_holds_its_slots_inside_its_object),
        T(tcbs_get_a_fresh_user_context),
        T(other_types_get_no_context_and_no_asid),
        T(page_directories_each_get_an_asid),
        T(page_directories_without_asids_are_not_enough_memory),
        T(preempted_page_directories_take_no_asid),
        T(new_caps_are_children_of_the_untyped),
        T(a_moved_untyped_keeps_its_watermark_and_children),
        T(device_untyped_makes_device_frames_without_clearing),
        T(device_untyped_makes_no_other_type),
        T(ram_frames_are_not_device_frames),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
