/* SPDX-License-Identifier: BSD-2-Clause */
/* The timer server: multiplexes the ARM virtual timer into one-shot and
 * periodic timers for many clients (docs/vmm.md, TIMER_SET / TIMER_NOW). */
#pragma once
#include <l4/l4.h>

/* Serves TIMER_CAP_EP (COMP_CAP layout, system/proto.h); never returns. */
__attribute__((noreturn)) void vtimer_server_main(l4_word_t arg);

/* Client helpers (any component holding a timer endpoint capability). */
l4_word_t vtimer_set(l4_cptr_t ep, l4_word_t period_us, int periodic);
l4_word_t vtimer_now(l4_cptr_t ep, uint64_t *count, l4_word_t *freq);
