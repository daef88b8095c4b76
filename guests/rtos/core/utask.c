/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Protected user tasks: each has its own address space (created and
 * switched by the port) holding exactly three regions:
 *   text  the shared user text (all *_user.c code), read-only + execute,
 *   stack RTOS_USER_STACK_PAGES pages at USTACK_VA, the same VA in every
 *         task (so isolation is proved by address-space switching),
 *   data  one page at a VA unique to the task (so a task can name another
 *         task's data address and must fault when it touches it).
 * Kernel memory is never user accessible. Backing pages come from a static
 * pool and are zeroed on allocation, so nothing leaks between tasks.
 */
#include "kernel.h"

#define USTACK_VA (PORT_USER_BASE + 0x00800000u)
#define UDATA_VA(page) (PORT_USER_BASE + 0x01000000u + (page)*0x10000u)

enum { UREGION_TEXT, UREGION_STACK, UREGION_DATA };

static uint8_t upages[RTOS_UPAGES][RTOS_PAGE_SIZE] __attribute__((aligned(RTOS_PAGE_SIZE)));
static uint32_t upage_used; /* bit i: upages[i] allocated */

_Static_assert(RTOS_UPAGES <= 32, "upage_used is one word");
_Static_assert(RTOS_USER_STACK_PAGES == 1, "stack is one pool page");

/* Returns the pool index or -1. Interrupts off. */
static int upage_alloc(void)
{
    for (int i = 0; i < RTOS_UPAGES; i++) {
        if (!(upage_used & (1u << i))) {
            upage_used |= 1u << i;
            memset(upages[i], 0, RTOS_PAGE_SIZE);
            return i;
        }
    }
    return -1;
}

static void upage_free_kva(uintptr_t kva)
{
    unsigned i = (unsigned)((kva - (uintptr_t)upages[0]) / RTOS_PAGE_SIZE);

    if (i < RTOS_UPAGES)
        upage_used &= ~(1u << i);
}

static int utask_map(rtos_utask_t *u, unsigned idx, uintptr_t va, uintptr_t kva, uint32_t size,
                     unsigned prot)
{
    u->region[idx] = (rtos_uregion_t){va, kva, size, prot};
    return port_as_map(&u->as, va, kva, size, prot);
}

/* Build u's address space; on failure everything is released again. */
static int utask_build(rtos_utask_t *u, int stack_page, int data_page)
{
    uintptr_t tva, tkva;
    size_t tsize;
    int r;

    port_user_image(&tva, &tkva, &tsize);
    RTOS_ASSERT(tva >= PORT_USER_BASE && tva + tsize <= USTACK_VA);
    r = port_as_create(&u->as);
    if (r)
        return r;
    u->data_va = UDATA_VA((unsigned)data_page);
    r = utask_map(u, UREGION_TEXT, tva, tkva, tsize, PORT_PROT_R | PORT_PROT_X);
    if (!r)
        r = utask_map(u, UREGION_STACK, USTACK_VA, (uintptr_t)upages[stack_page], RTOS_PAGE_SIZE,
                      PORT_PROT_R | PORT_PROT_W);
    if (!r)
        r = utask_map(u, UREGION_DATA, u->data_va, (uintptr_t)upages[data_page], RTOS_PAGE_SIZE,
                      PORT_PROT_R | PORT_PROT_W);
    if (r)
        port_as_destroy(&u->as);
    return r;
}

int rtos_utask_create(rtos_utask_t *u, const char *name, unsigned prio, rtos_uentry_t entry,
                      uintptr_t arg)
{
    port_irqflags_t flags;
    int stack_page, data_page, r;

    if (!u || !entry || prio == RTOS_PRIO_IDLE || prio >= RTOS_PRIO_MAX ||
        (u->task.state != RTOS_TASK_UNUSED && u->task.state != RTOS_TASK_DEAD))
        return RTOS_EINVAL;
    flags = port_irq_save();
    stack_page = upage_alloc();
    data_page = upage_alloc();
    r = stack_page < 0 || data_page < 0 ? RTOS_ENOMEM : utask_build(u, stack_page, data_page);
    if (r) {
        if (stack_page >= 0)
            upage_free_kva((uintptr_t)upages[stack_page]);
        if (data_page >= 0)
            upage_free_kva((uintptr_t)upages[data_page]);
        port_irq_restore(flags);
        return r;
    }
    task_setup(&u->task, name, prio);
    u->task.user = u;
    port_user_context_init(&u->task.ctx, (uintptr_t)entry, USTACK_VA + RTOS_PAGE_SIZE, arg,
                           u->data_va);
    u->task.state = RTOS_TASK_READY;
    sched_ready_add(&u->task, false);
    sched_preempt();
    port_irq_restore(flags);
    return RTOS_OK;
}

int rtos_utask_grant_sem(rtos_utask_t *u, unsigned slot, rtos_sem_t *s)
{
    if (!u || slot >= RTOS_USER_SEM_SLOTS)
        return RTOS_EINVAL;
    u->sem[slot] = s;
    return RTOS_OK;
}

/* The task has ended: free its space, pages and grants. */
void utask_release(rtos_utask_t *u)
{
    port_as_destroy(&u->as);
    if (sched.active_as == &u->as)
        sched.active_as = NULL;
    upage_free_kva(u->region[UREGION_STACK].kva);
    upage_free_kva(u->region[UREGION_DATA].kva);
    for (unsigned i = 0; i < RTOS_USER_SEM_SLOTS; i++)
        u->sem[i] = NULL;
}

/* Translate a user buffer to the kernel's view of it, checking that it lies
 * wholly inside one region that allows prot. The kernel never dereferences
 * a user VA directly: under virtualisation it runs in another space. */
int utask_user_to_kernel(rtos_utask_t *u, uintptr_t va, uint32_t len, unsigned prot, void **kptr)
{
    for (unsigned i = 0; i < RTOS_UREGIONS; i++) {
        const rtos_uregion_t *r = &u->region[i];

        if (va >= r->va && len <= r->size && va - r->va <= r->size - len &&
            (r->prot & prot) == prot) {
            *kptr = (void *)(r->kva + (va - r->va));
            return RTOS_OK;
        }
    }
    return RTOS_EFAULT;
}
