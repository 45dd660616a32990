/* The hardening cases: sizes that are valid but cannot be met, error
   buffers of any length, signals, cancellation and recovery. One mode per
   case; each prints "name status arg" lines (arg: the argument named at the
   start of the message, or -) and "name value" lines for the Go test
   (harden_test.go) to check.

   usage: harden <mode>
     errlen     error buffers of length SIZE_MAX and 2^63 on failing and
                successful calls
     budget     sizes whose memory exceeds the limit (set to 1 GiB first, so
                the outcome is the same on any machine) are refused at once,
                naming the argument, before anything is read or allocated */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "glmmgo.h"
#include "model.h"

static char err[1024];

/* Prints the label, the status and the argument the message names. */
static void show(const char *label, int s) {
    char arg[64] = "";
    const char *colon = strchr(err, ':');
    if (colon && colon - err < 63) {
        memcpy(arg, err, (size_t)(colon - err));
        arg[colon - err] = 0;
    }
    printf("%s %d %s\n", label, s, arg[0] ? arg : "-");
    fprintf(stderr, "%s: %d %s\n", label, s, err);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A Bernoulli GLMM: n observations, p = 2 (intercept, a covariate), q
   groups (observation i in group i % q), one variance component. */
typedef struct {
    int64_t n, q;
    double *y, *x, *zv;
    int64_t *zr, *zc, *vc;
} data_t;

static data_t make_data(int64_t n, int64_t q, uint64_t seed) {
    data_t d = {n, q, malloc(8 * (size_t)n), malloc(16 * (size_t)n), malloc(8 * (size_t)n),
                malloc(8 * (size_t)n), malloc(8 * (size_t)n), calloc((size_t)q, 8)};
    uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 1;
    for (int64_t i = 0; i < n; i++) {
        double xi = hm_norm(&s), eta = -0.3 + 0.8 * xi + (double)(i % q % 7) / 7 - 0.4;
        d.x[i] = 1;
        d.x[n + i] = xi;
        d.zr[i] = i;
        d.zc[i] = i % q;
        d.zv[i] = 1;
        d.y[i] = hm_unif(&s) < 1 / (1 + exp(-eta)) ? 1 : 0;
    }
    return d;
}

static glmmgo_handle model_of(const data_t *d) {
    glmmgo_handle h = 0;
    int s = glmmgo_mcla_new(d->n, 2, d->q, GLMMGO_BERNOULLI, d->y, NULL, NULL, d->x, d->n, d->zr, d->zc, d->zv, 1,
                            d->vc, &h, err, sizeof err);
    if (s != GLMMGO_OK) {
        fprintf(stderr, "mcla_new: %d %s\n", s, err);
        exit(1);
    }
    return h;
}

static glmmgo_mcla_options mcla_opts(int64_t m) {
    glmmgo_mcla_options o;
    glmmgo_mcla_options_default(&o, sizeof o, NULL, 0);
    o.m = m;
    return o;
}

/* ---- errlen ---------------------------------------------------------- */

static int errlen_mode(void) {
    char small[64];
    size_t lens[] = {(size_t)-1, (size_t)1 << 63, ((size_t)1 << 63) + 5};
    for (int k = 0; k < 3; k++) {
        memset(small, 'x', sizeof small);
        struct glmmgo_dims d = {.size = sizeof d};
        int s = glmmgo_dims(42, &d, small, lens[k]);
        printf("errlen_fail_%d %d %d\n", k, s, (int)strlen(small) > 10 && strstr(small, "handle") != NULL);
        memset(small, 'x', sizeof small);
        glmmgo_handle h = 0;
        s = small_model_new(&h, small, lens[k]);
        printf("errlen_ok_%d %d %d\n", k, s, small[0] == 0);
        glmmgo_free(h);
    }
    return 0;
}

/* ---- budget ---------------------------------------------------------- */

static int budget_mode(void) {
    int64_t def = 0, lim = 0;
    show("limit_get", glmmgo_memory_limit(&def, err, sizeof err));
    printf("default_positive %d\n", def > (1 << 20));
    show("limit_negative", glmmgo_set_memory_limit(-1, err, sizeof err));
    show("limit_null", glmmgo_memory_limit(NULL, err, sizeof err));
    show("limit_set", glmmgo_set_memory_limit((int64_t)1 << 30, err, sizeof err));
    glmmgo_memory_limit(&lim, err, sizeof err);
    printf("limit_is_set %d\n", lim == (int64_t)1 << 30);

    /* D1: the u-matrix of a small model with a huge m. */
    data_t d = make_data(60, 6, 1);
    glmmgo_handle h = model_of(&d), f = 0;
    double t0 = now();
    for (int k = 0; k < 2; k++) {
        glmmgo_mcla_options o = mcla_opts(k == 0 ? 100000000 : 1000000000);
        show(k == 0 ? "fit_m_1e8" : "fit_m_1e9", glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err));
    }
    glmmgo_mcla_options o = mcla_opts(1000);
    show("fit_m_1000", glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err));
    glmmgo_free(f);
    glmmgo_free(h);

    /* D2: the importance density's Sigma~^-1 at q = 3000 under a 128 MB
       limit, which two dense q x q matrices (144 MB) exceed. Three rows of
       Z with 1000 nonzeros each make it three dense 1000 x 1000 blocks,
       too full for the sparse factor: refused at once, naming q, with or
       without PQL. Nested groups (one column per row) give a diagonal
       Sigma~^-1, factored sparse: that fit is not refused. */
    glmmgo_set_memory_limit((int64_t)128 << 20, err, sizeof err);
    int64_t qd = 3000, wd = 1000, nd = qd + 3 * wd;
    data_t big = make_data(qd, qd, 2);
    int64_t *bzr = malloc(8 * (size_t)nd), *bzc = malloc(8 * (size_t)nd);
    double *bzv = malloc(8 * (size_t)nd);
    for (int64_t k = 0; k < nd; k++) {
        bzr[k] = k < qd ? k : (k - qd) / wd;
        bzc[k] = k < qd ? k : k - qd;
        bzv[k] = 1;
    }
    h = 0;
    if (glmmgo_mcla_new(qd, 2, qd, GLMMGO_BERNOULLI, big.y, NULL, NULL, big.x, nd, bzr, bzc, bzv, 1, big.vc, &h, err,
                        sizeof err) != GLMMGO_OK) {
        fprintf(stderr, "mcla_new (D2): %s\n", err);
        exit(1);
    }
    for (int k = 0; k < 2; k++) {
        o = mcla_opts(100);
        o.no_pql = k;
        show(k == 0 ? "fit_q_pql" : "fit_q_nopql", glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err));
        printf("%s %d\n", k == 0 ? "fit_q_pql_names_sigma" : "fit_q_nopql_names_sigma", strstr(err, "Σ̃⁻¹") != NULL);
    }
    glmmgo_free(h);
    free(bzr), free(bzc), free(bzv);
    data_t nest = make_data(4 * qd, qd, 4);
    h = model_of(&nest);
    o = mcla_opts(100);
    show("fit_q_sparse", glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err));
    /* Its Sigma~^-1 was never formed q x q: the result says so. */
    int64_t sil = -1;
    show("sigma_inv_sparse", glmmgo_result_length(f, GLMMGO_MCLA_SIGMA_INV, &sil, err, sizeof err));
    printf("sigma_inv_sparse_says %d\n", strstr(err, "sparse") != NULL && sil == -1);
    glmmgo_free(f);
    glmmgo_free(h);
    glmmgo_set_memory_limit((int64_t)1 << 30, err, sizeof err);

    /* D5: counts that the arrays cannot back. n = 2^36 with 4-element
       arrays: refused before any element is read (reading would fault). */
    static double y4[4] = {0, 1, 1, 0}, x4[4] = {1, 1, 1, 1}, zv4[4] = {1, 1, 1, 1};
    static int64_t zr4[4] = {0, 1, 2, 3}, zc4[4] = {0, 1, 0, 1}, vc2[2] = {0, 0};
    h = 0;
    show("new_n_2e36", glmmgo_mcla_new((int64_t)1 << 36, 0, 2, GLMMGO_BERNOULLI, y4, NULL, NULL, NULL, 4, zr4, zc4, zv4,
                                       1, vc2, &h, err, sizeof err));
    show("new_q_2e34", glmmgo_mcla_new(4, 1, (int64_t)1 << 34, GLMMGO_BERNOULLI, y4, NULL, NULL, x4, 4, zr4, zc4, zv4, 1,
                                       vc2, &h, err, sizeof err));
    int64_t nl[1] = {2}, nc[1] = {1}, codes[4] = {0, 1, 0, 1};
    show("lmm_n_2e36", glmmgo_lmm_new((int64_t)1 << 36, 0, y4, NULL, NULL, 1, nl, nc, codes, zv4, &h, err, sizeof err));
    int64_t ncbig[1] = {(int64_t)1 << 30};
    show("lmm_ncols_2e30", glmmgo_lmm_new(4, 0, y4, NULL, NULL, 1, nl, ncbig, codes, zv4, &h, err, sizeof err));
    int64_t nlbig[1] = {(int64_t)1 << 36};
    show("lmm_nlevels_2e36", glmmgo_lmm_new(4, 0, y4, NULL, NULL, 1, nlbig, nc, codes, zv4, &h, err, sizeof err));

    show("mixlogit_n_2e36", glmmgo_mixlogit_new((int64_t)1 << 36, 1, y4, x4, &h, err, sizeof err));

    /* Samples: m = 2^37 rows of q = 2 (the caller's umat would be 2 TB). */
    h = small_model();
    show("samples_m_2e37", glmmgo_mcla_set_samples(h, (int64_t)1 << 37, hm_umat, err, sizeof err));
    glmmgo_free(h);

    /* One row of Z with a nonzero in every one of q = 50000 columns, n =
       100000: Z by padded rows would be n*q entries. */
    int64_t n = 100000, q = 50000, nnz = n + q;
    data_t w = make_data(n, q, 3);
    int64_t *zr = malloc(8 * (size_t)nnz), *zc = malloc(8 * (size_t)nnz);
    double *zv = malloc(8 * (size_t)nnz);
    for (int64_t k = 0; k < nnz; k++) {
        zr[k] = k < n ? k : 0;
        zc[k] = k < n ? k % q : k - n;
        zv[k] = 1;
    }
    show("new_dense_row", glmmgo_mcla_new(n, 2, q, GLMMGO_BERNOULLI, w.y, NULL, NULL, w.x, nnz, zr, zc, zv, 1, w.vc, &h,
                                          err, sizeof err));

    /* D6: an LMM with 20100 theta (K = 200 columns on a 2-level factor):
       the optimiser's matrix (BOBYQA's (npt+n+1)^2 system, or the projected
       BFGS's n^2 one that the automatic choice takes here) is refused
       before the first evaluation. */
    int64_t ln = 401, K = 200;
    double *ly = malloc(8 * (size_t)ln), *lx = malloc(8 * (size_t)ln), *lz = malloc(8 * (size_t)(ln * K));
    int64_t *lc = malloc(8 * (size_t)ln), lnl[1] = {2}, lnc[1] = {K};
    uint64_t s = 5;
    for (int64_t i = 0; i < ln; i++) {
        ly[i] = hm_norm(&s);
        lx[i] = 1;
        lc[i] = i % 2;
        lz[i] = 1;
        for (int64_t k = 1; k < K; k++) lz[k * ln + i] = hm_norm(&s);
    }
    show("lmm_new_k200", glmmgo_lmm_new(ln, 1, ly, lx, NULL, 1, lnl, lnc, lc, lz, &h, err, sizeof err));
    glmmgo_lmm_options lo;
    glmmgo_lmm_options_default(&lo, sizeof lo, NULL, 0);
    lo.maxeval = 100000;
    show("lmm_fit_k200", glmmgo_lmm_fit(h, &lo, NULL, NULL, &f, err, sizeof err));
    glmmgo_free(h);

    show("limit_default", glmmgo_set_memory_limit(0, err, sizeof err));
    glmmgo_memory_limit(&lim, err, sizeof err);
    printf("limit_restored %d\n", lim == def);
    printf("seconds %.3f\n", now() - t0);
    return 0;
}

