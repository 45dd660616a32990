/* The LMM functions of glmmgo.h and wrong-kind handles, in the format of
   badinput.c (which includes this file and calls cases_lmm()).
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
static glmmgo_handle LF; /* a fit of it */

static int cancel_now(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)ud; (void)iter; (void)obj; (void)par; (void)npar;
    return 1;
}
/* A callback that (wrongly) calls back into glmmgo with the model being
   fitted: that call must get GLMMGO_ERR_BUSY, not race or deadlock. */
static int reenter_status = -1, reenter_free_status = -1;
static int reenter(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)iter; (void)obj;
    glmmgo_handle h = *(glmmgo_handle *)ud;
    double v;
    reenter_status = glmmgo_lmm_objective(h, par, npar, 0, 1, &v, NULL, 0);
    reenter_free_status = glmmgo_free(h);
    return 1;
}

/* The structure results of a model (or fit) h, and a fit result on it. */
static void lmm_structure_cases(const char *tag, glmmgo_handle h) {
    char name[80];
    int64_t ord[4], kept[4];
    double lower[8];
#define LS(what, call, want, arg)                                   \
    snprintf(name, sizeof name, "lmm_%s_%s", tag, what);            \
    lreset(); arm(); emit(name, call, A.errlen, want, arg)
    LS("order_ok", glmmgo_result_int64(h, GLMMGO_LMM_TERM_ORDER, ord, 2, A.err, A.errlen), OK, "");
    LS("order_null", glmmgo_result_int64(h, GLMMGO_LMM_TERM_ORDER, NULL, 2, A.err, A.errlen), INV, "buf:");
    LS("order_len", glmmgo_result_int64(h, GLMMGO_LMM_TERM_ORDER, ord, 3, A.err, A.errlen), INV,
       "len: is 3; GLMMGO_LMM_TERM_ORDER has 2 values");
    LS("order_len_negative", glmmgo_result_int64(h, GLMMGO_LMM_TERM_ORDER, ord, -1, A.err, A.errlen), INV, "len:");
    LS("kept_ok", glmmgo_result_int64(h, GLMMGO_LMM_KEPT_COLUMNS, kept, 2, A.err, A.errlen), OK, "");
    LS("kept_len", glmmgo_result_int64(h, GLMMGO_LMM_KEPT_COLUMNS, kept, 1, A.err, A.errlen), INV, "len:");
    LS("kept_null", glmmgo_result_int64(h, GLMMGO_LMM_KEPT_COLUMNS, NULL, 2, A.err, A.errlen), INV, "buf:");
    lreset(); arm();
    int s = glmmgo_result(h, GLMMGO_LMM_LOWER, lower, 4, A.err, A.errlen);
    if (s == OK && !(lower[0] == 0 && isinf(lower[1]) && lower[1] < 0 && lower[2] == 0 && lower[3] == 0)) s = 300;
    snprintf(name, sizeof name, "lmm_%s_lower_ok", tag);
    emit(name, s, A.errlen, OK, "");
    LS("lower_null", glmmgo_result(h, GLMMGO_LMM_LOWER, NULL, 4, A.err, A.errlen), INV, "buf:");
    LS("lower_len", glmmgo_result(h, GLMMGO_LMM_LOWER, lower, 5, A.err, A.errlen), INV, "len:");
    LS("lower_as_int64", glmmgo_result_int64(h, GLMMGO_LMM_LOWER, ord, 4, A.err, A.errlen), INV,
       "what: GLMMGO_LMM_LOWER is a double result");
    LS("order_as_double", glmmgo_result(h, GLMMGO_LMM_TERM_ORDER, lower, 2, A.err, A.errlen), INV,
       "what: GLMMGO_LMM_TERM_ORDER is an integer result");
    int64_t ncols[2], nlev[2];
    lreset(); arm();
    s = glmmgo_result_int64(h, GLMMGO_LMM_TERM_NCOLS, ncols, 2, A.err, A.errlen);
    if (s == OK) s = glmmgo_result_int64(h, GLMMGO_LMM_TERM_NLEVELS, nlev, 2, A.err, A.errlen);
    if (s == OK && !(ncols[0] == 2 && ncols[1] == 1 && nlev[0] == 3 && nlev[1] == 2)) s = 300;
    snprintf(name, sizeof name, "lmm_%s_term_shape_ok", tag);
    emit(name, s, A.errlen, OK, "");
#undef LS
}

