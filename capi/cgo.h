/* Private to capi: const-qualified element types. Go cannot spell
   `const double *` in an export's signature, so exports take pointers to
   these typedefs, and the generated prototypes then match glmmgo.h's
   exactly (the build fails if they do not). */
#ifndef GLMMGO_CGO_H
#define GLMMGO_CGO_H
/* glmmgo.h declares its functions with default visibility, so that the
   library exports exactly them although the package is compiled with
   -fvisibility=hidden (guard.go). */
#include "glmmgo.h"
typedef const double glmmgo_cdouble;
typedef const int64_t glmmgo_cint64;
typedef const glmmgo_mclafit_options glmmgo_cmclafit_options;
#endif
