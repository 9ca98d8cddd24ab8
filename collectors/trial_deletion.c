/*
 * collectors/trial_deletion.c -- PHP's cycle collector (Zend/zend_gc.c,
 * PHP >= 7.3, with 7.2's fixed threshold as a policy): synchronous trial
 * deletion from a buffer of possible roots (Bacon & Rajan, 2001).
 *
 * Invariant: a run frees only containers that trial deletion from the
 * buffered roots proves are referenced from nowhere but each other.  A
 * container whose refcount is decremented to a non-zero value is a
 * possible root and is buffered once (coloured purple); one freed by
 * refcounting leaves the buffer.  When a root finds the buffer full (its
 * slots below the threshold taken and none free), a run is due.
 *
 * The buffer.  Slot i (1 .. buf_size - 1; 0 is invalid, as GC_FIRST_ROOT)
 * is a list head that holds at most one GC header, so a container freed by
 * refcounting empties its slot by being unlinked, and the collector needs
 * no raw pointer to it (collector.h, on_decref_live).  first_unused, the
 * free slots (PHP's `unused` list), gc_compact and the growth steps are
 * zend_gc.c's.  PHP learns of a freed root at once; gclab finds its empty
 * slot when it needs one (scan_free_slots), which leads to the same
 * decision: a run only when no slot below the threshold is free.
 *
 * The run is deferred to the next safe point.  on_decref_live may not
 * collect, so a root that finds the buffer full waits on `pending`
 * (counted as a root, buffered) and the next container allocation runs the
 * collection, as gc_possible_root_when_full does at once; the threshold
 * is adjusted and the waiting roots stay buffered (full_run says how they
 * differ from PHP's, which holds them).  An explicit collection first does
 * a run that is due.
 *
 * Colours in the collector's header bits: bits 1..2 BLACK, WHITE, GREY,
 * PURPLE; bit 3 BUFFERED (in the buffer, waiting, or garbage of the run:
 * a decref then adds nothing).
 */
#include "collector.h"
#include "../runtime/heap.h"

#include <stdlib.h>
#include <string.h>

