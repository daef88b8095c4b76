/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The smallest complete paravirtual guest (docs/build.md, "A new guest from
 * scratch"): what a port starts from. It checks the guest-info page, writes
 * through the console ring, makes one invocation (l4_vcpu_sync: libl4's
 * invocation stubs, libl4/src/invoke.c), takes a virtual interrupt the way
 * an idle loop does (a one-shot timer, then l4_wait on the bound
 * notification) and ends with VMM_EXIT. Its image audits clean: no
 * sensitive instruction. Booted by systems/template-guest.sys (suite
 * template-guest).
 */
#include <stdint.h>
#include <l4/l4.h>
#include <system/guest.h>
#include <system/serial.h>

#define console ((serial_queue_t *)GUEST_CONSOLE_VADDR)

/* The compiler may call these for structure copies (-ffreestanding). */
void *memcpy(void *d, const void *s, unsigned n);
void *memcpy(void *d, const void *s, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        ((char *)d)[i] = ((const char *)s)[i];
    return d;
}

void *memset(void *d, int c, unsigned n);
void *memset(void *d, int c, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        ((char *)d)[i] = (char)c;
    return d;
}

/* Put bytes into the console ring; signal the VMM at each line end. On a
 * full ring, wait for the VMM's room signal (GUEST_IRQ_CONSOLE); other
 * lines that come meanwhile are not needed here. */
static void put(const char *s)
{
    for (; *s; s++) {
        while (serial_ring_put(&console->tx, (const uint8_t *)s, 1) == 0) {
            l4_signal(GUEST_CAP_CONSOLE_RING);
            if (serial_ring_prepare_wait(&console->tx) == 0)
                l4_wait(GUEST_CAP_NTFN, 0);
        }
        if (*s == '\n')
            l4_signal(GUEST_CAP_CONSOLE_RING);
    }
}

static void put_num(uint32_t v)
{
    char b[12];
    int n = 0;
    do
        b[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    char s[12];
    for (int i = 0; i < n; i++)
        s[i] = b[n - 1 - i];
    s[n] = 0;
    put(s);
}

static void check(const char *name, int ok)
{
    put(ok ? "[test] PASS " : "[test] FAIL ");
    put(name);
    put("\n");
}

__attribute__((noreturn)) static void guest_exit(uint32_t status)
{
    l4_msg_t m = {.info = l4_msginfo(VMM_EXIT, 0, 1), .mr = {status}};
    l4_call(GUEST_CAP_VMM, &m); /* the VMM takes the ring's rest first */
    for (;;)
        l4_wait(GUEST_CAP_NTFN, 0);
}

__attribute__((noreturn)) void guest_main(const volatile uint32_t *info);
void guest_main(const volatile uint32_t *info)
{
    int ok = 1;
    if (info[GUEST_INFO_MAGIC] != GUEST_INFO_MAGIC_VALUE)
        guest_exit(3); /* not started by our VMM: nothing to print with */
    put("hello from the template guest, id ");
    put_num(info[GUEST_INFO_ID]);
    put(", ");
    put_num(info[GUEST_INFO_RAM_SIZE] >> 10);
    put(" KiB of RAM\n");
    ok &= info[GUEST_INFO_RAM_BASE] == GUEST_RAM_BASE;
    check("template_guest_info_page", ok);
    /* An invocation on its VCPU (virtual interrupts are off: nothing to
     * deliver, it returns OK). */
    l4_word_t err = l4_vcpu_sync(GUEST_CAP_VCPU);
    check("template_guest_vcpu_invocation", err == L4_ERR_OK);
    ok &= err == L4_ERR_OK;
    /* A virtual interrupt: a one-shot timer of 1 ms on line 0, taken by
     * waiting on the bound notification (the idle loop's wfi). */
    l4_msg_t m = {.info = l4_msginfo(TIMER_SET, 0, 2), .mr = {1000, 0}};
    err = l4_call(GUEST_CAP_TIMER, &m);
    l4_word_t bits = 0;
    if (err == L4_ERR_OK && m.mr[0] == 0)
        while (!(bits & (1u << GUEST_IRQ_TIMER)))
            l4_wait(GUEST_CAP_NTFN, &bits);
    check("template_guest_timer_line", bits & (1u << GUEST_IRQ_TIMER));
    ok &= (bits & (1u << GUEST_IRQ_TIMER)) != 0;
    guest_exit(ok ? 0 : 1);
}
