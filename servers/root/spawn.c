/* SPDX-License-Identifier: BSD-2-Clause */
/* Component creation (spawn.h). Slots and objects come from the root's boot
 * resources through libl4's boot allocator (l4/bootalloc.h). */
#include <stdio.h>
#include <string.h>
#include <l4/bootalloc.h>
#include "spawn.h"

#define SCRATCH 0x50000000u /* one root page where image copies are staged */

extern char __image_start[], end[];

void sys_panic(const char *what, l4_word_t err)
{
    printf("root: %s failed: error %lu\n", what, (unsigned long)err);
    l4_debug_shutdown(3);
}

void sys_check(l4_word_t err, const char *what)
{
    if (err)
        sys_panic(what, err);
}

l4_cptr_t sys_slot(void)
{
    l4_cptr_t s;
    sys_check(l4_boot_slot(&s), "slot allocation");
    return s;
}

l4_cptr_t sys_new(l4_word_t type, l4_word_t bits)
{
    l4_cptr_t s;
    sys_check(l4_boot_new(type, bits, &s), "retype");
    return s;
}

static void map_in(l4_cptr_t pd, l4_cptr_t frame, l4_word_t va, l4_word_t rights)
{
    sys_check(l4_boot_map(pd, frame, va, rights, 0), "frame map");
}

/* A fresh frame holding a copy of the root's page at va, mapped there in pd. */
static void clone_page(l4_cptr_t pd, l4_word_t va)
{
    l4_cptr_t f = sys_new(L4_OBJ_FRAME_4K, 0);
    map_in(L4_CAP_INIT_VSPACE, f, SCRATCH, L4_RIGHT_READ | L4_RIGHT_WRITE);
    memcpy((void *)SCRATCH, (void *)va, 4096);
    sys_check(l4_frame_unmap(f), "unmap");
    map_in(pd, f, va, L4_RIGHT_READ | L4_RIGHT_WRITE);
}

void comp_create(comp_t *c, l4_word_t radix, l4_word_t stack_pages)
{
    const l4_word_t guard = 32 - radix; /* guard of zeros: a cptr is a slot */
    c->radix = radix;
    c->cnode = sys_new(L4_OBJ_CNODE, radix);
    c->pd = sys_new(L4_OBJ_PAGE_DIRECTORY, 0);
    c->tcb = sys_new(L4_OBJ_TCB, 0);
    sys_check(l4_cnode_mint(c->cnode, COMP_CAP_CNODE, radix, c->cnode, 32, L4_RIGHTS_ALL, guard,
                            L4_CAP_INIT_CNODE),
              "give cnode");
    comp_give(c, COMP_CAP_VSPACE, c->pd, L4_RIGHTS_ALL, 0);
    comp_give(c, COMP_CAP_TCB, c->tcb, L4_RIGHTS_ALL, 0);
    fflush(stdout); /* the copy must not print the root's buffered output again */
    for (l4_word_t va = (l4_word_t)__image_start; va < (l4_word_t)end; va += 4096)
        clone_page(c->pd, va);
    comp_map_new(c, COMP_STACK_TOP - stack_pages * 4096, stack_pages);
}

void comp_map_new(comp_t *c, l4_word_t va, l4_word_t pages)
{
    for (l4_word_t k = 0; k < pages; k++)
        map_in(c->pd, sys_new(L4_OBJ_FRAME_4K, 0), va + k * 4096, L4_RIGHT_READ | L4_RIGHT_WRITE);
}

void comp_give(comp_t *c, l4_word_t dest, l4_cptr_t src, l4_word_t rights, l4_word_t badge)
{
    l4_word_t err =
        badge ? l4_cnode_mint(c->cnode, dest, c->radix, src, 32, rights, badge, L4_CAP_INIT_CNODE)
              : l4_cnode_copy(c->cnode, dest, c->radix, src, 32, rights, L4_CAP_INIT_CNODE);
    sys_check(err, "give capability");
}

void comp_move(comp_t *c, l4_word_t dest, l4_cptr_t src)
{
    sys_check(l4_cnode_move(c->cnode, dest, c->radix, src, 32, L4_CAP_INIT_CNODE),
              "move capability");
}

void comp_map(comp_t *c, l4_cptr_t frame, l4_word_t va)
{
    l4_cptr_t copy = sys_slot();
    sys_check(
        l4_cnode_copy(L4_CAP_INIT_CNODE, copy, 32, frame, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
        "frame copy");
    map_in(c->pd, copy, va, L4_RIGHT_READ | L4_RIGHT_WRITE);
}

void comp_start(comp_t *c, void (*entry)(l4_word_t), l4_word_t arg, l4_word_t prio)
{
    l4_cptr_t ipc = sys_new(L4_OBJ_FRAME_4K, 0);
    map_in(c->pd, ipc, COMP_IPCBUF_VADDR, L4_RIGHT_READ | L4_RIGHT_WRITE);
    sys_check(l4_tcb_configure(c->tcb, 0, 32 - c->radix, COMP_IPCBUF_VADDR, c->cnode, c->pd, ipc),
              "configure");
    sys_check(l4_tcb_set_mcp(c->tcb, prio, L4_CAP_INIT_TCB), "set_mcp");
    sys_check(l4_tcb_set_priority(c->tcb, prio, L4_CAP_INIT_TCB), "set_priority");
    l4_word_t regs[L4_TCB_MAX_REGS] = {0};
    regs[0] = arg;
    regs[13] = COMP_STACK_TOP;
    regs[15] = (l4_word_t)entry;
    regs[16] = 0x10;
    sys_check(l4_tcb_write_registers(c->tcb, 1, L4_TCB_MAX_REGS, regs), "start");
}
