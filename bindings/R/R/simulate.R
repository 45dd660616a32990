## simulate(), refit(), refitML() and confidence intervals (profile, Wald,
## parametric bootstrap) for glmmgo_merMod fits, with lme4's arguments and
## parameter names. lme4::bootMer() works on these fits through the same
## generics (simulate, refit, getME, isLMM, model.frame).

refit <- function(object, newresp, ...) UseMethod("refit")
refit.default <- function(object, newresp, ...) forward("lme4", "refit", object, newresp, ...)

refitML <- function(x, ...) UseMethod("refitML")
refitML.default <- function(x, ...) forward("lme4", "refitML", x, ...)

## Simulated responses: new random effects (re.form = NA or ~0, use.u =
## FALSE, lme4's default) or the fitted conditional modes (re.form = NULL,
## use.u = TRUE), plus Gaussian noise with variance sigma^2 / weight.
## newparams = list(theta, beta, sigma) replaces the estimates.
simulate.glmmgo_merMod <- function(object, nsim = 1, seed = NULL, use.u = FALSE, re.form = NA, newdata = NULL,
                                   newparams = NULL, family = NULL, allow.new.levels = FALSE,
                                   na.action = stats::na.pass, ...) {
  if (!is.null(newdata))
    stop("simulate(newdata =) is not available for glmmgo fits: refit the model to the new data, or simulate from the fitted data",
         call. = FALSE)
  if (!is.null(family)) stop("simulate(family =): glmmgo simulates from the fit's own family", call. = FALSE)
  if (!missing(use.u) && !missing(re.form)) stop("give only one of 'use.u' and 're.form'", call. = FALSE)
  cond <- if (!missing(use.u)) isTRUE(use.u) else !re_none(re.form)
  if (!exists(".Random.seed", envir = .GlobalEnv, inherits = FALSE)) stats::runif(1)
  if (is.null(seed)) {
    rng <- get(".Random.seed", envir = .GlobalEnv)
  } else {
    old <- get(".Random.seed", envir = .GlobalEnv)
    set.seed(seed)
    rng <- structure(seed, kind = as.list(RNGkind()))
    on.exit(assign(".Random.seed", old, envir = .GlobalEnv))
  }
  theta <- newparams$theta %||% object$theta
  beta <- newparams$beta %||% object$beta
  sig <- newparams$sigma %||% sigma(object)
  if (length(theta) != length(object$theta) || length(beta) != length(object$beta))
    stop("newparams: theta and beta must have the fit's lengths", call. = FALSE)
  n <- object$nobs
  eta0 <- drop(object$X[, object$kept, drop = FALSE] %*% beta)
  if (!is.null(object$offset)) eta0 <- eta0 + object$offset
  sims <- lapply(seq_len(nsim), function(i) {
    b <- if (cond) object$b else simulate_b(object$reterms, theta, sig)
    mu <- eta0 + re_contribution(object$reterms, b)
    simulate_response(object, mu, sig)
  })
  rn <- rownames(object$frame)
  if (identical(na.action, stats::na.exclude) && !is.null(object$na.action)) {
    na <- object$na.action
    class(na) <- "exclude"
    sims <- lapply(sims, function(v) stats::napredict(na, v))
    rn <- NULL
  }
  out <- sim_frame(sims, rn)
  attr(out, "seed") <- rng
  out
}

## The simulations as lme4 returns them: a data frame with one column per
## simulation, sim_1, sim_2, ...; a two-column binomial response stays one
## matrix column (as.data.frame would split it).
sim_frame <- function(sims, row.names) {
  n <- NROW(sims[[1]])
  out <- data.frame(seq_len(n))[, FALSE, drop = FALSE]
  for (i in seq_along(sims)) out[[paste0("sim_", i)]] <- sims[[i]]
  if (!is.null(row.names)) rownames(out) <- row.names
  out
}

