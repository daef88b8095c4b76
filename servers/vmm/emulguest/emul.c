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
    emul_loop_mmio_trap, emul_loop_svc_return, emul_loop_user_bank, emul_loop_mode_switch;
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
    volatile uint32_t *dev = loop == emul_loop_user_bank ? scratch : (volatile uint32_t *)GICD_TYPER;
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

void emul_main(void)
{
    measure(emul_loop_runtime_call); /* warm up */
    report("emul_runtime_call", measure(emul_loop_runtime_call));
    report("emul_irq_toggle", measure(emul_loop_irq_toggle));
    report("emul_cp15_trap", measure(emul_loop_cp15_trap));
    report("emul_mmio_trap", measure(emul_loop_mmio_trap));
    report("emul_svc_return", measure(emul_loop_svc_return));
    report("emul_user_bank", measure(emul_loop_user_bank));
    report("emul_mode_switch", measure(emul_loop_mode_switch));
    puts_("[bench] DONE\n");
    emul_exit(0);
}
