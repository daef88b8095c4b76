/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Public API of the RTOS. All objects are allocated by the caller (no heap):
 * declare an rtos_sem_t, rtos_task_t, ... and initialise it.
 *
 * Contexts: "task context" is a running task; "kernel context" is an
 * interrupt handler, timer callback or anything else called from the port's
 * upcalls. In kernel context nothing may block: a timeout is treated as
 * RTOS_NO_WAIT. Functions marked (task) may only be called from a task.
 */
#ifndef RTOS_RTOS_H
#define RTOS_RTOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rtos/config.h>
#include <rtos/list.h>
#include <rtos/port.h>

/* Error codes: 0 is success, failures are negative. */
enum {
    RTOS_OK = 0,
    RTOS_ETIMEOUT = -1,  /* the timeout expired */
    RTOS_EAGAIN = -2,    /* would block and RTOS_NO_WAIT was given */
    RTOS_EINVAL = -3,    /* bad argument */
    RTOS_EPERM = -4,     /* caller does not own the object */
    RTOS_EDEADLK = -5,   /* caller already owns the mutex */
    RTOS_EOVERFLOW = -6, /* semaphore at its maximum */
    RTOS_ENOMEM = -7,    /* static pool exhausted */
    RTOS_EFAULT = -8,    /* bad user pointer / task killed by a fault */
    RTOS_ENOSYS = -9,    /* unknown system call */
    RTOS_EPENDING = -10, /* internal: result delivered on wake-up */
};

/* Timeouts, in ticks. */
#define RTOS_NO_WAIT 0u
#define RTOS_WAIT_FOREVER 0xffffffffu

typedef uint32_t rtos_tick_t;

/* A wait queue: blocked tasks, highest priority first, FIFO among equals. */
typedef struct rtos_wq {
    list_node_t waiters;
} rtos_wq_t;

struct rtos_mutex;
struct rtos_utask;

enum rtos_task_state {
    RTOS_TASK_UNUSED = 0,
    RTOS_TASK_READY,   /* on a ready queue (includes the running task) */
    RTOS_TASK_BLOCKED, /* on a wait queue and/or the delay list */
    RTOS_TASK_DEAD,    /* exited or killed; exit_code is valid */
};

/* A task control block. Fields are private to the core; they are visible
 * only so that applications can allocate tasks statically. All fields are
 * guarded by the critical section (interrupts off). */
typedef struct rtos_task {
    port_ctx_t ctx;                /* saved registers while not running */
    list_node_t run_node;          /* ready queue (READY) or wait queue (BLOCKED) */
    list_node_t time_node;         /* delay list, while blocked with a timeout */
    rtos_wq_t *wq;                 /* wait queue blocked on, or NULL */
    struct rtos_mutex *wait_mutex; /* mutex blocked on (for inheritance) */
    list_node_t held;              /* mutexes owned, for priority recomputation */
    rtos_tick_t wake_tick;         /* valid while on the delay list */
    int wait_result;               /* set by whoever wakes the task */
    uint32_t wait_bits;            /* event flags: mask in, matched flags out */
    uint32_t wait_opts;            /* event flags: RTOS_EVENT_* options */
    void *wait_buf;                /* queue: hand-off buffer; pool: the block */
    uint8_t base_prio;             /* assigned priority */
    uint8_t prio;                  /* effective priority (>= base, inheritance) */
    uint8_t state;                 /* enum rtos_task_state */
    uint8_t slice;                 /* ticks left in the round-robin slice */
    bool user_return;              /* blocked in a system call: result goes to ctx */
    const char *name;
    void (*entry)(void *);
    void *arg;
    int exit_code;
    rtos_wq_t joiners;       /* tasks in rtos_task_join() */
    struct rtos_utask *user; /* protected task data, NULL for kernel tasks */
    bool fpu_task;           /* rtos_task_fpu_enable() was called */
    port_fpu_t fpu;          /* its FPU registers while another's are loaded */
} rtos_task_t;

/* ---- Tasks --------------------------------------------------------------- */

/* Create a kernel task; it runs entry(arg) at once if prio is above the
 * caller's. stack must be 8-byte aligned. Returning from entry is
 * rtos_task_exit(0). May be called before rtos_main() starts scheduling
 * (from app_init()). */
int rtos_task_create(rtos_task_t *t, const char *name, unsigned prio, void (*entry)(void *),
                     void *arg, void *stack, size_t stack_size);
rtos_task_t *rtos_task_self(void);
void rtos_task_yield(void);              /* (task) */
/* rtos_task_yield() made the way a kernel that yields by a trap with
 * interrupts enabled makes it (FreeRTOS's taskYIELD): the rotation in a
 * critical section, then port_yield() with interrupts on. The same effect;
 * it exists so that the port's interrupts-on yield path is tested and
 * measured (benchmark coop_irqon, docs/porting.md). Call it with
 * interrupts on (with them off it is rtos_task_yield()). (task) */
