/*
 * glmmgo.h — the C interface of libglmmgo, a numerical engine for
 * mixed-model likelihoods: Monte Carlo likelihood approximation (MCLA) of
 * GLMMs as in the R package glmm, the profiled deviance of linear mixed
 * models (LMM) as in lme4 and MixedModels.jl, the Laplace and adaptive
 * Gauss-Hermite approximations of GLMMs (laplace) as in lme4's glmer and
 * MixedModels.jl's GeneralizedLinearMixedModel, and the two-class mixture
 * of logistic random-intercept models (mixlogit) by exact likelihood or
 * Monte Carlo EM.
 *
 * ---- Conventions (every function follows them) ---------------------------
 *
 *  - Matrices are column-major (R and Julia layout); indices are 0-based;
 *    sizes and indices are int64_t.
 *  - Arrays belong to the caller and come with their lengths (given
 *    directly, or by the counts passed with them). The library copies
 *    whatever it keeps and never holds a caller pointer after a call
 *    returns. Output arrays are caller-allocated buffers with a length.
 *    Every count is checked (range, consistency, overflow) before anything
 *    sized by it is allocated or read.
 *  - Objects are integer handles (glmmgo_handle; 0 is never valid),
 *    released by glmmgo_free. Using a freed or unknown handle, or a handle
 *    of the wrong kind, returns GLMMGO_ERR_HANDLE; it never crashes.
 *    Handles are never reused.
 *  - Every function that can fail returns a status (GLMMGO_OK = 0 or one of
 *    the codes below) and, when given a buffer err of errlen bytes (err may
 *    be NULL or errlen 0), writes a NUL-terminated message there, truncated
 *    to fit. Messages name the argument at fault and, where it applies, the
 *    index, the value and what was expected ("y: element 3 is 2: must be 0
 *    or 1 for the Bernoulli family"). On GLMMGO_OK the buffer holds "".
 *  - No Go panic crosses this interface: an internal failure is returned
 *    as GLMMGO_ERR_INTERNAL with a message.
 *
 * ---- How an engine's functions are laid out ------------------------------
 *
 * Every engine E (mcla, lmm, laplace, mixlogit) has the same shape:
 *
 *   glmmgo_E_new(<data>, glmmgo_handle *model, err, errlen)
 *       validates and copies the data into a MODEL handle;
 *   glmmgo_E_objective(model, <parameters with their length>, ..., workers, ...)
 *       evaluates the engine's criterion at given parameters;
 *   glmmgo_E_options_default(&opt, sizeof opt, err, errlen)
 *       fills a glmmgo_E_options struct (see "Options" below);
 *   glmmgo_E_fit(model, &opt, progress, userdata, glmmgo_handle *fit, err, errlen)
 *       fits the model into a new FIT handle: an immutable result, valid
 *       after its model is freed;
 *   results of a fit (and the structure of a model) through the shared
 *       glmmgo_dims, glmmgo_result_length, glmmgo_result,
 *       glmmgo_result_int64 and glmmgo_confint, with result codes
 *       GLMMGO_E_<NAME> numbered from the engine's base (MCLA 1000, LMM
 *       2000, Laplace/AGQ 3000, mixlogit 4000). Adding a result is one
 *       code here and one entry in the library, no new function.
 *
 * Engine-specific calls sit beside these (the MCLA importance density,
 * samples and partials). Calls on a model at a point (an LMM gradient at
 * theta, say) follow glmmgo_E_objective's shape; derivatives at a fit's
 * estimate are more result codes; settings of the whole library (a memory
 * budget) are glmmgo_set_<name>(value, err, errlen). Work shared between
 * processes keeps the shape too: each process holds a model and the samples
 * of the blocks it owns (blocks of GLMMGO_BLOCK_ROWS rows, keyed by their
 * index), returns partials, and the master merges them in block order
 * (glmmgo_mcla_partial, glmmgo_mcla_merge; a fit's importance density is
 * its GLMMGO_MCLA_U_STAR, _D_STAR and _SIGMA_INV results).
 *
 * ---- Options -------------------------------------------------------------
 *
 * Options structs are growable, as SQLite's: the first field is
 * `size_t size`, the number of bytes of the caller's struct. Call
 * glmmgo_E_options_default(&opt, sizeof opt, ...) first (it sets the size
 * and the defaults), then change fields. The library reads only the fields
 * lying wholly within opt->size bytes and takes defaults for the rest, so a
 * caller compiled against an older header, whose struct is shorter, keeps
 * working when fields are appended. A size smaller than a size_t, or larger
 * than this library's struct (a header newer than the library), is
 * GLMMGO_ERR_INVALID naming size. Arrays inside options are a pointer and
 * a length (start, start_len), read during the call only.
 *
 * ---- Threads -------------------------------------------------------------
 *
 * The library may be called from any thread. Distinct handles may be used
 * from different threads at the same time. One handle must be used by one
 * thread at a time: a second simultaneous call on the same handle
 * (glmmgo_free included, and a progress callback calling back with the
 * handle being fitted) is detected and returns GLMMGO_ERR_BUSY instead of
 * racing. An LMM fit computes its conditional variances lazily from its
 * model's data, which it shares with the model and the model's other fits:
 * while one of those is in use by another call, GLMMGO_LMM_CONDVAR returns
 * GLMMGO_ERR_BUSY too.
 *
 * Parallel work: `int32_t workers` (an argument, or a field of every
 * options struct) is the number of threads a call may use; 0, or more
 * than the CPUs available to the process, means all available CPUs, and a
 * negative count is GLMMGO_ERR_INVALID (glmmgo_mcla_objective and
 * glmmgo_mcla_partial, unchanged since 0.1, treat it as 0). Results are
 * bit-identical whatever the number of workers.
 *
 * ---- Signals -------------------------------------------------------------
 *
 * The host's signal handlers never run on the library's stacks, whether
 * installed with SA_ONSTACK or not: the library's threads block the
 * asynchronous signals (and, once a host installs a handler for SIGPROF,
 * SIGCHLD or signal 34 without SA_ONSTACK, those too, behind a forwarding
 * handler that runs the host's on the signal stack); the calling thread
 * blocks them while the library runs on it and gets its own mask back when
 * the call returns, during progress callbacks, and for a moment at the
 * checkpoints of long calls (at least every 20 ms of work), where signals
 * that arrived meanwhile are delivered. Do not direct a signal at one of
 * the library's threads (pthread_kill): it stays blocked there. See
 * SECURITY.md.
 *
 * ---- fork() --------------------------------------------------------------
 *
 * The Go runtime inside the library does not survive fork(). A child
 * process forked after the library was loaded must not call it (R's
 * parallel::mclapply does this; use PSOCK clusters instead). Every call made
 * in such a child returns GLMMGO_ERR_FORKED at once, without entering Go
 * (which could hang there), sets any output handle to 0, and
 * glmmgo_available_workers returns 0; glmmgo_version,
 * glmmgo_version_number and glmmgo_status_string work as usual. The parent
 * is unaffected.
 *
 * ---- Versions: the check every binding makes at load ----------------------
 *
 * GLMMGO_VERSION_NUMBER is MAJOR*1000000 + MINOR*1000 + PATCH (as
 * SQLITE_VERSION_NUMBER). Releases with the same major and minor version
 * have the same interface. A binding compiled against this header checks
 * the library it loaded before any other call:
 *
 *     int32_t lib = glmmgo_version_number();
 *     if (lib / 1000 != GLMMGO_VERSION_NUMBER / 1000)
 *         fail("libglmmgo %s is not the version this binding was built for ("
 *              GLMMGO_VERSION_STRING "): major and minor must match",
 *              glmmgo_version());
 *
 * A binding that does not compile against the header (Julia's ccall) keeps
 * its own copy of GLMMGO_VERSION_NUMBER and makes the same comparison.
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
#define GLMMGO_VERSION_MINOR 2
#define GLMMGO_VERSION_PATCH 0
#define GLMMGO_VERSION_STRING "0.2.0"
#define GLMMGO_VERSION_NUMBER 2000

/* Status codes. */
#define GLMMGO_OK 0
#define GLMMGO_ERR_INVALID 1   /* an argument is malformed (size, NULL, NaN, range, result code) */
#define GLMMGO_ERR_DOMAIN 2    /* parameters outside the parameter space (a variance <= 0) */
#define GLMMGO_ERR_NUMERIC 3   /* numerical failure (not positive definite, all weights zero, ...) */
#define GLMMGO_ERR_CANCELLED 4 /* a progress callback asked to stop */
#define GLMMGO_ERR_INTERNAL 5  /* a bug in glmmgo; please report the message */
#define GLMMGO_ERR_HANDLE 6    /* unknown, freed, or wrong-kind handle */
#define GLMMGO_ERR_BUSY 7      /* the handle is in use by another call */
#define GLMMGO_ERR_STATE 8     /* call out of order (e.g. objective before samples) */
#define GLMMGO_ERR_FORKED 9    /* called in a child forked after the library started */
#define GLMMGO_ERR_RESOURCE 10 /* valid, but needs more memory than the limit (glmmgo_set_memory_limit) */

/* Response families. */
#define GLMMGO_BERNOULLI 1
#define GLMMGO_POISSON 2
#define GLMMGO_BINOMIAL 3
#define GLMMGO_NEGBINOMIAL 4 /* log link; size r from glmmgo_mcla_set_dispersion or estimated by a fit */

/* Kinds of handle (glmmgo_dims.kind). */
#define GLMMGO_KIND_MCLA_MODEL 1
#define GLMMGO_KIND_MCLA_FIT 2
#define GLMMGO_KIND_LMM_MODEL 3
#define GLMMGO_KIND_LMM_FIT 4
#define GLMMGO_KIND_MIXLOGIT_MODEL 5
#define GLMMGO_KIND_MIXLOGIT_FIT 6
#define GLMMGO_KIND_LAPLACE_MODEL 7
#define GLMMGO_KIND_LAPLACE_FIT 8

/* MCLA samples are processed in fixed blocks of this many rows; block b
   holds rows [b*GLMMGO_BLOCK_ROWS, (b+1)*GLMMGO_BLOCK_ROWS). */
#define GLMMGO_BLOCK_ROWS 256
/* Consecutive blocks form at most this many batches of 2^k blocks each (k
   the smallest that fits): the units the objective merges in order, and
   the groups of the jackknife MCSE of a fit. */
#define GLMMGO_MAX_BATCHES 64

typedef int64_t glmmgo_handle;

/*
 * A progress callback, called on the thread that made the call, between
 * iterations of a long computation: the iteration (or evaluation) number,
 * the current objective, the current parameters (npar values, valid only
 * during the call). An MCLA fit also calls it at least every 20 ms of work
 * in its phases without iterations and within long iterations, as a
 * heartbeat: then iter is negative and names the phase (-1 PQL, -2 drawing
 * and preparing the sample, -3 within a trust iteration, -4 inference),
 * objective is NaN, par NULL and npar 0. Return 0 to continue, anything
 * else to stop: the call then returns GLMMGO_ERR_CANCELLED and makes no
 * fit; the model is unchanged and usable. The callback runs with the
 * calling thread's own signal mask (signals that arrived during the call
 * are delivered at its start). It must not call glmmgo with the handle
 * being used (that call gets GLMMGO_ERR_BUSY), and it must return: leaving
 * it by longjmp (a host's error mechanism, C++ exceptions) skips the
 * library's frames and is not allowed — the handle stays marked in use
 * until the library notices, at the next call on that thread or a
 * glmmgo_free of the handle from a thread that is not inside a call.
 */
