/*
 * tests/test_conformance.c -- the oracle: every registered collector under a
 * seeded random mutator, checked against an independent shadow model of the
 * object graph.
 *
 * The mutator (splitmix64, one stream per collector from the same seed)
 * allocates every kind of object, adds and drops references, builds rings of
 * 1..50 containers and chains of 40..139 (kept, or dropped at once as
 * garbage), pushes and pops frames, collects explicitly, freezes and
 * unfreezes, enables and disables the collector, drains gc.garbage, and sets
 * small thresholds so that automatic collections are frequent.  PEP 442
 * finalizers resurrect themselves (or a child) into an empty frame slot,
 * clear their attributes, or do nothing; legacy finalizers make cycles
 * uncollectable.  The heap stays at a few thousand live objects: above that
 * the mutator mostly drops references, and for collectors that do not
 * reclaim cycles a "reaper" breaks up the cyclic garbage at checkpoints.
 *
 * The model knows each object's kind, its outgoing references (in the same
 * order as the real container, so list swap_remove and dict key equality are
 * mirrored), its refcount, and whether it is frozen.  It learns of frees only
 * through gclab_config.on_free, and of gc.garbage only by reading the list at
 * the end of a collection.  It is updated *before* each real call, so that
 * whatever that call runs (frees, finalizers, a collection) sees a model that
 * matches the heap.  References held by the mutator's C variables ("temps")
 * are roots, like frame slots.
 *
 * After every collection (gc callback, STOP) and every explicit gclab_collect:
 *   1. no node reachable from the roots (frame slots, temps, globals,
 *      gc.garbage), or from frozen objects, has been freed;
 *   2. collectors flagged GCLAB_COLLECTOR_RECLAIMS_CYCLES, after a collection
 *      of the oldest generation: every live node is reachable from the roots,
 *      the frozen objects or gc.garbage -- except, as in CPython, what only
 *      frozen objects reached when the collection started (a frozen object
 *      that only garbage held dies with it) and what an unreachable legacy
 *      object reached then (set aside as uncollectable even if clearing the
 *      garbage frees that object); every unreachable legacy object on a
 *      cycle is in gc.garbage;
 *   and each time: every live object's kind, refcount, contents, tracking
 *   (a container that may hold a cycle is tracked) and gc.is_finalized agree
 *   with the model; live objects per kind and the freeze count agree with
 *   the heap; what joins gc.garbage is a legacy-finalizer object that was
 *   unreachable when the collection started.
 * Finalizers: a PEP 442 finalizer runs at most once; in a collection only on
 * an object the roots did not reach when it started; the object is then
 * freed unless something resurrected it; no object with a finalizer is freed
 * without it having run (but in heap_free's final sweep).
 * At checkpoints (every CHECK_EVERY operations), in addition:
 *   3. the live set is exactly what the roots or a node on a cycle reach
 *      (Tarjan's strongly connected components): for `refcount`, exactly the
 *      cyclic garbage and what it reaches is left;
 *   and the per-generation collection counts match the callbacks seen.
 * At the end, gclab_heap_free's leak report, by kind, is checked against the
 * model's prediction (see teardown_and_check), and every object must have
 * been freed exactly once.
 *
 * Environment: GCLAB_ORACLE_OPS (default 1000000) and GCLAB_ORACLE_SEED
 * (default DEFAULT_SEED) set the operation count and the seed;
 * GCLAB_ORACLE_TRACE=N prints every operation from the N-th on.  A failure
 * message names the collector, the seed and the operation.
 */
#include "test.h"

#include "profile_default.h"
#include "runtime/splitmix64.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_SEED 0x6c61622d6f72636cULL
#define DEFAULT_OPS 1000000ULL

#define BASE_SLOTS 64   /* the base frame's slots */
#define MAX_FRAMES 4    /* the base frame and up to 3 more */
#define CHECK_EVERY 250 /* operations between checkpoints */
#define LIVE_SOFT 2500  /* above this many live objects, the mutator mostly drops */
#define LIVE_HARD 5000  /* above this, it only drops */
#define REAP_AT 500     /* no-reclaim collectors: unreachable containers left alone at a checkpoint */
#define ATOM_VALUES 40  /* atoms take few values, so equal dict keys are common */
#define MAX_RING 50

enum { FIN_NONE, FIN_PEP442, FIN_LEGACY };
enum { ACT_NOTHING, ACT_RESURRECT, ACT_CLEAR, ACT_RESURRECT_CHILD };
enum {
    M_MARK, M_START_ROOTS, M_START_ALL, M_START_LEGACY, M_AUX,
    M_EXIT_S, M_EXIT_FZ, M_EXIT_E, M_EXIT_P, /* the teardown prediction */
    NMARKS
};

/* ------------------------------------------------------------------ */
/* Small helpers */

typedef struct ivec {
    int32_t *a;
    uint32_t n, cap;
} ivec;

static void iv_push(ivec *v, int32_t x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 4;
        v->a = realloc(v->a, v->cap * sizeof *v->a);
        if (!v->a)
            abort();
    }
    v->a[v->n++] = x;
}