## New random effects b = Lambda(theta) u, u ~ N(0, sigma^2 I), level by
## level.
simulate_b <- function(reterms, theta, sig) {
  unlist(lapply(reterms, function(t) {
    k <- length(t$cnms)
    L <- theta_template(theta[t$theta_idx], t)
    U <- matrix(stats::rnorm(t$nlevels * k, sd = sig), nrow = k)
    as.vector(L %*% U)
  }))
}

## The response given its mean: the family's random draw (an internal
## generic, see getME.R).
simulate_response <- function(object, mu, sig) UseMethod("simulate_response")

simulate_response.glmmgo_lmm <- function(object, mu, sig) {
  w <- if (is.null(object$weights)) 1 else object$weights
  mu + stats::rnorm(length(mu), sd = sig / sqrt(w))
}

## The model fitted again to a new response (same design, same REML
## setting and control; the start is the fit's theta, as lme4's refit).
refit.glmmgo_lmm <- function(object, newresp = NULL, control = NULL, ...) {
  if (is.null(newresp)) newresp <- object$y
  if (is.data.frame(newresp) || is.list(newresp)) {
    if (length(newresp) != 1L) stop("refit(newresp =): give one response (a vector or a one-column data frame)",
                                    call. = FALSE)
    na <- attr(newresp, "na.action")
    newresp <- newresp[[1]]
  }
  newresp <- as.numeric(newresp)
  if (length(newresp) != object$nobs && !is.null(object$na.action) &&
      length(newresp) == object$nobs + length(object$na.action))
    newresp <- newresp[-object$na.action]
  if (length(newresp) != object$nobs)
    stop(sprintf("refit(newresp =): %d values for %d observations", length(newresp), object$nobs), call. = FALSE)
  if (any(!is.finite(newresp))) stop("refit(newresp =): the new response has non-finite values", call. = FALSE)
  ctrl <- if (is.null(control)) object$control else as_glmmgo_control(control, "lmer")
  lmm_refit(object, newresp, object$REML, ctrl)
}

## Refit with another response and/or REML setting, on a new engine model
## (the fit's own handle keeps the fit's result).
lmm_refit <- function(object, y, REML, ctrl) {
  lf <- list(formula = object$formula, xformula = object$xformula, fixed.formula = object$fixed.formula,
             frame = object$frame, y = y, weights = object$weights, offset = object$offset, X = object$X,
             fixed.terms = object$fixed.terms, terms = object$terms, xlevels = object$xlevels, contrasts = object$contrasts,
             reterms = object$reterms, n = object$nobs, na.action = object$na.action)
  model <- lmm_model(lf, ctrl = NULL)
  t0 <- proc.time()[["elapsed"]]
  opt <- lmm_optimise(model, REML, object$theta, ctrl, 0L)
  fit <- lmm_fit_object(lf, model, opt$res, opt$optinfo, REML, object$call, ctrl, proc.time()[["elapsed"]] - t0)
  fit$call$REML <- REML
  lmm_report_convergence(opt$optinfo, opt$res, ctrl, model$lower)
  fit
}

refitML.glmmgo_lmm <- function(x, ...) {
  if (!x$REML) return(x)
  lmm_refit(x, x$y, FALSE, x$control)
}

## ---- confidence intervals --------------------------------------------------