typedef int (*glmmgo_progress_fn)(void *userdata, int64_t iter, double objective,
                                  const double *par, int64_t npar);

/* ---- Library ------------------------------------------------------------ */

/* The version string, e.g. "0.2.0". Static storage; never free it. */
const char *glmmgo_version(void);

/* GLMMGO_VERSION_NUMBER of the library (see "Versions" above). */
int32_t glmmgo_version_number(void);

/* A short English name of a status code ("invalid argument"); "unknown
   status" for a code that is not one. Static storage. */
const char *glmmgo_status_string(int status);

/* The number of CPUs the library uses when workers = 0. */
int32_t glmmgo_available_workers(void);

/*
 * The memory limit. Every call checks the memory that the sizes it is given
 * will need (a fit's u-matrix of m*q doubles, dense q*q matrices, an
 * optimiser's interpolation system, a model's copies of the data) against
 * this limit before allocating or reading anything sized by them, and
 * refuses a request above it with GLMMGO_ERR_RESOURCE, naming the argument
 * and the bytes needed. The limit bounds one request, not the sum of all
 * live handles. The default is 3/4 of the memory the process may use (the
 * smallest of physical memory, its cgroup's limit and its RLIMIT_AS and
 * RLIMIT_DATA). glmmgo_set_memory_limit sets it to bytes > 0, or back to the
 * default with 0; negative is GLMMGO_ERR_INVALID. glmmgo_memory_limit
 * reports the limit in force in *bytes. The setting is process-wide.
 */
int glmmgo_set_memory_limit(int64_t bytes, char *err, size_t errlen);
int glmmgo_memory_limit(int64_t *bytes, char *err, size_t errlen);

/* Releases a handle of any kind. Freeing 0, an unknown or an already freed
   handle returns GLMMGO_ERR_HANDLE; freeing a handle in use by another
   thread returns GLMMGO_ERR_BUSY. Freeing a model leaves its fits valid. */
int glmmgo_free(glmmgo_handle h);

/*
 * Dimensions of a handle of any kind. The caller sets dims->size =
 * sizeof(struct glmmgo_dims); the library writes the fields lying wholly
 * within size bytes (the struct may grow at its end) and 0 for dimensions
 * a kind does not have. (A struct tag, not a typedef: the function has the
 * name.)
 *
 *     struct glmmgo_dims d = {.size = sizeof d};
 *     if (glmmgo_dims(h, &d, err, sizeof err) == GLMMGO_OK) ... d.npar ...
 */
struct glmmgo_dims {
    size_t size;     /* set by the caller: sizeof(struct glmmgo_dims) */
    int32_t kind;    /* GLMMGO_KIND_* */
    int64_t n;       /* observations (mixlogit: subjects) */
    int64_t p;       /* fixed effects (LMM, laplace: columns of X kept) */
    int64_t p_given; /* columns of X given (LMM, laplace: p plus aliased columns dropped) */
    int64_t q;       /* random effects */
    int64_t nvc;     /* MCLA: variance components */
    int64_t ntheta;  /* LMM, laplace: covariance parameters theta */
    int64_t nterms;  /* LMM, laplace: random-effects terms */
    int64_t npar;    /* parameters of the objective: p + nvc (MCLA), ntheta (LMM), ntheta + p (laplace,
                        whose fast objective takes the first ntheta), 5 (mixlogit) */
    int64_t m;       /* MCLA: samples (a model: 0 until set) */
    int64_t t;       /* mixlogit: occasions per subject (n is the number of subjects) */
};

int glmmgo_dims(glmmgo_handle h, struct glmmgo_dims *dims, char *err, size_t errlen);

/*
 * Results. A fit handle (and, for its structure, an LMM or laplace model) answers the
 * result codes of its engine listed below; each has a fixed type (double
 * or int64) and a length that glmmgo_result_length reports. glmmgo_result
 * copies a double result into buf[len], glmmgo_result_int64 an integer one;
 * len must equal the result's length (buf may be NULL when it is 0). A
 * code that the handle's kind does not have, or a result of the other
 * type, is GLMMGO_ERR_INVALID naming what; a wrong length names len and
 * the length expected. Reading a result never changes it: a fit is
 * immutable.
 */
int glmmgo_result_length(glmmgo_handle h, int32_t what, int64_t *len, char *err, size_t errlen);
int glmmgo_result(glmmgo_handle h, int32_t what, double *buf, int64_t len, char *err, size_t errlen);
int glmmgo_result_int64(glmmgo_handle h, int32_t what, int64_t *buf, int64_t len, char *err, size_t errlen);

/*
 * Wald intervals est -/+ qnorm((1+level)/2)*se at 0 < level < 1 for the
 * parameters of a fit, into lower[len] and upper[len]. MCLA fits: the
 * p + nvc parameters (beta, nu); mixlogit fits: the 5 parameters (beta1,
 * beta2, sigma1, sigma2, pi1), NaN where the standard errors are (an
 * information matrix that is not positive definite); laplace fits: the p
 * fixed effects (lme4's confint(method = "Wald"); GLMMGO_LAPLACE_SE_METHOD
 * says where their standard errors come from). Other kinds:
 * GLMMGO_ERR_HANDLE.
 */
int glmmgo_confint(glmmgo_handle fit, double level, double *lower, double *upper, int64_t len,
                   char *err, size_t errlen);

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
 *
 * An external driver evaluates the objective itself: glmmgo_mcla_new,
 * glmmgo_mcla_set_importance, glmmgo_mcla_set_samples, then
 * glmmgo_mcla_objective as often as needed (these four calls and
 * glmmgo_free are unchanged since 0.1). A complete fit, as glmm's glmm(),
 * is glmmgo_mcla_fit on the model (which needs no importance density or
 * samples of its own).
 */

/*
 * Creates an MCLA model. family: GLMMGO_BERNOULLI, GLMMGO_POISSON,
 * GLMMGO_BINOMIAL or GLMMGO_NEGBINOMIAL (then also call
 * glmmgo_mcla_set_dispersion, or let a fit estimate it). y[n]: responses
 * (0/1; counts; successes). ntrials[n]: binomial trials (NULL = all 1; must
 * be NULL or all 1 for the other families). weights[n]: non-negative
 * observation weights, not all zero (NULL = all 1). x: the n*p
 * fixed-effects matrix, column-major (p may be 0, then x may be NULL). Z,
 * the n*q random-effects matrix, as nnz triplets (z_row[k], z_col[k],
 * z_val[k]), 0-based; duplicates are summed; every column needs a nonzero.
 * vc_of_column[q]: the variance component (0..nvc-1) of each column of Z;
 * several columns share one component, and every component needs a column.
 * On success *out receives the handle; on failure *out is 0.
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
 * p_mix[2] == 0. If samples are set, their density values are recomputed;
 * if that fails the samples are dropped (GLMMGO_ERR_STATE until set again).
 */
int glmmgo_mcla_set_importance(glmmgo_handle h, double zeta, const double *p_mix, const double *u_star,
                               const double *d_star, const double *sigma_inv, char *err, size_t errlen);

/*
 * Sets the samples: umat is m*q column-major, row k is sample u_k (glmm's
 * u-matrix). Copied. Everything that does not depend on (beta, nu) — the
 * importance density and per-component sums of squares of each sample — is
 * computed here, once. Requires the importance density (GLMMGO_ERR_STATE).
 * A failure drops any samples set before.
 */
int glmmgo_mcla_set_samples(glmmgo_handle h, int64_t m, const double *umat, char *err, size_t errlen);

/*
 * Negative binomial models: sets the known size r > 0 (Var y = mu +
 * mu^2/r, log link eta = log mu; the likelihood is y*eta - (y+r)*log(1 +
 * e^eta/r) without the terms free of eta). Required before the objective,
 * the partials and a fit at a known r; the importance density and samples
 * already set are kept. For the other families only 0 is accepted (no
 * dispersion). A finite r <= 0, NaN or Inf is GLMMGO_ERR_INVALID.
 */
int glmmgo_mcla_set_dispersion(glmmgo_handle h, double dispersion, char *err, size_t errlen);

/*
 * Evaluates the objective at par[p+nvc] = (beta, nu) over all samples.
 * *value receives l_m; gradient[p+nvc] and hessian[(p+nvc)^2] (column-major)
 * receive the derivatives and may be NULL to skip them. A nu_t <= 0 is
 * outside the parameter space: *value is set to -Inf and
 * GLMMGO_ERR_DOMAIN is returned (a trust-region step should then shrink).
 * Before the samples (or, negative binomial, the dispersion): GLMMGO_ERR_STATE.
 */
int glmmgo_mcla_objective(glmmgo_handle h, const double *par, int32_t workers, double *value,
                          double *gradient, double *hessian, char *err, size_t errlen);

/* ---- MCLA partials: sharing the work between processes or machines ------
 *
 * A partial summarises the samples of a row range at one par: its count c,
 * the largest log importance weight a, S0 = sum exp(b_k - a), S2 = sum
 * exp(2 (b_k - a)) (the effective sample size is S0^2 / S2) and the
 * exp(b_k - a)-weighted sums of the score g_k, of g_k g_k', of w_i c''(eta_i)
 * (one per observation) and of the per-component sums of squares. It is a
 * flat array of glmmgo_mcla_partial_length doubles:
 *   [c, a, S0, S2, g (d), g g' (d*d, column-major), w c'' (n), s (nvc)],
 * d = p + nvc. (A model holding a blockwise fit's samples,
 * glmmgo_mcla_set_fit_samples, has the blockwise estimator's partials:
 * [c, a, S0, S2] of the joint weights, then per block b the same layout
 * over its own weights with w c'' over its n_b observations.) Partials merge exactly (log-sum-exp rescaling), so processes
 * that each hold the model and some samples can each compute a partial and
 * one of them merge. The objective merges the blocks of GLMMGO_BLOCK_ROWS
 * rows in order within batches of 2^k consecutive blocks (k the smallest
 * with at most GLMMGO_MAX_BATCHES batches: k = 0 up to m =
 * GLMMGO_MAX_BATCHES * GLMMGO_BLOCK_ROWS), and the batches in order: a split whose ranges start at batch boundaries merges
 * to a result bit-identical to glmmgo_mcla_objective; other splits agree
 * to rounding.
 */

/* *len receives the length of one flattened partial for this model. */
int glmmgo_mcla_partial_length(glmmgo_handle h, int64_t *len, char *err, size_t errlen);

/*
 * Evaluates the samples with indices row_begin <= k < row_end (0-based,
 * into the samples set on this handle) at par[npar] (npar = p + nvc) into
 * partial[len].
 */
int glmmgo_mcla_partial(glmmgo_handle h, const double *par, int64_t npar, int64_t row_begin, int64_t row_end,
                        int32_t workers, double *partial, int64_t len, char *err, size_t errlen);

/*
 * Merges npartials partials, stored one after another in partials
 * (npartials*len doubles), in the order given, and finishes them at
 * par[npar] (the par they were computed at) into *value, gradient[npar]
 * and hessian[npar*npar] as glmmgo_mcla_objective does (gradient and
 * hessian may be NULL). The value is log((1/m) sum e^b) with m the total
 * count. Needs only the model, not samples.
 */
int glmmgo_mcla_merge(glmmgo_handle h, const double *par, int64_t npar, int64_t npartials, const double *partials,
                      int64_t len, double *value, double *gradient, double *hessian, char *err, size_t errlen);

