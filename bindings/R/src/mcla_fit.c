/* .Call entry points for MCLA fits (glmm()). Compiled against the fit part
   of glmmgo.h when the library has it (configure defines
   GLMMGO_HAVE_MCLA_FIT); otherwise every entry point says what is missing. */
#include <limits.h>
#include <string.h>
#include "shim.h"

SEXP gg_free(SEXP ptr);

#ifdef GLMMGO_HAVE_MCLA_FIT
#include "mcla_fit_impl.h"
#else
static void missing_fit(void) {
    gg_enter();
    Rf_error("this build of libglmmgo has no MCLA fit functions (glmmgo_mclafit_* are not declared in the "
             "glmmgo.h it was built from): glmm() needs them. The MCLA objective (mcla_objective()) is available; "
             "reinstall glmmgo from a checkout that includes the MCLA fit engine");
}
SEXP gg_mclafit_new(SEXP a, SEXP b, SEXP c, SEXP d, SEXP e, SEXP f, SEXP g, SEXP h, SEXP i, SEXP j, SEXP k,
                    SEXP l) { missing_fit(); return R_NilValue; }
SEXP gg_mcla_fit(SEXP ptr, SEXP options, SEXP verbose) { missing_fit(); return R_NilValue; }
SEXP gg_mclafit_result(SEXP ptr) { missing_fit(); return R_NilValue; }
SEXP gg_mclafit_confint(SEXP ptr, SEXP level) { missing_fit(); return R_NilValue; }
SEXP gg_mclafit_umatrix(SEXP ptr) { missing_fit(); return R_NilValue; }
#endif

SEXP gg_has_mcla_fit(void) {
#ifdef GLMMGO_HAVE_MCLA_FIT
    return Rf_ScalarLogical(TRUE);
#else
    return Rf_ScalarLogical(FALSE);
#endif
}
