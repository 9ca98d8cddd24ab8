/*
 * tests/test_api_edges.c -- teardown and the edges of the public API.
 *
 * Every heap here counts its frees through gclab_config.on_free; the check
 * at the end is that gclab_heap_free freed every object the heap made,
 * exactly once per kind (the ASan build adds: never touching freed memory,
 * and never leaking the memory itself).  The regression tests for the
 * teardown and interrupt-handler bugs come first; the sweep over every
 * registered collector and the edges of every public function follows.
 */
#define _POSIX_C_SOURCE 200809L /* fork, pipe, waitpid */

#include "test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* Under ASan an allocation too big to make returns NULL, as libc's does,
 * so that gclab's own out-of-memory path is what the tests see. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
#endif

/* ------------------------------------------------------------------ */
/* Counting frees */

typedef struct frees {
    unsigned long long by_kind[GCLAB_NKINDS];
} frees;

static void count_free(gclab_heap *h, gclab_object *o, void *arg)
{
    (void)h;
    frees *f = arg;
    f->by_kind[gclab_kind_of(o)]++;
}

/* A heap of `collector` with `nparams` settings whose frees go to *f. */
static gclab_heap *counted_heap(const char *collector, const char *const *params, size_t nparams,
                                frees *f)
{
    memset(f, 0, sizeof *f);
    gclab_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.params = params;
    cfg.nparams = nparams;
    cfg.on_free = count_free;
    cfg.on_free_arg = f;
    return test_heap(collector, &cfg);
}

/* Shut down, note every allocation the heap ever made, free it, and check
 * that each object was handed to on_free exactly once. */
static void free_and_check(gclab_heap *h, const frees *f, const char *what)
{
    gclab_heap_shutdown(h, NULL);
    gclab_heap_stats st;
    gclab_heap_get_stats(h, &st);
    unsigned long long made[GCLAB_NKINDS], total = 0;
    for (int k = 0; k < GCLAB_NKINDS; k++) {
        made[k] = st.by_kind[k].objects + f->by_kind[k]; /* live + freed so far */
        total += made[k];
    }
    assert_int_equal(total, st.allocations); /* on_free heard every free so far */
    gclab_heap_free(h, NULL);
    char msg[512] = "";
    size_t used = 0;
    for (int k = 0; k < GCLAB_NKINDS && used < sizeof msg; k++)
        if (f->by_kind[k] != made[k])
            used += (size_t)snprintf(msg + used, sizeof msg - used, " %s: %llu made, %llu freed;",
                                     gclab_kind_name((gclab_kind)k), made[k], f->by_kind[k]);
    if (used)
        fail_msg("%s:%s", what, msg);
}

/* ------------------------------------------------------------------ */
/* Regression: gclab_interrupt_handler_add with a NULL handler */

static int handler_runs;
static void count_interrupt(gclab_heap *h, void *arg)
{
    (void)h;
    (*(int *)arg)++;
}

/* It used to realloc the handler array, then return -1 without keeping the
 * new pointer: the heap kept the freed array (use after free at the next
 * interrupt, double free at teardown).  manual-time registers a handler of
 * its own, so the array is not empty. */
static void a_null_interrupt_handler_is_refused_without_touching_the_others(void **state)
{
    (void)state;
    frees f;
    gclab_heap *h = counted_heap("manual-time", (const char *[]){"interval_ms=3600000"}, 1, &f);
    assert_int_equal(gclab_interrupt_handler_add(h, NULL, &handler_runs), -1);
    handler_runs = 0;
    assert_int_equal(gclab_interrupt_handler_add(h, count_interrupt, &handler_runs), 0);
    gclab_interrupt(h);
    gclab_poll(h);
    assert_int_equal(handler_runs, 1);
    assert_int_equal(gclab_interrupt_handler_add(h, NULL, NULL), -1);
    gclab_interrupt(h);
    gclab_decref(h, gclab_new_list(h)); /* a safe point */
    assert_int_equal(handler_runs, 2);
    free_and_check(h, &f, "manual-time");
}

/* A handler that raises an interrupt and then reaches a safe point (an
 * allocation, a poll) used to run itself again from inside itself, as deep
 * as it kept doing so: a stack overflow for a handler that collects while
 * gc callbacks interrupt.  Handlers now never nest (neither do CPython's
 * pending calls); what arrives meanwhile runs at the next safe point. */
static int handler_depth, handler_max_depth;
static void reentering_handler(gclab_heap *h, void *arg)
{
    int *runs = arg;
    (*runs)++;
    if (++handler_depth > handler_max_depth)
        handler_max_depth = handler_depth;
    if (*runs < 100) {
        gclab_interrupt(h);
        gclab_decref(h, gclab_new_list(h));
        gclab_poll(h);
    }
    handler_depth--;
}

static void interrupt_handlers_never_run_inside_themselves(void **state)
{
    (void)state;
    frees f;
    gclab_heap *h = counted_heap("refcount", NULL, 0, &f);
    int runs = 0;
    handler_depth = handler_max_depth = 0;
    assert_int_equal(gclab_interrupt_handler_add(h, reentering_handler, &runs), 0);
    gclab_interrupt(h);
    gclab_poll(h);
    assert_int_equal(handler_max_depth, 1);
    assert_int_equal(runs, 1);
    gclab_decref(h, gclab_new_int(h, 1)); /* the interrupt it raised: the next safe point */
    assert_int_equal(runs, 2);
    gclab_poll(h);
    assert_int_equal(runs, 3);
    assert_int_equal(handler_max_depth, 1);
    free_and_check(h, &f, "refcount");
}

/* ------------------------------------------------------------------ */
/* Regression: immortal objects at teardown */

