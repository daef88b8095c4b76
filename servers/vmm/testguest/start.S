/* SPDX-License-Identifier: BSD-2-Clause */
/* Test guest entry (docs/vmm.md): r0 = guest-info page, sp = top of guest
 * RAM, virtual kernel mode. The VMM loaded .bss as zeroes. */
#include <l4/abi.h>
    .section .text.start, "ax"
    .arm
    .global _start
_start:
    mov     fp, #0
    bl      guest_main              @ (info) -> never returns
1:  b       1b

/* Upcall entry (state page entry_pc): sp = entry_sp, the interrupted
 * context is in kregs; guest_upcall() resumes it and never returns. */
    .global upcall_entry
upcall_entry:
    mov     fp, #0
    bl      guest_upcall
2:  b       2b

/* uint32_t idle_wait(volatile uint32_t *state): the idle loop's wfi.
 * Enables virtual interrupts and waits on the bound notification, unless a
 * virtual interrupt is already pending. An upcall taken anywhere between the
 * enabling store and the svc is resumed at idle_done by guest_upcall (so a
 * pending line never leaves us blocked). Returns the notification bits (0 if
 * the wait was skipped); virtual interrupts are left enabled. */
    .global idle_wait, idle_window, idle_svc, idle_done
idle_wait:
    push    {r4-r7, lr}
    mov     r3, r0
    mov     r6, #0                  @ badge (bits) if the wait is skipped
    mov     r2, #1
idle_window:
    str     r2, [r3, #(L4_VCPU_STATE_VIRQ_ENABLED * 4)]  @ virq_enabled = 1
    ldr     r2, [r3, #(L4_VCPU_STATE_VIRQ_PENDING * 4)]
    cmp     r2, #0
    bne     idle_done               @ something pending: its upcall follows
    mov     r0, #2                  @ GUEST_CAP_NTFN
    mov     r1, #0
    mov     r7, #L4_SYS_RECV
idle_svc:
    svc     #0
idle_done:
    mov     r0, r6
    pop     {r4-r7, pc}
