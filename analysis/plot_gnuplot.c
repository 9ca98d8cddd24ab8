/*
 * analysis/plot_gnuplot.c -- running gnuplot: finding it on PATH, running a plot's
 * script, checking that it wrote the PNG and the SVG.
 */
#define _GNU_SOURCE

#include "plot_internal.h"

#include "harness/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The gnuplot on PATH, or -1. */
int plot_find_gnuplot(char *out, size_t len)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        return -1;
    char *copy = util_xstrdup(path), *save = NULL;
    int found = -1;
    for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        struct stat st;
        if (snprintf(out, len, "%s/gnuplot", *d ? d : ".") >= (int)len)
            continue;
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) {
            found = 0;
            break;
        }
    }
    free(copy);
    return found;
}

/* The first line of gnuplot's complaint worth showing. */
static void gnuplot_message(const char *text, char *out, size_t len)
{
    const char *best = NULL, *last = NULL;
    for (const char *l = text; *l;) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        if (n > 0) {
            if (!best && (memmem(l, n, "line ", 5) && memmem(l, n, ": ", 2)))
                best = l;
            last = l;
        }
        l = e ? e + 1 : l + n;
    }
    const char *l = best ? best : last;
    if (!l) {
        snprintf(out, len, "no message");
        return;
    }
    size_t n = strcspn(l, "\n");
    snprintf(out, len, "%.*s", (int)(n > 300 ? 300 : n), l);
}

/* Run gnuplot on plots/NAME.gp in plots/. */
int plot_run_gnuplot(plotter *p)
{
    char script[160];
    snprintf(script, sizeof script, "%s.gp", p->name);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        plot_perr(p, "cannot run gnuplot: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        plot_perr(p, "cannot run gnuplot: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        if (chdir(p->plots) != 0 || nul < 0)
            _exit(126);
        dup2(nul, 0);
        dup2(nul, 1);
        dup2(fds[1], 2);
        execl(p->gnuplot, "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[8192];
    size_t have = 0;
    for (;;) {
        char chunk[4096];
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        size_t take = (size_t)n < sizeof buf - 1 - have ? (size_t)n : sizeof buf - 1 - have;
        memcpy(buf + have, chunk, take);
        have += take;
    }
    buf[have] = '\0';
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            plot_perr(p, "gnuplot: %s", strerror(errno));
            return -1;
        }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char msg[320];
        gnuplot_message(buf, msg, sizeof msg);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            plot_perr(p, "cannot run %s", p->gnuplot);
        else
            plot_perr(p, "gnuplot failed on %s/%s: %s", p->plots, script, msg);
        return -1;
    }
    static const char *const ext[] = {"png", "svg"};
    for (int k = 0; k < 2; k++) {
        char path[PATHBUF];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s.%s", p->plots, p->name, ext[k]);
        if (stat(path, &st) != 0 || st.st_size < 100) {
            plot_perr(p, "gnuplot wrote no %s from %s/%s", ext[k], p->plots, script);
            return -1;
        }
    }
    return 0;
}

