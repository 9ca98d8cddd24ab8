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

enum { P_EVENT, P_EVERY, P_GENERATION, P_IDLE, P_PROFILE, P_STARTUP, NPARAMS };
static const gclab_param params[] = {
    [P_EVENT] = {"event", GCLAB_PARAM_STRING, "request_end", "", 0, 0, NULL,
                 "the workload event that triggers a collection"},
    [P_EVERY] = {"every", GCLAB_PARAM_INT, "1", "events", 1, 1e9, NULL, "collect on every n-th such event"},
    [P_GENERATION] = {"generation", GCLAB_PARAM_INT, "2", "", 0, GEN_NGEN - 1, NULL,
                      "the generation collected"},
    [P_IDLE] = {"idle", GCLAB_PARAM_BOOL, "false", "", 0, 0, NULL,
                "also collect when the workload announces idle"},
    [P_PROFILE] = GEN_PROFILE_PARAM,
    [P_STARTUP] = GEN_STARTUP_PARAM,
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

static int manual_event_init(gclab_heap *h, const gclab_value *p, char *err, size_t errlen)
{
    gen_policy policy = {.automatic = 0, .exit_collect = 1, .collect_event = p[P_EVENT].s,
                         .collect_every = p[P_EVERY].i, .collect_generation = (int)p[P_GENERATION].i,
                         .collect_on_idle = (int)p[P_IDLE].i};
    if (gclab__policy_profile(&policy, p[P_PROFILE].i, p[P_STARTUP].s, err, errlen) != 0)
        return -1;
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
             .ngenerations = GEN_NGEN},
    .init = manual_event_init,
    GEN_SHARED_SLOTS,
};
