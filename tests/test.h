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

/* Ordered comparisons that print both values when they fail, as
 * assert_int_equal does for ==: assert_lt(a, b) checks a < b.  Integers and
 * doubles alike: both sides are compared as long double, exact for every
 * 64-bit integer. */
#define GCLAB_ASSERT_CMP(a, op, b)                                                                           \
    do {                                                                                                     \
        long double a_ = (long double)(a), b_ = (long double)(b);                                           \
        if (!(a_ op b_))                                                                                     \
            fail_msg("expected %s %s %s, got %.21Lg %s %.21Lg", #a, #op, #b, a_, #op, b_);                  \
    } while (0)
#define assert_lt(a, b) GCLAB_ASSERT_CMP(a, <, b)
#define assert_le(a, b) GCLAB_ASSERT_CMP(a, <=, b)
#define assert_gt(a, b) GCLAB_ASSERT_CMP(a, >, b)
#define assert_ge(a, b) GCLAB_ASSERT_CMP(a, >=, b)

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
