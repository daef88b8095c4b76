/* SPDX-License-Identifier: BSD-2-Clause */
/* Building a guest (docs/vmm.md): every object comes from VMM_CAP_UNTYPED,
 * so destroying a guest is deleting the VMM's own slots and revoking that
 * untyped; a restart builds everything afresh (zeroed RAM, new vCPU). */
#include <string.h>
#include <l4/elf.h>
#include "previrt.h"
#include "vmm.h"

#define VMM_CNODE COMP_CAP_CNODE
#define GUEST_RIGHTS_RW (L4_RIGHT_READ | L4_RIGHT_WRITE)
/* The info page, in the VMM: above the largest guest RAM (8 MiB). */
#define WINDOW_INFO (VMM_WINDOW + GUEST_RAM_MAX)
/* A pre-virtualised guest's state page, in the VMM (pvdev.c reads it). */
#define WINDOW_STATE (WINDOW_INFO + 0x1000)
/* The guest's console page, in the VMM (console.c). */
#define WINDOW_CONSOLE (WINDOW_INFO + 0x2000)

static l4_word_t fail(const char *what, l4_word_t err)
{
    vmm_printf("cannot build guest: %s failed (error %lu)", what, (unsigned long)err);
    return err;
}

#define TRY(call, what)                                                                            \
    do {                                                                                           \
        l4_word_t e_ = (call);                                                                     \
        if (e_)                                                                                    \
            return fail(what, e_);                                                                 \
    } while (0)

l4_word_t vmm_alloc(vmm_guest_t *g, l4_word_t type, l4_word_t bits, l4_word_t count,
                    l4_cptr_t *slot)
{
    *slot = g->next_slot;
    l4_word_t err = l4_untyped_retype(VMM_CAP_UNTYPED, type, bits, 0, 0, *slot, count, VMM_CNODE);
    if (!err)
        g->next_slot += count;
    return err;
}

l4_cptr_t vmm_slot_new(vmm_guest_t *g)
{
    return g->next_slot++;
}

l4_word_t vmm_map_page(vmm_guest_t *g, l4_cptr_t pd, l4_cptr_t frame, l4_word_t va,
                       l4_word_t rights, l4_word_t attr)
{
    l4_word_t err = l4_frame_map(frame, va, rights, attr, pd);
    if (err == L4_ERR_NOT_MAPPED) {
        l4_cptr_t pt;
        if ((err = vmm_alloc(g, L4_OBJ_PAGE_TABLE, 0, 1, &pt)) ||
            (err = l4_page_table_map(pt, va, 0, pd)))
            return err;
        err = l4_frame_map(frame, va, rights, attr, pd);
    }
    return err;
}

/* A copy of a VMM cap into the guest CNode at `dest`, optionally badged. */
static l4_word_t give(l4_cptr_t cnode, l4_word_t dest, l4_cptr_t src, l4_word_t rights,
                      l4_word_t badge)
{
    if (badge)
        return l4_cnode_mint(cnode, dest, GUEST_CNODE_BITS, src, 32, rights, badge, VMM_CNODE);
    return l4_cnode_copy(cnode, dest, GUEST_CNODE_BITS, src, 32, rights, VMM_CNODE);
}

static l4_word_t build_ram(vmm_guest_t *g, l4_cptr_t cnode, l4_cptr_t pd, l4_cptr_t *first)
{
    const l4_word_t pages = g->cfg->ram_size / 4096;
    l4_cptr_t ram0 = g->next_slot;
    for (l4_word_t k = 0; k < pages; k += 256) {
        l4_cptr_t s;
        TRY(vmm_alloc(g, L4_OBJ_FRAME_4K, 0, 256, &s), "RAM retype");
    }
    for (l4_word_t n = 0; n < pages; n++) {
        l4_cptr_t f = ram0 + n, kmap = vmm_slot_new(g);
        TRY(vmm_map_page(g, COMP_CAP_VSPACE, f, VMM_WINDOW + n * 4096, GUEST_RIGHTS_RW,
                         L4_ATTR_EXECUTE_NEVER),
            "RAM map (VMM)");
        TRY(l4_cnode_copy(VMM_CNODE, kmap, 32, f, 32, L4_RIGHTS_ALL, VMM_CNODE), "RAM copy");
        TRY(vmm_map_page(g, pd, kmap, GUEST_RAM_BASE + n * 4096, GUEST_RIGHTS_RW, 0),
            "RAM map (guest)");
        TRY(give(cnode, GUEST_CAP_RAM + n, f, L4_RIGHTS_ALL, 0), "RAM cap");
    }
    *first = ram0;
    return 0;
}

