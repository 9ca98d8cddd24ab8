/*
 * harness/metrics.h -- the run metrics (the columns of runs.csv), from the
 * one table in metrics.def, and the one formatter of their values.
 */
#ifndef GCLAB_HARNESS_METRICS_H
#define GCLAB_HARNESS_METRICS_H

#include <stddef.h>
#include <stdint.h>

typedef enum metric_type { MT_STR, MT_I64, MT_F64 } metric_type;
typedef enum metric_unit {
    MU_TEXT, MU_ID, MU_COUNT, MU_NS, MU_DURATION, MU_BYTES, MU_RATE, MU_SHARE, MU_FRACTION
} metric_unit;
typedef enum metric_dir { MD_NONE, MD_LOWER, MD_HIGHER } metric_dir;

typedef struct metric_def {
    const char *name;  /* the runs.csv column */
    metric_type type;
    metric_unit unit;
    metric_dir dir;    /* which way is better */
    int headline;      /* 0, or its place among the headline metrics (1, 2, ...) */
    const char *label; /* a short heading */
    const char *doc;   /* one line */
} metric_def;

/* MET_<name>: a metric's index in metric_table. */
enum {
#define METRIC(name, type, unit, dir, headline, label, doc) MET_##name,
#include "metrics.def"
#undef METRIC
    MET_COUNT
};

extern const metric_def metric_table[MET_COUNT];

/* The metric named name, or NULL. */
const metric_def *metric_find(const char *name);

/* The headline metrics, in their order: how many, and the i-th one's index
 * in metric_table. */
size_t metric_nheadline(void);
size_t metric_headline(size_t i);

#define METRIC_NA_I64 INT64_MIN
/* Not asked for (an estimate of a run without --calibration): an empty
 * field in runs.csv, where NA means asked for but not measurable. */
#define METRIC_EMPTY_I64 (INT64_MIN + 1)

/* A value as a person reads it, with its unit scaled to its size and three
 * significant digits: "9.24k", "41.0 µs", "4.30 MiB", "58.2%", "0.322", or
 * "NA" for NAN.  The same text on the terminal, beside CSV and in HTML. */
void metric_format(char *buf, size_t len, metric_unit u, double v);

/* A median and half the width of its CI, in the median's scale:
 * "9.24k ±0.08".  "NA" when the median is NAN; no ± when the CI is. */
void metric_format_ci(char *buf, size_t len, metric_unit u, double median, double ci_lo, double ci_hi);

/* The columns text takes on a terminal (UTF-8: µ and ± are one each). */
int metric_display_width(const char *s);

/* Is b better than a by m's direction: 1 better, -1 worse, 0 equal, NA or
 * no direction. */
int metric_better(const metric_def *m, double a, double b);

/* What B is against A when B's value is higher (b_higher) or lower:
 * "faster"/"slower" for throughput and the run's duration, else
 * "more"/"less". */
const char *metric_change_word(const metric_def *m, int b_higher);

#endif
