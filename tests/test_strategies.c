/*
 * tests/test_strategies.c -- the deployed strategies' trigger rules:
 * Instagram mode (`disabled`, with its exit option), collection on workload
 * events (`manual-event`) and on a timer (`manual-time`, on a fake clock),
 * and freezing on a workload's announcement.
 */
#include "profile_default.h"

#include <string.h>

static gclab_heap *heap_with(const char *collector, const char *const *params, size_t n)
{
    gclab_config cfg = {.params = params, .nparams = n};
    return test_heap(collector, &cfg);
}

static void make_garbage(gclab_heap *h, int n)
{
    for (int i = 0; i < n; i++) {
        gclab_object *l = gclab_new_list(h);
        gclab_list_append(h, l, l);
        gclab_decref(h, l);
    }
}

static long total_collections(gclab_heap *h)
{
    gclab_gen_stats st[3];
    int n = gclab_get_stats(h, st, 3);
    long c = 0;
    for (int i = 0; i < n; i++)
        c += st[i].collections;
    return c;
}

typedef struct seen {
    int collections, by_reason[5], generation;
} seen;

static void count_stops(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    (void)h;
    seen *s = arg;
    if (phase == GCLAB_GC_STOP) {
        s->collections++;
        s->by_reason[info->reason]++;
        s->generation = info->generation;
    }
}

static void disabled_never_collects_by_itself_but_gc_collect_works(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("disabled", NULL);
    assert_true(gclab_isenabled(h));
    long before[3], after[3];
    gclab_get_count(h, before, 3);
    make_garbage(h, 20000); /* far past any threshold */
    assert_int_equal(total_collections(h), 0);
    gclab_get_count(h, after, 3);
    /* still tracked and counted, as CPython counts: but for the lists the
     * default profile's start-up left on the free list */
    assert_int_equal(after[0] - before[0], 20000 - profile_startup_free_lists("disabled", NULL));
    assert_int_equal(gclab_collect(h, 2), 20000);
    char err[128];
    long t[] = {700};
    assert_int_equal(gclab_set_threshold(h, t, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "no thresholds"));
    gclab_heap_free(h, NULL);
}

static void disabled_exit_collects_or_skips_as_asked(void **state)
{
    (void)state;
    seen s = {0};
    gclab_heap *h = heap_with("disabled", (const char *[]){"exit=collect"}, 1);
    gclab_callback_add(h, count_stops, &s);
    make_garbage(h, 1000);
    gclab_leak_report r;
    gclab_heap_shutdown(h, &r);
    assert_int_equal(s.by_reason[GCLAB_REASON_EXIT], 1);
    assert_int_equal(r.by_kind[GCLAB_KIND_LIST].objects, 0);
    gclab_heap_free(h, NULL);

    memset(&s, 0, sizeof s);
    h = heap_with("disabled", (const char *[]){"exit=skip"}, 1);
    gclab_callback_add(h, count_stops, &s);
    make_garbage(h, 1000);
    gclab_heap_shutdown(h, &r);
    assert_int_equal(s.collections, 0); /* os._exit: no exit collection */
    assert_int_equal(r.by_kind[GCLAB_KIND_LIST].objects, 1000);
    gclab_heap_free(h, NULL);
}

static void manual_event_collects_on_every_nth_named_event(void **state)
{
    (void)state;
    seen s = {0};
    gclab_heap *h = heap_with("manual-event", (const char *[]){"event=request_end", "every=3", "generation=1"}, 3);
    gclab_callback_add(h, count_stops, &s);
    for (int request = 1; request <= 10; request++) {
        make_garbage(h, 1000); /* more than threshold0: nothing automatic */
        gclab_event(h, "request_end");
        gclab_event(h, "request_start"); /* other events are not counted */
    }
    assert_int_equal(s.collections, 3); /* after requests 3, 6 and 9 */
    assert_int_equal(s.by_reason[GCLAB_REASON_EVENT], 3);
    assert_int_equal(s.generation, 1);
    gclab_gen_stats st[3];
    gclab_get_stats(h, st, 3);
    assert_int_equal(st[1].collections, 3);
    assert_int_equal(st[1].collected, 9000);
    gclab_event(h, "idle"); /* idle is off by default */
    assert_int_equal(s.collections, 3);
    gclab_heap_free(h, NULL);

    memset(&s, 0, sizeof s);
    h = heap_with("manual-event", (const char *[]){"event=tick", "idle=true"}, 2);
    gclab_callback_add(h, count_stops, &s);
    gclab_event(h, "idle");
    gclab_event(h, "tick");
    gclab_event(h, "request_end");
    assert_int_equal(s.by_reason[GCLAB_REASON_EVENT], 2);
    gclab_heap_free(h, NULL);
}

