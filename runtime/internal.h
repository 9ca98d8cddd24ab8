/*
 * runtime/internal.h -- the heap's layout and the GC header, for the runtime
 * and the collectors.  Not installed: users see only include/gclab/.
 *
 * The GC header (CPython's PyGC_Head) sits 16 bytes before every container:
 *
 *   next  the next header in the object's list, or 0 when untracked.
 *         During a collection bit 0 marks "tentatively unreachable"; list
 *         operations ignore it, so it may be left behind on garbage.
 *   prev  the previous header, with flags in the low 4 bits (headers are
 *         16-byte aligned).  During a collection a collector may keep a
 *         reference count there instead: gc_refs << GC_REFS_SHIFT | flags.
 *
 *   flag bit 0  GC_FINALIZED   the PEP 442 finalizer has run (runtime-owned)
 *   flag bits 1..3             owned by the collector; preserved by every
 *                              list operation here.
 */
#ifndef GCLAB_RUNTIME_INTERNAL_H
#define GCLAB_RUNTIME_INTERNAL_H

#include <gclab/gclab.h>

#include <assert.h>
#include <limits.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

typedef struct gc_head {
    uintptr_t next;
    uintptr_t prev;
} gc_head;

_Static_assert(sizeof(gc_head) == 16, "the GC header is 16 bytes, as in CPython");

#define GC_FINALIZED ((uintptr_t)1)
#define GC_FLAGS ((uintptr_t)0xF)
#define GC_COLLECTOR_FLAGS ((uintptr_t)0xE)
#define GC_PTR ((uintptr_t)~GC_FLAGS)
#define GC_REFS_SHIFT 4
#define GC_NEXT_UNREACHABLE ((uintptr_t)1)

#define AS_GC(o) ((gc_head *)(o) - 1)
#define FROM_GC(g) ((gclab_object *)((gc_head *)(g) + 1))

/* A list head: a sentinel header, 16-byte aligned like every header. */
typedef struct gc_list {
    alignas(16) gc_head head;
} gc_list;

/* The unreachable mark may be left on `next` after a collection's scan;
 * every list operation reads through it. */
static inline gc_head *gc_next(const gc_head *g) { return (gc_head *)(g->next & ~GC_NEXT_UNREACHABLE); }
static inline gc_head *gc_prev(const gc_head *g) { return (gc_head *)(g->prev & GC_PTR); }
static inline void gc_set_prev(gc_head *g, const gc_head *p)
{
    g->prev = (g->prev & GC_FLAGS) | (uintptr_t)p;
}
static inline int gc_is_tracked(const gc_head *g) { return g->next != 0; }

static inline void gc_list_init(gc_list *l)
{
    l->head.next = (uintptr_t)&l->head;
    l->head.prev = (uintptr_t)&l->head;
}
static inline int gc_list_is_empty(const gc_list *l) { return gc_next(&l->head) == &l->head; }
static inline gc_head *gc_list_first(gc_list *l) { return gc_next(&l->head); }
static inline gc_head *gc_list_end(gc_list *l) { return &l->head; }

/* Append g (not in any list) to l, keeping g's flags. */
static inline void gc_list_append(gc_head *g, gc_list *l)
{
    gc_head *last = gc_prev(&l->head);
    last->next = (uintptr_t)g;
    gc_set_prev(g, last);
    g->next = (uintptr_t)&l->head;
    l->head.prev = (uintptr_t)g;
}

/* Unlink g from its list; it is left untracked (next == 0). */
static inline void gc_list_remove(gc_head *g)
{
    gc_head *prev = gc_prev(g), *next = gc_next(g);
    prev->next = (uintptr_t)next;
    gc_set_prev(next, prev);
    g->next = 0;
}

static inline void gc_list_move(gc_head *g, gc_list *to)
{
    gc_head *prev = gc_prev(g), *next = gc_next(g);
    prev->next = (uintptr_t)next;
    gc_set_prev(next, prev);
    gc_list_append(g, to);
}

