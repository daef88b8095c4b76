/* SPDX-License-Identifier: BSD-2-Clause */
/* arch_clear_block(void *p, size_t n): zero n bytes at p; p and n are
 * multiples of 16 (objects are at least 16 bytes and naturally aligned).
 * Eight registers per store: 3 instructions per 32 bytes, so one clearing
 * step of retype (untyped_clear_ahead's 4 KiB chunk) costs about 400
 * instructions. AAPCS: r0 = p, r1 = n; r4-r9 saved. */
    .text
    .arm
    .global arch_clear_block
    .type arch_clear_block, %function
arch_clear_block:
    push    {r4-r9}
    mov     r2, #0                      @ r2-r9: eight zero words
    mov     r3, #0
    mov     r4, #0
    mov     r5, #0
    mov     r6, #0
    mov     r7, #0
    mov     r8, #0
    mov     r9, #0
    subs    r1, r1, #32
    bcc     2f                          @ fewer than 32 bytes
1:  stmia   r0!, {r2-r9}                @ 32 bytes
    subs    r1, r1, #32
    bcs     1b
2:  tst     r1, #16                     @ n was 16 mod 32: one half block left
    stmneia r0!, {r2-r5}
    pop     {r4-r9}
    bx      lr
    .size arch_clear_block, . - arch_clear_block
