/* A fit whose sample lives in "workers": several model handles of the same
   data stand for worker processes. The callback gives each worker a
   contiguous range of batches at every new sample (the split moves from one
   sample to the next) and answers every request by asking each worker for
   its part; the fit merges. Prints the results for the Go test to compare
   with the same fit without the callback.

   usage: mcla_cluster CASEFILE M SEED WORKERS [cancel K | nan | count]
     WORKERS 0  no callback: the fit in one process
     cancel K   the callback returns nonzero at its K-th call
     nan        the callback writes a NaN into the first batch's partial
     count      the callback changes the first batch's count */
#include <math.h>
#include <string.h>
#include "mcla_case.h"
#include "results.h"

#define MAXW 8

typedef struct {
    int nworkers;
    glmmgo_handle worker[MAXW];
    int64_t begin[MAXW], end[MAXW]; /* batches held by each worker */
    int64_t samples, calls, cancel_at, max_doubles;
    int corrupt; /* 1 NaN, 2 count */
} cluster;

/* give splits nb batches into contiguous ranges, shifting the cut points
   with the number of samples set so far. */
static void give(cluster *c, int64_t nb) {
    int k = c->nworkers;
    for (int i = 0; i < k; i++) {
        int64_t shift = (c->samples * 7) % (k + 1);
        c->begin[i] = i == 0 ? 0 : (i * nb + shift) / k;
        if (c->begin[i] > nb) c->begin[i] = nb;
        c->end[i] = nb;
        if (i > 0) c->end[i - 1] = c->begin[i];
    }
}

static int partials(void *userdata, const glmmgo_mcla_request *req) {
    cluster *c = userdata;
    c->calls++;
    if (c->cancel_at > 0 && c->calls >= c->cancel_at) {
        snprintf(req->err, req->errlen, "stopped by the test at call %lld", (long long)c->calls);
        return 7;
    }
    char err[512];
    if (req->what == GLMMGO_MCLA_SAMPLE) {
        give(c, req->nbatches);
        c->samples++;
        for (int i = 0; i < c->nworkers; i++) {
            if (c->begin[i] >= c->end[i]) continue;
            if (glmmgo_mcla_worker_sample(c->worker[i], req->spec, req->spec_len, c->begin[i], c->end[i], 1, err,
                                          sizeof err) != GLMMGO_OK) {
                snprintf(req->err, req->errlen, "worker %d: %s", i, err);
                return 1;
            }
        }
        return 0;
    }
    if (req->len > c->max_doubles) c->max_doubles = req->len;
    for (int i = 0; i < c->nworkers; i++) {
        int64_t b0 = c->begin[i] > req->batch_begin ? c->begin[i] : req->batch_begin;
        int64_t b1 = c->end[i] < req->batch_end ? c->end[i] : req->batch_end;
        if (b0 >= b1) continue;
        double *out = req->partials + (b0 - req->batch_begin) * req->batch_len;
        if (glmmgo_mcla_worker_partials(c->worker[i], req->what, req->par, req->npar, req->m, req->row_begin,
                                        req->row_end, b0, b1, 1, out, (b1 - b0) * req->batch_len, err,
                                        sizeof err) != GLMMGO_OK) {
            snprintf(req->err, req->errlen, "worker %d: %s", i, err);
            return 1;
        }
    }
    if (c->corrupt == 1) req->partials[4] = NAN;
    if (c->corrupt == 2) req->partials[0] += 1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: mcla_cluster CASEFILE M SEED WORKERS [cancel K | nan | count]\n"); return 2; }
    mcla_case cs = read_case(argv[1]);
    char err[512];
    glmmgo_handle model = new_model(&cs);
    cluster c = {0};
    c.nworkers = atoi(argv[4]);
    if (c.nworkers > MAXW) return 2;
    for (int i = 0; i < c.nworkers; i++) c.worker[i] = new_model(&cs);
    if (argc > 6 && strcmp(argv[5], "cancel") == 0) c.cancel_at = atoll(argv[6]);
    if (argc > 5 && strcmp(argv[5], "nan") == 0) c.corrupt = 1;
    if (argc > 5 && strcmp(argv[5], "count") == 0) c.corrupt = 2;

    glmmgo_mcla_options opt;
    if (glmmgo_mcla_options_default(&opt, sizeof opt, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    opt.m = atoll(argv[2]);
    opt.seed = strtoull(argv[3], NULL, 10);
    opt.workers = 1;
    opt.m_pilot = opt.m / 4;
    if (c.nworkers > 0) {
        opt.partials = partials;
        opt.partials_userdata = &c;
    }
    glmmgo_handle fit = 12345;
    int s = glmmgo_mcla_fit(model, &opt, NULL, NULL, &fit, err, sizeof err);
    printf("status %d\n", s);
    if (s != GLMMGO_OK) {
        printf("fit_zero %d\n", fit == 0);
        printf("calls %lld\n", (long long)c.calls);
        fprintf(stderr, "message: %s\n", err);
        printf("message_has_callback %d\n", strstr(err, "stopped by the test") != NULL);
        printf("message_names_partials %d\n", strstr(err, "partials") != NULL);
        return 0;
    }
    print_result("par_beta", fit, GLMMGO_MCLA_BETA);
    print_result("par_nu", fit, GLMMGO_MCLA_NU);
    print_result("value", fit, GLMMGO_MCLA_VALUE);
    print_result("hessian", fit, GLMMGO_MCLA_HESSIAN);
    print_result("se", fit, GLMMGO_MCLA_SE);
    print_result("mcse", fit, GLMMGO_MCLA_MCSE);
    print_result("mcse_glmm", fit, GLMMGO_MCLA_MCSE_GLMM);
    print_result("ess", fit, GLMMGO_MCLA_ESS);
    print_result("stage_ess", fit, GLMMGO_MCLA_STAGE_ESS);
    if (c.nworkers > 0) {
        printf("x_samples %lld\n", (long long)c.samples);
        printf("x_calls %lld\n", (long long)c.calls);
        printf("x_max_doubles %lld\n", (long long)c.max_doubles);
    }
    glmmgo_free(fit);
    glmmgo_free(model);
    for (int i = 0; i < c.nworkers; i++) glmmgo_free(c.worker[i]);
    return 0;
}
