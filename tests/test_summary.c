/*
 * tests/test_summary.c -- statistics across repeats: median, MAD and type 7
 * quartiles on small arrays computed by hand; the bootstrap intervals
 * (deterministic, containing the median, and exact where the bootstrap
 * distribution can be worked out); the Mann-Whitney U test against
 * published values and a brute force over every rank arrangement; and
 * summary_load on a result folder written here, every expected number
 * worked out by hand.
 */
#define _GNU_SOURCE
#include "test.h"

#include "harness/csv.h"
#include "harness/stats.h"
#include "analysis/summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define assert_near(got, want, eps)                                                           \
    do {                                                                                      \
        double got_ = (got), want_ = (want);                                                  \
        if (!(fabs(got_ - want_) <= (eps)))                                                   \
            fail_msg("%s is %.15g, expected %s = %.15g", #got, got_, #want, want_);           \
    } while (0)

#define assert_nan(x)                                                                         \
    do {                                                                                      \
        double x_ = (x);                                                                      \
        if (!isnan(x_))                                                                       \
            fail_msg("%s is %.15g, expected NAN", #x, x_);                                    \
    } while (0)

/* ---------------------------------------------------------------- median, MAD, quartiles */

static void median_of_odd_and_even_counts(void **state)
{
    (void)state;
    double odd[] = {3, 1, 2};
    assert_near(stats_median(odd, 3), 2, 0);
    double even[] = {4, 1, 3, 2};
    assert_near(stats_median(even, 4), 2.5, 0);
    double one[] = {7.25};
    assert_near(stats_median(one, 1), 7.25, 0);
    double skew[] = {1, 1000, 2, 3, 2};
    assert_near(stats_median(skew, 5), 2, 0);
    assert_nan(stats_median(odd, 0));
    /* the input is not reordered */
    assert_near(odd[0], 3, 0);
    assert_near(odd[1], 1, 0);
}

static void mad_is_the_unscaled_median_absolute_deviation(void **state)
{
    (void)state;
    /* median 2; deviations 1 1 0 0 2 4 7 -> sorted 0 0 1 1 2 4 7 -> 1 */
    double v[] = {1, 1, 2, 2, 4, 6, 9};
    assert_near(stats_mad(v, N(v)), 1, 0);
    /* median 2.5; deviations 1.5 0.5 0.5 97.5 -> 0.5, 1.5 -> 1 */
    double w[] = {1, 2, 3, 100};
    assert_near(stats_mad(w, N(w)), 1, 0);
    double same[] = {5, 5, 5};
    assert_near(stats_mad(same, 3), 0, 0);
    double one[] = {42};
    assert_near(stats_mad(one, 1), 0, 0);
    assert_nan(stats_mad(v, 0));
}

static void quartiles_interpolate_linearly_type_7(void **state)
{
    (void)state;
    /* 1..10: h = 9 * 0.25 = 2.25 -> 3 + 0.25 = 3.25; h = 6.75 -> 7.75 (R: quantile(1:10)) */
    double v[] = {10, 3, 1, 7, 5, 2, 9, 4, 8, 6};
    double q1, q3;
    stats_quartiles(v, N(v), &q1, &q3);
    assert_near(q1, 3.25, 1e-12);
    assert_near(q3, 7.75, 1e-12);
    /* 1 2 3 4: h = 0.75 -> 1.75; h = 2.25 -> 3.25 */
    double w[] = {4, 3, 2, 1};
    stats_quartiles(w, 4, &q1, &q3);
    assert_near(q1, 1.75, 1e-12);
    assert_near(q3, 3.25, 1e-12);
    /* 10 20 40: h = 0.5 -> 15; h = 1.5 -> 30 */
    double x[] = {40, 10, 20};
    stats_quartiles(x, 3, &q1, &q3);
    assert_near(q1, 15, 1e-12);
    assert_near(q3, 30, 1e-12);
    double one[] = {9};
    stats_quartiles(one, 1, &q1, &q3);
    assert_near(q1, 9, 0);
    assert_near(q3, 9, 0);
    stats_quartiles(one, 0, &q1, &q3);
    assert_nan(q1);
    assert_nan(q3);

    double s[] = {1, 2, 4, 8};
    assert_near(stats_quantile_sorted(s, 4, 0), 1, 0);
    assert_near(stats_quantile_sorted(s, 4, 1), 8, 0);
    assert_near(stats_quantile_sorted(s, 4, 0.5), 3, 1e-12);
    assert_near(stats_quantile_sorted(s, 4, 2.0 / 3.0), 4, 1e-12);
    assert_nan(stats_quantile_sorted(s, 4, 1.5));
}

/* ---------------------------------------------------------------- bootstrap */

static void bootstrap_ci_contains_the_median_and_is_deterministic(void **state)
{
    (void)state;
    double v[] = {103, 97, 110, 99, 101, 250, 98, 100, 102};
    double med = stats_median(v, N(v));
    double lo, hi, lo2, hi2;
    stats_bootstrap_median_ci(v, N(v), 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo, &hi);
    assert_true(lo <= med && med <= hi);
    assert_true(lo >= 97 && hi <= 250);
    assert_lt(lo, hi);
    stats_bootstrap_median_ci(v, N(v), 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo2, &hi2);
    assert_true(lo == lo2 && hi == hi2);
    /* in any order: the same data, the same interval */
    double w[] = {250, 110, 103, 102, 101, 100, 99, 98, 97};
    stats_bootstrap_median_ci(w, N(w), 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo2, &hi2);
    assert_true(lo == lo2 && hi == hi2);
    /* a narrower level gives an interval inside */
    stats_bootstrap_median_ci(v, N(v), 0.5, 2000, STATS_BOOTSTRAP_SEED, &lo2, &hi2);
    assert_true(lo <= lo2 && hi2 <= hi && lo2 <= med && med <= hi2);

    /* many arrays, even and odd sizes */
    uint64_t x = 12345;
    for (size_t n = 2; n < 40; n++) {
        double r[40];
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            r[i] = (double)(x >> 40) / 1000.0;
        }
        stats_bootstrap_median_ci(r, n, 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo, &hi);
        med = stats_median(r, n);
        if (!(lo <= med && med <= hi))
            fail_msg("n = %zu: [%g, %g] does not contain the median %g", n, lo, hi, med);
    }
}

static void bootstrap_ci_of_tiny_samples_is_worked_out_exactly(void **state)
{
    (void)state;
    double lo, hi;
    double one[] = {5};
    stats_bootstrap_median_ci(one, 1, 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo, &hi);
    assert_near(lo, 5, 0);
    assert_near(hi, 5, 0);
    double same[] = {3, 3, 3, 3};
    stats_bootstrap_median_ci(same, 4, 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo, &hi);
    assert_near(lo, 3, 0);
    assert_near(hi, 3, 0);
    /* n = 2: resample medians are 10 (p 1/4), 15 (1/2), 20 (1/4); the 2.5%
     * and 97.5% points are 10 and 20 unless fewer than ~50 of 2000
     * resamples hit an end, which has probability ~1e-80. */
    double two[] = {20, 10};
    stats_bootstrap_median_ci(two, 2, 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo, &hi);
    assert_near(lo, 10, 0);
    assert_near(hi, 20, 0);
    /* ...and the 50% interval is [15, 15]: the middle half is all 15. */
    stats_bootstrap_median_ci(two, 2, 0.5, 2000, STATS_BOOTSTRAP_SEED, &lo, &hi);
    assert_true(lo >= 10 && lo <= 15 && hi >= 15 && hi <= 20);
    assert_nan((stats_bootstrap_median_ci(two, 0, 0.95, 2000, 1, &lo, &hi), lo));
}

static void bootstrap_ci_of_a_large_sample_matches_the_order_statistics(void **state)
{
    (void)state;
    /* 0..100: the bootstrap median is about normal with sd sqrt(n)/2 ranks,
     * so the 95% interval is about ranks 50 -+ 9.85: [40, 60]. */
    double v[101];
    for (int i = 0; i < 101; i++)
        v[i] = (double)((i * 37) % 101); /* 0..100 shuffled */
    double lo, hi;
    stats_bootstrap_median_ci(v, 101, 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo, &hi);
    if (!(lo >= 36 && lo <= 44 && hi >= 56 && hi <= 64))
        fail_msg("[%g, %g], expected about [40, 60]", lo, hi);
}

static void ratio_of_medians_and_its_bootstrap_ci(void **state)
{
    (void)state;
    double a[] = {10, 11, 9, 10.5, 9.5}, b[] = {20, 22, 18, 21, 19};
    assert_near(stats_median_ratio(a, 5, b, 5), 2, 1e-12);
    double lo, hi, lo2, hi2;
    stats_bootstrap_ratio_ci(a, 5, b, 5, 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo, &hi);
    assert_true(lo <= 2 && 2 <= hi);
    /* every resampled ratio is between min(b)/max(a) and max(b)/min(a) */
    assert_true(lo >= 18.0 / 11.0 && hi <= 22.0 / 9.0);
    stats_bootstrap_ratio_ci(a, 5, b, 5, 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo2, &hi2);
    assert_true(lo == lo2 && hi == hi2);
    /* constant sides: the ratio is exact */
    double c[] = {4, 4, 4}, d[] = {6, 6, 6, 6};
    stats_bootstrap_ratio_ci(c, 3, d, 4, 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo, &hi);
    assert_near(lo, 1.5, 1e-12);
    assert_near(hi, 1.5, 1e-12);
    double z[] = {0, 0}, p[] = {1, 2};
    assert_near(stats_median_ratio(z, 2, z, 2), 1, 0);
    assert_true(isinf(stats_median_ratio(z, 2, p, 2)));
    assert_nan(stats_median_ratio(a, 0, b, 5));
    /* resamples of A with a zero median give +inf: an interval, never NAN */
    double zeros[] = {0, 0, 0, 1, 1}, ones[] = {1, 1, 1, 1, 1};
    stats_bootstrap_ratio_ci(zeros, 5, ones, 5, 0.95, 2000, STATS_BOOTSTRAP_SEED, &lo, &hi);
    assert_near(lo, 1, 0);
    assert_true(isinf(hi));
}

/* ---------------------------------------------------------------- Mann-Whitney */

static void mann_whitney_exact_for_separated_samples(void **state)
{
    (void)state;
    /* 5 vs 5, completely separated: U = 0, P(U <= 0) = 1 / C(10, 5) = 1/252,
     * two-sided 2/252. */
    double a[] = {1, 2, 3, 4, 5}, b[] = {6, 7, 8, 9, 10};
    mann_whitney r = stats_mann_whitney(a, 5, b, 5);
    assert_int_equal(r.exact, 1);
    assert_near(r.u, 0, 0);
    assert_near(r.p, 2.0 / 252.0, 1e-15);
    r = stats_mann_whitney(b, 5, a, 5);
    assert_near(r.u, 25, 0);
    assert_near(r.p, 2.0 / 252.0, 1e-15);
    /* 4 vs 4: 2 / C(8, 4) = 2/70; 3 vs 3: 2/20 */
    r = stats_mann_whitney(a, 4, b, 4);
    assert_near(r.p, 2.0 / 70.0, 1e-15);
    r = stats_mann_whitney(a, 3, b, 3);
    assert_near(r.p, 0.1, 1e-15);
    /* interleaved perfectly: U = na nb / 2, p = 1 */
    double c[] = {1, 3, 5, 7}, d[] = {2, 4, 6, 8};
    r = stats_mann_whitney(c, 4, d, 4);
    assert_near(r.u, 6, 0);
    assert_gt(r.p, 0.5);
}

static void mann_whitney_textbook_example(void **state)
{
    (void)state;
    /* SciPy's documentation (scipy.stats.mannwhitneyu): ages of male and
     * female employees; U = 17, exact p = 0.1111 (= 14/126), asymptotic
     * with continuity correction p = 0.11134688653314041. */
    double males[] = {19, 22, 16, 29, 24}, females[] = {20, 11, 17, 12};
    mann_whitney r = stats_mann_whitney(males, 5, females, 4);
    assert_int_equal(r.exact, 1);
    assert_near(r.u, 17, 0);
    assert_near(r.p, 14.0 / 126.0, 1e-12);
}

/* U of a against b by its definition: pairs a > b, ties 1/2. */
static double u_by_pairs(const double *a, size_t na, const double *b, size_t nb)
{
    double u = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            u += a[i] > b[j] ? 1 : a[i] == b[j] ? 0.5 : 0;
    return u;
}

/* The exact two-sided p by enumerating every way to split the pooled
 * values into na and nb. */
static double p_by_enumeration(const double *a, size_t na, const double *b, size_t nb)
{
    size_t n = na + nb;
    double pool[16], x[16], y[16];
    memcpy(pool, a, na * sizeof *a);
    memcpy(pool + na, b, nb * sizeof *b);
    double u = u_by_pairs(a, na, b, nb);
    double le = 0, ge = 0, total = 0;
    for (unsigned mask = 0; mask < (1u << n); mask++) {
        if ((size_t)__builtin_popcount(mask) != na)
            continue;
        size_t nx = 0, ny = 0;
        for (size_t i = 0; i < n; i++)
            if (mask & (1u << i))
                x[nx++] = pool[i];
            else
                y[ny++] = pool[i];
        double v = u_by_pairs(x, nx, y, ny);
        total++;
        le += v <= u;
        ge += v >= u;
    }
    double p = 2 * fmin(le, ge) / total;
    return p < 1 ? p : 1;
}

static void mann_whitney_exact_matches_enumeration(void **state)
{
    (void)state;
    uint64_t s = 99;
    for (int trial = 0; trial < 40; trial++) {
        size_t na = 2 + (size_t)trial % 6, nb = 3 + (size_t)(trial * 7) % 6; /* up to 7 + 8 */
        double a[8], b[8];
        for (size_t i = 0; i < na + nb; i++) {
            s = s * 6364136223846793005u + 1442695040888963407u;
            double v = (double)(s >> 33) + (trial % 3 == 0 && i < na ? 1e9 * 0.3 : 0); /* some shifted */
            if (i < na)
                a[i] = v;
            else
                b[i - na] = v;
        }
        mann_whitney r = stats_mann_whitney(a, na, b, nb);
        assert_int_equal(r.exact, 1);
        assert_near(r.u, u_by_pairs(a, na, b, nb), 0);
        assert_near(r.p, p_by_enumeration(a, na, b, nb), 1e-12);
    }
}

static void mann_whitney_normal_approximation_with_ties(void **state)
{
    (void)state;
    /* Ties: midranks, sigma^2 = na nb/12 ((N+1) - sum(t^3-t)/(N(N-1))).
     * N = 16 with tie groups 2 (2s), 4 (3s), 3 (4s), 3 (5s), 2 (7s):
     * U = 7.5, p = 0.010515245935858918 (an independent Python
     * implementation of the same formulas). */
    double a[] = {1, 2, 2, 3, 3, 3, 4, 5}, b[] = {3, 4, 4, 5, 5, 6, 7, 7};
    mann_whitney r = stats_mann_whitney(a, 8, b, 8);
    assert_int_equal(r.exact, 0);
    assert_near(r.u, 7.5, 0);
    assert_near(r.p, 0.010515245935858918, 1e-12);
    /* Sides over 20, no ties: a = 1..25, b = 11.5..35.5, U = 105 (sum 1..14),
     * sigma^2 = 25*25*51/12, z = (312.5 - 105 - 0.5)/sigma, p = erfc(z/sqrt 2)
     * = 5.909644085596031e-05. */
    double c[25], d[25];
    for (int i = 0; i < 25; i++) {
        c[i] = i + 1;
        d[i] = i + 11.5;
    }
    r = stats_mann_whitney(c, 25, d, 25);
    assert_int_equal(r.exact, 0);
    assert_near(r.u, 105, 0);
    assert_near(r.p, 5.909644085596031e-05, 1e-15);
    /* every value tied: no evidence at all */
    double e[] = {5, 5, 5}, f[] = {5, 5, 5, 5};
    r = stats_mann_whitney(e, 3, f, 4);
    assert_near(r.u, 6, 0);
    assert_near(r.p, 1, 0);
    r = stats_mann_whitney(e, 0, f, 4);
    assert_nan(r.p);
}

/* ---------------------------------------------------------------- summary_load */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define MS "000000"
static const char runs_csv[] =
    "run_id,collector,workload,threshold0,threshold1,threshold2,wall_ns,gc_time_ns,ops_per_s,"
    "pause_p99_ns,config,repeat,status,failure,collector_params,param_requests,param_rows\r\n"
    /* config X, repeat 1 first in the file */
    "r1,generational,web,700,10,10,10" MS ",3" MS ",100,3" MS ",X,1,ok,,freeze=never,50,NA\r\n"
    "r0,generational,web,700,10,10,10" MS ",3" MS ",300,2" MS ",X,0,ok,,freeze=never,50,NA\r\n"
    "y0,refcount,web,NA,NA,NA,5" MS ",0,1000,NA,Y,0,ok,,,5,3\r\n"
    "r3,generational,web,700,10,10,20" MS ",NA,NA,NA,X,3,failed,\"signal 9, killed\",freeze=never,50,NA\r\n"
    "r4,generational,web,700,10,10,10" MS ",4" MS ",NA,4" MS ",X,2,ok,,freeze=never,50,NA\r\n";
static const char pauses_csv[] =
    "run_id,seq,start_ns,duration_ns,generation\r\n"
    "r0,0,0,1" MS ",0\r\n"
    "r1,0,1" MS ",3" MS ",0\r\n"
    "r3,0,0,100" MS ",2\r\n" /* a failed run's pause: left out */
    "r0,1,5" MS ",2" MS ",2\r\n"
    "r4,0,0,4" MS ",0\r\n";

static void summary_load_groups_repeats_and_merges_pauses(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_summary.XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "runs.csv", runs_csv);
    write_file(dir, "pauses.csv", pauses_csv);
    result_summary s;
    char err[512] = "";
    if (summary_load(dir, &s, err, sizeof err) != 0)
        fail_msg("summary_load: %s", err);
    assert_int_equal(s.n, 2);
    const config_summary *x = &s.configs[0], *y = &s.configs[1];
    assert_string_equal(x->config, "X");
    assert_string_equal(y->config, "Y");
    assert_string_equal(x->workload, "web");
    assert_string_equal(x->collector, "generational");
    assert_string_equal(x->collector_params, "freeze=never");
    assert_string_equal(x->params, "requests=50");
    assert_string_equal(y->params, "requests=5 rows=3");
    assert_near(x->threshold[0], 700, 0);
    assert_near(x->threshold[2], 10, 0);
    assert_nan(y->threshold[0]);
    assert_int_equal(x->runs_ok, 3);
    assert_int_equal(x->runs_failed, 1);
    assert_string_equal(x->failures[0], "signal 9, killed");
    assert_int_equal(x->nrun_ids, 4);
    assert_string_equal(x->run_ids[0], "r1");
    assert_string_equal(x->run_ids[2], "r3");

    /* ops_per_s: r4 is NA; in repeat order r0 (300), r1 (100) */
    const metric_stats *ops = &x->m[MET_ops_per_s];
    assert_int_equal(ops->n, 2);
    assert_near(ops->values[0], 300, 0);
    assert_near(ops->values[1], 100, 0);
    assert_near(ops->median, 200, 0);
    assert_near(ops->mad, 100, 0);
    assert_near(ops->q1, 150, 1e-9);
    assert_near(ops->q3, 250, 1e-9);
    assert_near(ops->min, 100, 0);
    assert_near(ops->max, 300, 0);
    assert_near(ops->ci_lo, 100, 0); /* n = 2: see the bootstrap test */
    assert_near(ops->ci_hi, 300, 0);
    /* pause p99 of X: 2, 3, 4 ms */
    assert_int_equal(x->m[MET_pause_p99_ns].n, 3);
    assert_near(x->m[MET_pause_p99_ns].median, 3e6, 0);
    /* a column runs.csv lacks: no values */
    assert_int_equal(x->m[MET_peak_rss_bytes].n, 0);
    assert_nan(x->m[MET_peak_rss_bytes].median);
    assert_int_equal(y->m[MET_ops_per_s].n, 1);
    assert_near(y->m[MET_ops_per_s].ci_lo, 1000, 0);
    assert_near(y->m[MET_ops_per_s].ci_hi, 1000, 0);

    /* merged pauses of the ok runs: 1, 2, 3, 4 ms (the failed run's 100 ms left out) */
    assert_int_equal(x->npauses, 4);
    assert_near(x->pauses_ns[0], 1e6, 0);
    assert_near(x->pauses_ns[3], 4e6, 0);
    assert_near(x->merged_p50_ns, 2e6, 0);  /* nearest rank: ceil(2) = 2nd */
    assert_near(x->merged_p90_ns, 4e6, 0);  /* ceil(3.6) = 4th */
    assert_near(x->merged_p99_ns, 4e6, 0);
    assert_near(x->merged_max_ns, 4e6, 0);
    assert_int_equal(y->npauses, 0);
    assert_nan(y->merged_p99_ns);

    /* MMU: 1 ms windows meet a whole pause in every run: 0.  10 ms windows
     * are the whole 10 ms run: r0 0.7, r1 0.7, r4 0.6 -> median 0.7.
     * 100 ms is longer than every run: undefined.  Y has no pauses but
     * gc_time_ns 0 (recorded): 1 wherever the run is long enough. */
    assert_near(summary_mmu_window_ns[3], 1e6, 0);
    assert_near(summary_mmu_window_ns[6], 1e7, 0);
    assert_near(summary_mmu_window_ns[9], 1e8, 0);
    assert_near(x->mmu[3], 0, 1e-12);
    assert_near(x->mmu[6], 0.7, 1e-12);
    assert_nan(x->mmu[9]);
    assert_near(y->mmu[3], 1, 0);
    assert_nan(y->mmu[6]); /* Y ran 5 ms */

    /* summary.csv: one row per config, read back */
    if (summary_write_csv(dir, &s, err, sizeof err) != 0)
        fail_msg("summary_write_csv: %s", err);
    char path[600];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    csv_table *t = csv_read(path, NULL, err, sizeof err);
    if (!t)
        fail_msg("csv_read: %s", err);
    assert_int_equal(t->nrows, 2);
    assert_string_equal(csv_get(t, 0, csv_col(t, "config")), "X");
    assert_string_equal(csv_get(t, 0, csv_col(t, "params")), "requests=50");
    assert_string_equal(csv_get(t, 0, csv_col(t, "runs_failed")), "1");
    assert_near(csv_num(t, 0, csv_col(t, "ops_per_s_median")), 200, 0);
    assert_near(csv_num(t, 0, csv_col(t, "ops_per_s_q1")), 150, 1e-9);
    assert_near(csv_num(t, 0, csv_col(t, "pause_merged_p50_ns")), 2e6, 0);
    assert_string_equal(csv_get(t, 1, csv_col(t, "threshold0")), "NA");
    assert_string_equal(csv_get(t, 1, csv_col(t, "pause_merged_max_ns")), "NA");
    assert_string_equal(csv_get(t, 1, csv_col(t, "pauses_merged")), "0");
    for (size_t h = 0; h < metric_nheadline(); h++) {
        static const char *const suffix[] = {"median", "mad", "q1", "q3", "ci_lo", "ci_hi"};
        for (size_t k = 0; k < N(suffix); k++) {
            char name[128];
            snprintf(name, sizeof name, "%s_%s", metric_table[metric_headline(h)].name, suffix[k]);
            if (csv_col(t, name) < 0)
                fail_msg("summary.csv has no column %s", name);
        }
    }
    csv_free(t);

    /* The table names the failure. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    summary_print(f, &s);
    fclose(f);
    assert_non_null(strstr(text, "signal 9, killed"));
    assert_non_null(strstr(text, "Failed runs"));
    free(text);
    summary_free(&s);

    unlink(path);
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/pauses.csv", dir);
    unlink(path);
    /* no runs.csv: an error naming the folder */
    assert_int_equal(summary_load(dir, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "runs.csv"));
    rmdir(dir);
}

