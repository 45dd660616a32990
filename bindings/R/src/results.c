/* What every handle answers, whatever its engine: its dimensions and its
   results. One reader serves every result code of every engine (the codes
   and which of them are integers are in R/codes.R, generated from the
   header), so a result added to the header needs no C here. */
#include "shim.h"

/* glmmgo_dims as a named double vector (R has no int64). */
SEXP gg_dims(SEXP ptr) {
    gg_enter();
    struct glmmgo_dims d = gg_dims_of(gg_handle(ptr));
    const char *names[] = {"kind", "n", "p", "p_given", "q", "nvc", "ntheta", "nterms", "npar", "m", "t"};
    double v[] = {(double)d.kind, (double)d.n, (double)d.p, (double)d.p_given, (double)d.q, (double)d.nvc,
                  (double)d.ntheta, (double)d.nterms, (double)d.npar, (double)d.m, (double)d.t};
    int k = (int)(sizeof v / sizeof v[0]);
    SEXP out = PROTECT(Rf_allocVector(REALSXP, k));
    SEXP nm = PROTECT(Rf_allocVector(STRSXP, k));
    for (int i = 0; i < k; i++) {
        REAL(out)[i] = v[i];
        SET_STRING_ELT(nm, i, Rf_mkChar(names[i]));
    }
    Rf_setAttrib(out, R_NamesSymbol, nm);
    UNPROTECT(2);
    return out;
}

/* Result `code` of a handle, as a double vector: glmmgo_result_length, then
   glmmgo_result, or glmmgo_result_int64 when is_int (an integer result;
   its values are exact in a double up to 2^53). */
SEXP gg_result(SEXP ptr, SEXP code, SEXP is_int) {
    gg_enter();
    glmmgo_handle h = gg_handle(ptr);
    int32_t what = (int32_t)gg_scalar_int(code, "code");
    char err[ERRLEN];
    int64_t len = 0;
    gg_check(glmmgo_result_length(h, what, &len, err, sizeof err), err, "glmmgo_result_length");
    if (len < 0 || (double)len > (double)R_XLEN_T_MAX) Rf_error("glmmgo: result %d has %lld values, too many for R", (int)what, (long long)len);
    SEXP out = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)len));
    if (Rf_asLogical(is_int) == TRUE) {
        int64_t *buf = (int64_t *)R_alloc(len > 0 ? len : 1, sizeof(int64_t));
        gg_check(glmmgo_result_int64(h, what, buf, len, err, sizeof err), err, "glmmgo_result_int64");
        for (int64_t i = 0; i < len; i++) REAL(out)[i] = (double)buf[i];
    } else {
        gg_check(glmmgo_result(h, what, REAL(out), len, err, sizeof err), err, "glmmgo_result");
    }
    UNPROTECT(1);
    return out;
}
