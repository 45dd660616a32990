/* Reading results through glmmgo_result_length, glmmgo_result and
   glmmgo_result_int64, for the C test programs: each helper exits with a
   message when a call fails, so a program's output is only results. */
#ifndef TESTS_RESULTS_H
#define TESTS_RESULTS_H
#include <stdio.h>
#include <stdlib.h>
#include "glmmgo.h"

static inline int64_t result_len(glmmgo_handle h, int32_t what) {
    char err[512];
    int64_t n = -1;
    int s = glmmgo_result_length(h, what, &n, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "result_length(%d): %d %s\n", (int)what, s, err); exit(1); }
    return n;
}

/* A malloc'd copy of double result what (at least one element allocated);
   *n receives its length when n is not NULL. */
static inline double *result_doubles(glmmgo_handle h, int32_t what, int64_t *n) {
    char err[512];
    int64_t k = result_len(h, what);
    double *v = malloc(sizeof(double) * (size_t)(k > 0 ? k : 1));
    int s = glmmgo_result(h, what, v, k, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "result(%d): %d %s\n", (int)what, s, err); exit(1); }
    if (n) *n = k;
    return v;
}

static inline int64_t *result_ints(glmmgo_handle h, int32_t what, int64_t *n) {
    char err[512];
    int64_t k = result_len(h, what);
    int64_t *v = malloc(sizeof(int64_t) * (size_t)(k > 0 ? k : 1));
    int s = glmmgo_result_int64(h, what, v, k, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "result_int64(%d): %d %s\n", (int)what, s, err); exit(1); }
    if (n) *n = k;
    return v;
}

static inline double result_scalar(glmmgo_handle h, int32_t what) {
    double *v = result_doubles(h, what, NULL), x = v[0];
    free(v);
    return x;
}

static inline int64_t result_int(glmmgo_handle h, int32_t what) {
    int64_t *v = result_ints(h, what, NULL), x = v[0];
    free(v);
    return x;
}

/* Prints "name v1 v2 ..." with full precision. */
static inline void print_doubles(const char *name, const double *v, int64_t k) {
    printf("%s", name);
    for (int64_t i = 0; i < k; i++) printf(" %.17g", v[i]);
    printf("\n");
}

/* Prints double result what as "name v1 v2 ...". */
static inline void print_result(const char *name, glmmgo_handle h, int32_t what) {
    int64_t k;
    double *v = result_doubles(h, what, &k);
    print_doubles(name, v, k);
    free(v);
}

static inline void print_result_ints(const char *name, glmmgo_handle h, int32_t what) {
    int64_t k;
    int64_t *v = result_ints(h, what, &k);
    printf("%s", name);
    for (int64_t i = 0; i < k; i++) printf(" %lld", (long long)v[i]);
    printf("\n");
    free(v);
}
#endif
