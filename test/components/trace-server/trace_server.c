/* SPDX-License-Identifier: BSD-2-Clause */
/* Answers every call with a message of the call's length: each word plus
 * the caller's badge, the label plus one. A reply of up to four words
 * leaves through the kernel's reply_recv fastpath, a longer one through
 * the slow path (systems/trace-paths.sys, suite trace-paths). A call
 * labelled PING first signals tsig twice over channel KICK: tsig answers
 * on the same channel while this server is not receiving, so its next
 * receive returns those bits at once. */
#include <component.h>

#define PING 0x2c
#define KICK 1 /* its id for the channel to tsig */

void init(void) {}

void notified(comp_id_t id)
{
    (void)id;
}

comp_msginfo_t protected(comp_id_t id, l4_word_t badge, comp_msginfo_t info)
{
    (void)id;
    if (comp_msginfo_label(info) == PING) {
        comp_notify(KICK);
        comp_notify(KICK);
    }
    l4_word_t n = comp_msginfo_length(info);
    for (l4_word_t i = 0; i < n; i++)
        comp_mr_set(i, comp_mr_get(i) + badge);
    return comp_msginfo(comp_msginfo_label(info) + 1, n);
}
