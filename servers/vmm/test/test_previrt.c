/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the VMM's pre-virtualisation parts that are pure code: the
 * MMIO load/store decoder (mmio.c), the PL0 translation table walk
 * (ptwalk.c) and the virtual GIC's register semantics (vgic.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <system/previrt.h>

#include <previrt/mmio.h>
#include "ptwalk.h"

/* r0-r15 = 0x1000 * i; cpsr with C set (for RRX). */
static void regs_init(uint32_t r[17])
{
    for (unsigned i = 0; i < 16; i++)
        r[i] = 0x1000u * i;
    r[16] = 1u << 29;
}

static void arm_loads_and_stores_with_every_indexing(void **state)
{
    uint32_t r[17];
    mmio_access_t a;

    (void)state;
    regs_init(r);
    assert_null(mmio_decode_arm(0xe591000c, r, &a)); /* ldr r0, [r1, #12] */
    assert_true(a.load && a.size == 4 && a.rt == 0 && a.addr == 0x100c && !a.wb);
    assert_null(mmio_decode_arm(0xe5310004, r, &a)); /* ldr r0, [r1, #-4]! */
    assert_true(a.addr == 0x0ffc && a.wb && a.rn == 1 && a.wb_value == 0x0ffc);
    assert_null(mmio_decode_arm(0xe4910008, r, &a)); /* ldr r0, [r1], #8 */
    assert_true(a.addr == 0x1000 && a.wb && a.wb_value == 0x1008);
    assert_null(mmio_decode_arm(0xe7832104, r, &a)); /* str r2, [r3, r4, lsl #2] */
    assert_true(!a.load && a.rt == 2 && a.addr == 0x3000 + 0x4000 * 4 && a.length == 4);
    assert_null(mmio_decode_arm(0xe5c65001, r, &a)); /* strb r5, [r6, #1] */
    assert_true(!a.load && a.size == 1 && a.addr == 0x6001);
    assert_null(mmio_decode_arm(0xe1d870b2, r, &a)); /* ldrh r7, [r8, #2] */
    assert_true(a.load && a.size == 2 && !a.sign && a.addr == 0x8002);
    assert_null(mmio_decode_arm(0xe04870b2, r, &a)); /* strh r7, [r8], #-2 */
    assert_true(!a.load && a.addr == 0x8000 && a.wb && a.wb_value == 0x7ffe);
    assert_null(mmio_decode_arm(0xe19100d2, r, &a)); /* ldrsb r0, [r1, r2] */
    assert_true(a.load && a.size == 1 && a.sign && a.addr == 0x3000);
    assert_null(mmio_decode_arm(0xe15100f6, r, &a)); /* ldrsh r0, [r1, #-6] */
    assert_true(a.size == 2 && a.sign && a.addr == 0x0ffa);
    assert_null(mmio_decode_arm(0xe1c420d8, r, &a)); /* ldrd r2, r3, [r4, #8] */
    assert_true(a.load && a.size == 8 && a.rt == 2 && a.rt2 == 3 && a.addr == 0x4008);
    assert_null(mmio_decode_arm(0xe0c420f8, r, &a)); /* strd r2, r3, [r4], #8 */
    assert_true(!a.load && a.size == 8 && a.wb && a.wb_value == 0x4008);
    assert_null(mmio_decode_arm(0xe71100a2, r, &a)); /* ldr r0, [r1, -r2, lsr #1] */
    assert_int_equal(a.addr, 0x1000 - 0x1000);
}

static void arm_refuses_what_it_cannot_emulate(void **state)
{
    uint32_t r[17];
    mmio_access_t a;

    (void)state;
    regs_init(r);
    assert_non_null(mmio_decode_arm(0xe591f000, r, &a)); /* ldr pc, [r1] */
    assert_non_null(mmio_decode_arm(0xe5b11004, r, &a)); /* ldr r1, [r1, #4]!: UNPREDICTABLE */
    assert_non_null(mmio_decode_arm(0xe8900006, r, &a)); /* ldm */
    assert_non_null(mmio_decode_arm(0xe1910f9f, r, &a)); /* ldrex */
    assert_non_null(mmio_decode_arm(0xe4b10000, r, &a)); /* ldrt */
    assert_non_null(mmio_decode_arm(0xf5d1f000, r, &a)); /* pld: unconditional space */
}

