/* SPDX-License-Identifier: BSD-2-Clause */
/* CNode invocations: copy, mint, move, mutate, delete, revoke, save_caller. */
#include <invoke.h>
#include <object/lifecycle.h>

#define GUARD_SIZE_MASK 0x1fu
#define GUARD_SHIFT 5

static bool cap_is_badgeable(const cap_t *c)
{
    return c->type == L4_OBJ_ENDPOINT || c->type == L4_OBJ_NOTIFICATION;
}

/* Apply a mint/mutate `badge` word to `c`. */
static word_t cap_set_badge(cap_t *c, word_t badge)
{
    if (cap_is_badgeable(c)) {
        if (c->data != 0 && badge != 0)
            return L4_ERR_ILLEGAL_OPERATION; /* badges are set once */
        if (badge)
            c->data = badge;
        return L4_ERR_OK;
    }
    if (c->type == L4_OBJ_CNODE) {
        word_t gbits = badge & GUARD_SIZE_MASK, guard = badge >> GUARD_SHIFT;
        if (gbits + c->bits > 32 || (gbits < 32 - GUARD_SHIFT && (guard >> gbits) != 0))
            return L4_ERR_INVALID_ARGUMENT;
        c->guard_bits = (uint8_t)gbits;
        c->data = guard;
        return L4_ERR_OK;
    }
    return badge != 0 ? L4_ERR_INVALID_ARGUMENT : L4_ERR_OK;
}

/* Copies of these caps would break their uniqueness (untyped watermark,
 * one-shot reply, destruction in progress), or mix copies with children of
 * another kind under one parent (IRQ control hands out handler caps). */
static bool cap_copyable(const cap_t *c)
{
    return c->type != L4_OBJ_UNTYPED && c->type != L4_OBJ_REPLY && c->type != L4_OBJ_IRQ_CONTROL &&
           c->type != L4_OBJ_PAGE_TABLE && !(c->rights & CAP_ZOMBIE);
}

static word_t lookup_src(invocation_t *inv, cte_t **src)
{
    if (inv->ncaps < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    if (inv->caps[0]->cap.type != L4_OBJ_CNODE)
        return inv_wrong_cap(&inv->caps[0]->cap);
    word_t err = cspace_lookup_slot(&inv->caps[0]->cap, inv_arg(inv, 2), inv_arg(inv, 3), src);
    if (err != L4_ERR_OK)
        return err;
    return cap_is_null(&(*src)->cap) ? L4_ERR_FAILED_LOOKUP : L4_ERR_OK;
}

static word_t decode_copy_like(invocation_t *inv, cte_t *dest)
{
    word_t need = inv->label == L4_CNODE_COPY ? 5 : inv->label == L4_CNODE_MOVE ? 4 : 6;
    if (inv->label == L4_CNODE_MUTATE)
        need = 5;
    if (inv->length < need)
        return L4_ERR_TRUNCATED_MESSAGE;
    cte_t *src;
    word_t err = lookup_src(inv, &src);
    if (err != L4_ERR_OK)
        return err;
    if (!cap_is_null(&dest->cap))
        return L4_ERR_DELETE_FIRST;
    if (src == dest)
        return L4_ERR_DELETE_FIRST;

    if (inv->label == L4_CNODE_MOVE || inv->label == L4_CNODE_MUTATE) {
        if (src->cap.rights & CAP_ZOMBIE)
            return L4_ERR_ILLEGAL_OPERATION;
        cap_t c = src->cap;
        if (inv->label == L4_CNODE_MUTATE) {
            err = cap_set_badge(&c, inv_arg(inv, 4));
            if (err != L4_ERR_OK)
                return err;
        }
        cap_move(src, dest);
        dest->cap = c;
        return L4_ERR_OK;
    }

    if (!cap_copyable(&src->cap))
        return L4_ERR_ILLEGAL_OPERATION;
    cap_t c = cap_derive(&src->cap);
    c.rights &= (uint8_t)(inv_arg(inv, 4) & L4_RIGHTS_ALL);
    if (inv->label == L4_CNODE_MINT) {
        err = cap_set_badge(&c, inv_arg(inv, 5));
        if (err != L4_ERR_OK)
            return err;
    }
    cap_insert_copy(src, dest, &c);
    return L4_ERR_OK;
}

static word_t decode_save_caller(invocation_t *inv, cte_t *dest)
{
    if (!cap_is_null(&dest->cap))
        return L4_ERR_DELETE_FIRST;
    cte_t *caller = &inv->caller->slots[TCB_SLOT_CALLER];
    if (cap_is_null(&caller->cap))
        return L4_ERR_ILLEGAL_OPERATION;
    cap_move(caller, dest);
    return L4_ERR_OK;
}

word_t decode_cnode(invocation_t *inv)
{
    if (inv->slot->cap.rights & CAP_ZOMBIE)
        return L4_ERR_INVALID_CAPABILITY;
    if (inv->label < L4_CNODE_COPY || inv->label > L4_CNODE_SAVE_CALLER)
        return L4_ERR_ILLEGAL_OPERATION;
    if (inv->length < 2)
        return L4_ERR_TRUNCATED_MESSAGE;
    cte_t *slot;
    word_t err = cspace_lookup_slot(&inv->slot->cap, inv_arg(inv, 0), inv_arg(inv, 1), &slot);
    if (err != L4_ERR_OK)
        return err;

    switch (inv->label) {
    case L4_CNODE_DELETE:
        inv->restart = !cap_delete(slot);
        return L4_ERR_OK;
    case L4_CNODE_REVOKE:
        inv->restart = !cap_revoke(slot);
        return L4_ERR_OK;
    case L4_CNODE_SAVE_CALLER:
        return decode_save_caller(inv, slot);
    default:
        return decode_copy_like(inv, slot);
    }
}
