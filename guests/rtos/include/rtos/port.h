/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The port contract: everything the shared RTOS core needs from a machine,
 * and everything the machine calls back into the core.
 *
 * A port is a directory arch/<impl>/ holding all privileged (sensitive)
 * instructions and all device access. It provides <port_arch.h> (found through
 * the include path, arch/<impl>/include before include/) with the types and
 * constants below, and implements the port_* functions. arch/template/ is an
 * empty, documented port to copy. docs/rtos.md describes each function and
 * what the native and paravirtual ports do.
 *
 * The contract is shaped so that a port need not be a privileged kernel:
 *  - Critical sections return an opaque flags word; a paravirtual port stores
 *    to a flag in its vCPU state page instead of executing cpsid/cpsie.
 *  - Every exception, interrupt, system call and fault enters the core through
 *    the rtos_kernel_* upcalls below, bracketed by rtos_kernel_enter() and
 *    rtos_kernel_leave(). The core never sees modes, banked registers or a
 *    vector layout; it sees a saved context (port_ctx_t) and a line number.
 *  - Resuming a context is the port's job: rtos_kernel_leave() names the
 *    context to resume and the port restores it (exception return natively,
 *    a `resume` hypercall when virtualised).
 *  - Address spaces are handles the port creates, maps and switches; the
 *    core never builds page tables.
 */
#ifndef RTOS_PORT_H
#define RTOS_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * <port_arch.h> must define:
 *   port_irqflags_t       opaque critical-section state
 *   port_ctx_t            a saved execution context (registers), embedded in
 *                         every task; laid out as the port likes
 *   port_as_t             an address-space handle, embedded in user tasks
 *   port_fpu_t            a task's floating-point registers, embedded in
 *                         every task (used only by tasks that enable the FPU)
 *   PORT_NAME             "native", "pv", ...: suffix of benchmark names
 *   PORT_IRQ_LINES        number of interrupt lines the core can dispatch
 *   PORT_IRQ_SOFT_FIRST, PORT_IRQ_SOFT_COUNT
 *                         lines that port_irq_trigger() can raise
 *   PORT_USER_BASE, PORT_USER_END
 *                         the user virtual-address window for protected tasks
 *   port_ctx_arg(ctx, i)  i-th system-call argument (0 = call number)
 *   port_ctx_set_ret(ctx, v)  system-call result
 *   port_ctx_pc(ctx)      resume address (for fault reports)
 */
#include <port_arch.h>

#define PORT_NORETURN __attribute__((noreturn))

/* ---- Critical sections (callable from task and kernel context) ---------- */

/* Disable interrupt delivery; return the previous state. Nests. */
port_irqflags_t port_irq_save(void);
/* Restore the state returned by the matching port_irq_save(). */
void port_irq_restore(port_irqflags_t flags);

/* ---- Processor ---------------------------------------------------------- */

/* Wait for an interrupt with interrupts enabled (idle task only). */
void port_idle(void);
/* Stop the machine, reporting status (0 = success) to the host. */
PORT_NORETURN void port_exit(int status);
/* Write one character to the console; callable with interrupts off. */
void port_console_putc(char c);
/* The next character typed at the console, or -1 if none has arrived;
 * never blocks, callable with interrupts off (rtos_console_getc blocks on
 * it). */
int port_console_getc(void);
/* The interrupt line the port raises when console input arrives (its
 * handler is the core's: rtos_console_getc attaches it), or -1 if there is
 * none and the core looks again at each tick. */
int port_console_input_line(void);

/* ---- Time --------------------------------------------------------------- */

/* Start the periodic tick: the port calls rtos_kernel_tick() hz times/s. */
void port_tick_start(unsigned hz);
/* Free-running monotonic counter and its frequency (Hz). */
uint64_t port_time_now(void);
uint64_t port_time_hz(void);
/* Instructions retired since boot, all privilege levels (benchmarks; wraps
 * at 2^32). */
uint32_t port_perf_read(void);
/* Kernel entries and address-space switches since boot (benchmarks; wrap at
 * 2^32), if this machine counts them: true and both set; false (nothing
 * set) on a machine that counts instructions only. Natively they are the
 * RTOS's own exception entries and TTBR0 loads, counted by its stats
 * build; as a guest they are the microkernel's, counted by its stats
 * configuration (docs/benchmarks.md). Counting them costs instructions, so
 * a machine counts either these or port_perf_read()'s figures honestly. */
bool port_perf_kstats(uint32_t *entries, uint32_t *switches);
/* The same two counters and the instruction counter, read from a protected
 * task's user text (arch/arm/perf_user.S): counter 0 instructions, 1
 * entries, 2 switches. Benchmark images only. */
uint32_t port_user_perf_read(unsigned counter);

/* ---- Floating point ----------------------------------------------------- */

