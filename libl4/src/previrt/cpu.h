/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest runtime's per-vCPU area (__previrt_cpu): the guest context a
 * rewritten site hands over, and the model of the ARMv7 exception level
 * the guest believes it runs at (docs/previrt.md, "The runtime").
 *
 * Layout: the context comes first because the call stubs the rewriter
 * emits store the guest's lr into word PREVIRT_CTX_LR of it and the exit
 * reloads r0-r15 with one `ldm`. Offsets used by enter.S are #defines here
 * and checked against the struct with static asserts.
 *
 * Invariant between runtime calls (the guest runs): ctx is scratch; the
 * guest's sp/lr are the current virtual mode's, the other modes' sp/lr are
 * in bank_sp/bank_lr, the inactive r8-r12 (FIQ or not) in r8_12_other;
 * vcpsr holds the virtual CPSR's M, F, A, E bits (I lives in the word
 * *irq_enable points to, flags in the real APSR; vcpsr's I bit is only
 * meaningful inside a call, and T is never set there).
 */
#ifndef PREVIRT_CPU_H
#define PREVIRT_CPU_H

#include <previrt/contract.h>

#define PREVIRT_AREA_IRQ_ENABLE 68  /* uint32_t *: 1 = virtual interrupts enabled */
#define PREVIRT_AREA_IRQ_WAS 72     /* its value when the call came in */
#define PREVIRT_AREA_IRQ_FINAL 76   /* the value previrt_exit leaves it at */
#define PREVIRT_AREA_STUB 80        /* lr at entry: &descriptor in the stub */
#define PREVIRT_AREA_STACK_TOP 84   /* the runtime's own stack (the guest's may be unusable) */
#define PREVIRT_AREA_IRQ_PENDING 88 /* uint32_t *: non-zero = a virtual interrupt is pending */
#define PREVIRT_AREA_SYNC_CPTR 92   /* the VCPU cap: vcpu_sync when it is */
#define PREVIRT_AREA_IRQ_POKE 96    /* uint32_t *: non-zero = an interrupt may be deliverable */
#define PREVIRT_AREA_VCPSR 100      /* the virtual CPSR's M, A, F, E bits */
#define PREVIRT_AREA_USER_ITSTATE 104
#define PREVIRT_AREA_BANK_SP 108 /* uint32_t[BANKS] */
#if PREVIRT_AREA_IRQ_ENABLE != PREVIRT_CONTRACT_IRQ_ENABLE ||                                      \
    PREVIRT_AREA_IRQ_PENDING != PREVIRT_CONTRACT_IRQ_PENDING ||                                    \
    PREVIRT_AREA_IRQ_POKE != PREVIRT_CONTRACT_IRQ_POKE || PREVIRT_AREA_VCPSR != PREVIRT_CONTRACT_VCPSR
#error "the area words of the inline stubs (tools/previrt/contract.py) are not the area's"
#endif
#define PREVIRT_AREA_BANK_LR 132 /* uint32_t[BANKS] */
#define PREVIRT_AREA_SPSR 156    /* uint32_t[BANKS] */
#define PREVIRT_AREA_SYS_VBAR 200 /* sys.vbar */
#define PREVIRT_AREA_SCTLR 244    /* const uint32_t *: the SCTLR word whose V bit the glue keeps */
#define PREVIRT_SCTLR_V_BIT 0x2000u /* SCTLR.V (B4.1.130): the high vectors */

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

/* Virtual CPSR bits (ARM ARM B1.3.3). */
#define PSR_M_MASK 0x1fu
#define PSR_T (1u << 5)
#define PSR_F (1u << 6)
#define PSR_I (1u << 7)
#define PSR_A (1u << 8)
#define PSR_E (1u << 9)
#define PSR_FLAGS 0xf80f0000u /* N Z C V Q and GE[3:0]: the real APSR's */
#define PSR_IT_J 0x0700fc00u  /* IT[7:0] and J: execution state the runtime cannot restore */
#define PSR_J (1u << 24)
#define PSR_RESERVED 0x00f00000u /* bits 23:20, RAZ/WI in every PSR (B1.3.3) */

