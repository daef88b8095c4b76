/* SPDX-License-Identifier: BSD-2-Clause */
/* A tiny "kernel" for the coverage tool's own test (run_tests.py): linked
 * like the kernel (link address 0xC0000000, loaded at 0x40000000) so that
 * fixture.log, a fixed in_asm log, names its instructions. The `@ L:`
 * comments name the lines run_tests.py expects; the layout (addresses) is
 * checked there too. */
    .macro PAIR a, b                @ two instructions on one source line
    mov     r3, #\a
    mov     r3, #\b
    .endm

    .section .text.head, "ax"
    .arm
    .global _start
_start:
    mov     r0, #1                  @ L:start_mov  runs at the load address
    ldr     r1, =kernel_main        @ L:start_ldr
    bx      r1                      @ L:start_bx
    .ltorg                          @ a literal pool: data, not an instruction

    .text
    .global kernel_main
kernel_main:
    cmp     r0, #1                  @ L:km_cmp
    movne   r0, #2                  @ L:km_movne  predicated only: uncertain
    bl      covered_fn              @ L:km_bl
    b       .                       @ L:km_b
covered_fn:
    PAIR    3, 4                    @ L:cov_pair
    bx      lr                      @ L:cov_bx
uncovered_fn:
    PAIR    5, 6                    @ L:unc_pair  only user code at its load address
    bx      lr                      @ L:unc_bx
partial_fn:
    PAIR    7, 8                    @ L:part_pair  a block starts at its second instruction
    bx      lr                      @ L:part_bx
