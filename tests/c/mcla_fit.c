/* Fits a case's data through the C ABI: glmmgo_mcla_fit with the given m,
   seed and workers, then prints every result for the Go test to compare
   with the Go fit. The model is freed before the results are read: a fit
   outlives its model.

   usage: mcla_fit CASEFILE M SEED WORKERS [cancel K | short]
     cancel K  the progress callback cancels after K iterations; the program
               prints the status instead
     short     the options struct is passed with the size of a shorter,
               older struct that ends before workers (whose field holds
               garbage): the fields beyond must take their defaults */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "mcla_case.h"
#include "results.h"

typedef struct {
    int64_t calls, cancel_after, last_iter, npar, beats, bad_beats;
    double last_value;
} progress_state;

/* Counts iterations; heartbeats (iter < 0: a phase, objective NaN, no
   parameters) are counted apart, their number depending on time. */
static int progress(void *userdata, int64_t iter, double objective, const double *par, int64_t npar) {
    progress_state *st = userdata;
    if (iter < 0) {
        st->beats++;
        st->bad_beats += iter < -4 || !isnan(objective) || par != NULL || npar != 0;
        return 0;
    }
    st->calls++;
    st->last_iter = iter;
    st->last_value = objective;
    st->npar = npar;
    (void)par;
    return st->cancel_after > 0 && st->calls >= st->cancel_after;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: mcla_fit CASEFILE M SEED WORKERS [cancel K | short]\n"); return 2; }
    mcla_case c = read_case(argv[1]);
    char err[512];
    glmmgo_handle model = new_model(&c);
    /* The caller's arrays may be freed at once: the handle keeps copies. */
    memset(c.y, 0, sizeof(double) * (size_t)c.n);

    glmmgo_mcla_options opt;
    if (glmmgo_mcla_options_default(&opt, sizeof opt, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    opt.m = atoll(argv[2]);
    opt.seed = strtoull(argv[3], NULL, 10);
    opt.workers = atoi(argv[4]);
    progress_state st = {0, 0, 0, 0, 0, 0, 0};
    if (argc > 6 && strcmp(argv[5], "cancel") == 0) st.cancel_after = atoll(argv[6]);
    if (argc > 5 && strcmp(argv[5], "short") == 0) {
        opt.workers = -77; /* beyond the size: never read */
        opt.iterlim = -1;
        opt.size = offsetof(glmmgo_mcla_options, workers);
    }
    glmmgo_handle fit = 12345;
    int s = glmmgo_mcla_fit(model, &opt, progress, &st, &fit, err, sizeof err);
    if (st.cancel_after > 0) {
        printf("status %d\n", s);
        printf("calls %lld\n", (long long)st.calls);
        printf("fit_zero %d\n", fit == 0);
        double b[64];
        s = glmmgo_result(fit, GLMMGO_MCLA_BETA, b, c.p, err, sizeof err);
        printf("after_cancel %d\n", s);
        glmmgo_free(model);
        return 0;
    }
    if (s != GLMMGO_OK) { fprintf(stderr, "mcla_fit: %d %s\n", s, err); return 1; }
    if (glmmgo_free(model) != GLMMGO_OK) { fprintf(stderr, "free model\n"); return 1; }
    struct glmmgo_dims d = {.size = sizeof d};
    if (glmmgo_dims(fit, &d, err, sizeof err) != GLMMGO_OK || d.kind != GLMMGO_KIND_MCLA_FIT || d.p != c.p ||
        d.nvc != c.nvc || d.q != c.q || d.m != opt.m || d.n != c.n || d.npar != c.p + c.nvc) {
        fprintf(stderr, "dims: %s\n", err);
        return 1;
    }
    int64_t np = d.npar, m = d.m, q = d.q;
    double *beta = result_doubles(fit, GLMMGO_MCLA_BETA, NULL), *nu = result_doubles(fit, GLMMGO_MCLA_NU, NULL);
    printf("par");
    for (int64_t i = 0; i < c.p; i++) printf(" %.17g", beta[i]);
    for (int64_t i = 0; i < c.nvc; i++) printf(" %.17g", nu[i]);
    printf("\n");
    print_result("value", fit, GLMMGO_MCLA_VALUE);
    print_result("gradient", fit, GLMMGO_MCLA_GRADIENT);
    print_result("hessian", fit, GLMMGO_MCLA_HESSIAN);
    print_result_ints("converged", fit, GLMMGO_MCLA_CONVERGED);
    print_result_ints("iterations", fit, GLMMGO_MCLA_ITERATIONS);
    print_result_ints("evaluations", fit, GLMMGO_MCLA_EVALUATIONS);
    print_result("ess", fit, GLMMGO_MCLA_ESS);
    print_result_ints("ess_warning", fit, GLMMGO_MCLA_ESS_WARNING);
    print_result_ints("counts", fit, GLMMGO_MCLA_COUNTS);
    print_result_ints("hessian_negdef", fit, GLMMGO_MCLA_HESSIAN_NEGDEF);
    printf("seconds_len %lld\n", (long long)result_len(fit, GLMMGO_MCLA_SECONDS));
    printf("progress_bad_beats %lld\n", (long long)st.bad_beats);
    printf("progress_calls %lld\nprogress_npar %lld\nprogress_last_value %.17g\n", (long long)st.calls, (long long)st.npar,
           st.last_value);
    print_result("se", fit, GLMMGO_MCLA_SE);
    print_result("z", fit, GLMMGO_MCLA_Z);
    print_result("pvalue", fit, GLMMGO_MCLA_PVALUE);
    print_result("vcov", fit, GLMMGO_MCLA_VCOV);
    print_result("mcse", fit, GLMMGO_MCLA_MCSE);
    print_result("mcvcov", fit, GLMMGO_MCLA_MCVCOV);
    double *lo = malloc(sizeof(double) * (size_t)np), *hi = malloc(sizeof(double) * (size_t)np);
    if (glmmgo_confint(fit, 0.9, lo, hi, np, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "confint: %s\n", err); return 1; }
    print_doubles("lower90", lo, np);
    print_doubles("upper90", hi, np);
    print_result_ints("used_pql", fit, GLMMGO_MCLA_USED_PQL);
    print_result("par_init", fit, GLMMGO_MCLA_START);
    print_result("u_star", fit, GLMMGO_MCLA_U_STAR);
    print_result("d_star", fit, GLMMGO_MCLA_D_STAR);
    print_result("sigma_inv", fit, GLMMGO_MCLA_SIGMA_INV);
    print_result("dispersion", fit, GLMMGO_MCLA_DISPERSION);
    int64_t ulen;
    double *u = result_doubles(fit, GLMMGO_MCLA_UMATRIX, &ulen);
    if (ulen != m * q) { fprintf(stderr, "umatrix length %lld\n", (long long)ulen); return 1; }
    print_doubles("umat_first_row", u, 1); /* element (0, 0) */
    printf("umat_corner %.17g %.17g\n", u[m - 1], u[m * q - 1]);
    /* The wrong length is an error naming len. */
    s = glmmgo_result(fit, GLMMGO_MCLA_UMATRIX, u, m * q - 1, err, sizeof err);
    printf("umat_short %d %s\n", s, strncmp(err, "len:", 4) == 0 ? "len" : "other");
    if (glmmgo_free(fit) != GLMMGO_OK || glmmgo_free(fit) != GLMMGO_ERR_HANDLE) { fprintf(stderr, "free\n"); return 1; }
    return 0;
}
