/*
 * runtime/dict.c -- dict: an open-addressing hash table (linear probing,
 * power-of-two size, at most 2/3 full counting deleted slots).
 *
 * Keys hash and compare by value when they are atoms or tuples of such
 * (so a million distinct tuple keys behave as in CPython), by identity
 * otherwise.  Like CPython, a dict starts untracked and is tracked as soon as
 * a key or value that may be tracked is stored (MAINTAIN_TRACKING); a full
 * collection may untrack it again (gclab__dict_untrackable).
 */
#include "heap.h"
#include "objects.h"

#include <stdlib.h>
#include <string.h>

typedef struct dict_entry {
    uint64_t hash;
    gclab_object *key; /* NULL: never used; &deleted: removed */
    gclab_object *value;
} dict_entry;

typedef struct dict_object {
    gclab_object ob;
    size_t len;  /* live entries */
    size_t used; /* live + deleted slots, and DICT_ANYKEYS */
    size_t mask; /* slots - 1, or 0 with no table */
    dict_entry *table;
} dict_object;

static gclab_object deleted_key; /* marks a removed slot */
#define DELETED (&deleted_key)

/* The top bit of `used`: the table has held a key that is not a str since
 * it was made (CPython 3.11+'s DICT_KEYS_GENERAL, whose entries are bigger
 * than an all-str table's).  Only the byte accounting reads it. */
#define DICT_ANYKEYS ((size_t)1 << (sizeof(size_t) * CHAR_BIT - 1))
static inline size_t dict_used(const dict_object *d) { return d->used & ~DICT_ANYKEYS; }

size_t gclab__dict_own_object_size(void) { return sizeof(dict_object); }

/* What a table of `slots` counts: gclab's own entries, or under a profile
 * CPython's keys object (header, an index of 1/2/4/8-byte slots, and
 * entries for the 2/3 of the slots that are usable). */
