/*
 * tests/test_profiles.c -- the version profiles (collectors/profiles.def).
 *
 * First the counting rules, each expected value derived here from CPython's
 * rules (not read from gclab's output); then the same programs on the real
 * interpreters this machine has (/usr/bin/python3 and every pyenv 3.8-3.13),
 * against the matching profile: collections per generation within 2% (gen
 * 2 within max(1, 2%)) and objects collected equal.
 */
#define _GNU_SOURCE
#include "test.h"
#include "pythons.h"

#include "collectors/profile.h"
#include "harness/startup.h"
#include "workloads/seed_examples.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static gclab_heap *heap_with(const char *collector, const char *const *params, size_t n)
{
    gclab_config c = {.params = params, .nparams = n};
    return test_heap(collector, &c);
}

static long count0(gclab_heap *h)
{
    long c[3];
    gclab_get_count(h, c, 3);
    return c[0];
}

/* ---- where each collection starts, in cycles made so far ---- */

typedef struct starts {
    long made;        /* cycles made so far (the workload's counter) */
    long at[4096];    /* cycles made when each collection started */
    int gen[4096];
    int n;
} starts;

static void on_gc(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    (void)h;
    starts *s = arg;
    if (phase == GCLAB_GC_START && s->n < 4096) {
        s->at[s->n] = s->made;
        s->gen[s->n++] = info->generation;
    }
}

/* cpython-3.11, startup=0, dict self-cycles: the dict free list (80) is
 * empty at first, so the first collection starts when the count reaches
 * 701 (the heap's globals dict counts one: 699 cycles made).  A young collection frees ~700 dicts, the first 80 of which fill
 * the free list: the next 80 dicts are taken from it without counting, then
 * 701 more are counted: 781 between collections.  A full collection empties
 * the free lists after freeing: 701 again after one. */
static void dict_cycles_collect_every_781_after_the_free_list_fills(void **state)
{
    (void)state;
    const long T0 = 700, FREELIST = 80;
    gclab_heap *h = heap_with("generational", (const char *[]){"profile=cpython-3.11", "startup=0"}, 2);
    starts *s = calloc(1, sizeof *s);
    gclab_callback_add(h, on_gc, s);
    for (s->made = 0; s->made < 200000; s->made++)
        seed_make_cycle(h, SEED_DICT);
    assert_gt(s->n, 200);
    assert_int_equal(s->at[0], T0 - 1); /* the globals dict, made with the heap, counted 1 */
    int full = 0;
    for (int i = 1; i < s->n; i++) {
        long expected = s->gen[i - 1] == 2 ? T0 + 1 : T0 + 1 + FREELIST;
        if (s->at[i] - s->at[i - 1] != expected)
            fail_msg("collection %d (gen %d) started %ld cycles after the previous (gen %d), expected %ld", i,
                     s->gen[i], s->at[i] - s->at[i - 1], s->gen[i - 1], expected);
        full += s->gen[i] == 2;
    }
    assert_gt(full, 0); /* startup=0: long_lived_total is 0, so full collections run */
    gclab_heap_free(h, NULL);
    free(s);
}

/* The same under ideal: no free lists, 701 every time. */
static void ideal_collects_every_701(void **state)
{
    (void)state;
    gclab_heap *h = heap_with("generational", (const char *[]){"profile=ideal"}, 1);
    starts *s = calloc(1, sizeof *s);
    gclab_callback_add(h, on_gc, s);
    for (s->made = 0; s->made < 10000; s->made++)
        seed_make_cycle(h, SEED_DICT);
    assert_gt(s->n, 10);
    for (int i = 1; i < s->n; i++)
        assert_int_equal(s->at[i] - s->at[i - 1], 701);
    gclab_heap_free(h, NULL);
    free(s);
}

/* cpython-3.10: a.obj = a is instance + __dict__; the dict comes from the
 * dict free list.  After a collection (which fills the free list with 80 of
 * the freed dicts) the next 80 cycles count 1 each, then 2 each, until the
 * count passes 700: the trigger falls on the instance or on its dict, so
 * the gaps alternate between 390 and 391 cycles (mean 390.5).  With a large
 * start-up heap no full collection interferes. */
static void instances_with_a_dict_collect_every_390_or_391(void **state)
{
    (void)state;
    gclab_heap *h = heap_with("generational", (const char *[]){"profile=cpython-3.10", "startup=100000"}, 2);
    starts *s = calloc(1, sizeof *s);
    gclab_callback_add(h, on_gc, s);
    for (s->made = 0; s->made < 20000; s->made++)
        seed_make_cycle(h, SEED_INSTANCE);
    assert_gt(s->n, 40);
    long sum = 0;
    for (int i = 2; i < s->n; i++) {
        long gap = s->at[i] - s->at[i - 1];
        assert_in_range(gap, 390, 391);
        sum += gap;
    }
    assert_in_range(sum * 10 / (s->n - 2), 3900, 3910);
    gclab_gen_stats st[3];
    gclab_get_stats(h, st, 3);
    assert_int_equal(st[2].collections, 0);
    /* Each collected instance took its dict with it: an even number. */
    assert_int_equal((st[0].collected + st[1].collected) % 2, 0);
    gclab_heap_free(h, NULL);
    free(s);
}

static void empty_tuple_counts_nothing_and_is_never_tracked(void **state)
{
    (void)state;
    for (int ideal = 0; ideal < 2; ideal++) {
        gclab_heap *h = heap_with("generational", (const char *[]){ideal ? "profile=ideal" : "profile=cpython-3.8"}, 1);
        long before = count0(h);
        gclab_object *t[5];
        for (int i = 0; i < 5; i++)
            t[i] = gclab_new_tuple(h, 0, NULL);
        assert_int_equal(count0(h), before + (ideal ? 5 : 0));
        assert_int_equal(gclab_is_tracked(t[0]), ideal);
        for (int i = 0; i < 5; i++)
            gclab_decref(h, t[i]);
        assert_int_equal(count0(h), before);
        gclab_heap_free(h, NULL);
    }
}

