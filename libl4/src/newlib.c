/* SPDX-License-Identifier: BSD-2-Clause */
/* newlib system-call glue. Output goes to the kernel debug console; the
 * heap is a fixed region of the program's .bss (frames the loader mapped);
 * exit() stops the calling thread if it declared its TCB (l4_set_self_tcb),
 * and otherwise — the root task, which owns the machine — ends the system
 * through the debug shutdown call, the status becoming QEMU's exit status. */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <l4/l4.h>

#undef errno
extern int errno;

#define HEAP_SIZE (256 * 1024)
static uint8_t heap[HEAP_SIZE] __attribute__((aligned(8)));
static uint32_t heap_used;

void *_sbrk(intptr_t incr)
{
    if (incr < 0 ? (uint32_t)-incr > heap_used : (uint32_t)incr > HEAP_SIZE - heap_used) {
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
    for (int i = 0; i < len; i++)
        l4_debug_putc(buf[i]);
    return len;
}

int _read(int fd, char *buf, int len)
{
    (void)fd;
    (void)buf;
    (void)len;
    return 0; /* no input device: end of file */
}

void _exit(int status)
{
    l4_cptr_t self = l4_self_tcb();
    if (self) {
        l4_tcb_suspend(self);
        for (;;) /* only if the capability was wrong: stay out of the way */
            l4_yield();
    }
    l4_debug_shutdown(status);
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