/* ---- MCLA fits: the whole of glmm's glmm() -----------------------------
 *
 * glmmgo_mcla_fit fits an MCLA model as glmm does, in stages:
 *
 *  1. PQL starting values (glmm's definition: Nelder-Mead over the standard
 *     deviations, penalised IRLS inside), or the caller's start.
 *  2. Samples from the importance density p1 t_zeta + p2 N(u*, D*) +
 *     p3 N(u*, Sigma~), Sigma~^{-1} = Z' diag(w c''(eta*)) Z + D*^{-1}; the
 *     counts m1, m2, m3 are multinomial as in glmm. The sample is a function
 *     of the data, the options and the seed only, drawn in blocks of
 *     GLMMGO_BLOCK_ROWS with a stream per block: results are bit-identical
 *     for any number of workers. With stages = 1 this is glmm's single
 *     density (t_zeta(0, D*), u* and D* from PQL) and m samples.
 *     With stages > 1 (the default) each stage is an MCLA of its own: the
 *     first density is at the start, each later one at the best stage's
 *     estimate (u* the conditional mode there, D* = diag(nu)), the t
 *     component is t_zeta(u*, Sigma~), each stage draws a fresh sample of
 *     m_pilot (at most m) from its own seed, and staging stops once the
 *     estimate stays within twice its MCSE of the density's centre; the
 *     best stage (largest effective sample size) then grows its sample to
 *     m, reusing the samples drawn. With m = GLMMGO_M_AUTO the sample
 *     grows until the effective sample size reaches ess_target and every
 *     MCSE is at most rel_mcse times its standard error, or until m_max or
 *     time_max (GLMMGO_MCLA_AUTO_STOP says which).
 *  3. Trust-region maximisation of l_m(beta, nu) (R's trust algorithm,
 *     glmm's rinit = 10, rmax = 1000, iterlim = 1000); with stages > 1
 *     every maximisation stays where the effective sample size keeps 10% of
 *     its value at the start (GLMMGO_MCLA_GUARDED reports a fit that ended
 *     there: not converged).
 *  4. Inference: standard errors from -Hessian^{-1}; z-tests (two-sided for
 *     beta, one-sided for nu, as glmm's summary); Wald intervals
 *     (glmmgo_confint); Monte Carlo standard errors from the spread between
 *     groups of samples (a delete-a-group jackknife, GLMMGO_MCLA_MCSE; at a
 *     tiny effective sample size they are huge, not small) and glmm's
 *     formula (GLMMGO_MCLA_MCSE_GLMM); the effective sample size of the
 *     importance weights, with a warning flag.
 *
 * Memory: samples (m*q doubles) are held in memory up to sample_memory
 * bytes; a larger sample is redrawn block by block at every evaluation
 * (the same results, more time), which needs only (2 + nvc) doubles per
 * sample.
 *
 * Negative binomial: the fit uses the model's dispersion, or, when
 * dispersion_lo and dispersion_hi are set, estimates r in [dispersion_lo,
 * dispersion_hi] with (beta, nu) by maximising the profile MCLA
 * log-likelihood max l_m(beta, nu; r) + sum_i w_i C(y_i, r), C the terms of
 * the log-likelihood free of eta (lgamma(y+r) - lgamma(r) - lgamma(y+1) -
 * y log r), by golden-section search on log r to 1%. The importance sample
 * is that of a pilot fit at sqrt(lo*hi), reused for every r; the results
 * then describe the fit at r_hat, its standard errors conditional on r_hat.
 *
 * Parameters are ordered par = (beta[p], nu[nvc]), nu the variances.
 */

/* ---- MCLA across processes ------------------------------------------------
 *
 * A fit can keep its sample in other processes (or on other machines):
 * the fit itself (trust, stages, m = GLMMGO_M_AUTO, inference) runs in the
 * calling process, which asks, through glmmgo_mcla_options.partials, only
 * for the partials of batches of samples (see "MCLA partials") and merges
 * them in batch order: exactly the arithmetic of a fit in one process, so
 * the result is bit-identical to it with the same seed, whichever
 * processes hold which batches. No sample travels: each worker process
 * holds an MCLA model of the same data (glmmgo_mcla_new, once per fit) and
 * draws the blocks of the batches it holds from the fit's seed, by block
 * index (glmmgo_mcla_worker_sample, once per sample: per stage and per
 * growth of m), then answers each evaluation
 * (glmmgo_mcla_worker_partials). Per evaluation the calling process
 * receives nbatches * batch_len doubles (at most GLMMGO_MAX_BATCHES
 * batches; batch_len = 4 + d + d*d + n + nvc for the joint estimator,
 * 4 + nb*(4 + d + d*d + nvc) + n_b for the blockwise one with nb blocks and
 * n_b observations with a random effect), whatever m and q.
 *
 * The callback is called on the calling thread, as progress is, with a
 * request (valid during the call only):
 *   GLMMGO_MCLA_SAMPLE: the fit's sample is now m samples described by
 *     spec[spec_len] (the importance density's centre and the seed,
 *     10 + p + 2q doubles); it has nbatches batches. Give every batch to
 *     some worker: glmmgo_mcla_worker_sample(worker, spec, spec_len,
 *     batch_begin, batch_end, ...) for contiguous ranges covering
 *     [0, nbatches).
 *   GLMMGO_MCLA_BATCH_PARTIALS, GLMMGO_MCLA_MOMENT_PARTIALS: fill
 *     partials[len] with batch_len doubles for each batch in [batch_begin,
 *     batch_end), in batch order, each from the worker holding it:
 *     glmmgo_mcla_worker_partials(worker, what, par, npar, m, row_begin,
 *     row_end, b0, b1, ...) for its part [b0, b1) of the range, written at
 *     partials + (b0 - batch_begin) * batch_len.
 * A worker that is lost can be replaced: give its batches to another
 * worker (glmmgo_mcla_worker_sample with the last spec) and ask again; the
 * blocks are the same wherever they are drawn. Return 0 on success;
 * nonzero stops the fit with GLMMGO_ERR_CANCELLED and the message the
 * callback wrote into err[errlen] (if any). Partials that are not valid
 * (a NaN, a count that is not the batch's) stop it with GLMMGO_ERR_INVALID
 * naming partials. */
#define GLMMGO_MCLA_SAMPLE 1
#define GLMMGO_MCLA_BATCH_PARTIALS 2
#define GLMMGO_MCLA_MOMENT_PARTIALS 3

typedef struct {
    size_t size;          /* sizeof the library's struct: fields may be appended */
    int32_t what;         /* GLMMGO_MCLA_SAMPLE, _BATCH_PARTIALS or _MOMENT_PARTIALS */
    const double *spec;   /* SAMPLE: the sample's description */
    int64_t spec_len;
    int64_t m;            /* the sample's size */
    int64_t nbatches;     /* its batches */
    const double *par;    /* PARTIALS: (beta, nu) */
    int64_t npar;
    int64_t row_begin;    /* BATCH_PARTIALS: each batch's partial covers its */
    int64_t row_end;      /* samples in [row_begin, row_end) (MOMENT: all) */
    int64_t batch_begin;  /* PARTIALS: the batches asked for */
    int64_t batch_end;
    int64_t batch_len;    /* PARTIALS: doubles per batch: BATCH 4 + d + d*d + n +
                             nvc (one partial), MOMENT 4 + 4 + d*d (the sums of
                             e^b and of e^{2b} g g'); the blockwise estimator
                             (glmmgo_mcla_options.estimator) adds one partial
                             per block to each. Always len / (batch_end -
                             batch_begin). */
    double *partials;     /* PARTIALS: the answer, len doubles */
    int64_t len;
    char *err;            /* a message when the callback fails */
    size_t errlen;
} glmmgo_mcla_request;

typedef int (*glmmgo_mcla_partials_fn)(void *userdata, const glmmgo_mcla_request *req);

/*
 * Worker side. Sets on the model `model` (of the fit's data) batches
 * [batch_begin, batch_end) of the sample spec[spec_len] describes (from a
 * GLMMGO_MCLA_SAMPLE request): the importance density is rebuilt from the
 * data and spec (only when it changed) and the blocks of those batches are
 * drawn from the seed and held (or redrawn at each evaluation beyond the
 * fit's sample_memory). The samples that glmmgo_mcla_objective and
 * glmmgo_mcla_partial evaluate on this model are not touched. Errors: GLMMGO_ERR_INVALID naming spec or batch_begin.
 */
int glmmgo_mcla_worker_sample(glmmgo_handle model, const double *spec, int64_t spec_len, int64_t batch_begin,
                              int64_t batch_end, int32_t workers, char *err, size_t errlen);

/*
 * Worker side. Answers a request for its batches [batch_begin, batch_end)
 * (which must lie within those set by glmmgo_mcla_worker_sample) of a
 * sample of m samples: what, par[npar], m, row_begin and row_end as in the
 * request; partials[len], len = (batch_end - batch_begin) * batch_len.
 * Errors: GLMMGO_ERR_STATE before glmmgo_mcla_worker_sample;
 * GLMMGO_ERR_INVALID naming what, m, batch_begin, rows or len.
 */
int glmmgo_mcla_worker_partials(glmmgo_handle model, int32_t what, const double *par, int64_t npar, int64_t m,
                                int64_t row_begin, int64_t row_end, int64_t batch_begin, int64_t batch_end,
                                int32_t workers, double *partials, int64_t len, char *err, size_t errlen);

typedef struct {
    size_t size;        /* sizeof the caller's struct (set by glmmgo_mcla_options_default) */
    int64_t m;          /* Monte Carlo sample size, >= 1, or GLMMGO_M_AUTO
                           (default 10000) */
    double p_mix[3];    /* p1, p2, p3: in [0,1], sum 1 within 1e-8, p1 > 0
                           (default 1/3 each). p3 = 0 is allowed. */
    double zeta;        /* t degrees of freedom >= 0.1 (default 5) */
    uint64_t seed;      /* the sample's seed (default 0) */
    int32_t workers;    /* threads; 0 = all CPUs (default 0) */
    int32_t no_pql;     /* nonzero: skip PQL and start at beta = 0, nu = 1
                           unless start is given (glmm's doPQL = FALSE) */
    double rinit;       /* initial trust radius (default 10) */
    double rmax;        /* largest trust radius, >= rinit (default 1000) */
    int64_t iterlim;    /* trust iterations, >= 1 (default 1000) */
    const double *start; /* NULL, or start_len = p+nvc starting values
                           (beta, nu), nu > 1e-9, used instead of PQL
                           (glmm's par.init) */
    int64_t start_len;  /* length of start (0 when start is NULL) */
    double ess_warn;    /* warn when the effective sample size is below this
                           (default 100; 0 = never warn) */
    int32_t t_at_ustar; /* nonzero: centre the t component at u* instead of
                           glmm's 0 (default 0) */
    double dispersion_lo; /* negative binomial: estimate r in [dispersion_lo, */
    double dispersion_hi; /* dispersion_hi], 0 < lo < hi < Inf; both 0 (the
                           default): use the model's dispersion */
    int32_t stages;     /* importance-density stages, >= 1 (default 5; 1 =
                           glmm's single density) */
    int64_t m_pilot;    /* sample size of each stage before the last, >= 1
                           (default 10000; at most m) */
    double ess_target;  /* m = GLMMGO_M_AUTO: the effective sample size
                           to reach, >= 1 (default 1000) */
    double rel_mcse;    /* m = GLMMGO_M_AUTO: every MCSE at most rel_mcse
                           times its standard error, > 0 (default 0.05) */
    int64_t m_max;      /* m = GLMMGO_M_AUTO: the largest m, >= 1
                           (default 10000000) */
    double time_max;    /* m = GLMMGO_M_AUTO: begin no further stage and
                           stop growing m before this many seconds of wall
                           time (the final inference still runs); 0 = no
                           limit (the default). A limit that is reached
                           makes m depend on the machine's speed. */
    int64_t sample_memory; /* bytes of samples held in memory; larger samples
                           are redrawn at every evaluation (default 2^32 =
                           4 GiB; -1 = no limit; 0 = always redraw) */
    glmmgo_mcla_partials_fn partials; /* NULL (the default): the sample lives in
                           this process. Otherwise the sample lives in
                           other processes and this callback evaluates it
                           (see "MCLA across processes" below); the result
                           is the same bit for bit. Not with a dispersion
                           range. */
    void *partials_userdata; /* passed to partials */
    int32_t estimator;  /* GLMMGO_MCLA_ESTIMATOR_AUTO (the default),
                           _JOINT or _BLOCKWISE: see below */
} glmmgo_mcla_options;

