## Every call into libglmmgo (the .Call entry points of src/*.c) is made
## from this file, through one small function per entry point, so that a
## change of the C shim touches only this file. The rest of the package
## calls these functions and never .Call directly.
##
## The engine has model handles (the data, made by engine_*_new) and fit
## handles (an immutable fit, made by engine_*_fit; it stays valid when its
## model is freed). Every result of every handle is read by engine_result()
## with a result code of glmmgo.h by name (R/codes.R, generated from the
## header), so a result added to the header needs no new C. Handles are
## external pointers: saveRDS/readRDS and PSOCK workers get none back, so
## fits keep what users read in the R object (see lmer() and glmm()).

## ---- library --------------------------------------------------------------

engine_version <- function() .Call(C_gg_version)

## c(library = the library's GLMMGO_VERSION_NUMBER, header = the one the
## shim was compiled against).
engine_version_number <- function() stats::setNames(.Call(C_gg_version_number), c("library", "header"))

engine_workers <- function() .Call(C_gg_available_workers)

## Free an engine handle now instead of at garbage collection.
free_handle <- function(ptr) invisible(.Call(C_gg_free, ptr))

## FALSE for a freed handle or one restored from a file or received from
## another process (objects keep no engine state across processes).
handle_valid <- function(ptr) !is.null(ptr) && .Call(C_gg_handle_valid, ptr)

## ---- what every handle answers --------------------------------------------

## glmmgo_dims: c(kind, n, p, p_given, q, nvc, ntheta, nterms, npar, m, t).
engine_dims <- function(ptr) .Call(C_gg_dims, ptr)

## Result `name` (a result code of glmmgo.h, "GLMMGO_LMM_THETA") of a handle,
## as a double vector; integer results (glmmgo_result_int64) as exact doubles.
engine_result <- function(ptr, name) {
  code <- glmmgo_header$results[name]
  if (is.na(code)) stop(sprintf("glmmgo: internal: %s is not a result code of glmmgo.h", name), call. = FALSE)
  .Call(C_gg_result, ptr, unname(code), name %in% glmmgo_header$int_results)
}

## Several results at once, as a list named by `names` (the result names
## without the engine's prefix when `prefix` is given).
engine_results <- function(ptr, names, prefix = "") {
  stats::setNames(lapply(paste0(prefix, names), engine_result, ptr = ptr), names)
}

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
## columns of X), lower (bounds of theta), nlevels, ncols (per term, model
## order), theta_term, theta_row, theta_col (theta's layout: the term and
## the place in its template of each element)), indices 1-based.
engine_lmm_structure <- function(ptr) {
  r <- engine_results(ptr, c("TERM_ORDER", "KEPT_COLUMNS", "LOWER", "TERM_NLEVELS", "TERM_NCOLS", "THETA_TERM",
                             "THETA_ROW", "THETA_COL"), "GLMMGO_LMM_")
  list(order = as.integer(r$TERM_ORDER) + 1L, kept = as.integer(r$KEPT_COLUMNS) + 1L, lower = r$LOWER,
       nlevels = as.integer(r$TERM_NLEVELS), ncols = as.integer(r$TERM_NCOLS),
       theta_term = as.integer(r$THETA_TERM) + 1L, theta_row = as.integer(r$THETA_ROW) + 1L,
       theta_col = as.integer(r$THETA_COL) + 1L)
}

## The profiled ML deviance (reml = FALSE) or REML criterion at theta.
engine_lmm_objective <- function(ptr, theta, reml, workers = 0L) {
  .Call(C_gg_lmm_objective, ptr, as_dbl(theta), isTRUE(reml), as.integer(workers))
}

## lme4's deviance components at theta: c(ldL2, ldRX2, wrss, ussq, pwrss, ldW).
engine_lmm_deviance_parts <- function(ptr, theta, workers = 0L) {
  .Call(C_gg_lmm_deviance_parts, ptr, as_dbl(theta), as.integer(workers))
}

## Fits the model: a new fit handle, or NULL when the user interrupted
## (Ctrl-C). 0 for rhobeg, rhoend or maxeval means the engine's default.
engine_lmm_fit <- function(ptr, reml, theta0, rhobeg, rhoend, maxeval, verbose, workers = 0L) {
  opts <- list(reml = isTRUE(reml), start = if (!is.null(theta0)) as_dbl(theta0), rhobeg = as.double(rhobeg),
               rhoend = as.double(rhoend), maxeval = as.double(maxeval), workers = as.integer(workers))
  .Call(C_gg_lmm_fit, ptr, opts, as.integer(verbose))
}

