/* MCLA fits whose sample lives in other R processes (glmm(cluster = cl)):
   the partials callback of glmmgo_mcla_options, which hands each request
   to an R function (R/cluster.R) on R's main thread, and the two calls a
   worker process makes. */
#include <string.h>
#include "shim.h"

typedef struct {
    SEXP driver;                     /* function(request) -> TRUE, partials or a message */
    const glmmgo_mcla_request *req;
    SEXP answer;                     /* set inside R_ToplevelExec, protected by the precious list */
    int interrupted;
} gg_cluster;

static SEXP gg_request_list(const glmmgo_mcla_request *r) {
    const char *names[] = {"what", "spec", "m", "nbatches", "par", "row_begin", "row_end", "batch_begin",
                           "batch_end", "batch_len", "len"};
    SEXP l = PROTECT(gg_named_list(11, names));
    SET_VECTOR_ELT(l, 0, Rf_ScalarInteger(r->what));
    SEXP spec = Rf_allocVector(REALSXP, r->spec != NULL ? (R_xlen_t)r->spec_len : 0);
    SET_VECTOR_ELT(l, 1, spec);
    if (r->spec != NULL) memcpy(REAL(spec), r->spec, sizeof(double) * (size_t)r->spec_len);
    SET_VECTOR_ELT(l, 2, Rf_ScalarReal((double)r->m));
    SET_VECTOR_ELT(l, 3, Rf_ScalarReal((double)r->nbatches));
    SEXP par = Rf_allocVector(REALSXP, r->par != NULL ? (R_xlen_t)r->npar : 0);
    SET_VECTOR_ELT(l, 4, par);
    if (r->par != NULL) memcpy(REAL(par), r->par, sizeof(double) * (size_t)r->npar);
    SET_VECTOR_ELT(l, 5, Rf_ScalarReal((double)r->row_begin));
    SET_VECTOR_ELT(l, 6, Rf_ScalarReal((double)r->row_end));
    SET_VECTOR_ELT(l, 7, Rf_ScalarReal((double)r->batch_begin));
    SET_VECTOR_ELT(l, 8, Rf_ScalarReal((double)r->batch_end));
    SET_VECTOR_ELT(l, 9, Rf_ScalarReal((double)r->batch_len));
    SET_VECTOR_ELT(l, 10, Rf_ScalarReal((double)r->len));
    UNPROTECT(1);
    return l;
}

/* Runs inside R_ToplevelExec: an error or interrupt in the driver longjmps
   to its top-level context, never across the Go frames below. */
static void gg_cluster_eval(void *data) {
    gg_cluster *c = (gg_cluster *)data;
    SEXP call = PROTECT(Rf_lang2(c->driver, gg_request_list(c->req)));
    c->answer = Rf_eval(call, R_GlobalEnv);
    R_PreserveObject(c->answer);
    UNPROTECT(1);
}

static int gg_partials_cb(void *userdata, const glmmgo_mcla_request *req) {
    gg_cluster *c = (gg_cluster *)userdata;
    c->req = req;
    c->answer = NULL;
    Rboolean ok = R_ToplevelExec(gg_cluster_eval, c);
    gg_restore_onstack();
    if (!ok) {
        c->interrupted = 1;
        snprintf(req->err, req->errlen, "interrupted");
        return 1;
    }
    SEXP a = c->answer;
    int rc = 0;
    if (TYPEOF(a) == STRSXP && XLENGTH(a) >= 1) {
        snprintf(req->err, req->errlen, "%s", CHAR(STRING_ELT(a, 0)));
        rc = 2;
    } else if (req->what != GLMMGO_MCLA_SAMPLE) {
        if (TYPEOF(a) != REALSXP || XLENGTH(a) != (R_xlen_t)req->len) {
            snprintf(req->err, req->errlen, "the cluster driver returned %lld values, want %lld",
                     (long long)(TYPEOF(a) == REALSXP ? XLENGTH(a) : -1), (long long)req->len);
            rc = 3;
        } else {
            memcpy(req->partials, REAL(a), sizeof(double) * (size_t)req->len);
        }
    }
    R_ReleaseObject(a);
    return rc;
}

