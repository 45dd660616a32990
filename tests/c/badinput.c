/* A table of bad calls to every function of glmmgo.h (this file: the MCLA
   model and the library; badinput_lmm.c, badinput_mcla_fit.c,
   badinput_results.c, badinput_mixlogit.c and badinput_laplace.c, included at the end: the
   others). Each case starts
   from a valid call, changes one thing, and states the status it must get
   and a piece of the message that names the argument at fault. Every call
   writes into an error buffer guarded by canary bytes: a write past errlen
   or a missing NUL turns the status into 100 + status (and the Go test
   fails). Output, one line per case, tab-separated:

     <case> <status> <want status> <want message part> <message>

   A want message part of "" means the message must be empty (success);
   "*" means the message is not checked (buffer-length cases).
   tests/badinput_test.go runs this and checks every line. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "glmmgo.h"

enum { OK = GLMMGO_OK, INV = GLMMGO_ERR_INVALID, DOM = GLMMGO_ERR_DOMAIN, NUM = GLMMGO_ERR_NUMERIC,
       HND = GLMMGO_ERR_HANDLE, STA = GLMMGO_ERR_STATE };

static int ncases;

/* ---- The error buffer and its canary ---- */
#define BUFSZ 600
#define ERRLEN 400
static char ebuf[BUFSZ];

static void arm(void) { memset(ebuf, 0xA5, sizeof ebuf); }

/* Checks the buffer after a call with errlen bytes: nothing written at or
   past errlen, and a NUL inside when errlen > 0. */
static int buffer_ok(size_t errlen) {
    size_t lim = errlen < BUFSZ ? errlen : BUFSZ;
    for (size_t i = lim; i < BUFSZ; i++)
        if ((unsigned char)ebuf[i] != 0xA5) return 0;
    if (errlen == 0) return 1;
    return memchr(ebuf, 0, lim) != NULL;
}

static size_t effective_errlen(size_t errlen);

static void emit(const char *name, int status, size_t errlen, int want, const char *arg) {
    errlen = effective_errlen(errlen);
    if (!buffer_ok(errlen)) status += 100;
    const char *msg = errlen > 0 && memchr(ebuf, 0, errlen < BUFSZ ? errlen : BUFSZ) ? ebuf : "";
    printf("%s\t%d\t%d\t%s\t%s\n", name, status, want, arg, msg);
    ncases++;
}

/* ---- A valid base model: n = 6, p = 2, q = 3, nvc = 2 ----
   Columns 0 and 1 of Z are a two-level factor (component 0), column 2 a
   covariate (component 1). */
#define N 6
#define P 2
#define Q 3
#define T 2
#define NNZ 12
#define M 5
#define D (P + T)

static const double base_y[N] = {0, 1, 1, 0, 1, 0};
static const double base_x[N * P] = {1, 1, 1, 1, 1, 1, -1, -0.5, 0, 0.5, 1, 1.5};
static const int64_t base_zr[NNZ] = {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5};
static const int64_t base_zc[NNZ] = {0, 1, 0, 1, 0, 1, 2, 2, 2, 2, 2, 2};
static const double base_zv[NNZ] = {1, 1, 1, 1, 1, 1, 0.5, -0.3, 0.8, 1.2, -0.7, 0.4};
static const int64_t base_vc[Q] = {0, 0, 1};
static const double base_pmix[3] = {0.2, 0.4, 0.4};
static const double base_ustar[Q] = {0.1, -0.1, 0};
static const double base_dstar[Q] = {1, 1, 0.5};
static const double base_sinv[Q * Q] = {2, 0.3, 0.1, 0.3, 2, 0.2, 0.1, 0.2, 3};
static const double base_umat[M * Q] = {0.3, -0.2, 0.5, 1.1, -0.8, /* column 0 */
                                        -0.4, 0.6, 0.1, -1.0, 0.7,  /* column 1 */
                                        0.2, 0.9, -0.6, 0.05, -0.3}; /* column 2 */
static const double base_par[D] = {0.1, -0.2, 1.0, 0.5};

/* The arguments of one call of each function, reset before every case. */
static struct {
    int64_t n, p, q, nnz, nvc;
    int32_t fam;
    double y[N], nt[N], w[N], x[N * P], zv[NNZ];
    int64_t zr[NNZ], zc[NNZ], vc[Q];
    const double *py, *pnt, *pw, *px, *pzv;
    const int64_t *pzr, *pzc, *pvc;
    glmmgo_handle *out;
    glmmgo_handle h;
    size_t errlen;
    char *err;
} A;

/* A NULL err means no buffer: nothing may be written. */
static size_t effective_errlen(size_t errlen) { return A.err == NULL ? 0 : errlen; }

static struct {
    double zeta, pmix[3], ustar[Q], dstar[Q], sinv[Q * Q];
    const double *ppmix, *pustar, *pdstar, *psinv;
} I;

static struct {
    int64_t m;
    double u[M * Q];
    const double *pu;
} S;

static struct {
    double par[D], value, grad[D], hess[D * D];
    const double *ppar;
    double *pvalue, *pgrad, *phess;
    int32_t workers;
} O;

static void reset(void) {
    A.n = N; A.p = P; A.q = Q; A.nnz = NNZ; A.nvc = T; A.fam = GLMMGO_BERNOULLI;
    memcpy(A.y, base_y, sizeof A.y);
    for (int i = 0; i < N; i++) A.nt[i] = A.w[i] = 1;
    memcpy(A.x, base_x, sizeof A.x);
    memcpy(A.zr, base_zr, sizeof A.zr);
    memcpy(A.zc, base_zc, sizeof A.zc);
    memcpy(A.zv, base_zv, sizeof A.zv);
    memcpy(A.vc, base_vc, sizeof A.vc);
    A.py = A.y; A.pnt = NULL; A.pw = NULL; A.px = A.x; A.pzv = A.zv;
    A.pzr = A.zr; A.pzc = A.zc; A.pvc = A.vc;
    A.out = &A.h;
    A.errlen = ERRLEN; A.err = ebuf;

    I.zeta = 5;
    memcpy(I.pmix, base_pmix, sizeof I.pmix);
    memcpy(I.ustar, base_ustar, sizeof I.ustar);
    memcpy(I.dstar, base_dstar, sizeof I.dstar);
    memcpy(I.sinv, base_sinv, sizeof I.sinv);
    I.ppmix = I.pmix; I.pustar = I.ustar; I.pdstar = I.dstar; I.psinv = I.sinv;

    S.m = M;
    memcpy(S.u, base_umat, sizeof S.u);
    S.pu = S.u;

    memcpy(O.par, base_par, sizeof O.par);
    O.ppar = O.par; O.pvalue = &O.value; O.pgrad = O.grad; O.phess = O.hess; O.workers = 1;
}

/* ---- Runners: call with the current arguments, check, print ---- */

static void run_new(const char *name, int want, const char *arg) {
    arm();
    A.h = 12345;
    int s = glmmgo_mcla_new(A.n, A.p, A.q, A.fam, A.py, A.pnt, A.pw, A.px, A.nnz, A.pzr, A.pzc, A.pzv, A.nvc, A.pvc,
                            A.out, A.err, A.errlen);
    if (s != OK && A.out == &A.h && A.h != 0) s += 200; /* *out must be 0 after a failure */
    emit(name, s, A.errlen, want, arg);
    if (s == OK) glmmgo_free(A.h);
}

