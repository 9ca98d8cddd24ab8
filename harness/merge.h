/*
 * harness/merge.h -- result folders combined into one: runs.csv with the
 * union of the columns, the other files concatenated, duplicates dropped.
 */
#ifndef GCLAB_HARNESS_MERGE_H
#define GCLAB_HARNESS_MERGE_H

#include <stddef.h>

/* Combine the result files of dirs[0..n) into out (which may be one of
 * them).  All files are written under temporary names and renamed
 * together.  Returns 0, or -1 with one line in err. */
int merge_dirs(const char *out, const char *const *dirs, size_t n, char *err, size_t errlen);

/* gclab merge -o OUT DIR... */
int cli_merge(int argc, char **argv);

#endif
