/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The emulation costs of pre-virtualisation, measured in a pre-virtualised
 * guest: instructions (PMU counter 0, all levels, under -icount) per
 * operation, the loop's own cost taken off. A native-style bare program:
 * the reset code is start.S, output the PL011 (emulated), exit semihosting
 * (the runtime's VMM_EXIT), as the native RTOS does.
 */
#include <stdint.h>

#include <previrt/rollback.h>

#define UART_DR 0x09000000u
#define GICD_TYPER 0x08000004u
#define ITERATIONS 1000u

typedef void loop_t(uint32_t n, volatile uint32_t *addr);
loop_t emul_loop_empty, emul_loop_runtime_call, emul_loop_irq_toggle, emul_loop_cp15_trap,
    emul_loop_mmio_trap, emul_loop_dev_call, emul_loop_svc_return, emul_loop_user_bank,
    emul_loop_mode_switch, emul_loop_mem_call, emul_loop_critical, emul_loop_critical_inline;
int emul_rollback_loop(uint32_t n);
void emul_timer_set(uint32_t tval, uint32_t ctl);
void emul_tick(void);
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

/*
 * Roll-back from inside an inline stub (docs/previrt.md, "Inline stubs"):
 * the virtual generic timer interrupts emul_rollback_loop, which runs
 * critical sections made of inline stubs with interrupts on between them,
 * every TIMER_TVAL to TIMER_TVAL + 63 counter ticks (a few thousand
 * instructions, 16 per tick under -icount shift=0; with one period an
 * upcall would land at the same place of the loop every time: -icount is
 * deterministic), so upcalls land all over the loop, inside the stubs
 * too. The loop checks every
 * result and register the stubs keep; the runtime counts the upcalls it
 * rolled back from inside a stub (previrt/rollback.h), so the test knows
 * that some did land there.
 */
#define REG(a) (*(volatile uint32_t *)(a))
#define GICD_CTLR 0x08000000u
#define GICD_ISENABLER0 0x08000100u
#define GICC_CTLR 0x08010000u
#define GICC_PMR 0x08010004u
#define GICC_IAR 0x0801000cu
#define GICC_EOIR 0x08010010u
#define TIMER_PPI 27u
#define TIMER_TVAL 200u
#define ROLLBACK_ITERATIONS 20000u

static volatile uint32_t ticks, stray;

void emul_tick(void)
{
    uint32_t id = REG(GICC_IAR);

    if (id == TIMER_PPI) {
        ticks++;
        emul_timer_set(TIMER_TVAL + ticks * 7 % 64, 1); /* a new phase each time */
    } else {
        stray++;
    }
    if (id < 1020)
        REG(GICC_EOIR) = id;
}

static int emul_rollback(void)
{
    uint32_t before = previrt_istub_rollbacks, rolled;
    int bad;

    REG(GICD_ISENABLER0) = 1u << TIMER_PPI;
    REG(GICC_PMR) = 0xff;
    REG(GICC_CTLR) = 1;
    REG(GICD_CTLR) = 1;
    emul_timer_set(TIMER_TVAL, 1);
    bad = emul_rollback_loop(ROLLBACK_ITERATIONS);
    emul_timer_set(0, 0);
    rolled = previrt_istub_rollbacks - before;
    bad |= ticks < 10 || rolled == 0 || stray != 0;
    puts_("[test] roll-back: ");
    putu(ticks);
    puts_(" interrupts, ");
    putu(rolled);
    puts_(" rolled back from inside an inline stub: ");
    puts_(bad ? "FAIL\n" : "ok\n");
    return bad;
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
    report("emul_critical_inline", measure(emul_loop_critical_inline));
    report("emul_cp15_trap", measure(emul_loop_cp15_trap));
    report("emul_mmio_trap", measure(emul_loop_mmio_trap));
    report("emul_dev_call", measure(emul_loop_dev_call));
    report("emul_mem_call", measure(emul_loop_mem_call));
    report("emul_svc_return", measure(emul_loop_svc_return));
    report("emul_user_bank", measure(emul_loop_user_bank));
    report("emul_mode_switch", measure(emul_loop_mode_switch));
    if (emul_rollback())
        emul_exit(1);
    puts_("[bench] DONE\n");
    emul_exit(0);
}
