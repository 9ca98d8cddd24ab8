/*
 * runtime/objects.h -- the built-in types, for the runtime's own files.
 */
#ifndef GCLAB_RUNTIME_OBJECTS_H
#define GCLAB_RUNTIME_OBJECTS_H

#include "internal.h"

extern const gclab_type gclab__int_type;
extern const gclab_type gclab__str_type;
extern const gclab_type gclab__bytes_type;
extern const gclab_type gclab__tuple_type;
extern const gclab_type gclab__list_type;
extern const gclab_type gclab__dict_type;
extern const gclab_type gclab__instance_type;

#endif
