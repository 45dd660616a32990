/* The MCLA fit (glmmgo_mcla_options_default, glmmgo_mcla_fit, its results
   and glmmgo_confint), in the format of badinput.c (which includes this
   file and calls cases_mclafit()). The data are the MCLA base model's
   (n = 6, p = 2, q = 3) with a larger copy (n = 60) for fits. */

static int64_t F_n;
static double F_y[60], F_x[120], F_zv[120];
static int64_t F_zr[120], F_zc[120], F_vc[Q];
static glmmgo_mcla_options FO;
static double F_parinit[D - 1];

/* A fit-sized version of the base model: ten copies of its rows with
   varied responses, so that the fit has something to estimate. */
static void freset(void) {
    reset();
    F_n = 60;
    for (int c = 0; c < 10; c++)
        for (int i = 0; i < N; i++) {
            int r = c * N + i;
            F_y[r] = (double)((i + c * 7 + (c * i) % 3) % 2);
            F_x[r] = 1;
            F_x[60 + r] = base_x[N + i] + 0.1 * c;
            F_zr[r] = r; F_zc[r] = (i + c) % 2; F_zv[r] = 1;
            F_zr[60 + r] = r; F_zc[60 + r] = 2; F_zv[60 + r] = base_zv[6 + i];
        }
    F_vc[0] = F_vc[1] = F_vc[2] = 0; /* one component: a lone column could not be estimated */
    glmmgo_mcla_options_default(&FO, sizeof FO, NULL, 0);
    FO.m = 300;
    FO.iterlim = 50;
    FO.workers = 1;
    memcpy(F_parinit, base_par, sizeof F_parinit); /* beta (2), nu (1) */
    F_parinit[P] = 1;
}

/* The fit-sized model of family fam (with size r when r > 0). */
static glmmgo_handle fit_model(int32_t fam, double r, int *status) {
    glmmgo_handle h = 0;
    *status = glmmgo_mcla_new(F_n, P, Q, fam, F_y, NULL, NULL, F_x, 120, F_zr, F_zc, F_zv, 1, F_vc, &h, A.err, A.errlen);
    if (*status == OK && r > 0) *status = glmmgo_mcla_set_dispersion(h, r, A.err, A.errlen);
    return h;
}

static int cancel_fit(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)ud; (void)iter; (void)obj; (void)par; (void)npar;
    return 1;
}

