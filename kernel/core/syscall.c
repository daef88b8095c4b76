/* SPDX-License-Identifier: BSD-2-Clause */
/* System call entry (vectors.S: arm_svc_entry; core/fastpath.c first for
 * call and reply-receive). The caller's registers are in ks_cur->ctx;
 * results are written back there before kernel_exit(). */
#include <arch.h>
#include <config.h>
#include <invoke.h>
#include <ipc.h>
#include <l4/abi.h>
#include <object/vcpu.h>
#include <platform.h>
#include <sched.h>
#include <trace.h>

/* Resolve the cap addressed by r0. NULL (with r0 = error) if it fails. */
static cte_t *syscall_lookup(tcb_t *t, word_t cptr)
{
    cte_t *slot = cspace_lookup_cap(tcb_cspace(t), cptr);
    if (!slot || cap_is_null(&slot->cap)) {
        ipc_set_result(t, L4_ERR_FAILED_LOOKUP);
        return NULL;
    }
    return slot;
}

/* Stands for L4_CAP_NULL in cap arguments; never written. */
static cte_t null_slot;

static void syscall_invoke(tcb_t *t, cte_t *slot, word_t info)
{
    /* Filled field by field: an initialiser would clear inv.out as well. */
    invocation_t inv;
    inv.caller = t;
    inv.slot = slot;
    inv.label = info >> L4_MSG_LABEL_SHIFT;
    inv.length = info & MASK(L4_MSG_LENGTH_BITS);
    inv.ncaps = (info >> L4_MSG_CAPS_SHIFT) & 3u;
    inv.nout = 0;
    inv.restart = false;
    inv.no_reply = false;
    word_t err = L4_ERR_OK;
    if (ipc_info_invalid(info))
        err = L4_ERR_INVALID_ARGUMENT;
    else if ((inv.length > L4_MSG_REG_WORDS || inv.ncaps) && !t->ipc_buffer_kptr)
        err = L4_ERR_TRUNCATED_MESSAGE;
    /* Cap arguments must resolve to a capability, except L4_CAP_NULL (0),
     * which stands for "none" where a method allows it (its slot is empty
     * in every CSpace by convention, and decoders reject it by type). */
    for (word_t i = 0; err == L4_ERR_OK && i < inv.ncaps; i++) {
        word_t cptr = t->ipc_buffer_kptr[L4_IPCBUF_CAPS + i];
        inv.caps[i] = cptr == L4_CAP_NULL ? &null_slot : cspace_lookup_cap(tcb_cspace(t), cptr);
        if (!inv.caps[i] || (cptr != L4_CAP_NULL && cap_is_null(&inv.caps[i]->cap)))
            err = L4_ERR_FAILED_LOOKUP;
    }
    if (err == L4_ERR_OK)
        err = invoke_object(&inv);
    if (inv.restart) {
        /* preempted: re-execute the same svc with the same registers */
        t->ctx.pc -= (t->ctx.cpsr & BIT(5)) ? 2 : 4;
        return;
    }
    if (inv.no_reply && err == L4_ERR_OK)
        return;
    t->ctx.r[0] = err;
    word_t n = err == L4_ERR_OK ? inv.nout : 0, i;
    /* Words 0..L4_MSG_REG_WORDS-1 in registers, the rest (if the caller has
     * a buffer) at their own index of the IPC buffer: two plain copies. */
    for (i = 0; i < n && i < L4_MSG_REG_WORDS; i++)
        t->ctx.r[2 + i] = inv.out[i];
    for (; t->ipc_buffer_kptr && i < n; i++)
        t->ipc_buffer_kptr[L4_IPCBUF_MSG + i] = inv.out[i];
    /* The result is a kernel message: no server can forge one (a method stub
     * called on an endpoint gets a reply without the flag). */
    t->ctx.r[1] = n | L4_MSG_FROM_KERNEL;
}

static void syscall_send(tcb_t *t, word_t cptr, bool blocking, bool call)
{
    cte_t *slot = syscall_lookup(t, cptr);
    if (!slot)
        return;
    cap_t *c = &slot->cap;
    switch (c->type) {
    case L4_OBJ_ENDPOINT:
        if (!(c->rights & L4_RIGHT_WRITE))
            ipc_set_result(t, L4_ERR_INSUFFICIENT_RIGHTS);
        else
            ipc_send(t, c, blocking, call);
        return;
    case L4_OBJ_NOTIFICATION:
        if (call)
            ipc_set_result(t, L4_ERR_INVALID_CAPABILITY);
        else if (!(c->rights & L4_RIGHT_WRITE))
            ipc_set_result(t, L4_ERR_INSUFFICIENT_RIGHTS);
        else {
            notification_signal((notification_t *)c->obj, c->data ? c->data : 1u);
            ipc_set_result(t, L4_ERR_OK);
        }
        return;
    case L4_OBJ_REPLY:
        if (call)
            ipc_set_result(t, L4_ERR_INVALID_CAPABILITY);
        else if (ipc_info_invalid(t->ctx.r[1]))
            ipc_set_result(t, L4_ERR_INVALID_ARGUMENT);
        else {
            tcb_t *woken;
            ipc_set_result(t, ipc_reply(t, slot, &woken) ? L4_ERR_OK : L4_ERR_ILLEGAL_OPERATION);
        }
        return;
    default:
        if (call)
            syscall_invoke(t, slot, t->ctx.r[1]);
        else
            ipc_set_result(t, L4_ERR_INVALID_CAPABILITY);
        return;
    }
}

