/* The laplace functions of glmmgo.h (glmmgo_laplace_new, _objective,
   _options_default, _fit, their results, glmmgo_confint and glmmgo_dims on
   laplace handles), in the format of badinput.c (which includes this file
   and calls cases_laplace()).
   Base model: n = 12 binomial observations (trials 3..6), p = 2
   (intercept, x), one term: a factor with 3 levels, one column; every
   array lives in a buffer larger than n, so that inflated sizes never read
   past the caller's memory. */

#define PN 12
#define PBIG 4096
static double P_y[PBIG], P_t[PBIG], P_w[PBIG], P_o[PBIG], P_x[PBIG], P_z[PBIG];
static int64_t P_lev[PBIG], P_k[PBIG], P_codes[PBIG];

static struct {
    int64_t n, p, nterms;
    int32_t fam, link;
    double disp;
    const double *y, *t, *w, *o, *x, *z;
    const int64_t *lev, *k, *codes;
    glmmgo_handle *out;
    glmmgo_handle h;
} GA;

static void preset(void) {
    reset();
    memset(P_y, 0, sizeof P_y); memset(P_x, 0, sizeof P_x); memset(P_z, 0, sizeof P_z);
    memset(P_codes, 0, sizeof P_codes);
    static const double yv[PN] = {1, 3, 0, 2, 4, 1, 5, 2, 3, 0, 2, 4};
    for (int i = 0; i < PN; i++) {
        P_y[i] = yv[i];
        P_t[i] = 3 + i % 4 + (yv[i] > 3 ? 2 : 0);
        P_w[i] = 1 + 0.25 * (i % 2);
        P_o[i] = 0.1 * (i % 3);
        P_x[i] = 1;
        P_x[PN + i] = (i % 4) - 1.5;
        P_codes[i] = i % 3;
        P_codes[PN + i] = i / 6;
        P_z[i] = P_z[PN + i] = 1;
    }
    P_lev[0] = 3; P_lev[1] = 2;
    P_k[0] = 1; P_k[1] = 1;
    GA.n = PN; GA.p = 2; GA.nterms = 1; GA.fam = GLMMGO_BINOMIAL; GA.link = GLMMGO_LINK_DEFAULT; GA.disp = 0;
    GA.y = P_y; GA.t = P_t; GA.w = NULL; GA.o = NULL; GA.x = P_x; GA.z = P_z;
    GA.lev = P_lev; GA.k = P_k; GA.codes = P_codes; GA.out = &GA.h;
}

static int pnew(glmmgo_handle *out, char *err, size_t errlen) {
    return glmmgo_laplace_new(GA.n, GA.p, GA.fam, GA.link, GA.y, GA.t, GA.w, GA.o, GA.disp, GA.x, GA.nterms, GA.lev, GA.k,
                              GA.codes, GA.z, out, err, errlen);
}

static void run_pnew(const char *name, int want, const char *arg) {
    arm();
    GA.h = 5555;
    int s = pnew(GA.out, A.err, A.errlen);
    if (s != OK && GA.out == &GA.h && GA.h != 0) s += 200; /* *model must be 0 after a failure */
    emit(name, s, A.errlen, want, arg);
    if (s == OK) glmmgo_free(GA.h);
}

#define GCASE(name, want, arg, ...) CASE(run_pnew, name, want, arg, preset(); __VA_ARGS__)

