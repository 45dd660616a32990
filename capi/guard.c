/* The fork guard: every public function of glmmgo.h that needs Go is this
   C wrapper around a hidden Go export of the same name with "glmmgo_go_"
   instead of "glmmgo_".

   Why in C: Go's runtime does not survive fork(). A child forked while
   another thread of the parent was running Go code, or before the runtime
   had finished starting (it starts on its own thread when the library is
   loaded), hangs inside cgo's entry code the moment it calls an export,
   before any Go statement, so a check written in Go can never run there
   (tests/harden_fork_test.go shows both hangs without this file). The
   wrapper decides in C, without entering Go, and returns
   GLMMGO_ERR_FORKED.

   How a child is recognised: a pthread_atfork child handler, registered
   when the library is loaded, sets a flag; and the process id is compared
   with the one recorded at load time, which also catches children made by
   means that skip atfork handlers (glibc's _Fork, a raw clone).

   Prototypes: this file includes glmmgo.h, so each wrapper's definition
   must match the public declaration exactly (C rejects a conflicting
   definition), and it calls the Go export through the prototype cgo
   generates in _cgo_export.h, with pointer and integer mismatches turned
   into errors by the flags in guard.go. The package is compiled with
   -fvisibility=hidden and cgo.h declares glmmgo.h with default
   visibility, so the library exports exactly the functions of the header
   and the glmmgo_go_* functions stay internal (tests check both). */
#define _GNU_SOURCE /* struct sigaction, SA_ONSTACK */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "cgo.h"
#include "_cgo_export.h"

static atomic_int forked;
static pid_t start_pid;

static void on_fork_child(void) { atomic_store(&forked, 1); }

__attribute__((constructor)) static void guard_init(void) {
    start_pid = getpid();
    pthread_atfork(NULL, NULL, on_fork_child);
}

static int in_forked_child(void) {
    return atomic_load_explicit(&forked, memory_order_relaxed) || getpid() != start_pid;
}

static int forked_status(char *err, size_t errlen) {
    static const char msg[] =
        "glmmgo was called in a child process forked after the library was loaded; Go's runtime does not "
        "survive fork, so the child must not call glmmgo (in R use a PSOCK cluster instead of mclapply)";
    if (err != NULL && errlen > 0) {
        size_t k = sizeof msg - 1;
        if (k > errlen - 1) k = errlen - 1;
        memcpy(err, msg, k);
        err[k] = 0;
    }
    return GLMMGO_ERR_FORKED;
}

/* Signal handlers installed by the host run on whatever stack the thread
   is on when the signal arrives; on a thread running Go code that is a
   small goroutine stack, which the handler's frame overruns (Go then dies
   with "fatal error: unknown caller pc" or worse) unless the handler was
   installed with SA_ONSTACK, so that it runs on the signal stack Go gives
   each of its threads. Go asks hosts to use SA_ONSTACK; signal(), which R
   uses to re-arm its SIGINT handler after each interrupt, does not set it.
   So, before entering Go, add SA_ONSTACK to a SIGINT handler that lacks
   it (one rt_sigaction call when nothing needs changing;
   tests/harden_signal_test.go crashes without this). Other signals are the
   host's to install correctly (SECURITY.md). */
static void sigint_onstack(void) {
    struct sigaction sa;
    if (sigaction(SIGINT, NULL, &sa) != 0) return;
    if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN || (sa.sa_flags & SA_ONSTACK)) return;
    sa.sa_flags |= SA_ONSTACK;
    sigaction(SIGINT, &sa, NULL);
}

#define GUARD(err, errlen)                                 \
    if (in_forked_child()) return forked_status(err, errlen); \
    sigint_onstack()

/* ---- Library ---- */

int32_t glmmgo_available_workers(void) {
    if (in_forked_child()) return 0;
    sigint_onstack();
    return glmmgo_go_available_workers();
}

int glmmgo_free(glmmgo_handle h) {
    GUARD(NULL, 0);
    return glmmgo_go_free(h);
}

/* ---- MCLA ---- */

