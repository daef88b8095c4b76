/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzers' picture of the sandbox (fuzz.h: fz_model): a type per slot
 * and where each cap came from (the sandbox slot it was copied or retyped
 * from), so that a revoke forgets everything below the revoked cap and a
 * delete hands its children to its parent, as the kernel's derivation tree
 * does, and how each CNode cap resolves (fz_view). Shared by both fuzzers
 * (they share the fuzz space); a hint only. */
#include "fuzz.h"

#define NONE 0xffu

volatile uint8_t fz_model[FZ_SLOTS], fz_parent[FZ_SLOTS];
fz_view_t fz_view[FZ_SLOTS];
/* The views of the CNode caps the world puts in the sandbox (world.c). */
static const fz_view_t fixed_view[FZ_FREE_FIRST] = {
    [S_SELF] = {FZ_SANDBOX_BITS, 32 - FZ_SANDBOX_BITS, 0},
    [S_CNODE_N1] = {FZ_N1_RADIX, FZ_N1_GUARD_BITS, 1},
    [S_CNODE_N3] = {FZ_N3_RADIX, 32 - FZ_N3_RADIX, 0},
};
/* The slots the supervisor puts back when emptied (world_repair), with
 * their type: a fuzzer that finds one occupied again knows what it holds. */
uint8_t fz_repaired[FZ_FREE_FIRST];

static int ok(l4_word_t s)
{
    return s < FZ_SLOTS;
}

/* Slot s is empty now: if anything comes back unannounced, it is what
 * world_repair() puts there. (A view must never outlive its cap: a stale
 * one, say a fuzzer's small CNode's on the sandbox's own slot, would make
 * every well-formed path through that slot fail its lookup.) */
static void emptied(l4_word_t s)
{
    fz_model[s] = L4_OBJ_NULL;
    fz_parent[s] = NONE;
    fz_view[s] = s < FZ_FREE_FIRST ? fixed_view[s] : (fz_view_t){0};
}

void model_reset(void)
{
    for (unsigned i = 0; i < FZ_SLOTS; i++) {
        emptied(i);
        if (i < FZ_FREE_FIRST)
            fz_repaired[i] = L4_OBJ_NULL;
    }
}

void model_set(l4_word_t s, l4_word_t type)
{
    if (ok(s)) {
        fz_model[s] = (uint8_t)type;
        fz_parent[s] = NONE;
        if (type != FZ_UNKNOWN)
            fz_view[s] = s < FZ_FREE_FIRST ? fixed_view[s] : (fz_view_t){0};
    }
}

void model_new(l4_word_t dest, l4_word_t count, l4_word_t type, l4_word_t parent, fz_view_t view)
{
    for (l4_word_t i = 0; i < count && ok(dest + i); i++) {
        fz_model[dest + i] = (uint8_t)type;
        fz_parent[dest + i] = ok(parent) ? (uint8_t)parent : NONE;
        fz_view[dest + i] = view;
    }
}

void model_copy(l4_word_t dest, l4_word_t src, fz_view_t view)
{
    if (ok(dest) && ok(src)) {
        fz_model[dest] = fz_model[src];
        fz_parent[dest] = (uint8_t)src;
        fz_view[dest] = view;
    }
}

/* The children of `from` now hang below `to` (NONE: the top). */
static void reparent(l4_word_t from, uint8_t to)
{
    for (unsigned i = 0; i < FZ_SLOTS; i++)
        if (fz_parent[i] == from)
            fz_parent[i] = to;
}

void model_move(l4_word_t dest, l4_word_t src, fz_view_t view)
{
    if (!ok(dest) || !ok(src))
        return;
    fz_model[dest] = fz_model[src];
    fz_parent[dest] = fz_parent[src];
    fz_view[dest] = view;
    reparent(src, (uint8_t)dest);
    emptied(src);
}

void model_delete(l4_word_t s)
{
    if (!ok(s))
        return;
    reparent(s, fz_parent[s]);
    emptied(s);
}

/* Every slot whose chain of parents reaches s is emptied. */
void model_revoke(l4_word_t s)
{
    if (!ok(s))
        return;
    uint8_t gone[FZ_SLOTS];
    for (unsigned i = 0; i < FZ_SLOTS; i++) {
        unsigned x = fz_parent[i], n = 0;
        while (x != NONE && x != s && n++ < FZ_SLOTS)
            x = fz_parent[x];
        gone[i] = x == s;
    }
    for (unsigned i = 0; i < FZ_SLOTS; i++)
        if (gone[i])
            emptied(i);
}