static void write_info(vmm_guest_t *g)
{
    const vmm_config_t *c = g->cfg;
    l4_word_t *info = (l4_word_t *)WINDOW_INFO;
    memset(info, 0, 4096);
    info[GUEST_INFO_MAGIC] = GUEST_INFO_MAGIC_VALUE;
    info[GUEST_INFO_ID] = c->id;
    info[GUEST_INFO_RAM_BASE] = GUEST_RAM_BASE;
    info[GUEST_INFO_RAM_SIZE] = c->ram_size;
    info[GUEST_INFO_NCHANNELS] = c->nchannels;
    memcpy(&info[GUEST_INFO_NAME], c->name, 16);
    info[GUEST_INFO_BOOT_COUNT] = g->boot_count;
    for (l4_word_t i = 0; i < c->nchannels; i++) {
        info[GUEST_INFO_CHAN_PEER + i] = c->chan_peer[i];
        info[GUEST_INFO_CHAN_END + i] = c->chan_end[i];
    }
    info[GUEST_INFO_NIRQS] = c->nirqs;
    info[GUEST_INFO_LINE_CHAN] = c->line_chan;
    info[GUEST_INFO_LINE_PHYS] = c->line_phys;
    info[GUEST_INFO_LINE_SOFT] = c->line_soft;
    info[GUEST_INFO_NSOFT] = c->nsoft;
    info[GUEST_INFO_TRACE] = vmm_tracing;
    for (l4_word_t k = 0; k < c->nirqs; k++)
        info[GUEST_INFO_IRQ + k] = c->irq[k];
    info[GUEST_INFO_NDEVICES] = c->ndevices;
    for (l4_word_t k = 0; k < c->ndevices; k++) {
        info[GUEST_INFO_DEVICE + 2 * k] = c->device[k].paddr;
        info[GUEST_INFO_DEVICE + 2 * k + 1] = c->device[k].pages * 4096;
    }
}

/* Devices passed through: copies of the VMM's device frames, mapped at
 * their physical addresses (the kernel maps device frames uncached and
 * execute-never whatever is asked). */
static l4_word_t build_devices(vmm_guest_t *g, l4_cptr_t pd)
{
    const vmm_config_t *c = g->cfg;
    for (l4_word_t k = 0; k < c->ndevices; k++) {
        l4_word_t rights = L4_RIGHT_READ | (c->device[k].writable ? L4_RIGHT_WRITE : 0);
        for (l4_word_t i = 0; i < c->device[k].pages; i++) {
            l4_cptr_t f = vmm_slot_new(g);
            TRY(l4_cnode_copy(VMM_CNODE, f, 32, VMM_CAP_DEVICE + c->device[k].first + i, 32, rights,
                              VMM_CNODE),
                "device frame copy");
            TRY(vmm_map_page(g, pd, f, (c->device[k].paddr & ~0xfffu) + i * 4096, rights,
                             L4_ATTR_EXECUTE_NEVER | L4_ATTR_UNCACHED),
                "device map");
        }
    }
    return 0;
}

/* The console page (console.c), fresh (empty rings) at every build: in
 * the guest at GUEST_CONSOLE_VADDR, in the VMM at WINDOW_CONSOLE. The
 * guest signals the VMM's own notification (VMM_CAP_NTFN, the root's,
 * bound to the VMM's thread for good), which the console server signals
 * too when the guest has the console's input. */
static l4_word_t build_console(vmm_guest_t *g, l4_cptr_t pd)
{
    l4_cptr_t page, copy = vmm_slot_new(g);
    TRY(vmm_alloc(g, L4_OBJ_FRAME_4K, 0, 1, &page), "console page");
    TRY(l4_cnode_copy(VMM_CNODE, copy, 32, page, 32, GUEST_RIGHTS_RW, VMM_CNODE), "console copy");
    TRY(vmm_map_page(g, COMP_CAP_VSPACE, copy, WINDOW_CONSOLE, GUEST_RIGHTS_RW,
                     L4_ATTR_EXECUTE_NEVER),
        "console map (VMM)");
    TRY(vmm_map_page(g, pd, page, GUEST_CONSOLE_VADDR, GUEST_RIGHTS_RW, L4_ATTR_EXECUTE_NEVER),
        "console map");
    g->console_line = vmm_slot_new(g);
    TRY(l4_cnode_mint(VMM_CNODE, g->console_line, 32, VMM_CAP_G_NTFN, 32, L4_RIGHT_WRITE,
                      1u << GUEST_IRQ_CONSOLE, VMM_CNODE),
        "console line cap");
    g->console = (serial_queue_t *)WINDOW_CONSOLE;
    return 0;
}

