/*
 * collectors/policy.c -- the policies of the backends built on the
 * generational algorithm (policy.h): the exit collection, freezing on an
 * event, collecting on a timer or on workload events.  The algorithm itself
 * is generational.c's; this file only decides when to call it.
 *
 * The time policy reads no clock on the allocation path: a ticker thread
 * interrupts the heap, and at the next safe point the interrupt handler
 * reads the clock once and collects when due.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, nanosleep */

#include "policy.h"

#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct policy_state {
    gen_policy policy; /* collect_event is our own copy */
    long events_seen;  /* announcements of policy.collect_event */
    gclab_heap *heap;
    uint64_t next_due; /* the time policy: when the next collection is due */
    pthread_t ticker;
    int ticking;
    atomic_int stop;
} policy_state;

static inline policy_state *pstate(const gclab_heap *h) { return gclab__gen_policy(h); }

/* The interrupt handler: one clock read per interrupt, none per allocation.
 * The next collection is due an interval after this one ends, as with a
 * timer thread that sleeps and then calls gc.collect(): the program always
 * gets the interval, however long a collection takes (a fixed-rate
 * schedule would collect back to back once collections outlast it). */
static void on_tick(gclab_heap *h, void *arg)
{
    policy_state *s = arg;
    if (gclab__now_ns(h) < s->next_due)
        return;
    gclab__collect(h, s->policy.collect_generation, GCLAB_REASON_TIME);
    s->next_due = gclab__now_ns(h) + s->policy.collect_interval_ns;
}

/* Interrupt the heap ten times per interval (at most every 10 ms, at least
 * every 1 ms): the collection comes at most one tick late. */
static void *ticker(void *arg)
{
    policy_state *s = arg;
    uint64_t tick = s->policy.collect_interval_ns / 10;
    tick = tick < 1000000 ? 1000000 : tick > 10000000 ? 10000000 : tick;
    struct timespec ts = {0, (long)tick};
    while (!atomic_load(&s->stop)) {
        nanosleep(&ts, NULL);
        gclab_interrupt(s->heap);
    }
    return NULL;
}

static void stop_ticker(policy_state *s)
{
    if (s->ticking) {
        atomic_store(&s->stop, 1);
        pthread_join(s->ticker, NULL);
        s->ticking = 0;
    }
}

void gclab__policy_setup(gclab_heap *h, const gen_policy *policy)
{
    policy_state *s = calloc(1, sizeof *s);
    if (!s)
        gclab__oom(sizeof *s);
    s->policy = *policy;
    if (policy->collect_event) { /* ours: the caller's setting may not outlive the heap */
        s->policy.collect_event = strdup(policy->collect_event);
        if (!s->policy.collect_event)
            gclab__oom(strlen(policy->collect_event) + 1);
    }
    const gen_profile *profile = policy->profile ? policy->profile : &gclab__profiles[0];
    for (int i = 0; i < h->collector->info.nthresholds && i < 3; i++)
        h->thresholds[i] = profile->thresholds[i]; /* configured thresholds still win: set after init */
    gclab__profile_apply(h, profile);
    gclab__gen_setup(h, policy->automatic, s, profile);
    s->heap = h;
    atomic_init(&s->stop, 0);
    /* It allocates (the start-up heap: thousands of lists), so after the
     * generations are set up -- and before the timer starts: a tick due
     * while it ran would collect a half-built start-up heap, inside
     * gclab_heap_new, before any callback could record it. */
    gclab__gen_start(h, policy->automatic, &policy->startup);
    if (policy->collect_interval_ns) {
        s->next_due = gclab__now_ns(h) + policy->collect_interval_ns;
        gclab_interrupt_handler_add(h, on_tick, s);
        s->ticking = pthread_create(&s->ticker, NULL, ticker, s) == 0;
    }
}

int gclab__policy_profile(gen_policy *policy, long long profile, const char *startup, char *err, size_t errlen)
{
    if (profile < 0 || profile >= GEN_NPROFILES) {
        snprintf(err, errlen, "unknown profile (valid: %s)", gclab__profile_choices + 1);
        return -1;
    }
    policy->profile = &gclab__profiles[profile];
    return gclab__startup_parse(startup, policy->profile, &policy->startup, err, errlen);
}

void gclab__policy_fini(gclab_heap *h)
{
    policy_state *s = pstate(h);
    stop_ticker(s);
    free((char *)s->policy.collect_event);
    free(s);
    gclab__gen_fini(h);
}

void gclab__policy_freeze(gclab_heap *h)
{
    if (pstate(h)->policy.immortal)
        gclab__gen_immortalize(h);
    gclab__gen_freeze(h);
}

void gclab__policy_at_exit(gclab_heap *h)
{
    /* CPython collects once more while finalizing the interpreter; a
     * policy may skip it, as Instagram's atexit os._exit(0) did. */
    policy_state *s = pstate(h);
    stop_ticker(s);
    if (s->policy.exit_collect)
        gclab__collect(h, GEN_NGEN - 1, GCLAB_REASON_EXIT);
    /* The interpreter's own objects are not the program's leaks. */
    gclab__gen_release_startup(h);
}

void gclab__policy_on_event(gclab_heap *h, const char *name)
{
    policy_state *s = pstate(h);
    const gen_policy *p = &s->policy;
    if (p->freeze_event && strcmp(name, p->freeze_event) == 0)
        gclab__policy_freeze(h);
    if (p->collect_event && strcmp(name, p->collect_event) == 0) {
        if (++s->events_seen % p->collect_every == 0)
            gclab__collect(h, p->collect_generation, GCLAB_REASON_EVENT);
    } else if (p->collect_on_idle && strcmp(name, "idle") == 0) {
        gclab__collect(h, p->collect_generation, GCLAB_REASON_EVENT);
    }
}

const char *gclab__policy_freeze_event(long long choice)
{
    static const char *const events[] = {
        [FREEZE_NEVER] = NULL, [FREEZE_WARMUP] = "warmup_end", [FREEZE_PREFORK] = "prefork"};
    _Static_assert(sizeof events / sizeof events[0] == NFREEZE, "an event for every freeze choice");
    return choice >= 0 && choice < NFREEZE ? events[choice] : NULL;
}
