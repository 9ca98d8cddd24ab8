/*
 * tests/test_objects.c -- the object model: references, containers, atoms,
 * accounting, the trashcan, finalizers at refcount zero, roots, parameters.
 * Runs under the refcount collector, so nothing here depends on a collection.
 */
#include "test.h"

#include <stdlib.h>
#include <string.h>

static void list_operations_keep_refcounts_right(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("refcount", NULL);
    gclab_object *l = gclab_new_list(h), *a = gclab_new_int(h, 1), *b = gclab_new_int(h, 2);
    gclab_list_append(h, l, a);
    gclab_list_append(h, l, b);
    gclab_list_append(h, l, a);
    assert_int_equal(gclab_list_len(l), 3);
    assert_int_equal(gclab_refcnt(a), 3);
    assert_ptr_equal(gclab_list_get(l, 1), b);
    assert_null(gclab_list_get(l, 3));
    assert_int_equal(gclab_list_set(h, l, 1, a), 0);
    assert_int_equal(gclab_refcnt(a), 4);
    assert_int_equal(gclab_refcnt(b), 1);
    assert_int_equal(gclab_list_set(h, l, 7, a), -1);
    assert_int_equal(gclab_list_swap_remove(h, l, 0), 0);
    assert_int_equal(gclab_list_len(l), 2);
    assert_int_equal(gclab_refcnt(a), 3);
    assert_int_equal(gclab_list_swap_remove(h, l, 2), -1);
    for (int i = 0; i < 1000; i++)
        gclab_list_append(h, l, b);
    assert_int_equal(gclab_refcnt(b), 1001);
    gclab_list_clear(h, l);
    assert_int_equal(gclab_list_len(l), 0);
    assert_int_equal(gclab_refcnt(b), 1);
    assert_int_equal(gclab_refcnt(a), 1);
    gclab_decref(h, l);
    gclab_decref(h, a);
    gclab_decref(h, b);
    assert_int_equal(live_of(h, GCLAB_KIND_INT), 0);
    assert_int_equal(live_of(h, GCLAB_KIND_LIST), 0);
    gclab_heap_free(h, NULL);
}

static void list_display_is_exactly_sized_and_grows_like_append(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("refcount", NULL);
    gclab_object *a = gclab_new_int(h, 1), *b = gclab_new_str(h, "b", 1);
    gclab_object *items[] = {a, b, a};
    gclab_heap_stats s0, s1, s2;
    gclab_heap_get_stats(h, &s0);
    gclab_object *empty = gclab_new_list_from(h, 0, NULL);
    gclab_heap_get_stats(h, &s1);
    gclab_object *l = gclab_new_list_from(h, 3, items); /* [a, b, a] */
    gclab_heap_get_stats(h, &s2);
    size_t empty_bytes = s1.by_kind[GCLAB_KIND_LIST].bytes - s0.by_kind[GCLAB_KIND_LIST].bytes;
    size_t three_bytes = s2.by_kind[GCLAB_KIND_LIST].bytes - s1.by_kind[GCLAB_KIND_LIST].bytes;
    assert_int_equal(three_bytes - empty_bytes, 3 * sizeof(gclab_object *)); /* exactly 3 slots */
    assert_int_equal(gclab_list_len(empty), 0);
    assert_ptr_equal(gclab_list_get(l, 2), a);
    assert_int_equal(gclab_refcnt(a), 3);
    assert_true(gclab_is_tracked(l));
    gclab_list_append(h, l, b); /* grows past the exact size */
    assert_int_equal(gclab_list_len(l), 4);
    assert_int_equal(gclab_refcnt(b), 3);
    gclab_decref(h, empty);
    gclab_decref(h, l);
    assert_int_equal(gclab_refcnt(a), 1);
    gclab_decref(h, a);
    gclab_decref(h, b);
    assert_int_equal(live_of(h, GCLAB_KIND_LIST), 0);
    gclab_heap_free(h, NULL);
}

