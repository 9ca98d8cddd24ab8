/*
 * workloads/seed_examples.h -- the reference cycles from the articles gclab
 * was started from (shared/seeds/): make_cycle() in its four shapes.
 */
#ifndef GCLAB_WORKLOADS_SEED_EXAMPLES_H
#define GCLAB_WORKLOADS_SEED_EXAMPLES_H

#include <gclab/gclab.h>

/* In the order of the seed-cycles workload's `kind` choices. */
typedef enum seed_shape {
    SEED_DICT,      /* d = {}; d[0] = d */
    SEED_LIST,      /* l = [0, 1, 2, 3]; l.append(l) */
    SEED_INSTANCE,  /* a = C(); a.obj = a */
    SEED_DICT_PAIR, /* a = {}; b = {}; a['b'] = b; b['a'] = a */
    SEED_NSHAPES
} seed_shape;

/* Build one cycle of the shape and drop it: it is garbage on return. */
void seed_make_cycle(gclab_heap *h, seed_shape shape);

/* The articles' examples: each shape, as many times as they make it. */
typedef struct seed_example {
    const char *python; /* what the article wrote */
    seed_shape shape;
    gclab_kind kind; /* the containers it leaves */
    int times;
} seed_example;

extern const seed_example seed_examples[];
extern const size_t seed_example_count;

#endif
