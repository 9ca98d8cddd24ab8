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
    int args_tuple;      /* calling range(), list(), dict()... builds an argument tuple (3.8) */
    int revive_all;      /* 3.8: a resurrection revives all the garbage (see profiles.def) */
    int getdict;         /* what o.__dict__ makes: 0 nothing, 1 a tracked dict, 2 an untracked one */
    const char *startup; /* the measured start-up heap, in the `startup` parameter's form */
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

/* The start-up heap that `startup=profile` and the other settings resolve to. */
typedef struct gen_startup {
    long objects;   /* long-lived tracked containers before the program starts */
    long counts[3]; /* gc.get_count() then */
    /* Free-list occupancy then (sys._debugmallocstats()); capped at the
     * profile's capacities when applied. */
    unsigned long dict_free, list_free;
    unsigned long tuple_free[GCLAB_FL_MAX_TUPLE]; /* [len - 1]: tuples of length len */
} gen_startup;

/* Parse the `startup` parameter: "profile" (the profile's measured heap),
 * or N[,C0,C1,C2][:dict=D][:list=L][:tuple=T1,T2,...] (at most 20 tuple
 * lengths, from 1; what is left out is 0).  "auto:PATH" is resolved to the
 * full form by the gclab command (harness/config.c), which runs the
 * interpreter; the library spawns no process and rejects it.  0, or -1
 * with one line in err. */
int gclab__startup_parse(const char *text, const gen_profile *p, gen_startup *out, char *err, size_t errlen);

/* The size model of the named profile (collectors/sizes.def): 0, or -1
 * and gclab's own sizes when the table has no row for it (ideal). */
int gclab__profile_sizes(const char *profile, gclab_size_model *m);

/* Apply the profile's runtime settings to the heap: free-list capacities,
 * the () singleton, the instance layout, the object sizes.  The free lists
 * start empty. */
void gclab__profile_apply(gclab_heap *h, const gen_profile *p);

/* Fill the free lists as the start-up heap says, each capped at its
 * capacity (so nothing under a profile without free lists). */
void gclab__profile_fill_freelists(gclab_heap *h, const gen_startup *st);

/* Empty every free list (a full collection's clear_freelists); the ()
 * singleton stays. */
void gclab__profile_clear_freelists(gclab_heap *h);

#endif
