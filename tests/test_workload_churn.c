/*
 * tests/test_workload_churn.c -- churn under every collector, small: one op
 * per structure; every cyclic structure that leaves the ring buffer is
 * garbage -- exactly (cycles - ring) * cycle_size containers at
 * cyclic_fraction=1, collected or leaked, for chains and trees alike --
 * and the acyclic ones are freed by refcounting; under `generational` the
 * peak outstanding garbage is at least one structure, stays within what
 * the young generations hold while the live set is small, and grows past
 * generation 0 once the live set outlives it.
 */
#include "workload_test.h"

#include <stdio.h>

#define CYCLES 2000
#define SIZE 10
#define LIVE 200 /* objects: a ring of 20 structures */

static long garbage(const char *collector, const run_result *r)
{
    return reclaims_cycles(collector) ? run_collected(r) : (long)r->leaked_containers;
}

static void every_replaced_structure_is_garbage_under_every_collector(void **state)
{
    (void)state;
    static const char *const shapes[] = {"shape=chain", "shape=btree"};
    const long expected = (CYCLES - LIVE / SIZE) * SIZE;
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        for (int s = 0; s < 2; s++) {
            const char *settings[] = {"cycles=2000", "cycle_size=10", "live_objects=200", shapes[s], NULL};
            run_result r;
            run_workload(collector, "churn", settings, &r);
            assert_int_equal(r.ops, CYCLES);
            if (garbage(collector, &r) != expected)
                fail_msg("%s, %s: %ld garbage containers, expected %ld", collector, shapes[s],
                         garbage(collector, &r), expected);
            if (reclaims_cycles(collector)) {
                assert_int_equal(r.leaks.leaked.objects, 0);
            } else {
                assert_int_equal(run_collected(&r), 0);
                assert_int_equal(r.peak_garbage_objects, expected);
            }
            run_result_free(&r);
        }
    }
}

static void cyclic_fraction_and_extra_bytes(void **state)
{
    (void)state;
    const char *acyclic[] = {"cycles=1000", "cycle_size=7", "live_objects=70", "cyclic_fraction=0", NULL};
    const char *half[] = {"cycles=2000", "cycle_size=10", "live_objects=200", "cyclic_fraction=0.5",
                          "shape=btree", NULL};
    const char *payload[] = {"cycles=500", "cycle_size=4", "live_objects=40", "extra_bytes=1000", NULL};
    long first = -1;
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        run_result r;
        run_workload(collector, "churn", acyclic, &r);
        assert_int_equal(r.ops, 1000);
        assert_int_equal(run_collected(&r), 0);
        assert_int_equal(r.leaks.leaked.objects, 0);
        run_result_free(&r);

        run_workload(collector, "churn", half, &r);
        long g = garbage(collector, &r);
        assert_int_equal(g % SIZE, 0);
        if (g < 0.4 * (CYCLES - 20) * SIZE || g > 0.6 * (CYCLES - 20) * SIZE)
            fail_msg("%s: %ld garbage containers at cyclic_fraction=0.5", collector, g);
        if (first < 0)
            first = g;
        else
            assert_int_equal(g, first); /* the same seed, the same structures */
        run_result_free(&r);

        run_workload(collector, "churn", payload, &r);
        if (!reclaims_cycles(collector)) { /* every node of a leaked ring holds its bytes */
            assert_int_equal(r.leaks.by_kind[GCLAB_KIND_BYTES].objects, (500 - 10) * 4);
            assert_ge(r.leaks.by_kind[GCLAB_KIND_BYTES].bytes, (500 - 10) * 4 * 1000);
        } else {
            assert_int_equal(r.leaks.leaked.objects, 0);
        }
        run_result_free(&r);
    }
}

static void generational_peak_garbage(void **state)
{
    (void)state;
    if (!gclab_collector_find("generational"))
        skip();
    const char *small[] = {"cycles=2000", "cycle_size=10", "live_objects=200", NULL};
    const char *large[] = {"cycles=2000", "cycle_size=10", "live_objects=5000", NULL};
    run_result a, b;
    run_workload("generational", "churn", small, &a);
    run_workload("generational", "churn", large, &b);
    const long t0 = a.thresholds[0], t1 = a.thresholds[1];
    /* a collection finds whole structures, at least one */
    assert_ge(a.peak_garbage_objects, SIZE);
    /* live set (200) < threshold0: garbage dies young, and what one
     * collection finds is bounded by what it examines: generation 0
     * (threshold0 + 1) and, for a gen-1 collection, what the threshold1 + 1
     * young collections since the last one promoted -- each at most the
     * live set and the structure being built */
    if (a.peak_garbage_objects > t0 + 1 + (t1 + 1) * (LIVE + SIZE))
        fail_msg("live_objects=200: peak garbage %ld", a.peak_garbage_objects);
    /* live set (5000) > threshold0: every structure is promoted before it
     * is dropped, and the garbage waits in the older generations */
    if (b.peak_garbage_objects <= t0 || b.peak_garbage_objects <= a.peak_garbage_objects)
        fail_msg("live_objects=5000: peak garbage %ld, at 200: %ld", b.peak_garbage_objects,
                 a.peak_garbage_objects);
    run_result_free(&a);
    run_result_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_replaced_structure_is_garbage_under_every_collector),
        cmocka_unit_test(cyclic_fraction_and_extra_bytes),
        cmocka_unit_test(generational_peak_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
