/* runtime/version.c -- what build this is. */
#include <gclab/gclab.h>

const char *gclab_version(void)
{
    return GCLAB_VERSION " (" GCLAB_GIT_COMMIT ", allocator " GCLAB_ALLOCATOR_NAME ")";
}
