/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoints: the object's own life cycle. Message transfer through an
 * endpoint is core/ipc.c; endpoints have no invocation methods. */
#include <assert.h>
#include <ipc.h>
#include <ipc_queue.h>
#include <printk.h>

/* Wake up to `batch` threads queued on a dying endpoint with OBJECT_DELETED;
 * true once none is left. The delete walk calls it once per step while the
 * endpoint's last cap is a zombie (core/delete.c), so no step wakes more
 * than a constant number of threads, and nobody can queue meanwhile. */
bool endpoint_drain(endpoint_t *ep, word_t batch)
{
    for (word_t n = 0; ep->head && n < batch; n++) {
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
    if (ep->head)
        return false;
    ep->state = EP_IDLE;
    return true;
}

void endpoint_finalise(endpoint_t *ep)
{
    assert(!ep->head); /* drained step by step by the delete walk */
    ep->state = EP_IDLE;
}
