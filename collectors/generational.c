/*
 * collectors/generational.c -- CPython 3.8-3.13's generational cycle
 * collector (Modules/gcmodule.c, Python/gc.c), reimplemented.
 *
 * Invariant: a collection of generation g frees only objects that no
 * reference from outside generations 0..g can reach.  Reachability is
 * deduced from refcounts alone: gc_refs = refcount - references from
 * inside the set; gc_refs > 0 means "referenced from outside", and every
 * object such an object reaches survives.
 *
 * Trigger: h->gc_count (CPython's generations[0].count) is the net number
 * of container allocations; when it exceeds threshold0 the oldest
 * generation i with count[i] > threshold[i] is collected, except that
 * generation 2 waits until long_lived_pending >= long_lived_total / 4.
 *
 * Per-object state lives in the GC header's collector bits:
 *   bit 1      COLLECTING  member of the set being collected
 *   bits 2..3  the generation (0, 1, 2, or 3 = permanent, after freeze)
 * so "is this referent in the set?" is answered from the referent's own
 * header, which lets update_refs and subtract_refs run as one pass.
 *
 * The algorithm only: what else starts a collection (a timer, workload
 * events), freezing on an event, and what happens at exit are policies, in
 * policy.c.  The `generational` table at the end composes the two.
 */
#include "generational.h"
#include "policy.h"

#include <stdlib.h>

#define NGEN GEN_NGEN
#define PERMANENT 3u
#define COLLECTING ((uintptr_t)2)
#define GEN_SHIFT 2
#define GEN_MASK ((uintptr_t)0xC)

typedef struct gen_state {
    gc_list gens[NGEN];
    gc_list permanent;
    long count[NGEN];       /* count[0] unused: it is h->gc_count */
    long long_lived_total;  /* survivors of the last full collection */
    long long_lived_pending; /* survivors of gen-1 collections since then */
    void *policy;           /* the policy's state (policy.c); never read here */
    const gen_profile *profile; /* the version profile (profile.h) */
    int scheduled;          /* deferred profiles: a collection awaits the next safe point */
    gclab_object *startup;  /* the start-up heap's root list, while held */
    size_t startup_bytes;   /* its bytes, kept out of the heap's statistics */
} gen_state;

static inline gen_state *state(const gclab_heap *h) { return (gen_state *)h->cstate; }

static inline unsigned gen_of(const gc_head *g) { return (unsigned)((g->prev & GEN_MASK) >> GEN_SHIFT); }
static inline uintptr_t gen_bits(unsigned gen) { return (uintptr_t)gen << GEN_SHIFT; }
static inline uintptr_t gc_refs(const gc_head *g) { return g->prev >> GC_REFS_SHIFT; }
static inline void set_refs(gc_head *g, uintptr_t refs)
{
    g->prev = (g->prev & GC_FLAGS) | (refs << GC_REFS_SHIFT);
}
/* update_refs for one object: gc_refs = refcount, and it joins the set.  An
 * immortal refcount (2^60) would not fit beside the flags: any count far
 * above the references a heap can hold says "referenced from outside". */
#define MAX_GC_REFS ((intptr_t)1 << 56)
static inline void init_refs(gc_head *g)
{
    intptr_t rc = FROM_GC(g)->refcnt;
    g->prev = (g->prev & (GC_FINALIZED | GEN_MASK)) | COLLECTING |
              ((uintptr_t)(rc < MAX_GC_REFS ? rc : MAX_GC_REFS) << GC_REFS_SHIFT);
}
static inline int is_container(const gclab_object *o) { return (o->type->flags & GCLAB_TYPE_CONTAINER) != 0; }

/* Give every header of l the generation `gen` (used by freeze / unfreeze). */
static void set_list_gen(gc_list *l, unsigned gen)
{
    for (gc_head *g = gc_list_first(l); g != gc_list_end(l); g = gc_next(g))
        g->prev = (g->prev & ~GEN_MASK) | gen_bits(gen);
}

#ifdef GCLAB_DEBUG
/* Between phases: the list is doubly linked and every member's COLLECTING
 * bit is as expected.  Compiled out of release builds. */
