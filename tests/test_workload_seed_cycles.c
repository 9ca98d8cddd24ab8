/*
 * tests/test_workload_seed_cycles.c -- seed-cycles under every collector:
 * N cycles are N containers collected where cycles are reclaimed, and N
 * containers leaked where they are not.
 */
#include "workload_test.h"

#include <stdio.h>

static void every_cycle_is_collected_or_leaked_under_every_collector(void **state)
{
    (void)state;
    static const char *const kinds[] = {"dict", "list", "instance", "dict-pair"};
    static const long containers_per_cycle[] = {1, 1, 1, 2};
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        for (int k = 0; k < 4; k++) {
            char kind[32];
            snprintf(kind, sizeof kind, "kind=%s", kinds[k]);
            const char *settings[] = {"count=5000", kind, NULL};
            run_result r;
            run_workload(collector, "seed-cycles", settings, &r);
            long containers = 5000 * containers_per_cycle[k];
            assert_int_equal(r.ops, 5000);
            if (reclaims_cycles(collector)) {
                if (run_collected(&r) != containers)
                    fail_msg("%s, %s: collected %ld, expected %ld", collector, kinds[k], run_collected(&r),
                             containers);
                assert_int_equal(r.leaked_containers, 0);
                assert_gt(r.npauses, 0);
            } else {
                assert_int_equal(run_collected(&r), 0);
                if ((long)r.leaked_containers != containers)
                    fail_msg("%s, %s: leaked %zu containers, expected %ld", collector, kinds[k],
                             r.leaked_containers, containers);
                assert_int_equal(r.peak_garbage_objects, containers);
            }
            run_result_free(&r);
        }
    }
}

static void collect_every_k_calls_gc_collect_count_over_k_times(void **state)
{
    (void)state;
    const char *settings[] = {"count=1000", "collect_every=100", NULL};
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        run_result r;
        run_workload(gclab_collector_at(c)->name, "seed-cycles", settings, &r);
        size_t manual = 0;
        for (size_t i = 0; i < r.npauses; i++)
            manual += r.pauses[i].reason == GCLAB_REASON_MANUAL;
        assert_int_equal(manual, 10);
        run_result_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_cycle_is_collected_or_leaked_under_every_collector),
        cmocka_unit_test(collect_every_k_calls_gc_collect_count_over_k_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
