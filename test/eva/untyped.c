/* SPDX-License-Identifier: BSD-2-Clause */
/* Eva driver for kernel/object/untyped.c: retype from untyped regions of
 * several sizes, watermarks and cleared-ahead marks that respect the
 * invariant (decode_untyped's preconditions: watermark and cleared-ahead end
 * within the region, the region's 2^bits bytes valid), with every object
 * type (and invalid ones), a set of sizes, counts and destination offsets
 * around each bound, and preemption anywhere in the clearing.
 *
 * Values are split on exactly: the clearing loop's arch_clear_block range
 * is then exact in every abstract state (Eva's value domain is not
 * relational, so an interval for the start and one for the length would not
 * show that their sum stays within the region). */
#include "eva.h"
#include <invoke.h>
#include <object/lifecycle.h>
#include <arch.h>
#include <string.h>

#define DEST_RADIX 8
static cte_t dest_cnode[1u << DEST_RADIX], sub_cnode[1u << DEST_RADIX];
static uint8_t region4[1u << 4], region12[1u << 12], region20[1u << 20];
static word_t args[6];
static tcb_t caller;

/* --- what untyped.c calls, as the kernel provides it (contracts checked) --- */
/*@ requires \valid_read(inv) && i < inv->length && i < 6;
    assigns \result \from args[i]; */
word_t inv_arg(const invocation_t *inv, unsigned i)
{
    return args[i];
}

bool preemption_point(void)
{
    return eva_range(0, 1);
}

bool vspace_asids_available(word_t count)
{
    return eva_range(0, 1);
}

/*@ requires \valid(pd) && pd->type == L4_OBJ_PAGE_DIRECTORY;
    assigns pd->data; */
void vspace_pd_init(cap_t *pd)
{
    pd->data = eva_range(1, 255);
}

/*@ requires \valid(ctx);
    assigns *ctx; */
void arch_context_init_zeroed(arch_context_t *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
}

/* The clearing: the range must lie in the region (the property the split
 * values make exact, above). */
/*@ requires n > 0 && \valid((uint8_t *)p + (0 .. n - 1));
    assigns ((uint8_t *)p)[0 .. n - 1]; */
void arch_clear_block(void *p, size_t n)
{
    memset(p, 0, n);
}

/*@ requires \valid(parent) && \valid(dst) && \valid_read(cap);
    assigns dst->cap; */
void cdt_insert_child(cte_t *parent, cte_t *dst, const cap_t *cap)
{
    dst->cap = *cap;
}

/* The caps of one retype, in one pass: every destination slot valid. */
/*@ requires \valid(parent) && n >= 1 && \valid(dst + (0 .. n - 1)) && \valid_read(cap);
    assigns dst[0 .. n - 1].cap; */
void cdt_insert_children(cte_t *parent, cte_t *dst, word_t n, const cap_t *cap, uintptr_t stride)
{
    for (word_t i = 0; i < n; i++) {
        dst[i].cap = *cap;
        dst[i].cap.obj += i * stride;
    }
}

/* The CSpace: index 1 at depth DEST_RADIX names sub_cnode, 2 an endpoint;
 * everything else fails. */
word_t cspace_lookup_slot(const cap_t *root, word_t index, word_t depth, cte_t **slot)
{
    if (depth != DEST_RADIX || index == 0 || index > 2)
        return L4_ERR_FAILED_LOOKUP;
    *slot = &dest_cnode[index];
    return L4_ERR_OK;
}

/* --- the driver ------------------------------------------------------------- */
static word_t pick(const word_t *set, unsigned n)
{
    return set[eva_range(0, n - 1)];
}

/* One untyped region (bits, watermark, cleared-ahead end): every object
 * type and invalid ones, sizes around the bounds for the types that take a
 * size, counts around the bounds; with `offsets`, destination offsets
 * around the CNode's end too (else offset 0). */