static const char *const immortal_params[] = {"immortal=true"};

static void set_global(gclab_heap *h, const char *name, gclab_object *value)
{
    gclab_object *k = gclab_new_str(h, name, strlen(name));
    gclab_dict_setitem(h, gclab_globals(h), k, value);
    gclab_decref(h, k);
}

/* Teardown used to free immortal objects one by one, each with its refcount
 * reset to 1; a tuple has no clear, so when the list inside went first the
 * tuple's dealloc decref'd freed memory. */
static void teardown_frees_immortal_tuples_after_what_they_hold(void **state)
{
    (void)state;
    frees f;
    gclab_heap *h = counted_heap("generational", immortal_params, 1, &f);
    gclab_object *l = gclab_new_list(h);
    gclab_object *t = gclab_new_tuple(h, 1, &l);    /* t = (l,) */
    gclab_object *tt = gclab_new_tuple(h, 1, &t);   /* tt = ((l,),) */
    gclab_object *d = gclab_new_dict(h);            /* untracked: stays mortal */
    gclab_object *td = gclab_new_tuple(h, 1, &d);   /* immortal, holding a mortal */
    set_global(h, "t", t);
    set_global(h, "tt", tt);
    set_global(h, "td", td);
    gclab_decref(h, l);
    gclab_decref(h, t);
    gclab_decref(h, tt);
    gclab_decref(h, d);
    gclab_decref(h, td);
    gclab_freeze(h);
    assert_true(gclab_is_immortal(l) && gclab_is_immortal(t) && gclab_is_immortal(tt));
    assert_true(gclab_is_immortal(td) && gclab_is_immortal(gclab_globals(h)));
    assert_false(gclab_is_immortal(d));
    free_and_check(h, &f, "t = (l,) frozen immortal");
}

/* A tracked tuple or dict of atoms, frozen immortal, then unfrozen: a full
 * collection used to untrack it, and teardown, which finds containers only
 * among the tracked, never freed it or the atoms it holds. */
static void teardown_frees_immortal_containers_a_collection_would_untrack(void **state)
{
    (void)state;
    frees f;
    gclab_heap *h = counted_heap("generational", immortal_params, 1, &f);
    gclab_object *a = gclab_new_int(h, 1), *b = gclab_new_str(h, "b", 1);
    gclab_object *items[] = {a, b};
    gclab_object *t = gclab_new_tuple(h, 2, items); /* tracked until a collection */
    gclab_object *lone = gclab_new_tuple(h, 2, items); /* referenced by nothing once frozen */
    gclab_object *d = gclab_new_dict(h);
    gclab_object *l = gclab_new_list(h);
    gclab_dict_setitem(h, d, a, l); /* tracked now */
    gclab_dict_setitem(h, d, b, b);
    set_global(h, "t", t);
    set_global(h, "d", d);
    gclab_decref(h, t);
    gclab_decref(h, d);
    gclab_decref(h, l);
    gclab_decref(h, b);
    gclab_freeze(h);
    assert_true(gclab_is_immortal(t) && gclab_is_immortal(lone) && gclab_is_immortal(d));
    assert_true(gclab_is_tracked(t) && gclab_is_tracked(lone) && gclab_is_tracked(d));
    gclab_decref(h, lone); /* a no-op: immortal */
    assert_int_equal(gclab_dict_delitem(h, d, a), 0); /* d holds atoms only now */
    gclab_decref(h, a);
    gclab_unfreeze(h);
    gclab_collect(h, 2);
    free_and_check(h, &f, "frozen immortal tuples and dict of atoms, unfrozen, collected");
}

/* ------------------------------------------------------------------ */
/* Regression: arguments checked only after a side effect */

/* gclab_heap_new checked the thresholds only after the collector's init:
 * manual-time had registered its interrupt handler by then, and the error
 * path freed the heap but not the handler array (LeakSanitizer). */
static void a_heap_refused_for_its_thresholds_leaves_nothing_behind(void **state)
{
    (void)state;
    for (size_t i = 0; i < gclab_collector_count(); i++) {
        const gclab_collector_info *ci = gclab_collector_at(i);
        gclab_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.nthresholds = ci->nthresholds + 1; /* one too many for every collector */
        for (int t = 0; t < GCLAB_MAX_GENERATIONS; t++)
            cfg.thresholds[t] = 10;
        char err[256] = "";
        if (cfg.nthresholds > GCLAB_MAX_GENERATIONS) {
            cfg.nthresholds = 1;
            cfg.thresholds[0] = -1; /* a negative threshold instead */
        }
        assert_null(gclab_heap_new(ci->name, &cfg, err, sizeof err));
        assert_true(err[0] != '\0');
        assert_null(gclab_heap_new(ci->name, &cfg, NULL, 0));
    }
}

/* ------------------------------------------------------------------ */
/* Regression: teardown paths */

/* After gclab_heap_shutdown, reading gc.garbage creates it, and a frame can
 * still be pushed; gclab_heap_free dropped the roots only in the shutdown,
 * so these were never freed. */
static void roots_made_after_shutdown_are_freed_too(void **state)
{
    (void)state;
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const char *name = gclab_collector_at(c)->name;
        frees f;
        gclab_heap *h = counted_heap(name, NULL, 0, &f);
        gclab_heap_shutdown(h, NULL);
        assert_null(gclab_globals(h));
        gclab_object *garbage = gclab_get_garbage(h);
        assert_non_null(garbage);
        gclab_object *i = gclab_new_int(h, 1);
        gclab_list_append(h, garbage, i);
        gclab_decref(h, i);
        gclab_frame *fr = gclab_frame_push(h, 1);
        gclab_object *l = gclab_new_list(h);
        gclab_frame_set(h, fr, 0, l);
        gclab_decref(h, l);
        free_and_check(h, &f, name);
    }
}

