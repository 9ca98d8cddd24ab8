/*
 * collectors/policy.h -- what starts a collection besides the thresholds,
 * and what happens on workload events and at exit, for the backends built
 * on the generational algorithm (generational.h): the exit collection,
 * freezing (and making immortal) on an event, collecting on a timer or on
 * every n-th event.  `generational`, `disabled`, `manual-time` and
 * `manual-event` are each the algorithm with one such policy.
 */
#ifndef GCLAB_COLLECTORS_POLICY_H
#define GCLAB_COLLECTORS_POLICY_H

#include "generational.h"
#include "profile.h"

typedef struct gen_policy {
    int automatic;            /* collect when the thresholds say so */
    int exit_collect;         /* a full collection at exit (0: skip it, as os._exit does) */
    const char *freeze_event; /* freeze when a workload announces this event; NULL: never */
    int immortal;             /* freezing makes objects immortal (PEP 683) */
    const char *collect_event; /* collect on this event (copied); NULL: never */
    long collect_every;        /* ...on every n-th of them */
    int collect_on_idle;       /* ...and when the workload announces "idle" */
    int collect_generation;
    uint64_t collect_interval_ns; /* collect every this long (0: never), by the heap's clock */
    const gen_profile *profile;   /* the version profile (NULL: ideal) */
    gen_startup startup;          /* the start-up heap to make */
} gen_policy;

/* Read the "profile" and "startup" parameters into policy; 0, or -1 with
 * one line in err. */
int gclab__policy_profile(gen_policy *policy, long long profile, const char *startup, char *err, size_t errlen);

/* Set up the generations (gclab__gen_setup) with this policy. */
void gclab__policy_setup(gclab_heap *h, const gen_policy *policy);

/* The "freeze" and "immortal" parameters every backend that freezes takes,
 * and the values of "freeze" (in the order of its choices). */
enum { FREEZE_NEVER, FREEZE_WARMUP, FREEZE_PREFORK, NFREEZE };
#define GEN_FREEZE_PARAM                                                                            \
    {"freeze", GCLAB_PARAM_CHOICE, "never", "", 0, 0, "never|warmup|prefork",                    \
     "move everything tracked to the permanent generation when the workload announces the "       \
     "end of its warm-up (event warmup_end) or is about to fork (event prefork)"}
#define GEN_IMMORTAL_PARAM                                                                          \
    {"immortal", GCLAB_PARAM_BOOL, "false", "", 0, 0, NULL,                                        \
     "freezing also makes the frozen objects immortal (PEP 683): incref/decref no longer write "  \
     "them, so reading them dirties no page; they are freed only at teardown"}
/* The "profile" and "startup" parameters every backend of the family takes.
 * The default counts like the CPython most users run (issue 11); `ideal`
 * (the rules alone on an empty heap) must be asked for. */
#define GEN_PROFILE_DEFAULT "cpython-3.12"
#define GEN_PROFILE_PARAM                                                                           \
    {"profile", GCLAB_PARAM_CHOICE, GEN_PROFILE_DEFAULT, "", 0, 0, gclab__profile_choices + 1,      \
     "count like this CPython version: thresholds, free lists, () singleton, freeze, instance "     \
     "layout, deferred trigger, start-up heap, object sizes (gclab list: profiles); ideal: the rules alone"}
#define GEN_STARTUP_PARAM                                                                           \
    {"startup", GCLAB_PARAM_STRING, "profile", "", 0, 0, NULL,                                     \
     "the interpreter's state before the program starts: profile (the profile's measured heap), " \
     "N long-lived tracked objects, N,C0,C1,C2 (with gc.get_count()), either followed by free-list " \
     "occupancy :dict=D:list=L:tuple=T1,...,T20, or auto:PATH (measure the interpreter at PATH)"}
/* The event a "freeze" choice names (NULL: never). */
const char *gclab__policy_freeze_event(long long choice);

/* Slots (collector.h) that carry out the policy. */
void gclab__policy_fini(gclab_heap *h);
void gclab__policy_freeze(gclab_heap *h);
void gclab__policy_on_event(gclab_heap *h, const char *name);
void gclab__policy_at_exit(gclab_heap *h);

/* Every slot but init and on_trigger, for the tables of these backends. */
#define GEN_SHARED_SLOTS                                                                            \
    .fini = gclab__policy_fini, .gather = gclab__gen_gather, .collect = gclab__gen_collect,       \
    .get_count = gclab__gen_get_count, .freeze = gclab__policy_freeze,                             \
    .unfreeze = gclab__gen_unfreeze, .get_freeze_count = gclab__gen_get_freeze_count,              \
    .on_event = gclab__policy_on_event, .at_exit = gclab__policy_at_exit

#endif
