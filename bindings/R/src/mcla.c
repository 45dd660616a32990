/* .Call entry points for the MCLA engine (glmmgo_mcla_*) and its fits: one
   small function per engine call. Results of fits are read by gg_result
   (results.c). */
#include "shim.h"

/* family, y[n], ntrials[n] or NULL, weights[n] or NULL, x (n*p, REAL with
   dim), z_row/z_col (1-based integer), z_val, q, vc_of_column (1-based),
   nvc. */
SEXP gg_mcla_new(SEXP family, SEXP y, SEXP ntrials, SEXP weights, SEXP x, SEXP zrow, SEXP zcol,
                 SEXP zval, SEXP q, SEXP vcof, SEXP nvc) {
    gg_enter();
    R_xlen_t n = XLENGTH(y), nnz = XLENGTH(zval);
    int64_t p = gg_matrix_cols(x, n), nq = gg_scalar_int(q, "q");
    glmmgo_handle h = 0;
    char err[ERRLEN];
    int st = glmmgo_mcla_new((int64_t)n, p, nq, (int32_t)gg_scalar_int(family, "family"), gg_real(y, n, "y", 0),
                             gg_real(ntrials, n, "ntrials", 1), gg_real(weights, n, "weights", 1),
                             p > 0 ? gg_real(x, n * p, "x", 0) : NULL, (int64_t)nnz,
                             gg_int64_from_int(zrow, nnz, "z_row", 1), gg_int64_from_int(zcol, nnz, "z_col", 1),
                             gg_real(zval, nnz, "z_val", 0), gg_scalar_int(nvc, "nvc"),
                             gg_int64_from_int(vcof, nq, "vc_of_column", 1), &h, err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_new");
    return gg_wrap_handle(h);
}

SEXP gg_mcla_set_importance(SEXP ptr, SEXP zeta, SEXP pmix, SEXP ustar, SEXP dstar, SEXP siginv) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    int64_t q = gg_dims_of(h).q;
    char err[ERRLEN];
    int st = glmmgo_mcla_set_importance(h, gg_scalar_real(zeta, "zeta"), gg_real(pmix, 3, "p_mix", 0),
                                        gg_real(ustar, q, "u_star", 0), gg_real(dstar, q, "d_star", 0),
                                        gg_real(siginv, q * q, "sigma_inv", 1), err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_set_importance");
    return R_NilValue;
}

SEXP gg_mcla_set_samples(SEXP ptr, SEXP umat) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    int64_t q = gg_dims_of(h).q;
    SEXP dim = Rf_getAttrib(umat, R_DimSymbol);
    if (Rf_isNull(dim) || XLENGTH(dim) != 2 || INTEGER(dim)[1] != q)
        Rf_error("glmmgo: umat must be a matrix with q = %lld columns", (long long)q);
    int64_t mm = INTEGER(dim)[0];
    char err[ERRLEN];
    int st = glmmgo_mcla_set_samples(h, mm, gg_real(umat, mm * q, "umat", 0), err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_set_samples");
    return R_NilValue;
}

/* The negative binomial size r of the model. */
SEXP gg_mcla_set_dispersion(SEXP ptr, SEXP dispersion) {
    gg_enter();
    char err[ERRLEN];
    gg_check(glmmgo_mcla_set_dispersion(gg_handle(ptr), gg_scalar_real(dispersion, "dispersion"), err, sizeof err), err,
             "glmmgo_mcla_set_dispersion");
    return R_NilValue;
}

/* Returns list(value, gradient, hessian, outside); gradient/hessian NULL
   unless asked for. A par outside the parameter space returns value -Inf and
   the library's message in `outside` rather than an error, as glmm's objfun. */
SEXP gg_mcla_objective(SEXP ptr, SEXP par, SEXP workers, SEXP want_grad, SEXP want_hess) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    int64_t d = gg_dims_of(h).npar;
    const double *pp = gg_real(par, d, "par", 0);
    int g = Rf_asLogical(want_grad) == TRUE, hs = Rf_asLogical(want_hess) == TRUE;
    SEXP grad = PROTECT(g ? Rf_allocVector(REALSXP, d) : R_NilValue);
    SEXP hess = PROTECT(hs ? Rf_allocMatrix(REALSXP, (int)d, (int)d) : R_NilValue);
    double value = 0;
    char err[ERRLEN];
    int st = glmmgo_mcla_objective(h, pp, (int32_t)gg_scalar_int(workers, "workers"), &value,
                                   g ? REAL(grad) : NULL, hs ? REAL(hess) : NULL, err, sizeof err);
    int outside = st == GLMMGO_ERR_DOMAIN;
    if (outside) value = R_NegInf;
    else gg_check(st, err, "glmmgo_mcla_objective");
    const char *names[] = {"value", "gradient", "hessian", "outside"};
    SEXP out = PROTECT(gg_named_list(4, names));
    SET_VECTOR_ELT(out, 0, Rf_ScalarReal(value));
    SET_VECTOR_ELT(out, 1, grad);
    SET_VECTOR_ELT(out, 2, hess);
    SET_VECTOR_ELT(out, 3, outside ? Rf_mkString(err) : R_NilValue);
    UNPROTECT(3);
    return out;
}