static void cases_laplace_new(void) {
    char name[96];
    GCASE("laplace_new_ok", OK, "");
    GCASE("laplace_new_ok_weights_offset", OK, "", GA.w = P_w; GA.o = P_o);
    GCASE("laplace_new_ok_two_terms", OK, "", GA.nterms = 2);
    GCASE("laplace_new_ok_p0_x_null", OK, "", GA.p = 0; GA.x = NULL);
    GCASE("laplace_new_ok_probit", OK, "", GA.link = GLMMGO_LINK_PROBIT);
    GCASE("laplace_new_ok_cloglog", OK, "", GA.link = GLMMGO_LINK_CLOGLOG);
    GCASE("laplace_new_ok_bernoulli", OK, "", GA.fam = GLMMGO_BERNOULLI; GA.t = NULL; for (int i = 0; i < PN; i++) P_y[i] = i % 2);
    GCASE("laplace_new_ok_poisson", OK, "", GA.fam = GLMMGO_POISSON; GA.t = NULL);
    GCASE("laplace_new_ok_negbinomial", OK, "", GA.fam = GLMMGO_NEGBINOMIAL; GA.t = NULL; GA.disp = 2.5);
    GCASE("laplace_new_ok_observation_level", OK, "", GA.fam = GLMMGO_POISSON; GA.t = NULL; GA.nterms = 2;
          P_lev[1] = PN; for (int i = 0; i < PN; i++) P_codes[PN + i] = i);
    GCASE("laplace_new_n_zero", INV, "n:", GA.n = 0);
    GCASE("laplace_new_n_negative", INV, "n:", GA.n = -1);
    GCASE("laplace_new_n_max", INV, "n:", GA.n = INT64_MAX);
    GCASE("laplace_new_p_negative", INV, "p:", GA.p = -1);
    GCASE("laplace_new_p_max", INV, "p:", GA.p = INT64_MAX);
    GCASE("laplace_new_np_overflow", INV, "x:", GA.n = (int64_t)1 << 39; GA.p = (int64_t)1 << 39);
    GCASE("laplace_new_nterms_zero", INV, "nterms:", GA.nterms = 0);
    GCASE("laplace_new_nterms_max", INV, "nterms:", GA.nterms = INT64_MAX);
    GCASE("laplace_new_codes_overflow", INV, "codes:", GA.n = (int64_t)1 << 35; GA.nterms = (int64_t)1 << 35);
    GCASE("laplace_new_y_null", INV, "y:", GA.y = NULL);
    GCASE("laplace_new_x_null", INV, "x:", GA.x = NULL);
    GCASE("laplace_new_z_null", INV, "z:", GA.z = NULL);
    GCASE("laplace_new_codes_null", INV, "codes:", GA.codes = NULL);
    GCASE("laplace_new_nlevels_null", INV, "nlevels:", GA.lev = NULL);
    GCASE("laplace_new_ncols_null", INV, "ncols:", GA.k = NULL);
    GCASE("laplace_new_out_null", INV, "out:", GA.out = NULL);
    GCASE("laplace_new_family_zero", INV, "family:", GA.fam = 0);
    GCASE("laplace_new_family_99", INV, "family:", GA.fam = 99);
    GCASE("laplace_new_link_99", INV, "link:", GA.link = 99);
    GCASE("laplace_new_link_log_binomial", INV, "link:", GA.link = GLMMGO_LINK_LOG);
    GCASE("laplace_new_link_logit_poisson", INV, "link:", GA.fam = GLMMGO_POISSON; GA.t = NULL; GA.link = GLMMGO_LINK_LOGIT);
    GCASE("laplace_new_bernoulli_y_2", INV, "y:", GA.fam = GLMMGO_BERNOULLI; GA.t = NULL; for (int i = 0; i < PN; i++) P_y[i] = i % 2; P_y[3] = 2);
    GCASE("laplace_new_binomial_y_gt_trials", INV, "y:", P_y[4] = 99);
    GCASE("laplace_new_binomial_y_fraction", INV, "y:", P_y[4] = 1.5);
    GCASE("laplace_new_binomial_trials_zero", INV, "trials", P_t[2] = 0; P_y[2] = 0);
    GCASE("laplace_new_binomial_trials_negative", INV, "trials", P_t[2] = -3);
    GCASE("laplace_new_poisson_y_negative", INV, "y:", GA.fam = GLMMGO_POISSON; GA.t = NULL; P_y[5] = -1);
    GCASE("laplace_new_poisson_trials_given", INV, "trials", GA.fam = GLMMGO_POISSON; P_t[0] = 3);
    GCASE("laplace_new_negbinomial_no_size", INV, "dispersion", GA.fam = GLMMGO_NEGBINOMIAL; GA.t = NULL; GA.disp = 0);
    GCASE("laplace_new_negbinomial_size_nan", INV, "dispersion", GA.fam = GLMMGO_NEGBINOMIAL; GA.t = NULL; GA.disp = NAN);
    GCASE("laplace_new_poisson_dispersion", INV, "dispersion", GA.fam = GLMMGO_POISSON; GA.t = NULL; GA.disp = 2);
    GCASE("laplace_new_weights_negative", INV, "weights", GA.w = P_w; P_w[3] = -1);
    GCASE("laplace_new_weights_all_zero", INV, "weights", GA.w = P_w; for (int i = 0; i < PN; i++) P_w[i] = 0);
    static const struct { const char *tag; double v; } bad[] = {{"nan", NAN}, {"inf", INFINITY}, {"ninf", -INFINITY}};
    for (int b = 0; b < 3; b++) {
        snprintf(name, sizeof name, "laplace_new_y_%s", bad[b].tag);
        GCASE(name, INV, "y:", P_y[4] = bad[b].v);
        snprintf(name, sizeof name, "laplace_new_offset_%s", bad[b].tag);
        GCASE(name, INV, "offset:", GA.o = P_o; P_o[7] = bad[b].v);
        snprintf(name, sizeof name, "laplace_new_x_%s", bad[b].tag);
        GCASE(name, INV, "x:", P_x[PN + 5] = bad[b].v);
        snprintf(name, sizeof name, "laplace_new_trials_%s", bad[b].tag);
        GCASE(name, INV, "trials", P_t[6] = bad[b].v);
        snprintf(name, sizeof name, "laplace_new_weights_%s", bad[b].tag);
        GCASE(name, INV, "weights", GA.w = P_w; P_w[6] = bad[b].v);
    }
    GCASE("laplace_new_nlevels_one", INV, "nlevels", P_lev[0] = 1);
    GCASE("laplace_new_nlevels_max", INV, "nlevels", P_lev[0] = INT64_MAX);
    GCASE("laplace_new_nlevels_above_n", INV, "nlevels: term 1 has 13 levels for 12 observations; the number of levels must be at most",
          GA.nterms = 2; P_lev[1] = PN + 1; for (int i = 0; i < PN; i++) P_codes[PN + i] = i);
    GCASE("laplace_new_ncols_zero", INV, "ncols", P_k[0] = 0);
    GCASE("laplace_new_ncols_max", INV, "ncols", P_k[0] = INT64_MAX);
    GCASE("laplace_new_code_range", INV, "codes: term 0: observation 5", P_codes[5] = 3);
    GCASE("laplace_new_code_negative", INV, "codes: term 0: observation 5", P_codes[5] = -1);
    GCASE("laplace_new_err_len0", INV, "*", GA.n = 0; A.errlen = 0);
    GCASE("laplace_new_err_null", INV, "*", GA.n = 0; A.err = NULL);
}

