/*
 * tests/test.h -- what every test file includes: cmocka and gclab, and a
 * heap constructor that fails the test with the library's message.
 */
#ifndef GCLAB_TEST_H
#define GCLAB_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <gclab/gclab.h>

static inline gclab_heap *test_heap(const char *collector, const gclab_config *config)
{
    char err[256] = "";
    gclab_heap *h = gclab_heap_new(collector, config, err, sizeof err);
    if (!h)
        fail_msg("gclab_heap_new(%s): %s", collector, err);
    return h;
}

/* Net objects of a kind alive now. */
static inline size_t live_of(gclab_heap *h, gclab_kind k)
{
    gclab_heap_stats s;
    gclab_heap_get_stats(h, &s);
    return s.by_kind[k].objects;
}

static inline size_t live_objects(gclab_heap *h)
{
    gclab_heap_stats s;
    gclab_heap_get_stats(h, &s);
    return s.live.objects;
}

#endif
