/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The runtime's environment on this kernel (cpu.h's previrt_glue_*): the
 * virtual CPSR.I bit is the state page's virq_enabled, virtual interrupts
 * come from the notification lines through the virtual GIC shared with the
 * VMM (system/previrt.h), virtual user mode is vcpu_resume(USER) into the
 * shadow space the VMM keeps, idling is a wait on the notification, and
 * semihosting is the console and VMM_EXIT.
 *
 * Every function here runs inside a runtime call or an upcall, with
 * virtual interrupts masked: nothing here can be interrupted by an upcall,
 * so the IPC buffer is the runtime's while it runs.
 */
#include <l4/l4.h>

#include "l4glue.h"

PREVIRT_DATA previrt_l4_t previrt_l4;

__attribute__((noreturn)) static void glue_stop(uint32_t status)
{
    l4_msg_t m = {.info = l4_msginfo(VMM_EXIT, 0, 1), .mr = {status}};
    l4_word_t bits;

    l4_call(GUEST_CAP_VMM, &m);
    for (;;) /* the VMM stops us; if it does not, stay idle and masked */
        l4_wait(GUEST_CAP_NTFN, &bits);
}

static void glue_console_flush(void)
{
    previrt_l4_t *g = &previrt_l4;
    l4_msg_t m = {.info = l4_msginfo(CONSOLE_WRITE, 0, 1 + (g->console_len + 3) / 4)};

    if (!g->console_len)
        return;
    m.mr[0] = g->console_len;
    for (uint32_t w = 0; w < (g->console_len + 3) / 4; w++) {
        l4_word_t v = 0;

        for (uint32_t i = 4 * w; i < 4 * w + 4 && i < g->console_len; i++)
            v |= (l4_word_t)(uint8_t)g->console[i] << (8 * (i % 4));
        if (1 + w < L4_MSG_REG_WORDS)
            m.mr[1 + w] = v;
        else
            l4_set_mr(1 + w, v); /* beyond the registers: the IPC buffer */
    }
    l4_call(GUEST_CAP_CONSOLE, &m);
    g->console_len = 0;
}

static void glue_console_putc(char c)
{
    previrt_l4_t *g = &previrt_l4;

    g->console[g->console_len++] = c; /* the console server prints whole lines */
    if (c == '\n' || g->console_len == CONSOLE_WRITE_MAX)
        glue_console_flush();
}

static void glue_console_puts(const char *s)
{
    while (*s)
        glue_console_putc(*s++);
}

static void glue_console_hex(uint32_t v)
{
    for (int i = 28; i >= 0; i -= 4)
        glue_console_putc("0123456789abcdef"[(v >> i) & 15]);
}

void previrt_glue_fatal(previrt_cpu_t *cpu, const char *why)
{
    glue_console_puts("[previrt] stopped: ");
    glue_console_puts(why);
    glue_console_puts(" at pc 0x");
    glue_console_hex(cpu->ctx[PREVIRT_CTX_PC]);
    glue_console_putc('\n');
    glue_stop(3);
}

/*
 * Semihosting (ARM DUI 0471 "Semihosting operations"): r0 = operation,
 * r1 = its argument. Output goes to the guest's console line by line; an
 * exit ends the guest with its status. Anything else answers -1.
 */
int previrt_glue_semihost(previrt_cpu_t *cpu, uint32_t imm)
{
    uint32_t op = cpu->ctx[0], arg = cpu->ctx[1];
    const uint32_t *block = (const uint32_t *)arg;

    switch (op) {
    case 0x03: /* SYS_WRITEC */
        glue_console_putc(*(const char *)arg);
        return 1;
    case 0x04: /* SYS_WRITE0 */
        glue_console_puts((const char *)arg);
        return 1;
    case 0x18: /* SYS_EXIT: r1 = reason */
        glue_console_flush();
        glue_stop(arg == 0x20026u ? 0 : 1);
    case 0x20: /* SYS_EXIT_EXTENDED: r1 = {reason, code} */
        glue_console_flush();
        glue_stop(block[0] == 0x20026u ? block[1] : 1);
    default:
        cpu->ctx[0] = (uint32_t)-1;
        return 1;
    }
}

