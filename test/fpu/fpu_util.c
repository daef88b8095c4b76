/* SPDX-License-Identifier: BSD-2-Clause */
#include <string.h>
#include "fpu_util.h"

#define PAGE 4096u
#define CLONE_STAGING (UTIL_VADDR_TEST + 21 * UTIL_MB)

extern char __image_start[], end[];

void fpu_pattern(fpu_image_t *f, uint32_t seed, uint32_t round)
{
    uint32_t x = seed * 0x9e3779b9u + round * 0x85ebca6bu + 1u;
    for (unsigned i = 0; i < 32; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint32_t lo = x ^ (i * 0x01010101u), hi = (seed << 24) | (round << 8) | i;
        f->d[i] = ((uint64_t)hi << 32) | lo;
    }
    f->fpscr = (x ^ (seed << 28) ^ (round << 22)) & FPSCR_TEST_MASK;
}

unsigned fpu_diff(const fpu_image_t *a, const fpu_image_t *b)
{
    unsigned n = a->fpscr != b->fpscr;
    for (unsigned i = 0; i < 32; i++)
        n += ((uint32_t)a->d[i] != (uint32_t)b->d[i]) + ((a->d[i] >> 32) != (b->d[i] >> 32));
    return n;
}

#define ALL_D                                                                                      \
    "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11", "d12", "d13", "d14", \
        "d15", "d16", "d17", "d18", "d19", "d20", "d21", "d22", "d23", "d24", "d25", "d26", "d27", \
        "d28", "d29", "d30", "d31"

void fpu_hold(const fpu_image_t *in, fpu_image_t *out, uint32_t spins, uint32_t sysno,
              uint32_t arg)
{
    register uint32_t r0 __asm__("r0") = arg;
    register uint32_t r7 __asm__("r7") = sysno;
    uint32_t tmp, saved;
    __asm__ volatile("vmrs %[saved], fpscr\n"
                     "vldmia %[in], {d0-d15}\n"
                     "add %[tmp], %[in], #128\n"
                     "vldmia %[tmp], {d16-d31}\n"
                     "ldr %[tmp], [%[in], #256]\n"
                     "vmsr fpscr, %[tmp]\n"
                     "1: subs %[spins], %[spins], #1\n"
                     "bhi 1b\n"
                     "cmp r7, #0\n"
                     "movne r1, #0\n" /* message info: no words, no caps */
                     "svcne #0\n"
                     "vstmia %[out], {d0-d15}\n"
                     "add %[tmp], %[out], #128\n"
                     "vstmia %[tmp], {d16-d31}\n"
                     "vmrs %[tmp], fpscr\n"
                     "str %[tmp], [%[out], #256]\n"
                     "vmsr fpscr, %[saved]\n" /* compiled code's rounding mode etc. */
                     : [spins] "+r"(spins), [tmp] "=&r"(tmp), [saved] "=&r"(saved), "+r"(r0),
                       "+r"(r7)
                     : [in] "r"(in), [out] "r"(out)
                     : "r1", "r2", "r3", "r4", "r5", "r6", "cc", "memory", ALL_D);
}

void fpu_store(fpu_image_t *out)
{
    uint32_t tmp;
    __asm__ volatile("vstmia %[out], {d0-d15}\n"
                     "add %[tmp], %[out], #128\n"
                     "vstmia %[tmp], {d16-d31}\n"
                     "vmrs %[tmp], fpscr\n"
                     "str %[tmp], [%[out], #256]\n"
                     : [tmp] "=&r"(tmp)
                     : [out] "r"(out)
                     : "memory");
}

l4_word_t fpu_read_state(l4_cptr_t tcb, l4_word_t suspend, fpu_image_t *f)
{
    l4_word_t w[L4_FPU_WORDS];
    l4_word_t e = l4_tcb_read_fpu(tcb, suspend, 0, 64, w);
    if (!e)
        e = l4_tcb_read_fpu(tcb, 0, 64, 1, w + 64);
    for (unsigned i = 0; !e && i < 32; i++)
        f->d[i] = ((uint64_t)w[2 * i + 1] << 32) | w[2 * i];
    f->fpscr = w[L4_FPU_FPSCR];
    return e;
}

l4_word_t fpu_write_state(l4_cptr_t tcb, l4_word_t resume, const fpu_image_t *f)
{
    l4_word_t w[L4_FPU_WORDS];
    for (unsigned i = 0; i < 32; i++) {
        w[2 * i] = (uint32_t)f->d[i];
        w[2 * i + 1] = (uint32_t)(f->d[i] >> 32);
    }
    w[L4_FPU_FPSCR] = f->fpscr;
    l4_word_t e = l4_tcb_write_fpu(tcb, 0, 0, 61, w);
    return e ? e : l4_tcb_write_fpu(tcb, resume, 61, 4, w + 61);
}

static l4_cptr_t shared_frame;

void *fpu_shared_new(void)
{
    shared_frame = util_map_new_frame(FPU_SHARED_VA);
    memset((void *)FPU_SHARED_VA, 0, PAGE);
    return (void *)FPU_SHARED_VA;
}

static void map_into(l4_cptr_t pd, l4_cptr_t frame, l4_word_t va)
{
    l4_word_t e = l4_frame_map(util_copy(frame, L4_RIGHTS_ALL), va,
                               L4_RIGHT_READ | L4_RIGHT_WRITE, 0, pd);
    if (e == L4_ERR_NOT_MAPPED) {
        l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
        CHECK_EQ(l4_page_table_map(pt, va & ~(UTIL_MB - 1), 0, pd), L4_ERR_OK);
        e = l4_frame_map(util_copy(frame, L4_RIGHTS_ALL), va, L4_RIGHT_READ | L4_RIGHT_WRITE, 0,
                         pd);
    }
    CHECK_EQ(e, L4_ERR_OK);
}

void fpu_thread_new_space(util_thread_t *t)
{
    l4_cptr_t pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    l4_word_t first = (l4_word_t)__image_start & ~(PAGE - 1);
    for (l4_word_t va = first; va < (l4_word_t)end; va += PAGE) {
        l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
        util_page_table_at(CLONE_STAGING);
        CHECK_EQ(l4_frame_map(f, CLONE_STAGING, L4_RIGHT_READ | L4_RIGHT_WRITE, 0,
                              L4_CAP_INIT_VSPACE),
                 L4_ERR_OK);
        memcpy((void *)CLONE_STAGING, (const void *)va, PAGE);
        CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
        map_into(pd, f, va);
    }
    map_into(pd, t->ipc_frame, t->ipc_buffer);
    CHECK(shared_frame != 0);
    map_into(pd, shared_frame, FPU_SHARED_VA);
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, t->ipc_buffer, L4_CAP_INIT_CNODE, pd, t->ipc_frame),
             L4_ERR_OK);
}
