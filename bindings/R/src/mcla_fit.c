/* .Call entry points for MCLA fits (glmm()). Compiled against the fit part
   of glmmgo.h when the library has it (configure defines
   GLMMGO_HAVE_MCLA_FIT); otherwise the entry point says what is missing. */
#include "shim.h"

#ifdef GLMMGO_HAVE_MCLA_FIT
#include "mcla_fit_impl.h"
#else
SEXP gg_mcla_fit(SEXP model, SEXP options, SEXP verbose) {
    gg_enter();
    Rf_error("this build of libglmmgo has no MCLA fit functions (no glmmgo_mcla_fit in the glmmgo.h it was "
             "built from): glmm() needs them. The MCLA objective (mcla_objective()) is available; reinstall "
             "glmmgo from a checkout that includes the MCLA fit engine");
    return R_NilValue;
}
#endif

SEXP gg_has_mcla_fit(void) {
#ifdef GLMMGO_HAVE_MCLA_FIT
    return Rf_ScalarLogical(TRUE);
#else
    return Rf_ScalarLogical(FALSE);
#endif
}