## Everything a fit reports, read once (the conditional variances, which the
## engine computes on request, only when condvar = TRUE).
engine_lmm_result <- function(fit, condvar = FALSE) {
  r <- engine_results(fit, c("OBJECTIVE", "LOGLIK", "DEVIANCE", "REMLCRIT", "AIC", "BIC", "SIGMA", "EVALS",
                             "CONVERGED", "SINGULAR", "REML", "THETA", "BETA", "SE", "VCOV", "VARCORR", "B", "U"),
                      "GLMMGO_LMM_")
  p <- length(r$BETA)
  list(objective = r$OBJECTIVE, logLik = r$LOGLIK, deviance = r$DEVIANCE, REMLcrit = r$REMLCRIT, AIC = r$AIC,
       BIC = r$BIC, sigma = r$SIGMA, evals = r$EVALS, converged = r$CONVERGED != 0, singular = r$SINGULAR != 0,
       REML = r$REML != 0, theta = r$THETA, beta = r$BETA, se = r$SE, vcov = matrix(r$VCOV, p, p),
       varcorr = r$VARCORR, b = r$B, u = r$U,
       condvar = if (isTRUE(condvar)) engine_result(fit, "GLMMGO_LMM_CONDVAR"))
}

## ---- the MCLA objective (glmmgo_mcla_*) -----------------------------------

engine_mcla_new <- function(family, y, ntrials, weights, X, zrow, zcol, zval, q, vc, nvc) {
  .Call(C_gg_mcla_new, as.integer(family), as_dbl(y), if (!is.null(ntrials)) as_dbl(ntrials),
        if (!is.null(weights)) as_dbl(weights), as_dbl_matrix(X), as.integer(zrow), as.integer(zcol), as_dbl(zval),
        as.integer(q), as.integer(vc), as.integer(nvc))
}

## The negative binomial size of a model.
engine_mcla_set_dispersion <- function(ptr, size) invisible(.Call(C_gg_mcla_set_dispersion, ptr, as.double(size)))

engine_mcla_set_importance <- function(ptr, zeta, p, u.star, D.star, Sigmuh.inv) {
  invisible(.Call(C_gg_mcla_set_importance, ptr, as.double(zeta), as_dbl(p), as_dbl(u.star), as_dbl(D.star),
                  if (!is.null(Sigmuh.inv)) as_dbl(Sigmuh.inv)))
}

## The u-matrix goes to the engine as it is (the engine copies it): R makes
## no copy of its own unless the matrix is not stored as doubles.
engine_mcla_set_samples <- function(ptr, umat) {
  if (!is.double(umat)) storage.mode(umat) <- "double"
  invisible(.Call(C_gg_mcla_set_samples, ptr, umat))
}

## The importance density and samples of a fit, set on a model of the same
## data (the engine draws them again from the fit's seed).
engine_mcla_set_fit_samples <- function(ptr, fit) invisible(.Call(C_gg_mcla_set_fit_samples, ptr, fit))

engine_mcla_objective <- function(ptr, par, workers, gradient, hessian) {
  .Call(C_gg_mcla_objective, ptr, as_dbl(par), as.integer(workers), isTRUE(gradient), isTRUE(hessian))
}

## The partial of samples first..last (1-based).
engine_mcla_partial <- function(ptr, par, first, last, workers) {
  .Call(C_gg_mcla_partial, ptr, as_dbl(par), as.double(first), as.double(last), as.integer(workers))
}

engine_mcla_merge <- function(ptr, par, partials) .Call(C_gg_mcla_merge, ptr, as_dbl(par), as_dbl(partials))

## c(n, p, q, nvc, m) of an MCLA model.
engine_mcla_dims <- function(ptr) engine_dims(ptr)[c("n", "p", "q", "nvc", "m")]

## ---- whole MCLA fits (glmmgo_mcla_fit) ------------------------------------

