/* SPDX-License-Identifier: BSD-2-Clause */
/* Timer server client calls (system/vtimer.h). */
#include <system/proto.h>
#include <system/vtimer.h>

l4_word_t vtimer_set(l4_cptr_t ep, l4_word_t period_us, int periodic)
{
    l4_msg_t m = {.info = l4_msginfo(TIMER_SET, 0, 2), .mr = {period_us, periodic ? 1u : 0u}};
    l4_word_t err = l4_call(ep, &m);
    return err ? err : m.mr[0];
}

l4_word_t vtimer_now(l4_cptr_t ep, uint64_t *count, l4_word_t *hz)
{
    l4_msg_t m = {.info = l4_msginfo(TIMER_NOW, 0, 0)};
    l4_word_t err = l4_call(ep, &m);
    if (err || m.mr[0])
        return err ? err : m.mr[0];
    *count = ((uint64_t)m.mr[2] << 32) | m.mr[1];
    *hz = m.mr[3];
    return 0;
}
