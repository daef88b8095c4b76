/* SPDX-License-Identifier: BSD-2-Clause */
/* A tiny paravirtual test guest written against docs/vmm.md only: it uses
 * the console, the timer, channels and VMM_EXIT, and misbehaves on request.
 * Its behaviour is chosen by its name (guest-info page):
 *   demo*     ping over channels where it has the lower id, answer otherwise
 *   timer     one-shot and periodic timer accuracy ([test] lines)
 *   restart   faults on its first boot, passes on the second (and acks its
 *             physical line there, if it was granted one)
 *   ring      writes numbered lines through the console ring over two boots:
 *             a full ring, waiting for room, a fault with lines unsignalled
 *   cin       reads the console's input from its console page (the system
 *             gives it the input): lines, a long line, a flood held back
 *             by the full ring, input kept across a restart
 *   chan-prod, chan-cons  stream numbered records over a channel's ring,
 *             each restarted mid-transfer: a full ring, a slow consumer
 *   sens-X    executes the unmodified sensitive instruction X: the trapping
 *             classes must stop it; the silent ones (cps, msr, wfi) must
 *             have no effect, which it reports before exiting with 2
 *   irq       drives its granted physical line, INTID 27 (the virtual timer,
 *             in a system without the timer server), through delivery,
 *             masking, the ack in the state page and redelivery
 *   irq-none  has no physical line and no timer: its acks are refused
 *   gpio      drives the PL061 GPIO passed through to it (its registers at
 *             their physical address, INTID 39 routed to its vCPU): a level
 *             interrupt it raises at the device reaches it, stays masked
 *             until it services the device and acks, and comes again
 *   gpio-probe  touches that GPIO, which it was not given: its VMM stops it
 *   wild      writes outside its RAM
 *   flood     hypercalls in a tight loop, forever
 *   spin      spins with virtual interrupts disabled, forever
 *   good      counts 50 ticks of a 1 ms timer and exits 0
 */
#include <stdarg.h>
#include <stdint.h>
#include <l4/ipc.h>
#include <l4/syscall.h>
#include <l4/vcpu.h>
#include <system/guest.h>
#include <system/channel.h>
#include <system/proto.h>
#include <system/serial.h>
#include "../../vtimer/hw.h" /* the generic counter from PL0 (spin_ticks) */

static const volatile uint32_t *info;
static char name[17];

/* --- console --------------------------------------------------------------- */
static char line[CONSOLE_WRITE_MAX];
static unsigned line_len;

static void con_flush(void)
{
    uint32_t w[1 + CONSOLE_WRITE_MAX / 4] = {0};
    w[0] = line_len;
    for (unsigned i = 0; i < line_len; i++)
        w[1 + i / 4] |= (uint32_t)(uint8_t)line[i] << (8 * (i % 4));
    unsigned len = 1 + (line_len + 3) / 4;
    for (unsigned i = 4; i < len; i++)
        l4_set_mr(i, w[i]);
    l4_msg_t m = {.info = l4_msginfo(CONSOLE_WRITE, 0, len), .mr = {w[0], w[1], w[2], w[3]}};
    l4_call(GUEST_CAP_CONSOLE, &m);
    line_len = 0;
}

static void con_putc(char c)
{
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof line)
        con_flush();
}

static void con_puts(const char *s)
{
    while (*s)
        con_putc(*s++);
}

static void con_num(uint32_t v, unsigned base)
{
    char b[12];
    int n = 0;
    do
        b[n++] = "0123456789abcdef"[v % base];
    while ((v /= base) != 0);
    while (n)
        con_putc(b[--n]);
}

/* printf subset: %s %u %d %x %c */
static void con_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            con_putc(*fmt);
            continue;
        }
        switch (*++fmt) {
        case 's':
            con_puts(va_arg(ap, const char *));
            break;
        case 'u':
            con_num(va_arg(ap, uint32_t), 10);
            break;
        case 'x':
            con_num(va_arg(ap, uint32_t), 16);
            break;
        case 'c':
            con_putc((char)va_arg(ap, int));
            break;
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            if (v < 0) {
                con_putc('-');
                v = -v;
            }
            con_num((uint32_t)v, 10);
            break;
        }
        default:
            con_putc(*fmt);
        }
    }
    va_end(ap);
}

static void str_copy(char *d, const char *s, unsigned n)
{
    unsigned i = 0;
    for (; i + 1 < n && s[i]; i++)
        d[i] = s[i];
    d[i] = 0;
}

static int str_prefix(const char *s, const char *p)
{
    while (*p)
        if (*s++ != *p++)
            return 0;
    return 1;
}

static int str_eq(const char *a, const char *b)
{
    while (*b)
        if (*a++ != *b++)
            return 0;
    return *a == 0;
}

/* The compiler may emit calls to these for struct and array initialisers. */
void *memset(void *d, int c, unsigned n);
void *memset(void *d, int c, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        ((volatile char *)d)[i] = (char)c;
    return d;
}
void *memcpy(void *d, const void *s, unsigned n);
void *memcpy(void *d, const void *s, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        ((volatile char *)d)[i] = ((const char *)s)[i];
    return d;
}

/* --- hypercalls ------------------------------------------------------------- */
__attribute__((noreturn)) static void guest_exit(uint32_t status)
{
    if (line_len)
        con_flush();
    l4_msg_t m = {.info = l4_msginfo(VMM_EXIT, 0, 1), .mr = {status}};
    l4_call(GUEST_CAP_VMM, &m);
    for (;;)
        ;
}

/* Acknowledge the routed physical lines `lines` (virtual line bits): the
 * state page's virq_ack, taken by a vcpu_sync at once; a status. A refused
 * ack (L4_ERR_NOT_ACTIVE) changed nothing: the word is cleared again. */
static uint32_t irq_ack_lines(uint32_t lines)
{
    l4_vcpu_state_t *st = (l4_vcpu_state_t *)GUEST_STATE_VADDR;
    l4_word_t err = l4_vcpu_ack_now(st, lines, GUEST_CAP_VCPU);
    if (err)
        l4_vcpu_set(st, L4_VCPU_STATE_VIRQ_ACK, 0);
    return err;
}

/* The guest's lines, as the info page says (docs/vmm.md, "Virtual
 * interrupt lines"). */
static uint32_t line_phys(uint32_t k)
{
    return info[GUEST_INFO_LINE_PHYS] + k;
}

static uint32_t line_chan(uint32_t i)
{
    return info[GUEST_INFO_LINE_CHAN] + i;
}

static uint32_t line_soft(uint32_t k)
{
    return info[GUEST_INFO_LINE_SOFT] + k;
}

static uint32_t irq_ack(uint32_t line)
{
    return irq_ack_lines(1u << line);
}

static void timer_set(uint32_t us, int periodic)
{
    l4_msg_t m = {.info = l4_msginfo(TIMER_SET, 0, 2), .mr = {us, (uint32_t)periodic}};
    l4_call(GUEST_CAP_TIMER, &m);
}

static uint64_t timer_now(uint32_t *hz)
{
    l4_msg_t m = {.info = l4_msginfo(TIMER_NOW, 0, 0)};
    l4_call(GUEST_CAP_TIMER, &m);
    if (hz)
        *hz = m.mr[3];
    return ((uint64_t)m.mr[2] << 32) | m.mr[1];
}

