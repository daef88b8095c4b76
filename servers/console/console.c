/* SPDX-License-Identifier: BSD-2-Clause */
/* The console server: one line buffer per client (badge); complete lines are
 * printed as `[name] text`, through the serial driver when the system has
 * one (serial.c; docs/drivers.md), else on the kernel console through a
 * console-only copy of the machine capability (CONSOLE_CAP_MACHINE), so
 * lines of different clients never interleave. With a serial driver it also
 * gives components the lines typed at the console (CONSOLE_READ). Names come
 * from CONSOLE_REGISTER calls made with the system's badge-0 capability; an
 * unnamed client prints as `[#badge]`. Runs at a priority above its
 * clients: a line is printed before the call that completes it returns. */
#include <stdio.h>
#include <string.h>
#include <system/console.h>
#include <system/proto.h>
#include "serial.h"

/* Every party of a system may print: 64 components, 12 guests and their
 * VMMs, the root and the servers (system.h). */
#define MAX_CLIENTS 160
#define LINE_MAX 200 /* longer lines are split */

typedef struct {
    l4_word_t badge;
    int used;
    char name[17];
    char line[LINE_MAX];
    unsigned len;
} client_t;

static client_t clients[MAX_CLIENTS];

static client_t *client_find(l4_word_t badge, int create)
{
    client_t *free_slot = 0;
    for (int i = 0; i < MAX_CLIENTS; i++) {
        if (clients[i].used && clients[i].badge == badge)
            return &clients[i];
        if (!clients[i].used && !free_slot)
            free_slot = &clients[i];
    }
    if (!create || !free_slot)
        return 0;
    memset(free_slot, 0, sizeof *free_slot);
    free_slot->used = 1;
    free_slot->badge = badge;
    snprintf(free_slot->name, sizeof free_slot->name, "#%lu", (unsigned long)badge);
    return free_slot;
}

/* The console hook of this program: the kernel console through its
 * console-only machine capability (WRITE; it cannot stop the machine). */
static l4_word_t to_kernel_console(const char *buf, l4_word_t n)
{
    l4_word_t err = L4_ERR_OK;
    for (l4_word_t k = 0; k < n && err == L4_ERR_OK; k += L4_MACHINE_CONSOLE_MAX) {
        l4_word_t chunk = n - k < L4_MACHINE_CONSOLE_MAX ? n - k : L4_MACHINE_CONSOLE_MAX;
        err = l4_machine_console_write(CONSOLE_CAP_MACHINE, chunk, buf + k);
    }
    return err;
}

/* One line, written at once: to the serial driver, or through the
 * program's console hook (l4_console_write: the kernel's console,
 * to_kernel_console). */
static void client_flush(client_t *c)
{
    char out[sizeof c->name + 3 + LINE_MAX + 1];
    size_t n = strlen(c->name);
    out[0] = '[';
    memcpy(out + 1, c->name, n);
    memcpy(out + 1 + n, "] ", 2);
    memcpy(out + 3 + n, c->line, c->len);
    out[3 + n + c->len] = '\n';
    if (serial_present())
        serial_write(out, (l4_word_t)(4 + n + c->len));
    else
        l4_console_write(out, (l4_word_t)(4 + n + c->len));
    c->len = 0;
}

static void client_put(client_t *c, char ch)
{
    if (ch == '\r')
        return;
    if (ch == '\n') {
        client_flush(c);
        return;
    }
    c->line[c->len++] = ch;
    if (c->len == LINE_MAX)
        client_flush(c);
}

/* CONSOLE_WRITE: MR0 = n, bytes from MR1 (registers MR1..MR3, then the IPC
 * buffer). Returns the status for the reply. The bytes are copied out of
 * the IPC buffer before any is printed: printing a line on the kernel
 * console is an invocation whose own message overwrites that buffer, so
 * a write holding several lines would otherwise print stale words after
 * its first line end. */
static l4_word_t console_handle_write(const l4_msg_t *m)
{
    l4_word_t n = m->mr[0], len = l4_msginfo_length(m->info);
    l4_word_t words[(CONSOLE_WRITE_MAX + 3) / 4];
    if (n > CONSOLE_WRITE_MAX || len < 1 + (n + 3) / 4)
        return L4_ERR_INVALID_ARGUMENT;
    client_t *c = client_find(m->badge, 1);
    if (!c)
        return L4_ERR_NOT_ENOUGH_MEMORY;
    for (l4_word_t w = 1; w < 1 + (n + 3) / 4; w++)
        words[w - 1] = w < L4_MSG_REG_WORDS ? m->mr[w] : l4_get_mr(w);
    for (l4_word_t i = 0; i < n; i++)
        client_put(c, (char)(words[i / 4] >> (8 * (i % 4))));
    return 0;
}

static l4_word_t console_handle_register(const l4_msg_t *m)
{
    if (m->badge != 0 || l4_msginfo_length(m->info) < 5)
        return L4_ERR_ILLEGAL_OPERATION;
    client_t *c = client_find(m->mr[0], 1);
    if (!c)
        return L4_ERR_NOT_ENOUGH_MEMORY;
    l4_word_t w[4] = {m->mr[1], m->mr[2], m->mr[3], l4_get_mr(4)};
    memcpy(c->name, w, 16);
    c->name[16] = 0;
    return 0;
}

/* The console server program: serves CONSOLE_CAP_EP (system/proto.h). */
int main(void)
{
    l4_console_set_hook(to_kernel_console);
    serial_init();
    l4_msg_t m = {0};
    l4_word_t err = l4_recv(CONSOLE_CAP_EP, &m);
    for (;;) {
        l4_msg_t reply = {.info = l4_msginfo(0, 0, 1), .mr = {L4_ERR_INVALID_ARGUMENT}};
        if (err == L4_ERR_OK) {
            switch (l4_msginfo_label(m.info)) {
            case CONSOLE_WRITE:
                reply.mr[0] = console_handle_write(&m);
                break;
            case CONSOLE_REGISTER:
                reply.mr[0] = console_handle_register(&m);
                break;
            case CONSOLE_READ:
                serial_handle_read(&m, &reply);
                break;
            case CONSOLE_SET_INPUT:
                serial_handle_set_input(&m, &reply);
                break;
            case CONSOLE_FLUSH:
                serial_flush();
                reply.mr[0] = L4_ERR_OK;
                break;
            default: /* the serial driver's signal (l4_msginfo_is_signal), or a label
                      * nobody serves: serial_poll below does the work */
                break;
            }
        }
        serial_poll();
        m = reply;
        err = l4_reply_recv(CONSOLE_CAP_EP, &m);
    }
}
