/* .Call entry points for linear mixed models (glmmgo_lmm_*): one small
   function per engine call. Results of models and fits are read by
   gg_result (results.c). */
#include "shim.h"

/* y[n]; x: n*p double matrix; weights[n] or NULL; nlevels, ncols:
   integer[nterms]; codes: integer n*nterms matrix of 1-based level codes;
   z: double, the term model matrices one after another. */
SEXP gg_lmm_new(SEXP y, SEXP x, SEXP weights, SEXP nlevels, SEXP ncols, SEXP codes, SEXP z) {
    gg_enter();
    R_xlen_t n = XLENGTH(y);
    int64_t p = gg_matrix_cols(x, n);
    gg_terms t = gg_terms_of(nlevels, ncols, codes, z, n);
    glmmgo_handle h = 0;
    char err[ERRLEN];
    int st = glmmgo_lmm_new((int64_t)n, p, gg_real(y, n, "y", 0), p > 0 ? gg_real(x, n * p, "x", 0) : NULL,
                            gg_real(weights, n, "weights", 1), t.nterms, t.nlevels, t.ncols, t.codes,
                            t.z, &h, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_new");
    return gg_wrap_handle(h);
}

/* The ML deviance (reml FALSE) or REML criterion at theta. */
SEXP gg_lmm_objective(SEXP ptr, SEXP theta, SEXP reml, SEXP workers) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    double v = 0;
    char err[ERRLEN];
    int st = glmmgo_lmm_objective(h, gg_real(theta, -1, "theta", 0), (int64_t)XLENGTH(theta), Rf_asLogical(reml) == TRUE,
                                  (int32_t)gg_scalar_int(workers, "workers"), &v, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_objective");
    return Rf_ScalarReal(v);
}

/* lme4's deviance components at theta: c(ldL2, ldRX2, wrss, ussq, pwrss, ldW). */
SEXP gg_lmm_deviance_parts(SEXP ptr, SEXP theta, SEXP workers) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    const char *names[] = {"ldL2", "ldRX2", "wrss", "ussq", "pwrss", "ldW"};
    SEXP out = PROTECT(Rf_allocVector(REALSXP, 6));
    char err[ERRLEN];
    int st = glmmgo_lmm_deviance_parts(h, gg_real(theta, -1, "theta", 0), (int64_t)XLENGTH(theta),
                                       (int32_t)gg_scalar_int(workers, "workers"), REAL(out), 6, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_deviance_parts");
    SEXP nm = PROTECT(Rf_allocVector(STRSXP, 6));
    for (int i = 0; i < 6; i++) SET_STRING_ELT(nm, i, Rf_mkChar(names[i]));
    Rf_setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(2);
    return out;
}

/* The criterion, its gradient and (hessian TRUE) its Hessian in theta:
   list(value, gradient, hessian or NULL); sigma_mode 0 profiled, 1 fixed. */
SEXP gg_lmm_derivatives(SEXP ptr, SEXP theta, SEXP reml, SEXP sigma_mode, SEXP hessian, SEXP workers) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    R_xlen_t k = XLENGTH(theta);
    const double *th = gg_real(theta, -1, "theta", 0);
    int want_h = Rf_asLogical(hessian) == TRUE;
    SEXP g = PROTECT(Rf_allocVector(REALSXP, k));
    SEXP H = PROTECT(want_h ? Rf_allocMatrix(REALSXP, (int)k, (int)k) : R_NilValue);
    double v = 0;
    char err[ERRLEN];
    int st = glmmgo_lmm_derivatives(h, th, (int64_t)k, Rf_asLogical(reml) == TRUE,
                                    (int32_t)gg_scalar_int(sigma_mode, "sigma_mode"),
                                    (int32_t)gg_scalar_int(workers, "workers"), &v, REAL(g), (int64_t)k,
                                    want_h ? REAL(H) : NULL, want_h ? (int64_t)k * k : 0, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_derivatives");
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 3));
    SET_VECTOR_ELT(out, 0, Rf_ScalarReal(v));
    SET_VECTOR_ELT(out, 1, g);
    SET_VECTOR_ELT(out, 2, H);
    SEXP nm = PROTECT(Rf_allocVector(STRSXP, 3));
    SET_STRING_ELT(nm, 0, Rf_mkChar("value"));
    SET_STRING_ELT(nm, 1, Rf_mkChar("gradient"));
    SET_STRING_ELT(nm, 2, Rf_mkChar("hessian"));
    Rf_setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(4);
    return out;
}

/* Fits the model into a new fit handle. opts: a list with any of reml,
   start (NULL or theta), rhobeg, rhoend, maxeval, workers, optimizer; the others keep
   glmmgo_lmm_options_default's values. Returns the fit's handle, or NULL
   when the user interrupted (Ctrl-C). */
SEXP gg_lmm_fit(SEXP ptr, SEXP opts, SEXP verbose) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    char err[ERRLEN];
    glmmgo_lmm_options o;
    gg_check(glmmgo_lmm_options_default(&o, sizeof o, err, sizeof err), err, "glmmgo_lmm_options_default");
    SEXP v;
    if ((v = gg_list_elt(opts, "reml")) != NULL) o.reml = Rf_asLogical(v) == TRUE;
    if ((v = gg_list_elt(opts, "start")) != NULL && !Rf_isNull(v)) {
        o.start = gg_real(v, -1, "start", 0);
        o.start_len = (int64_t)XLENGTH(v);
    }
    if ((v = gg_list_elt(opts, "rhobeg")) != NULL) o.rhobeg = gg_scalar_real(v, "rhobeg");
    if ((v = gg_list_elt(opts, "rhoend")) != NULL) o.rhoend = gg_scalar_real(v, "rhoend");
    if ((v = gg_list_elt(opts, "maxeval")) != NULL) o.maxeval = gg_scalar_int64(v, "maxeval");
    if ((v = gg_list_elt(opts, "workers")) != NULL) o.workers = (int32_t)gg_scalar_int(v, "workers");
    if ((v = gg_list_elt(opts, "optimizer")) != NULL) o.optimizer = (int32_t)gg_scalar_int(v, "optimizer");
    gg_progress prog = {Rf_asInteger(verbose) > 0, 0, 1};
    glmmgo_handle fit = 0;
    int st = glmmgo_lmm_fit(h, &o, gg_progress_cb, &prog, &fit, err, sizeof err);
    gg_restore_onstack();
    if (st == GLMMGO_ERR_CANCELLED && prog.interrupted) return R_NilValue;
    gg_check(st, err, "glmmgo_lmm_fit");
    return gg_wrap_handle(fit);
}