/* glmmgo_mcla_options.m: choose the sample size (see ess_target). */
#define GLMMGO_M_AUTO 0

/* glmmgo_mcla_options.estimator. JOINT is glmm's estimator: one
   importance-sampling average over all q random effects. BLOCKWISE splits
   the random effects into their conditionally independent blocks (the
   connected components of Z's columns, two columns linked when an
   observation has nonzeros in both: one block per outermost group of a
   nested design, one block for a crossed design) and averages over each
   block separately, with glmm's mixture per block; observations without a
   random effect enter exactly. The likelihood is the product of the
   blocks' integrals, so the estimator is the same quantity, but the
   log-weights' variance is a block's instead of the sum over blocks: the
   effective sample size (then the smallest block's) no longer collapses as
   the blocks grow in number. AUTO is BLOCKWISE with m = GLMMGO_M_AUTO on a
   design of two or more blocks, else JOINT (a given m keeps glmm's
   estimator, comparable with glmm). With one block both are the same. */
#define GLMMGO_MCLA_ESTIMATOR_AUTO 0
#define GLMMGO_MCLA_ESTIMATOR_JOINT 1
#define GLMMGO_MCLA_ESTIMATOR_BLOCKWISE 2

/* Fills the fields of *opt lying within size bytes with the defaults above
   and sets opt->size = size (pass sizeof *opt). */
int glmmgo_mcla_options_default(glmmgo_mcla_options *opt, size_t size, char *err, size_t errlen);

/*
 * Fits the MCLA model `model` with options opt into a new fit handle *fit
 * (0 on failure; free it with glmmgo_free). progress (may be NULL) is called on the calling thread
 * after every trust iteration with (userdata, iteration, current
 * log-likelihood, current par, p+nvc). Errors: GLMMGO_ERR_INVALID for bad
 * options or data that has no finite estimate (every response 0, or every
 * response a success; a variance component with a single column of Z; a
 * start with a variance <= 1e-9); GLMMGO_ERR_STATE for a negative binomial
 * model without a dispersion and no dispersion range; GLMMGO_ERR_NUMERIC
 * for numerical failures; GLMMGO_ERR_CANCELLED. The model is not changed.
 * Memory: the u-matrix (m*q doubles) is held during the fit only.
 */
int glmmgo_mcla_fit(glmmgo_handle model, const glmmgo_mcla_options *opt, glmmgo_progress_fn progress,
                    void *userdata, glmmgo_handle *fit, char *err, size_t errlen);

/*
 * Sets on the model `model` the importance density and the samples of the
 * fit `fit`, which must come from glmmgo_mcla_fit on a model of the same
 * data: its final density (whose t component may be t_zeta(u*, Sigma~),
 * which glmmgo_mcla_set_importance cannot express) and its m samples,
 * drawn again from the fit's seed and held or redrawn as the fit held them
 * — no u-matrix passes through the caller. glmmgo_mcla_objective and
 * glmmgo_mcla_partial at the fit's estimate then give the fit's value and
 * each sample's importance weight and score. A fit of another shape is
 * GLMMGO_ERR_INVALID naming fit.
 */
int glmmgo_mcla_set_fit_samples(glmmgo_handle model, glmmgo_handle fit, char *err, size_t errlen);

/*
 * Results of an MCLA fit. d = p + nvc. Type "int" results are read with
 * glmmgo_result_int64, the others with glmmgo_result.
 *                                       length   meaning                                              */
#define GLMMGO_MCLA_BETA 1001           /* p      beta-hat                                             */
#define GLMMGO_MCLA_NU 1002             /* nvc    nu-hat, the variances                                */
#define GLMMGO_MCLA_VALUE 1003          /* 1      l_m at the estimate (no normalising constants, as glmm) */
#define GLMMGO_MCLA_GRADIENT 1004       /* d      gradient of l_m there                                */
#define GLMMGO_MCLA_HESSIAN 1005        /* d*d    Hessian of l_m there, column-major                   */
#define GLMMGO_MCLA_SE 1006             /* d      standard errors sqrt(diag(vcov)); Inf for a singular Hessian */
#define GLMMGO_MCLA_Z 1007              /* d      z = estimate / se                                    */
#define GLMMGO_MCLA_PVALUE 1008         /* d      two-sided for beta, one-sided for nu (glmm's "Pr(>|z|)/2") */
#define GLMMGO_MCLA_VCOV 1009           /* d*d    -Hessian^{-1}                                        */
#define GLMMGO_MCLA_MCSE 1010           /* d      Monte Carlo standard errors, sqrt(diag(mcvcov))      */
#define GLMMGO_MCLA_MCVCOV 1011         /* d*d    Monte Carlo covariance of the estimate (jackknife over groups of samples) */
#define GLMMGO_MCLA_HESSIAN_NEGDEF 1012 /* 1 int  1 if -Hessian is positive definite (else SEs are suspect) */
#define GLMMGO_MCLA_CONVERGED 1013      /* 1 int  1 if converged: trust's test met at a maximum (GLMMGO_MCLA_CONVERGENCE is 0) */
#define GLMMGO_MCLA_ITERATIONS 1014     /* 1 int  trust iterations                                     */
#define GLMMGO_MCLA_EVALUATIONS 1015    /* 1 int  objective evaluations                                */
#define GLMMGO_MCLA_ESS 1016            /* 1      Kish effective sample size of the importance weights at the estimate, in [1, m] */
#define GLMMGO_MCLA_ESS_WARNING 1017    /* 1 int  1 if ESS < opt.ess_warn                              */
#define GLMMGO_MCLA_COUNTS 1018         /* 3 int  samples from each mixture component (m1, m2, m3)     */
#define GLMMGO_MCLA_SECONDS 1019        /* 4      wall time of PQL, sampling, trust, inference         */
#define GLMMGO_MCLA_USED_PQL 1020       /* 1 int  1 if PQL gave the start                              */
#define GLMMGO_MCLA_START 1021          /* d      where trust started: (beta_pql, nu_pql) or opt.start */
#define GLMMGO_MCLA_U_STAR 1022         /* q      the importance density's centre u*                   */
#define GLMMGO_MCLA_D_STAR 1023         /* q      the diagonal of D* (PQL variances floored at 1e-6)   */
#define GLMMGO_MCLA_SIGMA_INV 1024      /* q*q    Sigma~^{-1} of the importance density; GLMMGO_ERR_INVALID when the density factored it sparse (never formed q*q) */
#define GLMMGO_MCLA_UMATRIX 1025        /* m*q    the u-matrix, row k sample k (glmm's layout); regenerated from the seed on request */
#define GLMMGO_MCLA_DISPERSION 1026     /* 1      negative binomial size r used (estimated or given); 0 otherwise */
#define GLMMGO_MCLA_DISPERSION_LOGLIK 1027  /* 1 or 0  full log-likelihood at (estimate, r_hat) when r was estimated; length 0 otherwise */
#define GLMMGO_MCLA_DISPERSION_PROFILE 1028 /* 2*k or 0  the k points (r, profile log-likelihood) the search evaluated, column-major k x 2 */
#define GLMMGO_MCLA_CONVERGENCE 1029    /* 1 int  why the fit did not converge: a GLMMGO_CONVERGENCE_* code, 0 if it did */
#define GLMMGO_MCLA_MCSE_GLMM 1030      /* d      glmm's Monte Carlo standard errors, sqrt(diag(mcvcov_glmm)) */
#define GLMMGO_MCLA_MCVCOV_GLMM 1031    /* d*d    glmm's Monte Carlo covariance H^{-1} V H^{-1}, V = sum v_k^2 g_k g_k' */
#define GLMMGO_MCLA_JACKKNIFE 1032      /* 4      the MCSE's groups G, effective groups, degrees of freedom, variance inflation */
#define GLMMGO_MCLA_STAGE_COUNT 1033    /* 1 int  k, the number of stages (importance densities) */
#define GLMMGO_MCLA_STAGE_M 1034        /* k int  samples of each stage (the final stage's after growing) */
#define GLMMGO_MCLA_STAGE_ESS 1035      /* k      effective sample size at each stage's estimate */
#define GLMMGO_MCLA_STAGE_PAR 1036      /* k*d    each stage's estimate, column-major k x d */
#define GLMMGO_MCLA_STAGE_MCSE 1037     /* k*d    each stage's MCSEs, column-major k x d */
#define GLMMGO_MCLA_STAGE_CENTRE 1038   /* k*d    the point each stage's density was built at, column-major k x d */
#define GLMMGO_MCLA_STAGE_GUARDED 1039  /* k int  1 if the stage's maximisation ended against the guard */
#define GLMMGO_MCLA_FINAL_STAGE 1040    /* 1 int  the stage (0-based) the results come from */
#define GLMMGO_MCLA_AUTO_STOP 1041      /* 1 int  GLMMGO_AUTO_* : why the sample size stopped growing */
#define GLMMGO_MCLA_GUARDED 1042        /* 1 int  1 if the final maximisation ended against the guard (then CONVERGED is 0) */
#define GLMMGO_MCLA_T_SIGMA 1043        /* 1 int  1 if the t component is t_zeta(u*, Sigma~) (stages > 1), 0 for glmm's t_zeta(0, D*) */
#define GLMMGO_MCLA_SAMPLES_KEPT 1044   /* 1 int  1 if the samples were held in memory, 0 if redrawn at every evaluation */
#define GLMMGO_MCLA_BLOCKWISE 1045      /* 1 int  1 if the fit used the blockwise estimator (then ESS is the smallest block's), 0 for the joint one */
#define GLMMGO_MCLA_BLOCKS 1046         /* 1 int  the conditionally independent blocks of the random effects */
#define GLMMGO_MCLA_JOINT_ESS 1047      /* 1      blockwise: the ESS of the joint weights (their product over blocks) on the same samples, for comparison; else ESS */

/* Values of GLMMGO_MCLA_AUTO_STOP. */
#define GLMMGO_AUTO_M_GIVEN 0     /* m was given */
#define GLMMGO_AUTO_TARGETS 1     /* the ESS and MCSE targets were reached */
#define GLMMGO_AUTO_M_MAX 2       /* m reached m_max first */
#define GLMMGO_AUTO_TIME_MAX 3    /* the next step would have passed time_max */

