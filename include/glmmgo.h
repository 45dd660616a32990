/*
 * glmmgo.h — the C interface of libglmmgo, a numerical engine for
 * mixed-model likelihoods (Monte Carlo likelihood approximation of GLMMs as
 * in the R package glmm; profiled deviance of linear mixed models as in lme4
 * and MixedModels.jl).
 *
 * Conventions (every function follows them):
 *
 *  - Matrices are column-major (R and Julia layout); indices are 0-based;
 *    sizes and indices are int64_t.
 *  - Arrays belong to the caller. The library copies whatever it keeps and
 *    never holds a caller pointer after a call returns. Output arrays are
 *    caller-allocated buffers of the documented length.
 *  - Models are integer handles (glmmgo_handle, 0 is never valid), created
 *    by a *_new function and released by glmmgo_free. Using a freed or
 *    unknown handle, or a handle of the wrong kind, returns
 *    GLMMGO_ERR_HANDLE; it never crashes.
 *  - Every function returns a status (GLMMGO_OK = 0 or one of the codes
 *    below) and, when given a buffer err of errlen bytes (err may be NULL or
 *    errlen 0), writes a NUL-terminated message there, truncated to fit.
 *    Messages name the offending argument and, where it applies, the index
 *    and value ("y: element 3 is 2: must be 0 or 1 for the Bernoulli
 *    family"). On GLMMGO_OK the buffer holds the empty string.
 *  - No Go panic crosses this interface: an internal failure is returned as
 *    GLMMGO_ERR_INTERNAL with a message.
 *
 * Threads: the library may be called from any thread. Distinct handles may
 * be used from different threads at the same time. One handle must be used
 * by one thread at a time: a second simultaneous call on the same handle is
 * detected and returns GLMMGO_ERR_BUSY instead of racing.
 *
 * Parallel work: calls that take `int32_t workers` spread Monte Carlo work
 * over that many threads; 0 (or anything larger than the CPUs available to
 * the process) means all available CPUs. Results are bit-identical whatever
 * the number of workers.
 *
 * fork(): the Go runtime inside the library does not survive fork(). A
 * child process forked after the library was loaded must not call it (R's
 * parallel::mclapply does this; use PSOCK clusters instead). Every call
 * made in such a child returns GLMMGO_ERR_FORKED at once, without entering
 * Go (which could hang there), and glmmgo_available_workers returns 0;
 * glmmgo_version and glmmgo_status_string work as usual. The parent is
 * unaffected.
 */
#ifndef GLMMGO_H
#define GLMMGO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The functions below are the library's interface even when it is built
   with -fvisibility=hidden (it is: its internal symbols stay private). */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#define GLMMGO_VERSION_MAJOR 0
#define GLMMGO_VERSION_MINOR 1
#define GLMMGO_VERSION_PATCH 0
#define GLMMGO_VERSION_STRING "0.1.0"

/* Status codes. */
#define GLMMGO_OK 0
#define GLMMGO_ERR_INVALID 1   /* an argument is malformed (size, NULL, NaN, range) */
#define GLMMGO_ERR_DOMAIN 2    /* parameters outside the parameter space (a variance <= 0) */
#define GLMMGO_ERR_NUMERIC 3   /* numerical failure (not positive definite, all weights zero, ...) */
#define GLMMGO_ERR_CANCELLED 4 /* a progress callback asked to stop */
#define GLMMGO_ERR_INTERNAL 5  /* a bug in glmmgo; please report the message */
#define GLMMGO_ERR_HANDLE 6    /* unknown, freed, or wrong-kind handle */
#define GLMMGO_ERR_BUSY 7      /* the handle is in use by another thread */
#define GLMMGO_ERR_STATE 8     /* call out of order (e.g. objective before samples) */
#define GLMMGO_ERR_FORKED 9    /* called in a child forked after the library started */

/* Response families. */
#define GLMMGO_BERNOULLI 1
#define GLMMGO_POISSON 2
#define GLMMGO_BINOMIAL 3
#define GLMMGO_NEGBINOMIAL 4 /* log link, known dispersion r: see glmmgo_mclafit_new */

