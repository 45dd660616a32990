/* Private declarations shared by the .Call shim's files. */
#ifndef GLMMGO_SHIM_H
#define GLMMGO_SHIM_H

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>
#include <stdint.h>
#include "glmmgo.h"

#define ERRLEN 1024

/* Every entry point starts with this: refuses to run in a forked child and
   restores SA_ONSTACK on SIGINT's handler before Go runs. */
void gg_enter(void);

/* Raises an R error carrying the library's message if status != OK. */
void gg_check(int status, const char *err, const char *what);

/* External pointers holding handles. */
SEXP gg_wrap_handle(glmmgo_handle h, const char *kind);
glmmgo_handle gg_handle(SEXP ptr, const char *kind);

/* Argument helpers: type-checked, never coercing (the R side coerces). */
const double *gg_real(SEXP x, R_xlen_t n, const char *name, int allow_null);
int64_t *gg_int64_from_int(SEXP x, R_xlen_t n, const char *name, int base1);
double gg_scalar_real(SEXP x, const char *name);
int gg_scalar_int(SEXP x, const char *name);

/* A list of n elements with the given names (protect the result). */
SEXP gg_named_list(int n, const char **names);

/* The number of columns of x, which must be a double matrix with n rows. */
int64_t gg_matrix_cols(SEXP x, R_xlen_t n);

/* The arguments of glmmgo_mcla_new and glmmgo_mclafit_new, converted from
   the R values (1-based indices to 0-based; R_alloc'd where converted). */
typedef struct {
    int64_t n, p, q, nnz, nvc;
    int32_t family;
    const double *y, *ntrials, *weights, *x, *z_val;
    int64_t *z_row, *z_col, *vc_of_column;
} gg_mcla_args;
gg_mcla_args gg_mcla_convert(SEXP family, SEXP y, SEXP ntrials, SEXP weights, SEXP x, SEXP zrow,
                             SEXP zcol, SEXP zval, SEXP q, SEXP vcof, SEXP nvc);

/* Progress / interrupt plumbing for long calls. */
typedef struct {
    int verbose;     /* print iteration, objective, parameters */
    int interrupted; /* set when R's interrupt flag was found raised */
    int64_t every;   /* print every this many iterations */
} gg_progress;
int gg_progress_cb(void *userdata, int64_t iter, double objective, const double *par, int64_t npar);
void gg_restore_onstack(void);

#endif
