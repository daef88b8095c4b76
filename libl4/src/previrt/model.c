/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ARMv7 exception model on the runtime's area: virtual CPSR, modes and
 * their banked registers, exception entry and return (ARM ARM DDI 0406C,
 * B1.3 "Processor modes" and B1.8/B1.9 "Exception handling"). No Security
 * or Virtualization Extensions: Monitor and Hyp mode do not exist here,
 * and the vector base is VBAR (SCTLR.V = 0, SCTLR.TE = SCTLR.EE = 0).
 */
#include "cpu.h"

/* The one vCPU's area: the call stubs address it by symbol. */
PREVIRT_DATA previrt_cpu_t __previrt_cpu;
static const uint32_t no_high_vectors; /* an SCTLR with V clear */

void previrt_init(previrt_cpu_t *cpu, volatile uint32_t *irq_enable, volatile uint32_t *irq_pending,
                  uint32_t sync_cptr, volatile uint32_t *irq_poke)
{
    uint32_t *w = (uint32_t *)cpu; /* no libc here: the guest may have none */

    for (size_t i = 0; i < sizeof(*cpu) / sizeof(*w); i++)
        w[i] = 0;
    cpu->irq_enable = irq_enable;
    cpu->irq_pending = irq_pending;
    cpu->sync_cptr = sync_cptr;
    cpu->irq_poke = irq_poke;
    cpu->stack_top = cpu->stack + sizeof(cpu->stack) / sizeof(cpu->stack[0]);
    cpu->sctlr = &no_high_vectors;
    cpu->vcpsr = MODE_SVC | PSR_A | PSR_I | PSR_F; /* as after reset (B1.9.2) */
    *irq_enable = 0;
}

uint32_t previrt_cpsr(const previrt_cpu_t *cpu)
{
    /* MRS reads the execution state bits (IT, J, T) as zero (B9.3.8). */
    return (cpu->ctx[PREVIRT_CTX_CPSR] & PSR_FLAGS) |
           (cpu->vcpsr & (PSR_E | PSR_A | PSR_I | PSR_F | PSR_M_MASK));
}

void previrt_set_mode(previrt_cpu_t *cpu, uint32_t mode)
{
    uint32_t old = cpu->vcpsr & PSR_M_MASK;
    int ob = previrt_bank(old), nb = previrt_bank(mode);

    if (ob < 0 || nb < 0)
        previrt_glue_fatal(cpu, "change to a processor mode the runtime does not model");
    if (ob != nb) {
        cpu->bank_sp[ob] = cpu->ctx[13];
        cpu->bank_lr[ob] = cpu->ctx[14];
        cpu->ctx[13] = cpu->bank_sp[nb];
        cpu->ctx[14] = cpu->bank_lr[nb];
    }
    if ((old == MODE_FIQ) != (mode == MODE_FIQ)) { /* r8-r12 are banked in FIQ mode */
        for (unsigned i = 0; i < 5; i++) {
            uint32_t t = cpu->ctx[8 + i];

            cpu->ctx[8 + i] = cpu->r8_12_other[i];
            cpu->r8_12_other[i] = t;
        }
    }
    cpu->vcpsr = (cpu->vcpsr & ~PSR_M_MASK) | mode;
}

void previrt_take_exception(previrt_cpu_t *cpu, uint32_t mode, uint32_t offset, uint32_t lr)
{
    /* The saved CPSR includes T: the state the interrupted code ran in,
     * and the IT bits an exception return to User mode left to restore
     * (user_itstate, 0 unless the mode is User: the exception is taken
     * before the resume, which they belong to). */
    uint32_t spsr = previrt_cpsr(cpu) | cpu->user_itstate |
                    ((cpu->ctx[PREVIRT_CTX_PC] & 1) ? PSR_T : 0);

    previrt_take_exception_spsr(cpu, mode, offset, lr, spsr);
}

void previrt_take_exception_spsr(previrt_cpu_t *cpu, uint32_t mode, uint32_t offset, uint32_t lr,
                                 uint32_t spsr)
{
    uint32_t old = cpu->vcpsr & PSR_M_MASK;
    int b = previrt_bank(mode), ob = previrt_bank(old);
    uint32_t set = PSR_I;

    if (b <= BANK_USR)
        previrt_glue_fatal(cpu, "exception to a mode without an SPSR");
    if (ob < 0 || old == MODE_FIQ || mode == MODE_FIQ) {
        previrt_set_mode(cpu, mode); /* r8-r12 too (or the report) */
    } else {
        /* previrt_set_mode without r8-r12, and without loading lr: the
         * exception sets it (bank_lr[b] is dead while b is live). */
        if (ob != b) {
            cpu->bank_sp[ob] = cpu->ctx[13];
            cpu->bank_lr[ob] = cpu->ctx[14];
            cpu->ctx[13] = cpu->bank_sp[b];
        }
        cpu->vcpsr = (cpu->vcpsr & ~PSR_M_MASK) | mode;
    }
    cpu->spsr[b] = spsr;
    cpu->user_itstate = 0; /* in the SPSR now, if there were any */
    cpu->ctx[14] = lr;
    if (mode == MODE_FIQ)
        set |= PSR_F;
    if (mode == MODE_FIQ || mode == MODE_IRQ || mode == MODE_ABT)
        set |= PSR_A;
    cpu->vcpsr |= set;
    cpu->ctx[PREVIRT_CTX_PC] = previrt_glue_vector_base(cpu) + offset; /* ARM: SCTLR.TE = 0 */
}

void previrt_exception_return(previrt_cpu_t *cpu, uint32_t spsr, uint32_t pc)
{
    uint32_t mode = spsr & PSR_M_MASK;

    /* ITSTATE cannot be restored by the exit's ldm, only by the kernel's
     * resume into virtual user mode; J never; E would change the runtime's
     * own endianness. */
    if ((spsr & PSR_IT_J) && (mode != MODE_USR || (spsr & PSR_J)))
        previrt_glue_fatal(cpu, "exception return into an IT block or Jazelle state");
    cpu->user_itstate = spsr & PSR_IT_J;
    if (spsr & PSR_E)
        previrt_glue_fatal(cpu, "exception return to big-endian data (CPSR.E)");
    if (previrt_bank(mode) < 0)
        previrt_glue_fatal(cpu, "exception return to a processor mode the runtime does not model");
    previrt_set_mode(cpu, mode);
    cpu->vcpsr = (cpu->vcpsr & ~(PSR_A | PSR_I | PSR_F)) | (spsr & (PSR_A | PSR_I | PSR_F));
    cpu->ctx[PREVIRT_CTX_CPSR] = spsr & PSR_FLAGS;
    /* BranchWritePC in the new state (A2.3.1): the exit's ldm interworks on bit 0. */
    cpu->ctx[PREVIRT_CTX_PC] = (spsr & PSR_T) ? (pc | 1u) : (pc & ~3u);
}