/* --- virtual interrupts ------------------------------------------------------ */
#define STATE ((volatile uint32_t *)GUEST_STATE_VADDR)
static volatile uint32_t upcall_bits; /* lines taken by upcalls, not yet seen */
extern char idle_window[], idle_svc[], idle_done[];
uint32_t idle_wait(volatile uint32_t *state);
void upcall_entry(void);

/* Atomically take a word (the kernel clears the exclusive monitor when it
 * returns to us, so an interrupted ldrex/strex simply retries). */
static uint32_t take(volatile uint32_t *p)
{
    uint32_t old, fail;
    do
        __asm__ volatile("ldrex %0, [%2]\n\tstrex %1, %3, [%2]"
                         : "=&r"(old), "=&r"(fail)
                         : "r"(p), "r"(0)
                         : "memory");
    while (fail);
    return old;
}

/* vcpu_resume(KERNEL) as the system call (docs/vcpu.md, "Fast paths"). */
static void vcpu_resume_kernel(void)
{
    register uint32_t r0 __asm__("r0") = GUEST_CAP_VCPU;
    register uint32_t r1 __asm__("r1") = L4_VCPU_RESUME_KERNEL;
    register uint32_t r7 __asm__("r7") = L4_SYS_VCPU_RESUME;
    __asm__ volatile("svc #0" : "+r"(r0), "+r"(r1) : "r"(r7) : "memory");
}

static void con_printf(const char *fmt, ...);
__attribute__((noreturn)) static void guest_exit(uint32_t status);

__attribute__((noreturn)) void guest_upcall(void);
void guest_upcall(void)
{
    if (STATE[L4_VCPU_STATE_CAUSE] != L4_VCPU_CAUSE_VIRQ || STATE[L4_VCPU_STATE_FROM_USER]) {
        con_printf("unexpected upcall, cause %u\n", STATE[L4_VCPU_STATE_CAUSE]);
        guest_exit(5);
    }
    /* Only the lines the priorities let through (all of them unless the
     * guest holds a mask: run_soft); the others stay pending. */
    l4_vcpu_state_t *st = (l4_vcpu_state_t *)GUEST_STATE_VADDR;
    upcall_bits |= l4_vcpu_take_lines(
        st, l4_vcpu_deliverable_lines(st, STATE[L4_VCPU_STATE_VIRQ_PENDING]));
    volatile uint32_t *k = &STATE[L4_VCPU_STATE_KREGS];
    if (k[15] >= (uint32_t)idle_window && k[15] <= (uint32_t)idle_svc) {
        k[15] = (uint32_t)idle_done; /* do not block: lines were taken */
        k[6] = 0;
    }
    vcpu_resume_kernel();
    guest_exit(6); /* resume failed: no vCPU */
}

/* Wait until one of the lines in mask is raised; returns all lines seen.
 * Virtual interrupts are off outside the idle window. */
static uint32_t wait_lines(uint32_t mask)
{
    uint32_t got = 0;
    for (;;) {
        got |= take(&STATE[L4_VCPU_STATE_VIRQ_PENDING]) | take(&upcall_bits);
        if (got & mask)
            return got;
        got |= idle_wait(STATE);
        STATE[L4_VCPU_STATE_VIRQ_ENABLED] = 0;
        __asm__ volatile("" ::: "memory");
    }
}

/* --- behaviours -------------------------------------------------------------- */
#define ROUNDS 3

/* Channel i's rings: the one this guest produces into, the peer's. */
static chan_ring_t *chan_tx_of(uint32_t i)
{
    return chan_tx((void *)(GUEST_CHAN_VADDR + 4096 * i), info[GUEST_INFO_CHAN_END + i]);
}

static chan_ring_t *chan_rx_of(uint32_t i)
{
    return chan_rx((void *)(GUEST_CHAN_VADDR + 4096 * i), info[GUEST_INFO_CHAN_END + i]);
}

/* A record's text, terminated, in out (CHAN_REC_DATA + 1 bytes). */
static const char *rec_text(const chan_rec_t *r, char *out)
{
    for (uint32_t k = 0; k < r->len; k++)
        out[k] = (char)r->data[k];
    out[r->len] = 0;
    return out;
}

/* Every wake looks at every channel's rings (a signal says "look"). */
static void run_demo(void)
{
    uint32_t nch = info[GUEST_INFO_NCHANNELS], id = info[GUEST_INFO_ID];
    uint32_t asked[GUEST_MAX_CHANNELS] = {0}, answered[GUEST_MAX_CHANNELS] = {0};
    unsigned todo = 0;
    for (uint32_t i = 0; i < nch; i++)
        todo += ROUNDS;
    con_printf("hello from guest %s (id %u), %u channel(s)\n", name, id, nch);
    timer_set(20000, 1);
    while (todo) {
        uint32_t bits = wait_lines(~0u);
        for (uint32_t i = 0; i < nch; i++) {
            chan_ring_t *tx = chan_tx_of(i), *rx = chan_rx_of(i);
            int asker = id < info[GUEST_INFO_CHAN_PEER + i];
            chan_rec_t rec;
            char text[CHAN_REC_DATA + 1];
            if (asker && answered[i] < asked[i] && chan_get(rx, &rec)) {
                answered[i]++;
                con_printf("channel %u: reply '%s'\n", i, rec_text(&rec, text));
                todo--;
            } else if (!asker && chan_peek(rx, &rec)) {
                char resp[CHAN_REC_DATA];
                str_copy(resp, "pong from ", sizeof resp);
                str_copy(resp + 10, name, sizeof resp - 10);
                uint32_t n = 0;
                while (resp[n])
                    n++;
                if (chan_put(tx, resp, n + 1)) { /* else: wait for room */
                    con_printf("channel %u: got '%s' from guest %u\n", i, rec_text(&rec, text),
                               info[GUEST_INFO_CHAN_PEER + i]);
                    chan_drop(rx);
                    chan_wake_producer(rx);
                    l4_signal(GUEST_CAP_CHAN + i);
                    todo--;
                } else
                    chan_prepare_wait(tx);
            }
            if (asker && (bits & (1u << GUEST_IRQ_TIMER)) && answered[i] == asked[i] &&
                asked[i] < ROUNDS) {
                char msg[8] = "ping ";
                msg[5] = (char)('0' + asked[i] + 1);
                msg[6] = 0;
                if (chan_put(tx, msg, 7)) {
                    asked[i]++;
                    l4_signal(GUEST_CAP_CHAN + i);
                }
            }
        }
    }
    timer_set(0, 0);
    con_printf("guest %s done\n", name);
    guest_exit(0);
}

static int check_range(const char *test, uint64_t got, uint64_t lo, uint64_t hi)
{
    int ok = got >= lo && got <= hi;
    con_printf("[test] %s %s", ok ? "PASS" : "FAIL", test);
    if (!ok)
        con_printf(": %u ticks, expected %u..%u", (uint32_t)got, (uint32_t)lo, (uint32_t)hi);
    con_putc('\n');
    return ok;
}

