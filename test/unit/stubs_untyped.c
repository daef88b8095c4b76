/* SPDX-License-Identifier: BSD-2-Clause */
/* Stubs for the calls kernel/object/untyped.c makes outside core/cdt.c and
 * core/cspace.c (see stubs_untyped.h). */
#include "unit.h"
#include "stubs_untyped.h"
#include <arch.h>
#include <string.h>

word_t stub_args[STUB_MAX_ARGS];
unsigned stub_preempt_every, stub_preempt_calls;
word_t stub_asids_free;
unsigned stub_asid_checks, stub_pd_inits;
uintptr_t stub_pd_objs[STUB_MAX_RECORDS];
unsigned stub_context_inits;
arch_context_t *stub_context_ctx[STUB_MAX_RECORDS];
word_t stub_context_pc[STUB_MAX_RECORDS], stub_context_sp[STUB_MAX_RECORDS];
static word_t next_asid;

void stubs_reset(void)
{
    memset(stub_args, 0, sizeof(stub_args));
    stub_preempt_every = stub_preempt_calls = 0;
    stub_asids_free = 255;
    next_asid = 1;
    stub_asid_checks = stub_pd_inits = 0;
    stub_context_inits = 0;
}

word_t inv_arg(const invocation_t *inv, unsigned i)
{
    assert_true(i < inv->length); /* the decoder checked the length first */
    assert_true(i < STUB_MAX_ARGS);
    return stub_args[i];
}

bool preemption_point(void)
{
    stub_preempt_calls++;
    return stub_preempt_every && stub_preempt_calls % stub_preempt_every == 0;
}

bool vspace_asids_available(word_t count)
{
    stub_asid_checks++;
    return count <= stub_asids_free;
}

void vspace_pd_init(cap_t *pd)
{
    assert_true(stub_asids_free > 0); /* checked with vspace_asids_available first */
    assert_true(stub_pd_inits < STUB_MAX_RECORDS);
    stub_asids_free--;
    stub_pd_objs[stub_pd_inits++] = pd->obj;
    pd->data = next_asid++;
}

void arch_context_init(arch_context_t *ctx, word_t pc, word_t sp)
{
    assert_true(stub_context_inits < STUB_MAX_RECORDS);
    stub_context_ctx[stub_context_inits] = ctx;
    stub_context_pc[stub_context_inits] = pc;
    stub_context_sp[stub_context_inits] = sp;
    stub_context_inits++;
}

/* A new TCB's context (pc and sp 0): recorded like arch_context_init. The
 * context must lie in zeroed memory. */
void arch_context_init_zeroed(arch_context_t *ctx)
{
    for (unsigned i = 0; i < CTX_NREGS; i++)
        assert_int_equal(ctx->r[i], 0);
    arch_context_init(ctx, 0, 0);
}

/* The real one is ARM assembly (arch/arm/clear.S): same contract. */
void arch_clear_block(void *p, size_t n)
{
    assert_true(((uintptr_t)p % 16) == 0 && n % 16 == 0);
    memset(p, 0, n);
}