/* Tuples of length 1..20 (3.11) or 1..19 (3.10) have free lists: made and
 * dropped twice, the second round counts nothing and the drop does not
 * lower the count. */
static long tuple_round(gclab_heap *h, size_t len)
{
    gclab_object *items[21], *t[10];
    for (size_t i = 0; i < len; i++)
        items[i] = gclab_new_int(h, (int64_t)i);
    long before = count0(h);
    for (int r = 0; r < 2; r++) {
        for (int i = 0; i < 10; i++)
            t[i] = gclab_new_tuple(h, len, items);
        for (int i = 0; i < 10; i++)
            gclab_decref(h, t[i]);
    }
    for (size_t i = 0; i < len; i++)
        gclab_decref(h, items[i]);
    return count0(h) - before;
}

static void tuple_free_lists_by_length_and_version(void **state)
{
    (void)state;
    const char *p311[] = {"profile=cpython-3.11", "startup=0"}, *p310[] = {"profile=cpython-3.10", "startup=0"},
               *ideal[] = {"profile=ideal"};
    gclab_heap *h = heap_with("generational", p311, 2);
    assert_int_equal(tuple_round(h, 1), 10);  /* first 10 counted, pushed on drop, reused */
    assert_int_equal(tuple_round(h, 20), 10); /* 3.11: lengths up to 20 */
    assert_int_equal(tuple_round(h, 21), 0);  /* no free list: +10 -10, twice */
    gclab_heap_free(h, NULL);
    h = heap_with("generational", p310, 2);
    assert_int_equal(tuple_round(h, 19), 10);
    assert_int_equal(tuple_round(h, 20), 0); /* 3.8-3.10: lengths below 20 only */
    gclab_heap_free(h, NULL);
    h = heap_with("generational", ideal, 1);
    assert_int_equal(tuple_round(h, 3), 0);
    gclab_heap_free(h, NULL);
}

/* A full collection empties the free lists (clear_freelists); a young one
 * does not. */
static void full_collections_empty_the_free_lists(void **state)
{
    (void)state;
    for (int gen = 0; gen <= 2; gen += 2) {
        gclab_heap *h = heap_with("generational", (const char *[]){"profile=cpython-3.12", "startup=0"}, 2);
        gclab_object *l[5];
        for (int i = 0; i < 5; i++)
            l[i] = gclab_new_list(h);
        for (int i = 0; i < 5; i++)
            gclab_decref(h, l[i]); /* pushed: 5 on the list free list */
        gclab_collect(h, gen);
        long before = count0(h);
        for (int i = 0; i < 5; i++)
            l[i] = gclab_new_list(h);
        assert_int_equal(count0(h) - before, gen == 2 ? 5 : 0);
        for (int i = 0; i < 5; i++)
            gclab_decref(h, l[i]);
        gclab_heap_free(h, NULL);
    }
}

static void freeze_zeroes_every_count_under_a_profile(void **state)
{
    (void)state;
    for (int ideal = 0; ideal < 2; ideal++) {
        gclab_heap *h = heap_with("generational", (const char *[]){ideal ? "profile=ideal" : "profile=cpython-3.9",
                                                                   "startup=10,5,3,2"},
                                  2);
        long c[3];
        gclab_get_count(h, c, 3);
        assert_int_equal(c[0], 5 + 1); /* the start-up counts, and the globals dict made after */
        assert_int_equal(c[1], 3);
        assert_int_equal(c[2], 2);
        gclab_freeze(h);
        gclab_get_count(h, c, 3);
        assert_int_equal(c[0], 0);
        assert_int_equal(c[1], ideal ? 3 : 0);
        assert_int_equal(c[2], ideal ? 2 : 0);
        assert_int_equal(gclab_get_freeze_count(h), 10); /* the start-up heap (the empty globals dict is untracked) */
        gclab_heap_free(h, NULL);
    }
}

/* The start-up heap: examined by full collections, not the program's
 * allocations or leaks.  CPython runs no full collection at start-up, so
 * long_lived_total is 0 until the first one: the first generation-2 trigger
 * (the 11th generation-1 one) always runs, and only then does the start-up
 * heap, now long-lived, hold later full collections back, so that churn
 * alone runs exactly one. */
static void startup_heap_is_long_lived_and_not_the_programs(void **state)
{
    (void)state;
    const long N = 3000;
    char setting[64];
    snprintf(setting, sizeof setting, "startup=%ld", N);
    for (int with = 0; with < 2; with++) {
        gclab_heap *h = heap_with("generational", (const char *[]){"profile=cpython-3.11", with ? setting : "startup=0"}, 2);
        gclab_heap_stats st;
        gclab_heap_get_stats(h, &st);
        assert_int_equal(st.live.objects, 1); /* the globals dict, with or without */
        for (int i = 0; i < 400000; i++) /* ~510 young collections: > 3 x 11 x 11 */
            seed_make_cycle(h, SEED_DICT);
        gclab_gen_stats gs[3];
        gclab_get_stats(h, gs, 3);
        if (with)
            assert_int_equal(gs[2].collections, 1);
        else
            assert_gt(gs[2].collections, 1);
        gclab_leak_report r;
        gclab_heap_shutdown(h, &r);
        assert_int_equal(r.leaked.objects, 0);
        gclab_heap_get_stats(h, &st);
        assert_int_equal(st.allocations, 2 * 400000 + 1); /* a dict and an int per cycle, and the globals */
        gclab_heap_free(h, NULL);
    }
}