static void run_timer(void)
{
    uint32_t hz;
    int ok = 1;
    timer_now(&hz);
    const uint64_t us = hz / 1000000u, slack = 200 * us; /* 200 µs of handling */
    /* Warm-up, not measured: let the other VMMs finish building their guests. */
    timer_set(200000, 0);
    wait_lines(1u << GUEST_IRQ_TIMER);
    for (int k = 0; k < 3; k++) {
        uint64_t t0 = timer_now(0);
        timer_set(1000, 0);
        wait_lines(1u << GUEST_IRQ_TIMER);
        ok &= check_range("timer_oneshot_1ms", timer_now(0) - t0, 1000 * us, 1000 * us + slack);
    }
    uint64_t t0 = timer_now(0);
    timer_set(500, 1);
    for (int k = 0; k < 10; k++)
        wait_lines(1u << GUEST_IRQ_TIMER);
    uint64_t dt = timer_now(0) - t0;
    timer_set(0, 0);
    ok &= check_range("timer_periodic_10x500us", dt, 5000 * us, 5000 * us + slack);
    /* After a stop, no stale periodic tick: the next one is this one-shot. */
    uint64_t t1 = timer_now(0);
    timer_set(3000, 0);
    wait_lines(1u << GUEST_IRQ_TIMER);
    ok &= check_range("timer_stop_leaves_no_stale_tick", timer_now(0) - t1, 3000 * us,
                      3000 * us + slack);
    guest_exit(ok ? 0 : 1);
}

static void run_restart(void)
{
    uint32_t boots = info[GUEST_INFO_BOOT_COUNT];
    con_printf("boot %u\n", boots);
    if (boots == 0) {
        con_flush();
        __asm__ volatile(".word 0xe7f000f0"); /* udf: the VMM stops and restarts us */
    }
    con_printf("[test] PASS guest_restarted_with_fresh_state\n");
    /* Its physical line (if the description grants one) is routed afresh to
     * the new vCPU: nothing of the old instance awaits an acknowledgement. */
    if (info[GUEST_INFO_NIRQS])
        con_printf("[test] %s guest_irq_line_fresh_after_restart\n",
                   irq_ack(line_phys(0)) == L4_ERR_NOT_ACTIVE ? "PASS" : "FAIL");
    guest_exit(0);
}

/* The console ring (docs/vmm.md, "The guest console"): RING_LINES
 * numbered lines over two boots, written straight into the ring of the
 * console page. The VMM (above the guest's priority) takes the ring when
 * signalled; unsignalled bytes stay. Boot 0 fills the ring without a
 * signal, then waits for room through the handshake and GUEST_IRQ_CONSOLE,
 * and faults with lines published but not signalled: the VMM must write
 * them before the restart. Boot 1 writes the rest. qemurun checks the
 * lines number 0..RING_LINES-1 in order, each once. */
#define RING_LINES 120u
#define RING_FIRST_BOOT_LINES 90u
#define CONSOLE_PAGE ((serial_queue_t *)GUEST_CONSOLE_VADDR)
static int check(const char *test, int ok);

static unsigned ring_line(uint32_t k, char *out)
{
    static const char pre[] = "ring-seq ";
    unsigned n = 0;
    char b[12];
    int d = 0;
    for (const char *p = pre; *p; p++)
        out[n++] = *p;
    do
        b[d++] = (char)('0' + k % 10);
    while ((k /= 10) != 0);
    while (d)
        out[n++] = b[--d];
    for (unsigned i = 0; i < 30; i++) /* long lines: the ring fills in a few */
        out[n++] = (char)('a' + i % 26);
    out[n++] = '\n';
    return n;
}

/* Put one whole line, waiting for room, and signal it if asked: returns
 * how often it had to wait. */
static uint32_t ring_put_line(uint32_t k, int signal)
{
    char l[64];
    unsigned n = ring_line(k, l), done = 0;
    uint32_t waits = 0;
    while (done < n) {
        done += serial_ring_put(&CONSOLE_PAGE->tx, (const uint8_t *)l + done, n - done);
        if (done < n && serial_ring_prepare_wait(&CONSOLE_PAGE->tx) == 0) {
            l4_signal(GUEST_CAP_CONSOLE_RING);
            wait_lines(1u << GUEST_IRQ_CONSOLE);
            waits++;
        }
    }
    if (signal)
        l4_signal(GUEST_CAP_CONSOLE_RING);
    return waits;
}

static void run_ring(void)
{
    serial_ring_t *tx = &CONSOLE_PAGE->tx;
    uint32_t k = 0, waits = 0;
    int ok = 1;
    if (info[GUEST_INFO_BOOT_COUNT] == 0) {
        ok &= check("console_ring_starts_empty", tx->ctl.head == 0 && tx->ctl.tail == 0);
        /* Fill it without a signal: nobody takes anything. */
        char l[64];
        for (;; k++) {
            unsigned n = ring_line(k, l);
            if (ring_room(&tx->ctl, SERIAL_RING_SIZE) < n)
                break;
            serial_ring_put(tx, (const uint8_t *)l, n);
        }
        ok &= check("console_ring_holds_what_is_not_signalled",
                    serial_ring_used(tx) > SERIAL_RING_SIZE - 64);
        /* The next line does not fit: wait for room. */
        /* (A [test] line goes through CONSOLE_WRITE under the same badge:
         * the ring's lines are signalled out first, so none is cut.) */
        waits = ring_put_line(k++, 1);
        ok &= check("console_ring_full_waits_for_the_console_line", waits == 1);
        for (; k < RING_FIRST_BOOT_LINES - 5; k++)
            waits += ring_put_line(k, 1);
        ok &= check("console_ring_taken_at_a_signal", serial_ring_used(tx) == 0);
        /* Published, not signalled: the VMM takes them at the fault. */
        for (; k < RING_FIRST_BOOT_LINES; k++)
            waits += ring_put_line(k, 0);
        ok &= check("console_ring_no_wait_while_there_is_room", waits == 1);
        if (!ok)
            guest_exit(1);
        __asm__ volatile(".word 0xe7f000f0"); /* udf: stopped and restarted */
    }
    ok &= check("console_ring_fresh_after_restart", tx->ctl.head == 0 && tx->ctl.tail == 0);
    for (k = RING_FIRST_BOOT_LINES; k < RING_LINES; k++)
        ring_put_line(k, k % 2); /* the exit takes the last */
    guest_exit(ok ? 0 : 1);
}

/* Channel flow control (docs/vmm.md, "Channels"; systems/chan-rings.sys):
 * chan-prod streams STREAM_RECORDS numbered records over channel 0 to
 * chan-cons, a slower consumer below its priority that prints each
 * record as it takes it. Boot 0 of the producer fills the ring without a
 * signal, then is held back by the consumer (one wait per record or so),
 * and faults with records published but not signalled; boot 1 goes on
 * from the ring's counters, which outlive it. The consumer faults after
 * taking record STREAM_CONS_FAULT - 1 and before telling the waiting
 * producer; its boot 1 goes on from the counters and wakes it. qemurun
 * checks that the consumer's lines number 0..STREAM_RECORDS-1, each once,
 * in order; each side checks what it can see itself. */
#define STREAM_RECORDS 200u
#define STREAM_PROD_FAULT 105u /* records the producer's boot 0 publishes */
#define STREAM_PROD_SILENT 5u  /* of which the last ones unsignalled */
#define STREAM_CONS_FAULT 150u /* records the consumer's boot 0 takes */

