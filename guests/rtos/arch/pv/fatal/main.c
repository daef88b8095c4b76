/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The port's fatal paths, provoked (system rtos-pv-fatal, suite
 * rtos-pv-fatal): one guest per path, which picks its case from its name in
 * the guest-info page and must be stopped by the port's report
 * (pv_fatal: "[pv] FATAL ...", then VMM_EXIT with status 3). Anything it
 * prints after the provocation ("survived") means the path did not stop it.
 *
 *   fatal-cause   an upcall from virtual user mode with a cause the kernel
 *                 never gives (pv_upcall_bad: "unknown upcall cause");
 *   fatal-kmode   an upcall into virtual kernel mode that is not an
 *                 interrupt (pv_upcall_bad: "upcall from kernel mode"), which
 *                 the kernel's contract rules out (docs/vcpu.md, "Upcalls");
 *   fatal-resume  vcpu_resume(USER) refused (pv_resume_failed): a kernel task
 *                 acknowledges, in virq_ack, a line that awaits no
 *                 acknowledgement (a software line), and blocks, so that the
 *                 next resume is the protected task's, which the kernel
 *                 refuses with NOT_ACTIVE;
 *   fatal-nested  the nested entry (pv_upcall_nested) entered by an
 *                 interrupt upcall while no handler nests (entry_pc made
 *                 it, as a stray store would): "nested upcall without a
 *                 nesting handler";
 *   fatal-nest-sp the same while a handler is said to nest, its sp (in
 *                 kregs) outside the kernel stack: "nested upcall with
 *                 its sp outside the kernel stack", before anything is
 *                 written there;
 *   fatal-nest-room the same with its sp inside the kernel stack but less
 *                 than a level's room (PV_NEST_ROOM) above its bottom, as
 *                 after handlers that used more than their stack budget:
 *                 "nested upcall: kernel stack exhausted".
 * The two upcalls are made as the kernel makes one (docs/vcpu.md): virtual
 * interrupts off, the cause words and the interrupted registers in the state
 * page, sp = entry_sp, a jump to entry_pc (pv_upcall_entry).
 */
#include "../pv.h"

#define PV_FATAL_NO_CAUSE 0x5a5au /* no L4_VCPU_CAUSE_* has this value */
#define PV_FATAL_PC 0x40001234u   /* the pc the doctored context reports */

/* entry.S-style jump to the upcall entry on its stack (fatal_enter.S). */
PORT_NORETURN void pv_fatal_upcall(l4_word_t entry_pc, l4_word_t entry_sp);
int pv_fatal_user_main(uintptr_t arg, uintptr_t data_va); /* fatal_user.c */

static rtos_task_t task;
static uint64_t task_stack[2048 / 8];
static rtos_utask_t utask;
static rtos_sem_t never;

static bool named(const char *want)
{
    const volatile char *name = (const volatile char *)((const volatile uint32_t *)GUEST_INFO_VADDR +
                                                        GUEST_INFO_NAME);
    unsigned i = 0;

    for (; i < 16 && want[i]; i++)
        if (name[i] != want[i])
            return false;
    return i == 16 || name[i] == 0;
}

/* An upcall with `cause`, the interrupted context (a copy of pv_boot's
 * registers would do; the words matter only as the report's pc) in regs
 * (from_user 1) or kregs (0). */
static PORT_NORETURN void provoke_upcall_sp(l4_word_t entry_pc, l4_word_t from_user,
                                            l4_word_t cause, l4_word_t sp)
{
    l4_vcpu_state_t *regs = &pv_state[from_user ? L4_VCPU_STATE_REGS : L4_VCPU_STATE_KREGS];

    l4_vcpu_irq_disable(pv_state);
    for (unsigned i = 0; i < L4_VCPU_REGS; i++)
        regs[i] = 0;
    regs[15] = PV_FATAL_PC;
    regs[16] = PV_PSR_USR;
    pv_state[L4_VCPU_STATE_FROM_USER] = from_user;
    pv_state[L4_VCPU_STATE_CAUSE] = cause;
    regs[13] = sp;
    pv_fatal_upcall(entry_pc, pv_state[L4_VCPU_STATE_ENTRY_SP]);
}

/* The interrupted sp: outside the kernel stack. */
static PORT_NORETURN void provoke_upcall_at(l4_word_t entry_pc, l4_word_t from_user,
                                            l4_word_t cause)
{
    provoke_upcall_sp(entry_pc, from_user, cause, PV_FATAL_PC);
}

static PORT_NORETURN void provoke_upcall(l4_word_t from_user, l4_word_t cause)
{
    provoke_upcall_at(pv_state[L4_VCPU_STATE_ENTRY_PC], from_user, cause);
}

static void provoke_resume_failure(void)
{
    int r;

    rtos_sem_init(&never, 0, 1);
    /* Less urgent than this task: ready, not run, until this one blocks. */
    r = rtos_utask_create(&utask, "fatal-user", rtos_task_priority(rtos_task_self()) - 1,
                          pv_fatal_user_main, 0);
    if (r) {
        rtos_printf("fatal: rtos_utask_create failed (%d)\n", r);
        return;
    }
    /* Interrupts off from the bad acknowledgement to the switch: no jump
     * back into this task (whose vcpu_sync would refuse it first) comes
     * between. */
    (void)port_irq_save();
    l4_vcpu_ack(pv_state, 1u << PORT_IRQ_SOFT_FIRST);
    rtos_printf("fatal: acknowledging a line that is not active, then blocking\n");
    rtos_sem_take(&never, RTOS_WAIT_FOREVER);
}

static void fatal_main(void *arg)
{
    (void)arg;
    if (named("fatal-cause")) {
        rtos_printf("fatal: an upcall with an unknown cause\n");
        provoke_upcall(1, PV_FATAL_NO_CAUSE);
    } else if (named("fatal-kmode")) {
        rtos_printf("fatal: a system-call upcall into kernel mode\n");
        provoke_upcall(0, L4_VCPU_CAUSE_SYSCALL);
    } else if (named("fatal-nested")) {
        rtos_printf("fatal: a nested upcall with no handler nesting\n");
        provoke_upcall_at((l4_word_t)(uintptr_t)pv_upcall_nested, 0, L4_VCPU_CAUSE_VIRQ);
    } else if (named("fatal-nest-sp")) {
        rtos_printf("fatal: a nested upcall with its sp outside the kernel stack\n");
        pv_irq_nest_depth = 1;
        provoke_upcall_at((l4_word_t)(uintptr_t)pv_upcall_nested, 0, L4_VCPU_CAUSE_VIRQ);
    } else if (named("fatal-nest-room")) {
        rtos_printf("fatal: a nested upcall with less than a level's room left\n");
        pv_irq_nest_depth = 1;
        provoke_upcall_sp((l4_word_t)(uintptr_t)pv_upcall_nested, 0, L4_VCPU_CAUSE_VIRQ,
                          (l4_word_t)(uintptr_t)pv_kstack + PV_NEST_ROOM - 8);
    } else if (named("fatal-resume")) {
        provoke_resume_failure();
    } else {
        rtos_printf("fatal: no case for this guest's name\n");
        port_exit(1);
    }
    rtos_printf("fatal: survived\n");
    port_exit(0);
}

void app_init(void)
{
    rtos_task_create(&task, "fatal", 10, fatal_main, NULL, task_stack, sizeof(task_stack));
}
