/* The shim's common machinery: process checks, signals, errors, handles,
   argument conversion and the progress callback. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "shim.h"

static pid_t load_pid = 0;

void gg_set_load_pid(void) { load_pid = getpid(); }

/* R (re)installs its SIGINT handler with signal(), which drops SA_ONSTACK.
   Go requires it on every handler it did not install: a signal delivered
   to a Go thread would otherwise run on a goroutine's small stack. Put the
   flag back, keeping R's handler itself. */
void gg_restore_onstack(void) {
    struct sigaction sa;
    if (sigaction(SIGINT, NULL, &sa) != 0) return;
    if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN) return;
    if (sa.sa_flags & SA_ONSTACK) return;
    sa.sa_flags |= SA_ONSTACK;
    sigaction(SIGINT, &sa, NULL);
}

void gg_enter(void) {
    if (load_pid != 0 && getpid() != load_pid)
        Rf_error("glmmgo cannot run in a process forked after it was loaded "
                 "(parallel::mclapply and similar fork R, and the Go runtime inside glmmgo "
                 "does not survive fork): use a PSOCK cluster, e.g. "
                 "parallel::makeCluster(2, type = \"PSOCK\"), and load glmmgo on its workers");
    gg_restore_onstack();
}

void gg_check(int status, const char *err, const char *what) {
    if (status == GLMMGO_OK) return;
    const char *msg = (err != NULL && err[0] != '\0') ? err : glmmgo_status_string(status);
    Rf_error("%s: %s [%s]", what, msg, glmmgo_status_string(status));
}

/* ---- handles ----------------------------------------------------------- */

typedef struct {
    glmmgo_handle h;
    pid_t pid;
} gg_box;

static void gg_finalize(SEXP ptr) {
    gg_box *b = (gg_box *)R_ExternalPtrAddr(ptr);
    if (b == NULL) return;
    /* Never call Go in a forked child; the parent owns the handle. */
    if (b->h != 0 && b->pid == getpid()) {
        gg_restore_onstack();
        glmmgo_free(b->h);
    }
    b->h = 0;
    free(b);
    R_ClearExternalPtr(ptr);
}

SEXP gg_wrap_handle(glmmgo_handle h, const char *kind) {
    gg_box *b = (gg_box *)malloc(sizeof(gg_box));
    if (b == NULL) {
        glmmgo_free(h);
        Rf_error("glmmgo: out of memory");
    }
    b->h = h;
    b->pid = getpid();
    SEXP tag = PROTECT(Rf_install(kind));
    SEXP ptr = PROTECT(R_MakeExternalPtr(b, tag, R_NilValue));
    R_RegisterCFinalizerEx(ptr, gg_finalize, FALSE);
    UNPROTECT(2);
    return ptr;
}

glmmgo_handle gg_handle(SEXP ptr, const char *kind) {
    if (TYPEOF(ptr) != EXTPTRSXP || R_ExternalPtrTag(ptr) != Rf_install(kind))
        Rf_error("glmmgo: expected a handle of kind '%s'", kind);
    gg_box *b = (gg_box *)R_ExternalPtrAddr(ptr);
    if (b == NULL || b->h == 0)
        Rf_error("glmmgo: the %s handle was freed or comes from an earlier R session "
                 "(saved objects keep no engine state); refit the model", kind);
    return b->h;
}

/* Frees the handle now (idempotent). */
SEXP gg_free(SEXP ptr) {
    gg_enter();
    if (TYPEOF(ptr) != EXTPTRSXP) Rf_error("glmmgo: not a handle");
    gg_box *b = (gg_box *)R_ExternalPtrAddr(ptr);
    if (b == NULL || b->h == 0) return Rf_ScalarLogical(FALSE);
    char err[ERRLEN];
    int st = glmmgo_free(b->h);
    if (st != GLMMGO_OK) {
        snprintf(err, sizeof err, "freeing handle %lld", (long long)b->h);
        gg_check(st, err, "glmmgo_free");
    }
    b->h = 0;
    return Rf_ScalarLogical(TRUE);
}

SEXP gg_handle_valid(SEXP ptr) {
    if (TYPEOF(ptr) != EXTPTRSXP) return Rf_ScalarLogical(FALSE);
    gg_box *b = (gg_box *)R_ExternalPtrAddr(ptr);
    return Rf_ScalarLogical(b != NULL && b->h != 0);
}

/* ---- arguments --------------------------------------------------------- */

const double *gg_real(SEXP x, R_xlen_t n, const char *name, int allow_null) {
    if (allow_null && Rf_isNull(x)) return NULL;
    if (TYPEOF(x) != REALSXP) Rf_error("glmmgo: internal: '%s' must be a double vector", name);
    if (n >= 0 && XLENGTH(x) != n)
        Rf_error("glmmgo: '%s' has length %lld, expected %lld", name, (long long)XLENGTH(x), (long long)n);
    return REAL(x); /* column-major already: passed without a copy */
}

/* int64 copies of an integer vector (R has no int64), optionally 1- to
   0-based. Allocated with R_alloc: released when the .Call returns. */
