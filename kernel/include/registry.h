/* SPDX-License-Identifier: BSD-2-Clause */
/* The TCB registry (debug and trace configurations, CONFIG_TCB_REGISTRY):
 * every TCB that exists is on one doubly linked list, so that the kernel
 * debugger, gdb's `l4 threads`, the trace's thread names and invariant
 * checkers can find all threads. The kernel itself never needs it: no
 * kernel path walks it, and in the release kernel the hooks fold away.
 *
 * The contract, for anyone who walks it (docs/observability.md):
 *   - tcb_registry is the first TCB or NULL; t->reg_next / t->reg_prev link
 *     the rest (NULL-terminated both ways); tcb_registry_count is the
 *     number of TCBs on it;
 *   - a TCB is added when it is created (retype, and the root task's at
 *     boot) and removed when its memory is given back: when the last cap to
 *     it goes (core/delete.c, object_finalise). A TCB being destroyed (its
 *     cap a zombie) is still on it, stopped (THREAD_INACTIVE);
 *   - order is creation order (new TCBs at the tail);
 *   - the list is only changed with interrupts masked in the kernel, like
 *     everything else: a reader inside the kernel sees it consistent.
 * A walker outside the kernel's control (gdb, a fuzzer reading memory)
 * should bound its walk by tcb_registry_count and stop at a repeated
 * element (registry_walk_ok() does both). */
#pragma once
#include <config.h>
#include <object/tcb.h>

extern tcb_t *tcb_registry;
extern tcb_t *tcb_registry_tail;
extern word_t tcb_registry_count;

void registry_insert(tcb_t *t);
void registry_remove(tcb_t *t);
/* The list is well formed: count elements, prev links mirror next links,
 * no cycle (at most count + 1 steps). For debug checks and tests. */
bool registry_walk_ok(void);

static inline void registry_add(tcb_t *t)
{
    if (CONFIG_TCB_REGISTRY)
        registry_insert(t);
}
static inline void registry_del(tcb_t *t)
{
    if (CONFIG_TCB_REGISTRY)
        registry_remove(t);
}
