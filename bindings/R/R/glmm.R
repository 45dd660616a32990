## glmm(): Monte Carlo likelihood approximation of a GLMM with the argument
## list, results and printed layout of the package glmm. The engine does
## PQL, sampling from the importance density, the trust-region maximisation
## and the standard errors; this file builds the model and presents it.

glmm <- function(fixed, random, varcomps.names, data, family.glmm, m, varcomps.equal, weights,
                 doPQL = TRUE, debug = FALSE, p1 = 1/3, p2 = 1/3, p3 = 1/3, rmax = 1000, iterlim = 1000,
                 par.init, zeta = 5, cluster = NULL, seed = NULL, workers = NULL, verbose = FALSE,
                 na.action = stats::na.omit, control = mcla.control()) {
  call <- match.call()
  spec <- glmm_model_spec(fixed, random, varcomps.names, if (missing(data)) NULL else data, family.glmm,
                          if (missing(varcomps.equal)) NULL else varcomps.equal,
                          if (missing(weights)) NULL else weights, na.action)
  if (missing(m)) stop("'m', the Monte Carlo sample size, is required (a number, or \"auto\")", call. = FALSE)
  m <- check_m(m)
  ctl <- as_mcla_control(control)
  pvec <- c(p1, p2, p3)
  if (!is.numeric(pvec) || any(!is.finite(pvec)) || any(pvec < 0) || any(pvec > 1) || abs(sum(pvec) - 1) > 1e-8)
    stop(sprintf("p1, p2 and p3 must be probabilities summing to 1 (they sum to %s)", format(sum(pvec))),
         call. = FALSE)
  if (length(pvec) != 3L) stop("p1, p2 and p3 must each be one number", call. = FALSE)
  if (pvec[1] <= 0)
    stop("'p1' must be positive: the t component (p1) gives the importance density the heavy tails that keep the importance weights bounded",
         call. = FALSE)
  if (!is.numeric(zeta) || length(zeta) != 1L || !(zeta > 0)) stop("'zeta' must be one positive number", call. = FALSE)
  if (!is.numeric(rmax) || length(rmax) != 1L || !(rmax > 0)) stop("'rmax' must be one positive number", call. = FALSE)
  if (!is.numeric(iterlim) || length(iterlim) != 1L || !(iterlim >= 1) || iterlim != round(iterlim))
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
  nworkers <- glmm_workers(cluster, workers)
  if (is.null(seed)) seed <- sample.int(.Machine$integer.max, 1L)
  if (!is.numeric(seed) || length(seed) != 1L || !is.finite(seed) || seed < 0 || seed != round(seed) ||
      seed > 2^53)
    stop("'seed' must be one non-negative whole number (at most 2^53)", call. = FALSE)
  if (!is.logical(doPQL) || length(doPQL) != 1L || is.na(doPQL))
    stop("'doPQL' must be TRUE or FALSE", call. = FALSE)

  model <- mcla_model_of(spec)
  opts <- c(list(m = if (identical(m, "auto")) 0 else as.double(m), p_mix = as_dbl(pvec), zeta = as.double(zeta),
                 seed = as.double(seed), workers = as.integer(nworkers), rinit = min(10, as.double(rmax)),
                 rmax = as.double(rmax), iterlim = as.double(iterlim), start = pinit, no_pql = !isTRUE(doPQL),
                 ess_warn = 100),
            mcla_control_opts(ctl))
  if (is_negbinomial(spec$family) && is.null(spec$family$size)) {
    opts$dispersion_lo <- as.double(spec$family$size.range[1])
    opts$dispersion_hi <- as.double(spec$family$size.range[2])
  }
  t0 <- proc.time()[["elapsed"]]
  cinfo <- NULL
  fit <- tryCatch(if (is_parallel_cluster(cluster)) {
    cf <- glmm_cluster_fit(model, opts, verbose, cluster, spec, nworkers)
    cinfo <- cf$report
    cf$fit
  } else engine_mcla_fit(model, opts, verbose), finally = free_handle(model))
  if (is.null(fit)) signal_interrupt("glmm")
  res <- engine_mclafit_result(fit)
  elapsed <- proc.time()[["elapsed"]] - t0
  out <- glmm_result(res, spec, fit, call, fixed, random, pvec, zeta, cluster, debug, seed, nworkers, elapsed)
  out$control <- ctl
  out$cluster.info <- cinfo
  glmm_warnings(out, identical(m, "auto"))
  out
}