static void cases_lmm_calls(void) {
    lreset();
    LH = lmm_model();
    struct glmmgo_dims d = {.size = sizeof d};
    arm();
    int s = glmmgo_dims(LH, &d, A.err, A.errlen);
    if (s == OK && (d.kind != GLMMGO_KIND_LMM_MODEL || d.n != LN || d.p != 2 || d.p_given != 2 || d.ntheta != 4 ||
                    d.q != 8 || d.nterms != 2 || d.npar != 4 || d.nvc != 0 || d.m != 0))
        s = 300;
    emit("lmm_dims_ok", s, A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_dims_null", glmmgo_dims(LH, NULL, A.err, A.errlen), A.errlen, INV, "dims:");
    lmm_structure_cases("model", LH);
    double theta[8], v;

    /* The objective. */
    static const double th0[4] = {1, 0.2, 0.5, 0.8};
#define LOBJ(name, want, arg, ...)                                                          \
    do {                                                                                    \
        lreset(); memcpy(theta, th0, sizeof th0); double *pv_ = &v; const double *pt_ = theta; \
        int32_t reml_ = 0, w_ = 1; int64_t nt_ = 4; __VA_ARGS__; arm(); v = 12345;         \
        int s_ = glmmgo_lmm_objective(LH, pt_, nt_, reml_, w_, pv_, A.err, A.errlen);       \
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
    LOBJ("lmm_obj_ntheta_short", INV, "ntheta: is 3; this model has 4 covariance parameters", nt_ = 3);
    LOBJ("lmm_obj_ntheta_long", INV, "ntheta:", nt_ = 5);
    LOBJ("lmm_obj_ntheta_negative", INV, "ntheta:", nt_ = -1);
    LOBJ("lmm_obj_ntheta_max", INV, "ntheta:", nt_ = INT64_MAX);
    LOBJ("lmm_obj_workers_negative", INV, "workers: is -1", w_ = -1);
    LOBJ("lmm_obj_workers_min", INV, "workers:", w_ = INT32_MIN);
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
    /* Every worker count gives the bits of one worker. */
    double v1;
    glmmgo_lmm_objective(LH, th0, 4, 1, 1, &v1, NULL, 0);
    static const int32_t ws[] = {0, 2, 3, 64, INT32_MAX, 1};
    for (int k = 0; k < 6; k++) {
        char name[64];
        snprintf(name, sizeof name, "lmm_obj_workers_%d", (int)ws[k]);
        LOBJ(name, OK, "", reml_ = 1; w_ = ws[k]);
        if (memcmp(&v, &v1, sizeof v)) printf("%s_bits\t300\t0\t\tdiffers from one worker\n", name);
    }

    /* The deviance parts: the objective's checks, and len. */
    double parts[8];
#define LPARTS(name, want, arg, ...)                                                          \
    do {                                                                                      \
        lreset(); memcpy(theta, th0, sizeof th0); double *pp_ = parts; const double *pt_ = theta; \
        int32_t w_ = 1; int64_t nt_ = 4, len_ = 6; __VA_ARGS__; arm();                        \
        int s_ = glmmgo_lmm_deviance_parts(LH, pt_, nt_, w_, pp_, len_, A.err, A.errlen);       \
        emit(name, s_, A.errlen, want, arg);                                                  \
    } while (0)
    LPARTS("lmm_parts_ok", OK, "");
    LPARTS("lmm_parts_theta_null", INV, "theta:", pt_ = NULL);
    LPARTS("lmm_parts_null", INV, "parts:", pp_ = NULL);
    LPARTS("lmm_parts_len_short", INV, "len: is 5; there are 6 parts", len_ = 5);
    LPARTS("lmm_parts_len_long", INV, "len:", len_ = 7);
    LPARTS("lmm_parts_len_negative", INV, "len:", len_ = -1);
    LPARTS("lmm_parts_len_max", INV, "len:", len_ = INT64_MAX);
    LPARTS("lmm_parts_ntheta_short", INV, "ntheta: is 3", nt_ = 3);
    LPARTS("lmm_parts_ntheta_max", INV, "ntheta:", nt_ = INT64_MAX);
    LPARTS("lmm_parts_workers_negative", INV, "workers: is -1", w_ = -1);
    LPARTS("lmm_parts_theta_nan", INV, "theta: element 2", theta[2] = NAN);
    LPARTS("lmm_parts_diag_negative", DOM, "theta: element 3", theta[3] = -1);
    LPARTS("lmm_parts_err_len0", INV, "*", pt_ = NULL; A.errlen = 0);
#undef LPARTS

    /* Fit results on the model: they belong to fits. */
    double cv[64];
    int64_t i64[4];
    lreset(); arm();
    emit("lmm_info_before_fit", glmmgo_result(LH, GLMMGO_LMM_OBJECTIVE, &v, 1, A.err, A.errlen), A.errlen, INV, "glmmgo_lmm_fit");
    lreset(); arm();
    emit("lmm_theta_before_fit", glmmgo_result(LH, GLMMGO_LMM_THETA, theta, 4, A.err, A.errlen), A.errlen, INV, "glmmgo_lmm_fit");
    lreset(); arm();
    emit("lmm_beta_before_fit", glmmgo_result(LH, GLMMGO_LMM_BETA, theta, 2, A.err, A.errlen), A.errlen, INV, "glmmgo_lmm_fit");
    lreset(); arm();
    emit("lmm_ranef_before_fit", glmmgo_result(LH, GLMMGO_LMM_B, theta, 8, A.err, A.errlen), A.errlen, INV, "glmmgo_lmm_fit");
    lreset(); arm();
    emit("lmm_condvar_before_fit", glmmgo_result(LH, GLMMGO_LMM_CONDVAR, cv, 14, A.err, A.errlen), A.errlen, INV, "glmmgo_lmm_fit");
    lreset(); arm();
    emit("lmm_evals_before_fit", glmmgo_result_int64(LH, GLMMGO_LMM_EVALS, i64, 1, A.err, A.errlen), A.errlen, INV,
         "what: 2021 is not a result of a linear mixed model");

    /* Fit arguments. */
    static glmmgo_lmm_options LO;
    static glmmgo_handle fh;
#define LFIT(name, want, arg, ...)                                                                   \
    do {                                                                                             \
        lreset(); glmmgo_lmm_options_default(&LO, sizeof LO, NULL, 0);                               \
        const glmmgo_lmm_options *o_ = &LO; glmmgo_handle *f_ = &fh;                                 \
        glmmgo_progress_fn pf_ = NULL; void *ud_ = NULL; __VA_ARGS__; arm(); fh = 999;               \
        int s_ = glmmgo_lmm_fit(LH, o_, pf_, ud_, f_, A.err, A.errlen);                              \
        if (s_ != OK && f_ == &fh && fh != 0) s_ += 200; /* *fit must be 0 after a failure */                     \
        emit(name, s_, A.errlen, want, arg);                                                         \
        if (s_ == OK) glmmgo_free(fh);                                                               \
    } while (0)
    static const double t0nan[4] = {1, NAN, 1, 1}, t0neg[4] = {1, 0, -1, 1}, t0inf[4] = {INFINITY, 0, 1, 1};
    LFIT("lmm_fit_theta0_nan", INV, "start: element 1", LO.start = t0nan; LO.start_len = 4);
    LFIT("lmm_fit_theta0_inf", INV, "start: element 0", LO.start = t0inf; LO.start_len = 4);
    LFIT("lmm_fit_theta0_below_bound", DOM, "start: element 2", LO.start = t0neg; LO.start_len = 4);
    LFIT("lmm_fit_start_len_short", INV, "start_len: is 3; start needs ntheta = 4 values", LO.start = th0; LO.start_len = 3);
    LFIT("lmm_fit_start_len_max", INV, "start_len:", LO.start = th0; LO.start_len = INT64_MAX);
    LFIT("lmm_fit_start_null_len", INV, "start: is NULL but start_len is 4", LO.start_len = 4);
    LFIT("lmm_fit_rhobeg_negative", INV, "rhobeg", LO.rhobeg = -1);
    LFIT("lmm_fit_rhobeg_nan", INV, "rhobeg", LO.rhobeg = NAN);
    LFIT("lmm_fit_rhoend_negative", INV, "rhoend -1e-06", LO.rhoend = -1e-6);
    LFIT("lmm_fit_rhoend_gt_rhobeg", INV, "rhoend: 0.5 exceeds rhobeg 0.1", LO.rhobeg = 0.1; LO.rhoend = 0.5);
    LFIT("lmm_fit_maxeval_negative", INV, "maxeval:", LO.maxeval = -1);
    LFIT("lmm_fit_maxeval_max", INV, "maxeval:", LO.maxeval = INT64_MAX);
    LFIT("lmm_fit_workers_negative", INV, "workers: is -2", LO.workers = -2);
    LFIT("lmm_fit_opt_null", INV, "opt: is NULL", o_ = NULL);
    LFIT("lmm_fit_size_zero", INV, "size: is 0 bytes", LO.size = 0);
    LFIT("lmm_fit_size_small", INV, "size:", LO.size = sizeof(size_t) - 1);
    LFIT("lmm_fit_size_newer_header", INV, "size:", LO.size = sizeof LO + 8);
    LFIT("lmm_fit_size_max", INV, "size:", LO.size = SIZE_MAX);
    LFIT("lmm_fit_out_null", INV, "fit: is NULL", f_ = NULL);
    LFIT("lmm_fit_cancelled", GLMMGO_ERR_CANCELLED, "cancel", pf_ = cancel_now);
    lreset(); arm();
    emit("lmm_info_after_cancel", glmmgo_result(fh, GLMMGO_LMM_OBJECTIVE, &v, 1, A.err, A.errlen), A.errlen, HND, "h: handle 0");
    LFIT("lmm_fit_callback_reenters", GLMMGO_ERR_CANCELLED, "cancel", pf_ = reenter; ud_ = &LH);
    printf("lmm_callback_reenter_objective\t%d\t%d\t*\t\n", reenter_status, GLMMGO_ERR_BUSY);
    printf("lmm_callback_reenter_free\t%d\t%d\t*\t\n", reenter_free_status, GLMMGO_ERR_BUSY);
    ncases += 2;
    LFIT("lmm_fit_tiny_budget", INV, "maxeval:", LO.maxeval = 3);
    LFIT("lmm_fit_ok", OK, "");
    LFIT("lmm_fit_ok_reml_start", OK, "", LO.reml = 1; LO.start = th0; LO.start_len = 4);
    /* Options from a shorter struct (an older header): the fields beyond
       its size take their defaults, whatever the caller's memory holds. */
    LFIT("lmm_fit_ok_size_reml_only", OK, "", LO.reml = 1; LO.maxeval = -5; LO.workers = -9;
         LO.size = offsetof(glmmgo_lmm_options, reml) + sizeof LO.reml);
    LFIT("lmm_fit_ok_size_header_only", OK, "", LO.rhobeg = NAN; LO.size = sizeof(size_t));
    lreset(); arm();
    emit("lmm_options_default_null", glmmgo_lmm_options_default(NULL, sizeof LO, A.err, A.errlen), A.errlen, INV, "opt:");
    lreset(); arm();
    emit("lmm_options_default_size_zero", glmmgo_lmm_options_default(&LO, 0, A.err, A.errlen), A.errlen, INV, "size:");
    lreset(); arm();
    emit("lmm_options_default_size_big", glmmgo_lmm_options_default(&LO, sizeof LO + 1, A.err, A.errlen), A.errlen, INV, "size:");
    /* A short struct gets defaults up to its size and nothing beyond. */
    lreset(); arm();
    memset(&LO, 0x5A, sizeof LO);
    s = glmmgo_lmm_options_default(&LO, offsetof(glmmgo_lmm_options, rhobeg), A.err, A.errlen);
    {
        glmmgo_lmm_options canary;
        memset(&canary, 0x5A, sizeof canary);
        if (s == OK && (LO.size != offsetof(glmmgo_lmm_options, rhobeg) || LO.reml != 0 || LO.start != NULL ||
                        LO.start_len != 0 || memcmp(&LO.rhobeg, &canary.rhobeg, sizeof LO - offsetof(glmmgo_lmm_options, rhobeg))))
            s = 300;
    }
    emit("lmm_options_default_short", s, A.errlen, OK, "");
    lreset(); arm();
    s = glmmgo_lmm_options_default(&LO, sizeof LO, A.err, A.errlen);
    if (s == OK && !(LO.size == sizeof LO && LO.reml == 0 && LO.start == NULL && LO.start_len == 0 && LO.rhobeg == 0.2 &&
                     LO.rhoend == 0 && LO.maxeval == 10000 && LO.workers == 0))
        s = 300;
    emit("lmm_options_default_ok", s, A.errlen, OK, "");

    lreset();
    glmmgo_lmm_options_default(&LO, sizeof LO, NULL, 0);
    if (glmmgo_lmm_fit(LH, &LO, NULL, NULL, &LF, A.err, A.errlen) != OK) {
        fprintf(stderr, "lmm fit: %s\n", A.err);
        exit(1);
    }
    lmm_structure_cases("fit", LF);
    lreset(); arm();
    s = glmmgo_dims(LF, &d, A.err, A.errlen);
    if (s == OK && (d.kind != GLMMGO_KIND_LMM_FIT || d.ntheta != 4 || d.q != 8 || d.p != 2)) s = 300;
    emit("lmm_fit_dims_ok", s, A.errlen, OK, "");

    /* Results of the fit: lengths and NULLs. */
    lreset(); arm();
    s = OK;
    static const int32_t scalars[] = {GLMMGO_LMM_OBJECTIVE, GLMMGO_LMM_LOGLIK, GLMMGO_LMM_DEVIANCE, GLMMGO_LMM_REMLCRIT,
                                      GLMMGO_LMM_AIC, GLMMGO_LMM_BIC, GLMMGO_LMM_SIGMA};
    for (int k = 0; k < 7 && s == OK; k++) s = glmmgo_result(LF, scalars[k], &v, 1, A.err, A.errlen);
    for (int32_t w = GLMMGO_LMM_EVALS; w <= GLMMGO_LMM_REML && s == OK; w++) s = glmmgo_result_int64(LF, w, i64, 1, A.err, A.errlen);
    emit("lmm_info_all_null", s, A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_theta_ok", glmmgo_result(LF, GLMMGO_LMM_THETA, theta, 4, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_theta_null", glmmgo_result(LF, GLMMGO_LMM_THETA, NULL, 4, A.err, A.errlen), A.errlen, INV, "buf:");
    lreset(); arm();
    emit("lmm_theta_len", glmmgo_result(LF, GLMMGO_LMM_THETA, theta, 3, A.err, A.errlen), A.errlen, INV,
         "len: is 3; GLMMGO_LMM_THETA has 4 values");
    double beta[4], se[4], vc[16];
    lreset(); arm();
    s = glmmgo_result(LF, GLMMGO_LMM_BETA, beta, 2, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(LF, GLMMGO_LMM_SE, se, 2, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(LF, GLMMGO_LMM_VCOV, vc, 4, A.err, A.errlen);
    emit("lmm_beta_ok", s, A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_beta_all_null", glmmgo_result(LF, GLMMGO_LMM_SE, NULL, 2, A.err, A.errlen), A.errlen, INV, "buf:");
    lreset(); arm();
    emit("lmm_beta_p_wrong", glmmgo_result(LF, GLMMGO_LMM_BETA, beta, 3, A.err, A.errlen), A.errlen, INV, "len:");
    lreset(); arm();
    emit("lmm_beta_p_negative", glmmgo_result(LF, GLMMGO_LMM_BETA, beta, -2, A.err, A.errlen), A.errlen, INV, "len:");
    lreset(); arm();
    emit("lmm_beta_p_max", glmmgo_result(LF, GLMMGO_LMM_BETA, beta, INT64_MAX, A.err, A.errlen), A.errlen, INV, "len:");
    lreset(); arm();
    emit("lmm_vcov_len_p", glmmgo_result(LF, GLMMGO_LMM_VCOV, vc, 2, A.err, A.errlen), A.errlen, INV, "len: is 2; GLMMGO_LMM_VCOV has 4");
    double b[16], u[16];
    lreset(); arm();
    s = glmmgo_result(LF, GLMMGO_LMM_B, b, 8, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(LF, GLMMGO_LMM_U, u, 8, A.err, A.errlen);
    emit("lmm_ranef_ok", s, A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_ranef_q_wrong", glmmgo_result(LF, GLMMGO_LMM_B, b, 7, A.err, A.errlen), A.errlen, INV, "len:");
    lreset(); arm();
    emit("lmm_ranef_both_null", glmmgo_result(LF, GLMMGO_LMM_U, NULL, 8, A.err, A.errlen), A.errlen, INV, "buf:");
    lreset(); arm();
    emit("lmm_condvar_ok", glmmgo_result(LF, GLMMGO_LMM_CONDVAR, cv, 3 * 4 + 2 * 1, A.err, A.errlen), A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_condvar_len", glmmgo_result(LF, GLMMGO_LMM_CONDVAR, cv, 13, A.err, A.errlen), A.errlen, INV, "len:");
    lreset(); arm();
    emit("lmm_condvar_null", glmmgo_result(LF, GLMMGO_LMM_CONDVAR, NULL, 14, A.err, A.errlen), A.errlen, INV, "buf:");
    lreset(); arm();
    emit("lmm_condvar_len_max", glmmgo_result(LF, GLMMGO_LMM_CONDVAR, cv, INT64_MAX, A.err, A.errlen), A.errlen, INV, "len:");
    double vcr[8];
    lreset(); arm();
    s = glmmgo_result(LF, GLMMGO_LMM_VARCORR, vcr, 5, A.err, A.errlen);
    /* A correlation is NaN where one of its standard deviations is 0 (a
       singular fit, as lme4's VarCorr reports it), else within [-1, 1]. */
    int corr_ok = (vcr[0] == 0 || vcr[1] == 0) ? isnan(vcr[2]) : fabs(vcr[2]) <= 1;
    if (s == OK && !(vcr[0] >= 0 && vcr[1] >= 0 && corr_ok && vcr[3] >= 0 && vcr[4] > 0)) s = 300;
    emit("lmm_varcorr_ok", s, A.errlen, OK, "");
    lreset(); arm();
    emit("lmm_varcorr_len", glmmgo_result(LF, GLMMGO_LMM_VARCORR, vcr, 4, A.err, A.errlen), A.errlen, INV,
         "len: is 4; GLMMGO_LMM_VARCORR has 5 values");
    lreset(); arm();
    emit("lmm_evals_as_double", glmmgo_result(LF, GLMMGO_LMM_EVALS, &v, 1, A.err, A.errlen), A.errlen, INV,
         "what: GLMMGO_LMM_EVALS is an integer result: read it with glmmgo_result_int64");
    lreset(); arm();
    emit("lmm_mcla_code_on_fit", glmmgo_result(LF, GLMMGO_MCLA_BETA, beta, 2, A.err, A.errlen), A.errlen, INV,
         "what: 1001 is not a result of a linear mixed model fit");
    lreset(); arm();
    emit("lmm_confint_no_wald", glmmgo_confint(LF, 0.95, beta, se, 2, A.err, A.errlen), A.errlen, HND,
         "is a linear mixed model fit, not an MCLA, laplace or mixlogit fit");
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
            int s = glmmgo_lmm_objective(LH, theta, 4, reml, 1, &v, A.err, A.errlen);
            if (s == OK && (isnan(v) || isinf(v))) s = 400;
            /* Either a finite value or GLMMGO_ERR_NUMERIC: both are fine. */
            int want = s == NUM ? NUM : OK;
            emit(name, s, A.errlen, want, want == OK ? "" : "theta:");
        }
    }
    /* Off-diagonal huge with the diagonal tiny. */
    double theta[4] = {1e-12, 1e150, 1e-12, 1e-300}, v;
    lreset(); arm();
    int s = glmmgo_lmm_objective(LH, theta, 4, 0, 1, &v, A.err, A.errlen);
    if (s == OK && (isnan(v) || isinf(v))) s = 400;
    emit("lmm_numeric_offdiag_huge", s, A.errlen, s == NUM ? NUM : OK, s == NUM ? "theta:" : "");
    /* A perfect fit: y exactly linear in x. */
    lreset();
    for (int i = 0; i < LN; i++) L_y[i] = 1 + 2 * L_x[LN + i];
    glmmgo_handle h = lmm_model();
    double th[4] = {0, 0, 0, 0};
    arm();
    s = glmmgo_lmm_objective(h, th, 4, 0, 1, &v, A.err, A.errlen);
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
    const char *lm = "not an MCLA model", *mc = "not a linear mixed model", *nores = "what:";
    glmmgo_handle out;
    make_partial();
#define WK(fn, h, call, want, arg)                           \
    snprintf(name, sizeof name, "wrong_kind_%s", fn);       \
    reset(); arm(); emit(name, call, A.errlen, want, arg)
    WK("lmm_to_mcla_set_importance", LH, set_imp(LH), HND, lm);
    WK("lmm_to_mcla_set_samples", LH, set_samp(LH), HND, lm);
    WK("lmm_to_mcla_set_dispersion", LH, glmmgo_mcla_set_dispersion(LH, 1, A.err, A.errlen), HND, lm);
    WK("lmm_to_mcla_objective", LH, objective(LH), HND, lm);
    WK("lmm_to_mcla_partial_length", LH, glmmgo_mcla_partial_length(LH, i64, A.err, A.errlen), HND, lm);
    WK("lmm_to_mcla_partial", LH, glmmgo_mcla_partial(LH, base_par, D, 0, M, 1, part, LEN, A.err, A.errlen), HND, lm);
    WK("lmm_to_mcla_merge", LH, glmmgo_mcla_merge(LH, base_par, D, 1, part, LEN, &v, NULL, NULL, A.err, A.errlen), HND, lm);
    WK("lmm_fit_to_mcla_objective", LF, objective(LF), HND, "is a linear mixed model fit, not an MCLA model");
    WK("mcla_to_lmm_term_order", HF, glmmgo_result_int64(HF, GLMMGO_LMM_TERM_ORDER, i64, 2, A.err, A.errlen), INV, nores);
    WK("mcla_to_lmm_kept_columns", HF, glmmgo_result_int64(HF, GLMMGO_LMM_KEPT_COLUMNS, i64, 2, A.err, A.errlen), INV, nores);
    WK("mcla_to_lmm_lower", HF, glmmgo_result(HF, GLMMGO_LMM_LOWER, d, 4, A.err, A.errlen), INV, nores);
    WK("mcla_to_lmm_objective", HF, glmmgo_lmm_objective(HF, d, 4, 0, 1, &v, A.err, A.errlen), HND, mc);
    WK("mcla_to_lmm_fit", HF, glmmgo_lmm_fit(HF, NULL, NULL, NULL, &out, A.err, A.errlen), HND, mc);
    WK("lmm_fit_to_lmm_fit", LF, glmmgo_lmm_fit(LF, NULL, NULL, NULL, &out, A.err, A.errlen), HND,
       "is a linear mixed model fit, not a linear mixed model");
    WK("lmm_fit_to_lmm_objective", LF, glmmgo_lmm_objective(LF, d, 4, 0, 1, &v, A.err, A.errlen), HND, mc);
    WK("mcla_to_lmm_deviance_parts", HF, glmmgo_lmm_deviance_parts(HF, d, 4, 1, d + 8, 6, A.err, A.errlen), HND, mc);
    WK("lmm_fit_to_lmm_deviance_parts", LF, glmmgo_lmm_deviance_parts(LF, d, 4, 1, d + 8, 6, A.err, A.errlen), HND, mc);
    WK("mcla_to_lmm_derivatives", HF, glmmgo_lmm_derivatives(HF, d, 4, 0, 0, 1, &v, d + 8, 4, NULL, 0, A.err, A.errlen), HND, mc);
    WK("lmm_fit_to_lmm_derivatives", LF, glmmgo_lmm_derivatives(LF, d, 4, 0, 0, 1, &v, d + 8, 4, NULL, 0, A.err, A.errlen), HND, mc);
    WK("mcla_to_lmm_fit_info", HF, glmmgo_result(HF, GLMMGO_LMM_OBJECTIVE, &v, 1, A.err, A.errlen), INV, nores);
    WK("mcla_to_lmm_theta", HF, glmmgo_result(HF, GLMMGO_LMM_THETA, d, 4, A.err, A.errlen), INV, nores);
    WK("mcla_to_lmm_beta", HF, glmmgo_result(HF, GLMMGO_LMM_BETA, d, 2, A.err, A.errlen), INV, nores);
    WK("mcla_to_lmm_ranef", HF, glmmgo_result(HF, GLMMGO_LMM_B, d, 8, A.err, A.errlen), INV, nores);
    WK("mcla_to_lmm_condvar", HF, glmmgo_result(HF, GLMMGO_LMM_CONDVAR, d, 14, A.err, A.errlen), INV, nores);
#undef WK
    /* Bad handles of every kind to the LMM calls. */
    glmmgo_handle freed;
    lreset();
    freed = lmm_model();
    glmmgo_free(freed);
    const struct { const char *tag; glmmgo_handle h; } hs[] = {{"zero", 0}, {"never", 123456789}, {"freed", freed}, {"min", INT64_MIN}};
    glmmgo_lmm_options lo;
    glmmgo_lmm_options_default(&lo, sizeof lo, NULL, 0);
    for (int k = 0; k < 4; k++) {
        glmmgo_handle h = hs[k].h;
        struct glmmgo_dims dd = {.size = sizeof dd};
#define LH_CASE(fn, call)                                             \
        snprintf(name, sizeof name, "handle_%s_lmm_%s", hs[k].tag, fn); \
        reset(); arm(); emit(name, call, A.errlen, HND, "handle")
        LH_CASE("dims", glmmgo_dims(h, &dd, A.err, A.errlen));
        LH_CASE("objective", glmmgo_lmm_objective(h, d, 4, 0, 1, &v, A.err, A.errlen));
        LH_CASE("deviance_parts", glmmgo_lmm_deviance_parts(h, d, 4, 1, d + 8, 6, A.err, A.errlen));
        LH_CASE("derivatives", glmmgo_lmm_derivatives(h, d, 4, 0, 0, 1, &v, d + 8, 4, NULL, 0, A.err, A.errlen));
        LH_CASE("fit", glmmgo_lmm_fit(h, &lo, NULL, NULL, &out, A.err, A.errlen));
        LH_CASE("theta", glmmgo_result(h, GLMMGO_LMM_THETA, d, 4, A.err, A.errlen));
        LH_CASE("condvar", glmmgo_result(h, GLMMGO_LMM_CONDVAR, d, 14, A.err, A.errlen));
        LH_CASE("result_length", glmmgo_result_length(h, GLMMGO_LMM_THETA, i64, A.err, A.errlen));
        LH_CASE("ints", glmmgo_result_int64(h, GLMMGO_LMM_EVALS, i64, 1, A.err, A.errlen));
#undef LH_CASE
    }
    /* Freeing an LMM handle twice. */
    reset(); arm();
    emit("lmm_free_twice", glmmgo_free(freed), 0, HND, "*");
}

/* A fit stays valid after its model is freed, with every result,
   including the conditional variances computed only now. */
static void cases_lmm_fit_outlives_model(void) {
    lreset();
    glmmgo_handle h = lmm_model(), f = 0;
    glmmgo_lmm_options o;
    glmmgo_lmm_options_default(&o, sizeof o, NULL, 0);
    o.reml = 1;
    int s = glmmgo_lmm_fit(h, &o, NULL, NULL, &f, A.err, A.errlen);
    double cv1[14], cv2[14], th1[4], th2[4];
    if (s == OK) s = glmmgo_result(f, GLMMGO_LMM_THETA, th1, 4, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(f, GLMMGO_LMM_CONDVAR, cv1, 14, A.err, A.errlen);
    glmmgo_handle f2 = 0;
    if (s == OK) s = glmmgo_lmm_fit(h, &o, NULL, NULL, &f2, A.err, A.errlen);
    if (s == OK) s = glmmgo_free(h);
    arm();
    if (s == OK) s = glmmgo_result(f2, GLMMGO_LMM_THETA, th2, 4, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(f2, GLMMGO_LMM_CONDVAR, cv2, 14, A.err, A.errlen);
    if (s == OK && (memcmp(th1, th2, sizeof th1) || memcmp(cv1, cv2, sizeof cv1))) s = 300;
    emit("lmm_fit_outlives_model", s, A.errlen, OK, "");
    double v;
    reset(); arm();
    emit("lmm_freed_model_objective", glmmgo_lmm_objective(h, th1, 4, 0, 1, &v, A.err, A.errlen), A.errlen, HND, "model: handle");
    glmmgo_free(f);
    reset(); arm();
    emit("lmm_last_fit_freed_ok", glmmgo_free(f2), 0, OK, "*");
}

/* Leaves LH and LF alive for the MCLA-fit cases' wrong-kind checks. */
static void cases_lmm_setup(void) {
    cases_lmm_new();
    cases_lmm_calls();
    cases_lmm_numeric();
    cases_wrong_kind();
    cases_lmm_fit_outlives_model();
}
static void cases_lmm_teardown(void) {
    glmmgo_free(LF);
    glmmgo_free(LH);
}
