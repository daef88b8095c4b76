/* SPDX-License-Identifier: BSD-2-Clause */
/* Device untypeds (docs/api.md section 4): the board's MMIO ranges reach the
 * root task as untyped caps that become frames only, are never cleared,
 * never hold kernel objects, and whose frames are mapped execute-never
 * whatever the attributes say (and uncached: QEMU does not model the
 * difference, so test/unit/test_mmu.c checks the descriptors); such a frame is
 * never an IPC buffer or a vCPU state page. The watermark and revoke work
 * as for RAM untypeds. Devices touched: the PL011 (read only: the kernel
 * console lives there), the PL031 RTC, the flash banks, the virtio window. */
#include "util.h"

#define V L4_CAP_INIT_VSPACE
#define RW (L4_RIGHT_READ | L4_RIGHT_WRITE)
#define VA(n) (UTIL_VADDR_TEST + (n)*UTIL_MB)
#define FS(fsr) ((fsr)&0x40fu) /* fault status: FSR[10] and FSR[3:0] */

#define UART_PADDR 0x09000000u
#define RTC_PADDR 0x09010000u
#define VIRTIO_PADDR 0x0a000000u
#define FLASH_PADDR 0x00000000u
#define PL011_CR 0x30u
#define PL011_CR_UARTEN 0x1u
#define PL011_CR_TXE 0x100u
#define PL031_DR 0x000u
#define PRIMECELL_ID 0xff0u /* PrimeCell ID registers 0..3 (bytes 0x0d 0xf0 0x05 0xb1) */

static const l4_word_t *bi(void)
{
    return l4_bootinfo;
}

/* The slot of the device untyped that starts at paddr with 2^bits bytes;
 * the test fails if there is none. Its watermark is reset first (a revoke
 * of a cap whose children an earlier test deleted), so objects start at
 * its base. */
static l4_cptr_t dev_untyped(l4_word_t paddr, l4_word_t bits)
{
    for (l4_word_t i = 0; i < bi()[L4_BOOTINFO_DEVICE_UNTYPED_COUNT]; i++) {
        l4_word_t d = bi()[L4_BOOTINFO_DEVICE_UNTYPED_LIST + i];
        if ((d & ~L4_BOOTINFO_SIZE_MASK) == paddr && (d & L4_BOOTINFO_SIZE_MASK) == bits) {
            l4_cptr_t s = bi()[L4_BOOTINFO_DEVICE_UNTYPED_FIRST] + i;
            CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, s, 32), L4_ERR_OK);
            return s;
        }
    }
    CHECK(!"no device untyped at that address");
    return 0;
}

static l4_word_t retype(l4_cptr_t ut, l4_word_t type, l4_word_t bits, l4_cptr_t slot,
                        l4_word_t count)
{
    return l4_untyped_retype(ut, type, bits, 0, 0, slot, count, L4_CAP_INIT_CNODE);
}

static l4_cptr_t dev_frame(l4_cptr_t ut, l4_word_t type)
{
    l4_cptr_t f = util_slot();
    CHECK_EQ(retype(ut, type, 0, f, 1), L4_ERR_OK);
    return f;
}

static volatile l4_word_t *reg(l4_word_t va, l4_word_t off)
{
    return (volatile l4_word_t *)(va + off);
}

/* Threads that touch an address: arg[0] the address; r[8] started. */
static void do_jump(util_thread_t *t)
{
    t->r[8] = 1;
    t->r[0] = ((l4_word_t(*)(void))t->arg[0])();
}
static void do_load(util_thread_t *t)
{
    t->r[8] = 1;
    t->r[0] = *(volatile l4_word_t *)t->arg[0];
}

/* Run fn(addr) in a thread whose faults go to a fresh endpoint; returns the
 * fault message (label 0 if the thread finished without one). */
static l4_msg_t fault_of(util_thread_fn fn, l4_word_t addr)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(fn, UTIL_PRIO_HIGH, util_mint(ep, L4_RIGHT_WRITE, 1));
    t->arg[0] = addr;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    l4_msg_t m = {0};
    if (l4_nbrecv(ep, &m) != L4_ERR_OK)
        m.info = 0;
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
    return m;
}

