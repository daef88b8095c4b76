/* SPDX-License-Identifier: BSD-2-Clause */
/* newlib system-call glue. Where output goes, where the heap is and what
 * exit() means are the program's runtime's choice: output goes through the
 * console hook (l4/console.h), and two functions defined weak here with the
 * root task's behaviour are replaced by a runtime that defines them (the
 * component runtime, servers/lib/comp.c, takes the heap the system
 * description gives and reports its end to the root task; it also sets the
 * console hook to the console server). Defaults: output to the kernel
 * console through the machine capability (L4_CAP_MACHINE); a 256 KiB heap
 * in .bss (linked only into programs that keep this default: sections are
 * garbage-collected); exit() stops the calling thread if it declared its TCB
 * (l4_set_self_tcb), and otherwise — the root task, which owns the machine —
 * ends the system with machine_shutdown on L4_CAP_MACHINE, the status
 * becoming QEMU's exit status. */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <l4/l4.h>

#undef errno
extern int errno;

#define DEFAULT_HEAP_SIZE (256 * 1024)

__attribute__((weak)) void l4_heap_region(void **base, l4_word_t *size)
{
    static uint8_t heap[DEFAULT_HEAP_SIZE] __attribute__((aligned(8)));
    *base = heap;
    *size = sizeof heap;
}

__attribute__((weak, noreturn)) void l4_program_exit(int status)
{
    l4_cptr_t self = l4_self_tcb();
    if (self) {
        l4_tcb_suspend(self);
        for (;;) /* only if the capability was wrong: stay out of the way */
            l4_yield();
    }
    l4_machine_shutdown(L4_CAP_MACHINE, (l4_word_t)status);
    /* No machine capability: this thread cannot stop the system; it stops
     * itself with a fault (reported by the kernel or its fault handler). */
    for (;;)
        __builtin_trap();
}

void *_sbrk(intptr_t incr)
{
    static uint8_t *heap;
    static l4_word_t heap_size, heap_used;
    if (!heap) {
        void *base = 0;
        l4_heap_region(&base, &heap_size);
        heap = base;
        if (!heap)
            heap_size = 0;
    }
    if (incr < 0 ? (uint32_t)-incr > heap_used : (uint32_t)incr > heap_size - heap_used) {
        errno = ENOMEM;
        return (void *)-1;
    }
    void *p = heap + heap_used;
    heap_used += (uint32_t)incr;
    return p;
}

int _write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    l4_console_write(buf, (l4_word_t)len);
    return len;
}

int _read(int fd, char *buf, int len)
{
    if (fd != 0) {
        errno = EBADF;
        return -1;
    }
    return len <= 0 ? 0 : (int)l4_console_read(buf, (l4_word_t)len); /* l4/console.h */
}

void _exit(int status)
{
    l4_program_exit(status);
}

int _close(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}
int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}
int _isatty(int fd)
{
    return fd <= 2;
}
int _lseek(int fd, int off, int whence)
{
    (void)fd;
    (void)off;
    (void)whence;
    return 0;
}
int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}
int _getpid(void)
{
    return 1;
}
int _open(const char *path, int flags, int mode)
{
    (void)path;
    (void)flags;
    (void)mode;
    errno = ENOENT;
    return -1;
}