void rtos_task_yield_irqs_on(void);
void rtos_task_delay(rtos_tick_t ticks); /* (task) */
/* Sleep until *last + period; updates *last (drift-free periods). (task) */
void rtos_task_delay_until(rtos_tick_t *last, rtos_tick_t period);
int rtos_task_set_priority(rtos_task_t *t, unsigned prio);
unsigned rtos_task_priority(const rtos_task_t *t); /* effective */
PORT_NORETURN void rtos_task_exit(int code);       /* (task) */
/* Wait for t to end; *code gets its exit code (RTOS_EFAULT if killed). */
int rtos_task_join(rtos_task_t *t, rtos_tick_t timeout, int *code);
rtos_tick_t rtos_tick_count(void);
/* Suspend the calling task until another task or a handler resumes it.
 * RTOS_OK once resumed; RTOS_EAGAIN where blocking is impossible (kernel
 * context, the idle task). (task) */
int rtos_task_suspend(void);
/* Make t, suspended by rtos_task_suspend(), ready again; it runs at once
 * if more urgent than the caller. RTOS_EINVAL if t is NULL or not
 * suspended (a task blocked on anything else stays blocked). Callable from
 * kernel context. */
int rtos_task_resume(rtos_task_t *t);

/* The calling kernel task gets floating-point registers of its own (the
 * FreeRTOS portTASK_USES_FLOATING_POINT model): d0-d31 and FPSCR start at 0
 * and from now on are saved and restored across every switch, preemption
 * and interrupt; tasks that never call this never have the FPU enabled
 * and cost no save or load (docs/rtos.md, "Floating point"). Interrupt
 * handlers and timer callbacks must not use the FPU. RTOS_OK (again if
 * already enabled); RTOS_EPERM in kernel context or before scheduling
 * starts. (task) */
int rtos_task_fpu_enable(void);
/* Loads of a task's FPU registers since boot (each a save of the previous
 * owner's, if any, and a load): what FPU tasks cost. */
uint32_t rtos_fpu_loads(void);

/* The application's start-up hook, called by rtos_main() before scheduling
 * starts: create the first tasks here. */
void app_init(void);

/* ---- Counting semaphores ------------------------------------------------- */

typedef struct rtos_sem {
    rtos_wq_t wq;
    uint32_t count; /* invariant: count > 0 implies wq is empty */
    uint32_t max;
} rtos_sem_t;

int rtos_sem_init(rtos_sem_t *s, uint32_t initial, uint32_t max);
int rtos_sem_take(rtos_sem_t *s, rtos_tick_t timeout);
int rtos_sem_give(rtos_sem_t *s);
uint32_t rtos_sem_count(const rtos_sem_t *s);

/* ---- Mutexes with priority inheritance ----------------------------------- */

typedef struct rtos_mutex {
    rtos_wq_t wq;
    rtos_task_t *owner;    /* NULL when free */
    list_node_t held_node; /* on owner->held */
} rtos_mutex_t;

int rtos_mutex_init(rtos_mutex_t *m);
int rtos_mutex_lock(rtos_mutex_t *m, rtos_tick_t timeout); /* (task) */
int rtos_mutex_unlock(rtos_mutex_t *m);                    /* (task) */

/* ---- Message queues (fixed-size messages, copied) ------------------------ */

typedef struct rtos_queue {
    rtos_wq_t senders;   /* blocked on full; wait_buf = their message */
    rtos_wq_t receivers; /* blocked on empty; wait_buf = their buffer */
    uint8_t *buf;        /* capacity * msg_size bytes */
    uint32_t msg_size, capacity, count, head;
} rtos_queue_t;

int rtos_queue_init(rtos_queue_t *q, void *buf, uint32_t msg_size, uint32_t capacity);
int rtos_queue_send(rtos_queue_t *q, const void *msg, rtos_tick_t timeout);
int rtos_queue_recv(rtos_queue_t *q, void *msg, rtos_tick_t timeout);

/* ---- Fixed-block memory pools ------------------------------------------- */

/* Each block is preceded by a one-word header: the pool while allocated,
 * the next free block's header while free, so a free of anything that is
 * not an allocated block of this pool is detected. A buffer for count
 * blocks of size bytes needs RTOS_POOL_BUF_WORDS(size, count) words. */
#define RTOS_POOL_STRIDE(size) (4u + (((size) + 3u) & ~3u))
#define RTOS_POOL_BUF_WORDS(size, count) ((RTOS_POOL_STRIDE(size) / 4u) * (count))

typedef struct rtos_pool {
    rtos_wq_t wq;         /* blocked on empty; wait_buf = the block handed over */
    uint32_t *free;       /* first free block's header, NULL when empty */
    uint8_t *base;        /* the buffer: count strides */
    uint32_t stride;      /* RTOS_POOL_STRIDE(block size) */
    uint32_t count, used; /* invariant: used < count implies wq is empty */
} rtos_pool_t;

/* buf: 4-byte aligned, RTOS_POOL_BUF_WORDS(block_size, count) words, not
 * holding p itself. RTOS_EINVAL for a NULL, misaligned or empty pool. */