static void syscall_recv(tcb_t *t, word_t cptr, bool blocking)
{
    cte_t *slot = syscall_lookup(t, cptr);
    if (!slot)
        return;
    cap_t *c = &slot->cap;
    if (c->type != L4_OBJ_ENDPOINT && c->type != L4_OBJ_NOTIFICATION) {
        ipc_set_result(t, L4_ERR_INVALID_CAPABILITY);
        return;
    }
    if (!(c->rights & L4_RIGHT_READ)) {
        ipc_set_result(t, L4_ERR_INSUFFICIENT_RIGHTS);
        return;
    }
    if (c->type == L4_OBJ_NOTIFICATION)
        notification_wait(t, c, blocking);
    else
        ipc_recv(t, c, blocking);
}

NORETURN void c_handle_syscall(word_t cptr, word_t info, tcb_t *t, word_t sysno)
{
    trace_syscall(t, sysno, cptr, info);
    /* In virtual user mode every svc belongs to the guest kernel. */
    if (unlikely(vcpu_user_exception(t, L4_VCPU_CAUSE_SYSCALL, 0, 0)))
        kernel_exit();
    switch (sysno) {
    case L4_SYS_SEND:
    case L4_SYS_NBSEND:
        syscall_send(t, cptr, sysno == L4_SYS_SEND, false);
        break;
    case L4_SYS_CALL:
        syscall_send(t, cptr, true, true);
        break;
    case L4_SYS_RECV:
    case L4_SYS_NBRECV:
        syscall_recv(t, cptr, sysno == L4_SYS_RECV);
        break;
    case L4_SYS_REPLY: {
        tcb_t *woken;
        if (ipc_info_invalid(t->ctx.r[1]))
            ipc_set_result(t, L4_ERR_INVALID_ARGUMENT); /* the caller stays waiting */
        else
            ipc_set_result(t, ipc_reply(t, &t->slots[TCB_SLOT_CALLER], &woken)
                                  ? L4_ERR_OK
                                  : L4_ERR_ILLEGAL_OPERATION);
        break;
    }
    case L4_SYS_REPLY_RECV: {
        tcb_t *woken;
        if (ipc_info_invalid(t->ctx.r[1])) {
            ipc_set_result(t, L4_ERR_INVALID_ARGUMENT); /* neither reply nor receive */
            break;
        }
        ipc_reply(t, &t->slots[TCB_SLOT_CALLER], &woken);
        syscall_recv(t, cptr, true);
        if (woken && t->state != THREAD_RUNNABLE)
            sched_hand_over(woken); /* the server waits: its caller runs in its place */
        break;
    }
    case L4_SYS_YIELD:
        sched_yield();
        break;
    case L4_SYS_DEBUG_NULL:
        break;
    case L4_SYS_VCPU_RESUME:
    case L4_SYS_VCPU_SYNC:
        vcpu_syscall(t, sysno); /* the slow path of core/vcpu_fast.c */
        break;
    case L4_SYS_DEBUG_PUTC:
        /* The raw kernel console, for kernel debugging: debug kernels only.
         * Elsewhere user output needs the machine capability (object/machine.c). */
        if (CONFIG_DEBUG) {
            plat_console_putc((char)cptr);
            break;
        }
        __attribute__((fallthrough));
    default:
        /* Like every other fault, the saved pc is the faulting instruction
         * (the svc): a restart takes the fault again, a handler that
         * emulates the call moves pc past it (docs/api.md section 7). */
        t->ctx.pc -= (t->ctx.cpsr & BIT(5)) ? 2 : 4;
        t->fault_kind = L4_FAULT_UNKNOWN_SYSCALL;
        t->fault_msg[0] = t->ctx.pc;
        t->fault_msg[1] = sysno;
        t->fault_msg[2] = t->ctx.r[CTX_SP];
        t->fault_msg[3] = t->ctx.cpsr;
        fault_deliver(t);
        break;
    }
    kernel_exit();
}