int glmmgo_mcla_new(int64_t n, int64_t p, int64_t q, int32_t family, const double *y, const double *ntrials,
                    const double *weights, const double *x, int64_t nnz, const int64_t *z_row, const int64_t *z_col,
                    const double *z_val, int64_t nvc, const int64_t *vc_of_column, glmmgo_handle *out, char *err,
                    size_t errlen) {
    if (in_forked_child()) {
        if (out != NULL) *out = 0;
        return forked_status(err, errlen);
    }
    sigint_onstack();
    return glmmgo_go_mcla_new(n, p, q, family, y, ntrials, weights, x, nnz, z_row, z_col, z_val, nvc, vc_of_column,
                              out, err, errlen);
}

int glmmgo_mcla_set_importance(glmmgo_handle h, double zeta, const double *p_mix, const double *u_star,
                               const double *d_star, const double *sigma_inv, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mcla_set_importance(h, zeta, p_mix, u_star, d_star, sigma_inv, err, errlen);
}

int glmmgo_mcla_set_samples(glmmgo_handle h, int64_t m, const double *umat, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mcla_set_samples(h, m, umat, err, errlen);
}

int glmmgo_mcla_objective(glmmgo_handle h, const double *par, int32_t workers, double *value, double *gradient,
                          double *hessian, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mcla_objective(h, par, workers, value, gradient, hessian, err, errlen);
}

int glmmgo_mcla_dims(glmmgo_handle h, int64_t *n, int64_t *p, int64_t *q, int64_t *nvc, int64_t *m, char *err,
                     size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mcla_dims(h, n, p, q, nvc, m, err, errlen);
}

int glmmgo_mcla_partial_length(glmmgo_handle h, int64_t *len, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mcla_partial_length(h, len, err, errlen);
}

int glmmgo_mcla_partial(glmmgo_handle h, const double *par, int64_t row_begin, int64_t row_end, int32_t workers,
                        double *partial, int64_t len, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mcla_partial(h, par, row_begin, row_end, workers, partial, len, err, errlen);
}

int glmmgo_mcla_merge(glmmgo_handle h, const double *par, int64_t npartials, const double *partials, int64_t len,
                      double *value, double *gradient, double *hessian, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mcla_merge(h, par, npartials, partials, len, value, gradient, hessian, err, errlen);
}

/* ---- LMM ---- */

int glmmgo_lmm_new(int64_t n, int64_t p, const double *y, const double *x, const double *weights, int64_t nterms,
                   const int64_t *nlevels, const int64_t *ncols, const int64_t *codes, const double *z,
                   glmmgo_handle *out, char *err, size_t errlen) {
    if (in_forked_child()) {
        if (out != NULL) *out = 0;
        return forked_status(err, errlen);
    }
    sigint_onstack();
    return glmmgo_go_lmm_new(n, p, y, x, weights, nterms, nlevels, ncols, codes, z, out, err, errlen);
}

int glmmgo_lmm_dims(glmmgo_handle h, int64_t *n, int64_t *p, int64_t *p_given, int64_t *ntheta, int64_t *q,
                    int64_t *nterms, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_dims(h, n, p, p_given, ntheta, q, nterms, err, errlen);
}

int glmmgo_lmm_term_order(glmmgo_handle h, int64_t *order, int64_t nterms, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_term_order(h, order, nterms, err, errlen);
}

int glmmgo_lmm_kept_columns(glmmgo_handle h, int64_t *kept, int64_t p, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_kept_columns(h, kept, p, err, errlen);
}

int glmmgo_lmm_lower(glmmgo_handle h, double *lower, int64_t ntheta, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_lower(h, lower, ntheta, err, errlen);
}

int glmmgo_lmm_objective(glmmgo_handle h, const double *theta, int32_t reml, double *value, char *err,
                         size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_objective(h, theta, reml, value, err, errlen);
}

int glmmgo_lmm_fit(glmmgo_handle h, int32_t reml, const double *theta0, double rhobeg, double rhoend,
                   int64_t maxeval, glmmgo_progress_fn progress, void *userdata, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_fit(h, reml, theta0, rhobeg, rhoend, maxeval, progress, userdata, err, errlen);
}

