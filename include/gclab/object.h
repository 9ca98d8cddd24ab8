/*
 * gclab/object.h -- the object model: refcounted objects, containers, atoms.
 *
 * Modelled on CPython.  Every object starts with a refcount and a type.
 * Containers (list, tuple, dict, instance) carry a 16-byte GC header in front
 * of the object, exactly where CPython puts PyGC_Head; atoms (int, str,
 * bytes) have none and are never tracked.
 *
 * Ownership follows CPython's C API:
 *   - gclab_new_* return a NEW reference (refcount 1, owned by the caller);
 *   - functions that store an object (append, setitem, setattr, frame slots,
 *     tuple construction) take their own reference: the caller keeps its own;
 *   - getters return BORROWED references.
 * Every function takes the heap first.  Running out of memory aborts the
 * process with a message (a benchmark run that cannot allocate has failed).
 */
#ifndef GCLAB_OBJECT_H
#define GCLAB_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gclab_heap gclab_heap;
typedef struct gclab_type gclab_type;

/* The header every object starts with (CPython's PyObject). */
typedef struct gclab_object {
    intptr_t refcnt;
    const gclab_type *type;
} gclab_object;

/* The kinds of object, also the rows of the heap accounting. */
typedef enum gclab_kind {
    GCLAB_KIND_INT,      /* atom: a 64-bit integer */
    GCLAB_KIND_STR,      /* atom: text payload of any size */
    GCLAB_KIND_BYTES,    /* atom: binary payload of any size */
    GCLAB_KIND_TUPLE,    /* container, immutable; may be untracked by the GC */
    GCLAB_KIND_LIST,     /* container */
    GCLAB_KIND_DICT,     /* container; created untracked, tracked on demand */
    GCLAB_KIND_INSTANCE, /* container: attribute slots and an optional finalizer */
    GCLAB_NKINDS
} gclab_kind;

/* Called for each object a container references; non-zero stops the walk. */
typedef int (*gclab_visitproc)(gclab_object *referent, void *arg);

#define GCLAB_TYPE_CONTAINER 1u /* has a GC header; tp_traverse is set */

/* A type: what tp_traverse / tp_clear / tp_dealloc are to CPython. */
struct gclab_type {
    const char *name;
    gclab_kind kind;
    unsigned flags; /* GCLAB_TYPE_* */
    /* Visit every object this one references.  NULL for atoms. */
    int (*traverse)(gclab_object *self, gclab_visitproc visit, void *arg);
    /* Drop the references this object holds, breaking cycles.  NULL where the
     * type cannot take part in a cycle on its own (atoms, tuples). */
    void (*clear)(gclab_heap *h, gclab_object *self);
    /* Release references and memory; called when the refcount reaches 0. */
    void (*dealloc)(gclab_heap *h, gclab_object *self);
};

/* ------------------------------------------------------------------ */
/* Reference counting.  Inline and cheap: one add, one compare.         */

/* The first member of every heap: the fields the inline functions read.
 * Do not write them. */
typedef struct gclab_heap_head {
    /* Non-NULL when the collector wants to hear of every decref that leaves
     * an object alive (trial deletion buffers those as possible roots). */
    void (*on_decref_live)(gclab_heap *h, gclab_object *o);
} gclab_heap_head;

void gclab__dealloc(gclab_heap *h, gclab_object *o); /* refcount reached 0 */

/* Immortal objects (PEP 683) have a refcount of at least this; incref and
 * decref never write it, so the object's page is never dirtied by them. */
#define GCLAB_IMMORTAL_REFCNT ((intptr_t)1 << 60)

static inline gclab_object *gclab_incref(gclab_object *o)
{
    if (o->refcnt < GCLAB_IMMORTAL_REFCNT)
        o->refcnt++;
    return o;
}

static inline void gclab_decref(gclab_heap *h, gclab_object *o)
{
    if (o->refcnt >= GCLAB_IMMORTAL_REFCNT)
        return;
    if (--o->refcnt == 0)
        gclab__dealloc(h, o);
    else if (((const gclab_heap_head *)h)->on_decref_live)
        ((const gclab_heap_head *)h)->on_decref_live(h, o);
}

static inline void gclab_xdecref(gclab_heap *h, gclab_object *o)
{
    if (o)
        gclab_decref(h, o);
}

static inline intptr_t gclab_refcnt(const gclab_object *o) { return o->refcnt; }
static inline int gclab_is_immortal(const gclab_object *o) { return o->refcnt >= GCLAB_IMMORTAL_REFCNT; }
static inline gclab_kind gclab_kind_of(const gclab_object *o) { return o->type->kind; }
static inline int gclab_is_container(const gclab_object *o)
{
    return (o->type->flags & GCLAB_TYPE_CONTAINER) != 0;
}

/* ------------------------------------------------------------------ */
/* Atoms: never tracked by the collector, whatever their size.          */

