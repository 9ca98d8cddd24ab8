/*
 * harness/startup.c -- measure an interpreter's start-up heap (startup.h).
 */
#define _GNU_SOURCE

#include "startup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The command the profile table's numbers come from (collectors/profiles.def). */
static const char program[] =
    "import gc; n = len(gc.get_objects()); c = gc.get_count(); print('gclab-startup', n, c[0], c[1], c[2])";

int startup_measure(const char *python, long *objects, long counts[3], char *err, size_t errlen)
{
    if (!*python || access(python, X_OK) != 0) {
        snprintf(err, errlen, "startup=auto:%s: no executable interpreter there (%s); give the path of a "
                              "Python 3 interpreter, e.g. startup=auto:/usr/bin/python3",
                 python, *python ? strerror(errno) : "empty path");
        return -1;
    }
    int fd[2];
    if (pipe(fd) != 0) {
        snprintf(err, errlen, "startup=auto:%s: cannot make a pipe: %s", python, strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        snprintf(err, errlen, "startup=auto:%s: cannot fork: %s", python, strerror(errno));
        return -1;
    }
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, STDERR_FILENO);
        execl(python, python, "-I", "-c", program, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    char out[256];
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd[0], out + n, sizeof out - 1 - n)) > 0 || (r < 0 && errno == EINTR))
        if (r > 0)
            n += (size_t)r;
    out[n] = '\0';
    close(fd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "startup=auto:%s: the interpreter failed (%s %d); give a working Python 3 "
                              "interpreter",
                 python, WIFEXITED(status) ? "exit status" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -1;
    }
    if (sscanf(out, "gclab-startup %ld %ld %ld %ld", objects, &counts[0], &counts[1], &counts[2]) != 4 ||
        *objects < 0) {
        snprintf(err, errlen, "startup=auto:%s: not a Python 3 interpreter (it did not print gc's start-up "
                              "state); give the path of one",
                 python);
        return -1;
    }
    return 0;
}

int startup_resolve(const char *setting, const char **resolved, char *err, size_t errlen)
{
    static const char prefix[] = "startup=auto:";
    static struct {
        char *path, *setting;
    } cache[16];
    *resolved = setting;
    if (strncmp(setting, prefix, sizeof prefix - 1) != 0)
        return 0;
    const char *path = setting + sizeof prefix - 1;
    size_t i;
    for (i = 0; i < sizeof cache / sizeof cache[0] && cache[i].path; i++)
        if (strcmp(cache[i].path, path) == 0) {
            *resolved = cache[i].setting;
            return 0;
        }
    long objects, counts[3];
    if (startup_measure(path, &objects, counts, err, errlen) != 0)
        return -1;
    char buf[128];
    snprintf(buf, sizeof buf, "startup=%ld,%ld,%ld,%ld", objects, counts[0], counts[1], counts[2]);
    char *s = strdup(buf);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (i < sizeof cache / sizeof cache[0]) { /* kept for the process's life: run_configs are copied */
        cache[i].path = strdup(path);
        cache[i].setting = s;
        if (!cache[i].path)
            cache[i].setting = NULL;
    }
    *resolved = s;
    return 0;
}
