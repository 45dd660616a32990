/* Negative binomial through the C ABI: a fit that estimates the size r
   (options dispersion_lo and dispersion_hi) prints r_hat, the full
   log-likelihood and the estimate; then the same model given its size
   with glmmgo_mcla_set_dispersion is fitted at r = 2 and printed.

   usage: mcla_nb CASEFILE M SEED */
#include "mcla_case.h"
#include "results.h"

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: mcla_nb CASEFILE M SEED\n"); return 2; }
    mcla_case c = read_case(argv[1]);
    char err[512];
    c.family = GLMMGO_NEGBINOMIAL;
    c.weights = NULL; /* as the Go fit it is compared with */
    glmmgo_handle h = new_model(&c), fit = 0;
    glmmgo_mcla_options opt;
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    opt.m = atoll(argv[2]);
    opt.seed = strtoull(argv[3], NULL, 10);
    opt.dispersion_lo = 0.3;
    opt.dispersion_hi = 30;
    int s = glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "fit with r estimated: %d %s\n", s, err); return 1; }
    printf("r %.17g\n", result_scalar(fit, GLMMGO_MCLA_DISPERSION));
    print_result("loglik", fit, GLMMGO_MCLA_DISPERSION_LOGLIK);
    print_result("profile", fit, GLMMGO_MCLA_DISPERSION_PROFILE);
    double *beta = result_doubles(fit, GLMMGO_MCLA_BETA, NULL), *nu = result_doubles(fit, GLMMGO_MCLA_NU, NULL);
    printf("par");
    for (int64_t i = 0; i < c.p; i++) printf(" %.17g", beta[i]);
    for (int64_t i = 0; i < c.nvc; i++) printf(" %.17g", nu[i]);
    printf("\n");
    glmmgo_free(fit);
    opt.dispersion_lo = 3;
    opt.dispersion_hi = 1;
    printf("bad_range %d\n", glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err));
    /* At a known size. */
    opt.dispersion_lo = opt.dispersion_hi = 0;
    printf("no_size %d\n", glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err));
    if (glmmgo_mcla_set_dispersion(h, 2, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    s = glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "fit at r = 2: %d %s\n", s, err); return 1; }
    printf("r2_dispersion %.17g\n", result_scalar(fit, GLMMGO_MCLA_DISPERSION));
    printf("r2_loglik_len %lld\n", (long long)result_len(fit, GLMMGO_MCLA_DISPERSION_LOGLIK));
    print_result("r2_value", fit, GLMMGO_MCLA_VALUE);
    print_result("r2_beta", fit, GLMMGO_MCLA_BETA);
    print_result("r2_nu", fit, GLMMGO_MCLA_NU);
    glmmgo_free(fit);
    glmmgo_free(h);
    return 0;
}
