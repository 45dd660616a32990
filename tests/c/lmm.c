/* The LMM functions of glmmgo.h on lme4's reference data. The Go test
   writes the data (a file of "NAME COUNT values..." lines, argv[1]) and
   checks what this prints: one "key values..." line per result, and
   "FAIL ..." for any broken expectation. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "glmmgo.h"
#include "results.h"

static int failures = 0;
#define EXPECT(cond, ...) do { if (!(cond)) { failures++; printf("FAIL "); printf(__VA_ARGS__); printf("\n"); } } while (0)

/* ---- The data file ---- */
static struct { char name[32]; int64_t n; double *v; } arrays[16];
static int narrays;

static void read_data(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    long long n;
    while (narrays < 16 && fscanf(f, "%31s %lld", arrays[narrays].name, &n) == 2) {
        arrays[narrays].n = n;
        arrays[narrays].v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
        for (long long i = 0; i < n; i++)
            if (fscanf(f, "%lf", &arrays[narrays].v[i]) != 1) { fprintf(stderr, "%s: short\n", arrays[narrays].name); exit(2); }
        narrays++;
    }
    fclose(f);
}

static const double *doubles(const char *name, int64_t *n) {
    for (int i = 0; i < narrays; i++)
        if (strcmp(arrays[i].name, name) == 0) {
            if (n) *n = arrays[i].n;
            return arrays[i].v;
        }
    fprintf(stderr, "no array %s\n", name);
    exit(2);
}

static int64_t *codes(const char *name) {
    int64_t n;
    const double *v = doubles(name, &n);
    int64_t *c = malloc(sizeof(int64_t) * (size_t)n);
    for (int64_t i = 0; i < n; i++) c[i] = (int64_t)v[i];
    return c;
}

/* ---- Callbacks ---- */
static int calls = 0;
static int cancel_after_3(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)obj; (void)par; (void)npar;
    int *count = ud;
    (*count)++;
    return iter >= 3;
}
static int count_calls(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)ud; (void)iter; (void)npar;
    calls++;
    if (!(obj > 0) || !(par[0] >= 0)) return 1;
    return 0;
}

/* Fits a one-term model and prints its results under prefix. The model is
   freed as soon as it is fitted: the fit keeps what it reports. */
