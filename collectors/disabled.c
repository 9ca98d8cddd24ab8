/*
 * collectors/disabled.c -- Instagram mode: gc.set_threshold(0).
 *
 * Invariant: nothing but gclab_collect (and, if asked, the exit) starts a
 * collection.  Objects are still tracked, and gc.collect() works as in
 * `generational`, whose algorithm this is (generational.h): only the
 * policy (policy.h) differs, in the trigger and the exit.  `exit=skip` leaves the cyclic garbage to
 * the process's end, as Instagram's atexit.register(os._exit, 0) did; the
 * exit collection's cost shows in the pause log (reason exit) otherwise.
 */
#include "policy.h"

enum { P_EXIT, P_FREEZE, P_IMMORTAL, P_PROFILE, P_STARTUP, NPARAMS };
enum { EXIT_COLLECT, EXIT_SKIP }; /* the choices of "exit" */
static const gclab_param params[] = {
    [P_EXIT] = {"exit", GCLAB_PARAM_CHOICE, "collect", "", 0, 0, "collect|skip",
                "at exit, a full collection (CPython's default) or none (os._exit)"},
    [P_FREEZE] = GEN_FREEZE_PARAM,
    [P_IMMORTAL] = GEN_IMMORTAL_PARAM,
    [P_PROFILE] = GEN_PROFILE_PARAM,
    [P_STARTUP] = GEN_STARTUP_PARAM,
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

static int disabled_init(gclab_heap *h, const gclab_value *p, char *err, size_t errlen)
{
    gen_policy policy = {.automatic = 0, .exit_collect = p[P_EXIT].i == EXIT_COLLECT,
                         .freeze_event = gclab__policy_freeze_event(p[P_FREEZE].i),
                         .immortal = (int)p[P_IMMORTAL].i};
    if (gclab__policy_profile(&policy, p[P_PROFILE].i, p[P_STARTUP].s, err, errlen) != 0)
        return -1;
    gclab__policy_setup(h, &policy);
    return 0;
}

const gclab_collector gclab_collector_disabled = {
    .info = {.name = "disabled",
             .description = "Instagram mode (gc.set_threshold(0)): no automatic collection; "
                            "gc.collect() still works; optional freeze, optional exit collection",
             .params = params,
             .nparams = sizeof params / sizeof params[0],
             .flags = GCLAB_COLLECTOR_RECLAIMS_CYCLES,
             .ngenerations = GEN_NGEN},
    .init = disabled_init,
    GEN_SHARED_SLOTS,
};
