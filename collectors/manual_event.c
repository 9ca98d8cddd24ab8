/*
 * collectors/manual_event.c -- collect on a workload's events: at the end
 * of every n-th request, or when the workload says it is idle.
 *
 * Invariant: automatic (threshold) collection is off; a collection of
 * `generation` runs when the workload announces `event` for the n-th time
 * (n = `every`), or announces "idle" if `idle` is set, and on gclab_collect.
 * The algorithm is `generational`'s (generational.h), the event policy
 * policy.c's.  Workloads announce events with gclab_event() and never name
 * this collector.
 */
#include "policy.h"

static const gclab_param params[] = {
    {"event", GCLAB_PARAM_STRING, "request_end", "", 0, 0, NULL,
     "the workload event that triggers a collection"},
    {"every", GCLAB_PARAM_INT, "1", "events", 1, 1e9, NULL, "collect on every n-th such event"},
    {"generation", GCLAB_PARAM_INT, "2", "", 0, 2, NULL, "the generation collected"},
    {"idle", GCLAB_PARAM_BOOL, "false", "", 0, 0, NULL, "also collect when the workload announces idle"},
};

static int manual_event_init(gclab_heap *h, const gclab_value *p, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    gen_policy policy = {.automatic = 0, .exit_collect = 1, .collect_event = p[0].s,
                         .collect_every = p[1].i, .collect_generation = (int)p[2].i,
                         .collect_on_idle = (int)p[3].i};
    gclab__policy_setup(h, &policy);
    return 0;
}

const gclab_collector gclab_collector_manual_event = {
    .info = {.name = "manual-event",
             .description = "collect generation G on a workload event (every n-th request_end, "
                            "or idle); no automatic collection",
             .params = params,
             .nparams = sizeof params / sizeof params[0],
             .flags = GCLAB_COLLECTOR_RECLAIMS_CYCLES,
             .ngenerations = 3},
    .init = manual_event_init,
    GEN_SHARED_SLOTS,
};
