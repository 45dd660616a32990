## glmm(): Monte Carlo likelihood approximation of a GLMM with the argument
## list, results and printed layout of the package glmm. The engine does
## PQL, sampling from the importance density, the trust-region maximisation
## and the standard errors; this file builds the model and presents it.

glmm <- function(fixed, random, varcomps.names, data, family.glmm, m, varcomps.equal, weights,
                 doPQL = TRUE, debug = FALSE, p1 = 1/3, p2 = 1/3, p3 = 1/3, rmax = 1000, iterlim = 1000,
                 par.init, zeta = 5, cluster = NULL, seed = NULL, workers = NULL, verbose = FALSE,
                 na.action = stats::na.omit) {
  call <- match.call()
  spec <- glmm_model_spec(fixed, random, varcomps.names, if (missing(data)) NULL else data, family.glmm,
                          if (missing(varcomps.equal)) NULL else varcomps.equal,
                          if (missing(weights)) NULL else weights, na.action)
  if (missing(m)) stop("'m', the Monte Carlo sample size, is required", call. = FALSE)
  if (!is.numeric(m) || length(m) != 1L || !is.finite(m) || m < 1 || m != round(m))
    stop("'m' must be one positive whole number (the Monte Carlo sample size)", call. = FALSE)
  pvec <- c(p1, p2, p3)
  if (!is.numeric(pvec) || any(!is.finite(pvec)) || any(pvec < 0) || any(pvec > 1) || abs(sum(pvec) - 1) > 1e-8)
    stop(sprintf("p1, p2 and p3 must be probabilities summing to 1 (they sum to %s)", format(sum(pvec))),
         call. = FALSE)
  if (!is.numeric(zeta) || length(zeta) != 1L || !(zeta > 0)) stop("'zeta' must be one positive number", call. = FALSE)
  if (!is.numeric(rmax) || length(rmax) != 1L || !(rmax > 0)) stop("'rmax' must be one positive number", call. = FALSE)
  if (!is.numeric(iterlim) || length(iterlim) != 1L || !(iterlim >= 1))
    stop("'iterlim' must be a positive whole number", call. = FALSE)
  npar <- spec$p + spec$nvc
  pinit <- NULL
  if (!missing(par.init)) {
    if (!is.numeric(par.init) || length(par.init) != npar || any(!is.finite(par.init)))
      stop(sprintf("'par.init' must be %d numbers: %d fixed effects then %d variance components", npar,
                   spec$p, spec$nvc), call. = FALSE)
    if (any(par.init[spec$p + seq_len(spec$nvc)] <= 0))
      stop("the variance components in 'par.init' must be positive", call. = FALSE)
    pinit <- as_dbl(par.init)
  }
  if (!doPQL && is.null(pinit)) pinit <- NULL
  nworkers <- glmm_workers(cluster, workers)
  if (is.null(seed)) seed <- sample.int(.Machine$integer.max, 1L)
  if (!is.numeric(seed) || length(seed) != 1L || !is.finite(seed) || seed < 0)
    stop("'seed' must be one non-negative whole number", call. = FALSE)

  model <- mcla_model_from_spec(spec)
  opts <- list(m = as.double(m), p = as_dbl(pvec), zeta = as.double(zeta), seed = as.double(seed),
               workers = as.integer(nworkers), rmax = as.double(rmax), iterlim = as.double(iterlim),
               par.init = pinit, doPQL = isTRUE(doPQL), keep.umat = TRUE)
  t0 <- proc.time()[["elapsed"]]
  res <- .Call(C_gg_mcla_fit, model$ptr, opts, as.integer(verbose))
  if (is.null(res)) signal_interrupt("glmm")
  elapsed <- proc.time()[["elapsed"]] - t0
  glmm_result(res, spec, model, call, fixed, random, pvec, zeta, cluster, debug, seed, nworkers, elapsed)
}

