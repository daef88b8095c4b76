/* SPDX-License-Identifier: BSD-2-Clause */
/* A "kernel" that QEMU really boots (run_tests.py, with qemurun's trace on):
 * linked and run at 0x40000000 with the MMU off; it ends QEMU through
 * semihosting. Lines marked `@ L:` run, lines marked `@ N:` do not. */
    .text
    .arm
    .global _start
    .global kernel_main
_start:
kernel_main:
    mov     r0, #0x18               @ L:exit_op     SYS_EXIT
    ldr     r1, =0x20026            @ L:exit_reason ADP_Stopped_ApplicationExit
    svc     0x123456                @ L:exit_svc    semihosting call
    b       .                       @ N:never_loop
never:
    mov     r0, #0                  @ N:never_mov
    bx      lr                      @ N:never_bx
    .ltorg
