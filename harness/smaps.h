/*
 * harness/smaps.h -- a process's memory as the kernel accounts it after
 * fork: /proc/PID/smaps_rollup.
 */
#ifndef GCLAB_HARNESS_SMAPS_H
#define GCLAB_HARNESS_SMAPS_H

#include <stdint.h>
#include <sys/types.h>

/* Bytes; -1 where the file has no such line. */
typedef struct smaps_rollup {
    int64_t rss, pss;
    int64_t shared_clean, shared_dirty;
    int64_t private_clean, private_dirty;
} smaps_rollup;

/* Parse the text of an smaps_rollup file.  Returns 0, or -1 if it has no
 * Rss line (not such a file). */
int smaps_parse(const char *text, smaps_rollup *out);
/* Read /proc/PID/smaps_rollup (pid 0: this process).  Returns 0, or -1 if
 * the process is gone or the file cannot be read. */
int smaps_read(pid_t pid, smaps_rollup *out);

/* Shared_Clean + Shared_Dirty: pages still shared with another process. */
static inline int64_t smaps_shared(const smaps_rollup *s)
{
    return s->shared_clean < 0 || s->shared_dirty < 0 ? -1 : s->shared_clean + s->shared_dirty;
}

#endif
