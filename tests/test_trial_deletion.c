/*
 * tests/test_trial_deletion.c -- the trial-deletion collector against PHP's
 * rules (shared/reference/other-collectors.md, sections 3 and 4.3), through
 * the public API only.  Each expected figure is derived here from the rules:
 * PHP's manual gc_status() example, the first run at the 10,001st root, the
 * adaptive and fixed thresholds, explicit collections never adjusting, one
 * root per object, a freed root leaving the buffer, freed slots reused
 * instead of a run, black roots dropped, collection disabled, destructors
 * (one call, two runs) and resurrection.
 */
#include "test.h"

#include <string.h>

static long long fig(gclab_heap *h, const char *name)
{
    const char *names[16];
    long long values[16];
    int n = gclab_collector_figures(h, names, values, 16);
    for (int i = 0; i < n && i < 16; i++)
        if (!strcmp(names[i], name))
            return values[i];
    fail_msg("no figure %s", name);
    return -1;
}

static gclab_heap *td_heap(const char *policy)
{
    const char *settings[] = {policy};
    gclab_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.params = settings;
    cfg.nparams = policy ? 1 : 0;
    return test_heap("trial-deletion", &cfg);
}

static long threshold(gclab_heap *h)
{
    long t[3];
    assert_int_equal(gclab_get_threshold(h, t, 3), 1);
    assert_int_equal(t[0], fig(h, "threshold"));
    return t[0];
}

/* One possible root that stays live: a new list held by `holder` and by the
 * caller, whose reference is then dropped (rc 2 -> 1). */
static void live_root(gclab_heap *h, gclab_object *holder)
{
    gclab_object *x = gclab_new_list(h);
    gclab_list_append(h, holder, x);
    gclab_decref(h, x);
}

/* Two possible roots that are garbage: a <-> b, both dropped. */
static void garbage_pair(gclab_heap *h)
{
    gclab_object *a = gclab_new_list(h), *b = gclab_new_list(h);
    gclab_list_append(h, a, b);
    gclab_list_append(h, b, a);
    gclab_decref(h, a);
    gclab_decref(h, b);
}

/* A safe point: a container allocation runs a run that is due. */
static void safe_point(gclab_heap *h) { gclab_decref(h, gclab_new_list(h)); }

/* PHP's manual, gc_status():
 *   $a = new stdClass(); $a->b = [];
 *   for ($i = 0; $i < 100000; $i++) { $b = new stdClass(); $b->a = $a; $a->b[] = $b; }
 *   unset($a); unset($b); gc_collect_cycles();
 * => runs 5, collected 100002, threshold 50001, buffer_size 131072, roots 0.
 * $a and $b are the C variables: each holds one reference, as the PHP
 * variables do.  Derivation (section 4.3, oracle 1): 99,999 overwrites of $b
 * are roots; runs at roots 10,001, 30,001 and 60,001 free nothing and raise
 * the threshold to 40,001 (the buffer doubles at 20,001 and 40,001);
 * unset($a) is root 40,000 and unset($b) finds the buffer full: run 4 holds
 * $b, frees nothing, threshold 50,001; the explicit run frees 100,000 + $a +
 * the array, whose 100,002 entries grow the buffer to 131,072. */
static void php_manual_gc_status_example(void **state)
{
    (void)state;
    gclab_heap *h = td_heap(NULL);
    gclab_object *a = gclab_new_instance(h, 1);
    gclab_object *arr = gclab_new_list(h);
    gclab_setattr(h, a, 0, arr);
    gclab_decref(h, arr); /* $a->b holds it */
    gclab_object *b = NULL;
    for (int i = 0; i < 100000; i++) {
        gclab_object *nb = gclab_new_instance(h, 1); /* new stdClass() */
        gclab_xdecref(h, b);                         /* $b = ...: the old one is released */
        b = nb;
        gclab_setattr(h, b, 0, a);    /* $b->a = $a */
        gclab_list_append(h, arr, b); /* $a->b[] = $b */
    }
    assert_int_equal(fig(h, "runs"), 3);
    assert_int_equal(threshold(h), 40001);
    gclab_decref(h, a); /* unset($a) */
    gclab_decref(h, b); /* unset($b) */
    long n = gclab_collect(h, 0);
    assert_int_equal(n, 100002);
    assert_int_equal(fig(h, "runs"), 5);
    assert_int_equal(fig(h, "collected"), 100002);
    assert_int_equal(threshold(h), 50001);
    assert_int_equal(fig(h, "buffer_size"), 131072);
    assert_int_equal(fig(h, "roots"), 0);
    assert_int_equal(fig(h, "destructor_time_ns"), 0);
    assert_int_equal(live_of(h, GCLAB_KIND_INSTANCE) + live_of(h, GCLAB_KIND_LIST), 0);
    gclab_gen_stats st;
    assert_int_equal(gclab_get_stats(h, &st, 1), 1);
    assert_int_equal(st.collected, 100002);
    gclab_heap_free(h, NULL);
}

