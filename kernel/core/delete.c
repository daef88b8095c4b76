/* SPDX-License-Identifier: BSD-2-Clause */
/* Deleting capabilities, destroying objects, revoking derivation subtrees.
 *
 * Objects that hold slots (CNodes, TCBs) may contain the last caps to other
 * such objects, so destruction is a walk, done without recursion: from the
 * slot being deleted, descend through last caps to slot-holding objects
 * (marking each CAP_ZOMBIE: destruction in progress) to the first slot whose
 * cap can be removed on its own, remove it, and start again from the top.
 * The slot being deleted is never descended into again, which breaks
 * cycles through it; a zombie cap is unique (it cannot be copied), so a
 * descent cannot revisit a slot. Each removal is one step; between steps a
 * pending interrupt preempts the walk, which the restarted system call
 * continues (zombie marks persist). */
#include <assert.h>
#include <invoke.h>
#include <object/lifecycle.h>
#include <object/vcpu.h>

/* The first occupied slot inside the object of the zombie cap `c`, other
 * than `skip`. Slots are emptied in index order, so a CNode's scan resumes
 * where the last one stopped (c->data2, kept in the zombie cap): destroying
 * a CNode is linear in its size, even across preemptions. */
static cte_t *object_first_used_slot(cap_t *c, const cte_t *skip)
{
    cte_t *slots;
    word_t n, i = 0;
    if (c->type == L4_OBJ_CNODE) {
        slots = (cte_t *)c->obj;
        n = BIT(c->bits);
        i = c->data2;
    } else {
        slots = tcb_of_cap(c)->slots;
        n = TCB_SLOTS;
    }
    for (; i < n; i++) {
        if (!cap_is_null(&slots[i].cap) && &slots[i] != skip) {
            if (c->type == L4_OBJ_CNODE)
                c->data2 = i;
            return &slots[i];
        }
    }
    return NULL;
}

static void object_finalise(const cap_t *c)
{
    switch (c->type) {
    case L4_OBJ_ENDPOINT:
        endpoint_finalise((endpoint_t *)c->obj);
        break;
    case L4_OBJ_NOTIFICATION:
        notification_finalise((notification_t *)c->obj);
        break;
    /* L4_OBJ_TCB: stopped when its cap became a zombie (cap_delete). */
    case L4_OBJ_PAGE_DIRECTORY:
        vspace_pd_finalise(c);
        break;
    case L4_OBJ_IRQ_HANDLER:
        irq_handler_finalise(c->obj);
        break;
    case L4_OBJ_VCPU:
        vcpu_finalise((vcpu_t *)c->obj);
        break;
    default: /* untyped, CNode (already empty), frames, page tables, IRQ control */
        break;
    }
}

/* Remove one cap that needs no descent. */
static void remove_one(cte_t *slot, bool final)
{
    cap_t c = slot->cap;
    if (c.type == L4_OBJ_FRAME_4K || c.type == L4_OBJ_FRAME_64K || c.type == L4_OBJ_FRAME_1M ||
        c.type == L4_OBJ_PAGE_TABLE)
        vspace_cap_unmap(slot);
    if (c.type == L4_OBJ_REPLY)
        reply_cap_release(slot);
    if (c.rights & CAP_IN_TCB)
        tcb_slot_lost(slot);
    cdt_remove(slot);
    if (final)
        object_finalise(&c);
}

bool cap_delete(cte_t *top)
{
    while (!cap_is_null(&top->cap)) {
        cte_t *slot = top;
        for (;;) {
            cap_t *c = &slot->cap;
            bool final = (c->rights & CAP_ZOMBIE) || cdt_is_final(slot);
            if (!cap_has_slots(c) || !final) {
                /* A page directory is emptied one entry at a time, each a
                 * preemption point, before it is destroyed. */
                if (final && c->type == L4_OBJ_PAGE_DIRECTORY) {
                    c->rights |= CAP_ZOMBIE;
                    while (vspace_pd_clear_next(c))
                        if (preemption_point())
                            return false;
                }
                remove_one(slot, final);
                break;
            }
            if (!(c->rights & CAP_ZOMBIE)) {
                /* A thread stops before its slots are emptied, so it never
                 * runs with half of its caps gone, even if preempted here. */
                c->rights |= CAP_ZOMBIE;
                if (c->type == L4_OBJ_TCB)
                    tcb_finalise(tcb_of_cap(c));
            }
            cte_t *inner = object_first_used_slot(c, top);
            if (!inner) {
                remove_one(slot, true);
                break;
            }
            slot = inner;
        }
        if (!cap_is_null(&top->cap) && preemption_point())
            return false;
    }
    return true;
}

bool cap_revoke(cte_t *slot)
{
    while (slot->first_child) {
        if (!cap_delete(slot->first_child))
            return false;
        if (slot->first_child && preemption_point())
            return false;
    }
    if (slot->cap.type == L4_OBJ_UNTYPED) {
        slot->cap.data = 0;  /* no children left: the memory may be reused */
        slot->cap.data2 = 0; /* ... and is no longer known to be zero */
    }
    return true;
}

cap_t cap_derive(const cap_t *src)
{
    cap_t c = *src;
    c.rights &= (uint8_t)~CAP_IN_TCB;
    if (c.type == L4_OBJ_FRAME_4K || c.type == L4_OBJ_FRAME_64K || c.type == L4_OBJ_FRAME_1M ||
        c.type == L4_OBJ_PAGE_TABLE)
        c.data = 0; /* a copy starts unmapped */
    return c;
}

void cap_insert_copy(cte_t *src, cte_t *dst, const cap_t *cap)
{
    /* A copy with a different badge or guard is a child (revoking the
     * original removes it); an identical copy is a child too, so that
     * revoke on an original removes every copy made from it. */
    cdt_insert_child(src, dst, cap);
}

void cap_move(cte_t *src, cte_t *dst)
{
    cdt_move(src, dst);
    if (dst->cap.type == L4_OBJ_REPLY) {
        tcb_t *caller = tcb_of_cap(&dst->cap);
        if (caller->reply_holder == src)
            caller->reply_holder = dst;
    }
    vspace_cap_moved(dst);
}
