/*
 * workloads/registry.c -- the list of workloads, generated from
 * registry.def, and lookup by name.
 */
#include "workload.h"

#include <stdio.h>
#include <string.h>

static const workload *const registry[] = {
#define GCLAB_WORKLOAD(id) &workload_##id,
#include "registry.def"
#undef GCLAB_WORKLOAD
};

#define NWORKLOADS (sizeof registry / sizeof registry[0])

size_t workload_count(void) { return NWORKLOADS; }
const workload *workload_at(size_t i) { return i < NWORKLOADS ? registry[i] : NULL; }

const workload *workload_find(const char *name)
{
    for (size_t i = 0; i < NWORKLOADS; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const char *workload_names(void)
{
    static char names[512];
    if (!names[0]) {
        size_t used = 0;
        for (size_t i = 0; i < NWORKLOADS && used < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     registry[i]->name);
    }
    return names;
}
