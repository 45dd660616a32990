## Every call into libglmmgo (the .Call entry points of src/*.c) is made
## from this file, through one small function per entry point, so that a
## change of the C shim touches only this file. The rest of the package
## calls these functions and never .Call directly.

## ---- library --------------------------------------------------------------

engine_version <- function() .Call(C_gg_version)

engine_workers <- function() .Call(C_gg_available_workers)

## TRUE when this build has the LMM functions.
has_lmm <- function() .Call(C_gg_has_lmm)

## TRUE when this build has the MCLA fit functions.
has_mcla_fit <- function() .Call(C_gg_has_mcla_fit)

## Free an engine handle now instead of at garbage collection.
free_handle <- function(ptr) invisible(.Call(C_gg_free, ptr))

## FALSE for a freed handle or one restored from a file (saved objects keep
## no engine state).
handle_valid <- function(ptr) .Call(C_gg_handle_valid, ptr)

## ---- linear mixed models (glmmgo_lmm_*) ----------------------------------

## A model handle from the response y (offset already subtracted), the
## fixed-effects matrix X, prior weights w (NULL for all 1) and the
## random-effects terms: nlevels and ncols per term, codes (n x nterms,
## 1-based) and z (the terms' model matrices one after another).
engine_lmm_new <- function(y, X, w, nlevels, ncols, codes, z) {
  storage.mode(codes) <- "integer"
  .Call(C_gg_lmm_new, as_dbl(y), as_dbl_matrix(X), if (!is.null(w)) as_dbl(w), as.integer(nlevels),
        as.integer(ncols), codes, as_dbl(z))
}

## list(order (input index of each term in model order), kept (kept
## columns of X), lower (bounds of theta)), all 1-based.
engine_lmm_structure <- function(ptr) .Call(C_gg_lmm_structure, ptr)

## The profiled ML deviance (reml = FALSE) or REML criterion at theta.
engine_lmm_objective <- function(ptr, theta, reml) .Call(C_gg_lmm_objective, ptr, as_dbl(theta), isTRUE(reml))

## Runs the optimiser; the result replaces the handle's previous fit.
## Returns FALSE when the user interrupted (Ctrl-C).
engine_lmm_fit <- function(ptr, reml, theta0, rhobeg, rhoend, maxeval, verbose) {
  .Call(C_gg_lmm_fit, ptr, isTRUE(reml), if (!is.null(theta0)) as_dbl(theta0), as.double(rhobeg),
        as.double(rhoend), as.double(maxeval), as.integer(verbose))
}

## Everything about the handle's last fit; the conditional variances too
## when condvar_len > 0 (their total length).
engine_lmm_result <- function(ptr, condvar_len = 0) .Call(C_gg_lmm_result, ptr, as.double(condvar_len))

## ---- the MCLA objective (glmmgo_mcla_*) -----------------------------------

engine_mcla_new <- function(family, y, ntrials, weights, X, zrow, zcol, zval, q, vc, nvc) {
  .Call(C_gg_mcla_new, family, y, ntrials, weights, as_dbl_matrix(X), zrow, zcol, zval, as.integer(q),
        as.integer(vc), as.integer(nvc))
}

engine_mcla_set_importance <- function(ptr, zeta, p, u.star, D.star, Sigmuh.inv) {
  .Call(C_gg_mcla_set_importance, ptr, as.double(zeta), as_dbl(p), as_dbl(u.star), as_dbl(D.star), Sigmuh.inv)
}

engine_mcla_set_samples <- function(ptr, umat) .Call(C_gg_mcla_set_samples, ptr, as_dbl_matrix(umat))

engine_mcla_objective <- function(ptr, par, workers, gradient, hessian) {
  .Call(C_gg_mcla_objective, ptr, as_dbl(par), workers, isTRUE(gradient), isTRUE(hessian))
}

engine_mcla_partial <- function(ptr, par, first, last, workers) {
  .Call(C_gg_mcla_partial, ptr, as_dbl(par), as.double(first), as.double(last), workers)
}

engine_mcla_merge <- function(ptr, par, partials) .Call(C_gg_mcla_merge, ptr, as_dbl(par), as_dbl(partials))

engine_mcla_dims <- function(ptr) .Call(C_gg_mcla_dims, ptr)

## ---- whole MCLA fits (glmmgo_mclafit_*) ----------------------------------

engine_mclafit_new <- function(family, y, ntrials, weights, X, zrow, zcol, zval, q, vc, nvc, dispersion) {
  .Call(C_gg_mclafit_new, family, y, ntrials, weights, as_dbl_matrix(X), zrow, zcol, zval, as.integer(q),
        as.integer(vc), as.integer(nvc), as.double(dispersion))
}

## Runs the fit; NULL when the user interrupted. With a size range it
## returns list(size, loglik.full) of the dispersion search.
engine_mclafit_run <- function(ptr, opts, verbose) .Call(C_gg_mcla_fit, ptr, opts, as.integer(verbose))

engine_mclafit_result <- function(ptr) .Call(C_gg_mclafit_result, ptr)

engine_mclafit_confint <- function(ptr, level) .Call(C_gg_mclafit_confint, ptr, as.double(level))

engine_mclafit_umatrix <- function(ptr) .Call(C_gg_mclafit_umatrix, ptr)
