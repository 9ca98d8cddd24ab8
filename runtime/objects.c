/*
 * runtime/objects.c -- the built-in types: int, str, bytes (atoms), tuple,
 * list and instance (containers).  dict lives in dict.c.
 *
 * Each container type gives traverse / clear / dealloc as CPython's
 * tp_traverse / tp_clear / tp_dealloc do.  Deallocation untracks first, so a
 * collector never meets a half-freed object, then releases the references,
 * then the memory.
 */
#include "heap.h"
#include "objects.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Atoms */

typedef struct int_object {
    gclab_object ob;
    int64_t value;
} int_object;

typedef struct bytes_object {
    gclab_object ob;
    size_t len;
    char data[];
} bytes_object;

/* What an int counts: its 30-bit digits, as CPython stores it. */
static size_t int_acct(const gclab_heap *h, int64_t v)
{
    const uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    const size_t bits = u ? 64 - (size_t)__builtin_clzll(u) : 0;
    size_t digits = (bits + 29) / 30;
    if (digits < h->sizes.int_min_digits)
        digits = h->sizes.int_min_digits;
    return gclab__acct(h, GCLAB_KIND_INT, digits);
}

static void int_dealloc(gclab_heap *h, gclab_object *o)
{
    gclab__free_atom(h, o, GCLAB_KIND_INT, sizeof(int_object), int_acct(h, ((int_object *)o)->value));
}

static void bytes_dealloc(gclab_heap *h, gclab_object *o)
{
    gclab_kind k = o->type->kind;
    size_t extra = k == GCLAB_KIND_STR; /* the NUL */
    size_t len = ((bytes_object *)o)->len;
    gclab__free_atom(h, o, k, sizeof(bytes_object) + len + extra, gclab__acct(h, k, len));
}

const gclab_type gclab__int_type = {"int", GCLAB_KIND_INT, 0, NULL, NULL, int_dealloc};
const gclab_type gclab__str_type = {"str", GCLAB_KIND_STR, 0, NULL, NULL, bytes_dealloc};
const gclab_type gclab__bytes_type = {"bytes", GCLAB_KIND_BYTES, 0, NULL, NULL, bytes_dealloc};

gclab_object *gclab_new_int(gclab_heap *h, int64_t value)
{
    int_object *o = (int_object *)gclab__alloc_atom(h, &gclab__int_type, sizeof(int_object), int_acct(h, value));
    o->value = value;
    return &o->ob;
}

static gclab_object *new_payload(gclab_heap *h, const gclab_type *type, const void *data,
                                 size_t len, size_t extra)
{
    bytes_object *o = (bytes_object *)gclab__alloc_atom(h, type, gclab__size(sizeof(bytes_object) + extra, len, 1),
                                                        gclab__acct(h, type->kind, len));
    o->len = len;
    if (data)
        memcpy(o->data, data, len);
    else
        memset(o->data, 0, len);
    if (extra)
        o->data[len] = '\0';
    return &o->ob;
}

gclab_object *gclab_new_str(gclab_heap *h, const char *text, size_t len)
{
    return new_payload(h, &gclab__str_type, text, len, 1);
}

gclab_object *gclab_new_bytes(gclab_heap *h, const void *data, size_t len)
{
    return new_payload(h, &gclab__bytes_type, data, len, 0);
}

int64_t gclab_int_value(const gclab_object *o)
{
    assert(o->type == &gclab__int_type);
    return ((const int_object *)o)->value;
}

size_t gclab_atom_size(const gclab_object *o)
{
    assert(o->type == &gclab__str_type || o->type == &gclab__bytes_type);
    return ((const bytes_object *)o)->len;
}

const char *gclab_atom_data(const gclab_object *o)
{
    assert(o->type == &gclab__str_type || o->type == &gclab__bytes_type);
    return ((const bytes_object *)o)->data;
}

/* ------------------------------------------------------------------ */
/* tuple */

typedef struct tuple_object {
    gclab_object ob;
    size_t len;
    gclab_object *items[];
} tuple_object;

static int tuple_traverse(gclab_object *o, gclab_visitproc visit, void *arg)
{
    tuple_object *t = (tuple_object *)o;
    for (size_t i = 0; i < t->len; i++) {
        int r = visit(t->items[i], arg);
        if (r)
            return r;
    }
    return 0;
}