static glmmgo_handle new_model(void) {
    glmmgo_handle h = 0;
    char e[256];
    if (glmmgo_mcla_new(A.n, A.p, A.q, A.fam, A.py, A.pnt, A.pw, A.px, A.nnz, A.pzr, A.pzc, A.pzv, A.nvc, A.pvc, &h, e,
                        sizeof e) != OK) {
        fprintf(stderr, "base model: %s\n", e);
        exit(1);
    }
    return h;
}

static int set_imp(glmmgo_handle h) {
    return glmmgo_mcla_set_importance(h, I.zeta, I.ppmix, I.pustar, I.pdstar, I.psinv, A.err, A.errlen);
}
static int set_samp(glmmgo_handle h) { return glmmgo_mcla_set_samples(h, S.m, S.pu, A.err, A.errlen); }
static int objective(glmmgo_handle h) {
    return glmmgo_mcla_objective(h, O.ppar, O.workers, O.pvalue, O.pgrad, O.phess, A.err, A.errlen);
}

/* A complete model: importance and samples set. */
static glmmgo_handle full_model(void) {
    glmmgo_handle h = new_model();
    char e[256];
    if (glmmgo_mcla_set_importance(h, I.zeta, I.ppmix, I.pustar, I.pdstar, I.psinv, e, sizeof e) != OK ||
        glmmgo_mcla_set_samples(h, S.m, S.pu, e, sizeof e) != OK) {
        fprintf(stderr, "full model: %s\n", e);
        exit(1);
    }
    return h;
}

#define CASE(run, name, want, arg, ...) \
    do {                                \
        reset();                        \
        __VA_ARGS__;                    \
        run(name, want, arg);           \
    } while (0)

static glmmgo_handle HI; /* a model without importance or samples, for set_importance */
static glmmgo_handle HS; /* a model with importance, for set_samples */
static glmmgo_handle HF; /* a complete model */

static void run_imp(const char *name, int want, const char *arg) {
    arm();
    emit(name, set_imp(HI), A.errlen, want, arg);
}
static void run_samp(const char *name, int want, const char *arg) {
    arm();
    emit(name, set_samp(HS), A.errlen, want, arg);
}
static void run_obj(const char *name, int want, const char *arg) {
    arm();
    emit(name, objective(HF), A.errlen, want, arg);
}