/* Oracle 2, and 3 for an unproductive run: roots climb 1..10000 without a
 * run; the 10,001st is due a run, which frees nothing: adaptive raises the
 * threshold by 10,000, fixed keeps it.  Black roots leave the buffer, and
 * the root that found it full is then buffered (oracle 6). */
static void first_run_at_root_10001(const char *policy, long after)
{
    gclab_heap *h = td_heap(policy);
    gclab_object *holder = gclab_new_list(h);
    for (long i = 1; i <= 10000; i++) {
        live_root(h, holder);
        if (i % 2500 == 0)
            assert_int_equal(fig(h, "roots"), i);
    }
    assert_int_equal(fig(h, "runs"), 0);
    live_root(h, holder); /* the 10,001st */
    safe_point(h);
    assert_int_equal(fig(h, "runs"), 1);
    assert_int_equal(fig(h, "collected"), 0);
    assert_int_equal(fig(h, "roots"), 1);
    assert_int_equal(threshold(h), after);
    gclab_decref(h, holder);
    gclab_heap_free(h, NULL);
}

static void adaptive_raises_after_an_unproductive_run(void **state)
{
    (void)state;
    first_run_at_root_10001(NULL, 20001);
    first_run_at_root_10001("policy=adaptive", 20001);
}

static void fixed_keeps_the_threshold(void **state)
{
    (void)state;
    first_run_at_root_10001("policy=fixed", 10001);
}

/* Oracle 3, the other way: a buffer-full run that frees >= 100 lowers the
 * threshold by 10,000, never below 10,001; under fixed nothing moves. */
static void productive_runs_lower_it_to_the_default(void **state)
{
    (void)state;
    gclab_heap *h = td_heap(NULL);
    gclab_object *holder = gclab_new_list(h);
    for (int i = 0; i < 10001; i++) /* run 1: nothing freed, 20001 */
        live_root(h, holder);
    safe_point(h);
    assert_int_equal(threshold(h), 20001);
    /* 1 root left; 10,000 pairs of garbage roots fill the 20,000 slots */
    for (int i = 0; i < 10000; i++)
        garbage_pair(h);
    assert_int_equal(fig(h, "runs"), 1);
    safe_point(h);
    assert_int_equal(fig(h, "runs"), 2);
    /* every pair: at a safe point the root that found the buffer full is
     * not held (docs/collectors.md, what differs from PHP) */
    assert_int_equal(fig(h, "collected"), 20000);
    assert_int_equal(fig(h, "roots"), 0);
    assert_int_equal(threshold(h), 10001);
    for (int i = 0; i < 5001; i++) /* the 10,001st root finds the buffer full */
        garbage_pair(h);
    safe_point(h);
    assert_int_equal(fig(h, "runs"), 3);
    assert_int_equal(fig(h, "collected"), 30002);
    assert_int_equal(threshold(h), 10001); /* never below the default */
    gclab_decref(h, holder);
    gclab_heap_free(h, NULL);
}

/* Oracle 4: explicit collections never adjust the threshold, whether they
 * free nothing or more than 100. */