typedef int64_t glmmgo_handle;

/*
 * A progress callback, called on the thread that made the call, between
 * iterations of a long computation: iteration number, current objective,
 * current parameters (npar values, valid only during the call). Return 0 to
 * continue, anything else to stop: the call then returns
 * GLMMGO_ERR_CANCELLED. The callback must not call back into glmmgo with
 * the same handle.
 */
typedef int (*glmmgo_progress_fn)(void *userdata, int64_t iter, double objective,
                                  const double *par, int64_t npar);

/* ---- Library ------------------------------------------------------------ */

/* The version string, e.g. "0.1.0". Static storage; never free it. */
const char *glmmgo_version(void);

/* A short English name of a status code ("invalid argument"). Static. */
const char *glmmgo_status_string(int status);

/* The number of CPUs the library uses when workers = 0. */
int32_t glmmgo_available_workers(void);

/* Releases a handle of any kind. Freeing 0, an unknown or an already freed
   handle returns GLMMGO_ERR_HANDLE; freeing a handle in use by another
   thread returns GLMMGO_ERR_BUSY. */
int glmmgo_free(glmmgo_handle h);

/* ---- MCLA: Monte Carlo likelihood approximation of a GLMM ----------------
 *
 * The objective of the R package glmm: for samples u_k (k < m) of the
 * random effects from an importance density f~,
 *
 *   l_m(beta, nu) = log( (1/m) sum_k f(y | u_k; beta) f_nu(u_k) / f~(u_k) )
 *
 * with eta = X beta + Z u, u ~ N(0, diag(nu_t(j))), and log f(y|u) =
 * sum_i w_i (y_i eta_i - c(eta_i)) WITHOUT normalising constants (as glmm).
 * par = (beta[p], nu[nvc]) with nu the variances (not standard deviations).
 * Typical use: glmmgo_mcla_new, glmmgo_mcla_set_importance,
 * glmmgo_mcla_set_samples, then glmmgo_mcla_objective as often as needed.
 */

/*
 * Creates an MCLA model. family: GLMMGO_BERNOULLI, GLMMGO_POISSON or
 * GLMMGO_BINOMIAL. y[n]: responses (0/1; counts; successes). ntrials[n]:
 * binomial trials (NULL = all 1; must be NULL or all 1 for the other
 * families). weights[n]: non-negative observation weights, not all zero
 * (NULL = all 1). x: the n*p fixed-effects matrix, column-major (p may be
 * 0, then x may be NULL). Z, the n*q random-effects matrix, as nnz triplets
 * (z_row[k], z_col[k], z_val[k]), 0-based; duplicates are summed; every
 * column needs a nonzero. vc_of_column[q]: the variance component
 * (0..nvc-1) of each column of Z; several columns share one component, and
 * every component needs a column. On success *out receives the handle.
 */
int glmmgo_mcla_new(int64_t n, int64_t p, int64_t q, int32_t family,
                    const double *y, const double *ntrials, const double *weights, const double *x,
                    int64_t nnz, const int64_t *z_row, const int64_t *z_col, const double *z_val,
                    int64_t nvc, const int64_t *vc_of_column,
                    glmmgo_handle *out, char *err, size_t errlen);

/*
 * Sets the importance density f~ = p1 t_zeta(0, D*) + p2 N(u*, D*) +
 * p3 N(u*, Sigma~), glmm's mixture (its t is centred at 0). zeta > 0: t
 * degrees of freedom. p_mix[3]: probabilities in [0,1] summing to 1 (within
 * 1e-8). u_star[q]. d_star[q] > 0: the diagonal of D*. sigma_inv[q*q]:
 * Sigma~^{-1}, symmetric positive definite, column-major; may be NULL when
 * p_mix[2] == 0. If samples are set, their density values are recomputed.
 */
int glmmgo_mcla_set_importance(glmmgo_handle h, double zeta, const double *p_mix, const double *u_star,
                               const double *d_star, const double *sigma_inv, char *err, size_t errlen);

