/* SPDX-License-Identifier: BSD-2-Clause */
/* Board facts for QEMU `virt` (32-bit, -cpu cortex-a15, GICv2). Every board
 * address and interrupt number the kernel uses is here; a second board is a
 * second plat/<board>/ directory selected by SCons. */
#pragma once

#define PLAT_NAME "qemu-virt"

/* Physical memory: QEMU is started with -m 256M (tools/qemurun). */
#define PLAT_PHYS_BASE 0x40000000u
#define PLAT_PHYS_SIZE 0x10000000u

/* Devices (physical), from QEMU hw/arm/virt.c memmap. */
#define PLAT_GIC_PADDR 0x08000000u  /* GICD at +0, GICC at +0x10000 */
#define PLAT_UART_PADDR 0x09000000u /* PL011 */

/* Kernel virtual addresses of the device windows, one 1 MiB section each. */
#define PLAT_DEV_VBASE 0xF0000000u
#define PLAT_UART_VADDR (PLAT_DEV_VBASE + 0x00000000u)
#define PLAT_GIC_VADDR (PLAT_DEV_VBASE + 0x00100000u)
#define PLAT_GICD_VADDR (PLAT_GIC_VADDR + 0x0000u)
#define PLAT_GICC_VADDR (PLAT_GIC_VADDR + 0x10000u)

/* Interrupt lines (GIC INTIDs). The kernel's preemption timer is the
 * non-secure EL1 physical timer PPI (INTID 30); the virtual timer (27) is
 * nobody's (PL0 may not program it: arch_mmu_init). Which lines user level may own is devices.def's `irqs`
 * table (plat_irq_user_lines, generated). SPIs start at 32; virt has 64 SPIs wired to devices
 * (UART 33, RTC 34, virtio 48..79). */
#define PLAT_IRQ_TIMER 30u
#define PLAT_IRQ_CONSOLE 33u /* the PL011's interrupt (its driver's: irq_handler_debug_break) */
#define PLAT_IRQ_MAX 160u    /* INTIDs 0..159 are accepted */
#define PLAT_IRQ_FIRST_SPI 32u

#define PLAT_TIMER_TICK_US 1000u /* kernel tick: 1 ms of guest time */
