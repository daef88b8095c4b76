/* SPDX-License-Identifier: BSD-2-Clause */
/* Property test of CSpace lookup (kernel/core/cspace.c) against a reference
 * resolver written from the API's definition (docs/api.md), not from the
 * kernel's code: the capability address is a string of bits, consumed
 * most significant first, a guard at a time and a radix at a time.
 *
 * Each step builds a random CSpace over a pool of CNodes (random radix and
 * guards, slots holding nothing, endpoints, CNode caps to pool members,
 * zombie CNodes) and resolves random addresses, mostly ones built by
 * walking a real path, at every depth 0..33; both lookups must agree with
 * the reference and leave the CSpace unchanged. */
#include "prop.h"
#include <cap.h>

#define POOL 6
#define MAX_RADIX 5
static cte_t pool[POOL][1u << MAX_RADIX];
static cap_t roots[POOL]; /* a cap to each pool member, with its guard */

/* The address as bits: bit(i) is the i-th most significant of `len`. */
typedef struct {
    word_t value;
    unsigned len;
} bits_t;

static unsigned bit_at(bits_t b, unsigned i)
{
    return (unsigned)(b.value >> (b.len - 1 - i)) & 1u;
}

/* Read n bits from position *pos as a number (n <= 32). */
static uint64_t take(bits_t b, unsigned *pos, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 1 | bit_at(b, (*pos)++);
    return v;
}

static bool usable_cnode(const cap_t *c)
{
    return c->type == L4_OBJ_CNODE && !(c->rights & CAP_ZOMBIE);
}

/* Reference: walk levels while bits remain; a level needs its guard and
 * radix bits, the guard must equal the CNode's. stop_at_leaf: the invoke
 * lookup (stop at the first slot that is not a usable CNode). Returns the
 * slot, or NULL with *err the reason. */
static cte_t *ref_resolve(const cap_t *root, bits_t b, bool stop_at_leaf, word_t *err)
{
    *err = L4_ERR_FAILED_LOOKUP;
    if (!usable_cnode(root))
        return NULL;
    const cap_t *node = root;
    unsigned pos = 0;
    for (;;) {
        unsigned need = node->guard_bits + node->bits;
        if (b.len - pos < need)
            return NULL;
        if (take(b, &pos, node->guard_bits) != node->data)
            return NULL;
        cte_t *slot = &((cte_t *)node->obj)[take(b, &pos, node->bits)];
        if (pos == b.len) {
            *err = L4_ERR_OK;
            return slot;
        }
        if (!usable_cnode(&slot->cap)) {
            if (stop_at_leaf) {
                *err = L4_ERR_OK;
                return slot;
            }
            return NULL;
        }
        node = &slot->cap;
    }
}

static cap_t cnode_cap(unsigned k)
{
    return roots[k];
}

static void build_cspace(void)
{
    memset(pool, 0, sizeof(pool));
    for (unsigned k = 0; k < POOL; k++) {
        uint8_t radix = (uint8_t)(1 + prop_below(MAX_RADIX));
        /* small guards mostly, sometimes one that fills the word */
        uint8_t gbits = (uint8_t)(prop_below(4) ? prop_below(4) : 32 - radix - prop_below(3));
        word_t guard = gbits ? (prop_word() & (gbits == 32 ? ~0u : MASK(gbits))) : 0;
        if (prop_below(2))
            guard = 0;
        roots[k] = (cap_t){.type = L4_OBJ_CNODE,
                           .rights = L4_RIGHTS_ALL,
                           .bits = radix,
                           .guard_bits = gbits,
                           .obj = (uintptr_t)pool[k],
                           .data = guard};
    }
    for (unsigned k = 0; k < POOL; k++)
        for (unsigned i = 0; i < (1u << roots[k].bits); i++) {
            cap_t *c = &pool[k][i].cap;
            switch (prop_below(6)) {
            case 0:
            case 1:
                break; /* empty */
            case 2:
                *c = (cap_t){.type = L4_OBJ_ENDPOINT, .rights = L4_RIGHTS_ALL, .obj = 0x1000 + i};
                break;
            case 3:
                *c = cnode_cap(prop_below(POOL));
                c->rights |= CAP_ZOMBIE;
                break;
            default:
                *c = cnode_cap(prop_below(POOL));
                break;
            }
        }
}

