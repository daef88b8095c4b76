/* SPDX-License-Identifier: BSD-2-Clause */
/* The runtime of the system server programs (console, timer, VMM): linked
 * into each as an object (l4build.server_program), so it replaces libl4's
 * weak default heap. A server needs no malloc (it formats with snprintf
 * into its own buffers), so it gets no heap: 256 KiB of .bss in every VMM
 * would cost 64 frames and 64 root slots per guest. */
#include <l4/l4.h>

void l4_heap_region(void **base, l4_word_t *size)
{
    *base = 0;
    *size = 0;
}

/* A server's CSpace holds no machine capability at L4_CAP_MACHINE (the
 * console server's is at CONSOLE_CAP_MACHINE, and it sets its own hook):
 * stray stdio output is discarded, never sent to whatever lies in that
 * slot. Servers print through the console server. */
__attribute__((constructor)) static void server_console_off(void)
{
    l4_console_set_hook(0);
}