## Fits a model (glmm's algorithm): a new fit handle, or NULL when the user
## interrupted. opts: a list named as the fields of glmmgo_mcla_options (m,
## p_mix, zeta, seed, workers, no_pql, rinit, rmax, iterlim, start, ess_warn,
## t_at_ustar, dispersion_lo, dispersion_hi); those left out keep the
## engine's defaults.
engine_mcla_fit <- function(ptr, opts, verbose) .Call(C_gg_mcla_fit, ptr, opts, as.integer(verbose))

## Everything a fit reports, read once (not its u-matrix or Sigma~^-1,
## which can be large: engine_mclafit_umatrix, engine_result).
engine_mclafit_result <- function(fit) {
  d <- engine_dims(fit)
  np <- d[["p"]] + d[["nvc"]]
  r <- engine_results(fit, c("BETA", "NU", "VALUE", "GRADIENT", "HESSIAN", "CONVERGED", "ITERATIONS",
                             "EVALUATIONS", "ESS", "ESS_WARNING", "COUNTS", "SECONDS", "SE", "Z", "PVALUE", "VCOV",
                             "MCSE", "MCVCOV", "HESSIAN_NEGDEF", "USED_PQL", "START", "U_STAR", "D_STAR",
                             "DISPERSION", "DISPERSION_LOGLIK", "DISPERSION_PROFILE", "MCSE_GLMM", "MCVCOV_GLMM",
                             "JACKKNIFE", "STAGE_M", "STAGE_ESS", "STAGE_PAR", "STAGE_MCSE", "STAGE_CENTRE",
                             "STAGE_GUARDED", "FINAL_STAGE", "AUTO_STOP", "GUARDED", "T_SIGMA", "SAMPLES_KEPT"),
                      "GLMMGO_MCLA_")
  sq <- function(v) matrix(v, np, np)
  prof <- r$DISPERSION_PROFILE
  auto_stop <- c("m given", "targets reached", "m.max reached", "time.max reached")[r$AUTO_STOP + 1]
  list(beta = r$BETA, nu = r$NU, value = r$VALUE, gradient = r$GRADIENT, hessian = sq(r$HESSIAN),
       converged = r$CONVERGED != 0, iterations = r$ITERATIONS, evaluations = r$EVALUATIONS, ess = r$ESS,
       ess.warning = r$ESS_WARNING != 0, counts = r$COUNTS, seconds = r$SECONDS, se = r$SE, z = r$Z,
       pvalue = r$PVALUE, vcov = sq(r$VCOV), mcse = r$MCSE, mcvcov = sq(r$MCVCOV),
       mcse.glmm = r$MCSE_GLMM, mcvcov.glmm = sq(r$MCVCOV_GLMM), jackknife = r$JACKKNIFE,
       stage.m = r$STAGE_M, stage.ess = r$STAGE_ESS, stage.par = r$STAGE_PAR, stage.mcse = r$STAGE_MCSE,
       stage.centre = r$STAGE_CENTRE, stage.guarded = r$STAGE_GUARDED != 0, final.stage = r$FINAL_STAGE,
       auto.stop = auto_stop, target.met = r$AUTO_STOP == 1, guarded = r$GUARDED != 0, t.sigma = r$T_SIGMA != 0,
       samples.kept = r$SAMPLES_KEPT != 0,
       hessian.negdef = r$HESSIAN_NEGDEF != 0, used.pql = r$USED_PQL != 0, par.init = r$START,
       u.star = r$U_STAR, D.star = r$D_STAR, m = d[["m"]], size = r$DISPERSION,
       loglik.full = if (length(r$DISPERSION_LOGLIK)) r$DISPERSION_LOGLIK,
       size.profile = if (length(prof)) matrix(prof, ncol = 2, dimnames = list(NULL, c("size", "loglik"))))
}

## Wald intervals at level: a (p + nvc) x 2 matrix.
engine_mclafit_confint <- function(fit, level) .Call(C_gg_confint, fit, as.double(level))

