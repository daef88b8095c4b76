/* SPDX-License-Identifier: BSD-2-Clause */
/* Host build of kernel code: a failed kernel assertion becomes a CMocka
 * failure (tests can expect it with expect_assert_failure). */
#pragma once
void mock_assert(const int result, const char *const expression, const char *const file,
                 const int line);
#define assert(c) mock_assert(!!(c), #c, __FILE__, __LINE__)
/* The host tests build the debug configuration (shim/kernel_config.h). */
#define assert_debug(c) assert(c)
