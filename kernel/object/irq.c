/* SPDX-License-Identifier: BSD-2-Clause */
/* IRQ control (hands out one handler cap per line) and IRQ handlers
 * (deliver their line to a notification, or route it straight to a vCPU;
 * ack unmasks it). */
#include <invoke.h>
#include <irq.h>
#include <object/lifecycle.h>
#include <object/vcpu.h>
#include <kdb.h>
#include <platform.h>

word_t decode_irq_control(invocation_t *inv)
{
    if (inv->label != L4_IRQ_CONTROL_GET)
        return L4_ERR_ILLEGAL_OPERATION;
    if (inv->length < 3 || inv->ncaps < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t irq = inv_arg(inv, 0);
    if (!plat_irq_user_ok(irq))
        return L4_ERR_RANGE_ERROR;
    if (irq_is_claimed(irq))
        return L4_ERR_REVOKE_FIRST;
    if (inv->caps[0]->cap.type != L4_OBJ_CNODE)
        return inv_wrong_cap(&inv->caps[0]->cap);
    cte_t *dst;
    word_t err = cspace_lookup_slot(&inv->caps[0]->cap, inv_arg(inv, 1), inv_arg(inv, 2), &dst);
    if (err != L4_ERR_OK)
        return err;
    if (!cap_is_null(&dst->cap))
        return L4_ERR_DELETE_FIRST;

    cap_t c = {.type = L4_OBJ_IRQ_HANDLER, .rights = L4_RIGHTS_ALL, .obj = irq};
    cdt_insert_child(inv->slot, dst, &c);
    irq_claim(irq);
    return L4_ERR_OK;
}

/* route_vcpu(line, vcpu): the interrupt becomes the vCPU's virtual line
 * `line` (docs/vcpu.md, "Interrupts routed to a vCPU"). */
static word_t decode_route_vcpu(invocation_t *inv, word_t irq)
{
    if (inv->length < 1 || inv->ncaps < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    const cap_t *vc = &inv->caps[0]->cap;
    if (vc->type != L4_OBJ_VCPU)
        return inv_wrong_cap(vc);
    word_t vline = inv_arg(inv, 0);
    if (vline >= VCPU_VIRQ_LINES)
        return L4_ERR_RANGE_ERROR;
    vcpu_t *v = (vcpu_t *)vc->obj;
    if (!v->tcb) /* no state page to make the line pending in */
        return L4_ERR_ILLEGAL_OPERATION;
    if (irq_has_destination(irq) || (v->virq_routed & BIT(vline)))
        return L4_ERR_ALREADY_ROUTED;
    irq_route_vcpu(irq, v, vline);
    return L4_ERR_OK;
}

word_t decode_irq_handler(invocation_t *inv)
{
    word_t irq = inv->slot->cap.obj;
    switch (inv->label) {
    case L4_IRQ_HANDLER_ACK:
        irq_ack(irq);
        return L4_ERR_OK;
    case L4_IRQ_HANDLER_SET_NOTIFICATION: {
        if (inv->ncaps < 1)
            return L4_ERR_TRUNCATED_MESSAGE;
        const cap_t *n = &inv->caps[0]->cap;
        if (n->type != L4_OBJ_NOTIFICATION)
            return inv_wrong_cap(n);
        if (!(n->rights & L4_RIGHT_WRITE)) /* the line signals it */
            return L4_ERR_INSUFFICIENT_RIGHTS;
        if (irq_is_routed(irq))
            return L4_ERR_ALREADY_ROUTED;
        irq_set_notification(irq, (notification_t *)n->obj, n->data ? n->data : 1u);
        return L4_ERR_OK;
    }
    case L4_IRQ_HANDLER_ROUTE_VCPU:
        return decode_route_vcpu(inv, irq);
    case L4_IRQ_HANDLER_CLEAR:
        irq_set_notification(irq, NULL, 0);
        return L4_ERR_OK;
    case L4_IRQ_HANDLER_DEBUG_BREAK:
        /* The break reaches the kernel through the driver that owns the
         * console's input: only the holder of that line's handler. */
        if (!CONFIG_DEBUG || irq != PLAT_IRQ_CONSOLE)
            return L4_ERR_ILLEGAL_OPERATION;
        kdb_break(inv->caller);
        return L4_ERR_OK;
    default:
        return L4_ERR_ILLEGAL_OPERATION;
    }
}

void irq_handler_finalise(word_t irq)
{
    irq_release(irq);
}
