/* SPDX-License-Identifier: BSD-2-Clause */
/* Build the root task from the ELF image embedded in the boot image: its
 * CSpace (a root CNode with the well-known caps, untyped caps for all free
 * memory and device untypeds for the board's devices), its address space,
 * segments, stack, IPC buffer, boot-info page and thread. Everything here
 * comes from boot memory; the rest becomes untyped. */
#include <arch.h>
#include <boot.h>
#include <l4/abi.h>
#include <l4/elf.h>
#include <object/lifecycle.h>
#include <object/vspace.h>
#include <panic.h>
#include <printk.h>
#include <registry.h>
#include <sched.h>
#include <string.h>
#include <vm.h>

#define PAGE_SIZE 4096u
#define ROOT_UNTYPED_FIRST 16u
#define ROOT_UNTYPED_MAX 64u
#define UNTYPED_MAX_BITS 28u
#define UNTYPED_MIN_BITS 12u

static void *alloc_pt(void)
{
    return bootmem_alloc(L4_OBJ_PAGE_TABLE_BITS);
}

static uint8_t *map_new_page(pd_t *pd, vaddr_t va, uint32_t vm)
{
    uint8_t *frame = bootmem_alloc(12);
    paddr_t old = arch_boot_map_page(pd->pde, va, kptr_to_paddr(frame), vm | VM_USER, alloc_pt);
    /* An already mapped page (segments sharing a page) keeps its frame; the
     * new one is left unused: boot memory is never freed. */
    return old ? paddr_to_kptr(old) : frame;
}

static void load_segment(pd_t *pd, const uint8_t *image, const elf32_phdr_t *ph)
{
    uint32_t vm =
        VM_READ | ((ph->flags & ELF_PF_W) ? VM_WRITE : 0) | ((ph->flags & ELF_PF_X) ? VM_EXEC : 0);
    vaddr_t start = ph->vaddr & ~(PAGE_SIZE - 1);
    for (vaddr_t va = start; va < ph->vaddr + ph->memsz; va += PAGE_SIZE) {
        uint8_t *page = map_new_page(pd, va, vm);
        for (vaddr_t a = va; a < va + PAGE_SIZE; a++)
            if (a >= ph->vaddr && a - ph->vaddr < ph->filesz)
                page[a - va] = image[ph->offset + (a - ph->vaddr)];
        if (vm & VM_EXEC)
            arch_sync_icache_range((uintptr_t)page, PAGE_SIZE);
    }
}

static void root_slot_set(cte_t *cnode, word_t i, cap_t c)
{
    cdt_insert_child(NULL, &cnode[i], &c);
}

/* Hand all memory from `start` to the end of RAM out as untyped caps. */
static word_t boot_create_untyped(cte_t *cnode, word_t *bi, uintptr_t start, uintptr_t end)
{
    word_t n = 0;
    start = ROUND_UP(start, UNTYPED_MIN_BITS);
    while (start < end && n < ROOT_UNTYPED_MAX) {
        unsigned bits = UNTYPED_MAX_BITS;
        while (bits > UNTYPED_MIN_BITS && (!IS_ALIGNED(start, bits) || start + BIT(bits) > end))
            bits--;
        if (start + BIT(bits) > end)
            break;
        root_slot_set(cnode, ROOT_UNTYPED_FIRST + n,
                      (cap_t){.type = L4_OBJ_UNTYPED,
                              .rights = L4_RIGHTS_ALL,
                              .bits = (uint8_t)bits,
                              .obj = start});
        bi[L4_BOOTINFO_UNTYPED_LIST + n] = kptr_to_paddr((void *)start) | bits;
        start += BIT(bits);
        n++;
    }
    return n;
}