/*
 * Sets the samples: umat is m*q column-major, row k is sample u_k (glmm's
 * u-matrix). Copied. Everything that does not depend on (beta, nu) — the
 * importance density and per-component sums of squares of each sample — is
 * computed here, once. Requires the importance density (GLMMGO_ERR_STATE).
 */
int glmmgo_mcla_set_samples(glmmgo_handle h, int64_t m, const double *umat, char *err, size_t errlen);

/*
 * Evaluates the objective at par[p+nvc] = (beta, nu) over all samples.
 * *value receives l_m; gradient[p+nvc] and hessian[(p+nvc)^2] (column-major)
 * receive the derivatives and may be NULL to skip them. A nu_t <= 0 is
 * outside the parameter space: *value is set to -Inf and
 * GLMMGO_ERR_DOMAIN is returned (a trust-region step should then shrink).
 */
int glmmgo_mcla_objective(glmmgo_handle h, const double *par, int32_t workers, double *value,
                          double *gradient, double *hessian, char *err, size_t errlen);

/*
 * Dimensions of a model: n, p, q, nvc and the number of samples m (0 until
 * set). Any pointer may be NULL.
 */
int glmmgo_mcla_dims(glmmgo_handle h, int64_t *n, int64_t *p, int64_t *q, int64_t *nvc, int64_t *m,
                     char *err, size_t errlen);

/* ---- MCLA partials: sharing the work between processes or machines ------
 *
 * A partial summarises the samples of a row range at one par: its count c,
 * the largest log importance weight a, S0 = sum exp(b_k - a) and the
 * exp(b_k - a)-weighted sums of the score g_k, of g_k g_k', of w_i c''(eta_i)
 * (one per observation) and of the per-component sums of squares. It is a
 * flat array of glmmgo_mcla_partial_length doubles:
 *   [c, a, S0, g (d), g g' (d*d, column-major), w c'' (n), s (nvc)],
 * d = p + nvc. Partials merge exactly (log-sum-exp rescaling), so processes
 * that each hold the model and some samples can each compute a partial and
 * one of them merge. Samples are processed in fixed blocks of 256 rows: a
 * split whose ranges start at multiples of 256 merges to a result
 * bit-identical to glmmgo_mcla_objective; other splits agree to rounding.
 */

/* *len receives the length of one flattened partial for this model. */
int glmmgo_mcla_partial_length(glmmgo_handle h, int64_t *len, char *err, size_t errlen);

/*
 * Evaluates the samples with indices row_begin <= k < row_end (0-based,
 * into the samples set on this handle) at par into partial[len].
 */
int glmmgo_mcla_partial(glmmgo_handle h, const double *par, int64_t row_begin, int64_t row_end,
                        int32_t workers, double *partial, int64_t len, char *err, size_t errlen);

/*
 * Merges npartials partials, stored one after another in partials
 * (npartials*len doubles), in the order given, and finishes them at par
 * (the par they were computed at) into value, gradient and hessian as
 * glmmgo_mcla_objective does. The value is log((1/m) sum e^b) with m the
 * total count. Needs only the model, not samples.
 */
int glmmgo_mcla_merge(glmmgo_handle h, const double *par, int64_t npartials, const double *partials,
                      int64_t len, double *value, double *gradient, double *hessian,
                      char *err, size_t errlen);

