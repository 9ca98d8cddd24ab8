/*
 * harness/stats.c -- percentiles and minimum mutator utilisation over a
 * run's pause log.
 *
 * MMU: the pause in a window [a, a + w] is P(a + w) - P(a), where P(t) is the
 * paused time in [0, t).  Take a window holding the most pause.  If it starts
 * inside a pause, moving it earlier gains pause at its start as fast as it
 * can lose any at its end, so the window that starts at that pause's start
 * holds as much.  If it starts outside every pause, moving it later loses
 * nothing at its start, up to the next pause's start or the end of the run
 * (a window that meets no later pause start holds no pause at all).  So the
 * windows starting at each pause's start, clamped into the run, suffice;
 * windows ending at a pause's end, often tried as well, add nothing.  Their
 * starts do not decrease, so P is read by two cursors that only move
 * forward: O(n), no allocation.
 */
#include "stats.h"

#include "../runtime/splitmix64.h"

#include <math.h>

/* p-th percentile, nearest rank: sorted[ceil(p/100 * n) - 1], the index
 * clamped to [0, n - 1].  A rank that is an integer but for rounding (99.9%
 * of 1000 computes as 999.0000000000001) is taken as that integer. */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, double p)
{
    double rank = p / 100.0 * (double)n;
    double nearest = round(rank);
    if (fabs(rank - nearest) <= 1e-9 * nearest)
        rank = nearest;
    rank = ceil(rank);
    if (!(rank > 1.0)) /* also a NaN p */
        return sorted[0];
    if (rank >= (double)n)
        return sorted[n - 1];
    return sorted[(size_t)rank - 1];
}

/* A pause's start, clipped to the run [0, total]. */
static uint64_t clip_start(const pause_span *s, uint64_t total)
{
    return s->start_ns < total ? s->start_ns : total;
}

/* A pause's end, clipped to the run [0, total]; no overflow. */
static uint64_t clip_end(const pause_span *s, uint64_t total)
{
    uint64_t start = clip_start(s, total);
    return s->duration_ns > total - start ? total : start + s->duration_ns;
}

/* Reads P(t), the paused time in [0, t), for t that never decrease. */
typedef struct paused_cursor {
    const pause_span *pauses;
    size_t n;
    uint64_t total;
    size_t k;     /* pauses that start before the last t asked */
    uint64_t sum; /* their clipped durations */
} paused_cursor;

/* P(t), for 0 <= t <= total and t no less than at the cursor's last call. */
static uint64_t paused_before(paused_cursor *c, uint64_t t)
{
    while (c->k < c->n && c->pauses[c->k].start_ns < t) {
        const pause_span *s = &c->pauses[c->k++];
        c->sum += clip_end(s, c->total) - clip_start(s, c->total);
    }
    if (c->k == 0)
        return 0;
    /* Only the last pause started can reach past t: the others end before
     * it starts. */
    uint64_t end = clip_end(&c->pauses[c->k - 1], c->total);
    return end > t ? c->sum - (end - t) : c->sum;
}

/* Smallest fraction of a window of width window_ns inside [0, total_ns] not
 * spent paused; -1 when window_ns is 0 or exceeds total_ns.  Pauses sorted
 * by start, not overlapping; any part past total_ns is ignored. */
double stats_mmu(const pause_span *pauses, size_t n, uint64_t total_ns, uint64_t window_ns)
{
    if (window_ns == 0 || window_ns > total_ns)
        return -1.0;
    paused_cursor lo = {.pauses = pauses, .n = n, .total = total_ns};
    paused_cursor hi = lo;
    uint64_t last = total_ns - window_ns; /* the last window's start */
    uint64_t most = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t a = clip_start(&pauses[i], total_ns);
        if (a > last)
            a = last;
        uint64_t in = paused_before(&hi, a + window_ns) - paused_before(&lo, a);
        if (in > most)
            most = in;
    }
    return (double)(window_ns - most) / (double)window_ns;
}

/* ---------------------------------------------------------------- repeats */

#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* A sorted copy of v (never NULL for n > 0). */
static double *sorted_copy(const double *v, size_t n)
{
    double *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        abort();
    if (n)
        memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    return s;
}

double stats_quantile_sorted(const double *sorted, size_t n, double q)
{
    if (n == 0 || !(q >= 0.0 && q <= 1.0))
        return NAN;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1)
        return sorted[n - 1];
    double frac = h - (double)lo;
    if (frac == 0.0 || sorted[lo] == sorted[lo + 1]) /* also no inf - inf or 0 * inf */
        return sorted[lo];
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/* Median of sorted values. */
static double median_sorted(const double *s, size_t n)
{
    if (n == 0)
        return NAN;
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
}