/* Move every header of `from` to the end of `to`; `from` becomes empty. O(1). */
static inline void gc_list_merge(gc_list *from, gc_list *to)
{
    if (gc_list_is_empty(from))
        return;
    gc_head *to_last = gc_prev(&to->head);
    gc_head *first = gc_next(&from->head), *last = gc_prev(&from->head);
    to_last->next = (uintptr_t)first;
    gc_set_prev(first, to_last);
    last->next = (uintptr_t)&to->head;
    to->head.prev = (uintptr_t)last;
    gc_list_init(from);
}

long gc_list_size(gc_list *l); /* O(n) */

/* ------------------------------------------------------------------ */
/* Instances: exposed here because the collectors look for finalizers. */

typedef struct instance_object {
    gclab_object ob;
    gclab_finalizer finalizer;
    void *finalizer_ctx;
    gclab_finalizer_kind finalizer_kind;
    unsigned char has_dict; /* counted as having a __dict__: 1 tracked (heap.instance_dict, or
                             * o.__dict__), 2 untracked (o.__dict__ under 3.13) */
    size_t nattrs;
    gclab_object *attrs[];
} instance_object;

static inline int has_finalizer(const gclab_object *o, gclab_finalizer_kind kind)
{
    if (o->type->kind != GCLAB_KIND_INSTANCE)
        return 0;
    const instance_object *in = (const instance_object *)o;
    return in->finalizer != NULL && in->finalizer_kind == kind;
}

/* Run o's PEP 442 finalizer once: marks it finalized first.  o must be alive. */
void gclab__finalize(gclab_heap *h, gclab_object *o);
/* Run the PEP 442 finalizer of each member of `from` not yet finalized,
 * once (CPython's finalize_garbage).  A finalizer may free or resurrect
 * anything, so the first member is taken each time and parked in `seen`;
 * `from` ends empty.  Returns how many finalizers ran. */
long gclab__finalize_each(gclab_heap *h, gc_list *from, gc_list *seen);
/* Run o's legacy finalizer (tp_del) if it has one. */
void gclab__legacy_finalize(gclab_heap *h, gclab_object *o);

/* May o be tracked (CPython's _PyObject_GC_MAY_BE_TRACKED)?  Atoms never;
 * tuples only while tracked; every other container yes. */
static inline int gclab__may_be_tracked(const gclab_object *o)
{
    if (!(o->type->flags & GCLAB_TYPE_CONTAINER))
        return 0;
    if (o->type->kind == GCLAB_KIND_TUPLE)
        return gc_is_tracked(AS_GC(o));
    return 1;
}

/* May the collector untrack t: none of its items may be tracked
 * (CPython's _PyTuple_MaybeUntrack test)?  The caller unlinks it. */
int gclab__tuple_untrackable(const gclab_object *t);
/* May the collector untrack d: none of its keys or values may be tracked? */
int gclab__dict_untrackable(const gclab_object *d);

/* ------------------------------------------------------------------ */
/* The heap */

struct gclab_frame {
    gclab_frame *back;
    size_t nslots;
    gclab_object *slots[];
};

typedef struct gclab_collector gclab_collector;

/* Free-list slots (gclab_heap.freelist_*): what CPython keeps free lists for. */
enum {
    GCLAB_FL_NONE,        /* instances: no free list; capacity stays 0 */
    GCLAB_FL_EMPTY_TUPLE, /* (): the singleton, see gclab_heap */
    GCLAB_FL_DICT,
    GCLAB_FL_LIST,
    GCLAB_FL_TUPLE1,      /* tuples of length 1 .. GCLAB_FL_MAX_TUPLE: GCLAB_FL_TUPLE1 + len - 1 */
    GCLAB_FL_MAX_TUPLE = 20,
    GCLAB_NFREELISTS = GCLAB_FL_TUPLE1 + GCLAB_FL_MAX_TUPLE
};
static inline int gclab__tuple_freelist(size_t len)
{
    return len == 0 ? GCLAB_FL_EMPTY_TUPLE : len <= GCLAB_FL_MAX_TUPLE ? GCLAB_FL_TUPLE1 + (int)len - 1 : GCLAB_FL_NONE;
}

