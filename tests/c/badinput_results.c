/* The calls shared by every kind of handle — glmmgo_dims,
   glmmgo_result_length, glmmgo_result, glmmgo_result_int64 — and
   glmmgo_mcla_options_default, in the format of badinput.c (which includes
   this file and calls cases_results()). */

static void cases_results(void) {
    int s;
    char name[96];
    double v[16];
    int64_t n, i64[4];
    /* A small fit to ask. */
    freset();
    glmmgo_handle mod = fit_model(GLMMGO_BERNOULLI, 0, &s), fit = 0;
    if (glmmgo_mcla_fit(mod, &FO, NULL, NULL, &fit, A.err, A.errlen) != OK) {
        fprintf(stderr, "fit: %s\n", A.err);
        exit(1);
    }

    /* glmmgo_dims: the size field. */
    struct glmmgo_dims d;
    static const struct { const char *tag; size_t size; } badsize[] = {
        {"zero", 0}, {"short_of_size_t", sizeof(size_t) - 1}, {"newer_header", sizeof(struct glmmgo_dims) + 8}, {"max", SIZE_MAX}};
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "dims_size_%s", badsize[k].tag);
        reset(); arm();
        d.size = badsize[k].size;
        emit(name, glmmgo_dims(fit, &d, A.err, A.errlen), A.errlen, INV, "size:");
    }
    /* A shorter struct (an older header) gets the fields within its size
       and nothing beyond. */
    reset(); arm();
    memset(&d, 0x5A, sizeof d);
    d.size = offsetof(struct glmmgo_dims, p_given);
    s = glmmgo_dims(fit, &d, A.err, A.errlen);
    {
        struct glmmgo_dims canary;
        memset(&canary, 0x5A, sizeof canary);
        size_t off = offsetof(struct glmmgo_dims, p_given);
        if (s == OK && (d.kind != GLMMGO_KIND_MCLA_FIT || d.n != 60 || d.p != P ||
                        memcmp((char *)&d + off, (char *)&canary + off, sizeof d - off)))
            s = 300;
    }
    emit("dims_short_struct", s, A.errlen, OK, "");
    reset(); arm();
    d.size = sizeof d;
    s = glmmgo_dims(fit, &d, A.err, A.errlen);
    if (s == OK && !(d.kind == GLMMGO_KIND_MCLA_FIT && d.n == 60 && d.p == P && d.p_given == P && d.q == Q && d.nvc == 1 &&
                     d.npar == P + 1 && d.m == 300 && d.ntheta == 0 && d.nterms == 0))
        s = 300;
    emit("dims_fit_ok", s, A.errlen, OK, "");

    /* Result codes a kind does not have (GLMMGO_MCLA_JOINT_ESS is the last of an
       MCLA fit: one past it is none); the wrong function; lengths. */
    static const int32_t badcode[] = {0, -1, 999, 1000, GLMMGO_MCLA_JOINT_ESS + 1, 2000, GLMMGO_LMM_BETA, 3001,
                                      INT32_MAX, INT32_MIN};
    for (int k = 0; k < 10; k++) {
        snprintf(name, sizeof name, "result_code_%d", (int)badcode[k]);
        char arg[96];
        snprintf(arg, sizeof arg, "what: %d is not a result of an MCLA fit", (int)badcode[k]);
        reset(); arm();
        emit(name, glmmgo_result_length(fit, badcode[k], &n, A.err, A.errlen), A.errlen, INV, arg);
        snprintf(name, sizeof name, "result_code_%d_read", (int)badcode[k]);
        reset(); arm();
        emit(name, glmmgo_result(fit, badcode[k], v, 1, A.err, A.errlen), A.errlen, INV, arg);
        snprintf(name, sizeof name, "result_code_%d_int64", (int)badcode[k]);
        reset(); arm();
        emit(name, glmmgo_result_int64(fit, badcode[k], i64, 1, A.err, A.errlen), A.errlen, INV, arg);
    }
    reset(); arm();
    emit("result_model_has_none", glmmgo_result_length(mod, GLMMGO_MCLA_BETA, &n, A.err, A.errlen), A.errlen, INV,
         "an MCLA model has none: fit it with glmmgo_mcla_fit");
    reset(); arm();
    emit("result_length_null", glmmgo_result_length(fit, GLMMGO_MCLA_BETA, NULL, A.err, A.errlen), A.errlen, INV, "len:");
    reset(); arm();
    s = glmmgo_result_length(fit, GLMMGO_MCLA_HESSIAN, &n, A.err, A.errlen);
    if (s == OK && n != 9) s = 300;
    emit("result_length_ok", s, A.errlen, OK, "");
    reset(); arm();
    s = glmmgo_result_length(fit, GLMMGO_MCLA_UMATRIX, &n, A.err, A.errlen);
    if (s == OK && n != 300 * Q) s = 300;
    emit("result_length_umatrix", s, A.errlen, OK, "");
    static const int64_t badlen[] = {0, -1, 2, 4, INT64_MAX, INT64_MIN};
    for (int k = 0; k < 6; k++) {
        snprintf(name, sizeof name, "result_len_%lld", (long long)badlen[k]);
        reset(); arm();
        emit(name, glmmgo_result(fit, GLMMGO_MCLA_SE, v, badlen[k], A.err, A.errlen), A.errlen, INV,
             "GLMMGO_MCLA_SE has 3 values");
        snprintf(name, sizeof name, "result_int64_len_%lld", (long long)badlen[k]);
        reset(); arm();
        emit(name, glmmgo_result_int64(fit, GLMMGO_MCLA_COUNTS, i64, badlen[k], A.err, A.errlen), A.errlen, INV,
             "GLMMGO_MCLA_COUNTS has 3 values");
    }
    reset(); arm();
    emit("result_err_len0", glmmgo_result(fit, GLMMGO_MCLA_SE, v, 0, A.err, 0), 0, INV, "*");
    reset(); arm();
    emit("result_err_len1", glmmgo_result(fit, GLMMGO_MCLA_SE, v, 0, A.err, 1), 1, INV, "*");
    reset(); arm(); A.err = NULL;
    emit("result_err_null", glmmgo_result(fit, GLMMGO_MCLA_SE, v, 0, A.err, 100), 100, INV, "*");

    /* glmmgo_mcla_options_default. */
    glmmgo_mcla_options o;
    reset(); arm();
    emit("mcla_options_default_null", glmmgo_mcla_options_default(NULL, sizeof o, A.err, A.errlen), A.errlen, INV, "opt:");
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "mcla_options_default_size_%s", badsize[k].tag);
        reset(); arm();
        emit(name, glmmgo_mcla_options_default(&o, badsize[k].size == sizeof(struct glmmgo_dims) + 8 ? sizeof o + 8 : badsize[k].size,
                                               A.err, A.errlen), A.errlen, INV, "size:");
    }
    reset(); arm();
    memset(&o, 0x5A, sizeof o);
    s = glmmgo_mcla_options_default(&o, offsetof(glmmgo_mcla_options, zeta), A.err, A.errlen);
    {
        glmmgo_mcla_options canary;
        memset(&canary, 0x5A, sizeof canary);
        size_t off = offsetof(glmmgo_mcla_options, zeta);
        if (s == OK && (o.size != off || o.m != 10000 || o.p_mix[0] != 1.0 / 3 || o.p_mix[2] != 1.0 / 3 ||
                        memcmp((char *)&o + off, (char *)&canary + off, sizeof o - off)))
            s = 300;
    }
    emit("mcla_options_default_short", s, A.errlen, OK, "");
    reset(); arm();
    s = glmmgo_mcla_options_default(&o, sizeof o, A.err, A.errlen);
    if (s == OK && !(o.size == sizeof o && o.m == 10000 && o.p_mix[1] == 1.0 / 3 && o.zeta == 5 && o.seed == 0 &&
                     o.workers == 0 && o.no_pql == 0 && o.rinit == 10 && o.rmax == 1000 && o.iterlim == 1000 &&
                     o.start == NULL && o.start_len == 0 && o.ess_warn == 100 && o.t_at_ustar == 0 &&
                     o.dispersion_lo == 0 && o.dispersion_hi == 0))
        s = 300;
    emit("mcla_options_default_ok", s, A.errlen, OK, "");
    reset(); arm(); A.errlen = 1;
    emit("mcla_options_default_err_len1", glmmgo_mcla_options_default(&o, 0, A.err, A.errlen), A.errlen, INV, "*");

    glmmgo_free(fit);
    glmmgo_free(mod);
}
