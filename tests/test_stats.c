/*
 * tests/test_stats.c -- pause statistics: nearest-rank percentiles, and
 * minimum mutator utilisation, checked by hand on small logs and against a
 * brute force over every window on random ones.
 */
#include "test.h"

#include "harness/stats.h"
#include "runtime/splitmix64.h"

#include <math.h>
#include <stdlib.h>

#define MS 1000000u

/* cmocka 1.1's assert_float_equal compares as float; this one as double. */
#define assert_near(got, want, eps)                                                           \
    do {                                                                                      \
        double got_ = (got), want_ = (want);                                                  \
        if (!(fabs(got_ - want_) <= (eps)))                                                   \
            fail_msg("%s is %.15g, expected %s = %.15g", #got, got_, #want, want_);           \
    } while (0)

/* ---------------------------------------------------------------- percentile */

static void percentiles_of_1_to_1000_are_nearest_ranks(void **state)
{
    (void)state;
    uint64_t v[1000];
    for (size_t i = 0; i < 1000; i++)
        v[i] = i + 1;
    assert_int_equal(stats_percentile(v, 1000, 50), 500);
    assert_int_equal(stats_percentile(v, 1000, 90), 900);
    assert_int_equal(stats_percentile(v, 1000, 99), 990);
    assert_int_equal(stats_percentile(v, 1000, 99.9), 999); /* 99.9/100*1000 rounds above 999 */
    assert_int_equal(stats_percentile(v, 1000, 100), 1000);
    assert_int_equal(stats_percentile(v, 1000, 0.1), 1);
    assert_int_equal(stats_percentile(v, 1000, 0.05), 1);
    assert_int_equal(stats_percentile(v, 1000, 50.05), 501);
}

static void percentiles_of_a_small_array_round_the_rank_up(void **state)
{
    (void)state;
    uint64_t v[] = {10, 20, 30, 40};
    assert_int_equal(stats_percentile(v, 4, 25), 10);
    assert_int_equal(stats_percentile(v, 4, 26), 20);
    assert_int_equal(stats_percentile(v, 4, 50), 20);
    assert_int_equal(stats_percentile(v, 4, 75), 30);
    assert_int_equal(stats_percentile(v, 4, 99.9), 40);
    uint64_t w[] = {1, 2, 3};
    assert_int_equal(stats_percentile(w, 3, 33.3), 1);
    assert_int_equal(stats_percentile(w, 3, 33.4), 2);
    assert_int_equal(stats_percentile(w, 3, 66.7), 3);
}

static void every_percentile_of_one_value_is_that_value(void **state)
{
    (void)state;
    uint64_t v[] = {42};
    assert_int_equal(stats_percentile(v, 1, 0.001), 42);
    assert_int_equal(stats_percentile(v, 1, 50), 42);
    assert_int_equal(stats_percentile(v, 1, 100), 42);
}

static void percentiles_with_duplicates_pick_the_duplicated_value(void **state)
{
    (void)state;
    uint64_t v[] = {1, 5, 5, 5, 5, 5, 5, 5, 9, 9};
    assert_int_equal(stats_percentile(v, 10, 10), 1);
    assert_int_equal(stats_percentile(v, 10, 11), 5);
    assert_int_equal(stats_percentile(v, 10, 50), 5);
    assert_int_equal(stats_percentile(v, 10, 80), 5);
    assert_int_equal(stats_percentile(v, 10, 81), 9);
    assert_int_equal(stats_percentile(v, 10, 100), 9);
    uint64_t same[] = {7, 7, 7, 7};
    assert_int_equal(stats_percentile(same, 4, 1), 7);
    assert_int_equal(stats_percentile(same, 4, 100), 7);
}

/* ---------------------------------------------------------------- MMU by hand */

static void mmu_without_pauses_is_1_for_every_window(void **state)
{
    (void)state;
    assert_near(stats_mmu(NULL, 0, 100 * MS, 1), 1.0, 1e-12);
    assert_near(stats_mmu(NULL, 0, 100 * MS, 10 * MS), 1.0, 1e-12);
    assert_near(stats_mmu(NULL, 0, 100 * MS, 100 * MS), 1.0, 1e-12);
    pause_span none[] = {{50 * MS, 0}}; /* a pause of no length */
    assert_near(stats_mmu(none, 1, 100 * MS, 10 * MS), 1.0, 1e-12);
}

static void mmu_of_one_5ms_pause_in_100ms_follows_the_window(void **state)
{
    (void)state;
    pause_span p[] = {{40 * MS, 5 * MS}};
    assert_near(stats_mmu(p, 1, 100 * MS, 1 * MS), 0.0, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 5 * MS), 0.0, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 10 * MS), 0.5, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 50 * MS), 0.9, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 100 * MS), 0.95, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 200 * MS), -1.0, 0);
}

