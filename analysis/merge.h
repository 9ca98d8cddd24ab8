/*
 * analysis/merge.h -- result folders combined into one: runs.csv with the
 * union of the columns, the other files concatenated, duplicates dropped.
 */
#ifndef GCLAB_ANALYSIS_MERGE_H
#define GCLAB_ANALYSIS_MERGE_H

#include <stddef.h>

/* What a merge did. */
typedef struct merge_outcome {
    size_t runs, folders; /* runs merged, from this many result folders */
    int input_error;      /* it failed on an input (bad input), not in writing */
} merge_outcome;

/* Combine the result files of dirs[0..n) into out (which may be one of
 * them).  All files are written under temporary names and renamed
 * together.  Returns 0, or -1 with one line in err. */
int merge_dirs(const char *out, const char *const *dirs, size_t n, merge_outcome *mo, char *err, size_t errlen);

/* The finished runs dir stands for: 1 if it has runs.csv, else those of
 * its runs/NAME/ folders.  Returns 0 with *n, or -1 with err if dir is
 * neither a result folder nor a suite folder. */
int merge_count_runs(const char *dir, size_t *n, char *err, size_t errlen);

#endif