## Everything glmm() needs from the formulas and data, checked.
glmm_model_spec <- function(fixed, random, varcomps.names, data, family.glmm, varcomps.equal, weights,
                            na.action = stats::na.omit) {
  fam <- resolve_glmm_family(family.glmm)
  if (!inherits(fixed, "formula") || length(fixed) != 3)
    stop("'fixed' must be a formula with a response, e.g. y ~ x", call. = FALSE)
  if (inherits(random, "formula")) random <- list(random)
  if (!is.list(random) || length(random) == 0 || !all(vapply(random, inherits, NA, "formula")))
    stop("'random' must be a formula or a list of formulas, e.g. list(~ 0 + g1, ~ 0 + g2)", call. = FALSE)
  nr <- length(random)
  if (is.null(varcomps.equal)) varcomps.equal <- seq_len(nr)
  if (length(varcomps.equal) != nr || any(is.na(varcomps.equal)) ||
      !setequal(unique(varcomps.equal), seq_len(max(varcomps.equal))))
    stop(sprintf("'varcomps.equal' must give, for each of the %d random formulas, its variance component as 1, 2, ... (each used)",
                 nr), call. = FALSE)
  nvc <- max(varcomps.equal)
  if (missing(varcomps.names) || is.null(varcomps.names))
    stop("'varcomps.names' is required: one name per variance component", call. = FALSE)
  if (length(varcomps.names) != nvc)
    stop(sprintf("'varcomps.names' has %d names but there are %d variance components", length(varcomps.names), nvc),
         call. = FALSE)
  if (!is.null(data) && !is.data.frame(data)) data <- as.data.frame(data)

  ## one model frame over every variable, so missing values drop rows jointly
  all_f <- c(list(fixed), random)
  vars <- unique(unlist(lapply(all_f, all.vars)))
  env <- environment(fixed)
  miss <- vars[!vapply(vars, function(v) (!is.null(data) && v %in% names(data)) || exists(v, envir = env), NA)]
  if (length(miss))
    stop(sprintf("variable%s %s not found%s", if (length(miss) > 1) "s" else "", paste(sQuote(miss), collapse = ", "),
                 if (!is.null(data)) " in 'data'" else ""), call. = FALSE)
  vf <- stats::as.formula(paste("~", paste(vapply(vars, function(v) deparse1_(as.name(v)), ""), collapse = " + ")),
                          env = env)
  if (is.null(data))
    data <- as.data.frame(stats::setNames(lapply(vars, function(v) get(v, envir = env)), vars), check.names = FALSE)
  if (!is.null(weights)) {
    if (!is.numeric(weights) || length(weights) != nrow(data))
      stop(sprintf("'weights' must be a numeric vector with one value per row of the data (%d), not %d values",
                   nrow(data), length(weights)), call. = FALSE)
    data[[".glmmgo.weights"]] <- weights
    vf <- stats::update(vf, ~ . + .glmmgo.weights)
  }
  fr <- stats::model.frame(vf, data = data, na.action = na.action)
  if (!is.null(weights)) names(fr)[names(fr) == ".glmmgo.weights"] <- "(weights)"
  n <- nrow(fr)
  if (n == 0) stop("no observations left after removing missing values", call. = FALSE)
  ffr <- stats::model.frame(fixed, fr)
  yy <- stats::model.response(ffr)
  X <- stats::model.matrix(attr(ffr, "terms"), ffr)
  ntrials <- NULL
  if (fam$family.glmm == "binomial.glmm") {
    if (!is.matrix(yy) || ncol(yy) != 2)
      stop("binomial.glmm needs a two-column response cbind(successes, failures)", call. = FALSE)
    check_counts(yy[, 1], "binomial.glmm (successes)")
    check_counts(yy[, 2], "binomial.glmm (failures)")
    ntrials <- as_dbl(yy[, 1] + yy[, 2])
    y <- as_dbl(yy[, 1])
  } else {
    if (is.matrix(yy)) stop(sprintf("%s needs a vector response", fam$family.glmm), call. = FALSE)
    if (is.logical(yy)) yy <- as.numeric(yy)
    if (!is.numeric(yy)) stop(sprintf("the response must be numeric for %s", fam$family.glmm), call. = FALSE)
    y <- as_dbl(yy)
    fam$checkData(y)
  }
  w <- stats::model.weights(fr)
  if (!is.null(w)) {
    if (any(!is.finite(w)) || any(w < 0)) stop("'weights' must be non-negative and finite", call. = FALSE)
    if (all(w == 0)) stop("'weights' are all zero", call. = FALSE)
    w <- as_dbl(w)
  }

  ## random-effects blocks, grouped by variance component (glmm's order)
  blocks <- lapply(random, function(f) {
    rhs <- stats::as.formula(call("~", f[[length(f)]]), env = environment(f))
    for (v in all.vars(rhs)) {
      x <- fr[[v]]
      if (is.factor(x) && nlevels(droplevels(x)) < 2)
        stop(sprintf("the random-effects factor '%s' has only one level: a variance component needs at least 2",
                     v), call. = FALSE)
    }
    mfr <- stats::model.frame(rhs, fr, drop.unused.levels = TRUE)
    stats::model.matrix(attr(mfr, "terms"), mfr)
  })
  ord <- order(varcomps.equal)
  Z <- do.call(cbind, blocks[ord])
  nrandom <- vapply(seq_len(nvc), function(t) sum(vapply(blocks[varcomps.equal == t], ncol, 1)), 1)
  if (any(nrandom == 0)) stop("a random-effects formula has no columns", call. = FALSE)
  list(family = fam, y = y, ntrials = ntrials, weights = w, X = X, Z = Z, nrandom = nrandom,
       n = n, p = ncol(X), q = ncol(Z), nvc = nvc, varcomps.names = varcomps.names,
       varcomps.equal = varcomps.equal, frame = fr)
}