static void validate_list(gc_list *l, uintptr_t collecting)
{
    gc_head *prev = gc_list_end(l);
    for (gc_head *g = gc_list_first(l); g != gc_list_end(l); g = gc_next(g)) {
        assert(gc_prev(g) == prev);
        assert((g->prev & COLLECTING) == collecting);
        assert((g->next & GC_NEXT_UNREACHABLE) == 0);
        prev = g;
    }
    assert(gc_prev(gc_list_end(l)) == prev);
}
#else
#define validate_list(l, c) ((void)0)
#endif

/* ------------------------------------------------------------------ */
/* Phase 1: update_refs + subtract_refs, fused.                        */

static int visit_decref(gclab_object *o, void *arg)
{
    if (!is_container(o))
        return 0;
    gc_head *g = AS_GC(o);
    if (!gc_is_tracked(g) || gen_of(g) > *(const unsigned *)arg)
        return 0; /* outside the set: its references count as external */
    if (!(g->prev & COLLECTING))
        init_refs(g);
    assert(gc_refs(g) > 0);
    g->prev -= (uintptr_t)1 << GC_REFS_SHIFT;
    return 0;
}

/* `young` holds generations 0..gen.  Each member gets gc_refs = refcount the
 * first time it is met (walked or referenced), and loses one per reference
 * from a member.  After this, every member is COLLECTING and gc_refs > 0
 * means "referenced from outside the set".  The list is singly linked from
 * here on: prev holds gc_refs.  Returns the number of members. */
static long update_and_subtract_refs(gc_list *young, unsigned gen)
{
    long n = 0;
    for (gc_head *g = gc_list_first(young); g != gc_list_end(young); g = gc_next(g)) {
        if (!(g->prev & COLLECTING))
            init_refs(g);
        gclab_object *o = FROM_GC(g);
        o->type->traverse(o, visit_decref, &gen);
        n++;
    }
    return n;
}

/* The same two steps for a list whose members are exactly its COLLECTING
 * objects (the resurrection check, where generations do not delimit the set). */
static int visit_decref_collecting(gclab_object *o, void *arg)
{
    (void)arg;
    if (is_container(o) && (AS_GC(o)->prev & COLLECTING))
        AS_GC(o)->prev -= (uintptr_t)1 << GC_REFS_SHIFT;
    return 0;
}

static void update_refs(gc_list *l)
{
    for (gc_head *g = gc_list_first(l); g != gc_list_end(l); g = gc_next(g))
        init_refs(g);
}

static void subtract_refs(gc_list *l)
{
    for (gc_head *g = gc_list_first(l); g != gc_list_end(l); g = gc_next(g)) {
        gclab_object *o = FROM_GC(g);
        o->type->traverse(o, visit_decref_collecting, NULL);
    }
}

/* ------------------------------------------------------------------ */
/* Phase 2: move_unreachable.                                           */

static int visit_reachable(gclab_object *o, void *arg)
{
    if (!is_container(o))
        return 0;
    gc_head *g = AS_GC(o);
    if (!(g->prev & COLLECTING))
        return 0; /* outside the set, or a survivor already scanned */
    if (g->next & GC_NEXT_UNREACHABLE) {
        /* Moved to unreachable earlier, but reachable after all: back to
         * the end of young, where the scan will reach it again. */
        gc_head *prev = gc_prev(g);
        gc_head *next = (gc_head *)(g->next & ~GC_NEXT_UNREACHABLE);
        prev->next = g->next; /* keeps the unreachable mark on prev's link */
        gc_set_prev(next, prev);
        gc_list_append(g, (gc_list *)arg);
        set_refs(g, 1);
    } else if (gc_refs(g) == 0) {
        set_refs(g, 1); /* not scanned yet: tell the scan it is reachable */
    }
    return 0;
}

typedef struct scan_result {
    long survivors;       /* stayed in young */
    long untracked;       /* untracked instead */
    int maybe_finalizers; /* an instance with a finalizer went to unreachable */
} scan_result;

/* Split `young` (after phase 1) into survivors, which stay in young, and
 * the tentatively unreachable, moved to `unreachable`.  Survivors leave the
 * set (COLLECTING cleared), get their prev links back and the generation
 * `dest`.  When `untrack` is set, surviving mortal tuples whose items
 * cannot be tracked are untracked here, and with untrack > 1 dicts too
 * (CPython's untrack_tuples / untrack_dicts, done in the same walk).
 * After this, `unreachable` is doubly linked but every `next` in it carries
 * GC_NEXT_UNREACHABLE, and its members are still COLLECTING and keep their
 * old generation bits. */