/* wfi: wait for a line unless something is pending already. Bits a wait
 * returns would otherwise be lost: they become pending like any other. */
void previrt_glue_idle(previrt_cpu_t *cpu)
{
    l4_word_t bits = 0;

    if (previrt_state_pending() || previrt_l4.shared.poke || vgic_ready(&previrt_l4.shared.vgic))
        return;
    l4_wait(GUEST_CAP_NTFN, &bits);
    if (bits)
        previrt_state_add_pending(bits);
}

_Static_assert(PREVIRT_SCTLR_V == PREVIRT_SCTLR_V_BIT, "SCTLR.V, as the fast paths test it");

uint32_t previrt_glue_vector_base(previrt_cpu_t *cpu)
{
    return (*cpu->sctlr & PREVIRT_SCTLR_V) ? 0xffff0000u : cpu->sys.vbar; /* the VMM's SCTLR */
}

/* Lines that arrived (virq_pending) become pending INTIDs of the vGIC. */
void previrt_irq_collect(previrt_cpu_t *cpu)
{
    previrt_l4_t *g = &previrt_l4;
    uint32_t bits = previrt_state_pending() ? previrt_state_take_pending() : 0;

    if (!bits)
        return;
    g->shared.poke = 1;
    if (bits & (1u << PREVIRT_LINE_TIMER)) {
        g->vtimer_armed = 0;
        previrt_vtimer_update();
    }
    for (uint32_t k = 0; k < g->nphys; k++)
        if (bits & (1u << PREVIRT_LINE_PHYS(k)))
            vgic_set_pending(&g->shared.vgic, g->phys_intid[k]);
}

/* An interrupt that became deliverable is taken right after the emulated
 * instruction; a context in virtual User mode continues in virtual user
 * mode. */
void previrt_glue_exit(previrt_cpu_t *cpu)
{
    previrt_l4_t *g = &previrt_l4;

    if (!(cpu->vcpsr & PSR_I)) {
        previrt_irq_collect(cpu);
        if (g->shared.poke) {
            g->shared.poke = 0;
            if (vgic_ready(&g->shared.vgic))
                previrt_take_exception(cpu, MODE_IRQ, VEC_IRQ,
                                       (cpu->ctx[PREVIRT_CTX_PC] & ~1u) + 4);
        }
    }
    if ((cpu->vcpsr & PSR_M_MASK) == MODE_USR)
        previrt_enter_user(cpu);
}

/* Into the shadow space the VMM selected (user_pd). The kernel keeps the
 * page directory of the last resume: while the selection is the same,
 * L4_CAP_NULL names it without a lookup (the kernel's assembly path). If
 * the kernel kept none, that resume fails and the directory is named. */
void previrt_resume_user(void)
{
    previrt_l4_t *g = &previrt_l4;
    l4_cptr_t pd = g->shared.user_pd;

    if (pd == g->resumed_pd)
        l4_vcpu_resume(GUEST_CAP_VCPU, L4_VCPU_RESUME_USER, L4_CAP_NULL);
    g->resumed_pd = pd;
    l4_vcpu_resume(GUEST_CAP_VCPU, L4_VCPU_RESUME_USER, pd);
    previrt_glue_fatal(&__previrt_cpu, "vcpu_resume(USER) failed: no shadow space");
}

/* Virtual user mode: the context into the state page's regs; the kernel
 * keeps the flags, GE, IT and T bits of its cpsr and forces User mode. */
void previrt_enter_user(previrt_cpu_t *cpu)
{
    volatile uint32_t *regs = previrt_state_regs(1);
    uint32_t pc = cpu->ctx[PREVIRT_CTX_PC];

    previrt_state_put_r0_r14(regs, cpu->ctx);
    regs[15] = pc & ~1u;
    regs[16] = (cpu->ctx[PREVIRT_CTX_CPSR] & PSR_FLAGS) | cpu->user_itstate | MODE_USR |
               ((pc & 1) ? PSR_T : 0);
    cpu->user_itstate = 0;
    previrt_resume_user();
}