/* ---- beats: the progress callback's calls in every phase of a fit ------

   usage: harden beats M [cancelphase]
   A fit of a crossed two-factor Bernoulli model (n = 600, q = 120, the
   salamander's shape) with m samples and two workers; the callback records
   when it is called and in which phase (iter < 0) or iteration. Prints per
   phase the number of calls and the longest time without one, and the
   fit's status. With cancelphase (1..4) the callback stops the fit at the
   first heartbeat of that phase (4: inference): the fit returns
   GLMMGO_ERR_CANCELLED, how long after, and the model then fits as a fresh
   model does (same value, bit for bit). */
typedef struct {
    double last, gap[6], start;
    int64_t calls[6], bad;
    int cancel_phase;
    double cancelled_at;
} beats_t;

static int beats_cb(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    beats_t *b = ud;
    double t = now();
    int ph = iter < 0 ? (int)-iter : 5; /* 5: trust iterations */
    if (ph < 1 || ph > 5) {
        b->bad++;
        return 0;
    }
    if (iter < 0 && (!isnan(obj) || par != NULL || npar != 0)) b->bad++;
    b->calls[ph]++;
    if (t - b->last > b->gap[ph]) b->gap[ph] = t - b->last;
    b->last = t;
    if (b->cancel_phase == ph && iter < 0) {
        b->cancelled_at = t;
        return 1;
    }
    return 0;
}

