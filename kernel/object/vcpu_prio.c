/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtual interrupt priorities (docs/vcpu.md, "Interrupt priorities"): the
 * GIC's model on a vCPU. Each of its 32 lines has a priority, 0 the
 * highest .. L4_VCPU_PRIO_LEVELS-1 the lowest, set by vcpu_set_priority
 * (the guest on its own vCPU, or its VMM); the guest's priority mask
 * (virq_pmr) and running priority (virq_rpr) are plain stores to the
 * state page. A pending line is delivered iff virtual interrupts are on
 * and its priority is below both: vcpu_virq_deliverable (object/vcpu.h),
 * the one rule every delivering path asks, reads virq_below[] here.
 *
 * The kernel keeps the priorities itself (virq_prio[], virq_below[]) and
 * writes a copy into the state page (virq_prio, 4 bits a line) for the
 * guest's own decisions (whether lowering its mask must trap): the guest
 * may scribble over its copy, and that changes nothing but its view.
 *
 * Invariant (core/invariants_thread.c): virq_below[p] is exactly the set
 * of lines k with virq_prio[k] < p, and every virq_prio[k] is a level. */
#include <assert.h>
#include <invoke.h>
#include <object/vcpu.h>

STATIC_ASSERT(L4_VCPU_PRIO_NONE == L4_VCPU_PRIO_LEVELS, "PRIO_NONE masks nothing");
STATIC_ASSERT(L4_VCPU_PRIO_LEVELS <= 16, "virq_prio holds 4 bits a line");
STATIC_ASSERT(L4_VCPU_PRIO_WORDS * 8 == VCPU_VIRQ_LINES, "virq_prio covers every line");
STATIC_ASSERT(L4_VCPU_STATE_VIRQ_PRIO + L4_VCPU_PRIO_WORDS <= L4_VCPU_STATE_WORDS, "state page");

/* Word w of the guest's copy, from the kernel's own priorities. */
static word_t vcpu_prio_word(const vcpu_t *v, word_t w)
{
    word_t x = 0;
    for (word_t i = 0; i < 8; i++)
        x |= (word_t)v->virq_prio[8 * w + i] << (4 * i);
    return x;
}

void vcpu_prio_reset(vcpu_t *v)
{
    assert_debug(v->state);
    for (word_t k = 0; k < VCPU_VIRQ_LINES; k++)
        v->virq_prio[k] = 0;
    v->virq_below[0] = 0;
    for (word_t p = 1; p <= L4_VCPU_PRIO_NONE; p++)
        v->virq_below[p] = ~0u;
    for (word_t w = 0; w < L4_VCPU_PRIO_WORDS; w++)
        v->state[L4_VCPU_STATE_VIRQ_PRIO + w] = 0;
    v->state[L4_VCPU_STATE_VIRQ_PMR] = L4_VCPU_PRIO_NONE;
    v->state[L4_VCPU_STATE_VIRQ_RPR] = L4_VCPU_PRIO_NONE;
}

/* Cannot fail: line and priority are in range, the vCPU is bound. */
static void vcpu_set_priority(vcpu_t *v, word_t line, word_t prio)
{
    assert_debug(line < VCPU_VIRQ_LINES && prio < L4_VCPU_PRIO_LEVELS && v->state);
    v->virq_prio[line] = (uint8_t)prio;
    for (word_t p = 0; p <= L4_VCPU_PRIO_NONE; p++) {
        if (prio < p)
            v->virq_below[p] |= BIT(line);
        else
            v->virq_below[p] &= ~BIT(line);
    }
    /* The whole word from the kernel's copy: whatever the guest stored there. */
    v->state[L4_VCPU_STATE_VIRQ_PRIO + line / 8] = vcpu_prio_word(v, line / 8);
}

word_t decode_vcpu_set_priority(invocation_t *inv, vcpu_t *v)
{
    if (inv->length < 2)
        return L4_ERR_TRUNCATED_MESSAGE;
    if (!v->tcb)
        return L4_ERR_ILLEGAL_OPERATION; /* no state page to mirror into */
    word_t line = inv_arg(inv, 0), prio = inv_arg(inv, 1);
    if (line >= VCPU_VIRQ_LINES)
        return L4_ERR_INVALID_LINE;
    if (prio >= L4_VCPU_PRIO_LEVELS)
        return L4_ERR_INVALID_PRIORITY;
    vcpu_set_priority(v, line, prio);
    return L4_ERR_OK;
}