double stats_median(const double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double *s = sorted_copy(v, n);
    double m = median_sorted(s, n);
    free(s);
    return m;
}

double stats_mad(const double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double m = stats_median(v, n);
    double *d = malloc(n * sizeof *d);
    if (!d)
        abort();
    for (size_t i = 0; i < n; i++)
        d[i] = fabs(v[i] - m);
    double mad = stats_median(d, n);
    free(d);
    return mad;
}

void stats_quartiles(const double *v, size_t n, double *q1, double *q3)
{
    if (n == 0) {
        *q1 = *q3 = NAN;
        return;
    }
    double *s = sorted_copy(v, n);
    *q1 = stats_quantile_sorted(s, n, 0.25);
    *q3 = stats_quantile_sorted(s, n, 0.75);
    free(s);
}

/* An unbiased index below n from the splitmix64 stream. */
static size_t draw_index(uint64_t *state, size_t n)
{
    uint64_t bound = (uint64_t)n;
    uint64_t reject_below = (0 - bound) % bound; /* 2^64 mod n */
    uint64_t x;
    do
        x = splitmix64(state);
    while (x < reject_below);
    return (size_t)(x % bound);
}

/* The median of one bootstrap resample of the n sorted values: n draws
 * with replacement counted per index, then the middle order statistics
 * found by walking the counts in order (the same as sorting the resample,
 * in O(n)).  counts has n entries. */
static double resample_median(const double *sorted, size_t n, size_t *counts, uint64_t *state)
{
    memset(counts, 0, n * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[draw_index(state, n)]++;
    size_t lo_rank = (n - 1) / 2, hi_rank = n / 2; /* 0-based ranks of the middle */
    double lo = NAN, hi = NAN;
    size_t seen = 0;
    for (size_t k = 0; k < n; k++) {
        if (!counts[k])
            continue;
        size_t next = seen + counts[k];
        if (lo_rank >= seen && lo_rank < next)
            lo = sorted[k];
        if (hi_rank >= seen && hi_rank < next) {
            hi = sorted[k];
            break;
        }
        seen = next;
    }
    return (lo + hi) / 2.0;
}

/* The type 7 quantiles (1 -+ level)/2 of the resampled statistics. */
static void percentile_interval(double *stat, size_t b, double level, double *lo, double *hi)
{
    qsort(stat, b, sizeof *stat, cmp_double);
    *lo = stats_quantile_sorted(stat, b, (1.0 - level) / 2.0);
    *hi = stats_quantile_sorted(stat, b, (1.0 + level) / 2.0);
}

void stats_bootstrap_median_ci(const double *v, size_t n, double level, unsigned resamples,
                               uint64_t seed, double *lo, double *hi)
{
    if (n == 0 || resamples == 0) {
        *lo = *hi = NAN;
        return;
    }
    if (n == 1) {
        *lo = *hi = v[0];
        return;
    }
    double *s = sorted_copy(v, n);
    double *stat = malloc(resamples * sizeof *stat);
    size_t *counts = malloc(n * sizeof *counts);
    if (!stat || !counts)
        abort();
    uint64_t state = seed;
    for (unsigned r = 0; r < resamples; r++)
        stat[r] = resample_median(s, n, counts, &state);
    percentile_interval(stat, resamples, level, lo, hi);
    free(counts);
    free(stat);
    free(s);
}

static double ratio_of(double ma, double mb)
{
    if (isnan(ma) || isnan(mb))
        return NAN;
    if (ma == 0.0)
        return mb == 0.0 ? 1.0 : (mb > 0 ? INFINITY : -INFINITY);
    return mb / ma;
}

double stats_median_ratio(const double *a, size_t na, const double *b, size_t nb)
{
    if (na == 0 || nb == 0)
        return NAN;
    return ratio_of(stats_median(a, na), stats_median(b, nb));
}

void stats_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level,
                              unsigned resamples, uint64_t seed, double *lo, double *hi)
{
    if (na == 0 || nb == 0 || resamples == 0) {
        *lo = *hi = NAN;
        return;
    }
    double *sa = sorted_copy(a, na), *sb = sorted_copy(b, nb);
    double *stat = malloc(resamples * sizeof *stat);
    size_t *counts = malloc((na > nb ? na : nb) * sizeof *counts);
    if (!stat || !counts)
        abort();
    uint64_t state = seed;
    for (unsigned r = 0; r < resamples; r++) {
        double ma = resample_median(sa, na, counts, &state);
        double mb = resample_median(sb, nb, counts, &state);
        stat[r] = ratio_of(ma, mb);
    }
    percentile_interval(stat, resamples, level, lo, hi);
    free(counts);
    free(stat);
    free(sb);
    free(sa);
}

