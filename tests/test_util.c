/*
 * tests/test_util.c -- the helpers written once and shared: splitmix64,
 * file names, bounded reading of input files, atomic commits of files.
 */
#include "test.h"

#include "runtime/splitmix64.h"

#include <stdint.h>

/* ---------------------------------------------------------------- splitmix64 */

/* Reference values: the first five outputs of splitmix64 from seed 0 and
 * from seed 1234567, computed independently with Python's big integers
 * (state += 0x9e3779b97f4a7c15, then the two xor-shift-multiply rounds and
 * the final xor-shift, each masked to 64 bits).  Seed 0's first value,
 * 0xe220a8397b1dcdaf, is the one Vigna's splitmix64.c gives; seed 1234567's
 * (6457827717110365317, 3203168211198807973, ...) are Rosetta Code's. */
static void splitmix64_reference(void **state)
{
    (void)state;
    static const uint64_t from0[5] = {UINT64_C(0xe220a8397b1dcdaf), UINT64_C(0x6e789e6aa1b965f4),
                                      UINT64_C(0x06c45d188009454f), UINT64_C(0xf88bb8a8724c81ec),
                                      UINT64_C(0x1b39896a51a8749b)};
    static const uint64_t from1234567[5] = {UINT64_C(6457827717110365317), UINT64_C(3203168211198807973),
                                            UINT64_C(9817491932198370423), UINT64_C(4593380528125082431),
                                            UINT64_C(16408922859458223821)};
    uint64_t s = 0;
    for (int i = 0; i < 5; i++)
        assert_int_equal(splitmix64(&s), from0[i]);
    assert_int_equal(s, UINT64_C(5) * UINT64_C(0x9e3779b97f4a7c15)); /* the state advanced 5 steps */
    s = 1234567;
    for (int i = 0; i < 5; i++)
        assert_int_equal(splitmix64(&s), from1234567[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splitmix64_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
