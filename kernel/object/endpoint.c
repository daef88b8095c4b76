/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoints: the object's own life cycle. Message transfer through an
 * endpoint is core/ipc.c; endpoints have no invocation methods. */
#include <ipc.h>
#include <ipc_queue.h>
#include <printk.h>

/* Wake every thread queued on a dying endpoint with OBJECT_DELETED. */
void endpoint_finalise(endpoint_t *ep)
{
    while (ep->head) {
        tcb_t *t = ep->head;
        queue_remove(ep_queue(ep), t);
        if (t->fault_kind) {
            /* A faulting thread loses its handler: stop it with its user
             * registers intact; if resumed it re-executes the faulting
             * instruction and faults afresh. */
            t->blocked_on = NULL;
            t->state = THREAD_INACTIVE;
            t->fault_kind = 0;
            printk("[kernel] thread '%s' stopped: fault endpoint deleted\n", t->name);
            continue;
        }
        t->ctx.r[0] = L4_ERR_OBJECT_DELETED;
        thread_wake(t);
    }
    ep->state = EP_IDLE;
}