static void thumb_loads_and_stores(void **state)
{
    uint32_t r[17];
    mmio_access_t a;

    (void)state;
    regs_init(r);
    r[15] = 0x40000000;
    assert_null(mmio_decode_thumb(0x68c8, 0, r, &a)); /* ldr r0, [r1, #12] */
    assert_true(a.load && a.size == 4 && a.addr == 0x100c && a.length == 2);
    assert_null(mmio_decode_thumb(0x511a, 0, r, &a)); /* str r2, [r3, r4] */
    assert_true(!a.load && a.rt == 2 && a.addr == 0x7000);
    assert_null(mmio_decode_thumb(0x78f5, 0, r, &a)); /* ldrb r5, [r6, #3] */
    assert_true(a.size == 1 && a.addr == 0x6003);
    assert_null(mmio_decode_thumb(0x888f, 0, r, &a)); /* ldrh r7, [r1, #4] */
    assert_true(a.size == 2 && a.addr == 0x1004);
    assert_null(mmio_decode_thumb(0x5e88, 0, r, &a)); /* ldrsh r0, [r1, r2] */
    assert_true(a.size == 2 && a.sign && a.addr == 0x3000);
    assert_null(mmio_decode_thumb(0xf8d1, 0x0123, r, &a)); /* ldr.w r0, [r1, #0x123] */
    assert_true(a.size == 4 && a.addr == 0x1123 && a.length == 4 && !a.wb);
    assert_null(mmio_decode_thumb(0xf851, 0x0d04, r, &a)); /* ldr.w r0, [r1, #-4]! */
    assert_true(a.addr == 0x0ffc && a.wb && a.wb_value == 0x0ffc);
    assert_null(mmio_decode_thumb(0xf841, 0x0b04, r, &a)); /* str.w r0, [r1], #4 */
    assert_true(!a.load && a.addr == 0x1000 && a.wb && a.wb_value == 0x1004);
    assert_null(mmio_decode_thumb(0xf851, 0x0022, r, &a)); /* ldr.w r0, [r1, r2, lsl #2] */
    assert_int_equal(a.addr, 0x1000 + 0x8000);
    assert_null(mmio_decode_thumb(0xe9d4, 0x2302, r, &a)); /* ldrd r2, r3, [r4, #8] */
    assert_true(a.size == 8 && a.rt == 2 && a.rt2 == 3 && a.addr == 0x4008);
    assert_null(mmio_decode_thumb(0xf991, 0x0001, r, &a)); /* ldrsb.w r0, [r1, #1] */
    assert_true(a.size == 1 && a.sign && a.addr == 0x1001);
    assert_non_null(mmio_decode_thumb(0xf851, 0x0e00, r, &a)); /* ldrt */
    assert_non_null(mmio_decode_thumb(0xbf00, 0, r, &a));      /* nop */
}

/* --- the table walk ------------------------------------------------------- */

static uint32_t ram[0x20000]; /* 512 KiB of "guest RAM" at RAM_BASE */
#define RAM_BASE 0x40000000u
#define L1 (RAM_BASE + 0x10000) /* 16 KiB aligned */
#define L2 (RAM_BASE + 0x20000)

static int ram_read(void *arg, uint32_t pa, uint32_t *w)
{
    (void)arg;
    if (pa < RAM_BASE || pa - RAM_BASE >= sizeof(ram))
        return 0;
    *w = ram[(pa - RAM_BASE) / 4];
    return 1;
}

static void set(uint32_t pa, uint32_t v)
{
    ram[(pa - RAM_BASE) / 4] = v;
}

static ptw_regs_t regs_mmu(void)
{
    memset(ram, 0, sizeof(ram));
    return (ptw_regs_t){.sctlr = 1, .ttbcr = 0, .ttbr0 = L1, .dacr = 0x5 /* d0, d1 client */};
}

