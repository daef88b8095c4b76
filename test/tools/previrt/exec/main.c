/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Driver of the differential cases (cases.S): runs every case in the
 * case_table section and prints its dumps, one line each, on the PL011.
 * Compiled normally in both images: it holds no sensitive instruction.
 */
#include <stdint.h>

#include "exec.h"

#define UART_DR 0x09000000u
#define UART_FR 0x09000018u
#define UART_FR_TXFF (1u << 5)

typedef struct {
    void (*fn)(void);
    const char *name;
} test_case_t;

extern const test_case_t __start_case_table[], __stop_case_table[];
/* Cases whose result QEMU does not model (checked against the ARM ARM). */
extern const test_case_t __start_case_table_previrt[] __attribute__((weak));
extern const test_case_t __stop_case_table_previrt[] __attribute__((weak));
extern char __previrt_cpu __attribute__((weak)); /* only previrt.elf has a runtime */
static const char *current_case = "boot";
static unsigned check_count;

void test_putc(char c)
{
    while (*(volatile uint32_t *)UART_FR & UART_FR_TXFF)
        ;
    *(volatile uint32_t *)UART_DR = (uint32_t)(unsigned char)c;
}

void test_puts(const char *s)
{
    while (*s)
        test_putc(*s++);
}

void test_puthex(uint32_t v)
{
    for (int i = 28; i >= 0; i -= 4)
        test_putc("0123456789abcdef"[(v >> i) & 15]);
}

static void put_words(const char *label, const uint32_t *w, unsigned n)
{
    test_puts(label);
    for (unsigned i = 0; i < n; i++) {
        test_putc(i ? ',' : '=');
        test_puthex(w[i]);
    }
}

/* rec: CPSR and r0-r14 at the dump; banks: see dump_record in cases.S. */
void check_equal(uint32_t got, uint32_t want);
void print_dump(uint32_t id, const uint32_t *rec, const uint32_t *banks);

void print_dump(uint32_t id, const uint32_t *rec, const uint32_t *banks)
{
    static const struct {
        uint8_t mode, sp;
    } slot[] = {{0x11, 5}, {0x12, 8}, {0x13, 11}, {0x17, 14}, {0x1b, 17}, {0x10, 25}, {0x1f, 25}};
    uint32_t b[35];

    /* The recorded mode's sp and lr as they were at the dump, not as
     * dump_record saw them (below the record, after its own call). */
    for (unsigned i = 0; i < 35; i++)
        b[i] = banks[i];
    for (unsigned i = 0; i < sizeof(slot) / sizeof(slot[0]); i++) {
        if ((rec[0] & 0x1f) == slot[i].mode) {
            b[slot[i].sp] = rec[14];
            b[slot[i].sp + 1] = rec[15];
        }
    }
    banks = b;
    test_puts("[dump] ");
    test_puts(current_case);
    test_putc('/');
    test_puthex(id);
    put_words(" r", rec + 1, 15);
    put_words(" cpsr", rec, 1);
    put_words(" fiq", banks, 8);
    put_words(" irq", banks + 8, 3);
    put_words(" svc", banks + 11, 3);
    put_words(" abt", banks + 14, 3);
    put_words(" und", banks + 17, 3);
    put_words(" usr", banks + 20, 7);
    put_words(" regs", banks + 27, 8);
    test_putc('\n');
}

/* CHECK_CPSR in cases.S: one self-checked result. */
/* got: CPSR, r0-r12 as DEV_CHECK pushed them; want: the flags (NZCVQ,
 * GE), r0-r12. */
void check_dev_state(const uint32_t *got, const uint32_t *want);
void check_dev_state(const uint32_t *got, const uint32_t *want)
{
    check_equal(got[0] & 0xf80f0000u, want[0]);
    for (unsigned i = 1; i < 14; i++)
        check_equal(got[i], want[i]);
}

void check_equal(uint32_t got, uint32_t want)
{
    test_puts("[check] ");
    test_puts(current_case);
    test_putc('/');
    test_puthex(check_count++);
    if (got == want) {
        test_puts(" ok\n");
        return;
    }
    test_puts(" FAIL got ");
    test_puthex(got);
    test_puts(" want ");
    test_puthex(want);
    test_putc('\n');
}

static void run_table(const test_case_t *c, const test_case_t *end)
{
    for (; c < end; c++) {
        current_case = c->name;
        check_count = 0;
        c->fn();
    }
}

void run_all(void)
{
    run_table(__start_case_table, __stop_case_table);
    if (&__previrt_cpu)
        run_table(__start_case_table_previrt, __stop_case_table_previrt);
    test_puts("[dump] end\n");
    test_exit(0);
}
