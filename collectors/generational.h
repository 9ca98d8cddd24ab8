/*
 * collectors/generational.h -- CPython's generational machinery, shared by
 * the backends that differ from `generational` only in what starts a
 * collection and what happens at exit: `disabled` (Instagram mode) and
 * `manual-event`.  The algorithm lives in generational.c alone.
 */
#ifndef GCLAB_COLLECTORS_GENERATIONAL_H
#define GCLAB_COLLECTORS_GENERATIONAL_H

#include "collector.h"

/* What triggers collections, beyond gclab_collect. */
typedef struct gen_policy {
    int automatic;            /* collect when the thresholds say so */
    int exit_collect;         /* a full collection at exit (0: skip it, as os._exit does) */
    const char *freeze_event; /* freeze when a workload announces this event; NULL: never */
    int immortal;             /* freezing makes objects immortal (PEP 683) */
    const char *collect_event; /* collect on this event; NULL: never */
    long collect_every;        /* ...on every n-th of them */
    int collect_on_idle;       /* ...and when the workload announces "idle" */
    int collect_generation;
    uint64_t collect_interval_ns; /* collect every this long (0: never), by the heap's clock */
} gen_policy;

/* Set up the generations with this policy (h->cstate). */
void gclab__gen_setup(gclab_heap *h, const gen_policy *policy);

/* The "freeze" parameter every generational backend takes, and its events. */
#define GEN_FREEZE_PARAM                                                                            \
    {"freeze", GCLAB_PARAM_CHOICE, "never", "", 0, 0, "never|warmup|prefork",                    \
     "move everything tracked to the permanent generation when the workload announces the "       \
     "end of its warm-up (event warmup_end) or is about to fork (event prefork)"}
#define GEN_IMMORTAL_PARAM                                                                          \
    {"immortal", GCLAB_PARAM_BOOL, "false", "", 0, 0, NULL,                                        \
     "freezing also makes the frozen objects immortal (PEP 683): incref/decref no longer write "  \
     "them, so reading them dirties no page; they are freed only at teardown"}
const char *gclab__gen_freeze_event(long long choice);

/* The slots every generational backend shares. */
void gclab__gen_fini(gclab_heap *h);
void gclab__gen_gather(gclab_heap *h, gc_list *into);
void gclab__gen_collect(gclab_heap *h, int generation, gclab_gc_info *info);
int gclab__gen_get_count(const gclab_heap *h, long *counts, int max);
void gclab__gen_freeze(gclab_heap *h);
void gclab__gen_unfreeze(gclab_heap *h);
long gclab__gen_get_freeze_count(const gclab_heap *h);
void gclab__gen_on_event(gclab_heap *h, const char *name);
void gclab__gen_at_exit(gclab_heap *h);

#define GEN_SHARED_SLOTS                                                                            \
    .fini = gclab__gen_fini, .gather = gclab__gen_gather, .collect = gclab__gen_collect,          \
    .get_count = gclab__gen_get_count, .freeze = gclab__gen_freeze, .unfreeze = gclab__gen_unfreeze, \
    .get_freeze_count = gclab__gen_get_freeze_count, .on_event = gclab__gen_on_event,             \
    .at_exit = gclab__gen_at_exit

#endif