static int takes_immortal(const gclab_collector_info *ci)
{
    return gclab_param_find(ci->params, ci->nparams, "immortal", strlen("immortal")) >= 0;
}

static void freeze_in_finalizer(gclab_heap *h, gclab_object *self, void *ctx)
{
    (void)self, (void)ctx;
    gclab_freeze(h);
}

/* A finalizer run at refcount zero that freezes with immortal=true makes its
 * own object immortal (it is still tracked).  instance_dealloc then took one
 * off the immortal refcount and kept the object as resurrected, with a
 * mortal count near 2^60 that nothing would ever drop: never freed. */
static void an_object_frozen_by_its_own_finalizer_is_freed_at_teardown(void **state)
{
    (void)state;
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const gclab_collector_info *ci = gclab_collector_at(c);
        if (!takes_immortal(ci))
            continue;
        for (int kind = 0; kind < 2; kind++) {
            frees f;
            gclab_heap *h = counted_heap(ci->name, immortal_params, 1, &f);
            gclab_object *in = gclab_new_instance(h, 1), *l = gclab_new_list(h);
            gclab_setattr(h, in, 0, l);
            gclab_decref(h, l);
            gclab_instance_set_finalizer(h, in, freeze_in_finalizer, NULL,
                                         kind ? GCLAB_FINALIZER_LEGACY : GCLAB_FINALIZER_PEP442);
            gclab_decref(h, in); /* the finalizer freezes: `in` lives on, immortal */
            assert_true(gclab_is_immortal(in));
            assert_true(gclab_is_tracked(in));
            assert_true(gclab_is_immortal(l));
            free_and_check(h, &f, ci->name);
        }
    }
}

/* gclab_param_names wrote its terminating NUL before looking at the room it
 * was given: a zero-length buffer got a byte written into it. */
static void param_names_writes_nothing_into_no_room(void **state)
{
    (void)state;
    const gclab_collector_info *ci = gclab_collector_find("generational");
    assert_non_null(ci);
    char buf[4] = "xyz";
    gclab_param_names(ci->params, ci->nparams, buf, 0);
    gclab_param_names(NULL, 0, buf, 0);
    assert_string_equal(buf, "xyz");
    gclab_param_names(ci->params, ci->nparams, NULL, 0);
    gclab_param_names(ci->params, ci->nparams, buf, 1);
    assert_string_equal(buf, "");
    gclab_param_names(ci->params, ci->nparams, buf, sizeof buf);
    assert_string_equal(buf, "fre"); /* truncated, terminated */
    gclab_param_names(NULL, 0, buf, sizeof buf);
    assert_string_equal(buf, "non");
}

/* gclab_frame_set checked its slot only with an assert: in a release build
 * an index past the frame wrote past its block, where gclab_frame_get
 * (and list_set, setattr) refuse one. */
static void frame_set_refuses_a_slot_past_the_frame(void **state)
{
    (void)state;
    frees f;
    gclab_heap *h = counted_heap("refcount", NULL, 0, &f);
    gclab_frame *fr = gclab_frame_push(h, 1);
    gclab_frame *empty = gclab_frame_push(h, 0);
    gclab_object *o = gclab_new_int(h, 5);
    assert_int_equal(gclab_frame_set(h, empty, 0, o), -1);
    assert_int_equal(gclab_frame_set(h, fr, 1, o), -1);
    assert_int_equal(gclab_frame_set(h, fr, SIZE_MAX, o), -1);
    assert_int_equal(gclab_refcnt(o), 1); /* nothing stored */
    assert_int_equal(gclab_frame_set(h, fr, 0, o), 0);
    assert_int_equal(gclab_refcnt(o), 2);
    assert_null(gclab_frame_get(fr, 1));
    assert_null(gclab_frame_get(empty, 0));
    gclab_decref(h, o);
    free_and_check(h, &f, "frames");
}

/* ------------------------------------------------------------------ */
/* Regression: the largest sizes */

/* Run fn(h) on a fresh heap in a child process, which must die of SIGABRT
 * after printing gclab's out-of-memory line: the documented end of an
 * allocation that cannot be made.  A size computation that wraps around
 * allocates a small block instead and writes past it.  Returns 1 if so,
 * else prints why not and returns 0. */
static int oom_abort(const char *what, void (*fn)(gclab_heap *h))
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        /* cmocka catches these to report a crash and go on testing: here a
         * crash must end the child. */
        const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            signal(sigs[i], SIG_DFL);
        gclab_heap *h = gclab_heap_new("refcount", NULL, NULL, 0);
        if (h)
            fn(h);
        _exit(0);
    }
    close(fd[1]);
    char out[4096];
    size_t used = 0;
    ssize_t n;
    while ((n = read(fd[0], out + used, sizeof out - 1 - used)) > 0)
        used += (size_t)n;
    out[used] = '\0';
    close(fd[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    int aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
    if (aborted && strstr(out, "gclab: out of memory"))
        return 1;
    print_message("%s: %s %d, stderr: %.200s\n", what,
                  WIFSIGNALED(status) ? "killed by signal" : "exited with",
                  WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), out);
    return 0;
}

