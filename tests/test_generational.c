/*
 * tests/test_generational.c -- the generational collector against CPython's
 * rules: when each generation is collected (derived here from the rules by
 * an independent simulation), the long-lived 25% rule, promotion, tuple and
 * dict untracking, finalizers and resurrection, legacy finalizers and
 * gc.garbage, freeze, enable/disable, thresholds, stats and callbacks.
 */
#include "profile_default.h"

#include <pthread.h>
#include <string.h>

/* The tests here are about the rules alone: trigger points at 700/10/10,
 * counts, promotion and stats, derived on an empty heap where every
 * container allocation counts.  So they pin profile=ideal; the default
 * profile (cpython-3.12) adds free lists, a start-up heap and a deferred
 * trigger on top of the same rules, which test_profiles checks. */
static const char *const ideal_setting[] = {"profile=ideal"};

static gclab_heap *rules_heap(const gclab_config *base)
{
    gclab_config cfg;
    if (base)
        cfg = *base;
    else
        memset(&cfg, 0, sizeof cfg);
    cfg.params = ideal_setting;
    cfg.nparams = 1;
    return test_heap("generational", &cfg);
}

/* ------------------------------------------------------------------ */
/* A simulation of CPython 3.8-3.13's trigger rules, written from the
 * description in shared/reference/cpython-gc.md, not from the collector. */

typedef struct sim {
    long t[3];
    long count[3]; /* count[0]: net container allocations */
    long size[3];  /* tracked containers in each generation */
    long pending, total;
    long collections[3];
    int everything_survives; /* else everything is garbage when collected */
    int long_lived_rule;
} sim;

static void sim_collect(sim *s, int g)
{
    if (g + 1 < 3)
        s->count[g + 1]++;
    long set = 0;
    for (int i = 0; i <= g; i++) {
        s->count[i] = 0;
        set += s->size[i];
        s->size[i] = 0;
    }
    long survivors = s->everything_survives ? set : 0;
    if (g == 2) {
        s->size[2] = survivors;
        s->pending = 0;
        s->total = survivors;
    } else {
        s->size[g + 1] += survivors;
        if (g == 1)
            s->pending += survivors;
    }
    s->collections[g]++;
}

static void sim_allocate(sim *s)
{
    if (++s->count[0] > s->t[0] && s->t[0] > 0) {
        for (int i = 2; i >= 0; i--) {
            if (s->count[i] > s->t[i]) {
                if (i == 2 && s->long_lived_rule && s->pending < s->total / 4)
                    continue;
                sim_collect(s, i);
                break;
            }
        }
    }
    s->size[0]++;
}

static void assert_stats_match(gclab_heap *h, const sim *s, const long base[3])
{
    gclab_gen_stats st[3];
    long c[3];
    gclab_get_stats(h, st, 3);
    gclab_get_count(h, c, 3);
    for (int i = 0; i < 3; i++) {
        if (st[i].collections - base[i] != s->collections[i])
            fail_msg("generation %d: %ld collections, the rules give %ld", i,
                     st[i].collections - base[i], s->collections[i]);
        if (c[i] != s->count[i])
            fail_msg("count[%d] = %ld, the rules give %ld", i, c[i], s->count[i]);
    }
}

/* N containers, each dying in a cycle (l = []; l.append(l); del l). */
static void garbage_cycles_trigger_collections_as_cpython_does(void **state)
{
    (void)state;
    const long N = 100000;
    gclab_heap *h = rules_heap(NULL);
    gclab_collect(h, 2); /* start from counts (0, 0, 0) */
    gclab_gen_stats st[3];
    gclab_get_stats(h, st, 3);
    long base[3] = {st[0].collections, st[1].collections, st[2].collections};
    long collected_before = st[0].collected + st[1].collected + st[2].collected;

    sim s = {.t = {700, 10, 10}, .long_lived_rule = 1};
    for (long i = 0; i < N; i++) {
        gclab_object *l = gclab_new_list(h);
        gclab_list_append(h, l, l);
        gclab_decref(h, l);
        sim_allocate(&s);
    }
    assert_stats_match(h, &s, base);
    assert_true(s.collections[0] > 100 && s.collections[1] > 10 && s.collections[2] > 0);

    /* Every cycle is collected exactly once, by the automatic collections
     * or by the final one. */
    gclab_collect(h, 2);
    gclab_get_stats(h, st, 3);
    assert_int_equal(st[0].collected + st[1].collected + st[2].collected - collected_before, N);
    assert_int_equal(live_of(h, GCLAB_KIND_LIST), 0);
    gclab_heap_free(h, NULL);
}