/* ---- glmmgo_mcla_new ---- */
static void cases_new(void) {
    CASE(run_new, "new_ok", OK, "");
    CASE(run_new, "new_ok_p0_x_null", OK, "", A.p = 0; A.px = NULL);
    CASE(run_new, "new_ok_weights_given", OK, "", A.pw = A.w);
    CASE(run_new, "new_ok_one_weight_zero", OK, "", A.w[3] = 0; A.pw = A.w);
    CASE(run_new, "new_ok_ntrials_ones_bernoulli", OK, "", A.pnt = A.nt);
    CASE(run_new, "new_ok_poisson", OK, "", A.fam = GLMMGO_POISSON; A.y[0] = 7);
    CASE(run_new, "new_ok_binomial", OK, "", A.fam = GLMMGO_BINOMIAL; A.nt[0] = 5; A.y[0] = 4; A.pnt = A.nt);
    CASE(run_new, "new_ok_binomial_zero_trials", OK, "", A.fam = GLMMGO_BINOMIAL; A.nt[0] = 0; A.y[0] = 0; A.pnt = A.nt);
    CASE(run_new, "new_ok_err_null", OK, "*", A.err = NULL);
    CASE(run_new, "new_ok_nnz_duplicates", OK, "", A.zc[6] = 2; A.zr[7] = 0; A.zc[7] = 2);

    /* Sizes: zero, negative, absurd, and products that overflow. */
    CASE(run_new, "new_n_zero", INV, "n:", A.n = 0);
    CASE(run_new, "new_n_negative", INV, "n:", A.n = -1);
    CASE(run_new, "new_n_min", INV, "n:", A.n = INT64_MIN);
    CASE(run_new, "new_n_max", INV, "n:", A.n = INT64_MAX);
    CASE(run_new, "new_n_over_limit", INV, "n:", A.n = ((int64_t)1 << 40) + 1);
    CASE(run_new, "new_p_negative", INV, "p:", A.p = -1);
    CASE(run_new, "new_p_min", INV, "p:", A.p = INT64_MIN);
    CASE(run_new, "new_p_max", INV, "p:", A.p = INT64_MAX);
    CASE(run_new, "new_q_zero", INV, "q:", A.q = 0);
    CASE(run_new, "new_q_negative", INV, "q:", A.q = -3);
    CASE(run_new, "new_q_max", INV, "q:", A.q = INT64_MAX);
    /* Every column of Z needs a nonzero, so q <= nnz: checked before
       anything is sized by q (a q of 2^39 would ask for terabytes). */
    CASE(run_new, "new_q_gt_nnz", INV, "q: is 13 but Z has nnz = 12 entries", A.q = NNZ + 1);
    CASE(run_new, "new_q_2^39_nnz_12", INV, "q:", A.q = (int64_t)1 << 39);
    CASE(run_new, "new_nnz_zero", INV, "nnz:", A.nnz = 0);
    CASE(run_new, "new_nnz_negative", INV, "nnz:", A.nnz = -12);
    CASE(run_new, "new_nnz_max", INV, "nnz:", A.nnz = INT64_MAX);
    CASE(run_new, "new_nvc_zero", INV, "nvc:", A.nvc = 0);
    CASE(run_new, "new_nvc_negative", INV, "nvc:", A.nvc = -1);
    CASE(run_new, "new_nvc_max", INV, "nvc:", A.nvc = INT64_MAX);
    CASE(run_new, "new_nvc_gt_q", INV, "nvc:", A.nvc = Q + 1);
    CASE(run_new, "new_np_overflow_2^39", INV, "x:", A.n = (int64_t)1 << 39; A.p = (int64_t)1 << 39);
    CASE(run_new, "new_np_overflow_2^40x2", INV, "x:", A.n = (int64_t)1 << 40; A.p = 2);
    CASE(run_new, "new_np_overflow_2x2^40", INV, "x:", A.n = 2; A.p = (int64_t)1 << 40);
    CASE(run_new, "new_np_overflow_int64", INV, "x:", A.n = (int64_t)1 << 32; A.p = (int64_t)1 << 32);

    /* NULL where data is required. */
    CASE(run_new, "new_y_null", INV, "y:", A.py = NULL);
    CASE(run_new, "new_x_null", INV, "x:", A.px = NULL);
    CASE(run_new, "new_zrow_null", INV, "z_row:", A.pzr = NULL);
    CASE(run_new, "new_zcol_null", INV, "z_col:", A.pzc = NULL);
    CASE(run_new, "new_zval_null", INV, "z_val:", A.pzv = NULL);
    CASE(run_new, "new_vc_null", INV, "vc_of_column:", A.pvc = NULL);
    CASE(run_new, "new_out_null", INV, "out:", A.out = NULL);

    /* Family codes. */
    CASE(run_new, "new_family_zero", INV, "family:", A.fam = 0);
    CASE(run_new, "new_family_negative", INV, "family:", A.fam = -1);
    CASE(run_new, "new_family_five", INV, "family:", A.fam = 5);
    /* Negative binomial: created without its size, which
       glmmgo_mcla_set_dispersion gives (cases_dispersion). */
    CASE(run_new, "new_ok_negbin_without_dispersion", OK, "", A.fam = GLMMGO_NEGBINOMIAL);
    CASE(run_new, "new_family_max", INV, "family:", A.fam = INT32_MAX);
    CASE(run_new, "new_family_min", INV, "family:", A.fam = INT32_MIN);

    /* NaN and infinities in every numeric array, at the first, a middle and
       the last position. */
    static const struct { const char *tag; double v; } bad[] = {{"nan", NAN}, {"inf", INFINITY}, {"ninf", -INFINITY}};
    static const int pos[] = {0, 3, N - 1};
    char name[96], arg[64];
    for (int b = 0; b < 3; b++) {
        for (int k = 0; k < 3; k++) {
            int i = pos[k];
            snprintf(name, sizeof name, "new_y_%s_%d", bad[b].tag, i);
            snprintf(arg, sizeof arg, "y: element %d", i);
            CASE(run_new, name, INV, arg, A.y[i] = bad[b].v);
            snprintf(name, sizeof name, "new_weights_%s_%d", bad[b].tag, i);
            snprintf(arg, sizeof arg, "weights: element %d", i);
            CASE(run_new, name, INV, arg, A.w[i] = bad[b].v; A.pw = A.w);
            snprintf(name, sizeof name, "new_ntrials_%s_%d", bad[b].tag, i);
            snprintf(arg, sizeof arg, "ntrials: element %d", i);
            CASE(run_new, name, INV, arg, A.fam = GLMMGO_BINOMIAL; A.nt[i] = bad[b].v; A.pnt = A.nt);
            snprintf(name, sizeof name, "new_x_%s_%d", bad[b].tag, N + i);
            snprintf(arg, sizeof arg, "x: element %d", N + i);
            CASE(run_new, name, INV, arg, A.x[N + i] = bad[b].v);
            snprintf(name, sizeof name, "new_zval_%s_%d", bad[b].tag, 2 * i);
            snprintf(arg, sizeof arg, "z_val: entry %d", 2 * i);
            CASE(run_new, name, INV, arg, A.zv[2 * i] = bad[b].v);
        }
    }

    /* Triplet and level indices out of range. */
    static const int64_t badrow[] = {-1, N, INT64_MIN, INT64_MAX};
    static const int64_t badcol[] = {-1, Q, INT64_MIN, INT64_MAX};
    static const int64_t badvc[] = {-1, T, INT64_MIN, INT64_MAX};
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "new_zrow_range_%d", k);
        CASE(run_new, name, INV, "z_row: entry 5", A.zr[5] = badrow[k]);
        snprintf(name, sizeof name, "new_zcol_range_%d", k);
        CASE(run_new, name, INV, "z_col: entry 11", A.zc[11] = badcol[k]);
        snprintf(name, sizeof name, "new_vc_range_%d", k);
        CASE(run_new, name, INV, "vc_of_column: element 2", A.vc[2] = badvc[k]);
    }

    /* The structure of Z and of the components. */
    CASE(run_new, "new_z_column_all_zero_values", INV, "z_col: column 2", for (int k = 6; k < 12; k++) A.zv[k] = 0);
    CASE(run_new, "new_z_column_absent", INV, "z_col: column 1", for (int k = 0; k < 6; k++) A.zc[k] = 0);
    CASE(run_new, "new_z_duplicates_cancel", INV, "z_col: column 2",
         A.nnz = 8; A.zr[6] = 0; A.zc[6] = 2; A.zv[6] = 1; A.zr[7] = 0; A.zc[7] = 2; A.zv[7] = -1);
    CASE(run_new, "new_z_negative_zero_column", INV, "z_col: column 2", for (int k = 6; k < 12; k++) A.zv[k] = -0.0);
    CASE(run_new, "new_vc_component_unused", INV, "vc_of_column: variance component 1", A.vc[2] = 0);
    CASE(run_new, "new_vc_component_unused_last", INV, "vc_of_column: variance component 2", A.nvc = 3);

    /* Weights. */
    CASE(run_new, "new_weights_negative", INV, "weights: element 2", A.w[2] = -1; A.pw = A.w);
    CASE(run_new, "new_weights_tiny_negative", INV, "weights: element 5", A.w[5] = -DBL_MIN; A.pw = A.w);
    CASE(run_new, "new_weights_all_zero", INV, "weights: are all zero", for (int i = 0; i < N; i++) A.w[i] = 0; A.pw = A.w);
    CASE(run_new, "new_weights_all_negative_zero", INV, "weights: are all zero",
         for (int i = 0; i < N; i++) A.w[i] = -0.0; A.pw = A.w);

    /* Responses outside the family's support. */
    CASE(run_new, "new_bernoulli_y_2", INV, "y: element 1", A.y[1] = 2);
    CASE(run_new, "new_bernoulli_y_negative", INV, "y: element 1", A.y[1] = -1);
    CASE(run_new, "new_bernoulli_y_half", INV, "y: element 1", A.y[1] = 0.5);
    CASE(run_new, "new_bernoulli_ntrials_2", INV, "ntrials: element 4", A.nt[4] = 2; A.pnt = A.nt);
    CASE(run_new, "new_poisson_y_negative", INV, "y: element 2", A.fam = GLMMGO_POISSON; A.y[2] = -1);
    CASE(run_new, "new_poisson_y_fraction", INV, "y: element 2", A.fam = GLMMGO_POISSON; A.y[2] = 1.5);
    CASE(run_new, "new_poisson_y_tiny_fraction", INV, "y: element 2", A.fam = GLMMGO_POISSON; A.y[2] = 1 + DBL_EPSILON);
    CASE(run_new, "new_poisson_ntrials_3", INV, "ntrials: element 0", A.fam = GLMMGO_POISSON; A.nt[0] = 3; A.pnt = A.nt);
    CASE(run_new, "new_binomial_y_gt_n", INV, "y: element 0", A.fam = GLMMGO_BINOMIAL; A.nt[0] = 3; A.y[0] = 4; A.pnt = A.nt);
    CASE(run_new, "new_binomial_y_negative", INV, "y: element 0", A.fam = GLMMGO_BINOMIAL; A.nt[0] = 3; A.y[0] = -1; A.pnt = A.nt);
    CASE(run_new, "new_binomial_y_fraction", INV, "y: element 0", A.fam = GLMMGO_BINOMIAL; A.nt[0] = 3; A.y[0] = 1.5; A.pnt = A.nt);
    CASE(run_new, "new_binomial_n_negative", INV, "ntrials: element 0", A.fam = GLMMGO_BINOMIAL; A.nt[0] = -2; A.y[0] = 0; A.pnt = A.nt);
    CASE(run_new, "new_binomial_n_fraction", INV, "ntrials: element 0", A.fam = GLMMGO_BINOMIAL; A.nt[0] = 2.5; A.y[0] = 1; A.pnt = A.nt);
    CASE(run_new, "new_binomial_ntrials_null_y_2", INV, "y: element 3", A.fam = GLMMGO_BINOMIAL; A.y[3] = 2);

    /* Error buffers. */
    CASE(run_new, "new_err_len0", INV, "*", A.n = 0; A.errlen = 0);
    CASE(run_new, "new_err_len1", INV, "*", A.n = 0; A.errlen = 1);
    CASE(run_new, "new_err_len2", INV, "*", A.n = 0; A.errlen = 2);
    CASE(run_new, "new_err_null", INV, "*", A.n = 0; A.err = NULL; A.errlen = 100);
}