int glmmgo_lmm_fit_info(glmmgo_handle h, double *objective, double *loglik, double *deviance, double *remlcrit,
                        double *aic, double *bic, double *sigma, int64_t *evals, int32_t *converged,
                        int32_t *singular, int32_t *reml, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_fit_info(h, objective, loglik, deviance, remlcrit, aic, bic, sigma, evals, converged,
                                  singular, reml, err, errlen);
}

int glmmgo_lmm_theta(glmmgo_handle h, double *theta, int64_t ntheta, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_theta(h, theta, ntheta, err, errlen);
}

int glmmgo_lmm_beta(glmmgo_handle h, double *beta, double *se, double *vcov, int64_t p, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_beta(h, beta, se, vcov, p, err, errlen);
}

int glmmgo_lmm_ranef(glmmgo_handle h, double *b, double *u, int64_t q, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_ranef(h, b, u, q, err, errlen);
}

int glmmgo_lmm_condvar(glmmgo_handle h, double *cv, int64_t len, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_lmm_condvar(h, cv, len, err, errlen);
}

/* ---- MCLA fit ---- */

int glmmgo_mclafit_new(int64_t n, int64_t p, int64_t q, int32_t family, const double *y, const double *ntrials,
                       const double *weights, const double *x, int64_t nnz, const int64_t *z_row, const int64_t *z_col,
                       const double *z_val, int64_t nvc, const int64_t *vc_of_column, double dispersion,
                       glmmgo_handle *out, char *err, size_t errlen) {
    if (in_forked_child()) {
        if (out != NULL) *out = 0;
        return forked_status(err, errlen);
    }
    sigint_onstack();
    return glmmgo_go_mclafit_new(n, p, q, family, y, ntrials, weights, x, nnz, z_row, z_col, z_val, nvc, vc_of_column,
                                 dispersion, out, err, errlen);
}

int glmmgo_mclafit_run(glmmgo_handle h, const glmmgo_mclafit_options *opt, glmmgo_progress_fn progress,
                       void *userdata, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mclafit_run(h, opt, progress, userdata, err, errlen);
}

int glmmgo_mclafit_run_dispersion(glmmgo_handle h, const glmmgo_mclafit_options *opt, double r_lo, double r_hi,
                                  glmmgo_progress_fn progress, void *userdata, double *r_hat, double *loglik,
                                  char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mclafit_run_dispersion(h, opt, r_lo, r_hi, progress, userdata, r_hat, loglik, err, errlen);
}

int glmmgo_mclafit_dims(glmmgo_handle h, int64_t *p, int64_t *nvc, int64_t *q, int64_t *m, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mclafit_dims(h, p, nvc, q, m, err, errlen);
}

int glmmgo_mclafit_estimates(glmmgo_handle h, double *beta, double *nu, double *value, double *gradient,
                             double *hessian, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mclafit_estimates(h, beta, nu, value, gradient, hessian, err, errlen);
}

int glmmgo_mclafit_convergence(glmmgo_handle h, int32_t *converged, int64_t *iterations, int64_t *evaluations,
                               double *ess, int32_t *ess_warning, int64_t *counts, double *seconds, char *err,
                               size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mclafit_convergence(h, converged, iterations, evaluations, ess, ess_warning, counts, seconds,
                                         err, errlen);
}

int glmmgo_mclafit_inference(glmmgo_handle h, double *se, double *z, double *pvalue, double *vcov, double *mcse,
                             double *mcvcov, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mclafit_inference(h, se, z, pvalue, vcov, mcse, mcvcov, err, errlen);
}

int glmmgo_mclafit_confint(glmmgo_handle h, double level, double *lower, double *upper, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mclafit_confint(h, level, lower, upper, err, errlen);
}

int glmmgo_mclafit_start(glmmgo_handle h, int32_t *used_pql, double *par_init, double *u_star, double *d_star,
                         char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mclafit_start(h, used_pql, par_init, u_star, d_star, err, errlen);
}

int glmmgo_mclafit_umatrix(glmmgo_handle h, double *umat, int64_t len, char *err, size_t errlen) {
    GUARD(err, errlen);
    return glmmgo_go_mclafit_umatrix(h, umat, len, err, errlen);
}
