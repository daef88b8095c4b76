/* SPDX-License-Identifier: BSD-2-Clause */
/* Build the root task from the ELF image embedded in the boot image: its
 * address space, segments, stack, IPC buffer, boot-info page and thread. */
#include <arch.h>
#include <boot.h>
#include <elf.h>
#include <l4/abi.h>
#include <panic.h>
#include <printk.h>
#include <sched.h>
#include <string.h>
#include <vm.h>

#define PAGE_SIZE 4096u
#define ROOT_ASID 1u

static void *alloc_pt(void)
{
    return bootmem_alloc(10);
}

static paddr_t map_new_page(uint32_t *pd, vaddr_t va, uint32_t vm, uint8_t **kptr)
{
    uint8_t *frame = bootmem_alloc(12);
    paddr_t old = arch_boot_map_page(pd, va, kptr_to_paddr(frame), vm | VM_USER, alloc_pt);
    /* The frame is not reclaimed if the page was already mapped: boot memory
     * is never freed, and overlapping segments are rare (one page at most). */
    *kptr = old ? paddr_to_kptr(old) : frame;
    return old ? old : kptr_to_paddr(frame);
}

static void load_segment(uint32_t *pd, const uint8_t *image, const elf32_phdr_t *ph)
{
    uint32_t vm = VM_READ | ((ph->flags & ELF_PF_W) ? VM_WRITE : 0) |
                  ((ph->flags & ELF_PF_X) ? VM_EXEC : 0);
    vaddr_t start = ph->vaddr & ~(PAGE_SIZE - 1);
    for (vaddr_t va = start; va < ph->vaddr + ph->memsz; va += PAGE_SIZE) {
        uint8_t *page;
        map_new_page(pd, va, vm, &page);
        /* copy the part of [vaddr, vaddr+filesz) that falls in this page */
        for (vaddr_t a = va; a < va + PAGE_SIZE; a++) {
            if (a >= ph->vaddr && a - ph->vaddr < ph->filesz)
                page[a - va] = image[ph->offset + (a - ph->vaddr)];
        }
        if (vm & VM_EXEC)
            arch_sync_icache_range((uintptr_t)page, PAGE_SIZE);
    }
}

tcb_t *boot_create_root_task(const uint8_t *image, size_t len)
{
    elf_status_t st = elf_check(image, len, L4_ROOT_BOOTINFO);
    if (st != ELF_OK)
        panic("root task image: %s", elf_status_name(st));
    const elf32_ehdr_t *eh = (const elf32_ehdr_t *)image;
    uint32_t *pd = bootmem_alloc(13);
    for (unsigned i = 0; i < eh->phnum; i++) {
        const elf32_phdr_t *ph = elf_phdr(image, i);
        if (ph->type == ELF_PT_LOAD && ph->memsz)
            load_segment(pd, image, ph);
    }
    uint8_t *page;
    for (unsigned i = 1; i <= L4_ROOT_STACK_PAGES; i++)
        map_new_page(pd, L4_ROOT_STACK_TOP - i * PAGE_SIZE, VM_READ | VM_WRITE, &page);
    map_new_page(pd, L4_ROOT_IPC_BUFFER, VM_READ | VM_WRITE, &page);
    map_new_page(pd, L4_ROOT_BOOTINFO, VM_READ | VM_WRITE, &page);
    word_t *bi = (word_t *)page;
    bi[L4_BOOTINFO_MAGIC] = L4_BOOTINFO_MAGIC_VALUE;
    bi[L4_BOOTINFO_IPC_BUFFER] = L4_ROOT_IPC_BUFFER;

    tcb_t *t = bootmem_alloc(10);
    arch_context_init(&t->ctx, eh->entry, L4_ROOT_STACK_TOP);
    t->ctx.r[0] = L4_ROOT_BOOTINFO;
    t->vspace_pd = kptr_to_paddr(pd);
    t->asid = ROOT_ASID;
    t->ipc_buffer = L4_ROOT_IPC_BUFFER;
    t->priority = t->mcp = NUM_PRIORITIES - 1;
    t->time_slice = TIME_SLICE_TICKS;
    memcpy(t->name, "root", 5);
    t->state = THREAD_RUNNABLE;
    sched_enqueue(t);
    return t;
}
