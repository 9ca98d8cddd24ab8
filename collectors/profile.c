/*
 * collectors/profile.c -- the version profiles' table (profiles.def) and
 * what applies it: free lists by occupancy, the () singleton, the instance
 * layout, the start-up heap's setting.  The generational algorithm reads
 * the rest (freeze, the deferred trigger) from the row itself.
 */
#include "profile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const gen_profile gclab__profiles[GEN_NPROFILES] = {
#define GEN_PROFILE(name, t0, t1, t2, dfl, lfl, tfl, tmax, et, fa, idict, def, args, ra, gd, startup)               \
    {name, {t0, t1, t2}, dfl, lfl, tfl, tmax, et, fa, idict, def, args, ra, gd, startup},
#include "profiles.def"
#undef GEN_PROFILE
};

const char gclab__profile_choices[] = ""
#define GEN_PROFILE(name, ...) "|" name
#include "profiles.def"
#undef GEN_PROFILE
    ;

size_t gclab_profile_count(void) { return GEN_NPROFILES; }

const char *gclab_profile_name(size_t i) { return i < GEN_NPROFILES ? gclab__profiles[i].name : NULL; }

void gclab_profile_describe(size_t i, char *buf, size_t len)
{
    if (i >= GEN_NPROFILES) {
        snprintf(buf, len, "?");
        return;
    }
    const gen_profile *p = &gclab__profiles[i];
    if (p->dict_fl == 0 && strcmp(p->startup, "0") == 0) {
        snprintf(buf, len, "thresholds %ld,%ld,%ld; no free lists; () counts; freeze zeroes gen0's count; "
                           "no start-up heap; gclab's own object sizes: the rules alone",
                 p->thresholds[0], p->thresholds[1], p->thresholds[2]);
        return;
    }
    snprintf(buf, len,
             "thresholds %ld,%ld,%ld; free lists dict %lu, list %lu, tuple 1..%d x %lu; () singleton; "
             "freeze zeroes all counts; %s; %s trigger;%s%s start-up heap %s; object sizes as its sys.getsizeof",
             p->thresholds[0], p->thresholds[1], p->thresholds[2], p->dict_fl, p->list_fl, p->tuple_fl_max,
             p->tuple_fl, p->instance_dict ? "instance + __dict__" : "inline instance values",
             p->deferred ? "deferred" : "immediate", p->args_tuple ? " range(n), list(x)... build an argument tuple;" : "",
             p->revive_all ? " a resurrection keeps all the garbage;" : "", p->startup);
}

static int parse_long(const char *s, const char **end, long *out)
{
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (!isdigit((unsigned char)*s) || errno || v < 0)
        return -1;
    *out = v;
    *end = e;
    return 0;
}

/* Comma-separated numbers from s into v[0..max-1]; the count, or -1. */
static int parse_numbers(const char *s, const char **end, long *v, int max)
{
    int n = 0;
    for (;;) {
        const char *e;
        if (n == max || parse_long(s, &e, &v[n]) != 0)
            return -1;
        n++;
        if (*e != ',') {
            *end = e;
            return n;
        }
        s = e + 1;
    }
}

static int parse_heap(const char *text, gen_startup *out)
{
    long v[GCLAB_FL_MAX_TUPLE];
    const char *s;
    int n = parse_numbers(text, &s, v, 4);
    if (n != 1 && n != 4)
        return -1;
    memset(out, 0, sizeof *out);
    out->objects = v[0];
    for (int i = 1; i < n; i++)
        out->counts[i - 1] = v[i];
    int seen = 0; /* bit per part: each at most once */
    while (*s == ':') {
        static const char *const parts[] = {"dict=", "list=", "tuple="};
        int k = 0;
        while (k < 3 && strncmp(s + 1, parts[k], strlen(parts[k])) != 0)
            k++;
        if (k == 3 || (seen & (1 << k)))
            return -1;
        seen |= 1 << k;
        n = parse_numbers(s + 1 + strlen(parts[k]), &s, v, k == 2 ? GCLAB_FL_MAX_TUPLE : 1);
        if (n < 0)
            return -1;
        for (int i = 0; i < n; i++)
            *(k == 0 ? &out->dict_free : k == 1 ? &out->list_free : &out->tuple_free[i]) = (unsigned long)v[i];
    }
    return *s == '\0' ? 0 : -1;
}

