/*
 * workloads/seed_examples.c -- the articles' make_cycle() examples.
 */
#include "seed_examples.h"

static void dict_self_cycle(gclab_heap *h)
{
    gclab_object *d = gclab_new_dict(h), *zero = gclab_new_int(h, 0);
    gclab_dict_setitem(h, d, zero, d);
    gclab_decref(h, zero);
    gclab_decref(h, d);
}

static void list_self_cycle(gclab_heap *h)
{
    gclab_object *l = gclab_new_list(h);
    for (int j = 0; j < 4; j++) {
        gclab_object *n = gclab_new_int(h, j);
        gclab_list_append(h, l, n);
        gclab_decref(h, n);
    }
    gclab_list_append(h, l, l);
    gclab_decref(h, l);
}

static void instance_self_cycle(gclab_heap *h)
{
    gclab_object *a = gclab_new_instance(h, 1);
    gclab_setattr(h, a, 0, a);
    gclab_decref(h, a);
}

static void dict_pair(gclab_heap *h)
{
    gclab_object *a = gclab_new_dict(h), *b = gclab_new_dict(h);
    gclab_object *ka = gclab_new_str(h, "b", 1), *kb = gclab_new_str(h, "a", 1);
    gclab_dict_setitem(h, a, ka, b);
    gclab_dict_setitem(h, b, kb, a);
    gclab_object *objs[] = {ka, kb, a, b};
    for (int i = 0; i < 4; i++)
        gclab_decref(h, objs[i]);
}

void seed_make_cycle(gclab_heap *h, seed_shape shape)
{
    static void (*const make[SEED_NSHAPES])(gclab_heap *) = {dict_self_cycle, list_self_cycle,
                                                             instance_self_cycle, dict_pair};
    make[shape](h);
}

const seed_example seed_examples[] = {
    {"d = {}; d[0] = d           x10", SEED_DICT, GCLAB_KIND_DICT, 10},
    {"l = [0,1,2,3]; l.append(l) x5", SEED_LIST, GCLAB_KIND_LIST, 5},
    {"a = C(); a.obj = a         x1", SEED_INSTANCE, GCLAB_KIND_INSTANCE, 1},
    {"a['b'] = b; b['a'] = a     x1", SEED_DICT_PAIR, GCLAB_KIND_DICT, 1},
};
const size_t seed_example_count = sizeof seed_examples / sizeof seed_examples[0];