static void stream_record(uint32_t k, chan_rec_t *r)
{
    static const char text[] = "stream record";
    r->len = 4 + sizeof text;
    for (unsigned i = 0; i < 4; i++)
        r->data[i] = (uint8_t)(k >> (8 * i));
    for (unsigned i = 0; i < sizeof text; i++)
        r->data[4 + i] = (uint8_t)text[i];
}

static uint32_t stream_seq(const chan_rec_t *r)
{
    return r->data[0] | (uint32_t)r->data[1] << 8 | (uint32_t)r->data[2] << 16 |
           (uint32_t)r->data[3] << 24;
}

/* Put record k, waiting for room; signal the consumer if asked. Returns
 * how often it waited. */
static uint32_t stream_put(chan_ring_t *tx, uint32_t k, int signal)
{
    chan_rec_t r;
    uint32_t waits = 0;
    stream_record(k, &r);
    while (!chan_put(tx, r.data, r.len))
        if (chan_prepare_wait(tx) == 0) {
            l4_signal(GUEST_CAP_CHAN);
            wait_lines(1u << line_chan(0));
            waits++;
        }
    if (signal)
        l4_signal(GUEST_CAP_CHAN);
    return waits;
}

static void run_chan_prod(void)
{
    chan_ring_t *tx = chan_tx_of(0);
    uint32_t k = 0, waits = 0;
    int ok = 1;
    if (info[GUEST_INFO_BOOT_COUNT] == 0) {
        ok &= check("channel_ring_starts_empty", tx->ctl.head == 0 && tx->ctl.tail == 0);
        chan_rec_t r;
        for (;; k++) { /* no signal: nobody takes anything */
            stream_record(k, &r);
            if (!chan_put(tx, r.data, r.len))
                break;
        }
        ok &= check("channel_full_ring_refuses_a_record", k == CHAN_RING_COUNT);
        for (; k < STREAM_PROD_FAULT - STREAM_PROD_SILENT; k++)
            waits += stream_put(tx, k, 1);
        ok &= check("channel_slow_consumer_holds_the_producer_back",
                    waits >= STREAM_PROD_FAULT - STREAM_PROD_SILENT - 2 * CHAN_RING_COUNT);
        for (; k < STREAM_PROD_FAULT; k++) /* published, not signalled */
            stream_put(tx, k, 0);
        if (!ok)
            guest_exit(1);
        __asm__ volatile(".word 0xe7f000f0"); /* udf: stopped and restarted */
    }
    k = tx->ctl.head; /* what boot 0 published stays published */
    ok &= check("channel_producer_goes_on_from_the_counters_after_restart",
                k == STREAM_PROD_FAULT && k - tx->ctl.tail <= CHAN_RING_COUNT);
    for (; k < STREAM_RECORDS; k++)
        stream_put(tx, k, 1);
    guest_exit(ok ? 0 : 1);
}

static void run_chan_cons(void)
{
    chan_ring_t *rx = chan_rx_of(0);
    uint32_t k = rx->ctl.tail, bad = 0;
    int ok = 1;
    if (info[GUEST_INFO_BOOT_COUNT] != 0)
        ok &= check("channel_consumer_goes_on_from_the_counters_after_restart",
                    k == STREAM_CONS_FAULT);
    while (k < STREAM_RECORDS) {
        chan_rec_t r;
        if (!chan_peek(rx, &r)) { /* looked first: a signal to boot 0 is gone */
            wait_lines(1u << line_chan(0));
            continue;
        }
        bad += stream_seq(&r) != k || r.len != 4 + sizeof "stream record";
        con_printf("chan-seq %u\n", stream_seq(&r)); /* printed before it is taken */
        chan_drop(rx);
        if (++k == STREAM_CONS_FAULT && info[GUEST_INFO_BOOT_COUNT] == 0)
            __asm__ volatile(".word 0xe7f000f0"); /* udf, the producer not told */
        if (chan_wake_producer(rx))
            l4_signal(GUEST_CAP_CHAN);
    }
    ok &= check("channel_records_arrive_in_order_each_once", bad == 0);
    guest_exit(ok ? 0 : 1);
}

/* Console input (docs/vmm.md, "Console input"; systems/guest-input.sys):
 * the guest `cin` has the console's input. It prints `[input] ready` and
 * qemurun types the next --input text at QEMU's serial line; the UART
 * driver, the console server and the VMM bring it into the console page's
 * rx ring and raise GUEST_IRQ_CONSOLE. */
static int input_getc(void)
{
    serial_ring_t *rx = &CONSOLE_PAGE->rx;
    uint8_t c;
    while (serial_ring_get(rx, &c, 1) == 0)
        wait_lines(1u << GUEST_IRQ_CONSOLE);
    if (serial_ring_wake_producer(rx))
        l4_signal(GUEST_CAP_CONSOLE_RING); /* room: the VMM brings the rest */
    return c;
}

/* One line into buf (n bytes at most, terminated); its length. */
static unsigned input_line(char *buf, unsigned n)
{
    unsigned k = 0;
    for (int c = 0; c != '\n' && k + 1 < n;)
        buf[k++] = (char)(c = input_getc());
    buf[k] = 0;
    return k;
}

static void input_ready(void)
{
    con_printf("[input] ready\n");
}

/* What the flow-control step types: 15 lines of 99 digits and '\n'. */
#define INPUT_FLOOD 1500u
static char input_flood_char(unsigned i)
{
    return i % 100 == 99 ? '\n' : (char)('0' + (i / 100 + i % 100) % 10);
}

static void run_cin(void)
{
    serial_ring_t *rx = &CONSOLE_PAGE->rx;
    char buf[400];
    int ok = 1;
    if (info[GUEST_INFO_BOOT_COUNT] == 0) {
        l4_msg_t m = {.info = l4_msginfo(CONSOLE_READ, 0, 2), .mr = {10, CONSOLE_READ_NOWAIT}};
        l4_call(GUEST_CAP_CONSOLE, &m); /* the guest's own badge is not the reader */
        ok &= check("console_read_by_other_than_the_input_owner_is_refused",
                    m.mr[0] == L4_ERR_ILLEGAL_OPERATION);
        m = (l4_msg_t){.info = l4_msginfo(CONSOLE_SET_INPUT, 0, 1), .mr = {info[GUEST_INFO_ID]}};
        l4_call(GUEST_CAP_CONSOLE, &m); /* only the system (badge 0) names the owner */
        ok &= check("console_set_input_by_other_than_the_system_is_refused",
                    m.mr[0] == L4_ERR_ILLEGAL_OPERATION);
        input_ready(); /* "hello guest\n" */
        input_line(buf, sizeof buf);
        ok &= check("console_input_line_reaches_the_guest", str_eq(buf, "hello guest\n"));
        input_ready(); /* 300 characters, longer than a console read */
        unsigned n = input_line(buf, sizeof buf);
        int long_ok = n == 301 && buf[300] == '\n';
        for (unsigned i = 0; long_ok && i < 300; i++)
            long_ok = buf[i] == (char)('a' + i % 26);
        ok &= check("console_input_long_line_arrives_whole", long_ok);
        input_ready(); /* INPUT_FLOOD bytes: more than the ring holds */
        while (serial_ring_used(rx) < SERIAL_RING_SIZE) /* take nothing yet */
            wait_lines(1u << GUEST_IRQ_CONSOLE);
        ok &= check("console_input_full_ring_holds_the_rest_back",
                    serial_ring_used(rx) == SERIAL_RING_SIZE);
        int flood_ok = 1;
        for (unsigned i = 0; i < INPUT_FLOOD; i++)
            flood_ok &= input_getc() == input_flood_char(i);
        ok &= check("console_input_flood_arrives_whole_in_order", flood_ok);
        input_ready(); /* "before restart\nafter restart\n" */
        input_line(buf, sizeof buf);
        ok &= check("console_input_line_before_the_restart", str_eq(buf, "before restart\n"));
        while (serial_ring_used(rx) < 14) /* the next line waits in the ring */
            wait_lines(1u << GUEST_IRQ_CONSOLE);
        if (!ok)
            guest_exit(1);
        __asm__ volatile(".word 0xe7f000f0"); /* udf: stopped and restarted */
    }
    input_line(buf, sizeof buf);
    ok &= check("console_input_not_taken_survives_the_restart", str_eq(buf, "after restart\n"));
    guest_exit(ok ? 0 : 1);
}