static double fit_value(glmmgo_handle h, int64_t m) {
    glmmgo_mcla_options o = mcla_opts(m);
    o.workers = 2;
    glmmgo_handle f = 0;
    if (glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err) != GLMMGO_OK) return NAN;
    double v = NAN;
    glmmgo_result(f, GLMMGO_MCLA_VALUE, &v, 1, err, sizeof err);
    glmmgo_free(f);
    return v;
}

static int beats_mode(int64_t m, int cancel_phase) {
    int64_t n = 600, q = 120;
    data_t d = make_data(n, 60, 7);
    for (int64_t i = 0; i < n; i++) d.zc[i] = i % 60;
    /* a second factor: columns 60..119, crossed with the first */
    int64_t nnz = 2 * n;
    int64_t *zr = malloc(8 * (size_t)nnz), *zc = malloc(8 * (size_t)nnz), *vc = malloc(8 * (size_t)q);
    double *zv = malloc(8 * (size_t)nnz);
    for (int64_t i = 0; i < n; i++) {
        zr[i] = i, zc[i] = i % 60, zv[i] = 1;
        zr[n + i] = i, zc[n + i] = 60 + (i / 10) % 60, zv[n + i] = 1;
    }
    for (int64_t j = 0; j < q; j++) vc[j] = j < 60 ? 0 : 1;
    glmmgo_handle h = 0, f = 0;
    if (glmmgo_mcla_new(n, 2, q, GLMMGO_BERNOULLI, d.y, NULL, NULL, d.x, nnz, zr, zc, zv, 2, vc, &h, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    beats_t b = {0};
    b.cancel_phase = cancel_phase;
    glmmgo_mcla_options o = mcla_opts(m);
    o.workers = 2;
    b.start = b.last = now();
    int s = glmmgo_mcla_fit(h, &o, beats_cb, &b, &f, err, sizeof err);
    double end = now();
    printf("status %d\nseconds %.3f\nbad_calls %lld\n", s, end - b.start, (long long)b.bad);
    if (end - b.last > b.gap[5]) b.gap[5] = end - b.last;
    const char *names[] = {"", "pql", "sampling", "trust_beats", "inference", "iterations"};
    for (int k = 1; k <= 5; k++) printf("calls_%s %lld\ngap_%s %.4f\n", names[k], (long long)b.calls[k], names[k], b.gap[k]);
    if (cancel_phase) {
        printf("cancel_latency %.4f\nfit_zero %d\n", end - b.cancelled_at, f == 0);
        double v1 = fit_value(h, m);
        glmmgo_handle h2 = 0;
        glmmgo_mcla_new(n, 2, q, GLMMGO_BERNOULLI, d.y, NULL, NULL, d.x, nnz, zr, zc, zv, 2, vc, &h2, err, sizeof err);
        double v2 = fit_value(h2, m);
        printf("refit_identical %d\n", !isnan(v1) && memcmp(&v1, &v2, sizeof v1) == 0);
        glmmgo_free(h2);
    }
    glmmgo_free(f);
    glmmgo_free(h);
    return 0;
}

/* ---- longjmp: a progress callback that jumps out of the call ------------

   The header forbids it (a host's error mechanism, such as R's Rf_error
   called from the callback, would do it). Before, the handle stayed busy
   for ever: glmmgo_free returned GLMMGO_ERR_BUSY on every try. Now the
   handle can be freed from the thread that made the call (its memory
   cannot be reclaimed: the abandoned frames hold it), other calls on it
   get GLMMGO_ERR_BUSY, and the library keeps working. */
static jmp_buf jump;
static int64_t jump_at;
static int jumper(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)ud, (void)obj, (void)par, (void)npar;
    if (iter == jump_at) longjmp(jump, 1);
    return 0;
}

static void jump_out(const char *label, glmmgo_handle h, int lmm, int64_t at) {
    glmmgo_handle f = 0;
    jump_at = at;
    volatile int left = 0;
    if (setjmp(jump) == 0) {
        if (lmm) {
            glmmgo_lmm_options o;
            glmmgo_lmm_options_default(&o, sizeof o, NULL, 0);
            glmmgo_lmm_fit(h, &o, jumper, NULL, &f, err, sizeof err);
        } else {
            glmmgo_mcla_options o = mcla_opts(20000);
            glmmgo_mcla_fit(h, &o, jumper, NULL, &f, err, sizeof err);
        }
    } else {
        left = 1;
    }
    char name[64];
    printf("%s_left %d\n", label, left);
    struct glmmgo_dims d = {.size = sizeof d};
    snprintf(name, sizeof name, "%s_dims", label);
    show(name, glmmgo_dims(h, &d, err, sizeof err));
    snprintf(name, sizeof name, "%s_free", label);
    show(name, glmmgo_free(h));
    snprintf(name, sizeof name, "%s_free_again", label);
    show(name, glmmgo_free(h));
}

static int longjmp_mode(void) {
    data_t d = make_data(200, 10, 4);
    jump_out("mcla_iteration", model_of(&d), 0, 1);
    jump_out("mcla_sampling", model_of(&d), 0, -2);
    glmmgo_handle l = 0;
    int64_t nl[1] = {10}, nc[1] = {1};
    int64_t *codes = malloc(8 * 200);
    double *y = malloc(8 * 200), *x = malloc(8 * 200), *z = malloc(8 * 200);
    uint64_t s = 9;
    for (int i = 0; i < 200; i++) codes[i] = i % 10, y[i] = hm_norm(&s) + (i % 10) * 0.3, x[i] = 1, z[i] = 1;
    if (glmmgo_lmm_new(200, 1, y, x, NULL, 1, nl, nc, codes, z, &l, err, sizeof err) != GLMMGO_OK) return 1;
    jump_out("lmm_evaluation", l, 1, 3);
    glmmgo_handle h = model_of(&d), f = 0;
    glmmgo_mcla_options o = mcla_opts(2000);
    show("fit_after", glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err));
    glmmgo_free(f);
    glmmgo_free(h);
    return 0;
}