static void huge_bytes(gclab_heap *h) { gclab_new_bytes(h, NULL, SIZE_MAX); }
static void huge_str(gclab_heap *h) { gclab_new_str(h, NULL, SIZE_MAX); }
static void half_huge_bytes(gclab_heap *h) { gclab_new_bytes(h, NULL, SIZE_MAX / 2); }
static void huge_tuple(gclab_heap *h)
{
    gclab_object *item = gclab_new_int(h, 1);
    gclab_new_tuple(h, SIZE_MAX / sizeof(void *) + 2, &item);
}
static void huge_list(gclab_heap *h)
{
    gclab_object *item = gclab_new_int(h, 1);
    gclab_new_list_from(h, SIZE_MAX / sizeof(void *) + 2, &item);
}
static void huge_instance(gclab_heap *h) { gclab_new_instance(h, SIZE_MAX / sizeof(void *)); }
static void huge_instance2(gclab_heap *h) { gclab_new_instance(h, SIZE_MAX); }
static void huge_frame(gclab_heap *h) { gclab_frame_push(h, SIZE_MAX / sizeof(void *)); }

static void the_largest_sizes_run_out_of_memory_instead_of_wrapping(void **state)
{
    (void)state;
    int ok = 1;
    ok &= oom_abort("gclab_new_bytes(h, NULL, SIZE_MAX)", huge_bytes);
    ok &= oom_abort("gclab_new_str(h, NULL, SIZE_MAX)", huge_str);
    ok &= oom_abort("gclab_new_bytes(h, NULL, SIZE_MAX / 2)", half_huge_bytes);
    ok &= oom_abort("gclab_new_tuple(h, SIZE_MAX / 8 + 2, items)", huge_tuple);
    ok &= oom_abort("gclab_new_list_from(h, SIZE_MAX / 8 + 2, items)", huge_list);
    ok &= oom_abort("gclab_new_instance(h, SIZE_MAX / 8)", huge_instance);
    ok &= oom_abort("gclab_new_instance(h, SIZE_MAX)", huge_instance2);
    ok &= oom_abort("gclab_frame_push(h, SIZE_MAX / 8)", huge_frame);
    assert_true(ok);
}

/* ------------------------------------------------------------------ */
/* The sweep: every public function at its edges, under every collector,
 * with calls from finalizers, gc callbacks and interrupt handlers. */

enum action { ACT_NOTHING, ACT_ALLOCATE, ACT_COLLECT, ACT_FREEZE, ACT_UNFREEZE, ACT_RESURRECT, NACTIONS };
static const int action_of[NACTIONS] = {ACT_NOTHING,  ACT_ALLOCATE, ACT_COLLECT,
                                        ACT_FREEZE,   ACT_UNFREEZE, ACT_RESURRECT};

typedef struct sweep {
    const gclab_collector_info *ci;
    gclab_object *keep; /* a list the test holds: finalizers resurrect into it */
    long finalized[NACTIONS], legacy_runs, callback_runs, interrupt_runs;
    int freeze_in_callback, unfreeze_in_callback;
    uint64_t now_ns;
} sweep;

static sweep *cur;

static uint64_t fake_clock(void *arg)
{
    sweep *s = arg;
    return s->now_ns += 3600u * 1000000000u; /* an hour per read: every tick is due */
}

static gclab_object *self_cycle(gclab_heap *h)
{
    gclab_object *l = gclab_new_list(h);
    gclab_list_append(h, l, l);
    return l;
}

/* Make a container, drop it at once, and leave a cycle for a collection. */
static void allocate_some(gclab_heap *h)
{
    gclab_decref(h, gclab_new_list(h));
    gclab_decref(h, self_cycle(h));
}

static void edgy_finalizer(gclab_heap *h, gclab_object *self, void *ctx)
{
    int act = *(const int *)ctx;
    cur->finalized[act]++;
    assert_true(gclab_refcnt(self) >= 1);
    switch (act) {
    case ACT_ALLOCATE: {
        gclab_object *l = gclab_new_list(h);
        gclab_list_append(h, l, self); /* a reference, dropped again with l */
        gclab_decref(h, l);
        allocate_some(h);
        break;
    }
    case ACT_COLLECT: {
        long n = gclab_collect(h, cur->ci->ngenerations - 1); /* 0 inside a collection */
        assert_true(n >= 0);
        break;
    }
    case ACT_FREEZE:
        gclab_freeze(h);
        break;
    case ACT_UNFREEZE:
        gclab_unfreeze(h);
        break;
    case ACT_RESURRECT:
        if (cur->keep)
            gclab_list_append(h, cur->keep, self);
        break;
    default:
        break;
    }
}

/* A legacy finalizer runs at every refcount zero: it must not resurrect. */
static void legacy_finalizer(gclab_heap *h, gclab_object *self, void *ctx)
{
    (void)self, (void)ctx;
    cur->legacy_runs++;
    allocate_some(h);
}

static void edgy_callback(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    sweep *s = arg;
    s->callback_runs++;
    assert_true(info->generation >= 0 && info->generation < s->ci->ngenerations);
    assert_int_equal(gclab_collect(h, 0), 0); /* no collection inside a collection */
    allocate_some(h);
    if (phase == GCLAB_GC_START && s->freeze_in_callback) {
        s->freeze_in_callback = 0;
        gclab_freeze(h);
    }
    if (phase == GCLAB_GC_STOP && s->unfreeze_in_callback) {
        s->unfreeze_in_callback = 0;
        gclab_unfreeze(h);
    }
    gclab_interrupt(h); /* heard at the next safe point, maybe inside this collection */
}

static void counted_callback(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    (void)h, (void)phase, (void)info;
    (*(long *)arg)++;
}

static void edgy_interrupt(gclab_heap *h, void *arg)
{
    sweep *s = arg;
    s->interrupt_runs++;
    assert_int_equal(gclab_interrupt_handler_add(h, NULL, arg), -1);
    allocate_some(h);
    assert_true(gclab_collect(h, 0) >= 0); /* runs, or 0 inside a collection */
}