## lme4's confint.merMod: profile (default), Wald (NA for the variance
## parameters) or parametric bootstrap, with lme4's names .sig01, ...,
## .sigma and the fixed effects (oldNames = FALSE gives sd_/cor_ names).
confint.glmmgo_merMod <- function(object, parm, level = 0.95, method = c("profile", "Wald", "boot"), zeta,
                                  nsim = 500, boot.type = c("perc", "basic", "norm"), FUN = NULL, quiet = FALSE,
                                  oldNames = TRUE, seed = NULL, ...) {
  method <- match.arg(method)
  boot.type <- match.arg(boot.type)
  if (!is.numeric(level) || length(level) != 1L || !(level > 0 && level < 1))
    stop("'level' must be one number between 0 and 1", call. = FALSE)
  vn <- profile_names(object, oldNames)
  if (!uses_scale(object)) vn <- vn[-length(vn)]
  an <- c(vn, names(object$beta))
  parm <- if (missing(parm)) seq_along(an) else profile_which(parm, length(vn), length(an), an)
  a <- (1 - level) / 2
  a <- c(a, 1 - a)
  if (!quiet && method != "Wald")
    message(sprintf("Computing %s confidence intervals ...", if (method == "profile") "profile" else "bootstrap"))
  switch(method,
    profile = {
      pp <- profile(object, which = parm, signames = oldNames, ...)
      if (missing(zeta)) confint(pp, level = level) else confint(pp, level = level, zeta = zeta)
    },
    Wald = {
      se <- sqrt(diag(object$vcov))
      ## lme4 gives NA for the variance parameters; for lmer() fits the
      ## engine's Wald standard errors of the sd/cor scale (delta method on
      ## the curvature of the deviance in theta and sigma) give intervals
      vc <- matrix(NA_real_, length(vn), 2L)
      if (inherits(object, "glmmgo_lmm")) {
        est <- theta_to_sdcor(object$theta, object$reterms, sigma(object))[seq_along(vn)]
        vse <- wald_sdcor_se(object)[seq_along(vn)]
        vc <- cbind(est + stats::qnorm(a[1]) * vse, est + stats::qnorm(a[2]) * vse)
      }
      ci <- rbind(vc, cbind(object$beta + stats::qnorm(a[1]) * se, object$beta + stats::qnorm(a[2]) * se))
      dimnames(ci) <- list(an, format_perc(a))
      ci[parm, , drop = FALSE]
    },
    boot = {
      bfun <- if (is.null(FUN)) function(x) stats::setNames(c(theta_to_sdcor(x$theta, x$reterms, sigma(x))[
        seq_along(vn)], x$beta), an) else FUN
      bb <- bootstrap_fits(object, bfun, nsim, seed)
      ci <- bootstrap_ci(bb, level, boot.type)
      if (is.null(FUN)) ci[parm, , drop = FALSE] else ci
    })
}

## Parametric bootstrap: nsim responses from simulate(), each refitted;
## FUN of each refit (NA rows for refits that failed, with a warning).
bootstrap_fits <- function(object, FUN, nsim, seed = NULL) {
  t0 <- FUN(object)
  sims <- simulate(object, nsim = nsim, seed = seed)
  fails <- character()
  tt <- t(vapply(seq_len(nsim), function(i) {
    r <- tryCatch(suppressWarnings(suppressMessages(FUN(refit(object, sims[[i]])))), error = function(e) e)
    if (inherits(r, "error")) { fails <<- c(fails, conditionMessage(r)); rep(NA_real_, length(t0)) } else r
  }, numeric(length(t0))))
  if (length(t0) == 1L) tt <- matrix(tt, ncol = 1L)
  colnames(tt) <- names(t0)
  if (length(fails))
    warning(sprintf("some bootstrap runs failed (%d/%d); their rows are NA. The first error: %s", length(fails), nsim,
                    fails[[1]]), call. = FALSE)
  list(t0 = t0, t = tt, R = nsim)
}

## Percentile, basic and normal bootstrap intervals.
bootstrap_ci <- function(bb, level, type) {
  a <- (1 - level) / 2
  a <- c(a, 1 - a)
  ci <- t(vapply(seq_along(bb$t0), function(j) {
    x <- bb$t[, j]
    x <- x[is.finite(x)]
    t0 <- bb$t0[[j]]
    switch(type,
      perc = stats::quantile(x, a, names = FALSE, type = 6),
      basic = 2 * t0 - rev(stats::quantile(x, a, names = FALSE, type = 6)),
      norm = (t0 - (mean(x) - t0)) + stats::qnorm(a) * stats::sd(x))
  }, numeric(2)))
  dimnames(ci) <- list(names(bb$t0), format_perc(a))
  ci
}