/* Convergence of an MCLA fit (GLMMGO_MCLA_CONVERGENCE): the first of these
   checks that fails, in the order NOT_FINITE, SCALE, GUARDED, ITERLIM,
   HESSIAN, GRADIENT. trust's own test is not enough: started far away it
   can stop at once where l_m is flat to rounding. */
#define GLMMGO_CONVERGENCE_OK 0         /* a maximum: every check below passed */
#define GLMMGO_CONVERGENCE_ITERLIM 1    /* trust stopped at its iteration limit (iterlim) */
#define GLMMGO_CONVERGENCE_NOT_FINITE 2 /* the estimate, l_m or a derivative is not finite */
#define GLMMGO_CONVERGENCE_SCALE 3      /* a parameter at an absurd scale: |beta_j| max_i |x_ij| > 1e4, or nu > 1e8 */
#define GLMMGO_CONVERGENCE_HESSIAN 4    /* the Hessian is not negative definite: not a maximum */
#define GLMMGO_CONVERGENCE_GRADIENT 5   /* the gradient is large relative to the information: sqrt(g'(-H)^-1 g) > 0.002 */
#define GLMMGO_CONVERGENCE_GUARDED 6    /* a staged fit's maximisation ended against the guard (GLMMGO_MCLA_GUARDED): l_m rises on where the sample is too thin to trust */

/* ---- LMM: linear mixed models (profiled deviance, as lme4) ---------------
 *
 * y = X beta + Z b + e, b = Lambda_theta u, u ~ N(0, sigma^2 I),
 * e ~ N(0, sigma^2 W^{-1}). The ML deviance and the REML criterion are
 * profiled over beta and sigma, so they are functions of theta alone
 * (Bates et al. 2015, J. Stat. Softw. 67(1)); glmmgo_lmm_fit minimises them
 * with a bounded derivative-free (BOBYQA-type) optimiser or, for many
 * covariance parameters, a projected BFGS with the analytic gradient
 * (glmmgo_lmm_options.optimizer); glmmgo_lmm_derivatives gives the
 * gradient and Hessian at any theta.
 *
 * Random-effects terms: term t is a grouping factor with nlevels[t] levels
 * (codes 0..nlevels[t]-1, each level used at least once, at least 2 levels
 * and fewer than n) and ncols[t] = k columns (k = 1 for (1|g), 2 for
 * (1+x|g)); uncorrelated terms on one factor are separate terms. The model
 * orders terms by decreasing number of levels (ties keep input order), as
 * lme4 does; theta, b, u, VarCorr and the conditional variances are in
 * that "model order" (GLMMGO_LMM_TERM_ORDER maps it to input order).
 * theta lists, term by term, the lower triangle of each term's k x k
 * template of Lambda column by column; diagonal elements have lower bound
 * 0, others are unbounded (GLMMGO_LMM_LOWER). b and u list, term by term,
 * level by level, the k values of each level.
 * Aliased columns of X (linearly dependent on earlier columns, R's qr rule
 * with tolerance 1e-7) are dropped when the model is created, as lme4 does;
 * beta, se and vcov refer to the kept columns (GLMMGO_LMM_KEPT_COLUMNS).
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
 * On success *out receives the handle; on failure *out is 0.
 */
int glmmgo_lmm_new(int64_t n, int64_t p, const double *y, const double *x, const double *weights,
                   int64_t nterms, const int64_t *nlevels, const int64_t *ncols, const int64_t *codes,
                   const double *z, glmmgo_handle *out, char *err, size_t errlen);

/*
 * *value receives the profiled ML deviance (reml = 0) or the REML criterion
 * (reml != 0) at theta[ntheta] (model order). A diagonal element below 0 is
 * GLMMGO_ERR_DOMAIN; a perfect fit (zero residual) GLMMGO_ERR_NUMERIC.
 * Allocates nothing after the first call on the model with the same workers
 * (changing workers re-plans the work once).
 */
int glmmgo_lmm_objective(glmmgo_handle model, const double *theta, int64_t ntheta, int32_t reml, int32_t workers,
                         double *value, char *err, size_t errlen);

/*
 * The pieces of both criteria at theta[ntheta] (model order), lme4's
 * getME(fit, "devcomp")$cmp, into parts[len], len = 6:
 *   parts[0] ldL2   log|L_theta|^2, the random-effects block of the factor
 *   parts[1] ldRX2  log|R_X|^2, the fixed-effects block
 *   parts[2] wrss   weighted residual sum of squares |W^(1/2) (y - X beta - Z b)|^2
 *   parts[3] ussq   |u|^2, the squared length of the spherical modes
 *   parts[4] pwrss  wrss + ussq, the penalised weighted residual sum of squares
 *   parts[5] ldW    sum_i log w_i (0 without weights)
 * at the conditional estimates given theta. Then the ML deviance is
 * ldL2 - ldW + n (1 + log(2 pi pwrss / n)), the REML criterion
 * ldL2 + ldRX2 - ldW + (n-p) (1 + log(2 pi pwrss / (n-p))), and the ML
 * deviance at a given sigma ldL2 - ldW + n log(2 pi sigma^2) + pwrss/sigma^2
 * (what a profile over sigma needs). Errors as glmmgo_lmm_objective; a len
 * other than 6 is GLMMGO_ERR_INVALID.
 */
int glmmgo_lmm_deviance_parts(glmmgo_handle model, const double *theta, int64_t ntheta, int32_t workers,
                              double *parts, int64_t len, char *err, size_t errlen);

/*
 * Derivatives with respect to theta of the criterion at theta[ntheta]
 * (model order): *value receives the criterion (as glmmgo_lmm_objective),
 * gradient[gradient_len] its gradient (gradient_len = ntheta) and
 * hessian[hessian_len] its Hessian (hessian_len = ntheta*ntheta,
 * column-major, symmetric); either array may be NULL with length 0 to skip
 * it. sigma_mode says which function of theta is differentiated:
 *   GLMMGO_LMM_SIGMA_PROFILED  beta and sigma profiled out: lme4's devfun,
 *                              the criterion glmmgo_lmm_fit minimises;
 *   GLMMGO_LMM_SIGMA_FIXED     beta profiled, sigma held at sigma-hat(theta)
 *                              (sqrt(pwrss/n), or /(n-p) for REML): what
 *                              MixedModels.jl's ForwardDiff.hessian reports.
 * The two gradients are equal; the Hessians differ by a rank-one term.
 * The gradient is analytic (Jacobi's formula with a selected inverse of the
 * factor); the Hessian is central differences of the analytic gradient
 * (steps 1e-4 * max(1, |theta_j|); one-sided on a bound), 2*ntheta gradients.
 * Errors as glmmgo_lmm_objective; a wrong length or an unknown sigma_mode
 * is GLMMGO_ERR_INVALID naming it.
 */
#define GLMMGO_LMM_SIGMA_PROFILED 0
#define GLMMGO_LMM_SIGMA_FIXED 1
int glmmgo_lmm_derivatives(glmmgo_handle model, const double *theta, int64_t ntheta, int32_t reml,
                           int32_t sigma_mode, int32_t workers, double *value, double *gradient,
                           int64_t gradient_len, double *hessian, int64_t hessian_len, char *err,
                           size_t errlen);

typedef struct {
    size_t size;         /* sizeof the caller's struct (set by glmmgo_lmm_options_default) */
    int32_t reml;        /* nonzero: REML; 0: ML (default 0) */
    const double *start; /* NULL (the better of lme4's start, 1 on diagonals and 0 off, and moment estimates of theta), or start_len = ntheta values of theta */
    int64_t start_len;   /* length of start (0 when start is NULL) */
    double rhobeg;       /* the optimiser's initial trust radius, > 0 (default 0.2; 0 also means 0.2) */
    double rhoend;       /* its final radius, <= rhobeg; 0 (the default) means 5e-5 * rhobeg */
    int64_t maxeval;     /* evaluation budget (default 10000); it must leave room for the
                            optimiser's 2*ntheta+1 interpolation points. Running out of a
                            valid budget is not an error (GLMMGO_LMM_CONVERGED is 0). */
    int32_t workers;     /* threads; 0 = all CPUs (default 0) */
    int32_t optimizer;   /* GLMMGO_LMM_OPTIMIZER_AUTO (default): BFGS from 6 elements of theta on, else
                            BOBYQA; or force GLMMGO_LMM_OPTIMIZER_BOBYQA / _BFGS (see below) */
} glmmgo_lmm_options;

/* Optimisers of glmmgo_lmm_fit (glmmgo_lmm_options.optimizer, GLMMGO_LMM_OPTIMIZER):
   BOBYQA is Powell's derivative-free method (rhobeg, rhoend apply); BFGS is a
   projected quasi-Newton method with the analytic gradient, converged when the
   projected gradient is below 1e-7 * max(1, |criterion|) (rhobeg, rhoend unused). */
#define GLMMGO_LMM_OPTIMIZER_AUTO 0
#define GLMMGO_LMM_OPTIMIZER_BOBYQA 1
#define GLMMGO_LMM_OPTIMIZER_BFGS 2

/* Fills the fields of *opt lying within size bytes with the defaults above
   and sets opt->size = size (pass sizeof *opt). */
int glmmgo_lmm_options_default(glmmgo_lmm_options *opt, size_t size, char *err, size_t errlen);

/*
 * Fits the model by ML or REML into a new fit handle *fit (0 on failure;
 * free it with glmmgo_free).
 * progress (may be NULL) is called on the calling thread after every
 * evaluation with (userdata, evaluation count, criterion, theta, ntheta);
 * without a start, count 0 reports the evaluation that chose between
 * lme4's start and the moment estimates (with the better of the two).
 * A start outside the parameter space is GLMMGO_ERR_DOMAIN. The fit keeps
 * what it reports; its conditional variances are computed on the first
 * request from the model's data, which the fit shares with the model (so
 * freeing the model frees that data only with its last fit).
 */
int glmmgo_lmm_fit(glmmgo_handle model, const glmmgo_lmm_options *opt, glmmgo_progress_fn progress,
                   void *userdata, glmmgo_handle *fit, char *err, size_t errlen);

/*
 * Results of LMM models and fits; the first five and the last three
 * (GLMMGO_LMM_THETA_TERM, _ROW, _COL: theta's layout) describe the model's
 * structure and are answered by models and fits, the others by fits.
 * Terms are in model order unless said otherwise; k_t = columns of term t.
 *                                     length             meaning                                   */
#define GLMMGO_LMM_TERM_ORDER 2001    /* nterms int       input index of each term                  */
#define GLMMGO_LMM_TERM_NLEVELS 2002  /* nterms int       levels of each term                       */
#define GLMMGO_LMM_TERM_NCOLS 2003    /* nterms int       columns k_t of each term                  */
#define GLMMGO_LMM_KEPT_COLUMNS 2004  /* p int            0-based indices of the columns of X kept  */
#define GLMMGO_LMM_LOWER 2005         /* ntheta           lower bounds of theta (0 or -Inf)         */
#define GLMMGO_LMM_THETA 2006         /* ntheta           theta-hat                                 */
#define GLMMGO_LMM_BETA 2007          /* p                beta-hat (kept columns)                   */
#define GLMMGO_LMM_SE 2008            /* p                standard errors of beta-hat               */
#define GLMMGO_LMM_VCOV 2009          /* p*p              covariance of beta-hat, column-major      */
#define GLMMGO_LMM_SIGMA 2010         /* 1                residual standard deviation               */
#define GLMMGO_LMM_VARCORR 2011       /* ntheta+1         per term: k_t standard deviations, then the k_t(k_t-1)/2
                                                          correlations below the diagonal, column by column (NaN
                                                          beside a zero standard deviation); last: sigma. As lme4's VarCorr */
