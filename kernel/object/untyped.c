/* SPDX-License-Identifier: BSD-2-Clause */
/* Untyped memory: retype carves objects from the free part of the region,
 * above a watermark (cap.data, an offset). Memory below the watermark is
 * reused only after revoke removed every object made from it.
 *
 * New objects must be zero. Clearing is done ahead of the objects, in
 * chunks with a preemption point between them, and remembered in cap.data2
 * (invariant: [max(watermark, data2_start), data2) is zero, see below), so
 * a large retype that is interrupted restarts where it stopped instead of
 * holding interrupts off for the whole region. Revoke resets both.
 *
 * Device untypeds (CAP_MEM_DEVICE, cap.h) cover a device's registers: they
 * become frames only (never kernel objects, whose memory the kernel would
 * have to reach), and are never cleared (writing a device's registers has
 * effects, and there is nothing to hide: the memory is not RAM). The
 * watermark and revoke work as for RAM. */
#include <arch.h>
#include <invoke.h>
#include <object/lifecycle.h>
#include <registry.h>
#include <sched.h>
#include <string.h>
#include <trace.h>

#define UNTYPED_MIN_BITS 4
#define UNTYPED_MAX_BITS 28
#define CNODE_MAX_RADIX 16
#define RETYPE_MAX_COUNT 256
#define CLEAR_CHUNK_BITS 12 /* 4 KiB between preemption points (about 400 instructions) */

/* Size in log2 bytes of one object, or 0 if the type/size is invalid. On
 * a bad size of a valid type, *err is RANGE_ERROR, else INVALID_ARGUMENT. */
static unsigned object_size_bits(word_t type, word_t size_bits, word_t *err)
{
    *err = L4_ERR_RANGE_ERROR;
    switch (type) {
    case L4_OBJ_UNTYPED:
        return size_bits >= UNTYPED_MIN_BITS && size_bits <= UNTYPED_MAX_BITS ? size_bits : 0;
    case L4_OBJ_CNODE:
        return size_bits >= 1 && size_bits <= CNODE_MAX_RADIX ? size_bits + CTE_BITS : 0;
    case L4_OBJ_TCB:
        return L4_OBJ_TCB_BITS;
    case L4_OBJ_ENDPOINT:
        return L4_OBJ_ENDPOINT_BITS;
    case L4_OBJ_NOTIFICATION:
        return L4_OBJ_NOTIFICATION_BITS;
    case L4_OBJ_VCPU:
        return L4_OBJ_VCPU_BITS;
    case L4_OBJ_PAGE_DIRECTORY:
        return L4_OBJ_PAGE_DIRECTORY_BITS;
    case L4_OBJ_PAGE_TABLE:
        return L4_OBJ_PAGE_TABLE_BITS;
    case L4_OBJ_FRAME_4K:
        return L4_OBJ_FRAME_4K_BITS;
    case L4_OBJ_FRAME_64K:
        return L4_OBJ_FRAME_64K_BITS;
    case L4_OBJ_FRAME_1M:
        return L4_OBJ_FRAME_1M_BITS;
    default:
        *err = L4_ERR_INVALID_ARGUMENT;
        return 0;
    }
}

static bool type_is_frame(word_t type)
{
    return type == L4_OBJ_FRAME_4K || type == L4_OBJ_FRAME_64K || type == L4_OBJ_FRAME_1M;
}

/* The capability for a new object at `obj` (a kernel address; for device
 * memory, mem_flags CAP_MEM_DEVICE, the physical address). */
static cap_t object_new_cap(word_t type, word_t size_bits, uintptr_t obj, uint8_t mem_flags)
{
    cap_t c = {.type = (uint8_t)type, .rights = L4_RIGHTS_ALL, .obj = obj};
    if (type == L4_OBJ_UNTYPED || type == L4_OBJ_CNODE)
        c.bits = (uint8_t)size_bits;
    if (type == L4_OBJ_CNODE)
        c.guard_bits = 0;
    else
        c.mem_flags = mem_flags;
    return c;
}

/* Make [start, end) (offsets in the region) zero, continuing from
 * cap.data2, the end of the part already cleared. Everything between the
 * watermark and data2 is zero: objects are only ever carved above the
 * watermark, and data2 only moves up until a revoke resets both. Returns
 * false if a pending interrupt stopped it (progress is kept). */
static bool untyped_clear_ahead(cap_t *ut, word_t start, word_t end)
{
    word_t from = ut->data2 > start ? ut->data2 : start;
    while (from < end) {
        word_t n = end - from < BIT(CLEAR_CHUNK_BITS) ? end - from : BIT(CLEAR_CHUNK_BITS);
        arch_clear_block((void *)(ut->obj + from), n); /* objects are >= 16 bytes, 16-aligned */
        from += n;
        ut->data2 = from;
        if (from < end && preemption_point())
            return false;
    }
    return true;
}

/* One step of at most RETYPE_MAX_COUNT objects, a few instructions each
 * (the caps in one pass, cdt_insert_children): the longest step a retype
 * takes after its clearing (design.md section 12). */
