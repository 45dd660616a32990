/* A GLMM through the laplace functions of glmmgo.h, for
   tests/laplace_test.go, which writes the model (argv[1], arrays FAMILY,
   DIMS = n p nterms, Y, TRIALS and OFFSET (length 0: NULL), X, NLEVELS,
   NCOLS, CODES, Z, and DEVFUN_AT: points (theta, beta) one after another)
   and compares what this prints with the Go engine's fit of the same data.
   Output: "key v1 v2 ..." lines with every double to 17 digits, and
   "FAIL ..." for a broken expectation. Fits: the default (slow Laplace)
   fit with 1 and with 2 workers (the same bits), from a short options
   struct (the same bits), the fast fit, and with one scalar term nagq = 9. */
#include <math.h>
#include <stddef.h>
#include "arrays.h"
#include "glmmgo.h"
#include "results.h"

static int failures = 0;
#define EXPECT(cond, ...) do { if (!(cond)) { failures++; printf("FAIL "); printf(__VA_ARGS__); printf("\n"); } } while (0)

static int64_t *ints(const char *name, int64_t *n) {
    int64_t k;
    double *v = array_named(name, &k);
    int64_t *c = malloc(sizeof(int64_t) * (size_t)(k > 0 ? k : 1));
    for (int64_t i = 0; i < k; i++) c[i] = (int64_t)v[i];
    if (n) *n = k;
    return c;
}

static const double *optional(const char *name) {
    int64_t k;
    double *v = array_named(name, &k);
    return k > 0 ? v : NULL;
}

static int64_t progress_calls, progress_last;
static int count(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)ud; (void)par; (void)npar;
    progress_calls++;
    progress_last = iter;
    return !(obj > 0);
}

static const int32_t doubles_codes[] = {
    GLMMGO_LAPLACE_THETA, GLMMGO_LAPLACE_BETA, GLMMGO_LAPLACE_SE, GLMMGO_LAPLACE_VCOV, GLMMGO_LAPLACE_PAR_VCOV,
    GLMMGO_LAPLACE_VARCORR, GLMMGO_LAPLACE_U, GLMMGO_LAPLACE_B, GLMMGO_LAPLACE_CONDVAR, GLMMGO_LAPLACE_LINEAR_PREDICTOR,
    GLMMGO_LAPLACE_FITTED, GLMMGO_LAPLACE_RESID_RESPONSE, GLMMGO_LAPLACE_RESID_PEARSON, GLMMGO_LAPLACE_RESID_DEVIANCE,
    GLMMGO_LAPLACE_MINUS_TWO_LOGLIK, GLMMGO_LAPLACE_LOGLIK, GLMMGO_LAPLACE_DEVIANCE, GLMMGO_LAPLACE_SATURATED_LOGLIK,
    GLMMGO_LAPLACE_AIC, GLMMGO_LAPLACE_BIC, GLMMGO_LAPLACE_PENALISED_DEVIANCE, GLMMGO_LAPLACE_USSQ, GLMMGO_LAPLACE_LOGDET,
    GLMMGO_LAPLACE_GRADIENT, GLMMGO_LAPLACE_HESSIAN, GLMMGO_LAPLACE_STAGE_OBJECTIVE, GLMMGO_LAPLACE_START_THETA,
    GLMMGO_LAPLACE_START_OBJECTIVES, GLMMGO_LAPLACE_START_LMM_THETA};
static const char *doubles_names[] = {
    "theta", "beta", "se", "vcov", "par_vcov", "varcorr", "u", "b", "condvar", "eta", "fitted", "resid_response",
    "resid_pearson", "resid_deviance", "m2ll", "loglik", "deviance", "saturated", "aic", "bic", "pdev", "ussq", "logdet",
    "gradient", "hessian", "stage_objective", "start_theta", "start_objectives", "start_lmm_theta"};
static const int32_t int_codes[] = {GLMMGO_LAPLACE_SE_METHOD, GLMMGO_LAPLACE_PIRLS_ITERATIONS, GLMMGO_LAPLACE_EVALS,
                                    GLMMGO_LAPLACE_STAGE_STATUS, GLMMGO_LAPLACE_CONVERGED, GLMMGO_LAPLACE_SINGULAR,
                                    GLMMGO_LAPLACE_FAST, GLMMGO_LAPLACE_NAGQ, GLMMGO_LAPLACE_FAMILY, GLMMGO_LAPLACE_LINK,
                                    GLMMGO_LAPLACE_START_FROM_LMM};
static const char *int_names[] = {"se_method", "pirls_iterations", "evals", "stage_status", "converged", "singular",
                                  "fast", "nagq", "family", "link", "start_from_lmm"};
#define NDOUBLES (sizeof doubles_codes / sizeof doubles_codes[0])
#define NINTS (sizeof int_codes / sizeof int_codes[0])

static void print_fit(const char *tag, glmmgo_handle f) {
    char key[96];
    for (size_t k = 0; k < NDOUBLES; k++) {
        int64_t n;
        double *v = result_doubles(f, doubles_codes[k], &n);
        snprintf(key, sizeof key, "%s.%s", tag, doubles_names[k]);
        print_doubles(key, v, n);
        free(v);
    }
    for (size_t k = 0; k < NINTS; k++) {
        int64_t n;
        int64_t *v = result_ints(f, int_codes[k], &n);
        printf("%s.%s", tag, int_names[k]);
        for (int64_t i = 0; i < n; i++) printf(" %lld", (long long)v[i]);
        printf("\n");
        free(v);
    }
}

/* Every double and integer result of a and b agree bit for bit (the
   timings and the PIRLS count aside, which need not). */