tcb_t *boot_create_root_task(const uint8_t *image, size_t len)
{
    /* Page 0 stays unmapped (NULL dereferences fault); the boot-info page
     * and everything above it are the kernel's to place. */
    elf_status_t st = elf_check(image, len, PAGE_SIZE, L4_ROOT_BOOTINFO);
    if (st != ELF_OK)
        panic("root task image: %s", elf_status_name(st));

    cte_t *cnode = bootmem_alloc(L4_ROOT_CNODE_BITS + CTE_BITS);
    cap_t cnode_cap = {.type = L4_OBJ_CNODE,
                       .rights = L4_RIGHTS_ALL,
                       .bits = L4_ROOT_CNODE_BITS,
                       .guard_bits = 32 - L4_ROOT_CNODE_BITS,
                       .obj = (uintptr_t)cnode};
    pd_t *pd = bootmem_alloc(L4_OBJ_PAGE_DIRECTORY_BITS);
    cap_t pd_cap = {.type = L4_OBJ_PAGE_DIRECTORY, .rights = L4_RIGHTS_ALL, .obj = (uintptr_t)pd};
    vspace_pd_init(&pd_cap);

    for (unsigned i = 0; i < elf_phnum(image); i++) {
        const elf32_phdr_t *ph = elf_phdr(image, i);
        if (elf_loadable(ph))
            load_segment(pd, image, ph);
    }
    for (unsigned i = 1; i <= L4_ROOT_STACK_PAGES; i++)
        map_new_page(pd, L4_ROOT_STACK_TOP - i * PAGE_SIZE, VM_READ | VM_WRITE);
    uint8_t *ipcbuf = map_new_page(pd, L4_ROOT_IPC_BUFFER, VM_READ | VM_WRITE);
    word_t *bi = (word_t *)map_new_page(pd, L4_ROOT_BOOTINFO, VM_READ | VM_WRITE);
    tcb_t *t = bootmem_alloc(L4_OBJ_TCB_BITS);
    registry_add(t);

    root_slot_set(cnode, L4_CAP_INIT_TCB,
                  (cap_t){.type = L4_OBJ_TCB, .rights = L4_RIGHTS_ALL, .obj = (uintptr_t)t});
    root_slot_set(cnode, L4_CAP_INIT_CNODE, cnode_cap);
    root_slot_set(cnode, L4_CAP_INIT_VSPACE, pd_cap);
    root_slot_set(cnode, L4_CAP_IRQ_CONTROL,
                  (cap_t){.type = L4_OBJ_IRQ_CONTROL, .rights = L4_RIGHTS_ALL});
    root_slot_set(cnode, L4_CAP_MACHINE, (cap_t){.type = L4_OBJ_MACHINE, .rights = L4_RIGHTS_ALL});
    /* The IPC buffer's cap owns its boot mapping, like any mapped frame cap
     * (it can be unmapped through it, and cannot be mapped a second time). */
    root_slot_set(cnode, L4_CAP_INIT_IPC_BUFFER,
                  (cap_t){.type = L4_OBJ_FRAME_4K,
                          .rights = L4_RIGHTS_ALL,
                          .obj = (uintptr_t)ipcbuf,
                          .data = L4_ROOT_IPC_BUFFER | pd_cap.data});
    pt_t *ipc_pt = paddr_to_kptr(pd->pde[mmu_pd_index(L4_ROOT_IPC_BUFFER)] & PDE_TABLE_BASE_MASK);
    ipc_pt->shadow[mmu_pt_index(L4_ROOT_IPC_BUFFER)] = &cnode[L4_CAP_INIT_IPC_BUFFER];
    tcb_slot_set(t, TCB_SLOT_CSPACE, &cnode[L4_CAP_INIT_CNODE], cnode_cap);
    tcb_slot_set(t, TCB_SLOT_VSPACE, &cnode[L4_CAP_INIT_VSPACE], pd_cap);
    tcb_slot_set(t, TCB_SLOT_IPC_BUFFER, &cnode[L4_CAP_INIT_IPC_BUFFER],
                 cap_derive(&cnode[L4_CAP_INIT_IPC_BUFFER].cap));

    bi[L4_BOOTINFO_MAGIC] = L4_BOOTINFO_MAGIC_VALUE;
    bi[L4_BOOTINFO_IPC_BUFFER] = L4_ROOT_IPC_BUFFER;
    bi[L4_BOOTINFO_UNTYPED_FIRST] = ROOT_UNTYPED_FIRST;
    word_t nut = boot_create_untyped(cnode, bi, bootmem_free_start(),
                                     (uintptr_t)paddr_to_kptr(PLAT_PHYS_BASE + PLAT_PHYS_SIZE));
    bi[L4_BOOTINFO_UNTYPED_COUNT] = nut;
    word_t ndev = boot_create_device_untyped(cnode, bi, ROOT_UNTYPED_FIRST + nut);
    bi[L4_BOOTINFO_EMPTY_FIRST] = ROOT_UNTYPED_FIRST + nut + ndev;
    bi[L4_BOOTINFO_EMPTY_LAST] = BIT(L4_ROOT_CNODE_BITS);

    arch_context_init(&t->ctx, elf_entry(image), L4_ROOT_STACK_TOP);
    t->ctx.r[0] = L4_ROOT_BOOTINFO;
    t->vspace_pd = kptr_to_paddr(pd);
    t->asid = pd_cap.data;
    t->ipc_buffer = L4_ROOT_IPC_BUFFER;
    t->ipc_buffer_kptr = (word_t *)ipcbuf;
    t->priority = t->mcp = NUM_PRIORITIES - 1;
    t->time_slice = TIME_SLICE_TICKS;
    memcpy(t->name, "root", 5);
    t->state = THREAD_RUNNABLE;
    sched_enqueue(t);
    printk("[kernel] root task: %u untyped caps, %u KiB free\n", nut,
           (unsigned)(((uintptr_t)paddr_to_kptr(PLAT_PHYS_BASE + PLAT_PHYS_SIZE) -
                       ROUND_UP(bootmem_free_start(), UNTYPED_MIN_BITS)) >>
                      10));
    return t;
}