#define MODE_USR 0x10u
#define MODE_FIQ 0x11u
#define MODE_IRQ 0x12u
#define MODE_SVC 0x13u
#define MODE_ABT 0x17u
#define MODE_UND 0x1bu
#define MODE_SYS 0x1fu

/* Banks of sp/lr/spsr: USR and SYS share bank 0 (which has no SPSR). */
enum { BANK_USR, BANK_FIQ, BANK_IRQ, BANK_SVC, BANK_ABT, BANK_UND, BANKS };

/* The system registers the runtime emulates itself (tools/previrt/policy.py). */
typedef struct {
    uint32_t vbar;
    uint32_t tpidrurw, tpidruro, tpidrprw;
    uint32_t dfsr, ifsr, adfsr, aifsr, dfar, ifar;
    uint32_t cntkctl;
} previrt_sysregs_t;

typedef struct previrt_cpu {
    uint32_t ctx[PREVIRT_CTX_WORDS]; /* r0-r15 and the real APSR at the call */
    volatile uint32_t *irq_enable;
    uint32_t irq_was, irq_final;
    const uint32_t *stub; /* the descriptor of the site being emulated */
    uint32_t *stack_top;
    volatile uint32_t *irq_pending;
    uint32_t sync_cptr;
    volatile uint32_t *irq_poke;
    uint32_t vcpsr;
    /* The IT bits an exception return to User mode restores: valid only
     * from that return (previrt_exception_return) to the resume
     * (previrt_enter_user) or an exception taken before it (into its
     * SPSR, previrt_take_exception), which both clear it; 0 on every
     * other path (the fast returns to User need not store it). */
    uint32_t user_itstate;
    uint32_t bank_sp[BANKS], bank_lr[BANKS], spsr[BANKS];
    uint32_t r8_12_other[5]; /* r8-r12 of the banks (FIQ / not FIQ) not in use */
    previrt_sysregs_t sys;
    /* The word whose V bit selects the high vectors (the glue's virtual
     * SCTLR; previrt_init points it at a zero word: none). The glue's
     * previrt_glue_vector_base and the fast paths read it. */
    const volatile uint32_t *sctlr;
    uint32_t stack[768] __attribute__((aligned(8)));
} previrt_cpu_t;

_Static_assert(offsetof(previrt_cpu_t, irq_enable) == PREVIRT_AREA_IRQ_ENABLE, "layout");
_Static_assert(offsetof(previrt_cpu_t, irq_was) == PREVIRT_AREA_IRQ_WAS, "layout");
_Static_assert(offsetof(previrt_cpu_t, irq_final) == PREVIRT_AREA_IRQ_FINAL, "layout");
_Static_assert(offsetof(previrt_cpu_t, stub) == PREVIRT_AREA_STUB, "layout");
_Static_assert(offsetof(previrt_cpu_t, stack_top) == PREVIRT_AREA_STACK_TOP, "layout");
_Static_assert(offsetof(previrt_cpu_t, irq_pending) == PREVIRT_AREA_IRQ_PENDING, "layout");
_Static_assert(offsetof(previrt_cpu_t, sync_cptr) == PREVIRT_AREA_SYNC_CPTR, "layout");
_Static_assert(offsetof(previrt_cpu_t, irq_poke) == PREVIRT_AREA_IRQ_POKE, "layout");
_Static_assert(offsetof(previrt_cpu_t, vcpsr) == PREVIRT_AREA_VCPSR, "layout");
_Static_assert(offsetof(previrt_cpu_t, bank_sp) == PREVIRT_AREA_BANK_SP, "layout");
_Static_assert(offsetof(previrt_cpu_t, bank_lr) == PREVIRT_AREA_BANK_LR, "layout");
_Static_assert(offsetof(previrt_cpu_t, spsr) == PREVIRT_AREA_SPSR, "layout");
_Static_assert(offsetof(previrt_cpu_t, sys.vbar) == PREVIRT_AREA_SYS_VBAR, "layout");
_Static_assert(offsetof(previrt_cpu_t, sctlr) == PREVIRT_AREA_SCTLR, "layout");
_Static_assert(BANKS == 6 && BANK_USR == 0, "enter.S's bank table");

