/* SPDX-License-Identifier: BSD-2-Clause */
/* The component runtime (component.h): main(), the event loop, the one
 * message it holds, and the newlib hooks of libl4 (output to the console
 * server, the heap the description gives, exit reported to the root task).
 * What the component was given is in its environment page (system/comp.h),
 * whose address is r0 at entry; the runtime trusts it (the root wrote it)
 * but checks every id the component's code passes in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>
#include <system/comp.h>
#include <system/console.h>
#include <system/proto.h>
#include <system/vtimer.h>

static const comp_env_t *env;
static l4_msg_t msg;         /* MR0..MR3 of the message held; the rest in the IPC buffer */
static char stdout_buf[256]; /* stdout is line-buffered here: no malloc needed */
static char stdin_buf[CONSOLE_READ_MAX]; /* stdin reads a line per call */
/* Notification line -> id (COMP_MAX_IDS: none). */
static uint8_t line_id[COMP_LINE_LAST + 1];
static int timer_used; /* comp_timer_set() was called: the timer may notify */

__attribute__((weak)) void notified(comp_id_t id)
{
    printf("notified(%lu), but the program defines no notified()\n", (unsigned long)id);
}

__attribute__((weak)) comp_msginfo_t protected(comp_id_t id, l4_word_t badge, comp_msginfo_t info)
{
    (void)info;
    printf("protected(%lu) from badge %lu, but the program defines no protected()\n",
           (unsigned long)id, (unsigned long)badge);
    comp_mr_set(0, L4_ERR_ILLEGAL_OPERATION);
    return comp_msginfo(0, 1);
}

/* --- libl4 hooks -------------------------------------------------------------- */
static l4_word_t to_console_server(const char *buf, l4_word_t n)
{
    return console_write(COMP_CAP_CONSOLE, buf, n);
}

/* stdin: a line typed at the console (with a serial driver; else end of
 * file, as for any read the console server refuses). */
static l4_word_t from_console_server(char *buf, l4_word_t n)
{
    l4_word_t got = 0;
    return console_read(COMP_CAP_CONSOLE, buf, n, &got) == 0 ? got : 0;
}

void l4_heap_region(void **base, l4_word_t *size)
{
    *base = (void *)COMP_HEAP_VADDR;
    *size = env ? env->heap_size : 0;
}

/* The component's end: the root task stops this thread when it gets the
 * report, so the call does not return. */
void l4_program_exit(int status)
{
    l4_msg_t m = {.info = l4_msginfo(COMP_ROOT_EXIT, 0, 1), .mr = {(l4_word_t)status}};
    l4_call(COMP_CAP_ROOT, &m);
    for (;;) /* only if the root could not be told: wait for nothing */
        l4_wait(COMP_CAP_NTFN, 0);
}

/* --- messages ------------------------------------------------------------------ */
void comp_mr_set(unsigned i, l4_word_t value)
{
    if (i < L4_MSG_REG_WORDS)
        msg.mr[i] = value;
    else if (i < L4_MSG_MAX_WORDS)
        l4_set_mr(i, value);
}

l4_word_t comp_mr_get(unsigned i)
{
    if (i < L4_MSG_REG_WORDS)
        return msg.mr[i];
    return i < L4_MSG_MAX_WORDS ? l4_get_mr(i) : 0;
}

int comp_id_is(comp_id_t id, l4_word_t kind)
{
    return id < COMP_MAX_IDS && env->ids[id].kind == kind;
}

l4_word_t comp_call(comp_id_t id, comp_msginfo_t *info)
{
    if (!comp_id_is(id, COMP_ID_CLIENT))
        return L4_ERR_FAILED_LOOKUP;
    msg.info = l4_msginfo(comp_msginfo_label(*info), 0, comp_msginfo_length(*info));
    l4_word_t err = l4_call(COMP_CAP_ID + id, &msg);
    *info = msg.info;
    return err;
}

void comp_notify(comp_id_t id)
{
    if (!comp_id_is(id, COMP_ID_CHANNEL))
        return;
    l4_signal(COMP_CAP_ID + id);
    if (env->ids[id].info) /* the peer's line is in an extra notification */
        l4_signal(COMP_CAP_ID_SUM + id);
}

void *comp_channel_page(comp_id_t id)
{
    return comp_id_is(id, COMP_ID_CHANNEL) ? (void *)(COMP_CHAN_VADDR + 4096u * id) : NULL;
}

unsigned comp_channel_end(comp_id_t id)
{
    return comp_id_is(id, COMP_ID_CHANNEL) ? (unsigned)env->ids[id].peer : 0;
}