/* The partial of samples first..last (1-based, inclusive) at par. */
SEXP gg_mcla_partial(SEXP ptr, SEXP par, SEXP first, SEXP last, SEXP workers) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    int64_t d = gg_dims_of(h).npar, len;
    char err[ERRLEN];
    gg_check(glmmgo_mcla_partial_length(h, &len, err, sizeof err), err, "glmmgo_mcla_partial_length");
    SEXP out = PROTECT(Rf_allocVector(REALSXP, len));
    int64_t b = gg_scalar_int64_in(first, "first", 1) - 1, e = gg_scalar_int64_in(last, "last", 1);
    int st = glmmgo_mcla_partial(h, gg_real(par, d, "par", 0), d, b, e, (int32_t)gg_scalar_int(workers, "workers"),
                                 REAL(out), len, err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_partial");
    UNPROTECT(1);
    return out;
}

SEXP gg_mcla_merge(SEXP ptr, SEXP par, SEXP partials) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    int64_t d = gg_dims_of(h).npar, len;
    char err[ERRLEN];
    gg_check(glmmgo_mcla_partial_length(h, &len, err, sizeof err), err, "glmmgo_mcla_partial_length");
    if (XLENGTH(partials) % len != 0)
        Rf_error("glmmgo: partials have %lld values, not a multiple of the partial length %lld",
                 (long long)XLENGTH(partials), (long long)len);
    int64_t np = XLENGTH(partials) / len;
    const char *names[] = {"value", "gradient", "hessian"};
    SEXP out = PROTECT(gg_named_list(3, names));
    SEXP grad = Rf_allocVector(REALSXP, d);
    SET_VECTOR_ELT(out, 1, grad);
    SEXP hess = Rf_allocMatrix(REALSXP, (int)d, (int)d);
    SET_VECTOR_ELT(out, 2, hess);
    double value;
    int st = glmmgo_mcla_merge(h, gg_real(par, d, "par", 0), d, np, gg_real(partials, -1, "partials", 0), len, &value,
                               REAL(grad), REAL(hess), err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_merge");
    SET_VECTOR_ELT(out, 0, Rf_ScalarReal(value));
    UNPROTECT(1);
    return out;
}

/* Fits the model (glmm's glmm()) into a new fit handle. opts: a list with any
   of the fields of glmmgo_mcla_options (m, p_mix, zeta, seed, workers, no_pql,
   rinit, rmax, iterlim, start, ess_warn, t_at_ustar, dispersion_lo,
   dispersion_hi, stages, m_pilot, ess_target, rel_mcse, m_max, time_max,
   sample_memory, estimator); the others keep glmmgo_mcla_options_default's values
   (R checks the ranges of the integer-valued doubles before they come
   here).
   Returns the fit's handle, or NULL when the user interrupted (Ctrl-C). */
/* Fills *o from the list opts (the fields of glmmgo_mcla_options; see
   gg_mcla_fit), the others keeping glmmgo_mcla_options_default's values. */