TEST(device_untypeds_are_described_by_bootinfo)
{
    l4_word_t n = bi()[L4_BOOTINFO_DEVICE_UNTYPED_COUNT];
    l4_word_t first = bi()[L4_BOOTINFO_DEVICE_UNTYPED_FIRST];
    CHECK(n > 0 && n <= L4_DEVICE_UNTYPED_MAX);
    /* After the RAM untypeds, before the empty range. */
    CHECK_EQ(first, bi()[L4_BOOTINFO_UNTYPED_FIRST] + bi()[L4_BOOTINFO_UNTYPED_COUNT]);
    CHECK(first + n <= bi()[L4_BOOTINFO_EMPTY_FIRST]);
    int uart = 0, rtc = 0, virtio = 0, gpio = 0;
    l4_word_t prev_end = 0;
    for (l4_word_t i = 0; i < n; i++) {
        l4_word_t d = bi()[L4_BOOTINFO_DEVICE_UNTYPED_LIST + i];
        l4_word_t pa = d & ~L4_BOOTINFO_SIZE_MASK, bits = d & L4_BOOTINFO_SIZE_MASK;
        CHECK(bits >= 12 && bits <= 28);
        CHECK_EQ(pa & ((1u << bits) - 1), 0); /* aligned to its size */
        CHECK(i == 0 || pa >= prev_end);      /* ascending, disjoint */
        prev_end = pa + (1u << bits);
        /* Not RAM, not the GIC (0x08000000-0x08ffffff: the kernel's). */
        CHECK(prev_end <= 0x40000000u);
        CHECK(prev_end <= 0x08000000u || pa >= 0x09000000u);
        uart |= pa == UART_PADDR && bits == 12;
        rtc |= pa == RTC_PADDR && bits == 12;
        gpio |= pa == 0x09030000u && bits == 12;
        virtio |= pa == VIRTIO_PADDR && bits == 14;
        CHECK(!util_slot_is_empty(first + i));
    }
    CHECK(uart && rtc && gpio && virtio);
    /* The boot-info page ends with the list. */
    CHECK_EQ(L4_BOOTINFO_DEVICE_UNTYPED_LIST + L4_DEVICE_UNTYPED_MAX, 128);
}

TEST(device_untyped_becomes_frames_of_every_size_at_its_physical_address)
{
    l4_cptr_t flash = dev_untyped(FLASH_PADDR, 27);
    l4_word_t pa = 1;
    l4_cptr_t f1m = dev_frame(flash, L4_OBJ_FRAME_1M);
    CHECK_EQ(l4_frame_get_address(f1m, &pa), L4_ERR_OK);
    CHECK_EQ(pa, FLASH_PADDR);
    l4_cptr_t f64 = dev_frame(flash, L4_OBJ_FRAME_64K);
    CHECK_EQ(l4_frame_get_address(f64, &pa), L4_ERR_OK);
    CHECK_EQ(pa, FLASH_PADDR + 0x100000u);
    l4_cptr_t f4 = dev_frame(flash, L4_OBJ_FRAME_4K);
    CHECK_EQ(l4_frame_get_address(f4, &pa), L4_ERR_OK);
    CHECK_EQ(pa, FLASH_PADDR + 0x110000u);
    /* Consecutive frames from the virtio window: one per 4 KiB, in order. */
    l4_cptr_t virtio = dev_untyped(VIRTIO_PADDR, 14), s = util_slots(4);
    CHECK_EQ(retype(virtio, L4_OBJ_FRAME_4K, 0, s, 4), L4_ERR_OK);
    for (l4_word_t i = 0; i < 4; i++) {
        CHECK_EQ(l4_frame_get_address(s + i, &pa), L4_ERR_OK);
        CHECK_EQ(pa, VIRTIO_PADDR + 0x1000u * i);
    }
}

