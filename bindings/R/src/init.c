/* Routine registration and library-level entry points. */
#include <R_ext/Rdynload.h>
#include "shim.h"

void gg_set_load_pid(void);
SEXP gg_free(SEXP ptr);
SEXP gg_handle_valid(SEXP ptr);
SEXP gg_mcla_new(SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_mcla_dims(SEXP);
SEXP gg_mcla_set_importance(SEXP, SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_mcla_set_samples(SEXP, SEXP);
SEXP gg_mcla_objective(SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_mcla_partial(SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_mcla_merge(SEXP, SEXP, SEXP);
SEXP gg_lmm_new(SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_lmm_dims(SEXP);
SEXP gg_lmm_structure(SEXP);
SEXP gg_lmm_objective(SEXP, SEXP, SEXP);
SEXP gg_lmm_fit(SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_lmm_result(SEXP, SEXP);
SEXP gg_has_lmm(void);
SEXP gg_has_mcla_fit(void);
SEXP gg_mcla_fit(SEXP, SEXP, SEXP);
SEXP gg_mclafit_new(SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP, SEXP);
SEXP gg_mclafit_result(SEXP);
SEXP gg_mclafit_confint(SEXP, SEXP);
SEXP gg_mclafit_umatrix(SEXP);

static SEXP gg_version(void) {
    gg_enter();
    return Rf_mkString(glmmgo_version());
}

static SEXP gg_available_workers(void) {
    gg_enter();
    return Rf_ScalarInteger((int)glmmgo_available_workers());
}

/* For tests: the status string of a code, from the library. */
static SEXP gg_status_string(SEXP code) {
    gg_enter();
    return Rf_mkString(glmmgo_status_string(Rf_asInteger(code)));
}

#define CALLDEF(name, n) {#name, (DL_FUNC)&name, n}

static const R_CallMethodDef call_methods[] = {
    CALLDEF(gg_version, 0),
    CALLDEF(gg_available_workers, 0),
    CALLDEF(gg_status_string, 1),
    CALLDEF(gg_free, 1),
    CALLDEF(gg_handle_valid, 1),
    CALLDEF(gg_mcla_new, 11),
    CALLDEF(gg_mcla_dims, 1),
    CALLDEF(gg_mcla_set_importance, 6),
    CALLDEF(gg_mcla_set_samples, 2),
    CALLDEF(gg_mcla_objective, 5),
    CALLDEF(gg_mcla_partial, 5),
    CALLDEF(gg_mcla_merge, 3),
    CALLDEF(gg_lmm_new, 7),
    CALLDEF(gg_lmm_dims, 1),
    CALLDEF(gg_lmm_structure, 1),
    CALLDEF(gg_lmm_objective, 3),
    CALLDEF(gg_lmm_fit, 7),
    CALLDEF(gg_lmm_result, 2),
    CALLDEF(gg_has_lmm, 0),
    CALLDEF(gg_has_mcla_fit, 0),
    CALLDEF(gg_mcla_fit, 3),
    CALLDEF(gg_mclafit_new, 12),
    CALLDEF(gg_mclafit_result, 1),
    CALLDEF(gg_mclafit_confint, 2),
    CALLDEF(gg_mclafit_umatrix, 1),
    {NULL, NULL, 0}};

void R_init_glmmgo(DllInfo *dll) {
    gg_set_load_pid();
    gg_restore_onstack();
    R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
    R_forceSymbols(dll, TRUE);
}