/* One value of the pooled sample, and which side it came from. */
typedef struct ranked {
    double v;
    int from_a;
} ranked;

static int cmp_ranked(const void *x, const void *y)
{
    return cmp_double(&((const ranked *)x)->v, &((const ranked *)y)->v);
}

/* The exact null distribution of U for sizes na, nb without ties:
 * N(i, j, u), the arrangements of i a's and j b's with U = u, obeys
 * N(i, j, u) = N(i - 1, j, u - j) + N(i, j - 1, u) (the largest value is an
 * a, above all j b's, or a b).  Returns P(U <= u) and P(U >= u) for integer
 * u.  The counts are at most C(40, 20) < 2^53: exact in doubles. */
static void exact_u_tails(size_t na, size_t nb, long u, double *le, double *ge)
{
    size_t umax = na * nb;
    /* cur[j][k] = N(i, j, k) for the current i, 0 <= j <= nb, 0 <= k <= umax */
    size_t width = umax + 1;
    double *prev = calloc((nb + 1) * width, sizeof *prev);
    double *cur = calloc((nb + 1) * width, sizeof *cur);
    if (!prev || !cur)
        abort();
    for (size_t j = 0; j <= nb; j++)
        prev[j * width] = 1.0; /* i = 0: one arrangement, U = 0 */
    for (size_t i = 1; i <= na; i++) {
        memset(cur, 0, (nb + 1) * width * sizeof *cur);
        cur[0] = 1.0; /* j = 0 */
        for (size_t j = 1; j <= nb; j++)
            for (size_t k = 0; k <= i * j; k++) {
                double c = cur[(j - 1) * width + k];
                if (k >= j)
                    c += prev[j * width + k - j];
                cur[j * width + k] = c;
            }
        double *t = prev;
        prev = cur;
        cur = t;
    }
    const double *dist = prev + nb * width; /* N(na, nb, .) */
    double total = 0, below = 0, above = 0;
    for (size_t k = 0; k <= umax; k++) {
        total += dist[k];
        if ((long)k <= u)
            below += dist[k];
        if ((long)k >= u)
            above += dist[k];
    }
    *le = below / total;
    *ge = above / total;
    free(prev);
    free(cur);
}

mann_whitney stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb)
{
    mann_whitney r = {.u = NAN, .p = NAN, .exact = 0};
    if (na == 0 || nb == 0)
        return r;
    size_t n = na + nb;
    ranked *all = malloc(n * sizeof *all);
    if (!all)
        abort();
    for (size_t i = 0; i < na; i++)
        all[i] = (ranked){a[i], 1};
    for (size_t i = 0; i < nb; i++)
        all[na + i] = (ranked){b[i], 0};
    qsort(all, n, sizeof *all, cmp_ranked);
    /* Midranks (1-based), the rank sum of a, and the tie term sum(t^3 - t). */
    double rank_sum_a = 0, ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && all[j + 1].v == all[i].v)
            j++;
        double t = (double)(j - i + 1);
        double midrank = ((double)i + (double)j) / 2.0 + 1.0;
        for (size_t k = i; k <= j; k++)
            if (all[k].from_a)
                rank_sum_a += midrank;
        ties += t * t * t - t;
        i = j + 1;
    }
    free(all);
    double dna = (double)na, dnb = (double)nb, dn = (double)n;
    r.u = rank_sum_a - dna * (dna + 1.0) / 2.0;
    if (na <= 20 && nb <= 20 && ties == 0.0) {
        double le, ge;
        exact_u_tails(na, nb, lround(r.u), &le, &ge);
        r.p = fmin(1.0, 2.0 * fmin(le, ge));
        r.exact = 1;
        return r;
    }
    double var = dna * dnb / 12.0 * ((dn + 1.0) - ties / (dn * (dn - 1.0)));
    if (!(var > 0.0)) {
        r.p = 1.0;
        return r;
    }
    double d = fabs(r.u - dna * dnb / 2.0) - 0.5;
    double z = (d > 0 ? d : 0) / sqrt(var);
    r.p = fmin(1.0, erfc(z / sqrt(2.0)));
    return r;
}
