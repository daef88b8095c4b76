/* SPDX-License-Identifier: BSD-2-Clause */
/* Entry of the template guest (docs/vmm.md, "Guest-kernel address space"):
 * the VMM starts the vCPU here in virtual kernel mode, virtual interrupts
 * off, r0 = the guest-info page, sp = top of guest RAM (the boot stack),
 * .bss already zero (the VMM loads it so). Nothing to set up: call C. */
    .section .text.start, "ax"
    .arm
    .global _start
_start:
    mov     fp, #0
    bl      guest_main              @ (info) -> never returns
1:  b       1b