static void on_gc_examined(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    (void)h;
    if (phase == GCLAB_GC_STOP)
        *(long *)arg = info->examined;
}

/* With start-up count[2] = 0 no generation-1 collection has run yet: the
 * start-up heap sits in generation 1, which a young collection leaves alone
 * and the first generation-1 collection examines whole. */
static void the_first_generation_1_collection_examines_the_startup_heap(void **state)
{
    (void)state;
    for (int c2 = 0; c2 < 2; c2++) {
        gclab_heap *h = heap_with("disabled", (const char *[]){"profile=cpython-3.13",
                                                                c2 ? "startup=2500,0,0,1" : "startup=2500,0,0,0"}, 2);
        long examined = -1;
        gclab_callback_add(h, on_gc_examined, &examined);
        gclab_collect(h, 0);
        assert_int_equal(examined, 0);
        gclab_collect(h, 1);
        assert_int_equal(examined, c2 ? 0 : 2500); /* count[2] > 0: they went on to generation 2 */
        gclab_collect(h, 2);
        assert_int_equal(examined, 2500);
        gclab_heap_free(h, NULL);
    }
}

/* `def __del__(self): global saved; saved = self` */
static void save_self(gclab_heap *h, gclab_object *self, void *ctx)
{
    (void)ctx;
    gclab_object *k = gclab_new_str(h, "saved", 5);
    gclab_dict_setitem(h, gclab_globals(h), k, self);
    gclab_decref(h, k);
}

/* Five self-cycles `a = R(); a.obj = a` whose finalizer saves self: the
 * first collection runs all five finalizers and the last one run leaves
 * its object saved.  3.9+ recompute reachability and free the other four
 * (handle_resurrected_objects); 3.8 finds a resurrection (check_garbage)
 * and keeps all five, counting none, to free the four unsaved ones at the
 * next collection (their finalizers ran: they do not run again).  On
 * 3.8-3.10 each cycle is two objects, the instance and its __dict__. */
static void a_resurrection_keeps_all_the_garbage_on_3_8_only(void **state)
{
    (void)state;
    for (int v38 = 0; v38 < 2; v38++) {
        gclab_heap *h = heap_with("disabled", (const char *[]){v38 ? "profile=cpython-3.8" : "profile=cpython-3.9",
                                                               "startup=0"}, 2);
        for (int i = 0; i < 5; i++) {
            gclab_object *a = gclab_new_instance(h, 1);
            gclab_instance_set_finalizer(h, a, save_self, NULL, GCLAB_FINALIZER_PEP442);
            gclab_setattr(h, a, 0, a);
            gclab_decref(h, a);
        }
        assert_int_equal(gclab_collect(h, 2), v38 ? 0 : 4 * 2);
        assert_int_equal(gclab_collect(h, 2), v38 ? 4 * 2 : 0);
        assert_int_equal(gclab_collect(h, 2), 0); /* the saved one stays */
        gclab_gen_stats st[3];
        gclab_get_stats(h, st, 3);
        assert_int_equal(st[2].collected, 4 * 2);
        gclab_heap_free(h, NULL);
    }
}

/* 3.12+ run a scheduled collection at the eval breaker's next check, and an
 * allocation is none: with explicit safe points (a workload that polls at
 * each check, as the trace replay does) the allocations after the one that
 * scheduled it, containers and atoms, leave it waiting; the next gclab_poll
 * runs it.  Without them the next allocation runs it. */
static void explicit_safe_points_hold_a_scheduled_collection_until_a_poll(void **state)
{
    (void)state;
    for (int explicit = 0; explicit < 2; explicit++) {
        gclab_heap *h = heap_with("generational", (const char *[]){"profile=cpython-3.12", "startup=0"}, 2);
        gclab_set_explicit_safe_points(h, explicit);
        gclab_object *keep = gclab_new_list(h); /* count 2 with the globals dict; no free list yet */
        for (int i = 0; i < 699; i++) {         /* count 701 > 700 at the last: scheduled */
            gclab_object *l = gclab_new_list(h);
            gclab_list_append(h, keep, l);
            gclab_decref(h, l);
        }
        gclab_object *more[2] = {gclab_new_list(h), gclab_new_int(h, 1000)}; /* a container, an atom */
        gclab_gen_stats st[3];
        gclab_get_stats(h, st, 3);
        assert_int_equal(st[0].collections, explicit ? 0 : 1);
        assert_int_equal(count0(h), explicit ? 702 : 0); /* the list counted, then its allocation ran it */
        gclab_poll(h);
        gclab_get_stats(h, st, 3);
        assert_int_equal(st[0].collections, 1);
        assert_int_equal(count0(h), 0);
        gclab_decref(h, more[0]);
        gclab_decref(h, more[1]);
        gclab_decref(h, keep);
        gclab_heap_free(h, NULL);
    }
}

static void a_full_collection_examines_the_startup_heap(void **state)
{
    (void)state;
    gclab_heap *h = heap_with("disabled", (const char *[]){"profile=cpython-3.13", "startup=2500"}, 2);
    long examined = -1;
    gclab_callback_add(h, on_gc_examined, &examined);
    gclab_collect(h, 2);
    assert_int_equal(examined, 2500); /* the empty globals dict is untracked */
    gclab_heap_free(h, NULL);
}

/* 3.12+: the allocation that passes threshold0 only schedules the
 * collection; it runs at the next safe point (here gclab_poll).  3.11
 * collects inside the allocation. */