static void iv_free(ivec *v)
{
    free(v->a);
    v->a = NULL;
    v->n = v->cap = 0;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        abort();
    return p;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------------ */
/* The model */

typedef struct node {
    gclab_object *obj;
    ivec out;        /* list, tuple: items; dict: key, value pairs; instance: attrs (-1: empty) */
    int64_t val;     /* atoms: the value their payload is made from */
    uint64_t serial; /* creation number, for messages */
    int32_t rc;      /* references the model knows: edges of live nodes, roots, C locals, the heap */
    int32_t rootrc;  /* of which from frame slots, C locals and the heap itself */
    uint8_t kind, alive, frozen, fin, act, finalized, resurrected;
    uint8_t lran; /* legacy: its finalizer ran at the last refcount zero */
} node;

typedef struct mframe {
    gclab_frame *real;
    int32_t *slots;
    uint32_t n;
} mframe;

typedef struct tcall {
    int32_t v;
    uint32_t pos;
} tcall;

typedef struct oracle {
    const gclab_collector_info *ci;
    gclab_heap *h;
    uint64_t seed, rng, op, nops, trace;
    int reclaims, ngen;

    node *nodes;
    uint32_t nnodes, cap;
    uint32_t *marks[NMARKS];
    uint32_t epoch;
    ivec freelist, quarantine; /* dead ids are reused only after a check has passed */
    uint64_t serial;

    uintptr_t *mkeys; /* object address -> node id; open addressing, backward-shift delete */
    int32_t *mvals;
    uint32_t mcap, mcount;

    mframe frames[MAX_FRAMES];
    int nframes;
    ivec temps; /* references held by the mutator's C variables */
    int32_t globals, garbage;

    long live, live_kind[GCLAB_NKINDS], nfrozen;
    /* The profile's start-up heap: long-lived tracked containers the model
     * does not see, frozen by every freeze until the next unfreeze (CPython's
     * gc.get_freeze_count() counts them too). */
    long startup;
    int startup_frozen;

    int in_gc, manual, shutdown, freeze_ok, disabled, full_start;
    uint32_t start_roots_ep, start_all_ep, start_legacy_ep;
    ivec gc_fin, rc_fin; /* finalizers run during a collection / by refcounting */
    ivec legacy_cyc;     /* full collection: unreachable legacy objects on a cycle at START */
    ivec stack, scratch;
    uint64_t *pairs_a, *pairs_b;
    uint32_t pairs_cap;
    long stops[GCLAB_MAX_GENERATIONS];
    gclab_gc_info last_stop;

    /* Tarjan */
    int32_t *t_idx, *t_low;
    uint8_t *t_on;
    uint32_t t_cap;
    tcall *calls;
    uint32_t calls_cap;

    /* the end: epochs of the M_EXIT_* marks, and what they count */
    uint32_t exit_ep[NMARKS];
    long exit_count[NMARKS], exit_kind[NMARKS][GCLAB_NKINDS], exit_legacy_u;
    int exit_seen, exit_full;
    long exit_live;

    /* for the summary */
    unsigned long long n_collect[2], n_fin_gc, n_fin_rc, n_resurrect, n_uncollectable, n_reaped,
        n_rings, n_chains, n_freeze, n_nodes, n_toggles;
    long max_live;
} oracle;

static oracle *cur; /* for the teardown after a failure */

#define N(or, id) (&(or)->nodes[(id)])

static const char *kind_str(int k) { return gclab_kind_name((gclab_kind)k); }

/* A description of a node for messages. */
static const char *desc_into(oracle *or, int32_t id, char *b)
{
    if (id < 0 || (uint32_t)id >= or->nnodes) {
        snprintf(b, 160, "node %d (none)", id);
        return b;
    }
    node *n = N(or, id);
    snprintf(b, 160, "node %d (#%" PRIu64 " %s%s%s%s, %s, model refcount %d)", id, n->serial,
             kind_str(n->kind),
             n->fin == FIN_PEP442 ? " with PEP 442 finalizer" : n->fin == FIN_LEGACY ? " with legacy finalizer" : "",
             n->frozen ? ", frozen" : "", n->finalized ? ", finalized" : "",
             n->alive ? "alive" : "freed", n->rc);
    return b;
}

/* The same in one of four rotating buffers: a message may hold four. */
static const char *desc(oracle *or, int32_t id)
{
    static char bufs[4][160];
    static int next;
    return desc_into(or, id, bufs[next++ & 3]);
}

#define OFAIL(or, ...) oracle_fail((or), __LINE__, __VA_ARGS__)

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void oracle_fail(oracle *or, int line, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fail_msg("conformance oracle: collector %s, GCLAB_ORACLE_SEED=%" PRIu64 ", op %" PRIu64
             " of %" PRIu64 "%s%s: %s (test_conformance.c:%d)",
             or->ci->name, or->seed, or->op, or->nops, or->in_gc ? ", during a collection" : "",
             or->shutdown ? ", at heap teardown" : "", msg, line);
}

/* ---- splitmix64 ---- */

static uint64_t next64(oracle *or) { return splitmix64(&or->rng); }

static uint32_t rnd(oracle *or, uint32_t n)
{
    return n ? (uint32_t)(((next64(or) >> 32) * (uint64_t)n) >> 32) : 0;
}

static int chance(oracle *or, uint32_t num, uint32_t den) { return rnd(or, den) < num; }

/* ---- address -> id map ---- */

static uint32_t ptr_hash(uintptr_t p)
{
    uint64_t x = (uint64_t)p;
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ULL;
    x ^= x >> 29;
    return (uint32_t)x;
}

static void map_insert_raw(oracle *or, uintptr_t key, int32_t val)
{
    uint32_t mask = or->mcap - 1;
    uint32_t i = ptr_hash(key) & mask;
    while (or->mkeys[i])
        i = (i + 1) & mask;
    or->mkeys[i] = key;
    or->mvals[i] = val;
}

static void map_grow(oracle *or)
{
    uint32_t oldcap = or->mcap;
    uintptr_t *ok = or->mkeys;
    int32_t *ov = or->mvals;
    or->mcap = oldcap ? 2 * oldcap : 1024;
    or->mkeys = calloc(or->mcap, sizeof *or->mkeys);
    or->mvals = calloc(or->mcap, sizeof *or->mvals);
    if (!or->mkeys || !or->mvals)
        abort();
    for (uint32_t i = 0; i < oldcap; i++)
        if (ok[i])
            map_insert_raw(or, ok[i], ov[i]);
    free(ok);
    free(ov);
}

static int32_t map_get(const oracle *or, const void *p)
{
    uintptr_t key = (uintptr_t)p;
    uint32_t mask = or->mcap - 1;
    for (uint32_t i = ptr_hash(key) & mask;; i = (i + 1) & mask) {
        if (!or->mkeys[i])
            return -1;
        if (or->mkeys[i] == key)
            return or->mvals[i];
    }
}

static void map_put(oracle *or, const void *p, int32_t id)
{
    int32_t old = map_get(or, p);
    if (old >= 0)
        OFAIL(or, "a new object at %p, the address of %s, which the model believes alive", p,
              desc(or, old));
    if ((or->mcount + 1) * 2 > or->mcap)
        map_grow(or);
    map_insert_raw(or, (uintptr_t)p, id);
    or->mcount++;
}

static int32_t map_del(oracle *or, const void *p)
{
    uintptr_t key = (uintptr_t)p;
    uint32_t mask = or->mcap - 1;
    uint32_t i = ptr_hash(key) & mask;
    while (or->mkeys[i] != key) {
        if (!or->mkeys[i])
            return -1;
        i = (i + 1) & mask;
    }
    int32_t id = or->mvals[i];
    for (uint32_t j = i;;) {
        j = (j + 1) & mask;
        if (!or->mkeys[j])
            break;
        uint32_t k = ptr_hash(or->mkeys[j]) & mask;
        int stays = i <= j ? (k > i && k <= j) : (k > i || k <= j);
        if (!stays) {
            or->mkeys[i] = or->mkeys[j];
            or->mvals[i] = or->mvals[j];
            i = j;
        }
    }
    or->mkeys[i] = 0;
    or->mcount--;
    return id;
}

/* ---- nodes ---- */

static void grow_nodes(oracle *or)
{
    uint32_t cap = or->cap ? 2 * or->cap : 4096;
    or->nodes = xrealloc(or->nodes, cap * sizeof *or->nodes);
    for (int m = 0; m < NMARKS; m++) {
        or->marks[m] = xrealloc(or->marks[m], cap * sizeof *or->marks[m]);
        memset(or->marks[m] + or->cap, 0, (cap - or->cap) * sizeof *or->marks[m]);
    }
    or->cap = cap;
}

/* Register a new object; the caller sets rc. */
static int32_t node_new(oracle *or, gclab_object *o, int kind, int64_t val)
{
    int32_t id;
    if (or->freelist.n) {
        id = or->freelist.a[--or->freelist.n];
    } else {
        if (or->nnodes == or->cap)
            grow_nodes(or);
        id = (int32_t)or->nnodes++;
    }
    node *n = N(or, id);
    memset(n, 0, sizeof *n);
    n->obj = o;
    n->kind = (uint8_t)kind;
    n->val = val;
    n->serial = ++or->serial;
    n->alive = 1;
    for (int m = 0; m < NMARKS; m++)
        or->marks[m][id] = 0;
    if ((int)gclab_kind_of(o) != kind)
        OFAIL(or, "new object %p has kind %s, expected %s", (void *)o,
              kind_str(gclab_kind_of(o)), kind_str(kind));
    if (gclab_refcnt(o) != 1)
        OFAIL(or, "new %s has refcount %ld, expected 1", kind_str(kind), (long)gclab_refcnt(o));
    map_put(or, o, id);
    or->live++;
    or->live_kind[kind]++;
    if (or->live > or->max_live)
        or->max_live = or->live;
    or->n_nodes++;
    return id;
}

/* A new reference, owned by the mutator's C variable (a "temp"). */
static int32_t node_new_temp(oracle *or, gclab_object *o, int kind, int64_t val)
{
    int32_t id = node_new(or, o, kind, val);
    N(or, id)->rc = 1;
    N(or, id)->rootrc = 1;
    iv_push(&or->temps, id);
    return id;
}

static void temp_hold(oracle *or, int32_t id)
{
    node *n = N(or, id);
    n->rc++;
    n->rootrc++;
    iv_push(&or->temps, id);
    gclab_incref(n->obj);
}

static void temp_release(oracle *or, int32_t id)
{
    uint32_t i = or->temps.n;
    while (i > 0 && or->temps.a[i - 1] != id)
        i--;
    if (i == 0)
        OFAIL(or, "internal: %s is not a temp", desc(or, id));
    or->temps.a[i - 1] = or->temps.a[--or->temps.n];
    node *n = N(or, id);
    gclab_object *o = n->obj;
    n->rc--;
    n->rootrc--;
    gclab_decref(or->h, o);
}

static void ref_inc(oracle *or, int32_t id)
{
    if (id >= 0)
        N(or, id)->rc++;
}

static void ref_dec(oracle *or, int32_t id)
{
    if (id >= 0)
        N(or, id)->rc--;
}

static int is_container_kind(int k) { return k >= GCLAB_KIND_TUPLE; }
static int is_mutable_kind(int k)
{
    return k == GCLAB_KIND_LIST || k == GCLAB_KIND_DICT || k == GCLAB_KIND_INSTANCE;
}

/* ---- the on_free observer ---- */

static void on_free(gclab_heap *h, gclab_object *o, void *arg)
{
    (void)h;
    oracle *or = arg;
    int32_t id = map_del(or, o);
    if (id < 0)
        OFAIL(or, "the library freed %p (a %s), which the model does not know: a double free or "
                  "a foreign object", (void *)o, kind_str(gclab_kind_of(o)));
    node *n = N(or, id);
    if (!or->shutdown && n->rootrc > 0)
        OFAIL(or, "%s was freed while a frame slot, a C variable or the heap still held it",
              desc(or, id));
    if ((int)gclab_kind_of(o) != n->kind)
        OFAIL(or, "%s freed as a %s", desc(or, id), kind_str(gclab_kind_of(o)));
    /* Only the final sweep of gclab_heap_free frees without finalizers; it
     * frees what the model predicts to survive the roots being dropped. */
    int sweep = or->shutdown && !or->in_gc && or->marks[M_EXIT_S][id] == or->exit_ep[M_EXIT_S];
    if (n->fin == FIN_PEP442 && !n->finalized && !sweep)
        OFAIL(or, "%s was freed without its PEP 442 finalizer having run", desc(or, id));
    if (n->fin == FIN_LEGACY && !n->lran && !sweep)
        OFAIL(or, "%s was freed without its legacy finalizer running at refcount zero",
              desc(or, id));
    n->alive = 0;
    for (uint32_t i = 0; i < n->out.n; i++)
        ref_dec(or, n->out.a[i]);
    iv_free(&n->out);
    if (n->frozen) {
        n->frozen = 0;
        or->nfrozen--;
    }
    or->live--;
    or->live_kind[n->kind]--;
    iv_push(&or->quarantine, id);
}

/* ------------------------------------------------------------------ */
/* Model-first operations: update the model, then make the real call. */

static void m_list_append(oracle *or, int32_t l, int32_t x)
{
    iv_push(&N(or, l)->out, x);
    ref_inc(or, x);
    gclab_list_append(or->h, N(or, l)->obj, N(or, x)->obj);
}

static void m_list_set(oracle *or, int32_t l, uint32_t i, int32_t x)
{
    node *L = N(or, l);
    int32_t old = L->out.a[i];
    L->out.a[i] = x;
    ref_inc(or, x);
    ref_dec(or, old);
    if (gclab_list_set(or->h, L->obj, i, N(or, x)->obj) != 0)
        OFAIL(or, "gclab_list_set(%s, %u) failed", desc(or, l), i);
}

static void m_list_swap_remove(oracle *or, int32_t l, uint32_t i)
{
    node *L = N(or, l);
    gclab_object *lo = L->obj;
    int32_t old = L->out.a[i];
    L->out.a[i] = L->out.a[L->out.n - 1];
    L->out.n--;
    ref_dec(or, old);
    if (gclab_list_swap_remove(or->h, lo, i) != 0)
        OFAIL(or, "gclab_list_swap_remove(%s, %u) failed", desc(or, l), i);
}

static void m_list_clear(oracle *or, int32_t l)
{
    node *L = N(or, l);
    gclab_object *lo = L->obj;
    for (uint32_t i = 0; i < L->out.n; i++)
        ref_dec(or, L->out.a[i]);
    L->out.n = 0;
    gclab_list_clear(or->h, lo);
}

/* Key equality as the dict defines it: by value for atoms and tuples. */
static int keyeq(oracle *or, int32_t a, int32_t b)
{
    if (a == b)
        return 1;
    node *x = N(or, a), *y = N(or, b);
    if (x->kind != y->kind)
        return 0;
    switch (x->kind) {
    case GCLAB_KIND_INT:
    case GCLAB_KIND_STR:
    case GCLAB_KIND_BYTES:
        return x->val == y->val;
    case GCLAB_KIND_TUPLE:
        if (x->out.n != y->out.n)
            return 0;
        for (uint32_t i = 0; i < x->out.n; i++)
            if (!keyeq(or, x->out.a[i], y->out.a[i]))
                return 0;
        return 1;
    default:
        return 0;
    }
}

static int dict_find(oracle *or, int32_t d, int32_t key)
{
    node *D = N(or, d);
    for (uint32_t i = 0; i < D->out.n; i += 2)
        if (keyeq(or, D->out.a[i], key))
            return (int)i;
    return -1;
}

/* d[k] = v: an equal key keeps the stored key object and replaces the value. */
static void m_dict_set(oracle *or, int32_t d, int32_t k, int32_t v)
{
    int i = dict_find(or, d, k);
    if (i >= 0) {
        node *D = N(or, d);
        int32_t old = D->out.a[i + 1];
        D->out.a[i + 1] = v;
        ref_inc(or, v);
        ref_dec(or, old);
    } else {
        iv_push(&N(or, d)->out, k);
        iv_push(&N(or, d)->out, v);
        ref_inc(or, k);
        ref_inc(or, v);
    }
    gclab_dict_setitem(or->h, N(or, d)->obj, N(or, k)->obj, N(or, v)->obj);
}

/* del d[key of pair p], looked up with `probe` (an equal key) or the stored key. */
static void m_dict_del(oracle *or, int32_t d, uint32_t p, int32_t probe)
{
    node *D = N(or, d);
    gclab_object *dobj = D->obj;
    int32_t k = D->out.a[p], v = D->out.a[p + 1];
    gclab_object *kobj = N(or, probe >= 0 ? probe : k)->obj;
    D->out.a[p] = D->out.a[D->out.n - 2];
    D->out.a[p + 1] = D->out.a[D->out.n - 1];
    D->out.n -= 2;
    ref_dec(or, k);
    ref_dec(or, v);
    if (gclab_dict_delitem(or->h, dobj, kobj) != 0)
        OFAIL(or, "gclab_dict_delitem(%s, key %s) found no such key", desc(or, d), desc(or, k));
}

static void m_dict_clear(oracle *or, int32_t d)
{
    node *D = N(or, d);
    gclab_object *dobj = D->obj;
    for (uint32_t i = 0; i < D->out.n; i++)
        ref_dec(or, D->out.a[i]);
    D->out.n = 0;
    gclab_dict_clear(or->h, dobj);
}

static void m_setattr(oracle *or, int32_t x, uint32_t i, int32_t v)
{
    node *X = N(or, x);
    gclab_object *xo = X->obj;
    int32_t old = X->out.a[i];
    X->out.a[i] = v;
    ref_inc(or, v);
    ref_dec(or, old);
    if (gclab_setattr(or->h, xo, i, v >= 0 ? N(or, v)->obj : NULL) != 0)
        OFAIL(or, "gclab_setattr(%s, %u) failed", desc(or, x), i);
}

static void m_slot_set(oracle *or, int fi, uint32_t s, int32_t v)
{
    mframe *f = &or->frames[fi];
    int32_t old = f->slots[s];
    f->slots[s] = v;
    if (v >= 0) {
        N(or, v)->rc++;
        N(or, v)->rootrc++;
    }
    if (old >= 0) {
        N(or, old)->rc--;
        N(or, old)->rootrc--;
    }
    gclab_frame_set(or->h, f->real, s, v >= 0 ? N(or, v)->obj : NULL);
}

/* ------------------------------------------------------------------ */
/* Finalizers */

/* Store `id` in an empty slot of the innermost frame: nothing is released,
 * so resurrection never frees anything the mutator is holding. */
static void resurrect(oracle *or, int32_t id, int is_self)
{
    gclab_frame *f = gclab_frame_top(or->h);
    if (!f || or->nframes == 0)
        return;
    int fi = or->nframes - 1;
    mframe *mf = &or->frames[fi];
    if (mf->real != f)
        OFAIL(or, "the innermost frame is not the one the model pushed last");
    uint32_t start = rnd(or, mf->n);
    for (uint32_t k = 0; k < mf->n; k++) {
        uint32_t s = (start + k) % mf->n;
        if (gclab_frame_get(f, s) != NULL)
            continue;
        if (mf->slots[s] >= 0)
            OFAIL(or, "frame slot %u is empty but the model holds %s there", s,
                  desc(or, mf->slots[s]));
        node *n = N(or, id);
        if (is_self) {
            n->resurrected = 1;
            /* An object freed from the trashcan is untracked while it waits;
             * resurrected, it is tracked again as a young object. */
            if (n->frozen && !gclab_is_tracked(n->obj)) {
                n->frozen = 0;
                or->nfrozen--;
            }
        }
        m_slot_set(or, fi, s, id);
        or->n_resurrect++;
        return;
    }
}

static void finalizer_common(oracle *or, gclab_object *self, int kind)
{
    int32_t id = map_get(or, self);
    if (id < 0)
        OFAIL(or, "a finalizer ran on %p, which the model does not know", (void *)self);
    node *n = N(or, id);
    if (!n->alive || n->fin != kind)
        OFAIL(or, "a %s finalizer ran on %s", kind == FIN_PEP442 ? "PEP 442" : "legacy",
              desc(or, id));
    if (gclab_refcnt(self) < 1)
        OFAIL(or, "finalizer of %s runs with refcount %ld", desc(or, id), (long)gclab_refcnt(self));
    if (kind == FIN_PEP442) {
        if (n->finalized)
            OFAIL(or, "PEP 442: the finalizer of %s ran a second time", desc(or, id));
        if (!gclab_is_finalized(self))
            OFAIL(or, "%s is not marked finalized while its finalizer runs", desc(or, id));
        n->finalized = 1;
    }
    n->resurrected = 0;
    n->lran = kind == FIN_LEGACY;
    if (or->shutdown)
        return; /* the roots are gone: nothing to do, nowhere to resurrect to */
    if (or->in_gc) {
        if (or->marks[M_START_ROOTS][id] == or->start_roots_ep)
            OFAIL(or, "the finalizer of %s ran during a collection, but the roots reached it "
                      "when the collection started", desc(or, id));
        iv_push(&or->gc_fin, id);
        or->n_fin_gc++;
    } else {
        iv_push(&or->rc_fin, id);
        or->n_fin_rc++;
    }
    switch (n->act) {
    case ACT_RESURRECT:
        resurrect(or, id, 1);
        break;
    case ACT_CLEAR:
        for (uint32_t a = 0; a < N(or, id)->out.n; a++)
            if (N(or, id)->out.a[a] >= 0)
                m_setattr(or, id, a, -1);
        break;
    case ACT_RESURRECT_CHILD:
        for (uint32_t a = 0; a < N(or, id)->out.n; a++) {
            int32_t c = N(or, id)->out.a[a];
            if (c >= 0 && N(or, c)->alive) {
                resurrect(or, c, 0);
                break;
            }
        }
        break;
    default:
        break;
    }
    if (N(or, id)->resurrected)
        N(or, id)->lran = 0; /* it lives on; it must run again before a free */
}

static void pep442_finalizer(gclab_heap *h, gclab_object *self, void *ctx)
{
    (void)h;
    finalizer_common(ctx, self, FIN_PEP442);
}

static void legacy_finalizer(gclab_heap *h, gclab_object *self, void *ctx)
{
    (void)h;
    finalizer_common(ctx, self, FIN_LEGACY);
}

/* ------------------------------------------------------------------ */
/* Reachability */

static void bfs_seed(oracle *or, int m, uint32_t ep, int32_t id, const char *what, const char *from)
{
    if (id < 0)
        return;
    if (!N(or, id)->alive)
        OFAIL(or, "%s: %s holds %s, which the library has freed", what, from, desc(or, id));
    if (or->marks[m][id] != ep) {
        or->marks[m][id] = ep;
        iv_push(&or->stack, id);
    }
}

static void bfs_run(oracle *or, int m, uint32_t ep, const char *what)
{
    uint32_t *mk = or->marks[m];
    while (or->stack.n) {
        int32_t id = or->stack.a[--or->stack.n];
        node *n = N(or, id);
        for (uint32_t i = 0; i < n->out.n; i++) {
            int32_t c = n->out.a[i];
            if (c < 0)
                continue;
            if (!N(or, c)->alive)
                OFAIL(or, "%s: reachable %s references %s, which the library has freed", what,
                      desc(or, id), desc(or, c));
            if (mk[c] != ep) {
                mk[c] = ep;
                iv_push(&or->stack, c);
            }
        }
    }
}

/* Frame slots, C variables, and (until teardown) globals and gc.garbage. */
static void seed_roots(oracle *or, int m, uint32_t ep, const char *what)
{
    for (int f = 0; f < or->nframes; f++)
        for (uint32_t s = 0; s < or->frames[f].n; s++)
            bfs_seed(or, m, ep, or->frames[f].slots[s], what, "a frame slot");
    for (uint32_t i = 0; i < or->temps.n; i++)
        bfs_seed(or, m, ep, or->temps.a[i], what, "a C variable of the mutator");
    if (!or->shutdown) {
        bfs_seed(or, m, ep, or->globals, what, "the heap (globals)");
        bfs_seed(or, m, ep, or->garbage, what, "the heap (gc.garbage)");
    }
}

static void seed_frozen(oracle *or, int m, uint32_t ep, const char *what)
{
    if (!or->nfrozen)
        return;
    for (uint32_t id = 0; id < or->nnodes; id++)
        if (or->nodes[id].alive && or->nodes[id].frozen)
            bfs_seed(or, m, ep, (int32_t)id, what, "the frozen set");
}

/* Mark (in M_AUX) every live node on a cycle: a strongly connected component
 * of two or more nodes, or a node referencing itself.  Iterative Tarjan. */
static uint32_t mark_cyclic(oracle *or)
{
    uint32_t ep = ++or->epoch;
    if (or->t_cap < or->nnodes) {
        or->t_cap = or->cap;
        or->t_idx = xrealloc(or->t_idx, or->t_cap * sizeof *or->t_idx);
        or->t_low = xrealloc(or->t_low, or->t_cap * sizeof *or->t_low);
        or->t_on = xrealloc(or->t_on, or->t_cap * sizeof *or->t_on);
    }
    memset(or->t_idx, 0, or->nnodes * sizeof *or->t_idx);
    memset(or->t_on, 0, or->nnodes * sizeof *or->t_on);
    int32_t index = 0;
    uint32_t ncalls = 0;
    ivec *ss = &or->scratch;
    ss->n = 0;
    for (uint32_t s = 0; s < or->nnodes; s++) {
        if (!or->nodes[s].alive || or->t_idx[s])
            continue;
        or->t_idx[s] = or->t_low[s] = ++index;
        iv_push(ss, (int32_t)s);
        or->t_on[s] = 1;
        if (ncalls == or->calls_cap) {
            or->calls_cap = or->calls_cap ? 2 * or->calls_cap : 256;
            or->calls = xrealloc(or->calls, or->calls_cap * sizeof *or->calls);
        }
        or->calls[ncalls++] = (tcall){(int32_t)s, 0};
        while (ncalls) {
            tcall *c = &or->calls[ncalls - 1];
            int32_t v = c->v;
            node *V = N(or, v);
            if (c->pos < V->out.n) {
                int32_t w = V->out.a[c->pos++];
                if (w < 0 || !N(or, w)->alive)
                    continue;
                if (!or->t_idx[w]) {
                    or->t_idx[w] = or->t_low[w] = ++index;
                    iv_push(ss, w);
                    or->t_on[w] = 1;
                    if (ncalls == or->calls_cap) {
                        or->calls_cap *= 2;
                        or->calls = xrealloc(or->calls, or->calls_cap * sizeof *or->calls);
                    }
                    or->calls[ncalls++] = (tcall){w, 0};
                } else if (or->t_on[w] && or->t_idx[w] < or->t_low[v]) {
                    or->t_low[v] = or->t_idx[w];
                }
                continue;
            }
            ncalls--;
            if (or->t_low[v] == or->t_idx[v]) {
                uint32_t k = ss->n;
                while (ss->a[k - 1] != v)
                    k--;
                k--; /* ss[k..] is the component, v first */
                int cyclic = ss->n - k > 1;
                for (uint32_t i = 0; !cyclic && i < V->out.n; i++)
                    cyclic = V->out.a[i] == v;
                for (uint32_t i = k; i < ss->n; i++) {
                    or->t_on[ss->a[i]] = 0;
                    if (cyclic)
                        or->marks[M_AUX][ss->a[i]] = ep;
                }
                ss->n = k;
            }
            if (ncalls) {
                int32_t u = or->calls[ncalls - 1].v;
                if (or->t_low[v] < or->t_low[u])
                    or->t_low[u] = or->t_low[v];
            }
        }
    }
    return ep;
}

/* ------------------------------------------------------------------ */
/* Checks */

static void ensure_pairs(oracle *or, uint32_t n)
{
    if (n > or->pairs_cap) {
        or->pairs_cap = n * 2;
        or->pairs_a = xrealloc(or->pairs_a, or->pairs_cap * sizeof *or->pairs_a);
        or->pairs_b = xrealloc(or->pairs_b, or->pairs_cap * sizeof *or->pairs_b);
    }
}

/* May this object ever be tracked (what forces its container to stay tracked)? */
static int forces_tracking(oracle *or, int32_t c)
{
    node *n = N(or, c);
    if (n->kind == GCLAB_KIND_TUPLE)
        return gclab_is_tracked(n->obj);
    return is_mutable_kind(n->kind);
}

/* The real object agrees with its node: kind, refcount, contents, tracking. */
static void check_node(oracle *or, int32_t id)
{
    node *n = N(or, id);
    gclab_object *o = n->obj;
    if ((int)gclab_kind_of(o) != n->kind)
        OFAIL(or, "%s is now a %s", desc(or, id), kind_str(gclab_kind_of(o)));
    if (gclab_refcnt(o) != n->rc)
        OFAIL(or, "%s has refcount %ld, the model counts %d references", desc(or, id),
              (long)gclab_refcnt(o), n->rc);
    for (uint32_t i = 0; i < n->out.n; i++)
        if (n->out.a[i] >= 0 && !N(or, n->out.a[i])->alive)
            OFAIL(or, "live %s references %s, which the library has freed", desc(or, id),
                  desc(or, n->out.a[i]));
    int must_track = 0;
    switch (n->kind) {
    case GCLAB_KIND_INT:
        if (gclab_int_value(o) != n->val)
            OFAIL(or, "%s holds %" PRId64 ", expected %" PRId64, desc(or, id), gclab_int_value(o),
                  n->val);
        return;
    case GCLAB_KIND_STR:
    case GCLAB_KIND_BYTES:
        return;
    case GCLAB_KIND_TUPLE:
    case GCLAB_KIND_LIST: {
        int tuple = n->kind == GCLAB_KIND_TUPLE;
        size_t len = tuple ? gclab_tuple_len(o) : gclab_list_len(o);
        if (len != n->out.n)
            OFAIL(or, "%s has %zu items, the model %u", desc(or, id), len, n->out.n);
        for (uint32_t i = 0; i < n->out.n; i++) {
            gclab_object *it = tuple ? gclab_tuple_get(o, i) : gclab_list_get(o, i);
            if (it != N(or, n->out.a[i])->obj)
                OFAIL(or, "%s item %u is %p, the model has %s", desc(or, id), i, (void *)it,
                      desc(or, n->out.a[i]));
            must_track |= forces_tracking(or, n->out.a[i]);
        }
        if (!tuple)
            must_track = 1;
        break;
    }
    case GCLAB_KIND_INSTANCE:
        if (gclab_instance_nattrs(o) != n->out.n)
            OFAIL(or, "%s has %zu attributes, the model %u", desc(or, id),
                  gclab_instance_nattrs(o), n->out.n);
        for (uint32_t i = 0; i < n->out.n; i++) {
            gclab_object *v = gclab_getattr(o, i);
            gclab_object *want = n->out.a[i] >= 0 ? N(or, n->out.a[i])->obj : NULL;
            if (v != want)
                OFAIL(or, "%s attribute %u is %p, the model has %s", desc(or, id), i, (void *)v,
                      desc(or, n->out.a[i]));
        }
        if (gclab_is_finalized(o) != n->finalized)
            OFAIL(or, "%s: gclab_is_finalized says %d", desc(or, id), gclab_is_finalized(o));
        must_track = 1;
        break;
    case GCLAB_KIND_DICT: {
        uint32_t np = n->out.n / 2;
        if (gclab_dict_len(o) != np)
            OFAIL(or, "%s has %zu entries, the model %u", desc(or, id), gclab_dict_len(o), np);
        ensure_pairs(or, np + 1);
        size_t pos = 0;
        uint32_t k = 0;
        gclab_object *key, *value;
        while (gclab_dict_next(o, &pos, &key, &value)) {
            int32_t ki = map_get(or, key), vi = map_get(or, value);
            if (ki < 0 || vi < 0 || k >= np)
                OFAIL(or, "%s holds an entry %p: %p the model does not have", desc(or, id),
                      (void *)key, (void *)value);
            or->pairs_a[k++] = (uint64_t)(uint32_t)ki << 32 | (uint32_t)vi;
        }
        if (k != np)
            OFAIL(or, "%s iterates %u entries, the model has %u", desc(or, id), k, np);
        for (uint32_t i = 0; i < np; i++) {
            or->pairs_b[i] = (uint64_t)(uint32_t)n->out.a[2 * i] << 32 | (uint32_t)n->out.a[2 * i + 1];
            must_track |= forces_tracking(or, n->out.a[2 * i]) ||
                          forces_tracking(or, n->out.a[2 * i + 1]);
        }
        qsort(or->pairs_a, np, sizeof *or->pairs_a, cmp_u64);
        qsort(or->pairs_b, np, sizeof *or->pairs_b, cmp_u64);
        if (np && memcmp(or->pairs_a, or->pairs_b, np * sizeof *or->pairs_a) != 0)
            OFAIL(or, "%s: its entries differ from the model's", desc(or, id));
        break;
    }
    default:
        break;
    }
    if (must_track && !gclab_is_tracked(o))
        OFAIL(or, "%s is untracked although it may be part of a cycle", desc(or, id));
}

static void check_stats(oracle *or, const char *where)
{
    gclab_heap_stats st;
    gclab_heap_get_stats(or->h, &st);
    if ((long)st.live.objects != or->live)
        OFAIL(or, "%s: the heap counts %zu live objects, the model %ld", where, st.live.objects,
              or->live);
    for (int k = 0; k < GCLAB_NKINDS; k++)
        if ((long)st.by_kind[k].objects != or->live_kind[k])
            OFAIL(or, "%s: the heap counts %zu live %s objects, the model %ld", where,
                  st.by_kind[k].objects, kind_str(k), or->live_kind[k]);
    long fc = gclab_get_freeze_count(or->h), want = or->nfrozen + (or->startup_frozen ? or->startup : 0);
    if (fc != want)
        OFAIL(or, "%s: gclab_get_freeze_count is %ld, the model has %ld frozen objects (+ %ld start-up)",
              where, fc, or->nfrozen, or->startup_frozen ? or->startup : 0);
}

/* Finalizers run by refcounting: the object was garbage, so it is freed by
 * now unless its finalizer stored it somewhere. */
static void check_rc_finalized(oracle *or)
{
    for (uint32_t i = 0; i < or->rc_fin.n; i++) {
        int32_t id = or->rc_fin.a[i];
        if (N(or, id)->alive && !N(or, id)->resurrected)
            OFAIL(or, "the finalizer of %s ran (refcount zero), it did not resurrect the object, "
                      "yet the object is alive", desc(or, id));
    }
    or->rc_fin.n = 0;
}

static void release_quarantine(oracle *or)
{
    for (uint32_t i = 0; i < or->quarantine.n; i++)
        iv_push(&or->freelist, or->quarantine.a[i]);
    or->quarantine.n = 0;
}

/* For a failure message: who refers to id, and who refers to them, up to
 * a few levels (first referrer each time). */
static const char *referrers(oracle *or, int32_t id)
{
    static char buf[1200];
    size_t used = 0;
    buf[0] = 0;
    for (int depth = 0; depth < 6 && id >= 0; depth++) {
        int32_t first = -1;
        int count = 0;
        for (uint32_t r = 0; r < or->nnodes; r++) {
            node *n = &or->nodes[r];
            if (!n->alive)
                continue;
            for (uint32_t i = 0; i < n->out.n; i++) {
                if (n->out.a[i] == id) {
                    if (first < 0)
                        first = (int32_t)r;
                    count++;
                }
            }
        }
        if (first < 0)
            break;
        node *f = N(or, first);
        char d[160];
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s<- %d refs, first %s%s ",
                                 depth ? "" : "; referrers: ", count, desc_into(or, first, d),
                                 gclab_is_tracked(f->obj) ? " tracked" : " untracked");
        if (used >= sizeof buf - 1 || first == id)
            break;
        id = first;
    }
    return buf;
}