/*
 * The core owns the FPU per task (core/fpu.c, docs/rtos.md "Floating
 * point"): only tasks that called rtos_task_fpu_enable() have registers of
 * their own; the core switches them when such a task is resumed and the
 * FPU holds another's, and turns the FPU off while any other task runs.
 * Both are called with interrupts off (kernel context, or from the task
 * enabling its FPU).
 */
/* Save the FPU's registers into save (unless NULL), load them from load,
 * and leave the FPU enabled for the context resumed next. */
void port_fpu_switch(port_fpu_t *save, const port_fpu_t *load);
/* Enable or disable the FPU for the context resumed next (natively
 * FPEXC.EN; as a guest the vCPU state page's fpexc). Disabled, a floating-
 * point instruction of a protected task is an undefined-instruction fault
 * (natively of any task; a guest's kernel tasks run in virtual kernel
 * mode, where the virtual FPEXC is not consulted: docs/vcpu.md). */
void port_fpu_enable(bool on);

/* ---- Interrupt lines ---------------------------------------------------- */

/* Allow / forbid delivery of one line (line < PORT_IRQ_LINES). */
void port_irq_unmask(unsigned line);
void port_irq_mask(unsigned line);
/* Raise a software interrupt on a line in the PORT_IRQ_SOFT_* range. It is
 * delivered like a device interrupt once interrupts are enabled. */
void port_irq_trigger(unsigned line);

/*
 * Interrupt priorities (docs/rtos.md, "Interrupt priorities"), the GIC's
 * model: levels 0 (highest) .. RTOS_IRQ_PRIO_LEVELS-1, every line at
 * RTOS_IRQ_PRIO_DEFAULT until set. The priority mask holds off every line
 * whose level is the mask's or lower (numerically >=): what FreeRTOS's
 * critical sections at configMAX_API_CALL_INTERRUPT_PRIORITY do. Lines
 * above it are still taken, and their handlers must not call the RTOS
 * (they may interrupt a task in the middle of an RTOS call). The mask is
 * RTOS_IRQ_PRIO_NONE (nothing masked) except between a task's set and its
 * restore, during which the task must not block. Natively GICD_IPRIORITYR
 * (level << 4) and GICC_PMR; as a guest vcpu_set_priority and the state
 * page's virq_pmr (docs/vcpu.md).
 */
#define RTOS_IRQ_PRIO_LEVELS 15u /* 0..14 */
#define RTOS_IRQ_PRIO_NONE 15u    /* a mask that masks no line */
#define RTOS_IRQ_PRIO_DEFAULT 10u /* every line's level at boot */
/* line < PORT_IRQ_LINES, prio < RTOS_IRQ_PRIO_LEVELS (the core checks);
 * called with interrupts off (the core's port_irq_save), so a port may
 * read-modify-write shared state here. */
void port_irq_set_priority(unsigned line, unsigned prio);
/* Set the mask (<= RTOS_IRQ_PRIO_NONE); return the previous one. Lowering
 * it takes what it unmasks before it returns. */
unsigned port_irq_set_mask(unsigned prio);

/* ---- A device interrupt: optional, for benchmarks and tests ------------- */

/*
 * A real device's interrupt line that software can make the device raise
 * at once (QEMU virt: the PL031 RTC's alarm), so that a physical line's
 * whole path can be measured. port_devirq_line() is its line, or -1 if
 * this machine offers none (the other two are then never called).
 * port_devirq_raise() makes the device assert the line; the handler
 * attached to it must call port_devirq_clear(), which makes the device
 * deassert it (the line is level-triggered).
 */
int port_devirq_line(void);
void port_devirq_raise(void);
void port_devirq_clear(void);

/* ---- Contexts ----------------------------------------------------------- */

/* Prepare ctx to run entry(arg) in kernel-task mode on the given stack. entry
 * must never return. */
void port_context_init(port_ctx_t *ctx, void (*entry)(void *), void *arg, void *stack_top);
/* Prepare ctx to run user code in a protected address space: the port's
 * user start-up stub calls entry(arg0, arg1) and turns its return into an
 * exit system call. entry and sp are user virtual addresses. */
void port_user_context_init(port_ctx_t *ctx, uintptr_t entry, uintptr_t sp, uintptr_t arg0,
                            uintptr_t arg1);
/* From task context: save the caller's context into the current context and
 * enter the core as rtos_kernel_enter(); rtos_kernel_yield();
 * rtos_kernel_leave(). Returns when the caller is next resumed. Must work
 * with interrupts disabled (the caller's interrupt state is part of its
 * context and comes back with it). */
void port_yield(void);
/* Resume ctx for the first time; used once, from rtos_main(). */
PORT_NORETURN void port_start_first(port_ctx_t *ctx);