static void tuple_dealloc(gclab_heap *h, gclab_object *o)
{
    tuple_object *t = (tuple_object *)o;
    gclab__untrack(o);
    for (size_t i = 0; i < t->len; i++)
        gclab_decref(h, t->items[i]);
    gclab__free_container(h, o, GCLAB_KIND_TUPLE, sizeof(tuple_object) + t->len * sizeof(gclab_object *),
                          gclab__tuple_freelist(t->len), gclab__acct(h, GCLAB_KIND_TUPLE, t->len));
}

const gclab_type gclab__tuple_type = {"tuple",        GCLAB_KIND_TUPLE, GCLAB_TYPE_CONTAINER,
                                      tuple_traverse, NULL,             tuple_dealloc};

gclab_object *gclab_new_tuple(gclab_heap *h, size_t n, gclab_object *const *items)
{
    const int fl = gclab__tuple_freelist(n);
    tuple_object *t = (tuple_object *)gclab__alloc_container(
        h, &gclab__tuple_type, gclab__size(sizeof(tuple_object), n, sizeof(gclab_object *)), fl,
        gclab__acct(h, GCLAB_KIND_TUPLE, n));
    t->len = n;
    for (size_t i = 0; i < n; i++) {
        assert(items[i] != NULL);
        t->items[i] = gclab_incref(items[i]);
    }
    if (fl != GCLAB_FL_EMPTY_TUPLE || !h->freelist_cap[fl]) /* the () singleton is never tracked */
        gclab__track(h, &t->ob); /* like PyTuple_New: untracked later by the GC if it can be */
    return &t->ob;
}

size_t gclab_tuple_len(const gclab_object *o)
{
    assert(o->type == &gclab__tuple_type);
    return ((const tuple_object *)o)->len;
}

gclab_object *gclab_tuple_get(const gclab_object *o, size_t i)
{
    const tuple_object *t = (const tuple_object *)o;
    assert(o->type == &gclab__tuple_type);
    return i < t->len ? t->items[i] : NULL;
}