/* ---- sigprof: a profiler's handler installed with signal() ----------------

   The handler re-installs itself with signal() at every tick, as R's
   profiler does, and ITIMER_PROF fires every millisecond of CPU time
   (Rprof's default is 20 ms) during an MCLA fit with two workers and an
   LMM fit. Before, the process died within seconds ("fatal error: unknown
   caller pc", "traceback did not unwind completely"). */
static volatile sig_atomic_t ticks;
static void on_prof(int sig) {
    signal(sig, on_prof);
    ticks++;
}

static int sigprof_mode(void) {
    /* As R does (library(glmmgo) calls it before any Rprof()), the host
       uses the library once before it installs its handler: a handler
       installed while Go's runtime is still starting, in the milliseconds
       after loading, could reach a thread of Go's before the library has a
       chance to wrap it. */
    if (glmmgo_available_workers() < 1) return 1;
    signal(SIGPROF, on_prof);
    struct itimerval it = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_PROF, &it, NULL);
    data_t d = make_data(400, 20, 5);
    glmmgo_handle h = model_of(&d), f = 0;
    glmmgo_mcla_options o = mcla_opts(60000);
    o.workers = 2;
    show("mcla_fit", glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err));
    glmmgo_free(f);
    glmmgo_free(h);
    int64_t n = 4000, nl[2] = {200, 50}, nc[2] = {1, 1};
    int64_t *codes = malloc(16 * (size_t)n);
    double *y = malloc(8 * (size_t)n), *x = malloc(8 * (size_t)n), *z = malloc(16 * (size_t)n);
    uint64_t s = 3;
    for (int64_t i = 0; i < n; i++) {
        codes[i] = i % 200, codes[n + i] = (i / 7) % 50;
        y[i] = hm_norm(&s) + (double)(i % 200) / 100 + (double)((i / 7) % 50) / 50, x[i] = 1, z[i] = 1, z[n + i] = 1;
    }
    glmmgo_handle l = 0;
    if (glmmgo_lmm_new(n, 1, y, x, NULL, 2, nl, nc, codes, z, &l, err, sizeof err) != GLMMGO_OK) return 1;
    glmmgo_lmm_options lo;
    glmmgo_lmm_options_default(&lo, sizeof lo, NULL, 0);
    for (int k = 0; k < 5; k++) {
        show("lmm_fit", glmmgo_lmm_fit(l, &lo, NULL, NULL, &f, err, sizeof err));
        glmmgo_free(f);
    }
    glmmgo_free(l);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, NULL);
    printf("ticks %d\n", (int)ticks);
    return 0;
}

