/*
 * tests/test_workload_cache.c -- cache under every collector, small: one op
 * per cache operation; the cache stays at its capacity (the workload
 * checks its list and dict at the end and fails the run otherwise, and the
 * allocations are exactly the fill plus four objects per eviction); every
 * eviction leaves one node <-> record cycle, collected where cycles are
 * reclaimed and leaked -- with its payload and key -- where they are not,
 * the same number under every collector; and under `generational` the
 * evicted entries, promoted long before they die, wait for full
 * collections that walk the whole cache.
 */
#include "workload_test.h"

#include <stdio.h>

#define CAPACITY 500
#define OPS 10000
#define VALUE_BYTES 100
static const char *const settings[] = {"capacity=500", "ops=10000", "churn=0.2", "value_bytes=100", NULL};

static void evictions_are_cyclic_garbage_under_every_collector(void **state)
{
    (void)state;
    long evictions = -1;
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        run_result r;
        run_workload(collector, "cache", settings, &r);
        assert_int_equal(r.ops, OPS);
        long g = reclaims_cycles(collector) ? run_collected(&r) : (long)r.leaked_containers;
        assert_int_equal(g % 2, 0); /* a node and its record */
        if (evictions < 0)
            evictions = g / 2;
        else if (g / 2 != evictions)
            fail_msg("%s: %ld evictions' garbage, %ld under another collector", collector, g / 2, evictions);
        /* churn=0.2 of 10,000 operations: 2,000 +- 40 */
        if (evictions < 1800 || evictions > 2200)
            fail_msg("%s: %ld evictions for 10000 operations at churn 0.2", collector, evictions);
        /* the fill (key, node, record, payload per entry, and the root),
         * four more per eviction, and the heap's and the globals' own few */
        const uint64_t expected = 4 * CAPACITY + 1 + 4 * (uint64_t)evictions;
        if (r.allocations < expected || r.allocations > expected + 8)
            fail_msg("%s: %llu allocations, expected %llu", collector, (unsigned long long)r.allocations,
                     (unsigned long long)expected);
        if (reclaims_cycles(collector)) {
            assert_int_equal(r.leaks.leaked.objects, 0); /* the live entries were cleared */
        } else {
            assert_int_equal(run_collected(&r), 0);
            assert_int_equal(r.leaks.by_kind[GCLAB_KIND_INSTANCE].objects, 2 * evictions);
            assert_int_equal(r.leaks.by_kind[GCLAB_KIND_BYTES].objects, evictions);
            assert_int_equal(r.leaks.by_kind[GCLAB_KIND_INT].objects, evictions);
            assert_ge(r.leaks.by_kind[GCLAB_KIND_BYTES].bytes, (size_t)evictions * VALUE_BYTES);
            assert_int_equal(r.leaks.leaked.objects, 4 * evictions);
        }
        run_result_free(&r);
    }
}

static void no_churn_no_garbage(void **state)
{
    (void)state;
    const char *hits_only[] = {"capacity=300", "ops=5000", "churn=0", NULL};
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        run_result r;
        run_workload(gclab_collector_at(c)->name, "cache", hits_only, &r);
        assert_int_equal(r.ops, 5000);
        assert_int_equal(run_collected(&r), 0);
        assert_int_equal(r.leaks.leaked.objects, 0);
        /* hits allocate nothing: the fill is all */
        assert_true(r.allocations >= 4 * 300 + 1 && r.allocations <= 4 * 300 + 1 + 8);
        run_result_free(&r);
    }
}

/* run_workload with thresholds (gc.set_threshold), so that a small cache
 * sees full collections. */
static void run_with_thresholds(const char *collector, const char *const *settings_, const long *t, int n,
                                run_result *res)
{
    run_config cfg = {.seed = 1, .record = 1, .sample_ms = 0, .nthresholds = n};
    for (int i = 0; i < n; i++)
        cfg.thresholds[i] = t[i];
    cfg.collector = gclab_collector_find(collector);
    cfg.workload = workload_find("cache");
    size_t ns = 0;
    while (settings_[ns])
        ns++;
    char err[512];
    if (!cfg.collector || !cfg.workload ||
        gclab_params_parse(cfg.workload->params, cfg.workload->nparams, "cache", settings_, ns, cfg.wparams,
                           err, sizeof err) != 0 ||
        run_once(&cfg, res, err, sizeof err) != 0)
        fail_msg("cache under %s: %s", collector, err);
}

static void generational_frees_evictions_in_full_collections_over_the_cache(void **state)
{
    (void)state;
    if (!gclab_collector_find("generational"))
        skip();
    /* thresholds 100, 4, 4: full collections come often enough for a
     * small run to see some (when the 25% rule lets them) */
    const char *settings_[] = {"capacity=500", "ops=20000", "churn=0.2", NULL};
    const long t[3] = {100, 4, 4};
    run_result r;
    run_with_thresholds("generational", settings_, t, 3, &r);
    long full_collected = 0, young_collected = 0, full_walks = 0;
    for (size_t i = 0; i < r.npauses; i++) {
        const pause_event *e = &r.pauses[i];
        if (e->reason != GCLAB_REASON_THRESHOLD)
            continue;
        if (e->generation == 2) {
            full_collected += e->collected;
            full_walks += e->examined >= 2 * CAPACITY; /* every live node and record */
        } else {
            young_collected += e->collected;
        }
    }
    /* the evicted entries were promoted long before they died: full
     * collections, each walking the whole cache, find most of them */
    if (full_walks == 0 || full_collected <= young_collected)
        fail_msg("%ld full collections over the cache collected %ld, young ones %ld", full_walks,
                 full_collected, young_collected);
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(evictions_are_cyclic_garbage_under_every_collector),
        cmocka_unit_test(no_churn_no_garbage),
        cmocka_unit_test(generational_frees_evictions_in_full_collections_over_the_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
