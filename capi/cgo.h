/* Private to capi: const-qualified element types. Go cannot spell
   `const double *` in an export's signature, so exports take pointers to
   these typedefs, and the generated prototypes then match glmmgo.h's
   exactly (the build fails if they do not). */
#ifndef GLMMGO_CGO_H
#define GLMMGO_CGO_H
/* The public functions keep default visibility although the package is
   compiled with -fvisibility=hidden (guard.go): the library exports
   exactly what glmmgo.h declares. */
#pragma GCC visibility push(default)
#include "glmmgo.h"
#pragma GCC visibility pop
typedef const double glmmgo_cdouble;
typedef const int64_t glmmgo_cint64;
typedef const glmmgo_mclafit_options glmmgo_cmclafit_options;
#endif
