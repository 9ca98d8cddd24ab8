/*
 * harness/demo.c -- `gclab demo`: the examples from the articles gclab was
 * started from, run under every registered collector, with what a full
 * collection returns and what is left leaked at exit.
 */
#include "demo.h"

#include <gclab/gclab.h>

#include <stdio.h>

/* d = {}; d[0] = d; del d  -- `count` times */
static void dict_self_cycles(gclab_heap *h, int count)
{
    for (int i = 0; i < count; i++) {
        gclab_object *d = gclab_new_dict(h), *zero = gclab_new_int(h, 0);
        gclab_dict_setitem(h, d, zero, d);
        gclab_decref(h, zero);
        gclab_decref(h, d);
    }
}

/* l = [0, 1, 2, 3]; l.append(l); del l  -- `count` lists of 5 elements */
static void list_self_cycles(gclab_heap *h, int count)
{
    for (int i = 0; i < count; i++) {
        gclab_object *l = gclab_new_list(h);
        for (int j = 0; j < 4; j++) {
            gclab_object *n = gclab_new_int(h, j);
            gclab_list_append(h, l, n);
            gclab_decref(h, n);
        }
        gclab_list_append(h, l, l);
        gclab_decref(h, l);
    }
}

/* a = MyClass(); a.obj = a; del a */
static void instance_self_cycle(gclab_heap *h, int count)
{
    for (int i = 0; i < count; i++) {
        gclab_object *a = gclab_new_instance(h, 1);
        gclab_setattr(h, a, 0, a);
        gclab_decref(h, a);
    }
}

/* a = {}; b = {}; a[0] = b; b[0] = a; del a, b */
static void dict_pairs(gclab_heap *h, int count)
{
    for (int i = 0; i < count; i++) {
        gclab_object *a = gclab_new_dict(h), *b = gclab_new_dict(h), *k = gclab_new_int(h, 0);
        gclab_dict_setitem(h, a, k, b);
        gclab_dict_setitem(h, b, k, a);
        gclab_decref(h, k);
        gclab_decref(h, a);
        gclab_decref(h, b);
    }
}

static const struct example {
    const char *what;
    void (*build)(gclab_heap *, int);
    int count;
} examples[] = {
    {"d = {}; d[0] = d           x10", dict_self_cycles, 10},
    {"l = [0,1,2,3]; l.append(l) x5", list_self_cycles, 5},
    {"a = C(); a.obj = a         x1", instance_self_cycle, 1},
    {"a[0] = b; b[0] = a (dicts) x1", dict_pairs, 1},
};

int gclab_demo_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("The seed articles' cycles, built and dropped, then gc.collect(), per collector.\n\n");
    printf("%-13s %-30s %9s  %s\n", "collector", "example", "collect()", "leaked at exit");
    for (size_t c = 0; c < gclab_collector_count(); c++) {
        const gclab_collector_info *ci = gclab_collector_at(c);
        for (size_t e = 0; e < sizeof examples / sizeof examples[0]; e++) {
            char err[256];
            gclab_heap *h = gclab_heap_new(ci->name, NULL, err, sizeof err);
            if (!h) {
                fprintf(stderr, "gclab: %s\n", err);
                return 1;
            }
            gclab_collect(h, ci->ngenerations - 1); /* start from a clean heap */
            examples[e].build(h, examples[e].count);
            long n = gclab_collect(h, ci->ngenerations - 1);
            gclab_leak_report r;
            gclab_heap_free(h, &r);
            size_t containers = 0;
            for (int k = 0; k < GCLAB_NKINDS; k++)
                if (k >= GCLAB_KIND_TUPLE)
                    containers += r.by_kind[k].objects;
            printf("%-13s %-30s %9ld  %zu containers (%zu objects, %zu bytes)\n", ci->name,
                   examples[e].what, n, containers, r.leaked.objects, r.leaked.bytes);
        }
    }
    printf("\ncollect() returns objects collected + uncollectable, as gc.collect() does;\n"
           "`refcount` never reclaims cycles, so they are reported as leaked at exit.\n");
    return 0;
}
