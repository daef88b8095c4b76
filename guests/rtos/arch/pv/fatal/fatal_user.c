/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The protected task of case fatal-resume (main.c): it must never run, since
 * the resume into it is refused. If it does, it says so.
 */
#include <rtos/usys.h>

int pv_fatal_user_main(uintptr_t arg, uintptr_t data_va)
{
    static const char msg[] = "fatal: the protected task ran\n";

    (void)arg;
    (void)data_va;
    usys_write(msg, sizeof msg - 1);
    return 1;
}
