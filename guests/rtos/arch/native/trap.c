/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * C halves of the exception entries in vectors.S. Each is called in SVC
 * mode with IRQs masked, the interrupted context saved in *ctx, and returns
 * the context to resume. Each brackets its upcalls with
 * rtos_kernel_enter()/rtos_kernel_leave(), as the port contract requires
 * (a nested interrupt, NATIVE_IRQ_NEST, runs inside its outer one's),
 * and is where the stats build counts an exception entry (cpu.h).
 */
#include <rtos/rtos.h>

#include <native_stack.h>

#include "board.h"
#include "cpu.h"

/* A level's room: the port's frames (about 100 bytes, native_stack.h) and
 * a handler's budget. */
_Static_assert(NATIVE_NEST_ROOM >= 128 + RTOS_IRQ_HANDLER_STACK, "a level's room");
_Static_assert(NATIVE_EXC_STACK_SIZE >= (RTOS_IRQ_PRIO_LEVELS + 1) * NATIVE_NEST_ROOM,
               "the kernel stack holds the deepest chain and the check's room");

#define GIC_IAR_ID_MASK 0x3ffu
#define GIC_IAR_SPURIOUS 1020u /* 1020..1023: nothing to handle */

/* Each line's level as port_irq_set_priority last set it (gic.c, which
 * tells native_irq_prio_set; native_gic_init starts every line at
 * RTOS_IRQ_PRIO_DEFAULT), and the level below which a handler can be
 * preempted: RTOS_IRQ_PRIO_NONE while every line has the same level (no
 * handler can be), else the highest level (lowest value) of any line. */
static uint8_t native_irq_prio[PORT_IRQ_LINES] = {[0 ... PORT_IRQ_LINES - 1] =
                                                      RTOS_IRQ_PRIO_DEFAULT};
static unsigned native_irq_nest_above = RTOS_IRQ_PRIO_NONE;

void native_irq_prio_set(unsigned line, unsigned prio)
{
    unsigned top = RTOS_IRQ_PRIO_NONE, bottom = 0;

    native_irq_prio[line] = (uint8_t)prio;
    for (unsigned k = 0; k < PORT_IRQ_LINES; k++) {
        top = native_irq_prio[k] < top ? native_irq_prio[k] : top;
        bottom = native_irq_prio[k] > bottom ? native_irq_prio[k] : bottom;
    }
    native_irq_nest_above = top < bottom ? top : RTOS_IRQ_PRIO_NONE;
}

/* Run the handler of line (acknowledged: the GIC's running priority is
 * its priority). With NATIVE_IRQ_NEST, where a line of higher priority
 * exists, with IRQs enabled: only a line of higher priority preempts it
 * (vectors.S, native_irq_nested_entry); where none does, masked, as
 * without the option (no cost for the common case of one level). The
 * core allows it: every core call a handler may make is a critical section
 * (port_irq_save), so a nested handler finds the core's lists consistent,
 * and the switch it may cause waits for the outermost rtos_kernel_leave().
 * The tick (sched_tick: the core's lists without a critical section of
 * its own) always runs with IRQs masked. */
static void native_irq_run(unsigned line)
{
    if (line == BOARD_TIMER_PPI) {
        native_timer_irq();
        return;
    }
    if (!NATIVE_IRQ_NEST || native_irq_prio[line] <= native_irq_nest_above) {
        rtos_kernel_irq(line);
        return;
    }
    __asm__ volatile("cpsie i" ::: "memory");
    rtos_kernel_irq(line);
    __asm__ volatile("cpsid i" ::: "memory");
}

/* One interrupt per exception: if another is pending, the IRQ is taken
 * again as soon as the resumed context unmasks. */
port_ctx_t *native_irq(port_ctx_t *ctx)
{
    uint32_t iar;
    unsigned line;

    native_kstat_count(NATIVE_KSTAT_ENTRY);
    iar = native_gic_ack();
    line = iar & GIC_IAR_ID_MASK;
    rtos_kernel_enter();
    if (line < GIC_IAR_SPURIOUS) {
        native_irq_run(line);
        native_gic_eoi(iar);
    }
    return rtos_kernel_leave();
}

/* NATIVE_IRQ_NEST: an IRQ that preempted a handler (vectors.S). Already
 * between rtos_kernel_enter() and _leave(): the outer handler's exit
 * resumes whatever the core picks. */
void native_irq_nested(void)
{
    uint32_t iar;
    unsigned line;

    native_kstat_count(NATIVE_KSTAT_ENTRY);
    iar = native_gic_ack();
    line = iar & GIC_IAR_ID_MASK;
    if (line < GIC_IAR_SPURIOUS) {
        native_irq_run(line);
        native_gic_eoi(iar);
    }
}

/* svc from USR is a system call; from SYS it is port_yield(). */
port_ctx_t *native_svc(port_ctx_t *ctx)
{
    native_kstat_count(NATIVE_KSTAT_ENTRY);
    rtos_kernel_enter();
    if ((ctx->cpsr & PSR_MODE_MASK) == PSR_MODE_USR)
        rtos_kernel_syscall(ctx);
    else
        rtos_kernel_yield();
    return rtos_kernel_leave();
}

static PORT_NORETURN void native_fatal(const char *what, uint32_t pc, uint32_t addr,
                                       uint32_t status)
{
    rtos_printf("[native] FATAL %s in kernel: pc %p addr %p status 0x%x\n", what, (void *)pc,
                (void *)addr, (unsigned)status);
    port_exit(3);
}

/* A fault. From a task (USR or SYS mode) the core decides (it kills the
 * task); from an exception mode it is a kernel bug and stops the machine. */
port_ctx_t *native_abort(port_ctx_t *ctx, enum port_fault kind)
{
    uint32_t mode = ctx->cpsr & PSR_MODE_MASK;
    uint32_t addr = ctx->pc, status = 0;

    native_kstat_count(NATIVE_KSTAT_ENTRY);
    if (kind == PORT_FAULT_DATA) {
        addr = CP15_READ(0, c6, c0, 0);   /* DFAR */
        status = CP15_READ(0, c5, c0, 0); /* DFSR */
    } else if (kind == PORT_FAULT_PREFETCH) {
        addr = CP15_READ(0, c6, c0, 2);   /* IFAR */
        status = CP15_READ(0, c5, c0, 1); /* IFSR */
    }
    if (mode != PSR_MODE_USR && mode != PSR_MODE_SYS)
        native_fatal("abort", ctx->pc, addr, status);
    rtos_kernel_enter();
    rtos_kernel_fault(ctx, kind, addr);
    return rtos_kernel_leave();
}

void native_bad_exception(void)
{
    native_fatal("unexpected exception", 0, 0, 0);
}

/* A nested IRQ found less than NATIVE_NEST_ROOM left on the kernel stack
 * (vectors.S): a handler used more than its budget (native_stack.h). */
void native_irq_nest_overflow(uint32_t sp)
{
    native_fatal("nested interrupt: kernel stack exhausted", 0, sp,
                 (uint32_t)(uintptr_t)native_exc_stack);
}
