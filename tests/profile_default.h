/*
 * tests/profile_default.h -- what a collector's default configuration makes
 * at start-up, read from the profile table (collectors/profiles.def) that its
 * `profile` parameter's default names, for tests whose expectations must
 * hold under the default profile: the start-up heap is tracked,
 * and frozen by every freeze (CPython's gc.get_freeze_count() counts it).
 */
#ifndef GCLAB_TESTS_PROFILE_DEFAULT_H
#define GCLAB_TESTS_PROFILE_DEFAULT_H

#include "test.h"
#include "collectors/profile.h"

#include <string.h>

/* The profile row `collector` runs with `profile` (NULL: the parameter's
 * default), or NULL if it takes no `profile` parameter. */
static inline const gen_profile *profile_of(const char *collector, const char *profile)
{
    const gclab_collector_info *ci = gclab_collector_find(collector);
    assert_non_null(ci);
    int ip = gclab_param_find(ci->params, ci->nparams, "profile", 7);
    if (ip < 0)
        return NULL;
    int is = gclab_param_find(ci->params, ci->nparams, "startup", 7);
    assert_true(is >= 0);
    assert_string_equal(ci->params[is].def, "profile"); /* the profile's measured start-up */
    if (!profile)
        profile = ci->params[ip].def;
    for (size_t i = 0; i < gclab_profile_count(); i++)
        if (!strcmp(gclab_profile_name(i), profile))
            return &gclab__profiles[i];
    fail_msg("%s: no profile named '%s'", collector, profile);
    return NULL;
}

/* The start-up state `collector` makes with `profile` and startup=profile
 * (all zero without a `profile` parameter), parsed from the table. */
static inline gen_startup profile_startup(const char *collector, const char *profile)
{
    gen_startup st;
    memset(&st, 0, sizeof st);
    const gen_profile *p = profile_of(collector, profile);
    char err[256];
    if (p && gclab__startup_parse("profile", p, &st, err, sizeof err) != 0)
        fail_msg("%s: %s", p->name, err);
    return st;
}

/* The start-up objects `collector` makes with `profile` and startup=profile:
 * 0 without a `profile` parameter. */
static inline long profile_startup_objects(const char *collector, const char *profile)
{
    return profile_startup(collector, profile).objects;
}

/* Lists start-up left on the list free list: allocations that count nothing. */
static inline long profile_startup_free_lists(const char *collector, const char *profile)
{
    const gen_profile *p = profile_of(collector, profile);
    unsigned long n = profile_startup(collector, profile).list_free;
    return p ? (long)(n < p->list_fl ? n : p->list_fl) : 0;
}

#endif