static void invoke_retype(cte_t *ut, word_t type, word_t size_bits, unsigned obj_bits, cte_t *dest,
                          word_t count, word_t start)
{
    /* Memory was cleared ahead (untyped_clear_ahead); untyped children
     * clear their own memory when they are retyped in turn; device memory
     * is never cleared. */
    cap_t c = object_new_cap(type, size_bits, ut->cap.obj + start, ut->cap.mem_flags);
    if (type == L4_OBJ_PAGE_DIRECTORY) { /* each its own ASID, hence its own cap */
        for (word_t i = 0; i < count; i++) {
            cap_t pd = c;
            pd.obj += i << obj_bits;
            vspace_pd_init(&pd);
            cdt_insert_child(ut, &dest[i], &pd);
        }
    } else {
        cdt_insert_children(ut, dest, count, &c, BIT(obj_bits));
    }
    if (type == L4_OBJ_TCB)
        for (word_t i = 0; i < count; i++) { /* user mode, ARM */
            tcb_t *t = (tcb_t *)(c.obj + (i << obj_bits));
            arch_context_init_zeroed(&t->ctx);
            registry_add(t);
        }
    trace_create(ks_cur, type, c.obj, count, obj_bits);
    ut->cap.data = start + (count << obj_bits);
}

/* The untyped invariant (checked by Frama-C Eva, docs/testing.md): the
 * cap covers 2^bits valid bytes (bits 4..28), and its watermark and the
 * end of the part cleared ahead lie within them. */
/*@ requires \valid(inv) && \valid(inv->slot) && inv->slot->cap.type == L4_OBJ_UNTYPED;
    requires UNTYPED_MIN_BITS <= inv->slot->cap.bits <= UNTYPED_MAX_BITS;
    requires inv->slot->cap.data <= (1 << inv->slot->cap.bits);
    requires inv->slot->cap.data2 <= (1 << inv->slot->cap.bits);
    requires \valid((uint8_t *)inv->slot->cap.obj + (0 .. (1 << inv->slot->cap.bits) - 1)); */
word_t decode_untyped(invocation_t *inv)
{
    if (inv->label != L4_UNTYPED_RETYPE)
        return L4_ERR_ILLEGAL_OPERATION;
    if (inv->length < 6 || inv->ncaps < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t type = inv_arg(inv, 0), size_bits = inv_arg(inv, 1);
    word_t node_index = inv_arg(inv, 2), node_depth = inv_arg(inv, 3);
    word_t offset = inv_arg(inv, 4), count = inv_arg(inv, 5);
    cte_t *ut = inv->slot;

    word_t err;
    unsigned obj_bits = object_size_bits(type, size_bits, &err);
    if (!obj_bits)
        return err;
    bool device = cap_is_device(&ut->cap);
    if (device && !type_is_frame(type))
        return L4_ERR_ILLEGAL_OPERATION; /* device memory becomes frames only */
    if (count == 0 || count > RETYPE_MAX_COUNT)
        return L4_ERR_RANGE_ERROR;

    const cap_t *root = &inv->caps[0]->cap;
    if (root->type != L4_OBJ_CNODE || (root->rights & CAP_ZOMBIE))
        return inv_wrong_cap(root);
    const cap_t *node = root;
    if (node_depth != 0) {
        cte_t *s;
        err = cspace_lookup_slot(root, node_index, node_depth, &s);
        if (err != L4_ERR_OK)
            return err;
        if (s->cap.type != L4_OBJ_CNODE || (s->cap.rights & CAP_ZOMBIE))
            return L4_ERR_FAILED_LOOKUP;
        node = &s->cap;
    }
    if (offset >= BIT(node->bits) || count > BIT(node->bits) - offset)
        return L4_ERR_RANGE_ERROR;
    cte_t *dest = (cte_t *)node->obj + offset;
    for (word_t i = 0; i < count; i++)
        if (!cap_is_null(&dest[i].cap))
            return L4_ERR_DELETE_FIRST;

    /* Objects are naturally aligned; the region is aligned to its size. */
    word_t start = ROUND_UP(ut->cap.data, obj_bits);
    word_t size = BIT(ut->cap.bits);
    if (obj_bits > ut->cap.bits || start > size || start < ut->cap.data ||
        count > (size - start) >> obj_bits)
        return L4_ERR_NOT_ENOUGH_MEMORY;
    if (type == L4_OBJ_PAGE_DIRECTORY && !vspace_asids_available(count))
        return L4_ERR_NOT_ENOUGH_MEMORY;

    if (type != L4_OBJ_UNTYPED && !device &&
        !untyped_clear_ahead(&ut->cap, start, start + (count << obj_bits))) {
        inv->restart = true; /* preempted: nothing created yet; resumes clearing */
        return L4_ERR_OK;
    }
    invoke_retype(ut, type, size_bits, obj_bits, dest, count, start);
    return L4_ERR_OK;
}