/* The pages above RAM: state, IPC buffer, info (read-only), console,
 * channels. */
static l4_word_t build_pages(vmm_guest_t *g, l4_cptr_t pd, l4_cptr_t *state, l4_cptr_t *ipcbuf)
{
    l4_cptr_t info, info_copy = 0;
    TRY(vmm_alloc(g, L4_OBJ_FRAME_4K, 0, 1, state), "state page");
    TRY(vmm_alloc(g, L4_OBJ_FRAME_4K, 0, 1, ipcbuf), "IPC buffer");
    TRY(vmm_alloc(g, L4_OBJ_FRAME_4K, 0, 1, &info), "info page");
    TRY(vmm_map_page(g, pd, *state, GUEST_STATE_VADDR, GUEST_RIGHTS_RW, L4_ATTR_EXECUTE_NEVER),
        "state map");
    TRY(vmm_map_page(g, pd, *ipcbuf, GUEST_IPCBUF_VADDR, GUEST_RIGHTS_RW, L4_ATTR_EXECUTE_NEVER),
        "IPC buffer map");
    TRY(vmm_map_page(g, COMP_CAP_VSPACE, info, WINDOW_INFO, GUEST_RIGHTS_RW, L4_ATTR_EXECUTE_NEVER),
        "info map (VMM)");
    info_copy = vmm_slot_new(g);
    TRY(l4_cnode_copy(VMM_CNODE, info_copy, 32, info, 32, L4_RIGHT_READ, VMM_CNODE), "info copy");
    TRY(vmm_map_page(g, pd, info_copy, GUEST_INFO_VADDR, L4_RIGHT_READ, L4_ATTR_EXECUTE_NEVER),
        "info map");
    TRY(build_console(g, pd), "console page");
    for (l4_word_t i = 0; i < g->cfg->nchannels; i++) {
        l4_cptr_t page = vmm_slot_new(g);
        TRY(l4_cnode_copy(VMM_CNODE, page, 32, VMM_CAP_CHAN_PAGE + i, 32, GUEST_RIGHTS_RW,
                          VMM_CNODE),
            "channel page copy");
        TRY(vmm_map_page(g, pd, page, GUEST_CHAN_VADDR + 4096 * i, GUEST_RIGHTS_RW,
                         L4_ATTR_EXECUTE_NEVER),
            "channel page map");
    }
    return 0;
}

static l4_word_t build_cspace(vmm_guest_t *g, l4_cptr_t cnode)
{
    const vmm_config_t *c = g->cfg;
    l4_cptr_t dummy;
    (void)dummy;
    if (g->vcpu)
        TRY(give(cnode, GUEST_CAP_VCPU, g->vcpu, L4_RIGHTS_ALL, 0), "VCPU cap");
    TRY(give(cnode, GUEST_CAP_NTFN, VMM_CAP_G_NTFN, L4_RIGHT_READ, 0), "notification cap");
    TRY(give(cnode, GUEST_CAP_CONSOLE, VMM_CAP_G_CONSOLE, L4_RIGHT_WRITE, 0), "console cap");
    if (c->has_timer)
        TRY(give(cnode, GUEST_CAP_TIMER, VMM_CAP_G_TIMER, L4_RIGHT_WRITE, 0), "timer cap");
    TRY(give(cnode, GUEST_CAP_VMM, VMM_CAP_EP, L4_RIGHT_WRITE, c->id), "VMM cap");
    TRY(give(cnode, GUEST_CAP_FAULT, VMM_CAP_EP, L4_RIGHT_WRITE, c->id | VMM_FAULT_BADGE),
        "fault cap");
    TRY(give(cnode, GUEST_CAP_TRACE, VMM_CAP_TRACE, 0, 0), "trace cap");
    TRY(give(cnode, GUEST_CAP_CONSOLE_RING, VMM_CAP_NTFN, L4_RIGHT_WRITE, VMM_SIGNAL_CONSOLE),
        "console ring cap");
    for (l4_word_t k = 0; k < c->nsoft; k++)
        TRY(give(cnode, GUEST_CAP_SELF_IRQ + k, VMM_CAP_G_NTFN, L4_RIGHT_WRITE,
                 1u << (c->line_soft + k)),
            "soft IRQ cap");
    for (l4_word_t i = 0; i < c->nchannels; i++)
        TRY(give(cnode, GUEST_CAP_CHAN + i, VMM_CAP_CHAN_NTFN + i, L4_RIGHT_WRITE, 0),
            "channel cap");
    /* Objects for the guest's own user address spaces, straight into its
     * CNode (a pre-virtualised guest's are the VMM's shadows: previrt.c). */
    l4_cptr_t cn_slot = cnode;
    if (c->previrt)
        return 0;
    TRY(l4_untyped_retype(VMM_CAP_UNTYPED, L4_OBJ_PAGE_DIRECTORY, 0, cn_slot, 32, GUEST_CAP_USER_PD,
                          GUEST_NUM_USER_PD, VMM_CNODE),
        "user page directories");
    TRY(l4_untyped_retype(VMM_CAP_UNTYPED, L4_OBJ_PAGE_TABLE, 0, cn_slot, 32, GUEST_CAP_PT,
                          GUEST_NUM_PT, VMM_CNODE),
        "user page tables");
    return 0;
}

