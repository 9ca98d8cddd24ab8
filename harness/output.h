/*
 * harness/output.h -- a run's files (runs.csv, pauses.csv, timeseries.csv,
 * meta.json), its summary on the terminal, and the schema of the files.
 */
#ifndef GCLAB_HARNESS_OUTPUT_H
#define GCLAB_HARNESS_OUTPUT_H

#include "run.h"

#include <stdio.h>

/* Make dir (and its parents) if missing and check it can be written.
 * *created says whether this call made it (so a failed run can remove it).
 * Returns 0, or -1 with one line in err. */
int output_prepare_dir(const char *dir, int *created, char *err, size_t errlen);

/* Write the run into dir: a row appended to files of earlier runs with the
 * same columns, or new files.  All four are written under temporary names
 * and renamed only when all are complete: an error or an interruption
 * leaves the files as they were.  Returns 0, or -1 with one line in err. */
int output_write(const char *dir, const run_config *cfg, const run_result *res, int argc,
                 char **argv, char *err, size_t errlen);

/* A run that did not finish, as its parent saw it. */
typedef struct run_failure {
    const char *reason; /* "killed by signal 9 (Killed)", "timed out after 60 s"... */
    int64_t wall_ns;
    int64_t cpu_ns, peak_rss_bytes; /* from wait4(); -1: unknown */
} run_failure;

/* Write a failed run's row (status failed, its reason, NA for everything
 * measured) and its meta.json entry, as output_write does. */
int output_write_failed(const char *dir, const run_config *cfg, const run_failure *f, int argc,
                        char **argv, char *err, size_t errlen);

/* Every parameter of cfg's collector, "key=value key=value" (defaults too). */
void output_collector_params(const run_config *cfg, char *buf, size_t len);

/* What a user reads: the numbers that matter, with units. */
void output_print_summary(FILE *out, const run_config *cfg, const run_result *res);

/* docs/csv-schema.md, generated from the same tables the writer uses. */
void output_print_schema(FILE *out);

/* A parameter's value as text ("100000", "0.25", "true", "dict"). */
void output_format_value(const gclab_param *p, gclab_value v, char *buf, size_t len);

#endif