/* Everything that must hold whenever no library call is half done.  With
 * `full`, the collector has just collected its oldest generation and
 * promises that nothing unreachable is left. */
static void check_quiescent(oracle *or, int full, const char *where)
{
    uint32_t ep = ++or->epoch;
    seed_roots(or, M_MARK, ep, where); /* 1. nothing reachable has been freed */
    bfs_run(or, M_MARK, ep, where);
    seed_frozen(or, M_MARK, ep, where);
    bfs_run(or, M_MARK, ep, where);
    if (full) { /* 2. nothing unreachable is left */
        /* Two exceptions, both as in CPython:
         *  - what an unreachable legacy-finalizer object reached when the
         *    collection started: set aside as uncollectable, it stays for
         *    this collection even if clearing the garbage freed that object
         *    (the garbage is cleared before gc.garbage is filled);
         *  - what only frozen objects reached when the collection started:
         *    it was rightly judged reachable, but a frozen object that only
         *    garbage held dies when that garbage is cleared. */
        for (uint32_t id = 0; id < or->nnodes; id++)
            if (or->nodes[id].alive && or->marks[M_MARK][id] != ep &&
                or->marks[M_START_LEGACY][id] != or->start_legacy_ep &&
                (or->marks[M_START_ALL][id] != or->start_all_ep ||
                 or->marks[M_START_ROOTS][id] == or->start_roots_ep))
                OFAIL(or, "%s of the oldest generation: %s is unreachable from the roots, the "
                          "frozen objects and gc.garbage, yet alive (refcount %ld, %s)%s",
                      where, desc(or, (int32_t)id), (long)gclab_refcnt(or->nodes[id].obj),
                      gclab_is_tracked(or->nodes[id].obj) ? "tracked" : "untracked",
                      referrers(or, (int32_t)id));
    }
    for (uint32_t i = 0; i < or->gc_fin.n; i++) { /* the collection's finalizers */
        int32_t id = or->gc_fin.a[i];
        if (N(or, id)->alive && !N(or, id)->resurrected && or->marks[M_MARK][id] != ep)
            OFAIL(or, "%s: the collection ran the finalizer of %s, nothing resurrected it, yet it "
                      "is still alive", where, desc(or, id));
    }
    or->gc_fin.n = 0;
    check_rc_finalized(or);
    long live = 0;
    for (uint32_t id = 0; id < or->nnodes; id++) {
        if (!or->nodes[id].alive)
            continue;
        live++;
        check_node(or, (int32_t)id);
    }
    if (live != or->live)
        OFAIL(or, "internal: %ld live nodes, counted %ld", live, or->live);
    check_stats(or, where);
    release_quarantine(or);
}