static void move_unreachable(gc_list *young, gc_list *unreachable, unsigned dest, int untrack,
                             scan_result *res)
{
    gc_head *prev = gc_list_end(young);
    gc_head *g = gc_list_first(young);
    long survivors = 0, untracked = 0;
    int maybe_finalizers = 0;
    while (g != gc_list_end(young)) {
        if (gc_refs(g)) {
            gclab_object *o = FROM_GC(g);
            o->type->traverse(o, visit_reachable, young);
            gclab_kind k = o->type->kind;
            /* An immortal container stays tracked: teardown finds it only there. */
            if (untrack && !gclab_is_immortal(o) &&
                ((k == GCLAB_KIND_TUPLE && gclab__tuple_untrackable(o)) ||
                 (untrack > 1 && k == GCLAB_KIND_DICT && gclab__dict_untrackable(o)))) {
                prev->next = g->next; /* untrack: drop it from young */
                g->next = 0;
                g->prev &= GC_FINALIZED;
                untracked++;
            } else {
                g->prev = (uintptr_t)prev | (g->prev & GC_FINALIZED) | gen_bits(dest);
                prev = g;
                survivors++;
            }
            g = gc_next(prev); /* read after the traversal, which may have appended */
        } else {
            const gclab_object *o = FROM_GC(g); /* same cache line as g */
            if (o->type->kind == GCLAB_KIND_INSTANCE && ((const instance_object *)o)->finalizer)
                maybe_finalizers = 1;
            /* No need to fix next->prev: young is singly linked for now. */
            gc_head *next = gc_next(g);
            prev->next = (uintptr_t)next;
            gc_head *last = gc_prev(&unreachable->head);
            last->next = GC_NEXT_UNREACHABLE | (uintptr_t)g;
            gc_set_prev(g, last);
            g->next = GC_NEXT_UNREACHABLE | (uintptr_t)&unreachable->head;
            unreachable->head.prev = (uintptr_t)g;
            g = next;
        }
    }
    young->head.prev = (uintptr_t)prev;
    unreachable->head.next &= ~GC_NEXT_UNREACHABLE;
    res->survivors = survivors;
    res->untracked = untracked;
    res->maybe_finalizers = maybe_finalizers;
}

/* ------------------------------------------------------------------ */
/* Phase 3: the garbage.                                                */

typedef struct garbage_scan {
    long count;        /* members left in unreachable */
    int has_finalizers; /* some member has a PEP 442 finalizer not yet run */
} garbage_scan;

/* Clear the unreachable marks, give every member the generation it gets
 * if it survives after all, and move members with a legacy finalizer to
 * `finalizers` (CPython's move_legacy_finalizers), COLLECTING cleared. */
static void prepare_garbage(gc_list *unreachable, gc_list *finalizers, unsigned dest,
                            garbage_scan *scan)
{
    gc_head *next;
    scan->count = 0;
    scan->has_finalizers = 0;
    for (gc_head *g = gc_list_first(unreachable); g != gc_list_end(unreachable); g = next) {
        g->next &= ~GC_NEXT_UNREACHABLE;
        next = gc_next(g);
        g->prev = (g->prev & ~GEN_MASK) | gen_bits(dest);
        gclab_object *o = FROM_GC(g);
        if (has_finalizer(o, GCLAB_FINALIZER_LEGACY)) {
            g->prev &= ~COLLECTING;
            gc_list_move(g, finalizers);
            continue;
        }
        if (has_finalizer(o, GCLAB_FINALIZER_PEP442) && !(g->prev & GC_FINALIZED))
            scan->has_finalizers = 1;
        scan->count++;
    }
}

/* The legacy-finalizer objects and the garbage they reach: all of it is
 * uncollectable. */
typedef struct finalizer_set {
    gc_list list;
    long moved; /* how many visit_move took from unreachable */
} finalizer_set;

static int visit_move(gclab_object *o, void *arg)
{
    if (is_container(o) && (AS_GC(o)->prev & COLLECTING)) {
        finalizer_set *fs = arg;
        AS_GC(o)->prev &= ~COLLECTING;
        gc_list_move(AS_GC(o), &fs->list);
        fs->moved++;
    }
    return 0;
}

