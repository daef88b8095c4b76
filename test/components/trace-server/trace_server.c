/* SPDX-License-Identifier: BSD-2-Clause */
/* Answers every call with a message of the call's length: each word plus
 * the caller's badge, the label plus one. A reply of up to four words
 * leaves through the kernel's reply_recv fastpath, a longer one through
 * the slow path (systems/trace-paths.sys, suite trace-paths). */
#include <component.h>

void init(void) {}

comp_msginfo_t protected(comp_id_t id, l4_word_t badge, comp_msginfo_t info)
{
    (void)id;
    l4_word_t n = comp_msginfo_length(info);
    for (l4_word_t i = 0; i < n; i++)
        comp_mr_set(i, comp_mr_get(i) + badge);
    return comp_msginfo(comp_msginfo_label(info) + 1, n);
}
