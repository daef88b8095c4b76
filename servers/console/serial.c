/* SPDX-License-Identifier: BSD-2-Clause */
/* The console server's side of the serial protocol (system/serial.h), when
 * the system gives it a serial driver (docs/drivers.md, "The UART"): lines
 * go into the driver's tx ring, typed bytes come from its rx ring and are
 * collected into one line for CONSOLE_READ. Without a driver the console
 * writes to the kernel console and refuses reads.
 *
 * Output never drops: on a full ring the server sleeps on its notification
 * until the driver took some, and its clients wait at its endpoint
 * meanwhile. Input is taken from the ring only while the line buffer has
 * room: with a line ready and no reader, further bytes stay with the driver
 * (and then in the UART's FIFO), holding the line back.
 *
 * Who reads (docs/vmm.md, "Console input"): any client, one waiting at a
 * time, unless the system gave the input to a guest (CONSOLE_SET_INPUT):
 * then only that guest's VMM reads, never waiting (CONSOLE_READ_NOWAIT),
 * and is signalled once each time a line becomes ready. */
#include <string.h>
#include <system/proto.h>
#include <system/serial.h>
#include "serial.h"

static serial_queue_t *q; /* NULL: no serial driver */

/* The line being typed: `len` bytes; `ready` once it ended (line end
 * stored as '\n') or filled the buffer. */
static char line[CONSOLE_READ_MAX];
static unsigned len, ready;
static int last_was_cr;
static int reader_waiting; /* CONSOLE_CAP_READER holds its reply capability */
static l4_word_t reader_max;
static l4_word_t input_owner;   /* 0: any reader; else the one badge that reads */
static int input_signalled;     /* the owner was told of the line that is ready */

void serial_init(void)
{
    l4_word_t bits;
    /* The root gives the notification only with a driver. */
    if (l4_poll(CONSOLE_CAP_NTFN, &bits) != L4_ERR_FAILED_LOOKUP)
        q = (serial_queue_t *)CONSOLE_SERIAL_VADDR;
}

int serial_present(void)
{
    return q != 0;
}

void serial_write(const char *buf, l4_word_t n)
{
    while (n) {
        l4_word_t k = serial_ring_put(&q->tx, (const uint8_t *)buf, n);
        if (k)
            l4_signal(CONSOLE_CAP_SERIAL);
        buf += k;
        n -= k;
        if (n && serial_ring_prepare_wait(&q->tx) == 0)
            l4_wait(CONSOLE_CAP_NTFN, 0); /* input that came meanwhile: serial_poll() */
    }
}

void serial_flush(void)
{
    while (q && serial_ring_prepare_drain(&q->tx)) {
        l4_signal(CONSOLE_CAP_SERIAL);
        l4_wait(CONSOLE_CAP_NTFN, 0);
    }
}

/* The reply to a read of at most max bytes: the first of the line, the
 * rest stays ready for the next read. */
static void take_line(l4_msg_t *reply, l4_word_t max)
{
    l4_word_t n = len < max ? len : max;
    l4_word_t words[CONSOLE_READ_MAX / 4 + 2] = {0};
    words[0] = L4_ERR_OK;
    words[1] = n;
    memcpy(&words[2], line, n);
    l4_word_t count = 2 + (n + 3) / 4;
    for (l4_word_t i = 0; i < L4_MSG_REG_WORDS; i++)
        reply->mr[i] = words[i];
    for (l4_word_t i = L4_MSG_REG_WORDS; i < count; i++)
        l4_set_mr(i, words[i]);
    reply->info = l4_msginfo(0, 0, count);
    memmove(line, line + n, len - n);
    len -= n;
    if (len == 0)
        ready = input_signalled = 0;
}

void serial_handle_set_input(const l4_msg_t *m, l4_msg_t *reply)
{
    reply->info = l4_msginfo(0, 0, 1);
    if (m->badge != 0 || !q || l4_msginfo_length(m->info) < 1 || m->mr[0] == 0) {
        reply->mr[0] = L4_ERR_ILLEGAL_OPERATION;
        return;
    }
    input_owner = m->mr[0];
    input_signalled = 0;
    reply->mr[0] = L4_ERR_OK;
}

void serial_handle_read(const l4_msg_t *m, l4_msg_t *reply)
{
    l4_word_t max = l4_msginfo_length(m->info) >= 1 ? m->mr[0] : 0;
    l4_word_t flags = l4_msginfo_length(m->info) >= 2 ? m->mr[1] : 0;
    reply->info = l4_msginfo(0, 0, 1);
    if (!q || reader_waiting || (input_owner && m->badge != input_owner)) {
        reply->mr[0] = L4_ERR_ILLEGAL_OPERATION;
        return;
    }
    if (max == 0 || max > CONSOLE_READ_MAX) {
        reply->mr[0] = L4_ERR_INVALID_ARGUMENT;
        return;
    }
    serial_poll();
    if (ready) {
        take_line(reply, max);
        return;
    }
    if (flags & CONSOLE_READ_NOWAIT) { /* nothing yet: length 0 */
        reply->info = l4_msginfo(0, 0, 2);
        reply->mr[0] = L4_ERR_OK;
        reply->mr[1] = 0;
        return;
    }
    if (l4_cnode_save_caller(COMP_CAP_CNODE, CONSOLE_CAP_READER, 32) != L4_ERR_OK) {
        reply->mr[0] = L4_ERR_NOT_ENOUGH_MEMORY;
        return;
    }
    reader_waiting = 1; /* the reply goes out when the line is ready */
    reader_max = max;
}

void serial_poll(void)
{
    if (!q)
        return;
    int took = 0;
    uint8_t c;
    while (!ready && serial_ring_get(&q->rx, &c, 1)) {
        took = 1;
        if (c == '\n' && last_was_cr) { /* the \n of a \r\n */
            last_was_cr = 0;
            continue;
        }
        last_was_cr = c == '\r';
        if (c == '\r' || c == '\n') {
            line[len++] = '\n';
            ready = 1;
        } else {
            line[len++] = (char)c;
            ready = len == CONSOLE_READ_MAX; /* a piece of a longer line */
        }
    }
    if (took && serial_ring_wake_producer(&q->rx))
        l4_signal(CONSOLE_CAP_SERIAL);
    if (ready && input_owner && !input_signalled) {
        input_signalled = 1;
        l4_signal(CONSOLE_CAP_INPUT); /* the owner's VMM reads it */
    }
    if (ready && reader_waiting) {
        l4_msg_t reply;
        take_line(&reply, reader_max);
        reader_waiting = 0;
        l4_send(CONSOLE_CAP_READER, &reply); /* a reply capability: never blocks */
        if (!ready)
            serial_poll(); /* room again: more may be waiting in the ring */
    }
}
