/*
 * runtime/readfile.c -- opening a file someone named, bounded (readfile.h).
 */
#define _GNU_SOURCE

#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void gclab__format_size(char *buf, size_t len, size_t n)
{
    if (n >= (1u << 30) && n % (1u << 30) == 0)
        snprintf(buf, len, "%zu GiB", n >> 30);
    else if (n >= (1u << 20) && n % (1u << 20) == 0)
        snprintf(buf, len, "%zu MiB", n >> 20);
    else if (n >= (1u << 10) && n % (1u << 10) == 0)
        snprintf(buf, len, "%zu KiB", n >> 10);
    else
        snprintf(buf, len, "%zu bytes", n);
}

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m)    ? "a directory"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "a special file";
}

static void too_large(char *why, size_t whylen, long long size, size_t max)
{
    char limit[32];
    gclab__format_size(limit, sizeof limit, max);
    if (size >= 0)
        snprintf(why, whylen, "%lld bytes, more than the limit of %s", size, limit);
    else
        snprintf(why, whylen, "more than the limit of %s", limit);
}

int gclab__open_input(const char *path, size_t max, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(why, whylen, "%s", strerror(e));
        errno = e;
        return -1;
    }
    struct stat st;
    int e = 0;
    if (fstat(fd, &st) != 0) {
        e = errno;
        snprintf(why, whylen, "%s", strerror(e));
    } else if (!S_ISREG(st.st_mode)) {
        e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        snprintf(why, whylen, "%s, not a regular file", kind_of(st.st_mode));
    } else if ((unsigned long long)st.st_size > (unsigned long long)max) {
        e = EFBIG;
        too_large(why, whylen, (long long)st.st_size, max);
    } else {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
        return fd;
    }
    close(fd);
    errno = e;
    return -1;
}

char *gclab__read_input(const char *path, size_t max, size_t *len, char *why, size_t whylen)
{
    if (max > SIZE_MAX / 2)
        max = SIZE_MAX / 2; /* max + 1 and the NUL fit */
    int fd = gclab__open_input(path, max, why, whylen);
    if (fd < 0)
        return NULL;
    struct stat st;
    size_t cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
    if (cap > max + 1)
        cap = max + 1;
    char *buf = malloc(cap + 1);
    int e = 0;
    while (buf) {
        if (n == cap) { /* it grew since fstat */
            if (cap == max + 1) {
                e = EFBIG;
                too_large(why, whylen, -1, max);
                break;
            }
            size_t next = cap > (max + 1) / 2 ? max + 1 : 2 * cap;
            char *b = realloc(buf, next + 1);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap = next;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            e = errno;
            snprintf(why, whylen, "%s", strerror(e));
            break;
        }
        if (got == 0) {
            close(fd);
            buf[n] = '\0';
            if (len)
                *len = n;
            return buf;
        }
        n += (size_t)got;
    }
    if (!buf) {
        e = ENOMEM;
        snprintf(why, whylen, "%s", strerror(e));
    }
    free(buf);
    close(fd);
    errno = e;
    return NULL;
}