/* CPython's move_legacy_finalizer_reachable.  The list grows while we walk
 * it; that is how the whole closure is reached. */
static void move_legacy_finalizer_reachable(finalizer_set *fs)
{
    for (gc_head *g = gc_list_first(&fs->list); g != gc_list_end(&fs->list); g = gc_next(g)) {
        gclab_object *o = FROM_GC(g);
        o->type->traverse(o, visit_move, fs);
    }
}

/* Run each PEP 442 finalizer once (CPython's finalize_garbage); the
 * members stay in `collectable`.  Returns how many finalizers ran. */
static long finalize_garbage(gclab_heap *h, gc_list *collectable)
{
    gc_list seen;
    gc_list_init(&seen);
    long ran = gclab__finalize_each(h, collectable, &seen);
    gc_list_merge(&seen, collectable);
    return ran;
}

/* Finalizers ran: deduce again which members are still unreachable
 * (CPython's handle_resurrected_objects).  The resurrected, and all they
 * reach, go to `old`; the rest stay in `unreachable`.  Returns how many stay. */
static long handle_resurrected_objects(gc_list *unreachable, gc_list *old, unsigned dest)
{
    gc_list still;
    gc_list_init(&still);
    scan_result res;
    update_refs(unreachable);
    subtract_refs(unreachable);
    move_unreachable(unreachable, &still, dest, 0, &res);
    gc_list_merge(unreachable, old); /* the resurrected */
    long n = 0;
    for (gc_head *g = gc_list_first(&still); g != gc_list_end(&still); g = gc_next(g)) {
        g->next &= ~GC_NEXT_UNREACHABLE;
        n++;
    }
    gc_list_merge(&still, unreachable);
    return n;
}

/* Break the cycles: tp_clear on each member; refcounts fall to zero and
 * the objects are freed.  A member still alive afterwards (something
 * outside took a reference during finalization) moves to `old`. */
static void delete_garbage(gclab_heap *h, gc_list *collectable, gc_list *old, unsigned dest)
{
    while (!gc_list_is_empty(collectable)) {
        gc_head *g = gc_list_first(collectable);
        gclab_object *o = FROM_GC(g);
        if (o->type->clear) {
            gclab_incref(o);
            o->type->clear(h, o);
            gclab_decref(h, o);
        }
        if (gc_list_first(collectable) == g) {
            g->prev = (g->prev & ~(COLLECTING | GEN_MASK)) | gen_bits(dest);
            gc_list_move(g, old);
        }
    }
}

/* The uncollectable go to gc.garbage (the legacy-finalizer objects
 * themselves) and then to `old`.  Returns how many there were. */
static long handle_legacy_finalizers(gclab_heap *h, gc_list *finalizers, gc_list *old)
{
    long n = 0;
    if (gc_list_is_empty(finalizers))
        return 0;
    gclab_object *garbage = gclab_get_garbage(h);
    for (gc_head *g = gc_list_first(finalizers); g != gc_list_end(finalizers); g = gc_next(g)) {
        if (has_finalizer(FROM_GC(g), GCLAB_FINALIZER_LEGACY))
            gclab_list_append(h, garbage, FROM_GC(g));
        n++;
    }
    gc_list_merge(finalizers, old);
    return n;
}

/* ------------------------------------------------------------------ */
/* One collection: the driver reads as the list of phases.             */

