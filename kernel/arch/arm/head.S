/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel entry from QEMU: builds the boot translation table, turns the MMU and
 * caches on, moves to the high kernel window and calls kernel_main().
 *
 * Entry contract (QEMU direct boot of an ELF): PC = physical address of
 * _start, SVC mode, MMU and caches off, IRQ/FIQ masked or not (we mask).
 * The kernel is linked at KERNEL_BASE and loaded at PLAT_PHYS_BASE; until the
 * MMU is on, every link-time address is turned physical by adding r4. */
#include <l4/abi.h>
#include <plat/plat.h>
#include <arch/cpu.h>

/* Section descriptors (ARM ARM B3.5.1), see arch/mmu.h for the field names. */
#define SECT_KERNEL_RWX 0x0001140e /* S, TEX=001 C B (normal WBWA), AP=01 */
#define SECT_DEVICE     0x00000416 /* XN, B (shareable device), AP=01 */
#define TTBR_WALK_ATTR  0x4a       /* IRGN=01 RGN=01 (WBWA walks), S */
#define SCTLR_SET       0x00001805 /* M (MMU), C (dcache), Z (branch pred), I (icache) */
#define SCTLR_CLEAR     0x30002002 /* AFE, TRE, V (use VBAR), A (no alignment fault) */

    .section .text.head, "ax"
    .arm
    .global _start
_start:
    cpsid   aif, #PSR_MODE_SVC
    adr     r4, _start              @ r4 = physical address of _start
    ldr     r5, =_start             @ r5 = link (virtual) address of _start
    sub     r4, r4, r5              @ r4 = physical - virtual

    ldr     r0, =__bss_start        @ zero .bss through its physical address
    ldr     r1, =__bss_end
    add     r0, r0, r4
    add     r1, r1, r4
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b

    ldr     r0, =kernel_pd          @ r0 = physical address of the kernel table
    add     r0, r0, r4
    ldr     r2, =SECT_KERNEL_RWX
    adr     r1, _start              @ identity-map the section we run in, so the
    lsr     r1, r1, #20             @ instruction after the MMU switch is fetched
    orr     r3, r2, r1, lsl #20
    str     r3, [r0, r1, lsl #2]

    ldr     r3, =PLAT_PHYS_BASE     @ all of RAM at KERNEL_BASE, 1 MiB sections
    orr     r3, r3, r2
    ldr     r5, =(L4_KERNEL_BASE >> 20)
    add     r5, r0, r5, lsl #2
    mov     r6, #(PLAT_PHYS_SIZE >> 20)
2:  str     r3, [r5], #4
    add     r3, r3, #0x100000
    subs    r6, r6, #1
    bne     2b

    ldr     r3, =(PLAT_UART_PADDR | SECT_DEVICE)
    ldr     r5, =(PLAT_UART_VADDR >> 20)
    str     r3, [r0, r5, lsl #2]
    ldr     r3, =(PLAT_GIC_PADDR | SECT_DEVICE)
    ldr     r5, =(PLAT_GIC_VADDR >> 20)
    str     r3, [r0, r5, lsl #2]

    mov     r1, #0
    mcr     p15, 0, r1, c2, c0, 2   @ TTBCR.N=0: TTBR0 translates everything for now
    orr     r1, r0, #TTBR_WALK_ATTR
    mcr     p15, 0, r1, c2, c0, 0   @ TTBR0 = kernel table (identity part used)
    mcr     p15, 0, r1, c2, c0, 1   @ TTBR1 = kernel table (the upper half)
    mov     r1, #1
    mcr     p15, 0, r1, c3, c0, 0   @ DACR: domain 0 is client (AP bits checked)
    mov     r1, #0
    mcr     p15, 0, r1, c13, c0, 1  @ CONTEXTIDR: ASID 0 is reserved for the kernel
    mcr     p15, 0, r1, c8, c7, 0   @ TLBIALL
    mcr     p15, 0, r1, c7, c5, 0   @ ICIALLU
    dsb
    isb
    mrc     p15, 0, r1, c1, c0, 0
    ldr     r2, =SCTLR_CLEAR
    bic     r1, r1, r2
    ldr     r2, =SCTLR_SET
    orr     r1, r1, r2
    mcr     p15, 0, r1, c1, c0, 0   @ MMU and caches on
    isb
    ldr     pc, =start_high         @ continue at the kernel's link address

start_high:
    mov     r1, #0x11               @ TTBCR: N=1 (TTBR0 below 2 GiB, TTBR1 above),
    mcr     p15, 0, r1, c2, c0, 2   @ PD0=1: no user walks until a user space exists;
    mov     r1, #0                  @ this also drops the identity section
    mcr     p15, 0, r1, c8, c7, 0   @ TLBIALL
    dsb
    isb
    ldr     r0, =arm_vectors
    mcr     p15, 0, r0, c12, c0, 0  @ VBAR
    isb
    ldr     sp, =kernel_stack_top
    bl      kernel_main
    b       .

    .ltorg
