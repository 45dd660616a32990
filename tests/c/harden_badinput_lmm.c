/* The LMM functions of glmmgo.h and wrong-kind handles, in the format of
   harden_badinput.c (which includes this file and calls cases_lmm()).
   Base model: n = 12, p = 2 (intercept, x), term 0 a factor with 3 levels
   and 2 columns (1 + x | g), term 1 a factor with 2 levels and 1 column. */

#define LN 12
#define LBIG 4096 /* every array lives in a buffer this large, so that
                     inflated sizes never read past the caller's memory */
static double L_y[LBIG], L_x[LBIG], L_w[LBIG], L_z[LBIG];
static int64_t L_lev[LBIG], L_k[LBIG], L_codes[LBIG];

static struct {
    int64_t n, p, nterms;
    const double *y, *x, *w, *z;
    const int64_t *lev, *k, *codes;
    glmmgo_handle *out;
    glmmgo_handle h;
} LA;

static void lreset(void) {
    reset();
    memset(L_y, 0, sizeof L_y); memset(L_x, 0, sizeof L_x); memset(L_z, 0, sizeof L_z);
    memset(L_codes, 0, sizeof L_codes);
    static const double yv[LN] = {2.1, 3.4, 1.9, 4.2, 3.3, 2.8, 5.0, 4.1, 3.9, 2.2, 3.7, 4.4};
    for (int i = 0; i < LN; i++) {
        double xi = (i % 4) - 1.5;
        L_y[i] = yv[i];
        L_x[i] = 1;
        L_x[LN + i] = xi;
        L_w[i] = 1 + 0.1 * (i % 3);
        L_codes[i] = i % 3;          /* term 0 */
        L_codes[LN + i] = (i / 6);   /* term 1 */
        L_z[i] = 1;                  /* term 0, column 0 */
        L_z[LN + i] = xi;            /* term 0, column 1 */
        L_z[2 * LN + i] = 1;         /* term 1 */
    }
    L_lev[0] = 3; L_lev[1] = 2;
    L_k[0] = 2; L_k[1] = 1;
    LA.n = LN; LA.p = 2; LA.nterms = 2;
    LA.y = L_y; LA.x = L_x; LA.w = NULL; LA.z = L_z; LA.lev = L_lev; LA.k = L_k; LA.codes = L_codes;
    LA.out = &LA.h;
}

static void run_lnew(const char *name, int want, const char *arg) {
    arm();
    LA.h = 777;
    int s = glmmgo_lmm_new(LA.n, LA.p, LA.y, LA.x, LA.w, LA.nterms, LA.lev, LA.k, LA.codes, LA.z, LA.out, A.err, A.errlen);
    if (s != OK && LA.out == &LA.h && LA.h != 0) s += 200;
    emit(name, s, A.errlen, want, arg);
    if (s == OK) glmmgo_free(LA.h);
}

static glmmgo_handle lmm_model(void) {
    glmmgo_handle h = 0;
    char e[256];
    if (glmmgo_lmm_new(LA.n, LA.p, LA.y, LA.x, LA.w, LA.nterms, LA.lev, LA.k, LA.codes, LA.z, &h, e, sizeof e) != OK) {
        fprintf(stderr, "lmm base model: %s\n", e);
        exit(1);
    }
    return h;
}

#define LCASE(name, want, arg, ...) CASE(run_lnew, name, want, arg, lreset(); __VA_ARGS__)