/* ---- Address spaces for protected tasks --------------------------------- */

#define PORT_PROT_R 1u
#define PORT_PROT_W 2u
#define PORT_PROT_X 4u

/* Make an empty user address space. Returns 0 or a negative RTOS error. */
int port_as_create(port_as_t *as);
/* Map [va, va+size) to the memory the kernel sees at [kva, kva+size), user
 * accessible with prot. All three are page aligned. Returns 0 or < 0. */
int port_as_map(port_as_t *as, uintptr_t va, uintptr_t kva, size_t size, unsigned prot);
/* Release the space; it may be the active one (the port then falls back to
 * a kernel-only space). */
void port_as_destroy(port_as_t *as);
/* Make as the space in which the next resumed user context runs. Kernel
 * tasks run in whatever space is active (kernel memory is in all of them). */
void port_as_switch(port_as_t *as);
/* Where the user program text lies: user VA, kernel address, size (bytes,
 * page multiple). Shared read-only by every protected task. */
void port_user_image(uintptr_t *va, uintptr_t *kva, size_t *size);

/* ---- Channels: an optional device -------------------------------------- */

/*
 * A channel connects this machine to one peer (another guest or a native
 * component of the system, docs/system.md): a 4 KiB page both can read and
 * write, and an interrupt line each way. On the VMM's and the components'
 * side the page holds two rings of records, one each way
 * (servers/include/system/channel.h, used by apps/demo); port_chan_end()
 * says which one this machine produces into.
 * A port without channels answers port_chan_count() == 0; the other
 * functions are then never called. The paravirtual port maps channel i at
 * GUEST_CHAN_VADDR + 4 KiB * i (docs/vmm.md); the native port has none.
 */
/* Number of channels (0: the machine has none). */
unsigned port_chan_count(void);
/* Channel i's shared page (i < port_chan_count()). */
void *port_chan_page(unsigned i);
/* The interrupt line the peer raises on channel i: attach a handler with
 * rtos_irq_attach(). */
unsigned port_chan_line(unsigned i);
/* Ids of this machine and of channel i's peer, in the system's numbering
 * (unique per system; lets two programs agree on who speaks first). */
uint32_t port_chan_self(void);
uint32_t port_chan_peer(unsigned i);
/* This machine's end of channel i in the system description: 0 (`a`) or
 * 1 (`b`); the ring of the page it produces into (system/channel.h). */
unsigned port_chan_end(unsigned i);
/* Raise the peer's line of channel i (callable with interrupts off). */
void port_chan_signal(unsigned i);

/* ---- Upcalls: implemented by the core, called by the port --------------- */

/* Fault kinds reported by rtos_kernel_fault(). */
enum port_fault {
    PORT_FAULT_DATA = 1, /* data access not permitted or unmapped */
    PORT_FAULT_PREFETCH, /* instruction fetch not permitted or unmapped */
    PORT_FAULT_UNDEF,    /* undefined or privileged instruction */
};

/* Boot: called once by the port after its hardware set-up, interrupts off. */
PORT_NORETURN void rtos_main(void);

/* Every upcall below happens between one rtos_kernel_enter() and one
 * rtos_kernel_leave(), with interrupts disabled, on the port's kernel stack,
 * after the interrupted context has been saved into the current task's
 * port_ctx_t. Upcalls never nest, with one exception: where the port
 * nests (port_arch.h defines PORT_IRQ_NESTS 1), rtos_kernel_irq() runs
 * with interrupts enabled at its line's priority, and a line of higher
 * priority may run its rtos_kernel_irq() inside it, within the same
 * enter/leave pair. Such a port's kernel stack holds the deepest chain the
 * priorities allow, RTOS_IRQ_PRIO_LEVELS handlers, each using at most
 * RTOS_IRQ_HANDLER_STACK bytes (its frame and everything it calls) besides
 * the port's own frames for it; and the port checks at each nested entry
 * that a level's room is left, stopping with a report where it is not. It
 * defines PORT_IRQ_STACK_LO and PORT_IRQ_STACK_HI, that stack's bounds (the
 * tests paint it and measure its high-water mark). */
#define RTOS_IRQ_HANDLER_STACK 256u
void rtos_kernel_enter(void);
/* Returns the context the port must resume (it may belong to another task
 * and another address space; port_as_switch() was already called). */
port_ctx_t *rtos_kernel_leave(void);

void rtos_kernel_tick(void);               /* the periodic tick */
void rtos_kernel_irq(unsigned line);       /* an interrupt line fired */
void rtos_kernel_yield(void);              /* port_yield() arrived */
void rtos_kernel_syscall(port_ctx_t *ctx); /* user task system call */
void rtos_kernel_fault(port_ctx_t *ctx, enum port_fault kind, uintptr_t addr);

#endif