/* ---- LMM: linear mixed models (profiled deviance, as lme4) ---------------
 *
 * y = X beta + Z b + e, b = Lambda_theta u, u ~ N(0, sigma^2 I),
 * e ~ N(0, sigma^2 W^{-1}). The ML deviance and the REML criterion are
 * profiled over beta and sigma, so they are functions of theta alone
 * (Bates et al. 2015, J. Stat. Softw. 67(1)); glmmgo_lmm_fit minimises them
 * with a bounded derivative-free (BOBYQA-type) optimiser.
 *
 * Random-effects terms: term t is a grouping factor with nlevels[t] levels
 * (codes 0..nlevels[t]-1, each level used at least once, at least 2 levels
 * and fewer than n) and ncols[t] = k columns (k = 1 for (1|g), 2 for
 * (1+x|g)); uncorrelated terms on one factor are separate terms. The model
 * orders terms by decreasing number of levels (ties keep input order), as
 * lme4 does; theta, b, u and the conditional variances are reported in
 * that "model order" (glmmgo_lmm_term_order maps it to input order).
 * theta lists, term by term, the lower triangle of each term's k x k
 * template of Lambda column by column; diagonal elements have lower bound
 * 0, others are unbounded (glmmgo_lmm_lower). b and u list, term by term,
 * level by level, the k values of each level.
 * Aliased columns of X (linearly dependent on earlier columns, R's qr rule
 * with tolerance 1e-7) are dropped when the model is created, as lme4 does;
 * beta, se and vcov refer to the kept columns (glmmgo_lmm_kept_columns).
 * Limitation: all terms after the first are held as one dense block, so
 * their random effects together must number at most about 20000.
 */

/*
 * Creates a linear mixed model. y[n]: response. x: the n*p fixed-effects
 * matrix, column-major (p may be 0; x may then be NULL). weights[n]:
 * positive observation weights, or NULL for all 1. nterms >= 1 terms:
 * nlevels[nterms], ncols[nterms]; codes: n*nterms level codes, column t
 * (codes[t*n + i]) for term t, 0-based; z: the term model matrices one
 * after another, term t an n*ncols[t] column-major block (all ones for an
 * intercept term). All arrays are copied. NaN/Inf anywhere, a code out of
 * range, an unused level, a factor with one level or with as many levels
 * as observations, more columns in X than observations, or no residual
 * degrees of freedom return GLMMGO_ERR_INVALID naming the argument.
 * On success *out receives the handle (free it with glmmgo_free).
 */
int glmmgo_lmm_new(int64_t n, int64_t p, const double *y, const double *x, const double *weights,
                   int64_t nterms, const int64_t *nlevels, const int64_t *ncols, const int64_t *codes,
                   const double *z, glmmgo_handle *out, char *err, size_t errlen);

/*
 * Dimensions: observations n, fixed effects kept p, columns of X given
 * p_given, length of theta ntheta, random effects q, terms nterms. Any
 * pointer may be NULL.
 */
int glmmgo_lmm_dims(glmmgo_handle h, int64_t *n, int64_t *p, int64_t *p_given, int64_t *ntheta,
                    int64_t *q, int64_t *nterms, char *err, size_t errlen);

/* order[nterms]: for each term in model order, its index in the input. */
int glmmgo_lmm_term_order(glmmgo_handle h, int64_t *order, int64_t nterms, char *err, size_t errlen);

/* kept[p]: the 0-based indices of the columns of X kept (p as from dims). */
int glmmgo_lmm_kept_columns(glmmgo_handle h, int64_t *kept, int64_t p, char *err, size_t errlen);

/* lower[ntheta]: the lower bounds of theta (0 or -Inf). */
int glmmgo_lmm_lower(glmmgo_handle h, double *lower, int64_t ntheta, char *err, size_t errlen);

/*
 * *value receives the profiled ML deviance (reml = 0) or the REML criterion
 * (reml != 0) at theta[ntheta] (model order). A diagonal element below 0 is
 * GLMMGO_ERR_DOMAIN; a perfect fit (zero residual) GLMMGO_ERR_NUMERIC.
 * Allocates nothing after the first call on the handle.
 */
int glmmgo_lmm_objective(glmmgo_handle h, const double *theta, int32_t reml, double *value,
                         char *err, size_t errlen);

/*
 * Fits the model by ML (reml = 0) or REML and keeps the result in the
 * handle for the getters below (replacing any earlier fit). theta0[ntheta]:
 * the start, or NULL for lme4's (1 on diagonals, 0 off). rhobeg, rhoend:
 * the optimiser's initial and final trust-region radii, 0 for the defaults
 * (0.2 and 3e-5). maxeval: evaluation budget, 0 for the default (10000);
 * it must leave room for the optimiser's 2*ntheta+1 interpolation points
 * (GLMMGO_ERR_INVALID otherwise); running out of a valid budget is not an
 * error (see converged in glmmgo_lmm_fit_info).
 * progress: NULL, or a callback called on the calling thread after every
 * evaluation with the evaluation count, the criterion and theta; returning
 * nonzero cancels the fit (GLMMGO_ERR_CANCELLED, no result kept).
 */
