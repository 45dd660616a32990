/* Reads an MCLA case written by the Go tests (writeCase in
   tests/mcla_test.go) as whitespace-separated numbers, and builds a model
   from it through the C ABI. Shared by the C test programs. */
#ifndef MCLA_CASE_H
#define MCLA_CASE_H
#include <stdio.h>
#include <stdlib.h>
#include "glmmgo.h"

typedef struct {
    int64_t n, p, q, nvc, m, nnz;
    int32_t family;
    double zeta;
    double *y, *ntrials, *weights, *x, *z_val, *p_mix, *u_star, *d_star, *sigma_inv, *umat, *par;
    int64_t *z_row, *z_col, *vc_of_column;
} mcla_case;

static inline void die(const char *what) {
    fprintf(stderr, "case file: cannot read %s\n", what);
    exit(2);
}

static inline double *read_doubles(FILE *f, int64_t k, const char *what) {
    double *v = malloc(sizeof(double) * (size_t)(k > 0 ? k : 1));
    for (int64_t i = 0; i < k; i++)
        if (fscanf(f, "%lf", &v[i]) != 1) die(what);
    return v;
}

static inline int64_t *read_ints(FILE *f, int64_t k, const char *what) {
    int64_t *v = malloc(sizeof(int64_t) * (size_t)(k > 0 ? k : 1));
    for (int64_t i = 0; i < k; i++) {
        long long t;
        if (fscanf(f, "%lld", &t) != 1) die(what);
        v[i] = (int64_t)t;
    }
    return v;
}

static inline mcla_case read_case(const char *path) {
    mcla_case c;
    FILE *f = fopen(path, "r");
    if (!f) die(path);
    long long n, p, q, nvc, m, nnz;
    int fam;
    if (fscanf(f, "%lld %lld %lld %lld %lld %lld %d %lf", &n, &p, &q, &nvc, &m, &nnz, &fam, &c.zeta) != 8) die("header");
    c.n = n; c.p = p; c.q = q; c.nvc = nvc; c.m = m; c.nnz = nnz; c.family = fam;
    c.y = read_doubles(f, n, "y");
    c.ntrials = read_doubles(f, n, "ntrials");
    c.weights = read_doubles(f, n, "weights");
    c.x = read_doubles(f, n * p, "x");
    c.z_row = read_ints(f, nnz, "z_row");
    c.z_col = read_ints(f, nnz, "z_col");
    c.z_val = read_doubles(f, nnz, "z_val");
    c.vc_of_column = read_ints(f, q, "vc_of_column");
    c.p_mix = read_doubles(f, 3, "p_mix");
    c.u_star = read_doubles(f, q, "u_star");
    c.d_star = read_doubles(f, q, "d_star");
    c.sigma_inv = read_doubles(f, q * q, "sigma_inv");
    c.umat = read_doubles(f, m * q, "umat");
    c.par = read_doubles(f, p + nvc, "par");
    fclose(f);
    return c;
}

/* Creates the model (no importance density or samples); exits on failure. */
static inline glmmgo_handle new_model(const mcla_case *c) {
    char err[512];
    glmmgo_handle h = 0;
    const double *nt = c->family == GLMMGO_BINOMIAL ? c->ntrials : NULL;
    int s = glmmgo_mcla_new(c->n, c->p, c->q, c->family, c->y, nt, c->weights, c->x, c->nnz,
                            c->z_row, c->z_col, c->z_val, c->nvc, c->vc_of_column, &h, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "mcla_new: %d %s\n", s, err); exit(1); }
    return h;
}

/* Creates the model, sets importance and samples; exits on failure. */
static inline glmmgo_handle build_model(const mcla_case *c) {
    char err[512];
    glmmgo_handle h = new_model(c);
    int s = glmmgo_mcla_set_importance(h, c->zeta, c->p_mix, c->u_star, c->d_star, c->sigma_inv, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "set_importance: %d %s\n", s, err); exit(1); }
    s = glmmgo_mcla_set_samples(h, c->m, c->umat, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "set_samples: %d %s\n", s, err); exit(1); }
    return h;
}
#endif
