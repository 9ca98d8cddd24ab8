/*
 * tests/test_workload_traversal.c -- traversal under every collector, small.
 *
 * gc_traversal: every gc.collect() over the live nested lists frees
 * nothing, there are exactly `collections` of them, and a collector that
 * reclaims cycles looks at every list to prove it.  gc_collect: each
 * gc.collect() finds rings * ring_size nodes of cyclic garbage where cycles
 * are reclaimed; under the others every node leaks.
 */
#include "workload_test.h"

#include <stdio.h>

static size_t manual_collections(const run_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->npauses; i++)
        n += r->pauses[i].reason == GCLAB_REASON_MANUAL;
    return n;
}

static void gc_traversal_collections_free_nothing_under_every_collector(void **state)
{
    (void)state;
    const char *settings[] = {"mode=gc_traversal", "levels=150", "collections=25", NULL};
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        run_result r;
        run_workload(collector, "traversal", settings, &r);
        assert_int_equal(r.ops, 25);
        assert_int_equal(manual_collections(&r), 25);
        assert_int_equal(run_collected(&r), 0);
        assert_int_equal(r.leaks.leaked.objects, 0);
        assert_int_equal(r.peak_garbage_objects, 0);
        /* 150 lists, 1 + 2 + ... + 149 slots: 150 lists plus the frame's first empty one */
        if (r.allocations < 151 || r.allocations > 151 + 8)
            fail_msg("%s: %llu allocations, expected 151 lists", collector, (unsigned long long)r.allocations);
        for (size_t i = 0; i < r.npauses; i++) {
            const pause_event *p = &r.pauses[i];
            assert_int_equal(p->collected + p->uncollectable, 0);
            if (p->reason == GCLAB_REASON_MANUAL && reclaims_cycles(collector) && !from_possible_roots(collector) &&
                p->examined < 150)
                fail_msg("%s: gc.collect() examined %ld objects, but 150 lists are live", collector,
                         p->examined);
        }
        run_result_free(&r);
    }
}

static void gc_collect_finds_every_ring_or_leaks_it_under_every_collector(void **state)
{
    (void)state;
    const long iterations = 12, per_iteration = 100 * 21;
    const char *settings[] = {"mode=gc_collect", "iterations=12", NULL}; /* 100 rings of 21: the defaults */
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        run_result r;
        run_workload(collector, "traversal", settings, &r);
        assert_int_equal(r.ops, iterations);
        assert_int_equal(manual_collections(&r), iterations);
        if (reclaims_cycles(collector)) {
            assert_int_equal(run_collected(&r), iterations * per_iteration);
            for (size_t i = 0; i < r.npauses; i++) {
                const pause_event *p = &r.pauses[i];
                long expected = p->reason == GCLAB_REASON_MANUAL ? per_iteration : 0;
                if (p->collected != expected)
                    fail_msg("%s: a %s collection collected %ld, expected %ld", collector,
                             gclab_reason_name(p->reason), p->collected, expected);
            }
            assert_int_equal(r.leaks.leaked.objects, 0);
            assert_int_equal(r.peak_garbage_objects, per_iteration);
        } else {
            assert_int_equal(run_collected(&r), 0);
            assert_int_equal(r.leaks.by_kind[GCLAB_KIND_INSTANCE].objects, iterations * per_iteration);
            assert_int_equal(r.leaked_containers, iterations * per_iteration); /* the lists were freed */
            assert_int_equal(r.leaks.leaked.objects, iterations * per_iteration);
        }
        run_result_free(&r);
    }
}

static void a_ring_of_one_is_a_self_cycle(void **state)
{
    (void)state;
    const char *settings[] = {"mode=gc_collect", "iterations=3", "rings=7", "ring_size=1", NULL};
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        run_result r;
        run_workload(collector, "traversal", settings, &r);
        assert_int_equal(r.ops, 3);
        if (reclaims_cycles(collector))
            assert_int_equal(run_collected(&r), 21);
        else
            assert_int_equal(r.leaked_containers, 21);
        run_result_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gc_traversal_collections_free_nothing_under_every_collector),
        cmocka_unit_test(gc_collect_finds_every_ring_or_leaks_it_under_every_collector),
        cmocka_unit_test(a_ring_of_one_is_a_self_cycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