TEST(device_untyped_retype_into_any_other_type_is_illegal_operation)
{
    static const l4_word_t types[][2] = {
        {L4_OBJ_UNTYPED, 12},     {L4_OBJ_TCB, 0},     {L4_OBJ_ENDPOINT, 0},
        {L4_OBJ_NOTIFICATION, 0}, {L4_OBJ_CNODE, 4},   {L4_OBJ_PAGE_DIRECTORY, 0},
        {L4_OBJ_PAGE_TABLE, 0},   {L4_OBJ_VCPU, 0},    {L4_OBJ_UNTYPED, 4},
        {L4_OBJ_CNODE, 1},        {L4_OBJ_UNTYPED, 28}};
    l4_cptr_t flash = dev_untyped(FLASH_PADDR, 27), s = util_slot();
    for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++)
        CHECK_EQ(retype(flash, types[i][0], types[i][1], s, 1), L4_ERR_ILLEGAL_OPERATION);
    CHECK(util_slot_is_empty(s));
    /* Argument errors keep their precedence: an unknown type, a bad size. */
    CHECK_EQ(retype(flash, 99, 0, s, 1), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(retype(flash, L4_OBJ_IRQ_HANDLER, 0, s, 1), L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(retype(flash, L4_OBJ_UNTYPED, 3, s, 1), L4_ERR_RANGE_ERROR);
    CHECK_EQ(retype(flash, L4_OBJ_CNODE, 0, s, 1), L4_ERR_RANGE_ERROR);
    CHECK(util_slot_is_empty(s));
    /* Nothing moved the watermark: the next frame is at the base. */
    l4_word_t pa = 1;
    CHECK_EQ(l4_frame_get_address(dev_frame(flash, L4_OBJ_FRAME_4K), &pa), L4_ERR_OK);
    CHECK_EQ(pa, FLASH_PADDR);
}

TEST(device_untyped_watermark_exhaustion_and_reuse_after_revoke)
{
    l4_cptr_t virtio = dev_untyped(VIRTIO_PADDR, 14), s = util_slots(5);
    CHECK_EQ(retype(virtio, L4_OBJ_FRAME_64K, 0, s, 1), L4_ERR_NOT_ENOUGH_MEMORY); /* 16 KiB */
    CHECK_EQ(retype(virtio, L4_OBJ_FRAME_4K, 0, s, 4), L4_ERR_OK);
    CHECK_EQ(retype(virtio, L4_OBJ_FRAME_4K, 0, s + 4, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    /* Deleting the frames does not free the memory; revoke does. */
    for (l4_word_t i = 0; i < 4; i++)
        util_delete(s + i);
    CHECK_EQ(retype(virtio, L4_OBJ_FRAME_4K, 0, s, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    CHECK_EQ(retype(virtio, L4_OBJ_FRAME_4K, 0, s, 1), L4_ERR_NOT_ENOUGH_MEMORY);
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, virtio, 32), L4_ERR_OK);
    CHECK_EQ(retype(virtio, L4_OBJ_FRAME_4K, 0, s, 4), L4_ERR_OK);
    l4_word_t pa = 1;
    CHECK_EQ(l4_frame_get_address(s, &pa), L4_ERR_OK);
    CHECK_EQ(pa, VIRTIO_PADDR);
    /* Revoke removes every frame, mapped ones included. */
    util_page_table_at(VA(1));
    CHECK_EQ(l4_frame_map(s + 1, VA(1), RW, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, virtio, 32), L4_ERR_OK);
    CHECK(util_slot_is_empty(s) && util_slot_is_empty(s + 3));
    l4_msg_t m = fault_of(do_load, VA(1));
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(m.mr[1], VA(1));
}

TEST(device_untyped_cannot_be_copied_only_moved)
{
    l4_cptr_t rtc = dev_untyped(RTC_PADDR, 12), s = util_slot();
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, s, 32, rtc, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_cnode_mint(L4_CAP_INIT_CNODE, s, 32, rtc, 32, L4_RIGHTS_ALL, 0, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_cnode_move(L4_CAP_INIT_CNODE, s, 32, rtc, 32, L4_CAP_INIT_CNODE), L4_ERR_OK);
    /* Moved, it is still device memory: frames only, at the same address. */
    l4_cptr_t f = util_slot();
    CHECK_EQ(retype(s, L4_OBJ_ENDPOINT, 0, f, 1), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(retype(s, L4_OBJ_FRAME_4K, 0, f, 1), L4_ERR_OK);
    l4_word_t pa = 1;
    CHECK_EQ(l4_frame_get_address(f, &pa), L4_ERR_OK);
    CHECK_EQ(pa, RTC_PADDR);
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, s, 32), L4_ERR_OK);
    CHECK_EQ(l4_cnode_move(L4_CAP_INIT_CNODE, rtc, 32, s, 32, L4_CAP_INIT_CNODE), L4_ERR_OK);
}

TEST(device_frame_retype_and_map_leave_the_registers_untouched)
{
    /* Clearing would zero the PL011's control register (and silence the
     * kernel console) and reset the RTC's time: neither happens. */
    l4_cptr_t uart = dev_untyped(UART_PADDR, 12), rtc = dev_untyped(RTC_PADDR, 12);
    l4_cptr_t fu = dev_frame(uart, L4_OBJ_FRAME_4K), fr = dev_frame(rtc, L4_OBJ_FRAME_4K);
    util_page_table_at(VA(2));
    CHECK_EQ(l4_frame_map(fu, VA(2), L4_RIGHT_READ, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(fr, VA(2) + 0x1000, L4_RIGHT_READ, 0, V), L4_ERR_OK);
    CHECK_EQ(*reg(VA(2), PL011_CR) & (PL011_CR_UARTEN | PL011_CR_TXE),
             PL011_CR_UARTEN | PL011_CR_TXE);
    for (l4_word_t i = 0; i < 4; i++) {
        static const l4_word_t cell_id[4] = {0x0d, 0xf0, 0x05, 0xb1};
        CHECK_EQ(*reg(VA(2), PRIMECELL_ID + 4 * i) & 0xff, cell_id[i]);
        CHECK_EQ(*reg(VA(2) + 0x1000, PRIMECELL_ID + 4 * i) & 0xff, cell_id[i]);
    }
    CHECK(*reg(VA(2) + 0x1000, PL031_DR) > 1000000000u); /* seconds since 1970: host time */
    /* Revoked and retyped again: still the live registers. */
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, uart, 32), L4_ERR_OK);
    fu = dev_frame(uart, L4_OBJ_FRAME_4K);
    CHECK_EQ(l4_frame_map(fu, VA(2) + 0x2000, L4_RIGHT_READ, 0, V), L4_ERR_OK);
    CHECK_EQ(*reg(VA(2) + 0x2000, PL011_CR) & PL011_CR_UARTEN, PL011_CR_UARTEN);
}

TEST(device_frame_is_execute_never_whatever_the_attributes)
{
    l4_cptr_t flash = dev_untyped(FLASH_PADDR, 27);
    util_page_table_at(VA(3));
    l4_cptr_t f = dev_frame(flash, L4_OBJ_FRAME_4K), c = util_copy(f, L4_RIGHTS_ALL);
    l4_cptr_t big = dev_frame(flash, L4_OBJ_FRAME_1M);
    CHECK_EQ(l4_frame_map(f, VA(3), RW, 0, V), L4_ERR_OK); /* asks for executable */
    CHECK_EQ(l4_frame_map(c, VA(3) + 0x1000, L4_RIGHT_READ, 0, V), L4_ERR_OK); /* a copy */
    CHECK_EQ(l4_frame_map(big, VA(4), L4_RIGHT_READ, 0, V), L4_ERR_OK);        /* a section */
    static const l4_word_t targets[] = {VA(3), VA(3) + 0x1000, VA(4) + 0x40};
    for (unsigned i = 0; i < 3; i++) {
        l4_msg_t m = fault_of(do_jump, targets[i]);
        CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
        CHECK_EQ(m.mr[0], targets[i]);
        CHECK_EQ(m.mr[1], targets[i]);
        CHECK_EQ(m.mr[3], 1);                            /* an instruction fetch */
        CHECK(FS(m.mr[2]) == 0xd || FS(m.mr[2]) == 0xf); /* permission fault */
    }
    /* The data side works: the two mappings of the first flash page read
     * alike (QEMU leaves the device tree blob there). */
    CHECK_EQ(*reg(VA(3), 0), *reg(VA(3) + 0x1000, 0));
    CHECK_EQ(*reg(VA(3), 0x40), *reg(VA(3) + 0x1000, 0x40));
    (void)*reg(VA(4), 0x40);
}

TEST(device_frame_cannot_be_an_ipc_buffer)
{
    l4_cptr_t rtc = dev_untyped(RTC_PADDR, 12), f = dev_frame(rtc, L4_OBJ_FRAME_4K);
    util_page_table_at(VA(6));
    CHECK_EQ(l4_frame_map(f, VA(6), RW, 0, V), L4_ERR_OK);
    l4_cptr_t t = util_new(L4_OBJ_TCB, 0);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, VA(6), L4_CAP_INIT_CNODE, V, f), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, VA(6), L4_CAP_INIT_CNODE, V, util_copy(f, RW)),
             L4_ERR_INVALID_CAPABILITY);
    /* The same call with a RAM frame works; with no buffer, a device frame
     * given as the (unused) frame argument is ignored as before. */
    l4_cptr_t ram = util_map_new_frame(VA(6) + 0x1000);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, VA(6) + 0x1000, L4_CAP_INIT_CNODE, V, ram), L4_ERR_OK);
    CHECK_EQ(l4_tcb_configure(t, 0, 0, 0, L4_CAP_INIT_CNODE, V, f), L4_ERR_OK);
}