/* What each object counts in the heap's live bytes (gclab_heap.sizes).  By
 * default gclab's own sizes (runtime/objects.c gclab__sizes_own); a
 * cpython-3.x profile sets sys.getsizeof's (collectors/sizes.def).  An
 * object of kind k with n items counts base[k] + item[k] * n, where n is:
 * int, its 30-bit digits (at least int_min_digits); str, bytes, its length;
 * tuple, its length; instance, its attribute slots.  A list counts base
 * plus item per slot of its buffer's capacity, a dict base plus its table
 * (dict_table_bytes in runtime/dict.c). */
typedef struct gclab_size_model {
    size_t base[GCLAB_NKINDS];
    size_t item[GCLAB_NKINDS];
    size_t int_min_digits;
    /* dict tables: 0 for gclab's own (slots * its entry), else CPython's
     * keys object: dict_keys_head + slots * index bytes + usable * entry */
    size_t dict_keys_head;
    size_t dict_entry;         /* an entry of a table with any keys */
    size_t dict_entry_unicode; /* 3.11+: of a table whose keys are all str; 0: one kind (<= 3.10) */
    int dict_keysize_16;       /* 3.10+: a resize for 1..7 slots makes 16 (calculate_log2_keysize) */
    /* the __dict__ of an instance with attributes (heap.instance_dict):
     * base + 8 per usable slot of the smallest shared-keys table that holds
     * its slots; 0: not counted */
    size_t instance_dict_base;
    int list_growth_38; /* lists grow as 3.8's (else 3.9+'s, which is gclab's own) */
    int list_shrink;    /* removing an item shrinks a list below half its capacity, as pop() does */
} gclab_size_model;

typedef struct callback_entry {
    gclab_gc_callback fn;
    void *arg;
} callback_entry;

typedef struct interrupt_entry {
    gclab_interrupt_handler fn;
    void *arg;
} interrupt_entry;

struct gclab_heap {
    gclab_heap_head head; /* must be first: read by the inline decref */

    /* Container allocation and the trigger (CPython's generations[0].count).
     * Every container allocation does ++gc_count > gc_trigger; when true,
     * gclab__trigger runs: pending interrupts first, then the collector's
     * on_trigger if gc_count passed the collector's own trigger.  gc_trigger
     * is LONG_MAX while automatic collection is off, disabled, or running,
     * and LONG_MIN while an interrupt is pending (CPython's eval breaker):
     * another thread may write it, so it is atomic, read relaxed. */
    long gc_count;
    _Atomic long gc_trigger;
    atomic_int interrupt_pending;
    int running_interrupts; /* the handlers are running: they do not nest */
    int explicit_safe_points; /* gclab_set_explicit_safe_points */
    int polling;              /* gclab_poll is running the handlers */
    int poll_wanted;          /* a handler waits for the next gclab_poll (gclab__wait_for_poll) */
    interrupt_entry *interrupt_handlers;
    size_t ninterrupt_handlers;
    gc_list *young; /* where newly tracked containers go; set by the collector */

    /* CPython's free lists, by occupancy only (no memory is kept): a
     * container allocation whose list is non-empty takes one from it and
     * neither counts nor triggers; a free while the list is below capacity
     * pushes one and does not lower gc_count.  Capacities are 0 (no free
     * lists) unless the collector sets them (collectors/profile.c); it also
     * empties them (full collections).  GCLAB_FL_EMPTY_TUPLE, when its
     * capacity is set, stands for the () singleton: full and never emptied,
     * so making () counts nothing and () is never tracked. */
    unsigned long freelist_len[GCLAB_NFREELISTS];
    unsigned long freelist_cap[GCLAB_NFREELISTS];
    int instance_dict; /* an instance with attributes counts as instance + __dict__ (CPython <= 3.10) */
    int args_tuple;    /* calling a builtin type builds an argument tuple (CPython 3.8) */
    int getdict;       /* what o.__dict__ makes (collectors/profiles.def): 0, 1 tracked, 2 untracked */

