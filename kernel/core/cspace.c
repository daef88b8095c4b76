/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability address resolution through guarded CNodes. Each level consumes
 * guard_bits + radix >= 1 bits, so a lookup takes at most 32 steps. */
#include <cap.h>

static inline cte_t *cnode_slots(const cap_t *c)
{
    return (cte_t *)c->obj;
}

/* One level: check the guard and index the CNode. Returns the slot, or NULL
 * when the guard mismatches or fewer than guard+radix bits remain.
 * `node` is a usable CNode cap (callers check); the precondition is the
 * CNode invariant, checked by Frama-C Eva (docs/testing.md): its object
 * holds 2^bits slots, its radix is 1..16 (untyped.c), radix plus guard fit
 * in a word (cnode.c). */
/*@ requires \valid_read(node) && \valid(left) && *left <= 32;
    requires 1 <= node->bits <= 16;
    requires node->bits + node->guard_bits <= 32;
    requires \valid((cte_t *)node->obj + (0 .. (1 << node->bits) - 1));
    assigns *left; */
static cte_t *resolve_level(const cap_t *node, word_t cptr, unsigned *left)
{
    unsigned have = *left;
    unsigned need = node->guard_bits + node->bits;
    if (need == 0 || need > have)
        return NULL;
    unsigned shift = have - need;
    word_t chunk = need == 32 ? cptr : (cptr >> shift) & MASK(need);
    word_t guard = node->bits == 32 ? 0 : chunk >> node->bits;
    if (guard != node->data)
        return NULL;
    *left = shift;
    return &cnode_slots(node)[chunk & MASK(node->bits)];
}

/* Every root (cap.h: cspace_lookup_cap tries the one-level case first). */
cte_t *cspace_lookup_cap_levels(const cap_t *root, word_t cptr)
{
    unsigned left = 32;
    const cap_t *node = root;
    if (!cspace_cnode_usable(node))
        return NULL;
    for (;;) {
        cte_t *slot = resolve_level(node, cptr, &left);
        if (!slot)
            return NULL;
        if (left == 0 || !cspace_cnode_usable(&slot->cap))
            return slot;
        node = &slot->cap;
    }
}

word_t cspace_lookup_slot(const cap_t *root, word_t index, word_t depth, cte_t **out)
{
    if (depth > 32)
        return L4_ERR_RANGE_ERROR;
    if (depth == 0)
        return L4_ERR_FAILED_LOOKUP;
    unsigned left = depth;
    const cap_t *node = root;
    word_t bits = depth == 32 ? index : index & MASK(depth);
    if (bits != index || !cspace_cnode_usable(node))
        return L4_ERR_FAILED_LOOKUP;
    for (;;) {
        cte_t *slot = resolve_level(node, bits, &left);
        if (!slot)
            return L4_ERR_FAILED_LOOKUP;
        if (left == 0) {
            *out = slot;
            return L4_ERR_OK;
        }
        if (!cspace_cnode_usable(&slot->cap))
            return L4_ERR_FAILED_LOOKUP;
        node = &slot->cap;
    }
}
