/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The emulation costs of pre-virtualisation, measured in a pre-virtualised
 * guest: instructions (PMU counter 0, all levels, under -icount) per
 * operation, the loop's own cost taken off. A native-style bare program:
 * the reset code is start.S, output the PL011 (emulated), exit semihosting
 * (the runtime's VMM_EXIT), as the native RTOS does.
 */
#include <stdint.h>

#include <previrt/dev.h>
#include <previrt/rollback.h>
#include <system/previrt.h>

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

static volatile uint32_t ticks, stray, sgis, sgi_last;

void emul_tick(void)
{
    uint32_t id = REG(GICC_IAR);

    if (id == TIMER_PPI) {
        ticks++;
        emul_timer_set(TIMER_TVAL + ticks * 7 % 64, 1); /* a new phase each time */
    } else if (id < 16) { /* the GIC twin's software interrupts */
        sgis++;
        sgi_last = id;
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

/*
 * The GIC twin (docs/previrt.md, "How it is tested"): one script of GIC
 * accesses, made four times from the same state (gictwin.S): in the form
 * the runtime's short path takes (emul_gic_short: [Rn, #imm], the hot
 * registers in gicshort.S's assembly, the rest by the C access), in a form
 * it takes through its general decoder (emul_gic_general: [Rn, Rm]),
 * trapped to the VMM's emulation (emul_gic_trapped: a base the rewriter
 * cannot see), and as device calls of hand-ported code (gic_dev:
 * previrt/dev.h, the same short path). Every load's value and, after every
 * store, the software interrupts taken so far (and the last one's INTID)
 * must agree between the four, and with what the GIC gives natively at the
 * steps marked: the hot registers (GICC_IAR, GICC_EOIR, GICD_SGIR) in every
 * state an interrupt's handler meets (the short path's answer known and
 * not, a nested EOI out of order), their neighbours, the read-only and
 * write-only halves, negative offsets, bytes; with virtual interrupts off
 * (the accesses' results) and on (an SGI is taken at once, a masked one
 * when a write lets it in).
 */
enum {
    GICTWIN_CCTLR_LD, GICTWIN_CCTLR_ST, GICTWIN_PMR_LD, GICTWIN_PMR_ST, GICTWIN_BPR_LD,
    GICTWIN_BPR_ST, GICTWIN_IAR_LD, GICTWIN_IAR_ST, GICTWIN_EOIR_LD, GICTWIN_EOIR_ST,
    GICTWIN_RPR_LD, GICTWIN_HPPIR_LD, GICTWIN_C1C_LD, GICTWIN_C1C_ST, GICTWIN_IAR_NEG_LD,
    GICTWIN_EOIR_NEG_ST, GICTWIN_SGIR_ST, GICTWIN_SGIR_LD, GICTWIN_DEFC_ST, GICTWIN_DF04_ST,
    GICTWIN_DCTLR_LD, GICTWIN_DCTLR_ST, GICTWIN_ISEN_LD, GICTWIN_ISEN_ST, GICTWIN_ICEN_ST,
    GICTWIN_ISPEND_LD, GICTWIN_ICPEND_ST, GICTWIN_ISACT_LD, GICTWIN_PRIO_LD, GICTWIN_PRIO_ST,
    GICTWIN_PRIOB_LD, GICTWIN_PRIOB_ST, GICTWIN_IAR_UNAL_LD, GICTWIN_SGIR_UNAL_ST, GICTWIN_ISACT_ST,
    GICTWIN_IRQ_ON = 100, /* not an access: virtual interrupts on, */
    GICTWIN_IRQ_OFF,      /* and off again */
};
#define SGI_SELF(n) ((2u << 24) | (n))
#define SGI_OTHERS(n) ((1u << 24) | (n))
#define SGI_LIST0(n) ((1u << 16) | (n))
#define NO 0xdeadbeefu /* no native value checked at this step */

static const struct {
    uint8_t op;
    uint32_t value, expect;
} gic_script[] = {
    /* a known state: masked, both sides off, no line enabled or pending */
    {GICTWIN_IRQ_OFF, 0, NO}, {GICTWIN_DCTLR_ST, 0, NO}, {GICTWIN_CCTLR_ST, 0, NO}, {GICTWIN_ICEN_ST, ~0u, NO},
    {GICTWIN_ICPEND_ST, ~0u, NO}, {GICTWIN_ISEN_LD, 0, 0xffff}, /* SGIs stay enabled */
    {GICTWIN_PRIO_ST, 0xa0a08080u, NO}, /* SGI 0, 1 at 0x80; 2, 3 at 0xa0 */
    {GICTWIN_PMR_ST, 0xf0, NO}, {GICTWIN_BPR_ST, 3, NO}, {GICTWIN_DCTLR_ST, 1, NO},
    {GICTWIN_CCTLR_ST, 1, NO}, {GICTWIN_DCTLR_LD, 0, 1}, {GICTWIN_CCTLR_LD, 0, 1},
    {GICTWIN_PMR_LD, 0, 0xf0}, {GICTWIN_BPR_LD, 0, 3}, {GICTWIN_RPR_LD, 0, 0xff},
    {GICTWIN_HPPIR_LD, 0, 1023}, {GICTWIN_IAR_LD, 0, 1023}, {GICTWIN_EOIR_ST, 0, NO},
    /* masked: SGIs pend, the IAR takes them by priority, EOIs drop it */
    {GICTWIN_SGIR_ST, SGI_SELF(3), NO}, {GICTWIN_SGIR_ST, SGI_SELF(2), NO},
    {GICTWIN_SGIR_ST, SGI_OTHERS(1), NO}, {GICTWIN_ISPEND_LD, 0, 0xc},
    {GICTWIN_HPPIR_LD, 0, 2}, {GICTWIN_IAR_LD, 0, 2}, {GICTWIN_RPR_LD, 0, 0xa0},
    {GICTWIN_IAR_NEG_LD, 0, 1023}, /* SGI 3: not above the running priority */
    {GICTWIN_SGIR_ST, SGI_LIST0(0), NO}, {GICTWIN_IAR_LD, 0, 0}, {GICTWIN_RPR_LD, 0, 0x80},
    {GICTWIN_ISACT_LD, 0, 0x5}, {GICTWIN_IAR_ST, 0, NO}, {GICTWIN_EOIR_LD, 0, 0},
    {GICTWIN_SGIR_LD, 0, 0}, {GICTWIN_C1C_ST, 7, NO}, {GICTWIN_C1C_LD, 0, 0},
    {GICTWIN_DEFC_ST, SGI_SELF(1), NO}, {GICTWIN_DF04_ST, SGI_SELF(1), NO},
    {GICTWIN_ISPEND_LD, 0, 0x8}, /* neither neighbour of GICD_SGIR pended SGI 1 */
    {GICTWIN_EOIR_ST, 5, NO},    /* not active: nothing changes */
    {GICTWIN_RPR_LD, 0, 0x80}, {GICTWIN_EOIR_NEG_ST, 0, NO}, {GICTWIN_RPR_LD, 0, 0xa0},
    {GICTWIN_EOIR_ST, 2, NO}, {GICTWIN_RPR_LD, 0, 0xff}, {GICTWIN_IAR_LD, 0, 3},
    {GICTWIN_EOIR_ST, 3, NO}, {GICTWIN_ISACT_LD, 0, 0}, {GICTWIN_IAR_LD, 0, 1023},
    {GICTWIN_PRIOB_ST, 0x40, NO}, {GICTWIN_PRIOB_LD, 0, 0x40},
    {GICTWIN_PRIO_LD, 0, 0xa0a04080u}, {GICTWIN_PRIOB_ST, 0x80, NO},
    /* nested: SGI 0 acknowledged inside SGI 2, the outer one ended first
     * (not the innermost: the active stack's search), then the inner */
    {GICTWIN_SGIR_ST, SGI_SELF(2), NO}, {GICTWIN_IAR_LD, 0, 2}, {GICTWIN_SGIR_ST, SGI_SELF(0), NO},
    {GICTWIN_IAR_LD, 0, 0}, {GICTWIN_EOIR_ST, 2, NO}, {GICTWIN_RPR_LD, 0, 0x80},
    {GICTWIN_ISACT_LD, 0, 0x1}, {GICTWIN_EOIR_ST, 0, NO}, {GICTWIN_RPR_LD, 0, 0xff},
    /* unaligned words at the hot registers (an alignment fault natively):
     * not the short path's, each the same however it is made */
    {GICTWIN_SGIR_ST, SGI_SELF(3), NO}, {GICTWIN_IAR_UNAL_LD, 0, NO},
    {GICTWIN_SGIR_UNAL_ST, SGI_SELF(2), NO}, {GICTWIN_ISPEND_LD, 0, NO}, {GICTWIN_IAR_LD, 0, 3},
    {GICTWIN_EOIR_ST, 3, NO},
    /* on: an SGI is taken right after the SGIR store (the store's value is
     * the count of SGIs taken), one the PMR masks when the PMR lets it in,
     * one the running priority masks at the EOI */
    {GICTWIN_IRQ_ON, 0, NO}, {GICTWIN_SGIR_ST, SGI_SELF(1), 1}, {GICTWIN_PMR_ST, 0x80, 1},
    {GICTWIN_SGIR_ST, SGI_SELF(1), 1}, {GICTWIN_ISPEND_LD, 0, 0x2}, {GICTWIN_PMR_ST, 0xf0, 2},
    {GICTWIN_IRQ_OFF, 0, NO}, {GICTWIN_SGIR_ST, SGI_SELF(2), 2}, {GICTWIN_IAR_LD, 0, 2},
    {GICTWIN_SGIR_ST, SGI_SELF(3), 2}, {GICTWIN_IRQ_ON, 0, 2}, {GICTWIN_EOIR_ST, 2, 3},
    {GICTWIN_IRQ_OFF, 0, NO}, {GICTWIN_SGIR_ST, SGI_OTHERS(0), 3}, {GICTWIN_IRQ_ON, 0, 3},
    {GICTWIN_IRQ_OFF, 0, NO}, {GICTWIN_ISPEND_LD, 0, 0}, {GICTWIN_ISACT_LD, 0, 0},
    /* an SGI made active by GICD_ISACTIVER, not acknowledged: nothing on
     * the active stack, its EOI leaves the running priority idle */
    {GICTWIN_ISACT_ST, 1, NO}, {GICTWIN_ISACT_LD, 0, 1}, {GICTWIN_RPR_LD, 0, 0xff},
    {GICTWIN_EOIR_ST, 0, NO}, {GICTWIN_RPR_LD, 0, 0xff}, {GICTWIN_ISACT_LD, 0, NO},
    {GICTWIN_IAR_LD, 0, 1023},
};
#define GIC_STEPS (sizeof(gic_script) / sizeof(gic_script[0]))

uint32_t emul_gic_short(uint32_t op, uint32_t value);
uint32_t emul_gic_general(uint32_t op, uint32_t value);
uint32_t emul_gic_trapped(uint32_t op, uint32_t value, uint32_t gicd);

static uint32_t gic_trapped(uint32_t op, uint32_t value)
{
    return emul_gic_trapped(op, value, GICD_CTLR); /* the distributor's base */
}

/* Each access's address (gictwin.S's, in the order of GICTWIN_*). */
static const uint32_t gic_twin_addr[35] = {
    0x08010000, 0x08010000, 0x08010004, 0x08010004, 0x08010008, 0x08010008, 0x0801000c,
    0x0801000c, 0x08010010, 0x08010010, 0x08010014, 0x08010018, 0x0801001c, 0x0801001c,
    0x0801000c, 0x08010010, 0x08000f00, 0x08000f00, 0x08000efc, 0x08000f04, 0x08000000,
    0x08000000, 0x08000100, 0x08000100, 0x08000180, 0x08000200, 0x08000280, 0x08000300,
    0x08000400, 0x08000400, 0x08000401, 0x08000401, 0x0801000e, 0x08000f02, 0x08000300,
};

/* The steps that are loads (the others are stores and the interrupt
 * switches). */
#define GICTWIN_LOADS                                                                              \
    (1u << GICTWIN_CCTLR_LD | 1u << GICTWIN_PMR_LD | 1u << GICTWIN_BPR_LD | 1u << GICTWIN_IAR_LD |  \
     1u << GICTWIN_EOIR_LD | 1u << GICTWIN_RPR_LD | 1u << GICTWIN_HPPIR_LD | 1u << GICTWIN_C1C_LD | \
     1u << GICTWIN_IAR_NEG_LD | 1u << GICTWIN_SGIR_LD | 1u << GICTWIN_DCTLR_LD |                   \
     1u << GICTWIN_ISEN_LD | 1u << GICTWIN_ISPEND_LD | 1u << GICTWIN_ISACT_LD |                    \
     1u << GICTWIN_PRIO_LD | 1u << GICTWIN_PRIOB_LD)

static int gic_twin_is_load(uint32_t op)
{
    return op == GICTWIN_IAR_UNAL_LD || (op < 32 && ((GICTWIN_LOADS >> op) & 1u));
}

/* One run of the script: after each step, its load's value, or after a
 * store or an interrupt switch the SGIs taken so far, with the last one's
 * INTID in bits 15:8. */
static void gic_twin_run(uint32_t (*access)(uint32_t, uint32_t), uint32_t *out)
{
    sgis = 0;
    sgi_last = 0;
    for (unsigned i = 0; i < GIC_STEPS; i++) {
        uint32_t op = gic_script[i].op, v = 0;

        if (op == GICTWIN_IRQ_ON)
            __asm__ volatile("cpsie i" ::: "memory");
        else if (op == GICTWIN_IRQ_OFF)
            __asm__ volatile("cpsid i" ::: "memory");
        else
            v = access(op, gic_script[i].value);
        out[i] = gic_twin_is_load(op) ? v : sgis | sgi_last << 8;
    }
}

/* The same as hand-ported code makes it (previrt/dev.h: aligned words
 * only, so the byte and unaligned steps are the MEM sites'). */
static uint32_t gic_dev(uint32_t op, uint32_t value)
{
    if (op == GICTWIN_PRIOB_LD || op == GICTWIN_PRIOB_ST || op == GICTWIN_IAR_UNAL_LD ||
        op == GICTWIN_SGIR_UNAL_ST || op >= 35)
        return emul_gic_short(op, value);
    if (gic_twin_is_load(op))
        return previrt_dev_read32(gic_twin_addr[op]);
    previrt_dev_write32(gic_twin_addr[op], value);
    return 0;
}

static int emul_gic_twin(void)
{
    static uint32_t fast[GIC_STEPS], general[GIC_STEPS], trapped[GIC_STEPS], dev[GIC_STEPS];
    unsigned bad = 0, first = 0;

    gic_twin_run(emul_gic_short, fast);
    gic_twin_run(emul_gic_general, general);
    gic_twin_run(gic_trapped, trapped);
    gic_twin_run(gic_dev, dev);
    for (unsigned i = 0; i < GIC_STEPS; i++) {
        uint32_t want = gic_script[i].expect;
        uint32_t got = gic_twin_is_load(gic_script[i].op) ? fast[i] : fast[i] & 0xffu;

        if ((fast[i] != general[i] || fast[i] != trapped[i] || fast[i] != dev[i] ||
             (want != NO && got != want)) &&
            !bad++)
            first = i;
    }
    puts_("[test] gic twin: ");
    putu(GIC_STEPS);
    puts_(" steps, ");
    putu(bad);
    puts_(" wrong");
    if (bad) {
        puts_(" (first: step ");
        putu(first);
        puts_(", short ");
        putu(fast[first]);
        puts_(", general ");
        putu(general[first]);
        puts_(", trapped ");
        putu(trapped[first]);
        puts_(", device call ");
        putu(dev[first]);
        puts_(")");
    }
    puts_(bad ? ": FAIL\n" : ": ok\n");
    return bad != 0;
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

/* The runtime's state (l4glue.h's previrt_l4_t), whose first member is the
 * area it shares with the VMM. */
extern previrt_shared_t previrt_l4;

/* A guest writes the vGIC state it shares with the VMM as it likes; the
 * VMM, asked for a GIC access the rewriter could not see (it traps), must
 * refuse the state whose fields index its arrays out of range, and stop
 * the guest, not write where the guest said (docs/previrt.md, "Devices"). */
static void emul_fault_gic(void)
{
    vgic_t *g = &previrt_l4.vgic;

    if (name_is("badgicdepth")) {
        g->active_depth = 0x7ff00000u;
    } else if (name_is("badgicstack")) {
        g->active_stack[0] = 0xfff0u;
        g->active_depth = 1;
    } else {
        g->cache = VGIC_CACHE_VALID | VGIC_CACHE_READY | 0x3f0u;
    }
    gic_trapped(GICTWIN_RPR_LD, 0); /* GICC_RPR: indexes the active stack */
    gic_trapped(GICTWIN_IAR_LD, 0); /* GICC_IAR: the signalled INTID */
}

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
    else if (name_is("badgicdepth") || name_is("badgicstack") || name_is("badgiccache"))
        emul_fault_gic(); /* vGIC state out of range, then a trapped GIC access */
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
    if (emul_rollback() || emul_gic_twin())
        emul_exit(1);
    puts_("[bench] DONE\n");
    emul_exit(0);
}
