/*
 * tests/test_seed_examples.c -- the examples from the articles gclab was
 * started from (shared/seeds/), as the articles state them:
 *
 *   d = {}; d[0] = d  (x10)      gc.collect() returns 10
 *   five 5-element lists holding themselves   gc.collect() returns 5
 *   a = MyClass(); a.obj = a     collected
 *   two dicts holding each other collected
 *   gc.get_threshold() == (700, 10, 10); after gc.collect() counts are 0.
 *
 * Under `refcount` the same cycles are never reclaimed: they are reported
 * as leaked when the heap ends.
 */
#include "test.h"

static void dict_self_cycles(gclab_heap *h)
{
    for (int i = 0; i < 10; i++) {
        gclab_object *d = gclab_new_dict(h), *zero = gclab_new_int(h, 0);
        gclab_dict_setitem(h, d, zero, d);
        gclab_decref(h, zero);
        gclab_decref(h, d);
    }
}

static void five_element_self_lists(gclab_heap *h)
{
    for (int i = 0; i < 5; i++) {
        gclab_object *l = gclab_new_list(h);
        for (int j = 0; j < 4; j++) {
            gclab_object *n = gclab_new_int(h, j);
            gclab_list_append(h, l, n);
            gclab_decref(h, n);
        }
        gclab_list_append(h, l, l);
        assert_int_equal(gclab_list_len(l), 5);
        gclab_decref(h, l);
    }
}

static void instance_holding_itself(gclab_heap *h)
{
    gclab_object *a = gclab_new_instance(h, 1);
    gclab_setattr(h, a, 0, a); /* a.obj = a */
    gclab_decref(h, a);        /* del a */
}

static void two_dicts_holding_each_other(gclab_heap *h)
{
    gclab_object *a = gclab_new_dict(h), *b = gclab_new_dict(h);
    gclab_object *ka = gclab_new_str(h, "b", 1), *kb = gclab_new_str(h, "a", 1);
    gclab_dict_setitem(h, a, ka, b);
    gclab_dict_setitem(h, b, kb, a);
    gclab_object *objs[] = {ka, kb, a, b};
    for (int i = 0; i < 4; i++)
        gclab_decref(h, objs[i]);
}

static const struct seed {
    const char *name;
    void (*build)(gclab_heap *);
    long containers; /* what gc.collect() returns */
    gclab_kind kind;
} seeds[] = {
    {"ten dict self-cycles", dict_self_cycles, 10, GCLAB_KIND_DICT},
    {"five 5-element self lists", five_element_self_lists, 5, GCLAB_KIND_LIST},
    {"an instance holding itself", instance_holding_itself, 1, GCLAB_KIND_INSTANCE},
    {"two dicts holding each other", two_dicts_holding_each_other, 2, GCLAB_KIND_DICT},
};

static void generational_collects_every_seed_cycle(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        gclab_heap *h = test_heap("generational", NULL);
        gclab_collect(h, 2);
        size_t before = live_objects(h), before_kind = live_of(h, seeds[i].kind);
        seeds[i].build(h);
        assert_int_equal(live_of(h, seeds[i].kind) - before_kind, seeds[i].containers);
        long n = gclab_collect(h, 2);
        if (n != seeds[i].containers)
            fail_msg("%s: gc.collect() returned %ld, expected %ld", seeds[i].name, n, seeds[i].containers);
        assert_int_equal(live_objects(h), before); /* the atoms they held went too */
        gclab_leak_report r;
        gclab_heap_free(h, &r);
        assert_int_equal(r.leaked.objects, 0);
    }
}

static void refcount_reports_every_seed_cycle_as_leaked(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        gclab_heap *h = test_heap("refcount", NULL);
        seeds[i].build(h);
        assert_int_equal(gclab_collect(h, 0), 0);
        gclab_leak_report r;
        gclab_heap_free(h, &r);
        if ((long)r.by_kind[seeds[i].kind].objects != seeds[i].containers)
            fail_msg("%s: %zu leaked, expected %ld", seeds[i].name, r.by_kind[seeds[i].kind].objects,
                     seeds[i].containers);
        assert_true(r.leaked.bytes > 0);
    }
}

static void default_thresholds_and_counts_after_a_full_collection(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("generational", NULL);
    long t[3], c[3];
    assert_int_equal(gclab_get_threshold(h, t, 3), 3);
    assert_int_equal(t[0], 700);
    assert_int_equal(t[1], 10);
    assert_int_equal(t[2], 10);
    for (int i = 0; i < 3; i++)
        five_element_self_lists(h); /* some allocations to count */
    gclab_get_count(h, c, 3);
    assert_true(c[0] > 0);
    gclab_collect(h, 2);
    assert_int_equal(gclab_get_count(h, c, 3), 3);
    assert_int_equal(c[0], 0);
    assert_int_equal(c[1], 0);
    assert_int_equal(c[2], 0);
    gclab_heap_free(h, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generational_collects_every_seed_cycle),
        cmocka_unit_test(refcount_reports_every_seed_cycle_as_leaked),
        cmocka_unit_test(default_thresholds_and_counts_after_a_full_collection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