## m: one positive whole number (glmm's meaning: the sample size of the
## final importance density), or "auto".
check_m <- function(m) {
  if (identical(m, "auto")) return(m)
  if (!is.numeric(m) || length(m) != 1L || !is.finite(m) || m < 1 || m != round(m))
    stop("'m' must be one positive whole number (the Monte Carlo sample size) or \"auto\"", call. = FALSE)
  if (m > 2^53)
    stop(sprintf("'m' is %s; the Monte Carlo sample size must be at most 2^53 (and its samples fit in memory)", format(m)),
         call. = FALSE)
  m
}

is_negbinomial <- function(fam) identical(fam$family.glmm, "negbinomial.glmm")

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
  resp <- glmm_response(yy, fam)
  y <- resp$y
  ntrials <- resp$ntrials
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
  zvc <- lapply(seq_len(nvc), function(t) do.call(cbind, blocks[varcomps.equal == t]))
  names(zvc) <- varcomps.names
  list(family = fam, y = y, ntrials = ntrials, weights = w, X = X, Z = Z, nrandom = nrandom,
       n = n, p = ncol(X), q = ncol(Z), nvc = nvc, varcomps.names = varcomps.names,
       varcomps.equal = varcomps.equal, frame = fr, zlist = blocks, zvc = zvc)
}

## The response and the numbers of trials: a two-column binomial response
## is cbind(successes, failures); a binomial vector is one trial per row (as
## in glmm); other families take a vector checked by the family.
glmm_response <- function(yy, fam) {
  ntrials <- NULL
  if (fam$family.glmm == "binomial.glmm" && is.matrix(yy)) {
    if (ncol(yy) != 2)
      stop("binomial.glmm needs a two-column response cbind(successes, failures), or a 0/1 vector (one trial each)",
           call. = FALSE)
    check_counts(yy[, 1], "binomial.glmm (successes)")
    check_counts(yy[, 2], "binomial.glmm (failures)")
    ntrials <- as_dbl(yy[, 1] + yy[, 2])
    y <- as_dbl(yy[, 1])
  } else if (fam$family.glmm == "binomial.glmm") {
    if (is.logical(yy)) yy <- as.numeric(yy)
    if (!is.numeric(yy)) stop("the response must be numeric for binomial.glmm", call. = FALSE)
    bad <- which(!(yy %in% c(0, 1)))
    if (length(bad))
      stop(sprintf("binomial.glmm with a vector response counts one trial per row, so the response must be 0 or 1: observation %d is %s (for counts of successes give cbind(successes, failures))",
                   bad[1], format(yy[bad[1]])), call. = FALSE)
    y <- as_dbl(yy)
    ntrials <- rep(1, length(y))
  } else {
    if (is.matrix(yy)) stop(sprintf("%s needs a vector response", fam$family.glmm), call. = FALSE)
    if (is.logical(yy)) yy <- as.numeric(yy)
    if (!is.numeric(yy)) stop(sprintf("the response must be numeric for %s", fam$family.glmm), call. = FALSE)
    y <- as_dbl(yy)
    fam$checkData(y)
  }
  list(y = y, ntrials = ntrials)
}

## The engine's model handle for a model spec (glmmgo_mcla_new, and the
## negative binomial size when it is known).
mcla_model_of <- function(spec) {
  fam <- spec$family
  zt <- z_triplets(spec$Z)
  vc <- rep.int(seq_len(spec$nvc), spec$nrandom)
  ptr <- engine_mcla_new(fam$code, spec$y, spec$ntrials, spec$weights, spec$X, zt$row, zt$col, zt$val, spec$q, vc,
                         spec$nvc)
  if (!is.null(fam$size)) engine_mcla_set_dispersion(ptr, fam$size)
  ptr
}

