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

#include "collectors/profile.h"
#include "workloads/seed_examples.h"

#include <stdio.h>
#include <string.h>

/* What the articles say gc.collect() returns for each, in table order. */
static const long expected[] = {10, 5, 1, 2};

/* ...and under a profile: 3.10 and earlier keep an instance's attributes in
 * a __dict__ of its own, so `a = C(); a.obj = a` leaves instance + dict. */
static long expected_under(const gen_profile *p, size_t i)
{
    return expected[i] + (seed_examples[i].shape == SEED_INSTANCE && p->instance_dict ? 1 : 0);
}

/* Every example under every profile, as the articles ran it (a fresh
 * interpreter: the start-up heap, counts and free lists the profile
 * measured, no gc.collect() first) and after a gc.collect(): what
 * gc.collect() then returns is the cycles alone, never a collection the
 * start-up counts brought forward (cpython-3.12 starts at 691 of 700).
 * test_profiles spells the numbers out by version (10, 5, 2, 2 up to 3.10;
 * 10, 5, 1, 2 from 3.11). */
static void every_profile_collects_every_seed_cycle(void **state)
{
    (void)state;
    for (size_t pi = 0; pi < gclab_profile_count(); pi++) {
        const gen_profile *p = &gclab__profiles[pi];
        assert_string_equal(p->name, gclab_profile_name(pi));
        char setting[64];
        snprintf(setting, sizeof setting, "profile=%s", p->name);
        const char *settings[] = {setting};
        gclab_config cfg = {.params = settings, .nparams = 1};
        for (int collect_first = 0; collect_first <= 1; collect_first++)
            for (size_t i = 0; i < seed_example_count; i++) {
                const seed_example *e = &seed_examples[i];
                gclab_heap *h = test_heap("generational", &cfg);
                if (collect_first)
                    gclab_collect(h, 2);
                gclab_gen_stats st[3];
                for (int k = 0; k < e->times; k++)
                    seed_make_cycle(h, e->shape);
                gclab_get_stats(h, st, 3);
                long automatic = st[0].collections + st[1].collections + st[2].collections - collect_first;
                long n = gclab_collect(h, 2), want = expected_under(p, i);
                if (n != want || automatic != 0)
                    fail_msg("%s, %s%s: gc.collect() returned %ld, expected %ld (%ld collections before)",
                             p->name, e->python, collect_first ? " after gc.collect()" : "", n, want,
                             automatic);
                gclab_heap_free(h, NULL);
            }
    }
}

static void generational_collects_every_seed_cycle(void **state)
{
    (void)state;
    assert_int_equal(seed_example_count, sizeof expected / sizeof expected[0]);
    for (size_t i = 0; i < seed_example_count; i++) {
        const seed_example *e = &seed_examples[i];
        gclab_heap *h = test_heap("generational", NULL);
        gclab_collect(h, 2);
        size_t before = live_objects(h), before_kind = live_of(h, e->kind);
        for (int k = 0; k < e->times; k++)
            seed_make_cycle(h, e->shape);
        assert_int_equal(live_of(h, e->kind) - before_kind, expected[i]);
        long n = gclab_collect(h, 2);
        if (n != expected[i])
            fail_msg("%s: gc.collect() returned %ld, expected %ld", e->python, n, expected[i]);
        assert_int_equal(live_objects(h), before); /* the atoms they held went too */
        gclab_leak_report r;
        gclab_heap_free(h, &r);
        assert_int_equal(r.leaked.objects, 0);
    }
}

static void refcount_reports_every_seed_cycle_as_leaked(void **state)
{
    (void)state;
    for (size_t i = 0; i < seed_example_count; i++) {
        const seed_example *e = &seed_examples[i];
        gclab_heap *h = test_heap("refcount", NULL);
        for (int k = 0; k < e->times; k++)
            seed_make_cycle(h, e->shape);
        assert_int_equal(gclab_collect(h, 0), 0);
        gclab_leak_report r, again;
        gclab_heap_shutdown(h, &r);
        gclab_heap_free(h, &again); /* the same report */
        assert_int_equal(again.leaked.objects, r.leaked.objects);
        if ((long)r.by_kind[e->kind].objects != expected[i])
            fail_msg("%s: %zu leaked, expected %ld", e->python, r.by_kind[e->kind].objects, expected[i]);
        assert_gt(r.leaked.bytes, 0);
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
    for (int shape = 0; shape < SEED_NSHAPES; shape++)
        seed_make_cycle(h, (seed_shape)shape); /* some allocations to count */
    gclab_get_count(h, c, 3);
    assert_gt(c[0], 0);
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
        cmocka_unit_test(every_profile_collects_every_seed_cycle),
        cmocka_unit_test(refcount_reports_every_seed_cycle_as_leaked),
        cmocka_unit_test(default_thresholds_and_counts_after_a_full_collection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