static void mmu_of_a_zero_window_or_one_wider_than_the_run_is_undefined(void **state)
{
    (void)state;
    pause_span p[] = {{10, 5}};
    assert_near(stats_mmu(p, 1, 100, 0), -1.0, 0);
    assert_near(stats_mmu(p, 1, 100, 101), -1.0, 0);
    assert_near(stats_mmu(NULL, 0, 100, 0), -1.0, 0);
    assert_near(stats_mmu(NULL, 0, 0, 0), -1.0, 0);
    assert_near(stats_mmu(NULL, 0, 0, 1), -1.0, 0);
    assert_near(stats_mmu(p, 1, 100, UINT64_MAX), -1.0, 0);
}

static void mmu_sees_a_pause_at_the_very_start_of_the_run(void **state)
{
    (void)state;
    pause_span p[] = {{0, 5 * MS}};
    assert_near(stats_mmu(p, 1, 100 * MS, 5 * MS), 0.0, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 10 * MS), 0.5, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 20 * MS), 0.75, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 100 * MS), 0.95, 1e-12);
}

static void mmu_sees_a_pause_at_the_very_end_of_the_run(void **state)
{
    (void)state;
    pause_span p[] = {{95 * MS, 5 * MS}};
    assert_near(stats_mmu(p, 1, 100 * MS, 5 * MS), 0.0, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 10 * MS), 0.5, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 20 * MS), 0.75, 1e-12);
    assert_near(stats_mmu(p, 1, 100 * MS, 100 * MS), 0.95, 1e-12);
}

static void mmu_is_0_for_windows_shorter_than_the_longest_pause(void **state)
{
    (void)state;
    pause_span p[] = {{10, 3}, {30, 40}, {80, 2}};
    assert_near(stats_mmu(p, 3, 100, 1), 0.0, 1e-12);
    assert_near(stats_mmu(p, 3, 100, 39), 0.0, 1e-12);
    assert_near(stats_mmu(p, 3, 100, 40), 0.0, 1e-12);
    /* 41: the long pause and one more ns, of either side */
    assert_near(stats_mmu(p, 3, 100, 41), 1.0 / 41, 1e-12);
    /* 60: [10, 70] holds 3 + 40 ns, more than the 40 + 2 of [22, 82] */
    assert_near(stats_mmu(p, 3, 100, 60), 17.0 / 60, 1e-12);
    assert_near(stats_mmu(p, 3, 100, 100), 55.0 / 100, 1e-12);
}

static void mmu_counts_back_to_back_pauses_as_one(void **state)
{
    (void)state;
    pause_span p[] = {{20, 5}, {25, 5}, {30, 5}};
    assert_near(stats_mmu(p, 3, 100, 15), 0.0, 1e-12);
    assert_near(stats_mmu(p, 3, 100, 30), 0.5, 1e-12);
}

static void mmu_ignores_what_a_pause_has_past_the_end_of_the_run(void **state)
{
    (void)state;
    pause_span p[] = {{90, 30}};
    assert_near(stats_mmu(p, 1, 100, 10), 0.0, 1e-12);
    assert_near(stats_mmu(p, 1, 100, 20), 0.5, 1e-12);
    assert_near(stats_mmu(p, 1, 100, 100), 0.9, 1e-12);
    pause_span huge[] = {{50, UINT64_MAX}, {UINT64_MAX, UINT64_MAX}};
    assert_near(stats_mmu(huge, 2, 100, 50), 0.0, 1e-12);
    assert_near(stats_mmu(huge, 2, 100, 100), 0.5, 1e-12);
    pause_span after[] = {{10, 10}, {200, 10}};
    assert_near(stats_mmu(after, 2, 100, 100), 0.9, 1e-12);
}

static void mmu_does_not_overflow_near_the_largest_times(void **state)
{
    (void)state;
    const uint64_t q = (uint64_t)1 << 62; /* a quarter of the range */
    pause_span p[] = {{UINT64_MAX - q, q}};
    assert_near(stats_mmu(p, 1, UINT64_MAX, 2 * q), 0.5, 1e-12);
    assert_near(stats_mmu(p, 1, UINT64_MAX, q), 0.0, 1e-12);
    assert_near(stats_mmu(p, 1, UINT64_MAX, UINT64_MAX), 0.75, 1e-12);
}

static void mmu_is_not_monotone_in_the_window(void **state)
{
    (void)state;
    /* Pauses of 1 ns every 10 ns: a 1 ns window is all pause, a 2 ns window
     * half of one, a 10 ns window holds exactly one, an 11 ns window two. */
    pause_span p[10];
    for (size_t i = 0; i < 10; i++)
        p[i] = (pause_span){10 * i, 1};
    assert_near(stats_mmu(p, 10, 100, 10), 0.9, 1e-12);
    assert_near(stats_mmu(p, 10, 100, 11), 9.0 / 11, 1e-12);
    assert_lt(stats_mmu(p, 10, 100, 11), stats_mmu(p, 10, 100, 10));
}