enum { P_POLICY, NPARAMS };
enum { POLICY_ADAPTIVE, POLICY_FIXED }; /* the choices of "policy" */
static const gclab_param params[] = {
    [P_POLICY] = {"policy", GCLAB_PARAM_CHOICE, "adaptive", "", 0, 0, "adaptive|fixed",
                  "threshold: adaptive (PHP 7.3+: +10000 after a buffer-full run that frees < 100, "
                  "-10000 after one that frees more) or fixed (PHP 7.2)"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

/* zend_gc.c's constants */
#define FIRST_ROOT 1L
#define DEFAULT_BUF_SIZE (16L * 1024)
#define BUF_GROW_STEP (128L * 1024)
#define MAX_BUF_SIZE 0x40000000L
#define THRESHOLD_DEFAULT (10000L + FIRST_ROOT)
#define THRESHOLD_STEP 10000L
#define THRESHOLD_MAX 1000000000L
#define THRESHOLD_TRIGGER 100L

/* Slots are allocated in chunks of DEFAULT_BUF_SIZE, so they never move. */
#define CHUNK_SHIFT 14
#define CHUNK ((long)1 << CHUNK_SHIFT)
_Static_assert(CHUNK == DEFAULT_BUF_SIZE, "a chunk is the initial buffer");

#define COLOR_MASK ((uintptr_t)0x6)
#define BLACK ((uintptr_t)0x0)
#define WHITE ((uintptr_t)0x2)
#define GREY ((uintptr_t)0x4)
#define PURPLE ((uintptr_t)0x6)
#define BUFFERED ((uintptr_t)0x8)

typedef struct td_state {
    gc_list all;      /* tracked containers not in the buffer (h->young) */
    gc_list pending;  /* roots waiting for a slot (buffered) */
    gc_list **chunks; /* slot i: &chunks[i >> CHUNK_SHIFT][i & (CHUNK - 1)] */
    long nchunks;
    long buf_size, first_unused, threshold;
    long *unused; /* free slot indices below first_unused (PHP's unused list) */
    long nunused;
    unsigned long long freed_seen; /* container frees when the slots were last scanned */
    int policy;
    int run_due;  /* a root found the buffer full: a buffer-full run at the next safe point */
    int in_auto;  /* the collection on_trigger started */
    int graph;    /* mark/scan/collect-white in progress, or gathered: link no header */
    int full;     /* the buffer reached MAX_BUF_SIZE (gc_full) */
    gclab_object **stack;
    size_t nstack, stack_cap;
    long examined;
    /* gc_status() */
    long runs, collected;
    uint64_t collector_ns, dtor_ns, free_ns;
} td_state;

static inline td_state *state(const gclab_heap *h) { return (td_state *)h->cstate; }
static inline gc_list *slot(const td_state *s, long i) { return &s->chunks[i >> CHUNK_SHIFT][i & (CHUNK - 1)]; }
/* A slot never used is zeroed; one whose root was freed points at itself. */
static inline gc_head *slot_root(const td_state *s, long i)
{
    gc_list *l = slot(s, i);
    return (l->head.next == 0 || gc_list_is_empty(l)) ? NULL : gc_list_first(l);
}
static inline uintptr_t color(const gc_head *g) { return g->prev & COLOR_MASK; }
static inline void set_color(gc_head *g, uintptr_t c) { g->prev = (g->prev & ~COLOR_MASK) | c; }
static inline int is_node(const gclab_object *o)
{
    return (o->type->flags & GCLAB_TYPE_CONTAINER) && gc_is_tracked(AS_GC(o)) && !gclab_is_immortal(o);
}

static unsigned long long container_frees(const gclab_heap *h)
{
    unsigned long long n = 0;
    for (int k = 0; k < GCLAB_NKINDS; k++)
        n += h->freed[k];
    return n;
}

/* ------------------------------------------------------------------ */
/* The buffer                                                          */

/* gc_grow_root_buffer: x2 below GC_BUF_GROW_STEP, then + the step; at
 * GC_MAX_BUF_SIZE the buffer is full (PHP warns and disables the GC). */
static int grow(td_state *s)
{
    if (s->buf_size >= MAX_BUF_SIZE) {
        s->full = 1;
        return -1;
    }
    long n = s->buf_size < BUF_GROW_STEP ? s->buf_size * 2 : s->buf_size + BUF_GROW_STEP;
    if (n > MAX_BUF_SIZE)
        n = MAX_BUF_SIZE;
    long nchunks = n / CHUNK;
    gc_list **c = realloc(s->chunks, (size_t)nchunks * sizeof *c);
    long *u = realloc(s->unused, (size_t)n * sizeof *u);
    if (!c || !u)
        gclab__oom((size_t)n * sizeof(gc_list));
    s->chunks = c;
    s->unused = u;
    for (long i = s->nchunks; i < nchunks; i++) {
        s->chunks[i] = calloc((size_t)CHUNK, sizeof(gc_list)); /* zeroed: empty */
        if (!s->chunks[i])
            gclab__oom((size_t)CHUNK * sizeof(gc_list));
    }
    s->nchunks = nchunks;
    s->buf_size = n;
    return 0;
}

/* Find the slots below first_unused whose roots were freed by refcounting.
 * Skipped when no container was freed since the last scan. */
static void scan_free_slots(const gclab_heap *h, td_state *s)
{
    unsigned long long f = container_frees(h);
    if (f == s->freed_seen)
        return;
    s->freed_seen = f;
    s->nunused = 0;
    for (long i = s->first_unused - 1; i >= FIRST_ROOT; i--)
        if (!slot_root(s, i))
            s->unused[s->nunused++] = i;
}

static void put(td_state *s, gc_head *g, long i)
{
    gc_list *l = slot(s, i);
    gc_list_init(l);
    gc_list_move(g, l);
    g->prev |= BUFFERED;
}

/* A free slot, or the next one below `limit`; 0 if none. */
static long take_slot(const gclab_heap *h, td_state *s, long limit)
{
    while (s->nunused) {
        long i = s->unused[--s->nunused];
        if (!slot_root(s, i))
            return i;
    }
    if (s->first_unused < limit && s->first_unused < s->buf_size)
        return s->first_unused++;
    scan_free_slots(h, s);
    if (s->nunused)
        return s->unused[--s->nunused];
    return 0;
}

/* Outside the hot path: a slot for g, growing the buffer if need be. */
static void place(gclab_heap *h, td_state *s, gc_head *g)
{
    long i;
    while (!(i = take_slot(h, s, s->buf_size)))
        if (grow(s) != 0)
            break;
    if (i) {
        put(s, g, i);
    } else { /* gc_full: the root is dropped from the buffer */
        g->prev &= ~(BUFFERED | COLOR_MASK);
        gc_list_move(g, &s->all);
    }
}

/* gc_compact: move the roots at the top into the free slots below. */
static void compact(td_state *s)
{
    long lo = FIRST_ROOT, hi = s->first_unused - 1;
    for (;;) {
        while (lo < hi && slot_root(s, lo))
            lo++;
        while (hi > lo && !slot_root(s, hi))
            hi--;
        if (lo >= hi)
            break;
        gc_head *g = slot_root(s, hi);
        gc_list_init(slot(s, lo));
        gc_list_move(g, slot(s, lo));
        lo++, hi--;
    }
    while (s->first_unused > FIRST_ROOT && !slot_root(s, s->first_unused - 1))
        s->first_unused--;
    s->nunused = 0;
    s->freed_seen = 0; /* the next scan looks */
}

static long count_roots(const td_state *s)
{
    long n = 0;
    for (long i = FIRST_ROOT; i < s->first_unused; i++)
        n += slot_root(s, i) != NULL;
    for (const gc_head *g = gc_next(&s->pending.head); g != &s->pending.head; g = gc_next(g))
        n++;
    return n;
}

/* gc_check_possible_root / gc_possible_root, on the hot path. */
static void td_on_decref_live(gclab_heap *h, gclab_object *o)
{
    if (!(o->type->flags & GCLAB_TYPE_CONTAINER))
        return;
    gc_head *g = AS_GC(o);
    td_state *s = state(h);
    if (!gc_is_tracked(g) || (g->prev & BUFFERED) || s->graph)
        return;
    long limit = s->threshold > 0 ? s->threshold : s->buf_size;
    long i = take_slot(h, s, limit);
    if (!i && s->threshold > 0 && h->enabled && !h->collecting && !s->full) {
        /* gc_possible_root_when_full: a run, at the next safe point */
        s->run_due = 1;
        h->auto_trigger = LONG_MIN;
        gclab__update_trigger(h);
    } else if (!i) {
        i = take_slot(h, s, s->buf_size); /* GC off or running: up to buf_size */
    }
    if (i) {
        put(s, g, i);
    } else if (!s->full) {
        gc_list_move(g, &s->pending); /* the buffer grows at the next collection */
        g->prev |= BUFFERED;
    }
    set_color(g, PURPLE);
}

/* ------------------------------------------------------------------ */
/* Trial deletion                                                      */

static void push(td_state *s, gclab_object *o)
{
    if (s->nstack == s->stack_cap) {
        size_t cap = s->stack_cap ? 2 * s->stack_cap : 1024;
        gclab_object **st = realloc(s->stack, cap * sizeof *st);
        if (!st)
            gclab__oom(cap * sizeof *st);
        s->stack = st;
        s->stack_cap = cap;
    }
    s->stack[s->nstack++] = o;
}

/* gc_mark_grey: trial-delete the references inside the subgraph. */
static int visit_grey(gclab_object *c, void *arg)
{
    td_state *s = arg;
    if (is_node(c)) {
        c->refcnt--;
        gc_head *g = AS_GC(c);
        if (color(g) != GREY) {
            set_color(g, GREY);
            push(s, c);
        }
    }
    return 0;
}

static void mark_grey(td_state *s, gclab_object *root)
{
    push(s, root);
    while (s->nstack) {
        gclab_object *o = s->stack[--s->nstack];
        s->examined++;
        o->type->traverse(o, visit_grey, s);
    }
}

/* gc_scan_black: restore the counts of what a live node reaches. */
static int visit_black(gclab_object *c, void *arg)
{
    td_state *s = arg;
    if (is_node(c)) {
        c->refcnt++;
        gc_head *g = AS_GC(c);
        if (color(g) != BLACK) {
            set_color(g, BLACK);
            push(s, c);
        }
    }
    return 0;
}

static int visit_scan(gclab_object *c, void *arg)
{
    td_state *s = arg;
    if (is_node(c) && color(AS_GC(c)) == GREY) {
        set_color(AS_GC(c), WHITE);
        push(s, c);
    }
    return 0;
}

/* gc_scan: a white node still referenced from outside is live, and so is
 * all it reaches; the rest stay white. */
static void scan(td_state *s, gclab_object *root)
{
    push(s, root);
    while (s->nstack) {
        gclab_object *o = s->stack[--s->nstack];
        gc_head *g = AS_GC(o);
        if (color(g) == WHITE && o->refcnt > 0) {
            set_color(g, BLACK);
            size_t base = s->nstack;
            o->type->traverse(o, visit_black, s);
            while (s->nstack > base) {
                gclab_object *b = s->stack[--s->nstack];
                b->type->traverse(b, visit_black, s);
            }
        } else if (color(g) == WHITE) {
            o->type->traverse(o, visit_scan, s);
        }
    }
}

typedef struct white_ctx {
    td_state *s;
    gc_list *garbage;
    long added; /* non-root garbage: gc_add_garbage takes a slot for each */
} white_ctx;

/* gc_collect_white: restore the counts, gather the white nodes (GREY marks
 * "garbage of this run" from here on). */
static int visit_white(gclab_object *c, void *arg)
{
    white_ctx *w = arg;
    if (is_node(c)) {
        c->refcnt++;
        gc_head *g = AS_GC(c);
        if (color(g) == WHITE) {
            set_color(g, GREY);
            if (!(g->prev & BUFFERED))
                w->added++;
            g->prev |= BUFFERED;
            gc_list_move(g, w->garbage);
            push(w->s, c);
        }
    }
    return 0;
}

static void collect_white(white_ctx *w, gclab_object *root)
{
    td_state *s = w->s;
    gc_head *g = AS_GC(root);
    set_color(g, GREY);
    gc_list_move(g, w->garbage);
    push(s, root);
    while (s->nstack) {
        gclab_object *o = s->stack[--s->nstack];
        o->type->traverse(o, visit_white, w);
    }
}

/* Move from `from` to `to` every garbage node (GREY) that `to`'s members
 * reach, blackened: the subgraph of a destructor or legacy object. */
static int visit_nested(gclab_object *c, void *arg)
{
    gc_list *to = arg;
    if (is_node(c) && color(AS_GC(c)) == GREY) {
        set_color(AS_GC(c), BLACK);
        gc_list_move(AS_GC(c), to);
    }
    return 0;
}

static long take_nested(gc_list *to)
{
    long n = 0;
    for (gc_head *g = gc_list_first(to); g != gc_list_end(to); g = gc_next(g), n++) {
        gclab_object *o = FROM_GC(g);
        o->type->traverse(o, visit_nested, to);
    }
    return n;
}

/* One run of zend_gc_collect_cycles, without its rerun: returns how many it
 * freed; *rerun is set when destructors ran. */
static long run(gclab_heap *h, td_state *s, gclab_gc_info *info, int *rerun, int keep_waiting)
{
    *rerun = 0;
    if (count_roots(s) == 0)
        return 0;
    s->runs++;
    compact(s);
    const long waiting = s->first_unused; /* the waiting roots go above the others */
    while (!gc_list_is_empty(&s->pending))
        place(h, s, gc_list_first(&s->pending));

    /* gc_mark_roots, gc_scan_roots, gc_collect_roots: no code runs here */
    s->graph = 1;
    s->examined = 0;
    for (long i = FIRST_ROOT; i < s->first_unused; i++) {
        gc_head *g = slot_root(s, i);
        if (g && color(g) == PURPLE) {
            set_color(g, GREY);
            mark_grey(s, FROM_GC(g));
        }
    }
    for (long i = FIRST_ROOT; i < s->first_unused; i++) {
        gc_head *g = slot_root(s, i);
        if (g && color(g) == GREY) {
            set_color(g, WHITE);
            scan(s, FROM_GC(g));
        }
    }
    for (long i = FIRST_ROOT; i < s->first_unused; i++) { /* black roots leave the buffer */
        gc_head *g = slot_root(s, i);
        if (g && color(g) == BLACK && keep_waiting && i >= waiting) {
            set_color(g, PURPLE); /* a waiting root: buffered after the run, as in PHP */
        } else if (g && color(g) == BLACK) {
            g->prev &= ~BUFFERED;
            gc_list_move(g, &s->all);
        }
    }
    compact(s);
    gc_list garbage;
    gc_list_init(&garbage);
    white_ctx w = {.s = s, .garbage = &garbage};
    for (long i = FIRST_ROOT; i < s->first_unused; i++) {
        gc_head *g = slot_root(s, i);
        if (g && color(g) == WHITE)
            collect_white(&w, FROM_GC(g));
    }
    /* gc_add_garbage took slots above the roots for the rest: the buffer grows */
    while (s->first_unused + w.added > s->buf_size && grow(s) == 0)
        ;
    compact(s); /* every root is garbage now, or left, or kept waiting */
    info->examined += s->examined;
    s->graph = 0;

    /* Legacy finalizers (CPython's tp_del, which PHP lacks): uncollectable,
     * with all they reach, as in CPython; the objects go to gc.garbage. */
    gc_list legacy;
    gc_list_init(&legacy);
    for (gc_head *g = gc_list_first(&garbage), *n; g != gc_list_end(&garbage); g = n) {
        n = gc_next(g);
        if (has_finalizer(FROM_GC(g), GCLAB_FINALIZER_LEGACY)) {
            set_color(g, BLACK);
            gc_list_move(g, &legacy);
        }
    }
    if (!gc_list_is_empty(&legacy)) {
        info->uncollectable += take_nested(&legacy);
        gclab_object *gl = gclab_get_garbage(h);
        for (gc_head *g = gc_list_first(&legacy); g != gc_list_end(&legacy); g = gc_next(g)) {
            g->prev &= ~BUFFERED;
            if (has_finalizer(FROM_GC(g), GCLAB_FINALIZER_LEGACY))
                gclab_list_append(h, gl, FROM_GC(g));
        }
        gc_list_merge(&legacy, &s->all);
    }

    /* Destructors: the objects with one not yet called, and what they reach,
     * leave this run and stay buffered (purple) for the rerun; each is
     * called once.  What they resurrect, the rerun finds black. */
    gc_list dtor;
    gc_list_init(&dtor);
    for (gc_head *g = gc_list_first(&garbage), *n; g != gc_list_end(&garbage); g = n) {
        n = gc_next(g);
        if (has_finalizer(FROM_GC(g), GCLAB_FINALIZER_PEP442) && !(g->prev & GC_FINALIZED)) {
            set_color(g, BLACK);
            gc_list_move(g, &dtor);
        }
    }
    if (!gc_list_is_empty(&dtor)) {
        *rerun = 1;
        take_nested(&dtor);
        uint64_t t0 = gclab__now_ns(h);
        gc_list seen;
        gc_list_init(&seen);
        gclab__finalize_each(h, &dtor, &seen);
        s->dtor_ns += gclab__now_ns(h) - t0;
        while (!gc_list_is_empty(&seen)) {
            gc_head *g = gc_list_first(&seen);
            set_color(g, PURPLE);
            place(h, s, g);
        }
    }

    /* Free: break the references; refcounts fall to zero. */
    uint64_t t0 = gclab__now_ns(h);
    long count = 0;
    for (gc_head *g = gc_list_first(&garbage); g != gc_list_end(&garbage); g = gc_next(g))
        count++;
    while (!gc_list_is_empty(&garbage)) {
        gc_head *g = gc_list_first(&garbage);
        gclab_object *o = FROM_GC(g);
        if (o->type->clear) {
            gclab_incref(o);
            o->type->clear(h, o);
            gclab_decref(h, o);
        }
        if (gc_list_first(&garbage) == g) { /* alive until another member is cleared */
            g->prev &= ~(BUFFERED | COLOR_MASK);
            gc_list_move(g, &s->all);
        }
    }
    s->free_ns += gclab__now_ns(h) - t0;
    compact(s);
    s->collected += count;
    return count;
}

/* zend_gc_collect_cycles: a run, and once more if destructors ran. */
static long collect_cycles(gclab_heap *h, td_state *s, gclab_gc_info *info, int keep_waiting)
{
    int rerun;
    long n = run(h, s, info, &rerun, keep_waiting);
    if (rerun)
        n += run(h, s, info, &rerun, 0);
    return n;
}

/* gc_adjust_threshold, after a buffer-full run only. */
static void adjust_threshold(gclab_heap *h, td_state *s, long count)
{
    if (s->policy == POLICY_FIXED)
        return;
    if (count < THRESHOLD_TRIGGER) {
        if (s->threshold < THRESHOLD_MAX) {
            long nt = s->threshold + THRESHOLD_STEP;
            if (nt > THRESHOLD_MAX)
                nt = THRESHOLD_MAX;
            if (nt > s->buf_size)
                grow(s);
            if (nt <= s->buf_size)
                s->threshold = nt;
        }
    } else if (s->threshold > THRESHOLD_DEFAULT) {
        s->threshold = s->threshold - THRESHOLD_STEP < THRESHOLD_DEFAULT ? THRESHOLD_DEFAULT
                                                                          : s->threshold - THRESHOLD_STEP;
    }
    h->thresholds[0] = s->threshold;
}

/* gc_possible_root_when_full, deferred: the roots that found the buffer
 * full wait through the run, then take slots.  PHP holds the root it is
 * adding (GC_ADDREF) because the run happens inside the decref.  When an
 * explicit collection performs the due run, it holds them too, as PHP would
 * have one operation earlier (its explicit run then examines them: PHP's
 * manual example comes out exactly).  A run at a safe point comes after the
 * operation is over, and does not hold them: what is garbage when a
 * collection starts is freed by it (the conformance oracle). */
static long full_run(gclab_heap *h, td_state *s, gclab_gc_info *info, int hold)
{
    s->run_due = 0;
    gc_list held;
    gc_list_init(&held);
    gc_list_merge(&s->pending, &held);
    if (!hold) {
        gc_list_merge(&held, &s->pending); /* roots like the others; kept if live */
        long n = collect_cycles(h, s, info, 1);
        adjust_threshold(h, s, n);
        return n;
    }
    for (gc_head *g = gc_list_first(&held); g != gc_list_end(&held); g = gc_next(g))
        FROM_GC(g)->refcnt++;
    long n = collect_cycles(h, s, info, 0);
    adjust_threshold(h, s, n);
    while (!gc_list_is_empty(&held)) {
        gc_head *g = gc_list_first(&held);
        gclab_object *o = FROM_GC(g);
        set_color(g, PURPLE);
        place(h, s, g);
        gclab_decref(h, o); /* freed: it leaves its slot */
    }
    return n;
}

static void td_collect(gclab_heap *h, int generation, gclab_gc_info *info)
{
    (void)generation;
    td_state *s = state(h);
    uint64_t t0 = gclab__now_ns(h);
    h->auto_trigger = LONG_MAX;
    long n = 0;
    if (s->run_due)
        n += full_run(h, s, info, !s->in_auto);
    if (!s->in_auto)
        n += collect_cycles(h, s, info, 0);
    info->collected = n;
    s->collector_ns += gclab__now_ns(h) - t0;
}

static void td_on_trigger(gclab_heap *h)
{
    td_state *s = state(h);
    if (s->run_due) {
        s->in_auto = 1;
        gclab__collect(h, 0, GCLAB_REASON_THRESHOLD);
        s->in_auto = 0;
    }
    h->auto_trigger = LONG_MAX;
    gclab__update_trigger(h);
}

/* ------------------------------------------------------------------ */
/* The table                                                           */

static int td_init(gclab_heap *h, const gclab_value *p, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    td_state *s = calloc(1, sizeof *s);
    if (!s)
        gclab__oom(sizeof *s);
    gc_list_init(&s->all);
    gc_list_init(&s->pending);
    s->policy = (int)p[P_POLICY].i;
    s->buf_size = DEFAULT_BUF_SIZE / 2;
    grow(s); /* DEFAULT_BUF_SIZE */
    s->first_unused = FIRST_ROOT;
    s->threshold = THRESHOLD_DEFAULT;
    h->cstate = s;
    h->young = &s->all;
    h->auto_trigger = LONG_MAX;
    return 0;
}

static void td_fini(gclab_heap *h)
{
    td_state *s = state(h);
    for (long i = 0; i < s->nchunks; i++)
        free(s->chunks[i]);
    free(s->chunks);
    free(s->unused);
    free(s->stack);
    free(s);
}

static void td_gather(gclab_heap *h, gc_list *into)
{
    td_state *s = state(h);
    for (long i = FIRST_ROOT; i < s->first_unused; i++) {
        gc_head *g = slot_root(s, i);
        if (g)
            gc_list_move(g, into);
    }
    s->first_unused = FIRST_ROOT;
    s->nunused = 0;
    gc_list_merge(&s->pending, into);
    gc_list_merge(&s->all, into);
    s->graph = 1; /* the teardown's decrefs link nothing: the runtime owns every header now */
}

static void td_thresholds_changed(gclab_heap *h)
{
    td_state *s = state(h);
    long t = h->thresholds[0] > THRESHOLD_MAX ? THRESHOLD_MAX : h->thresholds[0];
    s->threshold = t; /* 0: no buffer-full runs */
    while (t > s->buf_size && grow(s) == 0)
        ;
    h->auto_trigger = s->run_due ? LONG_MIN : LONG_MAX;
}

static int td_figures(const gclab_heap *h, const char **names, long long *values, int max)
{
    const td_state *s = state(h);
    static const char *const n[] = {"runs",          "collected",          "threshold",
                                    "roots",         "buffer_size",        "collector_time_ns",
                                    "destructor_time_ns", "free_time_ns"};
    const long long v[] = {s->runs,         s->collected,           s->threshold,
                           count_roots(s),  s->buf_size,            (long long)s->collector_ns,
                           (long long)s->dtor_ns, (long long)s->free_ns};
    int k = (int)(sizeof n / sizeof n[0]);
    for (int i = 0; i < k && i < max; i++) {
        names[i] = n[i];
        values[i] = v[i];
    }
    return k;
}

/* At exit: one collection, as generational's default exit collection. */
static void td_at_exit(gclab_heap *h)
{
    gclab__collect(h, 0, GCLAB_REASON_EXIT); /* disabled or not, as CPython's */
}

const gclab_collector gclab_collector_trial_deletion = {
    .info = {.name = "trial-deletion",
             .description = "PHP's cycle collector (zend_gc.c, Bacon-Rajan): a buffer of possible roots, "
                            "trial deletion from them when it is full; adaptive (7.3+) or fixed (7.2) threshold",
             .params = params,
             .nparams = sizeof params / sizeof params[0],
             .flags = GCLAB_COLLECTOR_RECLAIMS_CYCLES | GCLAB_COLLECTOR_AUTOMATIC | GCLAB_COLLECTOR_POSSIBLE_ROOTS,
             .ngenerations = 1,
             .nthresholds = 1,
             .default_thresholds = {THRESHOLD_DEFAULT}},
    .init = td_init,
    .fini = td_fini,
    .gather = td_gather,
    .collect = td_collect,
    .on_trigger = td_on_trigger,
    .on_decref_live = td_on_decref_live,
    .thresholds_changed = td_thresholds_changed,
    .figures = td_figures,
    .at_exit = td_at_exit,
};