static void retype_from(uint8_t *region, unsigned bits, word_t watermark, word_t cleared,
                        bool offsets)
{
    static const word_t sizes[] = {0, 1, 16, 17, 28, 29};
    static const word_t counts[] = {0, 1, 2, 256, 257};
    static const word_t ends[] = {0, (1u << DEST_RADIX) - 1, 1u << DEST_RADIX};
    cte_t ut = {.cap = {.type = L4_OBJ_UNTYPED,
                        .rights = L4_RIGHTS_ALL,
                        .bits = (uint8_t)bits,
                        .obj = (uintptr_t)region,
                        .data = watermark,
                        .data2 = cleared}};
    cte_t root = {.cap = {.type = L4_OBJ_CNODE,
                          .bits = DEST_RADIX,
                          .guard_bits = 32 - DEST_RADIX,
                          .obj = (uintptr_t)dest_cnode}};
    invocation_t inv = {.caller = &caller,
                        .slot = &ut,
                        .label = L4_UNTYPED_RETYPE,
                        .length = 6,
                        .ncaps = 1,
                        .caps = {&root}};
    word_t type = eva_range(0, L4_OBJ_VCPU + 1), size = 0;
    //@ split type;
    if (type == L4_OBJ_UNTYPED || type == L4_OBJ_CNODE)
        size = pick(sizes, ARRAY_SIZE(sizes));
    word_t count = pick(counts, ARRAY_SIZE(counts));
    word_t offset = offsets ? pick(ends, ARRAY_SIZE(ends)) : 0;
    //@ split size;
    //@ split count;
    //@ split offset;
    args[0] = type;
    args[1] = size;
    args[2] = 0; /* node index, depth 0: the root CNode itself */
    args[3] = 0;
    args[4] = offset;
    args[5] = count;
    eva_use(decode_untyped(&inv));
}

/* Requests that stop before the region matters: label, length, caps, the
 * destination CNode looked up in the CSpace. */
static void decode_errors(void)
{
    cte_t ut = {.cap = {.type = L4_OBJ_UNTYPED, .bits = 12, .obj = (uintptr_t)region12}};
    cte_t root = {.cap = {.type = L4_OBJ_CNODE,
                          .bits = DEST_RADIX,
                          .guard_bits = 32 - DEST_RADIX,
                          .obj = (uintptr_t)dest_cnode}};
    cte_t not_cnode = {.cap = {.type = L4_OBJ_ENDPOINT}};
    invocation_t inv = {.caller = &caller, .slot = &ut};
    inv.label = eva_range(L4_UNTYPED_RETYPE, L4_UNTYPED_RETYPE + 1);
    inv.length = eva_range(0, 6);
    inv.ncaps = eva_range(0, 1);
    inv.caps[0] = eva_range(0, 1) ? &root : &not_cnode;
    word_t index = eva_range(0, 3), depth = eva_range(0, 1) ? DEST_RADIX : 0;
    //@ split inv.label;
    //@ split inv.length;
    //@ split index;
    args[0] = L4_OBJ_ENDPOINT;
    args[1] = 0;
    args[2] = index;
    args[3] = depth;
    args[4] = 3; /* offset */
    args[5] = 1; /* count */
    eva_use(decode_untyped(&inv));
}

int main(void)
{
    dest_cnode[1].cap =
        (cap_t){.type = L4_OBJ_CNODE, .bits = DEST_RADIX, .obj = (uintptr_t)sub_cnode};
    dest_cnode[2].cap = (cap_t){.type = L4_OBJ_ENDPOINT};
    dest_cnode[(1u << DEST_RADIX) - 1].cap = (cap_t){.type = L4_OBJ_ENDPOINT}; /* DELETE_FIRST */
    decode_errors();
    retype_from(region4, 4, 0, 0, false);
    retype_from(region4, 4, 8, 16, false);
    retype_from(region4, 4, 16, 16, false);
    retype_from(region12, 12, 0, 0, true);
    retype_from(region12, 12, 48, 1024, false);
    retype_from(region12, 12, 4096, 4096, false);
    retype_from(region20, 20, 0, 0, false);
    retype_from(region20, 20, 4112, 65536, false);
    retype_from(region20, 20, 1u << 20, 1u << 20, false);
    eva_end();
    return 0;
}