/* Fits as gg_mcla_fit does, with the sample held by the R function driver's
   cluster. Returns the fit's handle, or NULL when the user interrupted. */
SEXP gg_mcla_fit_cluster(SEXP ptr, SEXP opts, SEXP verbose, SEXP driver) {
    gg_enter();
    if (!Rf_isFunction(driver)) Rf_error("glmmgo: internal: driver must be a function");
    gg_cluster c = {driver, NULL, NULL, 0};
    glmmgo_mcla_options o;
    gg_mcla_options_of(opts, &o);
    o.partials = gg_partials_cb;
    o.partials_userdata = &c;
    gg_progress prog = {Rf_asInteger(verbose) > 0, 0, 1};
    glmmgo_handle fit = 0;
    char err[ERRLEN];
    int st = glmmgo_mcla_fit(gg_handle(ptr), &o, gg_progress_cb, &prog, &fit, err, sizeof err);
    gg_restore_onstack();
    if (st == GLMMGO_ERR_CANCELLED && (prog.interrupted || c.interrupted)) return R_NilValue;
    gg_check(st, err, "glmmgo_mcla_fit");
    return gg_wrap_handle(fit);
}

/* Worker side: batches [b0, b1) of the sample spec describes. */
SEXP gg_mcla_worker_sample(SEXP ptr, SEXP spec, SEXP b0, SEXP b1, SEXP workers) {
    gg_enter();
    char err[ERRLEN];
    int st = glmmgo_mcla_worker_sample(gg_handle(ptr), gg_real(spec, -1, "spec", 0), (int64_t)XLENGTH(spec),
                                       (int64_t)gg_scalar_real(b0, "batch_begin"),
                                       (int64_t)gg_scalar_real(b1, "batch_end"), gg_scalar_int(workers, "workers"),
                                       err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_worker_sample");
    return R_NilValue;
}

/* Worker side: the partials of batches [b0, b1); args = c(what, m,
   row_begin, row_end, batch_begin, batch_end, batch_len). */
SEXP gg_mcla_worker_partials(SEXP ptr, SEXP par, SEXP args, SEXP workers) {
    gg_enter();
    const double *a = gg_real(args, 7, "args", 0);
    int64_t len = ((int64_t)a[5] - (int64_t)a[4]) * (int64_t)a[6];
    if (len < 0 || len > ((int64_t)1 << 40)) Rf_error("glmmgo: bad batch range or length");
    SEXP out = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)len));
    char err[ERRLEN];
    int st = glmmgo_mcla_worker_partials(gg_handle(ptr), (int32_t)a[0], gg_real(par, -1, "par", 0),
                                         (int64_t)XLENGTH(par), (int64_t)a[1], (int64_t)a[2], (int64_t)a[3],
                                         (int64_t)a[4], (int64_t)a[5], gg_scalar_int(workers, "workers"), REAL(out),
                                         len, err, sizeof err);
    gg_check(st, err, "glmmgo_mcla_worker_partials");
    UNPROTECT(1);
    return out;
}

/* Worker side: turns Nagle's algorithm off on this process's TCP sockets
   (in a cluster worker, its connection to the master). A worker's answer
   is written in 4 KiB pieces; with Nagle each piece after the first waits
   for the master's delayed acknowledgement (40 ms on Linux), which made
   every round trip of a fit take 40 ms whatever its size. Returns the
   number of sockets changed. */
#ifndef _WIN32
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif
SEXP gg_tcp_nodelay(void) {
    int n = 0;
#ifndef _WIN32
    for (int fd = 0; fd < 1024; fd++) {
        int type;
        socklen_t len = sizeof type;
        if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) continue;
        struct sockaddr_storage sa;
        socklen_t sl = sizeof sa;
        if (getsockname(fd, (struct sockaddr *)&sa, &sl) != 0 || (sa.ss_family != AF_INET && sa.ss_family != AF_INET6))
            continue;
        int one = 1;
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0) n++;
    }
#endif
    return Rf_ScalarInteger(n);
}