/* --- the system registers the glue emulates ------------------------------- */

#define REG(opc1, crn, crm, opc2) (((opc1) << 12) | ((crn) << 8) | ((crm) << 4) | (opc2))

int previrt_glue_sysreg_read(previrt_cpu_t *cpu, uint32_t cp, uint32_t opc1, uint32_t crn,
                             uint32_t crm, uint32_t opc2, uint32_t *value)
{
    uint32_t key = REG(opc1, crn, crm, opc2);

    if (cp == 14) { /* the debug channel and JIDR: no debugger, no Jazelle */
        *value = 0;
        return key == REG(0, 0, 1, 0) || key == REG(0, 0, 5, 0) || key == REG(7, 0, 0, 0) ? 0 : -1;
    }
    if (opc1 == 0 && crn == 9 && crm >= 12 && crm <= 14) { /* the PMU */
        if (key == REG(0, 9, 13, 2))
            *value = previrt_hw_pmu(previrt_l4.pmselr);
        else if (key == REG(0, 9, 13, 0))
            *value = previrt_hw_cycles();
        else if (key == REG(0, 9, 12, 5))
            *value = previrt_l4.pmselr;
        else
            *value = 0;
        return 0;
    }
    switch (key) {
    case REG(0, 14, 0, 0): /* CNTFRQ */
        *value = previrt_hw_frequency();
        return 0;
    case REG(0, 14, 3, 0): /* CNTV_TVAL: the signed distance to CVAL */
        *value = (uint32_t)(previrt_l4.vtimer_cval - previrt_hw_counter());
        return 0;
    case REG(0, 14, 3, 1): /* CNTV_CTL */
        *value = previrt_vtimer_ctl();
        return 0;
    case REG(0, 12, 1, 0): /* ISR: an IRQ is pending for the CPU */
        *value = vgic_ready(&previrt_l4.shared.vgic) ? (1u << 7) : 0;
        return 0;
    default:
        return -1;
    }
}

int previrt_glue_sysreg_write(previrt_cpu_t *cpu, uint32_t cp, uint32_t opc1, uint32_t crn,
                              uint32_t crm, uint32_t opc2, uint32_t value)
{
    uint32_t key = REG(opc1, crn, crm, opc2);

    if (cp == 14)
        return key == REG(0, 0, 5, 0) ? 0 : -1; /* DBGDTRTXint: nobody listens */
    if (opc1 == 0 && crn == 9 && crm >= 12 && crm <= 14) {
        /* The kernel programs the counters for everyone; the guest's PMU
         * set-up is accepted and has no effect, its selection is kept. */
        if (key == REG(0, 9, 12, 5))
            previrt_l4.pmselr = value & 31u;
        return 0;
    }
    switch (key) {
    case REG(0, 14, 3, 0): /* CNTV_TVAL */
        previrt_vtimer_set_cval(previrt_hw_counter() + (int32_t)value);
        return 0;
    case REG(0, 14, 3, 1): /* CNTV_CTL */
        previrt_vtimer_set_ctl(value);
        return 0;
    default:
        return -1;
    }
}

int previrt_glue_sysreg_read64(previrt_cpu_t *cpu, uint32_t opc1, uint32_t crm, uint64_t *value)
{
    if (crm != 14)
        return -1;
    if (opc1 == 0 || opc1 == 1) { /* CNTPCT, CNTVCT: no virtual offset (no Hyp) */
        *value = previrt_hw_counter();
        return 0;
    }
    if (opc1 == 3) { /* CNTV_CVAL */
        *value = previrt_l4.vtimer_cval;
        return 0;
    }
    return -1;
}

int previrt_glue_sysreg_write64(previrt_cpu_t *cpu, uint32_t opc1, uint32_t crm, uint64_t value)
{
    if (crm != 14 || opc1 != 3)
        return -1;
    previrt_vtimer_set_cval(value);
    return 0;
}
