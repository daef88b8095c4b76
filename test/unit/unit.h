/* SPDX-License-Identifier: BSD-2-Clause */
/* Common includes for host unit tests, in the order CMocka needs. */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Test-only walks of the capability derivation tree (kernel/core/cdt.c
 * records the parent on a first child only, and sibling lists are
 * circular). Each is linear in the list: the kernel never needs them. */
#define CDT_PARENT_OF(c)                                                                           \
    ({                                                                                             \
        const cte_t *_x = (c);                                                                     \
        while (!_x->parent && _x->prev && _x->prev != (c))                                         \
            _x = _x->prev;                                                                         \
        _x->parent;                                                                                \
    })
#define CDT_FOR_CHILDREN(c, p)                                                                     \
    for (const cte_t *c = (p)->first_child; c; c = cdt_next_sibling(c, (p)->first_child))