/* ---- glmmgo_mcla_set_importance ---- */
static void cases_importance(void) {
    CASE(run_imp, "imp_ok", OK, "");
    CASE(run_imp, "imp_ok_p3_zero_sigma_null", OK, "", I.pmix[2] = 0; I.pmix[1] = 0.8; I.psinv = NULL);
    CASE(run_imp, "imp_ok_p_within_tolerance", OK, "", I.pmix[0] = 1.0 / 3; I.pmix[1] = 1.0 / 3; I.pmix[2] = 1.0 / 3);
    CASE(run_imp, "imp_ok_only_t", OK, "", I.pmix[0] = 1; I.pmix[1] = 0; I.pmix[2] = 0; I.psinv = NULL);
    CASE(run_imp, "imp_ok_zeta_tiny", OK, "", I.zeta = 1e-300);

    CASE(run_imp, "imp_zeta_zero", INV, "zeta:", I.zeta = 0);
    CASE(run_imp, "imp_zeta_negative_zero", INV, "zeta:", I.zeta = -0.0);
    CASE(run_imp, "imp_zeta_negative", INV, "zeta:", I.zeta = -1);
    CASE(run_imp, "imp_zeta_nan", INV, "zeta:", I.zeta = NAN);
    CASE(run_imp, "imp_zeta_inf", INV, "zeta:", I.zeta = INFINITY);
    CASE(run_imp, "imp_zeta_ninf", INV, "zeta:", I.zeta = -INFINITY);

    CASE(run_imp, "imp_pmix_null", INV, "p_mix:", I.ppmix = NULL);
    CASE(run_imp, "imp_pmix_sum_1.5", INV, "p_mix: sums to", I.pmix[0] = 0.5; I.pmix[1] = 0.5; I.pmix[2] = 0.5);
    CASE(run_imp, "imp_pmix_sum_just_over", INV, "p_mix: sums to", I.pmix[0] += 1e-7);
    CASE(run_imp, "imp_pmix_all_zero", INV, "p_mix: sums to", I.pmix[0] = I.pmix[1] = I.pmix[2] = 0);
    CASE(run_imp, "imp_pmix_negative", INV, "p_mix: element 0", I.pmix[0] = -0.2; I.pmix[1] = 0.8);
    CASE(run_imp, "imp_pmix_above_one", INV, "p_mix: element 1", I.pmix[0] = 0; I.pmix[1] = 1.5; I.pmix[2] = -0.5);
    for (int k = 0; k < 3; k++) {
        char name[64], arg[64];
        snprintf(arg, sizeof arg, "p_mix: element %d", k);
        snprintf(name, sizeof name, "imp_pmix_nan_%d", k);
        CASE(run_imp, name, INV, arg, I.pmix[k] = NAN);
        snprintf(name, sizeof name, "imp_pmix_inf_%d", k);
        CASE(run_imp, name, INV, arg, I.pmix[k] = INFINITY);
    }

    CASE(run_imp, "imp_ustar_null", INV, "u_star:", I.pustar = NULL);
    CASE(run_imp, "imp_ustar_nan", INV, "u_star: element 2", I.ustar[2] = NAN);
    CASE(run_imp, "imp_ustar_inf", INV, "u_star: element 0", I.ustar[0] = INFINITY);
    CASE(run_imp, "imp_ustar_ninf", INV, "u_star: element 1", I.ustar[1] = -INFINITY);

    CASE(run_imp, "imp_dstar_null", INV, "d_star:", I.pdstar = NULL);
    CASE(run_imp, "imp_dstar_zero", INV, "d_star: element 1", I.dstar[1] = 0);
    CASE(run_imp, "imp_dstar_negative_zero", INV, "d_star: element 1", I.dstar[1] = -0.0);
    CASE(run_imp, "imp_dstar_negative", INV, "d_star: element 2", I.dstar[2] = -0.5);
    CASE(run_imp, "imp_dstar_nan", INV, "d_star: element 0", I.dstar[0] = NAN);
    CASE(run_imp, "imp_dstar_inf", INV, "d_star: element 0", I.dstar[0] = INFINITY);
    CASE(run_imp, "imp_dstar_ninf", INV, "d_star: element 0", I.dstar[0] = -INFINITY);
    CASE(run_imp, "imp_dstar_subnormal", INV, "d_star: element 1", I.dstar[1] = 1e-320);
    CASE(run_imp, "imp_ok_zeta_huge", OK, "", I.zeta = DBL_MAX);

    CASE(run_imp, "imp_sigma_null_p3_positive", INV, "sigma_inv:", I.psinv = NULL);
    CASE(run_imp, "imp_sigma_nan", INV, "sigma_inv: element (1, 1)", I.sinv[4] = NAN);
    CASE(run_imp, "imp_sigma_inf", INV, "sigma_inv: element (2, 0)", I.sinv[2] = INFINITY);
    CASE(run_imp, "imp_sigma_ninf", INV, "sigma_inv: element (0, 2)", I.sinv[6] = -INFINITY);
    CASE(run_imp, "imp_sigma_not_symmetric", INV, "sigma_inv: is not symmetric", I.sinv[1] = 0.9);
    CASE(run_imp, "imp_sigma_indefinite", INV, "sigma_inv: is not positive definite",
         I.sinv[1] = I.sinv[3] = 5);
    CASE(run_imp, "imp_sigma_negative_diagonal", INV, "sigma_inv: is not positive definite", I.sinv[8] = -3);
    CASE(run_imp, "imp_sigma_zero", INV, "sigma_inv: is not positive definite", memset(I.sinv, 0, sizeof I.sinv));
    CASE(run_imp, "imp_sigma_singular", INV, "sigma_inv: is not positive definite",
         for (int k = 0; k < Q * Q; k++) I.sinv[k] = 1);
    CASE(run_imp, "imp_sigma_unused_but_invalid", INV, "sigma_inv:", I.pmix[2] = 0; I.pmix[1] = 0.8; I.sinv[1] = 9);

    CASE(run_imp, "imp_err_len0", INV, "*", I.zeta = 0; A.errlen = 0);
    CASE(run_imp, "imp_err_len1", INV, "*", I.zeta = 0; A.errlen = 1);
    CASE(run_imp, "imp_err_null", INV, "*", I.zeta = 0; A.err = NULL);
}

