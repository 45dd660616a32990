/* Go cannot call a C function pointer; progress.go calls this instead. */
#include "cgo.h"

int glmmgo_call_progress(glmmgo_progress_fn fn, void *userdata, int64_t iter, double objective, const double *par,
                         int64_t npar) {
    return fn(userdata, iter, objective, par, npar);
}