/* A heap that only grows: a million containers kept alive.  Full
 * collections are held back by long_lived_pending < long_lived_total / 4. */
static void growing_heap_shows_the_long_lived_rule(void **state)
{
    (void)state;
    const long N = 1000000;
    gclab_heap *h = rules_heap(NULL);
    gclab_frame *f = gclab_frame_push(h, 1);
    gclab_object *keep = gclab_new_list(h);
    gclab_frame_set(h, f, 0, keep);
    gclab_decref(h, keep);
    gclab_collect(h, 2); /* long_lived_total = 1: the list `keep` */
    gclab_gen_stats st[3];
    gclab_get_stats(h, st, 3);
    long base[3] = {st[0].collections, st[1].collections, st[2].collections};

    sim with = {.t = {700, 10, 10}, .size = {0, 0, 1}, .total = 1, .everything_survives = 1,
                .long_lived_rule = 1};
    sim without = with;
    without.long_lived_rule = 0;
    for (long i = 0; i < N; i++) {
        gclab_object *x = gclab_new_list(h);
        gclab_list_append(h, keep, x);
        gclab_decref(h, x);
        sim_allocate(&with);
        sim_allocate(&without);
    }
    assert_stats_match(h, &with, base);
    print_message("full collections over %ld live containers: %ld with the 25%% rule, %ld without\n", N,
                  with.collections[2], without.collections[2]);
    assert_ge(with.collections[2], 3);
    assert_lt(with.collections[2], without.collections[2]);
    gclab_get_stats(h, st, 3);
    assert_int_equal(st[0].collected + st[1].collected + st[2].collected, 0);
    gclab_heap_free(h, NULL);
}

/* ------------------------------------------------------------------ */

static gclab_object *self_cycle(gclab_heap *h)
{
    gclab_object *l = gclab_new_list(h);
    gclab_list_append(h, l, l);
    return l; /* the caller's reference keeps it alive */
}

static void survivors_are_promoted_to_the_next_generation(void **state)
{
    (void)state;
    gclab_heap *h = rules_heap(NULL);
    gclab_disable(h);
    gclab_object *l = self_cycle(h);
    assert_int_equal(gclab_collect(h, 0), 0); /* alive: promoted to gen 1 */
    gclab_decref(h, l);
    assert_int_equal(gclab_collect(h, 0), 0); /* gen 0 does not look at gen 1 */
    assert_int_equal(gclab_collect(h, 1), 1);

    l = self_cycle(h);
    gclab_collect(h, 0);
    gclab_collect(h, 1); /* now in gen 2 */
    gclab_decref(h, l);
    assert_int_equal(gclab_collect(h, 1), 0);
    assert_int_equal(gclab_collect(h, 2), 1);

    /* A young cycle held only by an old object survives a young collection. */
    gclab_object *old = gclab_new_list(h);
    gclab_collect(h, 2);
    gclab_object *young = self_cycle(h);
    gclab_list_append(h, old, young);
    gclab_decref(h, young);
    assert_int_equal(gclab_collect(h, 0), 0);
    gclab_list_clear(h, old);
    gclab_decref(h, old);
    assert_int_equal(gclab_collect(h, 2), 1);
    assert_int_equal(gclab_collect(h, 7), -1);
    assert_int_equal(gclab_collect(h, -1), -1);
    gclab_heap_free(h, NULL);
}

