/*
 * analysis/verdict.h -- which configuration is better, decided one way for
 * the closing table of a suite (summary), the report, and gclab compare:
 * by the direction the metric table gives each metric (metric_better).
 */
#ifndef GCLAB_ANALYSIS_VERDICT_H
#define GCLAB_ANALYSIS_VERDICT_H

#include "summary.h"

#include <stddef.h>

/* Beside the metrics of metric_table: every pause of every repeat merged,
 * its 99th percentile (ranked as pause_p99_ns is). */
#define VERDICT_MERGED_P99 ((size_t)MET_COUNT)

/* The metric's definition (pause_p99_ns's for VERDICT_MERGED_P99). */
const metric_def *verdict_metric(size_t metric);

/* The value c is ranked by: the median over its successful repeats; the
 * merged p99 for VERDICT_MERGED_P99.  A configuration that recorded its
 * collections and never paused paused for 0 ns.  NAN when there is none. */
double verdict_value(const config_summary *c, size_t metric);

/* The best of the configurations idx[0..k) of s by metric: its position in
 * idx, or -1 when none has a value; *nvalues: how many have one.  Ties go
 * to the first. */
long verdict_best(const result_summary *s, const size_t *idx, size_t k, size_t metric, size_t *nvalues);

/* The 95% CIs of a's and b's medians of metric overlap: neither is clearly
 * ahead.  0 when either has fewer than two repeats. */
int verdict_ci_overlap(const config_summary *a, const config_summary *b, size_t metric);

#endif