/* A pre-virtualised native image is placed by physical address, as a
 * bare-metal loader does (it starts with its MMU off); a paravirtual one
 * by virtual address (it runs in the VMM's identity map of RAM). */
static elf_place_t guest_placement(const vmm_config_t *c)
{
    return c->previrt ? ELF_AT_PADDR : ELF_AT_VADDR;
}

/* Copy the segments of the checked image into guest RAM (seen through the
 * VMM's window), zeroing each segment's bss part. */
static void load_image(const uint8_t *img, elf_place_t at)
{
    for (unsigned i = 0; i < elf_phnum(img); i++) {
        const elf32_phdr_t *ph = elf_phdr(img, i);
        if (!elf_loadable(ph))
            continue;
        uint8_t *dst = (uint8_t *)VMM_WINDOW + (elf_place(ph, at) - GUEST_RAM_BASE);
        memcpy(dst, img + ph->offset, ph->filesz);
        memset(dst + ph->filesz, 0, ph->memsz - ph->filesz);
    }
}

/* The guest's physical lines straight to its vCPU (docs/vmm.md, "Physical
 * interrupt lines"): line k is virtual line line_phys + k, masked from
 * its delivery until the guest acknowledges it in its resume (virq_ack).
 * The root gave the handlers pointing at the guest's notification (what a
 * guest without a vCPU keeps); a route replaces that. A restart's new vCPU
 * is routed afresh: destroying the old one ended its routes. */
static l4_word_t route_irqs(vmm_guest_t *g)
{
    const vmm_config_t *c = g->cfg;
    for (l4_word_t k = 0; k < g->cfg->nirqs; k++) {
        l4_word_t e = l4_irq_handler_clear(VMM_CAP_IRQ + k);
        if (!e)
            e = l4_irq_handler_route_vcpu(VMM_CAP_IRQ + k, c->line_phys + k, g->vcpu);
        if (e)
            return e;
    }
    return 0;
}

l4_word_t vmm_guest_build(vmm_guest_t *g)
{
    const vmm_config_t *c = g->cfg;
    elf_status_t st = elf_check_at(c->image, c->image_size, GUEST_RAM_BASE,
                                   GUEST_RAM_BASE + c->ram_size, guest_placement(c));
    if (st != ELF_OK) {
        vmm_printf("guest %s: invalid image: %s", c->name, elf_status_name(st));
        return L4_ERR_INVALID_ARGUMENT;
    }
    g->entry = elf_entry(c->image);
    g->next_slot = VMM_CAP_DYN;
    l4_cptr_t cnode, pd, state, ipcbuf, ram0;
    TRY(vmm_alloc(g, L4_OBJ_CNODE, GUEST_CNODE_BITS, 1, &cnode), "CNode");
    TRY(vmm_alloc(g, L4_OBJ_PAGE_DIRECTORY, 0, 1, &pd), "page directory");
    TRY(vmm_alloc(g, L4_OBJ_TCB, 0, 1, &g->tcb), "TCB");
    TRY(l4_tcb_set_name_str(g->tcb, c->name), "tcb_set_name"); /* the kernel's reports name it */
    if (vmm_alloc(g, L4_OBJ_VCPU, 0, 1, &g->vcpu) != L4_ERR_OK) {
        g->vcpu = 0;
        if (g->boot_count == 0)
            vmm_printf("guest %s: the kernel has no VCPU objects: running it as a plain thread",
                       c->name);
    }
    TRY(build_ram(g, cnode, pd, &ram0), "guest RAM");
    TRY(build_pages(g, pd, &state, &ipcbuf), "guest pages");
    TRY(build_devices(g, pd), "guest devices");
    TRY(build_cspace(g, cnode), "guest CSpace");
    if (c->previrt)
        TRY(previrt_build(g, cnode, state, ram0), "pre-virtualisation");
    TRY(l4_tcb_configure(g->tcb, GUEST_CAP_FAULT, 32 - GUEST_CNODE_BITS, GUEST_IPCBUF_VADDR, cnode,
                         pd, ipcbuf),
        "tcb_configure");
    /* A pre-virtualised guest's traps come with its registers, and the
     * emulation's reply takes them back (previrt_kernel_fault). */
    if (c->previrt)
        TRY(l4_tcb_set_fault_regs(g->tcb, 1), "tcb_set_fault_regs");
    TRY(l4_tcb_set_priority(g->tcb, c->priority, COMP_CAP_TCB), "tcb_set_priority");
    TRY(l4_tcb_bind_notification(g->tcb, VMM_CAP_G_NTFN), "tcb_bind_notification");
    if (g->vcpu) {
        TRY(l4_vcpu_bind(g->vcpu, g->tcb, state), "vcpu_bind");
        TRY(route_irqs(g), "route_vcpu");
    }
    load_image(c->image, guest_placement(c));
    write_info(g);
    return 0;
}