    /* Freeing without deep C recursion (CPython's trashcan). */
    int dealloc_depth;
    gc_head *trash; /* deferred containers, chained through gc_head.next */

    /* Accounting */
    gclab_size_model sizes; /* what each object counts in live_bytes */
    /* By kind: objects ever allocated, objects ever freed, live bytes.  Live
     * objects are allocated - freed.  Separate arrays, not an array of
     * structs: the compiler would otherwise update neighbouring fields with
     * one 16-byte access right after scalar stores to them, and stall on
     * store forwarding. */
    unsigned long long allocated[GCLAB_NKINDS];
    unsigned long long freed[GCLAB_NKINDS];
    size_t live_bytes[GCLAB_NKINDS];
    void (*on_free)(gclab_heap *, gclab_object *, void *);
    void *on_free_arg;
    uint64_t (*clock_ns)(void *);
    void *clock_arg;

    /* The collector and the gc-module state every collector shares */
    const gclab_collector *collector;
    void *cstate;
    int enabled;
    int collecting;
    int shutting_down; /* the final sweep: no finalizers */
    int shut_down;     /* gclab_heap_shutdown has run */
    gclab_leak_report leaks;
    long auto_trigger; /* what gc_trigger is when enabled and idle */
    long thresholds[GCLAB_MAX_GENERATIONS];
    gclab_gen_stats stats[GCLAB_MAX_GENERATIONS];
    callback_entry *callbacks;
    size_t ncallbacks, callbacks_cap;

    /* Roots */
    gclab_object *globals; /* dict */
    gclab_object *garbage; /* list: gc.garbage */
    gclab_frame *frames;
};

/* What gc_trigger is when no interrupt is pending. */
static inline long gclab__collector_trigger(const gclab_heap *h)
{
    return (h->enabled && !h->collecting) ? h->auto_trigger : LONG_MAX;
}

/* Recompute gc_trigger; an interrupt that arrives meanwhile still wins. */
static inline void gclab__update_trigger(gclab_heap *h)
{
    atomic_store(&h->gc_trigger, gclab__collector_trigger(h));
    if (atomic_load(&h->interrupt_pending))
        atomic_store(&h->gc_trigger, LONG_MIN);
}

/* Run one collection of `generation` through the collector, with callbacks
 * and stats; returns collected + uncollectable.  Collectors call this for
 * the collections they decide on; gclab_collect calls it for manual ones. */
long gclab__collect(gclab_heap *h, int generation, gclab_reason reason);

/* gclab_set_threshold's checks, without a heap: 0, or -1 with a line in
 * err (which may be NULL). */
int gclab__check_thresholds(const gclab_collector_info *ci, const long *thresholds, int n,
                            char *err, size_t errlen);

/* Append the container to h->young with cleared collector flags. */
static inline void gclab__track(gclab_heap *h, gclab_object *o)
{
    gc_head *g = AS_GC(o);
    assert(!gc_is_tracked(g));
    g->prev &= GC_FINALIZED;
    gc_list_append(g, h->young);
}

static inline void gclab__untrack(gclab_object *o)
{
    gc_head *g = AS_GC(o);
    if (gc_is_tracked(g))
        gc_list_remove(g);
}

_Noreturn void gclab__oom(size_t size);

/* gclab's own sizes: what live_bytes counted before profiles had sizes
 * (runtime/objects.c; the dict's part from runtime/dict.c). */
void gclab__sizes_own(gclab_size_model *m);
size_t gclab__dict_own_object_size(void);

/* The heap's clock (gclab_config.clock_ns, or CLOCK_MONOTONIC), in ns. */
uint64_t gclab__now_ns(const gclab_heap *h);

#endif
