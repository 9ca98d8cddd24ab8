/*
 * harness/util.h -- small helpers the harness's commands share: memory that
 * is there or the process aborts, a whole file in memory, mkdir -p.
 */
#ifndef GCLAB_HARNESS_UTIL_H
#define GCLAB_HARNESS_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* The exit status of bad input: a wrong option, a missing file, ... */
#define EXIT_USAGE 2
/* The exit status of a run that ran out of memory (not a crash: one line on
 * stderr, nothing written). */
#define EXIT_OOM 3

/* malloc, calloc and strdup that abort instead of returning NULL.  A size
 * of 0 allocates 1 byte, so the result is never NULL. */
void *util_xmalloc(size_t n);
void *util_xcalloc(size_t n, size_t size);
char *util_xstrdup(const char *s);

/* What gclab reads is a regular file of bounded size (never a FIFO, a
 * device or a folder), read with a limit (README.md, "What gclab reads"):
 * a file larger than its limit is refused, not read. */
#define UTIL_MAX_SUITE_BYTES ((size_t)1 << 20)  /* a suite file; a suite folder's suite.yaml */
#define UTIL_MAX_RESULT_BYTES ((size_t)1 << 30) /* a result file: runs.csv, pauses.csv, timeseries.csv,
                                                 * workers.csv, meta.json */
#define UTIL_MAX_PLOT_BYTES ((size_t)64 << 20)  /* plots/index.tsv, one plot's SVG */
#define UTIL_LOG_TAIL_BYTES ((size_t)64 << 10)  /* of a run's log, the end only is read */

/* The whole file at path, NUL-terminated (*len, if not NULL, excludes the
 * NUL), if it is a regular file of at most max bytes.  NULL with errno set
 * (ENOENT: it is not there) and what is wrong in why, to follow "cannot
 * read PATH: " -- "No such file or directory", "a FIFO, not a regular
 * file", "2097152 bytes, more than the limit of 1 MiB". */
char *util_read_file(const char *path, size_t max, size_t *len, char *why, size_t whylen);

/* path opened for reading, checked as util_read_file checks it (for a
 * caller that reads it a line at a time).  NULL with errno and why. */
FILE *util_open_file(const char *path, size_t max, char *why, size_t whylen);

/* File names gclab makes from names it is given (a suite's name, a
 * workload's) or reads back from its own lists (plots/index.tsv): one
 * component, never a path, never hidden. */
#define UTIL_FILE_NAME_MAX 128

/* Whether s is such a name: 1 to UTIL_FILE_NAME_MAX characters, each a
 * letter, digit, '-', '_' or '.', the first not '.' (so not "." or "..",
 * nor a hidden or temporary file), no '/'. */
int util_is_file_name(const char *s);

/* The file name made from in: every character util_is_file_name does not
 * allow (and a leading '.') becomes '_', cut to len - 1 characters and to
 * UTIL_FILE_NAME_MAX; "x" for an empty in.  out always passes
 * util_is_file_name (len must be at least 2). */
void util_file_name_from(const char *in, char *out, size_t len);

/* mkdir -p: dir and its missing parents.  Returns 0 (also when they are
 * already there), or -1 with errno set by the mkdir that failed. */
int util_mkdir_p(const char *dir);

/* One line for an output folder dir that could not be made because making
 * part (dir or one of its parents) failed with errnum: "cannot create
 * output folder DIR: [cannot create PART: ]REASON", REASON saying when the
 * parent of part is there but takes no new folders (ENOENT, as /proc). */
void util_mkdir_error(char *err, size_t errlen, const char *dir, const char *part, int errnum);

#endif
