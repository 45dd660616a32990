/* libglmmgo from several threads at once.

   A: four threads, each with its own MCLA and LMM handles, evaluate them
      repeatedly (with one and two workers) at the same time; every result
      must equal, bit for bit, the one the main thread computed alone first.
   B: two threads on one handle: while thread 1 evaluates, thread 2's calls
      on the same handle return GLMMGO_ERR_BUSY (or OK between
      evaluations), never anything else, and glmmgo_free of the busy handle
      returns GLMMGO_ERR_BUSY and leaves it usable.
   C: four threads create and free 300 handles each at once: all handles
      distinct, all unusable after their free.
   D: an LMM fit shares its model's data: while another thread evaluates
      the model, the fit's conditional variances (computed on the first
      request) are GLMMGO_ERR_BUSY or the serial bits, never anything else.

   Output lines "<name> <value>"; the Go test checks them. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "glmmgo.h"
#include "model.h"
#include "results.h"

#define NT 4
#define REPS 6

typedef struct { double v, g[2], h[4]; } mres;
static mres ref[NT];
static double lref[NT];
static atomic_int mismatches, failures;

/* A small LMM whose data depend on seed. */
static glmmgo_handle lmm_model(int seed) {
    enum { N = 60 };
    double y[N], x[2 * N], z[N];
    int64_t codes[N], nlev = 6, k = 1;
    uint64_t s = 0x12345u + (uint64_t)seed * 7919u;
    for (int i = 0; i < N; i++) {
        codes[i] = i % 6;
        x[i] = 1;
        x[N + i] = hm_norm(&s);
        z[i] = 1;
        y[i] = 1 + 0.5 * x[N + i] + 0.3 * (double)(i % 6) + hm_norm(&s);
    }
    glmmgo_handle h = 0;
    char err[256];
    if (glmmgo_lmm_new(N, 2, y, x, NULL, 1, &nlev, &k, codes, z, &h, err, sizeof err) != GLMMGO_OK) {
        fprintf(stderr, "lmm: %s\n", err);
        exit(1);
    }
    return h;
}

static const double par[2] = {-0.2, 1.1}, theta[1] = {0.7};

static void eval(glmmgo_handle h, int workers, mres *r) {
    char err[256];
    if (glmmgo_mcla_objective(h, par, workers, &r->v, r->g, r->h, err, sizeof err) != GLMMGO_OK) {
        fprintf(stderr, "objective: %s\n", err);
        atomic_fetch_add(&failures, 1);
    }
}

static void *part_a(void *arg) {
    int t = (int)(intptr_t)arg;
    glmmgo_handle h = big_model(1500, (uint64_t)t + 10);
    glmmgo_handle l = lmm_model(t);
    for (int r = 0; r < REPS; r++) {
        mres got;
        eval(h, 1 + (r + t) % 2, &got);
        if (memcmp(&got, &ref[t], sizeof got) != 0) atomic_fetch_add(&mismatches, 1);
        double v;
        char err[256];
        if (glmmgo_lmm_objective(l, theta, 1, 0, 1 + (r + t) % 2, &v, err, sizeof err) != GLMMGO_OK) atomic_fetch_add(&failures, 1);
        if (memcmp(&v, &lref[t], sizeof v) != 0) atomic_fetch_add(&mismatches, 1);
    }
    glmmgo_free(h);
    glmmgo_free(l);
    return NULL;
}

static glmmgo_handle shared;
static atomic_int stop, evaluating;

static void *evaluator(void *arg) {
    (void)arg;
    mres r;
    char err[256];
    while (!atomic_load(&stop)) {
        atomic_store(&evaluating, 1);
        /* BUSY too when the other thread's short call holds the handle. */
        int s = glmmgo_mcla_objective(shared, par, 2, &r.v, r.g, r.h, err, sizeof err);
        if (s != GLMMGO_OK && s != GLMMGO_ERR_BUSY) atomic_fetch_add(&failures, 1);
    }
    return NULL;
}

static glmmgo_handle lmm_shared;
static void *lmm_evaluator(void *arg) {
    (void)arg;
    char err[256];
    double v;
    while (!atomic_load(&stop)) {
        atomic_store(&evaluating, 1);
        int s = glmmgo_lmm_objective(lmm_shared, theta, 1, 1, 1, &v, err, sizeof err);
        if (s != GLMMGO_OK && s != GLMMGO_ERR_BUSY) atomic_fetch_add(&failures, 1);
    }
    return NULL;
}

#define PER 300
static glmmgo_handle made[NT][PER];

