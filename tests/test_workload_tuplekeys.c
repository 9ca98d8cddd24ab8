/*
 * tests/test_workload_tuplekeys.c -- tuplekeys under every collector, small:
 * the dict operations are counted as the loop makes them, nothing is
 * garbage or leaked; and under `generational` the tuple keys are untracked
 * by the young collections that first see them, so no collection examines
 * more than about one generation-0's worth -- unlike values=list, whose
 * lists can never be untracked and pile up in the older generations.
 */
#include "workload_test.h"

#include <stdio.h>

/* 3n stores for the borders, then 3 lookups and a store per inner cell per sweep. */
static uint64_t dict_ops(long long n, long long rounds)
{
    return (uint64_t)(3 * n + (rounds + 1) * 4 * (n - 1) * (n - 1));
}

static void ops_are_the_loops_dict_operations_under_every_collector(void **state)
{
    (void)state;
    const char *settings[] = {"keys=10200", "rounds=1", NULL}; /* rounded down to 100 * 100 */
    const char *list_settings[] = {"keys=2500", "rounds=2", "values=list", NULL};
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *collector = gclab_collector_at(c)->name;
        run_result r;
        run_workload(collector, "tuplekeys", settings, &r);
        assert_int_equal(r.ops, dict_ops(100, 1));
        assert_int_equal(run_collected(&r), 0);
        assert_int_equal(r.leaks.leaked.objects, 0);
        assert_int_equal(r.peak_garbage_objects, 0);
        /* every dict operation builds one tuple, every store one int; then
         * the dict, the list of ints 0..99 and the heap's own few */
        const uint64_t stores = 3 * 100 + 2 * 99 * 99, objects = r.ops + stores + 100 + 2;
        if (r.allocations < objects || r.allocations > objects + 8)
            fail_msg("%s: %llu allocations for %llu dict operations", collector,
                     (unsigned long long)r.allocations, (unsigned long long)r.ops);
        run_result_free(&r);

        run_workload(collector, "tuplekeys", list_settings, &r);
        assert_int_equal(r.ops, dict_ops(50, 2));
        assert_int_equal(r.leaks.leaked.objects, 0);
        run_result_free(&r);
    }
}

/* The most objects a young (generation 0 or 1) collection examined.  Full
 * collections are left out: besides the program's objects they examine the
 * default profile's start-up heap (thousands of long-lived objects), which
 * says nothing about whether the tuples were untracked. */
static long max_examined_young(const run_result *r)
{
    long m = 0;
    for (size_t i = 0; i < r->npauses; i++)
        if (r->pauses[i].generation < 2 && r->pauses[i].examined > m)
            m = r->pauses[i].examined;
    return m;
}

static void generational_untracks_the_tuple_keys(void **state)
{
    (void)state;
    if (!gclab_collector_find("generational"))
        skip();
    /* startup=0: the profile's start-up heap waits in generation 1 for the
     * first full collection, so a young collection would examine it too */
    const char *ints[] = {"keys=40000", "rounds=0", "startup=0", NULL};
    const char *lists[] = {"keys=40000", "rounds=0", "values=list", "startup=0", NULL};
    run_result a, b;
    run_workload("generational", "tuplekeys", ints, &a);
    run_workload("generational", "tuplekeys", lists, &b);
    const long t0 = a.thresholds[0];
    /* 40,000 keys kept, each a new tracked tuple: about 40000 / 700 collections */
    assert_ge(a.npauses, (size_t)(40000 / t0) - 1);
    /* each tuple examined once, by the gen-0 collection after it was made;
     * generation 1 holds only the dict and the list of ints */
    if (max_examined_young(&a) > t0 + 10)
        fail_msg("values=int: a collection examined %ld objects; the tuples were not untracked",
                 max_examined_young(&a));
    /* the lists survive into generation 1 and are examined again there */
    assert_ge(b.npauses, (size_t)(40000 / t0) - 1);
    if (max_examined_young(&b) < 3 * t0)
        fail_msg("values=list: no collection examined more than %ld objects", max_examined_young(&b));
    run_result_free(&a);
    run_result_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ops_are_the_loops_dict_operations_under_every_collector),
        cmocka_unit_test(generational_untracks_the_tuple_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
