/* .Call entry points for GLMMs by the Laplace approximation and adaptive
   quadrature (glmmgo_laplace_*): one small function per engine call.
   Results of models and fits are read by gg_result (results.c). */
#include "shim.h"

/* family, link: integer codes of glmmgo.h; y[n]; trials, weights, offset:
   double[n] or NULL; dispersion: the negative binomial's size (0 for the
   other families); x: n*p double matrix; nlevels, ncols: integer[nterms];
   codes: integer n*nterms matrix of 1-based level codes; z: double, the
   term model matrices one after another. */
SEXP gg_laplace_new(SEXP family, SEXP link, SEXP y, SEXP trials, SEXP weights, SEXP offset, SEXP dispersion, SEXP x,
                    SEXP nlevels, SEXP ncols, SEXP codes, SEXP z) {
    gg_enter();
    R_xlen_t n = XLENGTH(y);
    int64_t p = gg_matrix_cols(x, n);
    gg_terms t = gg_terms_of(nlevels, ncols, codes, z, n);
    glmmgo_handle h = 0;
    char err[ERRLEN];
    int st = glmmgo_laplace_new((int64_t)n, p, (int32_t)gg_scalar_int(family, "family"), (int32_t)gg_scalar_int(link, "link"),
                                gg_real(y, n, "y", 0), gg_real(trials, n, "trials", 1), gg_real(weights, n, "weights", 1),
                                gg_real(offset, n, "offset", 1), gg_scalar_real(dispersion, "dispersion"),
                                p > 0 ? gg_real(x, n * p, "x", 0) : NULL, t.nterms, t.nlevels, t.ncols, t.codes,
                                t.z, &h, err, sizeof err);
    gg_check(st, err, "glmmgo_laplace_new");
    return gg_wrap_handle(h);
}

/* -2 log L at par: (theta, beta) by Laplace (nagq 1) or AGQ, or theta
   alone with beta from PIRLS when fast. */
SEXP gg_laplace_objective(SEXP ptr, SEXP par, SEXP nagq, SEXP fast, SEXP workers) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    double v = 0;
    char err[ERRLEN];
    int st = glmmgo_laplace_objective(h, gg_real(par, -1, "par", 0), (int64_t)XLENGTH(par),
                                      (int32_t)gg_scalar_int(nagq, "nagq"), Rf_asLogical(fast) == TRUE,
                                      (int32_t)gg_scalar_int(workers, "workers"), &v, err, sizeof err);
    gg_check(st, err, "glmmgo_laplace_objective");
    return Rf_ScalarReal(v);
}

/* Fits the model into a new fit handle. opts: a list with any of the fields
   of glmmgo_laplace_options (fast, nagq, start, theta_start, rhobeg,
   rhoend, maxeval, no_hessian, pirls_tol, pirls_maxiter,
   pirls_max_halvings, workers); the others keep
   glmmgo_laplace_options_default's values. Returns the fit's handle, or
   NULL when the user interrupted (Ctrl-C). */
SEXP gg_laplace_fit(SEXP ptr, SEXP opts, SEXP verbose) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    char err[ERRLEN];
    glmmgo_laplace_options o;
    gg_check(glmmgo_laplace_options_default(&o, sizeof o, err, sizeof err), err, "glmmgo_laplace_options_default");
    SEXP v;
    if ((v = gg_list_elt(opts, "fast")) != NULL) o.fast = Rf_asLogical(v) == TRUE;
    if ((v = gg_list_elt(opts, "nagq")) != NULL) o.nagq = (int32_t)gg_scalar_int(v, "nagq");
    if ((v = gg_list_elt(opts, "start")) != NULL && !Rf_isNull(v)) {
        o.start = gg_real(v, -1, "start", 0);
        o.start_len = (int64_t)XLENGTH(v);
    }
    if ((v = gg_list_elt(opts, "theta_start")) != NULL) o.theta_start = (int32_t)gg_scalar_int(v, "theta_start");
    if ((v = gg_list_elt(opts, "rhobeg")) != NULL) o.rhobeg = gg_scalar_real(v, "rhobeg");
    if ((v = gg_list_elt(opts, "rhoend")) != NULL) o.rhoend = gg_scalar_real(v, "rhoend");
    if ((v = gg_list_elt(opts, "maxeval")) != NULL) o.maxeval = (int64_t)gg_scalar_real(v, "maxeval");
    if ((v = gg_list_elt(opts, "no_hessian")) != NULL) o.no_hessian = Rf_asLogical(v) == TRUE;
    if ((v = gg_list_elt(opts, "pirls_tol")) != NULL) o.pirls_tol = gg_scalar_real(v, "pirls_tol");
    if ((v = gg_list_elt(opts, "pirls_maxiter")) != NULL) o.pirls_maxiter = (int64_t)gg_scalar_real(v, "pirls_maxiter");
    if ((v = gg_list_elt(opts, "pirls_max_halvings")) != NULL)
        o.pirls_max_halvings = (int64_t)gg_scalar_real(v, "pirls_max_halvings");
    if ((v = gg_list_elt(opts, "workers")) != NULL) o.workers = (int32_t)gg_scalar_int(v, "workers");
    gg_progress prog = {Rf_asInteger(verbose) > 0, 0, 1};
    glmmgo_handle fit = 0;
    int st = glmmgo_laplace_fit(h, &o, gg_progress_cb, &prog, &fit, err, sizeof err);
    gg_restore_onstack();
    if (st == GLMMGO_ERR_CANCELLED && prog.interrupted) return R_NilValue;
    gg_check(st, err, "glmmgo_laplace_fit");
    return gg_wrap_handle(fit);
}