static int stop_at_first(gclab_object *o, void *arg)
{
    (*(int *)arg)++;
    return o != NULL; /* non-zero: stop */
}

static int count_visits(gclab_object *o, void *arg)
{
    (void)o;
    (*(int *)arg)++;
    return 0;
}

/* Atoms, lists, tuples, dicts and instances at their edges.  Leaves behind
 * only what it stores in the globals. */
static void object_edges(gclab_heap *h)
{
    /* atoms: zero sizes, NULL data, extreme values */
    gclab_object *lo = gclab_new_int(h, INT64_MIN), *hi = gclab_new_int(h, INT64_MAX);
    assert_true(gclab_int_value(lo) == INT64_MIN && gclab_int_value(hi) == INT64_MAX);
    gclab_object *es = gclab_new_str(h, "", 0), *eb = gclab_new_bytes(h, NULL, 0);
    assert_int_equal(gclab_atom_size(es), 0);
    assert_string_equal(gclab_atom_data(es), "");
    assert_int_equal(gclab_atom_size(eb), 0);
    gclab_object *zb = gclab_new_bytes(h, NULL, 4096), *cb = gclab_new_bytes(h, "a\0b", 3);
    assert_int_equal(gclab_atom_size(zb), 4096);
    assert_int_equal(gclab_atom_data(zb)[4095], 0);
    assert_memory_equal(gclab_atom_data(cb), "a\0b", 3);
    assert_false(gclab_is_container(lo) || gclab_is_tracked(lo) || gclab_is_finalized(es));
    assert_int_equal(gclab_kind_of(eb), GCLAB_KIND_BYTES);

    /* list */
    gclab_object *empty_l = gclab_new_list_from(h, 0, NULL), *l = gclab_new_list(h);
    assert_int_equal(gclab_list_len(empty_l), 0);
    assert_null(gclab_list_get(empty_l, 0));
    assert_null(gclab_list_get(empty_l, SIZE_MAX));
    assert_int_equal(gclab_list_set(h, empty_l, 0, lo), -1);
    assert_int_equal(gclab_list_swap_remove(h, empty_l, 0), -1);
    gclab_list_clear(h, empty_l); /* clearing an empty list */
    gclab_list_append(h, l, lo);
    assert_int_equal(gclab_list_set(h, l, 0, lo), 0); /* the same item: incref before decref */
    assert_int_equal(gclab_refcnt(lo), 2);
    assert_int_equal(gclab_list_set(h, l, SIZE_MAX, lo), -1);
    assert_int_equal(gclab_list_swap_remove(h, l, 0), 0); /* the last one */
    assert_int_equal(gclab_list_len(l), 0);
    gclab_list_append(h, l, l); /* a cycle, in the globals */

    /* tuple */
    gclab_object *empty_t = gclab_new_tuple(h, 0, NULL);
    assert_int_equal(gclab_tuple_len(empty_t), 0);
    assert_null(gclab_tuple_get(empty_t, 0));
    gclab_object *pair[] = {lo, es};
    gclab_object *t1 = gclab_new_tuple(h, 2, pair), *t2 = gclab_new_tuple(h, 2, pair);
    assert_null(gclab_tuple_get(t1, 2));

    /* dict */
    gclab_object *d = gclab_new_dict(h);
    assert_null(gclab_dict_getitem(d, lo));
    assert_int_equal(gclab_dict_delitem(h, d, lo), -1);
    size_t pos = 0;
    assert_int_equal(gclab_dict_next(d, &pos, NULL, NULL), 0);
    gclab_dict_clear(h, d); /* clearing an empty dict */
    gclab_dict_setitem(h, d, t1, hi);
    assert_ptr_equal(gclab_dict_getitem(d, t2), hi); /* tuples of atoms compare by value */
    gclab_dict_setitem(h, d, t2, lo);               /* replaces the value, keeps the key */
    assert_int_equal(gclab_dict_len(d), 1);
    assert_ptr_equal(gclab_dict_getitem(d, t1), lo);
    gclab_dict_setitem(h, d, empty_t, empty_t);
    gclab_dict_setitem(h, d, es, eb);
    gclab_dict_setitem(h, d, l, d); /* a list key, by identity; the dict holds itself */
    assert_true(gclab_is_tracked(d));
    pos = 0;
    size_t n = 0;
    gclab_object *k = NULL;
    while (gclab_dict_next(d, &pos, &k, NULL)) { /* one output pointer may be NULL */
        assert_non_null(k);
        n++;
    }
    assert_int_equal(n, 4);
    assert_int_equal(gclab_dict_next(d, &pos, NULL, NULL), 0); /* and stays done */
    assert_int_equal(gclab_dict_delitem(h, d, es), 0);
    assert_int_equal(gclab_dict_delitem(h, d, es), -1);

    /* instance */
    gclab_object *none = gclab_new_instance(h, 0), *in = gclab_new_instance(h, 2);
    assert_int_equal(gclab_instance_nattrs(none), 0);
    assert_int_equal(gclab_setattr(h, none, 0, lo), -1);
    assert_null(gclab_getattr(none, 0));
    assert_int_equal(gclab_setattr(h, in, 1, in), 0);  /* a cycle */
    assert_int_equal(gclab_setattr(h, in, 0, NULL), 0); /* deleting an empty slot */
    assert_int_equal(gclab_setattr(h, in, 2, lo), -1);
    assert_null(gclab_getattr(in, SIZE_MAX));
    gclab_instance_set_finalizer(h, in, NULL, NULL, GCLAB_FINALIZER_LEGACY); /* none after all */
    gclab_setattr(h, in, 0, d);

    gclab_object *held[] = {l, d, in, empty_t};
    gclab_object *tc = gclab_new_tuple(h, 4, held); /* a tuple of containers: never untracked */
    set_global(h, "tuple", tc);
    gclab_decref(h, tc);
    set_global(h, "objects", in);
    set_global(h, "zb", zb);
    set_global(h, "cb", cb);
    gclab_object *drop[] = {lo, hi, es, eb, zb, cb, empty_l, l, empty_t, t1, t2, d, none, in};
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        gclab_decref(h, drop[i]);
    gclab_xdecref(h, NULL);
}