/* ---- glmmgo_mcla_set_samples ---- */
static void cases_samples(void) {
    CASE(run_samp, "samp_ok", OK, "");
    CASE(run_samp, "samp_ok_one_row", OK, "", S.m = 1);
    CASE(run_samp, "samp_m_zero", INV, "m:", S.m = 0);
    CASE(run_samp, "samp_m_negative", INV, "m:", S.m = -1);
    CASE(run_samp, "samp_m_min", INV, "m:", S.m = INT64_MIN);
    CASE(run_samp, "samp_m_max", INV, "m:", S.m = INT64_MAX);
    CASE(run_samp, "samp_mq_overflow", INV, "umat:", S.m = ((int64_t)1 << 40) - 1);
    CASE(run_samp, "samp_null", INV, "umat:", S.pu = NULL);
    static const struct { const char *tag; double v; } bad[] = {{"nan", NAN}, {"inf", INFINITY}, {"ninf", -INFINITY}};
    static const int pos[][2] = {{0, 0}, {4, 1}, {2, 2}};
    for (int b = 0; b < 3; b++)
        for (int k = 0; k < 3; k++) {
            char name[64], arg[64];
            int r = pos[k][0], c = pos[k][1];
            snprintf(name, sizeof name, "samp_%s_%d_%d", bad[b].tag, r, c);
            snprintf(arg, sizeof arg, "umat: element (%d, %d)", r, c);
            CASE(run_samp, name, INV, arg, S.u[c * M + r] = bad[b].v);
        }
    /* Finite samples whose importance density underflows to zero. */
    CASE(run_samp, "samp_density_zero", NUM, "umat: the importance density of sample 3", S.u[3] = 1e200);
    CASE(run_samp, "samp_err_len0", INV, "*", S.m = 0; A.errlen = 0);
    CASE(run_samp, "samp_err_len1", INV, "*", S.m = 0; A.errlen = 1);
    CASE(run_samp, "samp_err_null", INV, "*", S.m = 0; A.err = NULL);
}

/* ---- glmmgo_mcla_objective ---- */
static void cases_objective(void) {
    CASE(run_obj, "obj_ok", OK, "");
    CASE(run_obj, "obj_ok_no_derivatives", OK, "", O.pgrad = NULL; O.phess = NULL);
    CASE(run_obj, "obj_ok_gradient_only", OK, "", O.phess = NULL);
    CASE(run_obj, "obj_ok_hessian_only", OK, "", O.pgrad = NULL);
    CASE(run_obj, "obj_par_null", INV, "par:", O.ppar = NULL);
    CASE(run_obj, "obj_value_null", INV, "value:", O.pvalue = NULL);
    for (int i = 0; i < D; i++) {
        char name[64], arg[64];
        snprintf(arg, sizeof arg, "par: element %d", i);
        snprintf(name, sizeof name, "obj_par_nan_%d", i);
        CASE(run_obj, name, INV, arg, O.par[i] = NAN);
        snprintf(name, sizeof name, "obj_par_inf_%d", i);
        CASE(run_obj, name, INV, arg, O.par[i] = INFINITY);
        snprintf(name, sizeof name, "obj_par_ninf_%d", i);
        CASE(run_obj, name, INV, arg, O.par[i] = -INFINITY);
    }
    for (int t = 0; t < T; t++) {
        char name[64], arg[64];
        snprintf(arg, sizeof arg, "par: variance component %d", t);
        static const double bad[] = {0, -0.0, -1, -DBL_MAX, -DBL_MIN};
        for (int k = 0; k < 5; k++) {
            snprintf(name, sizeof name, "obj_nu%d_nonpositive_%d", t, k);
            O.value = 0;
            CASE(run_obj, name, DOM, arg, O.par[P + t] = bad[k]);
            if (!(isinf(O.value) && O.value < 0)) printf("%s_value\t%d\t%d\t\t-Inf was not returned\n", name, 1, 0);
        }
    }
    CASE(run_obj, "obj_err_len0", INV, "*", O.ppar = NULL; A.errlen = 0);
    CASE(run_obj, "obj_err_len1", INV, "*", O.ppar = NULL; A.errlen = 1);
    CASE(run_obj, "obj_err_null", INV, "*", O.ppar = NULL; A.err = NULL);
}

/* Every worker count, even absurd ones, gives the result of one worker. */
static void cases_workers(void) {
    static const int32_t ws[] = {0, -1, 2, 3, 64, INT32_MAX, INT32_MIN};
    reset();
    double v1, g1[D], h1[D * D];
    glmmgo_mcla_objective(HF, base_par, 1, &v1, g1, h1, NULL, 0);
    for (int k = 0; k < 7; k++) {
        char name[64];
        snprintf(name, sizeof name, "obj_workers_%d", (int)ws[k]);
        reset();
        O.workers = ws[k];
        arm();
        int s = objective(HF);
        if (s == OK && (memcmp(&O.value, &v1, sizeof v1) || memcmp(O.grad, g1, sizeof g1) || memcmp(O.hess, h1, sizeof h1)))
            s = 300; /* differs from one worker */
        emit(name, s, A.errlen, OK, "");
    }
}

/* ---- dims, partial_length, partial, merge ---- */
static void cases_dims(void) {
    struct glmmgo_dims d = {.size = sizeof d};
    reset(); arm();
    int s = glmmgo_dims(HF, &d, A.err, A.errlen);
    if (s == OK && (d.kind != GLMMGO_KIND_MCLA_MODEL || d.n != N || d.p != P || d.p_given != P || d.q != Q ||
                    d.nvc != T || d.npar != D || d.m != M || d.ntheta != 0 || d.nterms != 0))
        s = 300;
    emit("dims_ok", s, A.errlen, OK, "");
    reset(); arm();
    emit("dims_null", glmmgo_dims(HF, NULL, A.err, A.errlen), A.errlen, INV, "dims:");
    reset(); arm(); d.m = -1;
    s = glmmgo_dims(HI, &d, A.err, A.errlen);
    if (s == OK && d.m != 0) s = 300;
    emit("dims_no_samples_m0", s, A.errlen, OK, "");
    reset(); arm(); A.errlen = 0;
    emit("dims_err_len0", glmmgo_dims(HF, &d, A.err, A.errlen), A.errlen, OK, "*");
    reset(); arm(); A.errlen = 1;
    emit("dims_err_len1", glmmgo_dims(HF, &d, A.err, A.errlen), A.errlen, OK, "");

    reset(); arm();
    int64_t len = -1;
    s = glmmgo_mcla_partial_length(HF, &len, A.err, A.errlen);
    if (s == OK && len != 4 + D + D * D + N + T) s = 300;
    emit("plen_ok", s, A.errlen, OK, "");
    reset(); arm();
    emit("plen_null", glmmgo_mcla_partial_length(HF, NULL, A.err, A.errlen), A.errlen, INV, "len:");
    reset(); arm(); A.errlen = 0;
    emit("plen_err_len0", glmmgo_mcla_partial_length(HF, NULL, A.err, A.errlen), A.errlen, INV, "*");
    reset(); arm(); A.errlen = 1;
    emit("plen_err_len1", glmmgo_mcla_partial_length(HF, NULL, A.err, A.errlen), A.errlen, INV, "*");
}

enum { LEN = 4 + D + D * D + N + T };
static double part[4 * LEN];
static struct {
    const double *par;
    int64_t npar, lo, hi, len;
    double *out;
    glmmgo_handle h;
} PA;

static void run_partial(const char *name, int want, const char *arg) {
    arm();
    emit(name, glmmgo_mcla_partial(PA.h, PA.par, PA.npar, PA.lo, PA.hi, O.workers, PA.out, PA.len, A.err, A.errlen), A.errlen, want, arg);
}
#define PCASE(name, want, arg, ...) \
    CASE(run_partial, name, want, arg, PA.par = base_par; PA.npar = D; PA.lo = 0; PA.hi = M; PA.len = LEN; PA.out = part; PA.h = HF; __VA_ARGS__)

