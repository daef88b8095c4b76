/* SPDX-License-Identifier: BSD-2-Clause */
/* Exception entries from user mode other than system calls and interrupts:
 * each records a fault message and hands it to core/ipc.c (fault_deliver),
 * which sends it to the thread's fault endpoint or stops the thread. */
#include <arch.h>
#include <ipc.h>
#include <object/vcpu.h>
#include <sched.h>
#include <trace.h>

static void fault_record(tcb_t *t, unsigned kind, word_t w1, word_t w2, word_t w3)
{
    /* In virtual user mode the guest kernel handles it (an upcall). */
    word_t cause = kind == L4_FAULT_PAGE ? L4_VCPU_CAUSE_PAGE_FAULT : L4_VCPU_CAUSE_UNDEFINED;
    if (vcpu_user_exception(t, cause, kind == L4_FAULT_PAGE ? w1 : 0,
                            kind == L4_FAULT_PAGE ? w2 : 0))
        return;
    t->fault_kind = (uint8_t)kind;
    t->fault_msg[0] = t->ctx.pc;
    t->fault_msg[1] = w1;
    t->fault_msg[2] = w2;
    t->fault_msg[3] = w3;
    fastpath_fault(t); /* returns if the slow path must deliver it */
    fault_deliver(t);
}

NORETURN void c_handle_undefined(void)
{
    tcb_t *t = ks_cur;
    trace_entry(t, TRACE_ENTRY_UNDEF);
    /* lr_und is the next instruction; point pc back at the faulting one. */
    t->ctx.pc -= (t->ctx.cpsr & BIT(5)) ? 2 : 4;
    /* A VFP/NEON instruction with the FPU disabled: the lazy switch, then
     * the instruction restarts; a vCPU's guest user with its virtual FPU
     * off gets the upcall its guest kernel expects instead. */
    if (vcpu_fpu_enabled(t) && arch_fpu_trap(t)) {
        trace_exit(t);
        arch_restore_user_context(&t->ctx); /* nothing else changed: t runs on */
    }
    fault_record(t, L4_FAULT_UNDEFINED, 0, t->ctx.r[CTX_SP], t->ctx.cpsr);
    kernel_exit();
}

NORETURN void c_handle_prefetch_abort(void)
{
    trace_entry(ks_cur, TRACE_ENTRY_PABT);
    fault_record(ks_cur, L4_FAULT_PAGE, arch_fault_instr_address(), arch_fault_instr_status(), 1);
    kernel_exit();
}

NORETURN void c_handle_data_abort(void)
{
    trace_entry(ks_cur, TRACE_ENTRY_DABT);
    fault_record(ks_cur, L4_FAULT_PAGE, arch_fault_data_address(), arch_fault_data_status(), 0);
    kernel_exit();
}