static uint32_t read_cpsr(void)
{
    uint32_t v;
    __asm__ volatile(".word 0xe10f0000\n\tmov %0, r0" : "=r"(v) : : "r0"); /* mrs r0, cpsr */
    return v;
}

#define CPSR_CONTROL 0x1dfu /* A, I, F and the mode: what a guest kernel would change */
#define CPSR_USR 0x10u

/* The classes that do not trap at PL0 on ARMv7: they must have no effect
 * (the CPU stays in user mode, interrupts unmasked); the guest says so and
 * exits with 2: it did not get what it asked for, silently. */
static void run_silent(const char *cls)
{
    uint32_t before = read_cpsr();
    if (str_eq(cls, "cps"))
        __asm__ volatile(".word 0xf10c01c0"); /* cpsid aif */
    else if (str_eq(cls, "msr"))
        __asm__ volatile("mov r0, #0xd3\n\t" /* svc mode, I and F set */
                         ".word 0xe121f000"  /* msr cpsr_c, r0 */
                         ::
                             : "r0");
    else
        __asm__ volatile(".word 0xe320f003"); /* wfi */
    uint32_t after = read_cpsr();
    int none = (before & CPSR_CONTROL) == CPSR_USR && (after & CPSR_CONTROL) == CPSR_USR;
    con_printf("sensitive instruction class %s did not trap and %s "
               "(cpsr 0x%x before, 0x%x after)\n",
               cls, none ? "had no effect" : "CHANGED the cpsr", before, after);
    guest_exit(none ? 2 : 1);
}

static void run_sensitive(const char *cls)
{
    con_printf("executing sensitive instruction class %s\n", cls);
    con_flush();
    if (str_eq(cls, "cps") || str_eq(cls, "msr") || str_eq(cls, "wfi"))
        run_silent(cls);
    if (str_eq(cls, "cp15"))
        __asm__ volatile("mcr p15, 0, %0, c1, c0, 0" ::"r"(0)); /* SCTLR */
    else if (str_eq(cls, "cp15r"))
        __asm__ volatile("mrc p15, 0, r0, c1, c0, 0" ::: "r0");
    else if (str_eq(cls, "cp14"))
        __asm__ volatile("mcr p14, 0, %0, c0, c2, 2" ::"r"(0)); /* DBGDSCRext */
    else if (str_eq(cls, "vmrs"))
        __asm__ volatile(".word 0xeef80a10" ::: "r0"); /* vmrs r0, fpexc (FPSCR is user state) */
    else if (str_eq(cls, "smc"))
        __asm__ volatile(".word 0xe1600070"); /* smc #0 */
    else if (str_eq(cls, "hvc"))
        __asm__ volatile(".word 0xe1400070"); /* hvc #0 */
    else if (str_eq(cls, "srs"))
        __asm__ volatile(".word 0xf96d0513"); /* srsdb sp!, #19 */
    else if (str_eq(cls, "rfe"))
        __asm__ volatile(".word 0xf8bd0a00"); /* rfeia sp! */
    else if (str_eq(cls, "eret"))
        __asm__ volatile(".word 0xe1b0f00e"); /* movs pc, lr */
    else if (str_eq(cls, "ldmuser"))
        __asm__ volatile(".word 0xe8dd8000"); /* ldmia sp, {pc}^ */
    else if (str_eq(cls, "udf"))
        __asm__ volatile(".word 0xe7f000f0");
    con_printf("sensitive instruction class %s did not trap\n", cls);
    guest_exit(2);
}

/* --- physical interrupt lines (docs/vmm.md) ---------------------------------- */
static int check(const char *test, int ok)
{
    con_printf("[test] %s %s\n", ok ? "PASS" : "FAIL", test);
    return ok;
}

static void spin_ticks(uint64_t ticks)
{
    uint64_t t0 = vtimer_hw_count();
    while (vtimer_hw_count() - t0 < ticks)
        ;
}

/* The PL061 passed through (systems/passthrough.sys, vmm-irq.sys). QEMU
 * virt's GPIO lines sit at a fixed level when undriven, so a line set to
 * interrupt on that level raises INTID 39 at once and stops when the sense
 * flips: the guest raises and lowers a real device interrupt at will. */
#define GPIO_PADDR 0x09030000u
#define GPIO_IRQ 39u
#define GPIO_REG(off) (((volatile uint32_t *)GPIO_PADDR)[(off) / 4])
#define GPIO_DATA_ALL 0x3fcu
#define GPIO_DIR 0x400u
#define GPIO_IS 0x404u
#define GPIO_IEV 0x40cu
#define GPIO_IE 0x410u
#define GPIO_MIS 0x418u
#define GPIO_IC 0x41cu

static uint32_t pending_lines(void)
{
    return take(&STATE[L4_VCPU_STATE_VIRQ_PENDING]) | take(&upcall_bits);
}

/* The GPIO's line is level-triggered: it stays asserted while the sense
 * matches, which makes the masking visible (vmm-irq.sys: the line and the
 * GPIO granted; no timer of user level's drives a line any more). */
