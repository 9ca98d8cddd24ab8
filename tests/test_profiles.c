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

#include "harness/startup.h"
#include "workloads/seed_examples.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The start-up heap: long-lived, examined by full collections, not the
 * program's allocations or leaks, and it holds long_lived_total up so that
 * churn alone never runs a full collection. */
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
        for (int i = 0; i < 200000; i++) /* ~256 young collections: > 11 generation-1 ones */
            seed_make_cycle(h, SEED_DICT);
        gclab_gen_stats gs[3];
        gclab_get_stats(h, gs, 3);
        if (with)
            assert_int_equal(gs[2].collections, 0);
        else
            assert_gt(gs[2].collections, 0);
        gclab_leak_report r;
        gclab_heap_shutdown(h, &r);
        assert_int_equal(r.leaked.objects, 0);
        gclab_heap_get_stats(h, &st);
        assert_int_equal(st.allocations, 2 * 200000 + 1); /* a dict and an int per cycle, and the globals */
        gclab_heap_free(h, NULL);
    }
}

static void on_gc_examined(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    (void)h;
    if (phase == GCLAB_GC_STOP)
        *(long *)arg = info->examined;
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

static void run_gclab(const char *profile, const char *startup, seed_shape shape, long n, long coll[3],
                      long *collected)
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

static void matches_the_real_interpreters(void **state)
{
    (void)state;
    const long N = 100000;
    const struct {
        const char *kind;
        seed_shape shape;
    } programs[] = {{"dict", SEED_DICT}, {"list", SEED_LIST}, {"instance", SEED_INSTANCE}};
    /* /usr/bin/python3, then every pyenv 3.8-3.13 */
    char paths[16][512];
    int np = 0;
    if (access("/usr/bin/python3", X_OK) == 0)
        snprintf(paths[np++], sizeof paths[0], "/usr/bin/python3");
    FILE *f = popen("pyenv root 2>/dev/null", "r");
    char root[400] = "";
    if (f) {
        if (!fgets(root, sizeof root, f))
            root[0] = '\0';
        pclose(f);
        root[strcspn(root, "\n")] = '\0';
    }
    if (*root) {
        char pat[1024];
        snprintf(pat, sizeof pat, "%s/versions/3.*/bin/python", root);
        glob_t g;
        if (glob(pat, 0, NULL, &g) == 0) {
            for (size_t i = 0; i < g.gl_pathc && np < 16; i++)
                snprintf(paths[np++], sizeof paths[0], "%s", g.gl_pathv[i]);
            globfree(&g);
        }
    }
    int compared = 0;
    for (int p = 0; p < np; p++) {
        long objects, counts[3];
        char err[512];
        if (startup_measure(paths[p], &objects, counts, err, sizeof err) != 0)
            continue;
        char startup[96];
        snprintf(startup, sizeof startup, "startup=%ld,%ld,%ld,%ld", objects, counts[0], counts[1], counts[2]);
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
            run_gclab(profile, startup, programs[k].shape, N, gl, &glc);
            print_message("%-40s %-8s CPython %ld/%ld/%ld collected %ld; gclab %s %ld/%ld/%ld collected %ld\n",
                          paths[p], programs[k].kind, py[0], py[1], py[2], pyc, profile + 8, gl[0], gl[1], gl[2],
                          glc);
            if (!within(gl[0], py[0], 0.02, 0) || !within(gl[1], py[1], 0.02, 0) || !within(gl[2], py[2], 0.02, 1))
                fail_msg("%s, %s: collections per generation %ld/%ld/%ld, CPython %ld/%ld/%ld (2%%)", paths[p],
                         programs[k].kind, gl[0], gl[1], gl[2], py[0], py[1], py[2]);
            /* Equal, except that 3.8 counts one container allocation more
             * than 3.9 somewhere in the first iterations (measured, not yet
             * explained: see docs/collectors.md), so its first collection
             * comes one cycle earlier and collects one cycle less (2
             * objects for instance + __dict__). */
            const long one_cycle = programs[k].shape == SEED_INSTANCE ? 2 : 1;
            if (labs(glc - pyc) > (minor == 8 ? one_cycle : 0))
                fail_msg("%s, %s: %ld objects collected, CPython %ld", paths[p], programs[k].kind, glc, pyc);
            compared++;
        }
    }
    if (!compared)
        skip(); /* no Python 3.8-3.13 on this machine */
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
        cmocka_unit_test(deferred_trigger_runs_at_the_next_safe_point),
        cmocka_unit_test(a_free_list_allocation_is_still_a_safe_point),
        cmocka_unit_test(cpython_313_threshold_is_2000),
        cmocka_unit_test(seed_examples_under_each_profile),
        cmocka_unit_test(bad_profile_and_startup_are_refused_naming_the_choices),
        cmocka_unit_test(matches_the_real_interpreters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