static void tuples_of_atoms_are_untracked_by_a_collection(void **state)
{
    (void)state;
    gclab_heap *h = rules_heap(NULL);
    gclab_disable(h);
    gclab_object *a = gclab_new_int(h, 1), *s = gclab_new_str(h, "x", 1), *l = gclab_new_list(h);
    gclab_object *atoms[] = {a, s};
    gclab_object *t1 = gclab_new_tuple(h, 2, atoms);
    gclab_object *inner[] = {t1, a};
    gclab_object *t2 = gclab_new_tuple(h, 2, inner); /* holds a tuple, which will be untracked */
    gclab_object *withlist[] = {a, l};
    gclab_object *t3 = gclab_new_tuple(h, 2, withlist);
    assert_true(gclab_is_tracked(t1) && gclab_is_tracked(t2) && gclab_is_tracked(t3));
    gclab_collect(h, 0);
    assert_false(gclab_is_tracked(t1));
    assert_false(gclab_is_tracked(t2));
    assert_true(gclab_is_tracked(t3)); /* a list may hold anything later */
    gclab_object *objs[] = {a, s, l, t1, t2, t3};
    for (int i = 0; i < 6; i++)
        gclab_decref(h, objs[i]);
    assert_int_equal(live_objects(h), 1);
    gclab_heap_free(h, NULL);
}

static void dicts_of_atoms_are_untracked_only_by_full_collections(void **state)
{
    (void)state;
    gclab_heap *h = rules_heap(NULL);
    gclab_disable(h);
    gclab_object *d = gclab_new_dict(h), *k = gclab_new_int(h, 1), *l = gclab_new_list(h);
    gclab_dict_setitem(h, d, k, l);
    assert_true(gclab_is_tracked(d));
    gclab_dict_setitem(h, d, k, k); /* now only atoms */
    gclab_collect(h, 1);
    assert_true(gclab_is_tracked(d));
    gclab_collect(h, 2);
    assert_false(gclab_is_tracked(d));
    gclab_dict_setitem(h, d, k, l); /* tracked again on demand */
    assert_true(gclab_is_tracked(d));
    gclab_object *objs[] = {d, k, l};
    for (int i = 0; i < 3; i++)
        gclab_decref(h, objs[i]);
    gclab_heap_free(h, NULL);
}

/* ------------------------------------------------------------------ */
/* Finalizers */

static int finalized;
static gclab_frame *frame;
static int resurrect;

static void finalizer(gclab_heap *h, gclab_object *self, void *ctx)
{
    (void)ctx;
    finalized++;
    if (resurrect)
        gclab_frame_set(h, frame, 0, self);
}

static gclab_object *finalizable(gclab_heap *h, gclab_finalizer_kind kind)
{
    gclab_object *o = gclab_new_instance(h, 1);
    gclab_instance_set_finalizer(h, o, finalizer, NULL, kind);
    return o;
}

static void finalizers_run_once_and_the_cycle_is_collected(void **state)
{
    (void)state;
    gclab_heap *h = rules_heap(NULL);
    gclab_disable(h);
    finalized = 0;
    resurrect = 0;
    gclab_object *a = finalizable(h, GCLAB_FINALIZER_PEP442);
    gclab_object *b = finalizable(h, GCLAB_FINALIZER_PEP442);
    gclab_object *c = finalizable(h, GCLAB_FINALIZER_PEP442);
    gclab_setattr(h, a, 0, b);
    gclab_setattr(h, b, 0, c);
    gclab_setattr(h, c, 0, a);
    gclab_decref(h, a);
    gclab_decref(h, b);
    gclab_decref(h, c);
    assert_int_equal(gclab_collect(h, 2), 3);
    assert_int_equal(finalized, 3);
    assert_int_equal(live_of(h, GCLAB_KIND_INSTANCE), 0);
    gclab_heap_free(h, NULL);
}

static void an_object_a_finalizer_resurrects_survives_and_is_not_finalized_twice(void **state)
{
    (void)state;
    gclab_heap *h = rules_heap(NULL);
    gclab_disable(h);
    frame = gclab_frame_push(h, 1);
    finalized = 0;
    resurrect = 1;
    gclab_object *a = finalizable(h, GCLAB_FINALIZER_PEP442);
    gclab_object *l = gclab_new_list(h); /* a -> l -> a */
    gclab_setattr(h, a, 0, l);
    gclab_list_append(h, l, a);
    gclab_decref(h, a);
    gclab_decref(h, l);
    assert_int_equal(gclab_collect(h, 2), 0); /* a resurrected itself, and l with it */
    assert_int_equal(finalized, 1);
    assert_ptr_equal(gclab_frame_get(frame, 0), a);
    assert_true(gclab_is_finalized(a));
    assert_int_equal(live_of(h, GCLAB_KIND_LIST), 1); /* l came back with a */
    resurrect = 0;
    gclab_frame_set(h, frame, 0, NULL); /* garbage again, a cycle */
    assert_int_equal(gclab_collect(h, 2), 2);
    assert_int_equal(finalized, 1); /* PEP 442: once per object */
    assert_int_equal(live_of(h, GCLAB_KIND_INSTANCE), 0);
    gclab_heap_free(h, NULL);
}

