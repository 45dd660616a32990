/* Bad inputs to the fit API: each line prints a label, the status and the
   argument named at the start of the message, for the Go test to check. */
#include <string.h>
#include "mcla_case.h"

static char err[512];

static void show(const char *label, int s) {
    char arg[64] = "";
    const char *colon = strchr(err, ':');
    if (colon && colon - err < 63) {
        memcpy(arg, err, (size_t)(colon - err));
        arg[colon - err] = 0;
    }
    printf("%s %d %s\n", label, s, arg[0] ? arg : "-");
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    mcla_case c = read_case(argv[1]);
    (void)build_model; /* shared helper, unused here */
    glmmgo_handle h = 0, bad = 0;
    int s = glmmgo_mclafit_new(c.n, c.p, c.q, c.family, c.y, NULL, NULL, c.x, c.nnz, c.z_row, c.z_col, c.z_val, c.nvc,
                               c.vc_of_column, 0.0, &h, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    glmmgo_mclafit_options opt;

    /* Getters before a run. */
    show("estimates_before_run", glmmgo_mclafit_estimates(h, NULL, NULL, NULL, NULL, NULL, err, sizeof err));
    glmmgo_mclafit_options_default(&opt);
    opt.m = 0;
    show("m_zero", glmmgo_mclafit_run(h, &opt, NULL, NULL, err, sizeof err));
    glmmgo_mclafit_options_default(&opt);
    opt.m = 100;
    opt.p_mix[0] = 0; opt.p_mix[1] = 0.5; opt.p_mix[2] = 0.5;
    show("p1_zero", glmmgo_mclafit_run(h, &opt, NULL, NULL, err, sizeof err));
    glmmgo_mclafit_options_default(&opt);
    opt.p_mix[2] = 0.5;
    show("p_sum", glmmgo_mclafit_run(h, &opt, NULL, NULL, err, sizeof err));
    glmmgo_mclafit_options_default(&opt);
    opt.zeta = -2;
    show("zeta", glmmgo_mclafit_run(h, &opt, NULL, NULL, err, sizeof err));
    glmmgo_mclafit_options_default(&opt);
    opt.rmax = 1;
    show("rmax", glmmgo_mclafit_run(h, &opt, NULL, NULL, err, sizeof err));
    glmmgo_mclafit_options_default(&opt);
    opt.iterlim = 0;
    show("iterlim", glmmgo_mclafit_run(h, &opt, NULL, NULL, err, sizeof err));
    glmmgo_mclafit_options_default(&opt);
    double par_init[16] = {0};
    opt.par_init = par_init; /* variances 0 */
    show("par_init", glmmgo_mclafit_run(h, &opt, NULL, NULL, err, sizeof err));
    show("opt_null", glmmgo_mclafit_run(h, NULL, NULL, NULL, err, sizeof err));
    show("confint_before_run", glmmgo_mclafit_confint(h, 0.95, NULL, NULL, err, sizeof err));

    /* Data errors at creation. */
    double y0 = c.y[0];
    c.y[0] = 2;
    show("y_not_binary", glmmgo_mclafit_new(c.n, c.p, c.q, c.family, c.y, NULL, NULL, c.x, c.nnz, c.z_row, c.z_col,
                                            c.z_val, c.nvc, c.vc_of_column, 0.0, &bad, err, sizeof err));
    c.y[0] = y0;
    show("dispersion_bernoulli", glmmgo_mclafit_new(c.n, c.p, c.q, c.family, c.y, NULL, NULL, c.x, c.nnz, c.z_row, c.z_col,
                                                    c.z_val, c.nvc, c.vc_of_column, 1.5, &bad, err, sizeof err));
    show("negbin_no_dispersion", glmmgo_mclafit_new(c.n, c.p, c.q, GLMMGO_NEGBINOMIAL, c.y, NULL, NULL, c.x, c.nnz, c.z_row,
                                                    c.z_col, c.z_val, c.nvc, c.vc_of_column, 0.0, &bad, err, sizeof err));
    show("x_null", glmmgo_mclafit_new(c.n, c.p, c.q, c.family, c.y, NULL, NULL, NULL, c.nnz, c.z_row, c.z_col,
                                      c.z_val, c.nvc, c.vc_of_column, 0.0, &bad, err, sizeof err));
    show("out_null", glmmgo_mclafit_new(c.n, c.p, c.q, c.family, c.y, NULL, NULL, c.x, c.nnz, c.z_row, c.z_col,
                                        c.z_val, c.nvc, c.vc_of_column, 0.0, NULL, err, sizeof err));
    /* All-zero responses: created fine, the run reports y. */
    double *zeros = calloc((size_t)c.n, sizeof(double));
    glmmgo_handle hz = 0;
    glmmgo_mclafit_new(c.n, c.p, c.q, c.family, zeros, NULL, NULL, c.x, c.nnz, c.z_row, c.z_col, c.z_val, c.nvc,
                       c.vc_of_column, 0.0, &hz, err, sizeof err);
    glmmgo_mclafit_options_default(&opt);
    opt.m = 100;
    show("all_zero", glmmgo_mclafit_run(hz, &opt, NULL, NULL, err, sizeof err));
    glmmgo_free(hz);

    /* Handles of the wrong kind, or freed. */
    glmmgo_handle hm = 0;
    if (glmmgo_mcla_new(c.n, c.p, c.q, c.family, c.y, NULL, NULL, c.x, c.nnz, c.z_row, c.z_col, c.z_val, c.nvc,
                        c.vc_of_column, &hm, err, sizeof err) != GLMMGO_OK) return 1;
    show("wrong_kind", glmmgo_mclafit_run(hm, &opt, NULL, NULL, err, sizeof err));
    show("mcla_on_fit", glmmgo_mcla_objective(h, c.par, 1, &y0, NULL, NULL, err, sizeof err));
    glmmgo_free(hm);
    glmmgo_free(h);
    show("freed", glmmgo_mclafit_run(h, &opt, NULL, NULL, err, sizeof err));
    return 0;
}