int glmmgo_lmm_fit(glmmgo_handle h, int32_t reml, const double *theta0, double rhobeg, double rhoend,
                   int64_t maxeval, glmmgo_progress_fn progress, void *userdata, char *err, size_t errlen);

/*
 * Scalars of the last fit; any pointer may be NULL. objective: the
 * criterion minimised; loglik = -objective/2 (REML log-likelihood for REML
 * fits); deviance: the ML deviance profiled at the fitted theta; remlcrit:
 * the REML criterion there; aic, bic with npar = p + ntheta + 1; sigma: the
 * residual standard deviation; evals: criterion evaluations; converged: 1
 * if the optimiser reached rhoend; singular: 1 if a diagonal theta < 1e-4
 * (a boundary fit); reml: 1 for a REML fit. GLMMGO_ERR_STATE before a fit.
 */
int glmmgo_lmm_fit_info(glmmgo_handle h, double *objective, double *loglik, double *deviance,
                        double *remlcrit, double *aic, double *bic, double *sigma, int64_t *evals,
                        int32_t *converged, int32_t *singular, int32_t *reml, char *err, size_t errlen);

/* theta[ntheta] of the last fit (model order). */
int glmmgo_lmm_theta(glmmgo_handle h, double *theta, int64_t ntheta, char *err, size_t errlen);

/*
 * beta[p], standard errors se[p] and covariance vcov[p*p] (column-major) of
 * the fixed effects of the last fit, for the kept columns; p must equal the
 * kept count. Any of the three buffers may be NULL.
 */
int glmmgo_lmm_beta(glmmgo_handle h, double *beta, double *se, double *vcov, int64_t p,
                    char *err, size_t errlen);

/* Conditional modes b[q] = Lambda u and spherical modes u[q] of the last
   fit (model order, level by level); either buffer may be NULL. */
int glmmgo_lmm_ranef(glmmgo_handle h, double *b, double *u, int64_t q, char *err, size_t errlen);

/*
 * Conditional covariance matrices of the random effects b given y at the
 * last fit (lme4's ranef(condVar = TRUE): sigma^2 Lambda (L L')^{-1}
 * Lambda' blocks, ignoring the uncertainty in beta): for each term (model
 * order), each level, its k*k block column-major; len = sum over terms of
 * nlevels*k*k. Computed on the first call (it inverts the dense block of
 * the later terms) and kept.
 */
int glmmgo_lmm_condvar(glmmgo_handle h, double *cv, int64_t len, char *err, size_t errlen);

/* ---- MCLA fits: the whole of glmm's glmm() -----------------------------
 *
 * A fit handle holds a GLMM's data; glmmgo_mclafit_run fits it by Monte
 * Carlo likelihood approximation as glmm does:
 *
 *  1. PQL starting values (glmm's definition: Nelder-Mead over the standard
 *     deviations, penalised IRLS inside), or the caller's par_init.
 *  2. m samples from the importance density p1 t_zeta(0, D*) +
 *     p2 N(u*, D*) + p3 N(u*, Sigma~), Sigma~^{-1} = Z' diag(w c''(eta*)) Z +
 *     D*^{-1}; the counts m1, m2, m3 are multinomial as in glmm. The sample
 *     is a function of the data, the options and the seed only: results are
 *     bit-identical for any number of workers.
 *  3. Trust-region maximisation of l_m(beta, nu) (R's trust algorithm,
 *     glmm's rinit = 10, rmax = 1000, iterlim = 1000).
 *  4. Inference: standard errors from -Hessian^{-1}; z-tests (two-sided for
 *     beta, one-sided for nu, as glmm's summary); Wald intervals; glmm's
 *     mcvcov and MCSEs (Monte Carlo standard errors) computed on the log
 *     scale with the family's own curvature and weights; the effective
 *     sample size of the importance weights, with a warning flag.
 *
 * Parameters are ordered par = (beta[p], nu[nvc]), nu the variances.
 * Typical use: glmmgo_mclafit_new, glmmgo_mclafit_options_default, set
 * m/seed/..., glmmgo_mclafit_run, the getters, glmmgo_free. Getters return
 * GLMMGO_ERR_STATE until a run has succeeded; every output pointer of a
 * getter may be NULL to skip that output.
 */

