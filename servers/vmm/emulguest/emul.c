/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The emulation costs of pre-virtualisation, measured in a pre-virtualised
 * guest: instructions (PMU counter 0, all levels, under -icount) per
 * operation, the loop's own cost taken off. A native-style bare program:
 * the reset code is start.S, output the PL011 (emulated), exit semihosting
 * (the runtime's VMM_EXIT), as the native RTOS does.
 */
#include <stdint.h>

#define UART_DR 0x09000000u
#define GICD_TYPER 0x08000004u
#define ITERATIONS 1000u

typedef void loop_t(uint32_t n, volatile uint32_t *addr);
loop_t emul_loop_empty, emul_loop_runtime_call, emul_loop_irq_toggle, emul_loop_cp15_trap,
    emul_loop_mmio_trap, emul_loop_dev_call, emul_loop_svc_return, emul_loop_user_bank,
    emul_loop_mode_switch, emul_loop_mem_call, emul_loop_critical;
void emul_exit(int status);
uint32_t emul_counter(void);

static void putc_(char c)
{
    *(volatile uint32_t *)UART_DR = (uint32_t)(unsigned char)c;
}

static void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}

static void putu(uint32_t v)
{
    char b[12];
    int i = 0;

    do
        b[i++] = (char)('0' + v % 10);
    while (v /= 10);
    while (i)
        putc_(b[--i]);
}

/* The cost of `loop` per iteration, less the empty loop's. */
static uint32_t scratch[4];

static uint32_t measure(loop_t *loop)
{
    volatile uint32_t *dev =
        loop == emul_loop_user_bank ? scratch : (volatile uint32_t *)GICD_TYPER;
    uint32_t t0, t1, t2;

    t0 = emul_counter();
    emul_loop_empty(ITERATIONS, dev);
    t1 = emul_counter();
    loop(ITERATIONS, dev);
    t2 = emul_counter();
    return ((t2 - t1) - (t1 - t0)) / ITERATIONS;
}

static void report(const char *name, uint32_t v)
{
    puts_("[bench] ");
    puts_(name);
    puts_(" instructions ");
    putu(v);
    puts_(" ");
    putu(ITERATIONS);
    puts_("\n");
}

/* The guest-info page (docs/vmm.md): the guest's name picks what it does. */
#define INFO_NAME ((const volatile char *)0x7ff02014u)

static int name_is(const char *s)
{
    for (unsigned i = 0; i < 16; i++) {
        if (INFO_NAME[i] != s[i])
            return 0;
        if (!s[i])
            return 1;
    }
    return 0;
}

void emul_fault_mmio(void);
void emul_fault_ats(void);
void emul_fault_ptimer(void);
void emul_fault_fetch(void);
void emul_fault_dev(void);

/*
 * Guests named for a fault do it (systems/previrt-faults.sys): each must
 * stop with the VMM's or the runtime's report, and nothing else may stop.
 */
static void emul_faults(void)
{
    puts_("[test] faulting\n");
    if (name_is("badmmio"))
        emul_fault_mmio(); /* a device the VMM does not emulate */
    else if (name_is("badats"))
        emul_fault_ats(); /* a cp15 operation the VMM does not emulate */
    else if (name_is("badtimer"))
        emul_fault_ptimer(); /* a timer register the runtime does not emulate */
    else if (name_is("badfetch"))
        emul_fault_fetch(); /* execute outside guest RAM */
    else if (name_is("baddev"))
        emul_fault_dev(); /* a runtime device call where the runtime has none */
    puts_("[test] FAIL still running\n");
    emul_exit(1);
}

void emul_main(void)
{
    if (!name_is("emul"))
        emul_faults();
    measure(emul_loop_runtime_call); /* warm up */
    report("emul_runtime_call", measure(emul_loop_runtime_call));
    report("emul_irq_toggle", measure(emul_loop_irq_toggle));
    report("emul_critical_section", measure(emul_loop_critical));
    report("emul_cp15_trap", measure(emul_loop_cp15_trap));
    report("emul_mmio_trap", measure(emul_loop_mmio_trap));
    report("emul_dev_call", measure(emul_loop_dev_call));
    report("emul_mem_call", measure(emul_loop_mem_call));
    report("emul_svc_return", measure(emul_loop_svc_return));
    report("emul_user_bank", measure(emul_loop_user_bank));
    report("emul_mode_switch", measure(emul_loop_mode_switch));
    puts_("[bench] DONE\n");
    emul_exit(0);
}