static void walk_follows_sections_and_pages(void **state)
{
    ptw_regs_t r = regs_mmu();
    ptw_result_t t;

    (void)state;
    /* 0x10000000: section -> 0x40000000, PL0 RW (AP 011), domain 0. */
    set(L1 + (0x100 * 4), 0x40000000u | (3u << 10) | 2);
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x10000004, 1, 0, &t), 0);
    assert_true(t.pa == 0x40000004 && t.writable && t.executable);
    /* 0x20000000: page table; page 1 small, PL0 RO (AP 010), XN. */
    set(L1 + (0x200 * 4), L2 | (1u << 5) | 1); /* domain 1 */
    set(L2 + 4, 0x40001000u | (2u << 4) | 2 | 1);
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x20001008, 0, 0, &t), 0);
    assert_true(t.pa == 0x40001008 && !t.writable && !t.executable);
    /* a large page (64 KiB) at 0x20010000 */
    set(L2 + 0x10 * 4, 0x40020000u | (3u << 4) | 1);
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x20010123, 1, 1, &t), 0);
    assert_int_equal(t.pa, 0x40020123);
}

static void walk_faults_as_the_mmu_does(void **state)
{
    ptw_regs_t r = regs_mmu();
    ptw_result_t t;

    (void)state;
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x30000000, 0, 0, &t), PTW_FS_TRANS_SECTION);
    set(L1 + (0x200 * 4), L2 | (1u << 5) | 1);
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x20002000, 1, 0, &t),
                     PTW_FS_TRANS_PAGE | (1u << 4) | PTW_FSR_WNR);
    set(L2 + 4, 0x40001000u | (2u << 4) | 3); /* RO at PL0, XN */
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x20001000, 1, 0, &t) & 0x40f,
                     PTW_FS_PERM_PAGE);
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x20001000, 0, 1, &t) & 0x40f,
                     PTW_FS_PERM_PAGE);                  /* fetch from XN */
    set(L1 + (0x100 * 4), 0x40000000u | (1u << 10) | 2); /* PL1 only */
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x10000000, 0, 0, &t), PTW_FS_PERM_SECTION);
    set(L1 + (0x101 * 4), 0x40000000u | (3u << 10) | (2u << 5) | 2); /* domain 2: no access */
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x10100000, 0, 0, &t),
                     PTW_FS_DOMAIN_SECTION | (2u << 4));
    r.dacr |= 3u << 4; /* domain 2 manager: no permission check at all */
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x10100000, 1, 1, &t), 0);
    assert_true(t.writable && t.executable);
    r.ttbr0 = 0x90000000; /* the table is not guest RAM */
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x10000000, 0, 0, &t), PTW_FS_EXT_WALK_L1);
}

static void walk_honours_mmu_off_ttbcr_and_afe(void **state)
{
    ptw_regs_t r = regs_mmu();
    ptw_result_t t;

    (void)state;
    r.sctlr = 0;
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x12345678, 1, 1, &t), 0);
    assert_true(t.pa == 0x12345678 && t.writable && t.executable);
    r = regs_mmu();
    r.ttbcr = 1; /* N = 1: TTBR0 below 2 GiB, TTBR1 above */
    r.ttbr1 = L1 + 0x4000;
    set(L1 + 0x4000 + (0x800 * 4), 0x40000000u | (3u << 10) | 2);
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x80000010, 0, 0, &t), 0);
    assert_int_equal(t.pa, 0x40000010);
    r.ttbcr |= 1u << 5; /* PD1 */
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x80000010, 0, 0, &t), PTW_FS_TRANS_SECTION);
    r = regs_mmu();
    r.sctlr |= 1u << 29; /* AFE: AP[0] is the access flag */
    set(L1 + (0x100 * 4), 0x40000000u | (2u << 10) | 2);
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x10000000, 0, 0, &t), PTW_FS_AF_SECTION);
    set(L1 + (0x100 * 4), 0x40000000u | (3u << 10) | 2);
    assert_int_equal(ptw_translate(&r, ram_read, 0, 0x10000000, 1, 0, &t), 0);
}

/* --- the virtual GIC ------------------------------------------------------ */

