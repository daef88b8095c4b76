/* SPDX-License-Identifier: BSD-2-Clause */
/* Serves endpoints and answers every call with what identifies the caller
 * there: the id of the endpoint at this server, the caller's badge, the
 * label and the first message word plus one. A client checks that it
 * sees its own badge and the endpoint it called (systems/components.sys). */
#include <component.h>

void init(void) {}

comp_msginfo_t protected(comp_id_t id, l4_word_t badge, comp_msginfo_t info)
{
    l4_word_t w0 = comp_mr_get(0);
    comp_mr_set(0, id);
    comp_mr_set(1, badge);
    comp_mr_set(2, comp_msginfo_label(info));
    comp_mr_set(3, w0 + 1);
    comp_mr_set(9, comp_mr_get(9) + 1); /* a word beyond the registers */
    return comp_msginfo(0, 10);
}