/* The gc module at its edges. */
static void gc_edges(gclab_heap *h, sweep *s)
{
    const gclab_collector_info *ci = s->ci;
    int ng = ci->ngenerations;
    assert_int_equal(gclab_collect(h, -1), -1);
    assert_int_equal(gclab_collect(h, ng), -1);
    for (int g = 0; g < ng; g++)
        assert_true(gclab_collect(h, g) >= 0);

    gclab_disable(h);
    assert_false(gclab_isenabled(h));
    gclab_enable(h);
    assert_true(gclab_isenabled(h));

    long t[GCLAB_MAX_GENERATIONS + 1] = {-7, -7, -7, -7};
    assert_int_equal(gclab_get_threshold(h, NULL, 0), ci->nthresholds);
    assert_int_equal(gclab_get_threshold(h, t, 1), ci->nthresholds);
    if (ci->nthresholds == 0)
        assert_int_equal(t[0], -7); /* nothing written */
    assert_int_equal(t[1], -7);
    char err[128];
    assert_int_equal(gclab_set_threshold(h, t, 0, NULL, 0), -1);
    assert_int_equal(gclab_set_threshold(h, t, GCLAB_MAX_GENERATIONS + 1, err, sizeof err), -1);
    assert_true(err[0] != '\0');
    const long neg[] = {-1};
    assert_int_equal(gclab_set_threshold(h, neg, 1, err, 0), -1);
    if (ci->nthresholds > 0) {
        const long low[] = {5, 1, 1};
        assert_int_equal(gclab_set_threshold(h, low, ci->nthresholds, NULL, 0), 0);
        assert_int_equal(gclab_get_threshold(h, t, GCLAB_MAX_GENERATIONS), ci->nthresholds);
        assert_int_equal(t[0], 5);
        const long zero[] = {0}; /* threshold0 = 0: no automatic collection */
        assert_int_equal(gclab_set_threshold(h, zero, 1, NULL, 0), 0);
        assert_int_equal(gclab_set_threshold(h, low, 1, NULL, 0), 0);
    }
    long counts[GCLAB_MAX_GENERATIONS + 1] = {-7, -7, -7, -7};
    int nc = gclab_get_count(h, NULL, 0);
    assert_true(nc >= 1 && nc <= GCLAB_MAX_GENERATIONS);
    assert_int_equal(gclab_get_count(h, counts, 1), nc);
    assert_int_equal(counts[1], -7);
    gclab_gen_stats st[GCLAB_MAX_GENERATIONS];
    assert_int_equal(gclab_get_stats(h, NULL, 0), ng);
    assert_int_equal(gclab_get_stats(h, st, GCLAB_MAX_GENERATIONS), ng);

    assert_int_equal(gclab_callback_add(h, NULL, NULL), -1);
    assert_int_equal(gclab_callback_remove(h, counted_callback, NULL), -1);
    long seen = 0;
    assert_int_equal(gclab_callback_add(h, counted_callback, &seen), 0);
    assert_int_equal(gclab_callback_add(h, counted_callback, &seen), 0); /* twice: called twice */
    gclab_collect(h, 0);
    assert_int_equal(seen, 4); /* two callbacks, START and STOP */
    assert_int_equal(gclab_callback_remove(h, counted_callback, &seen), 0);
    assert_int_equal(gclab_callback_remove(h, counted_callback, &seen), 0);
    assert_int_equal(gclab_callback_remove(h, counted_callback, &seen), -1);

    gclab_object *garbage = gclab_get_garbage(h);
    assert_non_null(garbage);
    assert_ptr_equal(gclab_get_garbage(h), garbage);
    assert_true(gclab_get_freeze_count(h) >= 0);
    const char *events[] = {"", "request_end", "idle", "warmup_end", "prefork", "no such event"};
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
        gclab_event(h, events[i]);
    gclab_poll(h);
    gclab_interrupt(h);
    gclab_poll(h);
    gclab_heap_stats hs;
    gclab_heap_get_stats(h, &hs);
    assert_int_equal(hs.allocations - hs.frees, hs.live.objects);
}

/* Roots: frames of zero and more slots, early-stopping visits. */
static void root_edges(gclab_heap *h)
{
    int visits = 0;
    assert_int_equal(gclab_visit_roots(h, count_visits, &visits), 0);
    assert_int_equal(visits, 1); /* the globals, and no frame yet */
    gclab_frame *z = gclab_frame_push(h, 0);
    assert_ptr_equal(gclab_frame_top(h), z);
    assert_int_equal(gclab_frame_nslots(z), 0);
    gclab_frame *f = gclab_frame_push(h, 3);
    gclab_object *c = self_cycle(h);
    assert_int_equal(gclab_frame_set(h, f, 0, c), 0);
    assert_int_equal(gclab_frame_set(h, f, 2, c), 0);
    assert_int_equal(gclab_frame_set(h, f, 2, NULL), 0);
    assert_int_equal(gclab_frame_set(h, f, 2, c), 0);
    gclab_decref(h, c);
    visits = 0;
    assert_int_equal(gclab_visit_roots(h, stop_at_first, &visits), 1);
    assert_int_equal(visits, 1);
    visits = 0;
    assert_int_equal(gclab_visit_roots(h, count_visits, &visits), 0);
    assert_int_equal(visits, 3); /* globals, two slots */
    gclab_frame_pop(h);
    assert_ptr_equal(gclab_frame_top(h), z);
    f = gclab_frame_push(h, 1); /* left pushed: the shutdown pops it */
    c = self_cycle(h);
    gclab_frame_set(h, f, 0, c);
    gclab_decref(h, c);
}