int64_t *gg_int64_from_int(SEXP x, R_xlen_t n, const char *name, int base1) {
    if (TYPEOF(x) != INTSXP) Rf_error("glmmgo: internal: '%s' must be an integer vector", name);
    if (n >= 0 && XLENGTH(x) != n)
        Rf_error("glmmgo: '%s' has length %lld, expected %lld", name, (long long)XLENGTH(x), (long long)n);
    R_xlen_t len = XLENGTH(x);
    int64_t *out = (int64_t *)R_alloc(len > 0 ? len : 1, sizeof(int64_t));
    const int *p = INTEGER(x);
    for (R_xlen_t i = 0; i < len; i++) {
        if (p[i] == NA_INTEGER) Rf_error("glmmgo: '%s' has a missing value at position %lld", name, (long long)i + 1);
        out[i] = (int64_t)p[i] - (base1 ? 1 : 0);
    }
    return out;
}

double gg_scalar_real(SEXP x, const char *name) {
    if (!Rf_isReal(x) || XLENGTH(x) != 1) Rf_error("glmmgo: internal: '%s' must be one double", name);
    return REAL(x)[0];
}

int gg_scalar_int(SEXP x, const char *name) {
    if (TYPEOF(x) != INTSXP || XLENGTH(x) != 1 || INTEGER(x)[0] == NA_INTEGER)
        Rf_error("glmmgo: internal: '%s' must be one integer", name);
    return INTEGER(x)[0];
}

/* ---- progress and interrupts ------------------------------------------ */

/* Runs inside R_ToplevelExec: an interrupt longjmps to its top-level
   context instead of across the Go frames below us. */
static void gg_check_interrupt(void *data) {
    (void)data;
    R_CheckUserInterrupt();
}

typedef struct {
    int64_t iter;
    double objective;
    const double *par;
    int64_t npar;
} gg_line;

static void gg_print_line(void *data) {
    gg_line *l = (gg_line *)data;
    Rprintf("iteration %4lld: objective %.8g  par:", (long long)l->iter, l->objective);
    for (int64_t i = 0; i < l->npar; i++) Rprintf(" %.6g", l->par[i]);
    Rprintf("\n");
    R_FlushConsole();
}

/* The glmmgo_progress_fn given to Go: called on this (R's main) thread
   between iterations. Returns nonzero to cancel. */
int gg_progress_cb(void *userdata, int64_t iter, double objective, const double *par, int64_t npar) {
    gg_progress *p = (gg_progress *)userdata;
    if (p->verbose && (p->every <= 1 || iter % p->every == 0)) {
        gg_line l = {iter, objective, par, npar};
        R_ToplevelExec(gg_print_line, &l);
    }
    Rboolean ok = R_ToplevelExec(gg_check_interrupt, NULL);
    gg_restore_onstack(); /* R's handler may have been reinstalled by a Ctrl-C */
    if (!ok) {
        p->interrupted = 1;
        return 1;
    }
    return 0;
}

SEXP gg_named_list(int n, const char **names) {
    SEXP out = PROTECT(Rf_allocVector(VECSXP, n));
    SEXP nm = PROTECT(Rf_allocVector(STRSXP, n));
    for (int i = 0; i < n; i++) SET_STRING_ELT(nm, i, Rf_mkChar(names[i]));
    Rf_setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(2);
    return out;
}

int64_t gg_matrix_cols(SEXP x, R_xlen_t n) {
    SEXP dim = Rf_getAttrib(x, R_DimSymbol);
    if (Rf_isNull(dim) || XLENGTH(dim) != 2 || INTEGER(dim)[0] != n)
        Rf_error("glmmgo: internal: x must be a matrix with %lld rows", (long long)n);
    return INTEGER(dim)[1];
}

gg_mcla_args gg_mcla_convert(SEXP family, SEXP y, SEXP ntrials, SEXP weights, SEXP x, SEXP zrow,
                             SEXP zcol, SEXP zval, SEXP q, SEXP vcof, SEXP nvc) {
    gg_mcla_args a;
    a.n = XLENGTH(y);
    a.p = gg_matrix_cols(x, a.n);
    a.nnz = XLENGTH(zval);
    a.q = gg_scalar_int(q, "q");
    a.nvc = gg_scalar_int(nvc, "nvc");
    a.family = (int32_t)gg_scalar_int(family, "family");
    a.y = gg_real(y, a.n, "y", 0);
    a.ntrials = gg_real(ntrials, a.n, "ntrials", 1);
    a.weights = gg_real(weights, a.n, "weights", 1);
    a.x = a.p > 0 ? gg_real(x, a.n * a.p, "x", 0) : NULL;
    a.z_row = gg_int64_from_int(zrow, a.nnz, "z_row", 1);
    a.z_col = gg_int64_from_int(zcol, a.nnz, "z_col", 1);
    a.z_val = gg_real(zval, a.nnz, "z_val", 0);
    a.vc_of_column = gg_int64_from_int(vcof, a.q, "vc_of_column", 1);
    return a;
}