static void same_bits(const char *what, glmmgo_handle a, glmmgo_handle b) {
    for (size_t k = 0; k < NDOUBLES; k++) {
        int64_t na, nb;
        double *va = result_doubles(a, doubles_codes[k], &na), *vb = result_doubles(b, doubles_codes[k], &nb);
        EXPECT(na == nb && memcmp(va, vb, sizeof(double) * (size_t)na) == 0, "%s: %s differs", what, doubles_names[k]);
        free(va);
        free(vb);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: laplace DATAFILE\n"); return 2; }
    read_arrays(argv[1]);
    int64_t *dims = ints("DIMS", NULL), n = dims[0], p = dims[1], nterms = dims[2];
    int32_t family = (int32_t)array_named("FAMILY", NULL)[0];
    char err[512];
    glmmgo_handle m = 0;
    int st = glmmgo_laplace_new(n, p, family, GLMMGO_LINK_DEFAULT, array_named("Y", NULL), optional("TRIALS"), NULL,
                                optional("OFFSET"), 0, array_named("X", NULL), nterms, ints("NLEVELS", NULL),
                                ints("NCOLS", NULL), ints("CODES", NULL), array_named("Z", NULL), &m, err, sizeof err);
    if (st != GLMMGO_OK) { printf("FAIL new: %d %s\n", st, err); return 1; }
    struct glmmgo_dims d = {.size = sizeof d};
    glmmgo_dims(m, &d, NULL, 0);
    printf("dims %lld %lld %lld %lld %lld %lld\n", (long long)d.n, (long long)d.p, (long long)d.q, (long long)d.ntheta,
           (long long)d.nterms, (long long)d.npar);

    /* The objective at lme4's points, before any fit and after one (the same bits). */
    int64_t nat;
    double *at = array_named("DEVFUN_AT", &nat), v, v2, before = NAN;
    printf("objective_at");
    for (int64_t i = 0; i + d.npar <= nat; i += d.npar) {
        st = glmmgo_laplace_objective(m, at + i, d.npar, 1, 0, 1, &v, err, sizeof err);
        EXPECT(st == GLMMGO_OK, "objective: %d %s", st, err);
        printf(" %.17g", v);
        if (i == 0) before = v;
    }
    printf("\n");
    st = glmmgo_laplace_objective(m, at, d.ntheta, 1, 1, 2, &v, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "fast objective: %d %s", st, err);
    print_doubles("objective_fast_at", &v, 1);

    glmmgo_laplace_options opt;
    glmmgo_laplace_options_default(&opt, sizeof opt, NULL, 0);
    opt.workers = 1;
    glmmgo_handle f1 = 0, f2 = 0, fs = 0, ff = 0, fq = 0;
    st = glmmgo_laplace_fit(m, &opt, count, NULL, &f1, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "fit: %d %s", st, err);
    int64_t *evals = result_ints(f1, GLMMGO_LAPLACE_EVALS, NULL);
    EXPECT(progress_calls == evals[0] + evals[1] && progress_last == progress_calls,
           "progress: %lld calls, last %lld, evaluations %lld + %lld", (long long)progress_calls, (long long)progress_last,
           (long long)evals[0], (long long)evals[1]);
    st = glmmgo_laplace_objective(m, at, d.npar, 1, 0, 1, &v2, err, sizeof err);
    double first;
    glmmgo_laplace_objective(m, at, d.npar, 1, 0, 3, &first, NULL, 0);
    EXPECT(st == GLMMGO_OK && memcmp(&v2, &first, sizeof v2) == 0 && memcmp(&v2, &before, sizeof v2) == 0,
           "the objective after a fit (1 and 3 workers) differs from before it");
    opt.workers = 2;
    st = glmmgo_laplace_fit(m, &opt, NULL, NULL, &f2, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "fit with 2 workers: %d %s", st, err);
    same_bits("2 workers", f1, f2);
    /* A struct that ends after fast (an older caller's): the defaults beyond, whatever its memory holds. */
    glmmgo_laplace_options old;
    memset(&old, 0xFF, sizeof old);
    old.fast = 0;
    old.size = offsetof(glmmgo_laplace_options, fast) + sizeof old.fast;
    st = glmmgo_laplace_fit(m, &old, NULL, NULL, &fs, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "fit from a short options struct: %d %s", st, err);
    same_bits("short options", f1, fs);
    glmmgo_laplace_options_default(&opt, sizeof opt, NULL, 0);
    opt.fast = 1;
    st = glmmgo_laplace_fit(m, &opt, NULL, NULL, &ff, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "fast fit: %d %s", st, err);
    if (nterms == 1 && ints("NCOLS", NULL)[0] == 1) {
        opt.fast = 0;
        opt.nagq = 9;
        st = glmmgo_laplace_fit(m, &opt, NULL, NULL, &fq, err, sizeof err);
        EXPECT(st == GLMMGO_OK, "nagq 9 fit: %d %s", st, err);
    }
    glmmgo_free(m); /* fits outlive their model */
    print_fit("laplace", f1);
    print_fit("fast", ff);
    if (fq) print_fit("agq9", fq);
    double lo[64], hi[64];
    st = glmmgo_confint(f1, 0.95, lo, hi, d.p, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "confint: %d %s", st, err);
    print_doubles("confint.lower", lo, d.p);
    print_doubles("confint.upper", hi, d.p);
    glmmgo_handle all[5] = {f1, f2, fs, ff, fq};
    for (int k = 0; k < 5; k++)
        if (all[k]) glmmgo_free(all[k]);
    printf("failures %d\n", failures);
    return 0;
}