static void fit_and_print(const char *prefix, int64_t n, int64_t p, const double *y, const double *x,
                          int64_t nlev, int64_t k, const int64_t *cd, const double *z, int reml) {
    char err[256], key[64];
    glmmgo_handle h = 0, f = 0;
    int st = glmmgo_lmm_new(n, p, y, x, NULL, 1, &nlev, &k, cd, z, &h, err, sizeof err);
    EXPECT(st == GLMMGO_OK && h != 0, "%s new: %d %s", prefix, st, err);
    struct glmmgo_dims d = {.size = sizeof d};
    st = glmmgo_dims(h, &d, err, sizeof err);
    int64_t nt = d.ntheta, q = d.q;
    EXPECT(st == 0 && d.kind == GLMMGO_KIND_LMM_MODEL && d.n == n && d.p == p && nt == k * (k + 1) / 2 && q == nlev * k &&
           d.nterms == 1, "%s dims", prefix);
    double theta[8], lower[8];
    st = glmmgo_result(h, GLMMGO_LMM_THETA, theta, nt, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "glmmgo_lmm_fit") != NULL, "%s theta before fit: %d %s", prefix, st, err);
    st = glmmgo_result(h, GLMMGO_LMM_LOWER, lower, nt, err, sizeof err);
    EXPECT(st == 0 && lower[0] == 0 && (nt == 1 || isinf(lower[1])), "%s lower", prefix);
    glmmgo_lmm_options opt;
    glmmgo_lmm_options_default(&opt, sizeof opt, NULL, 0);
    opt.reml = reml;
    calls = 0;
    st = glmmgo_lmm_fit(h, &opt, count_calls, NULL, &f, err, sizeof err);
    EXPECT(st == GLMMGO_OK && f != 0, "%s fit: %d %s", prefix, st, err);
    /* The same fit from a shorter options struct that ends after reml
       (what beyond holds is garbage): the same bits. */
    glmmgo_lmm_options old;
    memset(&old, 0xFF, sizeof old);
    old.reml = reml;
    old.size = offsetof(glmmgo_lmm_options, reml) + sizeof old.reml;
    glmmgo_handle f2 = 0;
    st = glmmgo_lmm_fit(h, &old, NULL, NULL, &f2, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "%s fit with a short options struct: %d %s", prefix, st, err);
    /* And with one worker. */
    opt.workers = 1;
    glmmgo_handle f3 = 0;
    st = glmmgo_lmm_fit(h, &opt, NULL, NULL, &f3, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "%s fit with one worker: %d %s", prefix, st, err);
    EXPECT(glmmgo_free(h) == GLMMGO_OK, "%s free model", prefix);
    double *th2 = result_doubles(f2, GLMMGO_LMM_THETA, NULL), *th3 = result_doubles(f3, GLMMGO_LMM_THETA, NULL);
    double *th1 = result_doubles(f, GLMMGO_LMM_THETA, NULL);
    EXPECT(memcmp(th1, th2, sizeof(double) * (size_t)nt) == 0, "%s: a short options struct changed theta", prefix);
    EXPECT(memcmp(th1, th3, sizeof(double) * (size_t)nt) == 0, "%s: one worker changed theta", prefix);
    glmmgo_free(f2);
    glmmgo_free(f3);

    double obj = result_scalar(f, GLMMGO_LMM_OBJECTIVE), ll = result_scalar(f, GLMMGO_LMM_LOGLIK);
    double sigma = result_scalar(f, GLMMGO_LMM_SIGMA);
    (void)result_scalar(f, GLMMGO_LMM_DEVIANCE);
    (void)result_scalar(f, GLMMGO_LMM_REMLCRIT);
    (void)result_scalar(f, GLMMGO_LMM_AIC);
    (void)result_scalar(f, GLMMGO_LMM_BIC);
    int64_t evals = result_int(f, GLMMGO_LMM_EVALS), conv = result_int(f, GLMMGO_LMM_CONVERGED);
    int64_t sing = result_int(f, GLMMGO_LMM_SINGULAR), isreml = result_int(f, GLMMGO_LMM_REML);
    EXPECT(conv == 1 && isreml == reml && evals == calls, "%s info: conv %lld evals %lld calls %d", prefix, (long long)conv,
           (long long)evals, calls);
    double beta[8];
    st = glmmgo_result(f, GLMMGO_LMM_BETA, beta, p + 1, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "len:") == err, "%s beta wrong length: %s", prefix, err);
    int64_t ncv;
    double *cv = result_doubles(f, GLMMGO_LMM_CONDVAR, &ncv);
    EXPECT(ncv == q * k && cv[0] >= 0, "%s condvar: %lld values", prefix, (long long)ncv);
    int64_t nb, nu;
    free(result_doubles(f, GLMMGO_LMM_B, &nb));
    free(result_doubles(f, GLMMGO_LMM_U, &nu));
    EXPECT(nb == q && nu == q, "%s ranef lengths %lld %lld", prefix, (long long)nb, (long long)nu);
    snprintf(key, sizeof key, "%s.objective", prefix); print_doubles(key, &obj, 1);
    snprintf(key, sizeof key, "%s.sigma", prefix); print_doubles(key, &sigma, 1);
    snprintf(key, sizeof key, "%s.theta", prefix); print_result(key, f, GLMMGO_LMM_THETA);
    snprintf(key, sizeof key, "%s.beta", prefix); print_result(key, f, GLMMGO_LMM_BETA);
    snprintf(key, sizeof key, "%s.se", prefix); print_result(key, f, GLMMGO_LMM_SE);
    snprintf(key, sizeof key, "%s.varcorr", prefix); print_result(key, f, GLMMGO_LMM_VARCORR);
    double s = (double)sing;
    snprintf(key, sizeof key, "%s.singular", prefix); print_doubles(key, &s, 1);
    EXPECT(fabs(ll + obj / 2) < 1e-9 * fabs(obj), "%s loglik", prefix);
    EXPECT(glmmgo_free(f) == GLMMGO_OK, "%s free", prefix);
    EXPECT(glmmgo_free(f) == GLMMGO_ERR_HANDLE, "%s double free", prefix);
}