static glmmgo_handle GH, GH2; /* the base model; one with two terms */
static glmmgo_handle GF;      /* a fit of GH */

static int p_cancel_now(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)ud; (void)iter; (void)obj; (void)par; (void)npar;
    return 1;
}
/* A callback that calls back into the model being fitted: GLMMGO_ERR_BUSY. */
static int p_reenter_status = -1;
static int p_reenter(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)iter; (void)obj;
    double v;
    p_reenter_status = glmmgo_laplace_objective(*(glmmgo_handle *)ud, par, npar, 1, 1, 1, &v, NULL, 0);
    return 1;
}

static void cases_laplace_objective(void) {
    static const double par0[3] = {0.8, -0.3, 0.2};
    double par[3], v;
#define POBJ(name, want, arg, ...)                                                                     \
    do {                                                                                               \
        preset(); memcpy(par, par0, sizeof par0); double *pv_ = &v; const double *pp_ = par;          \
        int64_t np_ = 3; int32_t q_ = 1, fast_ = 0, w_ = 1; glmmgo_handle h_ = GH; __VA_ARGS__; arm(); \
        v = 12345;                                                                                     \
        int s_ = glmmgo_laplace_objective(h_, pp_, np_, q_, fast_, w_, pv_, A.err, A.errlen);         \
        if (s_ == OK && !isfinite(v)) s_ = 400;                                                        \
        emit(name, s_, A.errlen, want, arg);                                                           \
    } while (0)
    POBJ("laplace_obj_ok", OK, "");
    POBJ("laplace_obj_ok_fast", OK, "", np_ = 1; fast_ = 1);
    POBJ("laplace_obj_ok_agq", OK, "", q_ = 9);
    POBJ("laplace_obj_ok_agq_25", OK, "", q_ = 25);
    POBJ("laplace_obj_ok_theta_zero", OK, "", par[0] = 0);
    POBJ("laplace_obj_par_null", INV, "par:", pp_ = NULL);
    POBJ("laplace_obj_value_null", INV, "value:", pv_ = NULL);
    POBJ("laplace_obj_npar_short", INV, "npar: is 2; want ntheta + p = 3", np_ = 2);
    POBJ("laplace_obj_npar_max", INV, "npar:", np_ = INT64_MAX);
    POBJ("laplace_obj_npar_fast", INV, "npar: is 3; want ntheta", fast_ = 1);
    POBJ("laplace_obj_nagq_zero", INV, "nagq: is 0", q_ = 0);
    POBJ("laplace_obj_nagq_26", INV, "nagq: is 26", q_ = 26);
    POBJ("laplace_obj_nagq_fast", INV, "nagq: is 3 with fast", q_ = 3; fast_ = 1; np_ = 1);
    POBJ("laplace_obj_nagq_two_terms", INV, "nagq: is 5; adaptive Gauss-Hermite quadrature needs a single scalar", q_ = 5; h_ = GH2; np_ = 4);
    POBJ("laplace_obj_workers_negative", INV, "workers: is -1", w_ = -1);
    POBJ("laplace_obj_theta_negative", DOM, "par: element 0 (theta)", par[0] = -0.1);
    POBJ("laplace_obj_par_nan", INV, "par: element 1", par[1] = NAN);
    POBJ("laplace_obj_par_inf", INV, "par: element 2", par[2] = INFINITY);
    POBJ("laplace_obj_handle_zero", HND, "model: handle 0", h_ = 0);
    POBJ("laplace_obj_handle_lmm", HND, "not a Laplace/AGQ GLMM", h_ = LH);
    POBJ("laplace_obj_err_null", INV, "*", pp_ = NULL; A.err = NULL);
    /* Every worker count gives the bits of one worker, whatever came before. */
    double v1;
    glmmgo_laplace_objective(GH, par0, 3, 1, 0, 1, &v1, NULL, 0);
    static const int32_t ws[] = {0, 2, 3, 64, 1};
    for (int k = 0; k < 5; k++) {
        char name[64];
        snprintf(name, sizeof name, "laplace_obj_workers_%d", (int)ws[k]);
        POBJ(name, OK, "", w_ = ws[k]);
        if (memcmp(&v, &v1, sizeof v)) printf("%s_bits\t300\t0\t\tdiffers from one worker\n", name);
    }
    /* Extreme parameters: a finite value or GLMMGO_ERR_NUMERIC naming what failed, never NaN with success. */
    static const double big[] = {1e4, 1e8, 1e150, 1e300};
    for (int k = 0; k < 4; k++) {
        char name[64];
        snprintf(name, sizeof name, "laplace_obj_extreme_%g", big[k]);
        preset(); memcpy(par, par0, sizeof par0); par[0] = big[k]; par[1] = big[k]; arm();
        int s = glmmgo_laplace_objective(GH, par, 3, 1, 0, 1, &v, A.err, A.errlen);
        if (s == OK && !isfinite(v)) s = 400;
        emit(name, s, A.errlen, s == NUM ? NUM : OK, s == NUM ? "PIRLS" : "");
    }
#undef POBJ
}