mcla_model_from_spec <- function(spec) {
  if (spec$family$code == 4L)
    stop("negbinomial.glmm: this build of libglmmgo's MCLA model takes no dispersion yet", call. = FALSE)
  mcla_model(spec$y, spec$X, spec$Z, stats::setNames(spec$nrandom, spec$varcomps.names), spec$family,
             ntrials = spec$ntrials, weights = spec$weights)
}

glmm_workers <- function(cluster, workers) {
  if (!is.null(workers)) return(check_workers(workers))
  if (is.null(cluster)) return(0L)
  if (is.numeric(cluster)) return(check_workers(cluster))
  if (inherits(cluster, "cluster"))
    stop("glmm(cluster = <parallel cluster>): distributing samples over R processes is not available in this version; pass the number of threads instead (cluster = 2 or workers = 2), which runs the same computation in parallel inside the engine",
         call. = FALSE)
  stop("'cluster' must be a number of workers", call. = FALSE)
}

## The glmm-compatible result from the engine's list (see src/mcla_fit.c).
glmm_result <- function(res, spec, model, call, fixed, random, pvec, zeta, cluster, debug, seed, workers, elapsed) {
  bn <- colnames(spec$X)
  vn <- spec$varcomps.names
  nm <- c(bn, vn)
  beta <- stats::setNames(res$beta, bn)
  nu <- stats::setNames(res$nu, vn)
  H <- res$hessian; dimnames(H) <- list(nm, nm)
  g <- stats::setNames(res$gradient, nm)
  mcv <- res$mcvcov; if (!is.null(mcv)) dimnames(mcv) <- list(nm, nm)
  out <- list(beta = beta, nu = nu,
              loglike.value = res$value, loglike.gradient = g, loglike.hessian = H,
              likelihood.value = res$value, likelihood.gradient = g, likelihood.hessian = H,
              trust.converged = res$converged, trust.iterations = res$iter,
              mod.mcml = list(x = spec$X, z = spec$Z, y = spec$y, ntrials = spec$ntrials %||% rep(1, spec$n)),
              fixedcall = fixed, randcall = random, call = call, family.glmm = spec$family,
              varcomps.names = vn, varcomps.equal = spec$varcomps.equal, umat = res$umat, pvec = pvec,
              beta.pql = res$beta.pql, nu.pql = res$nu.pql, u.pql = res$u.star, D.star = res$D.star,
              zeta = zeta, cluster = cluster, debug = debug, m = nrow(res$umat) %||% res$m,
              weights = spec$weights, nrandom = stats::setNames(spec$nrandom, vn),
              mcvcov = mcv, ess = res$ess, seed = seed, workers = workers, time = elapsed,
              model = model)
  if (isTRUE(res$ess.warning))
    warning(sprintf("the effective sample size of the importance weights at the estimate is %.1f: the MCLA rests on few samples; increase m",
                    res$ess), call. = FALSE)
  if (!isTRUE(res$converged))
    warning("the trust-region maximisation did not converge (increase iterlim or m)", call. = FALSE)
  structure(out, class = "glmm")
}

## ---- methods, with glmm's names and layout ------------------------------

se <- function(object, ...) UseMethod("se")
mcse <- function(object, ...) UseMethod("mcse")
mcvcov <- function(object, ...) UseMethod("mcvcov")
varcomps <- function(object, ...) UseMethod("varcomps")

coef.glmm <- function(object, ...) object$beta

varcomps.glmm <- function(object, ...) object$nu

vcov.glmm <- function(object, ...) {
  V <- tryCatch(solve(-object$loglike.hessian), error = function(e)
    stop("the Hessian of the MCLA log-likelihood is singular at the estimate: no standard errors (increase m)",
         call. = FALSE))
  dimnames(V) <- dimnames(object$loglike.hessian)
  V
}

se.glmm <- function(object, ...) sqrt(diag(vcov(object)))

mcvcov.glmm <- function(object, ...) {
  if (is.null(object$mcvcov)) stop("this fit has no Monte Carlo covariance", call. = FALSE)
  object$mcvcov
}

mcse.glmm <- function(object, ...) sqrt(diag(mcvcov(object)))

logLik.glmm <- function(object, ...) {
  structure(object$loglike.value, df = length(object$beta) + length(object$nu), nobs = length(object$mod.mcml$y),
            class = "logLik")
}

