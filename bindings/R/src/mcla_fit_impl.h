/* The MCLA fit entry points (glmmgo_mclafit_*), included by mcla_fit.c when
   the library declares them. Every entry point starts with gg_enter() (fork
   guard, SA_ONSTACK on SIGINT's handler) and turns every status into an R
   error carrying the library's message. */

#define MCLAFIT_KIND "glmmgo_mclafit"

typedef struct {
    int64_t p, nvc, q, m;
} fit_dims;

static fit_dims get_fit_dims(glmmgo_handle h) {
    fit_dims d;
    char err[ERRLEN];
    int st = glmmgo_mclafit_dims(h, &d.p, &d.nvc, &d.q, &d.m, err, sizeof err);
    gg_check(st, err, "glmmgo_mclafit_dims");
    return d;
}

/* As gg_mcla_new, plus dispersion (the negative binomial size, else 0). */
SEXP gg_mclafit_new(SEXP family, SEXP y, SEXP ntrials, SEXP weights, SEXP x, SEXP zrow, SEXP zcol, SEXP zval,
                    SEXP q, SEXP vcof, SEXP nvc, SEXP dispersion) {
    gg_enter();
    gg_mcla_args a = gg_mcla_convert(family, y, ntrials, weights, x, zrow, zcol, zval, q, vcof, nvc);
    glmmgo_handle h = 0;
    char err[ERRLEN];
    int st = glmmgo_mclafit_new(a.n, a.p, a.q, a.family, a.y, a.ntrials, a.weights, a.x, a.nnz, a.z_row,
                                a.z_col, a.z_val, a.nvc, a.vc_of_column,
                                gg_scalar_real(dispersion, "dispersion"), &h, err, sizeof err);
    gg_check(st, err, "glmmgo_mclafit_new");
    return gg_wrap_handle(h, MCLAFIT_KIND);
}

static SEXP list_elt(SEXP list, const char *name) {
    SEXP nm = Rf_getAttrib(list, R_NamesSymbol);
    for (R_xlen_t i = 0; i < XLENGTH(list); i++)
        if (strcmp(CHAR(STRING_ELT(nm, i)), name) == 0) return VECTOR_ELT(list, i);
    Rf_error("glmmgo: internal: option '%s' missing", name);
    return R_NilValue;
}

/* Runs the fit. opts: list(m, p (3), zeta, seed, workers, rinit, rmax,
   iterlim, par.init (NULL or p+nvc), doPQL, ess.warn, size.range (NULL, or
   c(lo, hi) to estimate the negative binomial size)). Returns NULL when the
   user interrupted (the handle is then freed), else c(size, loglik) (NA
   unless the size was estimated). On an error the handle is freed too: a
   failed run leaves nothing to inspect. */