static void tuple_owns_its_items_and_starts_tracked(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("refcount", NULL);
    gclab_object *x = gclab_new_int(h, 7), *s = gclab_new_str(h, "seven", 5);
    gclab_object *items[] = {x, s, x};
    gclab_object *t = gclab_new_tuple(h, 3, items);
    assert_int_equal(gclab_tuple_len(t), 3);
    assert_ptr_equal(gclab_tuple_get(t, 1), s);
    assert_int_equal(gclab_refcnt(x), 3);
    assert_true(gclab_is_tracked(t)); /* like PyTuple_New; only the GC untracks it */
    gclab_decref(h, x);
    gclab_decref(h, s);
    gclab_decref(h, t);
    assert_int_equal(live_objects(h), 1); /* just the globals dict */
    gclab_heap_free(h, NULL);
}

static void dict_keys_compare_by_value_for_atoms_and_tuples(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("refcount", NULL);
    gclab_object *d = gclab_new_dict(h);
    gclab_object *k1 = gclab_new_int(h, 42), *k1b = gclab_new_int(h, 42);
    gclab_object *v1 = gclab_new_str(h, "a", 1), *v2 = gclab_new_str(h, "b", 1);
    gclab_dict_setitem(h, d, k1, v1);
    assert_ptr_equal(gclab_dict_getitem(d, k1b), v1); /* equal int, other object */
    gclab_dict_setitem(h, d, k1b, v2);                /* replaces the value */
    assert_int_equal(gclab_dict_len(d), 1);
    assert_ptr_equal(gclab_dict_getitem(d, k1), v2);
    assert_int_equal(gclab_refcnt(v1), 1);
    assert_int_equal(gclab_refcnt(k1b), 1); /* the first key was kept */

    gclab_object *s1 = gclab_new_str(h, "key", 3), *s2 = gclab_new_str(h, "key", 3);
    gclab_object *b1 = gclab_new_bytes(h, "key", 3);
    gclab_object *pair1[] = {k1, s1}, *pair2[] = {k1b, s2};
    gclab_object *t1 = gclab_new_tuple(h, 2, pair1), *t2 = gclab_new_tuple(h, 2, pair2);
    gclab_dict_setitem(h, d, s1, v1);
    gclab_dict_setitem(h, d, t1, v1);
    assert_ptr_equal(gclab_dict_getitem(d, s2), v1);
    assert_null(gclab_dict_getitem(d, b1)); /* bytes never equal str */
    assert_ptr_equal(gclab_dict_getitem(d, t2), v1);
    assert_int_equal(gclab_dict_len(d), 3);
    assert_int_equal(gclab_dict_delitem(h, d, t2), 0);
    assert_int_equal(gclab_dict_delitem(h, d, t2), -1);
    assert_int_equal(gclab_dict_len(d), 2);

    /* Many inserts and deletes: deleted slots are reused or rehashed away. */
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5000; i++) {
            gclab_object *k = gclab_new_int(h, 1000 + i);
            gclab_dict_setitem(h, d, k, k);
            gclab_decref(h, k);
        }
        assert_int_equal(gclab_dict_len(d), 5002);
        for (int i = 0; i < 5000; i++) {
            gclab_object *k = gclab_new_int(h, 1000 + i);
            assert_int_equal(gclab_dict_delitem(h, d, k), 0);
            gclab_decref(h, k);
        }
        assert_int_equal(gclab_dict_len(d), 2);
    }
    size_t pos = 0, seen = 0;
    gclab_object *k, *v;
    while (gclab_dict_next(d, &pos, &k, &v))
        seen++;
    assert_int_equal(seen, 2);

    gclab_object *all[] = {k1, k1b, v1, v2, s1, s2, b1, t1, t2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        gclab_decref(h, all[i]);
    gclab_decref(h, d);
    assert_int_equal(live_objects(h), 1);
    gclab_heap_free(h, NULL);
}

