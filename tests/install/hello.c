/* A user's own workload, built against an installed gclab with pkg-config
 * (tests/test_install.sh): d = {}; d[0] = d ten times, then gc.collect(). */
#include <gclab/gclab.h>

#include <stdio.h>

int main(void)
{
    char err[256];
    gclab_heap *h = gclab_heap_new("generational", NULL, err, sizeof err);
    if (!h) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    for (int i = 0; i < 10; i++) {
        gclab_object *d = gclab_new_dict(h), *zero = gclab_new_int(h, 0);
        gclab_dict_setitem(h, d, zero, d);
        gclab_decref(h, zero);
        gclab_decref(h, d);
    }
    printf("collected %ld\n", gclab_collect(h, 2));
    gclab_heap_free(h, NULL);
    return 0;
}