/* At the end of a collection: what joined gc.garbage? */
static void sync_garbage(oracle *or, int32_t gid)
{
    node *G = N(or, gid);
    gclab_object *gl = G->obj;
    size_t n = gclab_list_len(gl);
    if (n < G->out.n)
        OFAIL(or, "gc.garbage shrank during a collection: %zu items, %u before", n, G->out.n);
    for (uint32_t i = 0; i < G->out.n; i++)
        if (gclab_list_get(gl, i) != N(or, G->out.a[i])->obj)
            OFAIL(or, "gc.garbage item %u changed during a collection", i);
    for (size_t i = G->out.n; i < n; i++) {
        gclab_object *o = gclab_list_get(gl, i);
        int32_t id = map_get(or, o);
        if (id < 0)
            OFAIL(or, "gc.garbage holds %p, which the model does not know", (void *)o);
        node *x = N(or, id);
        if (x->kind != GCLAB_KIND_INSTANCE || x->fin != FIN_LEGACY)
            OFAIL(or, "gc.garbage received %s, which has no legacy finalizer", desc(or, id));
        if (or->marks[M_START_ALL][id] == or->start_all_ep)
            OFAIL(or, "gc.garbage received %s, which the roots or a frozen object reached when "
                      "the collection started", desc(or, id));
        iv_push(&N(or, gid)->out, id);
        x->rc++;
        or->n_uncollectable++;
    }
}

/* ------------------------------------------------------------------ */
/* The gc callback */

static int exit_marked(const oracle *or, int m, uint32_t id)
{
    return or->marks[m][id] == or->exit_ep[m];
}

static void exit_start(oracle *or)
{
    /* The roots are dropped and refcounting has run: exactly what a cycle
     * reaches is alive. */
    for (uint32_t id = 0; id < or->nnodes; id++) {
        int in_s = exit_marked(or, M_EXIT_S, id);
        if (or->nodes[id].alive != in_s)
            OFAIL(or, "after the roots were dropped, %s is %s, but the model predicted %s",
                  desc(or, (int32_t)id), or->nodes[id].alive ? "alive" : "freed",
                  in_s ? "that it survives (a cycle reaches it)" : "that it is freed");
    }
}

