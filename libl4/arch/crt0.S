/* SPDX-License-Identifier: BSD-2-Clause */
/* User program entry. The kernel (root task) or the creating thread sets
 * sp and passes one argument in r0 (the boot-info page for the root task,
 * the environment page for a component).
 * Contract: r0 = argument, sp = 8-byte aligned stack top. */
    .cfi_sections .debug_frame
    .section .text.start, "ax"
    .arm
    .global _start
    .type _start, %function
_start:
    .cfi_startproc
    .cfi_undefined lr               @ the outermost frame: debuggers stop unwinding here
    mov     fp, #0                  @ terminate frame-pointer chains
    mov     lr, #0
    bl      __l4_start              @ (r0) -> runs main(), never returns
1:  b       1b
    .cfi_endproc
    .size _start, . - _start
