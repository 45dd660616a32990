/* Creates, uses and frees many handles, to show that the library leaks
   nothing: run under valgrind --leak-check=full for the C side, and with
   GODEBUG=gctrace=1 for Go's heap (the live heap after each collection,
   "A->B->C MB", must not grow with the number of handles).

   usage: leak <iterations> [lmm-every] [hostleak]
   ("hostleak" makes the host itself leak 100 bytes per iteration, to show
   that the leak check can fail.)
   Each iteration: an MCLA model (importance, samples, objective with
   derivatives, a partial and a merge), a bad call that fails with a
   message, and glmmgo_free; every lmm-every-th iteration (default 10) also
   an LMM model with an objective evaluation, an MCLA model for fits and a
   mixlogit model with an objective evaluation, and every 20*lmm-every-th
   iteration an LMM fit (freed after its model), an MCLA fit with its
   results and a mixlogit fit (freed after its model) with its results. Prints the resident set size (kB) after 10% of the iterations and
   at the end:  rss_early <kB>  rss_end <kB>  iterations <n>. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "glmmgo.h"
#include "model.h"

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static void lmm_once(int fit) {
    enum { N = 40 };
    double y[N], x[2 * N], z[N];
    int64_t codes[N], nlev = 5, k = 1;
    for (int i = 0; i < N; i++) {
        codes[i] = i % 5;
        x[i] = 1;
        x[N + i] = (i % 7) - 3;
        z[i] = 1;
        y[i] = 2 + 0.3 * x[N + i] + 0.2 * (i % 5) + 0.1 * ((i * 37) % 11);
    }
    glmmgo_handle h = 0;
    char err[256];
    if (glmmgo_lmm_new(N, 2, y, x, NULL, 1, &nlev, &k, codes, z, &h, err, sizeof err) != GLMMGO_OK) {
        fprintf(stderr, "lmm: %s\n", err);
        exit(1);
    }
    double th = 0.8, v;
    if (glmmgo_lmm_objective(h, &th, 1, 1, 1, &v, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); exit(1); }
    if (fit) {
        glmmgo_lmm_options o;
        glmmgo_lmm_options_default(&o, sizeof o, NULL, 0);
        o.reml = 1;
        glmmgo_handle f = 0;
        if (glmmgo_lmm_fit(h, &o, NULL, NULL, &f, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); exit(1); }
        /* The fit outlives the model; its conditional variances are
           computed after the model is freed. */
        if (glmmgo_free(h) != GLMMGO_OK) exit(1);
        double cv[5];
        if (glmmgo_result(f, GLMMGO_LMM_CONDVAR, cv, 5, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); exit(1); }
        if (glmmgo_free(f) != GLMMGO_OK) exit(1);
        return;
    }
    if (glmmgo_free(h) != GLMMGO_OK) exit(1);
}

/* An MCLA fit handle (n = 60, q = 3, one component), run with a small
   sample when run is set, then freed. */
static void mcla_fit_once(int run) {
    enum { FN = 60 };
    double y[FN], x[2 * FN], zv[2 * FN];
    int64_t zr[2 * FN], zc[2 * FN], vc[3] = {0, 0, 0};
    for (int r = 0; r < FN; r++) {
        y[r] = (double)((r * 7 + r / 6) % 2);
        x[r] = 1;
        x[FN + r] = (r % 6) * 0.4 - 1;
        zr[r] = r; zc[r] = r % 2; zv[r] = 1;
        zr[FN + r] = r; zc[FN + r] = 2; zv[FN + r] = 0.5 + (r % 4) * 0.25;
    }
    glmmgo_handle h = 0;
    char err[256];
    if (glmmgo_mcla_new(FN, 2, 3, GLMMGO_BERNOULLI, y, NULL, NULL, x, 2 * FN, zr, zc, zv, 1, vc, &h, err, sizeof err) != GLMMGO_OK) {
        fprintf(stderr, "mcla_new: %s\n", err);
        exit(1);
    }
    if (run) {
        glmmgo_mcla_options o;
        glmmgo_mcla_options_default(&o, sizeof o, NULL, 0);
        o.m = 200;
        o.iterlim = 20;
        o.workers = 1;
        glmmgo_handle f = 0;
        if (glmmgo_mcla_fit(h, &o, NULL, NULL, &f, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "mcla_fit: %s\n", err); exit(1); }
        double beta[2], um[200 * 3];
        if (glmmgo_result(f, GLMMGO_MCLA_BETA, beta, 2, err, sizeof err) != GLMMGO_OK) exit(1);
        if (glmmgo_result(f, GLMMGO_MCLA_UMATRIX, um, 200 * 3, err, sizeof err) != GLMMGO_OK) exit(1);
        if (glmmgo_free(f) != GLMMGO_OK) exit(1);
    }
    if (glmmgo_free(h) != GLMMGO_OK) exit(1);
}