/* Options of glmmgo_mclafit_run. Always start from
   glmmgo_mclafit_options_default, then change fields. */
typedef struct {
    int64_t m;          /* Monte Carlo sample size, >= 1 (default 10000) */
    double p_mix[3];    /* p1, p2, p3: in [0,1], sum 1 within 1e-8, p1 > 0
                           (default 1/3 each). p3 = 0 is allowed. */
    double zeta;        /* t degrees of freedom > 0 (default 5) */
    uint64_t seed;      /* the sample's seed (default 0) */
    int32_t workers;    /* threads; 0 = all CPUs (default 0) */
    int32_t no_pql;     /* nonzero: skip PQL and start at beta = 0, nu = 1
                           unless par_init is given (glmm's doPQL = FALSE) */
    double rinit;       /* initial trust radius (default 10) */
    double rmax;        /* largest trust radius, >= rinit (default 1000) */
    int64_t iterlim;    /* trust iterations (default 1000) */
    const double *par_init; /* NULL, or p+nvc starting values (beta, nu),
                           nu > 1e-9, used instead of PQL (glmm's
                           par.init); read during glmmgo_mclafit_run only */
    double ess_warn;    /* warn when the effective sample size is below this
                           (default 100; 0 = never warn) */
    int32_t t_at_ustar; /* nonzero: centre the t component at u* instead of
                           glmm's 0 (default 0) */
} glmmgo_mclafit_options;

/* Fills *opt with the defaults above. */
void glmmgo_mclafit_options_default(glmmgo_mclafit_options *opt);

/*
 * Creates a fit handle from data, with the arguments and conventions of
 * glmmgo_mcla_new, plus the dispersion: for GLMMGO_NEGBINOMIAL the known
 * size r > 0 (Var y = mu + mu^2/r, log link, eta = log mu; the likelihood
 * is y*eta - (y+r)*log(1 + e^eta/r) without the terms free of eta); for
 * the other families it must be 0. The data are copied and validated here
 * (y in the family's support, Z's columns, vc_of_column, ...).
 */
int glmmgo_mclafit_new(int64_t n, int64_t p, int64_t q, int32_t family,
                       const double *y, const double *ntrials, const double *weights, const double *x,
                       int64_t nnz, const int64_t *z_row, const int64_t *z_col, const double *z_val,
                       int64_t nvc, const int64_t *vc_of_column, double dispersion,
                       glmmgo_handle *out, char *err, size_t errlen);

/*
 * Runs the fit with options opt. progress (may be NULL) is called on the
 * calling thread after every trust iteration with (userdata, iteration,
 * current log-likelihood, current par, p+nvc); a nonzero return stops the
 * fit with GLMMGO_ERR_CANCELLED. Errors: GLMMGO_ERR_INVALID for bad options
 * or data that has no finite estimate (every response 0, or every response
 * a success; a variance component with a single column of Z; a par_init
 * with a variance <= 1e-9, outside the parameter space);
 * GLMMGO_ERR_NUMERIC for numerical failures. A failed or cancelled run
 * leaves no result (getters return GLMMGO_ERR_STATE); running again
 * replaces the previous result. Memory: the u-matrix (m*q doubles) is held
 * during the run only.
 */
int glmmgo_mclafit_run(glmmgo_handle h, const glmmgo_mclafit_options *opt, glmmgo_progress_fn progress,
                       void *userdata, char *err, size_t errlen);

