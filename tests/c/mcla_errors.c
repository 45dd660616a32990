/* Bad calls to the MCLA functions. Each line printed is
     <case> <status> <message>
   and the Go test checks status and that the message names the argument.
   Nothing here may crash. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "glmmgo.h"

/* A valid tiny model: n = 4, p = 1, q = 2, one variance component. */
static double y[4] = {0, 1, 1, 0}, x[4] = {1, 1, 1, 1};
static int64_t zr[4] = {0, 1, 2, 3}, zc[4] = {0, 1, 0, 1}, vc[2] = {0, 0};
static double zv[4] = {1, 1, 1, 1};
static double pmix[3] = {1.0 / 3, 1.0 / 3, 1.0 / 3}, ustar[2] = {0, 0}, dstar[2] = {1, 1};
static double sinv[4] = {2, 0.5, 0.5, 2};
static double umat[6] = {0.1, -0.2, 0.3, 0.4, -0.5, 0.6};
static char err[256];

static void show(const char *name, int status) {
    printf("%s %d %s\n", name, status, err);
}

#define NEW(name, n, p, q, fam, Y, NT, W, X, NNZ, ZR, ZC, ZV, NVC, VC)                                       \
    do {                                                                                                   \
        glmmgo_handle h_ = 0;                                                                              \
        int s_ = glmmgo_mcla_new(n, p, q, fam, Y, NT, W, X, NNZ, ZR, ZC, ZV, NVC, VC, &h_, err, sizeof err); \
        show(name, s_);                                                                                    \
        if (s_ == GLMMGO_OK) glmmgo_free(h_);                                                              \
    } while (0)

static glmmgo_handle good(void) {
    glmmgo_handle h = 0;
    glmmgo_mcla_new(4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, vc, &h, err, sizeof err);
    return h;
}

