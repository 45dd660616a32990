/* The mixlogit functions of glmmgo.h (glmmgo_mixlogit_new, _objective,
   _options_default, _fit, their results, glmmgo_confint and glmmgo_dims on
   mixlogit handles) and wrong-kind handles, in the format of badinput.c
   (which includes this file and calls cases_mixlogit()).
   Base data: n = 30 subjects on t = 6 occasions, two slopes of opposite
   sign; every array lives in a buffer larger than n*t, so that inflated
   sizes never read past the caller's memory. */

#define XN 30
#define XT 6
#define XBIG 4096
static double X_y[XBIG], X_x[XBIG];

static struct {
    int64_t n, t;
    const double *y, *x;
    glmmgo_handle *out;
    glmmgo_handle h;
} XA;

static void xreset(void) {
    reset();
    memset(X_y, 0, sizeof X_y);
    memset(X_x, 0, sizeof X_x);
    for (int i = 0; i < XN; i++)
        for (int j = 0; j < XT; j++) {
            double x = sin(0.7 * i + 1.3 * j), u = fmod(fabs(sin(12.9898 * i + 78.233 * j)) * 43758.5453, 1.0);
            X_x[i + XN * j] = x;
            X_y[i + XN * j] = u < 1 / (1 + exp(-((i % 3 == 0 ? -1.5 : 2.0) * x + 0.5 * sin(3.1 * i)))) ? 1 : 0;
        }
    XA.n = XN; XA.t = XT; XA.y = X_y; XA.x = X_x; XA.out = &XA.h;
}

static void run_xnew(const char *name, int want, const char *arg) {
    arm();
    XA.h = 4321;
    int s = glmmgo_mixlogit_new(XA.n, XA.t, XA.y, XA.x, XA.out, A.err, A.errlen);
    if (s != OK && XA.out == &XA.h && XA.h != 0) s += 200; /* *model must be 0 after a failure */
    emit(name, s, A.errlen, want, arg);
    if (s == OK) glmmgo_free(XA.h);
}

static glmmgo_handle mixlogit_model(void) {
    glmmgo_handle h = 0;
    char e[256];
    if (glmmgo_mixlogit_new(XA.n, XA.t, XA.y, XA.x, &h, e, sizeof e) != OK) {
        fprintf(stderr, "mixlogit base model: %s\n", e);
        exit(1);
    }
    return h;
}

#define XCASE(name, want, arg, ...) CASE(run_xnew, name, want, arg, xreset(); __VA_ARGS__)

static void cases_mixlogit_new(void) {
    char name[96];
    XCASE("mixlogit_new_ok", OK, "");
    XCASE("mixlogit_new_ok_t1", OK, "", XA.t = 1);
    XCASE("mixlogit_new_n_zero", INV, "n: is 0; need at least 10 subjects", XA.n = 0);
    XCASE("mixlogit_new_n_nine", INV, "n: is 9; need at least 10 subjects", XA.n = 9);
    XCASE("mixlogit_new_n_negative", INV, "n: is -1", XA.n = -1);
    XCASE("mixlogit_new_n_min", INV, "n:", XA.n = INT64_MIN);
    XCASE("mixlogit_new_n_max", INV, "n:", XA.n = INT64_MAX);
    XCASE("mixlogit_new_t_zero", INV, "t: is 0; each subject needs at least one occasion", XA.t = 0);
    XCASE("mixlogit_new_t_negative", INV, "t: is -3", XA.t = -3);
    XCASE("mixlogit_new_t_max", INV, "t:", XA.t = INT64_MAX);
    XCASE("mixlogit_new_nt_overflow", INV, "y: size 1073741824*1073741824 is too large", XA.n = (int64_t)1 << 30; XA.t = (int64_t)1 << 30);
    XCASE("mixlogit_new_y_null", INV, "y: is NULL", XA.y = NULL);
    XCASE("mixlogit_new_x_null", INV, "x: is NULL", XA.x = NULL);
    XCASE("mixlogit_new_model_null", INV, "model: is NULL", XA.out = NULL);
    static const struct { const char *tag; double v; } bady[] = {{"2", 2}, {"half", 0.5}, {"minus1", -1}, {"nan", NAN}, {"inf", INFINITY}};
    for (int b = 0; b < 5; b++) {
        snprintf(name, sizeof name, "mixlogit_new_y_%s", bady[b].tag);
        XCASE(name, INV, "y: element [7, 2] (0-based subject, occasion)", X_y[7 + XN * 2] = bady[b].v);
    }
    static const struct { const char *tag; double v; } badx[] = {{"nan", NAN}, {"inf", INFINITY}, {"ninf", -INFINITY}};
    for (int b = 0; b < 3; b++) {
        snprintf(name, sizeof name, "mixlogit_new_x_%s", badx[b].tag);
        XCASE(name, INV, "x: element [29, 5] (0-based subject, occasion)", X_x[XN * XT - 1] = badx[b].v);
    }
    XCASE("mixlogit_new_y_all_zero", INV, "y: all 180 responses are 0", memset(X_y, 0, sizeof X_y));
    XCASE("mixlogit_new_y_all_one", INV, "y: all 180 responses are 1", for (int i = 0; i < XN * XT; i++) X_y[i] = 1);
    XCASE("mixlogit_new_x_all_zero", INV, "x: is zero everywhere", memset(X_x, 0, sizeof X_x));
    /* y of the wrong shape: a fewer-subject matrix read as n = 30 sees its
       first columns, still 0/1; an inflated n reads zeros (the buffer), so
       the check that finds it is the binary or variation check. */
    XCASE("mixlogit_new_err_len0", INV, "*", XA.n = 0; A.errlen = 0);
    XCASE("mixlogit_new_err_len1", INV, "*", XA.n = 0; A.errlen = 1);
    XCASE("mixlogit_new_err_null", INV, "*", XA.n = 0; A.err = NULL);
}

