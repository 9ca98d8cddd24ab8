/*
 * tests/test_workloads.c -- every registered workload under every
 * registered collector, at the size its `smoke` settings give, through the
 * real harness: a workload added to workloads/registry.def is tested here
 * without a line of this file changing.
 *
 * What holds for any workload and any collector:
 *   - the run succeeds and does work (operations, allocations, time);
 *   - every collection is recorded once: the pauses are the collections the
 *     heap counted, and what they collected adds up to the heap's total;
 *   - a workload never names a collector, so the same seed makes the same
 *     operations and allocations under every collector;
 *   - no workload parameter shares its name with a collector parameter
 *     (`-p key=value` goes to the workload first: a clash would hide the
 *     collector's).
 */
#define _GNU_SOURCE

#include "workload_test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef GCLAB_SOURCE_DIR
#define GCLAB_SOURCE_DIR "."
#endif

/* w->smoke split at spaces into settings (NULL-ended); free *buf after. */
static size_t split_settings(const char *text, char **buf, const char **out, size_t max)
{
    *buf = strdup(text ? text : "");
    assert_non_null(*buf);
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(*buf, " ", &save); t && n + 1 < max; t = strtok_r(NULL, " ", &save))
        out[n++] = t;
    out[n] = NULL;
    return n;
}

static void every_workload_under_every_collector(void **state)
{
    (void)state;
    assert_gt(workload_count(), 0);
    for (size_t wi = 0; wi < workload_count(); wi++) {
        const workload *w = workload_at(wi);
        if (!w->smoke || !*w->smoke)
            fail_msg("workload %s has no smoke settings (workloads/workload.h)", w->name);
        uint64_t ops0 = 0, allocs0 = 0;
        for (size_t ci = 0; ci < gclab_collector_count(); ci++) {
            const char *c = gclab_collector_at(ci)->name;
            char *buf;
            const char *set[RUN_MAX_SETTINGS + 1];
            split_settings(w->smoke, &buf, set, RUN_MAX_SETTINGS + 1);
            run_result r;
            run_workload(c, w->name, set, &r);
            free(buf);
            if (r.ops == 0 || r.allocations == 0 || r.wall_ns == 0)
                fail_msg("%s under %s: ops %llu, allocations %llu, wall %llu ns", w->name, c,
                         (unsigned long long)r.ops, (unsigned long long)r.allocations,
                         (unsigned long long)r.wall_ns);
            long collections = 0, collected = 0;
            for (int g = 0; g < r.ngenerations; g++)
                collections += r.gen[g].collections;
            for (size_t i = 0; i < r.npauses; i++)
                collected += r.pauses[i].collected;
            if ((long)r.npauses != collections || collected != run_collected(&r))
                fail_msg("%s under %s: %zu pauses recorded for %ld collections, collecting %ld of %ld", w->name,
                         c, r.npauses, collections, collected, run_collected(&r));
            if (ci == 0) {
                ops0 = r.ops;
                allocs0 = r.allocations;
            } else if (r.ops != ops0 || r.allocations != allocs0) {
                fail_msg("%s: %s did %llu ops and %llu allocations, %s %llu and %llu (same seed)", w->name, c,
                         (unsigned long long)r.ops, (unsigned long long)r.allocations,
                         gclab_collector_at(0)->name, (unsigned long long)ops0, (unsigned long long)allocs0);
            }
            run_result_free(&r);
        }
    }
}

static void no_workload_parameter_hides_a_collector_parameter(void **state)
{
    (void)state;
    for (size_t wi = 0; wi < workload_count(); wi++) {
        const workload *w = workload_at(wi);
        for (size_t ci = 0; ci < gclab_collector_count(); ci++) {
            const gclab_collector_info *c = gclab_collector_at(ci);
            for (size_t p = 0; p < w->nparams; p++)
                if (gclab_param_find(c->params, c->nparams, w->params[p].name, strlen(w->params[p].name)) >= 0)
                    fail_msg("workload %s's parameter '%s' has the name of a parameter of collector %s; "
                             "rename one (-p would never reach the collector's)",
                             w->name, w->params[p].name, c->name);
        }
    }
}

int main(void)
{
    /* The smoke settings name files as gclab run does, from the source tree. */
    if (chdir(GCLAB_SOURCE_DIR) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_workload_parameter_hides_a_collector_parameter),
        cmocka_unit_test(every_workload_under_every_collector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
