/* SPDX-License-Identifier: BSD-2-Clause */
/* Faults injected on purpose, for the invariant checker's own test: only in
 * the test configuration debug-inject (CONFIG_INV_INJECT), never in a
 * kernel anyone runs otherwise (docs/testing.md, "Kernel coverage").
 *
 * machine_debug_check with two message words (kind, cptr) breaks one thing
 * about the capability at cptr in the caller's CSpace (or the object it
 * names), runs the check exactly as machine_debug_check does, puts every
 * byte it changed back and returns the report. The kernel is whole again
 * before the call returns (the check changes nothing, and nothing else runs
 * in between: interrupts are masked in the kernel). The suite inv-inject
 * checks that each break is found, reported as what it is and named on the
 * console, and that the check holds again afterwards: the checker's
 * reports run on the target, not only on the host (unit-invariants). */
#include <arch.h>
#include <config.h>
#include <invariants.h>
#include <invoke.h>
#include <object/objects.h>
#include <object/vcpu.h>
#include <object/vspace.h>
#include <platform.h>
#include <sched.h>
#include <string.h>

/* The breaks (the second message word names the capability). */
enum inv_inject_kind {
    INJECT_UNTYPED_WATERMARK = 1, /* untyped: watermark beyond its size (CAP_FIELDS) */
    INJECT_CNODE_RADIX,           /* CNode: radix 0 (CAP_FIELDS) */
    INJECT_FRAME_FLAGS,           /* frame: a memory flag no memory has (CAP_FIELDS) */
    INJECT_FRAME_ZOMBIE,          /* frame: marked a zombie, which only holders may be (ZOMBIE) */
    INJECT_PD_PARKED,             /* page directory: a parked zombie, as only holders are (ZOMBIE) */
    INJECT_TCB_STATE,             /* TCB: a thread state out of range (THREAD_STATE) */
    INJECT_TCB_SLOT_UNMARKED,     /* TCB: its address-space slot without CAP_IN_TCB (IN_TCB) */
    INJECT_TCB_SPACE,             /* TCB: a cached address space no slot holds (TCB_CACHE) */
    INJECT_TCB_VCPU_POINTER,      /* TCB: a vCPU pointer outside the kernel (BAD_POINTER) */
    INJECT_TCB_REPLY_HOLDER,      /* TCB waiting for a reply: its holder another slot (REPLY_HOLDER) */
    INJECT_ENDPOINT_STATE,        /* endpoint: a state no endpoint has (EP_QUEUE) */
    INJECT_IRQ_HANDLER_LINE,      /* IRQ handler: names a line nobody claimed (IRQ) */
    INJECT_UNTYPED_SPLIT_RUN,     /* untyped: its third child a cap to its first one's object,
                                     after another object's (SAME_OBJECT) */
    INJECT_VCPU_STATE_PAGE,       /* bound vCPU: a state page its thread does not keep (BINDING) */
    INJECT_VCPU_MODE,             /* bound vCPU: a mode that is neither kernel nor user (BINDING) */
    INJECT_VCPU_PRIO_BELOW,       /* bound vCPU: its virq_below table out of step with its line
                                     priorities (VCPU_PRIO) */
    INJECT_VCPU_PRIO_LEVEL,       /* bound vCPU: line 3 at a level past the last, the table
                                     agreeing (VCPU_PRIO) */
    INJECT_CDT_SIBLING,           /* a cap with a sibling: its prev link itself (SIBLINGS) */
    INJECT_CDT_FIRST_CHILD,       /* a cap with children: its first child itself (FIRST_CHILD) */
    INJECT_CDT_PARENT,            /* a first child: its parent link itself (PARENT, or
                                     FIRST_CHILD from the parent's side) */
    INJECT_TCB_QUEUED_PRIORITY,   /* a thread in a ready queue: the priority next to its
                                     queue's (READY_QUEUE) */
    INJECT_REPLY_CALLER,          /* a reply cap: naming the checking thread, which waits for
                                     nothing (REPLY, or REPLY_HOLDER from the caller's side) */
    INJECT_FRAME_SHADOW,          /* a 4 KiB frame mapped through a table object: the table's
                                     shadow entry for it cleared (MAPPING, or SHADOW from the
                                     table's side) */
    INJECT_KINDS
};

