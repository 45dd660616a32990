/* Private to capi: what every cgo preamble of the package includes. */
#ifndef GLMMGO_CGO_H
#define GLMMGO_CGO_H
/* glmmgo.h declares its functions with default visibility, so that the
   library exports exactly them although the package is compiled with
   -fvisibility=hidden (guard.go). */
#include "glmmgo.h"

/* The one progress trampoline (progress.c): Go cannot call a C function
   pointer. Hidden like every other symbol of the package. */
int glmmgo_call_progress(glmmgo_progress_fn fn, void *userdata, int64_t iter, double objective, const double *par,
                         int64_t npar);
/* The partials trampoline of a fit whose sample lives in other processes
   (mcla_cluster.c). */
int glmmgo_call_partials(glmmgo_mcla_partials_fn fn, void *userdata, const glmmgo_mcla_request *req);
#endif
