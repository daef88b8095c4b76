/* SPDX-License-Identifier: BSD-2-Clause */
/* User program entry. The kernel (root task) or the creating thread sets
 * sp and passes one argument in r0 (the boot-info page for the root task).
 * Contract: r0 = argument, sp = 8-byte aligned stack top. */
    .section .text.start, "ax"
    .arm
    .global _start
_start:
    mov     fp, #0                  @ terminate frame-pointer chains
    mov     lr, #0
    bl      __l4_start              @ (r0) -> runs main(), never returns
1:  b       1b