void gclab__gen_collect(gclab_heap *h, int generation, gclab_gc_info *info)
{
    gen_state *s = state(h);
    const unsigned gen = (unsigned)generation;
    const unsigned dest = gen + 1 < NGEN ? gen + 1 : gen;
    gc_list *young = &s->gens[gen];
    gc_list *old = &s->gens[dest];

    /* Counts: this collection counts toward the next generation's. */
    if (gen + 1 < NGEN)
        s->count[gen + 1]++;
    h->gc_count = 0;
    for (unsigned i = 1; i <= gen; i++)
        s->count[i] = 0;
    for (unsigned i = 0; i < gen; i++)
        gc_list_merge(&s->gens[i], young);
    validate_list(young, 0);

    /* Which members does nothing outside reach? */
    gc_list unreachable;
    gc_list_init(&unreachable);
    info->examined = update_and_subtract_refs(young, gen);
    scan_result res;
    move_unreachable(young, &unreachable, dest, gen == NGEN - 1 ? 2 : 1, &res);
    validate_list(young, 0);

    /* Survivors move up a generation. */
    if (young != old) {
        if (gen == 1)
            s->long_lived_pending += res.survivors;
        gc_list_merge(young, old);
    } else {
        s->long_lived_pending = 0;
        s->long_lived_total = res.survivors;
    }

    /* Finalizers: legacy ones, and what they reach, are uncollectable; PEP
     * 442 ones run once, and whatever they resurrect survives.  Without any,
     * the garbage goes straight to delete_garbage, unreachable marks and all. */
    long collected = info->examined - res.survivors - res.untracked;
    finalizer_set fs = {.moved = 0};
    gc_list_init(&fs.list);
    if (res.maybe_finalizers) {
        garbage_scan scan;
        prepare_garbage(&unreachable, &fs.list, dest, &scan);
        move_legacy_finalizer_reachable(&fs);
        collected = scan.count - fs.moved;
        validate_list(&unreachable, COLLECTING);
        if (scan.has_finalizers && finalize_garbage(h, &unreachable) > 0) {
            const long members = collected;
            collected = handle_resurrected_objects(&unreachable, old, dest);
            if (s->profile->revive_all && collected < members) {
                /* 3.8: one resurrection and the whole garbage survives, none counted */
                for (gc_head *g = gc_list_first(&unreachable); g != gc_list_end(&unreachable); g = gc_next(g))
                    g->prev = (g->prev & ~(COLLECTING | GEN_MASK)) | gen_bits(dest);
                gc_list_merge(&unreachable, old);
                collected = 0;
            }
        }
    }

    /* Profiles with instance + __dict__ (CPython <= 3.10), and instances
     * whose __dict__ was read up to 3.12 (a tracked dict): each collected
     * instance with a dict object takes it with it.  CPython
     * examined that dict too; the dicts of surviving instances are not
     * counted as examined (docs/collectors.md, profiles). */
    if (s->profile->instance_dict || s->profile->getdict == 1)
        for (gc_head *g = gc_list_first(&unreachable); g != gc_list_end(&unreachable); g = gc_next(g)) {
            const gclab_object *o = FROM_GC(g);
            int dict = o->type->kind == GCLAB_KIND_INSTANCE && ((const instance_object *)o)->has_dict == 1;
            collected += dict;
            info->examined += dict;
        }

    delete_garbage(h, &unreachable, old, dest);
    info->uncollectable = handle_legacy_finalizers(h, &fs.list, old);
    info->collected = collected;
    /* CPython's clear_freelists, after the garbage went (pushing onto them). */
    if (gen == NGEN - 1)
        gclab__profile_clear_freelists(h);
}

/* ------------------------------------------------------------------ */
/* The collector's other slots                                          */

/* CPython's collect_generations: the oldest generation over its threshold. */
static void collect_generations(gclab_heap *h)
{
    gen_state *s = state(h);
    for (int i = NGEN - 1; i >= 0; i--) {
        long count = i == 0 ? h->gc_count : s->count[i];
        if (count > h->thresholds[i]) {
            /* Full collections wait until the survivors of gen-1 collections
             * since the last one reach a quarter of the long-lived objects:
             * this keeps the cost linear on a growing heap. */
            if (i == NGEN - 1 && s->long_lived_pending < s->long_lived_total / 4)
                continue;
            gclab__collect(h, i, GCLAB_REASON_THRESHOLD);
            return;
        }
    }
}

static long threshold_trigger(const gclab_heap *h) { return h->thresholds[0] > 0 ? h->thresholds[0] : LONG_MAX; }

/* 3.12+ (gh-97922): the allocation only schedules the collection
 * (_Py_ScheduleGC); it runs at the next safe point (_Py_RunGC at the eval
 * breaker; here: the next allocation or gclab_poll, through an interrupt). */
static void gen_on_trigger(gclab_heap *h)
{
    gen_state *s = state(h);
    if (!s->profile->deferred) {
        collect_generations(h);
        return;
    }
    s->scheduled = 1;
    h->auto_trigger = LONG_MAX; /* progress: nothing more to schedule until it runs */
    gclab__update_trigger(h);
    gclab_interrupt(h);
}