SEXP gg_mcla_fit(SEXP ptr, SEXP opts, SEXP verbose) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, MCLAFIT_KIND);
    fit_dims d = get_fit_dims(h);
    if (TYPEOF(opts) != VECSXP) Rf_error("glmmgo: internal: options must be a list");
    glmmgo_mclafit_options o;
    glmmgo_mclafit_options_default(&o);
    o.m = (int64_t)gg_scalar_real(list_elt(opts, "m"), "m");
    const double *pm = gg_real(list_elt(opts, "p"), 3, "p", 0);
    for (int i = 0; i < 3; i++) o.p_mix[i] = pm[i];
    o.zeta = gg_scalar_real(list_elt(opts, "zeta"), "zeta");
    o.seed = (uint64_t)gg_scalar_real(list_elt(opts, "seed"), "seed");
    o.workers = (int32_t)gg_scalar_int(list_elt(opts, "workers"), "workers");
    o.no_pql = Rf_asLogical(list_elt(opts, "doPQL")) != TRUE;
    o.rinit = gg_scalar_real(list_elt(opts, "rinit"), "rinit");
    o.rmax = gg_scalar_real(list_elt(opts, "rmax"), "rmax");
    o.iterlim = (int64_t)gg_scalar_real(list_elt(opts, "iterlim"), "iterlim");
    o.par_init = gg_real(list_elt(opts, "par.init"), d.p + d.nvc, "par.init", 1);
    o.ess_warn = gg_scalar_real(list_elt(opts, "ess.warn"), "ess.warn");
    const double *range = gg_real(list_elt(opts, "size.range"), 2, "size.range", 1);

    gg_progress prog = {Rf_asInteger(verbose) > 0, 0, 1};
    char err[ERRLEN];
    double r_hat = NA_REAL, loglik = NA_REAL;
    int st;
    if (range != NULL)
        st = glmmgo_mclafit_run_dispersion(h, &o, range[0], range[1], gg_progress_cb, &prog, &r_hat, &loglik, err,
                                           sizeof err);
    else
        st = glmmgo_mclafit_run(h, &o, gg_progress_cb, &prog, err, sizeof err);
    gg_restore_onstack();
    if (st != GLMMGO_OK) {
        /* Release the engine's copy of the data now rather than at the next
           garbage collection: nothing can use this handle any more. */
        char msg[ERRLEN];
        snprintf(msg, sizeof msg, "%s", err);
        gg_free(ptr);
        if (st == GLMMGO_ERR_CANCELLED && prog.interrupted) return R_NilValue;
        gg_check(st, msg, range != NULL ? "glmmgo_mclafit_run_dispersion" : "glmmgo_mclafit_run");
    }
    SEXP out = PROTECT(Rf_allocVector(REALSXP, 2));
    REAL(out)[0] = r_hat;
    REAL(out)[1] = loglik;
    UNPROTECT(1);
    return out;
}