#define GLMMGO_LMM_B 2012             /* q                conditional modes b = Lambda u            */
#define GLMMGO_LMM_U 2013             /* q                spherical conditional modes u             */
#define GLMMGO_LMM_CONDVAR 2014       /* sum nlevels*k^2  per term, per level, the k x k conditional covariance of b
                                                          given y (lme4's ranef(condVar = TRUE): sigma^2 Lambda
                                                          (L L')^{-1} Lambda' blocks, ignoring the uncertainty in
                                                          beta), column-major. Computed on the first request */
#define GLMMGO_LMM_OBJECTIVE 2015     /* 1                the criterion minimised                   */
#define GLMMGO_LMM_LOGLIK 2016        /* 1                -objective/2 (REML log-likelihood for REML fits) */
#define GLMMGO_LMM_DEVIANCE 2017      /* 1                ML deviance profiled at theta-hat          */
#define GLMMGO_LMM_REMLCRIT 2018      /* 1                REML criterion at theta-hat                */
#define GLMMGO_LMM_AIC 2019           /* 1                -2 loglik + 2 (p + ntheta + 1)             */
#define GLMMGO_LMM_BIC 2020           /* 1                -2 loglik + log(n) (p + ntheta + 1)        */
#define GLMMGO_LMM_EVALS 2021         /* 1 int            criterion evaluations                     */
#define GLMMGO_LMM_CONVERGED 2022     /* 1 int            1 if the optimiser reached rhoend          */
#define GLMMGO_LMM_SINGULAR 2023      /* 1 int            1 if a diagonal theta < 1e-4 (a boundary fit) */
#define GLMMGO_LMM_REML 2024          /* 1 int            1 for a REML fit                          */
#define GLMMGO_LMM_THETA_TERM 2025    /* ntheta int       the term (model order) of each element of theta */
#define GLMMGO_LMM_THETA_ROW 2026     /* ntheta int       its row in the term's k x k template of Lambda */
#define GLMMGO_LMM_THETA_COL 2027     /* ntheta int       its column there (rows >= columns: the lower triangle,
                                                          column by column; diagonal elements, row == col, are
                                                          those with lower bound 0)                          */
#define GLMMGO_LMM_OPTIMIZER 2028     /* 1 int            the optimiser used (GLMMGO_LMM_OPTIMIZER_BOBYQA or _BFGS) */
/* The derivatives at theta-hat and the Wald standard errors of the covariance parameters,
   computed together on the first request of any of them (a Hessian: 2*ntheta gradients): */
#define GLMMGO_LMM_GRADIENT 2029      /* ntheta           gradient of the criterion at theta-hat (profiled) */
#define GLMMGO_LMM_HESSIAN 2030       /* ntheta*ntheta    its Hessian (profiled), column-major      */
#define GLMMGO_LMM_THETA_VCOV 2031    /* ntheta*ntheta    Wald covariance of theta-hat, 2 H^-1; NaN rows and
                                                          columns for elements on their bound (singular fit) */
#define GLMMGO_LMM_THETA_SE 2032      /* ntheta           Wald standard errors of theta-hat (NaN on a bound) */
#define GLMMGO_LMM_VARCORR_SE 2033    /* ntheta+1         standard errors of GLMMGO_LMM_VARCORR's elements by the
                                                          delta method from the joint covariance of (theta, sigma) */

/* ---- laplace: GLMMs by the Laplace approximation and adaptive quadrature --
 *
 * eta = offset + X beta + Z Lambda_theta u, u ~ N(0, I), and given u the
 * responses are independent with E(y_i / N_i) = g^{-1}(eta_i) (family and
 * link above, N_i the binomial trials, 1 otherwise) and prior weights w_i,
 * as lme4's glmer and MixedModels.jl's GeneralizedLinearMixedModel (Bates,
 * Maechler, Bolker and Walker 2015, J. Stat. Softw. 67(1)). The random
 * effects are given as the LMM's terms (glmmgo_lmm_new): theta, b, u and
 * the conditional variances are in model order (terms by decreasing
 * number of levels), theta's layout is GLMMGO_LAPLACE_THETA_TERM, _ROW and
 * _COL, aliased columns of X are dropped. Unlike an LMM a term may have one
 * level per observation (an observation-level random effect).
 *
 * The conditional mode u~ (and, for the fast objective, beta~ with it) is
 * found by penalised iteratively reweighted least squares on the LMM's
 * blocked Cholesky factor, with step halving; the Laplace approximation is
 *
 *   -2 log L(theta, beta) = -2 sum_i w_i log f(y_i | u~) + |u~|^2 + log|L|^2,
 *
 * L L' = Lambda' Z' W Z Lambda + I at the mode. For one scalar term,
 * adaptive Gauss-Hermite quadrature with nagq nodes per level (at most 25)
 * refines it (nagq = 1 is Laplace exactly).
 *
 * One scale. Every value named LOGLIK, MINUS_TWO_LOGLIK, AIC, BIC and
 * every objective here is on the log-likelihood's scale, with every
 * constant of f included (binomial coefficients, log y!), for Laplace and
 * for every nagq alike. MixedModels.jl's "deviance" (the sum of squared
 * deviance residuals + |u~|^2 + log|L|^2, what lme4 reports as the
 * deviance of its nAGQ > 1 fits) is GLMMGO_LAPLACE_DEVIANCE, named as such:
 * it is -2 log L + 2 log f_sat, f_sat the saturated model's likelihood
 * (0 for Bernoulli responses).
 *
 * Parameters: theta (ntheta, model order), then beta (p, the kept columns
 * of X): par = (theta, beta), npar = ntheta + p, the slow objective's (lme4's
 * nAGQ >= 1, MixedModels.jl's fast = false). The fast objective (lme4's
 * nAGQ = 0, MixedModels.jl's fast = true) takes theta alone, beta~(theta)
 * from PIRLS.
 *
 * A PIRLS failure is GLMMGO_ERR_NUMERIC with a message naming theta (and
 * beta), the step, the penalised deviance, and the observation and random
 * effect that moved most in the step that failed.
 */

/* Link functions (glmmgo_laplace_new's link; the MCLA engine has the
   families' default links only). eta = g(p) with p the success probability
   (Bernoulli, binomial) or the mean (counts). */
#define GLMMGO_LINK_DEFAULT 0 /* the family's: logit for Bernoulli and binomial, log for the counts */
#define GLMMGO_LINK_LOGIT 1   /* Bernoulli and binomial */
#define GLMMGO_LINK_PROBIT 2  /* Bernoulli and binomial */
#define GLMMGO_LINK_CLOGLOG 3 /* Bernoulli and binomial: log(-log(1 - p)) */
#define GLMMGO_LINK_LOG 4     /* Poisson and negative binomial */

/*
 * Creates a GLMM. n observations, p columns of x (n*p, column-major; p may
 * be 0, x then NULL). family: GLMMGO_BERNOULLI, _BINOMIAL, _POISSON or
 * _NEGBINOMIAL; link: a GLMMGO_LINK_* of the family (0 for its default).
 * y[n]: 0/1 (Bernoulli), successes 0..trials[i] (binomial; proportions
 * times trials, whole numbers), counts (Poisson, negative binomial).
 * trials[n]: binomial trials, each >= 1 (NULL: all 1; other families NULL or
 * all 1). weights[n]: non-negative prior weights, not all zero (NULL: all
 * 1). offset[n]: added to the linear predictor (NULL: 0). dispersion: the
 * negative binomial's known size r > 0 (Var y = mu + mu^2/r); 0 for the
 * other families. The random-effects terms as glmmgo_lmm_new's: nterms >= 1,
 * nlevels[nterms] (>= 2 each), ncols[nterms], codes[n*nterms] (0-based,
 * column t for term t, every level used), z (the terms' n*ncols[t] model
 * matrices one after another). The counts are checked before anything
 * sized by them is allocated; everything is copied. Bad input is
 * GLMMGO_ERR_INVALID naming the argument and the element ("y: element 3 is
 * 2: must be 0 or 1 for the Bernoulli family"). On success *model receives
 * the handle; on failure it is 0.
 */
int glmmgo_laplace_new(int64_t n, int64_t p, int32_t family, int32_t link, const double *y, const double *trials,
                       const double *weights, const double *offset, double dispersion, const double *x,
                       int64_t nterms, const int64_t *nlevels, const int64_t *ncols, const int64_t *codes,
                       const double *z, glmmgo_handle *model, char *err, size_t errlen);

/*
 * -2 log L at par[npar] into *value, for devFunOnly-style use: fast != 0
 * evaluates the fast objective at theta (npar = ntheta; nagq must be 1),
 * fast = 0 the slow one at (theta, beta) (npar = ntheta + p) by the
 * Laplace approximation (nagq = 1) or adaptive Gauss-Hermite quadrature
 * with nagq nodes (2..25; one scalar random-effects term). Every call
 * starts PIRLS afresh (u = 0, and beta = 0 for the fast objective), so the
 * value is a function of the arguments alone. A non-finite element is
 * GLMMGO_ERR_INVALID; a diagonal theta below 0 GLMMGO_ERR_DOMAIN; a PIRLS
 * failure GLMMGO_ERR_NUMERIC (see above). The value does not depend on
 * workers.
 */
int glmmgo_laplace_objective(glmmgo_handle model, const double *par, int64_t npar, int32_t nagq, int32_t fast,
                             int32_t workers, double *value, char *err, size_t errlen);

/* How a fit chooses theta's start (glmmgo_laplace_options.theta_start). */
#define GLMMGO_LAPLACE_START_AUTO 0    /* the lower fast objective of the two below (default) */
#define GLMMGO_LAPLACE_START_DEFAULT 1 /* lme4's: 1 on the diagonal of every template, 0 below it */
#define GLMMGO_LAPLACE_START_LMM 2     /* sigma*theta of an LMM fitted to the working response of the
                                          model without random effects (MixedModels.jl pull request 588) */

typedef struct {
    size_t size;          /* sizeof the caller's struct (set by glmmgo_laplace_options_default) */
    int32_t fast;         /* nonzero: optimise theta alone, beta in PIRLS (lme4's nAGQ = 0); 0 (default):
                             the fast fit, then (theta, beta) from its optimum */
    int32_t nagq;         /* nodes of the slow stage: 1 (Laplace, default) to 25 (one scalar term, fast = 0) */
    const double *start;  /* NULL, or start_len values: theta (ntheta), where the fast stage starts, or
                             (theta, beta) (ntheta + p; fast = 0), where the slow stage starts (no fast stage) */
    int64_t start_len;    /* length of start (0 when start is NULL) */
    int32_t theta_start;  /* GLMMGO_LAPLACE_START_* when start is NULL (default AUTO) */
    double rhobeg;        /* the optimiser's initial trust radius, > 0 (default 0.1), in its coordinates:
                             theta in the fast stage; theta/0.25 and beta in units of five standard errors
                             in the slow one */
    double rhoend;        /* its final radius, 0 < rhoend <= rhobeg (default 1e-4) */
    int64_t maxeval;      /* evaluations per stage (default 10000); running out is not an error
                             (GLMMGO_LAPLACE_CONVERGED is 0) */
    int32_t no_hessian;   /* nonzero: skip the slow fit's finite-difference Hessian (its SEs are then
                             conditional, as a fast fit's) */
    double pirls_tol;     /* PIRLS stops when a full step would lower the penalised deviance by less than
                             pirls_tol * (1 + its value), > 0 (default 1e-24) */
    int64_t pirls_maxiter; /* PIRLS steps per mode, >= 1 (default 100) */
    int64_t pirls_max_halvings; /* halvings of one PIRLS step, >= 1 (default 30) */
    int32_t workers;      /* threads; 0 = all CPUs (default 0) */
} glmmgo_laplace_options;