static void dict_is_tracked_only_once_it_holds_a_container(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("refcount", NULL);
    gclab_object *d = gclab_new_dict(h), *k = gclab_new_int(h, 1), *l = gclab_new_list(h);
    assert_false(gclab_is_tracked(d));
    gclab_dict_setitem(h, d, k, k);
    assert_false(gclab_is_tracked(d)); /* atoms only */
    gclab_object *items[] = {k};
    gclab_object *t = gclab_new_tuple(h, 1, items);
    gclab_dict_setitem(h, d, t, k);
    assert_true(gclab_is_tracked(d)); /* a tracked tuple may hold anything later */
    gclab_object *d2 = gclab_new_dict(h);
    gclab_dict_setitem(h, d2, k, l);
    assert_true(gclab_is_tracked(d2));
    gclab_object *objs[] = {d, k, l, t, d2};
    for (size_t i = 0; i < 5; i++)
        gclab_decref(h, objs[i]);
    gclab_heap_free(h, NULL);
}

static void accounting_follows_objects_and_bytes_by_kind(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("refcount", NULL);
    gclab_heap_stats s0, s1, s2;
    gclab_heap_get_stats(h, &s0);
    gclab_object *big = gclab_new_bytes(h, NULL, 64u << 20); /* an atom of 64 MiB */
    gclab_object *l = gclab_new_list(h);
    for (int i = 0; i < 100; i++)
        gclab_list_append(h, l, big);
    gclab_heap_get_stats(h, &s1);
    assert_int_equal(s1.live.objects, s0.live.objects + 2);
    assert_int_equal(s1.by_kind[GCLAB_KIND_BYTES].objects, 1);
    assert_true(s1.by_kind[GCLAB_KIND_BYTES].bytes >= (64u << 20));
    assert_ge(s1.by_kind[GCLAB_KIND_LIST].bytes, 100 * sizeof(void *)); /* items counted */
    assert_false(gclab_is_tracked(big));
    assert_int_equal(gclab_atom_size(big), 64u << 20);
    assert_int_equal(gclab_atom_data(big)[12345], 0);
    gclab_decref(h, big);
    gclab_decref(h, l);
    gclab_heap_get_stats(h, &s2);
    assert_int_equal(s2.live.objects, s0.live.objects);
    assert_int_equal(s2.live.bytes, s0.live.bytes);
    assert_int_equal(s2.allocations, s0.allocations + 2);
    assert_int_equal(s2.frees, s0.frees + 2);
    assert_string_equal(gclab_kind_name(GCLAB_KIND_INSTANCE), "instance");
    gclab_heap_free(h, NULL);
}

/* A chain of a million nested lists: freeing the head frees all of it with
 * bounded C recursion (deep recursion would overflow the 8 MiB stack). */
static void freeing_a_long_chain_does_not_recurse_deeply(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("refcount", NULL);
    size_t before = live_objects(h);
    gclab_object *head = gclab_new_list(h);
    gclab_object *cur = head;
    for (int i = 0; i < 1000000; i++) {
        gclab_object *next = gclab_new_list(h);
        gclab_list_append(h, cur, next);
        gclab_decref(h, next);
        cur = next;
    }
    /* And a chain through dicts and instances too. */
    size_t keys = 0;
    for (int i = 0; i < 200000; i++) {
        gclab_object *next = (i & 1) ? gclab_new_instance(h, 1) : gclab_new_dict(h);
        if (gclab_kind_of(cur) == GCLAB_KIND_LIST) {
            gclab_list_append(h, cur, next);
        } else if (gclab_kind_of(cur) == GCLAB_KIND_INSTANCE) {
            gclab_setattr(h, cur, 0, next);
        } else {
            gclab_object *k = gclab_new_int(h, 0);
            gclab_dict_setitem(h, cur, k, next);
            gclab_decref(h, k);
            keys++;
        }
        gclab_decref(h, next);
        cur = next;
    }
    assert_int_equal(live_objects(h), before + 1200001 + keys);
    gclab_decref(h, head);
    assert_int_equal(live_objects(h), before);
    gclab_heap_free(h, NULL);
}

