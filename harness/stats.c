/*
 * harness/stats.c -- percentiles and minimum mutator utilisation over a
 * run's pause log.
 *
 * MMU: the pause in a window [a, a + w] is P(a + w) - P(a), where P(t) is the
 * paused time in [0, t).  Take a window holding the most pause.  If it starts
 * inside a pause, moving it earlier gains pause at its start as fast as it
 * can lose any at its end, so the window that starts at that pause's start
 * holds as much.  If it starts outside every pause, moving it later loses
 * nothing at its start, up to the next pause's start or the end of the run
 * (a window that meets no later pause start holds no pause at all).  So the
 * windows starting at each pause's start, clamped into the run, suffice;
 * windows ending at a pause's end, often tried as well, add nothing.  Their
 * starts do not decrease, so P is read by two cursors that only move
 * forward: O(n), no allocation.
 */
#include "stats.h"

#include <math.h>

/* p-th percentile, nearest rank: sorted[ceil(p/100 * n) - 1], the index
 * clamped to [0, n - 1].  A rank that is an integer but for rounding (99.9%
 * of 1000 computes as 999.0000000000001) is taken as that integer. */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, double p)
{
    double rank = p / 100.0 * (double)n;
    double nearest = round(rank);
    if (fabs(rank - nearest) <= 1e-9 * nearest)
        rank = nearest;
    rank = ceil(rank);
    if (!(rank > 1.0)) /* also a NaN p */
        return sorted[0];
    if (rank >= (double)n)
        return sorted[n - 1];
    return sorted[(size_t)rank - 1];
}

/* A pause's start, clipped to the run [0, total]. */
static uint64_t clip_start(const pause_span *s, uint64_t total)
{
    return s->start_ns < total ? s->start_ns : total;
}

/* A pause's end, clipped to the run [0, total]; no overflow. */
static uint64_t clip_end(const pause_span *s, uint64_t total)
{
    uint64_t start = clip_start(s, total);
    return s->duration_ns > total - start ? total : start + s->duration_ns;
}

/* Reads P(t), the paused time in [0, t), for t that never decrease. */
typedef struct paused_cursor {
    const pause_span *pauses;
    size_t n;
    uint64_t total;
    size_t k;     /* pauses that start before the last t asked */
    uint64_t sum; /* their clipped durations */
} paused_cursor;

/* P(t), for 0 <= t <= total and t no less than at the cursor's last call. */
static uint64_t paused_before(paused_cursor *c, uint64_t t)
{
    while (c->k < c->n && c->pauses[c->k].start_ns < t) {
        const pause_span *s = &c->pauses[c->k++];
        c->sum += clip_end(s, c->total) - clip_start(s, c->total);
    }
    if (c->k == 0)
        return 0;
    /* Only the last pause started can reach past t: the others end before
     * it starts. */
    uint64_t end = clip_end(&c->pauses[c->k - 1], c->total);
    return end > t ? c->sum - (end - t) : c->sum;
}

/* Smallest fraction of a window of width window_ns inside [0, total_ns] not
 * spent paused; -1 when window_ns is 0 or exceeds total_ns.  Pauses sorted
 * by start, not overlapping; any part past total_ns is ignored. */
double stats_mmu(const pause_span *pauses, size_t n, uint64_t total_ns, uint64_t window_ns)
{
    if (window_ns == 0 || window_ns > total_ns)
        return -1.0;
    paused_cursor lo = {.pauses = pauses, .n = n, .total = total_ns};
    paused_cursor hi = lo;
    uint64_t last = total_ns - window_ns; /* the last window's start */
    uint64_t most = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t a = clip_start(&pauses[i], total_ns);
        if (a > last)
            a = last;
        uint64_t in = paused_before(&hi, a + window_ns) - paused_before(&lo, a);
        if (in > most)
            most = in;
    }
    return (double)(window_ns - most) / (double)window_ns;
}