/* Everything about a successful run, in one list. */
SEXP gg_mclafit_result(SEXP ptr) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, MCLAFIT_KIND);
    fit_dims d = get_fit_dims(h);
    int64_t np = d.p + d.nvc;
    char err[ERRLEN];
    int st;
    const char *names[] = {"beta", "nu", "value", "gradient", "hessian", "converged", "iterations", "evaluations",
                           "ess", "ess.warning", "counts", "seconds", "se", "z", "pvalue", "vcov", "mcse",
                           "mcvcov", "used.pql", "par.init", "u.star", "D.star", "m"};
    SEXP out = PROTECT(gg_named_list(23, names));
    SEXP beta = Rf_allocVector(REALSXP, d.p);
    SET_VECTOR_ELT(out, 0, beta);
    SEXP nu = Rf_allocVector(REALSXP, d.nvc);
    SET_VECTOR_ELT(out, 1, nu);
    SEXP grad = Rf_allocVector(REALSXP, np);
    SET_VECTOR_ELT(out, 3, grad);
    SEXP hess = Rf_allocMatrix(REALSXP, (int)np, (int)np);
    SET_VECTOR_ELT(out, 4, hess);
    double value;
    st = glmmgo_mclafit_estimates(h, REAL(beta), REAL(nu), &value, REAL(grad), REAL(hess), err, sizeof err);
    gg_check(st, err, "glmmgo_mclafit_estimates");
    SET_VECTOR_ELT(out, 2, Rf_ScalarReal(value));

    int32_t conv, essw;
    int64_t iters, evals, counts[3];
    double ess, secs[4];
    st = glmmgo_mclafit_convergence(h, &conv, &iters, &evals, &ess, &essw, counts, secs, err, sizeof err);
    gg_check(st, err, "glmmgo_mclafit_convergence");
    SET_VECTOR_ELT(out, 5, Rf_ScalarLogical(conv != 0));
    SET_VECTOR_ELT(out, 6, Rf_ScalarReal((double)iters));
    SET_VECTOR_ELT(out, 7, Rf_ScalarReal((double)evals));
    SET_VECTOR_ELT(out, 8, Rf_ScalarReal(ess));
    SET_VECTOR_ELT(out, 9, Rf_ScalarLogical(essw != 0));
    SEXP cnt = Rf_allocVector(REALSXP, 3);
    SET_VECTOR_ELT(out, 10, cnt);
    for (int i = 0; i < 3; i++) REAL(cnt)[i] = (double)counts[i];
    SEXP sec = Rf_allocVector(REALSXP, 4);
    SET_VECTOR_ELT(out, 11, sec);
    for (int i = 0; i < 4; i++) REAL(sec)[i] = secs[i];

    SEXP se = Rf_allocVector(REALSXP, np);
    SET_VECTOR_ELT(out, 12, se);
    SEXP z = Rf_allocVector(REALSXP, np);
    SET_VECTOR_ELT(out, 13, z);
    SEXP pv = Rf_allocVector(REALSXP, np);
    SET_VECTOR_ELT(out, 14, pv);
    SEXP vc = Rf_allocMatrix(REALSXP, (int)np, (int)np);
    SET_VECTOR_ELT(out, 15, vc);
    SEXP mcse = Rf_allocVector(REALSXP, np);
    SET_VECTOR_ELT(out, 16, mcse);
    SEXP mcv = Rf_allocMatrix(REALSXP, (int)np, (int)np);
    SET_VECTOR_ELT(out, 17, mcv);
    st = glmmgo_mclafit_inference(h, REAL(se), REAL(z), REAL(pv), REAL(vc), REAL(mcse), REAL(mcv), err, sizeof err);
    gg_check(st, err, "glmmgo_mclafit_inference");

    int32_t used;
    SEXP pinit = Rf_allocVector(REALSXP, np);
    SET_VECTOR_ELT(out, 19, pinit);
    SEXP us = Rf_allocVector(REALSXP, d.q);
    SET_VECTOR_ELT(out, 20, us);
    SEXP ds = Rf_allocVector(REALSXP, d.q);
    SET_VECTOR_ELT(out, 21, ds);
    st = glmmgo_mclafit_start(h, &used, REAL(pinit), REAL(us), REAL(ds), err, sizeof err);
    gg_check(st, err, "glmmgo_mclafit_start");
    SET_VECTOR_ELT(out, 18, Rf_ScalarLogical(used != 0));
    SET_VECTOR_ELT(out, 22, Rf_ScalarReal((double)d.m));
    UNPROTECT(1);
    return out;
}

/* Wald intervals at level: a (p+nvc) x 2 matrix. */
SEXP gg_mclafit_confint(SEXP ptr, SEXP level) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, MCLAFIT_KIND);
    fit_dims d = get_fit_dims(h);
    int64_t np = d.p + d.nvc;
    SEXP out = PROTECT(Rf_allocMatrix(REALSXP, (int)np, 2));
    char err[ERRLEN];
    int st = glmmgo_mclafit_confint(h, gg_scalar_real(level, "level"), REAL(out), REAL(out) + np, err, sizeof err);
    gg_check(st, err, "glmmgo_mclafit_confint");
    UNPROTECT(1);
    return out;
}

/* The u-matrix, m x q (row k is sample k), regenerated from the seed. */
SEXP gg_mclafit_umatrix(SEXP ptr) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr, MCLAFIT_KIND);
    fit_dims d = get_fit_dims(h);
    if (d.m == 0) Rf_error("glmmgo: this fit has no samples (the run did not succeed)");
    if ((double)d.m * (double)d.q > (double)R_XLEN_T_MAX || d.m > INT_MAX || d.q > INT_MAX)
        Rf_error("glmmgo: the u-matrix (%lld x %lld) is too large for R", (long long)d.m, (long long)d.q);
    SEXP out = PROTECT(Rf_allocMatrix(REALSXP, (int)d.m, (int)d.q));
    char err[ERRLEN];
    int st = glmmgo_mclafit_umatrix(h, REAL(out), d.m * d.q, err, sizeof err);
    gg_check(st, err, "glmmgo_mclafit_umatrix");
    UNPROTECT(1);
    return out;
}