int rtos_pool_init(rtos_pool_t *p, void *buf, uint32_t block_size, uint32_t count);
/* *block = a block of at least block_size bytes, 4-byte aligned. Waits up
 * to timeout when none is free: RTOS_EAGAIN (no wait) or RTOS_ETIMEOUT. */
int rtos_pool_alloc(rtos_pool_t *p, void **block, rtos_tick_t timeout);
/* Return a block; a waiting task gets it directly. RTOS_EINVAL if block is
 * not currently allocated from p (foreign, misaligned, freed twice). */
int rtos_pool_free(rtos_pool_t *p, void *block);
uint32_t rtos_pool_available(const rtos_pool_t *p);

/* ---- Event flags ----------------------------------------------------------- */

#define RTOS_EVENT_ANY 0u   /* wake when any requested flag is set */
#define RTOS_EVENT_ALL 1u   /* wake when all requested flags are set */
#define RTOS_EVENT_CLEAR 2u /* clear the requested flags on wake-up */

typedef struct rtos_event {
    rtos_wq_t wq;
    uint32_t flags;
} rtos_event_t;

int rtos_event_init(rtos_event_t *e);
int rtos_event_set(rtos_event_t *e, uint32_t flags);
int rtos_event_clear(rtos_event_t *e, uint32_t flags);
/* *got (may be NULL) receives the flags that satisfied the wait. */
int rtos_event_wait(rtos_event_t *e, uint32_t flags, unsigned opts, rtos_tick_t timeout,
                    uint32_t *got);

/* ---- Software timers (callbacks run in kernel context, from the tick) ----- */

typedef struct rtos_timer rtos_timer_t;
typedef void (*rtos_timer_fn)(rtos_timer_t *t, void *arg);

struct rtos_timer {
    list_node_t node; /* on the timer list, sorted by expiry */
    rtos_tick_t expiry;
    rtos_tick_t period; /* 0 = one-shot */
    rtos_timer_fn fn;
    void *arg;
};

int rtos_timer_init(rtos_timer_t *t, rtos_timer_fn fn, void *arg);
/* Fire after delay ticks (>= 1), then every period ticks if period != 0. */
int rtos_timer_start(rtos_timer_t *t, rtos_tick_t delay, rtos_tick_t period);
int rtos_timer_stop(rtos_timer_t *t);
bool rtos_timer_active(const rtos_timer_t *t);

/* ---- Interrupt handlers -------------------------------------------------- */

typedef void (*rtos_irq_fn)(unsigned line, void *arg);

/* Install fn for line and unmask it. */
int rtos_irq_attach(unsigned line, rtos_irq_fn fn, void *arg);
int rtos_irq_detach(unsigned line);
/* Raise a software-triggerable line (PORT_IRQ_SOFT_*). */
int rtos_irq_trigger(unsigned line);
/* Interrupts delivered on line since boot (handled or not). */
uint32_t rtos_irq_count(unsigned line);
/* A line's priority level (0 highest .. RTOS_IRQ_PRIO_LEVELS-1; port.h,
 * "Interrupt priorities"): RTOS_OK or RTOS_EINVAL. */
int rtos_irq_set_priority(unsigned line, unsigned prio);
/* Hold off every line at level `prio` or lower (RTOS_IRQ_PRIO_NONE: none)
 * from task context; returns the previous mask, to give back to it. The
 * task must not block until then. A value above RTOS_IRQ_PRIO_NONE is
 * taken as it. */
unsigned rtos_irq_mask_priority(unsigned prio);

/* ---- Protected user tasks ------------------------------------------------ */

#define RTOS_UREGIONS 3

typedef struct rtos_uregion {
    uintptr_t va, kva;
    uint32_t size;
    unsigned prot; /* PORT_PROT_* */
} rtos_uregion_t;

typedef struct rtos_utask {
    rtos_task_t task;
    port_as_t as;
    rtos_uregion_t region[RTOS_UREGIONS]; /* text, stack, data */
    rtos_sem_t *sem[RTOS_USER_SEM_SLOTS]; /* semaphores it may use */
    uintptr_t data_va;                    /* its private data page (unique VA) */
} rtos_utask_t;

/* A user entry point: a function in a *_user.c file (see docs/rtos.md). */
typedef int (*rtos_uentry_t)(uintptr_t arg, uintptr_t data_va);

/* Create a protected task running entry(arg, data_va) in USR mode in a new
 * address space holding the shared user text, a private stack and a
 * private data page. It dies with RTOS_EFAULT on any fault. */
int rtos_utask_create(rtos_utask_t *u, const char *name, unsigned prio, rtos_uentry_t entry,
                      uintptr_t arg);
/* Let u use s as semaphore number slot in its system calls. */
int rtos_utask_grant_sem(rtos_utask_t *u, unsigned slot, rtos_sem_t *s);

/* ---- Console ------------------------------------------------------------- */

/* %d %u %x %s %c %p and %%; prints atomically with respect to other tasks. */
void rtos_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The next character typed at the console, waiting for it (task context:
 * only the calling task waits, on the port's input line or, without one,
 * a tick at a time). One reader at a time. */
int rtos_console_getc(void);

/* ---- Freestanding library ------------------------------------------------ */

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
