/* .Call entry points for the MCLA objective (glmmgo_mcla_*). */
#include "shim.h"

#define MCLA_KIND "glmmgo_mcla"

/* family, y[n], ntrials[n] or NULL, weights[n] or NULL, x (n*p, REAL with
   dim) , z_row/z_col (1-based integer), z_val, q, vc_of_column (1-based),
   nvc. */
SEXP gg_mcla_new(SEXP family, SEXP y, SEXP ntrials, SEXP weights, SEXP x, SEXP zrow, SEXP zcol,
                 SEXP zval, SEXP q, SEXP vcof, SEXP nvc) {
    gg_enter();
    gg_mcla_args a = gg_mcla_convert(family, y, ntrials, weights, x, zrow, zcol, zval, q, vcof, nvc);
    glmmgo_handle h = 0;
    char err[ERRLEN];
    int st = glmmgo_mcla_new(a.n, a.p, a.q, a.family, a.y, a.ntrials, a.weights, a.x, a.nnz, a.z_row,
                             a.z_col, a.z_val, a.nvc, a.vc_of_column, &h, err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_new");
    return gg_wrap_handle(h, MCLA_KIND);
}

SEXP gg_mcla_dims(SEXP ptr) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, MCLA_KIND);
    int64_t d[5];
    char err[ERRLEN];
    int st = glmmgo_mcla_dims(h, &d[0], &d[1], &d[2], &d[3], &d[4], err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_dims");
    SEXP out = PROTECT(Rf_allocVector(REALSXP, 5));
    for (int i = 0; i < 5; i++) REAL(out)[i] = (double)d[i];
    SEXP nm = PROTECT(Rf_allocVector(STRSXP, 5));
    const char *names[] = {"n", "p", "q", "nvc", "m"};
    for (int i = 0; i < 5; i++) SET_STRING_ELT(nm, i, Rf_mkChar(names[i]));
    Rf_setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(2);
    return out;
}

static int64_t mcla_q(glmmgo_handle h, int64_t *p, int64_t *nvc, int64_t *m) {
    int64_t n, q;
    char err[ERRLEN];
    int st = glmmgo_mcla_dims(h, &n, p, &q, nvc, m, err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_dims");
    return q;
}

SEXP gg_mcla_set_importance(SEXP ptr, SEXP zeta, SEXP pmix, SEXP ustar, SEXP dstar, SEXP siginv) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, MCLA_KIND);
    int64_t p, nvc, m;
    int64_t q = mcla_q(h, &p, &nvc, &m);
    char err[ERRLEN];
    int st = glmmgo_mcla_set_importance(h, gg_scalar_real(zeta, "zeta"), gg_real(pmix, 3, "p_mix", 0),
                                        gg_real(ustar, q, "u_star", 0), gg_real(dstar, q, "d_star", 0),
                                        gg_real(siginv, q * q, "sigma_inv", 1), err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_set_importance");
    return R_NilValue;
}

SEXP gg_mcla_set_samples(SEXP ptr, SEXP umat) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, MCLA_KIND);
    int64_t p, nvc, m;
    int64_t q = mcla_q(h, &p, &nvc, &m);
    SEXP dim = Rf_getAttrib(umat, R_DimSymbol);
    if (Rf_isNull(dim) || XLENGTH(dim) != 2 || INTEGER(dim)[1] != q)
        Rf_error("glmmgo: umat must be a matrix with q = %lld columns", (long long)q);
    int64_t mm = INTEGER(dim)[0];
    char err[ERRLEN];
    int st = glmmgo_mcla_set_samples(h, mm, gg_real(umat, mm * q, "umat", 0), err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_set_samples");
    return R_NilValue;
}

/* Returns list(value, gradient, hessian); gradient/hessian NULL unless
   asked for. A par outside the parameter space returns value -Inf with
   attribute "outside" TRUE rather than an error, as glmm's objfun does. */