static void run_scheduled(gclab_heap *h, void *arg)
{
    (void)arg;
    gen_state *s = state(h);
    if (!s->scheduled)
        return;
    if (h->explicit_safe_points && !h->polling) {
        h->poll_wanted = 1; /* an allocation is not an eval-breaker check: wait for gclab_poll */
        return;
    }
    s->scheduled = 0;
    h->auto_trigger = threshold_trigger(h);
    gclab__update_trigger(h);
    if (h->enabled && !h->collecting)
        collect_generations(h);
}

static void gen_thresholds_changed(gclab_heap *h)
{
    /* While a collection is scheduled the trigger stays off; run_scheduled restores it. */
    h->auto_trigger = state(h)->scheduled ? LONG_MAX : threshold_trigger(h);
}

int gclab__gen_get_count(const gclab_heap *h, long *counts, int max)
{
    for (int i = 0; i < NGEN && i < max; i++)
        counts[i] = i == 0 ? h->gc_count : state(h)->count[i];
    return NGEN;
}

void gclab__gen_immortalize(gclab_heap *h)
{
    gen_state *s = state(h);
    for (int i = 0; i < NGEN; i++)
        for (gc_head *g = gc_list_first(&s->gens[i]); g != gc_list_end(&s->gens[i]); g = gc_next(g))
            FROM_GC(g)->refcnt = GCLAB_IMMORTAL_REFCNT;
}

void gclab__gen_freeze(gclab_heap *h)
{
    gen_state *s = state(h);
    for (int i = 0; i < NGEN; i++) {
        set_list_gen(&s->gens[i], PERMANENT);
        gc_list_merge(&s->gens[i], &s->permanent);
        if (i > 0 && s->profile->freeze_all)
            s->count[i] = 0; /* gc_freeze_impl zeroes every count */
    }
    h->gc_count = 0;
}

void gclab__gen_unfreeze(gclab_heap *h)
{
    gen_state *s = state(h);
    set_list_gen(&s->permanent, NGEN - 1);
    gc_list_merge(&s->permanent, &s->gens[NGEN - 1]);
}

long gclab__gen_get_freeze_count(const gclab_heap *h)
{
    return gc_list_size(&state(h)->permanent);
}

void gclab__gen_setup(gclab_heap *h, int automatic, void *policy, const gen_profile *profile)
{
    gen_state *s = calloc(1, sizeof *s);
    if (!s)
        gclab__oom(sizeof *s);
    for (int i = 0; i < NGEN; i++)
        gc_list_init(&s->gens[i]);
    gc_list_init(&s->permanent);
    s->policy = policy;
    s->profile = profile ? profile : &gclab__profiles[0];
    h->cstate = s;
    h->young = &s->gens[0];
    h->auto_trigger = automatic && h->thresholds[0] > 0 ? h->thresholds[0] : LONG_MAX;
}

void *gclab__gen_policy(const gclab_heap *h) { return state(h)->policy; }

void gclab__gen_start(gclab_heap *h, int automatic, const gen_startup *st)
{
    gen_state *s = state(h);
    if (automatic && s->profile->deferred)
        gclab_interrupt_handler_add(h, run_scheduled, NULL);
    if (st->objects > 0) {
        /* gc_trigger is still LONG_MAX (the runtime sets it after init), so
         * none of this starts a collection.  A root list holds the rest:
         * like a module graph, most are reachable only from tracked objects. */
        const unsigned long long allocs = h->allocated[GCLAB_KIND_LIST];
        const size_t bytes = h->live_bytes[GCLAB_KIND_LIST];
        s->startup = gclab_new_list(h);
        for (long i = 1; i < st->objects; i++) {
            gclab_object *o = gclab_new_list(h);
            gclab_list_append(h, s->startup, o);
            gclab_decref(h, o);
        }
        s->startup_bytes = h->live_bytes[GCLAB_KIND_LIST] - bytes;
        h->allocated[GCLAB_KIND_LIST] = allocs;
        h->live_bytes[GCLAB_KIND_LIST] = bytes;
        /* CPython runs no full collection at start-up: long_lived_total
         * is still 0 (the state starts zeroed and only a full collection
         * sets it), so the first generation-2 trigger is never held back.
         * A start-up count[2] of 0 says no generation-1 collection ran
         * either: the survivors of the young ones are in generation 1,
         * which the first generation-1 collection examines whole.  With
         * count[2] > 0 they went on to generation 2, pending. */
        const unsigned where = st->counts[2] > 0 ? NGEN - 1 : 1;
        set_list_gen(&s->gens[0], where);
        gc_list_merge(&s->gens[0], &s->gens[where]);
        s->long_lived_total = 0;
        s->long_lived_pending = where == NGEN - 1 ? st->objects : 0;
    }
    h->gc_count = st->counts[0];
    s->count[1] = st->counts[1];
    s->count[2] = st->counts[2];
    /* Last: the start-up objects above must not take from them. */
    gclab__profile_fill_freelists(h, st);
}

