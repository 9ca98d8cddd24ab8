/*
 * tests/test_workload_web.c -- web under every collector, small: one op and
 * one latency per request; the cyclic garbage is proportional to
 * cyclic_fraction, collected where cycles are reclaimed and leaked where
 * they are not (there also pinning the application objects it references),
 * and with cyclic_fraction=0 nothing is garbage under any collector.
 */
#include "workload_test.h"

#include <stdio.h>

#define REQUESTS 300 /* as in the settings */
static const char *const fractions[] = {"cyclic_fraction=0", "cyclic_fraction=0.25", "cyclic_fraction=1"};
#define NF (sizeof fractions / sizeof fractions[0])

/* The cyclic garbage a run made, as far as the collector shows it. */
static long garbage(const char *collector, const run_result *r)
{
    return reclaims_cycles(collector) ? run_collected(r) : (long)r->leaked_containers;
}

static void every_request_counted_and_timed_and_its_cycles_collected_or_leaked(void **state)
{
    (void)state;
    long most_collected[NF] = {0}, least_leaked[NF] = {0};
    int leakers = 0;
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        long g[NF];
        for (size_t f = 0; f < NF; f++) {
            const char *settings[] = {"live_mb=0", "requests=300", "rows=8", fractions[f], NULL};
            run_result r;
            run_workload(collector, "web", settings, &r);
            assert_int_equal(r.ops, REQUESTS);
            assert_int_equal(r.nlatency, REQUESTS);
            uint64_t sum = 0;
            for (size_t i = 0; i < r.nlatency; i++) {
                assert_gt(r.latency_ns[i], 0);
                sum += r.latency_ns[i];
            }
            assert_le(sum, r.wall_ns);
            g[f] = garbage(collector, &r);
            if (f == 0) { /* nothing cyclic: refcounting frees every request */
                assert_int_equal(run_collected(&r), 0);
                assert_int_equal(r.leaks.leaked.objects, 0);
                run_result_free(&r);
                continue;
            }
            if (reclaims_cycles(collector)) {
                if (run_collected(&r) <= 0)
                    fail_msg("%s, %s: nothing collected", collector, fractions[f]);
                assert_int_equal(r.leaks.leaked.objects, 0);
                if (run_collected(&r) > most_collected[f])
                    most_collected[f] = run_collected(&r);
            } else {
                assert_int_equal(run_collected(&r), 0);
                if (r.leaked_containers == 0)
                    fail_msg("%s, %s: nothing leaked", collector, fractions[f]);
                if (!leakers || (long)r.leaked_containers < least_leaked[f])
                    least_leaked[f] = (long)r.leaked_containers;
            }
            run_result_free(&r);
        }
        /* four times the fraction, about four times the garbage (a little
         * less: the garbage also pins long-lived objects, fewer than
         * four times as many, which are freed with it at the end) */
        double ratio = (double)g[2] / (double)g[1];
        if (ratio < 2.8 || ratio > 5.0)
            fail_msg("%s: %ld garbage containers at 0.25, %ld at 1.0 (ratio %.2f)", collector, g[1], g[2],
                     ratio);
        leakers += !reclaims_cycles(collector);
    }
    /* The same requests (same seed) everywhere: what leaks is what the
     * others collect, plus the long-lived objects the leaked requests
     * still reference when the roots are dropped. */
    for (size_t f = 1; f < NF && leakers; f++)
        if (least_leaked[f] < most_collected[f])
            fail_msg("%s: %ld containers leaked, fewer than the %ld collected", fractions[f], least_leaked[f],
                     most_collected[f]);
}

/* Collectors that collect as the run goes find the same garbage; one that
 * waits for the exit collection finds more, for it also counts the
 * long-lived objects only garbage still references once the roots drop. */
static void reclaiming_collectors_collect_the_same_garbage_and_leak_none(void **state)
{
    (void)state;
    const char *settings[] = {"live_mb=0", "requests=100", "rows=6", "cyclic_fraction=0.5",
                              "idle_every=10", NULL};
    long first = -1;
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        if (!reclaims_cycles(collector))
            continue;
        run_result r;
        run_workload(collector, "web", settings, &r);
        assert_int_equal(r.leaked_containers, 0);
        /* Trial deletion collects at other moments and never untracks a
         * tuple or dict of atoms, so it counts more containers. */
        if (!collects_automatically(collector) || from_possible_roots(collector)) {
            assert_gt(run_collected(&r), 0);
            run_result_free(&r);
            continue;
        }
        if (first < 0)
            first = run_collected(&r);
        else if (run_collected(&r) != first)
            fail_msg("%s collected %ld containers, another collector %ld", collector, run_collected(&r),
                     first);
        run_result_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_request_counted_and_timed_and_its_cycles_collected_or_leaked),
        cmocka_unit_test(reclaiming_collectors_collect_the_same_garbage_and_leak_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