static void cases_partial(void) {
    PCASE("part_ok", OK, "");
    PCASE("part_ok_one_row", OK, "", PA.lo = 4; PA.hi = 5);
    PCASE("part_par_null", INV, "par:", PA.par = NULL);
    PCASE("part_npar_short", INV, "npar: is 3; this model has p + nvc = 2 + 2 = 4", PA.npar = D - 1);
    PCASE("part_npar_long", INV, "npar:", PA.npar = D + 1);
    PCASE("part_npar_zero", INV, "npar:", PA.npar = 0);
    PCASE("part_npar_negative", INV, "npar:", PA.npar = -1);
    PCASE("part_npar_max", INV, "npar:", PA.npar = INT64_MAX);
    PCASE("part_out_null", INV, "partial:", PA.out = NULL);
    PCASE("part_len_zero", INV, "len:", PA.len = 0);
    PCASE("part_len_negative", INV, "len:", PA.len = -1);
    PCASE("part_len_short", INV, "len:", PA.len = LEN - 1);
    PCASE("part_len_long", INV, "len:", PA.len = LEN + 1);
    PCASE("part_len_max", INV, "len:", PA.len = INT64_MAX);
    PCASE("part_rows_negative", INV, "row_begin:", PA.lo = -1);
    PCASE("part_rows_empty", INV, "row_begin:", PA.lo = 2; PA.hi = 2);
    PCASE("part_rows_reversed", INV, "row_begin:", PA.lo = 3; PA.hi = 1);
    PCASE("part_rows_past_end", INV, "row_begin:", PA.hi = M + 1);
    PCASE("part_rows_extreme", INV, "row_begin:", PA.lo = INT64_MIN; PA.hi = INT64_MAX);
    PCASE("part_rows_at_end", INV, "row_begin:", PA.lo = M; PA.hi = M);
    PCASE("part_no_samples", STA, "samples", PA.h = HI; PA.hi = 1);
    static const double pnan[D] = {NAN, 0, 1, 1}, pnu[D] = {0, 0, 1, -2};
    PCASE("part_par_nan", INV, "par: element 0", PA.par = pnan);
    PCASE("part_nu_negative", DOM, "par: variance component 1", PA.par = pnu);
    PCASE("part_err_len0", INV, "*", PA.par = NULL; A.errlen = 0);
    PCASE("part_err_len1", INV, "*", PA.par = NULL; A.errlen = 1);
}

static struct {
    const double *par, *parts;
    int64_t npar, np, len;
    double *value, *grad, *hess;
    glmmgo_handle h;
} ME;
static double mv, mg[D], mh[D * D];

static void run_merge(const char *name, int want, const char *arg) {
    arm();
    int s = glmmgo_mcla_merge(ME.h, ME.par, ME.npar, ME.np, ME.parts, ME.len, ME.value, ME.grad, ME.hess, A.err, A.errlen);
    emit(name, s, A.errlen, want, arg);
}

/* part[0..LEN) holds a valid partial of all samples after make_partial. */
static void make_partial(void) {
    char e[256];
    if (glmmgo_mcla_partial(HF, base_par, D, 0, M, 1, part, LEN, e, sizeof e) != OK) {
        fprintf(stderr, "partial: %s\n", e);
        exit(1);
    }
    memcpy(part + LEN, part, sizeof(double) * LEN);
}
#define MCASE(name, want, arg, ...)                                                                        \
    CASE(run_merge, name, want, arg, make_partial(); ME.par = base_par; ME.npar = D; ME.parts = part; ME.np = 1;       \
         ME.len = LEN; ME.value = &mv; ME.grad = mg; ME.hess = mh; ME.h = HF; __VA_ARGS__)

static void cases_merge(void) {
    MCASE("merge_ok", OK, "");
    MCASE("merge_ok_two", OK, "", ME.np = 2);
    MCASE("merge_ok_without_samples", OK, "", ME.h = HI);
    MCASE("merge_ok_one_empty", OK, "", part[LEN] = 0; part[LEN + 1] = -INFINITY; part[LEN + 2] = 0;
          memset(part + LEN + 3, 0, sizeof(double) * (LEN - 3)); ME.np = 2);  /* S2 = 0 too */
    MCASE("merge_par_null", INV, "par:", ME.par = NULL);
    MCASE("merge_npar_short", INV, "npar: is 3", ME.npar = D - 1);
    MCASE("merge_npar_negative", INV, "npar:", ME.npar = -5);
    MCASE("merge_npar_max", INV, "npar:", ME.npar = INT64_MAX);
    MCASE("merge_parts_null", INV, "partials:", ME.parts = NULL);
    MCASE("merge_value_null", INV, "value:", ME.value = NULL);
    MCASE("merge_np_zero", INV, "npartials:", ME.np = 0);
    MCASE("merge_np_negative", INV, "npartials:", ME.np = -1);
    MCASE("merge_np_max", INV, "npartials:", ME.np = INT64_MAX);
    MCASE("merge_np_overflow", INV, "partials:", ME.np = (int64_t)1 << 38);
    MCASE("merge_len_short", INV, "len:", ME.len = LEN - 1);
    MCASE("merge_len_zero", INV, "len:", ME.len = 0);
    MCASE("merge_count_negative", INV, "partials: count", part[0] = -1);
    MCASE("merge_count_fraction", INV, "partials: count", part[0] = 2.5);
    MCASE("merge_count_huge", INV, "partials: count", part[0] = 1e300);
    MCASE("merge_count_nan", INV, "partials: count", part[0] = NAN);
    MCASE("merge_count_inf", INV, "partials: count", part[0] = INFINITY);
    MCASE("merge_count_zero_all", INV, "partials: cover no samples",
          part[0] = 0; part[1] = -INFINITY; part[2] = 0; memset(part + 3, 0, sizeof(double) * (LEN - 3)));
    MCASE("merge_all_weights_zero", NUM, "par: every importance weight",
          part[1] = -INFINITY; part[2] = 0; memset(part + 3, 0, sizeof(double) * (LEN - 3)));
    MCASE("merge_s2_above_s0", INV, "partials: scaled sum of squares", part[3] = part[2] * 2);
    MCASE("merge_s2_nan", INV, "partials: scaled sum of squares", part[3] = NAN);
    MCASE("merge_max_nan", INV, "partials: max", part[1] = NAN);
    MCASE("merge_max_inf", INV, "partials: max", part[1] = INFINITY);
    MCASE("merge_max_ninf_sum_positive", INV, "partials: max", part[1] = -INFINITY);
    MCASE("merge_s0_zero_max_finite", INV, "partials: max", part[2] = 0);
    MCASE("merge_s0_negative", INV, "partials: max", part[2] = -1);
    MCASE("merge_s0_nan", INV, "partials: max", part[2] = NAN);
    MCASE("merge_s0_inf", INV, "partials: max", part[2] = INFINITY);
    MCASE("merge_sum_nan", INV, "partials: sum 0", part[4] = NAN);
    MCASE("merge_sum_inf_last", INV, "partials: sum", part[LEN - 1] = INFINITY);
    MCASE("merge_second_bad", INV, "(partial 1 of 2)", ME.np = 2; part[LEN] = -3);
    static const double pnu[D] = {0, 0, 0, 1}, pnan[D] = {0, INFINITY, 1, 1};
    MCASE("merge_nu_zero", DOM, "par: variance component 0", ME.par = pnu);
    MCASE("merge_par_inf", INV, "par: element 1", ME.par = pnan);
    MCASE("merge_err_len0", INV, "*", ME.np = 0; A.errlen = 0);
    MCASE("merge_err_len1", INV, "*", ME.np = 0; A.errlen = 1);
    MCASE("merge_err_null", INV, "*", ME.np = 0; A.err = NULL);
}

