/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The demo's local part: a producer passes DEMO_ROUNDS messages to a
 * consumer through an RTOS message queue; the main task starts it and the
 * channel tasks (pingpong.c), waits for all of them and exits.
 */
#include "demo.h"

typedef struct {
    uint32_t seq;
    char text[28];
} demo_msg_t;

static rtos_queue_t queue;
static demo_msg_t queue_buf[2];
static rtos_task_t main_task, producer, consumer;
static uint64_t main_stack[2048 / 8], producer_stack[1024 / 8], consumer_stack[1024 / 8];

static void producer_main(void *arg)
{
    for (uint32_t k = 1; k <= DEMO_ROUNDS; k++) {
        demo_msg_t m = {.seq = k};

        memcpy(m.text, "tick from the producer", 23);
        rtos_queue_send(&queue, &m, RTOS_WAIT_FOREVER);
        rtos_task_delay(2);
    }
}

static void consumer_main(void *arg)
{
    for (uint32_t k = 1; k <= DEMO_ROUNDS; k++) {
        demo_msg_t m;

        if (rtos_queue_recv(&queue, &m, DEMO_TIMEOUT) != RTOS_OK)
            rtos_task_exit(1);
        rtos_printf("queue: message %u: %s\n", (unsigned)m.seq, m.text);
    }
}

static void demo_main(void *arg)
{
    int code = 0, failed = 0;
    unsigned nchan;

    rtos_queue_init(&queue, queue_buf, sizeof(queue_buf[0]), 2);
    rtos_task_create(&consumer, "consumer", 10, consumer_main, NULL, consumer_stack,
                     sizeof(consumer_stack));
    rtos_task_create(&producer, "producer", 9, producer_main, NULL, producer_stack,
                     sizeof(producer_stack));
    nchan = demo_channels_start();
    rtos_task_join(&producer, RTOS_WAIT_FOREVER, &code);
    failed |= code;
    rtos_task_join(&consumer, RTOS_WAIT_FOREVER, &code);
    failed |= code;
    failed |= demo_channels_join();
    rtos_printf("demo %s: %u channel(s), %u queue message(s)\n", failed ? "FAILED" : "done", nchan,
                (unsigned)DEMO_ROUNDS);
    port_exit(failed ? 1 : 0);
}

void app_init(void)
{
    rtos_printf("RTOS demo on the %s port: machine id %u, %u channel(s)\n", PORT_NAME,
                (unsigned)port_chan_self(), port_chan_count());
    rtos_task_create(&main_task, "main", 12, demo_main, NULL, main_stack, sizeof(main_stack));
}