glmm_workers <- function(cluster, workers) {
  if (!is.null(workers)) return(check_workers(workers))
  if (is.null(cluster)) return(0L)
  if (is.numeric(cluster)) return(check_workers(cluster))
  if (is_parallel_cluster(cluster)) return(1L) # threads per worker process unless 'workers' says
  stop("'cluster' must be a cluster of the parallel package (makeCluster, makePSOCKcluster; snow and Rmpi clusters) or a number of threads",
       call. = FALSE)
}

## The glmm-compatible result from the engine's results (engine_mclafit_result).
## Everything a user reads is stored here, so the result survives saveRDS and
## PSOCK workers; `model` holds the engine's fit handle for the extras read
## on request (the u-matrix, Sigma~^-1), which are gone after a round trip.
glmm_result <- function(res, spec, fit, call, fixed, random, pvec, zeta, cluster, debug, seed, workers, elapsed) {
  bn <- colnames(spec$X)
  vn <- spec$varcomps.names
  nm <- c(bn, vn)
  p <- spec$p
  beta <- stats::setNames(res$beta, bn)
  nu <- stats::setNames(res$nu, vn)
  named_mat <- function(M) { dimnames(M) <- list(nm, nm); M }
  H <- named_mat(res$hessian)
  g <- stats::setNames(res$gradient, nm)
  out <- list(beta = beta, nu = nu,
              loglike.value = res$value, loglike.gradient = g, loglike.hessian = H,
              likelihood.value = res$value, likelihood.gradient = g, likelihood.hessian = H,
              trust.converged = res$converged, trust.convergence = res$convergence,
              trust.iterations = res$iterations,
              trust.evaluations = res$evaluations,
              mod.mcml = list(x = spec$X, y = spec$y, z = spec$zvc, ntrials = spec$ntrials %||% rep(1, spec$n)),
              fixedcall = fixed, randcall = random, x = spec$X, y = spec$y, z = spec$zlist,
              call = call, family.glmm = spec$family,
              varcomps.names = vn, varcomps.equal = spec$varcomps.equal,
              umat = NULL, pvec = pvec,
              beta.pql = if (res$used.pql) stats::setNames(res$par.init[seq_len(p)], bn),
              nu.pql = if (res$used.pql) stats::setNames(res$par.init[p + seq_along(vn)], vn),
              par.init = stats::setNames(res$par.init, nm), used.pql = res$used.pql,
              u.pql = res$u.star, u.star = res$u.star, D.star = diag(res$D.star, nrow = length(res$D.star)),
              zeta = zeta, cluster = cluster, debug = debug, m = res$m,
              weights = spec$weights, nrandom = stats::setNames(spec$nrandom, vn),
              se = stats::setNames(res$se, nm), z.value = stats::setNames(res$z, nm),
              pvalue = stats::setNames(res$pvalue, nm), vcov = named_mat(res$vcov),
              mcse = stats::setNames(res$mcse, nm), mcvcov = named_mat(res$mcvcov),
              mcse.glmm = stats::setNames(res$mcse.glmm, nm), mcvcov.glmm = named_mat(res$mcvcov.glmm),
              jackknife = stats::setNames(res$jackknife, c("groups", "effective.groups", "df", "inflation")),
              ess = res$ess, ess.warning = res$ess.warning,
              estimator = if (res$blockwise) "blockwise" else "joint", blocks = res$blocks, joint.ess = res$joint.ess,
              stages = glmm_stage_table(res, nm), auto.stop = res$auto.stop, target.met = res$target.met,
              guarded = res$guarded, t.sigma = res$t.sigma, samples.kept = res$samples.kept,
              counts = stats::setNames(res$counts, c("m1", "m2", "m3")),
              timing = stats::setNames(res$seconds, c("pql", "sampling", "trust", "inference")),
              seed = seed, workers = workers, time = elapsed,
              model = structure(list(ptr = fit, n = spec$n, p = spec$p, q = spec$q, nvc = spec$nvc,
                                     family = spec$family), class = "glmmgo_mclafit"))
  if (is_negbinomial(spec$family)) {
    out$size <- res$size
    if (!is.null(res$loglik.full)) {
      out$loglike.full <- res$loglik.full
      out$size.profile <- res$size.profile
    }
  }
  structure(out, class = c("glmmgo_glmm", "glmm"))
}

