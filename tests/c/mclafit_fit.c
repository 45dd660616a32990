/* Fits a case's data through the C ABI: glmmgo_mclafit_run with the given
   m, seed and workers, then prints every result for the Go test to compare
   with the Go fit. With a fourth argument k > 0 the progress callback
   cancels after k iterations and the program prints the status instead. */
#include <math.h>
#include <string.h>
#include "mcla_case.h"

static void print_vec(const char *name, const double *v, int64_t k) {
    printf("%s", name);
    for (int64_t i = 0; i < k; i++) printf(" %.17g", v[i]);
    printf("\n");
}

typedef struct {
    int64_t calls, cancel_after, last_iter, npar;
    double last_value;
} progress_state;

static int progress(void *userdata, int64_t iter, double objective, const double *par, int64_t npar) {
    progress_state *st = userdata;
    st->calls++;
    st->last_iter = iter;
    st->last_value = objective;
    st->npar = npar;
    (void)par;
    return st->cancel_after > 0 && st->calls >= st->cancel_after;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: mclafit_fit CASEFILE M SEED WORKERS [CANCEL_AFTER]\n"); return 2; }
    mcla_case c = read_case(argv[1]);
    (void)build_model; /* shared helper, unused here */
    char err[512];
    glmmgo_handle h = 0;
    const double *nt = c.family == GLMMGO_BINOMIAL ? c.ntrials : NULL;
    int s = glmmgo_mclafit_new(c.n, c.p, c.q, c.family, c.y, nt, c.weights, c.x, c.nnz, c.z_row, c.z_col, c.z_val,
                               c.nvc, c.vc_of_column, 0.0, &h, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "mclafit_new: %d %s\n", s, err); return 1; }
    /* The caller's arrays may be freed at once: the handle keeps copies. */
    memset(c.y, 0, sizeof(double) * (size_t)c.n);

    glmmgo_mclafit_options opt;
    glmmgo_mclafit_options_default(&opt);
    opt.m = atoll(argv[2]);
    opt.seed = strtoull(argv[3], NULL, 10);
    opt.workers = atoi(argv[4]);
    progress_state st = {0, argc > 5 ? atoll(argv[5]) : 0, 0, 0, 0};
    s = glmmgo_mclafit_run(h, &opt, progress, &st, err, sizeof err);
    if (st.cancel_after > 0) {
        printf("status %d\n", s);
        printf("calls %lld\n", (long long)st.calls);
        s = glmmgo_mclafit_estimates(h, NULL, NULL, NULL, NULL, NULL, err, sizeof err);
        printf("after_cancel %d\n", s);
        glmmgo_free(h);
        return 0;
    }
    if (s != GLMMGO_OK) { fprintf(stderr, "mclafit_run: %d %s\n", s, err); return 1; }
    int64_t d = c.p + c.nvc, p, nvc, q, m;
    if (glmmgo_mclafit_dims(h, &p, &nvc, &q, &m, err, sizeof err) != GLMMGO_OK || p != c.p || nvc != c.nvc || q != c.q || m != opt.m) {
        fprintf(stderr, "dims: %s\n", err);
        return 1;
    }
    double *beta = malloc(sizeof(double) * (size_t)d), *nu = beta + c.p, value;
    double *g = malloc(sizeof(double) * (size_t)d), *H = malloc(sizeof(double) * (size_t)(d * d));
    s = glmmgo_mclafit_estimates(h, beta, nu, &value, g, H, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "estimates: %s\n", err); return 1; }
    print_vec("par", beta, d);
    printf("value %.17g\n", value);
    print_vec("gradient", g, d);
    print_vec("hessian", H, d * d);
    int32_t conv, warn;
    int64_t iters, evals, counts[3];
    double ess, secs[4];
    s = glmmgo_mclafit_convergence(h, &conv, &iters, &evals, &ess, &warn, counts, secs, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "convergence: %s\n", err); return 1; }
    printf("converged %d\niterations %lld\nevaluations %lld\ness %.17g\ness_warning %d\ncounts %lld %lld %lld\n", conv,
           (long long)iters, (long long)evals, ess, warn, (long long)counts[0], (long long)counts[1], (long long)counts[2]);
    printf("progress_calls %lld\nprogress_npar %lld\nprogress_last_value %.17g\n", (long long)st.calls, (long long)st.npar, st.last_value);
    double *se = malloc(sizeof(double) * (size_t)d), *z = malloc(sizeof(double) * (size_t)d), *pv = malloc(sizeof(double) * (size_t)d);
    double *mcse = malloc(sizeof(double) * (size_t)d), *vc = malloc(sizeof(double) * (size_t)(d * d)), *mcvc = malloc(sizeof(double) * (size_t)(d * d));
    s = glmmgo_mclafit_inference(h, se, z, pv, vc, mcse, mcvc, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "inference: %s\n", err); return 1; }
    print_vec("se", se, d);
    print_vec("z", z, d);
    print_vec("pvalue", pv, d);
    print_vec("vcov", vc, d * d);
    print_vec("mcse", mcse, d);
    print_vec("mcvcov", mcvc, d * d);
    double *lo = malloc(sizeof(double) * (size_t)d), *hi = malloc(sizeof(double) * (size_t)d);
    if (glmmgo_mclafit_confint(h, 0.9, lo, hi, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "confint: %s\n", err); return 1; }
    print_vec("lower90", lo, d);
    print_vec("upper90", hi, d);
    int32_t used;
    double *pi = malloc(sizeof(double) * (size_t)d), *us = malloc(sizeof(double) * (size_t)c.q), *ds = malloc(sizeof(double) * (size_t)c.q);
    if (glmmgo_mclafit_start(h, &used, pi, us, ds, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "start: %s\n", err); return 1; }
    printf("used_pql %d\n", used);
    print_vec("par_init", pi, d);
    print_vec("u_star", us, c.q);
    print_vec("d_star", ds, c.q);
    double *u = malloc(sizeof(double) * (size_t)(m * q));
    if (glmmgo_mclafit_umatrix(h, u, m * q, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "umatrix: %s\n", err); return 1; }
    print_vec("umat_first_row", u, 1); /* element (0, 0) */
    printf("umat_corner %.17g %.17g\n", u[m - 1], u[m * q - 1]);
    /* The wrong length is an error naming len. */
    s = glmmgo_mclafit_umatrix(h, u, m * q - 1, err, sizeof err);
    printf("umat_short %d %s\n", s, strncmp(err, "len:", 4) == 0 ? "len" : "other");
    if (glmmgo_free(h) != GLMMGO_OK || glmmgo_free(h) != GLMMGO_ERR_HANDLE) { fprintf(stderr, "free\n"); return 1; }
    return 0;
}