static glmmgo_handle XM; /* the base mixlogit model */
static glmmgo_handle XF; /* a quadrature fit of it */

static int xcancel_now(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)ud; (void)iter; (void)obj; (void)par; (void)npar;
    return 1;
}

/* A callback that (wrongly) calls back into glmmgo with the model being
   fitted: those calls must get GLMMGO_ERR_BUSY, not race or deadlock. */
static int xreenter_status = -1, xreenter_free_status = -1;
static int xreenter(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)iter; (void)obj;
    glmmgo_handle h = *(glmmgo_handle *)ud;
    double v;
    xreenter_status = glmmgo_mixlogit_objective(h, par, npar, 1, &v, NULL, NULL, NULL, 0);
    xreenter_free_status = glmmgo_free(h);
    return 1;
}

static const double x_par0[5] = {-1, 1.5, 1, 2, 0.6};

static void cases_mixlogit_objective(void) {
    char name[96], arg[96];
    double par[5], v, g[5], H[25];
#define XOBJ(name, want, arg, ...)                                                                        \
    do {                                                                                                  \
        xreset(); memcpy(par, x_par0, sizeof par); const double *pp_ = par; double *pv_ = &v, *pg_ = g, *ph_ = H; \
        int64_t np_ = 5; int32_t w_ = 1; glmmgo_handle h_ = XM; __VA_ARGS__; arm(); v = 12345;          \
        int s_ = glmmgo_mixlogit_objective(h_, pp_, np_, w_, pv_, pg_, ph_, A.err, A.errlen);           \
        if (s_ == OK && !isfinite(v)) s_ = 400;                                                           \
        emit(name, s_, A.errlen, want, arg);                                                              \
    } while (0)
    XOBJ("mixlogit_obj_ok", OK, "");
    XOBJ("mixlogit_obj_ok_value_only", OK, "", pg_ = NULL; ph_ = NULL);
    XOBJ("mixlogit_obj_ok_gradient_only", OK, "", ph_ = NULL);
    XOBJ("mixlogit_obj_ok_hessian_only", OK, "", pg_ = NULL);
    XOBJ("mixlogit_obj_ok_beta_order_free", OK, "", par[0] = 2; par[1] = -2);
    XOBJ("mixlogit_obj_par_null", INV, "par: is NULL", pp_ = NULL);
    XOBJ("mixlogit_obj_value_null", INV, "value: is NULL", pv_ = NULL);
    XOBJ("mixlogit_obj_npar_4", INV, "npar: is 4; a mixlogit model has 5 parameters", np_ = 4);
    XOBJ("mixlogit_obj_npar_6", INV, "npar: is 6", np_ = 6);
    XOBJ("mixlogit_obj_npar_negative", INV, "npar: is -1", np_ = -1);
    XOBJ("mixlogit_obj_npar_max", INV, "npar:", np_ = INT64_MAX);
    XOBJ("mixlogit_obj_workers_negative", INV, "workers: is -1", w_ = -1);
    XOBJ("mixlogit_obj_workers_min", INV, "workers:", w_ = INT32_MIN);
    static const char *pname[5] = {"beta1", "beta2", "sigma1", "sigma2", "pi1"};
    for (int k = 0; k < 5; k++) {
        snprintf(arg, sizeof arg, "par: element %d (%s) is", k, pname[k]);
        snprintf(name, sizeof name, "mixlogit_obj_par_nan_%d", k);
        XOBJ(name, INV, arg, par[k] = NAN);
        snprintf(name, sizeof name, "mixlogit_obj_par_inf_%d", k);
        XOBJ(name, INV, arg, par[k] = -INFINITY);
    }
    XOBJ("mixlogit_obj_sigma1_zero", DOM, "par: sigma1 is 0; standard deviations must be positive", par[2] = 0);
    XOBJ("mixlogit_obj_sigma2_negative", DOM, "par: sigma2 is -1", par[3] = -1);
    static const double badpi[] = {0, 1, -0.1, 1.1, 1e-320 * -1};
    for (int k = 0; k < 5; k++) {
        snprintf(name, sizeof name, "mixlogit_obj_pi1_%d", k);
        XOBJ(name, DOM, "par: pi1 is", par[4] = badpi[k]);
    }
    XOBJ("mixlogit_obj_model_freed", HND, "model: handle", h_ = 987654321);
    XOBJ("mixlogit_obj_handle_zero", HND, "model: handle 0 is never valid", h_ = 0);
    XOBJ("mixlogit_obj_err_len0", INV, "*", pp_ = NULL; A.errlen = 0);
    XOBJ("mixlogit_obj_err_len1", INV, "*", pp_ = NULL; A.errlen = 1);
    XOBJ("mixlogit_obj_err_null", INV, "*", pp_ = NULL; A.err = NULL);
    /* Every worker count gives the bits of one worker, derivatives included. */
    double v1, g1[5], H1[25];
    glmmgo_mixlogit_objective(XM, x_par0, 5, 1, &v1, g1, H1, NULL, 0);
    static const int32_t ws[] = {0, 2, 3, 64, INT32_MAX};
    for (int k = 0; k < 5; k++) {
        snprintf(name, sizeof name, "mixlogit_obj_workers_%d", (int)ws[k]);
        XOBJ(name, OK, "", w_ = ws[k]);
        if (memcmp(&v, &v1, sizeof v) || memcmp(g, g1, sizeof g) || memcmp(H, H1, sizeof H)) {
            printf("%s_bits\t300\t0\t\tdiffers from one worker\n", name);
            ncases++;
        }
    }
    /* Extreme parameters: a finite value or GLMMGO_ERR_NUMERIC, never a
       non-finite value with success. */
    static const double big[] = {1e-300, 1e-8, 1e8, 1e150, 1e300, DBL_MAX};
    for (int k = 0; k < 6; k++) {
        for (int which = 0; which < 2; which++) {
            snprintf(name, sizeof name, "mixlogit_numeric_%s_%g", which ? "sigma" : "beta", big[k]);
            xreset(); memcpy(par, x_par0, sizeof par);
            if (which) par[2] = par[3] = big[k]; else { par[0] = -big[k]; par[1] = big[k]; }
            arm();
            int s = glmmgo_mixlogit_objective(XM, par, 5, 1, &v, g, H, A.err, A.errlen);
            if (s == OK && !(isfinite(v) && isfinite(g[0]) && isfinite(H[24]))) s = 400;
            emit(name, s, A.errlen, s == NUM ? NUM : OK, s == NUM ? "par:" : "");
        }
    }
#undef XOBJ
}