/* ---- Handles: never created, freed, extreme; and calls out of order ---- */
static void cases_handles(void) {
    glmmgo_handle freed = full_model();
    glmmgo_free(freed);
    const struct { const char *tag; glmmgo_handle h; const char *arg; } hs[] = {
        {"zero", 0, "h: handle 0"}, {"minus1", -1, "h: handle -1"}, {"never", 987654321, "h: handle 987654321"},
        {"freed", freed, "h: handle"}, {"max", INT64_MAX, "h: handle 9223372036854775807"},
        {"min", INT64_MIN, "h: handle -9223372036854775808"}};
    for (int k = 0; k < 6; k++) {
        glmmgo_handle h = hs[k].h;
        char name[64];
        int64_t len;
        reset();
        make_partial();
#define HCASE(fn, call)                                               \
        snprintf(name, sizeof name, "handle_%s_%s", hs[k].tag, fn); \
        reset(); arm(); emit(name, call, A.errlen, HND, hs[k].arg)
        HCASE("set_importance", set_imp(h));
        HCASE("set_samples", set_samp(h));
        HCASE("objective", objective(h));
        struct glmmgo_dims dd = {.size = sizeof dd};
        HCASE("dims", glmmgo_dims(h, &dd, A.err, A.errlen));
        HCASE("set_dispersion", glmmgo_mcla_set_dispersion(h, 2, A.err, A.errlen));
        HCASE("partial_length", glmmgo_mcla_partial_length(h, &len, A.err, A.errlen));
        HCASE("partial", glmmgo_mcla_partial(h, base_par, D, 0, M, 1, part, LEN, A.err, A.errlen));
        HCASE("merge", glmmgo_mcla_merge(h, base_par, D, 1, part, LEN, &mv, NULL, NULL, A.err, A.errlen));
        snprintf(name, sizeof name, "handle_%s_free", hs[k].tag);
        reset(); arm();
        emit(name, glmmgo_free(h), 0, HND, "*");
    }
    /* Out of order. */
    reset(); arm();
    glmmgo_handle h = new_model();
    emit("order_samples_before_importance", set_samp(h), A.errlen, STA, "importance density before the samples");
    reset(); arm();
    emit("order_objective_before_importance", objective(h), A.errlen, STA, "samples");
    reset(); set_imp(h); arm();
    emit("order_objective_before_samples", objective(h), A.errlen, STA, "samples");
    /* A failed set_samples discards the samples: the objective must then
       say so instead of using half-written ones. */
    reset(); set_samp(h); S.u[7] = 1e200; arm();
    emit("order_failed_samples", set_samp(h), A.errlen, NUM, "umat:");
    reset(); arm();
    emit("order_objective_after_failed_samples", objective(h), A.errlen, STA, "samples");
    /* The same when a new importance density fails for the samples already
       set (their densities are recomputed). */
    reset(); set_samp(h); I.ustar[0] = 1e200; I.pmix[0] = 0; I.pmix[1] = 1; I.pmix[2] = 0; I.psinv = NULL; arm();
    emit("order_failed_importance", set_imp(h), A.errlen, NUM, "umat:");
    reset(); arm();
    emit("order_objective_after_failed_importance", objective(h), A.errlen, STA, "samples");
    /* And everything works again once both are set anew. */
    reset(); set_imp(h); set_samp(h); arm();
    emit("order_recovered", objective(h), A.errlen, OK, "");
    glmmgo_free(h);
}

/* ---- Duplicate triplets are summed: a model with Z split into duplicate
   pieces gives exactly the objective of the model with Z whole. ---- */
static void cases_semantics(void) {
    reset();
    double v1, g1[D], h1[D * D], v2, g2[D], h2[D * D];
    glmmgo_mcla_objective(HF, base_par, 1, &v1, g1, h1, NULL, 0);
    /* Split every value v into v/2 + v/2 (exact in binary), the second
       halves listed in reverse order. */
    int64_t zr[2 * NNZ], zc[2 * NNZ];
    double zv[2 * NNZ];
    for (int k = 0; k < NNZ; k++) {
        zr[2 * NNZ - 1 - k] = base_zr[k]; zc[2 * NNZ - 1 - k] = base_zc[k]; zv[2 * NNZ - 1 - k] = 0.5 * base_zv[k];
        zr[k] = base_zr[k]; zc[k] = base_zc[k]; zv[k] = 0.5 * base_zv[k];
    }
    A.nnz = 2 * NNZ; A.pzr = zr; A.pzc = zc; A.pzv = zv;
    glmmgo_handle h = full_model();
    arm();
    int s = glmmgo_mcla_objective(h, base_par, 1, &v2, g2, h2, A.err, A.errlen);
    if (s == OK && (v1 != v2 || memcmp(g1, g2, sizeof g1) != 0 || memcmp(h1, h2, sizeof h1) != 0)) s = 300;
    emit("semantics_duplicates_summed", s, A.errlen, OK, "");
    glmmgo_free(h);
    /* Explicit zero triplets are harmless when the column has other entries. */
    reset();
    int64_t zr3[NNZ + 1], zc3[NNZ + 1];
    double zv3[NNZ + 1];
    memcpy(zr3, base_zr, sizeof base_zr); memcpy(zc3, base_zc, sizeof base_zc); memcpy(zv3, base_zv, sizeof base_zv);
    zr3[NNZ] = 3; zc3[NNZ] = 0; zv3[NNZ] = 0;
    A.nnz = NNZ + 1; A.pzr = zr3; A.pzc = zc3; A.pzv = zv3;
    h = full_model();
    arm();
    s = glmmgo_mcla_objective(h, base_par, 1, &v2, g2, h2, A.err, A.errlen);
    if (s == OK && (v1 != v2 || memcmp(g1, g2, sizeof g1) != 0)) s = 300;
    emit("semantics_explicit_zero_triplet", s, A.errlen, OK, "");
    glmmgo_free(h);
    /* Zero weight on an observation is the same as leaving it out... of
       the likelihood: changing its response changes nothing. */
    reset();
    A.w[2] = 0; A.pw = A.w;
    h = full_model();
    glmmgo_mcla_objective(h, base_par, 1, &v1, g1, NULL, NULL, 0);
    glmmgo_free(h);
    reset();
    A.w[2] = 0; A.pw = A.w; A.y[2] = 1 - A.y[2];
    h = full_model();
    arm();
    s = glmmgo_mcla_objective(h, base_par, 1, &v2, g2, NULL, A.err, A.errlen);
    if (s == OK && (v1 != v2 || memcmp(g1, g2, sizeof g1) != 0)) s = 300;
    emit("semantics_zero_weight_ignores_y", s, A.errlen, OK, "");
    glmmgo_free(h);
}