/* glmmgo_lmm_deviance_parts at theta (one covariance parameter) on a model
   with n observations, p fixed effects and weights w (NULL for none): the
   parts rebuild the ML deviance and the REML criterion of
   glmmgo_lmm_objective, pwrss = wrss + ussq, ldW = sum log w; a wrong len
   or worker count is refused. */
static void check_parts(glmmgo_handle h, double theta, int64_t n, int64_t p, const double *w) {
    char err[256];
    double parts[7], ml, reml;
    int st = glmmgo_lmm_deviance_parts(h, &theta, 1, 0, parts, 6, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "deviance parts: %d %s", st, err);
    EXPECT(glmmgo_lmm_objective(h, &theta, 1, 0, 0, &ml, err, sizeof err) == 0, "objective ML: %s", err);
    EXPECT(glmmgo_lmm_objective(h, &theta, 1, 1, 0, &reml, err, sizeof err) == 0, "objective REML: %s", err);
    double ldL2 = parts[0], ldRX2 = parts[1], wrss = parts[2], ussq = parts[3], pwrss = parts[4], ldW = parts[5];
    double dn = (double)n, dp = (double)p, pi = 3.14159265358979323846, ldw = 0;
    for (int64_t i = 0; w != NULL && i < n; i++) ldw += log(w[i]);
    double ml2 = ldL2 - ldW + dn * (1 + log(2 * pi * pwrss / dn));
    double reml2 = ldL2 + ldRX2 - ldW + (dn - dp) * (1 + log(2 * pi * pwrss / (dn - dp)));
    EXPECT(fabs(ml2 - ml) < 1e-12 * fabs(ml), "parts give the ML deviance %.17g, objective %.17g", ml2, ml);
    EXPECT(fabs(reml2 - reml) < 1e-12 * fabs(reml), "parts give the REML criterion %.17g, objective %.17g", reml2, reml);
    EXPECT(fabs(wrss + ussq - pwrss) < 1e-12 * pwrss && wrss > 0 && ussq > 0, "pwrss %.17g = wrss %.17g + ussq %.17g", pwrss,
           wrss, ussq);
    EXPECT(fabs(ldW - ldw) < 1e-12 * fmax(1, fabs(ldw)), "ldW %.17g, sum log w %.17g", ldW, ldw);
    st = glmmgo_lmm_deviance_parts(h, &theta, 1, 0, parts, 7, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "len: is 7; there are 6 parts") == err, "parts len 7: %d %s", st, err);
    st = glmmgo_lmm_deviance_parts(h, &theta, 1, -1, parts, 6, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "workers") == err, "parts workers -1: %d %s", st, err);
    st = glmmgo_lmm_deviance_parts(h, &theta, 2, 0, parts, 6, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "ntheta") == err, "parts ntheta 2: %d %s", st, err);
    double neg = -theta;
    st = glmmgo_lmm_deviance_parts(h, &neg, 1, 0, parts, 6, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_DOMAIN && strstr(err, "theta") == err, "parts at a negative theta: %d %s", st, err);
}

/* glmmgo_lmm_derivatives on dyestuff2 (ML, theta-hat = 0 on its bound):
   the gradient is exactly 0 there and both Hessians are MixedModels.jl's
   28.76868076413998 (its ForwardDiff.hessian documentation); the value is
   glmmgo_lmm_objective's; NULL arrays with length 0 are skipped; wrong
   lengths, an unknown sigma_mode and a NULL value are refused by name. */
