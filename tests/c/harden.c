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
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

    /* D2: q = 60000 random effects, dense q x q in PQL and in the
       importance density. */
    data_t big = make_data(120000, 60000, 2);
    h = model_of(&big);
    for (int k = 0; k < 2; k++) {
        o = mcla_opts(100);
        o.no_pql = k;
        show(k == 0 ? "fit_q_pql" : "fit_q_nopql", glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err));
        printf("%s %d\n", k == 0 ? "fit_q_pql_names_pql" : "fit_q_nopql_names_sigma", strstr(err, k == 0 ? "PQL" : "Σ̃⁻¹") != NULL);
    }
    glmmgo_free(h);

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
       BOBYQA's (npt+n+1)^2 system is refused before the first evaluation. */
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

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: harden <mode>\n");
        return 2;
    }
    const char *m = argv[1];
    if (!strcmp(m, "errlen")) return errlen_mode();
    if (!strcmp(m, "budget")) return budget_mode();
    fprintf(stderr, "harden: unknown mode %s\n", m);
    return 2;
}
