/* SPDX-License-Identifier: BSD-2-Clause */
/* The user-level API: include this one header. */
#pragma once
#include <l4/abi.h>
#include <l4/syscall.h>
#include <l4/ipc.h>
#include <l4/invocations.h>
#include <l4/pmu.h>

/* The boot-info page the kernel passed to the root task (NULL elsewhere). */
extern const l4_word_t *l4_bootinfo;

/* The calling thread's own TCB capability, if it declared one (0: none),
 * kept in its IPC buffer's user word. With one, exit()/_exit() stop just
 * this thread (newlib glue, libl4/src/newlib.c); without, they end the whole
 * system (the root task's behaviour: its status becomes QEMU's exit
 * status). exit() first runs the program's atexit handlers and closes its
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
