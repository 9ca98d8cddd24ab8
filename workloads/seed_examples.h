/*
 * workloads/seed_examples.h -- the reference cycles from the articles gclab
 * was started from (shared/seeds/), each built and dropped.
 */
#ifndef GCLAB_WORKLOADS_SEED_EXAMPLES_H
#define GCLAB_WORKLOADS_SEED_EXAMPLES_H

#include <gclab/gclab.h>

typedef struct seed_example {
    const char *python;   /* what the article wrote */
    gclab_kind kind;      /* the kind of container it leaves as cyclic garbage */
    void (*build)(gclab_heap *h);
} seed_example;

extern const seed_example seed_examples[];
extern const size_t seed_example_count;

#endif
