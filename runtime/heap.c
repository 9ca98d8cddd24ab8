/*
 * runtime/heap.c -- heaps: creation and teardown, allocation and freeing
 * with accounting, the trashcan, and the roots (globals, frames).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "heap.h"

#include "../collectors/collector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Deeper than this, freeing a container is deferred to the trash list and
 * done by the outermost dealloc, so a long chain never deepens the C stack
 * by more than this many frames (CPython's trashcan uses 50). */
#define TRASH_DEPTH 50

uint64_t gclab__now_ns(const gclab_heap *h)
{
    if (h->clock_ns)
        return h->clock_ns(h->clock_arg);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static gclab_oom_handler oom_handler;

void gclab_set_oom_handler(gclab_oom_handler fn) { oom_handler = fn; }

_Noreturn void gclab__oom(size_t size)
{
    if (oom_handler)
        oom_handler(size); /* does not return */
    fprintf(stderr, "gclab: out of memory allocating %zu bytes\n", size);
    abort();
}

void *gclab__realloc(void *p, size_t size)
{
    void *q = realloc(p, size);
    if (!q)
        gclab__oom(size);
    return q;
}

long gc_list_size(gc_list *l)
{
    long n = 0;
    for (gc_head *g = gc_list_first(l); g != gc_list_end(l); g = gc_next(g))
        n++;
    return n;
}

/* ------------------------------------------------------------------ */
/* Freeing */

#ifdef GCLAB_DEBUG
/* Collections so far, of every generation. */
static long collections(const gclab_heap *h)
{
    long n = 0;
    for (int i = 0; i < GCLAB_MAX_GENERATIONS; i++)
        n += h->stats[i].collections;
    return n;
}
#endif

void gclab__trigger(gclab_heap *h)
{
    /* Handlers never run inside a handler (nor do CPython's pending calls):
     * an interrupt raised meanwhile stays pending, and the trigger with it,
     * until the first safe point after they return. */
    if (!h->running_interrupts && atomic_exchange(&h->interrupt_pending, 0)) {
        h->running_interrupts = 1;
        gclab__update_trigger(h);
        for (size_t i = 0; i < h->ninterrupt_handlers; i++)
            h->interrupt_handlers[i].fn(h, h->interrupt_handlers[i].arg);
        h->running_interrupts = 0;
    }
    if (h->gc_count > gclab__collector_trigger(h) && h->collector->on_trigger) {
#ifdef GCLAB_DEBUG
        const long collections_before = collections(h), auto_trigger_before = h->auto_trigger;
#endif
        h->collector->on_trigger(h);
#ifdef GCLAB_DEBUG
        /* on_trigger's post-condition (collectors/collector.h): it made
         * progress, or every container allocation would call it again; and
         * gc_trigger is current, or every one would come here for nothing. */
        assert(collections(h) != collections_before || h->auto_trigger != auto_trigger_before ||
               h->gc_count <= gclab__collector_trigger(h));
        assert(atomic_load(&h->gc_trigger) == gclab__collector_trigger(h) ||
               atomic_load(&h->interrupt_pending));
#endif
    }
}

void gclab_interrupt(gclab_heap *h)
{
    atomic_store(&h->interrupt_pending, 1);
    atomic_store(&h->gc_trigger, LONG_MIN);
}

void gclab_poll(gclab_heap *h)
{
    if (h->poll_wanted) { /* the handlers run again here, where it waited */
        h->poll_wanted = 0;
        atomic_store(&h->interrupt_pending, 1);
    }
    if (atomic_load_explicit(&h->interrupt_pending, memory_order_relaxed)) {
        h->polling = 1;
        gclab__trigger(h);
        h->polling = 0;
    }
}

void gclab_set_explicit_safe_points(gclab_heap *h, int on) { h->explicit_safe_points = on != 0; }

int gclab_interrupt_handler_add(gclab_heap *h, gclab_interrupt_handler fn, void *arg)
{
    /* Check first: a failed call leaves the heap as it was. */
    if (!fn)
        return -1;
    interrupt_entry *e = realloc(h->interrupt_handlers, (h->ninterrupt_handlers + 1) * sizeof *e);
    if (!e)
        return -1; /* the old array is still valid and still ours */
    h->interrupt_handlers = e;
    e[h->ninterrupt_handlers++] = (interrupt_entry){fn, arg};
    return 0;
}

static void empty_trash(gclab_heap *h)
{
    while (h->trash) {
        gc_head *g = h->trash;
        h->trash = gc_prev(g);
        g->prev &= GC_FLAGS;
        h->dealloc_depth++;
        gclab_object *o = FROM_GC(g);
        o->type->dealloc(h, o);
        h->dealloc_depth--;
    }
}

void gclab__dealloc(gclab_heap *h, gclab_object *o)
{
    const gclab_type *t = o->type;
    if (!(t->flags & GCLAB_TYPE_CONTAINER)) {
        t->dealloc(h, o); /* atoms hold no references: no recursion */
        return;
    }
    if (h->dealloc_depth >= TRASH_DEPTH) {
        gclab__untrack(o);
        gc_head *g = AS_GC(o);
        g->prev = (g->prev & GC_FLAGS) | (uintptr_t)h->trash;
        h->trash = g;
        return;
    }
    h->dealloc_depth++;
    t->dealloc(h, o);
    h->dealloc_depth--;
    if (h->dealloc_depth == 0 && h->trash)
        empty_trash(h);
}

/* ------------------------------------------------------------------ */
/* Creation and teardown */

gclab_heap *gclab_heap_new(const char *collector, const gclab_config *config, char *err,
                           size_t errlen)
{
    static const gclab_config defaults;
    if (!config)
        config = &defaults;
    const gclab_collector *c = collector ? gclab__collector_find(collector) : NULL;
    if (!c) {
        snprintf(err, errlen, "unknown collector '%s' (valid: %s)", collector ? collector : "",
                 gclab_collector_names());
        return NULL;
    }
    gclab_value params[32];
    if (c->info.nparams > sizeof params / sizeof params[0]) {
        snprintf(err, errlen, "collector %s declares too many parameters", c->info.name);
        return NULL;
    }
    if (gclab_params_parse(c->info.params, c->info.nparams, c->info.name, config->params,
                           config->nparams, params, err, errlen) != 0)
        return NULL;
    /* Every check before the collector's init, which may start threads and
     * register interrupt handlers: past it, nothing fails. */
    if (config->nthresholds > 0 &&
        gclab__check_thresholds(&c->info, config->thresholds, config->nthresholds, err, errlen) != 0)
        return NULL;

    gclab_heap *h = calloc(1, sizeof *h);
    if (!h)
        gclab__oom(sizeof *h);
    h->collector = c;
    gclab__sizes_own(&h->sizes); /* a profile may set CPython's in init */
    h->head.on_decref_live = c->on_decref_live;
    h->on_free = config->on_free;
    h->on_free_arg = config->on_free_arg;
    h->clock_ns = config->clock_ns;
    h->clock_arg = config->clock_arg;
    h->enabled = 1;
    h->auto_trigger = LONG_MAX;
    atomic_init(&h->gc_trigger, LONG_MAX);
    atomic_init(&h->interrupt_pending, 0);
    for (int i = 0; i < c->info.nthresholds; i++)
        h->thresholds[i] = c->info.default_thresholds[i];
    if (c->init(h, params, err, errlen) != 0) {
        free(h->interrupt_handlers); /* the heap's, even if init registered one */
        free(h);
        return NULL;
    }
    assert(h->young != NULL);
    if (config->nthresholds > 0) {
        int ok = gclab_set_threshold(h, config->thresholds, config->nthresholds, NULL, 0) == 0;
        assert(ok); /* checked above */
        (void)ok;
    }
    gclab__update_trigger(h);
    h->globals = gclab_new_dict(h);
    return h;
}

const gclab_collector_info *gclab_heap_collector(const gclab_heap *h)
{
    return &h->collector->info;
}

static void drop_roots(gclab_heap *h)
{
    while (h->frames)
        gclab_frame_pop(h);
    gclab_object *globals = h->globals, *garbage = h->garbage;
    h->globals = NULL;
    h->garbage = NULL;
    gclab_xdecref(h, globals);
    gclab_xdecref(h, garbage);
}

void gclab_heap_shutdown(gclab_heap *h, gclab_leak_report *report)
{
    if (!h->shut_down) {
        h->shut_down = 1;
        drop_roots(h);
        if (h->collector->at_exit) {
            h->collector->at_exit(h);
            drop_roots(h); /* gc.garbage, if the exit collection made one */
        }
        gclab_heap_stats st;
        gclab_heap_get_stats(h, &st);
        h->leaks.leaked = st.live;
        memcpy(h->leaks.by_kind, st.by_kind, sizeof h->leaks.by_kind);
    }
    if (report)
        *report = h->leaks;
}

/* Teardown: one more reference from a container to an immortal object. */
static int count_immortal_ref(gclab_object *o, void *arg)
{
    (void)arg;
    if (gclab_is_immortal(o))
        o->refcnt++;
    return 0;
}

/* Immortal objects (PEP 683) lost their refcounts when they were frozen.
 * Give each one in `all` a true count again: the references the containers
 * in `all` hold to it, plus one that the caller holds, and move it to
 * `held`.  References from outside the heap are not counted: decref never
 * wrote them, so they cannot be honoured.  Every immortal object is a
 * container that a collection never untracks, so `all` holds them all. */
static void make_immortals_mortal(gc_list *all, gc_list *held)
{
    int any = 0;
    for (gc_head *g = gc_list_first(all); g != gc_list_end(all); g = gc_next(g)) {
        gclab_object *o = FROM_GC(g);
        if (gclab_is_immortal(o)) {
            o->refcnt = GCLAB_IMMORTAL_REFCNT; /* counted up from here */
            any = 1;
        }
    }
    if (!any)
        return;
    for (gc_head *g = gc_list_first(all); g != gc_list_end(all); g = gc_next(g))
        FROM_GC(g)->type->traverse(FROM_GC(g), count_immortal_ref, NULL);
    gc_head *next;
    for (gc_head *g = gc_list_first(all); g != gc_list_end(all); g = next) {
        next = gc_next(g);
        gclab_object *o = FROM_GC(g);
        if (gclab_is_immortal(o)) {
            o->refcnt -= GCLAB_IMMORTAL_REFCNT - 1;
            gc_list_move(g, held);
        }
    }
}

/* Every container of `from` drops its references, as delete_garbage would
 * (without finalizers); what refcounting then frees leaves the list on its
 * own, the rest moves to `to`. */
static void clear_each(gclab_heap *h, gc_list *from, gc_list *to)
{
    while (!gc_list_is_empty(from)) {
        gc_head *g = gc_list_first(from);
        gclab_object *o = FROM_GC(g);
        if (o->type->clear) {
            gclab_incref(o);
            o->type->clear(h, o);
            gclab_decref(h, o);
        }
        if (gc_list_first(from) == g)
            gc_list_move(g, to);
    }
}

void gclab_heap_free(gclab_heap *h, gclab_leak_report *report)
{
    if (!h)
        return;
    gclab_heap_shutdown(h, report);
    /* Roots made since the shutdown (gc.garbage read, a frame pushed) are
     * references from outside the heap that nobody else will drop. */
    drop_roots(h);

    h->shutting_down = 1;
    h->collecting = 1;
    gclab__update_trigger(h);
    gc_list all, held, left;
    gc_list_init(&all);
    gc_list_init(&held);
    gc_list_init(&left);
    h->collector->gather(h, &all);
#ifdef GCLAB_DEBUG
    assert(gc_list_is_empty(h->young)); /* gather's post-condition (collectors/collector.h) */
#endif
    /* From here on plain refcounting frees each object exactly once, in
     * whatever order: immortal objects first become mortal, held by us. */
    make_immortals_mortal(&all, &held);
    /* Every container drops its references, which breaks every cycle; the
     * once-immortal ones survive this on our reference... */
    clear_each(h, &all, &left);
    clear_each(h, &held, &all);
    /* ...which we drop now.  What is left is held from outside the heap
     * (a reference a caller never released), directly or through a tuple
     * that is: not ours to free. */
    while (!gc_list_is_empty(&all)) {
        gc_head *g = gc_list_first(&all);
        gc_list_move(g, &left);
        gclab_decref(h, FROM_GC(g)); /* if freed, it leaves `left` */
    }
    while (!gc_list_is_empty(&left))
        gc_list_remove(gc_list_first(&left));
    h->collector->fini(h);
    free(h->callbacks);
    free(h->interrupt_handlers);
    free(h);
}

void gclab_heap_get_stats(const gclab_heap *h, gclab_heap_stats *out)
{
    *out = (gclab_heap_stats){{0, 0}, {{0, 0}}, 0, 0};
    for (int k = 0; k < GCLAB_NKINDS; k++) {
        out->by_kind[k] = (gclab_count){(size_t)(h->allocated[k] - h->freed[k]), h->live_bytes[k]};
        out->live.objects += out->by_kind[k].objects;
        out->live.bytes += out->by_kind[k].bytes;
        out->allocations += h->allocated[k];
        out->frees += h->freed[k];
    }
}

const char *gclab_kind_name(gclab_kind k)
{
    static const char *const names[GCLAB_NKINDS] = {"int",   "str",  "bytes",   "tuple",
                                                    "list",  "dict", "instance"};
    return (unsigned)k < GCLAB_NKINDS ? names[k] : "?";
}

/* ------------------------------------------------------------------ */
/* Roots */

gclab_object *gclab_globals(gclab_heap *h) { return h->globals; }
gclab_object *gclab_get_garbage(gclab_heap *h)
{
    if (!h->garbage && !h->shutting_down)
        h->garbage = gclab_new_list(h); /* on first use: it counts as an allocation */
    return h->garbage;
}

gclab_frame *gclab_frame_push(gclab_heap *h, size_t nslots)
{
    size_t size = gclab__size(sizeof(gclab_frame), nslots, sizeof(gclab_object *));
    gclab_frame *f = calloc(1, size);
    if (!f)
        gclab__oom(size);
    f->nslots = nslots;
    f->back = h->frames;
    h->frames = f;
    return f;
}

void gclab_frame_pop(gclab_heap *h)
{
    gclab_frame *f = h->frames;
    if (!f)
        return;
    h->frames = f->back;
    for (size_t i = 0; i < f->nslots; i++)
        gclab_xdecref(h, f->slots[i]);
    free(f);
}

gclab_frame *gclab_frame_top(gclab_heap *h) { return h->frames; }
size_t gclab_frame_nslots(const gclab_frame *f) { return f->nslots; }

int gclab_frame_set(gclab_heap *h, gclab_frame *f, size_t i, gclab_object *o)
{
    if (i >= f->nslots)
        return -1;
    gclab_object *old = f->slots[i];
    f->slots[i] = o ? gclab_incref(o) : NULL;
    gclab_xdecref(h, old);
    return 0;
}

gclab_object *gclab_frame_get(const gclab_frame *f, size_t i)
{
    return i < f->nslots ? f->slots[i] : NULL;
}

int gclab_visit_roots(gclab_heap *h, gclab_visitproc visit, void *arg)
{
    int r = h->globals ? visit(h->globals, arg) : 0;
    for (gclab_frame *f = h->frames; f && r == 0; f = f->back)
        for (size_t i = 0; r == 0 && i < f->nslots; i++)
            if (f->slots[i])
                r = visit(f->slots[i], arg);
    return r;
}

void gclab_event(gclab_heap *h, const char *name)
{
    if (h->collector->on_event)
        h->collector->on_event(h, name);
}

void gclab_builtin_call(gclab_heap *h, size_t nargs)
{
    if (!h->args_tuple || nargs == 0)
        return;
    int fl = nargs <= GCLAB_FL_MAX_TUPLE ? gclab__tuple_freelist(nargs) : GCLAB_FL_NONE;
    gclab__count_alloc(h, fl);
    gclab__count_free(h, fl);
}
