// SPDX-License-Identifier: MIT
/*
 * The system calls newlib needs (built for x86_64-elf with MISSING_SYSCALL_NAMES: plain names).
 * Standard output and error go to the console; the heap is a range boot/ took from the
 * firmware; everything else fails with ENOSYS.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/mm/mm.h"

#define FD_STDIN  0
#define FD_STDOUT 1
#define FD_STDERR 2

static char *heap_start, *heap_brk, *heap_end;

void heap_init(uint64_t base, uint64_t size)
{
	heap_start = heap_brk = (char *)base;
	heap_end = heap_start + size;
}

uint64_t heap_used(void)
{
	return (uint64_t)(heap_brk - heap_start);
}

void *sbrk(ptrdiff_t incr)
{
	char *old = heap_brk;

	if (incr > heap_end - heap_brk || incr < heap_start - heap_brk) {
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_brk += incr;
	return old;
}

int write(int fd, const void *buf, size_t n)
{
	if (fd != FD_STDOUT && fd != FD_STDERR) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, n);
	return (int)n;
}

static int is_std_fd(int fd)
{
	return fd == FD_STDIN || fd == FD_STDOUT || fd == FD_STDERR;
}

int isatty(int fd)
{
	if (is_std_fd(fd))
		return 1;
	errno = EBADF;
	return 0;
}

int fstat(int fd, struct stat *st)
{
	if (!is_std_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	*st = (struct stat){ .st_mode = S_IFCHR };
	return 0;
}

int read(int fd, void *buf, size_t n)
{
	(void)fd, (void)buf, (void)n;
	errno = ENOSYS;
	return -1;
}

int close(int fd)
{
	(void)fd;
	errno = ENOSYS;
	return -1;
}

off_t lseek(int fd, off_t off, int whence)
{
	(void)fd, (void)off, (void)whence;
	errno = ENOSYS;
	return -1;
}

int kill(int pid, int sig)
{
	(void)pid, (void)sig;
	errno = ENOSYS;
	return -1;
}

int getpid(void)
{
	return 1;
}

void _exit(int status)
{
	skiff_exit(status == 0 ? VERDICT_PASS : VERDICT_FAIL);
}