## The stages of a fit: one row per importance density, with each stage's
## sample size, effective sample size, estimates and MCSEs (matrix columns).
glmm_stage_table <- function(res, nm) {
  k <- length(res$stage.m)
  sq <- function(v) { M <- matrix(v, k, length(nm)); colnames(M) <- nm; M }
  st <- data.frame(stage = seq_len(k), m = res$stage.m, ess = res$stage.ess, guarded = res$stage.guarded,
                   final = seq_len(k) == res$final.stage + 1)
  st$centre <- sq(res$stage.centre)
  st$estimate <- sq(res$stage.par)
  st$mcse <- sq(res$stage.mcse)
  st
}

## glmm()'s warnings: a small effective sample size, a maximisation that
## did not converge (and why), an automatic sample size stopped by a cap.
glmm_warnings <- function(fit, auto) {
  if (isTRUE(fit$ess.warning))
    warning(sprintf("the effective sample size of the importance weights at the estimate is %.1f of m = %d: the MCLA rests on few samples, so the estimates are unreliable (the MCSEs say by how much); increase m, or use m = \"auto\"",
                    fit$ess, as.integer(fit$m)), call. = FALSE)
  if (isTRUE(fit$guarded)) {
    warning("the maximisation stopped where the importance sample thins out (its effective sample size fell below 10% of its value at the start): the maximum lies beyond what this sample describes; increase the stages or m (see ?mcla.control)",
            call. = FALSE)
  } else if (!isTRUE(fit$trust.converged)) {
    reason <- names(fit$trust.convergence)
    warning(sprintf("the trust-region maximisation did not converge (%s) after %d iterations: %s",
                    tolower(reason), as.integer(fit$trust.iterations),
                    if (identical(reason, "ITERLIM")) "increase iterlim or m"
                    else "the estimates are not a maximum; try other par.init or a larger m"), call. = FALSE)
  }
  if (auto && fit$auto.stop %in% c("m.max reached", "time.max reached"))
    warning(auto_cap_message(fit), call. = FALSE)
}

auto_cap_message <- function(fit) {
  ctl <- fit$control
  rel <- fit$mcse / fit$se
  rel[is.na(rel)] <- Inf
  worst <- which.max(rel)
  cap <- if (fit$auto.stop == "m.max reached") sprintf("m.max = %s", format(ctl$m.max, big.mark = ","))
         else sprintf("time.max = %s s", format(ctl$time.max))
  short <- c(if (fit$ess < ctl$ess) sprintf("the effective sample size is %.0f, below its target %s", fit$ess,
                                            format(ctl$ess)),
             if (any(!(rel <= ctl$rel.mcse)))
               sprintf("the MCSE of %s is %.3g standard errors, above rel.mcse = %s", names(rel)[worst], rel[worst],
                       format(ctl$rel.mcse)))
  sprintf("m = \"auto\" stopped at %s with m = %s before reaching its targets: %s", cap,
          format(fit$m, big.mark = ","), paste(short, collapse = "; "))
}

## The u-matrix (m x q, row k = sample k) is not kept in the result (it can
## be large): fit$umat regenerates it from the engine's fit, which draws it
## again from the seed.
`$.glmmgo_glmm` <- function(x, name) {
  val <- .subset2(x, name, exact = FALSE)
  if (is.null(val) && identical(name, "umat")) val <- glmm_umat(x)
  val
}

glmm_umat <- function(object) {
  mod <- .subset2(object, "model")
  if (is.null(mod) || !handle_valid(mod$ptr))
    stop("the engine's fit is gone (a saved or copied fit from another session): refit with the same seed to get the u-matrix",
         call. = FALSE)
  engine_mclafit_umatrix(mod$ptr)
}

## ---- methods, with glmm's names and layout ------------------------------
##
## glmm (1.4.5) exports se, mcse, mcvcov and varcomps as ordinary functions
## that accept objects inheriting from "glmm"; glmmgo's are generics with
## methods for its own class "glmmgo_glmm" (which inherits "glmm" and has
## glmm's components, so glmm's functions also accept glmmgo's fits), and
## their default methods hand glmm's own fits to glmm's functions.

