/* Routine registration and library-level entry points. */
#include <R_ext/Rdynload.h>
#include "shim.h"

SEXP gg_free(SEXP ptr);
SEXP gg_handle_valid(SEXP ptr);
SEXP gg_dims(SEXP ptr);
SEXP gg_result(SEXP ptr, SEXP code, SEXP is_int);
SEXP gg_mcla_new(SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_mcla_set_importance(SEXP, SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_mcla_set_samples(SEXP, SEXP);
SEXP gg_mcla_set_dispersion(SEXP, SEXP);
SEXP gg_mcla_objective(SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_mcla_partial(SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_mcla_merge(SEXP, SEXP, SEXP);
SEXP gg_mcla_fit(SEXP, SEXP, SEXP);
SEXP gg_mcla_set_fit_samples(SEXP, SEXP);
SEXP gg_mcla_fit_cluster(SEXP, SEXP, SEXP, SEXP);
SEXP gg_mcla_worker_sample(SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_mcla_worker_partials(SEXP, SEXP, SEXP, SEXP);
SEXP gg_tcp_nodelay(void);
SEXP gg_confint(SEXP, SEXP);
SEXP gg_lmm_new(SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_lmm_objective(SEXP, SEXP, SEXP, SEXP);
SEXP gg_lmm_deviance_parts(SEXP, SEXP, SEXP);
SEXP gg_lmm_derivatives(SEXP, SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_lmm_fit(SEXP, SEXP, SEXP);
SEXP gg_mixlogit_new(SEXP, SEXP);
SEXP gg_mixlogit_objective(SEXP, SEXP, SEXP, SEXP);
SEXP gg_mixlogit_fit(SEXP, SEXP, SEXP);
SEXP gg_laplace_new(SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_laplace_objective(SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_laplace_fit(SEXP, SEXP, SEXP);

static SEXP gg_version(void) {
    gg_enter();
    return Rf_mkString(glmmgo_version());
}

/* c(library, header): the library's GLMMGO_VERSION_NUMBER and the one of
   the header this shim was compiled against (.onLoad compares them). */
static SEXP gg_version_number(void) {
    gg_enter();
    SEXP out = PROTECT(Rf_allocVector(INTSXP, 2));
    INTEGER(out)[0] = (int)glmmgo_version_number();
    INTEGER(out)[1] = GLMMGO_VERSION_NUMBER;
    UNPROTECT(1);
    return out;
}

static SEXP gg_available_workers(void) {
    gg_enter();
    return Rf_ScalarInteger((int)glmmgo_available_workers());
}

/* The engine's memory limit in bytes (a double: R has no int64); with a
   non-NULL bytes, sets it first (0 restores the default). */
static SEXP gg_memory_limit(SEXP bytes) {
    gg_enter();
    char err[ERRLEN];
    if (!Rf_isNull(bytes)) {
        int64_t b = gg_scalar_int64(bytes, "bytes");
        gg_check(glmmgo_set_memory_limit(b, err, sizeof err), err, "glmmgo_set_memory_limit");
    }
    int64_t cur = 0;
    gg_check(glmmgo_memory_limit(&cur, err, sizeof err), err, "glmmgo_memory_limit");
    return Rf_ScalarReal((double)cur);
}

/* For tests: the status string of a code, from the library. */
static SEXP gg_status_string(SEXP code) {
    gg_enter();
    return Rf_mkString(glmmgo_status_string(Rf_asInteger(code)));
}

#define CALLDEF(name, n) {#name, (DL_FUNC)&name, n}

static const R_CallMethodDef call_methods[] = {
    CALLDEF(gg_version, 0),
    CALLDEF(gg_version_number, 0),
    CALLDEF(gg_available_workers, 0),
    CALLDEF(gg_status_string, 1),
    CALLDEF(gg_memory_limit, 1),
    CALLDEF(gg_free, 1),
    CALLDEF(gg_handle_valid, 1),
    CALLDEF(gg_dims, 1),
    CALLDEF(gg_result, 3),
    CALLDEF(gg_mcla_new, 11),
    CALLDEF(gg_mcla_set_importance, 6),
    CALLDEF(gg_mcla_set_samples, 2),
    CALLDEF(gg_mcla_set_dispersion, 2),
    CALLDEF(gg_mcla_objective, 5),
    CALLDEF(gg_mcla_partial, 5),
    CALLDEF(gg_mcla_merge, 3),
    CALLDEF(gg_mcla_fit, 3),
    CALLDEF(gg_mcla_set_fit_samples, 2),
    CALLDEF(gg_mcla_fit_cluster, 4),
    CALLDEF(gg_mcla_worker_sample, 5),
    CALLDEF(gg_mcla_worker_partials, 4),
    CALLDEF(gg_tcp_nodelay, 0),
    CALLDEF(gg_confint, 2),
    CALLDEF(gg_lmm_new, 7),
    CALLDEF(gg_lmm_objective, 4),
    CALLDEF(gg_lmm_deviance_parts, 3),
    CALLDEF(gg_lmm_derivatives, 6),
    CALLDEF(gg_lmm_fit, 3),
    CALLDEF(gg_mixlogit_new, 2),
    CALLDEF(gg_mixlogit_objective, 4),
    CALLDEF(gg_mixlogit_fit, 3),
    CALLDEF(gg_laplace_new, 12),
    CALLDEF(gg_laplace_objective, 5),
    CALLDEF(gg_laplace_fit, 3),
    {NULL, NULL, 0}};

void R_init_glmmgo(DllInfo *dll) {
    gg_restore_onstack();
    R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
}