static void exit_stop(oracle *or, const gclab_gc_info *info)
{
    or->exit_seen = 1;
    int32_t gid = -1;
    if (info->uncollectable > 0) {
        /* The exit collection made a new gc.garbage; heap_free releases it. */
        gclab_object *gl = gclab_get_garbage(or->h);
        gid = map_get(or, gl);
        if (gid < 0) {
            gid = node_new(or, gl, GCLAB_KIND_LIST, 0);
            N(or, gid)->rc = 1;
        }
        sync_garbage(or, gid);
    }
    or->exit_full = or->reclaims && info->generation == or->ngen - 1;
    or->exit_live = or->live - (gid >= 0);
    /* What frozen objects and gc.garbage reach. */
    uint32_t ep = ++or->epoch;
    bfs_seed(or, M_MARK, ep, gid, "after the exit collection", "gc.garbage");
    seed_frozen(or, M_MARK, ep, "after the exit collection");
    bfs_run(or, M_MARK, ep, "after the exit collection");
    if (!or->exit_full)
        return;
    long ngarbage = gid >= 0 ? (long)N(or, gid)->out.n : 0;
    if (ngarbage != or->exit_legacy_u)
        OFAIL(or, "the exit collection put %ld objects in gc.garbage, the model expects the %ld "
                  "legacy-finalizer objects that no frozen object reaches and that survive the clearing", ngarbage, or->exit_legacy_u);
    for (uint32_t id = 0; id < or->nnodes; id++) {
        if ((int32_t)id == gid)
            continue;
        /* (Unless it was reachable from frozen or legacy objects when the
         * collection started: see check_quiescent.) */
        if (or->nodes[id].alive && or->marks[M_MARK][id] != ep &&
            or->marks[M_START_ALL][id] != or->start_all_ep &&
            or->marks[M_START_LEGACY][id] != or->start_legacy_ep)
            OFAIL(or, "the exit collection left %s alive, though no frozen object and no "
                      "uncollectable cycle reaches it", desc(or, (int32_t)id));
        int p = exit_marked(or, M_EXIT_P, id);
        if (or->nodes[id].alive != p)
            OFAIL(or, "after the exit collection, %s is %s, but the model predicted %s",
                  desc(or, (int32_t)id), or->nodes[id].alive ? "alive" : "freed",
                  p ? "that it survives" : "that it is freed");
    }
}

static void gc_callback(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    (void)h;
    oracle *or = arg;
    if (info->generation < 0 || info->generation >= or->ngen)
        OFAIL(or, "a collection of generation %d", info->generation);
    /* Collections the mutator did not ask for come from the collector: by
     * threshold, by timer, or on an event. */
    int by_collector = info->reason == GCLAB_REASON_THRESHOLD || info->reason == GCLAB_REASON_TIME ||
                       info->reason == GCLAB_REASON_EVENT;
    if (or->shutdown ? info->reason != GCLAB_REASON_EXIT
                     : or->manual ? info->reason != GCLAB_REASON_MANUAL : !by_collector)
        OFAIL(or, "a collection with reason %s, expected %s", gclab_reason_name(info->reason),
              or->shutdown ? "exit" : or->manual ? "manual" : "threshold, time or event");
    if (info->reason == GCLAB_REASON_THRESHOLD && or->disabled)
        OFAIL(or, "an automatic collection while the collector is disabled");
    if (phase == GCLAB_GC_START) {
        if (or->in_gc)
            OFAIL(or, "a collection started inside another");
        or->in_gc = 1;
        or->gc_fin.n = 0;
        if (or->shutdown)
            exit_start(or);
        /* What the roots, and the roots and frozen objects, reach now. */
        or->start_roots_ep = ++or->epoch;
        seed_roots(or, M_START_ROOTS, or->start_roots_ep, "when a collection starts");
        bfs_run(or, M_START_ROOTS, or->start_roots_ep, "when a collection starts");
        or->start_all_ep = ++or->epoch;
        seed_roots(or, M_START_ALL, or->start_all_ep, "when a collection starts");
        seed_frozen(or, M_START_ALL, or->start_all_ep, "when a collection starts");
        bfs_run(or, M_START_ALL, or->start_all_ep, "when a collection starts");
        /* What unreachable legacy-finalizer objects reach: uncollectable. */
        or->start_legacy_ep = ++or->epoch;
        for (uint32_t id = 0; id < or->nnodes; id++)
            if (or->nodes[id].alive && or->nodes[id].fin == FIN_LEGACY &&
                or->marks[M_START_ALL][id] != or->start_all_ep)
                bfs_seed(or, M_START_LEGACY, or->start_legacy_ep, (int32_t)id,
                         "when a collection starts", "a legacy-finalizer object");
        bfs_run(or, M_START_LEGACY, or->start_legacy_ep, "when a collection starts");
        /* A full collection must leave an unreachable legacy-finalizer
         * object that lies on a cycle alive, in gc.garbage. */
        or->legacy_cyc.n = 0;
        or->full_start = or->reclaims && info->generation == or->ngen - 1 && !or->shutdown;
        if (or->full_start) {
            uint32_t cyc = 0;
            for (uint32_t id = 0; id < or->nnodes; id++) {
                node *n = &or->nodes[id];
                if (!n->alive || n->fin != FIN_LEGACY ||
                    or->marks[M_START_ALL][id] == or->start_all_ep)
                    continue;
                if (!cyc)
                    cyc = mark_cyclic(or);
                if (or->marks[M_AUX][id] == cyc)
                    iv_push(&or->legacy_cyc, (int32_t)id);
            }
        }
        return;
    }
    if (!or->in_gc)
        OFAIL(or, "a collection stopped without starting");
    if (info->collected < 0 || info->uncollectable < 0)
        OFAIL(or, "a collection reports %ld collected, %ld uncollectable", info->collected,
              info->uncollectable);
    or->stops[info->generation]++;
    or->last_stop = *info;
    or->n_collect[or->manual]++;
    if (or->shutdown) {
        exit_stop(or, info);
    } else {
        if (gclab_get_garbage(or->h) != N(or, or->garbage)->obj)
            OFAIL(or, "gc.garbage is no longer the same list");
        sync_garbage(or, or->garbage);
        if (or->full_start && or->legacy_cyc.n) {
            uint32_t ep = ++or->epoch;
            node *G = N(or, or->garbage);
            for (uint32_t i = 0; i < G->out.n; i++)
                or->marks[M_AUX][G->out.a[i]] = ep;
            for (uint32_t i = 0; i < or->legacy_cyc.n; i++) {
                int32_t id = or->legacy_cyc.a[i];
                if (!N(or, id)->alive || or->marks[M_AUX][id] != ep)
                    OFAIL(or, "a full collection should have found %s, unreachable and on a "
                              "cycle, uncollectable and put it in gc.garbage", desc(or, id));
            }
        }
        check_quiescent(or, or->reclaims && info->generation == or->ngen - 1,
                        "after a collection");
    }
    or->in_gc = 0;
}

/* ------------------------------------------------------------------ */
/* The mutator */

static int32_t pick_root(oracle *or)
{
    for (int tries = 0; tries < 8; tries++) {
        if (rnd(or, 16) == 0)
            return or->globals;
        mframe *f = &or->frames[rnd(or, (uint32_t)or->nframes)];
        int32_t id = f->slots[rnd(or, f->n)];
        if (id >= 0)
            return id;
    }
    return or->globals;
}

/* A short random walk from a root: a reachable node. */
static int32_t pick_reachable(oracle *or)
{
    int32_t id = pick_root(or);
    for (uint32_t steps = rnd(or, 4); steps > 0; steps--) {
        node *n = N(or, id);
        if (!n->out.n)
            break;
        int32_t next = n->out.a[rnd(or, n->out.n)];
        if (next < 0)
            break;
        id = next;
    }
    return id;
}

/* A reachable list, dict or instance (globals if the walk finds none). */
static int32_t pick_container(oracle *or)
{
    int32_t id = pick_root(or), best = is_mutable_kind(N(or, id)->kind) ? id : or->globals;
    for (uint32_t steps = rnd(or, 5); steps > 0; steps--) {
        node *n = N(or, id);
        if (!n->out.n)
            break;
        int32_t next = n->out.a[rnd(or, n->out.n)];
        if (next < 0)
            break;
        id = next;
        if (is_mutable_kind(N(or, id)->kind))
            best = id;
    }
    return best;
}

static int32_t pick_atom(oracle *or)
{
    for (int tries = 0; tries < 4; tries++) {
        int32_t id = pick_reachable(or);
        if (!is_container_kind(N(or, id)->kind))
            return id;
    }
    return -1;
}

static gclab_object *new_atom_obj(oracle *or, int kind, int64_t v)
{
    char buf[32];
    switch (kind) {
    case GCLAB_KIND_INT:
        return gclab_new_int(or->h, v);
    case GCLAB_KIND_STR: {
        int len = snprintf(buf, sizeof buf, "s%" PRId64, v);
        return gclab_new_str(or->h, buf, (size_t)len);
    }
    default: {
        uint64_t u = (uint64_t)v;
        for (int i = 0; i < 8; i++)
            buf[i] = (char)(u >> (8 * i));
        memset(buf + 8, 0, (size_t)(u & 7));
        return gclab_new_bytes(or->h, buf, 8 + (size_t)(u & 7));
    }
    }
}

static int32_t make_atom(oracle *or, int kind)
{
    int64_t v = rnd(or, ATOM_VALUES);
    return node_new_temp(or, new_atom_obj(or, kind, v), kind, v);
}

static int random_atom_kind(oracle *or)
{
    static const int kinds[] = {GCLAB_KIND_INT, GCLAB_KIND_INT, GCLAB_KIND_STR, GCLAB_KIND_BYTES};
    return kinds[rnd(or, 4)];
}

/* A tuple of the given nodes (reachable or temps), as a temp. */
static int32_t make_tuple(oracle *or, uint32_t n, const int32_t *items)
{
    gclab_object *objs[8] = {NULL};
    for (uint32_t i = 0; i < n; i++)
        objs[i] = N(or, items[i])->obj;
    gclab_object *t = gclab_new_tuple(or->h, n, objs); /* may collect first */
    int32_t id = node_new_temp(or, t, GCLAB_KIND_TUPLE, 0);
    for (uint32_t i = 0; i < n; i++) {
        iv_push(&N(or, id)->out, items[i]);
        ref_inc(or, items[i]);
    }
    return id;
}

/* An atom, held as a temp: a new one or a reachable one. */
static int32_t atom_temp(oracle *or)
{
    if (chance(or, 1, 2)) {
        int32_t a = pick_atom(or);
        if (a >= 0) {
            temp_hold(or, a);
            return a;
        }
    }
    return make_atom(or, random_atom_kind(or));
}

/* A dict key, as a temp: an int, a reachable atom, or a tuple of atoms. */
static int32_t make_key(oracle *or)
{
    uint32_t r = rnd(or, 10);
    if (r < 5)
        return make_atom(or, GCLAB_KIND_INT);
    if (r < 7)
        return atom_temp(or);
    uint32_t n = 1 + rnd(or, 3);
    int32_t items[3];
    for (uint32_t i = 0; i < n; i++)
        items[i] = atom_temp(or);
    int32_t t = make_tuple(or, n, items);
    for (uint32_t i = 0; i < n; i++)
        temp_release(or, items[i]);
    return t;
}

/* A key equal to `k` but a different object (a temp), or -1. */
static int32_t equal_key(oracle *or, int32_t k)
{
    node *K = N(or, k);
    if (!is_container_kind(K->kind)) {
        int kind = K->kind;
        int64_t v = K->val;
        return node_new_temp(or, new_atom_obj(or, kind, v), kind, v);
    }
    if (K->kind == GCLAB_KIND_TUPLE && K->out.n <= 8) {
        int32_t items[8];
        uint32_t n = K->out.n;
        memcpy(items, K->out.a, n * sizeof *items);
        return make_tuple(or, n, items);
    }
    return -1;
}

static void set_finalizer(oracle *or, int32_t id, int fin)
{
    node *n = N(or, id);
    n->fin = (uint8_t)fin;
    if (fin == FIN_PEP442) {
        uint32_t r = rnd(or, 20);
        n->act = r < 8 ? ACT_NOTHING : r < 15 ? ACT_RESURRECT : r < 18 ? ACT_CLEAR : ACT_RESURRECT_CHILD;
        gclab_instance_set_finalizer(or->h, n->obj, pep442_finalizer, or, GCLAB_FINALIZER_PEP442);
    } else {
        n->act = chance(or, 1, 5) ? ACT_RESURRECT : ACT_NOTHING;
        gclab_instance_set_finalizer(or->h, n->obj, legacy_finalizer, or, GCLAB_FINALIZER_LEGACY);
    }
}