/* Everything the runtime keeps lives in .data: the guest's reset code
 * zeroes its .bss after the runtime has started. */
#define PREVIRT_DATA __attribute__((section(".data.previrt")))

extern previrt_cpu_t __previrt_cpu;

/* Reset state: SVC mode, A, I and F set. irq_enable is the word the glue
 * maps the virtual CPSR.I bit to (1 = enabled); irq_pending the word that
 * is non-zero while a virtual interrupt is pending, which the exit takes
 * with vcpu_sync on sync_cptr right after it re-enables interrupts;
 * irq_poke a word that is non-zero when an interrupt may have become
 * deliverable in a way irq_pending does not show (the enter.S fast path
 * of cpsie leaves such a case to previrt_glue_exit). */
void previrt_init(previrt_cpu_t *cpu, volatile uint32_t *irq_enable, volatile uint32_t *irq_pending,
                  uint32_t sync_cptr, volatile uint32_t *irq_poke);

/* emulate.c: the whole instruction, from the descriptor; enter.S calls it. */
void previrt_emulate(previrt_cpu_t *cpu, uint32_t desc, uint32_t imm);
/* memop.c: a MEM or MEM_EXTRA site (a device load/store), or its fallback. */
void previrt_emulate_mem(previrt_cpu_t *cpu, uint32_t desc, uint32_t fallback);
/* enter.S's C access for a MEM site's commonest form (ldr/str{b} Rt,
 * [Rn, #+-imm12]) and a device call, decoded there (how = Rt | L << 4 |
 * B << 5); fallback 0: a device call's. enter.S's previrt_access_exit
 * then does the glue's look (previrt_glue_exit) where it has one to do. */
void previrt_mem_access(previrt_cpu_t *cpu, uint32_t addr, uint32_t how, uint32_t fallback);

/* The virtual CPSR as MRS would read it / as an exception saves it. */
uint32_t previrt_cpsr(const previrt_cpu_t *cpu);
/* Change the virtual mode, moving sp/lr (and r8-r12 for FIQ) between
 * the live context and the banks. `mode` must be valid (previrt_bank). */
void previrt_set_mode(previrt_cpu_t *cpu, uint32_t mode);
/* Bank index of a mode, or -1 if the runtime does not model it. */
static inline int previrt_bank(uint32_t mode)
{
    switch (mode) {
    case MODE_USR:
    case MODE_SYS:
        return BANK_USR;
    case MODE_FIQ:
        return BANK_FIQ;
    case MODE_IRQ:
        return BANK_IRQ;
    case MODE_SVC:
        return BANK_SVC;
    case MODE_ABT:
        return BANK_ABT;
    case MODE_UND:
        return BANK_UND;
    default:
        return -1;
    }
}
/* Take an exception: SPSR (the current CPSR), mode, I/F/A, lr, pc =
 * vector base + offset. The _spsr form saves the given value instead (an
 * exception from virtual user mode, whose CPSR the kernel saved). */
void previrt_take_exception(previrt_cpu_t *cpu, uint32_t mode, uint32_t offset, uint32_t lr);
void previrt_take_exception_spsr(previrt_cpu_t *cpu, uint32_t mode, uint32_t offset, uint32_t lr,
                                 uint32_t spsr);
/* The exception vector base: VBAR, or the glue's (high vectors). */
uint32_t previrt_glue_vector_base(previrt_cpu_t *cpu);
/* enter.S: leave the runtime to the guest context in cpu->ctx, leaving
 * the interrupt-enable word at cpu->irq_final (the same exit every
 * emulated instruction takes). */
__attribute__((noreturn)) void previrt_exit(previrt_cpu_t *cpu);
/* Exception return: CPSR := spsr (all of it), then continue at pc. */
void previrt_exception_return(previrt_cpu_t *cpu, uint32_t spsr, uint32_t pc);