l4_word_t comp_irq_ack(comp_id_t id)
{
    if (!comp_id_is(id, COMP_ID_IRQ))
        return L4_ERR_FAILED_LOOKUP;
    return l4_irq_handler_ack(COMP_CAP_ID + id);
}

l4_word_t comp_irq_debug_break(comp_id_t id)
{
    if (!comp_id_is(id, COMP_ID_IRQ))
        return L4_ERR_FAILED_LOOKUP;
    return l4_irq_handler_debug_break(COMP_CAP_ID + id);
}

l4_word_t comp_timer_set(l4_word_t period_us, int periodic)
{
    timer_used = 1;
    return vtimer_set(COMP_CAP_TIMER, period_us, periodic);
}

const char *comp_name(void)
{
    return env->name;
}

l4_word_t comp_boot_count(void)
{
    return env->boot_count;
}

l4_word_t comp_machine_shutdown(l4_word_t status)
{
    return l4_machine_shutdown(COMP_CAP_MACHINE, status);
}

/* --- the event loop ----------------------------------------------------------------- */
static int serves_endpoint(void)
{
    for (comp_id_t i = 0; i < COMP_MAX_IDS; i++)
        if (env->ids[i].kind == COMP_ID_SERVER)
            return 1;
    return 0;
}

/* Anything that can wake it: an endpoint it serves, a line, the timer. */
static int has_events(void)
{
    for (comp_id_t i = 0; i < COMP_MAX_IDS; i++)
        if (env->ids[i].kind == COMP_ID_SERVER || env->ids[i].kind == COMP_ID_CHANNEL ||
            env->ids[i].kind == COMP_ID_IRQ)
            return 1;
    return timer_used;
}

/* Call notified() for every line set in bits of notification k (0: N0). */
static void dispatch_lines(unsigned k, l4_word_t bits)
{
    for (unsigned b = 0; b < 32; b++) {
        if (!(bits & (1u << b)))
            continue;
        if (k == 0 && b == COMP_LINE_TIMER) {
            notified(COMP_TIMER);
        } else if (k == 0 && b >= COMP_LINE_SUMMARY(0)) {
            unsigned x = b - COMP_LINE_SUMMARY(0);
            l4_word_t more = 0;
            if (x < COMP_NTFN_EXTRA && l4_poll(COMP_CAP_NTFN_X + x, &more) == L4_ERR_OK)
                dispatch_lines(1 + x, more);
        } else if (line_id[32 * k + b] < COMP_MAX_IDS) {
            notified(line_id[32 * k + b]);
        }
    }
}

static void event_loop(void)
{
    const int server = serves_endpoint();
    int reply = 0;
    for (;;) {
        l4_word_t err;
        if (!server) {
            l4_word_t bits = 0;
            err = l4_wait(COMP_CAP_NTFN, &bits);
            if (err == L4_ERR_OK)
                dispatch_lines(0, bits);
            continue;
        }
        err = reply ? l4_reply_recv(COMP_CAP_EP, &msg) : l4_recv(COMP_CAP_EP, &msg);
        reply = 0;
        if (err != L4_ERR_OK)
            continue;
        if (l4_msginfo_is_signal(msg.info)) { /* the kernel's flag: no client can forge it */
            dispatch_lines(0, msg.badge);
            continue;
        }
        comp_id_t id = COMP_BADGE_ID(msg.badge);
        comp_msginfo_t r =
            protected(id, COMP_BADGE_CLIENT(msg.badge),
                      comp_msginfo(l4_msginfo_label(msg.info), l4_msginfo_length(msg.info)));
        msg.info = l4_msginfo(comp_msginfo_label(r), 0, comp_msginfo_length(r));
        reply = 1;
    }
}

int main(void)
{
    env = (const comp_env_t *)l4_start_arg;
    l4_console_set_hook(to_console_server);
    l4_console_set_read_hook(from_console_server);
    setvbuf(stdout, stdout_buf, _IOLBF, sizeof stdout_buf);
    setvbuf(stdin, stdin_buf, _IOLBF, sizeof stdin_buf);
    memset(line_id, COMP_MAX_IDS, sizeof line_id);
    for (comp_id_t i = 0; i < COMP_MAX_IDS; i++) {
        const comp_env_id_t *d = &env->ids[i];
        if ((d->kind == COMP_ID_CHANNEL || d->kind == COMP_ID_IRQ) && d->line <= COMP_LINE_LAST)
            line_id[d->line] = (uint8_t)i;
    }
    init();
    fflush(stdout);
    if (!has_events())
        return 0;
    event_loop();
}