int gclab__startup_parse(const char *text, const gen_profile *p, gen_startup *out, char *err, size_t errlen)
{
    static const char valid[] =
        "profile (the profile's measured heap), N (tracked objects; 0: none), N,C0,C1,C2 (with gc.get_count()), "
        "either followed by free-list occupancy :dict=D:list=L:tuple=T1,...,T20 (each part optional), "
        "or auto:PATH (the gclab command runs PATH)";
    if (strcmp(text, "profile") == 0)
        text = p->startup;
    if (strncmp(text, "auto:", 5) == 0) {
        snprintf(err, errlen, "startup=auto:PATH is resolved by the gclab command; through the library give "
                              "startup=N,C0,C1,C2:dict=D:list=L:tuple=T1,...");
        return -1;
    }
    if (parse_heap(text, out) != 0) {
        snprintf(err, errlen, "parameter 'startup' must be %s, got '%s'", valid, text);
        return -1;
    }
    if (out->objects > 100000000L) {
        snprintf(err, errlen, "startup: at most 100000000 start-up objects, got %ld", out->objects);
        return -1;
    }
    return 0;
}

typedef struct gen_sizes {
    const char *profile;
    size_t int_base, int_min_digits, str_base, bytes_base, tuple_base, list_base;
    int list_growth_38;
    size_t dict_base, keys_head, entry, entry_unicode;
    int keysize_16;
    size_t instance_base, instance_dict_base;
} gen_sizes;

static const gen_sizes sizes_table[] = {
#define GEN_SIZES(...) {__VA_ARGS__},
#include "sizes.def"
#undef GEN_SIZES
};

int gclab__profile_sizes(const char *profile, gclab_size_model *m)
{
    gclab__sizes_own(m);
    for (size_t i = 0; i < sizeof sizes_table / sizeof sizes_table[0]; i++) {
        const gen_sizes *r = &sizes_table[i];
        if (strcmp(r->profile, profile) != 0)
            continue;
        *m = (gclab_size_model){0};
        m->base[GCLAB_KIND_INT] = r->int_base;
        m->item[GCLAB_KIND_INT] = 4; /* a 30-bit digit */
        m->int_min_digits = r->int_min_digits;
        m->base[GCLAB_KIND_STR] = r->str_base;
        m->item[GCLAB_KIND_STR] = 1;
        m->base[GCLAB_KIND_BYTES] = r->bytes_base;
        m->item[GCLAB_KIND_BYTES] = 1;
        m->base[GCLAB_KIND_TUPLE] = r->tuple_base;
        m->item[GCLAB_KIND_TUPLE] = 8;
        m->base[GCLAB_KIND_LIST] = r->list_base;
        m->item[GCLAB_KIND_LIST] = 8;
        m->list_growth_38 = r->list_growth_38;
        m->list_shrink = 1;
        m->base[GCLAB_KIND_DICT] = r->dict_base;
        m->dict_keys_head = r->keys_head;
        m->dict_entry = r->entry;
        m->dict_entry_unicode = r->entry_unicode;
        m->dict_keysize_16 = r->keysize_16;
        m->base[GCLAB_KIND_INSTANCE] = r->instance_base;
        m->item[GCLAB_KIND_INSTANCE] = 0;
        m->instance_dict_base = r->instance_dict_base;
        return 0;
    }
    return -1;
}

void gclab__profile_apply(gclab_heap *h, const gen_profile *p)
{
    gclab__profile_sizes(p->name, &h->sizes); /* ideal: gclab's own */
    memset(h->freelist_len, 0, sizeof h->freelist_len);
    memset(h->freelist_cap, 0, sizeof h->freelist_cap);
    h->freelist_cap[GCLAB_FL_DICT] = p->dict_fl;
    h->freelist_cap[GCLAB_FL_LIST] = p->list_fl;
    for (int len = 1; len <= p->tuple_fl_max && len <= GCLAB_FL_MAX_TUPLE; len++)
        h->freelist_cap[gclab__tuple_freelist((size_t)len)] = p->tuple_fl;
    if (p->empty_tuple) /* a free list that never runs dry: () counts nothing */
        h->freelist_cap[GCLAB_FL_EMPTY_TUPLE] = h->freelist_len[GCLAB_FL_EMPTY_TUPLE] = ULONG_MAX / 2;
    h->instance_dict = p->instance_dict;
    h->args_tuple = p->args_tuple;
    h->getdict = p->getdict;
}

static unsigned long cap(unsigned long want, unsigned long capacity)
{
    return want < capacity ? want : capacity;
}

void gclab__profile_fill_freelists(gclab_heap *h, const gen_startup *st)
{
    h->freelist_len[GCLAB_FL_DICT] = cap(st->dict_free, h->freelist_cap[GCLAB_FL_DICT]);
    h->freelist_len[GCLAB_FL_LIST] = cap(st->list_free, h->freelist_cap[GCLAB_FL_LIST]);
    for (size_t len = 1; len <= GCLAB_FL_MAX_TUPLE; len++) {
        int fl = gclab__tuple_freelist(len);
        h->freelist_len[fl] = cap(st->tuple_free[len - 1], h->freelist_cap[fl]);
    }
}

void gclab__profile_clear_freelists(gclab_heap *h)
{
    for (int i = 0; i < GCLAB_NFREELISTS; i++)
        if (i != GCLAB_FL_EMPTY_TUPLE)
            h->freelist_len[i] = 0;
}
