/* Private declarations shared by the .Call shim's files. The shim makes one
   small C function per engine call (lmm.c, mcla.c, mixlogit.c) and reads every result of
   every handle through one generic reader (results.c); R/engine.R calls
   them all. */
#ifndef GLMMGO_SHIM_H
#define GLMMGO_SHIM_H

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>
#include <stdint.h>
#include "glmmgo.h"

#define ERRLEN 1024

/* Every entry point starts with this: restores SA_ONSTACK on SIGINT's
   handler before Go runs. (A forked child is refused by the library itself,
   with its own message, which gg_check passes on.) */
void gg_enter(void);

/* Raises an R error carrying the library's message if status != OK. */
void gg_check(int status, const char *err, const char *what);

/* External pointers holding handles of any kind (models and fits). A
   pointer restored by readRDS or sent to another process holds no handle:
   gg_handle then says so. */
SEXP gg_wrap_handle(glmmgo_handle h);
glmmgo_handle gg_handle(SEXP ptr);

/* Argument helpers: type-checked, never coercing (R/engine.R coerces). */
const double *gg_real(SEXP x, R_xlen_t n, const char *name, int allow_null);
int64_t *gg_int64_from_int(SEXP x, R_xlen_t n, const char *name, int base1);
double gg_scalar_real(SEXP x, const char *name);
/* A whole number in [lo, 2^63) as an int64_t, or an R error naming the
   argument (a double of 2^63 or more would otherwise convert to INT64_MIN). */
int64_t gg_scalar_int64_in(SEXP x, const char *name, double lo);
#define gg_scalar_int64(x, name) gg_scalar_int64_in((x), (name), 0)
int gg_scalar_int(SEXP x, const char *name);

/* The element `name` of a named list, or NULL when it has none. */
SEXP gg_list_elt(SEXP list, const char *name);

/* A list of n elements with the given names (protect the result). */
SEXP gg_named_list(int n, const char **names);

/* The number of columns of x, which must be a double matrix with n rows. */
int64_t gg_matrix_cols(SEXP x, R_xlen_t n);

/* The random-effects terms of an LMM or a Laplace model as the C API takes
   them: nterms, per term its levels and columns, the n*nterms 0-based level
   codes, and z, the term model matrices one after another (zlen doubles). */
typedef struct {
    int64_t nterms;
    int64_t *nlevels, *ncols, *codes;
    const double *z;
} gg_terms;
gg_terms gg_terms_of(SEXP nlevels, SEXP ncols, SEXP codes, SEXP z, R_xlen_t n);

/* The dimensions of a handle (glmmgo_dims). */
struct glmmgo_dims gg_dims_of(glmmgo_handle h);

/* Progress / interrupt plumbing for long calls. */
typedef struct {
    int verbose;     /* print iteration, objective, parameters */
    int interrupted; /* set when R's interrupt flag was found raised */
    int64_t every;   /* print every this many iterations */
} gg_progress;
int gg_progress_cb(void *userdata, int64_t iter, double objective, const double *par, int64_t npar);
void gg_restore_onstack(void);

/* The options of an MCLA fit from an R list (mcla.c). */
void gg_mcla_options_of(SEXP opts, glmmgo_mcla_options *o);

#endif
