/* SPDX-License-Identifier: BSD-2-Clause */
/* Recording stubs for the object hooks of kernel/core/delete.c. */
#include "stubs_delete.h"
#include <object/vcpu.h>
#include <assert.h>
#include <invoke.h>

#define MAX_RECORDS 4096

static struct {
    enum stub_hook hook;
    uintptr_t key;
    unsigned n;
} records[MAX_RECORDS];
static unsigned nrecords;
unsigned stub_preempt_every, stub_preempt_calls, stub_tcb_slots_at_first_finalise;

static unsigned record(enum stub_hook hook, uintptr_t key);

#define MAX_DRAINS 8
static struct {
    const void *obj;
    unsigned left;
} drains[MAX_DRAINS];

void stub_set_waiters(const void *obj, unsigned n)
{
    for (unsigned i = 0; i < MAX_DRAINS; i++)
        if (!drains[i].obj || drains[i].obj == obj) {
            drains[i].obj = obj;
            drains[i].left = n;
            return;
        }
    assert(0);
}

static bool drain(const void *obj, word_t batch)
{
    record(STUB_DRAIN, (uintptr_t)obj);
    for (unsigned i = 0; i < MAX_DRAINS; i++)
        if (drains[i].obj == obj) {
            drains[i].left -= drains[i].left < batch ? drains[i].left : batch;
            return drains[i].left == 0;
        }
    return true; /* no waiters */
}

bool endpoint_drain(endpoint_t *ep, word_t batch)
{
    return drain(ep, batch);
}
bool notification_drain(notification_t *n, word_t batch)
{
    return drain(n, batch);
}
void notification_detach(notification_t *n)
{
    record(STUB_NTFN_DETACH, (uintptr_t)n);
}

void stubs_reset(void)
{
    for (unsigned i = 0; i < MAX_DRAINS; i++)
        drains[i].obj = NULL;
    nrecords = 0;
    stub_preempt_every = stub_preempt_calls = 0;
    stub_tcb_slots_at_first_finalise = 0;
}

static unsigned record(enum stub_hook hook, uintptr_t key)
{
    for (unsigned i = 0; i < nrecords; i++)
        if (records[i].hook == hook && records[i].key == key)
            return ++records[i].n;
    assert(nrecords < MAX_RECORDS); /* more distinct calls than a test can check */
    records[nrecords++] = (typeof(records[0])){hook, key, 1};
    return 1;
}

unsigned stub_calls(enum stub_hook hook, uintptr_t key)
{
    for (unsigned i = 0; i < nrecords; i++)
        if (records[i].hook == hook && records[i].key == key)
            return records[i].n;
    return 0;
}

unsigned stub_total(enum stub_hook hook)
{
    unsigned n = 0;
    for (unsigned i = 0; i < nrecords; i++)
        if (records[i].hook == hook)
            n += records[i].n;
    return n;
}

void endpoint_finalise(endpoint_t *ep)
{
    record(STUB_ENDPOINT_FINALISE, (uintptr_t)ep);
}
void notification_finalise(notification_t *n)
{
    record(STUB_NOTIFICATION_FINALISE, (uintptr_t)n);
}
void vspace_pd_finalise(const cap_t *pd)
{
    record(STUB_PD_FINALISE, pd->obj);
}
void irq_handler_finalise(word_t irq)
{
    record(STUB_IRQ_FINALISE, irq);
}
bool vspace_pd_clear_next(cap_t *pd)
{
    (void)pd;
    return false; /* the stub tables are always empty */
}
void tcb_slot_lost(cte_t *slot)
{
    record(STUB_TCB_SLOT_LOST, (uintptr_t)slot);
}
void vcpu_finalise(vcpu_t *v)
{
    record(STUB_VCPU_FINALISE, (uintptr_t)v);
}
void reply_cap_release(cte_t *slot)
{
    record(STUB_REPLY_RELEASE, (uintptr_t)slot);
}
void vspace_cap_moved(cte_t *slot)
{
    record(STUB_CAP_MOVED, (uintptr_t)slot);
}

void vspace_cap_unmap(cte_t *slot)
{
    assert(!cap_is_null(&slot->cap)); /* called before the cap leaves the slot */
    record(STUB_CAP_UNMAP, (uintptr_t)slot);
}

void tcb_finalise(tcb_t *t)
{
    if (record(STUB_TCB_FINALISE, (uintptr_t)t) == 1)
        for (unsigned i = 0; i < TCB_SLOTS; i++)
            stub_tcb_slots_at_first_finalise += !cap_is_null(&t->slots[i].cap);
}

bool preemption_point(void)
{
    stub_preempt_calls++;
    return stub_preempt_every && stub_preempt_calls % stub_preempt_every == 0;
}