static int finalized, resurrect;
static gclab_frame *frame;

static void finalizer(gclab_heap *h, gclab_object *self, void *ctx)
{
    (void)ctx;
    finalized++;
    if (resurrect)
        gclab_frame_set(h, frame, 0, self);
}

static void pep442_finalizer_runs_once_and_may_resurrect(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("refcount", NULL);
    frame = gclab_frame_push(h, 1);
    finalized = 0;
    resurrect = 1;
    gclab_object *o = gclab_new_instance(h, 2);
    gclab_instance_set_finalizer(h, o, finalizer, NULL, GCLAB_FINALIZER_PEP442);
    gclab_decref(h, o); /* refcount 0: finalizer runs and resurrects */
    assert_int_equal(finalized, 1);
    assert_ptr_equal(gclab_frame_get(frame, 0), o);
    assert_int_equal(gclab_refcnt(o), 1);
    assert_true(gclab_is_finalized(o));
    assert_true(gclab_is_tracked(o));
    assert_int_equal(live_of(h, GCLAB_KIND_INSTANCE), 1);
    gclab_frame_set(h, frame, 0, NULL); /* refcount 0 again: no second run */
    assert_int_equal(finalized, 1);
    assert_int_equal(live_of(h, GCLAB_KIND_INSTANCE), 0);
    gclab_frame_pop(h);
    gclab_heap_free(h, NULL);
}

static void legacy_finalizer_runs_at_every_refcount_zero(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("refcount", NULL);
    frame = gclab_frame_push(h, 1);
    finalized = 0;
    resurrect = 1;
    gclab_object *o = gclab_new_instance(h, 0);
    gclab_instance_set_finalizer(h, o, finalizer, NULL, GCLAB_FINALIZER_LEGACY);
    gclab_decref(h, o);
    assert_int_equal(finalized, 1);
    resurrect = 0;
    gclab_frame_set(h, frame, 0, NULL); /* tp_del runs again, and this time lets go */
    assert_int_equal(finalized, 2);
    assert_int_equal(live_of(h, GCLAB_KIND_INSTANCE), 0);
    gclab_heap_free(h, NULL); /* pops the frame */
}

static int count_visit(gclab_object *o, void *arg)
{
    (void)o;
    ++*(int *)arg;
    return 0;
}

static void roots_are_globals_and_frame_slots(void **state)
{
    (void)state;
    gclab_heap *h = test_heap("refcount", NULL);
    gclab_object *g = gclab_globals(h);
    assert_int_equal(gclab_kind_of(g), GCLAB_KIND_DICT);
    gclab_frame *f1 = gclab_frame_push(h, 3), *f2 = gclab_frame_push(h, 2);
    assert_ptr_equal(gclab_frame_top(h), f2);
    gclab_object *a = gclab_new_list(h), *b = gclab_new_int(h, 5);
    gclab_frame_set(h, f1, 0, a);
    gclab_frame_set(h, f1, 2, b);
    gclab_frame_set(h, f2, 1, a);
    int n = 0;
    assert_int_equal(gclab_visit_roots(h, count_visit, &n), 0);
    assert_int_equal(n, 4); /* globals + 3 filled slots */
    assert_int_equal(gclab_refcnt(a), 3);
    gclab_decref(h, a);
    gclab_decref(h, b);
    gclab_frame_pop(h);
    assert_int_equal(gclab_refcnt(a), 1);
    assert_ptr_equal(gclab_frame_top(h), f1);
    gclab_frame_pop(h);
    assert_int_equal(live_of(h, GCLAB_KIND_LIST), 0);
    assert_int_equal(live_of(h, GCLAB_KIND_INT), 0);
    assert_null(gclab_frame_top(h));
    gclab_heap_free(h, NULL);
}

