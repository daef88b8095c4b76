/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Template port: every function of the contract (include/rtos/port.h) as
 * an empty, documented stub. It compiles and links (SConscript builds
 * build/guests/rtos/template/rtos-tests.elf) but does not run. For each
 * function the comment says what the native port (arch/native/) and a
 * paravirtual port do.
 *
 * Besides these functions a port supplies:
 *  - its entry code: set up a kernel stack, zero .bss, initialise devices,
 *    call rtos_main() with interrupts off;
 *  - its exception/upcall entry: save the interrupted registers into the
 *    current port_ctx_t, call rtos_kernel_enter(), the matching
 *    rtos_kernel_tick/irq/yield/syscall/fault upcall, then resume the
 *    context returned by rtos_kernel_leave();
 *  - the user trap stub rtos_usys() and a user start-up stub, linked into
 *    the user text (usys_user.c here).
 */
#include <rtos/rtos.h>

/* Native: mrs cpsr; cpsid i. PV: read and clear the virtual interrupt-
 * enable flag in the vCPU state page (a plain store, no trap). */
port_irqflags_t port_irq_save(void)
{
    return 0; /* TODO */
}

/* Native: cpsie i if the saved I bit was clear. PV: store the flag back;
 * if interrupts became enabled and one is pending, trap to take it. */
void port_irq_restore(port_irqflags_t flags)
{
    /* TODO */
}

/* Native: wfi. PV: block in the hypervisor until a virtual interrupt. */
void port_idle(void)
{
    /* TODO */
}

/* Native: semihosting SYS_EXIT_EXTENDED. PV: tell the VMM and stop. */
void port_exit(int status)
{
    for (;;)
        ; /* TODO */
}

/* Native: PL011 data register. PV: console IPC to the VMM. */
void port_console_putc(char c)
{
    /* TODO */
}

/* Native: PL011 receive FIFO (UARTFR.RXFE), -1 when empty. PV: the console
 * page's rx ring. Never blocks. */
int port_console_getc(void)
{
    return -1; /* TODO */
}

/* The line raised when input arrives (pv: GUEST_IRQ_CONSOLE), or -1: the
 * core then looks once a tick. */
int port_console_input_line(void)
{
    return -1; /* TODO */
}

/* Native: generic timer compare + GIC PPI. PV: ask the VMM for a periodic
 * virtual timer interrupt. The port calls rtos_kernel_tick() per tick. */
void port_tick_start(unsigned hz)
{
    /* TODO */
}

uint64_t port_time_now(void)
{
    return 0; /* TODO: a monotonic counter */
}

uint64_t port_time_hz(void)
{
    return 1; /* TODO: its frequency */
}

/* Native: FPEXC.EN (vmsr fpexc) on, then vstm/vldm of d0-d31 and
 * vmrs/vmsr fpscr (arch/arm/fpu_regs.S). PV: the same save and load (the
 * guest kernel's VFP instructions always run) and the state page's fpexc
 * word set. Must leave the FPU enabled. */
void port_fpu_switch(port_fpu_t *save, const port_fpu_t *load)
{
    /* TODO */
}

/* Native: vmsr fpexc (EN bit). PV: a store to the state page's fpexc. */
void port_fpu_enable(bool on)
{
    /* TODO */
}

/* Native: PMXEVCNTR (event 0x08). PV: the same register if PMUSERENR lets
 * user mode read it, else a hypercall. */
uint32_t port_perf_read(void)
{
    return 0; /* TODO */
}

/* Native: the stats build's software-incremented PMU counters. PV: the
 * same counters under the microkernel's stats configuration. false: this
 * machine does not count kernel entries and address-space switches. */
bool port_perf_kstats(uint32_t *entries, uint32_t *switches)
{
    return false; /* TODO, benchmarks only */
}

/* Native: a device whose line software can raise (virt: the PL031 RTC's
 * alarm). -1: none; then raise/clear are never called. */
int port_devirq_line(void)
{
    return -1; /* TODO, benchmarks only */
}

void port_devirq_raise(void) {}