static void cases_lmm_new(void) {
    LCASE("lmm_new_ok", OK, "");
    LCASE("lmm_new_ok_weights", OK, "", LA.w = L_w);
    LCASE("lmm_new_ok_p0_x_null", OK, "", LA.p = 0; LA.x = NULL);
    LCASE("lmm_new_ok_one_term", OK, "", LA.nterms = 1);
    LCASE("lmm_new_ok_aliased_column", OK, "", for (int i = 0; i < LN; i++) L_x[2 * LN + i] = 2 * L_x[LN + i]; LA.p = 3);
    LCASE("lmm_new_n_zero", INV, "n:", LA.n = 0);
    LCASE("lmm_new_n_negative", INV, "n:", LA.n = -5);
    LCASE("lmm_new_n_max", INV, "n:", LA.n = INT64_MAX);
    LCASE("lmm_new_p_negative", INV, "p:", LA.p = -1);
    LCASE("lmm_new_p_max", INV, "p:", LA.p = INT64_MAX);
    LCASE("lmm_new_p_gt_n", INV, "x:", LA.p = LN + 1);
    LCASE("lmm_new_p_eq_n", INV, "x:", LA.p = LN; for (int i = 0; i < LN * LN; i++) L_x[i] = (i % (LN + 1)) == 0);
    LCASE("lmm_new_np_overflow", INV, "x:", LA.n = (int64_t)1 << 39; LA.p = (int64_t)1 << 39);
    LCASE("lmm_new_nterms_zero", INV, "nterms:", LA.nterms = 0);
    LCASE("lmm_new_nterms_negative", INV, "nterms:", LA.nterms = -1);
    LCASE("lmm_new_nterms_max", INV, "nterms:", LA.nterms = INT64_MAX);
    LCASE("lmm_new_codes_overflow", INV, "codes:", LA.n = (int64_t)1 << 35; LA.nterms = (int64_t)1 << 35);
    LCASE("lmm_new_y_null", INV, "y:", LA.y = NULL);
    LCASE("lmm_new_x_null", INV, "x:", LA.x = NULL);
    LCASE("lmm_new_nlevels_null", INV, "nlevels:", LA.lev = NULL);
    LCASE("lmm_new_ncols_null", INV, "ncols:", LA.k = NULL);
    LCASE("lmm_new_codes_null", INV, "codes:", LA.codes = NULL);
    LCASE("lmm_new_z_null", INV, "z:", LA.z = NULL);
    LCASE("lmm_new_out_null", INV, "out:", LA.out = NULL);
    static const struct { const char *tag; double v; } bad[] = {{"nan", NAN}, {"inf", INFINITY}, {"ninf", -INFINITY}};
    char name[96];
    for (int b = 0; b < 3; b++) {
        snprintf(name, sizeof name, "lmm_new_y_%s", bad[b].tag);
        LCASE(name, INV, "y: element 4", L_y[4] = bad[b].v);
        snprintf(name, sizeof name, "lmm_new_x_%s", bad[b].tag);
        LCASE(name, INV, "x: element (5,1)", L_x[LN + 5] = bad[b].v);
        snprintf(name, sizeof name, "lmm_new_weights_%s", bad[b].tag);
        LCASE(name, INV, "weights: element 7", L_w[7] = bad[b].v; LA.w = L_w);
        snprintf(name, sizeof name, "lmm_new_z_%s", bad[b].tag);
        LCASE(name, INV, "z: term 1: element (3,0)", L_z[2 * LN + 3] = bad[b].v);
    }
    LCASE("lmm_new_weights_zero", INV, "weights: element 2", L_w[2] = 0; LA.w = L_w);
    LCASE("lmm_new_weights_negative", INV, "weights: element 2", L_w[2] = -1; LA.w = L_w);
    LCASE("lmm_new_nlevels_one", INV, "nlevels", L_lev[1] = 1);
    LCASE("lmm_new_nlevels_zero", INV, "nlevels", L_lev[1] = 0);
    LCASE("lmm_new_nlevels_negative", INV, "nlevels", L_lev[0] = -3);
    LCASE("lmm_new_nlevels_n", INV, "levels for 12 observations", L_lev[1] = LN; for (int i = 0; i < LN; i++) L_codes[LN + i] = i);
    LCASE("lmm_new_nlevels_max", INV, "nlevels", L_lev[0] = INT64_MAX);
    LCASE("lmm_new_nlevels_huge", INV, "levels", L_lev[0] = (int64_t)1 << 40);
    LCASE("lmm_new_ncols_zero", INV, "ncols", L_k[0] = 0);
    LCASE("lmm_new_ncols_negative", INV, "ncols", L_k[0] = -2);
    LCASE("lmm_new_ncols_max", INV, "ncols", L_k[0] = INT64_MAX);
    LCASE("lmm_new_ncols_2^21", INV, "ncols", L_k[1] = (int64_t)1 << 21);
    /* More random effects in a term than observations (lme4 stops too); a
       large k would otherwise ask for k(k+1)/2 parameters and k*k blocks. */
    LCASE("lmm_new_term_q_ge_n", INV, "ncols: term 0", L_k[0] = 4);
    LCASE("lmm_new_term_k_huge", INV, "ncols: term 1", L_k[1] = 300);
    static const int64_t badcode[] = {-1, 3, INT64_MAX, INT64_MIN};
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "lmm_new_code_range_%d", k);
        LCASE(name, INV, "codes: term 0: observation 5", L_codes[5] = badcode[k]);
    }
    LCASE("lmm_new_code_range_term1", INV, "codes: term 1: observation 0", L_codes[LN] = 2);
    LCASE("lmm_new_level_unused", INV, "codes: term 0: level 2 has no observations",
          for (int i = 0; i < LN; i++) L_codes[i] = i % 2);
    LCASE("lmm_new_err_len0", INV, "*", LA.n = 0; A.errlen = 0);
    LCASE("lmm_new_err_len1", INV, "*", LA.n = 0; A.errlen = 1);
    LCASE("lmm_new_err_null", INV, "*", LA.n = 0; A.err = NULL);
}