static void unknown_collector_is_refused_naming_the_valid_ones(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(gclab_heap_new("mark-sweep", NULL, err, sizeof err));
    assert_non_null(strstr(err, "mark-sweep"));
    for (size_t i = 0; i < gclab_collector_count(); i++)
        assert_non_null(strstr(err, gclab_collector_at(i)->name));
    assert_null(gclab_heap_new("refcount", &(gclab_config){.params = (const char *[]){"x=1"}, .nparams = 1},
                               err, sizeof err));
    assert_non_null(strstr(err, "'x'"));
}

static const gclab_param demo_params[] = {
    {"interval_ms", GCLAB_PARAM_INT, "10", "ms", 1, 60000, NULL, "how often"},
    {"ratio", GCLAB_PARAM_DOUBLE, "0.5", "", 0, 1, NULL, "a fraction"},
    {"exit", GCLAB_PARAM_BOOL, "true", "", 0, 0, NULL, "collect at exit"},
    {"kind", GCLAB_PARAM_CHOICE, "list", "", 0, 0, "dict|list|instance", "container kind"},
};

static int parse(const char *setting, gclab_value *out, char *err, size_t errlen)
{
    const char *settings[] = {setting};
    return gclab_params_parse(demo_params, 4, "demo", settings, setting ? 1 : 0, out, err, errlen);
}

static void parameters_parse_with_defaults_ranges_and_clear_errors(void **state)
{
    (void)state;
    gclab_value v[4];
    char err[256];
    assert_int_equal(parse(NULL, v, err, sizeof err), 0);
    assert_int_equal(v[0].i, 10);
    assert_true(v[1].d == 0.5);
    assert_int_equal(v[2].i, 1);
    assert_int_equal(v[3].i, 1);
    assert_int_equal(parse("kind=instance", v, err, sizeof err), 0);
    assert_int_equal(v[3].i, 2);
    assert_int_equal(parse("exit=off", v, err, sizeof err), 0);
    assert_int_equal(v[2].i, 0);
    assert_int_equal(parse("interval_ms=60000", v, err, sizeof err), 0);
    assert_int_equal(v[0].i, 60000);

    assert_int_equal(parse("interval_ms=0", v, err, sizeof err), -1);
    assert_non_null(strstr(err, "from 1 to 60000 ms"));
    assert_int_equal(parse("interval_ms=ten", v, err, sizeof err), -1);
    assert_non_null(strstr(err, "'ten'"));
    assert_int_equal(parse("ratio=1.5", v, err, sizeof err), -1);
    assert_int_equal(parse("kind=set", v, err, sizeof err), -1);
    assert_non_null(strstr(err, "dict|list|instance"));
    assert_int_equal(parse("exit=maybe", v, err, sizeof err), -1);
    assert_int_equal(parse("speed=3", v, err, sizeof err), -1);
    assert_non_null(strstr(err, "interval_ms, ratio, exit, kind"));
    assert_int_equal(parse("ratio", v, err, sizeof err), -1);
    assert_non_null(strstr(err, "needs a value"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_operations_keep_refcounts_right),
        cmocka_unit_test(list_display_is_exactly_sized_and_grows_like_append),
        cmocka_unit_test(tuple_owns_its_items_and_starts_tracked),
        cmocka_unit_test(dict_keys_compare_by_value_for_atoms_and_tuples),
        cmocka_unit_test(dict_is_tracked_only_once_it_holds_a_container),
        cmocka_unit_test(accounting_follows_objects_and_bytes_by_kind),
        cmocka_unit_test(freeing_a_long_chain_does_not_recurse_deeply),
        cmocka_unit_test(pep442_finalizer_runs_once_and_may_resurrect),
        cmocka_unit_test(legacy_finalizer_runs_at_every_refcount_zero),
        cmocka_unit_test(roots_are_globals_and_frame_slots),
        cmocka_unit_test(unknown_collector_is_refused_naming_the_valid_ones),
        cmocka_unit_test(parameters_parse_with_defaults_ranges_and_clear_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