static void check_derivatives(glmmgo_handle h) {
    char err[256];
    double th = 0, v = 0, obj = 0, g = 1, hs[2] = {0, 0};
    int st = glmmgo_lmm_derivatives(h, &th, 1, 0, GLMMGO_LMM_SIGMA_FIXED, 0, &v, &g, 1, hs, 1, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "derivatives: %d %s", st, err);
    EXPECT(glmmgo_lmm_objective(h, &th, 1, 0, 0, &obj, err, sizeof err) == 0 && v == obj, "derivatives value %.17g, objective %.17g", v, obj);
    EXPECT(g == 0, "gradient at theta = 0: %.17g, want exactly 0", g);
    EXPECT(fabs(hs[0] - 28.76868076413998) < 1e-6 * 28.77, "sigma-fixed Hessian %.17g, MixedModels.jl 28.76868076413998", hs[0]);
    st = glmmgo_lmm_derivatives(h, &th, 1, 0, GLMMGO_LMM_SIGMA_PROFILED, 0, &v, NULL, 0, hs, 1, err, sizeof err);
    EXPECT(st == GLMMGO_OK && fabs(hs[0] - 28.76868076413998) < 1e-6 * 28.77, "profiled Hessian %.17g: %d %s", hs[0], st, err);
    st = glmmgo_lmm_derivatives(h, &th, 1, 0, 2, 0, &v, &g, 1, NULL, 0, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "sigma_mode") == err, "sigma_mode 2: %d %s", st, err);
    st = glmmgo_lmm_derivatives(h, &th, 1, 0, 0, 0, &v, &g, 2, NULL, 0, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "gradient_len") == err, "gradient_len 2: %d %s", st, err);
    st = glmmgo_lmm_derivatives(h, &th, 1, 0, 0, 0, &v, NULL, 0, hs, 2, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "hessian_len") == err, "hessian_len 2: %d %s", st, err);
    st = glmmgo_lmm_derivatives(h, &th, 1, 0, 0, 0, &v, NULL, 1, NULL, 0, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "gradient") == err, "NULL gradient with length 1: %d %s", st, err);
    st = glmmgo_lmm_derivatives(h, &th, 1, 0, 0, 0, NULL, &g, 1, NULL, 0, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "value") == err, "NULL value: %d %s", st, err);
    double neg = -0.5;
    st = glmmgo_lmm_derivatives(h, &neg, 1, 0, 0, 0, &v, &g, 1, NULL, 0, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_DOMAIN && strstr(err, "theta") == err, "derivatives at a negative theta: %d %s", st, err);
    /* A fit by BFGS ends at theta = 0 with the gradient 0; theta's Wald SE is NaN on
       the bound, sigma's the closed form sigma / sqrt(2 n) (n = 30). */
    glmmgo_lmm_options opt;
    glmmgo_lmm_options_default(&opt, sizeof opt, NULL, 0);
    EXPECT(opt.optimizer == GLMMGO_LMM_OPTIMIZER_AUTO, "default optimizer %d", opt.optimizer);
    opt.optimizer = 7;
    glmmgo_handle f = 0;
    st = glmmgo_lmm_fit(h, &opt, NULL, NULL, &f, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "optimizer") == err && f == 0, "optimizer 7: %d %s", st, err);
    opt.optimizer = GLMMGO_LMM_OPTIMIZER_BFGS;
    st = glmmgo_lmm_fit(h, &opt, NULL, NULL, &f, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "BFGS fit: %d %s", st, err);
    int64_t used = -1;
    double theta = -1, grad = -1, se = 0, vcse[2] = {0, 0}, sigma = 0, hess = 0;
    EXPECT(glmmgo_result_int64(f, GLMMGO_LMM_OPTIMIZER, &used, 1, err, sizeof err) == 0 && used == GLMMGO_LMM_OPTIMIZER_BFGS,
           "optimizer used %lld: %s", (long long)used, err);
    EXPECT(glmmgo_result(f, GLMMGO_LMM_THETA, &theta, 1, err, sizeof err) == 0 && theta == 0, "BFGS theta %g", theta);
    EXPECT(glmmgo_result(f, GLMMGO_LMM_GRADIENT, &grad, 1, err, sizeof err) == 0 && grad == 0, "gradient at the fit %g: %s", grad, err);
    EXPECT(glmmgo_result(f, GLMMGO_LMM_HESSIAN, &hess, 1, err, sizeof err) == 0 && fabs(hess - 28.76868076413998) < 1e-5,
           "Hessian at the fit %.10g: %s", hess, err);
    EXPECT(glmmgo_result(f, GLMMGO_LMM_THETA_SE, &se, 1, err, sizeof err) == 0 && isnan(se), "theta SE on the bound %g", se);
    EXPECT(glmmgo_result(f, GLMMGO_LMM_SIGMA, &sigma, 1, err, sizeof err) == 0, "sigma: %s", err);
    EXPECT(glmmgo_result(f, GLMMGO_LMM_VARCORR_SE, vcse, 2, err, sizeof err) == 0 && fabs(vcse[1] - sigma / sqrt(60.0)) < 1e-9 * sigma,
           "sigma SE %.12g, closed form %.12g: %s", vcse[1], sigma / sqrt(60.0), err);
    st = glmmgo_result(f, GLMMGO_LMM_THETA_VCOV, vcse, 2, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "len") != NULL, "theta vcov of length 2: %d %s", st, err);
    glmmgo_free(f);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: lmm DATAFILE\n"); return 2; }
    read_data(argv[1]);
    char err[256];
    int64_t n, sleep_n, one = 1, nlev = 6;
    const double *dye_y = doubles("DYE_Y", &n), *dye2_y = doubles("DYE2_Y", NULL);
    const double *sleep_y = doubles("SLEEP_Y", &sleep_n), *sleep_x = doubles("SLEEP_X", NULL);
    int64_t *dye_codes = codes("DYE_CODES"), *sleep_codes = codes("SLEEP_CODES");
    double th_at = doubles("DYE_THETA_AT", NULL)[0];
    double *ones = malloc(sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) ones[i] = 1;

    /* The deviance at given theta, with no fit. */
    glmmgo_handle h = 0;
    int st = glmmgo_lmm_new(n, 1, dye_y, ones, NULL, 1, &nlev, &one, dye_codes, ones, &h, err, sizeof err);
    EXPECT(st == 0, "dyestuff new: %s", err);
    double th = th_at, v, v2;
    st = glmmgo_lmm_objective(h, &th, 1, 0, 0, &v, err, sizeof err);
    EXPECT(st == 0, "objective: %s", err);
    print_doubles("dyestuff.objective_at", &v, 1);
    st = glmmgo_lmm_objective(h, &th, 1, 0, 1, &v2, err, sizeof err);
    EXPECT(st == 0 && memcmp(&v, &v2, sizeof v) == 0, "objective with one worker differs: %.17g %.17g", v, v2);
    check_parts(h, th, n, 1, NULL);
    th = -0.1;
    st = glmmgo_lmm_objective(h, &th, 1, 0, 0, &v, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_DOMAIN && strstr(err, "theta") == err, "negative theta: %d %s", st, err);
    st = glmmgo_lmm_objective(h, NULL, 1, 0, 0, &v, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "theta") == err, "NULL theta: %d %s", st, err);
    int count = 0;
    glmmgo_handle f = 99;
    glmmgo_lmm_options opt;
    glmmgo_lmm_options_default(&opt, sizeof opt, NULL, 0);
    st = glmmgo_lmm_fit(h, &opt, cancel_after_3, &count, &f, err, sizeof err);
    /* iterations 0 (the choice of the start), 1, 2, 3 */
    EXPECT(st == GLMMGO_ERR_CANCELLED && count == 4 && f == 0, "cancel: %d after %d calls: %s", st, count, err);
    st = glmmgo_result(f, GLMMGO_LMM_OBJECTIVE, &v, 1, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_HANDLE, "result of a cancelled fit: %d", st);
    double bad0 = -1;
    opt.start = &bad0;
    opt.start_len = 1;
    st = glmmgo_lmm_fit(h, &opt, NULL, NULL, &f, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_DOMAIN && strstr(err, "start") == err, "negative start: %d %s", st, err);
    st = glmmgo_lmm_objective(h + 1000, &th, 1, 0, 0, &v, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_HANDLE, "bad handle: %d", st);
    EXPECT(glmmgo_free(h) == 0, "free");

    /* Input validation. */
    double *ybad = malloc(sizeof(double) * (size_t)n);
    memcpy(ybad, dye_y, sizeof(double) * (size_t)n);
    ybad[4] = NAN;
    h = 0;
    st = glmmgo_lmm_new(n, 1, ybad, ones, NULL, 1, &nlev, &one, dye_codes, ones, &h, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && h == 0 && strstr(err, "y: element 4") == err, "NaN y: %d %s", st, err);
    int64_t *cbad = malloc(sizeof(int64_t) * (size_t)n);
    memcpy(cbad, dye_codes, sizeof(int64_t) * (size_t)n);
    cbad[7] = 6;
    st = glmmgo_lmm_new(n, 1, dye_y, ones, NULL, 1, &nlev, &one, cbad, ones, &h, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "codes") == err && strstr(err, "observation 7") != NULL, "code out of range: %d %s", st, err);
    int64_t lev1 = 1, *zeros = calloc((size_t)n, sizeof(int64_t));
    st = glmmgo_lmm_new(n, 1, dye_y, ones, NULL, 1, &lev1, &one, zeros, ones, &h, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "nlevels") == err, "one level: %d %s", st, err);
    st = glmmgo_lmm_new(n, n + 1, dye_y, ones, NULL, 1, &nlev, &one, dye_codes, ones, &h, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID, "p > n: %d %s", st, err);
    double *w = malloc(sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++) w[i] = 1;
    w[2] = -1;
    st = glmmgo_lmm_new(n, 1, dye_y, ones, w, 1, &nlev, &one, dye_codes, ones, &h, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "weights") == err, "negative weight: %d %s", st, err);
    for (int i = 0; i < n; i++) w[i] = 1 + (i % 4) * 0.5;
    st = glmmgo_lmm_new(n, 1, dye_y, ones, w, 1, &nlev, &one, dye_codes, ones, &h, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "weighted model: %d %s", st, err);
    check_parts(h, th_at, n, 1, w);
    glmmgo_free(h);
    st = glmmgo_lmm_new(n, 1, dye_y, ones, NULL, 1, &nlev, &one, dye_codes, ones, NULL, err, sizeof err);
    EXPECT(st == GLMMGO_ERR_INVALID && strstr(err, "out") == err, "NULL out: %d %s", st, err);

    /* Complete fits. */
    fit_and_print("dyestuff_ml", n, 1, dye_y, ones, 6, 1, dye_codes, ones, 0);
    fit_and_print("dyestuff2_ml", n, 1, dye2_y, ones, 6, 1, dye_codes, ones, 0);
    st = glmmgo_lmm_new(n, 1, dye2_y, ones, NULL, 1, &nlev, &one, dye_codes, ones, &h, err, sizeof err);
    EXPECT(st == GLMMGO_OK, "dyestuff2 new: %d %s", st, err);
    check_derivatives(h);
    glmmgo_free(h);
    fit_and_print("sleepstudy_reml", sleep_n, 2, sleep_y, sleep_x, 18, 2, sleep_codes, sleep_x, 1);

    printf("failures %d\n", failures);
    return failures != 0;
}