void gg_mcla_options_of(SEXP opts, glmmgo_mcla_options *opt) {
    char err[ERRLEN];
    glmmgo_mcla_options o;
    gg_check(glmmgo_mcla_options_default(&o, sizeof o, err, sizeof err), err, "glmmgo_mcla_options_default");
    SEXP v;
    if ((v = gg_list_elt(opts, "m")) != NULL) o.m = gg_scalar_int64_in(v, "m", GLMMGO_M_AUTO); /* glmm() has checked m >= 1 or "auto" */
    if ((v = gg_list_elt(opts, "p_mix")) != NULL) {
        const double *pm = gg_real(v, 3, "p_mix", 0);
        for (int i = 0; i < 3; i++) o.p_mix[i] = pm[i];
    }
    if ((v = gg_list_elt(opts, "zeta")) != NULL) o.zeta = gg_scalar_real(v, "zeta");
    if ((v = gg_list_elt(opts, "seed")) != NULL) o.seed = (uint64_t)gg_scalar_int64(v, "seed");
    if ((v = gg_list_elt(opts, "workers")) != NULL) o.workers = (int32_t)gg_scalar_int(v, "workers");
    if ((v = gg_list_elt(opts, "no_pql")) != NULL) o.no_pql = Rf_asLogical(v) == TRUE;
    if ((v = gg_list_elt(opts, "rinit")) != NULL) o.rinit = gg_scalar_real(v, "rinit");
    if ((v = gg_list_elt(opts, "rmax")) != NULL) o.rmax = gg_scalar_real(v, "rmax");
    if ((v = gg_list_elt(opts, "iterlim")) != NULL) o.iterlim = gg_scalar_int64_in(v, "iterlim", 1);
    if ((v = gg_list_elt(opts, "start")) != NULL && !Rf_isNull(v)) {
        o.start = gg_real(v, -1, "start", 0);
        o.start_len = (int64_t)XLENGTH(v);
    }
    if ((v = gg_list_elt(opts, "ess_warn")) != NULL) o.ess_warn = gg_scalar_real(v, "ess_warn");
    if ((v = gg_list_elt(opts, "t_at_ustar")) != NULL) o.t_at_ustar = Rf_asLogical(v) == TRUE;
    if ((v = gg_list_elt(opts, "dispersion_lo")) != NULL) o.dispersion_lo = gg_scalar_real(v, "dispersion_lo");
    if ((v = gg_list_elt(opts, "dispersion_hi")) != NULL) o.dispersion_hi = gg_scalar_real(v, "dispersion_hi");
    if ((v = gg_list_elt(opts, "stages")) != NULL) o.stages = (int32_t)gg_scalar_int(v, "stages");
    if ((v = gg_list_elt(opts, "m_pilot")) != NULL) o.m_pilot = (int64_t)gg_scalar_real(v, "m_pilot");
    if ((v = gg_list_elt(opts, "ess_target")) != NULL) o.ess_target = gg_scalar_real(v, "ess_target");
    if ((v = gg_list_elt(opts, "rel_mcse")) != NULL) o.rel_mcse = gg_scalar_real(v, "rel_mcse");
    if ((v = gg_list_elt(opts, "m_max")) != NULL) o.m_max = (int64_t)gg_scalar_real(v, "m_max");
    if ((v = gg_list_elt(opts, "time_max")) != NULL) o.time_max = gg_scalar_real(v, "time_max");
    if ((v = gg_list_elt(opts, "sample_memory")) != NULL) o.sample_memory = (int64_t)gg_scalar_real(v, "sample_memory");
    if ((v = gg_list_elt(opts, "estimator")) != NULL) o.estimator = (int32_t)gg_scalar_int(v, "estimator");
    *opt = o;
}

SEXP gg_mcla_fit(SEXP ptr, SEXP opts, SEXP verbose) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    char err[ERRLEN];
    glmmgo_mcla_options o;
    gg_mcla_options_of(opts, &o);
    gg_progress prog = {Rf_asInteger(verbose) > 0, 0, 1};
    glmmgo_handle fit = 0;
    int st = glmmgo_mcla_fit(h, &o, gg_progress_cb, &prog, &fit, err, sizeof err);
    gg_restore_onstack();
    if (st == GLMMGO_ERR_CANCELLED && prog.interrupted) return R_NilValue;
    gg_check(st, err, "glmmgo_mcla_fit");
    return gg_wrap_handle(fit);
}

/* Sets on an MCLA model the importance density and samples of a fit. */
SEXP gg_mcla_set_fit_samples(SEXP model, SEXP fit) {
    gg_enter();
    char err[ERRLEN];
    gg_check(glmmgo_mcla_set_fit_samples(gg_handle(model), gg_handle(fit), err, sizeof err), err,
             "glmmgo_mcla_set_fit_samples");
    return R_NilValue;
}

/* Wald intervals of a fit (MCLA or mixlogit) at level: an npar x 2 matrix. */
SEXP gg_confint(SEXP ptr, SEXP level) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    struct glmmgo_dims d = gg_dims_of(h);
    int64_t np = d.kind == GLMMGO_KIND_LAPLACE_FIT ? d.p : d.npar; /* a laplace fit's intervals are beta's */
    SEXP out = PROTECT(Rf_allocMatrix(REALSXP, (int)np, 2));
    char err[ERRLEN];
    int st = glmmgo_confint(h, gg_scalar_real(level, "level"), REAL(out), REAL(out) + np, np, err, sizeof err);
    gg_check(st, err, "glmmgo_confint");
    UNPROTECT(1);
    return out;
}