static void *part_c(void *arg) {
    int t = (int)(intptr_t)arg;
    char err[128];
    for (int i = 0; i < PER; i++) {
        if (small_model_new(&made[t][i], err, sizeof err) != GLMMGO_OK) atomic_fetch_add(&failures, 1);
        if (i % 3 == 2) { /* free some at once, the rest at the end */
            if (glmmgo_free(made[t][i - 1]) != GLMMGO_OK) atomic_fetch_add(&failures, 1);
        }
    }
    for (int i = 0; i < PER; i++)
        if (i % 3 != 1 && glmmgo_free(made[t][i]) != GLMMGO_OK) atomic_fetch_add(&failures, 1);
    return NULL;
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(void) {
    /* Serial references. */
    for (int t = 0; t < NT; t++) {
        glmmgo_handle h = big_model(1500, (uint64_t)t + 10);
        glmmgo_handle l = lmm_model(t);
        eval(h, 1, &ref[t]);
        char err[256];
        glmmgo_lmm_objective(l, theta, 1, 0, 1, &lref[t], err, sizeof err);
        glmmgo_free(h);
        glmmgo_free(l);
    }
    pthread_t th[NT];
    for (int t = 0; t < NT; t++) pthread_create(&th[t], NULL, part_a, (void *)(intptr_t)t);
    for (int t = 0; t < NT; t++) pthread_join(th[t], NULL);
    printf("a_mismatches %d\n", atomic_load(&mismatches));

    /* B */
    shared = big_model(20000, 99);
    pthread_t ev;
    pthread_create(&ev, NULL, evaluator, NULL);
    while (!atomic_load(&evaluating)) usleep(100);
    int busy = 0, ok = 0, other = 0, free_busy = 0;
    char err[256];
    for (int i = 0; i < 200000 && (busy < 20 || free_busy == 0); i++) {
        struct glmmgo_dims d = {.size = sizeof d};
        int s = glmmgo_dims(shared, &d, err, sizeof err);
        if (s == GLMMGO_ERR_BUSY) {
            busy++;
            if (strstr(err, "in use by another thread") == NULL) other++;
            if (free_busy == 0) {
                int f = glmmgo_free(shared);
                if (f == GLMMGO_ERR_BUSY) free_busy = 1;
                else if (f == GLMMGO_OK) { other++; break; } /* freed while busy: wrong */
            }
        } else if (s == GLMMGO_OK) ok++;
        else other++;
    }
    atomic_store(&stop, 1);
    pthread_join(ev, NULL);
    struct glmmgo_dims d = {.size = sizeof d};
    int after = glmmgo_dims(shared, &d, err, sizeof err);
    printf("b_busy %d\nb_ok %d\nb_other %d\nb_free_busy %d\nb_usable_after %d\n", busy, ok, other, free_busy,
           after == GLMMGO_OK && d.m == 20000);
    glmmgo_free(shared);

    /* C */
    for (int t = 0; t < NT; t++) pthread_create(&th[t], NULL, part_c, (void *)(intptr_t)t);
    for (int t = 0; t < NT; t++) pthread_join(th[t], NULL);
    static int64_t all[NT * PER];
    memcpy(all, made, sizeof all);
    qsort(all, NT * PER, sizeof all[0], cmp64);
    int dup = 0, zero = 0, alive = 0;
    for (int i = 0; i < NT * PER; i++) {
        if (all[i] == 0) zero++;
        if (i > 0 && all[i] == all[i - 1]) dup++;
        struct glmmgo_dims d = {.size = sizeof d};
        if (glmmgo_dims(all[i], &d, NULL, 0) != GLMMGO_ERR_HANDLE) alive++;
    }
    printf("c_duplicates %d\nc_zero %d\nc_alive_after_free %d\n", dup, zero, alive);

    /* D */
    glmmgo_handle lm = lmm_model(9), f0 = 0, f1 = 0;
    glmmgo_lmm_options o;
    glmmgo_lmm_options_default(&o, sizeof o, NULL, 0);
    if (glmmgo_lmm_fit(lm, &o, NULL, NULL, &f0, err, sizeof err) != GLMMGO_OK ||
        glmmgo_lmm_fit(lm, &o, NULL, NULL, &f1, err, sizeof err) != GLMMGO_OK) {
        fprintf(stderr, "lmm fit: %s\n", err);
        return 1;
    }
    int64_t ncv;
    double *cv0 = result_doubles(f0, GLMMGO_LMM_CONDVAR, &ncv), cv1[64];
    lmm_shared = lm;
    atomic_store(&stop, 0);
    atomic_store(&evaluating, 0);
    pthread_create(&ev, NULL, lmm_evaluator, NULL);
    while (!atomic_load(&evaluating)) usleep(100);
    int d_busy = 0, d_other = 0, d_mismatch = 0, got = 0;
    for (int i = 0; i < 100000 && !got; i++) {
        int s = glmmgo_result(f1, GLMMGO_LMM_CONDVAR, cv1, ncv, err, sizeof err);
        if (s == GLMMGO_ERR_BUSY) d_busy++;
        else if (s == GLMMGO_OK) {
            got = 1;
            if (ncv > 64 || memcmp(cv0, cv1, sizeof(double) * (size_t)ncv)) d_mismatch++;
        } else d_other++;
    }
    atomic_store(&stop, 1);
    pthread_join(ev, NULL);
    printf("d_busy %d\nd_other %d\nd_mismatch %d\nd_got %d\n", d_busy, d_other, d_mismatch, got);
    glmmgo_free(lm); /* the fits keep its data */
    printf("d_after_model_freed %d\n", glmmgo_result(f1, GLMMGO_LMM_CONDVAR, cv1, ncv, err, sizeof err));
    glmmgo_free(f0);
    glmmgo_free(f1);
    free(cv0);
    printf("failures %d\n", atomic_load(&failures));
    return 0;
}