static void vgic_setup(vgic_t *g)
{
    vgic_reset(g);
    vgic_dist_write(g, 0x000, 4, 1);          /* GICD_CTLR */
    vgic_cpu_write(g, 0x00, 1);               /* GICC_CTLR */
    vgic_cpu_write(g, 0x04, 0xf0);            /* PMR */
    vgic_dist_write(g, 0x400, 4, 0xa0a0a0a0); /* priorities 0-3 */
}

static void vgic_delivers_by_priority_and_deactivates(void **state)
{
    vgic_t g;

    (void)state;
    vgic_setup(&g);
    assert_false(vgic_ready(&g));
    assert_int_equal(vgic_cpu_read(&g, 0x0c), VGIC_SPURIOUS);
    vgic_dist_write(&g, 0x400, 1, 0x80);           /* SGI 0 more urgent than 1-3 */
    vgic_dist_write(&g, 0xf00, 4, (2u << 24) | 3); /* SGI 3 and 2 to self */
    vgic_dist_write(&g, 0xf00, 4, (2u << 24) | 2);
    vgic_dist_write(&g, 0xf00, 4, (1u << 24) | 1); /* to all others: none here */
    assert_true(vgic_ready(&g));
    assert_int_equal(vgic_cpu_read(&g, 0x0c), 2);    /* IAR: lowest INTID among equals */
    assert_int_equal(vgic_cpu_read(&g, 0x14), 0xa0); /* RPR */
    assert_false(vgic_ready(&g));                  /* SGI 3: no higher than the running priority */
    vgic_dist_write(&g, 0xf00, 4, (1u << 16) | 0); /* SGI 0 to CPU 0 by list */
    assert_true(vgic_ready(&g));                   /* 0x80 preempts 0xa0 */
    assert_int_equal(vgic_cpu_read(&g, 0x0c), 0);
    assert_int_equal(vgic_cpu_read(&g, 0x14), 0x80);
    assert_int_equal(vgic_cpu_write(&g, 0x10, 0), 0); /* EOIR: back to 0xa0 */
    assert_int_equal(vgic_cpu_read(&g, 0x14), 0xa0);
    assert_false(vgic_ready(&g));
    assert_int_equal(vgic_cpu_write(&g, 0x10, 2), 2);
    assert_int_equal(vgic_cpu_write(&g, 0x10, 2), VGIC_SPURIOUS); /* not active */
    assert_int_equal(vgic_cpu_read(&g, 0x14), 0xff);
    assert_int_equal(vgic_cpu_read(&g, 0x0c), 3); /* now SGI 3 */
    assert_int_equal(vgic_cpu_read(&g, 0x0c), VGIC_SPURIOUS);
}

static void vgic_masks_by_enable_pmr_and_ctlr(void **state)
{
    vgic_t g;

    (void)state;
    vgic_setup(&g);
    vgic_dist_write(&g, 0x400 + 32, 4, 0xa0a0a0a0);
    vgic_set_pending(&g, 33);
    assert_false(vgic_ready(&g)); /* SPI 33 not enabled */
    vgic_dist_write(&g, 0x104, 4, 1u << 1);
    assert_true(vgic_ready(&g));
    assert_int_equal(vgic_dist_read(&g, 0x104, 4), 1u << 1);
    vgic_cpu_write(&g, 0x04, 0xa0); /* PMR at its priority: masked */
    assert_false(vgic_ready(&g));
    vgic_cpu_write(&g, 0x04, 0xf0);
    vgic_dist_write(&g, 0x000, 4, 0);
    assert_false(vgic_ready(&g)); /* distributor off */
    vgic_dist_write(&g, 0x000, 4, 1);
    vgic_dist_write(&g, 0x184, 4, 1u << 1); /* ICENABLER */
    assert_false(vgic_ready(&g));
    assert_int_equal(vgic_dist_read(&g, 0x204, 4), 1u << 1); /* still pending */
    vgic_dist_write(&g, 0x284, 4, 1u << 1);                  /* ICPENDR */
    assert_int_equal(vgic_dist_read(&g, 0x204, 4), 0);
    /* SGIs are always enabled and pended only through SGIR (as QEMU's). */
    vgic_dist_write(&g, 0x180, 4, 0xffff);
    assert_int_equal(vgic_dist_read(&g, 0x100, 4) & 0xffff, 0xffff);
    vgic_dist_write(&g, 0x200, 4, 1);
    assert_int_equal(vgic_dist_read(&g, 0x200, 4) & 1, 0);
    assert_int_equal(vgic_dist_read(&g, 0x004, 4), VGIC_LINES / 32 - 1); /* TYPER */
    assert_int_equal(vgic_dist_read(&g, 0x401, 1), 0xa0);
}

