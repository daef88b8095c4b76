/* SPDX-License-Identifier: BSD-2-Clause */
/* Process creation and memory (spawn.h). A frame is written through one of
 * the root's SCRATCH windows: a fresh frame is mapped there, filled,
 * unmapped and mapped into the process with its own cap; a frame already
 * mapped in a process is reached through a temporary copy of its cap (a
 * cap holds one mapping). Large ranges (stack, heap, regions) use 64 KiB
 * and 1 MiB frames where their address and size allow: one root slot each. */
#include <stdio.h>
#include <string.h>
#include <l4/bootalloc.h>
#include <l4/elf.h>
#include "spawn.h"

#define SCRATCH 0x50000000u /* one root page where frames are filled and read */
#define PAGE 4096u

void sys_panic(const char *what, l4_word_t err)
{
    printf("root: %s failed: error %lu\n", what, (unsigned long)err);
    l4_machine_shutdown(L4_CAP_MACHINE, 3);
    for (;;)
        __builtin_trap();
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

static void map_in(l4_cptr_t pd, l4_cptr_t frame, l4_word_t va, l4_word_t rights, l4_word_t attr)
{
    sys_check(l4_boot_map(pd, frame, va, rights, attr), "frame map");
}

/* The scratch slot of the temporary copies (one at a time). */
static l4_cptr_t scratch_slot(void)
{
    static l4_cptr_t s;
    if (!s)
        s = sys_slot();
    return s;
}

static l4_word_t frame_type(l4_word_t bits)
{
    return bits == 20 ? L4_OBJ_FRAME_1M : bits == 16 ? L4_OBJ_FRAME_64K : L4_OBJ_FRAME_4K;
}

/* One scratch window per frame size: a 1 MiB section cannot share its
 * MiB with the page table the smaller windows use. */
static l4_word_t scratch_va(l4_word_t bits)
{
    return SCRATCH + (bits == 20 ? 0x200000u : bits == 16 ? 0x100000u : 0);
}

/* Run fn on the contents of frame cap f of 2^bits bytes (unmapped if
 * fresh, else through a copy of the cap), mapped at its scratch window. */
static void with_frame(l4_cptr_t f, l4_word_t bits, int mapped,
                       void (*fn)(uint8_t *frame, l4_word_t size, void *arg), void *arg)
{
    l4_cptr_t c = f;
    if (mapped) {
        c = scratch_slot();
        sys_check(l4_cnode_copy(L4_CAP_INIT_CNODE, c, 32, f, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
                  "frame copy");
    }
    map_in(L4_CAP_INIT_VSPACE, c, scratch_va(bits), L4_RIGHT_READ | L4_RIGHT_WRITE,
           L4_ATTR_EXECUTE_NEVER);
    fn((uint8_t *)scratch_va(bits), 1u << bits, arg);
    sys_check(l4_frame_unmap(c), "unmap");
    if (mapped)
        sys_check(l4_cnode_delete(L4_CAP_INIT_CNODE, c, 32), "delete copy");
}

l4_word_t proc_frame_bits(l4_word_t va, l4_word_t bytes)
{
    if (!(va & 0xfffffu) && !(bytes & 0xfffffu))
        return 20;
    if (!(va & 0xffffu) && !(bytes & 0xffffu))
        return 16;
    return 12;
}

void proc_create(proc_t *p, l4_word_t radix, int self_caps)
{
    memset(p, 0, sizeof *p);
    p->radix = radix;
    p->cnode = sys_new(L4_OBJ_CNODE, radix);
    p->pd = sys_new(L4_OBJ_PAGE_DIRECTORY, 0);
    p->tcb = sys_new(L4_OBJ_TCB, 0);
    if (!self_caps)
        return;
    const l4_word_t guard = 32 - radix; /* guard of zeros: a cptr is a slot */
    sys_check(l4_cnode_mint(p->cnode, COMP_CAP_CNODE, radix, p->cnode, 32, L4_RIGHTS_ALL, guard,
                            L4_CAP_INIT_CNODE),
              "give cnode");
    proc_give(p, COMP_CAP_VSPACE, p->pd, L4_RIGHTS_ALL, 0);
    proc_give(p, COMP_CAP_TCB, p->tcb, L4_RIGHTS_ALL, 0);
}

/* --- ranges --------------------------------------------------------------------- */
typedef struct {
    const uint8_t *src;
    l4_word_t len; /* bytes of src for this frame (<= its size) */
} fill_t;

static void fill_frame(uint8_t *frame, l4_word_t size, void *arg)
{
    const fill_t *f = arg;
    memcpy(frame, f->src, f->len);
    memset(frame + f->len, 0, size - f->len);
}

/* The source bytes of frame k of range r (RANGE_IMAGE, RANGE_KEEP). */
static fill_t range_fill(const proc_range_t *r, l4_word_t k)
{
    l4_word_t off = k << r->bits, size = 1u << r->bits;
    fill_t f = {r->src + off, 0};
    if (r->src && off < r->src_len)
        f.len = r->src_len - off < size ? r->src_len - off : size;
    return f;
}

static proc_range_t *range_new(proc_t *p, l4_word_t va, l4_word_t frames, l4_word_t bits,
                               l4_word_t kind)
{
    if (p->nranges == PROC_MAX_RANGES)
        sys_panic("process ranges", L4_ERR_NOT_ENOUGH_MEMORY);
    proc_range_t *r = &p->range[p->nranges++];
    *r = (proc_range_t){.vaddr = va, .frames = frames, .bits = bits, .kind = kind};
    return r;
}

/* Fresh frames for r, filled from r->src where it has bytes, mapped at r->vaddr. */
static void range_map_new(proc_t *p, proc_range_t *r, l4_word_t rights, l4_word_t attr)
{
    sys_check(l4_boot_new_n(frame_type(r->bits), 0, r->frames, &r->first), "frames");
    for (l4_word_t k = 0; k < r->frames; k++) {
        fill_t f = range_fill(r, k);
        if (f.len) /* retype zeroed the frame: only bytes need writing */
            with_frame(r->first + k, r->bits, 0, fill_frame, &f);
        map_in(p->pd, r->first + k, r->vaddr + (k << r->bits), rights, attr);
    }
}

void proc_map_zero(proc_t *p, l4_word_t va, l4_word_t pages, l4_word_t rights, l4_word_t attr)
{
    l4_word_t bits = proc_frame_bits(va, pages * PAGE);
    range_map_new(p, range_new(p, va, (pages * PAGE) >> bits, bits, RANGE_ZERO), rights, attr);
}

void proc_map_copy(proc_t *p, l4_word_t va, const uint8_t *src, l4_word_t bytes, l4_word_t kind)
{
    proc_range_t *r = range_new(p, va, (bytes + PAGE - 1) / PAGE, 12, kind);
    r->src = src;
    r->src_len = bytes;
    range_map_new(p, r, L4_RIGHT_READ, L4_ATTR_EXECUTE_NEVER);
}

void proc_map_frames(proc_t *p, l4_word_t va, l4_cptr_t first, l4_word_t frames, l4_word_t bits,
                     l4_word_t rights, l4_word_t attr)
{
    proc_range_t *r = range_new(p, va, frames, bits, RANGE_KEEP);
    /* All the slots first: mapping may take slots for page tables. */
    for (l4_word_t k = 0; k < frames; k++) {
        l4_cptr_t c = sys_slot();
        if (k == 0)
            r->first = c;
        sys_check(l4_cnode_copy(L4_CAP_INIT_CNODE, c, 32, first + k, 32, L4_RIGHTS_ALL,
                                L4_CAP_INIT_CNODE),
                  "frame copy");
    }
    for (l4_word_t k = 0; k < frames; k++)
        map_in(p->pd, r->first + k, va + (k << bits), rights, attr);
}

/* --- the program ------------------------------------------------------------------ */
const char *proc_load(proc_t *p, const uint8_t *elf, l4_word_t size, l4_word_t lo, l4_word_t hi)
{
    elf_status_t st = elf_check(elf, size, lo, hi);
    if (st != ELF_OK)
        return elf_status_name(st);
    /* Each page gets one segment's rights: no page may hold two segments. */
    for (unsigned i = 0; i < elf_phnum(elf); i++) {
        const elf32_phdr_t *a = elf_phdr(elf, i);
        for (unsigned j = 0; elf_loadable(a) && j < i; j++) {
            const elf32_phdr_t *b = elf_phdr(elf, j);
            l4_word_t a0 = a->vaddr / PAGE, a1 = (a->vaddr + a->memsz - 1) / PAGE;
            l4_word_t b0 = b->vaddr / PAGE, b1 = (b->vaddr + b->memsz - 1) / PAGE;
            if (elf_loadable(b) && a0 <= b1 && b0 <= a1)
                return "two segments share a page";
        }
    }
    for (unsigned i = 0; i < elf_phnum(elf); i++) {
        const elf32_phdr_t *ph = elf_phdr(elf, i);
        if (!elf_loadable(ph))
            continue;
        l4_word_t va = ph->vaddr & ~(PAGE - 1), lead = ph->vaddr - va;
        l4_word_t pages = (lead + ph->memsz + PAGE - 1) / PAGE;
        int w = (ph->flags & ELF_PF_W) != 0;
        if (ph->offset < lead)
            return "segment offset not congruent to its address";
        proc_range_t *r = range_new(p, va, pages, 12, w ? RANGE_IMAGE : RANGE_KEEP);
        /* The page's bytes before the segment start are the file's too
         * (ELF segments are congruent to their offset modulo the page). */
        r->src = elf + ph->offset - lead;
        r->src_len = lead + ph->filesz;
        range_map_new(p, r, L4_RIGHT_READ | (w ? L4_RIGHT_WRITE : 0),
                      (ph->flags & ELF_PF_X) ? 0 : L4_ATTR_EXECUTE_NEVER);
    }
    p->entry = elf_entry(elf);
    return NULL;
}

static const proc_range_t *range_at(const proc_t *p, l4_word_t va, l4_word_t *k)
{
    for (unsigned i = 0; i < p->nranges; i++) {
        const proc_range_t *r = &p->range[i];
        if (va >= r->vaddr && (va - r->vaddr) >> r->bits < r->frames) {
            *k = (va - r->vaddr) >> r->bits;
            return r;
        }
    }
    return NULL;
}

l4_cptr_t proc_frame_at(proc_t *p, l4_word_t va)
{
    l4_word_t k;
    const proc_range_t *r = range_at(p, va, &k);
    return r ? r->first + k : 0;
}

typedef struct {
    l4_word_t off, value;
    int write;
} word_op_t;

static void word_access(uint8_t *page, l4_word_t size, void *arg)
{
    (void)size;
    word_op_t *w = arg;
    if (w->write)
        memcpy(page + w->off, &w->value, 4);
    else
        memcpy(&w->value, page + w->off, 4);
}

int proc_poke(proc_t *p, l4_word_t va, l4_word_t value)
{
    l4_word_t k;
    const proc_range_t *r = range_at(p, va, &k);
    if (!r || r->kind == RANGE_KEEP || (va & 3))
        return 0;
    word_op_t w = {va & ((1u << r->bits) - 1), value, 1};
    with_frame(r->first + k, r->bits, 1, word_access, &w);
    return 1;
}

int proc_peek(proc_t *p, l4_word_t va, l4_word_t *value)
{
    l4_word_t k;
    const proc_range_t *r = range_at(p, va, &k);
    if (!r || (va & 3))
        return 0;
    word_op_t w = {va & ((1u << r->bits) - 1), 0, 0};
    with_frame(r->first + k, r->bits, 1, word_access, &w);
    *value = w.value;
    return 1;
}

void proc_reset(proc_t *p)
{
    for (unsigned i = 0; i < p->nranges; i++) {
        proc_range_t *r = &p->range[i];
        if (r->kind == RANGE_KEEP)
            continue;
        for (l4_word_t k = 0; k < r->frames; k++) {
            fill_t f = range_fill(r, k);
            with_frame(r->first + k, r->bits, 1, fill_frame, &f);
        }
    }
}

/* --- capabilities and the thread ------------------------------------------------------ */
void proc_give(proc_t *p, l4_word_t dest, l4_cptr_t src, l4_word_t rights, l4_word_t badge)
{
    l4_word_t err =
        badge ? l4_cnode_mint(p->cnode, dest, p->radix, src, 32, rights, badge, L4_CAP_INIT_CNODE)
              : l4_cnode_copy(p->cnode, dest, p->radix, src, 32, rights, L4_CAP_INIT_CNODE);
    sys_check(err, "give capability");
}

void proc_move(proc_t *p, l4_word_t dest, l4_cptr_t src)
{
    sys_check(l4_cnode_move(p->cnode, dest, p->radix, src, 32, L4_CAP_INIT_CNODE),
              "move capability");
}

void proc_clear_cspace(proc_t *p, l4_word_t first)
{
    for (l4_word_t s = first; s < (1u << p->radix); s++)
        l4_cnode_delete(p->cnode, s, p->radix);
}

void proc_start(proc_t *p, const char *name, l4_word_t fault_ep, l4_word_t arg, l4_word_t prio)
{
    if (!proc_frame_at(p, COMP_IPCBUF_VADDR))
        proc_map_zero(p, COMP_IPCBUF_VADDR, 1, L4_RIGHT_READ | L4_RIGHT_WRITE,
                      L4_ATTR_EXECUTE_NEVER);
    l4_cptr_t ipc = proc_frame_at(p, COMP_IPCBUF_VADDR);
    sys_check(
        l4_tcb_configure(p->tcb, fault_ep, 32 - p->radix, COMP_IPCBUF_VADDR, p->cnode, p->pd, ipc),
        "configure");
    sys_check(l4_tcb_set_name_str(p->tcb, name), "set_name");
    sys_check(l4_tcb_set_mcp(p->tcb, prio, L4_CAP_INIT_TCB), "set_mcp");
    sys_check(l4_tcb_set_priority(p->tcb, prio, L4_CAP_INIT_TCB), "set_priority");
    l4_word_t regs[L4_TCB_MAX_REGS] = {0};
    regs[0] = arg;
    regs[13] = COMP_STACK_TOP;
    regs[15] = p->entry;
    regs[16] = 0x10;
    sys_check(l4_tcb_write_registers(p->tcb, 1, L4_TCB_MAX_REGS, regs), "start");
}
