/*
 * harness/atomic.c -- files written whole or not at all (atomic.h).
 */
#define _GNU_SOURCE

#include "atomic.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What is on disk of a file of the group. */
enum {
    F_OPEN,      /* writing its temporary */
    F_DISCARDED, /* temporary removed; not to be renamed */
    F_SYNCED,    /* temporary complete and closed */
    F_RENAMED_NEW, /* renamed; there was no target before (undo: unlink) */
    F_RENAMED_OLD, /* renamed; the old target is linked as ->old (undo: rename it back) */
    F_RENAMED_LOST, /* renamed; the old target could not be kept (undo: impossible) */
};

void atomic_init(atomic_group *g) { memset(g, 0, sizeof *g); }

/* DIR/.NAME.WHAT.PID for path DIR/NAME (or .NAME.WHAT.PID for NAME). */
static char *beside(const char *path, const char *what)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    char *p;
    if (asprintf(&p, "%.*s.%s.%s.%ld", dirlen, path, slash ? slash + 1 : path, what, (long)getpid()) < 0)
        abort();
    return p;
}

FILE *atomic_open(atomic_group *g, const char *path, char *err, size_t errlen)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 8;
        g->v = realloc(g->v, g->cap * sizeof *g->v);
        if (!g->v)
            abort();
    }
    atomic_file *a = &g->v[g->n];
    memset(a, 0, sizeof *a);
    a->tmp = beside(path, "tmp");
    int fd = open(a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0 || !(a->f = fdopen(fd, "w"))) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(a->tmp);
        }
        free(a->tmp);
        return NULL;
    }
    a->path = util_xstrdup(path);
    a->old = beside(path, "old");
    a->state = F_OPEN;
    g->n++;
    return a->f;
}

void atomic_discard(atomic_group *g, FILE *f)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->v[i].f == f && g->v[i].state == F_OPEN) {
            fclose(f);
            g->v[i].f = NULL;
            unlink(g->v[i].tmp);
            g->v[i].state = F_DISCARDED;
            return;
        }
}

static void group_free(atomic_group *g)
{
    for (size_t i = 0; i < g->n; i++) {
        if (g->v[i].f)
            fclose(g->v[i].f);
        free(g->v[i].path);
        free(g->v[i].tmp);
        free(g->v[i].old);
    }
    free(g->v);
    memset(g, 0, sizeof *g);
}

void atomic_abort(atomic_group *g)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->v[i].state == F_OPEN || g->v[i].state == F_SYNCED) {
            if (g->v[i].f)
                fclose(g->v[i].f);
            g->v[i].f = NULL;
            unlink(g->v[i].tmp);
        }
    group_free(g);
}

FILE *atomic_open_one(atomic_group *g, const char *path, char *err, size_t errlen)
{
    atomic_init(g);
    FILE *f = atomic_open(g, path, err, errlen);
    if (!f)
        atomic_abort(g);
    return f;
}

/* Keep a's current target as a->old, so that it can be put back. */
static int keep_old(atomic_file *a)
{
    if (link(a->path, a->old) == 0)
        return F_RENAMED_OLD;
    if (errno == EEXIST) { /* left by a process of the same pid that died */
        unlink(a->old);
        if (link(a->path, a->old) == 0)
            return F_RENAMED_OLD;
    }
    return errno == ENOENT ? F_RENAMED_NEW : F_RENAMED_LOST;
}

int atomic_commit(atomic_group *g, atomic_order order, char *err, size_t errlen)
{
    int rc = 0;
    for (size_t i = 0; i < g->n; i++) {
        atomic_file *a = &g->v[i];
        if (a->state != F_OPEN)
            continue;
        errno = 0;
        int bad = fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0;
        int saved = errno;
        bad |= fclose(a->f) != 0;
        if (bad && !saved)
            saved = errno ? errno : EIO;
        a->f = NULL;
        a->state = F_SYNCED;
        if (bad && rc == 0) {
            snprintf(err, errlen, "cannot write %s: %s", a->path, strerror(saved));
            rc = -1;
        }
    }
    size_t done = 0; /* renamed so far, in order */
    for (; rc == 0 && done < g->n; done++) {
        atomic_file *a = &g->v[order == ATOMIC_FORWARD ? done : g->n - 1 - done];
        if (a->state != F_SYNCED)
            continue;
        int kept = keep_old(a);
        if (rename(a->tmp, a->path) != 0) {
            snprintf(err, errlen, "cannot write %s: %s", a->path, strerror(errno));
            if (kept == F_RENAMED_OLD)
                unlink(a->old);
            rc = -1;
            break;
        }
        a->state = kept;
    }
    /* On failure, undo the renames, the last first. */
    for (size_t k = done; rc != 0 && k-- > 0;) {
        atomic_file *a = &g->v[order == ATOMIC_FORWARD ? k : g->n - 1 - k];
        if (a->state == F_RENAMED_OLD && rename(a->old, a->path) == 0)
            continue;
        if (a->state == F_RENAMED_NEW && unlink(a->path) == 0)
            continue;
        size_t len = strlen(err);
        if (a->state == F_RENAMED_OLD)
            snprintf(err + len, errlen - len, "; %s could not be put back: it is %s", a->path, a->old);
        else if (a->state == F_RENAMED_NEW)
            snprintf(err + len, errlen - len, "; the new %s could not be removed", a->path);
        else if (a->state == F_RENAMED_LOST)
            snprintf(err + len, errlen - len, "; %s could not be put back (no hard link to it was possible)",
                     a->path);
    }
    for (size_t i = 0; i < g->n; i++) {
        atomic_file *a = &g->v[i];
        if (a->state == F_SYNCED)
            unlink(a->tmp);
        else if (a->state == F_RENAMED_OLD && rc == 0)
            unlink(a->old);
    }
    group_free(g);
    return rc;
}