int main(void) {
    double nan = NAN, bad4[4];
    int64_t badi[4];

    NEW("new_ok", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    NEW("new_n_zero", 0, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    NEW("new_n_negative", -5, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    NEW("new_n_huge", (int64_t)1 << 62, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    NEW("new_p_negative", 4, -1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    NEW("new_np_overflow", (int64_t)1 << 39, (int64_t)1 << 39, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    NEW("new_q_zero", 4, 1, 0, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    NEW("new_family", 4, 1, 2, 7, y, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    NEW("new_y_null", 4, 1, 2, GLMMGO_BERNOULLI, NULL, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    NEW("new_x_null", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, NULL, 4, zr, zc, zv, 1, vc);
    NEW("new_zrow_null", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, NULL, zc, zv, 1, vc);
    NEW("new_zval_null", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, NULL, 1, vc);
    NEW("new_vc_null", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, NULL);
    NEW("new_nnz_zero", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 0, zr, zc, zv, 1, vc);
    memcpy(bad4, y, sizeof bad4); bad4[2] = 2;
    NEW("new_y_not_binary", 4, 1, 2, GLMMGO_BERNOULLI, bad4, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    bad4[2] = nan;
    NEW("new_y_nan", 4, 1, 2, GLMMGO_BERNOULLI, bad4, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    bad4[2] = -1;
    NEW("new_y_poisson_negative", 4, 1, 2, GLMMGO_POISSON, bad4, NULL, NULL, x, 4, zr, zc, zv, 1, vc);
    memcpy(bad4, x, sizeof bad4); bad4[0] = INFINITY;
    NEW("new_x_inf", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, bad4, 4, zr, zc, zv, 1, vc);
    double w[4] = {1, -1, 1, 1};
    NEW("new_weights_negative", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, w, x, 4, zr, zc, zv, 1, vc);
    double w0[4] = {0, 0, 0, 0};
    NEW("new_weights_zero", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, w0, x, 4, zr, zc, zv, 1, vc);
    double nt[4] = {1, 2, 1, 1};
    NEW("new_ntrials_bernoulli", 4, 1, 2, GLMMGO_BERNOULLI, y, nt, NULL, x, 4, zr, zc, zv, 1, vc);
    double nt0[4] = {1, 0, 1, 1};
    NEW("new_binomial_y_gt_n", 4, 1, 2, GLMMGO_BINOMIAL, y, nt0, NULL, x, 4, zr, zc, zv, 1, vc);
    memcpy(badi, zr, sizeof badi); badi[1] = 4;
    NEW("new_zrow_range", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, badi, zc, zv, 1, vc);
    memcpy(badi, zc, sizeof badi); badi[1] = -1;
    NEW("new_zcol_range", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, badi, zv, 1, vc);
    int64_t zc0[4] = {0, 0, 0, 0};
    NEW("new_z_empty_column", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc0, zv, 1, vc);
    double zvn[4] = {1, nan, 1, 1};
    NEW("new_zval_nan", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zvn, 1, vc);
    int64_t vcb[2] = {0, 3};
    NEW("new_vc_range", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, vcb);
    NEW("new_nvc_unused", 4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 2, vc);
    {
        int s = glmmgo_mcla_new(4, 1, 2, GLMMGO_BERNOULLI, y, NULL, NULL, x, 4, zr, zc, zv, 1, vc, NULL, err, sizeof err);
        show("new_out_null", s);
    }

    glmmgo_handle h = good();
    int s = glmmgo_mcla_set_samples(h, 3, umat, err, sizeof err);
    show("samples_before_importance", s);
    double val;
    double par[2] = {0.1, 1.0};
    s = glmmgo_mcla_objective(h, par, 1, &val, NULL, NULL, err, sizeof err);
    show("objective_before_samples", s);
    s = glmmgo_mcla_set_importance(h, 0, pmix, ustar, dstar, sinv, err, sizeof err);
    show("importance_zeta_zero", s);
    s = glmmgo_mcla_set_importance(h, nan, pmix, ustar, dstar, sinv, err, sizeof err);
    show("importance_zeta_nan", s);
    double pbad[3] = {0.5, 0.5, 0.5};
    s = glmmgo_mcla_set_importance(h, 5, pbad, ustar, dstar, sinv, err, sizeof err);
    show("importance_p_sum", s);
    s = glmmgo_mcla_set_importance(h, 5, NULL, ustar, dstar, sinv, err, sizeof err);
    show("importance_p_null", s);
    double dbad[2] = {1, 0};
    s = glmmgo_mcla_set_importance(h, 5, pmix, ustar, dbad, sinv, err, sizeof err);
    show("importance_dstar_zero", s);
    double snpd[4] = {1, 2, 2, 1};
    s = glmmgo_mcla_set_importance(h, 5, pmix, ustar, dstar, snpd, err, sizeof err);
    show("importance_sigma_not_pd", s);
    s = glmmgo_mcla_set_importance(h, 5, pmix, ustar, dstar, NULL, err, sizeof err);
    show("importance_sigma_null", s);
    s = glmmgo_mcla_set_importance(h, 5, pmix, ustar, dstar, sinv, err, sizeof err);
    show("importance_ok", s);
    s = glmmgo_mcla_set_samples(h, 0, umat, err, sizeof err);
    show("samples_m_zero", s);
    s = glmmgo_mcla_set_samples(h, 3, NULL, err, sizeof err);
    show("samples_null", s);
    double un[6] = {0, 0, nan, 0, 0, 0};
    s = glmmgo_mcla_set_samples(h, 3, un, err, sizeof err);
    show("samples_nan", s);
    s = glmmgo_mcla_set_samples(h, 3, umat, err, sizeof err);
    show("samples_ok", s);
    s = glmmgo_mcla_objective(h, NULL, 1, &val, NULL, NULL, err, sizeof err);
    show("objective_par_null", s);
    s = glmmgo_mcla_objective(h, par, 1, NULL, NULL, NULL, err, sizeof err);
    show("objective_value_null", s);
    double pz[2] = {0.1, 0.0};
    val = 0;
    s = glmmgo_mcla_objective(h, pz, 1, &val, NULL, NULL, err, sizeof err);
    show(isinf(val) && val < 0 ? "objective_nu_zero_minus_inf" : "objective_nu_zero_value_not_minus_inf", s);
    double pn[2] = {nan, 1.0};
    s = glmmgo_mcla_objective(h, pn, 1, &val, NULL, NULL, err, sizeof err);
    show("objective_par_nan", s);
    s = glmmgo_mcla_objective(h, par, -3, &val, NULL, NULL, err, sizeof err);
    show("objective_workers_negative_means_all", s);
    int64_t len = 0;
    s = glmmgo_mcla_partial_length(h, NULL, err, sizeof err);
    show("partial_length_null", s);
    glmmgo_mcla_partial_length(h, &len, err, sizeof err);
    double part[64];
    s = glmmgo_mcla_partial(h, par, 2, 0, 4, 1, part, len, err, sizeof err);
    show("partial_rows_range", s);
    s = glmmgo_mcla_partial(h, par, 2, 0, 3, 1, part, len + 1, err, sizeof err);
    show("partial_len", s);
    s = glmmgo_mcla_partial(h, par, 2, 0, 3, 1, part, len, err, sizeof err);
    show("partial_ok", s);
    part[0] = -1;
    s = glmmgo_mcla_merge(h, par, 2, 1, part, len, &val, NULL, NULL, err, sizeof err);
    show("merge_bad_count", s);
    s = glmmgo_mcla_merge(h, par, 2, 0, part, len, &val, NULL, NULL, err, sizeof err);
    show("merge_none", s);

    /* Error buffers of length 0 and 1, and NULL. */
    s = glmmgo_mcla_objective(h, NULL, 1, &val, NULL, NULL, err, 0);
    printf("errlen_zero %d\n", s);
    err[0] = 'x'; err[1] = 'y';
    s = glmmgo_mcla_objective(h, NULL, 1, &val, NULL, NULL, err, 1);
    printf("errlen_one %d %d\n", s, err[0] == 0);
    s = glmmgo_mcla_objective(h, NULL, 1, &val, NULL, NULL, NULL, 100);
    printf("err_null %d\n", s);

    /* Handles. */
    glmmgo_free(h);
    s = glmmgo_mcla_objective(h, par, 1, &val, NULL, NULL, err, sizeof err);
    show("handle_freed", s);
    printf("free_twice %d\n", glmmgo_free(h));
    printf("free_zero %d\n", glmmgo_free(0));
    s = glmmgo_mcla_objective(0, par, 1, &val, NULL, NULL, err, sizeof err);
    show("handle_zero", s);
    s = glmmgo_mcla_objective(987654321, par, 1, &val, NULL, NULL, err, sizeof err);
    show("handle_never_created", s);
    struct glmmgo_dims d = {.size = sizeof d};
    s = glmmgo_dims(-4, &d, err, sizeof err);
    show("dims_negative_handle", s);
    printf("status_string %s\n", glmmgo_status_string(GLMMGO_ERR_DOMAIN));
    printf("version %s\n", glmmgo_version());
    printf("version_number %d\n", (int)glmmgo_version_number());
    return 0;
}
