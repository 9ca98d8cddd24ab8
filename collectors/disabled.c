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

static const gclab_param params[] = {
    {"exit", GCLAB_PARAM_CHOICE, "collect", "", 0, 0, "collect|skip",
     "at exit, a full collection (CPython's default) or none (os._exit)"},
    GEN_FREEZE_PARAM,
    GEN_IMMORTAL_PARAM,
};

static int disabled_init(gclab_heap *h, const gclab_value *p, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    gen_policy policy = {.automatic = 0, .exit_collect = p[0].i == 0,
                         .freeze_event = gclab__policy_freeze_event(p[1].i), .immortal = (int)p[2].i};
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
             .ngenerations = 3},
    .init = disabled_init,
    GEN_SHARED_SLOTS,
};
