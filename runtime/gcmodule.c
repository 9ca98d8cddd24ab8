/*
 * runtime/gcmodule.c -- the gc-module API (gclab_collect, thresholds,
 * enable/disable, stats, freeze, callbacks), shared by every collector.
 */
#include "heap.h"

#include "../collectors/collector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void run_callbacks(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info)
{
    for (size_t i = 0; i < h->ncallbacks; i++)
        h->callbacks[i].fn(h, phase, info, h->callbacks[i].arg);
}

long gclab__collect(gclab_heap *h, int generation, gclab_reason reason)
{
#ifdef GCLAB_DEBUG
    /* gclab_collect validated it; a collector that collects by itself must
     * pass a valid one too (collectors/collector.h). */
    assert(generation >= 0 && generation < h->collector->info.ngenerations);
#endif
    if (h->collecting)
        return 0;
    h->collecting = 1;
    gclab__update_trigger(h);
    gclab_gc_info info = {.generation = generation, .reason = reason};
    if (h->ncallbacks)
        run_callbacks(h, GCLAB_GC_START, &info);
    h->collector->collect(h, generation, &info);
#ifdef GCLAB_DEBUG
    /* collect's post-condition (collectors/collector.h) */
    assert(info.examined >= 0 && info.collected >= 0 && info.uncollectable >= 0);
    assert(info.collected + info.uncollectable <= info.examined);
#endif
    gclab_gen_stats *s = &h->stats[generation];
    s->collections++;
    s->collected += info.collected;
    s->uncollectable += info.uncollectable;
    if (h->ncallbacks)
        run_callbacks(h, GCLAB_GC_STOP, &info);
    h->collecting = 0;
    gclab__update_trigger(h);
    return info.collected + info.uncollectable;
}

long gclab_collect(gclab_heap *h, int generation)
{
    if (generation < 0 || generation >= h->collector->info.ngenerations)
        return -1;
    return gclab__collect(h, generation, GCLAB_REASON_MANUAL);
}

void gclab_enable(gclab_heap *h)
{
    h->enabled = 1;
    gclab__update_trigger(h);
}

void gclab_disable(gclab_heap *h)
{
    h->enabled = 0;
    gclab__update_trigger(h);
}

int gclab_isenabled(const gclab_heap *h) { return h->enabled; }

int gclab__check_thresholds(const gclab_collector_info *ci, const long *thresholds, int n,
                            char *err, size_t errlen)
{
    char dummy[1];
    if (!err) {
        err = dummy;
        errlen = sizeof dummy;
    }
    if (ci->nthresholds == 0) {
        snprintf(err, errlen, "collector %s takes no thresholds", ci->name);
        return -1;
    }
    if (n < 1 || n > ci->nthresholds) {
        snprintf(err, errlen, "collector %s takes 1 to %d thresholds, got %d", ci->name,
                 ci->nthresholds, n);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (thresholds[i] < 0) {
            snprintf(err, errlen, "threshold%d must be 0 or more, got %ld", i, thresholds[i]);
            return -1;
        }
    }
    return 0;
}

int gclab_set_threshold(gclab_heap *h, const long *thresholds, int n, char *err, size_t errlen)
{
    if (gclab__check_thresholds(&h->collector->info, thresholds, n, err, errlen) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        h->thresholds[i] = thresholds[i];
    if (h->collector->thresholds_changed)
        h->collector->thresholds_changed(h);
    else
        h->auto_trigger = h->thresholds[0] > 0 ? h->thresholds[0] : LONG_MAX;
    gclab__update_trigger(h);
    return 0;
}

int gclab_get_threshold(const gclab_heap *h, long *thresholds, int max)
{
    int n = h->collector->info.nthresholds;
    for (int i = 0; i < n && i < max; i++)
        thresholds[i] = h->thresholds[i];
    return n;
}

int gclab_get_count(const gclab_heap *h, long *counts, int max)
{
    if (h->collector->get_count)
        return h->collector->get_count(h, counts, max);
    if (max > 0)
        counts[0] = h->gc_count;
    return 1;
}

int gclab_get_stats(const gclab_heap *h, gclab_gen_stats *stats, int max)
{
    int n = h->collector->info.ngenerations;
    for (int i = 0; i < n && i < max; i++)
        stats[i] = h->stats[i];
    return n;
}

int gclab_collector_figures(const gclab_heap *h, const char **names, long long *values, int max)
{
    return h->collector->figures ? h->collector->figures(h, names, values, max) : 0;
}

void gclab_freeze(gclab_heap *h)
{
    if (h->collector->freeze)
        h->collector->freeze(h);
}

void gclab_unfreeze(gclab_heap *h)
{
    if (h->collector->unfreeze)
        h->collector->unfreeze(h);
}

long gclab_get_freeze_count(const gclab_heap *h)
{
    return h->collector->get_freeze_count ? h->collector->get_freeze_count(h) : 0;
}

int gclab_callback_add(gclab_heap *h, gclab_gc_callback cb, void *arg)
{
    if (!cb)
        return -1;
    if (h->ncallbacks == h->callbacks_cap) {
        size_t cap = h->callbacks_cap ? 2 * h->callbacks_cap : 4;
        callback_entry *c = realloc(h->callbacks, cap * sizeof *c);
        if (!c)
            return -1;
        h->callbacks = c;
        h->callbacks_cap = cap;
    }
    h->callbacks[h->ncallbacks++] = (callback_entry){cb, arg};
    return 0;
}

int gclab_callback_remove(gclab_heap *h, gclab_gc_callback cb, void *arg)
{
    for (size_t i = 0; i < h->ncallbacks; i++) {
        if (h->callbacks[i].fn == cb && h->callbacks[i].arg == arg) {
            memmove(&h->callbacks[i], &h->callbacks[i + 1],
                    (h->ncallbacks - i - 1) * sizeof h->callbacks[0]);
            h->ncallbacks--;
            return 0;
        }
    }
    return -1;
}

const char *gclab_reason_name(gclab_reason r)
{
    static const char *const names[] = {"threshold", "manual", "time", "event", "exit"};
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}
