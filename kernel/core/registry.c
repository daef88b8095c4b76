/* SPDX-License-Identifier: BSD-2-Clause */
/* The TCB registry (registry.h): debug and trace configurations only
 * (kernel/SConscript compiles this file into those alone). O(1) insertion
 * and removal; a TCB's links are fields of its own object, so the registry
 * needs no memory of its own. */
#include <registry.h>

tcb_t *tcb_registry, *tcb_registry_tail;
word_t tcb_registry_count;

void registry_insert(tcb_t *t)
{
    t->reg_next = NULL;
    t->reg_prev = tcb_registry_tail;
    if (tcb_registry_tail)
        tcb_registry_tail->reg_next = t;
    else
        tcb_registry = t;
    tcb_registry_tail = t;
    tcb_registry_count++;
}

void registry_remove(tcb_t *t)
{
    if (t->reg_prev)
        t->reg_prev->reg_next = t->reg_next;
    else
        tcb_registry = t->reg_next;
    if (t->reg_next)
        t->reg_next->reg_prev = t->reg_prev;
    else
        tcb_registry_tail = t->reg_prev;
    t->reg_next = t->reg_prev = NULL;
    tcb_registry_count--;
}

bool registry_walk_ok(void)
{
    const tcb_t *prev = NULL, *t = tcb_registry;
    word_t n = 0;
    for (; t && n <= tcb_registry_count; prev = t, t = t->reg_next, n++)
        if (t->reg_prev != prev)
            return false;
    return !t && n == tcb_registry_count && prev == tcb_registry_tail;
}