static void run_irq(void)
{
    uint32_t n = info[GUEST_INFO_NIRQS], k = 0;
    while (k < n && info[GUEST_INFO_IRQ + k] != GPIO_IRQ)
        k++;
    int ok = check("guest_irq_granted_line_in_info_page", n == 1 && k == 0);
    if (k == n)
        guest_exit(1);
    const uint32_t line = line_phys(k), bit = 1u << line;
    const uint64_t ms = vtimer_hw_freq() / 1000u;
    GPIO_REG(GPIO_IE) = 0;
    GPIO_REG(GPIO_DIR) = 0;
    uint32_t level = GPIO_REG(GPIO_DATA_ALL) & 1, quiet = level ^ 1;
    GPIO_REG(GPIO_IS) = 1;
    GPIO_REG(GPIO_IEV) = quiet;
    GPIO_REG(GPIO_IC) = 1;
    GPIO_REG(GPIO_IE) = 1;
    spin_ticks(ms);
    /* Raised at the device, it arrives as the line's virtual interrupt,
     * not before. */
    uint32_t early = pending_lines() & bit;
    GPIO_REG(GPIO_IEV) = level;
    uint32_t got = wait_lines(bit);
    ok &= check("guest_irq_delivered_on_its_virtual_line", !early && (got & bit));
    /* Still asserted, but masked until the ack: nothing more arrives. */
    spin_ticks(2 * ms);
    ok &= check("guest_irq_masked_until_acked", !(pending_lines() & bit));
    /* Acked while still asserted: it arrives again at once. */
    ok &= check("guest_irq_ack_of_own_line_accepted", irq_ack(line) == L4_ERR_OK);
    wait_lines(bit);
    ok &= check("guest_irq_redelivered_after_ack_while_asserted", 1);
    /* Serviced (the line drops) and acked: quiet until raised again, then
     * it arrives again. */
    GPIO_REG(GPIO_IEV) = quiet;
    GPIO_REG(GPIO_IC) = 1;
    uint32_t st = irq_ack(line);
    spin_ticks(2 * ms);
    uint32_t quiet_after = !(pending_lines() & bit);
    GPIO_REG(GPIO_IEV) = level;
    wait_lines(bit);
    ok &= check("guest_irq_received_again_after_service_and_ack", st == L4_ERR_OK && quiet_after);
    GPIO_REG(GPIO_IEV) = quiet;
    GPIO_REG(GPIO_IC) = 1;
    GPIO_REG(GPIO_IE) = 0;
    irq_ack(line);
    /* Not one that awaits no acknowledgement (its own, acked), not one it
     * was not granted, not a virtual line. */
    const uint32_t foreign[] = {bit, 1u << line_phys(1), 1u << line_phys(7),
                                1u << GUEST_IRQ_TIMER, 1u << line_chan(0),
                                1u << line_soft(0), 1u << 27, 0xffffffffu};
    int refused = 1;
    for (unsigned i = 0; i < sizeof foreign / sizeof foreign[0]; i++)
        refused &= irq_ack_lines(foreign[i]) == L4_ERR_NOT_ACTIVE;
    ok &= check("guest_irq_ack_refuses_lines_not_active", refused);
    guest_exit(ok ? 0 : 1);
}

static void run_gpio(void)
{
    int ok = check("guest_device_region_in_info_page", info[GUEST_INFO_NDEVICES] == 1 &&
                                                           info[GUEST_INFO_DEVICE] == GPIO_PADDR &&
                                                           info[GUEST_INFO_DEVICE + 1] == 0x1000);
    ok &= check("guest_device_line_in_info_page",
                info[GUEST_INFO_NIRQS] == 1 && info[GUEST_INFO_IRQ] == GPIO_IRQ);
    static const uint8_t cell[4] = {0x0d, 0xf0, 0x05, 0xb1};
    int id = 1;
    for (unsigned i = 0; i < 4; i++)
        id &= (GPIO_REG(0xff0 + 4 * i) & 0xff) == cell[i];
    ok &= check("guest_device_registers_at_their_physical_address", id);
    const uint32_t bit = 1u << line_phys(0);
    const uint64_t ms = vtimer_hw_freq() / 1000u;
    GPIO_REG(GPIO_IE) = 0;
    GPIO_REG(GPIO_DIR) = 0;
    uint32_t level = GPIO_REG(GPIO_DATA_ALL) & 1, quiet = level ^ 1;
    GPIO_REG(GPIO_IS) = 1;
    GPIO_REG(GPIO_IEV) = quiet;
    GPIO_REG(GPIO_IC) = 1;
    GPIO_REG(GPIO_IE) = 1;
    spin_ticks(ms);
    ok &= check("guest_device_quiet_raises_nothing", !(pending_lines() & bit));
    GPIO_REG(GPIO_IEV) = level; /* raise it at the device */
    ok &= check("guest_device_interrupt_reaches_the_vcpu",
                (wait_lines(bit) & bit) && (GPIO_REG(GPIO_MIS) & 1));
    spin_ticks(2 * ms); /* still asserted at the device, masked at the GIC */
    ok &= check("guest_device_interrupt_masked_until_acked", !(pending_lines() & bit));
    GPIO_REG(GPIO_IEV) = quiet; /* service the device, then ack the line */
    GPIO_REG(GPIO_IC) = 1;
    ok &= check("guest_device_ack_accepted",
                !(GPIO_REG(GPIO_MIS) & 1) && irq_ack(line_phys(0)) == L4_ERR_OK);
    spin_ticks(2 * ms);
    ok &= check("guest_device_serviced_and_acked_stays_quiet", !(pending_lines() & bit));
    GPIO_REG(GPIO_IEV) = level; /* once more: the ack unmasked the line */
    ok &= check("guest_device_interrupt_delivered_again_after_ack", (wait_lines(bit) & bit) != 0);
    GPIO_REG(GPIO_IEV) = quiet;
    GPIO_REG(GPIO_IC) = 1;
    GPIO_REG(GPIO_IE) = 0;
    irq_ack(line_phys(0));
    guest_exit(ok ? 0 : 1);
}

/* A guest without lines, in a system without the timer server. */
static void run_irq_none(void)
{
    int ok = check("guest_without_irqs_has_none_in_info_page", info[GUEST_INFO_NIRQS] == 0);
    ok &= check("guest_irq_ack_refused_without_lines",
                irq_ack(line_phys(0)) == L4_ERR_NOT_ACTIVE);
    l4_msg_t m = {.info = l4_msginfo(TIMER_NOW, 0, 0)};
    ok &= check("guest_timer_slot_empty_without_timer_server",
                l4_call(GUEST_CAP_TIMER, &m) != L4_ERR_OK);
    guest_exit(ok ? 0 : 1);
}

/* --- console server error paths (servers/console) ----------------------------- */
/* One call on the console endpoint (the guest's badge); the reply's status.
 * `len` message words, MR0.. from `mr`; *rlen the reply's length. */
static uint32_t con_call(uint32_t label, uint32_t len, const uint32_t *mr, uint32_t *rlen)
{
    l4_msg_t m = {.info = l4_msginfo(label, 0, len)};
    for (uint32_t i = 0; i < len && i < 4; i++)
        m.mr[i] = mr[i];
    for (uint32_t i = 4; i < len; i++)
        l4_set_mr(i, mr[i]);
    if (l4_call(GUEST_CAP_CONSOLE, &m) != L4_ERR_OK)
        return ~0u;
    if (rlen)
        *rlen = l4_msginfo_length(m.info);
    return m.mr[0];
}

/* In a system without a serial driver (vmm-tests): every refusal of the
 * console server a guest can provoke, each with its status, and nothing
 * printed by any of them (the suite's line count would show it). */