/* ---- stkflt: the host's SIGSTKFLT after the library's carrier ------------

   The library's first call puts its immunisation carrier in front of the
   host's SIGSTKFLT disposition (capi/sigwrap.c); a SIGSTKFLT that is not
   the library's still gets the host's: its handler ("handler"; prints
   "host_handler 1") or its default action, which ends the process by the
   signal ("default"). */
static volatile sig_atomic_t stkflts;
static void on_stkflt(int sig) {
    (void)sig;
    stkflts++;
}

static int stkflt_mode(const char *how) {
    if (!strcmp(how, "handler")) signal(SIGSTKFLT, on_stkflt);
    if (glmmgo_available_workers() < 1) return 1;
    struct sigaction cur;
    sigaction(SIGSTKFLT, NULL, &cur);
    printf("carrier %d\n", (cur.sa_flags & SA_SIGINFO) != 0);
    fflush(stdout);
    kill(getpid(), SIGSTKFLT);
    struct timespec pause = {0, 100000000};
    nanosleep(&pause, NULL);
    printf("host_handler %d\n", (int)stkflts);
    return 0;
}

/* ---- sigint_default: Ctrl-C with SIGINT's default action -----------------

   A fit without a callback runs for a long time; the test sends SIGINT.
   The asynchronous signals are blocked while Go runs on the calling
   thread, and delivered at its checkpoints (every 20 ms): the process ends
   by the signal at once, as it would without the library. Prints "running"
   when the fit starts. */