static void deferred_trigger_runs_at_the_next_safe_point(void **state)
{
    (void)state;
    for (int deferred = 0; deferred < 2; deferred++) {
        gclab_heap *h = heap_with("generational", (const char *[]){deferred ? "profile=cpython-3.12" : "profile=cpython-3.11",
                                                                   "startup=0"},
                                  2);
        gclab_object *keep = gclab_new_list(h); /* count 2 with the globals dict; no free list yet */
        for (int i = 0; i < 699; i++) {         /* count 701 > 700 at the last */
            gclab_object *l = gclab_new_list(h);
            gclab_list_append(h, keep, l);
            gclab_decref(h, l);
        }
        gclab_gen_stats st[3];
        gclab_get_stats(h, st, 3);
        assert_int_equal(st[0].collections, deferred ? 0 : 1);
        gclab_poll(h);
        gclab_get_stats(h, st, 3);
        assert_int_equal(st[0].collections, 1);
        assert_int_equal(count0(h), 0);
        gclab_decref(h, keep);
        gclab_heap_free(h, NULL);
    }
}

static int handler_runs;
static void count_handler(gclab_heap *h, void *arg)
{
    (void)h;
    (*(int *)arg)++;
}

/* A container taken from a free list counts nothing, but its allocation is
 * still a safe point: a program that churns dicts in steady state (each
 * popped from the list its predecessor was pushed to) must still hear a
 * scheduled collection or a timer.  It did not, once. */
static void a_free_list_allocation_is_still_a_safe_point(void **state)
{
    (void)state;
    gclab_heap *h = heap_with("generational", (const char *[]){"profile=cpython-3.12", "startup=0"}, 2);
    handler_runs = 0;
    assert_int_equal(gclab_interrupt_handler_add(h, count_handler, &handler_runs), 0);
    gclab_decref(h, gclab_new_dict(h)); /* counted, then pushed: the free list holds one */
    long before = count0(h);
    gclab_interrupt(h);
    gclab_object *d = gclab_new_dict(h); /* popped: no count... */
    assert_int_equal(count0(h), before);
    assert_int_equal(handler_runs, 1); /* ...but the interrupt ran */
    gclab_decref(h, d);
    gclab_heap_free(h, NULL);
}

static void cpython_313_threshold_is_2000(void **state)
{
    (void)state;
    const char *names[] = {"cpython-3.8", "cpython-3.12", "cpython-3.13", "ideal"};
    const long t0[] = {700, 700, 2000, 700};
    for (int i = 0; i < 4; i++) {
        char p[64];
        snprintf(p, sizeof p, "profile=%s", names[i]);
        gclab_heap *h = heap_with("generational", (const char *[]){p}, 1);
        long t[3];
        gclab_get_threshold(h, t, 3);
        assert_int_equal(t[0], t0[i]);
        assert_int_equal(t[1], 10);
        assert_int_equal(t[2], 10);
        gclab_heap_free(h, NULL);
    }
    /* Configured thresholds still win over the profile's. */
    gclab_config c = {.params = (const char *[]){"profile=cpython-3.13"}, .nparams = 1, .nthresholds = 1,
                      .thresholds = {500}};
    gclab_heap *h = test_heap("generational", &c);
    long t[3];
    gclab_get_threshold(h, t, 3);
    assert_int_equal(t[0], 500);
    gclab_heap_free(h, NULL);
}

/* The articles' numbers under the matching profiles: a.obj = a is one
 * object from 3.11, instance + __dict__ before. */
static void seed_examples_under_each_profile(void **state)
{
    (void)state;
    for (size_t p = 0; p < gclab_profile_count(); p++) {
        const char *name = gclab_profile_name(p);
        int old = strcmp(name, "cpython-3.8") == 0 || strcmp(name, "cpython-3.9") == 0 ||
                  strcmp(name, "cpython-3.10") == 0;
        const long expected[] = {10, 5, old ? 2 : 1, 2};
        char setting[64];
        snprintf(setting, sizeof setting, "profile=%s", name);
        for (size_t i = 0; i < seed_example_count; i++) {
            gclab_heap *h = heap_with("generational", (const char *[]){setting}, 1);
            gclab_collect(h, 2);
            for (int k = 0; k < seed_examples[i].times; k++)
                seed_make_cycle(h, seed_examples[i].shape);
            long n = gclab_collect(h, 2);
            if (n != expected[i])
                fail_msg("%s, %s: gc.collect() returned %ld, expected %ld", name, seed_examples[i].python, n,
                         expected[i]);
            gclab_leak_report r;
            gclab_heap_free(h, &r);
            assert_int_equal(r.leaked.objects, 0);
        }
    }
}

