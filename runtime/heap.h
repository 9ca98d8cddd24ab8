/*
 * runtime/heap.h -- allocation, freeing and accounting for the object files.
 *
 * These are on every allocation and free, so they are inline and keep only
 * state that cannot be derived: per kind, objects allocated and freed and
 * live bytes.  Everything else is computed on read.
 */
#ifndef GCLAB_RUNTIME_HEAP_H
#define GCLAB_RUNTIME_HEAP_H

#include "internal.h"

#include <stdlib.h>
#ifdef GCLAB_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

/* Free a block whose size we know: jemalloc's sized free skips the lookup
 * of the block's size class.  The allocator is chosen here and nowhere else. */
static inline void gclab__free_sized(void *p, size_t size)
{
#ifdef GCLAB_WITH_JEMALLOC
    sdallocx(p, size, 0);
#else
    (void)size;
    free(p);
#endif
}

void *gclab__realloc(void *p, size_t size); /* aborts on failure */

/* head + n * elem bytes.  A size past SIZE_MAX cannot be allocated:
 * running out of memory, not a wrapped-around small block. */
static inline size_t gclab__size(size_t head, size_t n, size_t elem)
{
    if (__builtin_expect(elem != 0 && n > (SIZE_MAX - head) / elem, 0))
        gclab__oom(SIZE_MAX);
    return head + n * elem;
}

static inline void *gclab__malloc(size_t size) /* aborts on failure */
{
    void *p = malloc(size);
    if (__builtin_expect(p == NULL, 0))
        gclab__oom(size);
    return p;
}
void gclab__trigger(gclab_heap *h);         /* gc_count passed gc_trigger: a safe point */

static inline void gclab__account_bytes(gclab_heap *h, gclab_kind k, long long delta)
{
    h->live_bytes[k] += (size_t)delta;
}

/* What an object of kind k with n items counts in live_bytes
 * (gclab_size_model): gclab's own size, or a profile's sys.getsizeof. */
static inline size_t gclab__acct(const gclab_heap *h, gclab_kind k, size_t n)
{
    return h->sizes.base[k] + h->sizes.item[k] * n;
}

/* A new atom with refcount 1; `size` is all its bytes, `acct` what it
 * counts (gclab__acct). */
static inline gclab_object *gclab__alloc_atom(gclab_heap *h, const gclab_type *type, size_t size, size_t acct)
{
    /* A safe point too, so a workload of atoms alone still hears interrupts. */
    if (atomic_load_explicit(&h->interrupt_pending, memory_order_relaxed))
        gclab__trigger(h);
    gclab_object *o = gclab__malloc(size);
    o->refcnt = 1;
    o->type = type;
    h->allocated[type->kind]++;
    h->live_bytes[type->kind] += acct;
    return o;
}

/* One container allocation, as CPython counts it: taken from free list `fl`
 * if that is non-empty (no count, no trigger), else ++gc_count, which may
 * start a collection.  Either way it is a safe point: an allocation served
 * by a free list still runs pending interrupts (a scheduled collection, a
 * timer's), as an atom's allocation does; otherwise a program that churns
 * dicts or lists in steady state, each one popped from the list its
 * predecessor was pushed to, would never reach one. */
static inline void gclab__count_alloc(gclab_heap *h, int fl)
{
    if (h->freelist_len[fl]) {
        h->freelist_len[fl]--;
        if (atomic_load_explicit(&h->interrupt_pending, memory_order_relaxed))
            gclab__trigger(h);
    } else if (++h->gc_count > atomic_load_explicit(&h->gc_trigger, memory_order_relaxed)) {
        gclab__trigger(h);
    }
}

/* One container free: pushed to free list `fl` if it has room, else
 * gc_count-- while positive (CPython's PyObject_GC_Del). */
static inline void gclab__count_free(gclab_heap *h, int fl)
{
    if (h->freelist_len[fl] < h->freelist_cap[fl])
        h->freelist_len[fl]++;
    else if (h->gc_count > 0)
        h->gc_count--;
}

/* A new container with refcount 1 and an untracked GC header in front;
 * `size` is the object's bytes without the header, `fl` its free list
 * (GCLAB_FL_NONE: none), `acct` what it counts, header included.  It counts toward the collector's trigger first,
 * so a collection it starts never sees the new object half-built (as
 * CPython 3.11's _PyObject_GC_Link). */
static inline gclab_object *gclab__alloc_container(gclab_heap *h, const gclab_type *type, size_t size, int fl,
                                                   size_t acct)
{
    gclab__count_alloc(h, fl);
    gc_head *g = gclab__malloc(gclab__size(sizeof(gc_head), size, 1));
    g->next = 0;
    g->prev = 0;
    gclab_object *o = FROM_GC(g);
    o->refcnt = 1;
    o->type = type;
    h->allocated[type->kind]++;
    h->live_bytes[type->kind] += acct;
    return o;
}

/* Free an object whose references are already released; `size` as allocated
 * (without the GC header for containers), `acct` as counted at allocation. */
static inline void gclab__free_atom(gclab_heap *h, gclab_object *o, gclab_kind kind, size_t size, size_t acct)
{
    if (h->on_free)
        h->on_free(h, o, h->on_free_arg);
    h->freed[kind]++;
    h->live_bytes[kind] -= acct;
    gclab__free_sized(o, size);
}

static inline void gclab__free_container(gclab_heap *h, gclab_object *o, gclab_kind kind, size_t size, int fl,
                                         size_t acct)
{
    assert(!gc_is_tracked(AS_GC(o)));
    if (h->on_free)
        h->on_free(h, o, h->on_free_arg);
    gclab__count_free(h, fl);
    h->freed[kind]++;
    h->live_bytes[kind] -= acct;
    gclab__free_sized(AS_GC(o), sizeof(gc_head) + size);
}

#endif
