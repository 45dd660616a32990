/* A fit whose sample lives in other processes (glmmgo_mcla_options.partials,
   glmmgo_mcla_worker_sample, glmmgo_mcla_worker_partials), in the format of
   badinput.c (which includes this file after badinput_mcla_fit.c, whose
   fit-sized model it uses, and calls cases_cluster()). */

static double CL_spec[64];
static int64_t CL_spec_len, CL_m, CL_nb;

/* Keeps the first sample's spec and stops the fit. */
static int keep_spec(void *ud, const glmmgo_mcla_request *req) {
    (void)ud;
    if (req->what == GLMMGO_MCLA_SAMPLE && req->spec_len <= 64) {
        memcpy(CL_spec, req->spec, sizeof(double) * (size_t)req->spec_len);
        CL_spec_len = req->spec_len;
        CL_m = req->m;
        CL_nb = req->nbatches;
    }
    snprintf(req->err, req->errlen, "the test keeps the spec");
    return 1;
}

static int nonzero_partials(void *ud, const glmmgo_mcla_request *req) {
    (void)ud; (void)req;
    return 3;
}

static void cases_cluster(void) {
    int s;
    freset();
    glmmgo_handle HM = fit_model(GLMMGO_BERNOULLI, 0, &s);
    glmmgo_handle HW = fit_model(GLMMGO_BERNOULLI, 0, &s);
    glmmgo_handle fh = 999;
    double par[D - 1] = {0.1, -0.2, 1.0};
    double out[4096];

    freset(); arm();
    FO.m = 600; FO.stages = 1;
    FO.partials = keep_spec;
    s = glmmgo_mcla_fit(HM, &FO, NULL, NULL, &fh, A.err, A.errlen);
    if (s == GLMMGO_ERR_CANCELLED && (fh != 0 || CL_spec_len != 10 + P + 2 * Q || CL_m != 600 || CL_nb != 3)) s = 300;
    emit("cluster_fit_callback_nonzero", s, A.errlen, GLMMGO_ERR_CANCELLED, "the test keeps the spec");
    freset(); arm();
    FO.partials = nonzero_partials;
    emit("cluster_fit_callback_no_message", glmmgo_mcla_fit(HM, &FO, NULL, NULL, &fh, A.err, A.errlen), A.errlen,
         GLMMGO_ERR_CANCELLED, "partials: the partials callback returned 3");
    freset(); arm();
    glmmgo_handle HNB = fit_model(GLMMGO_NEGBINOMIAL, 2, &s);
    FO.partials = nonzero_partials; FO.dispersion_lo = 0.5; FO.dispersion_hi = 5;
    emit("cluster_fit_dispersion_range", glmmgo_mcla_fit(HNB, &FO, NULL, NULL, &fh, A.err, A.errlen), A.errlen, INV,
         "partials: estimating a negative binomial size");
    glmmgo_free(HNB);

#define WS(nm, want, arg, spec, len, b0, b1, w, h)                                                  \
    do {                                                                                            \
        freset(); arm();                                                                            \
        emit(nm, glmmgo_mcla_worker_sample(h, spec, len, b0, b1, w, A.err, A.errlen), A.errlen, want, arg); \
    } while (0)
    double bad[64];
    WS("cluster_worker_sample_spec_null", INV, "spec: is NULL", NULL, CL_spec_len, 0, 1, 1, HW);
    WS("cluster_worker_sample_spec_len", INV, "spec_len: is 9", CL_spec, 9, 0, 1, 1, HW);
    memcpy(bad, CL_spec, sizeof bad); bad[12] = NAN;
    WS("cluster_worker_sample_spec_nan", INV, "spec: element 12", bad, CL_spec_len, 0, 1, 1, HW);
    memcpy(bad, CL_spec, sizeof bad); bad[0] = 2;
    WS("cluster_worker_sample_spec_version", INV, "spec: is of version 2", bad, CL_spec_len, 0, 1, 1, HW);
    memcpy(bad, CL_spec, sizeof bad); bad[1] = -5;
    WS("cluster_worker_sample_spec_m", INV, "spec: m = -5", bad, CL_spec_len, 0, 1, 1, HW);
    memcpy(bad, CL_spec, sizeof bad); bad[10 + P + Q] = -1; /* a negative D* */
    WS("cluster_worker_sample_spec_dstar", INV, "*", bad, CL_spec_len, 0, 1, 1, HW);
    WS("cluster_worker_sample_batches_empty", INV, "batch_begin: batches [1, 1)", CL_spec, CL_spec_len, 1, 1, 1, HW);
    WS("cluster_worker_sample_batches_past", INV, "batch_begin: batches [0, 4) are not a non-empty part of the 3", CL_spec, CL_spec_len, 0, 4, 1, HW);
    WS("cluster_worker_sample_workers", INV, "workers: is -2", CL_spec, CL_spec_len, 0, 1, -2, HW);
    WS("cluster_worker_sample_handle", HND, "model: handle 0", CL_spec, CL_spec_len, 0, 1, 1, 0);

#define WP(nm, want, arg, what, pp, np, m, r0, r1, b0, b1, len, h)                                  \
    do {                                                                                            \
        freset(); arm();                                                                            \
        emit(nm, glmmgo_mcla_worker_partials(h, what, pp, np, m, r0, r1, b0, b1, 1, out, len, A.err, A.errlen), \
             A.errlen, want, arg);                                                                  \
    } while (0)
    int64_t bl = 4 + (D - 1) + (D - 1) * (D - 1) + 60 + 1; /* one batch partial: n = 60, d = 3, nvc = 1 */
    WP("cluster_worker_partials_before_sample", STA, "Sample first", GLMMGO_MCLA_BATCH_PARTIALS, par, 3, 600, 0, 600, 1, 2, bl, HW);
    WS("cluster_worker_sample_ok", OK, "", CL_spec, CL_spec_len, 1, 3, 1, HW);
    WP("cluster_worker_partials_ok", OK, "", GLMMGO_MCLA_BATCH_PARTIALS, par, 3, 600, 0, 600, 1, 3, 2 * bl, HW);
    if (out[0] != 256 || out[bl] != 600 - 512) printf("cluster_worker_partials_counts\t300\t0\t*\tcounts %g %g\n", out[0], out[bl]), ncases++;
    WP("cluster_worker_partials_moments_ok", OK, "", GLMMGO_MCLA_MOMENT_PARTIALS, par, 3, 600, 0, 600, 2, 3, 8 + 9, HW);
    WP("cluster_worker_partials_what", INV, "what: is 9", 9, par, 3, 600, 0, 600, 1, 2, bl, HW);
    WP("cluster_worker_partials_npar", INV, "npar: is 4", GLMMGO_MCLA_BATCH_PARTIALS, par, 4, 600, 0, 600, 1, 2, bl, HW);
    WP("cluster_worker_partials_par_null", INV, "par: is NULL", GLMMGO_MCLA_BATCH_PARTIALS, NULL, 3, 600, 0, 600, 1, 2, bl, HW);
    WP("cluster_worker_partials_len", INV, "len: is 5", GLMMGO_MCLA_BATCH_PARTIALS, par, 3, 600, 0, 600, 1, 2, 5, HW);
    freset(); arm();
    emit("cluster_worker_partials_null", glmmgo_mcla_worker_partials(HW, GLMMGO_MCLA_BATCH_PARTIALS, par, 3, 600, 0, 600, 1, 2, 1,
         NULL, bl, A.err, A.errlen), A.errlen, INV, "partials: is NULL");
    WP("cluster_worker_partials_not_held", INV, "batch_begin: batches [0, 2) are not a non-empty part of the worker's [1, 3)",
       GLMMGO_MCLA_BATCH_PARTIALS, par, 3, 600, 0, 600, 0, 2, 2 * bl, HW);
    WP("cluster_worker_partials_m", INV, "m: is 700; the worker's sample has m = 600", GLMMGO_MCLA_BATCH_PARTIALS, par, 3, 700, 0, 700, 1, 2, bl, HW);
    WP("cluster_worker_partials_rows", INV, "row_begin: rows [0, 601)", GLMMGO_MCLA_BATCH_PARTIALS, par, 3, 600, 0, 601, 1, 2, bl, HW);
    par[2] = -1;
    WP("cluster_worker_partials_domain", DOM, "par: variance component 0", GLMMGO_MCLA_BATCH_PARTIALS, par, 3, 600, 0, 600, 1, 2, bl, HW);
    glmmgo_free(HM);
    glmmgo_free(HW);
#undef WS
#undef WP
}
