## Likelihood profiles and profile confidence intervals of a GLMM fitted by
## glmer(), as lme4's profile.merMod and confint.thpr define them (Bates et
## al. 2015, J. Stat. Softw. 67(1), section 5.1; for a GLMM lme4 profiles
## the deviance of the fit's nAGQ in (theta, beta)): each parameter — the
## standard deviations and correlations of the random effects (.sig01, ...;
## a GLMM has no .sigma), then the fixed effects — is fixed on a grid and
## -2 log L is minimised over the others; zeta = sign(value - estimate) *
## sqrt(deviance - minimum) is interpolated by a spline and inverted at the
## normal quantiles (profile.R's walk, splines and confint, shared with
## lmer fits). The deviance is the engine's (glmmgo_laplace_objective) at
## the fit's nAGQ.

profile.glmmgo_glmer <- function(fitted, which = NULL, alphamax = 0.01, maxpts = 100, delta = NULL,
                                 delta.cutoff = 1/8, verbose = 0, devtol = 1e-9, maxmult = 10, signames = TRUE, ...) {
  fit <- fitted
  if (fit$nAGQ == 0L)
    stop("profile: a fit with nAGQ = 0 has no deviance in (theta, beta) to profile; refit with nAGQ = 1 (as lme4)",
         call. = FALSE)
  nth <- length(fit$theta)
  p <- length(fit$beta)
  pnames <- c(profile_names(fit, signames)[seq_len(nth)], names(fit$beta))
  sd0 <- theta_to_sdcor(fit$theta, fit$reterms, 1)[seq_len(nth)]
  opt <- stats::setNames(c(sd0, fit$beta), pnames)
  which <- profile_which(which, nth, length(opt), pnames)
  base <- fit$deviance
  cutoff <- sqrt(stats::qchisq(1 - alphamax, length(opt)))
  if (is.null(delta)) delta <- cutoff * delta.cutoff
  is_sd <- unlist(lapply(fit$reterms, function(t) t$theta_rc[, 1] == t$theta_rc[, 2]))
  lower <- c(ifelse(is_sd, 0, -1), rep(-Inf, p))
  upper <- c(ifelse(is_sd, Inf, 1), rep(Inf, p))
  ## the optimiser works on parameters scaled to their size: standard
  ## deviations to their estimate, fixed effects to their standard errors
  se <- fit$beta.se
  typical <- c(ifelse(is_sd, pmax(abs(sd0), 1e-2), 1), ifelse(is.finite(se) & se > 0, se, 1))
  D <- glmer_profile_deviance(fit, nth)
  chk <- D(opt)
  if (!is.finite(chk) || abs(chk - base) > 1e-6 * max(1, abs(base)))
    stop(sprintf("profile: the deviance at the estimate (%.8f) does not reproduce the fit's (%.8f)", chk, base),
         call. = FALSE)
  res <- list()
  for (w in which) {
    zeta_fun <- function(xx, start) {
      fn <- function(x) D(insert_par(x, w, xx))
      o <- stats::nlminb(start, fn, lower = lower[-w], upper = upper[-w], scale = 1 / typical[-w],
                         control = list(rel.tol = 1e-10, eval.max = 2000, iter.max = 1000))
      dd <- o$objective - base
      if (dd < -devtol)
        stop(sprintf("profiling detected a lower deviance (%.8g below the fit's): the fit had not converged", -dd),
             call. = FALSE)
      c(sign(xx - opt[w]) * sqrt(max(0, dd)), insert_par(o$par, w, xx))
    }
    step0 <- if (w > nth) se[w - nth] else NULL
    res[[pnames[w]]] <- profile_one(w, opt, zeta_fun, lower[w], upper[w], delta, cutoff, maxpts, maxmult,
                                    function(row) row[1 + seq_along(opt)][-w], verbose, step0 = step0)
  }
  glmmgo_profile_object(res, lower, upper, pnames)
}

## -2 log L at the fit's nAGQ as a function of (standard deviations and
## correlations, beta); Inf where PIRLS cannot evaluate it, so that the
## optimiser steps back.
glmer_profile_deviance <- function(fit, nth) {
  ptr <- glmer_engine(fit)
  nagq <- max(1L, fit$nAGQ)
  function(par) {
    th <- sdcor_to_theta(par[seq_len(nth)], fit$reterms, 1)
    tryCatch(engine_laplace_objective(ptr, c(th, par[-seq_len(nth)]), nagq = nagq, fast = FALSE),
             error = function(e) Inf)
  }
}