static void legacy_finalizers_make_a_cycle_uncollectable(void **state)
{
    (void)state;
    gclab_heap *h = rules_heap(NULL);
    gclab_disable(h);
    finalized = 0;
    resurrect = 0;
    gclab_object *a = finalizable(h, GCLAB_FINALIZER_LEGACY);
    gclab_object *l = gclab_new_list(h);
    gclab_object *tail = self_cycle(h); /* reachable from the cycle: uncollectable too */
    gclab_setattr(h, a, 0, l);
    gclab_list_append(h, l, a);
    gclab_list_append(h, l, tail);
    gclab_decref(h, a);
    gclab_decref(h, l);
    gclab_decref(h, tail);
    gclab_object *plain = self_cycle(h); /* an ordinary cycle beside it */
    gclab_decref(h, plain);
    assert_int_equal(gclab_collect(h, 2), 4); /* 1 collected + 3 uncollectable */
    gclab_gen_stats st[3];
    gclab_get_stats(h, st, 3);
    assert_int_equal(st[2].collected, 1);
    assert_int_equal(st[2].uncollectable, 3);
    gclab_object *garbage = gclab_get_garbage(h);
    assert_int_equal(gclab_list_len(garbage), 1); /* gc.garbage holds the instance */
    assert_ptr_equal(gclab_list_get(garbage, 0), a);
    assert_int_equal(finalized, 0);
    /* Still uncollectable next time, but no longer new: gc.garbage keeps it. */
    assert_int_equal(gclab_collect(h, 2), 0);
    gclab_leak_report r;
    gclab_heap_free(h, &r);
    assert_int_equal(r.by_kind[GCLAB_KIND_INSTANCE].objects, 1); /* left in gc.garbage at exit */
}

/* ------------------------------------------------------------------ */

/* Freeze is not a matter of the trigger rules: it must hold under the
 * default profile too, whose start-up heap (the profile table's measured
 * count of long-lived tracked objects) is frozen with the program's, as
 * CPython's gc.get_freeze_count() counts it. */
static void check_freeze(gclab_heap *h, long startup)
{
    gclab_disable(h);
    gclab_object *a = self_cycle(h), *b = self_cycle(h), *c = gclab_new_list(h);
    gclab_freeze(h);
    assert_int_equal(gclab_get_freeze_count(h), 3 + startup);
    long cnt[3];
    gclab_get_count(h, cnt, 3);
    assert_int_equal(cnt[0], 0);
    gclab_decref(h, a);
    gclab_decref(h, b);
    gclab_object *young = self_cycle(h);
    gclab_list_append(h, c, young); /* frozen c holds a young cycle */
    gclab_decref(h, young);
    gclab_decref(h, c); /* c is not a cycle: freed by refcount, young now garbage */
    assert_int_equal(gclab_get_freeze_count(h), 2 + startup);
    assert_int_equal(gclab_collect(h, 2), 1); /* only the young cycle */
    gclab_unfreeze(h);
    assert_int_equal(gclab_get_freeze_count(h), 0);
    assert_int_equal(gclab_collect(h, 2), 2);
    assert_int_equal(live_of(h, GCLAB_KIND_LIST), 0);
    gclab_heap_free(h, NULL);
}

static void freeze_moves_everything_out_of_reach_until_unfreeze(void **state)
{
    (void)state;
    check_freeze(rules_heap(NULL), 0);
    long startup = profile_startup_objects("generational", NULL);
    assert_true(startup > 0); /* the default is a CPython profile, with a start-up heap */
    check_freeze(test_heap("generational", NULL), startup);
}

