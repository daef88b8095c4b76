/* SPDX-License-Identifier: BSD-2-Clause */
/* Demo root task: shows that user mode, the console and newlib work, then
 * ends the system. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/l4.h>

int main(void)
{
    printf("root: hello from user mode (boot info at %p, IPC buffer at 0x%08lx)\n",
           (const void *)l4_bootinfo,
           l4_bootinfo ? (unsigned long)l4_bootinfo[L4_BOOTINFO_IPC_BUFFER] : 0ul);
    char *buf = malloc(64);
    snprintf(buf, 64, "%d + %d = %d", 20, 22, 20 + 22);
    printf("root: malloc and snprintf: %s\n", buf);
    free(buf);
    l4_yield();
    printf("root: done\n");
    return 0;
}