## The u-matrix, m x q (row k is sample k), regenerated by the engine from the seed.
## It is refused, before anything is allocated, when its m*q doubles exceed
## getOption("glmmgo.umatrix.bytes") (default 2 GiB).
engine_mclafit_umatrix <- function(fit) {
  d <- engine_dims(fit)
  bytes <- 8 * d[["m"]] * d[["q"]]
  limit <- getOption("glmmgo.umatrix.bytes", 2^31)
  if (bytes > limit)
    stop(sprintf("the u-matrix (m x q = %.0f x %.0f) would need %s, more than options(glmmgo.umatrix.bytes = %s) allows; it is not made (the engine draws the samples again from the fit's seed wherever it needs them: importance_weights(), plot()); raise the option to make it anyway",
                 d[["m"]], d[["q"]], format_bytes(bytes), format(limit)), call. = FALSE)
  u <- engine_result(fit, "GLMMGO_MCLA_UMATRIX")
  dim(u) <- c(d[["m"]], d[["q"]])
  u
}

format_bytes <- function(b) {
  u <- c("bytes", "KiB", "MiB", "GiB", "TiB")
  k <- min(length(u) - 1, max(0, floor(log(b, 1024))))
  sprintf("%.3g %s", b / 1024^k, u[k + 1])
}

## Sigma~^-1 of the fit's importance density, q x q.
engine_mclafit_sigma_inv <- function(fit) {
  q <- engine_dims(fit)[["q"]]
  matrix(engine_result(fit, "GLMMGO_MCLA_SIGMA_INV"), q, q)
}

## ---- the two-class mixture of logistic GLMMs (glmmgo_mixlogit_*) ----------

## A model handle from the n x T 0/1 matrix y and the n x T covariate x.
engine_mixlogit_new <- function(y, x) .Call(C_gg_mixlogit_new, as_dbl_matrix(y), as_dbl_matrix(x))

## The exact log-likelihood at par = c(beta1, beta2, sigma1, sigma2, pi1):
## list(value, gradient, hessian), the derivatives NULL unless derivs.
engine_mixlogit_objective <- function(ptr, par, workers = 0L, derivs = FALSE) {
  .Call(C_gg_mixlogit_objective, ptr, as_dbl(par), as.integer(workers), isTRUE(derivs))
}

## Fits the model: a new fit handle, or NULL when the user interrupted. opts:
## a list named as the fields of glmmgo_mixlogit_options (method, seed,
## workers, start, max_iter, initial_samples, max_samples, alpha, beta,
## gamma, augment_divisor, tol, df); those left out keep the engine's defaults.
engine_mixlogit_fit <- function(ptr, opts, verbose) .Call(C_gg_mixlogit_fit, ptr, opts, as.integer(verbose))

## Everything a fit reports, read once.
engine_mixlogit_result <- function(fit) {
  r <- engine_results(fit, c("ESTIMATE", "SE", "VCOV", "INFO_POSDEF", "LOGLIK", "GRADIENT", "POSTERIOR", "CONVERGED",
                             "ITERATIONS", "METHOD", "START", "MCSE", "MCVCOV", "LOGLIK_MC", "LOGLIK_MCSE",
                             "SAMPLE_SIZE", "TOTAL_DRAWS", "NEWTON_STEPS", "FINAL_ROUNDS", "SCORE_TEST", "ESS",
                             "TRACE_COLUMNS", "TRACE", "SECONDS"), "GLMMGO_MIXLOGIT_")
  d <- engine_dims(fit)
  sq <- function(v) matrix(v, 5L, 5L)
  list(estimate = r$ESTIMATE, se = r$SE, vcov = sq(r$VCOV), info.posdef = r$INFO_POSDEF != 0, loglik = r$LOGLIK,
       gradient = r$GRADIENT, posterior = matrix(r$POSTERIOR, d[["n"]], 2L), converged = r$CONVERGED != 0,
       iterations = r$ITERATIONS, method = r$METHOD, start = r$START, mcse = r$MCSE, mcvcov = sq(r$MCVCOV),
       loglik.mc = r$LOGLIK_MC, loglik.mcse = r$LOGLIK_MCSE, sample.size = r$SAMPLE_SIZE,
       total.draws = r$TOTAL_DRAWS, newton.steps = r$NEWTON_STEPS, final.rounds = r$FINAL_ROUNDS,
       score.test = r$SCORE_TEST, ess = r$ESS, trace = matrix(r$TRACE, ncol = r$TRACE_COLUMNS),
       seconds = r$SECONDS, n = d[["n"]], T = d[["t"]])
}

## Wald intervals at level: a 5 x 2 matrix.
engine_mixlogit_confint <- function(fit, level) .Call(C_gg_confint, fit, as.double(level))