TEST(device_frame_cannot_be_a_vcpu_state_page)
{
    l4_cptr_t rtc = dev_untyped(RTC_PADDR, 12), f = dev_frame(rtc, L4_OBJ_FRAME_4K);
    l4_cptr_t vcpu = util_new(L4_OBJ_VCPU, 0), t = util_new(L4_OBJ_TCB, 0);
    CHECK_EQ(l4_vcpu_bind(vcpu, t, f), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_vcpu_bind(vcpu, t, util_copy(f, RW)), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_vcpu_bind(vcpu, t, util_new(L4_OBJ_FRAME_4K, 0)), L4_ERR_OK);
}

TEST(device_frame_unmap_and_delete_remove_the_mapping)
{
    l4_cptr_t uart = dev_untyped(UART_PADDR, 12), f = dev_frame(uart, L4_OBJ_FRAME_4K);
    util_page_table_at(VA(7));
    CHECK_EQ(l4_frame_map(f, VA(7), L4_RIGHT_READ, 0, V), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, VA(7) + 0x1000, L4_RIGHT_READ, 0, V), L4_ERR_ALREADY_MAPPED);
    CHECK_EQ(*reg(VA(7), PRIMECELL_ID) & 0xff, 0x0d);
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    l4_msg_t m = fault_of(do_load, VA(7) + PRIMECELL_ID);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(l4_frame_map(f, VA(7) + 0x1000, L4_RIGHT_READ, 0, V), L4_ERR_OK);
    CHECK_EQ(*reg(VA(7) + 0x1000, PRIMECELL_ID) & 0xff, 0x0d);
    util_delete(f);
    m = fault_of(do_load, VA(7) + 0x1000 + PRIMECELL_ID);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
}

