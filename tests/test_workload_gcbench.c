/*
 * tests/test_workload_gcbench.c -- gcbench under every collector, small:
 * the number of trees is GCBench's formula, the allocations are exactly the
 * nodes of those trees plus the array, and since every tree is acyclic
 * nothing is ever collected or leaked, whatever the collector.
 */
#include "workload_test.h"

#include <stdio.h>

static long long tree_size(long long d) { return (1LL << (d + 1)) - 1; }

static void trees_match_the_formula_and_nothing_leaks_under_every_collector(void **state)
{
    (void)state;
    const long long stretch = 12, long_lived = 7, array_size = 3000, min_d = 2, max_d = 12;
    const char *settings[] = {"stretch_depth=12", "long_lived_depth=7", "array_size=3000",
                              "min_depth=2", "max_depth=12", NULL};
    long long trees = 2, nodes = tree_size(stretch) + tree_size(long_lived);
    for (long long d = min_d; d <= max_d; d += 2) {
        long long iters = 2 * tree_size(stretch) / tree_size(d);
        trees += 2 * iters;
        nodes += 2 * iters * tree_size(d);
    }
    /* the array: one list, array_size / 2 distinct ints and the shared 0 */
    const long long objects = nodes + 1 + array_size / 2 + 1;
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        run_result r;
        run_workload(collector, "gcbench", settings, &r);
        if ((long long)r.ops != trees)
            fail_msg("%s: %llu trees, expected %lld", collector, (unsigned long long)r.ops, trees);
        /* allowing for the heap's own objects (the globals dict) */
        if ((long long)r.allocations < objects || (long long)r.allocations > objects + 8)
            fail_msg("%s: %llu allocations, expected %lld objects", collector,
                     (unsigned long long)r.allocations, objects);
        assert_int_equal(run_collected(&r), 0);
        assert_int_equal(r.leaks.leaked.objects, 0);
        assert_int_equal(r.leaked_containers, 0);
        assert_int_equal(r.peak_garbage_objects, 0);
        /* The container count is net of frees, so only a tree of more nodes
         * than threshold0 crosses it while it is built: those of depth 10
         * and 12 (2,047 and 8,191 nodes) do, 20 trees in all.  Trial
         * deletion counts possible roots, not allocations. */
        if (collects_automatically(collector) && !from_possible_roots(collector) && r.npauses <= 20)
            fail_msg("%s: only %zu collections", collector, r.npauses);
        run_result_free(&r);
    }
}

static void min_depth_above_max_depth_is_bad_input(void **state)
{
    (void)state;
    const workload *w = workload_find("gcbench");
    assert_non_null(w);
    assert_non_null(w->prepare);
    const char *const settings[] = {"min_depth=10", "max_depth=8"};
    gclab_value v[16];
    char err[256] = "";
    assert_int_equal(gclab_params_parse(w->params, w->nparams, w->name, settings, 2, v, err, sizeof err), 0);
    void *st = NULL;
    assert_int_equal(w->prepare(v, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "min_depth"));
}

static void default_depths_are_gcbench(void **state)
{
    (void)state;
    const workload *w = workload_find("gcbench");
    gclab_value v[16];
    char err[256];
    assert_int_equal(gclab_params_parse(w->params, w->nparams, w->name, NULL, 0, v, err, sizeof err), 0);
    assert_int_equal(v[0].i, 18);     /* stretch */
    assert_int_equal(v[1].i, 16);     /* long-lived */
    assert_int_equal(v[2].i, 500000); /* array */
    assert_int_equal(v[3].i, 4);
    assert_int_equal(v[4].i, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trees_match_the_formula_and_nothing_leaks_under_every_collector),
        cmocka_unit_test(min_depth_above_max_depth_is_bad_input),
        cmocka_unit_test(default_depths_are_gcbench),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