/* Fills the fields of *opt lying within size bytes with the defaults above
   and sets opt->size = size (pass sizeof *opt). */
int glmmgo_laplace_options_default(glmmgo_laplace_options *opt, size_t size, char *err, size_t errlen);

/*
 * Fits the model (maximum likelihood by the Laplace approximation or
 * adaptive quadrature) into a new fit handle *fit (0 on failure; free it
 * with glmmgo_free; it keeps everything it reports and stays valid after
 * its model is freed):
 *  1. theta's start by opt.theta_start (or opt.start);
 *  2. the fast stage: theta by a bounded BOBYQA-type optimiser, beta~ and
 *     u~ by PIRLS; a fast fit stops here;
 *  3. the slow stage: (theta, beta) from the fast optimum, the Laplace or
 *     nagq-node objective;
 *  4. the results at the optimum: standard errors of a slow fit from the
 *     central-difference Hessian of -2 log L in (theta, beta) (lme4's
 *     default), of a fast fit (or a slow fit at a boundary theta, or with
 *     no_hessian) from the last PIRLS factor, conditional on theta-hat
 *     (GLMMGO_LAPLACE_SE_METHOD says which).
 * The fit does not depend on what was evaluated on the model before, nor
 * on the number of workers. progress (may be NULL) is called on the
 * calling thread after every evaluation of the optimisers with (userdata,
 * evaluation count over both stages, -2 log L, the point, its length):
 * theta (ntheta values) in the fast stage, (theta, beta) in the slow one;
 * a nonzero return cancels the fit (GLMMGO_ERR_CANCELLED). Options out of
 * range are GLMMGO_ERR_INVALID naming the field; a start outside the
 * parameter space GLMMGO_ERR_DOMAIN; a PIRLS failure GLMMGO_ERR_NUMERIC.
 */
int glmmgo_laplace_fit(glmmgo_handle model, const glmmgo_laplace_options *opt, glmmgo_progress_fn progress,
                       void *userdata, glmmgo_handle *fit, char *err, size_t errlen);

/* Where standard errors come from (GLMMGO_LAPLACE_SE_METHOD). */
#define GLMMGO_LAPLACE_SE_HESSIAN 1     /* the beta block of 2 H^{-1}, H the Hessian of -2 log L in (theta, beta) */
#define GLMMGO_LAPLACE_SE_CONDITIONAL 2 /* (R_X R_X')^{-1} of the last PIRLS factor: given theta-hat */

/* Why an optimisation stage stopped (GLMMGO_LAPLACE_STAGE_STATUS). */
#define GLMMGO_STAGE_NOT_RUN 0           /* the stage was skipped (a fast fit's slow stage; a start of (theta, beta)) */
#define GLMMGO_STAGE_VALUE_CONVERGENCE 1 /* converged: the change in the value fell below its tolerance */
#define GLMMGO_STAGE_MODEL_CONVERGENCE 2 /* converged: the predicted change fell below its tolerance */
#define GLMMGO_STAGE_STEP_CONVERGENCE 3  /* converged: the trust radius reached rhoend (BOBYQA's test) */
#define GLMMGO_STAGE_ITERATION_LIMIT 4   /* stopped: iteration limit */
#define GLMMGO_STAGE_EVALUATION_LIMIT 5  /* stopped: maxeval evaluations */

/*
 * Results of laplace models and fits; the first eight describe the
 * model's structure (as the LMM's) and are answered by models and fits,
 * the others by fits. par = (theta, beta); "-2 log L" is on the one scale
 * above. Type "int" results are read with glmmgo_result_int64, the others
 * with glmmgo_result.
 *                                                length            meaning                                     */
#define GLMMGO_LAPLACE_TERM_ORDER 3001           /* nterms int      input index of each term (model order)      */
#define GLMMGO_LAPLACE_TERM_NLEVELS 3002         /* nterms int      levels of each term                         */
#define GLMMGO_LAPLACE_TERM_NCOLS 3003           /* nterms int      columns k_t of each term                    */
#define GLMMGO_LAPLACE_KEPT_COLUMNS 3004         /* p int           0-based indices of the columns of X kept    */
#define GLMMGO_LAPLACE_LOWER 3005                /* ntheta          lower bounds of theta (0 or -Inf)           */
#define GLMMGO_LAPLACE_THETA_TERM 3006           /* ntheta int      the term (model order) of each element of theta */
#define GLMMGO_LAPLACE_THETA_ROW 3007            /* ntheta int      its row in the term's k x k template of Lambda */
#define GLMMGO_LAPLACE_THETA_COL 3008            /* ntheta int      its column there (rows >= columns)          */
#define GLMMGO_LAPLACE_THETA 3009                /* ntheta          theta-hat                                   */
#define GLMMGO_LAPLACE_BETA 3010                 /* p               beta-hat (kept columns)                     */
#define GLMMGO_LAPLACE_SE 3011                   /* p               standard errors of beta-hat                 */
#define GLMMGO_LAPLACE_VCOV 3012                 /* p*p             covariance of beta-hat, column-major        */
#define GLMMGO_LAPLACE_SE_METHOD 3013            /* 1 int           GLMMGO_LAPLACE_SE_HESSIAN or _CONDITIONAL   */
#define GLMMGO_LAPLACE_PAR_VCOV 3014             /* npar*npar or 0  covariance of (theta-hat, beta-hat), 2 H^{-1}, when
                                                                    SE_METHOD is HESSIAN; length 0 otherwise    */
#define GLMMGO_LAPLACE_VARCORR 3015              /* ntheta          per term: k_t standard deviations, then the
                                                                    k_t(k_t-1)/2 correlations below the diagonal,
                                                                    column by column (NaN beside a zero standard
                                                                    deviation); lme4's VarCorr (no residual)    */
