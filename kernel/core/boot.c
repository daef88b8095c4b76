/* SPDX-License-Identifier: BSD-2-Clause */
/* kernel_main: called by head.S on the kernel stack with the MMU on, IRQs
 * masked. Brings up the machine and enters the root task. */
#include <arch.h>
#include <boot.h>
#include <platform.h>
#include <printk.h>
#include <sched.h>

/* From the linker script (arch/arm/kernel.ld) and the embedded root image. */
extern const uint8_t __root_image_start[], __root_image_end[];
extern const uint8_t __kernel_end[];

NORETURN void kernel_main(void)
{
    arch_mmu_init();
    plat_console_init();
    printk("[kernel] booting on %s, %u MiB RAM at 0x%08x\n", PLAT_NAME, PLAT_PHYS_SIZE >> 20,
           PLAT_PHYS_BASE);
    plat_irq_init();
    plat_timer_init();
    arch_pmu_init();
    arch_fpu_init();
    sched_init();
    bootmem_init((uintptr_t)__kernel_end,
                 (uintptr_t)paddr_to_kptr(PLAT_PHYS_BASE + PLAT_PHYS_SIZE));
    /* The two symbols bound one section (kernel.ld's .rootimage): C sees two
     * arrays, the linker one object, so the difference is its size. */
    /* cppcheck-suppress comparePointers */
    boot_create_root_task(__root_image_start, (size_t)(__root_image_end - __root_image_start));
    kernel_exit();
}