/* A mixlogit model (n = 20, t = 5) with an objective evaluation; with run
   set also a quadrature fit with its results, freed after its model. */
static void mixlogit_once(int run) {
    enum { XN = 20, XT = 5 };
    double y[XN * XT], x[XN * XT], par[5] = {-1, 1, 1, 1, 0.5}, v, g[5], H[25];
    for (int k = 0; k < XN * XT; k++) {
        x[k] = (k % 7) * 0.3 - 0.9;
        y[k] = (double)(((k * 13) % 5 + (k % XN < 8 ? (x[k] > 0) : (x[k] < 0))) % 2);
    }
    glmmgo_handle h = 0;
    char err[256];
    if (glmmgo_mixlogit_new(XN, XT, y, x, &h, err, sizeof err) != GLMMGO_OK ||
        glmmgo_mixlogit_objective(h, par, 5, 1, &v, g, H, err, sizeof err) != GLMMGO_OK) {
        fprintf(stderr, "mixlogit: %s\n", err);
        exit(1);
    }
    if (run) {
        glmmgo_mixlogit_options o;
        glmmgo_mixlogit_options_default(&o, sizeof o, NULL, 0);
        o.method = GLMMGO_MIXLOGIT_QUADRATURE;
        o.workers = 1;
        o.max_iter = 20;
        glmmgo_handle f = 0;
        if (glmmgo_mixlogit_fit(h, &o, NULL, NULL, &f, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "mixlogit_fit: %s\n", err); exit(1); }
        if (glmmgo_free(h) != GLMMGO_OK) exit(1);
        double post[2 * XN];
        if (glmmgo_result(f, GLMMGO_MIXLOGIT_POSTERIOR, post, 2 * XN, err, sizeof err) != GLMMGO_OK) exit(1);
        if (glmmgo_free(f) != GLMMGO_OK) exit(1);
        return;
    }
    if (glmmgo_free(h) != GLMMGO_OK) exit(1);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000;
    long every = argc > 2 ? atol(argv[2]) : 10;
    long early = 0;
    int hostleak = argc > 3 && strcmp(argv[3], "hostleak") == 0;
    char err[256];
    for (long it = 0; it < n; it++) {
        glmmgo_handle h = small_model();
        if (!h) return 1;
        double par[2] = {0.1, 1.2}, v, g[2], hs[4];
        if (glmmgo_mcla_objective(h, par, 1, &v, g, hs, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
        int64_t len = 0;
        glmmgo_mcla_partial_length(h, &len, err, sizeof err);
        double part[64];
        if (len > 64 || glmmgo_mcla_partial(h, par, 2, 0, 3, 1, part, len, err, sizeof err) != GLMMGO_OK ||
            glmmgo_mcla_merge(h, par, 2, 1, part, len, &v, g, hs, err, sizeof err) != GLMMGO_OK) {
            fprintf(stderr, "partial: %s\n", err);
            return 1;
        }
        if (glmmgo_mcla_set_samples(h, 0, NULL, err, sizeof err) != GLMMGO_ERR_INVALID) return 1;
        if (glmmgo_free(h) != GLMMGO_OK) return 1;
        if (every > 0 && it % every == 0) lmm_once(it % (20 * every) == 0);
        if (every > 0 && it % every == every / 2) mcla_fit_once(it % (20 * every) == every / 2);
        if (every > 0 && it % every == every - 1) mixlogit_once(it % (20 * every) == every - 1);
        if (it == n / 10) early = rss_kb();
        if (hostleak) {
            char *volatile p = malloc(100);
            p[0] = 1;
        }
    }
    printf("rss_early %ld\nrss_end %ld\niterations %ld\n", early, rss_kb(), n);
    return 0;
}