static void cases_mclafit(void) {
    int s;
    char name[96];
    glmmgo_handle h;
    /* The model: what glmmgo_mclafit_new checked is now glmmgo_mcla_new's
       and glmmgo_mcla_set_dispersion's. */
    freset(); arm();
    h = fit_model(GLMMGO_BERNOULLI, 0, &s);
    emit("fit_new_ok", s, A.errlen, OK, "");
    glmmgo_free(h);
    freset(); arm();
    h = fit_model(GLMMGO_BERNOULLI, 2, &s);
    emit("fit_new_dispersion_for_bernoulli", s, A.errlen, INV, "dispersion:");
    glmmgo_free(h);
    static const double baddisp[] = {-1e-300, -1, NAN, INFINITY};
    for (int k = 0; k < 4; k++) {
        freset(); arm();
        snprintf(name, sizeof name, "fit_new_negbin_dispersion_%d", k);
        h = fit_model(GLMMGO_NEGBINOMIAL, 0, &s);
        s = glmmgo_mcla_set_dispersion(h, baddisp[k], A.err, A.errlen);
        emit(name, s, A.errlen, INV, "dispersion:");
        glmmgo_free(h);
    }
    freset(); arm();
    h = fit_model(GLMMGO_NEGBINOMIAL, 2.5, &s);
    emit("fit_new_negbin_ok", s, A.errlen, OK, "");
    glmmgo_handle hnb = h;
    freset(); arm();
    F_y[5] = NAN;
    h = fit_model(GLMMGO_BERNOULLI, 0, &s);
    emit("fit_new_y_nan", s, A.errlen, INV, "y: element 5");
    freset(); arm();
    h = fit_model(9, 0, &s);
    emit("fit_new_family", s, A.errlen, INV, "family:");
    freset(); arm();
    F_zc[3] = 7;
    h = fit_model(GLMMGO_BERNOULLI, 0, &s);
    emit("fit_new_zcol_range", s, A.errlen, INV, "z_col: entry 3");
    freset(); arm();
    s = glmmgo_mcla_new(F_n, P, Q, GLMMGO_BERNOULLI, F_y, NULL, NULL, F_x, 120, F_zr, F_zc, F_zv, 1, F_vc, NULL, A.err, A.errlen);
    emit("fit_new_out_null", s, A.errlen, INV, "out:");
    freset(); arm(); A.errlen = 0;
    h = fit_model(9, 0, &s);
    emit("fit_new_err_len0", s, A.errlen, INV, "*");

    freset();
    glmmgo_handle HMOD = fit_model(GLMMGO_BERNOULLI, 0, &s);
    /* Results asked of the model: they belong to fits. */
    double v[64], w[64];
    int64_t i64[8];
    freset(); arm();
    emit("fit_estimates_before_run", glmmgo_result(HMOD, GLMMGO_MCLA_BETA, v, P, A.err, A.errlen), A.errlen, INV, "glmmgo_mcla_fit");
    freset(); arm();
    emit("fit_convergence_before_run", glmmgo_result_int64(HMOD, GLMMGO_MCLA_CONVERGED, i64, 1, A.err, A.errlen), A.errlen, INV, "glmmgo_mcla_fit");
    freset(); arm();
    emit("fit_inference_before_run", glmmgo_result(HMOD, GLMMGO_MCLA_SE, v, 3, A.err, A.errlen), A.errlen, INV, "glmmgo_mcla_fit");
    freset(); arm();
    emit("fit_confint_before_run", glmmgo_confint(HMOD, 0.95, v, w, 3, A.err, A.errlen), A.errlen, HND, "is an MCLA model, not an MCLA, laplace or mixlogit fit");
    freset(); arm();
    emit("fit_start_before_run", glmmgo_result(HMOD, GLMMGO_MCLA_START, v, 3, A.err, A.errlen), A.errlen, INV, "glmmgo_mcla_fit");
    freset(); arm();
    emit("fit_umatrix_before_run", glmmgo_result_length(HMOD, GLMMGO_MCLA_UMATRIX, i64, A.err, A.errlen), A.errlen, INV, "glmmgo_mcla_fit");
    freset(); arm();
    struct glmmgo_dims dd = {.size = sizeof dd};
    s = glmmgo_dims(HMOD, &dd, A.err, A.errlen);
    if (s == OK && !(dd.p == P && dd.nvc == 1 && dd.q == Q && dd.m == 0 && dd.npar == P + 1 && dd.n == 60)) s = 300;
    emit("fit_dims_before_run", s, A.errlen, OK, "");

    /* Options. */
    static glmmgo_handle fh;
#define FRUN(nm, want, arg, ...)                                                                            \
    do {                                                                                                    \
        freset(); const glmmgo_mcla_options *o_ = &FO; glmmgo_progress_fn pf_ = NULL; glmmgo_handle *f_ = &fh; \
        glmmgo_handle m_ = HMOD; __VA_ARGS__; arm(); fh = 999;                                              \
        int s_ = glmmgo_mcla_fit(m_, o_, pf_, NULL, f_, A.err, A.errlen);                                   \
        if (s_ != OK && f_ == &fh && fh != 0) s_ += 200; /* *fit must be 0 after a failure */               \
        emit(nm, s_, A.errlen, want, arg);                                                                  \
        if (s_ == OK) glmmgo_free(fh);                                                                      \
    } while (0)
    FRUN("fit_run_opt_null", INV, "opt:", o_ = NULL);
    FRUN("fit_run_out_null", INV, "fit: is NULL", f_ = NULL);
    FRUN("fit_run_size_zero", INV, "size: is 0 bytes", FO.size = 0);
    FRUN("fit_run_size_newer_header", INV, "size:", FO.size = sizeof FO + 8);
    FRUN("fit_run_stages_zero", INV, "stages:", FO.stages = 0);
    FRUN("fit_run_m_pilot_zero", INV, "m_pilot:", FO.m_pilot = 0);
    FRUN("fit_run_ess_target_small", INV, "ess_target:", FO.m = GLMMGO_M_AUTO; FO.ess_target = 0.5);
    FRUN("fit_run_ess_target_nan", INV, "ess_target:", FO.m = GLMMGO_M_AUTO; FO.ess_target = NAN);
    FRUN("fit_run_rel_mcse_zero", INV, "rel_mcse:", FO.m = GLMMGO_M_AUTO; FO.rel_mcse = 0);
    FRUN("fit_run_rel_mcse_inf", INV, "rel_mcse:", FO.m = GLMMGO_M_AUTO; FO.rel_mcse = INFINITY);
    FRUN("fit_run_m_max_zero", INV, "m_max:", FO.m = GLMMGO_M_AUTO; FO.m_max = 0);
    FRUN("fit_run_m_max_huge", INV, "m_max:", FO.m = GLMMGO_M_AUTO; FO.m_max = INT64_MAX);
    FRUN("fit_run_time_max_negative", INV, "time_max:", FO.m = GLMMGO_M_AUTO; FO.time_max = -1);
    FRUN("fit_run_time_max_nan", INV, "time_max:", FO.time_max = NAN);
    FRUN("fit_run_sample_memory_negative", INV, "sample_memory:", FO.sample_memory = -2);
    FRUN("fit_run_m_negative", INV, "m:", FO.m = -5);
    FRUN("fit_run_m_huge", INV, "m:", FO.m = INT64_MAX);
    FRUN("fit_run_mq_overflow", INV, "m: size 1099511627776*3 is too large", FO.m = (int64_t)1 << 40);
    FRUN("fit_run_pmix_sum", INV, "p_mix:", FO.p_mix[0] = 0.9);
    FRUN("fit_run_pmix_nan", INV, "p_mix:", FO.p_mix[1] = NAN);
    FRUN("fit_run_pmix_negative", INV, "p_mix:", FO.p_mix[0] = -0.5; FO.p_mix[1] = 1.5; FO.p_mix[2] = 0);
    FRUN("fit_run_pmix_p1_zero", INV, "p_mix:", FO.p_mix[0] = 0; FO.p_mix[1] = 0.5; FO.p_mix[2] = 0.5);
    FRUN("fit_run_pmix_all_zero", INV, "p_mix: is all zero", FO.p_mix[0] = FO.p_mix[1] = FO.p_mix[2] = 0);
    FRUN("fit_run_zeta_zero", INV, "zeta:", FO.zeta = 0);
    FRUN("fit_run_zeta_nan", INV, "zeta:", FO.zeta = NAN);
    FRUN("fit_run_zeta_inf", INV, "zeta:", FO.zeta = INFINITY);
    FRUN("fit_run_rinit_zero", INV, "rinit:", FO.rinit = 0);
    FRUN("fit_run_rinit_nan", INV, "rinit:", FO.rinit = NAN);
    FRUN("fit_run_rmax_below_rinit", INV, "rmax", FO.rinit = 10; FO.rmax = 1);
    FRUN("fit_run_iterlim_zero", INV, "iterlim:", FO.iterlim = 0);
    FRUN("fit_run_iterlim_negative", INV, "iterlim:", FO.iterlim = -1);
    FRUN("fit_run_ess_warn_negative", INV, "ess_warn:", FO.ess_warn = -1);
    FRUN("fit_run_ess_warn_nan", INV, "ess_warn", FO.ess_warn = NAN);
    FRUN("fit_run_workers_negative", INV, "workers: is -1", FO.workers = -1);
    FRUN("fit_run_par_init_nan", INV, "start: element 1", F_parinit[1] = NAN; FO.start = F_parinit; FO.start_len = P + 1);
    /* A start outside the parameter space is GLMMGO_ERR_INVALID (the
       header says so; core/fit/mclafit's own test pins it too). */
    FRUN("fit_run_par_init_nu_zero", INV, "start: element 2", F_parinit[P] = 0; FO.start = F_parinit; FO.start_len = P + 1);
    FRUN("fit_run_par_init_nu_tiny", INV, "start: element 2", F_parinit[P] = 1e-12; FO.start = F_parinit; FO.start_len = P + 1);
    FRUN("fit_run_start_len_long", INV, "start_len: is 4; start needs p + nvc = 3 values", FO.start = F_parinit; FO.start_len = P + 2);
    FRUN("fit_run_start_len_negative", INV, "start_len:", FO.start = F_parinit; FO.start_len = -3);
    FRUN("fit_run_start_null_len", INV, "start: is NULL but start_len is 3", FO.start_len = 3);
    FRUN("fit_run_cancelled", GLMMGO_ERR_CANCELLED, "cancel", pf_ = cancel_fit);
    freset(); arm();
    emit("fit_estimates_after_cancel", glmmgo_result(fh, GLMMGO_MCLA_BETA, v, P, A.err, A.errlen), A.errlen, HND, "h: handle 0");
    FRUN("fit_run_dispersion_not_negbin", INV, "negative binomial", FO.dispersion_lo = 0.5; FO.dispersion_hi = 5);
    FRUN("fit_run_negbin_without_size", STA, "dispersion: the negative binomial model has no size",
         m_ = fit_model(GLMMGO_NEGBINOMIAL, 0, &s));
    FRUN("fit_run_ok_short_struct", OK, "", FO.m = 300; FO.iterlim = -7; FO.workers = -3;
         FO.size = offsetof(glmmgo_mcla_options, zeta));
    FRUN("fit_run_ok", OK, "");
    freset(); arm();
    s = glmmgo_mcla_fit(HMOD, &FO, NULL, NULL, &fh, A.err, A.errlen);
    glmmgo_handle HFIT = fh;
    emit("fit_run_kept", s, A.errlen, OK, "");

    /* Results of the fit. */
    freset(); arm();
    s = glmmgo_result(HFIT, GLMMGO_MCLA_BETA, v, P, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_NU, w, 1, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_VALUE, v + 10, 1, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_GRADIENT, v + 20, 3, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_HESSIAN, v + 30, 9, A.err, A.errlen);
    emit("fit_estimates_ok", s, A.errlen, OK, "");
    freset(); arm();
    emit("fit_estimates_all_null", glmmgo_result(HFIT, GLMMGO_MCLA_BETA, NULL, P, A.err, A.errlen), A.errlen, INV, "buf: is NULL");
    freset(); arm();
    s = OK;
    for (int32_t c = GLMMGO_MCLA_CONVERGED; c <= GLMMGO_MCLA_ESS_WARNING && s == OK; c++)
        if (c != GLMMGO_MCLA_ESS) s = glmmgo_result_int64(HFIT, c, i64, 1, A.err, A.errlen);
    if (s == OK) s = glmmgo_result_int64(HFIT, GLMMGO_MCLA_COUNTS, i64, 3, A.err, A.errlen);
    if (s == OK && i64[0] + i64[1] + i64[2] != 300) s = 300;
    emit("fit_convergence_all_null", s, A.errlen, OK, "");
    freset(); arm();
    s = glmmgo_result(HFIT, GLMMGO_MCLA_SE, v, 3, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_Z, v + 4, 3, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_PVALUE, v + 8, 3, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_VCOV, v + 12, 9, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_MCSE, v + 28, 3, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_MCVCOV, v + 32, 9, A.err, A.errlen);
    emit("fit_inference_ok", s, A.errlen, OK, "");
    freset(); arm();
    emit("fit_counts_len", glmmgo_result_int64(HFIT, GLMMGO_MCLA_COUNTS, i64, 2, A.err, A.errlen), A.errlen, INV,
         "len: is 2; GLMMGO_MCLA_COUNTS has 3 values");
    freset(); arm();
    emit("fit_ess_as_int", glmmgo_result_int64(HFIT, GLMMGO_MCLA_ESS, i64, 1, A.err, A.errlen), A.errlen, INV,
         "what: GLMMGO_MCLA_ESS is a double result");
    static const double badlevel[] = {0, 1, -0.5, 1.5, NAN, INFINITY};
    for (int k = 0; k < 6; k++) {
        snprintf(name, sizeof name, "fit_confint_level_%d", k);
        freset(); arm();
        emit(name, glmmgo_confint(HFIT, badlevel[k], v, w, 3, A.err, A.errlen), A.errlen, INV, "level:");
    }
    freset(); arm();
    emit("fit_confint_ok", glmmgo_confint(HFIT, 0.9, v, w, 3, A.err, A.errlen), A.errlen, OK, "");
    freset(); arm();
    emit("fit_confint_len", glmmgo_confint(HFIT, 0.9, v, w, 2, A.err, A.errlen), A.errlen, INV, "len: is 2; the fit has p + nvc = 3");
    freset(); arm();
    emit("fit_confint_lower_null", glmmgo_confint(HFIT, 0.9, NULL, w, 3, A.err, A.errlen), A.errlen, INV, "lower:");
    freset(); arm();
    emit("fit_confint_upper_null", glmmgo_confint(HFIT, 0.9, v, NULL, 3, A.err, A.errlen), A.errlen, INV, "upper:");
    freset(); arm();
    s = glmmgo_result_int64(HFIT, GLMMGO_MCLA_USED_PQL, i64, 1, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_START, v, 3, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_U_STAR, v + 4, Q, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_D_STAR, v + 8, Q, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_SIGMA_INV, v + 12, Q * Q, A.err, A.errlen);
    emit("fit_start_ok", s, A.errlen, OK, "");
    static double um[300 * Q];
    freset(); arm();
    emit("fit_umatrix_ok", glmmgo_result(HFIT, GLMMGO_MCLA_UMATRIX, um, 300 * Q, A.err, A.errlen), A.errlen, OK, "");
    freset(); arm();
    emit("fit_umatrix_len_short", glmmgo_result(HFIT, GLMMGO_MCLA_UMATRIX, um, 300 * Q - 1, A.err, A.errlen), A.errlen, INV, "len:");
    freset(); arm();
    emit("fit_umatrix_len_negative", glmmgo_result(HFIT, GLMMGO_MCLA_UMATRIX, um, -1, A.err, A.errlen), A.errlen, INV, "len:");
    freset(); arm();
    emit("fit_umatrix_null", glmmgo_result(HFIT, GLMMGO_MCLA_UMATRIX, NULL, 300 * Q, A.err, A.errlen), A.errlen, INV, "buf:");
    freset(); arm();
    s = glmmgo_result(HFIT, GLMMGO_MCLA_DISPERSION, v, 1, A.err, A.errlen);
    if (s == OK && v[0] != 0) s = 300;
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_DISPERSION_LOGLIK, NULL, 0, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(HFIT, GLMMGO_MCLA_DISPERSION_PROFILE, NULL, 0, A.err, A.errlen);
    emit("fit_dispersion_results_empty", s, A.errlen, OK, "");
    freset(); arm();
    emit("fit_dispersion_loglik_len", glmmgo_result(HFIT, GLMMGO_MCLA_DISPERSION_LOGLIK, v, 1, A.err, A.errlen), A.errlen, INV,
         "len: is 1; GLMMGO_MCLA_DISPERSION_LOGLIK has 0 values");

    /* The dispersion range on the negative binomial model. */
    freset();
    for (int i = 0; i < 60; i++) F_y[i] = (double)((i * 7) % 5);
    glmmgo_free(hnb);
    hnb = fit_model(GLMMGO_NEGBINOMIAL, 1, &s);
    static const double rl[][2] = {{0, 5}, {-1, 5}, {5, 1}, {2, 2}, {NAN, 5}, {1, INFINITY}};
    for (int k = 0; k < 6; k++) {
        snprintf(name, sizeof name, "fit_dispersion_range_%d", k);
        FRUN(name, INV, "dispersion_lo", m_ = hnb; FO.dispersion_lo = rl[k][0]; FO.dispersion_hi = rl[k][1]);
    }
    FRUN("fit_dispersion_opt_null", INV, "opt:", m_ = hnb; o_ = NULL);

    /* Wrong kinds and bad handles. */
    static const char *notfit = "not an MCLA, laplace or mixlogit fit";
    glmmgo_handle out;
    freset(); arm();
    emit("wrong_kind_mcla_to_fit_run", glmmgo_mcla_fit(HFIT, &FO, NULL, NULL, &out, A.err, A.errlen), A.errlen, HND,
         "model: handle");
    freset(); arm();
    emit("wrong_kind_lmm_to_fit_estimates", glmmgo_confint(LH, 0.95, v, w, 3, A.err, A.errlen), A.errlen, HND, notfit);
    freset(); arm();
    emit("wrong_kind_lmm_to_fit_result", glmmgo_result(LH, GLMMGO_MCLA_BETA, v, P, A.err, A.errlen), A.errlen, INV,
         "what: 1001 is not a result of a linear mixed model");
    freset(); arm();
    emit("wrong_kind_fit_to_mcla_objective", glmmgo_mcla_objective(HFIT, base_par, 1, v, NULL, NULL, A.err, A.errlen), A.errlen, HND, "not an MCLA model");
    freset(); arm();
    emit("wrong_kind_fit_to_set_samples", glmmgo_mcla_set_samples(HFIT, 1, v, A.err, A.errlen), A.errlen, HND, "is an MCLA fit, not an MCLA model");
    freset(); arm();
    emit("wrong_kind_fit_to_lmm_fit", glmmgo_lmm_fit(HFIT, NULL, NULL, NULL, &out, A.err, A.errlen), A.errlen, HND, "not a linear mixed model");
    freset(); arm();
    emit("wrong_kind_lmm_code_on_fit", glmmgo_result(HFIT, GLMMGO_LMM_THETA, v, 1, A.err, A.errlen), A.errlen, INV,
         "what: 2006 is not a result of an MCLA fit");
    const glmmgo_handle bad[] = {0, -9, 55555555};
    for (int k = 0; k < 3; k++) {
        snprintf(name, sizeof name, "handle_%d_fit_run", k);
        freset(); arm();
        emit(name, glmmgo_mcla_fit(bad[k], &FO, NULL, NULL, &out, A.err, A.errlen), A.errlen, HND, "model: handle");
        snprintf(name, sizeof name, "handle_%d_fit_dims", k);
        freset(); arm();
        emit(name, glmmgo_dims(bad[k], &dd, A.err, A.errlen), A.errlen, HND, "h: handle");
        snprintf(name, sizeof name, "handle_%d_fit_confint", k);
        freset(); arm();
        emit(name, glmmgo_confint(bad[k], 0.95, v, w, 3, A.err, A.errlen), A.errlen, HND, "fit: handle");
    }
    /* The fit outlives its model. */
    glmmgo_free(HMOD);
    freset(); arm();
    s = glmmgo_result(HFIT, GLMMGO_MCLA_UMATRIX, um, 300 * Q, A.err, A.errlen);
    if (s == OK) s = glmmgo_confint(HFIT, 0.5, v, w, 3, A.err, A.errlen);
    emit("fit_outlives_model", s, A.errlen, OK, "");
    glmmgo_free(hnb);
    glmmgo_free(HFIT);
    freset(); arm();
    emit("fit_freed_estimates", glmmgo_result(HFIT, GLMMGO_MCLA_BETA, v, P, A.err, A.errlen), A.errlen, HND, "h: handle");
}