/* PL061 GPIO: on QEMU virt an undriven input line sits at a fixed level
 * (line 3 is the power button), so a line set up to interrupt on that
 * level raises INTID 39 at once, and stops when the level sense flips: a
 * device interrupt that user level raises and lowers at will. */
#define GPIO_PADDR 0x09030000u
#define GPIO_IRQ 39u
#define GPIO_DIR 0x400u
#define GPIO_IS 0x404u  /* 1: level-sensitive */
#define GPIO_IEV 0x40cu /* level: 1 high, 0 low */
#define GPIO_IE 0x410u
#define GPIO_RIS 0x414u
#define GPIO_MIS 0x418u
#define GPIO_IC 0x41cu
#define GPIO_DATA_ALL 0x3fcu /* the data register with every line's address bit */

TEST(device_interrupt_reaches_its_handler_masked_until_ack)
{
    /* The GPIO is the system tests' test line too (util.h): its frame is
     * util's, made once from the device untyped; a copy maps it here. */
    l4_cptr_t f = util_copy(util_line_frame(), L4_RIGHTS_ALL);
    util_page_table_at(VA(8));
    CHECK_EQ(l4_frame_map(f, VA(8), RW, 0, V), L4_ERR_OK);
    volatile l4_word_t *g = reg(VA(8), 0);
    CHECK_EQ(g[PRIMECELL_ID / 4] & 0xff, 0x0d);
    l4_cptr_t n = util_notification(), h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, GPIO_IRQ, h, 32, L4_CAP_INIT_CNODE), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_set_notification(h, util_mint(n, L4_RIGHT_WRITE, 0x40)), L4_ERR_OK);
    g[GPIO_IE / 4] = 0;
    g[GPIO_DIR / 4] = 0; /* all inputs */
    l4_word_t level = g[GPIO_DATA_ALL / 4] & 1, quiet = level ^ 1;
    g[GPIO_IS / 4] = 0x1;    /* line 0 level-sensitive */
    g[GPIO_IEV / 4] = quiet; /* on the other level: nothing yet */
    g[GPIO_IC / 4] = 0x1;    /* (QEMU latches what setting IS raised) */
    g[GPIO_IE / 4] = 0x1;
    l4_word_t bits = 0;
    CHECK_EQ(g[GPIO_MIS / 4] & 1, 0);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
    g[GPIO_IEV / 4] = level; /* on the line's level: asserted at once */
    CHECK_EQ(g[GPIO_MIS / 4] & 1, 1);
    CHECK_EQ(l4_wait(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x40);
    /* Still asserted, but masked until the ack. */
    util_spin(20000);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
    util_spin(2000);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x40);
    /* Serviced at the device (the sense flipped), then acked: quiet. */
    g[GPIO_IEV / 4] = quiet;
    g[GPIO_IC / 4] = 0x1;
    CHECK_EQ(g[GPIO_MIS / 4] & 1, 0);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
    util_spin(20000);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
    g[GPIO_IE / 4] = 0;
    g[GPIO_IS / 4] = 0;
}