/* Instances whose finalizers do each action, at refcount zero and in
 * cyclic garbage; legacy finalizers in uncollectable cycles. */
static void finalizer_edges(gclab_heap *h, sweep *s)
{
    for (int act = 0; act < NACTIONS; act++) {
        gclab_object *alone = gclab_new_instance(h, 1), *a = gclab_new_instance(h, 1),
                     *b = gclab_new_instance(h, 1);
        gclab_instance_set_finalizer(h, alone, edgy_finalizer, (void *)&action_of[act],
                                     GCLAB_FINALIZER_PEP442);
        gclab_instance_set_finalizer(h, a, edgy_finalizer, (void *)&action_of[act], GCLAB_FINALIZER_PEP442);
        gclab_setattr(h, a, 0, b);
        gclab_setattr(h, b, 0, a); /* a <-> b: garbage once dropped */
        gclab_object *l = gclab_new_list(h);
        gclab_setattr(h, alone, 0, l);
        gclab_decref(h, l);
        gclab_decref(h, alone); /* refcount zero: the finalizer runs now */
        gclab_decref(h, a);
        gclab_decref(h, b);
        gclab_interrupt(h);
        allocate_some(h); /* a safe point; maybe a collection */
    }
    gclab_object *x = gclab_new_instance(h, 1), *y = gclab_new_instance(h, 1);
    gclab_instance_set_finalizer(h, x, legacy_finalizer, NULL, GCLAB_FINALIZER_LEGACY);
    gclab_setattr(h, x, 0, y);
    gclab_setattr(h, y, 0, x);
    gclab_decref(h, x);
    gclab_decref(h, y);
    gclab_object *z = gclab_new_instance(h, 0);
    gclab_instance_set_finalizer(h, z, legacy_finalizer, NULL, GCLAB_FINALIZER_LEGACY);
    gclab_decref(h, z); /* runs at refcount zero, then freed */
    for (int g = 0; g < s->ci->ngenerations; g++)
        gclab_collect(h, g);
}

/* A tracked tuple and a tracked dict that will hold only atoms, frozen
 * before any safe point (where a collection could untrack them first). */
static void freeze_holders_of_atoms(gclab_heap *h)
{
    gclab_object *kt = gclab_new_str(h, "tuple of atoms", 14), *kd = gclab_new_str(h, "dict", 4);
    gclab_object *a = gclab_new_int(h, 3), *d = gclab_new_dict(h), *l = gclab_new_list(h);
    gclab_object *t = gclab_new_tuple(h, 1, &a); /* the last safe point */
    gclab_dict_setitem(h, d, a, l);               /* tracks d */
    gclab_dict_setitem(h, gclab_globals(h), kt, t);
    gclab_dict_setitem(h, gclab_globals(h), kd, d);
    assert_true(gclab_is_tracked(t) && gclab_is_tracked(d));
    gclab_freeze(h);
    assert_int_equal(gclab_dict_delitem(h, d, a), 0); /* d holds no container now */
    gclab_object *drop[] = {kt, kd, a, d, l, t};
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        gclab_decref(h, drop[i]);
}

static void drive(const gclab_collector_info *ci, const char *const *params, size_t nparams)
{
    char label[160];
    size_t used = (size_t)snprintf(label, sizeof label, "%s", ci->name);
    for (size_t i = 0; i < nparams && used < sizeof label; i++)
        used += (size_t)snprintf(label + used, sizeof label - used, " %s", params[i]);
    sweep s;
    memset(&s, 0, sizeof s);
    s.ci = ci;
    cur = &s;
    frees f;
    memset(&f, 0, sizeof f);
    gclab_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.params = params;
    cfg.nparams = nparams;
    cfg.on_free = count_free;
    cfg.on_free_arg = &f;
    cfg.clock_ns = fake_clock;
    cfg.clock_arg = &s;
    cfg.nthresholds = ci->nthresholds;
    for (int i = 0; i < ci->nthresholds; i++)
        cfg.thresholds[i] = i ? 2 : 7; /* automatic collections, often */
    gclab_heap *h = test_heap(ci->name, &cfg);
    assert_ptr_equal(gclab_heap_collector(h), ci);
    assert_int_equal(gclab_callback_add(h, edgy_callback, &s), 0);
    assert_int_equal(gclab_interrupt_handler_add(h, edgy_interrupt, &s), 0);
    s.keep = gclab_new_list(h);

    object_edges(h);
    root_edges(h);
    gc_edges(h, &s);
    finalizer_edges(h, &s);
    /* Freeze and unfreeze from the outside and from callbacks. */
    gclab_freeze(h);
    object_edges(h);
    finalizer_edges(h, &s);
    gclab_unfreeze(h);
    s.freeze_in_callback = s.unfreeze_in_callback = 1;
    gclab_collect(h, 0);
    gclab_collect(h, ci->ngenerations - 1);
    s.freeze_in_callback = 1;
    object_edges(h);
    finalizer_edges(h, &s);
    gclab_event(h, "warmup_end");
    gclab_event(h, "request_end");
    /* What was frozen (immortal or not) meets a full collection again:
     * tuples and dicts of atoms among it are candidates for untracking. */
    object_edges(h);
    freeze_holders_of_atoms(h);
    gclab_unfreeze(h);
    gclab_collect(h, ci->ngenerations - 1);

    gclab_leak_report r1, r2;
    gclab_heap_shutdown(h, &r1);
    gclab_heap_shutdown(h, &r2); /* again: the same report, nothing done */
    assert_memory_equal(&r1, &r2, sizeof r1);
    assert_null(gclab_globals(h));
    gclab_object *keep = s.keep;
    s.keep = NULL;
    gclab_decref(h, keep);
    free_and_check(h, &f, label);
    cur = NULL;
    unsigned long long freed = 0;
    for (int k = 0; k < GCLAB_NKINDS; k++)
        freed += f.by_kind[k];
    print_message("  %s: %llu objects made and freed once; %ld finalizers, %ld legacy, "
                  "%ld callbacks, %ld interrupts\n", label, freed,
                  s.finalized[0] + s.finalized[1] + s.finalized[2] + s.finalized[3] +
                      s.finalized[4] + s.finalized[5],
                  s.legacy_runs, s.callback_runs, s.interrupt_runs);

    for (int act = 0; act < NACTIONS; act++)
        if (s.finalized[act] == 0)
            fail_msg("%s: no finalizer ran action %d", label, act);
    assert_true(s.legacy_runs > 0 && s.callback_runs > 0 && s.interrupt_runs > 0);
}

