/*
 * harness/pyrun.c -- run a Python program in a real interpreter (pyrun.h).
 */
#define _GNU_SOURCE

#include "pyrun.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

/* Append what is ready on fd; 0 at end of file, 1 if more may come, -1 out
 * of memory.  A stream kept whole (keep) or only its last 4 KiB. */
static int drain(int fd, buf *b, int keep)
{
    char chunk[65536];
    ssize_t r = read(fd, chunk, sizeof chunk);
    if (r < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : 0;
    if (r == 0)
        return 0;
    size_t add = (size_t)r;
    if (b->n + add + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->n + add + 1)
            cap *= 2;
        char *n = realloc(b->s, cap);
        if (!n)
            return -1;
        b->s = n;
        b->cap = cap;
    }
    memcpy(b->s + b->n, chunk, add);
    b->n += add;
    if (!keep && b->n > 4096) { /* only the tail is wanted: at most 4 KiB + one chunk held */
        memmove(b->s, b->s + b->n - 4096, 4096);
        b->n = 4096;
    }
    b->s[b->n] = '\0';
    return 1;
}

/* The last non-empty line of s (at most 200 characters), controls as '?'. */
static void last_line(const buf *b, char *line, size_t len)
{
    line[0] = '\0';
    if (!b->s)
        return;
    size_t end = b->n;
    while (end && (b->s[end - 1] == '\n' || b->s[end - 1] == '\r' || b->s[end - 1] == ' '))
        end--;
    size_t start = end;
    while (start && b->s[start - 1] != '\n')
        start--;
    size_t n = end - start < len - 1 ? end - start : len - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)b->s[start + i];
        line[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    line[n] = '\0';
}

int pyrun(const char *python, const char *code, const char *what, int merge_stderr, char **out, char *err,
          size_t errlen)
{
    *out = NULL;
    struct stat st;
    if (!*python || stat(python, &st) != 0 || !S_ISREG(st.st_mode) || access(python, X_OK) != 0) {
        snprintf(err, errlen, "%s: no executable interpreter there (%s); give the path of a Python 3 interpreter, "
                              "e.g. /usr/bin/python3",
                 what, !*python ? "empty path" : errno ? strerror(errno) : "not an executable file");
        return -1;
    }
    int ofd[2], efd[2];
    if (pipe(ofd) != 0) {
        snprintf(err, errlen, "%s: cannot make a pipe: %s", what, strerror(errno));
        return -1;
    }
    if (pipe(efd) != 0) {
        snprintf(err, errlen, "%s: cannot make a pipe: %s", what, strerror(errno));
        close(ofd[0]);
        close(ofd[1]);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "%s: cannot fork: %s", what, strerror(errno));
        close(ofd[0]), close(ofd[1]), close(efd[0]), close(efd[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(ofd[1], STDOUT_FILENO);
        dup2(merge_stderr ? ofd[1] : efd[1], STDERR_FILENO);
        close(ofd[0]), close(ofd[1]), close(efd[0]), close(efd[1]);
        execl(python, python, "-I", "-c", code, (char *)NULL);
        fprintf(stderr, "cannot run it: %s\n", strerror(errno));
        _exit(127);
    }
    close(ofd[1]);
    close(efd[1]);
    buf o = {0}, e = {0};
    int oom = 0;
    struct pollfd pf[2] = {{ofd[0], POLLIN, 0}, {efd[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds) {
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            int r = drain(pf[i].fd, i == 0 ? &o : &e, i == 0);
            if (r < 0)
                oom = 1;
            if (r <= 0) {
                close(pf[i].fd);
                pf[i].fd = -1;
                open_fds--;
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (pf[i].fd >= 0)
            close(pf[i].fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    char tail[208];
    last_line(merge_stderr ? &o : &e, tail, sizeof tail);
    free(e.s);
    if (oom) {
        free(o.s);
        snprintf(err, errlen, "%s: out of memory reading what %s printed", what, python);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(o.s);
        snprintf(err, errlen, "%s: the interpreter failed (%s %d%s%s)", what,
                 WIFEXITED(status) ? "exit status" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), *tail ? ": " : "", tail);
        return -1;
    }
    if (!o.s) {
        o.s = calloc(1, 1);
        if (!o.s) {
            snprintf(err, errlen, "%s: out of memory", what);
            return -1;
        }
    }
    *out = o.s;
    return 0;
}