void gclab__gen_release_startup(gclab_heap *h)
{
    gen_state *s = state(h);
    gclab_object *root = s->startup;
    if (!root)
        return;
    s->startup = NULL;
    /* Frozen with immortal=true, they are ours to make mortal again: the
     * root holds each item once and we hold the root. */
    if (gclab_is_immortal(root)) {
        root->refcnt = 1;
        for (size_t i = 0; i < gclab_list_len(root); i++)
            gclab_list_get(root, i)->refcnt = 1;
    }
    /* Nothing else can reach them: they all go now.  Their frees leave the
     * statistics as their allocations did, so the heap's allocations, frees,
     * live objects and leaks are the program's alone -- and so does the
     * on_free observer, which never heard of their allocation: it hears of
     * the program's objects, each once (test_api_edges counts it against
     * the allocations, the oracle against its model). */
    h->live_bytes[GCLAB_KIND_LIST] += s->startup_bytes;
    const unsigned long long freed = h->freed[GCLAB_KIND_LIST];
    void (*on_free)(gclab_heap *, gclab_object *, void *) = h->on_free;
    h->on_free = NULL; /* nothing but these lists is freed here: they hold nothing else */
    gclab_decref(h, root);
    h->on_free = on_free;
    h->freed[GCLAB_KIND_LIST] = freed;
}

void gclab__gen_fini(gclab_heap *h)
{
    gclab__gen_release_startup(h); /* held only when gclab_heap_new failed after init */
    free(h->cstate);
}

void gclab__gen_gather(gclab_heap *h, gc_list *into)
{
    gen_state *s = state(h);
    for (int i = 0; i < NGEN; i++)
        gc_list_merge(&s->gens[i], into);
    gc_list_merge(&s->permanent, into);
}

/* ------------------------------------------------------------------ */
/* The `generational` collector: the algorithm with CPython's policy --   */
/* the thresholds, a full collection at exit -- and the freeze options.  */

enum { P_FREEZE, P_IMMORTAL, P_PROFILE, P_STARTUP, NPARAMS };
static const gclab_param gen_params[] = {
    [P_FREEZE] = GEN_FREEZE_PARAM,
    [P_IMMORTAL] = GEN_IMMORTAL_PARAM,
    [P_PROFILE] = GEN_PROFILE_PARAM,
    [P_STARTUP] = GEN_STARTUP_PARAM,
};
_Static_assert(sizeof gen_params / sizeof gen_params[0] == NPARAMS, "one parameter per P_ index");

static int gen_init(gclab_heap *h, const gclab_value *p, char *err, size_t errlen)
{
    gen_policy policy = {.automatic = 1, .exit_collect = 1,
                         .freeze_event = gclab__policy_freeze_event(p[P_FREEZE].i),
                         .immortal = (int)p[P_IMMORTAL].i};
    if (gclab__policy_profile(&policy, p[P_PROFILE].i, p[P_STARTUP].s, err, errlen) != 0)
        return -1;
    gclab__policy_setup(h, &policy);
    return 0;
}

const gclab_collector gclab_collector_generational = {
    .info = {.name = "generational",
             .description = "CPython 3.8-3.13: refcounting plus three generations with "
                            "thresholds (700, 10, 10) and the long-lived 25% rule",
             .params = gen_params,
             .nparams = sizeof gen_params / sizeof gen_params[0],
             .flags = GCLAB_COLLECTOR_RECLAIMS_CYCLES | GCLAB_COLLECTOR_AUTOMATIC,
             .ngenerations = NGEN,
             .nthresholds = NGEN,
             .default_thresholds = {700, 10, 10}},
    .init = gen_init,
    .on_trigger = gen_on_trigger,
    .thresholds_changed = gen_thresholds_changed,
    GEN_SHARED_SLOTS,
};