/* A new, empty list, dict or instance, as a temp. */
static int32_t make_container(oracle *or, int kind, int fin)
{
    int32_t id;
    if (kind == GCLAB_KIND_LIST) {
        id = node_new_temp(or, gclab_new_list(or->h), kind, 0);
    } else if (kind == GCLAB_KIND_DICT) {
        id = node_new_temp(or, gclab_new_dict(or->h), kind, 0);
    } else {
        uint32_t nattrs = 1 + rnd(or, 4);
        id = node_new_temp(or, gclab_new_instance(or->h, nattrs), kind, 0);
        for (uint32_t i = 0; i < nattrs; i++)
            iv_push(&N(or, id)->out, -1);
        if (fin != FIN_NONE)
            set_finalizer(or, id, fin);
    }
    return id;
}

static int random_fin(oracle *or)
{
    uint32_t r = rnd(or, 1000);
    return r < 8 ? FIN_LEGACY : r < 300 ? FIN_PEP442 : FIN_NONE;
}

static int random_container_kind(oracle *or)
{
    static const int kinds[] = {GCLAB_KIND_LIST, GCLAB_KIND_DICT, GCLAB_KIND_INSTANCE};
    return kinds[rnd(or, 3)];
}

/* x.add(y): x is a list, dict or instance; x and y must stay alive until
 * the real call (reachable, or temps). */
static void link_into(oracle *or, int32_t x, int32_t y)
{
    node *X = N(or, x);
    switch (X->kind) {
    case GCLAB_KIND_LIST:
        if (X->out.n && chance(or, 1, 4))
            m_list_set(or, x, rnd(or, X->out.n), y);
        else
            m_list_append(or, x, y);
        break;
    case GCLAB_KIND_DICT: {
        int32_t k = make_key(or);
        m_dict_set(or, x, k, y);
        temp_release(or, k);
        break;
    }
    case GCLAB_KIND_INSTANCE:
        m_setattr(or, x, rnd(or, X->out.n), y);
        break;
    default:
        OFAIL(or, "internal: link into %s", desc(or, x));
    }
}

static void fill_container(oracle *or, int32_t id, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        int32_t y = pick_reachable(or);
        temp_hold(or, y);
        link_into(or, id, y);
        temp_release(or, y);
    }
}

/* Keep temp t somewhere reachable. */
static void store_somewhere(oracle *or, int32_t t)
{
    uint32_t r = rnd(or, 10);
    if (r < 6) {
        int fi = chance(or, 3, 4) ? or->nframes - 1 : (int)rnd(or, (uint32_t)or->nframes);
        m_slot_set(or, fi, rnd(or, or->frames[fi].n), t);
    } else if (r < 7) {
        int32_t k = make_atom(or, GCLAB_KIND_INT);
        m_dict_set(or, or->globals, k, t);
        temp_release(or, k);
    } else {
        int32_t x = pick_container(or);
        temp_hold(or, x);
        link_into(or, x, t);
        temp_release(or, x);
    }
}

static void op_alloc_atom(oracle *or)
{
    int32_t t = make_atom(or, random_atom_kind(or));
    store_somewhere(or, t);
    temp_release(or, t);
}

static void op_alloc_container(oracle *or)
{
    int kind = random_container_kind(or);
    int32_t t = make_container(or, kind, kind == GCLAB_KIND_INSTANCE ? random_fin(or) : FIN_NONE);
    fill_container(or, t, rnd(or, 4));
    store_somewhere(or, t);
    temp_release(or, t);
}

static void op_alloc_tuple(oracle *or)
{
    uint32_t n = rnd(or, 5);
    int32_t items[4];
    int atoms_only = chance(or, 1, 3);
    for (uint32_t i = 0; i < n; i++) {
        if (atoms_only) {
            items[i] = atom_temp(or);
        } else {
            items[i] = pick_reachable(or);
            temp_hold(or, items[i]);
        }
    }
    int32_t t = make_tuple(or, n, items);
    for (uint32_t i = 0; i < n; i++)
        temp_release(or, items[i]);
    store_somewhere(or, t);
    temp_release(or, t);
}

static void op_link(oracle *or)
{
    int32_t x = pick_container(or), y = pick_reachable(or);
    temp_hold(or, x);
    temp_hold(or, y);
    link_into(or, x, y);
    temp_release(or, y);
    temp_release(or, x);
}

/* Drop one reference held by a reachable container.  Nothing borrowed is
 * touched after the real call: it may free anything, x included. */
static void op_unlink(oracle *or)
{
    int32_t x = pick_container(or);
    node *X = N(or, x);
    switch (X->kind) {
    case GCLAB_KIND_LIST:
        if (!X->out.n)
            return;
        if (chance(or, 1, 25))
            m_list_clear(or, x);
        else
            m_list_swap_remove(or, x, rnd(or, X->out.n));
        break;
    case GCLAB_KIND_DICT: {
        if (!X->out.n)
            return;
        if (x != or->globals && chance(or, 1, 30)) {
            m_dict_clear(or, x);
            return;
        }
        uint32_t p = 2 * rnd(or, X->out.n / 2);
        int32_t probe = -1;
        if (chance(or, 1, 3)) {
            temp_hold(or, x); /* making a tuple key may collect */
            probe = equal_key(or, N(or, x)->out.a[p]);
            temp_release(or, x); /* reachable: this frees nothing */
        }
        m_dict_del(or, x, p, probe);
        if (probe >= 0)
            temp_release(or, probe);
        break;
    }
    case GCLAB_KIND_INSTANCE: {
        uint32_t a = rnd(or, X->out.n);
        if (X->out.a[a] >= 0)
            m_setattr(or, x, a, -1);
        break;
    }
    default:
        break;
    }
}

static void op_clear_slot(oracle *or)
{
    for (int tries = 0; tries < 4; tries++) {
        int fi = (int)rnd(or, (uint32_t)or->nframes);
        uint32_t s = rnd(or, or->frames[fi].n);
        if (or->frames[fi].slots[s] >= 0) {
            m_slot_set(or, fi, s, -1);
            return;
        }
    }
}

static void op_globals_set(oracle *or)
{
    int32_t y = pick_reachable(or);
    temp_hold(or, y);
    int32_t k = make_atom(or, GCLAB_KIND_INT);
    m_dict_set(or, or->globals, k, y);
    temp_release(or, k);
    temp_release(or, y);
}

static void op_globals_del(oracle *or)
{
    node *G = N(or, or->globals);
    if (G->out.n)
        m_dict_del(or, or->globals, 2 * rnd(or, G->out.n / 2), -1);
}

static void op_frame_push(oracle *or)
{
    if (or->nframes == MAX_FRAMES)
        return;
    uint32_t n = 4 + rnd(or, 29);
    mframe *f = &or->frames[or->nframes];
    f->real = gclab_frame_push(or->h, n);
    f->n = n;
    f->slots = xrealloc(NULL, n * sizeof *f->slots);
    for (uint32_t i = 0; i < n; i++)
        f->slots[i] = -1;
    or->nframes++;
    if (gclab_frame_top(or->h) != f->real || gclab_frame_nslots(f->real) != n)
        OFAIL(or, "gclab_frame_push: the new frame is not on top");
}

static void op_frame_pop(oracle *or)
{
    if (or->nframes <= 1)
        return;
    mframe *f = &or->frames[or->nframes - 1];
    if (gclab_frame_top(or->h) != f->real)
        OFAIL(or, "the innermost frame is not the one the model pushed last");
    or->nframes--; /* finalizers run by the pop resurrect into the frame below */
    for (uint32_t i = 0; i < f->n; i++) {
        int32_t id = f->slots[i];
        if (id >= 0) {
            N(or, id)->rc--;
            N(or, id)->rootrc--;
        }
    }
    free(f->slots);
    f->slots = NULL;
    gclab_frame_pop(or->h);
}

/* A ring of 1..50 containers, with chords, atoms and references to live
 * objects; kept reachable, or dropped at once as cyclic garbage. */
static void op_ring(oracle *or)
{
    uint32_t r = rnd(or, 100);
    uint32_t k = r < 50 ? 1 + rnd(or, 5) : r < 85 ? 6 + rnd(or, 15) : 21 + rnd(or, MAX_RING - 20);
    int32_t ids[MAX_RING];
    for (uint32_t i = 0; i < k; i++) {
        int kind = random_container_kind(or);
        ids[i] = make_container(or, kind, kind == GCLAB_KIND_INSTANCE ? random_fin(or) : FIN_NONE);
    }
    for (uint32_t i = 0; i < k; i++)
        link_into(or, ids[i], ids[(i + 1) % k]);
    for (uint32_t c = rnd(or, k / 3 + 1); c > 0; c--)
        link_into(or, ids[rnd(or, k)], ids[rnd(or, k)]);
    for (uint32_t c = rnd(or, 3); c > 0; c--) {
        int32_t a = make_atom(or, random_atom_kind(or));
        link_into(or, ids[rnd(or, k)], a);
        temp_release(or, a);
    }
    if (chance(or, 1, 2)) { /* the ring holds live objects */
        for (uint32_t c = 1 + rnd(or, 3); c > 0; c--) {
            int32_t y = pick_reachable(or);
            temp_hold(or, y);
            link_into(or, ids[rnd(or, k)], y);
            temp_release(or, y);
        }
    }
    if (chance(or, 1, 2))
        store_somewhere(or, ids[rnd(or, k)]);
    for (uint32_t i = k; i-- > 0;)
        temp_release(or, ids[i]);
    or->n_rings++;
}

/* A chain of 40..139 containers, sometimes closed into one big cycle:
 * freeing it goes deeper than the trashcan's limit. */
static void op_chain(oracle *or)
{
    uint32_t len = 40 + rnd(or, 100);
    int closed = chance(or, 1, 2);
    int kind = random_container_kind(or);
    int32_t head = make_container(or, kind, kind == GCLAB_KIND_INSTANCE ? random_fin(or) : FIN_NONE);
    int32_t prev = head;
    for (uint32_t i = 1; i < len; i++) {
        kind = random_container_kind(or);
        int32_t c = make_container(or, kind, kind == GCLAB_KIND_INSTANCE ? random_fin(or) : FIN_NONE);
        link_into(or, prev, c);
        if (prev != head)
            temp_release(or, prev); /* its predecessor holds it */
        prev = c;
    }
    if (closed)
        link_into(or, prev, head);
    if (prev != head)
        temp_release(or, prev);
    if (chance(or, 1, 2))
        store_somewhere(or, head);
    temp_release(or, head);
    or->n_chains++;
}

static void op_toggle(oracle *or)
{
    if (or->disabled)
        gclab_enable(or->h);
    else
        gclab_disable(or->h);
    or->disabled = !or->disabled;
    if (gclab_isenabled(or->h) != !or->disabled)
        OFAIL(or, "gclab_isenabled is %d after gclab_%s", gclab_isenabled(or->h),
              or->disabled ? "disable" : "enable");
    or->n_toggles++;
}

static void do_collect(oracle *or, int g)
{
    unsigned long long before = or->n_collect[1];
    or->manual = 1;
    long n = gclab_collect(or->h, g);
    or->manual = 0;
    if (n < 0)
        OFAIL(or, "gclab_collect(%d) returned %ld", g, n);
    if (or->n_collect[1] != before + 1)
        OFAIL(or, "gclab_collect(%d) did not call the callbacks once", g);
    if (n != or->last_stop.collected + or->last_stop.uncollectable)
        OFAIL(or, "gclab_collect(%d) returned %ld, the STOP callback said %ld + %ld", g, n,
              or->last_stop.collected, or->last_stop.uncollectable);
    if (!or->reclaims && !strcmp(or->ci->name, "refcount") && n != 0)
        OFAIL(or, "refcount: gclab_collect returned %ld, not 0", n);
    check_quiescent(or, or->reclaims && g == or->ngen - 1, "after gclab_collect");
}