static void mmu_windows_are_log_spaced_from_100us_to_10s(void **state)
{
    (void)state;
    assert_near(summary_mmu_window_ns[0], 1e5, 0);
    assert_near(summary_mmu_window_ns[SUMMARY_MMU_WINDOWS - 1], 1e10, 0);
    for (int k = 1; k < SUMMARY_MMU_WINDOWS; k++) /* 1e-5: rounded to whole ns */
        assert_near(summary_mmu_window_ns[k] / summary_mmu_window_ns[k - 1], pow(10, 1.0 / 3.0), 1e-5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(median_of_odd_and_even_counts),
        cmocka_unit_test(mad_is_the_unscaled_median_absolute_deviation),
        cmocka_unit_test(quartiles_interpolate_linearly_type_7),
        cmocka_unit_test(bootstrap_ci_contains_the_median_and_is_deterministic),
        cmocka_unit_test(bootstrap_ci_of_tiny_samples_is_worked_out_exactly),
        cmocka_unit_test(bootstrap_ci_of_a_large_sample_matches_the_order_statistics),
        cmocka_unit_test(ratio_of_medians_and_its_bootstrap_ci),
        cmocka_unit_test(mann_whitney_exact_for_separated_samples),
        cmocka_unit_test(mann_whitney_textbook_example),
        cmocka_unit_test(mann_whitney_exact_matches_enumeration),
        cmocka_unit_test(mann_whitney_normal_approximation_with_ties),
        cmocka_unit_test(summary_load_groups_repeats_and_merges_pauses),
        cmocka_unit_test(mmu_windows_are_log_spaced_from_100us_to_10s),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
