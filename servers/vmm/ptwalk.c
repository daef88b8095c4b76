/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A PL0 translation table walk (ptwalk.h). Sections cite the ARM ARM
 * (DDI 0406C): B3.5.1 descriptors, B3.5.4 selecting TTBR0/TTBR1, B3.7
 * memory access control (AP, XN, domains, the access flag).
 */
#include "ptwalk.h"

#define BIT(x, n) (((x) >> (n)) & 1u)
#define FIELD(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1u))
#define SCTLR_M (1u << 0)
#define SCTLR_AFE (1u << 29)
#define TTBCR_PD0 (1u << 4)
#define TTBCR_PD1 (1u << 5)
#define TTBCR_EAE (1u << 31)

static uint32_t ptw_fault(uint32_t fs, uint32_t domain, int write)
{
    return (fs & 0xfu) | (BIT(fs, 4) << 10) | (domain << 4) | (write ? PTW_FSR_WNR : 0);
}

/*
 * AP[2:0] at PL0 (B3.7.1, Table B3-8; with SCTLR.AFE, AP[0] is the access
 * flag and AP[2:1] alone decide, Table B3-9). Returns 0 or a status.
 */
static uint32_t ptw_access(unsigned ap, int afe, int write, int page)
{
    int read_ok, write_ok;

    if (afe) {
        if (!BIT(ap, 0))
            return page ? PTW_FS_AF_PAGE : PTW_FS_AF_SECTION;
        read_ok = BIT(ap, 1);
        write_ok = BIT(ap, 1) && !BIT(ap, 2);
    } else {
        read_ok = ap == 2 || ap == 3 || ap == 6 || ap == 7;
        write_ok = ap == 3;
    }
    if (!read_ok || (write && !write_ok))
        return page ? PTW_FS_PERM_PAGE : PTW_FS_PERM_SECTION;
    return 0;
}

uint32_t ptw_translate(const ptw_regs_t *r, ptw_read_fn read, void *arg, uint32_t va, int write,
                       int fetch, ptw_result_t *out)
{
    unsigned n = r->ttbcr & 7u, domain, ap, xn, page, dacr;
    int afe = (r->sctlr & SCTLR_AFE) != 0;
    uint32_t l1, l2, base, index, fs;

    if (!(r->sctlr & SCTLR_M)) { /* MMU off: flat, everything allowed (B3.2.1) */
        *out = (ptw_result_t){.pa = va, .writable = 1, .executable = 1};
        return 0;
    }
    if (r->ttbcr & TTBCR_EAE)
        return ptw_fault(PTW_FS_TRANS_SECTION, 0, write); /* LPAE tables: not walked here */
    if (n == 0 || (va >> (32 - n)) == 0) {
        if (r->ttbcr & TTBCR_PD0)
            return ptw_fault(PTW_FS_TRANS_SECTION, 0, write);
        base = r->ttbr0 & ~((1u << (14 - n)) - 1u);
        index = FIELD(va, 31 - n, 20);
    } else {
        if (r->ttbcr & TTBCR_PD1)
            return ptw_fault(PTW_FS_TRANS_SECTION, 0, write);
        base = r->ttbr1 & ~0x3fffu;
        index = va >> 20;
    }
    if (!read(arg, base + index * 4, &l1))
        return ptw_fault(PTW_FS_EXT_WALK_L1, 0, write);
    switch (l1 & 3u) {
    case 0:
        return ptw_fault(PTW_FS_TRANS_SECTION, 0, write);
    case 1: /* -> second-level table */
        domain = FIELD(l1, 8, 5);
        if (!read(arg, (l1 & 0xfffffc00u) + FIELD(va, 19, 12) * 4, &l2))
            return ptw_fault(PTW_FS_EXT_WALK_L2, domain, write);
        if ((l2 & 3u) == 0)
            return ptw_fault(PTW_FS_TRANS_PAGE, domain, write);
        ap = (BIT(l2, 9) << 2) | FIELD(l2, 5, 4);
        if ((l2 & 3u) == 1) { /* large page, 64 KiB */
            xn = BIT(l2, 15);
            out->pa = (l2 & 0xffff0000u) | (va & 0xffffu);
        } else { /* small page, 4 KiB */
            xn = BIT(l2, 0);
            out->pa = (l2 & 0xfffff000u) | (va & 0xfffu);
        }
        page = 1;
        break;
    default: /* section or supersection (0b11: with PXN, which PL0 ignores) */
        ap = (BIT(l1, 15) << 2) | FIELD(l1, 11, 10);
        xn = BIT(l1, 4);
        if (BIT(l1, 18)) { /* supersection: 16 MiB, domain 0 */
            domain = 0;
            out->pa = (l1 & 0xff000000u) | (va & 0x00ffffffu);
        } else {
            domain = FIELD(l1, 8, 5);
            out->pa = (l1 & 0xfff00000u) | (va & 0x000fffffu);
        }
        page = 0;
        break;
    }
    dacr = FIELD(r->dacr, 2 * domain + 1, 2 * domain);
    if (dacr == 0 || dacr == 2) /* no access, reserved */
        return ptw_fault(page ? PTW_FS_DOMAIN_PAGE : PTW_FS_DOMAIN_SECTION, domain, write);
    if (dacr == 3) { /* manager: no permission checks at all */
        out->writable = out->executable = 1;
        return 0;
    }
    fs = ptw_access(ap, afe, write, page);
    if (!fs && fetch && xn)
        fs = page ? PTW_FS_PERM_PAGE : PTW_FS_PERM_SECTION;
    if (fs)
        return ptw_fault(fs, domain, write);
    out->writable = ptw_access(ap, afe, 1, page) == 0;
    out->executable = !xn;
    return 0;
}
