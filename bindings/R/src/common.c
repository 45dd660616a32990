/* The shim's common machinery: signals, errors, handles, argument
   conversion and the progress callback. */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"

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

void gg_enter(void) { gg_restore_onstack(); }

void gg_check(int status, const char *err, const char *what) {
    if (status == GLMMGO_OK) return;
    const char *msg = (err != NULL && err[0] != '\0') ? err : glmmgo_status_string(status);
    if (status == GLMMGO_ERR_RESOURCE)
        Rf_error("%s: %s [%s]; in R: options(glmmgo.memory_limit = <bytes>) or glmmgoMemoryLimit(<bytes>)", what, msg,
                 glmmgo_status_string(status));
    Rf_error("%s: %s [%s]", what, msg, glmmgo_status_string(status));
}

/* ---- handles ----------------------------------------------------------- */

/* One tag for every kind of handle: the library checks kinds itself (a
   model where a fit is needed is GLMMGO_ERR_HANDLE, with a message). */
#define HANDLE_TAG "glmmgo_handle"

typedef struct {
    glmmgo_handle h;
} gg_box;

/* The finalizer frees the handle; in a process forked after the library was
   loaded the library refuses (GLMMGO_ERR_FORKED) without entering Go, and the
   parent still owns the handle. */
static void gg_finalize(SEXP ptr) {
    gg_box *b = (gg_box *)R_ExternalPtrAddr(ptr);
    if (b == NULL) return;
    if (b->h != 0) {
        gg_restore_onstack();
        glmmgo_free(b->h);
    }
    b->h = 0;
    free(b);
    R_ClearExternalPtr(ptr);
}

SEXP gg_wrap_handle(glmmgo_handle h) {
    gg_box *b = (gg_box *)malloc(sizeof(gg_box));
    if (b == NULL) {
        glmmgo_free(h);
        Rf_error("glmmgo: out of memory");
    }
    b->h = h;
    SEXP tag = PROTECT(Rf_install(HANDLE_TAG));
    SEXP ptr = PROTECT(R_MakeExternalPtr(b, tag, R_NilValue));
    R_RegisterCFinalizerEx(ptr, gg_finalize, FALSE);
    UNPROTECT(2);
    return ptr;
}

glmmgo_handle gg_handle(SEXP ptr) {
    if (TYPEOF(ptr) != EXTPTRSXP || R_ExternalPtrTag(ptr) != Rf_install(HANDLE_TAG))
        Rf_error("glmmgo: internal: expected an engine handle");
    gg_box *b = (gg_box *)R_ExternalPtrAddr(ptr);
    if (b == NULL || b->h == 0)
        Rf_error("glmmgo: the engine's handle is gone: it was freed, or this object was restored by readRDS or "
                 "sent to another R process (saved objects keep no engine state); refit the model");
    return b->h;
}

/* Frees the handle now (idempotent). */
SEXP gg_free(SEXP ptr) {
    gg_enter();
    if (TYPEOF(ptr) != EXTPTRSXP) Rf_error("glmmgo: internal: not a handle");
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

struct glmmgo_dims gg_dims_of(glmmgo_handle h) {
    struct glmmgo_dims d;
    memset(&d, 0, sizeof d);
    d.size = sizeof d;
    char err[ERRLEN];
    gg_check(glmmgo_dims(h, &d, err, sizeof err), err, "glmmgo_dims");
    return d;
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

gg_terms gg_terms_of(SEXP nlevels, SEXP ncols, SEXP codes, SEXP z, R_xlen_t n) {
    gg_terms t;
    R_xlen_t nterms = XLENGTH(nlevels);
    t.nterms = (int64_t)nterms;
    t.nlevels = gg_int64_from_int(nlevels, nterms, "nlevels", 0);
    t.ncols = gg_int64_from_int(ncols, nterms, "ncols", 0);
    t.codes = gg_int64_from_int(codes, n * nterms, "codes", 1);
    R_xlen_t zlen = 0;
    for (R_xlen_t k = 0; k < nterms; k++) zlen += n * t.ncols[k];
    t.z = gg_real(z, zlen, "z", 0);
    return t;
}

double gg_scalar_real(SEXP x, const char *name) {
    if (!Rf_isReal(x) || XLENGTH(x) != 1) Rf_error("glmmgo: internal: '%s' must be one double", name);
    return REAL(x)[0];
}

int64_t gg_scalar_int64_in(SEXP x, const char *name, double lo) {
    double v = gg_scalar_real(x, name);
    if (!(v >= lo) || !(v < 9223372036854775808.0) || v != floor(v))
        Rf_error("glmmgo: '%s' is %g; it must be a whole number between %.0f and 2^63 - 1", name, v, lo);
    return (int64_t)v;
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
    /* iter < 0: a heartbeat from a phase without iterations (PQL, sampling,
       inference): nothing to print, only the interrupt to check. */
    if (p->verbose && iter >= 0 && (p->every <= 1 || iter % p->every == 0)) {
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

SEXP gg_list_elt(SEXP list, const char *name) {
    if (TYPEOF(list) != VECSXP) Rf_error("glmmgo: internal: options must be a list");
    SEXP nm = Rf_getAttrib(list, R_NamesSymbol);
    for (R_xlen_t i = 0; i < XLENGTH(list); i++)
        if (strcmp(CHAR(STRING_ELT(nm, i)), name) == 0) return VECTOR_ELT(list, i);
    return NULL;
}