static void cases_mixlogit_options(void) {
    glmmgo_mixlogit_options o;
    static const struct { const char *tag; size_t size; } badsize[] = {
        {"zero", 0}, {"short_of_size_t", sizeof(size_t) - 1}, {"newer_header", sizeof(glmmgo_mixlogit_options) + 8}, {"max", SIZE_MAX}};
    char name[96];
    xreset(); arm();
    emit("mixlogit_options_default_null", glmmgo_mixlogit_options_default(NULL, sizeof o, A.err, A.errlen), A.errlen, INV, "opt: is NULL");
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "mixlogit_options_default_size_%s", badsize[k].tag);
        xreset(); arm();
        emit(name, glmmgo_mixlogit_options_default(&o, badsize[k].size, A.err, A.errlen), A.errlen, INV, "size:");
    }
    /* A short struct gets the defaults within its size and nothing beyond. */
    xreset(); arm();
    memset(&o, 0x5A, sizeof o);
    size_t off = offsetof(glmmgo_mixlogit_options, start);
    int s = glmmgo_mixlogit_options_default(&o, off, A.err, A.errlen);
    {
        glmmgo_mixlogit_options canary;
        memset(&canary, 0x5A, sizeof canary);
        if (s == OK && (o.size != off || o.method != GLMMGO_MIXLOGIT_MCEM || o.seed != 0 || o.workers != 0 ||
                        memcmp((char *)&o + off, (char *)&canary + off, sizeof o - off)))
            s = 300;
    }
    emit("mixlogit_options_default_short", s, A.errlen, OK, "");
    xreset(); arm();
    s = glmmgo_mixlogit_options_default(&o, sizeof o, A.err, A.errlen);
    if (s == OK && !(o.size == sizeof o && o.method == GLMMGO_MIXLOGIT_MCEM && o.seed == 0 && o.workers == 0 &&
                     o.start == NULL && o.start_len == 0 && o.max_iter == 200 && o.initial_samples == 50 &&
                     o.max_samples == 5000 && o.alpha == 0.25 && o.beta == 0.25 && o.gamma == 0.1 &&
                     o.augment_divisor == 3 && o.tol == 0.01 && o.df == 10))
        s = 300;
    emit("mixlogit_options_default_ok", s, A.errlen, OK, "");
    xreset(); arm(); A.errlen = 1;
    emit("mixlogit_options_default_err_len1", glmmgo_mixlogit_options_default(&o, 0, A.err, A.errlen), A.errlen, INV, "*");
}