static void cases_laplace_fit(void) {
    static glmmgo_laplace_options PO;
    static glmmgo_handle fh;
    static const double st_theta[1] = {0.5}, st_full[3] = {0.5, -0.5, 0.1}, st_neg[1] = {-1}, st_nan[3] = {0.5, NAN, 0};
#define PFIT(name, want, arg, ...)                                                                   \
    do {                                                                                             \
        preset(); glmmgo_laplace_options_default(&PO, sizeof PO, NULL, 0);                           \
        const glmmgo_laplace_options *o_ = &PO; glmmgo_handle *f_ = &fh; glmmgo_handle h_ = GH;      \
        glmmgo_progress_fn pf_ = NULL; void *ud_ = NULL; __VA_ARGS__; arm(); fh = 999;               \
        int s_ = glmmgo_laplace_fit(h_, o_, pf_, ud_, f_, A.err, A.errlen);                          \
        if (s_ != OK && f_ == &fh && fh != 0) s_ += 200;                                             \
        emit(name, s_, A.errlen, want, arg);                                                         \
        if (s_ == OK) glmmgo_free(fh);                                                               \
    } while (0)
    PFIT("laplace_fit_ok", OK, "");
    PFIT("laplace_fit_ok_fast", OK, "", PO.fast = 1);
    PFIT("laplace_fit_ok_agq", OK, "", PO.nagq = 7);
    PFIT("laplace_fit_ok_start_theta", OK, "", PO.start = st_theta; PO.start_len = 1);
    PFIT("laplace_fit_ok_start_full", OK, "", PO.start = st_full; PO.start_len = 3);
    PFIT("laplace_fit_ok_start_default", OK, "", PO.theta_start = GLMMGO_LAPLACE_START_DEFAULT);
    PFIT("laplace_fit_ok_start_lmm", OK, "", PO.theta_start = GLMMGO_LAPLACE_START_LMM);
    PFIT("laplace_fit_ok_no_hessian", OK, "", PO.no_hessian = 1);
    PFIT("laplace_fit_ok_size_fast_only", OK, "", PO.fast = 1; PO.nagq = -4; PO.workers = -9; PO.rhobeg = NAN;
         PO.size = offsetof(glmmgo_laplace_options, fast) + sizeof PO.fast);
    PFIT("laplace_fit_ok_size_header_only", OK, "", PO.nagq = 0; PO.size = sizeof(size_t));
    PFIT("laplace_fit_nagq_zero", INV, "nagq: is 0", PO.nagq = 0);
    PFIT("laplace_fit_nagq_26", INV, "nagq: is 26", PO.nagq = 26);
    PFIT("laplace_fit_nagq_fast", INV, "nagq: is 3 with fast", PO.nagq = 3; PO.fast = 1);
    PFIT("laplace_fit_nagq_two_terms", INV, "nagq: is 3; adaptive", PO.nagq = 3; h_ = GH2);
    PFIT("laplace_fit_start_len", INV, "start_len: is 2", PO.start = st_full; PO.start_len = 2);
    PFIT("laplace_fit_start_len_max", INV, "start_len:", PO.start = st_full; PO.start_len = INT64_MAX);
    PFIT("laplace_fit_start_null_len", INV, "start: is NULL but start_len is 3", PO.start_len = 3);
    PFIT("laplace_fit_start_full_fast", INV, "start: has length 3", PO.start = st_full; PO.start_len = 3; PO.fast = 1);
    PFIT("laplace_fit_start_negative", DOM, "start: element 0", PO.start = st_neg; PO.start_len = 1);
    PFIT("laplace_fit_start_nan", INV, "start: element 1", PO.start = st_nan; PO.start_len = 3);
    PFIT("laplace_fit_theta_start_bad", INV, "theta_start: is 7", PO.theta_start = 7);
    PFIT("laplace_fit_rhobeg_zero", INV, "rhobeg", PO.rhobeg = 0);
    PFIT("laplace_fit_rhobeg_nan", INV, "rhobeg", PO.rhobeg = NAN);
    PFIT("laplace_fit_rhoend_gt_rhobeg", INV, "rhobeg", PO.rhoend = 1);
    PFIT("laplace_fit_maxeval_zero", INV, "maxeval: is 0", PO.maxeval = 0);
    PFIT("laplace_fit_maxeval_max", INV, "maxeval:", PO.maxeval = INT64_MAX);
    PFIT("laplace_fit_pirls_tol_zero", INV, "pirls_tol: is 0", PO.pirls_tol = 0);
    PFIT("laplace_fit_pirls_tol_nan", INV, "pirls_tol", PO.pirls_tol = NAN);
    PFIT("laplace_fit_pirls_maxiter_zero", INV, "pirls_maxiter: is 0", PO.pirls_maxiter = 0);
    PFIT("laplace_fit_pirls_max_halvings_max", INV, "pirls_max_halvings:", PO.pirls_max_halvings = INT64_MAX);
    PFIT("laplace_fit_workers_negative", INV, "workers: is -2", PO.workers = -2);
    PFIT("laplace_fit_opt_null", INV, "opt: is NULL", o_ = NULL);
    PFIT("laplace_fit_size_zero", INV, "size: is 0 bytes", PO.size = 0);
    PFIT("laplace_fit_size_newer_header", INV, "size:", PO.size = sizeof PO + 8);
    PFIT("laplace_fit_out_null", INV, "fit: is NULL", f_ = NULL);
    PFIT("laplace_fit_handle_zero", HND, "model: handle 0", h_ = 0);
    PFIT("laplace_fit_handle_lmm", HND, "not a Laplace/AGQ GLMM", h_ = LH);
    PFIT("laplace_fit_cancelled", GLMMGO_ERR_CANCELLED, "cancel", pf_ = p_cancel_now);
    PFIT("laplace_fit_callback_reenters", GLMMGO_ERR_CANCELLED, "cancel", pf_ = p_reenter; ud_ = &GH);
    printf("laplace_callback_reenter_objective\t%d\t%d\t*\t\n", p_reenter_status, GLMMGO_ERR_BUSY);
    ncases++;
    PFIT("laplace_fit_maxeval_tiny", INV, "maxeval: is 3", PO.maxeval = 3);
    /* Running out of evaluations is a fit that says it did not converge. */
    {
        preset();
        glmmgo_laplace_options_default(&PO, sizeof PO, NULL, 0);
        PO.maxeval = 10;
        arm();
        glmmgo_handle f = 0;
        int s = glmmgo_laplace_fit(GH, &PO, NULL, NULL, &f, A.err, A.errlen);
        int64_t conv = -1, st[2] = {-1, -1};
        if (s == OK) s = glmmgo_result_int64(f, GLMMGO_LAPLACE_CONVERGED, &conv, 1, NULL, 0);
        if (s == OK) s = glmmgo_result_int64(f, GLMMGO_LAPLACE_STAGE_STATUS, st, 2, NULL, 0);
        if (s == OK && !(conv == 0 && (st[0] == GLMMGO_STAGE_EVALUATION_LIMIT || st[1] == GLMMGO_STAGE_EVALUATION_LIMIT))) s = 300;
        emit("laplace_fit_evaluation_limit_not_converged", s, A.errlen, OK, "");
        glmmgo_free(f);
    }
#undef PFIT
    preset(); arm();
    emit("laplace_options_default_null", glmmgo_laplace_options_default(NULL, sizeof PO, A.err, A.errlen), A.errlen, INV, "opt:");
    preset(); arm();
    emit("laplace_options_default_size_big", glmmgo_laplace_options_default(&PO, sizeof PO + 1, A.err, A.errlen), A.errlen, INV, "size:");
    preset(); arm();
    memset(&PO, 0x5A, sizeof PO);
    int s = glmmgo_laplace_options_default(&PO, offsetof(glmmgo_laplace_options, start), A.err, A.errlen);
    {
        glmmgo_laplace_options canary;
        memset(&canary, 0x5A, sizeof canary);
        if (s == OK && (PO.size != offsetof(glmmgo_laplace_options, start) || PO.fast != 0 || PO.nagq != 1 ||
                        memcmp(&PO.start, &canary.start, sizeof PO - offsetof(glmmgo_laplace_options, start))))
            s = 300;
    }
    emit("laplace_options_default_short", s, A.errlen, OK, "");
    preset(); arm();
    s = glmmgo_laplace_options_default(&PO, sizeof PO, A.err, A.errlen);
    if (s == OK && !(PO.size == sizeof PO && PO.fast == 0 && PO.nagq == 1 && PO.start == NULL && PO.start_len == 0 &&
                     PO.theta_start == GLMMGO_LAPLACE_START_AUTO && PO.rhobeg == 0.1 && PO.rhoend == 1e-4 &&
                     PO.maxeval == 10000 && PO.no_hessian == 0 && PO.pirls_tol == 1e-24 && PO.pirls_maxiter == 100 &&
                     PO.pirls_max_halvings == 30 && PO.workers == 0))
        s = 300;
    emit("laplace_options_default_ok", s, A.errlen, OK, "");
}