int gclab__tuple_untrackable(const gclab_object *o)
{
    const tuple_object *t = (const tuple_object *)o;
    for (size_t i = 0; i < t->len; i++)
        if (gclab__may_be_tracked(t->items[i]))
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ */
/* list */

typedef struct list_object {
    gclab_object ob;
    size_t len, cap;
    gclab_object **items;
} list_object;

static int list_traverse(gclab_object *o, gclab_visitproc visit, void *arg)
{
    list_object *l = (list_object *)o;
    for (size_t i = 0; i < l->len; i++) {
        int r = visit(l->items[i], arg);
        if (r)
            return r;
    }
    return 0;
}

/* Empty the list first, then release: code run by a release sees an empty list. */
static void list_release(gclab_heap *h, list_object *l)
{
    gclab_object **items = l->items;
    if (!items)
        return;
    size_t len = l->len, cap = l->cap;
    l->items = NULL;
    l->len = l->cap = 0;
    for (size_t i = 0; i < len; i++)
        gclab_decref(h, items[i]);
    gclab__free_sized(items, cap * sizeof(gclab_object *));
    gclab__account_bytes(h, GCLAB_KIND_LIST, -(long long)(cap * h->sizes.item[GCLAB_KIND_LIST]));
}

static void list_clear(gclab_heap *h, gclab_object *o) { list_release(h, (list_object *)o); }

static void list_dealloc(gclab_heap *h, gclab_object *o)
{
    gclab__untrack(o);
    if (((list_object *)o)->items)
        list_release(h, (list_object *)o);
    gclab__free_container(h, o, GCLAB_KIND_LIST, sizeof(list_object), GCLAB_FL_LIST, h->sizes.base[GCLAB_KIND_LIST]);
}

const gclab_type gclab__list_type = {"list",        GCLAB_KIND_LIST, GCLAB_TYPE_CONTAINER,
                                     list_traverse, list_clear,      list_dealloc};

gclab_object *gclab_new_list(gclab_heap *h)
{
    list_object *l = (list_object *)gclab__alloc_container(h, &gclab__list_type, sizeof(list_object), GCLAB_FL_LIST,
                                                           h->sizes.base[GCLAB_KIND_LIST]);
    l->len = l->cap = 0;
    l->items = NULL;
    gclab__track(h, &l->ob);
    return &l->ob;
}

gclab_object *gclab_new_list_from(gclab_heap *h, size_t n, gclab_object *const *items)
{
    gclab_object *o = gclab_new_list(h);
    list_object *l = (list_object *)o;
    if (n) {
        l->items = gclab__malloc(gclab__size(0, n, sizeof(gclab_object *)));
        gclab__account_bytes(h, GCLAB_KIND_LIST, (long long)(n * h->sizes.item[GCLAB_KIND_LIST]));
        for (size_t i = 0; i < n; i++) {
            assert(items[i] != NULL);
            l->items[i] = gclab_incref(items[i]);
        }
        l->len = l->cap = n;
    }
    return o;
}

/* The capacity for `newsize` items: over-allocated by about 1/8, as
 * CPython's list_resize (3.9+; 3.8's under its profile). */
static size_t list_capacity(const gclab_heap *h, size_t newsize)
{
    if (h->sizes.list_growth_38)
        return newsize + (newsize >> 3) + (newsize < 9 ? 3 : 6);
    return (newsize + (newsize >> 3) + 6) & ~(size_t)3;
}

static void list_set_capacity(gclab_heap *h, list_object *l, size_t cap)
{
    if (cap) {
        l->items = gclab__realloc(l->items, gclab__size(0, cap, sizeof(gclab_object *)));
    } else {
        gclab__free_sized(l->items, l->cap * sizeof(gclab_object *));
        l->items = NULL;
    }
    gclab__account_bytes(h, GCLAB_KIND_LIST,
                         ((long long)cap - (long long)l->cap) * (long long)h->sizes.item[GCLAB_KIND_LIST]);
    l->cap = cap;
}

void gclab_list_append(gclab_heap *h, gclab_object *o, gclab_object *item)
{
    list_object *l = (list_object *)o;
    assert(o->type == &gclab__list_type && item != NULL);
    if (l->len == l->cap)
        list_set_capacity(h, l, list_capacity(h, l->len + 1));
    l->items[l->len++] = gclab_incref(item);
}

size_t gclab_list_len(const gclab_object *o)
{
    assert(o->type == &gclab__list_type);
    return ((const list_object *)o)->len;
}

gclab_object *gclab_list_get(const gclab_object *o, size_t i)
{
    const list_object *l = (const list_object *)o;
    assert(o->type == &gclab__list_type);
    return i < l->len ? l->items[i] : NULL;
}

int gclab_list_set(gclab_heap *h, gclab_object *o, size_t i, gclab_object *item)
{
    list_object *l = (list_object *)o;
    assert(o->type == &gclab__list_type && item != NULL);
    if (i >= l->len)
        return -1;
    gclab_object *old = l->items[i];
    l->items[i] = gclab_incref(item);
    gclab_decref(h, old);
    return 0;
}

int gclab_list_swap_remove(gclab_heap *h, gclab_object *o, size_t i)
{
    list_object *l = (list_object *)o;
    assert(o->type == &gclab__list_type);
    if (i >= l->len)
        return -1;
    gclab_object *old = l->items[i];
    l->items[i] = l->items[--l->len];
    /* Under a profile, as pop(): below half the capacity, shrink to what
     * the growth rule gives for the new length (0 for an empty list). */
    if (h->sizes.list_shrink && l->len < l->cap >> 1)
        list_set_capacity(h, l, l->len ? list_capacity(h, l->len) : 0);
    gclab_decref(h, old);
    return 0;
}

void gclab_list_clear(gclab_heap *h, gclab_object *o)
{
    assert(o->type == &gclab__list_type);
    list_release(h, (list_object *)o);
}

/* ------------------------------------------------------------------ */
/* instance */

static int instance_traverse(gclab_object *o, gclab_visitproc visit, void *arg)
{
    instance_object *in = (instance_object *)o;
    for (size_t i = 0; i < in->nattrs; i++) {
        if (in->attrs[i]) {
            int r = visit(in->attrs[i], arg);
            if (r)
                return r;
        }
    }
    return 0;
}

static void instance_clear(gclab_heap *h, gclab_object *o)
{
    instance_object *in = (instance_object *)o;
    for (size_t i = 0; i < in->nattrs; i++) {
        gclab_object *v = in->attrs[i];
        in->attrs[i] = NULL;
        gclab_xdecref(h, v);
    }
}

void gclab__finalize(gclab_heap *h, gclab_object *o)
{
    gc_head *g = AS_GC(o);
    if (!has_finalizer(o, GCLAB_FINALIZER_PEP442) || (g->prev & GC_FINALIZED))
        return;
    g->prev |= GC_FINALIZED;
    instance_object *in = (instance_object *)o;
    in->finalizer(h, o, in->finalizer_ctx);
}

long gclab__finalize_each(gclab_heap *h, gc_list *from, gc_list *seen)
{
    long ran = 0;
    while (!gc_list_is_empty(from)) {
        gc_head *g = gc_list_first(from);
        gclab_object *o = FROM_GC(g);
        gc_list_move(g, seen);
        if (has_finalizer(o, GCLAB_FINALIZER_PEP442) && !(g->prev & GC_FINALIZED)) {
            gclab_incref(o); /* alive while its finalizer runs */
            gclab__finalize(h, o);
            gclab_decref(h, o);
            ran++;
        }
    }
    return ran;
}

void gclab__legacy_finalize(gclab_heap *h, gclab_object *o)
{
    if (has_finalizer(o, GCLAB_FINALIZER_LEGACY)) {
        instance_object *in = (instance_object *)o;
        in->finalizer(h, o, in->finalizer_ctx);
    }
}

/* What the __dict__ of an instance with `nattrs` slots counts (CPython <=
 * 3.10, heap.instance_dict): a split-table dict whose values array has the
 * usable slots (2/3) of the smallest shared-keys table, 8 slots or more,
 * that holds them all. */
static size_t instance_dict_acct(const gclab_heap *h, size_t nattrs)
{
    if (!h->sizes.instance_dict_base)
        return 0;
    size_t slots = 8;
    while (slots * 2 / 3 < nattrs)
        slots *= 2;
    return h->sizes.instance_dict_base + slots * 2 / 3 * sizeof(gclab_object *);
}

static void instance_dealloc(gclab_heap *h, gclab_object *o)
{
    instance_object *in = (instance_object *)o;
    if (in->finalizer && !h->shutting_down) {
        /* PEP 442: run the finalizer with the object alive; if it stored a
         * new reference somewhere, the object is resurrected and stays.  So
         * it does if the finalizer froze the heap with immortal=true: the
         * object is still tracked, so it is immortal now (freed at teardown). */
        o->refcnt = 1;
        if (in->finalizer_kind == GCLAB_FINALIZER_LEGACY)
            gclab__legacy_finalize(h, o);
        else
            gclab__finalize(h, o);
        if (gclab_is_immortal(o) || --o->refcnt != 0) {
            if (!gc_is_tracked(AS_GC(o)))
                gclab__track(h, o); /* it may have been deferred to the trash */
            return;
        }
    }
    gclab__untrack(o);
    instance_clear(h, o);
    const int has_dict = in->has_dict;
    const size_t acct = gclab__acct(h, GCLAB_KIND_INSTANCE, in->nattrs) + (has_dict ? instance_dict_acct(h, in->nattrs) : 0);
    gclab__free_container(h, o, GCLAB_KIND_INSTANCE, sizeof(instance_object) + in->nattrs * sizeof(gclab_object *),
                          GCLAB_FL_NONE, acct);
    if (has_dict)
        gclab__count_free(h, GCLAB_FL_DICT); /* its __dict__ */
}

const gclab_type gclab__instance_type = {"instance",        GCLAB_KIND_INSTANCE,
                                         GCLAB_TYPE_CONTAINER, instance_traverse,
                                         instance_clear,    instance_dealloc};

gclab_object *gclab_new_instance(gclab_heap *h, size_t nattrs)
{
    instance_object *in = (instance_object *)gclab__alloc_container(
        h, &gclab__instance_type, gclab__size(sizeof(instance_object), nattrs, sizeof(gclab_object *)),
        GCLAB_FL_NONE, gclab__acct(h, GCLAB_KIND_INSTANCE, nattrs));
    in->finalizer = NULL;
    in->finalizer_ctx = NULL;
    in->finalizer_kind = GCLAB_FINALIZER_PEP442;
    in->nattrs = nattrs;
    memset(in->attrs, 0, nattrs * sizeof(gclab_object *));
    in->has_dict = 0;
    gclab__track(h, &in->ob);
    return &in->ob;
}

size_t gclab_instance_nattrs(const gclab_object *o)
{
    assert(o->type == &gclab__instance_type);
    return ((const instance_object *)o)->nattrs;
}

int gclab_setattr(gclab_heap *h, gclab_object *o, size_t i, gclab_object *value)
{
    instance_object *in = (instance_object *)o;
    assert(o->type == &gclab__instance_type);
    if (i >= in->nattrs)
        return -1;
    if (value && !in->has_dict && h->instance_dict) {
        /* CPython <= 3.10 makes the __dict__ at the first attribute set: one
         * more container allocation, from the dict free list if it can. */
        in->has_dict = 1;
        gclab__account_bytes(h, GCLAB_KIND_INSTANCE, (long long)instance_dict_acct(h, in->nattrs));
        gclab__count_alloc(h, GCLAB_FL_DICT);
    }
    gclab_object *old = in->attrs[i];
    in->attrs[i] = value ? gclab_incref(value) : NULL;
    gclab_xdecref(h, old);
    return 0;
}

void gclab_instance_getdict(gclab_heap *h, gclab_object *o)
{
    instance_object *in = (instance_object *)o;
    assert(o->type == &gclab__instance_type);
    if (in->has_dict || !h->getdict)
        return;
    in->has_dict = (unsigned char)h->getdict;
    gclab__account_bytes(h, GCLAB_KIND_INSTANCE, (long long)instance_dict_acct(h, in->nattrs));
    gclab__count_alloc(h, GCLAB_FL_DICT);
}

gclab_object *gclab_getattr(const gclab_object *o, size_t i)
{
    const instance_object *in = (const instance_object *)o;
    assert(o->type == &gclab__instance_type);
    return i < in->nattrs ? in->attrs[i] : NULL;
}

void gclab_instance_set_finalizer(gclab_heap *h, gclab_object *o, gclab_finalizer fn, void *ctx,
                                  gclab_finalizer_kind kind)
{
    (void)h;
    instance_object *in = (instance_object *)o;
    assert(o->type == &gclab__instance_type);
    in->finalizer = fn;
    in->finalizer_ctx = ctx;
    in->finalizer_kind = kind;
}

/* ------------------------------------------------------------------ */

int gclab_is_tracked(const gclab_object *o)
{
    return gclab_is_container(o) && gc_is_tracked(AS_GC(o));
}

int gclab_is_finalized(const gclab_object *o)
{
    return gclab_is_container(o) && (AS_GC(o)->prev & GC_FINALIZED) != 0;
}

/* ------------------------------------------------------------------ */

void gclab__sizes_own(gclab_size_model *m)
{
    *m = (gclab_size_model){0};
    m->base[GCLAB_KIND_INT] = sizeof(int_object);
    m->base[GCLAB_KIND_STR] = sizeof(bytes_object) + 1; /* the NUL */
    m->item[GCLAB_KIND_STR] = 1;
    m->base[GCLAB_KIND_BYTES] = sizeof(bytes_object);
    m->item[GCLAB_KIND_BYTES] = 1;
    m->base[GCLAB_KIND_TUPLE] = sizeof(gc_head) + sizeof(tuple_object);
    m->item[GCLAB_KIND_TUPLE] = sizeof(gclab_object *);
    m->base[GCLAB_KIND_LIST] = sizeof(gc_head) + sizeof(list_object);
    m->item[GCLAB_KIND_LIST] = sizeof(gclab_object *);
    m->base[GCLAB_KIND_DICT] = sizeof(gc_head) + gclab__dict_own_object_size();
    m->base[GCLAB_KIND_INSTANCE] = sizeof(gc_head) + sizeof(instance_object);
    m->item[GCLAB_KIND_INSTANCE] = sizeof(gclab_object *);
}

size_t gclab_own_size(gclab_kind k, size_t n)
{
    gclab_size_model m;
    gclab__sizes_own(&m);
    return k < GCLAB_NKINDS ? m.base[k] + m.item[k] * n : 0;
}