static void cases_mixlogit_fit(void) {
    static glmmgo_mixlogit_options XO;
    static glmmgo_handle fh;
    static double start[5];
    char name[96];
#define XFIT(name, want, arg, ...)                                                                            \
    do {                                                                                                      \
        xreset(); glmmgo_mixlogit_options_default(&XO, sizeof XO, NULL, 0);                                   \
        XO.method = GLMMGO_MIXLOGIT_QUADRATURE; XO.workers = 1; memcpy(start, x_par0, sizeof start);          \
        const glmmgo_mixlogit_options *o_ = &XO; glmmgo_handle *f_ = &fh; glmmgo_handle m_ = XM;              \
        glmmgo_progress_fn pf_ = NULL; void *ud_ = NULL; __VA_ARGS__; arm(); fh = 999;                        \
        int s_ = glmmgo_mixlogit_fit(m_, o_, pf_, ud_, f_, A.err, A.errlen);                                  \
        if (s_ != OK && f_ == &fh && fh != 0) s_ += 200; /* *fit must be 0 after a failure */                 \
        emit(name, s_, A.errlen, want, arg);                                                                  \
        if (s_ == OK) glmmgo_free(fh);                                                                        \
    } while (0)
    XFIT("mixlogit_fit_opt_null", INV, "opt: is NULL", o_ = NULL);
    XFIT("mixlogit_fit_out_null", INV, "fit: is NULL", f_ = NULL);
    XFIT("mixlogit_fit_size_zero", INV, "size: is 0 bytes", XO.size = 0);
    XFIT("mixlogit_fit_size_small", INV, "size:", XO.size = sizeof(size_t) - 1);
    XFIT("mixlogit_fit_size_newer_header", INV, "size:", XO.size = sizeof XO + 8);
    static const int32_t badmethod[] = {0, 3, -1, INT32_MAX};
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "mixlogit_fit_method_%d", (int)badmethod[k]);
        XFIT(name, INV, "method: is", XO.method = badmethod[k]);
    }
    XFIT("mixlogit_fit_method_message", INV, "method: is 0; use GLMMGO_MIXLOGIT_MCEM (1) or GLMMGO_MIXLOGIT_QUADRATURE (2)", XO.method = 0);
    XFIT("mixlogit_fit_workers_negative", INV, "workers: is -1", XO.workers = -1);
    XFIT("mixlogit_fit_max_iter_zero", INV, "max_iter: is 0; must be between 1 and 2147483647 (default 200)", XO.max_iter = 0);
    XFIT("mixlogit_fit_max_iter_negative", INV, "max_iter: is -5", XO.max_iter = -5);
    XFIT("mixlogit_fit_max_iter_max", INV, "max_iter:", XO.max_iter = INT64_MAX);
    XFIT("mixlogit_fit_initial_samples_zero", INV, "initial_samples: is 0", XO.initial_samples = 0);
    XFIT("mixlogit_fit_initial_samples_three", INV, "initial_samples: is 3; need at least 4 draws", XO.initial_samples = 3);
    XFIT("mixlogit_fit_initial_samples_min", INV, "initial_samples:", XO.initial_samples = INT64_MIN);
    XFIT("mixlogit_fit_max_samples_zero", INV, "max_samples: is 0", XO.max_samples = 0);
    XFIT("mixlogit_fit_max_samples_below_initial", INV, "max_samples: is 10; must be at least initial_samples = 50", XO.max_samples = 10);
    XFIT("mixlogit_fit_max_samples_memory", INV, "max_samples: is 2000000000; with n = 30 subjects",
         XO.method = GLMMGO_MIXLOGIT_MCEM; XO.max_samples = 2000000000);
    XFIT("mixlogit_fit_max_samples_huge", INV, "max_samples:", XO.max_samples = (int64_t)1 << 40);
    static const struct { const char *tag; double v; } badlevel[] = {{"zero", 0}, {"half", 0.5}, {"negative", -0.1}, {"nan", NAN}, {"one", 1}};
    for (int k = 0; k < 5; k++) {
        snprintf(name, sizeof name, "mixlogit_fit_alpha_%s", badlevel[k].tag);
        XFIT(name, INV, "alpha: is", XO.alpha = badlevel[k].v);
        snprintf(name, sizeof name, "mixlogit_fit_beta_%s", badlevel[k].tag);
        XFIT(name, INV, "beta: is", XO.beta = badlevel[k].v);
        snprintf(name, sizeof name, "mixlogit_fit_gamma_%s", badlevel[k].tag);
        XFIT(name, INV, "gamma: is", XO.gamma = badlevel[k].v);
    }
    XFIT("mixlogit_fit_alpha_zero_message", INV, "alpha: is 0; give a value (default 0.25)", XO.alpha = 0);
    static const struct { const char *tag; double v; } badpos[] = {{"zero", 0}, {"negative", -1}, {"nan", NAN}, {"inf", INFINITY}};
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "mixlogit_fit_augment_divisor_%s", badpos[k].tag);
        XFIT(name, INV, "augment_divisor: is", XO.augment_divisor = badpos[k].v);
        snprintf(name, sizeof name, "mixlogit_fit_tol_%s", badpos[k].tag);
        XFIT(name, INV, "tol: is", XO.tol = badpos[k].v);
        snprintf(name, sizeof name, "mixlogit_fit_df_%s", badpos[k].tag);
        XFIT(name, INV, "df: is", XO.df = badpos[k].v);
    }
    XFIT("mixlogit_fit_augment_divisor_half", INV, "augment_divisor: is 0.5", XO.augment_divisor = 0.5);
    XFIT("mixlogit_fit_df_half", INV, "df: is 0.5", XO.df = 0.5);
    XFIT("mixlogit_fit_start_nan", INV, "start: element 1 is NaN", start[1] = NAN; XO.start = start; XO.start_len = 5);
    XFIT("mixlogit_fit_start_inf", INV, "start: element 4 is", start[4] = INFINITY; XO.start = start; XO.start_len = 5);
    XFIT("mixlogit_fit_start_pi_above", INV, "start: pi1 is 1.5; the class probability must lie in (0, 1)", start[4] = 1.5; XO.start = start; XO.start_len = 5);
    XFIT("mixlogit_fit_start_pi_zero", INV, "start: pi1 is 0", start[4] = 0; XO.start = start; XO.start_len = 5);
    XFIT("mixlogit_fit_start_pi_one", INV, "start: pi1 is 1", start[4] = 1; XO.start = start; XO.start_len = 5);
    XFIT("mixlogit_fit_start_sigma_zero", INV, "start: sigma1 is 0", start[2] = 0; XO.start = start; XO.start_len = 5);
    XFIT("mixlogit_fit_start_sigma_negative", INV, "start: sigma2 is -2", start[3] = -2; XO.start = start; XO.start_len = 5);
    XFIT("mixlogit_fit_start_mcem_pi", INV, "start: pi1 is -0.2", XO.method = GLMMGO_MIXLOGIT_MCEM; start[4] = -0.2; XO.start = start; XO.start_len = 5);
    XFIT("mixlogit_fit_start_len_short", INV, "start_len: is 4; start needs npar = 5 values", XO.start = start; XO.start_len = 4);
    XFIT("mixlogit_fit_start_len_negative", INV, "start_len:", XO.start = start; XO.start_len = -1);
    XFIT("mixlogit_fit_start_len_max", INV, "start_len:", XO.start = start; XO.start_len = INT64_MAX);
    XFIT("mixlogit_fit_start_null_len", INV, "start: is NULL but start_len is 5", XO.start_len = 5);
    XFIT("mixlogit_fit_cancelled", GLMMGO_ERR_CANCELLED, "cancel", pf_ = xcancel_now);
    XFIT("mixlogit_fit_cancelled_mcem", GLMMGO_ERR_CANCELLED, "cancel", XO.method = GLMMGO_MIXLOGIT_MCEM; pf_ = xcancel_now);
    xreset(); arm();
    emit("mixlogit_result_after_cancel", glmmgo_result(fh, GLMMGO_MIXLOGIT_ESTIMATE, start, 5, A.err, A.errlen), A.errlen, HND, "h: handle 0");
    XFIT("mixlogit_fit_callback_reenters", GLMMGO_ERR_CANCELLED, "cancel", pf_ = xreenter; ud_ = &XM);
    printf("mixlogit_callback_reenter_objective\t%d\t%d\t*\t\n", xreenter_status, GLMMGO_ERR_BUSY);
    printf("mixlogit_callback_reenter_free\t%d\t%d\t*\t\n", xreenter_free_status, GLMMGO_ERR_BUSY);
    ncases += 2;
    XFIT("mixlogit_fit_ok", OK, "");
    XFIT("mixlogit_fit_ok_start", OK, "", XO.start = start; XO.start_len = 5);
    XFIT("mixlogit_fit_ok_start_swapped", OK, "", start[0] = 1.5; start[1] = -1; start[4] = 0.4; XO.start = start; XO.start_len = 5);
    XFIT("mixlogit_fit_ok_mcem", OK, "", XO.method = GLMMGO_MIXLOGIT_MCEM; XO.max_samples = 400);
    XFIT("mixlogit_fit_ok_one_iteration", OK, "", XO.max_iter = 1);
    /* Options from a shorter struct (an older header): the fields beyond
       its size take their defaults, whatever the caller's memory holds. */
    XFIT("mixlogit_fit_ok_size_method_only", OK, "", XO.max_iter = -5; XO.workers = -9; XO.alpha = NAN;
         XO.size = offsetof(glmmgo_mixlogit_options, method) + sizeof XO.method);
    XFIT("mixlogit_fit_ok_size_header_only", OK, "", XO.method = 77; XO.size = sizeof(size_t));
    XFIT("mixlogit_fit_wrong_kind_fit", HND, "model: handle", m_ = XF);
    XFIT("mixlogit_fit_wrong_kind_lmm", HND, "is a linear mixed model, not a mixlogit model", m_ = LH);
    XFIT("mixlogit_fit_wrong_kind_mcla", HND, "is an MCLA model, not a mixlogit model", m_ = HF);
    XFIT("mixlogit_fit_handle_zero", HND, "model: handle 0", m_ = 0);
    XFIT("mixlogit_fit_err_len0", INV, "*", o_ = NULL; A.errlen = 0);