/* ---- glmmgo_mcla_set_dispersion ---- */
static void cases_dispersion(void) {
    double v1, g1[D], h1[D * D], v2, g2[D], h2[D * D];
    reset();
    A.fam = GLMMGO_NEGBINOMIAL;
    glmmgo_handle nb = full_model(); /* importance and samples, no size */
    reset(); arm();
    emit("disp_objective_before", objective(nb), A.errlen, STA, "dispersion: the negative binomial model has no size");
    reset(); arm();
    emit("disp_partial_before", glmmgo_mcla_partial(nb, base_par, D, 0, M, 1, part, LEN, A.err, A.errlen), A.errlen, STA,
         "dispersion:");
    reset(); make_partial(); arm();
    emit("disp_merge_before", glmmgo_mcla_merge(nb, base_par, D, 1, part, LEN, &v1, NULL, NULL, A.err, A.errlen), A.errlen,
         STA, "dispersion:");
    static const struct { const char *tag; double v; } bad[] = {
        {"zero", 0}, {"negative_zero", -0.0}, {"negative", -1}, {"nan", NAN}, {"inf", INFINITY}, {"ninf", -INFINITY}};
    for (int k = 0; k < 6; k++) {
        char name[64];
        snprintf(name, sizeof name, "disp_negbin_%s", bad[k].tag);
        reset(); arm();
        emit(name, glmmgo_mcla_set_dispersion(nb, bad[k].v, A.err, A.errlen), A.errlen, INV, "dispersion:");
    }
    reset(); arm();
    emit("disp_objective_after_bad_size", objective(nb), A.errlen, STA, "dispersion:");
    reset(); arm();
    emit("disp_negbin_ok", glmmgo_mcla_set_dispersion(nb, 2.5, A.err, A.errlen), A.errlen, OK, "");
    reset(); arm();
    int s = glmmgo_mcla_objective(nb, base_par, 1, &v1, g1, h1, A.err, A.errlen);
    emit("disp_objective_ok", s, A.errlen, OK, "");
    /* The samples and density set before the size are kept: the objective
       equals, bit for bit, that of a model given its size first. */
    reset();
    A.fam = GLMMGO_NEGBINOMIAL;
    glmmgo_handle nb2 = new_model();
    glmmgo_mcla_set_dispersion(nb2, 2.5, NULL, 0);
    set_imp(nb2);
    set_samp(nb2);
    arm();
    s = glmmgo_mcla_objective(nb2, base_par, 1, &v2, g2, h2, A.err, A.errlen);
    if (s == OK && (memcmp(&v1, &v2, sizeof v1) || memcmp(g1, g2, sizeof g1) || memcmp(h1, h2, sizeof h1))) s = 300;
    emit("disp_samples_kept_same_bits", s, A.errlen, OK, "");
    glmmgo_free(nb2);
    /* Another size changes the value; the first one again restores it. */
    reset(); arm();
    glmmgo_mcla_set_dispersion(nb, 7, NULL, 0);
    s = glmmgo_mcla_objective(nb, base_par, 1, &v2, NULL, NULL, A.err, A.errlen);
    if (s == OK && v2 == v1) s = 300;
    emit("disp_other_size_other_value", s, A.errlen, OK, "");
    reset(); arm();
    glmmgo_mcla_set_dispersion(nb, 2.5, NULL, 0);
    s = glmmgo_mcla_objective(nb, base_par, 1, &v2, NULL, NULL, A.err, A.errlen);
    if (s == OK && memcmp(&v1, &v2, sizeof v1)) s = 300;
    emit("disp_same_size_same_bits", s, A.errlen, OK, "");
    reset(); arm(); A.errlen = 0;
    emit("disp_err_len0", glmmgo_mcla_set_dispersion(nb, -1, A.err, A.errlen), A.errlen, INV, "*");
    reset(); arm(); A.errlen = 1;
    emit("disp_err_len1", glmmgo_mcla_set_dispersion(nb, -1, A.err, A.errlen), A.errlen, INV, "*");
    glmmgo_free(nb);
    /* The other families have no dispersion: only 0 is accepted. */
    reset(); arm();
    emit("disp_bernoulli_zero_ok", glmmgo_mcla_set_dispersion(HF, 0, A.err, A.errlen), A.errlen, OK, "");
    reset(); arm();
    emit("disp_bernoulli_positive", glmmgo_mcla_set_dispersion(HF, 2, A.err, A.errlen), A.errlen, INV,
         "dispersion: is 2; the bernoulli family has no dispersion");
    reset(); arm();
    emit("disp_bernoulli_nan", glmmgo_mcla_set_dispersion(HF, NAN, A.err, A.errlen), A.errlen, INV, "dispersion:");
}

static void cases_library(void) {
    int bad[] = {-1, GLMMGO_ERR_RESOURCE + 1, 100, INT_MIN, INT_MAX};
    for (int k = 0; k < 5; k++) {
        char name[64];
        snprintf(name, sizeof name, "status_string_%d", bad[k]);
        const char *s = glmmgo_status_string(bad[k]);
        printf("%s\t%d\t%d\t*\t%s\n", name, s && strcmp(s, "unknown status") == 0 ? 0 : 1, 0, s ? s : "(null)");
        ncases++;
    }
    for (int k = 0; k <= GLMMGO_ERR_RESOURCE; k++) {
        char name[64];
        snprintf(name, sizeof name, "status_string_known_%d", k);
        const char *s = glmmgo_status_string(k);
        printf("%s\t%d\t%d\t*\t%s\n", name, s && strcmp(s, "unknown status") != 0 && s[0] ? 0 : 1, 0, s ? s : "(null)");
        ncases++;
    }
    const char *v = glmmgo_version();
    printf("version\t%d\t0\t*\t%s\n", v && strcmp(v, GLMMGO_VERSION_STRING) == 0 ? 0 : 1, v ? v : "(null)");
    int32_t vn = glmmgo_version_number();
    printf("version_number\t%d\t0\t*\t%d\n", vn == GLMMGO_VERSION_NUMBER && vn == 2000 && vn / 1000 == GLMMGO_VERSION_NUMBER / 1000 ? 0 : 1, (int)vn);
    ncases++;
    int32_t w = glmmgo_available_workers();
    printf("available_workers\t%d\t0\t*\t%d\n", w >= 1 ? 0 : 1, (int)w);
    ncases += 2;
}

#include "badinput_lmm.c"
#include "badinput_mcla_fit.c"
#include "badinput_cluster.c"
#include "badinput_results.c"
#include "badinput_mixlogit.c"
#include "badinput_laplace.c"

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    reset();
    HI = new_model();
    HS = new_model();
    set_imp(HS);
    HF = full_model();
    cases_new();
    cases_importance();
    cases_samples();
    cases_objective();
    cases_workers();
    cases_dims();
    cases_partial();
    cases_merge();
    cases_handles();
    cases_semantics();
    cases_dispersion();
    cases_library();
    cases_lmm_setup();
    cases_mclafit();
    cases_cluster();
    cases_results();
    cases_mixlogit();
    cases_laplace();
    cases_lmm_teardown();
    glmmgo_free(HI);
    glmmgo_free(HS);
    glmmgo_free(HF);
    printf("total\t%d\n", ncases);
    return 0;
}