/* The `startup` forms: what each parses to, field by field. */
static void startup_forms_parse(void **state)
{
    (void)state;
    const gen_profile *p311 = &gclab__profiles[4];
    assert_string_equal(p311->name, "cpython-3.11");
    gen_startup st;
    char err[512];
    assert_int_equal(gclab__startup_parse("0", p311, &st, err, sizeof err), 0);
    assert_int_equal(st.objects, 0);
    assert_int_equal(st.dict_free + st.list_free + st.tuple_free[0] + st.tuple_free[19], 0);
    assert_int_equal(gclab__startup_parse("12,1,2,3", p311, &st, err, sizeof err), 0);
    assert_int_equal(st.objects, 12);
    assert_int_equal(st.counts[0] * 100 + st.counts[1] * 10 + st.counts[2], 123);
    assert_int_equal(st.dict_free + st.list_free, 0); /* the old form: free lists empty */
    assert_int_equal(gclab__startup_parse("12:list=3:dict=4", p311, &st, err, sizeof err), 0); /* any order */
    assert_int_equal(st.objects, 12);
    assert_int_equal(st.counts[0], 0);
    assert_int_equal(st.dict_free, 4);
    assert_int_equal(st.list_free, 3);
    assert_int_equal(gclab__startup_parse("5,6,7,8:dict=1:list=2:tuple=1,2,3", p311, &st, err, sizeof err), 0);
    assert_int_equal(st.tuple_free[0] * 100 + st.tuple_free[1] * 10 + st.tuple_free[2], 123);
    assert_int_equal(st.tuple_free[3], 0); /* lengths left out: none free */
    char twenty[128] = "1:tuple=";
    for (int len = 1; len <= 20; len++)
        snprintf(twenty + strlen(twenty), sizeof twenty - strlen(twenty), len > 1 ? ",%d" : "%d", len);
    assert_int_equal(gclab__startup_parse(twenty, p311, &st, err, sizeof err), 0);
    for (int len = 1; len <= 20; len++)
        assert_int_equal(st.tuple_free[len - 1], len);
    /* "profile" is the row's own string, whatever it says. */
    for (size_t i = 0; i < gclab_profile_count(); i++) {
        gen_startup a, b;
        assert_int_equal(gclab__startup_parse("profile", &gclab__profiles[i], &a, err, sizeof err), 0);
        assert_int_equal(gclab__startup_parse(gclab__profiles[i].startup, &gclab__profiles[i], &b, err, sizeof err), 0);
        assert_memory_equal(&a, &b, sizeof a);
    }

    const char *const invalid[] = {
        "",           "12,1",          "12,1,2,3,4",      "12:",          "12:dict=",      "12:dict=1:dict=2",
        "12:bag=1",   "12:dict=-1",    "12:dict=1,2",     "12;dict=1",    "12:dict= 1",    "12:list=1:",
        "12:tuple=1,,2", "-1",         "12,1,2,3:Dict=1", "lots",         "12:tuple=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        err[0] = '\0';
        if (gclab__startup_parse(invalid[i], p311, &st, err, sizeof err) == 0)
            fail_msg("startup=%s was accepted", invalid[i]);
        if (!strstr(err, "N,C0,C1,C2") || !strstr(err, ":dict=D:list=L:tuple=T1,...,T20") ||
            !strstr(err, "auto:PATH") || strchr(err, '\n'))
            fail_msg("startup=%s: the error '%s' should be one line naming the forms", invalid[i], err);
    }
}

static long dicts_counted(gclab_heap *h, int n)
{
    gclab_object *d[200];
    long before = count0(h);
    for (int i = 0; i < n; i++)
        d[i] = gclab_new_dict(h);
    long counted = count0(h) - before;
    for (int i = 0; i < n; i++)
        gclab_decref(h, d[i]);
    return counted;
}

/* The start-up free lists are there when the program starts.  The heap's
 * globals dict is made after the start-up state (docs/collectors.md), so it
 * takes one of the D free dicts: the program's first D - 1 dicts count
 * nothing, the rest one each.  A full collection empties them. */
static void startup_free_lists_are_taken_first(void **state)
{
    (void)state;
    const int D = 9, MADE = 30;
    gclab_heap *h = heap_with("generational", (const char *[]){"profile=cpython-3.11", "startup=100,5,0,0:dict=9"}, 2);
    assert_int_equal(count0(h), 5); /* the globals dict counted nothing */
    assert_int_equal(dicts_counted(h, MADE), MADE - (D - 1));
    gclab_heap_free(h, NULL);

    /* Lists and tuples likewise, each from its own list; the old form
     * "N,C0,C1,C2" has them empty. */
    h = heap_with("generational", (const char *[]){"profile=cpython-3.12", "startup=100,0,0,0:list=4:tuple=0,3"}, 2);
    gclab_object *l[10], *items[2] = {gclab_new_int(h, 1), gclab_new_int(h, 2)};
    long before = count0(h);
    for (int i = 0; i < 10; i++)
        l[i] = gclab_new_list(h);
    assert_int_equal(count0(h) - before, 10 - 4);
    for (int i = 0; i < 10; i++)
        gclab_decref(h, l[i]);
    before = count0(h);
    for (int i = 0; i < 10; i++)
        l[i] = gclab_new_tuple(h, 1, items); /* length 1: none free */
    assert_int_equal(count0(h) - before, 10);
    for (int i = 0; i < 10; i++)
        gclab_decref(h, l[i]);
    gclab_heap_free(h, NULL);
    h = heap_with("generational", (const char *[]){"profile=cpython-3.12", "startup=100,0,0,0:tuple=0,3"}, 2);
    before = count0(h);
    for (int i = 0; i < 10; i++)
        l[i] = gclab_new_tuple(h, 2, items);
    assert_int_equal(count0(h) - before, 10 - 3);
    for (int i = 0; i < 10; i++)
        gclab_decref(h, l[i]);
    gclab_collect(h, 2); /* empties them: all count again */
    before = count0(h);
    for (int i = 0; i < 10; i++)
        l[i] = gclab_new_tuple(h, 2, items);
    assert_int_equal(count0(h) - before, 10);
    for (int i = 0; i < 10; i++)
        gclab_decref(h, l[i]);
    gclab_decref(h, items[0]);
    gclab_decref(h, items[1]);
    gclab_heap_free(h, NULL);
}

/* Occupancy is capped at the profile's capacity: 80 dicts at most, no
 * 20-tuple free list before 3.11, none at all under ideal. */
