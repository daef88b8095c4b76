/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt handlers, exercised with the port's software-triggerable lines
 * (SGIs natively): run count, arguments, critical sections holding an
 * interrupt off, a handler waking a higher-priority task, detach.
 */
#include "test.h"

#define LINE (PORT_IRQ_SOFT_FIRST + 3)

static volatile uint32_t handled;
static volatile unsigned seen_line;
static void *volatile seen_arg;
static rtos_sem_t isem;

static void count_handler(unsigned line, void *arg)
{
    handled++;
    seen_line = line;
    seen_arg = arg;
}

static void handler_runs_once_per_interrupt(void)
{
    uint32_t before = rtos_irq_count(LINE);

    handled = 0;
    CHECK_EQ(rtos_irq_attach(LINE, count_handler, &isem), RTOS_OK);
    for (int i = 0; i < 100; i++)
        rtos_irq_trigger(LINE);
    CHECK_EQ(handled, 100);
    CHECK_EQ(rtos_irq_count(LINE) - before, 100);
    CHECK_EQ(seen_line, LINE);
    CHECK(seen_arg == &isem);
    rtos_irq_detach(LINE);
}

static void critical_section_defers_interrupt(void)
{
    port_irqflags_t flags;

    handled = 0;
    rtos_irq_attach(LINE, count_handler, NULL);
    flags = port_irq_save();
    rtos_irq_trigger(LINE);
    for (volatile int i = 0; i < 1000; i++)
        ;
    uint32_t inside = handled;
    port_irq_restore(flags);
    CHECK_EQ(inside, 0);
    CHECK_EQ(handled, 1);
    rtos_irq_detach(LINE);
}

static void give_handler(unsigned line, void *arg)
{
    rtos_sem_give(&isem);
}

static void irq_waiter(void *arg)
{
    if (rtos_sem_take(&isem, 1000) == RTOS_OK)
        log_char('H');
}

static void handler_wakes_higher_task_before_return(void)
{
    rtos_sem_init(&isem, 0, 1);
    rtos_irq_attach(LINE, give_handler, NULL);
    spawn("w", TEST_PRIO + 2, irq_waiter, NULL);
    log_char('T');
    rtos_irq_trigger(LINE);
    log_char('A');
    join_all();
    CHECK_LOG("THA");
    rtos_irq_detach(LINE);
}

static void detached_handler_is_not_called(void)
{
    handled = 0;
    rtos_irq_attach(LINE, count_handler, NULL);
    rtos_irq_trigger(LINE);
    CHECK_EQ(handled, 1);
    CHECK_EQ(rtos_irq_detach(LINE), RTOS_OK);
    rtos_irq_trigger(LINE);
    rtos_task_delay(1);
    CHECK_EQ(handled, 1);
    CHECK_EQ(rtos_irq_attach(PORT_IRQ_LINES, count_handler, NULL), RTOS_EINVAL);
    CHECK_EQ(rtos_irq_trigger(PORT_IRQ_SOFT_FIRST + PORT_IRQ_SOFT_COUNT), RTOS_EINVAL);
}

TEST_SUITE(irq_suite, TEST_CASE(handler_runs_once_per_interrupt),
           TEST_CASE(critical_section_defers_interrupt),
           TEST_CASE(handler_wakes_higher_task_before_return),
           TEST_CASE(detached_handler_is_not_called));
