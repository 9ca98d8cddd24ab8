/*
 * collectors/profile.h -- version profiles for the generational family: what
 * makes the idealised algorithm count like one CPython version (free lists,
 * the () singleton, freeze, the instance layout, the deferred trigger, the
 * start-up heap).  The table is collectors/profiles.def; docs/collectors.md
 * explains each setting.
 */
#ifndef GCLAB_COLLECTORS_PROFILE_H
#define GCLAB_COLLECTORS_PROFILE_H

#include "../runtime/internal.h"

typedef struct gen_profile {
    const char *name;
    long thresholds[3];
    unsigned long dict_fl, list_fl, tuple_fl;
    int tuple_fl_max;
    int empty_tuple, freeze_all, instance_dict, deferred;
    long startup_objects;
    long startup_counts[3];
} gen_profile;

enum {
    GEN_NPROFILES = 0
#define GEN_PROFILE(...) +1
#include "profiles.def"
#undef GEN_PROFILE
};

extern const gen_profile gclab__profiles[GEN_NPROFILES];

/* "|ideal|cpython-3.8|...", built from the table: the `profile` parameter's
 * choices are this + 1 (an address constant, so usable in a parameter table). */
extern const char gclab__profile_choices[];

/* The profile that `startup=profile` and the other settings resolve to. */
typedef struct gen_startup {
    long objects;   /* long-lived tracked containers before the program starts */
    long counts[3]; /* gc.get_count() then */
} gen_startup;

/* Parse the `startup` parameter: "profile" (the profile's measured heap),
 * "N" or "N,C0,C1,C2".  "auto:PATH" is resolved to "N,C0,C1,C2" by the
 * gclab command (harness/config.c), which runs the interpreter; the library
 * spawns no process and rejects it.  0, or -1 with one line in err. */
int gclab__startup_parse(const char *text, const gen_profile *p, gen_startup *out, char *err, size_t errlen);

/* The size model of the named profile (collectors/sizes.def): 0, or -1
 * and gclab's own sizes when the table has no row for it (ideal). */
int gclab__profile_sizes(const char *profile, gclab_size_model *m);

/* Apply the profile's runtime settings to the heap: free-list capacities,
 * the () singleton, the instance layout, the object sizes. */
void gclab__profile_apply(gclab_heap *h, const gen_profile *p);

/* Empty every free list (a full collection's clear_freelists); the ()
 * singleton stays. */
void gclab__profile_clear_freelists(gclab_heap *h);

#endif
