/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private helpers of the native port: processor modes, PSR bits, cp15
 * accessors and MMIO. Only files under arch/native/ include this.
 * Each cp15 register is named after the ARM ARM (DDI 0406C, B4.1).
 */
#ifndef NATIVE_CPU_H
#define NATIVE_CPU_H

#include <stdint.h>

#define PSR_MODE_MASK 0x1fu
#define PSR_MODE_USR 0x10u
#define PSR_MODE_IRQ 0x12u
#define PSR_MODE_SVC 0x13u
#define PSR_MODE_ABT 0x17u
#define PSR_MODE_UND 0x1bu
#define PSR_MODE_SYS 0x1fu
#define PSR_F (1u << 6)
#define PSR_I (1u << 7)

#define CP15_READ(op1, crn, crm, op2)                                                              \
    ({                                                                                             \
        uint32_t v_;                                                                               \
        __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v_));           \
        v_;                                                                                        \
    })

#define CP15_WRITE(op1, crn, crm, op2, v)                                                          \
    __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2                            \
                     :                                                                             \
                     : "r"((uint32_t)(v))                                                          \
                     : "memory")

#define CP15_READ64(op1, crm)                                                                      \
    ({                                                                                             \
        uint32_t lo_, hi_;                                                                         \
        __asm__ volatile("mrrc p15, " #op1 ", %0, %1, " #crm : "=r"(lo_), "=r"(hi_));              \
        ((uint64_t)hi_ << 32) | lo_;                                                               \
    })

#define CP15_WRITE64(op1, crm, v)                                                                  \
    __asm__ volatile("mcrr p15, " #op1 ", %0, %1, " #crm                                           \
                     :                                                                             \
                     : "r"((uint32_t)(v)), "r"((uint32_t)((v) >> 32))                              \
                     : "memory")

/* Barriers (ARM ARM A3.8.3). */
static inline void cpu_dsb(void)
{
    __asm__ volatile("dsb" ::: "memory");
}

static inline void cpu_isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

/*
 * The stats build (-DNATIVE_KSTATS=1, guests/rtos/SConscript: the image
 * rtos-bench-kstats) counts every exception entry on PMU counter 1 and
 * every TTBR0 load on counter 2, both programmed for event 0x00 (software
 * increment, PMSWINC: ARM ARM C12.8.14). Every other build leaves the
 * counters counting instructions and this costs nothing: the constant
 * removes the code.
 */
#ifndef NATIVE_KSTATS
#define NATIVE_KSTATS 0
#endif
#define NATIVE_KSTAT_ENTRY 1u  /* PMU counter: exception entries */
#define NATIVE_KSTAT_SWITCH 2u /* PMU counter: TTBR0 loads */

static inline void native_kstat_count(unsigned counter)
{
    if (NATIVE_KSTATS)
        CP15_WRITE(0, c9, c12, 4, 1u << counter); /* PMSWINC */
}

/* Port-internal entry points (boot.c and drivers). */
void native_mmu_init(void);
void native_uart_init(void);
void native_gic_init(void);
void native_pmu_init(void);
void native_fpu_init(void);
uint32_t native_gic_ack(void);
void native_gic_eoi(uint32_t iar);
/* Make an SPI edge-triggered (GICD_ICFGR): pending on each rising edge of
 * its input, not while it is high (gic.c). */
void native_gic_set_edge(unsigned line);
/* A line's level changed (port_irq_set_priority in gic.c): whether and from
 * which level handlers nest (trap.c). */
void native_irq_prio_set(unsigned line, unsigned prio);
void native_timer_irq(void);
void native_as_switch_kernel(void);

#endif