gclab_object *gclab_new_int(gclab_heap *h, int64_t value);
/* A str whose payload is a copy of `len` bytes of `text` (NUL added). */
gclab_object *gclab_new_str(gclab_heap *h, const char *text, size_t len);
/* A bytes object of `len` bytes copied from `data`, or zero-filled (every
 * page touched) when `data` is NULL. */
gclab_object *gclab_new_bytes(gclab_heap *h, const void *data, size_t len);

int64_t gclab_int_value(const gclab_object *o);
size_t gclab_atom_size(const gclab_object *o);      /* payload bytes (str, bytes) */
const char *gclab_atom_data(const gclab_object *o); /* payload (str, bytes) */

/* ------------------------------------------------------------------ */
/* list */

gclab_object *gclab_new_list(gclab_heap *h);
/* A list of exactly n items, as the list display [a, b, ...] makes. */
gclab_object *gclab_new_list_from(gclab_heap *h, size_t n, gclab_object *const *items);
void gclab_list_append(gclab_heap *h, gclab_object *list, gclab_object *item);
size_t gclab_list_len(const gclab_object *list);
gclab_object *gclab_list_get(const gclab_object *list, size_t i); /* borrowed */
/* Replace item i (i < len); the old item is released.  Returns -1 if out of range. */
int gclab_list_set(gclab_heap *h, gclab_object *list, size_t i, gclab_object *item);
/* Remove item i, moving the last item into its place (O(1)); -1 if out of range. */
int gclab_list_swap_remove(gclab_heap *h, gclab_object *list, size_t i);
/* Remove every item. */
void gclab_list_clear(gclab_heap *h, gclab_object *list);

/* ------------------------------------------------------------------ */
/* tuple: immutable; items are given at creation (none may be NULL).   */

gclab_object *gclab_new_tuple(gclab_heap *h, size_t n, gclab_object *const *items);
size_t gclab_tuple_len(const gclab_object *t);
gclab_object *gclab_tuple_get(const gclab_object *t, size_t i); /* borrowed */

/* ------------------------------------------------------------------ */
/* dict: a hash table; keys compare by value for atoms and tuples, by
 * identity otherwise.  Like CPython, a new dict is untracked and becomes
 * tracked when a key or value that may be tracked is stored in it. */

gclab_object *gclab_new_dict(gclab_heap *h);
void gclab_dict_setitem(gclab_heap *h, gclab_object *d, gclab_object *key, gclab_object *value);
gclab_object *gclab_dict_getitem(const gclab_object *d, const gclab_object *key); /* borrowed or NULL */
int gclab_dict_delitem(gclab_heap *h, gclab_object *d, const gclab_object *key); /* 0, or -1 if absent */
size_t gclab_dict_len(const gclab_object *d);
/* Iterate: *pos starts at 0; returns 0 when done.  Borrowed references. */
int gclab_dict_next(const gclab_object *d, size_t *pos, gclab_object **key, gclab_object **value);
void gclab_dict_clear(gclab_heap *h, gclab_object *d);

/* ------------------------------------------------------------------ */
/* instance: a fixed number of attribute slots (like __slots__), each
 * initially empty, and an optional finalizer. */

gclab_object *gclab_new_instance(gclab_heap *h, size_t nattrs);
size_t gclab_instance_nattrs(const gclab_object *inst);
/* Store `value` (or NULL to delete) in slot i; returns -1 if out of range. */
int gclab_setattr(gclab_heap *h, gclab_object *inst, size_t i, gclab_object *value);
gclab_object *gclab_getattr(const gclab_object *inst, size_t i); /* borrowed or NULL */
/* `o.__dict__`: under a profile, an instance without a dict object gets
 * one, as the version makes it: one container allocation (from the dict
 * free list if it can), freed with the instance; tracked and collected
 * with it up to 3.12, untracked in 3.13.  Under ideal, nothing. */
void gclab_instance_getdict(gclab_heap *h, gclab_object *inst);

/* A finalizer runs with `self` alive (refcount >= 1) and may do anything,
 * including storing `self` somewhere reachable (resurrection). */
typedef void (*gclab_finalizer)(gclab_heap *h, gclab_object *self, void *ctx);

typedef enum gclab_finalizer_kind {
    /* PEP 442 (__del__): run at most once per object, by refcounting or
     * by the collector; cycles containing it are still collected. */
    GCLAB_FINALIZER_PEP442,
    /* Legacy tp_del: the collector will not guess an order, so an
     * unreachable cycle holding one is uncollectable and goes to the
     * garbage list (gc.garbage). Refcounting still runs it at refcount 0. */
    GCLAB_FINALIZER_LEGACY
} gclab_finalizer_kind;

void gclab_instance_set_finalizer(gclab_heap *h, gclab_object *inst, gclab_finalizer fn,
                                  void *ctx, gclab_finalizer_kind kind);

/* Is this container tracked by the collector now (gc.is_tracked)? */
int gclab_is_tracked(const gclab_object *o);
/* Has its PEP 442 finalizer already run (gc.is_finalized)? */
int gclab_is_finalized(const gclab_object *o);

#ifdef __cplusplus
}
#endif
#endif
