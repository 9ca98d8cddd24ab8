/*
 * runtime/splitmix64.h -- splitmix64 (Steele, Lea & Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014; Vigna's reference C code):
 * the one pseudorandom stream gclab uses, for workloads (seeded by the
 * run's seed), the suite's run order and the bootstrap.  One definition, so
 * that a seed means the same stream everywhere.
 */
#ifndef GCLAB_SPLITMIX64_H
#define GCLAB_SPLITMIX64_H

#include <stdint.h>

/* The next value of the stream whose state is *s (s advances). */
static inline uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

#endif
