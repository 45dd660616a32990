/* Go cannot call a C function pointer; this helper does it for
   capi/mclafit.go. Hidden: it is not part of the library's interface. */
#include "glmmgo.h"

__attribute__((visibility("hidden"))) int glmmgo_call_progress(glmmgo_progress_fn fn, void *userdata, int64_t iter,
                                                               double objective, const double *par, int64_t npar) {
    return fn(userdata, iter, objective, par, npar);
}