static void startup_free_lists_are_capped_by_the_profile(void **state)
{
    (void)state;
    const long DICT_CAP = 80;
    gclab_heap *h = heap_with("generational", (const char *[]){"profile=cpython-3.9", "startup=10:dict=500"}, 2);
    assert_int_equal(dicts_counted(h, 150), 150 - (DICT_CAP - 1)); /* the globals took one */
    gclab_heap_free(h, NULL);

    char twenty[96] = "startup=10:tuple=0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,5";
    for (int v = 0; v < 2; v++) {
        h = heap_with("generational", (const char *[]){v ? "profile=cpython-3.11" : "profile=cpython-3.10", twenty}, 2);
        gclab_object *items[20], *t[8];
        for (int i = 0; i < 20; i++)
            items[i] = gclab_new_int(h, i);
        long before = count0(h);
        for (int i = 0; i < 8; i++)
            t[i] = gclab_new_tuple(h, 20, items);
        assert_int_equal(count0(h) - before, v ? 8 - 5 : 8);
        for (int i = 0; i < 8; i++)
            gclab_decref(h, t[i]);
        for (int i = 0; i < 20; i++)
            gclab_decref(h, items[i]);
        gclab_heap_free(h, NULL);
    }

    h = heap_with("generational", (const char *[]){"profile=ideal", "startup=10:dict=50"}, 2);
    assert_int_equal(dicts_counted(h, 20), 20);
    gclab_heap_free(h, NULL);
}

/* What startup=auto:PATH cannot measure: one line saying why. */
static void startup_auto_refuses_what_is_not_an_interpreter(void **state)
{
    (void)state;
    /* Two stand-ins: one prints the counts but no free lists, one fails
     * as an interpreter without sys._debugmallocstats would. */
    char script[] = "/tmp/gclab-startup-XXXXXX", failing[] = "/tmp/gclab-startup-XXXXXX";
    const char *bodies[] = {"#!/bin/sh\necho gclab-startup 1 2 3 4\n",
                            "#!/bin/sh\necho Traceback >&2\necho \"AttributeError: no _debugmallocstats\" >&2\nexit 1\n"};
    char *names[] = {script, failing};
    for (int i = 0; i < 2; i++) {
        int fd = mkstemp(names[i]);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, bodies[i], strlen(bodies[i])), (long)strlen(bodies[i]));
        close(fd);
        chmod(names[i], 0700);
    }
    const struct {
        const char *path, *says;
    } cases[] = {
        {"/nonexistent/python3", "no executable interpreter there"},
        {"", "no executable interpreter there (empty path)"},
        {"/bin/false", "the interpreter failed (exit status 1)"},
        {"/bin/true", "not a Python 3 interpreter"},
        {script, "sys._debugmallocstats() printed no dict free list"},
        {failing, "the interpreter failed (exit status 1: AttributeError: no _debugmallocstats)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        startup_state st;
        char err[512] = "";
        if (access(cases[i].path, X_OK) != 0 && cases[i].path[0] == '/' && strcmp(cases[i].path, "/nonexistent/python3"))
            continue; /* no /bin/true or /bin/false here */
        assert_int_equal(startup_measure(cases[i].path, &st, err, sizeof err), -1);
        if (!strstr(err, cases[i].says) || strchr(err, '\n'))
            fail_msg("startup=auto:%s: got '%s', expected one line saying '%s'", cases[i].path, err, cases[i].says);
    }
    unlink(script);
    unlink(failing);
}

static void bad_profile_and_startup_are_refused_naming_the_choices(void **state)
{
    (void)state;
    const struct {
        const char *collector, *setting, *says;
    } cases[] = {
        {"generational", "profile=cpython-2.7", "ideal|cpython-3.8|cpython-3.9|cpython-3.10|cpython-3.11|cpython-3.12|cpython-3.13"},
        {"disabled", "startup=lots", "profile (the profile's measured heap), N"},
        {"manual-time", "startup=-5", "N,C0,C1,C2"},
        {"manual-event", "startup=1,2", "got '1,2'"},
        {"generational", "startup=auto:/usr/bin/python3", "resolved by the gclab command"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[512] = "";
        gclab_config c = {.params = &cases[i].setting, .nparams = 1};
        gclab_heap *h = gclab_heap_new(cases[i].collector, &c, err, sizeof err);
        assert_null(h);
        if (!strstr(err, cases[i].says))
            fail_msg("%s %s: got '%s', expected it to say '%s'", cases[i].collector, cases[i].setting, err,
                     cases[i].says);
        assert_null(strchr(err, '\n'));
    }
}

/* ---- against the real interpreters ---- */

/* The program, as the interpreter runs it: gc.collect() first, then n
 * cycles of one kind; prints collections per generation and objects
 * collected during the loop (gc.get_stats(), which allocates nothing
 * during the loop, unlike gc.callbacks), and the minor version. */
static const char py_program[] =
    "import gc, sys\n"
    "kind, n = sys.argv[1], int(sys.argv[2])\n"
    "class C:\n"
    "    pass\n"
    "gc.collect()\n"
    "before = gc.get_stats()\n"
    "if kind == 'dict':\n"
    "    for i in range(n):\n"
    "        d = {}; d[0] = d\n"
    "elif kind == 'list':\n"
    "    for i in range(n):\n"
    "        l = [0, 1, 2, 3]; l.append(l)\n"
    "elif kind == 'instance':\n"
    "    for i in range(n):\n"
    "        a = C(); a.obj = a\n"
    "after = gc.get_stats()\n"
    "print(sys.version_info[1], *[after[g]['collections'] - before[g]['collections'] for g in range(3)],\n"
    "      sum(after[g]['collected'] - before[g]['collected'] for g in range(3)))\n";

static int run_python(const char *python, const char *kind, long n, long *minor, long coll[3], long *collected)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%.900s' -I -c \"$GCLAB_PY_PROGRAM\" %s %ld 2>/dev/null", python, kind, n);
    setenv("GCLAB_PY_PROGRAM", py_program, 1);
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    int got = fscanf(f, "%ld %ld %ld %ld %ld", minor, &coll[0], &coll[1], &coll[2], collected);
    int rc = pclose(f);
    return got == 5 && rc == 0 ? 0 : -1;
}

