/* SPDX-License-Identifier: BSD-2-Clause */
/* Machine control (L4_OBJ_MACHINE): the authority to stop the machine and
 * to write to the kernel console. There is no object behind the capability
 * (obj is 0): the kernel creates one at boot, in the root task's
 * L4_CAP_MACHINE slot, and it cannot be retyped. It may be copied, with
 * rights reduced, so the root can grant it: console_write needs WRITE,
 * shutdown needs every right (a console-only copy has WRITE alone). Nothing
 * else in the kernel stops the machine or prints for user level; the raw
 * L4_SYS_DEBUG_PUTC exists only in the debug configuration.
 *
 * machine_trace needs no right: a copy with none (the root task grants
 * those to VMMs and guests) lets its holder log trace events and nothing
 * else. It works in the configurations with the event trace only. */
#include <arch.h>
#include <config.h>
#include <invariants.h>
#include <invoke.h>
#include <platform.h>
#include <trace.h>

static word_t decode_console_write(invocation_t *inv)
{
    if (!(inv->slot->cap.rights & L4_RIGHT_WRITE))
        return L4_ERR_INSUFFICIENT_RIGHTS;
    if (inv->length < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t n = inv_arg(inv, 0);
    if (n > L4_MACHINE_CONSOLE_MAX)
        return L4_ERR_RANGE_ERROR;
    if (inv->length < 1 + (n + 3) / 4)
        return L4_ERR_TRUNCATED_MESSAGE;
    /* At most 252 characters: bounded by the message size. */
    for (word_t i = 0; i < n; i++)
        plat_console_putc((char)(inv_arg(inv, 1 + i / 4) >> (8 * (i % 4))));
    return L4_ERR_OK;
}

/* A user trace point (trace.h, TRACE_USER): the event id and four words. */
static word_t decode_trace(invocation_t *inv)
{
    if (!CONFIG_TRACE)
        return L4_ERR_ILLEGAL_OPERATION;
    if (inv->length < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t id = inv_arg(inv, 0);
    if (id >= L4_TRACE_USER_EVENTS)
        return L4_ERR_RANGE_ERROR;
    trace_user(inv->caller, id, inv_arg(inv, 1), inv_arg(inv, 2), inv_arg(inv, 3), inv_arg(inv, 4));
    inv->out[0] = trace_count - 1; /* its sequence number */
    inv->nout = 1;
    return L4_ERR_OK;
}

/* The debug configuration's invariant check (core/invariants.c) over what
 * the caller reaches. It changes nothing, so it needs no rights; it takes
 * as long as the walk does, with interrupts masked: debug kernels only. */
static word_t decode_debug_check(invocation_t *inv)
{
    if (!CONFIG_DEBUG)
        return L4_ERR_ILLEGAL_OPERATION;
    if (CONFIG_INV_INJECT && inv->length >= 2)
        return inv_inject_check(inv); /* a test kernel's break on purpose */
    return invariants_report(inv);
}

#if CONFIG_DEBUG
word_t invariants_report(invocation_t *inv)
{
    inv_result_t r;
    uintptr_t lo = (uintptr_t)paddr_to_kptr(PLAT_PHYS_BASE);
    invariants_check(inv->caller, lo, lo + PLAT_PHYS_SIZE, &r);
    STATIC_ASSERT(L4_DEBUG_CHECK_WORDS == 7 && L4_DEBUG_CHECK_LIMIT == INV_LIMIT, "report layout");
    inv->out[L4_DEBUG_CHECK_CODE] = r.code;
    inv->out[L4_DEBUG_CHECK_A] = (word_t)r.a;
    inv->out[L4_DEBUG_CHECK_B] = (word_t)r.b;
    inv->out[L4_DEBUG_CHECK_LINE] = r.line;
    inv->out[L4_DEBUG_CHECK_SLOTS] = r.slots;
    inv->out[L4_DEBUG_CHECK_OBJECTS] = r.objects;
    inv->out[L4_DEBUG_CHECK_THREADS] = r.threads;
    inv->nout = L4_DEBUG_CHECK_WORDS;
    return L4_ERR_OK;
}
#endif

word_t decode_machine(invocation_t *inv)
{
    switch (inv->label) {
    case L4_MACHINE_SHUTDOWN:
        if ((inv->slot->cap.rights & L4_RIGHTS_ALL) != L4_RIGHTS_ALL)
            return L4_ERR_INSUFFICIENT_RIGHTS;
        if (inv->length < 1)
            return L4_ERR_TRUNCATED_MESSAGE;
        trace_at_shutdown();
        arch_shutdown((int)inv_arg(inv, 0));
    case L4_MACHINE_CONSOLE_WRITE:
        return decode_console_write(inv);
    case L4_MACHINE_TRACE:
        return decode_trace(inv);
    case L4_MACHINE_DEBUG_CHECK:
        return decode_debug_check(inv);
    default:
        return L4_ERR_ILLEGAL_OPERATION;
    }
}
