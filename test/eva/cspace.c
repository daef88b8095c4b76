/* SPDX-License-Identifier: BSD-2-Clause */
/* Eva driver for kernel/core/cspace.c: lookups of any cptr, index and depth
 * in CSpaces of nondeterministic shape that respect the kernel's invariant
 * (cspace.c's preconditions: every CNode cap's object holds 2^bits slots,
 * bits + guard_bits <= 32, radix 1..16).
 *
 * A pool of CNodes of one radix r per case (r = 1, 5, 8, 12): every slot
 * starts as a CNode cap to the first CNode of the pool (a template that
 * respects the invariant); then a few slots of each CNode receive any cap a
 * slot may hold. A lookup indexes a CNode with a value Eva does not know,
 * so it reads the union of all its slots: any cap of the pool. */
#include "eva.h"
#include <cap.h>

#define POOL 3
#define TEMPLATE(r, first)                                                                         \
    {                                                                                              \
        .cap = {.type = L4_OBJ_CNODE, .bits = r, .obj = (uintptr_t)first }                         \
    }
#define CSPACE_CASE(r)                                                                             \
    static cte_t cn##r##_0[1u << r] = {[0 ...(1u << r) - 1] = TEMPLATE(r, cn##r##_0)};             \
    static cte_t cn##r##_1[1u << r] = {[0 ...(1u << r) - 1] = TEMPLATE(r, cn##r##_0)};             \
    static cte_t cn##r##_2[1u << r] = {[0 ...(1u << r) - 1] = TEMPLATE(r, cn##r##_0)};             \
    static cte_t *const pool##r[POOL] = {cn##r##_0, cn##r##_1, cn##r##_2};

CSPACE_CASE(1)
CSPACE_CASE(5)
CSPACE_CASE(8)
CSPACE_CASE(12)

/* Any cap a slot may hold; a CNode cap names one of the pool's CNodes, of
 * radix r, with a guard that fits. */
static void any_cap(cap_t *c, cte_t *const *pool, unsigned r)
{
    static const uint8_t types[] = {L4_OBJ_NULL, L4_OBJ_CNODE, L4_OBJ_ENDPOINT, L4_OBJ_UNTYPED,
                                    L4_OBJ_TCB};
    c->type = types[eva_range(0, ARRAY_SIZE(types) - 1)];
    c->rights = (uint8_t)eva_range(0, 255);
    c->bits = (uint8_t)r;
    c->guard_bits = (uint8_t)eva_range(0, 32 - r);
    c->obj = (uintptr_t)pool[eva_range(0, POOL - 1)];
    c->data = eva_word();
    c->data2 = eva_word();
}

static void fill(cte_t *cn, cte_t *const *pool, unsigned r)
{
    any_cap(&cn[0].cap, pool, r);
    any_cap(&cn[(1u << r) - 1].cap, pool, r);
    any_cap(&cn[(1u << r) / 2].cap, pool, r);
}

static void lookups(cte_t *const *pool, unsigned r)
{
    fill(pool[0], pool, r);
    fill(pool[1], pool, r);
    fill(pool[2], pool, r);
    cap_t root;
    any_cap(&root, pool, r);
    cte_t *slot = cspace_lookup_cap(&root, eva_word());
    if (slot)
        eva_use(slot->cap.type);
    /* Eva does not relate the result to *out (the lookup's exits merge), so
     * out starts at a slot of its own: reading it checks that whatever the
     * lookup stored is a valid slot. */
    cte_t unset = {0};
    cte_t *out = &unset;
    word_t err = cspace_lookup_slot(&root, eva_word(), eva_range(0, 40), &out);
    if (err == L4_ERR_OK)
        eva_use(out->cap.type);
}

int main(void)
{
    lookups(pool1, 1);
    lookups(pool5, 5);
    lookups(pool8, 8);
    lookups(pool12, 12);
    eva_end();
    return 0;
}
