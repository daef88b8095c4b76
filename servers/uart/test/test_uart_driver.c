/* SPDX-License-Identifier: BSD-2-Clause */
/* The PL011 driver logic (servers/uart/uart_driver.c) against a fake
 * PL011: a 32-byte transmit FIFO that the test drains onto "the line", a
 * 32-entry receive FIFO the test fills, and the raw and masked interrupt
 * status of the real part. QEMU's PL011 never fills its transmit FIFO, so
 * this is where the driver's flow control is checked: a full FIFO turns on
 * the transmit interrupt and nothing is lost or reordered; "\n" goes out
 * as "\r\n" even when the FIFO fills between the two; a full rx ring holds
 * bytes back in the FIFO until the client makes room. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <pl011_io.h>
#include "pl011.h"
#include "uart_driver.h"

#define FIFO 32u
#define REGS ((uintptr_t)0x9000000)

static struct {
    uint8_t tx[FIFO];
    unsigned ntx;
    uint16_t rx[FIFO];
    unsigned nrx;
    uint32_t cr, lcr_h, imsc, ris, ibrd, fbrd;
    unsigned busy_reads; /* FR reads that still say busy */
    char line[8192];     /* what went out on the line */
    unsigned nline;
} fake;

uint32_t pl011_read(uintptr_t regs, uint32_t off)
{
    assert_int_equal(regs, REGS);
    switch (off) {
    case PL011_FR: {
        uint32_t fr = 0;
        if (fake.ntx == FIFO)
            fr |= PL011_FR_TXFF;
        if (fake.nrx == 0)
            fr |= PL011_FR_RXFE;
        if (fake.busy_reads) {
            fake.busy_reads--;
            fr |= PL011_FR_BUSY;
        }
        return fr;
    }
    case PL011_DR: {
        assert_true(fake.nrx > 0); /* the driver reads only when RXFE is clear */
        uint16_t d = fake.rx[0];
        memmove(fake.rx, fake.rx + 1, (fake.nrx - 1) * sizeof fake.rx[0]);
        fake.nrx--;
        if (fake.nrx < FIFO / 8)
            fake.ris &= ~(PL011_INT_RX | PL011_INT_RT);
        return d;
    }
    case PL011_MIS:
        return fake.ris & fake.imsc;
    case PL011_IMSC:
        return fake.imsc;
    default:
        fail_msg("read of PL011 register 0x%x", off);
        return 0;
    }
}

void pl011_write(uintptr_t regs, uint32_t off, uint32_t v)
{
    assert_int_equal(regs, REGS);
    switch (off) {
    case PL011_DR:
        assert_true(fake.ntx < FIFO); /* never written while full: nothing lost */
        fake.tx[fake.ntx++] = (uint8_t)v;
        if (fake.ntx > FIFO / 8)
            fake.ris &= ~PL011_INT_TX;
        break;
    case PL011_CR:
        fake.cr = v;
        break;
    case PL011_LCR_H:
        fake.lcr_h = v;
        break;
    case PL011_IMSC:
        fake.imsc = v;
        break;
    case PL011_ICR:
        fake.ris &= ~v;
        break;
    case PL011_IBRD:
        fake.ibrd = v;
        break;
    case PL011_FBRD:
        fake.fbrd = v;
        break;
    case PL011_IFLS:
        break;
    default:
        fail_msg("write of PL011 register 0x%x", off);
    }
}

/* The line takes n bytes from the transmit FIFO; at 1/8 full or less the
 * transmit interrupt is raised. */
static void line_drain(unsigned n)
{
    if (n > fake.ntx)
        n = fake.ntx;
    memcpy(fake.line + fake.nline, fake.tx, n);
    fake.nline += n;
    memmove(fake.tx, fake.tx + n, fake.ntx - n);
    fake.ntx -= n;
    if (fake.ntx <= FIFO / 8)
        fake.ris |= PL011_INT_TX;
}

static void line_receive(const char *s, uint16_t flags)
{
    for (; *s; s++) {
        assert_true(fake.nrx < FIFO);
        fake.rx[fake.nrx++] = (uint16_t)((uint8_t)*s | flags);
    }
    fake.ris |= PL011_INT_RX;
}

static serial_queue_t q;
static uart_drv_t drv;

