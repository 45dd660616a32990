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

## The engine's memory limit in bytes (glmmgo_memory_limit); with bytes, sets
## it first (0: the default).
engine_memory_limit <- function(bytes = NULL) .Call(C_gg_memory_limit, if (!is.null(bytes)) as.double(bytes))

## options(glmmgo.memory_limit = bytes) takes effect at the next engine call
## that sizes memory by its arguments (each calls this first): the engine
## cannot see R's options, so the value is passed on whenever it changes.
memory_state <- new.env(parent = emptyenv())
apply_memory_option <- function() {
  v <- getOption("glmmgo.memory_limit")
  if (is.null(v) || identical(v, memory_state$applied)) return(invisible())
  if (!is.numeric(v) || length(v) != 1L || !is.finite(v) || v < 0)
    stop("options(glmmgo.memory_limit) must be one non-negative number of bytes (0: the default)", call. = FALSE)
  engine_memory_limit(v)
  memory_state$applied <- v
  invisible()
}

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
  apply_memory_option()
  storage.mode(codes) <- "integer"
  .Call(C_gg_lmm_new, as_dbl(y), as_dbl_matrix(X), if (!is.null(w)) as_dbl(w), as.integer(nlevels),
        as.integer(ncols), codes, as_dbl(z))
}

## list(order (input index of each term in model order), kept (kept
## columns of X), lower (bounds of theta), nlevels, ncols (per term, model
## order), theta_term, theta_row, theta_col (theta's layout: the term and
## the place in its template of each element)), indices 1-based.
## The laplace engine's models answer the same (prefix "GLMMGO_LAPLACE_").
engine_lmm_structure <- function(ptr, prefix = "GLMMGO_LMM_") {
  r <- engine_results(ptr, c("TERM_ORDER", "KEPT_COLUMNS", "LOWER", "TERM_NLEVELS", "TERM_NCOLS", "THETA_TERM",
                             "THETA_ROW", "THETA_COL"), prefix)
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

## glmmgo_lmm_derivatives: list(value, gradient, hessian) of the criterion
## at theta; sigma "profiled" (lme4's devfun) or "fixed" (sigma at its
## estimate given theta); hessian FALSE skips the Hessian (NULL).
engine_lmm_derivatives <- function(ptr, theta, reml, sigma = "profiled", hessian = TRUE, workers = 0L) {
  mode <- match(sigma, c("profiled", "fixed")) - 1L
  .Call(C_gg_lmm_derivatives, ptr, as_dbl(theta), isTRUE(reml), mode, isTRUE(hessian), as.integer(workers))
}

## Fits the model: a new fit handle, or NULL when the user interrupted
## (Ctrl-C). 0 for rhobeg, rhoend or maxeval means the engine's default.
engine_lmm_fit <- function(ptr, reml, theta0, rhobeg, rhoend, maxeval, verbose, workers = 0L, optimizer = "auto") {
  apply_memory_option()
  opts <- list(reml = isTRUE(reml), start = if (!is.null(theta0)) as_dbl(theta0), rhobeg = as.double(rhobeg),
               rhoend = as.double(rhoend), maxeval = as.double(maxeval), workers = as.integer(workers),
               optimizer = match(optimizer, lmm_optimizers) - 1L)
  .Call(C_gg_lmm_fit, ptr, opts, as.integer(verbose))
}

## The optimisers of glmmgo_lmm_options.optimizer, in the order of their codes
## (GLMMGO_LMM_OPTIMIZER_AUTO, _BOBYQA, _BFGS).
lmm_optimizers <- c("auto", "bobyqa", "bfgs")

## Everything a fit reports, read once (the conditional variances, which the
## engine computes on request, only when condvar = TRUE).
engine_lmm_result <- function(fit, condvar = FALSE) {
  r <- engine_results(fit, c("OBJECTIVE", "LOGLIK", "DEVIANCE", "REMLCRIT", "AIC", "BIC", "SIGMA", "EVALS",
                             "CONVERGED", "SINGULAR", "REML", "THETA", "BETA", "SE", "VCOV", "VARCORR", "B", "U",
                             "OPTIMIZER"),
                      "GLMMGO_LMM_")
  p <- length(r$BETA)
  list(objective = r$OBJECTIVE, logLik = r$LOGLIK, deviance = r$DEVIANCE, REMLcrit = r$REMLCRIT, AIC = r$AIC,
       BIC = r$BIC, sigma = r$SIGMA, evals = r$EVALS, converged = r$CONVERGED != 0, singular = r$SINGULAR != 0,
       REML = r$REML != 0, theta = r$THETA, beta = r$BETA, se = r$SE, vcov = matrix(r$VCOV, p, p),
       varcorr = r$VARCORR, b = r$B, u = r$U, optimizer = lmm_optimizers[r$OPTIMIZER + 1],
       condvar = if (isTRUE(condvar)) engine_result(fit, "GLMMGO_LMM_CONDVAR"))
}

## ---- the MCLA objective (glmmgo_mcla_*) -----------------------------------

engine_mcla_new <- function(family, y, ntrials, weights, X, zrow, zcol, zval, q, vc, nvc) {
  apply_memory_option()
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
  apply_memory_option()
  if (!is.double(umat)) storage.mode(umat) <- "double"
  invisible(.Call(C_gg_mcla_set_samples, ptr, umat))
}

## The importance density and samples of a fit, set on a model of the same
## data (the engine draws them again from the fit's seed).
engine_mcla_set_fit_samples <- function(ptr, fit) {
  apply_memory_option()
  invisible(.Call(C_gg_mcla_set_fit_samples, ptr, fit))
}

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
engine_mcla_fit <- function(ptr, opts, verbose) {
  apply_memory_option()
  .Call(C_gg_mcla_fit, ptr, opts, as.integer(verbose))
}

## Everything a fit reports, read once (not its u-matrix or Sigma~^-1,
## which can be large: engine_mclafit_umatrix, engine_result).
engine_mclafit_result <- function(fit) {
  d <- engine_dims(fit)
  np <- d[["p"]] + d[["nvc"]]
  r <- engine_results(fit, c("BETA", "NU", "VALUE", "GRADIENT", "HESSIAN", "CONVERGED", "CONVERGENCE",
                             "ITERATIONS", "EVALUATIONS", "ESS", "ESS_WARNING", "COUNTS", "SECONDS", "SE", "Z", "PVALUE", "VCOV",
                             "MCSE", "MCVCOV", "HESSIAN_NEGDEF", "USED_PQL", "START", "U_STAR", "D_STAR",
                             "DISPERSION", "DISPERSION_LOGLIK", "DISPERSION_PROFILE", "MCSE_GLMM", "MCVCOV_GLMM",
                             "JACKKNIFE", "STAGE_M", "STAGE_ESS", "STAGE_PAR", "STAGE_MCSE", "STAGE_CENTRE",
                             "STAGE_GUARDED", "FINAL_STAGE", "AUTO_STOP", "GUARDED", "T_SIGMA", "SAMPLES_KEPT",
                             "BLOCKWISE", "BLOCKS", "JOINT_ESS"),
                      "GLMMGO_MCLA_")
  sq <- function(v) matrix(v, np, np)
  prof <- r$DISPERSION_PROFILE
  auto_stop <- c("m given", "targets reached", "m.max reached", "time.max reached")[r$AUTO_STOP + 1]
  list(beta = r$BETA, nu = r$NU, value = r$VALUE, gradient = r$GRADIENT, hessian = sq(r$HESSIAN),
       converged = r$CONVERGED != 0, convergence = convergence_reason(r$CONVERGENCE),
       iterations = r$ITERATIONS, evaluations = r$EVALUATIONS, ess = r$ESS,
       ess.warning = r$ESS_WARNING != 0, counts = r$COUNTS, seconds = r$SECONDS, se = r$SE, z = r$Z,
       pvalue = r$PVALUE, vcov = sq(r$VCOV), mcse = r$MCSE, mcvcov = sq(r$MCVCOV),
       mcse.glmm = r$MCSE_GLMM, mcvcov.glmm = sq(r$MCVCOV_GLMM), jackknife = r$JACKKNIFE,
       stage.m = r$STAGE_M, stage.ess = r$STAGE_ESS, stage.par = r$STAGE_PAR, stage.mcse = r$STAGE_MCSE,
       stage.centre = r$STAGE_CENTRE, stage.guarded = r$STAGE_GUARDED != 0, final.stage = r$FINAL_STAGE,
       auto.stop = auto_stop, target.met = r$AUTO_STOP == 1, guarded = r$GUARDED != 0, t.sigma = r$T_SIGMA != 0,
       samples.kept = r$SAMPLES_KEPT != 0, blockwise = r$BLOCKWISE != 0, blocks = r$BLOCKS, joint.ess = r$JOINT_ESS,
       hessian.negdef = r$HESSIAN_NEGDEF != 0, used.pql = r$USED_PQL != 0, par.init = r$START,
       u.star = r$U_STAR, D.star = r$D_STAR, m = d[["m"]], size = r$DISPERSION,
       loglik.full = if (length(r$DISPERSION_LOGLIK)) r$DISPERSION_LOGLIK,
       size.profile = if (length(prof)) matrix(prof, ncol = 2, dimnames = list(NULL, c("size", "loglik"))))
}

## The reason code of an MCLA fit's convergence (GLMMGO_MCLA_CONVERGENCE)
## as the header's text of it, named by its code's name.
convergence_reason <- function(code) {
  codes <- glmmgo_header$convergence
  name <- names(codes)[match(as.integer(code), codes)]
  if (is.na(name)) return(sprintf("unknown convergence code %d", as.integer(code)))
  stats::setNames(glmmgo_header$convergence_text[[name]], sub("GLMMGO_CONVERGENCE_", "", name))
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

## Sigma~^-1 of the fit's importance density, q x q (an error when the
## density factored it sparse and never formed the q x q matrix).
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

## ---- GLMMs by Laplace and adaptive quadrature (glmmgo_laplace_*) -----------

## A model handle: family and link codes of glmmgo.h, the response (y:
## 0/1, successes out of trials, or counts), trials, prior weights and
## offset (NULL: all 1, 1, 0), the negative binomial's size (0 for the
## other families), X and the random-effects terms as engine_lmm_new's.
engine_laplace_new <- function(family, link, y, trials, w, offset, dispersion, X, nlevels, ncols, codes, z) {
  storage.mode(codes) <- "integer"
  .Call(C_gg_laplace_new, as.integer(family), as.integer(link), as_dbl(y), if (!is.null(trials)) as_dbl(trials),
        if (!is.null(w)) as_dbl(w), if (!is.null(offset)) as_dbl(offset), as.double(dispersion), as_dbl_matrix(X),
        as.integer(nlevels), as.integer(ncols), codes, as_dbl(z))
}

## -2 log L at par: (theta, beta) by Laplace (nagq = 1) or adaptive
## Gauss-Hermite quadrature, or with fast = TRUE theta alone (beta from PIRLS).
engine_laplace_objective <- function(ptr, par, nagq = 1L, fast = FALSE, workers = 0L) {
  .Call(C_gg_laplace_objective, ptr, as_dbl(par), as.integer(nagq), isTRUE(fast), as.integer(workers))
}

## Fits the model: a new fit handle, or NULL when the user interrupted.
## opts: a list named as the fields of glmmgo_laplace_options (fast, nagq,
## start, theta_start, rhobeg, rhoend, maxeval, no_hessian, pirls_tol,
## pirls_maxiter, pirls_max_halvings, workers); those left out keep the
## engine's defaults.
engine_laplace_fit <- function(ptr, opts, verbose) .Call(C_gg_laplace_fit, ptr, opts, as.integer(verbose))

## Everything a fit reports, read once.
engine_laplace_result <- function(fit) {
  r <- engine_results(fit, c("THETA", "BETA", "SE", "VCOV", "SE_METHOD", "PAR_VCOV", "VARCORR", "U", "B", "CONDVAR",
                             "LINEAR_PREDICTOR", "FITTED", "RESID_RESPONSE", "RESID_PEARSON", "RESID_DEVIANCE",
                             "MINUS_TWO_LOGLIK", "LOGLIK", "DEVIANCE", "SATURATED_LOGLIK", "AIC", "BIC",
                             "PENALISED_DEVIANCE", "USSQ", "LOGDET", "GRADIENT", "HESSIAN", "PIRLS_ITERATIONS", "EVALS",
                             "STAGE_OBJECTIVE", "STAGE_STATUS", "CONVERGED", "SINGULAR", "FAST", "NAGQ", "START_THETA",
                             "START_FROM_LMM", "START_OBJECTIVES", "SECONDS"), "GLMMGO_LAPLACE_")
  p <- length(r$BETA)
  np <- length(r$THETA) + p
  sq <- function(v, k) if (length(v)) matrix(v, k, k)
  list(theta = r$THETA, beta = r$BETA, se = r$SE, vcov = matrix(r$VCOV, p, p),
       se.method = c("hessian", "conditional")[r$SE_METHOD],  # GLMMGO_LAPLACE_SE_HESSIAN, _CONDITIONAL
       par.vcov = sq(r$PAR_VCOV, np), varcorr = r$VARCORR, u = r$U, b = r$B, condvar = r$CONDVAR,
       eta = r$LINEAR_PREDICTOR, mu = r$FITTED, resid.response = r$RESID_RESPONSE, resid.pearson = r$RESID_PEARSON,
       resid.deviance = r$RESID_DEVIANCE, m2ll = r$MINUS_TWO_LOGLIK, logLik = r$LOGLIK, deviance.mm = r$DEVIANCE,
       saturated = r$SATURATED_LOGLIK, AIC = r$AIC, BIC = r$BIC, pdev = r$PENALISED_DEVIANCE, ussq = r$USSQ,
       logdet = r$LOGDET, gradient = r$GRADIENT, hessian = sq(r$HESSIAN, np), pirls = r$PIRLS_ITERATIONS,
       evals = stats::setNames(r$EVALS, c("fast", "slow")), stage.objective = r$STAGE_OBJECTIVE,
       stage.status = r$STAGE_STATUS, converged = r$CONVERGED != 0, singular = r$SINGULAR != 0, fast = r$FAST != 0,
       nAGQ = r$NAGQ, start.theta = r$START_THETA, start.from.lmm = r$START_FROM_LMM != 0,
       start.objectives = r$START_OBJECTIVES, seconds = stats::setNames(r$SECONDS, c("fast", "slow", "total")))
}

## Wald intervals of beta at level: a p x 2 matrix.
engine_laplace_confint <- function(fit, level) .Call(C_gg_confint, fit, as.double(level))