static void threshold_zero_and_disable_stop_automatic_collection(void **state)
{
    (void)state;
    gclab_heap *h = rules_heap(NULL);
    assert_true(gclab_isenabled(h));
    long zero = 0;
    assert_int_equal(gclab_set_threshold(h, &zero, 1, NULL, 0), 0); /* gc.set_threshold(0) */
    for (int i = 0; i < 5000; i++)
        gclab_decref(h, self_cycle(h));
    gclab_gen_stats st[3];
    gclab_get_stats(h, st, 3);
    assert_int_equal(st[0].collections + st[1].collections + st[2].collections, 0);
    assert_true(gclab_isenabled(h)); /* Instagram's way: enabled, never triggered */
    long t[3];
    gclab_get_threshold(h, t, 3);
    assert_int_equal(t[0], 0);
    assert_int_equal(t[1], 10); /* the others keep their values */

    long restore[] = {700};
    gclab_set_threshold(h, restore, 1, NULL, 0);
    gclab_disable(h);
    assert_false(gclab_isenabled(h));
    for (int i = 0; i < 5000; i++)
        gclab_decref(h, self_cycle(h));
    gclab_get_stats(h, st, 3);
    assert_int_equal(st[0].collections, 0);
    assert_int_equal(gclab_collect(h, 2), 10000); /* manual collection still works */
    gclab_enable(h);
    for (int i = 0; i < 5000; i++)
        gclab_decref(h, self_cycle(h));
    gclab_get_stats(h, st, 3);
    assert_ge(st[0].collections, 5000 / 701);
    gclab_heap_free(h, NULL);
}

static void bad_thresholds_are_refused_with_a_reason(void **state)
{
    (void)state;
    gclab_heap *h = rules_heap(NULL);
    char err[256];
    long neg[] = {700, -1, 10};
    assert_int_equal(gclab_set_threshold(h, neg, 3, err, sizeof err), -1);
    assert_non_null(strstr(err, "threshold1"));
    long four[] = {1, 2, 3, 4};
    assert_int_equal(gclab_set_threshold(h, four, 4, err, sizeof err), -1);
    assert_non_null(strstr(err, "1 to 3"));
    long t[3];
    gclab_get_threshold(h, t, 3);
    assert_int_equal(t[1], 10); /* unchanged */
    gclab_heap_free(h, NULL);

    h = test_heap("refcount", NULL);
    assert_int_equal(gclab_set_threshold(h, four, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "no thresholds"));
    gclab_heap_free(h, NULL);

    gclab_config cfg = {.thresholds = {100, 5, 5}, .nthresholds = 3};
    h = rules_heap(&cfg);
    gclab_get_threshold(h, t, 3);
    assert_int_equal(t[0], 100);
    assert_int_equal(t[2], 5);
    gclab_heap_free(h, NULL);
}

typedef struct seen_event {
    gclab_gc_phase phase;
    gclab_gc_info info;
} seen_event;

static seen_event events[64];
static int nevents;

static void record(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    (void)h;
    assert_ptr_equal(arg, &nevents);
    if (nevents < 64)
        events[nevents++] = (seen_event){phase, *info};
}

static void callbacks_see_start_and_stop_with_generation_and_counts(void **state)
{
    (void)state;
    gclab_heap *h = rules_heap(NULL);
    gclab_disable(h);
    nevents = 0;
    assert_int_equal(gclab_callback_add(h, record, &nevents), 0);
    for (int i = 0; i < 4; i++)
        gclab_decref(h, self_cycle(h));
    gclab_object *keep = gclab_new_list(h);
    gclab_collect(h, 1);
    assert_int_equal(nevents, 2);
    assert_int_equal(events[0].phase, GCLAB_GC_START);
    assert_int_equal(events[0].info.generation, 1);
    assert_int_equal(events[0].info.reason, GCLAB_REASON_MANUAL);
    assert_int_equal(events[1].phase, GCLAB_GC_STOP);
    assert_int_equal(events[1].info.collected, 4);
    assert_int_equal(events[1].info.uncollectable, 0);
    assert_int_equal(events[1].info.examined, 5);
    assert_string_equal(gclab_reason_name(events[1].info.reason), "manual");

    gclab_enable(h);
    long t[] = {10};
    gclab_set_threshold(h, t, 1, NULL, 0);
    for (int i = 0; i < 11; i++)
        gclab_decref(h, self_cycle(h));
    assert_int_equal(nevents, 4);
    assert_int_equal(events[2].info.reason, GCLAB_REASON_THRESHOLD);
    assert_int_equal(events[2].info.generation, 0);
    assert_int_equal(events[3].info.collected, 10);

    assert_int_equal(gclab_callback_remove(h, record, &nevents), 0);
    assert_int_equal(gclab_callback_remove(h, record, &nevents), -1);
    gclab_collect(h, 2);
    assert_int_equal(nevents, 4);
    gclab_decref(h, keep);

    gclab_gen_stats st[3];
    assert_int_equal(gclab_get_stats(h, st, 3), 3);
    assert_int_equal(st[1].collections, 1);
    assert_int_equal(st[1].collected, 4);
    assert_int_equal(st[0].collected, 10);
    assert_int_equal(st[2].collections, 1);
    gclab_heap_free(h, NULL);
}