SEXP gg_mcla_objective(SEXP ptr, SEXP par, SEXP workers, SEXP want_grad, SEXP want_hess) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, MCLA_KIND);
    int64_t p, nvc, m;
    mcla_q(h, &p, &nvc, &m);
    int64_t d = p + nvc;
    const double *pp = gg_real(par, d, "par", 0);
    int g = Rf_asLogical(want_grad) == TRUE, hs = Rf_asLogical(want_hess) == TRUE;
    SEXP grad = PROTECT(g ? Rf_allocVector(REALSXP, d) : R_NilValue);
    SEXP hess = PROTECT(hs ? Rf_allocMatrix(REALSXP, (int)d, (int)d) : R_NilValue);
    double value = 0;
    char err[ERRLEN];
    int st = glmmgo_mcla_objective(h, pp, (int32_t)gg_scalar_int(workers, "workers"), &value,
                                   g ? REAL(grad) : NULL, hs ? REAL(hess) : NULL, err, sizeof err);
    int outside = 0;
    if (st == GLMMGO_ERR_DOMAIN) {
        outside = 1;
        value = R_NegInf;
    } else {
        gg_check(st, err, "glmmgo_mcla_objective");
    }
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 4));
    SET_VECTOR_ELT(out, 0, Rf_ScalarReal(value));
    SET_VECTOR_ELT(out, 1, grad);
    SET_VECTOR_ELT(out, 2, hess);
    SET_VECTOR_ELT(out, 3, outside ? Rf_mkString(err) : R_NilValue);
    SEXP nm = PROTECT(Rf_allocVector(STRSXP, 4));
    SET_STRING_ELT(nm, 0, Rf_mkChar("value"));
    SET_STRING_ELT(nm, 1, Rf_mkChar("gradient"));
    SET_STRING_ELT(nm, 2, Rf_mkChar("hessian"));
    SET_STRING_ELT(nm, 3, Rf_mkChar("outside"));
    Rf_setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(4);
    return out;
}

SEXP gg_mcla_partial(SEXP ptr, SEXP par, SEXP begin, SEXP end, SEXP workers) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, MCLA_KIND);
    int64_t p, nvc, m;
    mcla_q(h, &p, &nvc, &m);
    int64_t len;
    char err[ERRLEN];
    int st = glmmgo_mcla_partial_length(h, &len, err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_partial_length");
    SEXP out = PROTECT(Rf_allocVector(REALSXP, len));
    /* begin is 1-based inclusive, end 1-based inclusive: rows begin..end */
    int64_t b = (int64_t)gg_scalar_real(begin, "begin") - 1, e = (int64_t)gg_scalar_real(end, "end");
    st = glmmgo_mcla_partial(h, gg_real(par, p + nvc, "par", 0), b, e, (int32_t)gg_scalar_int(workers, "workers"),
                             REAL(out), len, err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_partial");
    UNPROTECT(1);
    return out;
}

SEXP gg_mcla_merge(SEXP ptr, SEXP par, SEXP partials) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, MCLA_KIND);
    int64_t p, nvc, m;
    mcla_q(h, &p, &nvc, &m);
    int64_t d = p + nvc, len;
    char err[ERRLEN];
    int st = glmmgo_mcla_partial_length(h, &len, err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_partial_length");
    if (XLENGTH(partials) % len != 0)
        Rf_error("glmmgo: partials have %lld values, not a multiple of the partial length %lld",
                 (long long)XLENGTH(partials), (long long)len);
    int64_t np = XLENGTH(partials) / len;
    SEXP grad = PROTECT(Rf_allocVector(REALSXP, d));
    SEXP hess = PROTECT(Rf_allocMatrix(REALSXP, (int)d, (int)d));
    double value;
    st = glmmgo_mcla_merge(h, gg_real(par, d, "par", 0), np, gg_real(partials, -1, "partials", 0), len, &value,
                           REAL(grad), REAL(hess), err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_merge");
    SEXP out = PROTECT(Rf_allocVector(VECSXP, 3));
    SET_VECTOR_ELT(out, 0, Rf_ScalarReal(value));
    SET_VECTOR_ELT(out, 1, grad);
    SET_VECTOR_ELT(out, 2, hess);
    SEXP nm = PROTECT(Rf_allocVector(STRSXP, 3));
    SET_STRING_ELT(nm, 0, Rf_mkChar("value"));
    SET_STRING_ELT(nm, 1, Rf_mkChar("gradient"));
    SET_STRING_ELT(nm, 2, Rf_mkChar("hessian"));
    Rf_setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(4);
    return out;
}
