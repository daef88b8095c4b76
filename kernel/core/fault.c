/* SPDX-License-Identifier: BSD-2-Clause */
/* Exception entries from user mode other than system calls and interrupts. */
#include <arch.h>
#include <fault.h>
#include <printk.h>
#include <sched.h>

static const char *const fault_names[] = {
    "?", "unknown system call", "undefined instruction", "prefetch abort", "data abort",
};

void fault_raise(tcb_t *t, unsigned kind, word_t addr, word_t status)
{
    printk("[kernel] thread '%s' stopped: %s at pc 0x%08x (addr 0x%08x, status 0x%x)\n",
           t->name, fault_names[kind < ARRAY_SIZE(fault_names) ? kind : 0], t->ctx.pc,
           addr, status);
    sched_dequeue(t);
    t->state = THREAD_INACTIVE;
}

void fault_unknown_syscall(tcb_t *t, word_t sysno)
{
    fault_raise(t, FAULT_UNKNOWN_SYSCALL, sysno, 0);
}

NORETURN void c_handle_undefined(void)
{
    tcb_t *t = ks_cur;
    /* lr_und is the next instruction; point pc back at the faulting one. */
    t->ctx.pc -= (t->ctx.cpsr & (1u << 5)) ? 2 : 4;
    fault_raise(t, FAULT_UNDEFINED, t->ctx.pc, 0);
    kernel_exit();
}

NORETURN void c_handle_prefetch_abort(void)
{
    fault_raise(ks_cur, FAULT_PREFETCH_ABORT, arch_fault_instr_address(),
                arch_fault_instr_status());
    kernel_exit();
}

NORETURN void c_handle_data_abort(void)
{
    fault_raise(ks_cur, FAULT_DATA_ABORT, arch_fault_data_address(), arch_fault_data_status());
    kernel_exit();
}