/* The bytes a break changes, saved to be put back. */
static struct {
    void *at;
    word_t bytes;
    uint8_t saved[sizeof(tcb_t)];
} inject_undo;

static void inject_save(void *at, word_t bytes)
{
    inject_undo.at = at;
    inject_undo.bytes = bytes;
    memcpy(inject_undo.saved, at, bytes);
}

/* The shadow entry of the page table that maps the 4 KiB frame cap in s
 * (data = vaddr | asid), or NULL. */
static cte_t **frame_shadow(const cte_t *s)
{
    word_t m = s->cap.data;
    pd_t *pd = vspace_pd_of_asid(m & MASK(8));
    if (s->cap.type != L4_OBJ_FRAME_4K || !m || !pd)
        return NULL;
    uint32_t pde = pd->pde[mmu_pd_index(m)];
    if ((pde & PDE_TYPE_MASK) != PDE_TYPE_TABLE)
        return NULL;
    pt_t *pt = vspace_pde_table(pde);
    cte_t **e = &pt->shadow[mmu_pt_index(m)];
    return *e == s ? e : NULL;
}

/* Break it; false if the capability is not of the kind's type (or state). */
static bool inject(word_t kind, cte_t *s, tcb_t *caller)
{
    cap_t *c = &s->cap;
    tcb_t *t = (tcb_t *)c->obj;
    bool frame = c->type == L4_OBJ_FRAME_4K && !c->data; /* (unmapped) */
    switch (kind) {
    case INJECT_UNTYPED_WATERMARK:
        if (c->type != L4_OBJ_UNTYPED)
            return false;
        inject_save(c, sizeof *c);
        c->data = BIT(c->bits) + 16;
        return true;
    case INJECT_CNODE_RADIX:
        if (c->type != L4_OBJ_CNODE)
            return false;
        inject_save(c, sizeof *c);
        c->bits = 0;
        return true;
    case INJECT_FRAME_FLAGS:
    case INJECT_FRAME_ZOMBIE:
        if (!frame)
            return false;
        inject_save(c, sizeof *c);
        if (kind == INJECT_FRAME_FLAGS)
            c->mem_flags |= 0x80u;
        else
            c->rights |= CAP_ZOMBIE;
        return true;
    case INJECT_PD_PARKED:
        if (c->type != L4_OBJ_PAGE_DIRECTORY)
            return false;
        inject_save(c, sizeof *c);
        c->rights |= CAP_ZOMBIE | CAP_PARKED;
        return true;
    case INJECT_TCB_STATE:
    case INJECT_TCB_SLOT_UNMARKED:
    case INJECT_TCB_SPACE:
    case INJECT_TCB_VCPU_POINTER:
    case INJECT_TCB_REPLY_HOLDER:
        if (c->type != L4_OBJ_TCB)
            return false;
        if (kind == INJECT_TCB_SLOT_UNMARKED && cap_is_null(&t->slots[TCB_SLOT_VSPACE].cap))
            return false;
        if (kind == INJECT_TCB_SPACE && !t->vspace_pd)
            return false;
        if (kind == INJECT_TCB_VCPU_POINTER && t->vcpu)
            return false;
        if (kind == INJECT_TCB_REPLY_HOLDER && t->state != THREAD_BLOCKED_REPLY)
            return false;
        inject_save(t, sizeof *t);
        if (kind == INJECT_TCB_STATE)
            t->state = 0xee;
        else if (kind == INJECT_TCB_SLOT_UNMARKED)
            t->slots[TCB_SLOT_VSPACE].cap.rights &= (uint8_t)~CAP_IN_TCB;
        else if (kind == INJECT_TCB_SPACE)
            t->vspace_pd ^= BIT(L4_OBJ_PAGE_DIRECTORY_BITS); /* the page directory next to it */
        else if (kind == INJECT_TCB_VCPU_POINTER)
            t->vcpu = (struct vcpu *)(uintptr_t)0x10u;
        else
            t->reply_holder = &t->slots[TCB_SLOT_CSPACE];
        return true;
    case INJECT_ENDPOINT_STATE:
        if (c->type != L4_OBJ_ENDPOINT)
            return false;
        inject_save((void *)c->obj, sizeof(endpoint_t));
        ((endpoint_t *)c->obj)->state = 7;
        return true;
    case INJECT_IRQ_HANDLER_LINE:
        if (c->type != L4_OBJ_IRQ_HANDLER)
            return false;
        inject_save(c, sizeof *c);
        c->obj ^= 1; /* the line next to it */
        return true;
    case INJECT_UNTYPED_SPLIT_RUN: {
        const cte_t *c1 = s->first_child, *c2 = c1 ? c1->next : NULL;
        cte_t *c3 = c2 ? c2->next : NULL;
        if (c->type != L4_OBJ_UNTYPED || !c3 || c3 == c1 || c2 == c1 ||
            c3->cap.type != c1->cap.type || cap_same_object(&c1->cap, &c2->cap))
            return false;
        inject_save(&c3->cap, sizeof c3->cap);
        c3->cap.obj = c1->cap.obj;
        return true;
    }
    case INJECT_VCPU_STATE_PAGE:
    case INJECT_VCPU_MODE:
    case INJECT_VCPU_PRIO_BELOW:
    case INJECT_VCPU_PRIO_LEVEL: {
        vcpu_t *v = (vcpu_t *)c->obj;
        if (c->type != L4_OBJ_VCPU || !v->tcb)
            return false;
        inject_save(v, sizeof *v);
        if (kind == INJECT_VCPU_STATE_PAGE)
            v->state += BIT(L4_OBJ_FRAME_4K_BITS) / sizeof(word_t); /* the next page */
        else if (kind == INJECT_VCPU_MODE)
            v->user_mode = 2;
        else if (kind == INJECT_VCPU_PRIO_BELOW)
            v->virq_below[L4_VCPU_PRIO_NONE] ^= BIT(0); /* line 0's bit in the last set */
        else {
            v->virq_prio[3] = L4_VCPU_PRIO_LEVELS; /* below no p: in no set */
            for (word_t p = 0; p <= L4_VCPU_PRIO_NONE; p++)
                v->virq_below[p] &= ~BIT(3);
        }
        return true;
    }
    case INJECT_CDT_SIBLING:
    case INJECT_CDT_FIRST_CHILD:
    case INJECT_CDT_PARENT:
        if (kind == INJECT_CDT_SIBLING ? !s->next || s->next == s
            : kind == INJECT_CDT_FIRST_CHILD ? !s->first_child
                                             : !s->parent)
            return false;
        inject_save(s, sizeof *s);
        if (kind == INJECT_CDT_SIBLING)
            s->prev = s;
        else if (kind == INJECT_CDT_FIRST_CHILD)
            s->first_child = s;
        else
            s->parent = s;
        return true;
    case INJECT_TCB_QUEUED_PRIORITY:
        if (c->type != L4_OBJ_TCB || t->state != THREAD_RUNNABLE || t == caller ||
            t == ks_direct)
            return false;
        inject_save(t, sizeof *t);
        t->priority ^= 1u;
        return true;
    case INJECT_REPLY_CALLER:
        if (c->type != L4_OBJ_REPLY)
            return false;
        inject_save(c, sizeof *c);
        c->obj = (uintptr_t)caller;
        return true;
    case INJECT_FRAME_SHADOW: {
        cte_t **e = frame_shadow(s);
        if (!e)
            return false;
        inject_save(e, sizeof *e);
        *e = NULL;
        return true;
    }
    default:
        return false;
    }
}

word_t inv_inject_check(struct invocation *inv)
{
    STATIC_ASSERT(sizeof(endpoint_t) <= sizeof inject_undo.saved &&
                      sizeof(vcpu_t) <= sizeof inject_undo.saved,
                  "undo buffer");
    word_t kind = inv_arg(inv, 0);
    cte_t *s = cspace_lookup_cap(tcb_cspace(inv->caller), inv_arg(inv, 1));
    if (kind == 0 || kind >= INJECT_KINDS)
        return L4_ERR_RANGE_ERROR;
    if (!s || cap_is_null(&s->cap))
        return L4_ERR_FAILED_LOOKUP;
    if (!inject(kind, s, inv->caller))
        return L4_ERR_INVALID_CAPABILITY;
    word_t err = invariants_report(inv);
    memcpy(inject_undo.at, inject_undo.saved, inject_undo.bytes);
    return err;
}
