/* SPDX-License-Identifier: BSD-2-Clause */
/* Controllable stubs for what kernel/object/untyped.c calls besides the
 * derivation tree and CSpace lookup (stubs_untyped.c): message words come
 * from stub_args, preemption is on demand, ASIDs are a counter. */
#pragma once
#include <invoke.h>
#include <object/lifecycle.h>

#define STUB_MAX_ARGS 8
#define STUB_MAX_RECORDS 512

void stubs_reset(void);

/* inv_arg(inv, i) answers stub_args[i] (and fails the test if i is not
 * below inv->length). */
extern word_t stub_args[STUB_MAX_ARGS];

/* preemption_point() returns true on every `stub_preempt_every`th call
 * (0: never); stub_preempt_calls counts all calls. */
extern unsigned stub_preempt_every, stub_preempt_calls;

/* vspace_asids_available(n) is n <= stub_asids_free; vspace_pd_init takes
 * one (the first gets ASID 1, then 2, ...) and records the directory. */
extern word_t stub_asids_free;
extern unsigned stub_asid_checks, stub_pd_inits;
extern uintptr_t stub_pd_objs[STUB_MAX_RECORDS];

/* arch_context_init (and _zeroed: pc = sp = 0) calls, with their arguments. */
extern unsigned stub_context_inits;
extern arch_context_t *stub_context_ctx[STUB_MAX_RECORDS];
extern word_t stub_context_pc[STUB_MAX_RECORDS], stub_context_sp[STUB_MAX_RECORDS];
