/*
 * collectors/generational.h -- CPython's generational algorithm, for the
 * backends built on it: `generational` itself, and through policy.h
 * `disabled`, `manual-time` and `manual-event`, which differ only in what
 * starts a collection and what happens at exit.  The algorithm lives in
 * generational.c alone; those policies live in policy.c.
 */
#ifndef GCLAB_COLLECTORS_GENERATIONAL_H
#define GCLAB_COLLECTORS_GENERATIONAL_H

#include "collector.h"
#include "profile.h"

/* Generations 0 .. GEN_NGEN - 1, plus the permanent one (freeze). */
#define GEN_NGEN 3

/* Set up the generations in h->cstate and point h->young at generation 0.
 * With `automatic`, h->auto_trigger is threshold0 (CPython's trigger);
 * otherwise it stays LONG_MAX and only gclab__collect starts a collection.
 * `policy` is the caller's own state, kept for it (gclab__gen_policy) and
 * never read by the algorithm. */
void gclab__gen_setup(gclab_heap *h, int automatic, void *policy, const gen_profile *profile);
/* The last step of init: with a deferred profile and `automatic`, register
 * the safe-point handler; then make the start-up heap -- `st->objects`
 * containers in generation 1 (generation 2 if st->counts[2] > 0), with
 * long_lived_total 0 as no full collection ran yet, held by the collector,
 * left out of the heap's statistics, and released at exit
 * (gclab__gen_release_startup) -- and set the counts and the free lists'
 * occupancy (capped at the profile's capacities). */
void gclab__gen_start(gclab_heap *h, int automatic, const gen_startup *st);
/* Release the start-up heap, if held, into the heap's statistics again. */
void gclab__gen_release_startup(gclab_heap *h);
void *gclab__gen_policy(const gclab_heap *h);
/* Free what gclab__gen_setup made (not `policy`). */
void gclab__gen_fini(gclab_heap *h);

/* Make every object of generations 0 .. GEN_NGEN - 1 immortal (PEP 683);
 * the immortal freeze policy calls it just before gclab__gen_freeze. */
void gclab__gen_immortalize(gclab_heap *h);

/* Slots (collector.h), the same for every backend built on the algorithm. */
void gclab__gen_gather(gclab_heap *h, gc_list *into);
void gclab__gen_collect(gclab_heap *h, int generation, gclab_gc_info *info);
int gclab__gen_get_count(const gclab_heap *h, long *counts, int max);
void gclab__gen_freeze(gclab_heap *h);
void gclab__gen_unfreeze(gclab_heap *h);
long gclab__gen_get_freeze_count(const gclab_heap *h);

#endif