static int sigint_default_mode(void) {
    signal(SIGINT, SIG_DFL); /* a shell starts background jobs with SIGINT ignored */
    data_t d = make_data(60, 6, 6);
    glmmgo_handle h = model_of(&d), f = 0;
    glmmgo_mcla_options o = mcla_opts(4000000);
    o.workers = 2;
    printf("running\n");
    fflush(stdout);
    int s = glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err);
    printf("finished %d\n", s);
    return 0;
}

/* ---- converge (r07) -------------------------------------------------- */

/* A fit started far from the maximum (nu = 1e300, beta0 = 1e300) returned
   GLMMGO_OK with converged = 1; now converged = 0 with the reason
   GLMMGO_CONVERGENCE_SCALE. Prints "name status converged reason". */
static void converge_case(glmmgo_handle h, const char *label, const double *start, int64_t iterlim) {
    glmmgo_mcla_options o = mcla_opts(200);
    o.seed = 1;
    o.start = start;
    o.start_len = start ? 3 : 0;
    if (iterlim) o.iterlim = iterlim;
    glmmgo_handle f = 0;
    int s = glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err);
    int64_t conv = -1, why = -1;
    glmmgo_result_int64(f, GLMMGO_MCLA_CONVERGED, &conv, 1, err, sizeof err);
    glmmgo_result_int64(f, GLMMGO_MCLA_CONVERGENCE, &why, 1, err, sizeof err);
    printf("%s %d %lld %lld\n", label, s, (long long)conv, (long long)why);
    glmmgo_free(f);
}

static int converge_mode(void) {
    data_t d = make_data(60, 6, 3);
    glmmgo_handle h = model_of(&d);
    converge_case(h, "default_start", NULL, 0);
    converge_case(h, "nu_1e300", (double[]){0, 0, 1e300}, 0);
    converge_case(h, "beta0_1e300", (double[]){1e300, 0, 1}, 0);
    converge_case(h, "iterlim_1", NULL, 1);
    glmmgo_free(h);
    return 0;
}

/* ---- messages (r11) ---------------------------------------------------- */

/* An LMM fit with one option changed; prints "label status arg". */
static void lmm_case(glmmgo_handle h, const char *label, double rhobeg, double rhoend, const double *start) {
    glmmgo_lmm_options o;
    glmmgo_lmm_options_default(&o, sizeof o, NULL, 0);
    o.rhobeg = rhobeg;
    o.rhoend = rhoend;
    o.start = start;
    o.start_len = start ? 1 : 0;
    glmmgo_handle f = 0;
    show(label, glmmgo_lmm_fit(h, &o, NULL, NULL, &f, err, sizeof err));
    glmmgo_free(f);
}

/* Each message names the argument at fault and the cause (before: theta
   for rhobeg = Inf, "a perfect fit?" for overflow and underflow, x for a
   tiny rhoend, pql for an aliased column of X). */
