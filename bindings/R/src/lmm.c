/* .Call entry points for linear mixed models (glmmgo_lmm_*). Compiled
   against the LMM part of glmmgo.h when the library has it (configure
   defines GLMMGO_HAVE_LMM); otherwise every entry point says what is
   missing. */
#include "shim.h"

#define LMM_KIND "glmmgo_lmm"

#ifdef GLMMGO_HAVE_LMM

typedef struct {
    int64_t n, p, pgiven, ntheta, q, nterms;
} lmm_dims;

static lmm_dims get_dims(glmmgo_handle h) {
    lmm_dims d;
    char err[ERRLEN];
    int st = glmmgo_lmm_dims(h, &d.n, &d.p, &d.pgiven, &d.ntheta, &d.q, &d.nterms, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_dims");
    return d;
}

/* y[n]; x: n*p double matrix; weights[n] or NULL; nlevels, ncols:
   integer[nterms]; codes: integer n*nterms matrix of 1-based level codes;
   z: double, the term model matrices one after another. */
SEXP gg_lmm_new(SEXP y, SEXP x, SEXP weights, SEXP nlevels, SEXP ncols, SEXP codes, SEXP z) {
    gg_enter();
    R_xlen_t n = XLENGTH(y);
    int64_t p = gg_matrix_cols(x, n);
    R_xlen_t nterms = XLENGTH(nlevels);
    int64_t *nl = gg_int64_from_int(nlevels, nterms, "nlevels", 0);
    int64_t *nc = gg_int64_from_int(ncols, nterms, "ncols", 0);
    int64_t *cd = gg_int64_from_int(codes, n * nterms, "codes", 1);
    R_xlen_t zlen = 0;
    for (R_xlen_t t = 0; t < nterms; t++) zlen += n * nc[t];
    glmmgo_handle h = 0;
    char err[ERRLEN];
    int st = glmmgo_lmm_new((int64_t)n, p, gg_real(y, n, "y", 0), p > 0 ? gg_real(x, n * p, "x", 0) : NULL,
                            gg_real(weights, n, "weights", 1), (int64_t)nterms, nl, nc, cd,
                            gg_real(z, zlen, "z", 0), &h, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_new");
    return gg_wrap_handle(h, LMM_KIND);
}

SEXP gg_lmm_dims(SEXP ptr) {
    gg_enter();
    lmm_dims d = get_dims(gg_handle(ptr, LMM_KIND));
    const char *names[] = {"n", "p", "p_given", "ntheta", "q", "nterms"};
    SEXP out = PROTECT(Rf_allocVector(REALSXP, 6));
    double v[] = {(double)d.n, (double)d.p, (double)d.pgiven, (double)d.ntheta, (double)d.q, (double)d.nterms};
    SEXP nm = PROTECT(Rf_allocVector(STRSXP, 6));
    for (int i = 0; i < 6; i++) {
        REAL(out)[i] = v[i];
        SET_STRING_ELT(nm, i, Rf_mkChar(names[i]));
    }
    Rf_setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(2);
    return out;
}

/* Structure of the model: list(order (1-based input index of each term
   in model order), kept (1-based kept columns of X), lower (theta bounds)). */
SEXP gg_lmm_structure(SEXP ptr) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, LMM_KIND);
    lmm_dims d = get_dims(h);
    char err[ERRLEN];
    int64_t *ord = (int64_t *)R_alloc(d.nterms, sizeof(int64_t));
    int64_t *kept = (int64_t *)R_alloc(d.p > 0 ? d.p : 1, sizeof(int64_t));
    int st = glmmgo_lmm_term_order(h, ord, d.nterms, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_term_order");
    st = glmmgo_lmm_kept_columns(h, kept, d.p, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_kept_columns");
    const char *names[] = {"order", "kept", "lower"};
    SEXP out = PROTECT(gg_named_list(3, names));
    SEXP o = PROTECT(Rf_allocVector(INTSXP, d.nterms));
    for (int64_t i = 0; i < d.nterms; i++) INTEGER(o)[i] = (int)ord[i] + 1;
    SEXP k = PROTECT(Rf_allocVector(INTSXP, d.p));
    for (int64_t i = 0; i < d.p; i++) INTEGER(k)[i] = (int)kept[i] + 1;
    SEXP lo = PROTECT(Rf_allocVector(REALSXP, d.ntheta));
    st = glmmgo_lmm_lower(h, REAL(lo), d.ntheta, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_lower");
    SET_VECTOR_ELT(out, 0, o);
    SET_VECTOR_ELT(out, 1, k);
    SET_VECTOR_ELT(out, 2, lo);
    UNPROTECT(4);
    return out;
}

SEXP gg_lmm_objective(SEXP ptr, SEXP theta, SEXP reml) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, LMM_KIND);
    lmm_dims d = get_dims(h);
    double v = 0;
    char err[ERRLEN];
    int st = glmmgo_lmm_objective(h, gg_real(theta, d.ntheta, "theta", 0), Rf_asLogical(reml) == TRUE, &v, err,
                                  sizeof err);
    gg_check(st, err, "glmmgo_lmm_objective");
    return Rf_ScalarReal(v);
}

/* Fits; returns TRUE, or FALSE when the user interrupted (Ctrl-C). */
SEXP gg_lmm_fit(SEXP ptr, SEXP reml, SEXP theta0, SEXP rhobeg, SEXP rhoend, SEXP maxeval, SEXP verbose) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, LMM_KIND);
    lmm_dims d = get_dims(h);
    gg_progress prog = {Rf_asInteger(verbose) > 0, 0, 1};
    char err[ERRLEN];
    int st = glmmgo_lmm_fit(h, Rf_asLogical(reml) == TRUE, gg_real(theta0, d.ntheta, "start", 1),
                            gg_scalar_real(rhobeg, "rhobeg"), gg_scalar_real(rhoend, "rhoend"),
                            (int64_t)gg_scalar_real(maxeval, "maxeval"), gg_progress_cb, &prog, err, sizeof err);
    gg_restore_onstack();
    if (st == GLMMGO_ERR_CANCELLED && prog.interrupted) return Rf_ScalarLogical(FALSE);
    gg_check(st, err, "glmmgo_lmm_fit");
    return Rf_ScalarLogical(TRUE);
}

