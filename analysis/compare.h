/*
 * analysis/compare.h -- two result folders compared configuration by
 * configuration: for each metric the medians, the ratio B/A with a
 * bootstrap 95% CI and a two-sided Mann-Whitney U test
 * (docs/statistics.md).
 */
#ifndef GCLAB_ANALYSIS_COMPARE_H
#define GCLAB_ANALYSIS_COMPARE_H

#include <stddef.h>
#include <stdio.h>

typedef struct compare_opts {
    const char *dir_a, *dir_b;
    const char *const *metrics; /* runs.csv columns; none: the headline metrics */
    size_t nmetrics;
    const char *csv_path;       /* also write the comparison here, or NULL */
} compare_opts;

/* Compare, print the table to out (and write csv_path).  Returns 0, or -1
 * with one line in err: a folder that is not a result folder, an unknown
 * metric, nothing in common, or the CSV could not be written. */
int compare_dirs(const compare_opts *o, FILE *out, char *err, size_t errlen);

#endif