static int messages_mode(void) {
    double y[12], x[12], z[12];
    int64_t codes[12], nl[1] = {3}, nc[1] = {1};
    for (int i = 0; i < 12; i++) {
        y[i] = (i % 3) + 0.1 * i * i - 0.05 * i;
        x[i] = 1;
        z[i] = 1;
        codes[i] = i % 3;
    }
    glmmgo_handle h = 0;
    glmmgo_lmm_new(12, 1, y, x, NULL, 1, nl, nc, codes, z, &h, err, sizeof err);
    lmm_case(h, "lmm_rhobeg_inf", INFINITY, 0, NULL);
    lmm_case(h, "lmm_rhobeg_1e308", 1e308, 0, NULL);
    lmm_case(h, "lmm_start_1e300", 0, 0, (double[]){1e300});
    lmm_case(h, "lmm_rhoend_5e-324", 0, 5e-324, NULL);
    glmmgo_free(h);
    for (int k = 0; k < 2; k++) {
        double ys[12];
        for (int i = 0; i < 12; i++) ys[i] = y[i] * (k ? 1e300 : 1e-300);
        h = 0;
        int s = glmmgo_lmm_new(12, 1, ys, x, NULL, 1, nl, nc, codes, z, &h, err, sizeof err);
        if (s == GLMMGO_OK) lmm_case(h, k ? "lmm_y_1e300" : "lmm_y_1e-300", 0, 0, NULL);
        else show(k ? "lmm_y_1e300" : "lmm_y_1e-300", s);
        glmmgo_free(h);
    }
    double zb[12];
    for (int i = 0; i < 12; i++) zb[i] = 1e200;
    h = 0;
    int s = glmmgo_lmm_new(12, 1, y, x, NULL, 1, nl, nc, codes, zb, &h, err, sizeof err);
    if (s == GLMMGO_OK) lmm_case(h, "lmm_z_1e200", 0, 0, NULL);
    else show("lmm_z_1e200", s);
    glmmgo_free(h);

    /* An MCLA model whose third column of X is twice its second. */
    data_t d = make_data(60, 6, 3);
    double *x3 = malloc(8 * 180);
    memcpy(x3, d.x, 8 * 120);
    for (int i = 0; i < 60; i++) x3[120 + i] = 2 * d.x[60 + i];
    h = 0;
    s = glmmgo_mcla_new(60, 3, 6, GLMMGO_BERNOULLI, d.y, NULL, NULL, x3, 60, d.zr, d.zc, d.zv, 1, d.vc, &h, err, sizeof err);
    if (s == GLMMGO_OK) {
        glmmgo_mcla_options o = mcla_opts(200);
        glmmgo_handle f = 0;
        show("mcla_collinear_x", glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err));
        glmmgo_free(f);
    } else show("mcla_collinear_x", s);
    glmmgo_free(h);
    free(x3);

    /* zeta = 1e-300: the t component's density underflows (it named umat,
       which the caller never passed). */
    h = model_of(&d);
    {
        glmmgo_mcla_options o = mcla_opts(200);
        o.zeta = 1e-300;
        glmmgo_handle f = 0;
        show("mcla_zeta_1e-300", glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err));
        glmmgo_free(f);
    }
    glmmgo_free(h);
    return 0;
}

/* ---- negbin (r10) ------------------------------------------------------ */

/* Negative binomial fits with a large known size r: n = 60 counts, 6
   groups. Prints "negbin_<r> status seconds value beta0 beta1 nu", and the
   Poisson fit of the same data as "poisson ...". Before: r = 1e6 took 42
   s, r >= 1e10 failed after up to 104 s. */
static void count_fit(int family, double r, const char *label) {
    int64_t n = 60, G = 6;
    double y[60], x[120], zv[60];
    int64_t zr[60], zc[60], vc[6] = {0};
    uint64_t st = 7;
    for (int i = 0; i < n; i++) {
        x[i] = 1;
        x[n + i] = hm_norm(&st);
        zr[i] = i;
        zc[i] = i % G;
        zv[i] = 1;
        y[i] = (double)((i * 7) % 5);
    }
    glmmgo_handle h = 0, f = 0;
    int s = glmmgo_mcla_new(n, 2, G, family, y, NULL, NULL, x, n, zr, zc, zv, 1, vc, &h, err, sizeof err);
    if (s == GLMMGO_OK && family == GLMMGO_NEGBINOMIAL) s = glmmgo_mcla_set_dispersion(h, r, err, sizeof err);
    double t0 = now(), par[3] = {NAN, NAN, NAN}, v = NAN;
    if (s == GLMMGO_OK) {
        glmmgo_mcla_options o = mcla_opts(200);
        o.seed = 1;
        s = glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err);
    }
    double secs = now() - t0;
    if (s == GLMMGO_OK) {
        glmmgo_result(f, GLMMGO_MCLA_BETA, par, 2, err, sizeof err);
        glmmgo_result(f, GLMMGO_MCLA_NU, par + 2, 1, err, sizeof err);
        glmmgo_result(f, GLMMGO_MCLA_VALUE, &v, 1, err, sizeof err);
    } else
        fprintf(stderr, "%s: %d %s\n", label, s, err);
    printf("%s %d %.3f %.17g %.17g %.17g %.17g\n", label, s, secs, v, par[0], par[1], par[2]);
    glmmgo_free(f);
    glmmgo_free(h);
}

