/* SPDX-License-Identifier: BSD-2-Clause */
/* Recording stubs for the object hooks kernel/core/delete.c calls
 * (stubs_delete.c): each call is counted per hook and per object or slot. */
#pragma once
#include <object/lifecycle.h>

enum stub_hook {
    STUB_ENDPOINT_FINALISE,     /* key: endpoint_t * */
    STUB_NOTIFICATION_FINALISE, /* key: notification_t * */
    STUB_TCB_FINALISE,          /* key: tcb_t * */
    STUB_PD_FINALISE,           /* key: cap.obj of the page directory */
    STUB_IRQ_FINALISE,
    STUB_VCPU_FINALISE,
    STUB_TCB_SLOT_LOST, /* key: the line */
    STUB_CAP_UNMAP,     /* key: the slot */
    STUB_REPLY_RELEASE, /* key: the slot */
    STUB_CAP_MOVED,     /* key: the slot */
    STUB_DRAIN,         /* key: the endpoint or notification: one drain step */
    STUB_NTFN_DETACH,   /* key: the notification */
    STUB_HOOKS
};

void stubs_reset(void);
/* The endpoint or notification `obj` has `n` waiters: endpoint_drain and
 * notification_drain wake `batch` of them per call. */
void stub_set_waiters(const void *obj, unsigned n);
/* Calls of `hook` with `key`, and of `hook` with any key. */
unsigned stub_calls(enum stub_hook hook, uintptr_t key);
unsigned stub_total(enum stub_hook hook);

/* preemption_point() returns true on every `stub_preempt_every`th call
 * (0: never); stub_preempt_calls counts all calls. */
extern unsigned stub_preempt_every, stub_preempt_calls;
/* Occupied TCB slots seen by the first tcb_finalise of each thread (its
 * slots must still be intact: the thread stops before they are emptied). */
extern unsigned stub_tcb_slots_at_first_finalise;
