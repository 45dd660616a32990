/* Bad inputs to the MCLA fit: each line prints a label, the status and the
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

static int new_of(const mcla_case *c, int32_t family, const double *y, const double *x, glmmgo_handle *out) {
    return glmmgo_mcla_new(c->n, c->p, c->q, family, y, NULL, NULL, x, c->nnz, c->z_row, c->z_col, c->z_val, c->nvc,
                           c->vc_of_column, out, err, sizeof err);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    mcla_case c = read_case(argv[1]);
    glmmgo_handle h = 0, bad = 0, fit = 0;
    if (new_of(&c, c.family, c.y, c.x, &h) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    glmmgo_mcla_options opt;

    /* Results asked of the model rather than a fit. */
    double b[16];
    show("estimates_before_run", glmmgo_result(h, GLMMGO_MCLA_BETA, b, c.p, err, sizeof err));
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    opt.m = -1;
    show("m_negative", glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err));
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    opt.m = 100;
    opt.p_mix[0] = 0; opt.p_mix[1] = 0.5; opt.p_mix[2] = 0.5;
    show("p1_zero", glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err));
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    opt.p_mix[2] = 0.5;
    show("p_sum", glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err));
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    opt.zeta = -2;
    show("zeta", glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err));
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    opt.rmax = 1;
    show("rmax", glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err));
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    opt.iterlim = 0;
    show("iterlim", glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err));
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    double par_init[16] = {0};
    opt.start = par_init; /* variances 0 */
    opt.start_len = c.p + c.nvc;
    show("par_init", glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err));
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    opt.estimator = 3;
    show("estimator", glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err));
    /* The blockwise estimator on request: BoothHobert's random intercepts
       are 10 blocks; the fit says which estimator it used. */
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    opt.m = 512; opt.stages = 1; opt.estimator = GLMMGO_MCLA_ESTIMATOR_BLOCKWISE;
    if (glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err) == GLMMGO_OK) {
        int64_t bw = -1, nb = -1;
        double ess = 0, joint = 0;
        glmmgo_result_int64(fit, GLMMGO_MCLA_BLOCKWISE, &bw, 1, err, sizeof err);
        glmmgo_result_int64(fit, GLMMGO_MCLA_BLOCKS, &nb, 1, err, sizeof err);
        glmmgo_result(fit, GLMMGO_MCLA_ESS, &ess, 1, err, sizeof err);
        glmmgo_result(fit, GLMMGO_MCLA_JOINT_ESS, &joint, 1, err, sizeof err);
        printf("blockwise %d %d%s\n", (int)bw, (int)nb, ess > joint ? " ess_above_joint" : "");
        glmmgo_free(fit);
        fit = 0;
    } else {
        printf("blockwise_failed %s\n", err);
    }
    show("opt_null", glmmgo_mcla_fit(h, NULL, NULL, NULL, &fit, err, sizeof err));
    show("confint_before_run", glmmgo_confint(h, 0.95, b, b, c.p + c.nvc, err, sizeof err));

    /* Data errors at creation. */
    double y0 = c.y[0];
    c.y[0] = 2;
    show("y_not_binary", new_of(&c, c.family, c.y, c.x, &bad));
    c.y[0] = y0;
    glmmgo_handle hb = 0;
    new_of(&c, c.family, c.y, c.x, &hb);
    show("dispersion_bernoulli", glmmgo_mcla_set_dispersion(hb, 1.5, err, sizeof err));
    glmmgo_free(hb);
    glmmgo_handle hn = 0;
    new_of(&c, GLMMGO_NEGBINOMIAL, c.y, c.x, &hn);
    glmmgo_mcla_options_default(&opt, sizeof opt, NULL, 0);
    opt.m = 100;
    show("negbin_no_dispersion", glmmgo_mcla_fit(hn, &opt, NULL, NULL, &fit, err, sizeof err));
    glmmgo_free(hn);
    show("x_null", new_of(&c, c.family, c.y, NULL, &bad));
    show("out_null", new_of(&c, c.family, c.y, c.x, NULL));
    /* All-zero responses: created fine, the fit reports y. */
    double *zeros = calloc((size_t)c.n, sizeof(double));
    glmmgo_handle hz = 0;
    new_of(&c, c.family, zeros, c.x, &hz);
    show("all_zero", glmmgo_mcla_fit(hz, &opt, NULL, NULL, &fit, err, sizeof err));
    glmmgo_free(hz);

    /* Handles of the wrong kind, or freed. */
    if (glmmgo_mcla_fit(h, &opt, NULL, NULL, &fit, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    glmmgo_handle f2;
    show("wrong_kind", glmmgo_mcla_fit(fit, &opt, NULL, NULL, &f2, err, sizeof err));
    show("mcla_on_fit", glmmgo_mcla_objective(fit, c.par, 1, &y0, NULL, NULL, err, sizeof err));
    glmmgo_free(fit);
    glmmgo_free(h);
    show("freed", glmmgo_mcla_fit(h, &opt, NULL, NULL, &f2, err, sizeof err));
    return 0;
}