confint.glmm <- function(object, parm, level = 0.95, ...) {
  est <- c(object$beta, object$nu)
  s <- se(object)
  if (missing(parm)) parm <- seq_along(est)
  if (is.character(parm)) parm <- match(parm, names(est))
  z <- stats::qnorm(1 - (1 - level) / 2)
  out <- cbind(est[parm] - z * s[parm], est[parm] + z * s[parm])
  pct <- paste(format(100 * c((1 - level) / 2, 1 - (1 - level) / 2), trim = TRUE, scientific = FALSE, digits = 3), "%")
  dimnames(out) <- list(names(est)[parm], pct)
  out
}

link_label <- function(fam) switch(fam$link, logit = "logit (log odds)", log = "log", fam$link)

print.glmm <- function(x, digits = max(3, getOption("digits") - 3), ...) {
  cat("\nCall:\n", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  cat("Fixed Effects:\n")
  print.default(format(x$beta, digits = digits), print.gap = 2, quote = FALSE)
  cat("\nVariance Components for Random Effects:\n")
  print.default(format(x$nu, digits = digits), print.gap = 2, quote = FALSE)
  cat("\n")
  invisible(x)
}

summary.glmm <- function(object, ...) {
  s <- se(object)
  p <- length(object$beta)
  zb <- object$beta / s[seq_len(p)]
  coefmat <- cbind(Estimate = object$beta, `Std. Error` = s[seq_len(p)], `z value` = zb,
                   `Pr(>|z|)` = 2 * stats::pnorm(-abs(zb)))
  sn <- s[p + seq_along(object$nu)]
  zn <- object$nu / sn
  nucoefmat <- cbind(Estimate = object$nu, `Std. Error` = sn, `z value` = zn,
                     `Pr(>|z|)/2` = stats::pnorm(-abs(zn)))
  structure(list(call = object$call, coefmat = coefmat, nucoefmat = nucoefmat, link = link_label(object$family.glmm),
                 family = object$family.glmm, m = object$m, loglike = object$loglike.value, ess = object$ess,
                 converged = object$trust.converged),
            class = "summary.glmm")
}

print.summary.glmm <- function(x, digits = max(3, getOption("digits") - 3),
                               signif.stars = getOption("show.signif.stars"), ...) {
  cat("\nCall:\n\n", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  cat("Link is: \"", x$link, "\"\n\n", sep = "")
  cat("Fixed Effects:\n")
  stats::printCoefmat(x$coefmat, digits = digits, signif.stars = signif.stars, P.values = TRUE, has.Pvalue = TRUE)
  cat("\n")
  cat("Variance Components for Random Effects (P-values are one-tailed):\n")
  stats::printCoefmat(x$nucoefmat, digits = digits, signif.stars = signif.stars, P.values = TRUE, has.Pvalue = TRUE)
  cat("\n")
  invisible(x)
}

## ---- importance-weight diagnostics ----------------------------------------

## Normalised importance weights of the samples at the estimate (or at par),
## computed by the engine: one partial per sample gives its log weight b_k.
importance_weights <- function(object, par = NULL) {
  if (!inherits(object, "glmm")) stop("importance_weights() needs a glmm() fit", call. = FALSE)
  if (is.null(par)) par <- c(object$beta, object$nu)
  mod <- object$model
  if (is.null(mod) || !handle_valid(mod$ptr))
    stop("the engine's model is gone (a saved or copied fit); refit to see the weights", call. = FALSE)
  m <- as.integer(mcla_dims(mod)[["m"]])
  if (m == 0) stop("the engine's model holds no samples", call. = FALSE)
  lb <- vapply(seq_len(m), function(k) mcla_partial(mod, par, c(k, k))[2], 1)
  w <- exp(lb - max(lb))
  w / sum(w)
}

plot.glmm <- function(x, par = NULL, ...) {
  v <- importance_weights(x, par)
  ess <- 1 / sum(v^2)
  op <- graphics::par(mfrow = c(1, 2))
  on.exit(graphics::par(op))
  vs <- sort(v, decreasing = TRUE)
  graphics::plot(seq_along(vs), vs, log = "y", type = "h", xlab = "sample (sorted by weight)",
                 ylab = "normalised importance weight", main = "Importance weights", ...)
  graphics::abline(h = 1 / length(v), lty = 2, col = "grey50")
  graphics::plot(seq_along(vs), cumsum(vs), type = "l", ylim = c(0, 1), xlab = "number of samples",
                 ylab = "cumulative weight", main = sprintf("ESS = %.1f of m = %d", ess, length(v)))
  invisible(list(weights = v, ess = ess))
}
