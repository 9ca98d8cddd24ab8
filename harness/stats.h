/*
 * harness/stats.h -- statistics over a run's pause log.
 */
#ifndef GCLAB_HARNESS_STATS_H
#define GCLAB_HARNESS_STATS_H

#include <stddef.h>
#include <stdint.h>

/* One pause: [start_ns, start_ns + duration_ns), times from the run's start. */
typedef struct pause_span {
    uint64_t start_ns;
    uint64_t duration_ns;
} pause_span;

/* The p-th percentile (0 < p <= 100) of n >= 1 values sorted ascending, by
 * nearest rank: the smallest value with at least p% of the values at or
 * below it. */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, double p);

/* Minimum mutator utilisation (Cheng & Blelloch): over every window of
 * width window_ns lying inside [0, total_ns], the smallest fraction of the
 * window not spent in a pause.  `pauses` are sorted by start and do not
 * overlap.  Returns -1 (not defined) when window_ns is 0 or exceeds
 * total_ns.  O(n log n). */
double stats_mmu(const pause_span *pauses, size_t n, uint64_t total_ns, uint64_t window_ns);

/* ---------------------------------------------------------------- repeats
 * Statistics over a configuration's repeats (docs/statistics.md).  Values
 * are doubles; none of these functions keeps a pointer or changes its
 * input.  With n == 0 they return NAN. */

/* The q-quantile (0 <= q <= 1) of n values sorted ascending, by linear
 * interpolation between order statistics (Hyndman & Fan type 7, R's and
 * NumPy's default): h = (n - 1) q, x[floor h] + (h - floor h)(x[floor h + 1]
 * - x[floor h]). */
double stats_quantile_sorted(const double *sorted, size_t n, double q);

/* The median of n values in any order (the mean of the two middle ones
 * when n is even). */
double stats_median(const double *v, size_t n);

/* The median absolute deviation from the median, unscaled (not multiplied
 * by 1.4826): median(|v[i] - median(v)|). */
double stats_mad(const double *v, size_t n);

/* The first and third quartiles, type 7 (see stats_quantile_sorted). */
void stats_quartiles(const double *v, size_t n, double *q1, double *q3);

/* The seed and resample count every bootstrap of gclab uses: fixed, so the
 * same data always give the same interval. */
#define STATS_BOOTSTRAP_RESAMPLES 2000
#define STATS_BOOTSTRAP_SEED UINT64_C(0x67636c6162626f6f) /* "gclabboo" */

/* A percentile-bootstrap confidence interval (level, e.g. 0.95) of the
 * median: `resamples` samples of n drawn with replacement from v by a
 * splitmix64 stream started at `seed`, the median of each, and the type 7
 * quantiles (1 - level)/2 and (1 + level)/2 of those medians.  n == 1
 * gives [v, v]; n == 0 NAN. */
void stats_bootstrap_median_ci(const double *v, size_t n, double level, unsigned resamples,
                               uint64_t seed, double *lo, double *hi);

/* The ratio of medians median(b) / median(a); 0/0 is 1, x/0 (x > 0) is
 * +INFINITY; NAN when a side is empty. */
double stats_median_ratio(const double *a, size_t na, const double *b, size_t nb);

/* A percentile-bootstrap confidence interval of median(b) / median(a): a
 * and b are resampled independently (a's sample, then b's, from one
 * splitmix64 stream started at `seed`), the ratio taken as in
 * stats_median_ratio. */
void stats_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level,
                              unsigned resamples, uint64_t seed, double *lo, double *hi);

/* The two-sided Mann-Whitney U (Wilcoxon rank-sum) test of a against b. */
typedef struct mann_whitney {
    double u;      /* U of a: pairs with a > b, ties counting 1/2 (= R_a - na(na+1)/2) */
    double p;      /* two-sided p-value; NAN when a side is empty */
    int exact;     /* 1: exact null distribution; 0: normal approximation */
} mann_whitney;

/* Exact when na <= 20, nb <= 20 and no value appears in both or twice:
 * p = min(1, 2 min(P(U <= u), P(U >= u))) over the C(na+nb, na) equally
 * likely rank arrangements.  Otherwise the normal approximation with the
 * tie correction and a continuity correction of 1/2:
 * sigma^2 = na nb / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))),
 * z = max(0, |u - na nb / 2| - 1/2) / sigma, p = erfc(z / sqrt 2), and
 * p = 1 when sigma is 0 (every value tied). */
mann_whitney stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb);

#endif