l4_word_t vmm_guest_start(vmm_guest_t *g)
{
    l4_word_t regs[L4_TCB_MAX_REGS] = {0};
    regs[0] = GUEST_INFO_VADDR;
    regs[13] = GUEST_RAM_BASE + g->cfg->ram_size;
    regs[15] = g->entry;
    regs[16] = 0x10; /* user mode, ARM state */
    TRY(l4_tcb_write_registers(g->tcb, 1, L4_TCB_MAX_REGS, regs), "write_registers");
    g->running = 1;
    return 0;
}

void vmm_guest_destroy(vmm_guest_t *g)
{
    if (g->tcb)
        l4_tcb_suspend(g->tcb);
    vmm_console_drain(g);      /* what the guest published before it stopped */
    vmm_console_keep_input(g); /* typed, not yet taken: for the next instance */
    g->console = 0;
    for (l4_cptr_t s = VMM_CAP_DYN; s < g->next_slot; s++)
        l4_cnode_delete(VMM_CNODE, s, 32);
    l4_cnode_revoke(VMM_CNODE, VMM_CAP_UNTYPED, 32);
    l4_word_t bits;
    l4_poll(VMM_CAP_G_NTFN, &bits); /* drop interrupts of the old instance */
    g->next_slot = VMM_CAP_DYN;
    g->tcb = g->vcpu = 0;
    g->running = 0;
}

/*
 * What a pre-virtualised guest needs beyond a paravirtual one: the state
 * page in the VMM's window (the vGIC looks at virq_enabled), its
 * notification badged with the GIC line, shadow page directories (VMM
 * slots, copied into the guest's CSpace for vcpu_resume) and the pool of
 * slots for shadow mappings.
 */
l4_word_t previrt_build(vmm_guest_t *g, l4_cptr_t cnode, l4_cptr_t state, l4_cptr_t ram0)
{
    pv_vm_t *v = &pv_vm;
    l4_cptr_t state_copy = vmm_slot_new(g), pds;

    memset(v, 0, sizeof(*v));
    v->ram0 = ram0;
    TRY(l4_cnode_copy(VMM_CNODE, state_copy, 32, state, 32, GUEST_RIGHTS_RW, VMM_CNODE),
        "state copy");
    TRY(vmm_map_page(g, COMP_CAP_VSPACE, state_copy, WINDOW_STATE, GUEST_RIGHTS_RW,
                     L4_ATTR_EXECUTE_NEVER),
        "state map (VMM)");
    v->state = (volatile l4_word_t *)WINDOW_STATE;
    v->gic_line = vmm_slot_new(g);
    TRY(l4_cnode_mint(VMM_CNODE, v->gic_line, 32, VMM_CAP_G_NTFN, 32, L4_RIGHT_WRITE,
                      1u << PREVIRT_LINE_GIC, VMM_CNODE),
        "GIC line cap");
    TRY(vmm_alloc(g, L4_OBJ_PAGE_DIRECTORY, 0, GUEST_NUM_USER_PD, &pds), "shadow directories");
    for (unsigned k = 0; k < GUEST_NUM_USER_PD; k++) {
        v->shadow[k].pd = pds + k;
        v->shadow[k].cptr = GUEST_CAP_USER_PD + k;
        TRY(give(cnode, GUEST_CAP_USER_PD + k, pds + k, L4_RIGHTS_ALL, 0), "shadow directory cap");
    }
    for (unsigned i = 0; i < sizeof(v->pool) / sizeof(v->pool[0]); i++)
        v->pool[v->npool++] = vmm_slot_new(g);
    return 0;
}