static glmmgo_handle LH; /* the base LMM */

static int cancel_now(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)ud; (void)iter; (void)obj; (void)par; (void)npar;
    return 1;
}
/* A callback that (wrongly) calls back into glmmgo with the handle being
   fitted: that call must get GLMMGO_ERR_BUSY, not race or deadlock. */
static int reenter_status = -1, reenter_free_status = -1;
static int reenter(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)iter; (void)obj;
    glmmgo_handle h = *(glmmgo_handle *)ud;
    double v;
    reenter_status = glmmgo_lmm_objective(h, par, 0, &v, NULL, 0);
    reenter_free_status = glmmgo_free(h);
    (void)npar;
    return 1;
}

static void cases_lmm_calls(void) {
    lreset();
    LH = lmm_model();
    int64_t nt = -1, pk = -1, pg = -1, q = -1, n = -1, nterms = -1;
    arm();
    int s = glmmgo_lmm_dims(LH, &n, &pk, &pg, &nt, &q, &nterms, A.err, A.errlen);
    if (s == OK && (n != LN || pk != 2 || pg != 2 || nt != 4 || q != 8 || nterms != 2)) s = 300;
    emit("lmm_dims_ok", s, A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_dims_all_null", glmmgo_lmm_dims(LH, NULL, NULL, NULL, NULL, NULL, NULL, A.err, A.errlen), A.errlen, OK, "");
    int64_t ord[4], kept[4];
    double lower[8], theta[8], v;
    lreset(); arm();
    emit("lmm_order_ok", glmmgo_lmm_term_order(LH, ord, 2, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_order_null", glmmgo_lmm_term_order(LH, NULL, 2, A.err, A.errlen), A.errlen, INV, "order:");
    lreset(); arm();
    emit("lmm_order_len", glmmgo_lmm_term_order(LH, ord, 3, A.err, A.errlen), A.errlen, INV, "order:");
    lreset(); arm();
    emit("lmm_order_len_negative", glmmgo_lmm_term_order(LH, ord, -1, A.err, A.errlen), A.errlen, INV, "order:");
    lreset(); arm();
    emit("lmm_kept_ok", glmmgo_lmm_kept_columns(LH, kept, 2, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_kept_len", glmmgo_lmm_kept_columns(LH, kept, 1, A.err, A.errlen), A.errlen, INV, "kept:");
    lreset(); arm();
    emit("lmm_kept_null", glmmgo_lmm_kept_columns(LH, NULL, 2, A.err, A.errlen), A.errlen, INV, "kept:");
    lreset(); arm();
    s = glmmgo_lmm_lower(LH, lower, 4, A.err, A.errlen);
    if (s == OK && !(lower[0] == 0 && isinf(lower[1]) && lower[1] < 0 && lower[2] == 0 && lower[3] == 0)) s = 300;
    emit("lmm_lower_ok", s, A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_lower_null", glmmgo_lmm_lower(LH, NULL, 4, A.err, A.errlen), A.errlen, INV, "lower:");
    lreset(); arm();
    emit("lmm_lower_len", glmmgo_lmm_lower(LH, lower, 5, A.err, A.errlen), A.errlen, INV, "lower:");

    /* The objective. */
    static const double th0[4] = {1, 0.2, 0.5, 0.8};
#define LOBJ(name, want, arg, ...)                                                          \
    do {                                                                                    \
        lreset(); memcpy(theta, th0, sizeof th0); double *pv_ = &v; const double *pt_ = theta; \
        int32_t reml_ = 0; __VA_ARGS__; arm(); v = 12345;                                   \
        int s_ = glmmgo_lmm_objective(LH, pt_, reml_, pv_, A.err, A.errlen);                \
        if (s_ == OK && (isnan(v) || isinf(v))) s_ = 400;                                    \
        emit(name, s_, A.errlen, want, arg);                                                \
    } while (0)
    LOBJ("lmm_obj_ok", OK, "");
    LOBJ("lmm_obj_ok_reml", OK, "", reml_ = 1);
    LOBJ("lmm_obj_ok_reml_any_nonzero", OK, "", reml_ = -7);
    LOBJ("lmm_obj_ok_offdiag_negative", OK, "", theta[1] = -3);
    LOBJ("lmm_obj_ok_all_zero", OK, "", memset(theta, 0, sizeof theta));
    LOBJ("lmm_obj_theta_null", INV, "theta:", pt_ = NULL);
    LOBJ("lmm_obj_value_null", INV, "value:", pv_ = NULL);
    for (int i = 0; i < 4; i++) {
        char name[64], arg[64];
        snprintf(arg, sizeof arg, "theta: element %d", i);
        snprintf(name, sizeof name, "lmm_obj_theta_nan_%d", i);
        LOBJ(name, INV, arg, theta[i] = NAN);
        snprintf(name, sizeof name, "lmm_obj_theta_inf_%d", i);
        LOBJ(name, INV, arg, theta[i] = INFINITY);
    }
    LOBJ("lmm_obj_diag_negative_0", DOM, "theta: element 0", theta[0] = -0.5);
    LOBJ("lmm_obj_diag_negative_3", DOM, "theta: element 3", theta[3] = -1e-300);
    LOBJ("lmm_obj_err_len0", INV, "*", pt_ = NULL; A.errlen = 0);
    LOBJ("lmm_obj_err_len1", INV, "*", pt_ = NULL; A.errlen = 1);
    LOBJ("lmm_obj_err_null", INV, "*", pt_ = NULL; A.err = NULL);

    /* Getters before any fit. */
    lreset(); arm();
    emit("lmm_info_before_fit", glmmgo_lmm_fit_info(LH, &v, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, A.err, A.errlen), A.errlen, STA, "glmmgo_lmm_fit");
    lreset(); arm();
    emit("lmm_theta_before_fit", glmmgo_lmm_theta(LH, theta, 4, A.err, A.errlen), A.errlen, STA, "glmmgo_lmm_fit");
    lreset(); arm();
    emit("lmm_beta_before_fit", glmmgo_lmm_beta(LH, theta, NULL, NULL, 2, A.err, A.errlen), A.errlen, STA, "glmmgo_lmm_fit");
    lreset(); arm();
    emit("lmm_ranef_before_fit", glmmgo_lmm_ranef(LH, theta, NULL, 8, A.err, A.errlen), A.errlen, STA, "glmmgo_lmm_fit");
    lreset(); arm();
    double cv[64];
    emit("lmm_condvar_before_fit", glmmgo_lmm_condvar(LH, cv, 14, A.err, A.errlen), A.errlen, STA, "glmmgo_lmm_fit");

    /* Fit arguments. */
#define LFIT(name, want, arg, ...)                                                                   \
    do {                                                                                             \
        lreset(); const double *t0_ = NULL; double rb_ = 0, re_ = 0; int64_t me_ = 0;                \
        glmmgo_progress_fn pf_ = NULL; void *ud_ = NULL; __VA_ARGS__; arm();                         \
        emit(name, glmmgo_lmm_fit(LH, 0, t0_, rb_, re_, me_, pf_, ud_, A.err, A.errlen), A.errlen, want, arg); \
    } while (0)
    static const double t0nan[4] = {1, NAN, 1, 1}, t0neg[4] = {1, 0, -1, 1}, t0inf[4] = {INFINITY, 0, 1, 1};
    LFIT("lmm_fit_theta0_nan", INV, "theta0: element 1", t0_ = t0nan);
    LFIT("lmm_fit_theta0_inf", INV, "theta0: element 0", t0_ = t0inf);
    LFIT("lmm_fit_theta0_below_bound", DOM, "theta0: element 2", t0_ = t0neg);
    LFIT("lmm_fit_rhobeg_negative", INV, "rhobeg", rb_ = -1);
    LFIT("lmm_fit_rhobeg_nan", INV, "rhobeg", rb_ = NAN);
    LFIT("lmm_fit_rhoend_negative", INV, "rhoend -1e-06", re_ = -1e-6);
    LFIT("lmm_fit_rhoend_gt_rhobeg", INV, "rhoend: rhoend 0.5 exceeds", rb_ = 0.1; re_ = 0.5);
    LFIT("lmm_fit_maxeval_negative", INV, "maxeval:", me_ = -1);
    LFIT("lmm_fit_maxeval_max", INV, "maxeval:", me_ = INT64_MAX);
    LFIT("lmm_fit_cancelled", GLMMGO_ERR_CANCELLED, "cancel", pf_ = cancel_now);
    lreset(); arm();
    emit("lmm_info_after_cancel", glmmgo_lmm_fit_info(LH, &v, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, A.err, A.errlen), A.errlen, STA, "glmmgo_lmm_fit");
    LFIT("lmm_fit_callback_reenters", GLMMGO_ERR_CANCELLED, "cancel", pf_ = reenter; ud_ = &LH);
    printf("lmm_callback_reenter_objective\t%d\t%d\t*\t\n", reenter_status, GLMMGO_ERR_BUSY);
    printf("lmm_callback_reenter_free\t%d\t%d\t*\t\n", reenter_free_status, GLMMGO_ERR_BUSY);
    ncases += 2;
    LFIT("lmm_fit_tiny_budget", INV, "maxeval:", me_ = 3);
    LFIT("lmm_fit_ok", OK, "");

    /* Getters after the fit: lengths and NULLs. */
    lreset(); arm();
    emit("lmm_info_all_null", glmmgo_lmm_fit_info(LH, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_theta_ok", glmmgo_lmm_theta(LH, theta, 4, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_theta_null", glmmgo_lmm_theta(LH, NULL, 4, A.err, A.errlen), A.errlen, INV, "theta:");
    lreset(); arm();
    emit("lmm_theta_len", glmmgo_lmm_theta(LH, theta, 3, A.err, A.errlen), A.errlen, INV, "theta:");
    double beta[4], se[4], vc[16];
    lreset(); arm();
    emit("lmm_beta_ok", glmmgo_lmm_beta(LH, beta, se, vc, 2, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_beta_all_null", glmmgo_lmm_beta(LH, NULL, NULL, NULL, 2, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_beta_p_wrong", glmmgo_lmm_beta(LH, beta, se, vc, 3, A.err, A.errlen), A.errlen, INV, "p:");
    lreset(); arm();
    emit("lmm_beta_p_negative", glmmgo_lmm_beta(LH, beta, se, vc, -2, A.err, A.errlen), A.errlen, INV, "p:");
    lreset(); arm();
    emit("lmm_beta_p_max", glmmgo_lmm_beta(LH, beta, se, vc, INT64_MAX, A.err, A.errlen), A.errlen, INV, "p:");
    double b[16], u[16];
    lreset(); arm();
    emit("lmm_ranef_ok", glmmgo_lmm_ranef(LH, b, u, 8, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_ranef_q_wrong", glmmgo_lmm_ranef(LH, b, u, 7, A.err, A.errlen), A.errlen, INV, "b:");
    lreset(); arm();
    emit("lmm_ranef_both_null", glmmgo_lmm_ranef(LH, NULL, NULL, 8, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_condvar_ok", glmmgo_lmm_condvar(LH, cv, 3 * 4 + 2 * 1, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_condvar_len", glmmgo_lmm_condvar(LH, cv, 13, A.err, A.errlen), A.errlen, INV, "condvar:");
    lreset(); arm();
    emit("lmm_condvar_null", glmmgo_lmm_condvar(LH, NULL, 14, A.err, A.errlen), A.errlen, INV, "condvar:");
    lreset(); arm();
    emit("lmm_condvar_len_max", glmmgo_lmm_condvar(LH, cv, INT64_MAX, A.err, A.errlen), A.errlen, INV, "condvar:");
}

/* Extreme theta: the objective is finite or a numerical-failure status,
   never NaN with success. */
static void cases_lmm_numeric(void) {
    static const double big[] = {1e-300, 1e-8, 1e4, 1e8, 1e12, 1e100, 1e154, 1e200, 1e300, DBL_MAX};
    for (int k = 0; k < 10; k++) {
        for (int reml = 0; reml < 2; reml++) {
            double theta[4] = {big[k], 0.1, big[k], 1}, v = 0;
            char name[64];
            snprintf(name, sizeof name, "lmm_numeric_theta_%g_%s", big[k], reml ? "reml" : "ml");
            lreset(); arm();
            int s = glmmgo_lmm_objective(LH, theta, reml, &v, A.err, A.errlen);
            if (s == OK && (isnan(v) || isinf(v))) s = 400;
            /* Either a finite value or GLMMGO_ERR_NUMERIC: both are fine. */
            int want = s == NUM ? NUM : OK;
            emit(name, s, A.errlen, want, want == OK ? "" : "theta:");
        }
    }
    /* Off-diagonal huge with the diagonal tiny. */
    double theta[4] = {1e-12, 1e150, 1e-12, 1e-300}, v;
    lreset(); arm();
    int s = glmmgo_lmm_objective(LH, theta, 0, &v, A.err, A.errlen);
    if (s == OK && (isnan(v) || isinf(v))) s = 400;
    emit("lmm_numeric_offdiag_huge", s, A.errlen, s == NUM ? NUM : OK, s == NUM ? "theta:" : "");
    /* A perfect fit: y exactly linear in x. */
    lreset();
    for (int i = 0; i < LN; i++) L_y[i] = 1 + 2 * L_x[LN + i];
    glmmgo_handle h = lmm_model();
    double th[4] = {0, 0, 0, 0};
    arm();
    s = glmmgo_lmm_objective(h, th, 0, &v, A.err, A.errlen);
    if (s == OK && (isnan(v) || isinf(v))) s = 400;
    emit("lmm_numeric_perfect_fit", s, A.errlen, NUM, "theta:");
    glmmgo_free(h);
}

/* Wrong-kind handles: an LMM handle to every MCLA call and an MCLA handle
   to every LMM call. */
static void cases_wrong_kind(void) {
    char name[80];
    int64_t i64[16];
    double d[64], v;
    const char *lm = "not an MCLA model", *mc = "not a linear mixed model";
    make_partial();
#define WK(fn, h, call, arg)                                 \
    snprintf(name, sizeof name, "wrong_kind_%s", fn);       \
    reset(); arm(); emit(name, call, A.errlen, HND, arg)
    WK("lmm_to_mcla_set_importance", LH, set_imp(LH), lm);
    WK("lmm_to_mcla_set_samples", LH, set_samp(LH), lm);
    WK("lmm_to_mcla_objective", LH, objective(LH), lm);
    WK("lmm_to_mcla_dims", LH, glmmgo_mcla_dims(LH, i64, NULL, NULL, NULL, NULL, A.err, A.errlen), lm);
    WK("lmm_to_mcla_partial_length", LH, glmmgo_mcla_partial_length(LH, i64, A.err, A.errlen), lm);
    WK("lmm_to_mcla_partial", LH, glmmgo_mcla_partial(LH, base_par, 0, M, 1, part, LEN, A.err, A.errlen), lm);
    WK("lmm_to_mcla_merge", LH, glmmgo_mcla_merge(LH, base_par, 1, part, LEN, &v, NULL, NULL, A.err, A.errlen), lm);
    WK("mcla_to_lmm_dims", HF, glmmgo_lmm_dims(HF, i64, NULL, NULL, NULL, NULL, NULL, A.err, A.errlen), mc);
    WK("mcla_to_lmm_term_order", HF, glmmgo_lmm_term_order(HF, i64, 2, A.err, A.errlen), mc);
    WK("mcla_to_lmm_kept_columns", HF, glmmgo_lmm_kept_columns(HF, i64, 2, A.err, A.errlen), mc);
    WK("mcla_to_lmm_lower", HF, glmmgo_lmm_lower(HF, d, 4, A.err, A.errlen), mc);
    WK("mcla_to_lmm_objective", HF, glmmgo_lmm_objective(HF, d, 0, &v, A.err, A.errlen), mc);
    WK("mcla_to_lmm_fit", HF, glmmgo_lmm_fit(HF, 0, NULL, 0, 0, 0, NULL, NULL, A.err, A.errlen), mc);
    WK("mcla_to_lmm_fit_info", HF, glmmgo_lmm_fit_info(HF, &v, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, A.err, A.errlen), mc);
    WK("mcla_to_lmm_theta", HF, glmmgo_lmm_theta(HF, d, 4, A.err, A.errlen), mc);
    WK("mcla_to_lmm_beta", HF, glmmgo_lmm_beta(HF, d, NULL, NULL, 2, A.err, A.errlen), mc);
    WK("mcla_to_lmm_ranef", HF, glmmgo_lmm_ranef(HF, d, NULL, 8, A.err, A.errlen), mc);
    WK("mcla_to_lmm_condvar", HF, glmmgo_lmm_condvar(HF, d, 14, A.err, A.errlen), mc);
    /* Bad handles of every kind to the LMM calls. */
    glmmgo_handle freed;
    lreset();
    freed = lmm_model();
    glmmgo_free(freed);
    const struct { const char *tag; glmmgo_handle h; } hs[] = {{"zero", 0}, {"never", 123456789}, {"freed", freed}, {"min", INT64_MIN}};
    for (int k = 0; k < 4; k++) {
        glmmgo_handle h = hs[k].h;
#define LH_CASE(fn, call)                                             \
        snprintf(name, sizeof name, "handle_%s_lmm_%s", hs[k].tag, fn); \
        reset(); arm(); emit(name, call, A.errlen, HND, "h: handle")
        LH_CASE("dims", glmmgo_lmm_dims(h, i64, NULL, NULL, NULL, NULL, NULL, A.err, A.errlen));
        LH_CASE("objective", glmmgo_lmm_objective(h, d, 0, &v, A.err, A.errlen));
        LH_CASE("fit", glmmgo_lmm_fit(h, 0, NULL, 0, 0, 0, NULL, NULL, A.err, A.errlen));
        LH_CASE("theta", glmmgo_lmm_theta(h, d, 4, A.err, A.errlen));
        LH_CASE("condvar", glmmgo_lmm_condvar(h, d, 14, A.err, A.errlen));
    }
    /* Freeing an LMM handle twice. */
    reset(); arm();
    emit("lmm_free_twice", glmmgo_free(freed), 0, HND, "*");
}

/* Leaves LH alive for the MCLA-fit cases' wrong-kind checks. */
static void cases_lmm_setup(void) {
    cases_lmm_new();
    cases_lmm_calls();
    cases_lmm_numeric();
    cases_wrong_kind();
}
static void cases_lmm_teardown(void) { glmmgo_free(LH); }
