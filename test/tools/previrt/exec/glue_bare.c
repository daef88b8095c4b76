/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The runtime's glue on a bare machine (previrt.elf of the differential
 * test): the virtual interrupt-enable flag is a plain word, nothing is ever
 * pending, semihosting goes to the real machine, and every register the
 * runtime does not own is an error.
 */
#include "cpu.h"
#include "exec.h"

PREVIRT_DATA static volatile uint32_t virq_enable, virq_pending; /* never pending */

void glue_init(void)
{
    previrt_init(&__previrt_cpu, &virq_enable, &virq_pending, 0, &virq_pending);
}

void previrt_glue_idle(previrt_cpu_t *cpu) {}

/* Nothing is ever pending; User mode simply runs on in place. */
void previrt_glue_exit(previrt_cpu_t *cpu) {}

void previrt_glue_user_exit(previrt_cpu_t *cpu)
{
    previrt_fast_glue_exit(cpu);
}

uint32_t previrt_glue_vector_base(previrt_cpu_t *cpu)
{
    return cpu->sys.vbar;
}

int previrt_glue_semihost(previrt_cpu_t *cpu, uint32_t imm)
{
    cpu->ctx[0] = real_semihost(cpu->ctx[0], cpu->ctx[1]);
    return 1;
}

int previrt_glue_sysreg_read(previrt_cpu_t *cpu, uint32_t cp, uint32_t opc1, uint32_t crn,
                             uint32_t crm, uint32_t opc2, uint32_t *value)
{
    return -1;
}

int previrt_glue_sysreg_write(previrt_cpu_t *cpu, uint32_t cp, uint32_t opc1, uint32_t crn,
                              uint32_t crm, uint32_t opc2, uint32_t value)
{
    return -1;
}

int previrt_glue_sysreg_read64(previrt_cpu_t *cpu, uint32_t opc1, uint32_t crm, uint64_t *value)
{
    return -1;
}

int previrt_glue_sysreg_write64(previrt_cpu_t *cpu, uint32_t opc1, uint32_t crm, uint64_t value)
{
    return -1;
}

void previrt_glue_fatal(previrt_cpu_t *cpu, const char *why)
{
    static const uint32_t block[2] = {0x20026, 2};

    test_puts("[previrt] fatal: ");
    test_puts(why);
    test_puts(" at ");
    test_puthex(cpu->ctx[PREVIRT_CTX_PC]);
    test_putc('\n');
    real_semihost(0x20, (uint32_t)block);
    for (;;)
        ;
}

/* Device registers (previrt/dev.h, the MEM rewrite): on the bare machine the
 * runtime has the real bus, so a "device" is any memory, read and written
 * as it is with the access's size (the differential cases use RAM words),
 * except the first page and EXEC_NODEV (cases.S), which stand for addresses
 * no device of the glue's is at: a MEM site there takes its fallback. */
#define EXEC_NODEV 0x4020a000u
#define EXEC_NODEV_SIZE 0x1000u

int previrt_glue_device_has(previrt_cpu_t *cpu, uint32_t addr, unsigned bytes)
{
    for (unsigned k = 0; k < bytes; k++)
        if (addr + k < 0x1000u || addr + k - EXEC_NODEV < EXEC_NODEV_SIZE)
            return 0;
    return 1;
}

int previrt_glue_device_read(previrt_cpu_t *cpu, uint32_t addr, unsigned size, uint32_t *value)
{
    if (!previrt_glue_device_has(cpu, addr, size))
        return -1;
    *value = size == 1   ? *(volatile uint8_t *)addr
             : size == 2 ? *(volatile uint16_t *)addr
                         : *(volatile uint32_t *)addr;
    return 0;
}

int previrt_glue_device_write(previrt_cpu_t *cpu, uint32_t addr, unsigned size, uint32_t value)
{
    if (!previrt_glue_device_has(cpu, addr, size))
        return -1;
    if (size == 1)
        *(volatile uint8_t *)addr = (uint8_t)value;
    else if (size == 2)
        *(volatile uint16_t *)addr = (uint16_t)value;
    else
        *(volatile uint32_t *)addr = value;
    return 0;
}

/* --- a runtime-only case of the exception model (case_table_previrt) ----- */

void check_equal(uint32_t got, uint32_t want); /* main.c */

/* The IT bits of a Thumb User context interrupted inside an IT block, the
 * handler's exception return putting them back (user_itstate: the
 * kernel's resume restores them) and a second interrupt taken before
 * that resume (previrt_glue_exit): that exception's SPSR holds them, and
 * nothing is left for the next return to User (another task's, by a fast
 * path that does not look) to pick up. A vCPU area of its own. */
static previrt_cpu_t it_cpu;
static volatile uint32_t it_word;

static void case_user_itstate(void)
{
    const uint32_t it = 0x06001800u; /* IT[1:0] = 3, IT[7:2] = 6 */
    const uint32_t spsr = 0x80000000u | it | PSR_T | MODE_USR;
    previrt_cpu_t *cpu = &it_cpu;

    previrt_init(cpu, &it_word, &it_word, 0, &it_word);
    previrt_exception_return(cpu, spsr, 0x8002u);
    check_equal(cpu->user_itstate, it);
    check_equal(cpu->ctx[PREVIRT_CTX_PC], 0x8003u);
    previrt_take_exception(cpu, MODE_IRQ, VEC_IRQ, (cpu->ctx[PREVIRT_CTX_PC] & ~1u) + 4);
    check_equal(cpu->spsr[BANK_IRQ], spsr);
    check_equal(cpu->user_itstate, 0);
    check_equal(cpu->ctx[14], 0x8006u);
    check_equal(cpu->vcpsr & (PSR_M_MASK | PSR_I), MODE_IRQ | PSR_I);
    previrt_exception_return(cpu, cpu->spsr[BANK_IRQ], 0x8002u); /* subs pc, lr, #4 */
    check_equal(cpu->user_itstate, it);
    previrt_take_exception_spsr(cpu, MODE_SVC, VEC_SVC, 0x8004u, spsr); /* an upcall's */
    check_equal(cpu->user_itstate, 0);
    check_equal(cpu->spsr[BANK_SVC], spsr);
    /* A return to User without IT bits (what the fast paths take) has none. */
    previrt_exception_return(cpu, MODE_USR, 0x9000u);
    check_equal(cpu->user_itstate, 0);
}

static const char user_itstate_name[] = "user_itstate";
__attribute__((used, section("case_table_previrt"))) static const struct {
    void (*fn)(void);
    const char *name;
} user_itstate_entry = {case_user_itstate, user_itstate_name};