/* The same program against gclab's API, statement by statement: the name
 * (d, l or a) is a frame slot, so the previous cycle stays bound until the
 * next one is made, as in the interpreter; the small ints are made once
 * (CPython caches them); gclab_poll is the eval breaker's check (where
 * 3.12+ run a scheduled collection): after a call, and at the loop's
 * backward jump; `before` is gc.get_stats()'s result, a list of three dicts,
 * alive during the loop. */
static void make_bound_cycle(gclab_heap *h, gclab_frame *f, seed_shape shape, gclab_object *const small[4])
{
    gclab_object *o;
    switch (shape) {
    case SEED_DICT: /* d = {}; d[0] = d */
        o = gclab_new_dict(h);
        gclab_frame_set(h, f, 0, o);
        gclab_dict_setitem(h, o, small[0], o);
        break;
    case SEED_LIST: /* l = [0, 1, 2, 3]; l.append(l) */
        o = gclab_new_list_from(h, 4, small);
        gclab_frame_set(h, f, 0, o);
        gclab_list_append(h, o, o);
        break;
    default: /* a = C(); a.obj = a */
        o = gclab_new_instance(h, 1);
        gclab_poll(h); /* C() is a call: the eval breaker is checked after it */
        gclab_frame_set(h, f, 0, o);
        gclab_setattr(h, o, 0, o);
        break;
    }
    gclab_decref(h, o);
    gclab_poll(h);
}

static void run_gclab(const char *profile, int args_tuple, const char *startup, seed_shape shape, long n,
                      long coll[3], long *collected)
{
    gclab_heap *h = heap_with("generational", (const char *[]){profile, startup}, 2);
    gclab_frame *f = gclab_frame_push(h, 2);
    gclab_object *small[4];
    for (int i = 0; i < 4; i++)
        small[i] = gclab_new_int(h, i);
    gclab_collect(h, 2);
    gclab_gen_stats a[3], b[3];
    gclab_get_stats(h, a, 3);
    gclab_object *before = gclab_new_list(h);
    for (int g = 0; g < 3; g++) {
        gclab_object *d = gclab_new_dict(h);
        gclab_list_append(h, before, d);
        gclab_decref(h, d);
    }
    gclab_frame_set(h, f, 1, before);
    gclab_decref(h, before);
    if (args_tuple) { /* range(n): 3.8 calls range's tp_new with the argument tuple (n,) */
        gclab_object *num = gclab_new_int(h, n), *args = gclab_new_tuple(h, 1, &num);
        gclab_decref(h, args);
        gclab_decref(h, num);
    }
    for (long i = 0; i < n; i++)
        make_bound_cycle(h, f, shape, small);
    gclab_get_stats(h, b, 3);
    *collected = 0;
    for (int g = 0; g < 3; g++) {
        coll[g] = b[g].collections - a[g].collections;
        *collected += b[g].collected - a[g].collected;
    }
    for (int i = 0; i < 4; i++)
        gclab_decref(h, small[i]);
    gclab_heap_free(h, NULL);
}

static int within(long gclab, long cpython, double rel, long floor_abs)
{
    long diff = labs(gclab - cpython);
    double tol = rel * (double)cpython;
    return diff <= floor_abs || (double)diff <= tol;
}


/* startup=auto:PATH resolves to what the interpreter itself prints for the
 * same program: the gclab-startup line on stdout, and on stderr the
 * "N free PyDictObjects", "N free PyListObjects" and "N free K-sized
 * PyTupleObjects" lines of sys._debugmallocstats(), read here line by line
 * with the shell's help, independently of harness/startup.c's parser. */
static void startup_auto_resolves_to_what_debugmallocstats_prints(void **state)
{
    (void)state;
    char paths[16][512];
    int np = find_pythons(paths), compared = 0;
    setenv("GCLAB_STARTUP_PROGRAM", startup_program, 1);
    for (int p = 0; p < np; p++) {
        char cmd[2048], line[512];
        /* The free-list lines with their leading spaces squeezed, then the state line. */
        snprintf(cmd, sizeof cmd, "'%.900s' -I -c \"$GCLAB_STARTUP_PROGRAM\" 2>&1 | "
                                  "grep -E '^ *[0-9]+ free (PyDictObjects|PyListObjects|[0-9]+-sized PyTupleObjects) |^gclab-startup ' | "
                                  "sed 's/^ *//'", paths[p]);
        FILE *f = popen(cmd, "r");
        assert_non_null(f);
        long objects = -1, c[3] = {0, 0, 0}, dict = -1, list = -1, tuples[21];
        int maxlen = 0;
        while (fgets(line, sizeof line, f)) {
            long v;
            int len;
            char what[64];
            if (strncmp(line, "gclab-startup ", 14) == 0)
                assert_int_equal(sscanf(line + 14, "%ld %ld %ld %ld", &objects, &c[0], &c[1], &c[2]), 4);
            else if (sscanf(line, "%ld free %d-sized", &v, &len) == 2 && len >= 1 && len <= 20) {
                tuples[len] = v;
                maxlen = len > maxlen ? len : maxlen;
            } else if (sscanf(line, "%ld free %63s", &v, what) == 2)
                *(strcmp(what, "PyDictObjects") == 0 ? &dict : &list) = v;
        }
        if (pclose(f) != 0 || objects < 0) {
            print_message("skipped %s: it does not run the start-up program\n", paths[p]);
            continue;
        }
        assert_true(dict >= 0 && list >= 0 && maxlen >= 19);
        if (list == 0) /* gc.get_objects()'s list was counted, then filled the free list */
            c[0]--;
        char want[512], setting[600];
        int n = snprintf(want, sizeof want, "startup=%ld,%ld,%ld,%ld:dict=%ld:list=%ld:tuple=", objects, c[0], c[1],
                         c[2], dict, list);
        for (int len = 1; len <= maxlen; len++)
            n += snprintf(want + n, sizeof want - (size_t)n, len > 1 ? ",%ld" : "%ld", tuples[len]);
        snprintf(setting, sizeof setting, "startup=auto:%.500s", paths[p]);
        const char *got;
        char err[512];
        if (startup_resolve(setting, &got, err, sizeof err) != 0)
            fail_msg("%s: %s", setting, err);
        print_message("%s -> %s\n", setting, got);
        if (strcmp(got, want) != 0)
            fail_msg("%s resolved to %s; the interpreter printed %s", setting, got, want);
        compared++;
    }
    if (!compared) {
        print_message("skipped: no Python 3 interpreter on this machine\n");
        skip();
    }
}

