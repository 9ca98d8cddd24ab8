/*
 * cli/demo.c -- `gclab demo`: the examples from the articles gclab was
 * started from, run under every registered collector, with what a full
 * collection returns and what is left leaked at exit.
 */
#include "cli.h"

#include "workloads/seed_examples.h"

#include <gclab/gclab.h>

#include <stdio.h>
#include <string.h>

int cli_demo(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: gclab demo\n\nThe seed articles' cycles, built and dropped, then gc.collect(),\n"
               "under every collector: what a full collection returns, what leaks at exit.\n");
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "gclab: demo takes no arguments, got '%s'\n", argv[1]);
        return 2;
    }
    printf("The seed articles' cycles, built and dropped, then gc.collect(), per collector.\n\n");
    printf("%-13s %-30s %9s  %s\n", "collector", "example", "collect()", "leaked at exit");
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const gclab_collector_info *ci = gclab_collector_at(c);
        for (size_t e = 0; e < seed_example_count; e++) {
            char err[256];
            gclab_heap *h = gclab_heap_new(ci->name, NULL, err, sizeof err);
            if (!h) {
                fprintf(stderr, "gclab: %s\n", err);
                return 1;
            }
            gclab_collect(h, ci->ngenerations - 1); /* start from a clean heap */
            for (int i = 0; i < seed_examples[e].times; i++)
                seed_make_cycle(h, seed_examples[e].shape);
            long n = gclab_collect(h, ci->ngenerations - 1);
            gclab_leak_report r;
            gclab_heap_free(h, &r);
            size_t containers = 0;
            for (int k = GCLAB_KIND_TUPLE; k < GCLAB_NKINDS; k++) /* the container kinds */
                containers += r.by_kind[k].objects;
            printf("%-13s %-30s %9ld  %zu containers (%zu objects, %zu bytes)\n", ci->name,
                   seed_examples[e].python, n, containers, r.leaked.objects, r.leaked.bytes);
        }
    }
    printf("\ncollect() returns objects collected + uncollectable, as gc.collect() does;\n"
           "`refcount` never reclaims cycles, so they are reported as leaked at exit.\n");
    return 0;
}