static void run_conerr(void)
{
    uint32_t mr[64] = {0};
    int ok = 1;
    con_flush();
    mr[0] = CONSOLE_WRITE_MAX + 1;
    ok &= check("console_write_longer_than_240_bytes_refused",
                con_call(CONSOLE_WRITE, 62, mr, 0) == L4_ERR_INVALID_ARGUMENT);
    mr[0] = 10; /* 10 bytes need 3 words after MR0: 2 are short */
    ok &= check("console_write_shorter_than_its_count_refused",
                con_call(CONSOLE_WRITE, 3, mr, 0) == L4_ERR_INVALID_ARGUMENT);
    mr[0] = 0;
    ok &= check("console_write_of_0_bytes_accepted", con_call(CONSOLE_WRITE, 1, mr, 0) == 0);
    mr[0] = info[GUEST_INFO_ID];
    ok &= check("console_register_by_other_than_the_system_refused",
                con_call(CONSOLE_REGISTER, 5, mr, 0) == L4_ERR_ILLEGAL_OPERATION);
    mr[0] = 10;
    mr[1] = CONSOLE_READ_NOWAIT;
    ok &= check("console_read_without_serial_driver_refused",
                con_call(CONSOLE_READ, 2, mr, 0) == L4_ERR_ILLEGAL_OPERATION);
    mr[0] = info[GUEST_INFO_ID];
    ok &= check("console_set_input_without_serial_driver_refused",
                con_call(CONSOLE_SET_INPUT, 1, mr, 0) == L4_ERR_ILLEGAL_OPERATION);
    ok &= check("console_unknown_label_refused",
                con_call(99, 0, mr, 0) == L4_ERR_INVALID_ARGUMENT);
    ok &= check("console_flush_without_serial_driver_returns_ok",
                con_call(CONSOLE_FLUSH, 0, mr, 0) == L4_ERR_OK);
    guest_exit(ok ? 0 : 1);
}

/* In a system with a serial driver and no input owner
 * (systems/console-errors.sys): conerr-read waits in a CONSOLE_READ;
 * conerr-other, below it, finds the reader taken, then has the line typed. */
static void run_conerr_read(void)
{
    uint32_t mr[4] = {0}, rlen = 0;
    int ok = 1;
    mr[1] = CONSOLE_READ_NOWAIT;
    ok &= check("console_read_of_0_bytes_refused",
                con_call(CONSOLE_READ, 2, mr, 0) == L4_ERR_INVALID_ARGUMENT);
    mr[0] = CONSOLE_READ_MAX + 1;
    ok &= check("console_read_of_more_than_200_bytes_refused",
                con_call(CONSOLE_READ, 2, mr, 0) == L4_ERR_INVALID_ARGUMENT);
    mr[0] = 10;
    ok &= check("console_read_nowait_with_nothing_typed_is_empty",
                con_call(CONSOLE_READ, 2, mr, &rlen) == L4_ERR_OK && rlen == 2);
    mr[0] = info[GUEST_INFO_ID];
    ok &= check("console_set_input_by_a_guest_refused",
                con_call(CONSOLE_SET_INPUT, 1, mr, 0) == L4_ERR_ILLEGAL_OPERATION);
    mr[0] = 0;
    ok &= check("console_set_input_short_refused",
                con_call(CONSOLE_SET_INPUT, 0, mr, 0) == L4_ERR_ILLEGAL_OPERATION);
    /* Blocks until conerr-other has the line typed. */
    l4_msg_t m = {.info = l4_msginfo(CONSOLE_READ, 0, 1), .mr = {20}};
    l4_word_t err = l4_call(GUEST_CAP_CONSOLE, &m);
    char got[24] = {0};
    uint32_t n = m.mr[1] < 20 ? m.mr[1] : 20;
    for (uint32_t i = 0; i < n; i++)
        got[i] = (char)((2 + i / 4 < 4 ? m.mr[2 + i / 4] : l4_get_mr(2 + i / 4)) >> (8 * (i % 4)));
    ok &= check("console_read_waits_for_the_typed_line",
                err == L4_ERR_OK && m.mr[0] == L4_ERR_OK && str_eq(got, "typed\n"));
    guest_exit(ok ? 0 : 1);
}

static void run_conerr_other(void)
{
    uint32_t mr[4] = {10, CONSOLE_READ_NOWAIT, 0, 0}, st = 0;
    for (unsigned i = 0; i < 200; i++) { /* until conerr-read waits */
        st = con_call(CONSOLE_READ, 2, mr, 0);
        if (st != L4_ERR_OK)
            break;
        timer_set(1000, 0);
        wait_lines(1u << GUEST_IRQ_TIMER);
    }
    int ok = check("console_read_while_another_reader_waits_refused",
                   st == L4_ERR_ILLEGAL_OPERATION);
    input_ready(); /* "typed\n", for conerr-read */
    guest_exit(ok ? 0 : 1);
}

/* --- software lines (docs/vmm.md, "Virtual interrupt lines") ------------------ */
/* The lines the description gave: `soft_irqs` software lines (soft16: 16,
 * soft20: 20, with a channel and a physical line beside them), laid out
 * without overlap in 2..31; each cap raises exactly its own line; with
 * distinct priorities and the mask lowered a level at a time, each arrives
 * alone, in priority order; the cap past the last is empty. */
static uint32_t block(uint32_t first, uint32_t n)
{
    return n ? (uint32_t)(((1ull << n) - 1) << first) : 0;
}

static void run_soft(uint32_t want_soft)
{
    l4_vcpu_state_t *st = (l4_vcpu_state_t *)GUEST_STATE_VADDR;
    uint32_t nsoft = info[GUEST_INFO_NSOFT], nchan = info[GUEST_INFO_NCHANNELS];
    uint32_t nphys = info[GUEST_INFO_NIRQS];
    uint32_t soft = info[GUEST_INFO_LINE_SOFT], phys = info[GUEST_INFO_LINE_PHYS];
    uint32_t chan = info[GUEST_INFO_LINE_CHAN];
    int ok = check("guest_soft_lines_count_in_info_page", nsoft == want_soft);
    int fits = soft >= 2 && soft + nsoft <= 32 && phys >= 2 && phys + nphys <= 32 &&
               chan >= 2 && chan + nchan <= 32;
    uint32_t s = fits ? block(soft, nsoft) : 0, p = fits ? block(phys, nphys) : 0;
    uint32_t c = fits ? block(chan, nchan) : 0;
    ok &= check("guest_soft_lines_layout_disjoint_in_2_31",
                fits && !(s & p) && !(s & c) && !(p & c) && !((s | p | c) & 3u));
    if (!fits)
        guest_exit(1);
    /* Each cap raises its line, and only it. */
    STATE[L4_VCPU_STATE_VIRQ_ENABLED] = 0;
    int each = 1;
    for (uint32_t k = 0; k < nsoft; k++) {
        (void)take(&STATE[L4_VCPU_STATE_VIRQ_PENDING]);
        each &= l4_signal(GUEST_CAP_SELF_IRQ + k) == L4_ERR_OK;
        each &= take(&STATE[L4_VCPU_STATE_VIRQ_PENDING]) == 1u << line_soft(k);
    }
    ok &= check("guest_soft_each_cap_raises_its_own_line", each);
    ok &= check("guest_soft_cap_past_the_last_is_empty",
                l4_signal(GUEST_CAP_SELF_IRQ + nsoft) != L4_ERR_OK);
    /* Priority order: line k at priority 15 - k (the first 16), all raised
     * under a mask of 0, then the mask lowered one level at a time: each
     * step delivers exactly the line of that priority. */
    uint32_t n = nsoft < 16 ? nsoft : 16, order = 1;
    for (uint32_t k = 0; k < n; k++)
        order &= l4_vcpu_set_priority(GUEST_CAP_VCPU, line_soft(k), 15 - k) == L4_ERR_OK;
    l4_vcpu_set_pmr(st, 0, GUEST_CAP_VCPU);
    (void)take(&upcall_bits);
    STATE[L4_VCPU_STATE_VIRQ_ENABLED] = 1;
    for (uint32_t k = 0; k < n; k++)
        l4_signal(GUEST_CAP_SELF_IRQ + k); /* pending, held by the mask */
    order &= take(&upcall_bits) == 0;
    for (uint32_t level = 0; level < 16; level++) {
        l4_vcpu_set_pmr(st, level + 1, GUEST_CAP_VCPU); /* upcalls before it returns */
        uint32_t got = take(&upcall_bits);
        uint32_t want = 15 - level < n ? 1u << line_soft(15 - level) : 0;
        if (got != want) {
            con_printf("level %u: got lines 0x%x, want 0x%x\n", level, got, want);
            order = 0;
        }
    }
    STATE[L4_VCPU_STATE_VIRQ_ENABLED] = 0;
    l4_vcpu_set_pmr(st, L4_VCPU_PRIO_NONE, GUEST_CAP_VCPU);
    for (uint32_t k = 0; k < n; k++)
        l4_vcpu_set_priority(GUEST_CAP_VCPU, line_soft(k), 0);
    ok &= check("guest_soft_lines_delivered_one_each_in_priority_order", order);
    guest_exit(ok ? 0 : 1);
}