#undef XFIT
}

static void cases_mixlogit_results(void) {
    char name[96];
    double v[4096], w[16];
    int64_t i64[8], n;
    int s;
    struct glmmgo_dims d = {.size = sizeof d};
    xreset(); arm();
    s = glmmgo_dims(XM, &d, A.err, A.errlen);
    if (s == OK && !(d.kind == GLMMGO_KIND_MIXLOGIT_MODEL && d.n == XN && d.t == XT && d.npar == 5 && d.p == 0 && d.q == 0 &&
                     d.nvc == 0 && d.ntheta == 0 && d.nterms == 0 && d.m == 0 && d.p_given == 0))
        s = 300;
    emit("mixlogit_dims_model_ok", s, A.errlen, OK, "");
    xreset(); arm();
    s = glmmgo_dims(XF, &d, A.err, A.errlen);
    if (s == OK && !(d.kind == GLMMGO_KIND_MIXLOGIT_FIT && d.n == XN && d.t == XT && d.npar == 5)) s = 300;
    emit("mixlogit_dims_fit_ok", s, A.errlen, OK, "");
    /* A struct from a header before t: t is not written. */
    xreset(); arm();
    memset(&d, 0x5A, sizeof d);
    d.size = offsetof(struct glmmgo_dims, t);
    s = glmmgo_dims(XF, &d, A.err, A.errlen);
    if (s == OK && !(d.kind == GLMMGO_KIND_MIXLOGIT_FIT && d.n == XN && d.t == (int64_t)0x5A5A5A5A5A5A5A5A)) s = 300;
    emit("mixlogit_dims_before_t", s, A.errlen, OK, "");

    /* The model has no results. */
    xreset(); arm();
    emit("mixlogit_model_result", glmmgo_result_length(XM, GLMMGO_MIXLOGIT_ESTIMATE, &n, A.err, A.errlen), A.errlen, INV,
         "a mixlogit model has none: fit it with glmmgo_mixlogit_fit");
    xreset(); arm();
    emit("mixlogit_model_confint", glmmgo_confint(XM, 0.95, v, w, 5, A.err, A.errlen), A.errlen, HND,
         "is a mixlogit model, not an MCLA, laplace or mixlogit fit");

    /* Every result with its length and type. */
    int64_t iters, ncol;
    xreset(); arm();
    s = glmmgo_result_int64(XF, GLMMGO_MIXLOGIT_ITERATIONS, &iters, 1, A.err, A.errlen);
    if (s == OK) s = glmmgo_result_int64(XF, GLMMGO_MIXLOGIT_TRACE_COLUMNS, &ncol, 1, A.err, A.errlen);
    if (s == OK && !(iters >= 1 && ncol == 16)) s = 300;
    emit("mixlogit_iterations_ok", s, A.errlen, OK, "");
    static const struct { int32_t code; int64_t len; } dbl[] = {
        {GLMMGO_MIXLOGIT_ESTIMATE, 5}, {GLMMGO_MIXLOGIT_SE, 5}, {GLMMGO_MIXLOGIT_VCOV, 25}, {GLMMGO_MIXLOGIT_LOGLIK, 1},
        {GLMMGO_MIXLOGIT_GRADIENT, 5}, {GLMMGO_MIXLOGIT_POSTERIOR, 2 * XN}, {GLMMGO_MIXLOGIT_START, 5},
        {GLMMGO_MIXLOGIT_MCSE, 5}, {GLMMGO_MIXLOGIT_MCVCOV, 25}, {GLMMGO_MIXLOGIT_LOGLIK_MC, 1},
        {GLMMGO_MIXLOGIT_LOGLIK_MCSE, 1}, {GLMMGO_MIXLOGIT_SCORE_TEST, 1}, {GLMMGO_MIXLOGIT_ESS, 2},
        {GLMMGO_MIXLOGIT_SECONDS, 6}, {GLMMGO_MIXLOGIT_TRACE, -1}};
    for (int k = 0; k < 15; k++) {
        int64_t len = dbl[k].len;
        snprintf(name, sizeof name, "mixlogit_result_%d_ok", (int)dbl[k].code);
        xreset(); arm();
        s = glmmgo_result_length(XF, dbl[k].code, &n, A.err, A.errlen);
        /* The trace of a quadrature fit: a row per trust-region iteration but
           the last (the one that meets the stopping test). */
        if (len < 0) len = n;
        if (s == OK && dbl[k].len < 0 && !(n % 16 == 0 && n / 16 >= iters - 1 && n / 16 <= iters && n <= 4000)) s = 300;
        if (s == OK && n != len) s = 300;
        if (s == OK) s = glmmgo_result(XF, dbl[k].code, v, len, A.err, A.errlen);
        emit(name, s, A.errlen, OK, "");
        char arg[96];
        snprintf(name, sizeof name, "mixlogit_result_%d_len", (int)dbl[k].code);
        snprintf(arg, sizeof arg, "len: is %lld; GLMMGO_MIXLOGIT_", (long long)(len + 1));
        xreset(); arm();
        emit(name, glmmgo_result(XF, dbl[k].code, v, len + 1, A.err, A.errlen), A.errlen, INV, arg);
        snprintf(name, sizeof name, "mixlogit_result_%d_null", (int)dbl[k].code);
        xreset(); arm();
        emit(name, glmmgo_result(XF, dbl[k].code, NULL, len, A.err, A.errlen), A.errlen, INV, "buf: is NULL");
        snprintf(name, sizeof name, "mixlogit_result_%d_as_int", (int)dbl[k].code);
        xreset(); arm();
        emit(name, glmmgo_result_int64(XF, dbl[k].code, i64, len, A.err, A.errlen), A.errlen, INV, "is a double result");
    }
    static const int32_t ints[] = {GLMMGO_MIXLOGIT_INFO_POSDEF, GLMMGO_MIXLOGIT_CONVERGED, GLMMGO_MIXLOGIT_ITERATIONS,
                                   GLMMGO_MIXLOGIT_METHOD, GLMMGO_MIXLOGIT_SAMPLE_SIZE, GLMMGO_MIXLOGIT_TOTAL_DRAWS,
                                   GLMMGO_MIXLOGIT_NEWTON_STEPS, GLMMGO_MIXLOGIT_FINAL_ROUNDS, GLMMGO_MIXLOGIT_TRACE_COLUMNS};
    for (int k = 0; k < 9; k++) {
        snprintf(name, sizeof name, "mixlogit_result_%d_ok", (int)ints[k]);
        xreset(); arm();
        emit(name, glmmgo_result_int64(XF, ints[k], i64, 1, A.err, A.errlen), A.errlen, OK, "");
        snprintf(name, sizeof name, "mixlogit_result_%d_as_double", (int)ints[k]);
        xreset(); arm();
        emit(name, glmmgo_result(XF, ints[k], v, 1, A.err, A.errlen), A.errlen, INV, "is an integer result: read it with glmmgo_result_int64");
        snprintf(name, sizeof name, "mixlogit_result_%d_len0", (int)ints[k]);
        xreset(); arm();
        emit(name, glmmgo_result_int64(XF, ints[k], i64, 0, A.err, A.errlen), A.errlen, INV, "has 1 values");
    }
    /* What a quadrature fit reports of MCEM's quantities, and the labelling. */
    xreset(); arm();
    double est[5], mcse[5], post[2 * XN];
    s = glmmgo_result(XF, GLMMGO_MIXLOGIT_ESTIMATE, est, 5, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(XF, GLMMGO_MIXLOGIT_MCSE, mcse, 5, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(XF, GLMMGO_MIXLOGIT_POSTERIOR, post, 2 * XN, A.err, A.errlen);
    if (s == OK) s = glmmgo_result_int64(XF, GLMMGO_MIXLOGIT_METHOD, i64, 1, A.err, A.errlen);
    if (s == OK) s = glmmgo_result_int64(XF, GLMMGO_MIXLOGIT_TOTAL_DRAWS, i64 + 1, 1, A.err, A.errlen);
    if (s == OK && !(est[0] <= est[1] && isnan(mcse[0]) && isnan(mcse[4]) && i64[0] == GLMMGO_MIXLOGIT_QUADRATURE && i64[1] == 0))
        s = 300;
    for (int i = 0; s == OK && i < XN; i++)
        if (fabs(post[i] + post[XN + i] - 1) > 1e-12 || post[i] < 0 || post[XN + i] < 0) s = 300;
    emit("mixlogit_quadrature_reports", s, A.errlen, OK, "");

    /* Codes of other engines, and mixlogit codes on other kinds. */
    static const int32_t other[] = {GLMMGO_MCLA_BETA, GLMMGO_LMM_THETA, 4000, GLMMGO_MIXLOGIT_SECONDS + 1, 4999};
    for (int k = 0; k < 5; k++) {
        char arg[96];
        snprintf(name, sizeof name, "mixlogit_result_code_%d", (int)other[k]);
        snprintf(arg, sizeof arg, "what: %d is not a result of a mixlogit fit", (int)other[k]);
        xreset(); arm();
        emit(name, glmmgo_result(XF, other[k], v, 1, A.err, A.errlen), A.errlen, INV, arg);
    }
    xreset(); arm();
    emit("mixlogit_code_on_lmm_fit", glmmgo_result(LF, GLMMGO_MIXLOGIT_ESTIMATE, v, 5, A.err, A.errlen), A.errlen, INV,
         "what: 4001 is not a result of a linear mixed model fit");
    xreset(); arm();
    emit("mixlogit_code_on_mcla_model", glmmgo_result_length(HF, GLMMGO_MIXLOGIT_TRACE, &n, A.err, A.errlen), A.errlen, INV,
         "what: 4023 is not a result of an MCLA model");

    /* glmmgo_confint. */
    static const double badlevel[] = {0, 1, -0.5, 1.5, NAN, INFINITY};
    for (int k = 0; k < 6; k++) {
        snprintf(name, sizeof name, "mixlogit_confint_level_%d", k);
        xreset(); arm();
        emit(name, glmmgo_confint(XF, badlevel[k], v, w, 5, A.err, A.errlen), A.errlen, INV, "level: is");
    }
    xreset(); arm();
    s = glmmgo_confint(XF, 0.95, v, w, 5, A.err, A.errlen);
    if (s == OK) {
        double se[5];
        glmmgo_result(XF, GLMMGO_MIXLOGIT_SE, se, 5, NULL, 0);
        for (int k = 0; k < 5; k++)
            if (!(fabs(v[k] - (est[k] - 1.959963984540054 * se[k])) < 1e-12 && fabs(w[k] - (est[k] + 1.959963984540054 * se[k])) < 1e-12))
                s = 300;
    }
    emit("mixlogit_confint_ok", s, A.errlen, OK, "");
    xreset(); arm();
    emit("mixlogit_confint_len", glmmgo_confint(XF, 0.95, v, w, 4, A.err, A.errlen), A.errlen, INV,
         "len: is 4; the fit has npar = 5 parameters");
    xreset(); arm();
    emit("mixlogit_confint_len_max", glmmgo_confint(XF, 0.95, v, w, INT64_MAX, A.err, A.errlen), A.errlen, INV, "len:");
    xreset(); arm();
    emit("mixlogit_confint_lower_null", glmmgo_confint(XF, 0.95, NULL, w, 5, A.err, A.errlen), A.errlen, INV, "lower: is NULL");
    xreset(); arm();
    emit("mixlogit_confint_upper_null", glmmgo_confint(XF, 0.95, v, NULL, 5, A.err, A.errlen), A.errlen, INV, "upper: is NULL");
}

/* Mixlogit handles to every other engine's calls, and the others' to
   mixlogit's. */
static void cases_mixlogit_wrong_kind(void) {
    char name[96];
    double v, g[5], H[25], d[64];
    glmmgo_handle out;
    glmmgo_mixlogit_options o;
    glmmgo_mixlogit_options_default(&o, sizeof o, NULL, 0);
    const char *notx = "not a mixlogit model";
#define XWK(fn, call, want, arg)                                \
    snprintf(name, sizeof name, "wrong_kind_%s", fn);           \
    xreset(); arm(); emit(name, call, A.errlen, want, arg)
    XWK("mixlogit_fit_to_objective", glmmgo_mixlogit_objective(XF, x_par0, 5, 1, &v, g, H, A.err, A.errlen), HND,
        "is a mixlogit fit, not a mixlogit model");
    XWK("lmm_to_mixlogit_objective", glmmgo_mixlogit_objective(LH, x_par0, 5, 1, &v, g, H, A.err, A.errlen), HND, notx);
    XWK("mcla_to_mixlogit_objective", glmmgo_mixlogit_objective(HF, x_par0, 5, 1, &v, g, H, A.err, A.errlen), HND, notx);
    XWK("mcla_to_mixlogit_fit", glmmgo_mixlogit_fit(HF, &o, NULL, NULL, &out, A.err, A.errlen), HND, notx);
    XWK("mixlogit_to_mcla_objective", glmmgo_mcla_objective(XM, base_par, 1, &v, NULL, NULL, A.err, A.errlen), HND,
        "is a mixlogit model, not an MCLA model");
    XWK("mixlogit_to_mcla_set_samples", glmmgo_mcla_set_samples(XM, 1, d, A.err, A.errlen), HND, "not an MCLA model");
    XWK("mixlogit_to_mcla_fit", glmmgo_mcla_fit(XM, &FO, NULL, NULL, &out, A.err, A.errlen), HND, "not an MCLA model");
    XWK("mixlogit_to_lmm_objective", glmmgo_lmm_objective(XM, d, 4, 0, 1, &v, A.err, A.errlen), HND, "not a linear mixed model");
    XWK("mixlogit_to_lmm_fit", glmmgo_lmm_fit(XM, NULL, NULL, NULL, &out, A.err, A.errlen), HND, "not a linear mixed model");
    XWK("mixlogit_fit_to_lmm_deviance_parts", glmmgo_lmm_deviance_parts(XF, d, 4, 1, d + 8, 6, A.err, A.errlen), HND,
        "is a mixlogit fit, not a linear mixed model");
#undef XWK
    /* Bad handles of every kind to the mixlogit calls. */
    glmmgo_handle freed = mixlogit_model();
    glmmgo_free(freed);
    const struct { const char *tag; glmmgo_handle h; } hs[] = {{"zero", 0}, {"never", 123456789}, {"freed", freed}, {"min", INT64_MIN}};
    for (int k = 0; k < 4; k++) {
        glmmgo_handle h = hs[k].h;
        snprintf(name, sizeof name, "handle_%s_mixlogit_objective", hs[k].tag);
        xreset(); arm();
        emit(name, glmmgo_mixlogit_objective(h, x_par0, 5, 1, &v, NULL, NULL, A.err, A.errlen), A.errlen, HND, "model: handle");
        snprintf(name, sizeof name, "handle_%s_mixlogit_fit", hs[k].tag);
        xreset(); arm();
        out = 5;
        int s = glmmgo_mixlogit_fit(h, &o, NULL, NULL, &out, A.err, A.errlen);
        if (s != OK && out != 0) s += 200;
        emit(name, s, A.errlen, HND, "model: handle");
    }
    xreset(); arm();
    emit("mixlogit_free_twice", glmmgo_free(freed), 0, HND, "*");
}

/* A fit stays valid after its model is freed. */
static void cases_mixlogit_fit_outlives_model(void) {
    xreset();
    glmmgo_handle h = mixlogit_model(), f = 0;
    glmmgo_mixlogit_options o;
    glmmgo_mixlogit_options_default(&o, sizeof o, NULL, 0);
    o.method = GLMMGO_MIXLOGIT_QUADRATURE;
    arm();
    int s = glmmgo_mixlogit_fit(h, &o, NULL, NULL, &f, A.err, A.errlen);
    double e1[5], e2[5], post[2 * XN];
    if (s == OK) s = glmmgo_result(f, GLMMGO_MIXLOGIT_ESTIMATE, e1, 5, A.err, A.errlen);
    if (s == OK) s = glmmgo_free(h);
    if (s == OK) s = glmmgo_result(f, GLMMGO_MIXLOGIT_ESTIMATE, e2, 5, A.err, A.errlen);
    if (s == OK) s = glmmgo_result(f, GLMMGO_MIXLOGIT_POSTERIOR, post, 2 * XN, A.err, A.errlen);
    if (s == OK && memcmp(e1, e2, sizeof e1)) s = 300;
    emit("mixlogit_fit_outlives_model", s, A.errlen, OK, "");
    double v;
    xreset(); arm();
    emit("mixlogit_freed_model_objective", glmmgo_mixlogit_objective(h, e1, 5, 1, &v, NULL, NULL, A.err, A.errlen), A.errlen,
         HND, "model: handle");
    xreset(); arm();
    emit("mixlogit_fit_free", glmmgo_free(f), 0, OK, "*");
    xreset(); arm();
    emit("mixlogit_freed_fit_result", glmmgo_result(f, GLMMGO_MIXLOGIT_ESTIMATE, e1, 5, A.err, A.errlen), A.errlen, HND, "h: handle");
}

/* Needs LH, LF (badinput_lmm.c), HF and FO (badinput.c, badinput_mcla_fit.c). */
static void cases_mixlogit(void) {
    cases_mixlogit_new();
    xreset();
    XM = mixlogit_model();
    glmmgo_mixlogit_options o;
    glmmgo_mixlogit_options_default(&o, sizeof o, NULL, 0);
    o.method = GLMMGO_MIXLOGIT_QUADRATURE;
    if (glmmgo_mixlogit_fit(XM, &o, NULL, NULL, &XF, A.err, A.errlen) != OK) {
        fprintf(stderr, "mixlogit base fit: %s\n", A.err);
        exit(1);
    }
    cases_mixlogit_objective();
    cases_mixlogit_options();
    cases_mixlogit_fit();
    cases_mixlogit_results();
    cases_mixlogit_wrong_kind();
    cases_mixlogit_fit_outlives_model();
    glmmgo_free(XF);
    glmmgo_free(XM);
}