/* ---------------------------------------------------------------- MMU at random */

static uint64_t below(uint64_t *s, uint64_t n)
{
    return splitmix64(s) % n;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Up to `max` sorted, non-overlapping pauses in [0, total]: the gaps between
 * 2n sorted random points, paired.  Points may coincide, so pauses of no
 * length and pauses that touch both occur.  With `spill`, the last pause may
 * run past total. */
static size_t random_pauses(uint64_t *seed, uint64_t total, pause_span *out, size_t max, int spill)
{
    size_t n = (size_t)below(seed, max + 1);
    uint64_t points[2 * 64];
    assert_le(2 * n, sizeof points / sizeof points[0]);
    for (size_t i = 0; i < 2 * n; i++)
        points[i] = below(seed, total + 1);
    qsort(points, 2 * n, sizeof points[0], compare_u64);
    for (size_t i = 0; i < n; i++)
        out[i] = (pause_span){points[2 * i], points[2 * i + 1] - points[2 * i]};
    if (spill && n > 0)
        out[n - 1].duration_ns += below(seed, total + 1);
    return n;
}

/* Independent of stats.c: the utilisation of the window at every integer
 * start, the overlap with each pause taken directly.  With integer pause
 * bounds the paused time is piecewise linear in the start with integer
 * breakpoints, so its maximum is at an integer start. */
static double brute_mmu(const pause_span *p, size_t n, uint64_t total, uint64_t w)
{
    if (w == 0 || w > total)
        return -1.0;
    double best = 1.0;
    for (uint64_t a = 0; a + w <= total; a++) {
        uint64_t paused = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t s = p[i].start_ns, e = p[i].start_ns + p[i].duration_ns;
            uint64_t lo = s > a ? s : a, hi = e < a + w ? e : a + w;
            if (hi > lo)
                paused += hi - lo;
        }
        double u = (double)(w - paused) / (double)w;
        if (u < best)
            best = u;
    }
    return best;
}

static void mmu_matches_a_brute_force_over_every_window_on_random_logs(void **state)
{
    (void)state;
    pause_span p[64];
    for (uint64_t run = 0; run < 400; run++) {
        uint64_t seed = 0x5eed0000u + run;
        uint64_t total = 1 + below(&seed, run % 4 == 0 ? 40 : 1000);
        int spill = run % 5 == 0;
        size_t n = random_pauses(&seed, total, p, run % 3 == 0 ? 60 : 20, spill);
        uint64_t windows[16];
        size_t nw = 0;
        windows[nw++] = 1;
        windows[nw++] = total;
        windows[nw++] = total + 1; /* undefined */
        if (n > 0) /* a pause's own length, and one more */
            windows[nw++] = p[0].duration_ns, windows[nw++] = p[0].duration_ns + 1;
        while (nw < sizeof windows / sizeof windows[0])
            windows[nw++] = 1 + below(&seed, total);
        for (size_t j = 0; j < nw; j++) {
            double want = brute_mmu(p, n, total, windows[j]);
            double got = stats_mmu(p, n, total, windows[j]);
            if (!(fabs(got - want) <= 1e-9))
                fail_msg("seed %#llx, total %llu, %zu pauses, window %llu: mmu %.12f, brute force %.12f",
                         (unsigned long long)(0x5eed0000u + run), (unsigned long long)total, n,
                         (unsigned long long)windows[j], got, want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percentiles_of_1_to_1000_are_nearest_ranks),
        cmocka_unit_test(percentiles_of_a_small_array_round_the_rank_up),
        cmocka_unit_test(every_percentile_of_one_value_is_that_value),
        cmocka_unit_test(percentiles_with_duplicates_pick_the_duplicated_value),
        cmocka_unit_test(mmu_without_pauses_is_1_for_every_window),
        cmocka_unit_test(mmu_of_one_5ms_pause_in_100ms_follows_the_window),
        cmocka_unit_test(mmu_of_a_zero_window_or_one_wider_than_the_run_is_undefined),
        cmocka_unit_test(mmu_sees_a_pause_at_the_very_start_of_the_run),
        cmocka_unit_test(mmu_sees_a_pause_at_the_very_end_of_the_run),
        cmocka_unit_test(mmu_is_0_for_windows_shorter_than_the_longest_pause),
        cmocka_unit_test(mmu_counts_back_to_back_pauses_as_one),
        cmocka_unit_test(mmu_ignores_what_a_pause_has_past_the_end_of_the_run),
        cmocka_unit_test(mmu_does_not_overflow_near_the_largest_times),
        cmocka_unit_test(mmu_is_not_monotone_in_the_window),
        cmocka_unit_test(mmu_matches_a_brute_force_over_every_window_on_random_logs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
