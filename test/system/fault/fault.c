/* SPDX-License-Identifier: BSD-2-Clause */
/* A root task that faults on purpose (FAULT_KIND chosen at build time). The
 * kernel must report the fault, stop the thread and, with nothing left to
 * run, halt cleanly (status 2) instead of crashing or hanging. The checks
 * are in test/system/SConscript (expected kernel output per kind). */
#include <stdio.h>
#include <l4/l4.h>

int main(void)
{
    printf("fault: provoking fault kind %d\n", FAULT_KIND);
    switch (FAULT_KIND) {
    case 1: /* store to an unmapped page */
        *(volatile int *)0x1000 = 1;
        break;
    case 2: /* store to our own read-only code */
        *(volatile int *)(void *)main = 0;
        break;
    case 3: /* permanently undefined instruction (UDF) */
        __asm__ volatile(".inst 0xe7f000f0");
        break;
    case 4: /* jump to an unmapped address */
        ((void (*)(void))0x00200000)();
        break;
    case 5: /* a system call number that does not exist */
        __asm__ volatile("mov r7, #200\n svc #0" ::: "r7", "memory");
        break;
    case 6: /* a privileged instruction in user mode (cps is ignored at PL0 but
               an MCR to SCTLR is undefined) */
        __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" ::"r"(0));
        break;
    case 7: /* the generic virtual timer, one for the whole machine: CNTV_CTL
               is not PL0's (CNTKCTL.PL0VTEN clear) in any configuration */
        __asm__ volatile("mcr p15, 0, %0, c14, c3, 1" ::"r"(1));
        break;
    }
    printf("fault: still running after the fault (wrong)\n");
    return 1;
}
