/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The runtime's glue to this kernel and VMM (docs/previrt.md, "The
 * runtime on the vCPU"): private to glue.c, upcall.c, vtimer.c, hw.c.
 */
#ifndef PREVIRT_L4GLUE_H
#define PREVIRT_L4GLUE_H

#include <system/previrt.h>

#include "cpu.h"
#include "vcpu.h"

/* The virtual generic timer's PPI (the native port's BOARD_TIMER_PPI). */
#define PREVIRT_VTIMER_PPI 27u

typedef struct {
    previrt_shared_t shared; /* attached to the VMM at boot */
    uint32_t nphys;
    uint32_t phys_intid[GUEST_MAX_IRQS]; /* virtual line PREVIRT_LINE_PHYS(k) -> INTID */
    uint64_t vtimer_cval;                /* CNTV_CVAL */
    uint32_t vtimer_ctl;                 /* CNTV_CTL: ENABLE, IMASK (ISTATUS computed) */
    uint32_t vtimer_armed;               /* vCPU timer 0 is armed at vtimer_cval */
    uint32_t pmselr;                     /* the virtual PMSELR */
    l4_cptr_t resumed_pd;                /* user_pd at the last vcpu_resume(USER) */
    uint32_t console_len;
    char console[CONSOLE_WRITE_MAX]; /* semihosting output, one line at a time */
} previrt_l4_t;

extern previrt_l4_t previrt_l4;

/* glue.c */
void previrt_irq_collect(previrt_cpu_t *cpu);
__attribute__((noreturn)) void previrt_enter_user(previrt_cpu_t *cpu);
__attribute__((noreturn)) void previrt_resume_user(void);

/* vtimer.c: CNTV_* on the vCPU's kernel timer 0. */
void previrt_vtimer_update(void);
uint32_t previrt_vtimer_ctl(void);
void previrt_vtimer_set_ctl(uint32_t v);
void previrt_vtimer_set_cval(uint64_t v);

/* hw.c: the few privileged-looking instructions the runtime itself runs
 * (PL0-legal on this kernel); the image's audit allows exactly these. */
uint64_t previrt_hw_counter(void);     /* CNTVCT */
uint32_t previrt_hw_frequency(void);   /* CNTFRQ */
uint32_t previrt_hw_pmu(uint32_t sel); /* PMXEVCNTR of counter sel (bench kernels) */
uint32_t previrt_hw_cycles(void);      /* PMCCNTR */
uint32_t previrt_hw_scratch(void);     /* TPIDRURW: the guest's r0 in a call stub */

/* upcall.S */
void __previrt_upcall(void);
void __previrt_start(void);

#endif