static size_t dict_table_acct(const gclab_heap *h, size_t slots, int anykeys)
{
    const gclab_size_model *m = &h->sizes;
    if (!m->dict_keys_head)
        return slots * sizeof(dict_entry);
    const size_t ix = slots < 256 ? 1 : slots < 65536 ? 2 : slots < ((size_t)1 << 32) ? 4 : 8;
    const size_t entry = anykeys || !m->dict_entry_unicode ? m->dict_entry : m->dict_entry_unicode;
    return m->dict_keys_head + slots * ix + slots * 2 / 3 * entry;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t hash_object(const gclab_object *o)
{
    switch (o->type->kind) {
    case GCLAB_KIND_INT:
        return mix64((uint64_t)gclab_int_value(o));
    case GCLAB_KIND_STR:
    case GCLAB_KIND_BYTES: {
        const unsigned char *p = (const unsigned char *)gclab_atom_data(o);
        size_t n = gclab_atom_size(o);
        uint64_t x = 0xcbf29ce484222325ULL; /* FNV-1a */
        for (size_t i = 0; i < n; i++)
            x = (x ^ p[i]) * 0x100000001b3ULL;
        return mix64(x);
    }
    case GCLAB_KIND_TUPLE: {
        uint64_t x = 0x27d4eb2f165667c5ULL ^ gclab_tuple_len(o);
        for (size_t i = 0; i < gclab_tuple_len(o); i++)
            x = mix64(x ^ hash_object(gclab_tuple_get(o, i)));
        return x;
    }
    default:
        return mix64((uint64_t)(uintptr_t)o);
    }
}

static int equal_objects(const gclab_object *a, const gclab_object *b)
{
    if (a == b)
        return 1;
    if (a->type != b->type)
        return 0;
    switch (a->type->kind) {
    case GCLAB_KIND_INT:
        return gclab_int_value(a) == gclab_int_value(b);
    case GCLAB_KIND_STR:
    case GCLAB_KIND_BYTES:
        return gclab_atom_size(a) == gclab_atom_size(b) &&
               memcmp(gclab_atom_data(a), gclab_atom_data(b), gclab_atom_size(a)) == 0;
    case GCLAB_KIND_TUPLE:
        if (gclab_tuple_len(a) != gclab_tuple_len(b))
            return 0;
        for (size_t i = 0; i < gclab_tuple_len(a); i++)
            if (!equal_objects(gclab_tuple_get(a, i), gclab_tuple_get(b, i)))
                return 0;
        return 1;
    default:
        return 0;
    }
}

/* The slot holding key, or the slot where it would go (first deleted seen, else empty). */
static dict_entry *lookup(const dict_object *d, const gclab_object *key, uint64_t hash)
{
    dict_entry *free_slot = NULL;
    for (size_t i = hash & d->mask;; i = (i + 1) & d->mask) {
        dict_entry *e = &d->table[i];
        if (e->key == NULL)
            return free_slot ? free_slot : e;
        if (e->key == DELETED) {
            if (!free_slot)
                free_slot = e;
        } else if (e->hash == hash && equal_objects(e->key, key)) {
            return e;
        }
    }
}

/* gclab's own table size for min_live entries: at most 2/3 full. */
static size_t own_slots(size_t min_live)
{
    size_t slots = 8;
    while (slots * 2 < min_live * 3)
        slots *= 2;
    return slots;
}

/* CPython's table size when it resizes a dict of `len` entries
 * (insertion_resize: GROWTH_RATE, len * 3): the smallest power of two at
 * least that, and at least 8; 3.10+'s calculate_log2_keysize gives 16 for
 * 1..7 (sizes.def's keysize_16). */
static size_t cpython_slots(const gclab_heap *h, size_t len)
{
    const size_t minsize = 3 * len;
    if (h->sizes.dict_keysize_16 && minsize > 0 && minsize < 8)
        return 16;
    size_t slots = 8;
    while (slots < minsize)
        slots *= 2;
    return slots;
}

/* A new table of `slots` slots; `anykeys` is whether it will hold a key
 * that is not a str. */
static void resize(gclab_heap *h, dict_object *d, size_t slots, int anykeys)
{
    const size_t old_acct = d->table ? dict_table_acct(h, d->mask + 1, (d->used & DICT_ANYKEYS) != 0) : 0;
    dict_entry *old = d->table;
    size_t old_slots = old ? d->mask + 1 : 0;
    d->table = calloc(slots, sizeof(dict_entry));
    if (!d->table)
        gclab__oom(slots * sizeof(dict_entry));
    d->mask = slots - 1;
    d->used = d->len | (anykeys ? DICT_ANYKEYS : 0);
    for (size_t i = 0; i < old_slots; i++) {
        if (old[i].key && old[i].key != DELETED) {
            size_t j = old[i].hash & d->mask;
            while (d->table[j].key)
                j = (j + 1) & d->mask;
            d->table[j] = old[i];
        }
    }
    free(old);
    gclab__account_bytes(h, GCLAB_KIND_DICT, (long long)dict_table_acct(h, slots, anykeys) - (long long)old_acct);
}

static int dict_traverse(gclab_object *o, gclab_visitproc visit, void *arg)
{
    dict_object *d = (dict_object *)o;
    if (!d->table)
        return 0;
    for (size_t i = 0; i <= d->mask; i++) {
        dict_entry *e = &d->table[i];
        if (e->key && e->key != DELETED) {
            int r = visit(e->key, arg);
            if (!r)
                r = visit(e->value, arg);
            if (r)
                return r;
        }
    }
    return 0;
}

/* Empty the dict first, then release: code run by a release sees it empty. */
static void dict_release(gclab_heap *h, dict_object *d)
{
    dict_entry *table = d->table;
    if (!table)
        return;
    size_t slots = d->mask + 1;
    const size_t acct = dict_table_acct(h, slots, (d->used & DICT_ANYKEYS) != 0);
    d->table = NULL;
    d->len = d->used = d->mask = 0;
    for (size_t i = 0; i < slots; i++) {
        if (table[i].key && table[i].key != DELETED) {
            gclab_decref(h, table[i].key);
            gclab_decref(h, table[i].value);
        }
    }
    free(table);
    gclab__account_bytes(h, GCLAB_KIND_DICT, -(long long)acct);
}

static void dict_clear(gclab_heap *h, gclab_object *o) { dict_release(h, (dict_object *)o); }

static void dict_dealloc(gclab_heap *h, gclab_object *o)
{
    gclab__untrack(o);
    dict_release(h, (dict_object *)o);
    gclab__free_container(h, o, GCLAB_KIND_DICT, sizeof(dict_object), GCLAB_FL_DICT, h->sizes.base[GCLAB_KIND_DICT]);
}

const gclab_type gclab__dict_type = {"dict",        GCLAB_KIND_DICT, GCLAB_TYPE_CONTAINER,
                                     dict_traverse, dict_clear,      dict_dealloc};

gclab_object *gclab_new_dict(gclab_heap *h)
{
    dict_object *d = (dict_object *)gclab__alloc_container(h, &gclab__dict_type, sizeof(dict_object), GCLAB_FL_DICT,
                                                           h->sizes.base[GCLAB_KIND_DICT]);
    d->len = d->used = d->mask = 0;
    d->table = NULL;
    return &d->ob; /* untracked until it holds something that may be tracked */
}

void gclab_dict_setitem(gclab_heap *h, gclab_object *o, gclab_object *key, gclab_object *value)
{
    dict_object *d = (dict_object *)o;
    assert(o->type == &gclab__dict_type && key && value);
    if (!gc_is_tracked(AS_GC(o)) && (gclab__may_be_tracked(key) || gclab__may_be_tracked(value)))
        gclab__track(h, o);
    const int anykey = key->type->kind != GCLAB_KIND_STR;
    /* Under a profile the table's size follows CPython's keys object, whose
     * entries are appended and never reused: `used` counts every new key
     * since the last resize (dk_nentries), and replacing a value never
     * resizes, so look for the key first. */
    const int cpython = h->sizes.dict_keys_head != 0;
    const uint64_t hash = hash_object(key);
    dict_entry *e = cpython && d->len ? lookup(d, key, hash) : NULL;
    if (!e || !e->key || e->key == DELETED) { /* a new key (or, by gclab's own rule, not looked for yet) */
        if (!d->table) {
            resize(h, d, 8, anykey); /* the first key decides the table's kind */
        } else if (anykey && !(d->used & DICT_ANYKEYS) && h->sizes.dict_entry_unicode) {
            /* CPython 3.11+: a key that is not a str turns an all-str table
             * into a general one, resized as a growth is (insertion_resize) */
            resize(h, d, cpython_slots(h, d->len), 1);
        } else if ((dict_used(d) + 1) * 3 > (d->mask + 1) * 2) { /* full: 2/3 of the slots used */
            resize(h, d, cpython ? cpython_slots(h, d->len) : own_slots(d->len + 1),
                   anykey || (d->used & DICT_ANYKEYS));
        } else if (anykey) {
            d->used |= DICT_ANYKEYS;
        }
        e = lookup(d, key, hash);
    }
    if (e->key && e->key != DELETED) { /* replace the value, keep the key */
        gclab_object *old = e->value;
        e->value = gclab_incref(value);
        gclab_decref(h, old);
        return;
    }
    if (!e->key || cpython)
        d->used++;
    d->len++;
    e->hash = hash;
    e->key = gclab_incref(key);
    e->value = gclab_incref(value);
}

gclab_object *gclab_dict_getitem(const gclab_object *o, const gclab_object *key)
{
    const dict_object *d = (const dict_object *)o;
    assert(o->type == &gclab__dict_type);
    if (!d->len)
        return NULL;
    dict_entry *e = lookup(d, key, hash_object(key));
    return e->key && e->key != DELETED ? e->value : NULL;
}

int gclab_dict_delitem(gclab_heap *h, gclab_object *o, const gclab_object *key)
{
    dict_object *d = (dict_object *)o;
    assert(o->type == &gclab__dict_type);
    if (!d->len)
        return -1;
    dict_entry *e = lookup(d, key, hash_object(key));
    if (!e->key || e->key == DELETED)
        return -1;
    gclab_object *k = e->key, *v = e->value;
    e->key = DELETED;
    e->value = NULL;
    d->len--;
    gclab_decref(h, k);
    gclab_decref(h, v);
    return 0;
}

size_t gclab_dict_len(const gclab_object *o)
{
    assert(o->type == &gclab__dict_type);
    return ((const dict_object *)o)->len;
}

int gclab_dict_next(const gclab_object *o, size_t *pos, gclab_object **key, gclab_object **value)
{
    const dict_object *d = (const dict_object *)o;
    assert(o->type == &gclab__dict_type);
    if (!d->table)
        return 0;
    for (size_t i = *pos; i <= d->mask; i++) {
        dict_entry *e = &d->table[i];
        if (e->key && e->key != DELETED) {
            *pos = i + 1;
            if (key)
                *key = e->key;
            if (value)
                *value = e->value;
            return 1;
        }
    }
    *pos = d->mask + 1;
    return 0;
}

void gclab_dict_clear(gclab_heap *h, gclab_object *o)
{
    assert(o->type == &gclab__dict_type);
    dict_release(h, (dict_object *)o);
}

int gclab__dict_untrackable(const gclab_object *o)
{
    const dict_object *d = (const dict_object *)o;
    for (size_t i = 0; d->table && i <= d->mask; i++) {
        dict_entry *e = &d->table[i];
        if (e->key && e->key != DELETED &&
            (gclab__may_be_tracked(e->key) || gclab__may_be_tracked(e->value)))
            return 0;
    }
    return 1;
}
