/*
 * analysis/verdict.c -- which configuration is better (verdict.h).
 */
#include "verdict.h"

#include <math.h>

const metric_def *verdict_metric(size_t metric)
{
    return &metric_table[metric == VERDICT_MERGED_P99 ? (size_t)MET_pause_p99_ns : metric];
}

/* Collections were recorded in c's runs (gc_share is NA without). */
static int recorded(const config_summary *c)
{
    return c->m[MET_gc_share].n > 0;
}

static int is_pause_metric(size_t metric)
{
    return metric == VERDICT_MERGED_P99 || metric == MET_pause_p99_ns || metric == MET_pause_max_ns;
}

double verdict_value(const config_summary *c, size_t metric)
{
    if (metric == VERDICT_MERGED_P99)
        return c->npauses ? c->merged_p99_ns : recorded(c) ? 0 : NAN;
    const metric_stats *m = &c->m[metric];
    if (m->n)
        return m->median;
    if (is_pause_metric(metric) && recorded(c) && !c->npauses)
        return 0;
    return NAN;
}

long verdict_best(const result_summary *s, const size_t *idx, size_t k, size_t metric, size_t *nvalues)
{
    const metric_def *def = verdict_metric(metric);
    long best = -1;
    *nvalues = 0;
    for (size_t i = 0; i < k; i++) {
        double v = verdict_value(&s->configs[idx[i]], metric);
        if (isnan(v))
            continue;
        (*nvalues)++;
        if (best < 0 || metric_better(def, verdict_value(&s->configs[idx[best]], metric), v) > 0)
            best = (long)i;
    }
    return best;
}

int verdict_ci_overlap(const config_summary *a, const config_summary *b, size_t metric)
{
    if (metric >= MET_COUNT)
        return 0;
    const metric_stats *x = &a->m[metric], *y = &b->m[metric];
    if (x->n < 2 || y->n < 2 || isnan(x->ci_lo) || isnan(y->ci_lo))
        return 0;
    return x->ci_lo <= y->ci_hi && y->ci_lo <= x->ci_hi;
}