static int negbin_mode(int argc, char **argv) {
    count_fit(GLMMGO_POISSON, 0, "poisson");
    for (int a = 2; a < argc; a++) {
        char label[64];
        snprintf(label, sizeof label, "negbin_%s", argv[a]);
        count_fit(GLMMGO_NEGBINOMIAL, atof(argv[a]), label);
    }
    return 0;
}

/* ---- rss (r14) ---------------------------------------------------------- */

static double rss_mb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) kb = atof(line + 6);
    if (f) fclose(f);
    return kb / 1024;
}

/* A fit whose u-matrix is m x q doubles (m = argv, q = 200): prints the
   resident memory before the fit, at once after it returns, and after the
   fit handle is freed, in MB, and the u-matrix's size. Before, ~1 GB of
   dead heap stayed resident for minutes after an m = 1e6 fit. */
static int rss_mode(int64_t m) {
    data_t d = make_data(400, 200, 5);
    glmmgo_handle h = model_of(&d), f = 0;
    double before = rss_mb();
    glmmgo_mcla_options o = mcla_opts(m);
    o.iterlim = 3;
    int s = glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err);
    double after = rss_mb();
    glmmgo_free(f);
    double freed = rss_mb();
    printf("status %d\numatrix_mb %.1f\nrss_before %.1f\nrss_after_fit %.1f\nrss_after_free %.1f\n", s,
           8.0 * (double)m * 200 / 1048576, before, after, freed);
    glmmgo_free(h);
    return 0;
}

/* ---- sigint_latency (r09) ---------------------------------------------- */

/* A host whose SIGINT handler only sets a flag (as R's) and whose progress
   callback stops the fit when the flag is set (as R's
   R_CheckUserInterrupt): SIGINT sent by another thread after delay
   seconds of a fit with m samples (salamander-sized: n = 360, q = 120)
   stops it; prints the phase of the last callback before the stop and the
   latency from the signal to the fit's return. */
static volatile sig_atomic_t sigint_flag;
static int last_phase;
static void on_sigint(int sig) {
    (void)sig;
    sigint_flag = 1;
}
static int flag_cb(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)ud, (void)obj, (void)par, (void)npar;
    last_phase = iter < 0 ? (int)-iter : 5;
    return sigint_flag != 0;
}
static double sent_at;
static void *send_sigint(void *arg) {
    struct timespec ts = {(time_t) * (double *)arg, (long)((*(double *)arg - (double)(time_t) * (double *)arg) * 1e9)};
    nanosleep(&ts, NULL);
    sent_at = now();
    kill(getpid(), SIGINT);
    return NULL;
}
static int sigint_latency_mode(int64_t m, double delay) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    data_t d = make_data(360, 120, 8);
    glmmgo_handle h = model_of(&d), f = 0;
    glmmgo_mcla_options o = mcla_opts(m);
    pthread_t th;
    pthread_create(&th, NULL, send_sigint, &delay);
    int s = glmmgo_mcla_fit(h, &o, flag_cb, NULL, &f, err, sizeof err);
    double done = now();
    pthread_join(th, NULL);
    printf("status %d\nphase %d\nlatency %.4f\n", s, last_phase, done - sent_at);
    glmmgo_free(f);
    glmmgo_free(h);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: harden <mode>\n");
        return 2;
    }
    const char *m = argv[1];
    if (!strcmp(m, "errlen")) return errlen_mode();
    if (!strcmp(m, "converge")) return converge_mode();
    if (!strcmp(m, "messages")) return messages_mode();
    if (!strcmp(m, "negbin")) return negbin_mode(argc, argv);
    if (!strcmp(m, "sigint_latency") && argc > 3) return sigint_latency_mode((int64_t)atof(argv[2]), atof(argv[3]));
    if (!strcmp(m, "rss") && argc > 2) return rss_mode((int64_t)atof(argv[2]));
    if (!strcmp(m, "budget")) return budget_mode();
    if (!strcmp(m, "longjmp")) return longjmp_mode();
    if (!strcmp(m, "sigprof")) return sigprof_mode();
    if (!strcmp(m, "sigint_default")) return sigint_default_mode();
    if (!strcmp(m, "stkflt") && argc > 2) return stkflt_mode(argv[2]);
    if (!strcmp(m, "beats") && argc > 2) return beats_mode((int64_t)atof(argv[2]), argc > 3 ? atoi(argv[3]) : 0);
    fprintf(stderr, "harden: unknown mode %s\n", m);
    return 2;
}