static int setup(void **state)
{
    (void)state;
    memset(&fake, 0, sizeof fake);
    memset(&q, 0, sizeof q);
    fake.busy_reads = 3;
    uart_drv_init(&drv, REGS, &q);
    return 0;
}

static void client_writes(const char *s)
{
    assert_int_equal(serial_ring_put(&q.tx, (const uint8_t *)s, (uint32_t)strlen(s)), strlen(s));
}

/* Run the system until the tx ring is empty: the line drains 8 bytes at
 * a time, each transmit interrupt the driver sees is handled. */
static void run_until_sent(void)
{
    for (int guard = 0; guard < 10000; guard++) {
        if (serial_ring_used(&q.tx) == 0 && fake.ntx == 0)
            return;
        line_drain(8);
        if (fake.ris & fake.imsc)
            uart_drv_irq(&drv);
    }
    fail_msg("the transmit side never finished");
}

static void init_takes_over_the_uart(void **state)
{
    (void)state;
    assert_int_equal(fake.busy_reads, 0); /* waited for the kernel's last byte */
    assert_int_equal(fake.cr, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
    assert_int_equal(fake.lcr_h, PL011_LCR_H_FEN | PL011_LCR_H_WLEN_8);
    assert_int_equal(fake.imsc, PL011_INT_RX | PL011_INT_RT);
    assert_int_equal(fake.ibrd, PL011_IBRD_115200);
}

static void a_short_write_goes_out_with_crlf(void **state)
{
    (void)state;
    client_writes("ab\ncd\n");
    assert_int_equal(uart_drv_client(&drv), 0);
    assert_int_equal(fake.ntx, 8);
    line_drain(8);
    assert_memory_equal(fake.line, "ab\r\ncd\r\n", 8);
    assert_int_equal(fake.imsc & PL011_INT_TX, 0); /* nothing left: no transmit interrupt */
    assert_int_equal(drv.tx_bytes, 6);
}

static void a_full_fifo_waits_for_the_transmit_interrupt(void **state)
{
    (void)state;
    char text[701];
    for (unsigned i = 0; i < 700; i++)
        text[i] = (char)('A' + i % 26);
    text[700] = 0;
    client_writes(text);
    uart_drv_client(&drv);
    assert_int_equal(fake.ntx, FIFO);
    assert_true(fake.imsc & PL011_INT_TX);
    assert_int_equal(serial_ring_used(&q.tx), 700 - FIFO);
    uart_drv_client(&drv); /* a second signal while full: nothing written, nothing lost */
    assert_int_equal(fake.ntx, FIFO);
    run_until_sent();
    assert_int_equal(fake.nline, 700);
    assert_memory_equal(fake.line, text, 700);
    assert_int_equal(fake.imsc & PL011_INT_TX, 0);
    assert_int_equal(drv.tx_bytes, 700);
}

static void a_newline_split_by_a_full_fifo_still_goes_out_as_crlf(void **state)
{
    (void)state;
    char text[FIFO + 3];
    memset(text, 'x', FIFO - 1);
    text[FIFO - 1] = '\n'; /* its '\r' is the FIFO's last byte */
    text[FIFO] = 'y';
    text[FIFO + 1] = '\n';
    text[FIFO + 2] = 0;
    client_writes(text);
    uart_drv_client(&drv);
    assert_int_equal(fake.ntx, FIFO);
    assert_int_equal(fake.tx[FIFO - 1], '\r');
    run_until_sent();
    assert_int_equal(fake.nline, FIFO + 4);
    assert_memory_equal(fake.line + FIFO - 1, "\r\ny\r\n", 5);
}

static void a_waiting_producer_is_signalled_once_there_is_room(void **state)
{
    (void)state;
    static uint8_t big[SERIAL_RING_SIZE];
    memset(big, 'z', sizeof big);
    assert_int_equal(serial_ring_put(&q.tx, big, sizeof big), SERIAL_RING_SIZE);
    assert_int_equal(serial_ring_put(&q.tx, big, 1), 0);  /* full */
    assert_int_equal(serial_ring_prepare_wait(&q.tx), 0); /* the client will sleep */
    assert_int_equal(uart_drv_client(&drv), UART_SIGNAL_CLIENT);
    assert_int_equal(q.tx.ctl.waiting, 0);
    line_drain(FIFO);
    assert_int_equal(uart_drv_irq(&drv), 0); /* not waiting any more: no signal */
}

static void received_bytes_reach_the_ring_and_the_client(void **state)
{
    (void)state;
    line_receive("hello\r", 0);
    assert_int_equal(uart_drv_irq(&drv), UART_SIGNAL_CLIENT);
    uint8_t got[16];
    assert_int_equal(serial_ring_get(&q.rx, got, sizeof got), 6);
    assert_memory_equal(got, "hello\r", 6);
    assert_int_equal(fake.ris & PL011_INT_RX, 0); /* cleared */
    assert_int_equal(uart_drv_irq(&drv), 0);      /* nothing new */
}

static void bytes_with_receive_errors_are_dropped_and_counted(void **state)
{
    (void)state;
    line_receive("ab", 0);
    line_receive("X", 0x100); /* framing error */
    line_receive("Y", 0x800); /* overrun */
    line_receive("c", 0);
    assert_int_equal(uart_drv_irq(&drv) & UART_SIGNAL_BREAK, 0);
    uint8_t got[8];
    assert_int_equal(serial_ring_get(&q.rx, got, sizeof got), 3);
    assert_memory_equal(got, "abc", 3);
    assert_int_equal(drv.rx_errors, 2);
}

/* A break (the line held low) is no character: it is counted and reported
 * to the caller, which hands it to the kernel debugger (uart.c). */
static void a_break_is_reported_not_received(void **state)
{
    (void)state;
    line_receive("a", 0);
    line_receive("Z", 0x400); /* a break, whatever its data bits */
    line_receive("b", 0);
    uint32_t sig = uart_drv_irq(&drv);
    assert_true(sig & UART_SIGNAL_BREAK);
    assert_true(sig & UART_SIGNAL_CLIENT);
    uint8_t got[8];
    assert_int_equal(serial_ring_get(&q.rx, got, sizeof got), 2);
    assert_memory_equal(got, "ab", 2);
    assert_int_equal(drv.breaks, 1);
    assert_int_equal(drv.rx_errors, 0);
    assert_int_equal(uart_drv_irq(&drv) & UART_SIGNAL_BREAK, 0); /* once */
}

static void a_full_rx_ring_holds_bytes_in_the_fifo(void **state)
{
    (void)state;
    static uint8_t fill[SERIAL_RING_SIZE - 2];
    memset(fill, '.', sizeof fill);
    assert_int_equal(serial_ring_put(&q.rx, fill, sizeof fill), sizeof fill);
    line_receive("12345", 0);
    assert_int_equal(uart_drv_irq(&drv), UART_SIGNAL_CLIENT);
    assert_int_equal(fake.nrx, 3); /* "345" still in the FIFO */
    assert_int_equal(fake.imsc & (PL011_INT_RX | PL011_INT_RT), 0);
    assert_int_equal(q.rx.ctl.waiting, 1);
    /* The client takes everything, sees the driver waiting, signals. */
    static uint8_t got[SERIAL_RING_SIZE];
    assert_int_equal(serial_ring_get(&q.rx, got, sizeof got), SERIAL_RING_SIZE);
    assert_memory_equal(got + sizeof fill, "12", 2);
    assert_true(serial_ring_wake_producer(&q.rx));
    assert_int_equal(uart_drv_client(&drv), UART_SIGNAL_CLIENT);
    assert_int_equal(fake.nrx, 0);
    assert_true(fake.imsc & PL011_INT_RX);
    assert_int_equal(serial_ring_get(&q.rx, got, sizeof got), 3);
    assert_memory_equal(got, "345", 3);
    assert_int_equal(drv.rx_bytes, 5);
}

static void a_corrupt_tx_ring_sends_nothing(void **state)
{
    (void)state;
    q.tx.ctl.head = 0x80000000u; /* more than a ring holds */
    assert_int_equal(uart_drv_client(&drv), 0);
    assert_int_equal(fake.ntx, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(init_takes_over_the_uart),
        T(a_short_write_goes_out_with_crlf),
        T(a_full_fifo_waits_for_the_transmit_interrupt),
        T(a_newline_split_by_a_full_fifo_still_goes_out_as_crlf),
        T(a_waiting_producer_is_signalled_once_there_is_room),
        T(received_bytes_reach_the_ring_and_the_client),
        T(bytes_with_receive_errors_are_dropped_and_counted),
        T(a_break_is_reported_not_received),
        T(a_full_rx_ring_holds_bytes_in_the_fifo),
        T(a_corrupt_tx_ring_sends_nothing),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
