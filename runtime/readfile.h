/*
 * runtime/readfile.h -- opening a file someone named, bounded: only a
 * regular file (never a FIFO that blocks, a device that never ends, a
 * folder), and at most a given size.  Internal to gclab, not installed: the
 * trace workload (workloads/trace.c) and the harness (harness/util.c) read
 * every input through it.  Here, below both, so that workloads/ need not
 * depend on harness/.
 */
#ifndef GCLAB_READFILE_H
#define GCLAB_READFILE_H

#include <stddef.h>

/* Open path for reading if it is a regular file of at most max bytes.  It
 * is opened without blocking (a FIFO with no writer does not hang) and
 * checked with fstat on the opened descriptor.  Returns the descriptor, or
 * -1 with errno set and why (whylen bytes) holding what is wrong, to follow
 * "cannot read PATH: ":
 *   open() failed         strerror(errno)                   (ENOENT: not there)
 *   not a regular file    "a directory, not a regular file"  (EISDIR; else EINVAL)
 *   too large             "1234567 bytes, more than the limit of 1 MiB"  (EFBIG) */
int gclab__open_input(const char *path, size_t max, char *why, size_t whylen);

/* All of path, as gclab__open_input opens it, NUL-terminated (*len, if not
 * NULL, excludes the NUL); reading stops after max + 1 bytes, so a file
 * that grows while read is refused too.  NULL with errno and why. */
char *gclab__read_input(const char *path, size_t max, size_t *len, char *why, size_t whylen);

/* n bytes for a message: "64 MiB", "1 GiB", "1536 bytes". */
void gclab__format_size(char *buf, size_t len, size_t n);

#endif
