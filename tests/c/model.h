/* Models shared by the C test programs: a tiny valid MCLA model and a
   larger one (deterministic pseudo-random data) whose evaluation takes long
   enough to overlap with other threads, a fork or a signal. */
#ifndef TESTS_MODEL_H
#define TESTS_MODEL_H
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "glmmgo.h"

/* The tiny model of mcla_errors.c: n = 4, p = 1, q = 2, T = 1, m = 3. */
static double hm_y[4] = {0, 1, 1, 0}, hm_x[4] = {1, 1, 1, 1}, hm_zv[4] = {1, 1, 1, 1};
static int64_t hm_zr[4] = {0, 1, 2, 3}, hm_zc[4] = {0, 1, 0, 1}, hm_vc[2] = {0, 0};
static double hm_pmix[3] = {1.0 / 3, 1.0 / 3, 1.0 / 3}, hm_ustar[2] = {0, 0}, hm_dstar[2] = {1, 1};
static double hm_sinv[4] = {2, 0.5, 0.5, 2};
static double hm_umat[6] = {0.1, -0.2, 0.3, 0.4, -0.5, 0.6};

static inline int small_model_new(glmmgo_handle *h, char *err, size_t errlen) {
    return glmmgo_mcla_new(4, 1, 2, GLMMGO_BERNOULLI, hm_y, NULL, NULL, hm_x, 4, hm_zr, hm_zc, hm_zv, 1, hm_vc, h, err,
                           errlen);
}

/* A complete tiny model (importance and samples set), or 0 after printing why. */
static inline glmmgo_handle small_model(void) {
    char err[256];
    glmmgo_handle h = 0;
    int s = small_model_new(&h, err, sizeof err);
    if (s == GLMMGO_OK) s = glmmgo_mcla_set_importance(h, 5, hm_pmix, hm_ustar, hm_dstar, hm_sinv, err, sizeof err);
    if (s == GLMMGO_OK) s = glmmgo_mcla_set_samples(h, 3, hm_umat, err, sizeof err);
    if (s != GLMMGO_OK) {
        fprintf(stderr, "small model: %d %s\n", s, err);
        return 0;
    }
    return h;
}

/* xorshift64*: a deterministic stream for test data. */
static inline uint64_t hm_next(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}
static inline double hm_unif(uint64_t *s) { return (double)(hm_next(s) >> 11) / 9007199254740992.0; }
static inline double hm_norm(uint64_t *s) {
    double u = hm_unif(s), v = hm_unif(s);
    return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

/* A Bernoulli model with n = 200 observations, p = 1 (intercept), q = 20
   groups crossed with one slope-free factor, one variance component, and m
   samples; seed picks the data. Returns 0 after printing why on failure. */
static inline glmmgo_handle big_model(int64_t m, uint64_t seed) {
    enum { N = 200, Q = 20 };
    uint64_t s = 0x9e3779b97f4a7c15ULL ^ (seed * 0xbf58476d1ce4e5b9ULL);
    if (s == 0) s = 1;
    double y[N], x[N], zv[N], pmix[3] = {0.2, 0.4, 0.4}, ustar[Q], dstar[Q], sinv[Q * Q] = {0};
    int64_t zr[N], zc[N], vc[Q];
    for (int i = 0; i < N; i++) {
        x[i] = 1;
        zr[i] = i;
        zc[i] = i % Q;
        zv[i] = 1;
        y[i] = hm_unif(&s) < 0.4 ? 1 : 0;
    }
    for (int j = 0; j < Q; j++) {
        vc[j] = 0;
        ustar[j] = 0.1 * hm_norm(&s);
        dstar[j] = 0.8;
        sinv[j * Q + j] = 1 / 0.8 + 2.5;
    }
    double *u = malloc(sizeof(double) * (size_t)(m * Q));
    if (!u) return 0;
    for (int64_t k = 0; k < m * Q; k++) u[k] = hm_norm(&s);
    char err[256];
    glmmgo_handle h = 0;
    int st = glmmgo_mcla_new(N, 1, Q, GLMMGO_BERNOULLI, y, NULL, NULL, x, N, zr, zc, zv, 1, vc, &h, err, sizeof err);
    if (st == GLMMGO_OK) st = glmmgo_mcla_set_importance(h, 5, pmix, ustar, dstar, sinv, err, sizeof err);
    if (st == GLMMGO_OK) st = glmmgo_mcla_set_samples(h, m, u, err, sizeof err);
    free(u);
    if (st != GLMMGO_OK) {
        fprintf(stderr, "big model: %d %s\n", st, err);
        return 0;
    }
    return h;
}
#endif