void port_devirq_clear(void) {}

/* Native: GICD_ISENABLER/ICENABLER. PV: IRQ-handler capability or VMM. */
void port_irq_unmask(unsigned line)
{
    /* TODO */
}

void port_irq_mask(unsigned line)
{
    /* TODO */
}

/* Native: the line's GICD_IPRIORITYR byte. PV: vcpu_set_priority. */
void port_irq_set_priority(unsigned line, unsigned prio)
{
    /* TODO */
}

/* Native: GICC_PMR. PV: the state page's virq_pmr (l4_vcpu_set_pmr). */
unsigned port_irq_set_mask(unsigned prio)
{
    return RTOS_IRQ_PRIO_NONE; /* TODO */
}

/* Native: GICD_SGIR to self. PV: set the line in the pending set and
 * enter the upcall path (or signal a notification bound to it). */
void port_irq_trigger(unsigned line)
{
    /* TODO */
}

/* Build a context that starts entry(arg) on stack_top in kernel-task
 * mode (native: SYS mode; PV: guest user mode in the guest kernel's
 * space). */
void port_context_init(port_ctx_t *ctx, void (*entry)(void *), void *arg, void *stack_top)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->r[0] = (uint32_t)(uintptr_t)arg;
    ctx->r[13] = (uint32_t)(uintptr_t)stack_top;
    ctx->r[15] = (uint32_t)(uintptr_t)entry;
}

/* Build a context that runs the user start-up stub with entry, arg0,
 * arg1 in a protected space (native: USR mode; PV: virtual user mode). */
void port_user_context_init(port_ctx_t *ctx, uintptr_t entry, uintptr_t sp, uintptr_t arg0,
                            uintptr_t arg1)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->r[0] = entry;
    ctx->r[1] = arg0;
    ctx->r[2] = arg1;
    ctx->r[13] = sp;
}

/* Native: svc from SYS mode. PV: save callee state into the current
 * context and run the upcall path directly (no trap needed). */
void port_yield(void)
{
    /* TODO */
}

/* Native: exception return into ctx. PV: resume hypercall / jump. */
void port_start_first(port_ctx_t *ctx)
{
    for (;;)
        ; /* TODO */
}

/* Native: allocate an L1 table and ASID. PV: create a guest address
 * space through the VMM / page-directory capability. */
int port_as_create(port_as_t *as)
{
    return RTOS_ENOMEM; /* TODO */
}

/* Native: L2 small-page entries. PV: map hypercall per page. */
int port_as_map(port_as_t *as, uintptr_t va, uintptr_t kva, size_t size, unsigned prot)
{
    return RTOS_EINVAL; /* TODO */
}

void port_as_destroy(port_as_t *as)
{
    /* TODO */
}

/* Native: TTBR0 + CONTEXTIDR. PV: remember which space the next resume
 * names. */
void port_as_switch(port_as_t *as)
{
    /* TODO */
}

/* Where the linker placed the user text (see arch/native/rtos.ld). */
void port_user_image(uintptr_t *va, uintptr_t *kva, size_t *size)
{
    *va = PORT_USER_BASE; /* TODO */
    *kva = 0;
    *size = 0;
}

/* Placeholder so the template links: an application provides this. */
__attribute__((weak)) void app_init(void) {}

/* Channels (optional). Native: none, return 0 (the rest is then never
 * called). PV: the count and ids from the VMM's guest-info page, the shared
 * page where the VMM mapped it, the line the VMM raises for it, and a
 * signal to the peer (docs/vmm.md; arch/pv/chan.c). */
unsigned port_chan_count(void)
{
    return 0; /* TODO if the machine has channels */
}

void *port_chan_page(unsigned i)
{
    return NULL;
}

unsigned port_chan_line(unsigned i)
{
    return 0;
}

uint32_t port_chan_self(void)
{
    return 0;
}

uint32_t port_chan_peer(unsigned i)
{
    return 0;
}

unsigned port_chan_end(unsigned i)
{
    return 0;
}

void port_chan_signal(unsigned i) {}