static void cases_laplace_results(void) {
    glmmgo_laplace_options po;
    glmmgo_laplace_options_default(&po, sizeof po, NULL, 0);
    char e[256];
    if (glmmgo_laplace_fit(GH, &po, NULL, NULL, &GF, e, sizeof e) != OK) {
        fprintf(stderr, "laplace fit: %s\n", e);
        exit(1);
    }
    struct glmmgo_dims d = {.size = sizeof d};
    preset(); arm();
    int s = glmmgo_dims(GH, &d, A.err, A.errlen);
    if (s == OK && (d.kind != GLMMGO_KIND_LAPLACE_MODEL || d.n != PN || d.p != 2 || d.p_given != 2 || d.q != 3 ||
                    d.ntheta != 1 || d.nterms != 1 || d.npar != 3 || d.nvc != 0 || d.m != 0))
        s = 300;
    emit("laplace_dims_model_ok", s, A.errlen, OK, "");
    preset(); arm();
    s = glmmgo_dims(GF, &d, A.err, A.errlen);
    if (s == OK && (d.kind != GLMMGO_KIND_LAPLACE_FIT || d.npar != 3 || d.q != 3)) s = 300;
    emit("laplace_dims_fit_ok", s, A.errlen, OK, "");
    double v[64], w[64];
    int64_t iv[8];
    preset(); arm();
    emit("laplace_model_beta", glmmgo_result(GH, GLMMGO_LAPLACE_BETA, v, 2, A.err, A.errlen), A.errlen, INV,
         "what: 3010 is not a result of a Laplace/AGQ GLMM (handle");
    preset(); arm();
    emit("laplace_model_lower_ok", glmmgo_result(GH, GLMMGO_LAPLACE_LOWER, v, 1, A.err, A.errlen), A.errlen, OK, "");
    preset(); arm();
    emit("laplace_beta_len", glmmgo_result(GF, GLMMGO_LAPLACE_BETA, v, 3, A.err, A.errlen), A.errlen, INV,
         "len: is 3; GLMMGO_LAPLACE_BETA has 2 values");
    preset(); arm();
    emit("laplace_beta_null", glmmgo_result(GF, GLMMGO_LAPLACE_BETA, NULL, 2, A.err, A.errlen), A.errlen, INV, "buf:");
    preset(); arm();
    emit("laplace_evals_as_double", glmmgo_result(GF, GLMMGO_LAPLACE_EVALS, v, 2, A.err, A.errlen), A.errlen, INV,
         "what: GLMMGO_LAPLACE_EVALS is an integer result");
    preset(); arm();
    emit("laplace_theta_as_int", glmmgo_result_int64(GF, GLMMGO_LAPLACE_THETA, iv, 1, A.err, A.errlen), A.errlen, INV,
         "what: GLMMGO_LAPLACE_THETA is a double result");
    preset(); arm();
    emit("laplace_lmm_code_on_fit", glmmgo_result(GF, GLMMGO_LMM_THETA, v, 1, A.err, A.errlen), A.errlen, INV,
         "what: 2006 is not a result of a Laplace/AGQ GLMM fit");
    preset(); arm();
    emit("laplace_condvar_len", glmmgo_result(GF, GLMMGO_LAPLACE_CONDVAR, v, 4, A.err, A.errlen), A.errlen, INV,
         "len: is 4; GLMMGO_LAPLACE_CONDVAR has 3 values");
    /* Wald intervals: beta -/+ z se. */
    preset(); arm();
    s = glmmgo_confint(GF, 0.95, v, w, 2, A.err, A.errlen);
    {
        double b[2], se[2];
        glmmgo_result(GF, GLMMGO_LAPLACE_BETA, b, 2, NULL, 0);
        glmmgo_result(GF, GLMMGO_LAPLACE_SE, se, 2, NULL, 0);
        for (int j = 0; j < 2 && s == OK; j++)
            if (fabs(v[j] - (b[j] - 1.959963984540054 * se[j])) > 1e-12 || fabs(w[j] - (b[j] + 1.959963984540054 * se[j])) > 1e-12) s = 300;
    }
    emit("laplace_confint_ok", s, A.errlen, OK, "");
    preset(); arm();
    emit("laplace_confint_len", glmmgo_confint(GF, 0.95, v, w, 3, A.err, A.errlen), A.errlen, INV, "len: is 3; the fit has p = 2");
    preset(); arm();
    emit("laplace_confint_level", glmmgo_confint(GF, 1.5, v, w, 2, A.err, A.errlen), A.errlen, INV, "level:");
    preset(); arm();
    emit("laplace_confint_lower_null", glmmgo_confint(GF, 0.9, NULL, w, 2, A.err, A.errlen), A.errlen, INV, "lower:");
    preset(); arm();
    emit("laplace_confint_model", glmmgo_confint(GH, 0.95, v, w, 2, A.err, A.errlen), A.errlen, HND,
         "is a Laplace/AGQ GLMM, not an MCLA, laplace or mixlogit fit");
    /* The fit outlives its model. */
    glmmgo_handle m2 = 0, f2 = 0;
    preset();
    pnew(&m2, e, sizeof e);
    glmmgo_laplace_fit(m2, &po, NULL, NULL, &f2, e, sizeof e);
    glmmgo_free(m2);
    preset(); arm();
    s = glmmgo_result(f2, GLMMGO_LAPLACE_THETA, v, 1, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(GF, GLMMGO_LAPLACE_THETA, w, 1, A.err, A.errlen);
    if (s == OK && memcmp(v, w, sizeof(double))) s = 300;
    emit("laplace_fit_after_model_freed", s, A.errlen, OK, "");
    glmmgo_free(f2);
}

static void cases_laplace(void) {
    cases_laplace_new();
    preset();
    char e[256];
    if (pnew(&GH, e, sizeof e) != OK) { fprintf(stderr, "laplace base model: %s\n", e); exit(1); }
    GA.nterms = 2;
    if (pnew(&GH2, e, sizeof e) != OK) { fprintf(stderr, "laplace two-term model: %s\n", e); exit(1); }
    cases_laplace_objective();
    cases_laplace_fit();
    cases_laplace_results();
    glmmgo_free(GF);
    glmmgo_free(GH);
    glmmgo_free(GH2);
}
