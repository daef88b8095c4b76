/* SPDX-License-Identifier: BSD-2-Clause */
/* Capabilities, capability slots (CTEs) and the derivation tree.
 *
 * A slot (cte_t, 32 bytes) holds a capability and its place in the
 * capability derivation tree (CDT): parent (recorded on a first child only),
 * first child, and circular sibling links. A cap derived from another (copy,
 * mint, retype) is its child. Every CDT operation is O(1). Invariant (see
 * core/cdt.c): among the children of one parent, the caps that refer to the
 * same object are contiguous, so whether a cap is the last one to its object
 * is decided by looking at its parent, its neighbours and its first child. */
#pragma once
#include <types.h>
#include <l4/abi.h>

typedef struct cap {
    uint8_t type;   /* L4_OBJ_* */
    uint8_t rights; /* L4_RIGHT_*, and CAP_ZOMBIE while the object is destroyed */
    uint8_t bits;   /* untyped: size; CNode: radix; frame: page size */
    union {
        uint8_t guard_bits; /* CNode: guard size; zombie CNode: its scan cursor */
        uint8_t mem_flags;  /* untyped, frame: CAP_MEM_*; 0 for every other type */
    };
    uintptr_t obj; /* kernel address of the object (device memory: physical
                      address); IRQ handler: the line */
    /* A word on the target; pointer-sized so that a zombie can hold slot
     * pointers (and the host unit tests run with 64-bit pointers). */
    uintptr_t data;  /* badge (endpoint, notification); guard (CNode);
                        watermark offset (untyped); mapping (frame, page
                        table: vaddr | asid, 0 = unmapped); ASID (page
                        directory); zombie CNode or TCB: next in its ring */
    uintptr_t data2; /* untyped: end of the memory cleared ahead (object/untyped.c);
                        zombie page directory: where the clearing resumes;
                        1 MiB frame: cache maintenance done by an interrupted map;
                        zombie CNode or TCB: previous in its ring; else 0 */
} cap_t;

/* Flag in `rights`: the cap is the last one to an object whose destruction
 * is in progress (core/delete.c); it may be interrupted and resumed. */
#define CAP_ZOMBIE 0x80u
/* Flag in `rights` of a zombie CNode or TCB cap: it lies in a slot of its
 * own object, waiting in its delete walk's ring (core/delete.c). */
#define CAP_PARKED 0x20u
/* Flag in `rights`: the cap sits in a TCB's own slot and the thread caches
 * something from it (its address space, IPC buffer, vCPU state page). If it
 * is removed other than by the TCB code itself (say, by revoking an
 * ancestor), core/delete.c calls tcb_slot_lost() so the cache never
 * outlives the object. Never set on a cap users can name. */
#define CAP_IN_TCB 0x40u
/* Flag in `rights` of a thread's CSpace root in its TCB slot: the thread
 * runs a guest-user context (virtual user mode, docs/vcpu.md), so its
 * CSpace resolves nothing. Set and cleared by object/vcpu.c only; it stays
 * on a thread whose vCPU died in virtual user mode until tcb_configure
 * replaces the root. Every lookup tests it in one mask with CAP_ZOMBIE
 * (CAP_UNRESOLVABLE): the IPC fastpath's and cspace.c's. */
#define CAP_GUEST_USER 0x10u
#define CAP_UNRESOLVABLE (CAP_ZOMBIE | CAP_GUEST_USER)

/* Flag in `mem_flags` of an untyped or frame cap: device memory, a range of
 * the board's device table (plat_device_regions), not RAM. `obj` is then
 * the physical address (the kernel has no mapping of it), the memory is
 * never cleared and never holds a kernel object: a device untyped can only
 * be retyped into frames, which inherit the flag and are always mapped
 * uncached and execute-never (object/untyped.c, object/frame.c). Copies keep
 * it (cap_derive copies the whole cap); nothing ever clears it. */
#define CAP_MEM_DEVICE 0x01u

typedef struct cte {
    cap_t cap;
    struct cte *parent, *first_child, *next, *prev; /* CDT links */
} cte_t;

/* (Host unit tests have 64-bit pointers and larger slots.) */
STATIC_ASSERT(sizeof(void *) != 4 || sizeof(cte_t) == 32, "CNode slots are 32 bytes");
#define CTE_BITS 5

static inline bool cap_is_null(const cap_t *c)
{
    return c->type == L4_OBJ_NULL;
}

/* Caps of these types refer to objects that hold slots of their own. */
static inline bool cap_has_slots(const cap_t *c)
{
    return c->type == L4_OBJ_CNODE || c->type == L4_OBJ_TCB;
}

/* An untyped or frame cap to device memory (CAP_MEM_DEVICE). */
static inline bool cap_is_device(const cap_t *c)
{
    return (c->type == L4_OBJ_UNTYPED || c->type == L4_OBJ_FRAME_4K ||
            c->type == L4_OBJ_FRAME_64K || c->type == L4_OBJ_FRAME_1M) &&
           (c->mem_flags & CAP_MEM_DEVICE);
}