/* Exception vector offsets (B1.8.1). */
#define VEC_UND 0x04u
#define VEC_SVC 0x08u
#define VEC_PABT 0x0cu
#define VEC_DABT 0x10u
#define VEC_IRQ 0x18u
#define VEC_FIQ 0x1cu

/* sysreg.c: the emulated cp15/cp14 registers. Returns 0, or -1 if the
 * register is not the runtime's (the glue then decides). */
int previrt_sysreg_read(previrt_cpu_t *cpu, uint32_t cp, uint32_t opc1, uint32_t crn, uint32_t crm,
                        uint32_t opc2, uint32_t *value);
int previrt_sysreg_write(previrt_cpu_t *cpu, uint32_t cp, uint32_t opc1, uint32_t crn, uint32_t crm,
                         uint32_t opc2, uint32_t value);

/*
 * The glue (one implementation per environment: the L4 vCPU, or a bare
 * test machine) provides these. None of them may use a sensitive
 * instruction outside the runtime's allowed functions.
 */
void previrt_glue_idle(previrt_cpu_t *cpu); /* wfi: until a virtual interrupt is pending */
/* svc the guest means for a debugger (semihosting, svc 0x123456 / 0xab):
 * returns 1 if it was handled (r0 holds the result), 0 to take an SVC. */
int previrt_glue_semihost(previrt_cpu_t *cpu, uint32_t imm);
/* cp15/cp14 registers not in sysreg.c (timer, PMU, debug channel). */
int previrt_glue_sysreg_read(previrt_cpu_t *cpu, uint32_t cp, uint32_t opc1, uint32_t crn,
                             uint32_t crm, uint32_t opc2, uint32_t *value);
int previrt_glue_sysreg_write(previrt_cpu_t *cpu, uint32_t cp, uint32_t opc1, uint32_t crn,
                              uint32_t crm, uint32_t opc2, uint32_t value);
int previrt_glue_sysreg_read64(previrt_cpu_t *cpu, uint32_t opc1, uint32_t crm, uint64_t *value);
int previrt_glue_sysreg_write64(previrt_cpu_t *cpu, uint32_t opc1, uint32_t crm, uint64_t value);
/* Registers of a device the glue emulates, for hand-ported code
 * (previrt/dev.h, size 4) and the MEM rewrite (memop.c): an access of size
 * 1, 2 or 4 bytes at addr; 0, or -1 if the glue has no device that takes
 * it. device_has says whether all of `bytes` bytes from addr are taken
 * (an access of min(bytes, 4) at a time), without an access. */
int previrt_glue_device_has(previrt_cpu_t *cpu, uint32_t addr, unsigned bytes);
int previrt_glue_device_read(previrt_cpu_t *cpu, uint32_t addr, unsigned size, uint32_t *value);
int previrt_glue_device_write(previrt_cpu_t *cpu, uint32_t addr, unsigned size, uint32_t value);
/* Called after every emulated instruction, before the exit: the glue
 * takes a virtual interrupt that became deliverable, and continues a
 * context whose virtual mode is USR in virtual user mode (it may not
 * return). */
void previrt_glue_exit(previrt_cpu_t *cpu);
/* After a fast path's exception return to User mode (enter.S, r0 = cpu,
 * on the runtime's stack): what previrt_glue_exit does for the context,
 * which goes on in virtual user mode unless an interrupt is taken first;
 * the glue may take the case with nothing to look at its own shorter way.
 * Never returns. */
__attribute__((noreturn)) void previrt_glue_user_exit(previrt_cpu_t *cpu);
/* enter.S: previrt_glue_exit, irq_final from the result, previrt_exit. */
__attribute__((noreturn)) void previrt_fast_glue_exit(previrt_cpu_t *cpu);
/* Something the runtime cannot emulate: report and stop the guest. */
__attribute__((noreturn)) void previrt_glue_fatal(previrt_cpu_t *cpu, const char *why);
#endif

#endif
