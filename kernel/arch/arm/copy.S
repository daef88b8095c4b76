/* SPDX-License-Identifier: BSD-2-Clause */
/* arch_copy_words(word_t *dst, const word_t *src, word_t n): copy n words
 * (the buffers do not overlap; both word aligned). Four registers per
 * LDM/STM pair: IPC message words in the IPC buffers move as blocks, 1.5
 * instructions a word instead of a load, a store and loop control each.
 * AAPCS: r0 = dst, r1 = src, r2 = n; r4-r5 saved; r3, r12 scratch. */
    .text
    .arm
    .global arch_copy_words
    .type arch_copy_words, %function
arch_copy_words:
    subs    r2, r2, #4
    bcc     2f                          @ fewer than four words
    push    {r4, r5}
1:  ldmia   r1!, {r3-r5, r12}           @ four words
    stmia   r0!, {r3-r5, r12}
    subs    r2, r2, #4
    bcs     1b
    pop     {r4, r5}
2:  tst     r2, #2                      @ n mod 4 = 2 or 3: two words
    ldmneia r1!, {r3, r12}
    stmneia r0!, {r3, r12}
    tst     r2, #1                      @ n odd: the last word
    ldrne   r3, [r1]
    strne   r3, [r0]
    bx      lr
    .size arch_copy_words, . - arch_copy_words