/* A line pending in virq_pending (signalled while the vCPU was not
 * waiting) ends a wait on the bound notification at once, with virtual
 * interrupts off: the wait takes it (docs/vcpu.md, "Virtual interrupts").
 * The vCPU timer 0 at +20 ms is the backstop a wait that misses it would
 * wait for; the check measures the wait in counter ticks. */
static void run_wake(void)
{
    uint32_t hz = (uint32_t)vtimer_hw_freq();
    int ok = 1;
    STATE[L4_VCPU_STATE_VIRQ_ENABLED] = 0;
    for (uint32_t round = 0; round < 3; round++) {
        uint32_t bit = round == 2 ? 1u << line_soft(info[GUEST_INFO_NSOFT] - 1)
                                  : 1u << line_soft(round);
        (void)take(&STATE[L4_VCPU_STATE_VIRQ_PENDING]);
        l4_vcpu_set_timer(GUEST_CAP_VCPU, 0, L4_VCPU_TIMER_RELATIVE, GUEST_IRQ_TIMER, hz / 50, 0,
                          0);
        l4_signal(GUEST_CAP_SELF_IRQ + (round == 2 ? info[GUEST_INFO_NSOFT] - 1 : round));
        uint64_t t0 = vtimer_hw_count();
        l4_word_t bits = 0;
        l4_wait(GUEST_CAP_NTFN, &bits);
        uint64_t waited = vtimer_hw_count() - t0;
        l4_vcpu_cancel_timer(GUEST_CAP_VCPU, 0);
        uint32_t left = take(&STATE[L4_VCPU_STATE_VIRQ_PENDING]);
        con_printf("wake round %u: bits 0x%x after %u ticks (%u Hz), pending after 0x%x\n",
                   round, bits, (uint32_t)waited, hz, left);
        ok &= (bits & bit) && !(left & bit) && waited < hz / 1000;
    }
    ok = check("guest_wait_returns_at_once_with_a_line_pending", ok);
    guest_exit(ok ? 0 : 1);
}

static void run_good(void)
{
    timer_set(1000, 1);
    for (unsigned t = 1; t <= 50; t++) {
        wait_lines(1u << GUEST_IRQ_TIMER);
        if (t % 10 == 0)
            con_printf("%s: progress %u\n", name, t);
    }
    timer_set(0, 0);
    con_printf("[test] PASS guest_progress_%s\n", name);
    guest_exit(0);
}

static void run_flood(void)
{
    for (uint32_t n = 0;; n++) {
        timer_now(0);
        l4_msg_t m = {.info = l4_msginfo(77, 0, 0)};
        l4_call(GUEST_CAP_VMM, &m); /* an unknown request: refused */
        l4_signal(GUEST_CAP_SELF_IRQ);
        if (n == 0)
            con_printf("flooding\n");
    }
}

static void run_spin(void)
{
    ((volatile uint32_t *)GUEST_STATE_VADDR)[L4_VCPU_STATE_VIRQ_ENABLED] = 0;
    con_printf("spinning with virtual interrupts off\n");
    con_flush();
    for (;;)
        __asm__ volatile("" ::: "memory");
}

__attribute__((noreturn)) void guest_main(const volatile uint32_t *info_page);
void guest_main(const volatile uint32_t *info_page)
{
    info = info_page;
    static uint32_t upcall_stack[256] __attribute__((aligned(8)));
    STATE[L4_VCPU_STATE_ENTRY_PC] = (uint32_t)upcall_entry;
    STATE[L4_VCPU_STATE_ENTRY_SP] = (uint32_t)&upcall_stack[256];
    if (info[GUEST_INFO_MAGIC] != GUEST_INFO_MAGIC_VALUE)
        guest_exit(3);
    for (int i = 0; i < 16; i++)
        name[i] = ((const volatile char *)&info[GUEST_INFO_NAME])[i];
    if (str_prefix(name, "demo"))
        run_demo();
    else if (str_eq(name, "timer"))
        run_timer();
    else if (str_eq(name, "restart"))
        run_restart();
    else if (str_eq(name, "ring"))
        run_ring();
    else if (str_eq(name, "cin"))
        run_cin();
    else if (str_eq(name, "chan-prod"))
        run_chan_prod();
    else if (str_eq(name, "chan-cons"))
        run_chan_cons();
    else if (str_eq(name, "irq"))
        run_irq();
    else if (str_eq(name, "irq-none"))
        run_irq_none();
    else if (str_eq(name, "gpio"))
        run_gpio();
    else if (str_eq(name, "gpio-probe")) {
        con_printf("touching the GPIO, which is not mine\n");
        con_flush();
        (void)GPIO_REG(0xfe0);
        guest_exit(2);
    } else if (str_prefix(name, "sens-"))
        run_sensitive(name + 5);
    else if (str_eq(name, "wild")) {
        con_printf("writing outside guest RAM\n");
        con_flush();
        *(volatile uint32_t *)(GUEST_RAM_BASE + GUEST_RAM_SIZE + 0x1000) = 1;
        guest_exit(2);
    } else if (str_eq(name, "flood"))
        run_flood();
    else if (str_eq(name, "spin"))
        run_spin();
    else if (str_eq(name, "conerr"))
        run_conerr();
    else if (str_eq(name, "conerr-read"))
        run_conerr_read();
    else if (str_eq(name, "conerr-other"))
        run_conerr_other();
    else if (str_eq(name, "soft16"))
        run_soft(16);
    else if (str_eq(name, "soft20"))
        run_soft(20);
    else if (str_eq(name, "wake"))
        run_wake();
    else if (str_eq(name, "good") || str_prefix(name, "good"))
        run_good();
    con_printf("unknown behaviour for guest %s\n", name);
    guest_exit(4);
}
