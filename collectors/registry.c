/*
 * collectors/registry.c -- the list of collectors, generated from
 * registry.def, and lookup by name.
 */
#include "collector.h"

#include <stdio.h>
#include <string.h>

static const gclab_collector *const registry[] = {
#define GCLAB_COLLECTOR(name) &gclab_collector_##name,
#include "registry.def"
#undef GCLAB_COLLECTOR
};

#define NCOLLECTORS (sizeof registry / sizeof registry[0])

size_t gclab_collector_count(void) { return NCOLLECTORS; }

const gclab_collector_info *gclab_collector_at(size_t i)
{
    return i < NCOLLECTORS ? &registry[i]->info : NULL;
}

const gclab_collector *gclab__collector_find(const char *name)
{
    for (size_t i = 0; i < NCOLLECTORS; i++)
        if (strcmp(registry[i]->info.name, name) == 0)
            return registry[i];
    return NULL;
}

const gclab_collector_info *gclab_collector_find(const char *name)
{
    const gclab_collector *c = gclab__collector_find(name);
    return c ? &c->info : NULL;
}

const char *gclab_collector_names(void)
{
    static char names[512];
    if (!names[0]) {
        size_t used = 0;
        for (size_t i = 0; i < NCOLLECTORS && used < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     registry[i]->info.name);
    }
    return names;
}
