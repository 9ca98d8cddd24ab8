/*
 * harness/atomic.h -- files written whole or not at all.
 *
 * A group of files is written under temporary names beside their targets
 * (DIR/.NAME.tmp.PID), then committed together: each is flushed and
 * fsync'd, then each renamed over its target in the order the caller
 * chooses.  If anything fails -- opening, writing, syncing, a rename --
 * every temporary is removed and every target is left as it was, also one
 * already renamed over (its old version is kept as a hard link,
 * DIR/.NAME.old.PID, until the group is committed; on a file system
 * without hard links an old version already replaced cannot be put back).
 * A single file is a group of one.
 *
 *     atomic_group g;
 *     atomic_init(&g);
 *     FILE *a = atomic_open(&g, "dir/a.csv", err, errlen);
 *     ...write into a...
 *     if (atomic_commit(&g, ATOMIC_FORWARD, err, errlen) != 0) ...
 */
#ifndef GCLAB_HARNESS_ATOMIC_H
#define GCLAB_HARNESS_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

typedef struct atomic_file {
    char *path, *tmp, *old; /* the target, the temporary, the old version's link */
    FILE *f;                /* NULL once closed */
    int state;              /* see atomic.c */
} atomic_file;

typedef struct atomic_group {
    atomic_file *v;
    size_t n, cap;
} atomic_group;

/* The order files are renamed in: as opened, or the last opened first
 * (e.g. to rename last the file whose presence marks the rest complete,
 * open it first). */
typedef enum atomic_order { ATOMIC_FORWARD, ATOMIC_REVERSE } atomic_order;

void atomic_init(atomic_group *g);

/* Start writing the file at path: a stream to its temporary, or NULL with
 * one line in err ("cannot write PATH: ...").  The group is still to be
 * committed or aborted either way. */
FILE *atomic_open(atomic_group *g, const char *path, char *err, size_t errlen);

/* A group of one: g initialised and path opened in it.  NULL with one line
 * in err, the group then already given up (nothing to commit or abort). */
FILE *atomic_open_one(atomic_group *g, const char *path, char *err, size_t errlen);

/* Leave f's target alone: its temporary is removed now and not renamed. */
void atomic_discard(atomic_group *g, FILE *f);

/* Sync and rename every file of the group, in order; all of them, or none
 * with every target as it was.  Returns 0, or -1 with one line in err.
 * Frees the group's memory either way. */
int atomic_commit(atomic_group *g, atomic_order order, char *err, size_t errlen);

/* Give the group up: every temporary removed, no target touched. */
void atomic_abort(atomic_group *g);

#endif