static void explicit_collections_never_adjust(void **state)
{
    (void)state;
    gclab_heap *h = td_heap(NULL);
    gclab_object *holder = gclab_new_list(h);
    for (int i = 0; i < 50; i++)
        live_root(h, holder);
    assert_int_equal(gclab_collect(h, 0), 0);
    assert_int_equal(fig(h, "runs"), 1);
    assert_int_equal(threshold(h), 10001);
    for (int i = 0; i < 10001; i++) /* a buffer-full run: 20001 */
        live_root(h, holder);
    safe_point(h);
    assert_int_equal(threshold(h), 20001);
    for (int i = 0; i < 500; i++)
        garbage_pair(h);
    assert_int_equal(gclab_collect(h, 0), 1000);
    assert_int_equal(threshold(h), 20001);
    gclab_decref(h, holder);
    gclab_heap_free(h, NULL);
}

/* Oracle 5: decrementing the same live object twice adds one root; a
 * buffered object freed by refcount leaves the buffer.  Oracle 6: after a
 * run that frees nothing, roots == 0. */
static void one_root_per_object_and_freed_roots_leave(void **state)
{
    (void)state;
    gclab_heap *h = td_heap(NULL);
    gclab_object *x = gclab_new_list(h);
    gclab_incref(x);
    gclab_incref(x);
    gclab_decref(h, x);
    gclab_decref(h, x);
    assert_int_equal(fig(h, "roots"), 1);
    gclab_decref(h, x); /* freed by refcount */
    assert_int_equal(fig(h, "roots"), 0);
    gclab_object *holder = gclab_new_list(h);
    for (int i = 0; i < 10; i++)
        live_root(h, holder);
    assert_int_equal(fig(h, "roots"), 10);
    assert_int_equal(gclab_collect(h, 0), 0);
    assert_int_equal(fig(h, "roots"), 0);
    gclab_decref(h, holder);
    gclab_heap_free(h, NULL);
}

/* A buffer whose 10,000 slots were all freed by refcounting is not full:
 * the next 10,000 roots reuse the freed slots (PHP's unused list, after
 * gc_remove_from_buffer) and no run starts; one more is due a run. */
static void freed_slots_are_reused_before_a_run(void **state)
{
    (void)state;
    gclab_heap *h = td_heap(NULL);
    gclab_object *holder = gclab_new_list(h);
    for (int i = 0; i < 10000; i++)
        live_root(h, holder);
    assert_int_equal(fig(h, "roots"), 10000);
    gclab_list_clear(h, holder); /* every root freed by refcount */
    assert_int_equal(fig(h, "roots"), 0);
    for (int i = 0; i < 10000; i++)
        live_root(h, holder);
    safe_point(h);
    assert_int_equal(fig(h, "runs"), 0);
    assert_int_equal(fig(h, "roots"), 10000);
    assert_int_equal(fig(h, "buffer_size"), 16384);
    live_root(h, holder);
    safe_point(h);
    assert_int_equal(fig(h, "runs"), 1);
    gclab_decref(h, holder);
    gclab_heap_free(h, NULL);
}

/* Oracle 7: with collection disabled, roots accumulate past the threshold,
 * the buffer grows and runs stays 0; gclab_collect still works. */
static void disabled_roots_accumulate(void **state)
{
    (void)state;
    gclab_heap *h = td_heap(NULL);
    gclab_disable(h);
    for (int i = 0; i < 15000; i++)
        garbage_pair(h);
    safe_point(h);
    assert_int_equal(fig(h, "runs"), 0);
    assert_int_equal(fig(h, "roots"), 30000);
    assert_int_equal(gclab_collect(h, 0), 30000);
    assert_int_equal(fig(h, "runs"), 1);
    assert_int_equal(fig(h, "buffer_size"), 32768); /* 16K doubled: the 30,000 roots */
    assert_int_equal(live_of(h, GCLAB_KIND_INSTANCE) + live_of(h, GCLAB_KIND_LIST), 0);
    gclab_heap_free(h, NULL);
}

static int calls;
static gclab_object *saved;
static void count_dtor(gclab_heap *h, gclab_object *self, void *ctx)
{
    (void)h, (void)self, (void)ctx;
    calls++;
}
static void resurrect_dtor(gclab_heap *h, gclab_object *self, void *ctx)
{
    (void)h;
    calls++;
    gclab_list_append(h, (gclab_object *)ctx, self); /* $GLOBALS['x'] = $this */
}