/* vgic_ready keeps its answer until the next change: after every kind of
 * change, asked with the answer cached just before it, it must agree with
 * a copy that has no cache (and GICC_IAR with the copy's). 4000 random
 * steps over every register that changes what is signalled. */
static uint32_t lcg(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

static int vgic_ready_uncached(const vgic_t *g)
{
    vgic_t copy = *g;

    copy.cache = 0;
    return vgic_ready(&copy);
}

static void vgic_cached_answer_follows_every_change(void **state)
{
    static const uint32_t dist_banks[] = {0x100, 0x180, 0x200, 0x280, 0x300, 0x380};
    uint32_t seed = 0x5eed, r, intid, ready_seen = 0;
    vgic_t g;

    (void)state;
    vgic_setup(&g);
    vgic_dist_write(&g, 0x100, 4, 0xffffffffu);
    vgic_dist_write(&g, 0x104, 4, 0xffffffffu);
    for (unsigned step = 0; step < 4000; step++) {
        (void)vgic_ready(&g); /* the answer is now cached */
        r = lcg(&seed);
        intid = lcg(&seed) % VGIC_LINES;
        switch (r % 12) {
        case 0:
            vgic_set_pending(&g, intid);
            break;
        case 1:
            vgic_clear_pending(&g, intid);
            break;
        case 2:
            vgic_dist_write(&g, dist_banks[lcg(&seed) % 6] + 4 * (intid / 32), 4,
                            1u << (intid % 32));
            break;
        case 3:
            vgic_dist_write(&g, 0x400 + intid, 1, lcg(&seed) & 0xf0u);
            break;
        case 4:
            vgic_dist_write(&g, 0x000, 4, (lcg(&seed) % 8) != 0);
            break;
        case 5:
            vgic_cpu_write(&g, 0x00, (lcg(&seed) % 8) != 0);
            break;
        case 6:
            vgic_cpu_write(&g, 0x04, lcg(&seed) & 0xf0u);
            break;
        case 7:
            vgic_dist_write(&g, 0xf00, 4, (2u << 24) | (intid % 16));
            break;
        case 8:
        case 9: {
            vgic_t copy = g;

            copy.cache = 0;
            assert_int_equal(vgic_cpu_read(&g, 0x0c), vgic_cpu_read(&copy, 0x0c)); /* IAR */
            break;
        }
        default:
            vgic_cpu_write(&g, 0x10,
                           g.active_depth && (r & 1) ? g.active_stack[g.active_depth - 1]
                                                     : intid); /* EOIR */
            break;
        }
        assert_int_equal(vgic_ready(&g), vgic_ready_uncached(&g));
        ready_seen += vgic_ready(&g);
    }
    assert_true(ready_seen > 100 && ready_seen < 3900); /* both answers were exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arm_loads_and_stores_with_every_indexing),
        cmocka_unit_test(arm_refuses_what_it_cannot_emulate),
        cmocka_unit_test(thumb_loads_and_stores),
        cmocka_unit_test(walk_follows_sections_and_pages),
        cmocka_unit_test(walk_faults_as_the_mmu_does),
        cmocka_unit_test(walk_honours_mmu_off_ttbcr_and_afe),
        cmocka_unit_test(vgic_delivers_by_priority_and_deactivates),
        cmocka_unit_test(vgic_masks_by_enable_pmr_and_ctlr),
        cmocka_unit_test(vgic_cached_answer_follows_every_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