static void freeze_on_warmup_end_takes_the_heap_out_of_every_collection(void **state)
{
    (void)state;
    static const char *const collectors[] = {"generational", "disabled"};
    for (int c = 0; c < 2; c++) {
        gclab_heap *h = heap_with(collectors[c], (const char *[]){"freeze=warmup"}, 1);
        gclab_frame *f = gclab_frame_push(h, 1);
        gclab_object *app = gclab_new_list(h);
        gclab_frame_set(h, f, 0, app);
        for (int i = 0; i < 5000; i++) {
            gclab_object *x = gclab_new_dict(h), *k = gclab_new_int(h, i);
            gclab_dict_setitem(h, x, k, app); /* tracked: holds a list */
            gclab_list_append(h, app, x);
            gclab_decref(h, x);
            gclab_decref(h, k);
        }
        gclab_decref(h, app);
        assert_int_equal(gclab_get_freeze_count(h), 0);
        gclab_event(h, "prefork"); /* not the event asked for */
        assert_int_equal(gclab_get_freeze_count(h), 0);
        gclab_event(h, "warmup_end");
        /* app and its 5000 dicts, and the default profile's start-up heap */
        assert_int_equal(gclab_get_freeze_count(h), 5001 + profile_startup_objects(collectors[c], NULL));
        seen s = {0};
        gclab_callback_add(h, count_stops, &s);
        make_garbage(h, 10);
        assert_int_equal(gclab_collect(h, 2), 10); /* examines only what came after */
        gclab_heap_free(h, NULL);
    }
}

/* PEP 683: frozen with immortal=true, objects are never written by
 * incref/decref, survive every collection (even unreachable), and are
 * freed at teardown without a leak (the ASan build checks that). */
static void immortal_objects_are_never_written_and_still_freed_at_the_end(void **state)
{
    (void)state;
    gclab_heap *h = heap_with("generational", (const char *[]){"freeze=warmup", "immortal=true"}, 2);
    gclab_frame *f = gclab_frame_push(h, 1);
    gclab_object *app = gclab_new_list(h);
    gclab_frame_set(h, f, 0, app);
    for (int i = 0; i < 1000; i++) {
        gclab_object *x = gclab_new_list(h);
        gclab_list_append(h, x, x); /* a cycle: garbage once unreachable */
        gclab_list_append(h, app, x);
        gclab_decref(h, x);
    }
    gclab_object *x0 = gclab_list_get(app, 0);
    gclab_decref(h, app);
    assert_false(gclab_is_immortal(x0));
    gclab_event(h, "warmup_end");
    assert_true(gclab_is_immortal(x0) && gclab_is_immortal(app));
    intptr_t rc = gclab_refcnt(x0);
    gclab_incref(x0);
    gclab_decref(h, x0);
    gclab_decref(h, x0); /* even an unbalanced decref writes nothing */
    assert_int_equal(gclab_refcnt(x0), rc);
    gclab_frame_set(h, f, 0, NULL); /* unreachable now, but immortal */
    gclab_unfreeze(h);
    assert_int_equal(gclab_collect(h, 2), 0); /* collected never: not even their cycles */
    assert_true(gclab_is_immortal(x0));
    gclab_leak_report r;
    gclab_heap_shutdown(h, &r);
    assert_int_equal(r.by_kind[GCLAB_KIND_LIST].objects, 1001);
    gclab_heap_free(h, NULL);
}

/* A fake clock, moved by the test. */
static uint64_t fake_now_ns;
static uint64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now_ns;
}

typedef struct timed {
    uint64_t at[64];
    int n, other;
} timed;

static void record_time(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    (void)h;
    timed *t = arg;
    if (phase != GCLAB_GC_STOP)
        return;
    if (info->reason == GCLAB_REASON_TIME && t->n < 64)
        t->at[t->n++] = fake_now_ns;
    else if (info->reason != GCLAB_REASON_TIME)
        t->other++;
}