static void every_collector_frees_every_object_once_whatever_the_api_is_asked(void **state)
{
    (void)state;
    for (size_t i = 0; i < gclab_collector_count(); i++) {
        const gclab_collector_info *ci = gclab_collector_at(i);
        assert_non_null(ci);
        assert_ptr_equal(gclab_collector_find(ci->name), ci);
        const char *params[4];
        size_t n = 0;
        if (gclab_param_find(ci->params, ci->nparams, "interval_ms", strlen("interval_ms")) >= 0)
            params[n++] = "interval_ms=1";
        if (gclab_param_find(ci->params, ci->nparams, "idle", strlen("idle")) >= 0)
            params[n++] = "idle=true";
        drive(ci, params, n);
        if (takes_immortal(ci)) {
            params[n++] = "immortal=true";
            drive(ci, params, n);
        }
        if (gclab_param_find(ci->params, ci->nparams, "exit", strlen("exit")) >= 0) {
            params[n++] = "exit=skip"; /* the cyclic garbage is left to the teardown */
            drive(ci, params, n);
        }
    }
    assert_null(gclab_collector_at(gclab_collector_count()));
}

/* gclab_heap_free straight away, without the shutdown first. */
static void heap_free_alone_shuts_down_and_frees_everything(void **state)
{
    (void)state;
    assert_null(gclab_collector_find("no such collector"));
    assert_true(strlen(gclab_collector_names()) > 0);
    assert_non_null(gclab_version());
    assert_string_equal(gclab_kind_name(GCLAB_NKINDS), "?");
    assert_string_equal(gclab_reason_name((gclab_reason)99), "?");
    gclab_heap_free(NULL, NULL);
    char err[256] = "";
    assert_null(gclab_heap_new(NULL, NULL, err, sizeof err));
    assert_true(err[0] != '\0');
    assert_null(gclab_heap_new("no such collector", NULL, err, sizeof err));
    const char *bad[] = {"immortal=maybe"};
    gclab_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.params = bad;
    cfg.nparams = 1;
    assert_null(gclab_heap_new("generational", &cfg, err, sizeof err));
    assert_non_null(strstr(err, "immortal"));

    for (size_t i = 0; i < gclab_collector_count(); i++) {
        const gclab_collector_info *ci = gclab_collector_at(i);
        for (int immortal = 0; immortal <= takes_immortal(ci); immortal++) {
            frees f;
            gclab_heap *h = counted_heap(ci->name, immortal_params, (size_t)immortal, &f);
            gclab_object *c = self_cycle(h), *t = gclab_new_tuple(h, 1, &c);
            set_global(h, "t", t);
            gclab_freeze(h);
            gclab_object *d = gclab_new_dict(h);
            gclab_dict_setitem(h, d, t, c);
            gclab_decref(h, c);
            gclab_decref(h, t);
            gclab_decref(h, d);
            gclab_heap_stats st;
            gclab_heap_get_stats(h, &st); /* nothing can allocate at exit here */
            gclab_heap_free(h, NULL);
            unsigned long long freed = 0;
            for (int k = 0; k < GCLAB_NKINDS; k++)
                freed += f.by_kind[k];
            assert_int_equal(freed, st.allocations);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_null_interrupt_handler_is_refused_without_touching_the_others),
        cmocka_unit_test(interrupt_handlers_never_run_inside_themselves),
        cmocka_unit_test(teardown_frees_immortal_tuples_after_what_they_hold),
        cmocka_unit_test(teardown_frees_immortal_containers_a_collection_would_untrack),
        cmocka_unit_test(a_heap_refused_for_its_thresholds_leaves_nothing_behind),
        cmocka_unit_test(roots_made_after_shutdown_are_freed_too),
        cmocka_unit_test(an_object_frozen_by_its_own_finalizer_is_freed_at_teardown),
        cmocka_unit_test(the_largest_sizes_run_out_of_memory_instead_of_wrapping),
        cmocka_unit_test(param_names_writes_nothing_into_no_room),
        cmocka_unit_test(frame_set_refuses_a_slot_past_the_frame),
        cmocka_unit_test(every_collector_frees_every_object_once_whatever_the_api_is_asked),
        cmocka_unit_test(heap_free_alone_shuts_down_and_frees_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