static uint64_t fake_ns;
static uint64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_ns += 10;
}

/* Oracle 8: a two-object cycle whose objects have destructors: one
 * collection returns 2, calls each once, and counts two runs. */
static void destructor_cycle_freed_in_one_collection(void **state)
{
    (void)state;
    gclab_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.clock_ns = fake_clock;
    gclab_heap *h = test_heap("trial-deletion", &cfg);
    calls = 0;
    gclab_object *a = gclab_new_instance(h, 1), *b = gclab_new_instance(h, 1);
    gclab_instance_set_finalizer(h, a, count_dtor, NULL, GCLAB_FINALIZER_PEP442);
    gclab_instance_set_finalizer(h, b, count_dtor, NULL, GCLAB_FINALIZER_PEP442);
    gclab_setattr(h, a, 0, b);
    gclab_setattr(h, b, 0, a);
    gclab_decref(h, a);
    gclab_decref(h, b);
    assert_int_equal(gclab_collect(h, 0), 2);
    assert_int_equal(calls, 2);
    assert_int_equal(fig(h, "runs"), 2);
    assert_int_equal(fig(h, "collected"), 2);
    assert_gt(fig(h, "destructor_time_ns"), 0);
    assert_int_equal(live_of(h, GCLAB_KIND_INSTANCE) + live_of(h, GCLAB_KIND_LIST), 0);
    gclab_heap_free(h, NULL);
}

/* Oracle 9: a destructor that stores $this: the object (and what it
 * reaches) survives, is not counted, and its destructor is not called again
 * when it becomes garbage a second time. */
static void resurrected_object_survives(void **state)
{
    (void)state;
    gclab_heap *h = td_heap(NULL);
    calls = 0;
    gclab_object *global = gclab_new_list(h);
    gclab_object *a = gclab_new_instance(h, 1), *b = gclab_new_instance(h, 1);
    gclab_instance_set_finalizer(h, a, resurrect_dtor, global, GCLAB_FINALIZER_PEP442);
    gclab_setattr(h, a, 0, b);
    gclab_setattr(h, b, 0, a);
    gclab_decref(h, a);
    gclab_decref(h, b);
    assert_int_equal(gclab_collect(h, 0), 0);
    assert_int_equal(calls, 1);
    assert_int_equal(fig(h, "runs"), 2);
    assert_int_equal(fig(h, "collected"), 0);
    assert_int_equal(gclab_list_len(global), 1);
    gclab_list_clear(h, global); /* garbage again */
    assert_int_equal(gclab_collect(h, 0), 2);
    assert_int_equal(calls, 1);
    assert_int_equal(fig(h, "collected"), 2);
    gclab_decref(h, global);
    assert_int_equal(live_of(h, GCLAB_KIND_INSTANCE) + live_of(h, GCLAB_KIND_LIST), 0);
    (void)saved;
    gclab_heap_free(h, NULL);
}

static void bad_policy_is_rejected(void **state)
{
    (void)state;
    const char *settings[] = {"policy=lifo"};
    gclab_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.params = settings;
    cfg.nparams = 1;
    char err[256] = "";
    assert_null(gclab_heap_new("trial-deletion", &cfg, err, sizeof err));
    assert_non_null(strstr(err, "adaptive"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(php_manual_gc_status_example),
        cmocka_unit_test(adaptive_raises_after_an_unproductive_run),
        cmocka_unit_test(fixed_keeps_the_threshold),
        cmocka_unit_test(productive_runs_lower_it_to_the_default),
        cmocka_unit_test(explicit_collections_never_adjust),
        cmocka_unit_test(one_root_per_object_and_freed_roots_leave),
        cmocka_unit_test(freed_slots_are_reused_before_a_run),
        cmocka_unit_test(disabled_roots_accumulate),
        cmocka_unit_test(destructor_cycle_freed_in_one_collection),
        cmocka_unit_test(resurrected_object_survives),
        cmocka_unit_test(bad_policy_is_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
