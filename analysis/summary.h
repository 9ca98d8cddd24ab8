/*
 * analysis/summary.h -- statistics per configuration across repeats, from a
 * result folder (runs.csv, pauses.csv): median, MAD, IQR and a 95%
 * confidence interval of the median for the headline metrics; pauses of
 * every repeat merged before their percentiles are taken.
 */
#ifndef GCLAB_ANALYSIS_SUMMARY_H
#define GCLAB_ANALYSIS_SUMMARY_H

#include "harness/metrics.h"

#include <stddef.h>
#include <stdio.h>

/* One metric over a configuration's successful repeats. */
typedef struct metric_stats {
    size_t n;          /* repeats with a value (NA skipped); the rest are NAN when 0 */
    double median;
    double mad;        /* median absolute deviation from the median (unscaled) */
    double q1, q3;     /* quartiles: IQR = q3 - q1 */
    double min, max;
    double ci_lo, ci_hi; /* 95% CI of the median (percentile bootstrap) */
    double *values;    /* the n values, in repeat order */
} metric_stats;

#define SUMMARY_MMU_WINDOWS 16 /* 100 us .. 10 s, log-spaced */
extern const double summary_mmu_window_ns[SUMMARY_MMU_WINDOWS];

typedef struct config_summary {
    char *config;           /* the label (runs.csv config) */
    char *workload, *collector, *collector_params;
    char *params;           /* the workload's param_* as "k=v k=v" */
    double threshold[3];    /* NAN where the collector has none */
    size_t runs_ok, runs_failed;
    char **failures;        /* runs_failed reasons */
    metric_stats m[MET_COUNT]; /* by metric_table index; n = 0 but for headline metrics */
    /* Every pause of every successful repeat, merged: */
    size_t npauses;
    double merged_p50_ns, merged_p90_ns, merged_p99_ns, merged_p999_ns, merged_max_ns; /* NAN if none */
    double *pauses_ns;      /* npauses durations, sorted ascending (for CDFs) */
    /* MMU at summary_mmu_window_ns, median over repeats; NAN where undefined. */
    double mmu[SUMMARY_MMU_WINDOWS];
    char **run_ids;         /* runs_ok + runs_failed ids, in runs.csv order */
    size_t nrun_ids;
} config_summary;

typedef struct result_summary {
    char *dir;
    config_summary *configs; /* in order of first appearance in runs.csv */
    size_t n;
} result_summary;

/* Read dir's runs.csv and pauses.csv.  Returns 0, or -1 with err. */
int summary_load(const char *dir, result_summary *out, char *err, size_t errlen);
void summary_free(result_summary *s);

/* summary.csv in dir (temporary name, then rename). */
int summary_write_csv(const char *dir, const result_summary *s, char *err, size_t errlen);

/* The table a user reads at the end of a suite: per configuration,
 * throughput, p99 pause, max pause, peak RSS, each median with its CI. */
void summary_print(FILE *out, const result_summary *s);

#endif