static inline bool cap_is_frame(const cap_t *c)
{
    return c->type == L4_OBJ_FRAME_4K || c->type == L4_OBJ_FRAME_64K || c->type == L4_OBJ_FRAME_1M;
}

/* Caps whose `data` is a mapping (vaddr | asid, 0 if unmapped, object/
 * vspace.c). Every other type uses `data` for something else (a badge, a
 * zombie's ring, an ASID of its own): only these are looked up as mappings. */
static inline bool cap_maps_memory(const cap_t *c)
{
    return cap_is_frame(c) || c->type == L4_OBJ_PAGE_TABLE;
}

/* A frame capability with (at least) `rights`. Wherever user level hands
 * the kernel a frame the kernel itself will access through its kernel
 * window (the IPC buffer, read and written; a vCPU state page), the cap
 * given must carry the rights of that use: the kernel never writes through
 * a read-only capability on a thread's behalf. Checked in decode. */
static inline bool frame_cap_allows(const cap_t *c, word_t rights)
{
    return cap_is_frame(c) && (c->rights & rights) == rights;
}

/* Two caps refer to the same object. Untyped caps also compare their size:
 * a child untyped may start where its parent starts. Device memory is named
 * by physical address, RAM by kernel address: the flag keeps the two apart
 * even on a board where the numbers could meet. */
static inline bool cap_same_object(const cap_t *a, const cap_t *b)
{
    return a->type == b->type && a->obj == b->obj && a->type != L4_OBJ_NULL &&
           (a->type != L4_OBJ_UNTYPED || a->bits == b->bits) &&
           (a->type == L4_OBJ_CNODE || a->mem_flags == b->mem_flags);
}

/* --- derivation tree (core/cdt.c) ------------------------------------------ */
/* Put `cap` into the empty slot `dst` as a child of `parent` (NULL: a root). */
void cdt_insert_child(cte_t *parent, cte_t *dst, const cap_t *cap);
/* What n calls cdt_insert_child(parent, &dst[i], cap with obj + i * stride)
 * for i = 0..n-1 do, in one pass (retype's objects: O(1) each, no list
 * walk, ~10 instructions per child). */
void cdt_insert_children(cte_t *parent, cte_t *dst, word_t n, const cap_t *cap, uintptr_t stride);
/* Move the cap and its tree position from `src` to the empty slot `dst`. */
void cdt_move(cte_t *src, cte_t *dst);
/* Remove the slot from the tree, splicing its children into its place, and
 * empty it. */
void cdt_remove(cte_t *slot);
/* True if no other cap refers to the slot's object. */
bool cdt_is_final(const cte_t *slot);
/* The sibling after `s` in the list whose head is `first`, NULL after the
 * last: for (c = p->first_child; c; c = cdt_next_sibling(c, p->first_child)). */
cte_t *cdt_next_sibling(const cte_t *s, const cte_t *first);

/* --- lookup (core/cspace.c) ----------------------------------------------- */
/* Resolve `cptr` in the CSpace rooted at `root` for invoking a capability:
 * 32 bits, stopping at the first non-CNode cap. NULL if it does not resolve
 * (the slot may be empty: check cap_is_null). */
cte_t *cspace_lookup_cap_levels(const cap_t *root, word_t cptr);
/* A CNode cap a lookup may pass through: not being destroyed (zombie) and
 * not the CSpace root of a thread in virtual user mode (CAP_GUEST_USER).
 * The one test of both lookups below, so the quick one cannot forget one. */
static inline bool cspace_cnode_usable(const cap_t *c)
{
    return c->type == L4_OBJ_CNODE && !(c->rights & CAP_UNRESOLVABLE);
}
/* A root that resolves all 32 bits in one level (guard + radix = 32, the
 * usual CSpace) is indexed here, inline: the same checks as the slow path's
 * (cspace_cnode_usable, then resolve_level's guard, core/cspace.c), without
 * the loop. test/unit/test_cspace.c compares the two on the same inputs. */
static inline cte_t *cspace_lookup_cap(const cap_t *root, word_t cptr)
{
    if (likely(cspace_cnode_usable(root) && root->guard_bits + root->bits == 32)) {
        if ((cptr >> root->bits) != root->data)
            return NULL;
        return &((cte_t *)root->obj)[cptr & MASK(root->bits)];
    }
    return cspace_lookup_cap_levels(root, cptr);
}
/* Resolve exactly `depth` bits of `index` to a slot. Returns L4_ERR_OK, or
 * L4_ERR_RANGE_ERROR (depth > 32) / L4_ERR_FAILED_LOOKUP (anything else). */
word_t cspace_lookup_slot(const cap_t *root, word_t index, word_t depth, cte_t **slot);
