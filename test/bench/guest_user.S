/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest-user programs for the vCPU benchmarks (bench_vcpu.c). They are
 * copied into a page of a guest-user address space, so they are position
 * independent. Contract: r4 = address of a shared page in that space. Word
 * 0 of it receives the kernel instruction count (PMU counter 1, readable at
 * PL0) before the event, word 1 after it, word 2 the iteration count.
 * The _raise programs also take r7 = the address of the device line's
 * GPIOIEV register in that space and r8 = the value that raises the line
 * (bench.h, "the benchmarks' device line"): the interrupt lands here. */
    .text
    .arm
    .balign 64
    .global guest_user_spin, guest_user_trap, guest_user_count, guest_user_raise
    .global guest_user_count_raise, guest_user_end
guest_user_spin:                    @ record the count once, then spin
    mov     r5, #1
    mcr     p15, 0, r5, c9, c12, 5  @ PMSELR = 1 (kernel-only counter)
    isb
    mrc     p15, 0, r0, c9, c13, 2  @ PMXEVCNTR
    str     r0, [r4]
1:  b       1b

guest_user_trap:                    @ svc in a loop, counting around it
    mov     r5, #1
    mov     r6, #0
2:  mcr     p15, 0, r5, c9, c12, 5
    isb
    mrc     p15, 0, r0, c9, c13, 2
    str     r0, [r4]                @ before the trap
    svc     #0                      @ upcall to the guest kernel, which resumes us
    mcr     p15, 0, r5, c9, c12, 5
    isb
    mrc     p15, 0, r0, c9, c13, 2
    str     r0, [r4, #4]            @ after the resume
    add     r6, r6, #1
    str     r6, [r4, #8]
    b       2b

guest_user_count:                   @ word 0: the count, stored again and again
    mov     r5, #1
3:  mcr     p15, 0, r5, c9, c12, 5
    isb
    mrc     p15, 0, r0, c9, c13, 2
    str     r0, [r4]
    b       3b
guest_user_raise:                   @ record the count once, raise the line, spin
    mov     r5, #1
    mcr     p15, 0, r5, c9, c12, 5
    isb
    mrc     p15, 0, r0, c9, c13, 2
    str     r0, [r4]
    str     r8, [r7]                @ GPIOIEV: the line up
4:  b       4b

guest_user_count_raise:             @ as guest_user_count, raising the line each time
    mov     r5, #1
5:  mcr     p15, 0, r5, c9, c12, 5
    isb
    mrc     p15, 0, r0, c9, c13, 2
    str     r0, [r4]
    str     r8, [r7]                @ GPIOIEV (the guest kernel lowers it)
    b       5b
guest_user_end:
