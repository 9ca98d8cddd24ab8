/*
 * collectors/manual_time.c -- collect on a timer: generation G every T ms.
 *
 * Invariant: automatic (threshold) collection is off; a collection of
 * `generation` runs at the first safe point after each `interval_ms` has
 * passed, and on gclab_collect.  The allocation path reads no clock: a
 * ticker thread interrupts the heap and the interrupt handler reads the
 * clock once (policy.c, the time policy).  The algorithm is
 * `generational`'s (generational.h).
 */
#include "policy.h"

enum { P_INTERVAL_MS, P_GENERATION, P_PROFILE, P_STARTUP, NPARAMS };
static const gclab_param params[] = {
    [P_INTERVAL_MS] = {"interval_ms", GCLAB_PARAM_INT, "100", "ms", 1, 3600000, NULL,
                       "collect every this many milliseconds"},
    [P_GENERATION] = {"generation", GCLAB_PARAM_INT, "2", "", 0, GEN_NGEN - 1, NULL,
                      "the generation collected"},
    [P_PROFILE] = GEN_PROFILE_PARAM,
    [P_STARTUP] = GEN_STARTUP_PARAM,
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

static int manual_time_init(gclab_heap *h, const gclab_value *p, char *err, size_t errlen)
{
    gen_policy policy = {.automatic = 0, .exit_collect = 1,
                         .collect_interval_ns = (uint64_t)p[P_INTERVAL_MS].i * 1000000u,
                         .collect_generation = (int)p[P_GENERATION].i};
    if (gclab__policy_profile(&policy, p[P_PROFILE].i, p[P_STARTUP].s, err, errlen) != 0)
        return -1;
    gclab__policy_setup(h, &policy);
    return 0;
}

const gclab_collector gclab_collector_manual_time = {
    .info = {.name = "manual-time",
             .description = "collect generation G every T ms (a timer, no clock read per "
                            "allocation); no automatic collection",
             .params = params,
             .nparams = sizeof params / sizeof params[0],
             .flags = GCLAB_COLLECTOR_RECLAIMS_CYCLES,
             .ngenerations = GEN_NGEN},
    .init = manual_time_init,
    GEN_SHARED_SLOTS,
};