/*
 * Negative binomial only: estimates the dispersion r in [r_lo, r_hi]
 * (0 < r_lo < r_hi) with (beta, nu) by maximising the profile MCLA
 * log-likelihood max_theta l_m(theta; r) + sum_i w_i C(y_i, r), C the
 * terms of the log-likelihood free of eta (lgamma(y+r) - lgamma(r) -
 * lgamma(y+1) - y log r), by golden-section search on log r to 1%. The
 * importance sample is that of a pilot fit at sqrt(r_lo*r_hi) and is reused
 * for every r. The handle's own dispersion (any positive value given to
 * glmmgo_mclafit_new) is ignored. *r_hat and *loglik (the full
 * log-likelihood at the maximum) may be NULL. Afterwards the getters
 * describe the fit at r_hat; its standard errors are conditional on r_hat.
 * progress is called after every trust iteration of every inner fit.
 */
int glmmgo_mclafit_run_dispersion(glmmgo_handle h, const glmmgo_mclafit_options *opt, double r_lo, double r_hi,
                                  glmmgo_progress_fn progress, void *userdata, double *r_hat, double *loglik,
                                  char *err, size_t errlen);

/* Sizes: p, nvc, q, and m (0 before a successful run). */
int glmmgo_mclafit_dims(glmmgo_handle h, int64_t *p, int64_t *nvc, int64_t *q, int64_t *m, char *err, size_t errlen);

/* The estimate: beta[p], nu[nvc], the log-likelihood *value at it (no
   normalising constants, as glmm), gradient[p+nvc] and hessian
   [(p+nvc)^2, column-major]. */
int glmmgo_mclafit_estimates(glmmgo_handle h, double *beta, double *nu, double *value, double *gradient,
                             double *hessian, char *err, size_t errlen);

/* Diagnostics: *converged (trust's termination test met: 1/0), trust
   *iterations, objective *evaluations, *ess (Kish effective sample size of
   the importance weights at the estimate, between 1 and m), *ess_warning
   (1 if ess < opt.ess_warn), counts[3] = (m1, m2, m3), seconds[4] = wall
   time of PQL, sampling, trust, inference. */
int glmmgo_mclafit_convergence(glmmgo_handle h, int32_t *converged, int64_t *iterations, int64_t *evaluations,
                               double *ess, int32_t *ess_warning, int64_t *counts, double *seconds,
                               char *err, size_t errlen);

/* Inference, each of length p+nvc (matrices (p+nvc)^2, column-major):
   se = sqrt(diag(vcov)), vcov = -Hessian^{-1}; z = par/se; pvalue
   two-sided for beta, one-sided for nu (glmm's "Pr(>|z|)/2"); mcse and
   mcvcov, glmm's Monte Carlo standard errors and covariance
   H^{-1} V H^{-1}. A singular Hessian gives se = Inf and NaN elsewhere. */
int glmmgo_mclafit_inference(glmmgo_handle h, double *se, double *z, double *pvalue, double *vcov,
                             double *mcse, double *mcvcov, char *err, size_t errlen);

/* Wald intervals par -/+ qnorm((1+level)/2)*se, 0 < level < 1. */
int glmmgo_mclafit_confint(glmmgo_handle h, double level, double *lower, double *upper, char *err, size_t errlen);

/* Where the fit started: *used_pql (1 if PQL ran), par_init[p+nvc] (trust's
   start: beta_pql and nu_pql, or the caller's), and the importance
   density's u_star[q] and d_star[q] (the diagonal of D*, PQL variances
   floored at 1e-6, glmm's sigma >= 1e-3). */
int glmmgo_mclafit_start(glmmgo_handle h, int32_t *used_pql, double *par_init, double *u_star, double *d_star,
                         char *err, size_t errlen);

/* The u-matrix, m*q column-major (row k is sample k, glmm's layout); len
   must be m*q. It is regenerated from the seed, so it costs nothing while
   not requested. */
int glmmgo_mclafit_umatrix(glmmgo_handle h, double *umat, int64_t len, char *err, size_t errlen);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* GLMMGO_H */
