/* Estimates a negative binomial dispersion through the C ABI and prints
   r_hat, the log-likelihood and the estimate. */
#include "mcla_case.h"

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: mclafit_nb CASEFILE M SEED\n"); return 2; }
    mcla_case c = read_case(argv[1]);
    (void)build_model; /* shared helper, unused here */
    char err[512];
    glmmgo_handle h = 0;
    int s = glmmgo_mclafit_new(c.n, c.p, c.q, GLMMGO_NEGBINOMIAL, c.y, NULL, NULL, c.x, c.nnz, c.z_row, c.z_col, c.z_val,
                               c.nvc, c.vc_of_column, 1.0, &h, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "new: %d %s\n", s, err); return 1; }
    glmmgo_mclafit_options opt;
    glmmgo_mclafit_options_default(&opt);
    opt.m = atoll(argv[2]);
    opt.seed = strtoull(argv[3], NULL, 10);
    double r, ll;
    s = glmmgo_mclafit_run_dispersion(h, &opt, 0.3, 30, NULL, NULL, &r, &ll, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "run_dispersion: %d %s\n", s, err); return 1; }
    double par[16];
    if (glmmgo_mclafit_estimates(h, par, par + c.p, NULL, NULL, NULL, err, sizeof err) != GLMMGO_OK) return 1;
    printf("r %.17g\nloglik %.17g\npar", r, ll);
    for (int64_t i = 0; i < c.p + c.nvc; i++) printf(" %.17g", par[i]);
    printf("\n");
    s = glmmgo_mclafit_run_dispersion(h, &opt, 3, 1, NULL, NULL, NULL, NULL, err, sizeof err);
    printf("bad_range %d\n", s);
    glmmgo_free(h);
    return 0;
}