#define GLMMGO_LAPLACE_U 3016                    /* q               spherical conditional modes u~              */
#define GLMMGO_LAPLACE_B 3017                    /* q               conditional modes b~ = Lambda u~ (lme4's ranef) */
#define GLMMGO_LAPLACE_CONDVAR 3018              /* sum nlevels*k^2 per term, per level, the k x k conditional covariance
                                                                    of b given y at the mode, Lambda (L L')^{-1} Lambda'
                                                                    blocks (lme4's ranef(condVar = TRUE)), column-major */
#define GLMMGO_LAPLACE_LINEAR_PREDICTOR 3019     /* n               eta~ = offset + X beta-hat + Z b~           */
#define GLMMGO_LAPLACE_FITTED 3020               /* n               mu~ on the response scale: the probability per trial
                                                                    (binomial) or the mean count (lme4's fitted) */
#define GLMMGO_LAPLACE_RESID_RESPONSE 3021       /* n               y/N - mu~ (binomial proportions; y - mu~ otherwise) */
#define GLMMGO_LAPLACE_RESID_PEARSON 3022        /* n               (y - N mu~) sqrt(w / Var y)                 */
#define GLMMGO_LAPLACE_RESID_DEVIANCE 3023       /* n               sign(y - N mu~) sqrt(d_i), d_i = 2 w_i (log f(y_i|y_i)
                                                                    - log f(y_i|mu~_i))                         */
#define GLMMGO_LAPLACE_MINUS_TWO_LOGLIK 3024     /* 1               -2 log L at the optimum (Laplace or nagq nodes) */
#define GLMMGO_LAPLACE_LOGLIK 3025               /* 1               log L, every constant included              */
#define GLMMGO_LAPLACE_DEVIANCE 3026             /* 1               MixedModels.jl's deviance: -2 log L + 2 log f_sat */
#define GLMMGO_LAPLACE_SATURATED_LOGLIK 3027     /* 1               log f_sat, the saturated model's log-likelihood */
#define GLMMGO_LAPLACE_AIC 3028                  /* 1               -2 log L + 2 npar                           */
#define GLMMGO_LAPLACE_BIC 3029                  /* 1               -2 log L + log(n) npar                      */
#define GLMMGO_LAPLACE_PENALISED_DEVIANCE 3030   /* 1               sum d_i + |u~|^2 at the mode               */
#define GLMMGO_LAPLACE_USSQ 3031                 /* 1               |u~|^2                                      */
#define GLMMGO_LAPLACE_LOGDET 3032               /* 1               log|L|^2 at the mode                        */
#define GLMMGO_LAPLACE_GRADIENT 3033             /* ntheta or npar  gradient of -2 log L at the optimum by central
                                                                    differences: in theta (fast fits) or (theta, beta);
                                                                    length 0 for a slow fit at a boundary theta or with
                                                                    no_hessian                                  */
#define GLMMGO_LAPLACE_HESSIAN 3034              /* npar*npar or 0  its Hessian in (theta, beta) (slow fits with one) */
#define GLMMGO_LAPLACE_PIRLS_ITERATIONS 3035     /* 1 int           PIRLS steps of the whole fit                */
#define GLMMGO_LAPLACE_EVALS 3036                /* 2 int           evaluations of the fast and the slow stage  */
#define GLMMGO_LAPLACE_STAGE_OBJECTIVE 3037      /* 2               -2 log L at each stage's optimum (NaN: not run) */
#define GLMMGO_LAPLACE_STAGE_STATUS 3038         /* 2 int           why each stage stopped: GLMMGO_STAGE_*      */
#define GLMMGO_LAPLACE_CONVERGED 3039            /* 1 int           1 if every stage run converged              */
#define GLMMGO_LAPLACE_SINGULAR 3040             /* 1 int           1 if a diagonal theta < 1e-4 (lme4's isSingular) */
#define GLMMGO_LAPLACE_FAST 3041                 /* 1 int           1 for a fast fit                            */
#define GLMMGO_LAPLACE_NAGQ 3042                 /* 1 int           nodes of the slow stage (1: Laplace)        */
#define GLMMGO_LAPLACE_FAMILY 3043               /* 1 int           the family code                             */
#define GLMMGO_LAPLACE_LINK 3044                 /* 1 int           the link used (never GLMMGO_LINK_DEFAULT)   */
#define GLMMGO_LAPLACE_START_THETA 3045          /* ntheta or 0     where the fast stage started (opt.start when it is theta; length 0 when the fast stage did not run) */
#define GLMMGO_LAPLACE_START_FROM_LMM 3046       /* 1 int           1 if that was the LMM's theta               */
#define GLMMGO_LAPLACE_START_OBJECTIVES 3047     /* 3               the fast objective at the start used, at lme4's
                                                                    default theta and at the LMM's (NaN where not
                                                                    evaluated)                                  */
#define GLMMGO_LAPLACE_START_LMM_THETA 3048      /* ntheta or 0     the LMM's theta, when it was computed       */
#define GLMMGO_LAPLACE_SECONDS 3049              /* 3               wall time of the fast stage (with the start), the
                                                                    slow stage, and the whole fit               */

/* ---- mixlogit: a two-class mixture of logistic random-intercept models ---
 *
 * Subjects i = 0..n-1 are observed on occasions j = 0..t-1 with binary
 * responses y_ij and one covariate x_ij. Subject i belongs to a latent
 * class c in {1, 2} with probability pi_c (pi_2 = 1 - pi_1); given its class
 * it has a random intercept z ~ N(0, sigma_c^2) and independent responses
 *
 *     P(y_ij = 1 | c, z) = 1 / (1 + exp(-(beta_c x_ij + z))).
 *
 * There is no other intercept and no other covariate. The parameters are
 * always par = (beta1, beta2, sigma1, sigma2, pi1), in this order, with
 * sigma_c > 0 standard deviations (not variances) and 0 < pi1 < 1; every
 * vector of five and every 5 x 5 matrix (column-major) below uses it.
 *
 * Labels. Exchanging the two classes' labels does not change the
 * likelihood, so estimates are reported under the rule beta1 <= beta2:
 * class 1 is the class with the smaller slope. A fit relabels its estimate
 * (and its covariances, gradient and posterior) to follow the rule; the
 * objective takes par as it is given.
 *
 * The log-likelihood is the exact observed-data log-likelihood
 * l = sum_i log sum_c pi_c int N(z; 0, sigma_c^2) prod_j f(y_ij | c, z) dz,
 * each one-dimensional integral evaluated to about 1e-12 by a trapezoidal
 * rule centred at the integrand's mode with a step set by its curvature
 * there. Fits either maximise it (GLMMGO_MIXLOGIT_QUADRATURE: a trust-region
 * method on (beta, log sigma, logit pi1), standard errors from the observed
 * information) or run Monte Carlo EM (GLMMGO_MIXLOGIT_MCEM: class and
 * random intercept of each subject imputed by importance sampling from t
 * proposals at the conditional modes, exact M-steps, the sample size grown
 * by the ascent-based rule of Caffo, Jank and Jones, J. R. Stat. Soc. B
 * 67:235-251, 2005, standard errors by Louis' method, J. R. Stat. Soc. B
 * 44:226-233, 1982, and Monte Carlo standard errors of the estimate). Both
 * report the exact log-likelihood, its gradient and the posterior class
 * probabilities at their estimate. The quadrature fit is the maximum
 * likelihood estimate and the fast method; MCEM agrees with it within its
 * Monte Carlo standard errors where the likelihood is not flat. A fit is a
 * function of the data, the options and the seed: bit-identical for any
 * number of workers.
 */

/*
 * Creates a mixlogit model from y and x, both n x t matrices, column-major
 * (element (i, j), subject i on occasion j, at index i + n*j, as R's
 * matrix(y, n, t)). y holds 0 or 1 only, and both values must occur; x is
 * finite and not all zero. n >= 10 (two subjects per parameter), t >= 1.
 * The sizes are checked before anything is allocated; the data are copied.
 * On success *model receives the handle; on failure it is 0.
 */
int glmmgo_mixlogit_new(int64_t n, int64_t t, const double *y, const double *x, glmmgo_handle *model, char *err,
                        size_t errlen);

/*
 * The exact log-likelihood l at par[npar] (npar = 5, the order above) into
 * *value; gradient[5] and hessian[25] (column-major) receive its
 * derivatives in par and may be NULL to skip them (both NULL: the value
 * alone, cheaper). A NaN or infinite element is GLMMGO_ERR_INVALID; a par
 * outside the parameter space (a sigma <= 0, pi1 outside (0, 1)) is
 * GLMMGO_ERR_DOMAIN, both naming par and the parameter; values so extreme
 * that the likelihood is not finite are GLMMGO_ERR_NUMERIC.
 */
int glmmgo_mixlogit_objective(glmmgo_handle model, const double *par, int64_t npar, int32_t workers, double *value,
                              double *gradient, double *hessian, char *err, size_t errlen);

/* Methods of a mixlogit fit (glmmgo_mixlogit_options.method). */
#define GLMMGO_MIXLOGIT_MCEM 1       /* ascent-based Monte Carlo EM (the default) */
#define GLMMGO_MIXLOGIT_QUADRATURE 2 /* maximum likelihood on the exact log-likelihood */

typedef struct {
    size_t size;             /* sizeof the caller's struct (set by glmmgo_mixlogit_options_default) */
    int32_t method;          /* GLMMGO_MIXLOGIT_MCEM (default) or GLMMGO_MIXLOGIT_QUADRATURE */
    uint64_t seed;           /* MCEM: the Monte Carlo samples' seed (default 0) */
    int32_t workers;         /* threads; 0 = all CPUs (default 0) */
    const double *start;     /* NULL (a start from each subject's own logistic regression, clustered
                                into two classes), or start_len = 5 values of par, inside the
                                parameter space */
    int64_t start_len;       /* length of start (0 when start is NULL) */
    int64_t max_iter;        /* MCEM iterations, or trust-region iterations (default 200) */
    int64_t initial_samples; /* MCEM: draws per subject at the first iteration, >= 4 (default 50) */
    int64_t max_samples;     /* MCEM: largest number of draws per subject, >= initial_samples
                                (default 5000); n * max_samples at most 2^25 */
    double alpha;            /* MCEM: one-sided level of the ascent check, in (0, 0.5) (default 0.25) */
    double beta;             /* MCEM: type II error of the next sample size's check, in (0, 0.5) (default 0.25) */
    double gamma;            /* MCEM: one-sided level of the stopping check, in (0, 0.5) (default 0.1) */
    double augment_divisor;  /* MCEM: a sample that cannot show ascent grows by 1/augment_divisor
                                of its size, >= 1 (default 3) */
    double tol;              /* MCEM: stop when the upper confidence bound of the Q-function's
                                increase is below tol, > 0 (default 0.01) */
    double df;               /* MCEM: degrees of freedom of the t proposals, >= 1 (default 10) */
} glmmgo_mixlogit_options;

/* Fills the fields of *opt lying within size bytes with the defaults above
   and sets opt->size = size (pass sizeof *opt). */
int glmmgo_mixlogit_options_default(glmmgo_mixlogit_options *opt, size_t size, char *err, size_t errlen);

/*
 * Fits the model with options opt into a new fit handle *fit (0 on failure;
 * free it with glmmgo_free; it stays valid after its model is freed).
 * progress (may be NULL) is called on the calling thread after every
 * iteration with (userdata, iteration, value, par, 5): for MCEM, after
 * every EM iteration, with the Monte Carlo estimate of the increase of the
 * Q-function and the new par; for the quadrature fit, after every
 * trust-region iteration but the last (which meets the stopping test),
 * with the log-likelihood and par. A nonzero
 * return cancels the fit (GLMMGO_ERR_CANCELLED). Options out of range, a
 * zero where the default is not zero, or a start outside the parameter
 * space are GLMMGO_ERR_INVALID naming the field; numerical failures
 * GLMMGO_ERR_NUMERIC. Memory: MCEM holds n * (draws per subject) * 64
 * bytes at most.
 */
int glmmgo_mixlogit_fit(glmmgo_handle model, const glmmgo_mixlogit_options *opt, glmmgo_progress_fn progress,
                        void *userdata, glmmgo_handle *fit, char *err, size_t errlen);

/*
 * Results of a mixlogit fit. Vectors of 5 and 5 x 5 matrices follow par's
 * order under the labelling beta1 <= beta2. "MCEM" results are NaN (or 0 for
 * the integers) for the quadrature fit. k is the number of rows of the
 * trace: one per MCEM iteration, or one per trust-region iteration but the
 * last (which only meets the stopping test), as the progress callback is
 * called. Type "int" results are read with glmmgo_result_int64, the others
 * with glmmgo_result.
 *                                         length   meaning                                            */
#define GLMMGO_MIXLOGIT_ESTIMATE 4001     /* 5        (beta1, beta2, sigma1, sigma2, pi1)                */
#define GLMMGO_MIXLOGIT_SE 4002           /* 5        standard errors, sqrt(diag(vcov)); NaN if the information is not positive definite */
#define GLMMGO_MIXLOGIT_VCOV 4003         /* 25       inverse observed information (Louis' for MCEM), column-major */
#define GLMMGO_MIXLOGIT_INFO_POSDEF 4004  /* 1 int    1 if the observed information is positive definite */
#define GLMMGO_MIXLOGIT_LOGLIK 4005       /* 1        the exact log-likelihood at the estimate         */
#define GLMMGO_MIXLOGIT_GRADIENT 4006     /* 5        its gradient there (for MCEM: how far from the maximum) */
#define GLMMGO_MIXLOGIT_POSTERIOR 4007    /* n*2      P(class c | y_i) at the estimate, exact; column-major n x 2 */
#define GLMMGO_MIXLOGIT_CONVERGED 4008    /* 1 int    1 if the method's stopping rule was met          */
#define GLMMGO_MIXLOGIT_ITERATIONS 4009   /* 1 int    MCEM or trust-region iterations                  */
#define GLMMGO_MIXLOGIT_METHOD 4010       /* 1 int    GLMMGO_MIXLOGIT_MCEM or GLMMGO_MIXLOGIT_QUADRATURE */
#define GLMMGO_MIXLOGIT_START 4011        /* 5        where the fit started (opt.start or the data-driven start) */
#define GLMMGO_MIXLOGIT_MCSE 4012         /* 5        MCEM: Monte Carlo standard errors of the estimate, sqrt(diag(mcvcov)) */
#define GLMMGO_MIXLOGIT_MCVCOV 4013       /* 25       MCEM: Monte Carlo covariance of the estimate     */
#define GLMMGO_MIXLOGIT_LOGLIK_MC 4014    /* 1        MCEM: importance-sampling estimate of the log-likelihood from the last sample */
#define GLMMGO_MIXLOGIT_LOGLIK_MCSE 4015  /* 1        MCEM: its Monte Carlo standard error             */
#define GLMMGO_MIXLOGIT_SAMPLE_SIZE 4016  /* 1 int    MCEM: draws per subject in the last sample       */
#define GLMMGO_MIXLOGIT_TOTAL_DRAWS 4017  /* 1 int    MCEM: draws over all iterations and subjects     */
#define GLMMGO_MIXLOGIT_NEWTON_STEPS 4018 /* 1 int    MCEM: Newton steps of the final stage on its samples */
#define GLMMGO_MIXLOGIT_FINAL_ROUNDS 4019 /* 1 int    MCEM: fresh samples the final stage drew (1: the last EM sample sufficed) */
#define GLMMGO_MIXLOGIT_SCORE_TEST 4020   /* 1        MCEM: the final stage's score statistic at its last sampling point */
#define GLMMGO_MIXLOGIT_ESS 4021          /* 2        MCEM: mean and smallest over subjects of Kish's effective sample
                                                      size of the last sample's weights, divided by its draws */
#define GLMMGO_MIXLOGIT_TRACE_COLUMNS 4022 /* 1 int   columns of the trace: 16                          */
#define GLMMGO_MIXLOGIT_TRACE 4023        /* k*16     one row per iteration, column-major; columns: iter, beta1, beta2,
                                                      sigma1, sigma2, pi1, loglik, sample_size, augmentations, delta_q,
                                                      ase, lower, upper, ess_mean, ess_min, seconds. The quadrature fit
                                                      fills iter, par, loglik (exact) and seconds; MCEM: loglik is NaN,
                                                      sample_size the draws per subject after augmentations, delta_q
                                                      the Monte Carlo increase of the Q-function with its asymptotic
                                                      standard error ase and bounds lower, upper; seconds since the
                                                      start of the fit */
#define GLMMGO_MIXLOGIT_SECONDS 4024      /* 6        wall time of the start, the fit (of which MCEM's E-steps, its
                                                      M-steps), the inference, and the total */

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* GLMMGO_H */
