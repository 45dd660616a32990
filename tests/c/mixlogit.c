/* The mixlogit functions through the C ABI on data the Go test writes
   (arrays N, T, Y, X, PAR): the objective at PAR, then a fit with the
   given method, seed and workers, every result printed as "name values..."
   for the Go test to compare with the Go fit. The model is freed before
   the results are read: a fit outlives its model.

   usage: mixlogit DATAFILE METHOD SEED WORKERS [short | cancel K]
     METHOD    mcem or quadrature
     short     the options struct is passed with the size of an older, shorter
               struct that ends after method (the fields beyond hold garbage
               and must take their defaults)
     cancel K  the progress callback cancels after K iterations; the program
               prints the status instead */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "arrays.h"
#include "results.h"

typedef struct {
    int64_t calls, cancel_after, last_iter, npar;
    double last_value, last_par[5];
} progress_state;

static int progress(void *userdata, int64_t iter, double value, const double *par, int64_t npar) {
    progress_state *st = userdata;
    st->calls++;
    st->last_iter = iter;
    st->last_value = value;
    st->npar = npar;
    memcpy(st->last_par, par, sizeof st->last_par);
    return st->cancel_after > 0 && st->calls >= st->cancel_after;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: mixlogit DATAFILE METHOD SEED WORKERS [short | cancel K]\n"); return 2; }
    read_arrays(argv[1]);
    int64_t n = (int64_t)array_named("N", NULL)[0], t = (int64_t)array_named("T", NULL)[0], ny;
    double *y = array_named("Y", &ny), *x = array_named("X", NULL), *par = array_named("PAR", NULL);
    int32_t workers = (int32_t)atoi(argv[4]);
    char err[512];
    glmmgo_handle model = 0;
    if (glmmgo_mixlogit_new(n, t, y, x, &model, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "new: %s\n", err); return 1; }
    /* The caller's arrays may change at once: the handle keeps copies. */
    memset(y, 0, sizeof(double) * (size_t)ny);

    struct glmmgo_dims d = {.size = sizeof d};
    if (glmmgo_dims(model, &d, err, sizeof err) != GLMMGO_OK || d.kind != GLMMGO_KIND_MIXLOGIT_MODEL || d.n != n ||
        d.t != t || d.npar != 5 || d.p != 0 || d.q != 0 || d.m != 0) {
        fprintf(stderr, "model dims: %s\n", err);
        return 1;
    }
    double value, grad[5], hess[25], value_only;
    if (glmmgo_mixlogit_objective(model, par, 5, workers, &value, grad, hess, err, sizeof err) != GLMMGO_OK ||
        glmmgo_mixlogit_objective(model, par, 5, workers, &value_only, NULL, NULL, err, sizeof err) != GLMMGO_OK) {
        fprintf(stderr, "objective: %s\n", err);
        return 1;
    }
    print_doubles("objective", &value, 1);
    print_doubles("objective_value_only", &value_only, 1);
    print_doubles("objective_gradient", grad, 5);
    print_doubles("objective_hessian", hess, 25);

    glmmgo_mixlogit_options opt;
    if (glmmgo_mixlogit_options_default(&opt, sizeof opt, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    opt.method = strcmp(argv[2], "quadrature") == 0 ? GLMMGO_MIXLOGIT_QUADRATURE : GLMMGO_MIXLOGIT_MCEM;
    opt.seed = strtoull(argv[3], NULL, 10);
    opt.workers = workers;
    progress_state st = {0};
    if (argc > 6 && strcmp(argv[5], "cancel") == 0) st.cancel_after = atoll(argv[6]);
    if (argc > 5 && strcmp(argv[5], "short") == 0) {
        if (opt.seed != 0 || workers != 0) { fprintf(stderr, "short: seed and workers must be 0, their defaults\n"); return 2; }
        memset((char *)&opt + offsetof(glmmgo_mixlogit_options, seed), 0xA7,
               sizeof opt - offsetof(glmmgo_mixlogit_options, seed));
        opt.size = offsetof(glmmgo_mixlogit_options, method) + sizeof opt.method;
    }
    glmmgo_handle fit = 12345;
    int s = glmmgo_mixlogit_fit(model, &opt, progress, &st, &fit, err, sizeof err);
    if (st.cancel_after > 0) {
        printf("status %d\ncalls %lld\nfit_zero %d\n", s, (long long)st.calls, fit == 0);
        double b[5];
        printf("after_cancel %d\n", glmmgo_result(fit, GLMMGO_MIXLOGIT_ESTIMATE, b, 5, err, sizeof err));
        glmmgo_free(model);
        return 0;
    }
    if (s != GLMMGO_OK) { fprintf(stderr, "fit: %d %s\n", s, err); return 1; }
    if (glmmgo_free(model) != GLMMGO_OK) { fprintf(stderr, "free model\n"); return 1; }
    if (glmmgo_dims(fit, &d, err, sizeof err) != GLMMGO_OK || d.kind != GLMMGO_KIND_MIXLOGIT_FIT || d.n != n || d.t != t ||
        d.npar != 5) {
        fprintf(stderr, "fit dims: %s\n", err);
        return 1;
    }
    print_result("estimate", fit, GLMMGO_MIXLOGIT_ESTIMATE);
    print_result("se", fit, GLMMGO_MIXLOGIT_SE);
    print_result("vcov", fit, GLMMGO_MIXLOGIT_VCOV);
    print_result_ints("info_posdef", fit, GLMMGO_MIXLOGIT_INFO_POSDEF);
    print_result("loglik", fit, GLMMGO_MIXLOGIT_LOGLIK);
    print_result("gradient", fit, GLMMGO_MIXLOGIT_GRADIENT);
    print_result("posterior", fit, GLMMGO_MIXLOGIT_POSTERIOR);
    print_result_ints("converged", fit, GLMMGO_MIXLOGIT_CONVERGED);
    print_result_ints("iterations", fit, GLMMGO_MIXLOGIT_ITERATIONS);
    print_result_ints("method", fit, GLMMGO_MIXLOGIT_METHOD);
    print_result("start", fit, GLMMGO_MIXLOGIT_START);
    print_result("mcse", fit, GLMMGO_MIXLOGIT_MCSE);
    print_result("mcvcov", fit, GLMMGO_MIXLOGIT_MCVCOV);
    print_result("loglik_mc", fit, GLMMGO_MIXLOGIT_LOGLIK_MC);
    print_result("loglik_mcse", fit, GLMMGO_MIXLOGIT_LOGLIK_MCSE);
    print_result_ints("sample_size", fit, GLMMGO_MIXLOGIT_SAMPLE_SIZE);
    print_result_ints("total_draws", fit, GLMMGO_MIXLOGIT_TOTAL_DRAWS);
    print_result_ints("newton_steps", fit, GLMMGO_MIXLOGIT_NEWTON_STEPS);
    print_result_ints("final_rounds", fit, GLMMGO_MIXLOGIT_FINAL_ROUNDS);
    print_result("score_test", fit, GLMMGO_MIXLOGIT_SCORE_TEST);
    print_result("ess", fit, GLMMGO_MIXLOGIT_ESS);
    int64_t ncol = result_int(fit, GLMMGO_MIXLOGIT_TRACE_COLUMNS), ntr;
    double *trace = result_doubles(fit, GLMMGO_MIXLOGIT_TRACE, &ntr);
    int64_t k = ntr / ncol;
    printf("trace_shape %lld %lld\n", (long long)k, (long long)ncol);
    print_doubles("trace_but_seconds", trace, k * (ncol - 1)); /* the last column, seconds, is wall time */
    printf("seconds_len %lld\n", (long long)result_len(fit, GLMMGO_MIXLOGIT_SECONDS));
    printf("progress_calls %lld\nprogress_npar %lld\nprogress_last_iter %lld\n", (long long)st.calls, (long long)st.npar,
           (long long)st.last_iter);
    print_doubles("progress_last_par", st.last_par, 5);
    double lo[5], hi[5];
    if (glmmgo_confint(fit, 0.9, lo, hi, 5, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "confint: %s\n", err); return 1; }
    print_doubles("lower90", lo, 5);
    print_doubles("upper90", hi, 5);
    if (glmmgo_free(fit) != GLMMGO_OK || glmmgo_free(fit) != GLMMGO_ERR_HANDLE) { fprintf(stderr, "free\n"); return 1; }
    return 0;
}
