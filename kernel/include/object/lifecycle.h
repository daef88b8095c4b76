/* SPDX-License-Identifier: BSD-2-Clause */
/* What each object type does when a capability to it is deleted
 * (core/delete.c calls these), and the slot-level capability operations
 * shared by CNode invocations, IPC transfer and boot. */
#pragma once
#include <cap.h>
#include <object/objects.h>

/* Per-capability clean-up, final or not: a frame or page-table cap removes
 * its own mapping; a reply cap releases its caller. */
void vspace_cap_unmap(cte_t *slot);
void reply_cap_release(cte_t *slot);
/* A cap moved to `slot`: if it is a mapped frame or page table, repoint
 * the shadow entry at it (any other cap: nothing to do). */
void vspace_cap_moved(cte_t *slot);

/* Object destruction when the last cap goes. An endpoint or notification
 * with waiters is first drained, `batch` threads per step (they wake with
 * OBJECT_DELETED; true once none is left), a notification first detached
 * from its IRQ lines and bound thread: its cap is a zombie meanwhile. */
bool endpoint_drain(endpoint_t *ep, word_t batch);
bool notification_drain(notification_t *n, word_t batch);
void notification_detach(notification_t *n);
void endpoint_finalise(endpoint_t *ep);
void notification_finalise(notification_t *n);
void tcb_finalise(tcb_t *t);
void vspace_pd_finalise(const cap_t *pd);
/* Clear the next mapped entry of a dying page directory (its cap marked
 * CAP_ZOMBIE; the scan position is kept in cap.data2), looking at no more
 * than PD_SCAN_CHUNK entries. Returns false when none is left. One step is
 * bounded by that scan and one page table's 256 entries. */
bool vspace_pd_clear_next(cap_t *pd);
void irq_handler_finalise(word_t irq);

/* Delete the cap in `slot` (destroying its object if it is the last cap).
 * Returns false if interrupted by a pending interrupt: the caller restarts
 * the system call, which resumes where this stopped. */
bool cap_delete(cte_t *slot);
/* Delete every descendant of the cap in `slot`; same restart contract. */
bool cap_revoke(cte_t *slot);
/* Debug configuration only: the slots the last step of a delete walk
 * scanned (a constant bound: the unit tests check it). */
extern word_t delete_debug_step_slots;

/* A copy of `src` suitable for a new derived slot: mappings and use flags
 * are per cap and start clear. */
cap_t cap_derive(const cap_t *src);
/* Insert a derived copy of `src` into the empty slot `dst`. */
void cap_insert_copy(cte_t *src, cte_t *dst, const cap_t *cap);
/* Move a cap, updating anything that points at its slot. */
void cap_move(cte_t *src, cte_t *dst);

/* A new page directory: allocate its ASID (checked available first). */
bool vspace_asids_available(word_t count);
void vspace_pd_init(cap_t *pd);
