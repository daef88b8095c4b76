/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/bootalloc.h>
#include "spawn.h"

#define IPCBUF_BASE 0x40000000u /* IPC buffers of threads in the root space */
#define SCRATCH 0x50000000u     /* where image copies are staged */
#define STACK_WORDS 1024

extern char __image_start[], end[];

static l4_word_t next_ipcbuf = IPCBUF_BASE;
static l4_word_t stacks[16][STACK_WORDS] __attribute__((aligned(8)));
static unsigned nstacks;

static void check(l4_word_t err, const char *what)
{
    if (err) {
        printf("bench: %s failed: error %lu\n", what, (unsigned long)err);
        exit(2);
    }
}

l4_cptr_t bench_slot(void)
{
    l4_cptr_t s;
    check(l4_boot_slot(&s), "slot");
    return s;
}

l4_cptr_t bench_new(l4_word_t type, l4_word_t size_bits)
{
    l4_cptr_t s;
    check(l4_boot_new(type, size_bits, &s), "retype");
    return s;
}

void bench_map_into(l4_cptr_t pd, l4_cptr_t frame, l4_word_t vaddr, l4_word_t attr)
{
    check(l4_boot_map(pd, frame, vaddr, L4_RIGHT_READ | L4_RIGHT_WRITE, attr), "frame map");
}

l4_cptr_t bench_map_frame(l4_word_t vaddr)
{
    l4_cptr_t f = bench_new(L4_OBJ_FRAME_4K, 0);
    bench_map_into(L4_CAP_INIT_VSPACE, f, vaddr, 0);
    return f;
}

/* A new address space with a private copy of this program's image. */
static l4_cptr_t clone_space(void)
{
    l4_cptr_t pd = bench_new(L4_OBJ_PAGE_DIRECTORY, 0);
    static l4_word_t scratch = SCRATCH;
    for (l4_word_t va = (l4_word_t)__image_start; va < (l4_word_t)end; va += 4096) {
        l4_cptr_t f = bench_map_frame(scratch);
        memcpy((void *)scratch, (void *)va, 4096);
        l4_cptr_t copy = bench_slot();
        check(l4_cnode_copy(L4_CAP_INIT_CNODE, copy, 32, f, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
              "copy");
        bench_map_into(pd, copy, va, 0);
        scratch += 4096;
    }
    return pd;
}

l4_cptr_t bench_spawn(void (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio, int same_space)
{
    return bench_spawn_ex(fn, arg, prio, same_space, 1);
}

l4_cptr_t bench_copy(l4_cptr_t cap)
{
    l4_cptr_t c = bench_slot();
    check(l4_cnode_copy(L4_CAP_INIT_CNODE, c, 32, cap, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
          "copy");
    return c;
}

l4_cptr_t bench_spawn_ex(void (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio, int same_space,
                         int start)
{
    l4_cptr_t tcb = bench_new(L4_OBJ_TCB, 0);
    l4_cptr_t pd = L4_CAP_INIT_VSPACE, ipc;
    l4_word_t ipc_va, sp;
    if (same_space) {
        ipc_va = next_ipcbuf;
        next_ipcbuf += 4096;
        ipc = bench_map_frame(ipc_va);
        sp = (l4_word_t)&stacks[nstacks++][STACK_WORDS];
    } else {
        pd = clone_space();
        ipc_va = 0x7ffff000u;
        ipc = bench_new(L4_OBJ_FRAME_4K, 0);
        bench_map_into(pd, ipc, ipc_va, 0);
        l4_cptr_t stack = bench_new(L4_OBJ_FRAME_4K, 0);
        bench_map_into(pd, stack, 0x7fffe000u, 0);
        sp = 0x7ffff000u;
    }
    check(l4_tcb_configure(tcb, 0, 0, ipc_va, L4_CAP_INIT_CNODE, pd, ipc), "configure");
    check(l4_tcb_set_priority(tcb, prio, L4_CAP_INIT_TCB), "set_priority");
    l4_word_t regs[16] = {0};
    regs[0] = arg;
    regs[13] = sp;
    regs[15] = (l4_word_t)fn;
    check(l4_tcb_write_registers(tcb, (l4_word_t)start, 16, regs), "write_registers");
    return tcb;
}