/* Everything about the last fit, in one list. */
SEXP gg_lmm_result(SEXP ptr, SEXP condvar_len) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, LMM_KIND);
    lmm_dims d = get_dims(h);
    char err[ERRLEN];
    double obj, ll, dev, rc, aic, bic, sigma;
    int64_t evals;
    int32_t conv, sing, reml;
    int st = glmmgo_lmm_fit_info(h, &obj, &ll, &dev, &rc, &aic, &bic, &sigma, &evals, &conv, &sing, &reml, err,
                                 sizeof err);
    gg_check(st, err, "glmmgo_lmm_fit_info");
    const char *names[] = {"objective", "logLik", "deviance", "REMLcrit", "AIC", "BIC", "sigma", "evals",
                           "converged", "singular", "REML", "theta", "beta", "se", "vcov", "b", "u", "condvar"};
    SEXP out = PROTECT(gg_named_list(18, names));
    double sc[] = {obj, ll, dev, rc, aic, bic, sigma, (double)evals};
    for (int i = 0; i < 8; i++) SET_VECTOR_ELT(out, i, Rf_ScalarReal(sc[i]));
    SET_VECTOR_ELT(out, 8, Rf_ScalarLogical(conv != 0));
    SET_VECTOR_ELT(out, 9, Rf_ScalarLogical(sing != 0));
    SET_VECTOR_ELT(out, 10, Rf_ScalarLogical(reml != 0));
    SEXP th = Rf_allocVector(REALSXP, d.ntheta);
    SET_VECTOR_ELT(out, 11, th);
    st = glmmgo_lmm_theta(h, REAL(th), d.ntheta, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_theta");
    SEXP beta = Rf_allocVector(REALSXP, d.p);
    SET_VECTOR_ELT(out, 12, beta);
    SEXP se = Rf_allocVector(REALSXP, d.p);
    SET_VECTOR_ELT(out, 13, se);
    SEXP vc = Rf_allocMatrix(REALSXP, (int)d.p, (int)d.p);
    SET_VECTOR_ELT(out, 14, vc);
    st = glmmgo_lmm_beta(h, REAL(beta), REAL(se), REAL(vc), d.p, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_beta");
    SEXP b = Rf_allocVector(REALSXP, d.q);
    SET_VECTOR_ELT(out, 15, b);
    SEXP u = Rf_allocVector(REALSXP, d.q);
    SET_VECTOR_ELT(out, 16, u);
    st = glmmgo_lmm_ranef(h, REAL(b), REAL(u), d.q, err, sizeof err);
    gg_check(st, err, "glmmgo_lmm_ranef");
    R_xlen_t len = (R_xlen_t)gg_scalar_real(condvar_len, "condvar_len");
    if (len > 0) {
        SEXP cv = Rf_allocVector(REALSXP, len);
        SET_VECTOR_ELT(out, 17, cv);
        st = glmmgo_lmm_condvar(h, REAL(cv), (int64_t)len, err, sizeof err);
        gg_check(st, err, "glmmgo_lmm_condvar");
    }
    UNPROTECT(1);
    return out;
}

#else /* no LMM in this build of libglmmgo */

static void missing(void) {
    Rf_error("this build of libglmmgo has no LMM functions (glmmgo_lmm_* are not declared in the glmmgo.h it "
             "was built from); reinstall glmmgo from a glmmgo checkout that includes the LMM engine");
}
SEXP gg_lmm_new(SEXP y, SEXP x, SEXP w, SEXP nl, SEXP nc, SEXP cd, SEXP z) { missing(); return R_NilValue; }
SEXP gg_lmm_dims(SEXP ptr) { missing(); return R_NilValue; }
SEXP gg_lmm_structure(SEXP ptr) { missing(); return R_NilValue; }
SEXP gg_lmm_objective(SEXP ptr, SEXP theta, SEXP reml) { missing(); return R_NilValue; }
SEXP gg_lmm_fit(SEXP ptr, SEXP reml, SEXP t0, SEXP rb, SEXP re, SEXP me, SEXP v) { missing(); return R_NilValue; }
SEXP gg_lmm_result(SEXP ptr, SEXP cv) { missing(); return R_NilValue; }

#endif

SEXP gg_has_lmm(void) {
#ifdef GLMMGO_HAVE_LMM
    return Rf_ScalarLogical(TRUE);
#else
    return Rf_ScalarLogical(FALSE);
#endif
}