/* An address built by walking a random path from root k: each level's
 * guard then a random index, stopping at a random level or when the word
 * is full; sometimes a bit is flipped or junk is appended. */
static bits_t random_path(unsigned k)
{
    bits_t b = {0, 0};
    const cap_t *node = &roots[k];
    for (unsigned level = 0; level < 8; level++) {
        unsigned need = node->guard_bits + node->bits;
        if (b.len + need > 32)
            break;
        word_t idx = prop_below(1u << node->bits);
        uint64_t chunk = ((uint64_t)node->data << node->bits) | idx;
        b.value = (word_t)(((uint64_t)b.value << need) | chunk);
        b.len += need;
        const cap_t *next = &((cte_t *)node->obj)[idx].cap;
        if (!usable_cnode(next) || prop_below(3) == 0)
            break;
        node = next;
    }
    if (prop_below(8) == 0 && b.len)
        b.value ^= 1u << prop_below(b.len);
    if (prop_below(6) == 0 && b.len < 32) {
        unsigned extra = 1 + prop_below(32 - b.len);
        b.value = (word_t)(((uint64_t)b.value << extra) | (prop_word() & MASK(extra)));
        b.len += extra;
    }
    return b;
}

static uint64_t checksum(void)
{
    uint64_t h = 1469598103934665603ull;
    const uint8_t *p = (const uint8_t *)pool;
    for (size_t i = 0; i < sizeof(pool); i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static void check_lookups(unsigned k, bits_t path)
{
    const cap_t *root = &roots[k];
    /* lookup_cap resolves all 32 bits: the path, padded with random bits */
    bits_t full = path;
    if (full.len < 32) {
        unsigned extra = 32 - full.len;
        full.value = (word_t)(((uint64_t)full.value << extra) | (prop_word() & MASK(extra)));
        full.len = 32;
    }
    word_t err;
    cte_t *want = ref_resolve(root, full, true, &err);
    cte_t *got = cspace_lookup_cap(root, full.value);
    PROP_CHECK(got == want, "lookup_cap(0x%08x) in CSpace %u: slot %p, reference %p", full.value, k,
               (void *)got, (void *)want);

    /* lookup_slot at the path's own depth, and at every other depth */
    for (unsigned depth = 0; depth <= 33; depth++) {
        word_t index = depth == path.len ? path.value : prop_word();
        if (depth < 32 && prop_below(4))
            index &= MASK(depth); /* mostly well-formed: fits the depth */
        cte_t *slot = NULL;
        word_t e = cspace_lookup_slot(root, index, depth, &slot);
        word_t ref_err;
        cte_t *ref;
        if (depth > 32) {
            ref = NULL;
            ref_err = L4_ERR_RANGE_ERROR;
        } else if (depth == 0 || (depth < 32 && (index >> depth) != 0)) {
            ref = NULL;
            ref_err = L4_ERR_FAILED_LOOKUP;
        } else {
            ref = ref_resolve(root, (bits_t){index, depth}, false, &ref_err);
        }
        PROP_CHECK(e == ref_err, "lookup_slot(0x%x, %u) in CSpace %u: error %u, reference %u",
                   index, depth, k, e, ref_err);
        if (e == L4_ERR_OK)
            PROP_CHECK(slot == ref, "lookup_slot(0x%x, %u): slot %p, reference %p", index, depth,
                       (void *)slot, (void *)ref);
    }
}

static void lookups_agree_with_the_reference_resolver(void **state)
{
    (void)state;
    unsigned resolved = 0;
    for (prop_step = 0; prop_step < prop_steps; prop_step++) {
        if (prop_step % 50 == 0)
            build_cspace();
        unsigned k = prop_below(POOL);
        bits_t path = random_path(k);
        uint64_t before = checksum();
        check_lookups(k, path);
        word_t err;
        resolved += ref_resolve(&roots[k], path, false, &err) != NULL;
        PROP_CHECK(checksum() == before, "a lookup changed the CSpace");
    }
    /* the generator must reach real slots, not only failures */
    PROP_CHECK(resolved > prop_steps / 4, "only %u of %lu paths resolved", resolved, prop_steps);
}

int main(int argc, char **argv)
{
    prop_args(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookups_agree_with_the_reference_resolver),
    };
    return cmocka_run_group_tests_name("prop-cspace", tests, NULL, NULL);
}
