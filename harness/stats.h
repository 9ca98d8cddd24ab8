/*
 * harness/stats.h -- statistics over a run's pause log.
 */
#ifndef GCLAB_HARNESS_STATS_H
#define GCLAB_HARNESS_STATS_H

#include <stddef.h>
#include <stdint.h>

/* One pause: [start_ns, start_ns + duration_ns), times from the run's start. */
typedef struct pause_span {
    uint64_t start_ns;
    uint64_t duration_ns;
} pause_span;

/* The p-th percentile (0 < p <= 100) of n >= 1 values sorted ascending, by
 * nearest rank: the smallest value with at least p% of the values at or
 * below it. */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, double p);

/* Minimum mutator utilisation (Cheng & Blelloch): over every window of
 * width window_ns lying inside [0, total_ns], the smallest fraction of the
 * window not spent in a pause.  `pauses` are sorted by start and do not
 * overlap.  Returns -1 (not defined) when window_ns is 0 or exceeds
 * total_ns.  O(n log n). */
double stats_mmu(const pause_span *pauses, size_t n, uint64_t total_ns, uint64_t window_ns);

#endif
