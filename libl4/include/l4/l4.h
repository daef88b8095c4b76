/* SPDX-License-Identifier: BSD-2-Clause */
/* The user-level API: include this one header. */
#pragma once
#include <l4/abi.h>
#include <l4/syscall.h>
#include <l4/ipc.h>
#include <l4/invocations.h>
#include <l4/pmu.h>
#include <l4/console.h>

/* The boot-info page the kernel passed to the root task (NULL elsewhere). */
extern const l4_word_t *l4_bootinfo;
/* r0 at the program's entry: the boot-info page of the root task, the
 * environment page the root task gives a component or server. */
extern l4_word_t l4_start_arg;

/* The runtime hooks of newlib's glue (libl4/src/newlib.c). Output goes
 * through the console hook (l4/console.h). The other two have a weak
 * default (the root task's behaviour); a runtime replaces one by defining
 * it (servers/lib/comp.c does, for components):
 *  - l4_heap_region: the memory malloc() draws from, asked once (default:
 *    256 KiB of .bss; size 0: malloc fails);
 *  - l4_program_exit: what exit()/_exit() and returning from main() do
 *    (default: below). */
void l4_heap_region(void **base, l4_word_t *size);
__attribute__((noreturn)) void l4_program_exit(int status);

/* The calling thread's own TCB capability, if it declared one (0: none),
 * kept in its IPC buffer's user word. With one, exit()/_exit() stop just
 * this thread (newlib glue, libl4/src/newlib.c); without, they end the whole
 * system through machine_shutdown on L4_CAP_MACHINE (the root task's
 * behaviour: its status becomes QEMU's exit status). exit() first runs the program's atexit handlers and closes its
 * stdio, as C requires: use it as a component's last act, and _exit() in
 * one thread of a program that goes on. */
static inline l4_cptr_t l4_self_tcb(void)
{
    return l4_ipc_buffer()[L4_IPCBUF_USER_DATA];
}
static inline void l4_set_self_tcb(l4_cptr_t tcb)
{
    l4_ipc_buffer()[L4_IPCBUF_USER_DATA] = tcb;
}

/* Name a thread for the kernel's reports (tcb_set_name): s is packed into
 * the four name words as it is, so a name of 16 characters or more, or one
 * with a character outside 0x20..0x7e, is refused (L4_ERR_INVALID_ARGUMENT)
 * rather than cut. */
static inline l4_word_t l4_tcb_set_name_str(l4_cptr_t tcb, const char *s)
{
    l4_word_t w[4] = {0, 0, 0, 0};
    for (unsigned i = 0; i < 16 && s[i]; i++)
        w[i / 4] |= (l4_word_t)(unsigned char)s[i] << (8 * (i % 4));
    return l4_tcb_set_name(tcb, w[0], w[1], w[2], w[3]);
}
