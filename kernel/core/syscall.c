/* SPDX-License-Identifier: BSD-2-Clause */
/* System call entry (vectors.S: arm_svc_entry). The caller's registers are
 * saved in ks_cur->ctx; results are written back there. */
#include <arch.h>
#include <fault.h>
#include <l4/abi.h>
#include <platform.h>
#include <sched.h>

NORETURN void c_handle_syscall(word_t cptr, word_t info, word_t sysno)
{
    tcb_t *t = ks_cur;
    switch (sysno) {
    case L4_SYS_DEBUG_NULL:
        break;
    case L4_SYS_DEBUG_PUTC:
        plat_console_putc((char)cptr);
        break;
    case L4_SYS_DEBUG_SHUTDOWN:
        arch_shutdown((int)cptr);
    case L4_SYS_YIELD:
        t->time_slice = TIME_SLICE_TICKS;
        sched_rotate(t);
        break;
    default:
        fault_unknown_syscall(t, sysno);
        break;
    }
    kernel_exit();
}