/* Interrupts come as the ticker thread sends them; here the test sends them
 * itself, every 7 ms of fake time over about 1 s, and checks that each
 * timed collection comes at the first safe point an interval of 100 ms after
 * the previous one ended (the collections take no fake time). */
static void manual_time_collects_once_per_interval_on_a_fake_clock(void **state)
{
    (void)state;
    const uint64_t ms = 1000000, step = 7 * ms;
    fake_now_ns = 5 * ms;
    const char *params[] = {"interval_ms=100", "generation=1"};
    gclab_config cfg = {.params = params, .nparams = 2, .clock_ns = fake_clock};
    gclab_heap *h = test_heap("manual-time", &cfg);
    timed t = {0};
    gclab_callback_add(h, record_time, &t);
    for (fake_now_ns = 5 * ms; fake_now_ns <= 1012 * ms; fake_now_ns += step) {
        make_garbage(h, 100); /* safe points, but no threshold: automatic collection is off */
        gclab_interrupt(h);
        gclab_poll(h);
    }
    assert_int_equal(t.other, 0);
    assert_int_equal(t.n, 9); /* 100 ms apart, each up to a step late */
    uint64_t previous = 5 * ms;
    for (int k = 0; k < t.n; k++) {
        if (t.at[k] < previous + 100 * ms || t.at[k] >= previous + 100 * ms + step)
            fail_msg("collection %d at %llu ms, the previous at %llu ms: want 100 ms apart, "
                     "within one %llu ms step", k, (unsigned long long)(t.at[k] / ms),
                     (unsigned long long)(previous / ms), (unsigned long long)(step / ms));
        previous = t.at[k];
    }
    gclab_gen_stats st[3];
    gclab_get_stats(h, st, 3);
    assert_int_equal(st[1].collections, 9);
    /* An interrupt before the interval has passed collects nothing. */
    fake_now_ns = previous + 50 * ms;
    gclab_interrupt(h);
    gclab_poll(h);
    assert_int_equal(t.n, 9);
    /* A long stall makes one collection, not one per missed interval. */
    fake_now_ns += 500 * ms;
    gclab_interrupt(h);
    gclab_poll(h);
    gclab_interrupt(h);
    gclab_poll(h);
    assert_int_equal(t.n, 10);
    gclab_heap_free(h, NULL);
}

static void bad_strategy_parameters_are_refused_naming_the_parameter(void **state)
{
    (void)state;
    static const struct {
        const char *collector, *setting, *says;
    } bad[] = {
        {"manual-event", "every=0", "'every' must be an integer from 1"},
        {"manual-event", "generation=3", "'generation' must be an integer from 0 to 2"},
        {"manual-event", "idle=sometimes", "'idle' must be true or false"},
        {"disabled", "exit=maybe", "collect|skip"},
        {"disabled", "freeze=always", "never|warmup|prefork"},
        {"generational", "freeze=1", "never|warmup|prefork"},
        {"disabled", "interval_ms=10", "disabled has no parameter 'interval_ms' (valid: exit, freeze, immortal, profile, startup)"},
        {"manual-time", "interval_ms=0", "'interval_ms' must be an integer from 1 to 3600000 ms"},
        {"manual-time", "interval_ms=fast", "got 'fast'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256] = "";
        gclab_config cfg = {.params = &bad[i].setting, .nparams = 1};
        assert_null(gclab_heap_new(bad[i].collector, &cfg, err, sizeof err));
        if (!strstr(err, bad[i].says))
            fail_msg("%s %s: got '%s', expected it to say '%s'", bad[i].collector, bad[i].setting, err,
                     bad[i].says);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(disabled_never_collects_by_itself_but_gc_collect_works),
        cmocka_unit_test(disabled_exit_collects_or_skips_as_asked),
        cmocka_unit_test(manual_event_collects_on_every_nth_named_event),
        cmocka_unit_test(freeze_on_warmup_end_takes_the_heap_out_of_every_collection),
        cmocka_unit_test(immortal_objects_are_never_written_and_still_freed_at_the_end),
        cmocka_unit_test(manual_time_collects_once_per_interval_on_a_fake_clock),
        cmocka_unit_test(bad_strategy_parameters_are_refused_naming_the_parameter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