static void op_collect(oracle *or) { do_collect(or, (int)rnd(or, (uint32_t)or->ngen)); }

static void op_freeze(oracle *or)
{
    if (or->freeze_ok == 0)
        return;
    gclab_freeze(or->h);
    long fc = gclab_get_freeze_count(or->h), tracked = 0;
    for (uint32_t id = 0; id < or->nnodes; id++) {
        node *n = &or->nodes[id];
        if (n->alive && is_container_kind(n->kind) && gclab_is_tracked(n->obj))
            tracked++;
    }
    if (or->freeze_ok < 0) {
        if (fc == 0 && tracked + or->startup > 0)
            or->freeze_ok = 0; /* this collector has no permanent generation */
        else if (fc > 0)
            or->freeze_ok = 1;
    }
    if (or->freeze_ok == 0) {
        if (fc != 0)
            OFAIL(or, "gclab_get_freeze_count is %ld after a freeze that froze nothing", fc);
        return;
    }
    for (uint32_t id = 0; id < or->nnodes; id++) {
        node *n = &or->nodes[id];
        if (n->alive && !n->frozen && is_container_kind(n->kind) && gclab_is_tracked(n->obj)) {
            n->frozen = 1;
            or->nfrozen++;
        }
    }
    or->startup_frozen = 1; /* the start-up heap is tracked and long-lived: frozen too */
    if (fc != tracked + or->startup || fc != or->nfrozen + or->startup)
        OFAIL(or, "gclab_freeze: %ld objects frozen, %ld tracked containers + %ld start-up, %ld frozen in "
                  "the model", fc, tracked, or->startup, or->nfrozen);
    or->n_freeze++;
}

static void op_unfreeze(oracle *or)
{
    gclab_unfreeze(or->h);
    for (uint32_t id = 0; id < or->nnodes; id++)
        or->nodes[id].frozen = 0;
    or->nfrozen = 0;
    or->startup_frozen = 0;
    if (gclab_get_freeze_count(or->h) != 0)
        OFAIL(or, "gclab_get_freeze_count is %ld after gclab_unfreeze",
              gclab_get_freeze_count(or->h));
}

/* Take an object out of gc.garbage, usually breaking its cycle first. */
static void op_drain(oracle *or)
{
    node *G = N(or, or->garbage);
    if (!G->out.n)
        return;
    uint32_t i = rnd(or, G->out.n);
    int32_t l = G->out.a[i];
    temp_hold(or, l);
    if (chance(or, 4, 5))
        for (uint32_t a = 0; a < N(or, l)->out.n; a++)
            if (N(or, l)->out.a[a] >= 0)
                m_setattr(or, l, a, -1);
    m_list_swap_remove(or, or->garbage, i);
    temp_release(or, l);
}

static void set_random_thresholds(oracle *or)
{
    if (or->ci->nthresholds <= 0)
        return;
    /* Mostly low, so automatic collections are frequent. */
    long t0 = chance(or, 2, 3) ? 50 + (long)rnd(or, 101) : 50 + (long)rnd(or, 651);
    long t[3] = {t0, 2 + (long)rnd(or, 9), 2 + (long)rnd(or, 9)};
    int n = or->ci->nthresholds < 3 ? or->ci->nthresholds : 3;
    char err[256];
    if (gclab_set_threshold(or->h, t, n, err, sizeof err) != 0)
        OFAIL(or, "gclab_set_threshold: %s", err);
    long got[3];
    if (gclab_get_threshold(or->h, got, 3) != or->ci->nthresholds)
        OFAIL(or, "gclab_get_threshold gives a different number of thresholds");
    for (int i = 0; i < n; i++)
        if (got[i] != t[i])
            OFAIL(or, "threshold%d is %ld after setting %ld", i, got[i], t[i]);
}

/* No-reclaim collectors: cyclic garbage would pile up.  Break it up from
 * the outside, as a leak hunter would, so the heap stays small. */
static void reap(oracle *or)
{
    uint32_t ep = ++or->epoch;
    seed_roots(or, M_MARK, ep, "reaper");
    seed_frozen(or, M_MARK, ep, "reaper");
    bfs_run(or, M_MARK, ep, "reaper");
    ivec *u = &or->scratch;
    u->n = 0;
    for (uint32_t id = 0; id < or->nnodes; id++)
        if (or->nodes[id].alive && or->marks[M_MARK][id] != ep && is_mutable_kind(or->nodes[id].kind))
            iv_push(u, (int32_t)id);
    if (u->n < REAP_AT && or->live < LIVE_SOFT)
        return;
    /* Copy: finalizers may run and use the scratch vector. */
    uint32_t n = u->n;
    int32_t *ids = xrealloc(NULL, n * sizeof *ids);
    memcpy(ids, u->a, n * sizeof *ids);
    for (uint32_t i = 0; i < n; i++) {
        int32_t id = ids[i];
        if (!N(or, id)->alive)
            continue;
        or->n_reaped++;
        temp_hold(or, id);
        switch (N(or, id)->kind) {
        case GCLAB_KIND_LIST:
            m_list_clear(or, id);
            break;
        case GCLAB_KIND_DICT:
            m_dict_clear(or, id);
            break;
        default:
            for (uint32_t a = 0; a < N(or, id)->out.n; a++)
                if (N(or, id)->out.a[a] >= 0)
                    m_setattr(or, id, a, -1);
        }
        temp_release(or, id);
    }
    free(ids);
}

static void checkpoint(oracle *or)
{
    check_quiescent(or, 0, "at a checkpoint");
    node *G = N(or, or->garbage);
    gclab_object *gl = gclab_get_garbage(or->h);
    if (gl != G->obj || gclab_list_len(gl) != G->out.n)
        OFAIL(or, "gc.garbage changed outside a collection");
    /* 3. alive == reachable from the roots or from a cycle */
    uint32_t cyc = mark_cyclic(or);
    uint32_t ep = ++or->epoch;
    seed_roots(or, M_MARK, ep, "at a checkpoint");
    for (uint32_t id = 0; id < or->nnodes; id++)
        if (or->nodes[id].alive && or->marks[M_AUX][id] == cyc)
            bfs_seed(or, M_MARK, ep, (int32_t)id, "at a checkpoint", "a cycle");
    bfs_run(or, M_MARK, ep, "at a checkpoint");
    for (uint32_t id = 0; id < or->nnodes; id++)
        if (or->nodes[id].alive && or->marks[M_MARK][id] != ep)
            OFAIL(or, "%s is alive, but neither the roots nor any cycle reach it: its refcount "
                      "(%ld) should have reached zero", desc(or, (int32_t)id),
                  (long)gclab_refcnt(or->nodes[id].obj));
    gclab_gen_stats st[GCLAB_MAX_GENERATIONS];
    int ng = gclab_get_stats(or->h, st, GCLAB_MAX_GENERATIONS);
    if (ng != or->ngen)
        OFAIL(or, "gclab_get_stats gives %d generations, the collector has %d", ng, or->ngen);
    for (int g = 0; g < ng && g < GCLAB_MAX_GENERATIONS; g++)
        if (st[g].collections != or->stops[g])
            OFAIL(or, "gclab_get_stats: %ld collections of generation %d, the callbacks saw %ld",
                  st[g].collections, g, or->stops[g]);
    if (!or->reclaims)
        reap(or);
}

enum {
    OP_ATOM, OP_CONTAINER, OP_TUPLE, OP_LINK, OP_UNLINK, OP_CLEAR_SLOT, OP_GLOBALS_SET,
    OP_GLOBALS_DEL, OP_FRAME_PUSH, OP_FRAME_POP, OP_RING, OP_COLLECT, OP_FREEZE, OP_UNFREEZE,
    OP_DRAIN, OP_THRESHOLDS, OP_CHAIN, OP_TOGGLE, NOPS
};

/* Per mille, at rest and under pressure. */
static const unsigned weights[3][NOPS] = {
    /*         atom cont tup link unlk slot gset gdel push pop ring coll frz unfz drain thr chain tgl */
    /* rest */ {80, 110, 40, 170, 140, 60,  20,  12,  6,   6,  60,  5,   1,  3,   12,   3,  3,   2},
    /* soft */ {20,  30, 10,  60, 260, 200,  5,  60,  2,  20,  25, 15,   0, 10,   30,   1,  1,   2},
    /* hard */ { 0,   0,  0,   0, 350, 450,  0, 100,  0,  40,   0, 30,   0, 10,   30,   0,  0,   2},
};

static const char *const op_names[NOPS] = {
    "alloc atom", "alloc container", "alloc tuple", "link", "unlink", "clear slot",
    "globals set", "globals del", "frame push", "frame pop", "ring", "collect", "freeze",
    "unfreeze", "drain gc.garbage", "thresholds", "chain", "enable/disable"};

static void step(oracle *or)
{
    int level = or->live > LIVE_HARD ? 2 : or->live > LIVE_SOFT ? 1 : 0;
    unsigned total = 0;
    for (int i = 0; i < NOPS; i++)
        total += weights[level][i];
    unsigned r = rnd(or, total);
    int op = 0;
    while (r >= weights[level][op])
        r -= weights[level][op++];
    if (or->trace && or->op >= or->trace)
        print_message("  op %" PRIu64 ": %s (live %ld, next serial %" PRIu64 ")\n", or->op,
                      op_names[op], or->live, or->serial + 1);
    switch (op) {
    case OP_ATOM: op_alloc_atom(or); break;
    case OP_CONTAINER: op_alloc_container(or); break;
    case OP_TUPLE: op_alloc_tuple(or); break;
    case OP_LINK: op_link(or); break;
    case OP_UNLINK: op_unlink(or); break;
    case OP_CLEAR_SLOT: op_clear_slot(or); break;
    case OP_GLOBALS_SET: op_globals_set(or); break;
    case OP_GLOBALS_DEL: op_globals_del(or); break;
    case OP_FRAME_PUSH: op_frame_push(or); break;
    case OP_FRAME_POP: op_frame_pop(or); break;
    case OP_RING: op_ring(or); break;
    case OP_COLLECT: op_collect(or); break;
    case OP_FREEZE: op_freeze(or); break;
    case OP_UNFREEZE:
        if (or->nfrozen)
            op_unfreeze(or);
        break;
    case OP_DRAIN: op_drain(or); break;
    case OP_THRESHOLDS: set_random_thresholds(or); break;
    case OP_CHAIN: op_chain(or); break;
    case OP_TOGGLE: op_toggle(or); break;
    default: break;
    }
    if (or->temps.n)
        OFAIL(or, "internal: %u temps left after an operation", or->temps.n);
}

/* ------------------------------------------------------------------ */
/* The end: predict what heap_free leaves, then check its report. */

/* Mark (in m) the closure of the live nodes `pick` selects; count them. */
static void exit_closure(oracle *or, int m, int (*pick)(oracle *, uint32_t, uint32_t), uint32_t cyc)
{
    or->exit_ep[m] = ++or->epoch;
    for (uint32_t id = 0; id < or->nnodes; id++)
        if (or->nodes[id].alive && pick(or, id, cyc))
            bfs_seed(or, m, or->exit_ep[m], (int32_t)id, "at teardown", "the prediction");
    bfs_run(or, m, or->exit_ep[m], "at teardown");
    or->exit_count[m] = 0;
    memset(or->exit_kind[m], 0, sizeof or->exit_kind[m]);
    for (uint32_t id = 0; id < or->nnodes; id++) {
        if (or->nodes[id].alive && or->marks[m][id] == or->exit_ep[m]) {
            or->exit_count[m]++;
            or->exit_kind[m][or->nodes[id].kind]++;
        }
    }
}

