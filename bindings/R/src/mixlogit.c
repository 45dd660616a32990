/* .Call entry points for the two-class mixture of logistic random-intercept
   models (glmmgo_mixlogit_*): one small function per engine call. Results
   of fits are read by gg_result (results.c), Wald intervals by gg_confint
   (mcla.c). */
#include "shim.h"

/* y, x: n x t double matrices of the same shape (R/mixlogit.R checks them). */
SEXP gg_mixlogit_new(SEXP y, SEXP x) {
    gg_enter();
    SEXP dim = Rf_getAttrib(y, R_DimSymbol);
    if (Rf_isNull(dim) || XLENGTH(dim) != 2) Rf_error("glmmgo: internal: y must be a matrix");
    int64_t n = INTEGER(dim)[0], t = INTEGER(dim)[1];
    if (gg_matrix_cols(x, (R_xlen_t)n) != t) Rf_error("glmmgo: internal: x must have the shape of y");
    glmmgo_handle h = 0;
    char err[ERRLEN];
    int st = glmmgo_mixlogit_new(n, t, gg_real(y, (R_xlen_t)(n * t), "y", 0), gg_real(x, (R_xlen_t)(n * t), "x", 0), &h, err,
                                 sizeof err);
    gg_check(st, err, "glmmgo_mixlogit_new");
    return gg_wrap_handle(h);
}

/* The exact log-likelihood at par (5 values), and, when derivs is TRUE, its
   gradient and Hessian: list(value, gradient, hessian). */
SEXP gg_mixlogit_objective(SEXP ptr, SEXP par, SEXP workers, SEXP derivs) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    int d = Rf_asLogical(derivs) == TRUE;
    const char *names[] = {"value", "gradient", "hessian"};
    SEXP out = PROTECT(gg_named_list(3, names));
    double value = 0, *g = NULL, *H = NULL;
    if (d) {
        SEXP grad = Rf_allocVector(REALSXP, 5);
        SET_VECTOR_ELT(out, 1, grad);
        SEXP hess = Rf_allocMatrix(REALSXP, 5, 5);
        SET_VECTOR_ELT(out, 2, hess);
        g = REAL(grad);
        H = REAL(hess);
    }
    char err[ERRLEN];
    int st = glmmgo_mixlogit_objective(h, gg_real(par, -1, "par", 0), (int64_t)XLENGTH(par),
                                       (int32_t)gg_scalar_int(workers, "workers"), &value, g, H, err, sizeof err);
    gg_check(st, err, "glmmgo_mixlogit_objective");
    SET_VECTOR_ELT(out, 0, Rf_ScalarReal(value));
    UNPROTECT(1);
    return out;
}

/* Fits the model into a new fit handle. opts: a list with any of the fields
   of glmmgo_mixlogit_options (method, seed, workers, start, max_iter,
   initial_samples, max_samples, alpha, beta, gamma, augment_divisor, tol,
   df); the others keep glmmgo_mixlogit_options_default's values. verbose
   > 0 prints every iteration. Returns the fit's handle, or NULL when the
   user interrupted (Ctrl-C). */
SEXP gg_mixlogit_fit(SEXP ptr, SEXP opts, SEXP verbose) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    char err[ERRLEN];
    glmmgo_mixlogit_options o;
    gg_check(glmmgo_mixlogit_options_default(&o, sizeof o, err, sizeof err), err, "glmmgo_mixlogit_options_default");
    SEXP v;
    if ((v = gg_list_elt(opts, "method")) != NULL) o.method = (int32_t)gg_scalar_int(v, "method");
    if ((v = gg_list_elt(opts, "seed")) != NULL) o.seed = (uint64_t)gg_scalar_real(v, "seed");
    if ((v = gg_list_elt(opts, "workers")) != NULL) o.workers = (int32_t)gg_scalar_int(v, "workers");
    if ((v = gg_list_elt(opts, "start")) != NULL && !Rf_isNull(v)) {
        o.start = gg_real(v, -1, "start", 0);
        o.start_len = (int64_t)XLENGTH(v);
    }
    if ((v = gg_list_elt(opts, "max_iter")) != NULL) o.max_iter = (int64_t)gg_scalar_real(v, "max_iter");
    if ((v = gg_list_elt(opts, "initial_samples")) != NULL) o.initial_samples = (int64_t)gg_scalar_real(v, "initial_samples");
    if ((v = gg_list_elt(opts, "max_samples")) != NULL) o.max_samples = (int64_t)gg_scalar_real(v, "max_samples");
    if ((v = gg_list_elt(opts, "alpha")) != NULL) o.alpha = gg_scalar_real(v, "alpha");
    if ((v = gg_list_elt(opts, "beta")) != NULL) o.beta = gg_scalar_real(v, "beta");
    if ((v = gg_list_elt(opts, "gamma")) != NULL) o.gamma = gg_scalar_real(v, "gamma");
    if ((v = gg_list_elt(opts, "augment_divisor")) != NULL) o.augment_divisor = gg_scalar_real(v, "augment_divisor");
    if ((v = gg_list_elt(opts, "tol")) != NULL) o.tol = gg_scalar_real(v, "tol");
    if ((v = gg_list_elt(opts, "df")) != NULL) o.df = gg_scalar_real(v, "df");
    gg_progress prog = {Rf_asInteger(verbose) > 0, 0, 1};
    glmmgo_handle fit = 0;
    int st = glmmgo_mixlogit_fit(h, &o, gg_progress_cb, &prog, &fit, err, sizeof err);
    gg_restore_onstack();
    if (st == GLMMGO_ERR_CANCELLED && prog.interrupted) return R_NilValue;
    gg_check(st, err, "glmmgo_mixlogit_fit");
    return gg_wrap_handle(fit);
}