se <- function(object, ...) UseMethod("se")
mcse <- function(object, ...) UseMethod("mcse")
mcvcov <- function(object, ...) UseMethod("mcvcov")
varcomps <- function(object, ...) UseMethod("varcomps")
se.default <- function(object, ...) forward("glmm", "se", object, ...)
mcse.default <- function(object, ...) forward("glmm", "mcse", object, ...)
mcvcov.default <- function(object, ...) forward("glmm", "mcvcov", object, ...)
varcomps.default <- function(object, ...) forward("glmm", "varcomps", object, ...)

coef.glmmgo_glmm <- function(object, ...) object$beta

varcomps.glmmgo_glmm <- function(object, ...) object$nu

## Standard errors come from the engine (-Hessian^{-1}); a singular Hessian
## gives Inf standard errors there, and NaN covariances.
vcov.glmmgo_glmm <- function(object, ...) {
  V <- object$vcov
  if (anyNA(V))
    stop("the Hessian of the MCLA log-likelihood is singular at the estimate: no covariance matrix (increase m)",
         call. = FALSE)
  V
}

se.glmmgo_glmm <- function(object, ...) object$se

## The Monte Carlo covariance and standard errors of the estimates: by
## default from the spread between groups of samples (the engine's
## delete-a-group jackknife; see ?mcse), or glmm's formula H^-1 V H^-1.
mcvcov.glmmgo_glmm <- function(object, method = c("jackknife", "glmm"), ...) {
  method <- match.arg(method)
  v <- if (method == "glmm") object$mcvcov.glmm else object$mcvcov
  if (is.null(v)) stop("this fit has no Monte Carlo covariance", call. = FALSE)
  v
}

mcse.glmmgo_glmm <- function(object, method = c("jackknife", "glmm"), ...) {
  method <- match.arg(method)
  if (method == "glmm") object$mcse.glmm else object$mcse
}

## As glmm's: the Monte Carlo log-likelihood at the estimate, a number
## (glmm's value, without the normalising constants of the family, so not
## for AIC comparisons with other kinds of fit).
logLik.glmmgo_glmm <- function(object, ...) object$loglike.value

## Wald intervals; columns named by the probabilities, as glmm's.
confint.glmmgo_glmm <- function(object, parm, level = 0.95, ...) {
  est <- c(object$beta, object$nu)
  if (!is.numeric(level) || length(level) != 1L || !(level > 0 && level < 1))
    stop("'level' must be one number between 0 and 1", call. = FALSE)
  mod <- .subset2(object, "model")
  ci <- if (!is.null(mod) && handle_valid(mod$ptr)) {
    engine_mclafit_confint(mod$ptr, level)
  } else {
    h <- stats::qnorm((1 + level) / 2) * object$se
    cbind(est - h, est + h)
  }
  if (missing(parm)) parm <- seq_along(est)
  if (is.character(parm)) {
    bad <- setdiff(parm, names(est))
    if (length(bad)) stop(sprintf("unknown parameter%s: %s", if (length(bad) > 1) "s" else "",
                                  paste(bad, collapse = ", ")), call. = FALSE)
    parm <- match(parm, names(est))
  }
  a <- (1 - level) / 2
  out <- ci[parm, , drop = FALSE]
  dimnames(out) <- list(names(est)[parm], c(a, 1 - a))
  out
}

link_label <- function(fam) switch(fam$link, logit = "logit (log odds)", log = "log", fam$link)