static int on_cycle(oracle *or, uint32_t id, uint32_t cyc) { return or->marks[M_AUX][id] == cyc; }
static int frozen_in_s(oracle *or, uint32_t id, uint32_t cyc)
{
    (void)cyc;
    return exit_marked(or, M_EXIT_S, id) && or->nodes[id].frozen;
}
static int kept_in_s(oracle *or, uint32_t id, uint32_t cyc)
{
    (void)cyc;
    return exit_marked(or, M_EXIT_S, id) && (or->nodes[id].frozen || or->nodes[id].fin == FIN_LEGACY);
}
/* A legacy-finalizer object the exit collection finds unreachable. */
static int legacy_u(oracle *or, uint32_t id)
{
    return exit_marked(or, M_EXIT_S, id) && !exit_marked(or, M_EXIT_FZ, id) &&
           or->nodes[id].fin == FIN_LEGACY;
}
static int cyclic_in_e(oracle *or, uint32_t id, uint32_t cyc)
{
    return on_cycle(or, id, cyc) && exit_marked(or, M_EXIT_E, id);
}

/* Drop the roots in the model and predict gclab_heap_free:
 *   S  = what a cycle reaches: all that refcounting leaves;
 * and for a collector that collects its oldest generation at exit:
 *   FZ = what the frozen objects in S reach (never examined);
 *   E  = FZ and what the legacy-finalizer objects in S reach (uncollectable);
 *        the rest of S is cleared;
 *   P  = what is left once it is cleared: what a cycle in E reaches.  A
 *        frozen or legacy object that only garbage held is freed with it
 *        (clearing comes before gc.garbage is filled, as in CPython).  The
 *        legacy objects of P - FZ go to a new gc.garbage, which heap_free
 *        drops again before it reports: that frees nothing more.
 * The leak report counts P (or S without an exit collection). */
static void teardown_and_check(oracle *or)
{
    checkpoint(or);
    or->shutdown = 1;
    for (int f = or->nframes - 1; f >= 0; f--) {
        for (uint32_t s = 0; s < or->frames[f].n; s++) {
            int32_t id = or->frames[f].slots[s];
            if (id >= 0) {
                N(or, id)->rc--;
                N(or, id)->rootrc--;
                or->frames[f].slots[s] = -1;
            }
        }
    }
    N(or, or->globals)->rc--;
    N(or, or->globals)->rootrc--;
    N(or, or->garbage)->rc--;
    N(or, or->garbage)->rootrc--;

    uint32_t cyc = mark_cyclic(or);
    exit_closure(or, M_EXIT_S, on_cycle, cyc);
    exit_closure(or, M_EXIT_FZ, frozen_in_s, cyc);
    exit_closure(or, M_EXIT_E, kept_in_s, cyc);
    exit_closure(or, M_EXIT_P, cyclic_in_e, cyc);
    or->exit_legacy_u = 0;
    for (uint32_t id = 0; id < or->nnodes; id++)
        if (or->nodes[id].alive && legacy_u(or, id) && exit_marked(or, M_EXIT_P, id))
            or->exit_legacy_u++;

    gclab_leak_report rep;
    memset(&rep, 0xff, sizeof rep);
    gclab_heap *h = or->h;
    gclab_heap_free(h, &rep);
    or->h = NULL;

    long want;
    const long *want_kind = NULL;
    const char *why;
    if (or->exit_full) {
        want = or->exit_count[M_EXIT_P];
        want_kind = or->exit_kind[M_EXIT_P];
        why = "the cycles that frozen objects and uncollectable cycles hold";
    } else if (!or->exit_seen) {
        want = or->exit_count[M_EXIT_S];
        want_kind = or->exit_kind[M_EXIT_S];
        why = "the cyclic garbage and what it reaches";
    } else {
        want = or->exit_live;
        why = "what was alive after the exit collection";
    }
    if ((long)rep.leaked.objects != want)
        OFAIL(or, "the leak report counts %zu objects, the model expects %ld (%s)",
              rep.leaked.objects, want, why);
    for (int k = 0; want_kind && k < GCLAB_NKINDS; k++)
        if ((long)rep.by_kind[k].objects != want_kind[k])
            OFAIL(or, "the leak report counts %zu %s objects, the model expects %ld (%s)",
                  rep.by_kind[k].objects, kind_str(k), want_kind[k], why);
    if ((rep.leaked.objects == 0) != (rep.leaked.bytes == 0))
        OFAIL(or, "the leak report counts %zu objects in %zu bytes", rep.leaked.objects,
              rep.leaked.bytes);
    if (or->live != 0)
        OFAIL(or, "after gclab_heap_free, %ld objects were never freed (on_free not called)",
              or->live);
    if (!strcmp(or->ci->name, "refcount") && or->exit_seen)
        OFAIL(or, "refcount collected at exit");
    print_message("  %s: leaked at exit: %zu objects (model: %ld reachable from a cycle once the "
                  "roots are dropped; %ld left by a full exit collection)\n",
                  or->ci->name, rep.leaked.objects, or->exit_count[M_EXIT_S],
                  or->exit_count[M_EXIT_P]);
}

/* ------------------------------------------------------------------ */

static uint64_t env_u64(const char *name, uint64_t def)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return def;
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (*end)
        fail_msg("%s=%s is not a number", name, s);
    return v;
}

static double now(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void oracle_free(oracle *or)
{
    for (uint32_t id = 0; id < or->nnodes; id++)
        iv_free(&or->nodes[id].out);
    free(or->nodes);
    for (int m = 0; m < NMARKS; m++)
        free(or->marks[m]);
    free(or->mkeys);
    free(or->mvals);
    for (int f = 0; f < MAX_FRAMES; f++)
        free(or->frames[f].slots);
    iv_free(&or->freelist);
    iv_free(&or->quarantine);
    iv_free(&or->temps);
    iv_free(&or->gc_fin);
    iv_free(&or->rc_fin);
    iv_free(&or->legacy_cyc);
    iv_free(&or->stack);
    iv_free(&or->scratch);
    free(or->pairs_a);
    free(or->pairs_b);
    free(or->t_idx);
    free(or->t_low);
    free(or->t_on);
    free(or->calls);
    free(or);
}

/* One configuration of one collector: its defaults (setting NULL), or one
 * parameter setting. */
typedef struct oracle_config {
    size_t ci;
    const char *setting;
} oracle_config;

static void run_collector(void **state)
{
    const oracle_config *oc = *state;
    oracle *or = calloc(1, sizeof *or);
    assert_non_null(or);
    cur = or;
    or->ci = gclab_collector_at(oc->ci);
    assert_non_null(or->ci);
    or->startup = profile_startup_objects(or->ci->name, oc->setting && !strncmp(oc->setting, "profile=", 8)
                                                            ? oc->setting + 8 : NULL);
    or->seed = env_u64("GCLAB_ORACLE_SEED", DEFAULT_SEED);
    or->nops = env_u64("GCLAB_ORACLE_OPS", DEFAULT_OPS);
    or->rng = or->seed;
    or->trace = env_u64("GCLAB_ORACLE_TRACE", 0); /* print each operation from this one on */
    or->reclaims = (or->ci->flags & GCLAB_COLLECTOR_RECLAIMS_CYCLES) != 0;
    or->ngen = or->ci->ngenerations;
    or->freeze_ok = -1;
    or->globals = or->garbage = -1;
    assert_true(or->ngen >= 1 && or->ngen <= GCLAB_MAX_GENERATIONS);
    print_message("conformance: collector %s%s%s, GCLAB_ORACLE_SEED=%" PRIu64 ", GCLAB_ORACLE_OPS=%" PRIu64
                  ", %ld start-up objects\n", or->ci->name, oc->setting ? " -p " : "", oc->setting ? oc->setting : "",
                  or->seed, or->nops, or->startup);
    double t0 = now();

    gclab_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.on_free = on_free;
    cfg.on_free_arg = or;
    if (oc->setting) {
        cfg.params = &oc->setting;
        cfg.nparams = 1;
    }
    char err[256] = "";
    or->h = gclab_heap_new(or->ci->name, &cfg, err, sizeof err);
    if (!or->h)
        fail_msg("gclab_heap_new(%s): %s", or->ci->name, err);
    map_grow(or);
    or->globals = node_new(or, gclab_globals(or->h), GCLAB_KIND_DICT, 0);
    N(or, or->globals)->rc = N(or, or->globals)->rootrc = 1; /* held by the heap */
    or->garbage = node_new(or, gclab_get_garbage(or->h), GCLAB_KIND_LIST, 0);
    N(or, or->garbage)->rc = N(or, or->garbage)->rootrc = 1;
    set_random_thresholds(or);
    if (gclab_callback_add(or->h, gc_callback, or) != 0)
        fail_msg("gclab_callback_add failed");
    or->frames[0].real = gclab_frame_push(or->h, BASE_SLOTS);
    or->frames[0].n = BASE_SLOTS;
    or->frames[0].slots = xrealloc(NULL, BASE_SLOTS * sizeof(int32_t));
    for (uint32_t i = 0; i < BASE_SLOTS; i++)
        or->frames[0].slots[i] = -1;
    or->nframes = 1;
    check_quiescent(or, 0, "at the start");

    for (or->op = 1; or->op <= or->nops; or->op++) {
        step(or);
        if (or->op % CHECK_EVERY == 0)
            checkpoint(or);
    }
    or->op = or->nops;
    /* A full collection at the end, so the oldest generation is checked
     * even in short runs. */
    do_collect(or, or->ngen - 1);
    unsigned long long n_auto = or->n_collect[0], n_manual = or->n_collect[1];
    teardown_and_check(or);
    double t1 = now();
    print_message("  %s: %" PRIu64 " ops in %.1f s; %llu objects, peak %ld live; collections: %llu "
                  "automatic, %llu explicit; %llu rings, %llu chains; finalizers %llu in collections, %llu by "
                  "refcount, %llu resurrections; %llu uncollectable; %llu freezes; %llu reaped\n",
                  or->ci->name, or->nops, t1 - t0, or->n_nodes, or->max_live, n_auto, n_manual,
                  or->n_rings, or->n_chains, or->n_fin_gc, or->n_fin_rc, or->n_resurrect, or->n_uncollectable,
                  or->n_freeze, or->n_reaped);
    cur = NULL;
    oracle_free(or);
}

static int teardown(void **state)
{
    (void)state;
    if (cur) { /* a failure: the heap is abandoned as it is */
        oracle_free(cur);
        cur = NULL;
    }
    return 0;
}

/* Every collector under its defaults -- what users run, for the
 * generational family the default profile (cpython-3.12: free lists, start-up
 * heap, deferred trigger) -- and the family once more under profile=ideal,
 * the rules alone on an empty heap, which the trigger tests pin. */
int main(void)
{
    size_t n = gclab_collector_count(), nt = 0;
    struct CMUnitTest *tests = calloc(2 * n, sizeof *tests);
    oracle_config *configs = calloc(2 * n, sizeof *configs);
    char (*names)[64] = calloc(2 * n, sizeof *names);
    if (!tests || !configs || !names)
        return 1;
    for (size_t i = 0; i < n; i++) {
        const gclab_collector_info *ci = gclab_collector_at(i);
        int profiles = gclab_param_find(ci->params, ci->nparams, "profile", 7) >= 0;
        for (int k = 0; k <= profiles; k++) {
            configs[nt] = (oracle_config){i, k ? "profile=ideal" : NULL};
            snprintf(names[nt], sizeof names[nt], "conformance_%s%s", ci->name, k ? "_ideal" : "");
            tests[nt].name = names[nt];
            tests[nt].test_func = run_collector;
            tests[nt].teardown_func = teardown;
            tests[nt].initial_state = &configs[nt];
            nt++;
        }
    }
    int rc = _cmocka_run_group_tests("test_conformance", tests, nt, NULL, NULL);
    free(tests);
    free(configs);
    free(names);
    return rc;
}