/* ------------------------------------------------------------------ */
/* Interrupts */

static int interrupts_seen;
static pthread_t heap_thread;

static void on_interrupt(gclab_heap *h, void *arg)
{
    (void)h;
    assert_ptr_equal(arg, &interrupts_seen);
    assert_true(pthread_equal(pthread_self(), heap_thread)); /* on the heap's own thread */
    interrupts_seen++;
}

static void *interrupter(void *arg)
{
    gclab_interrupt(arg);
    return NULL;
}

static void interrupts_run_at_the_next_safe_point_without_collecting(void **state)
{
    (void)state;
    gclab_heap *h = rules_heap(NULL);
    heap_thread = pthread_self();
    interrupts_seen = 0;
    assert_int_equal(gclab_interrupt_handler_add(h, on_interrupt, &interrupts_seen), 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, interrupter, h), 0);
    pthread_join(t, NULL);
    assert_int_equal(interrupts_seen, 0); /* not until a safe point */
    gclab_object *l = gclab_new_list(h); /* a container allocation is one */
    assert_int_equal(interrupts_seen, 1);
    gclab_object *m = gclab_new_list(h);
    assert_int_equal(interrupts_seen, 1); /* once per interrupt */
    gclab_interrupt(h);
    gclab_poll(h); /* another safe point */
    assert_int_equal(interrupts_seen, 2);
    gclab_interrupt(h);
    gclab_decref(h, gclab_new_int(h, 7)); /* and so is an atom's allocation */
    assert_int_equal(interrupts_seen, 3);
    gclab_gen_stats st[3];
    gclab_get_stats(h, st, 3);
    assert_int_equal(st[0].collections, 0); /* an interrupt is not a threshold */
    /* ...and the threshold still works after one. */
    gclab_interrupt(h);
    for (int i = 0; i < 701; i++)
        gclab_decref(h, self_cycle(h));
    assert_int_equal(interrupts_seen, 4);
    gclab_get_stats(h, st, 3);
    assert_int_equal(st[0].collections, 1);
    gclab_decref(h, l);
    gclab_decref(h, m);
    gclab_heap_free(h, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(garbage_cycles_trigger_collections_as_cpython_does),
        cmocka_unit_test(growing_heap_shows_the_long_lived_rule),
        cmocka_unit_test(survivors_are_promoted_to_the_next_generation),
        cmocka_unit_test(tuples_of_atoms_are_untracked_by_a_collection),
        cmocka_unit_test(dicts_of_atoms_are_untracked_only_by_full_collections),
        cmocka_unit_test(finalizers_run_once_and_the_cycle_is_collected),
        cmocka_unit_test(an_object_a_finalizer_resurrects_survives_and_is_not_finalized_twice),
        cmocka_unit_test(legacy_finalizers_make_a_cycle_uncollectable),
        cmocka_unit_test(freeze_moves_everything_out_of_reach_until_unfreeze),
        cmocka_unit_test(threshold_zero_and_disable_stop_automatic_collection),
        cmocka_unit_test(bad_thresholds_are_refused_with_a_reason),
        cmocka_unit_test(callbacks_see_start_and_stop_with_generation_and_counts),
        cmocka_unit_test(interrupts_run_at_the_next_safe_point_without_collecting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