print.glmmgo_glmm <- function(x, digits = max(3, getOption("digits") - 3), ...) {
  cat("\nCall:\n", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  cat("Fixed Effects:\n")
  print.default(format(x$beta, digits = digits), print.gap = 2, quote = FALSE)
  cat("\nVariance Components for Random Effects:\n")
  print.default(format(x$nu, digits = digits), print.gap = 2, quote = FALSE)
  cat("\n")
  invisible(x)
}

## Decimal places supported by a Monte Carlo standard error: those down to
## its first significant digit (glmm rounds its summary tables this way).
mcse_digits <- function(mcse) ifelse(is.finite(mcse) & mcse > 0, pmax(0, -floor(log10(mcse))), NA)

round_mc <- function(x, d) ifelse(is.na(d), x, round(x, ifelse(is.na(d), 0, d)))

## glmm's summary: the tables of fixed effects and variance components with
## estimates and standard errors rounded to the digits their MCSEs support
## (z values and p-values from the unrounded numbers), and glmm's other
## components (x, y, z, coefficients, fixedcall, randcall, link, ...).
summary.glmmgo_glmm <- function(object, ...) {
  p <- length(object$beta)
  ib <- seq_len(p)
  iv <- p + seq_along(object$nu)
  d <- mcse_digits(object$mcse)
  est <- round_mc(c(object$beta, object$nu), d)
  se <- round_mc(object$se, d)
  coefmat <- cbind(Estimate = est[ib], `Std. Error` = se[ib], `z value` = object$z.value[ib],
                   `Pr(>|z|)` = object$pvalue[ib])
  nucoefmat <- cbind(Estimate = est[iv], `Std. Error` = se[iv], `z value` = object$z.value[iv],
                     `Pr(>|z|)/2` = object$pvalue[iv])
  rownames(coefmat) <- names(object$beta)
  rownames(nucoefmat) <- names(object$nu)
  structure(list(x = object$x, y = object$y, z = object$z, coefmat = coefmat, fixedcall = object$fixedcall,
                 randcall = object$randcall, coefficients = stats::setNames(coefmat[, 1], rownames(coefmat)), family.mcml = object$family.glmm,
                 call = object$call, nucoefmat = nucoefmat, link = link_label(object$family.glmm),
                 trust.converged = object$trust.converged, family = object$family.glmm, m = object$m,
                 loglike = object$loglike.value, ess = object$ess, mcse = object$mcse, size = object$size,
                 mcse.glmm = object$mcse.glmm, jackknife = object$jackknife, stages = object$stages,
                 auto.stop = object$auto.stop, guarded = object$guarded, estimator = object$estimator,
                 blocks = object$blocks, joint.ess = object$joint.ess),
            class = "summary.glmmgo_glmm")
}

print.summary.glmmgo_glmm <- function(x, digits = max(3, getOption("digits") - 3),
                                      signif.stars = getOption("show.signif.stars"), ...) {
  if (!isTRUE(x$trust.converged))
    cat("\nWARNING: the optimizer trust has not converged to the MCMLE. The following estimates are not maximum likelihood estimates, but they can be used in the argument par.init when rerunning glmm.\n")
  cat("\nCall:\n", paste(deparse(x$call), sep = "\n", collapse = "\n"), "\n\n", sep = "")
  cat("Link is: \"", x$link, "\"\n\n", sep = "")
  cat("Fixed Effects:\n")
  stats::printCoefmat(x$coefmat, digits = digits, signif.stars = signif.stars, P.values = TRUE, has.Pvalue = TRUE)
  cat("\n")
  cat("Variance Components for Random Effects (P-values are one-tailed):\n")
  stats::printCoefmat(x$nucoefmat, digits = digits, signif.stars = signif.stars, P.values = TRUE, has.Pvalue = TRUE)
  cat("\n")
  if (!is.null(x$size)) cat(sprintf("Negative binomial size: %s\n", format(x$size, digits = digits)))
  print_mc_error(x, digits)
  invisible(x)
}

## The Monte Carlo part of the summary: the MCSEs (the jackknife's, with
## glmm's formula beside them), the sample and its effective size, the
## stages and why m stopped.
print_mc_error <- function(x, digits) {
  jk <- x$jackknife
  cat(sprintf("Monte Carlo standard errors (delete-a-group jackknife over %d groups of samples, %.1f effective; see ?mcse):\n",
              as.integer(jk[["groups"]]), jk[["effective.groups"]]))
  tab <- rbind(MCSE = x$mcse, `glmm's MCSE` = x$mcse.glmm)
  print.default(format(tab, digits = digits), print.gap = 2, quote = FALSE)
  st <- x$stages
  if (!is.null(st) && nrow(st) > 1)
    cat(sprintf("Importance densities: %d stages, effective sample sizes %s; the estimates come from stage %d\n",
                nrow(st), paste(sprintf("%.0f", st$ess), collapse = ", "), which(st$final)))
  cat(sprintf("Monte Carlo sample size m = %.0f%s, effective sample size of the weights %.1f%s\n\n", x$m,
              if (!is.null(x$auto.stop) && x$auto.stop != "m given") sprintf(" (m = \"auto\": %s)", x$auto.stop) else "",
              x$ess,
              if (identical(x$estimator, "blockwise"))
                sprintf(" (blockwise over %d blocks: the smallest block's; %.1f for the joint weights)", as.integer(x$blocks), x$joint.ess)
              else ""))
}

## ---- importance-weight diagnostics ----------------------------------------

## The engine's MCLA objective over the fit's own sample: the model (with
## the fit's negative binomial size) with the fit's importance density and
## samples, set by the engine from the fit itself (no u-matrix passes
## through R). Needs the engine's fit (not restored from a file).
glmm_objective_model <- function(object) {
  fam <- object$family.glmm
  fit <- .subset2(object, "model")
  if (is.null(fit) || !handle_valid(fit$ptr))
    stop("the engine's fit is gone (a saved or copied fit from another session): refit with the same seed to get the importance weights",
         call. = FALSE)
  if (is_negbinomial(fam)) fam <- negbinomial.glmm(size = object$size)
  mm <- object$mod.mcml
  ntr <- if (fam$family.glmm == "binomial.glmm") mm$ntrials else NULL
  mod <- mcla_model(mm$y, mm$x, do.call(cbind, mm$z), object$nrandom, fam, ntrials = ntr, weights = object$weights)
  engine_mcla_set_fit_samples(mod$ptr, fit$ptr)
  mod
}

## Per-sample log importance weights b_k and scores g_k at par, one engine
## partial per sample (a partial over one sample holds b_k and g_k). For a
## blockwise fit b_k is the joint log weight (the sum over blocks, the
## partial's top level) and the scores, held per block, are not returned.
glmm_sample_terms <- function(object, par = NULL) {
  if (!inherits(object, "glmmgo_glmm")) stop("needs a glmm() fit from glmmgo", call. = FALSE)
  if (is.null(par)) par <- c(object$beta, object$nu)
  mod <- glmm_objective_model(object)
  on.exit(free_handle(mod$ptr))
  m <- as.integer(object$m)
  d <- length(par)
  if (identical(object$estimator, "blockwise"))
    return(list(logweight = vapply(seq_len(m), function(k) mcla_partial(mod, par, c(k, k), workers = 1)[[2]], 0),
                score = NULL))
  parts <- vapply(seq_len(m), function(k) mcla_partial(mod, par, c(k, k), workers = 1)[c(2, 4 + seq_len(d))],
                  numeric(d + 1))
  list(logweight = parts[1, ], score = t(parts[-1, , drop = FALSE]))
}

## Normalised importance weights of the samples at the estimate (or at par),
## computed by the engine (for a blockwise fit, the joint weights: the
## product of the blocks' weights of each sample).
importance_weights <- function(object, par = NULL) {
  lb <- glmm_sample_terms(object, par)$logweight
  w <- exp(lb - max(lb))
  w / sum(w)
}

plot.glmmgo_glmm <- function(x, par = NULL, ...) {
  v <- importance_weights(x, par)
  ess <- 1 / sum(v^2)
  op <- graphics::par(mfrow = c(1, 2))
  on.exit(graphics::par(op))
  vs <- sort(v, decreasing = TRUE)
  pos <- vs[vs > 0] # weights below the smallest double cannot go on a log axis
  graphics::plot(seq_along(pos), pos, log = "y", type = "h", xlab = "sample (sorted by weight)",
                 ylab = "normalised importance weight", main = "Importance weights",
                 sub = if (length(pos) < length(vs)) sprintf("%d weights underflow to 0", length(vs) - length(pos)),
                 ...)
  graphics::abline(h = 1 / length(v), lty = 2, col = "grey50")
  graphics::plot(seq_along(vs), cumsum(vs), type = "l", ylim = c(0, 1), xlab = "number of samples",
                 ylab = "cumulative weight", main = sprintf("ESS = %.1f of m = %d", ess, length(v)))
  invisible(list(weights = v, ess = ess))
}
