/* SPDX-License-Identifier: BSD-2-Clause */
/* Client of the timer server (servers/vtimer/), in libsys
 * (servers/lib/vtimer_client.c): one-shot and periodic timers (docs/vmm.md,
 * TIMER_SET / TIMER_NOW); the timer's signal is line 0 of the client's
 * notification. */
#pragma once
#include <stdint.h>
#include <l4/l4.h>

/* Any program holding a timer endpoint capability. */
l4_word_t vtimer_set(l4_cptr_t ep, l4_word_t period_us, int periodic);
l4_word_t vtimer_now(l4_cptr_t ep, uint64_t *count, l4_word_t *freq);