static void matches_the_real_interpreters(void **state)
{
    (void)state;
    const long N = 100000;
    const struct {
        const char *kind;
        seed_shape shape;
    } programs[] = {{"dict", SEED_DICT}, {"list", SEED_LIST}, {"instance", SEED_INSTANCE}};
    char paths[16][512];
    int np = find_pythons(paths);
    int compared = 0;
    for (int p = 0; p < np; p++) {
        startup_state st;
        char err[512];
        if (startup_measure(paths[p], &st, err, sizeof err) != 0)
            continue;
        char startup[512] = "startup=";
        startup_format(&st, startup + 8, sizeof startup - 8);
        for (size_t k = 0; k < sizeof programs / sizeof programs[0]; k++) {
            long minor, py[3], pyc, gl[3], glc;
            if (run_python(paths[p], programs[k].kind, N, &minor, py, &pyc) != 0)
                fail_msg("%s failed to run the %s program", paths[p], programs[k].kind);
            if (minor < 8 || minor > 13) {
                print_message("skipped %s: 3.%ld has no profile\n", paths[p], minor);
                break;
            }
            char profile[64];
            snprintf(profile, sizeof profile, "profile=cpython-3.%ld", minor);
            size_t row = 0;
            while (row < gclab_profile_count() && strcmp(gclab__profiles[row].name, profile + 8) != 0)
                row++;
            assert_true(row < gclab_profile_count());
            run_gclab(profile, gclab__profiles[row].args_tuple, startup, programs[k].shape, N, gl, &glc);
            print_message("%-40s %-8s CPython %ld/%ld/%ld collected %ld; gclab %s %ld/%ld/%ld collected %ld\n",
                          paths[p], programs[k].kind, py[0], py[1], py[2], pyc, profile + 8, gl[0], gl[1], gl[2],
                          glc);
            if (!within(gl[0], py[0], 0.02, 0) || !within(gl[1], py[1], 0.02, 0) || !within(gl[2], py[2], 0.02, 1))
                fail_msg("%s, %s: collections per generation %ld/%ld/%ld, CPython %ld/%ld/%ld (2%%)", paths[p],
                         programs[k].kind, gl[0], gl[1], gl[2], py[0], py[1], py[2]);
            if (glc != pyc)
                fail_msg("%s, %s: %ld objects collected, CPython %ld", paths[p], programs[k].kind, glc, pyc);
            compared++;
        }
    }
    if (!compared) {
        print_message("skipped: no Python 3.8-3.13 on this machine\n");
        skip();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dict_cycles_collect_every_781_after_the_free_list_fills),
        cmocka_unit_test(ideal_collects_every_701),
        cmocka_unit_test(instances_with_a_dict_collect_every_390_or_391),
        cmocka_unit_test(empty_tuple_counts_nothing_and_is_never_tracked),
        cmocka_unit_test(tuple_free_lists_by_length_and_version),
        cmocka_unit_test(full_collections_empty_the_free_lists),
        cmocka_unit_test(freeze_zeroes_every_count_under_a_profile),
        cmocka_unit_test(startup_heap_is_long_lived_and_not_the_programs),
        cmocka_unit_test(a_full_collection_examines_the_startup_heap),
        cmocka_unit_test(the_first_generation_1_collection_examines_the_startup_heap),
        cmocka_unit_test(a_resurrection_keeps_all_the_garbage_on_3_8_only),
        cmocka_unit_test(explicit_safe_points_hold_a_scheduled_collection_until_a_poll),
        cmocka_unit_test(deferred_trigger_runs_at_the_next_safe_point),
        cmocka_unit_test(a_free_list_allocation_is_still_a_safe_point),
        cmocka_unit_test(cpython_313_threshold_is_2000),
        cmocka_unit_test(seed_examples_under_each_profile),
        cmocka_unit_test(startup_forms_parse),
        cmocka_unit_test(startup_free_lists_are_taken_first),
        cmocka_unit_test(startup_free_lists_are_capped_by_the_profile),
        cmocka_unit_test(startup_auto_refuses_what_is_not_an_interpreter),
        cmocka_unit_test(bad_profile_and_startup_are_refused_naming_the_choices),
        cmocka_unit_test(startup_auto_resolves_to_what_debugmallocstats_prints),
        cmocka_unit_test(matches_the_real_interpreters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
