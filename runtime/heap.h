/*
 * runtime/heap.h -- allocation and accounting helpers for the object files.
 */
#ifndef GCLAB_RUNTIME_HEAP_H
#define GCLAB_RUNTIME_HEAP_H

#include "internal.h"

void *gclab__malloc(size_t size);           /* aborts on failure */
void *gclab__realloc(void *p, size_t size); /* aborts on failure */

/* A new object with refcount 1 and the given type; `size` is the object's
 * own bytes.  Containers get a zeroed, untracked GC header in front and are
 * counted toward the collector's trigger (which may collect first). */
gclab_object *gclab__alloc_atom(gclab_heap *h, const gclab_type *type, size_t size);
gclab_object *gclab__alloc_container(gclab_heap *h, const gclab_type *type, size_t size);
/* Free an object whose references are already released; `size` as allocated. */
void gclab__free_object(gclab_heap *h, gclab_object *o, size_t size);

static inline void gclab__account_bytes(gclab_heap *h, gclab_kind k, long long delta)
{
    h->by_kind[k].bytes += (size_t)delta;
    h->live.bytes += (size_t)delta;
    if (h->live.bytes > h->peak.bytes)
        h->peak.bytes = h->live.bytes;
}

static inline void gclab__account_new(gclab_heap *h, gclab_kind k, size_t size)
{
    h->by_kind[k].objects++;
    h->allocations++;
    if (++h->live.objects > h->peak.objects)
        h->peak.objects = h->live.objects;
    gclab__account_bytes(h, k, (long long)size);
}

static inline void gclab__account_free(gclab_heap *h, gclab_kind k, size_t size)
{
    h->by_kind[k].objects--;
    h->live.objects--;
    h->frees++;
    h->by_kind[k].bytes -= size;
    h->live.bytes -= size;
}

#endif
