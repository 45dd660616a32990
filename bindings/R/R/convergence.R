## Honest convergence for lmer(): after the optimiser stops, the gradient
## and Hessian of the criterion on the theta scale are checked; if the
## point is not a minimum the optimiser is restarted from it with a
## smaller trust radius, and a warning (lme4's wording, with the gradient)
## is given only when a check still fails after the restarts.
##
## The derivatives come from the engine (glmmgo_lmm_derivatives): the
## gradient is analytic, the Hessian differences of the analytic gradient
## with steps relative to each theta (lme4's fixed step of 1e-4 on the
## objective is what makes its checks raise false alarms on badly scaled
## models). They are computed by lmm_derivs() alone.

## Gradient and Hessian of the profiled criterion at theta. Components on
## their lower bound (within 1e-3 relative, floor 1e-6) get no Hessian row
## or column (at_bound), as lme4 leaves them out of its checks.
lmm_derivs <- function(ptr, theta, reml, lower) {
  d <- engine_lmm_derivatives(ptr, theta, reml, "profiled", hessian = TRUE)
  h <- 1e-3 * pmax(abs(theta), 1e-3)
  at_bound <- is.finite(lower) & theta - h < lower
  H <- d$hessian
  bound_curvature <- diag(H)[at_bound]
  H[at_bound, ] <- NA_real_
  H[, at_bound] <- NA_real_
  list(gradient = d$gradient, Hessian = H, at_bound = at_bound, bound_curvature = bound_curvature, value = d$value,
       method = "analytic gradient; Hessian by differences of it")
}

## The checks of lme4's checkConv on derivatives d at theta, without its
## false alarms: the gradient is judged after scaling by the Hessian (a
## large gradient along a sharply curved direction is no failure), large
## eigenvalues and eigenvalue ratios (badly scaled but converged models)
## are not failures, and components on the boundary only fail when the
## criterion still decreases into the interior. Returns the problems found
## (an empty list when the point is a minimum).
lmm_conv_problems <- function(d, theta, lower, ctrl) {
  out <- list()
  cg <- ctrl$checkConv$check.conv.grad
  ch <- ctrl$checkConv$check.conv.hess
  free <- which(!d$at_bound)
  bnd <- which(d$at_bound)
  if (anyNA(d$gradient)) return(list(list(kind = "grad", msg = "the gradient of the criterion contains NAs")))
  if (length(bnd) && ctrl$restart_edge) {
    into <- bnd[d$gradient[bnd] < -cg$tol]
    if (length(into))
      out[[length(out) + 1L]] <- list(kind = "grad", msg = sprintf(
        "Model failed to converge: at the boundary the criterion still decreases into the interior (gradient %s, component %s)",
        paste(format(d$gradient[into], digits = 4), collapse = ", "), paste(into, collapse = ", ")))
  }
  if (!length(free)) return(out)
  H <- d$Hessian[free, free, drop = FALSE]
  g <- d$gradient[free]
  ev <- if (all(is.finite(H))) eigen(H, symmetric = TRUE, only.values = TRUE)$values else NA
  if (anyNA(ev)) return(c(out, list(list(kind = "hess", msg = "Problem with Hessian check (infinite or missing values?)"))))
  neg <- sum(ev < -ch$tol * max(1, abs(ev)))
  if (neg) {
    out[[length(out) + 1L]] <- list(kind = "hess", msg = sprintf(
      "Model failed to converge: degenerate Hessian with %d negative eigenvalue%s", neg, if (neg > 1) "s" else ""))
  } else if (any(abs(ev) < ch$tol)) {
    out[[length(out) + 1L]] <- list(kind = "hess", singular = TRUE,
      msg = "Hessian is numerically singular: parameters are not uniquely determined")
  }
  ## chol() succeeds when H is positive definite with a condition number
  ## well below 1/eps; otherwise the gradient is judged unscaled (lme4 uses
  ## the unscaled gradient where chol() fails)
  R <- if (min(ev) > 1e-12 * max(abs(ev))) chol(H) else NULL
  scaled <- if (is.null(R)) rep(NA_real_, length(g)) else backsolve(R, g, transpose = TRUE)
  mingrad <- if (anyNA(scaled)) abs(g) else pmin(abs(scaled), abs(g))
  if (max(mingrad) > cg$tol) {
    w <- which.max(mingrad)
    out[[length(out) + 1L]] <- list(kind = "grad", msg = sprintf(
      "Model failed to converge with max|grad| = %g (tol = %g, component %d)", max(mingrad), cg$tol, free[w]))
  }
  out
}

## Runs the optimiser on the model's handle, checks the result and
## restarts from it with a trust radius ten times the last final radius
## (and a final radius rhoend_ratio times that, the engine's default ratio) while
## a check fails, at most ctrl$restarts times. Returns the engine's result
## (with its fit handle, res$fit) and optinfo (the runs, the derivatives,
## the problems left).
## The engine's default final trust radius as a share of the initial one
## (lmmfit.RhoendRatio): theta to about 1e-5, which the gradient check
## needs on large data (InstEval's Hessian is 17 000 in theta[2]; the
## former 1.5e-4 failed the check there and cost a restart of 25
## evaluations, where the tighter radius costs three).
rhoend_ratio <- 5e-5

lmm_optimise <- function(model, REML, start, ctrl, verbose) {
  ptr <- model$ptr
  k <- length(model$lower)
  opt_name <- ctrl$optimizer %||% "auto"
  run <- function(theta0, rhobeg, rhoend, maxeval) lmm_run(ptr, REML, theta0, rhobeg, rhoend, maxeval, verbose,
                                                           optimizer = opt_name)
  rb <- if (ctrl$rhobeg > 0) ctrl$rhobeg else 0.2
  re <- if (ctrl$rhoend > 0) ctrl$rhoend else rhoend_ratio * rb
  budget <- if (ctrl$maxeval > 0) ctrl$maxeval else 10000
  if (budget < 2 * k + 2)
    stop(sprintf("the evaluation limit (maxeval/maxfun = %d) is too small: the optimiser needs more than 2 * length(theta) + 1 = %d evaluations to start",
                 as.integer(budget), 2L * k + 1L), call. = FALSE)
  res <- run(start, rb, re, budget)
  runs <- list(list(start = start, rhobeg = rb, rhoend = re, maxeval = budget, evals = res$evals,
                    objective = res$objective, optimizer = opt_name))
  used <- res$evals
  d <- NULL; problems <- list()
  if (isTRUE(ctrl$calc.derivs)) {
    for (r in 0:ctrl$restarts) {
      d <- lmm_derivs(ptr, res$theta, REML, model$lower)
      problems <- lmm_conv_problems(d, res$theta, model$lower, ctrl)
      if (!length(problems) || r == ctrl$restarts || budget - used < 2 * k + 2) break
      rb2 <- 10 * re; re2 <- rhoend_ratio * rb2
      prev <- res
      res <- tryCatch(run(prev$theta, rb2, re2, budget - used), error = function(e) e)
      if (inherits(res, "error")) {
        ## a failed restart makes no fit: the previous one stands
        res <- prev
        break
      }
      free_handle(prev$fit)
      used <- used + res$evals
      runs[[length(runs) + 1L]] <- list(start = prev$theta, rhobeg = rb2, rhoend = re2, maxeval = budget - used + res$evals,
                                        evals = res$evals, objective = res$objective, optimizer = opt_name)
      re <- re2
    }
  }
  res$evals <- used
  res$converged <- isTRUE(res$converged)
  used_opt <- if (identical(res$optimizer, "bfgs")) "BFGS with the analytic gradient (glmmgo engine)" else "BOBYQA (glmmgo engine)"
  list(res = res, optinfo = list(optimizer = used_opt, optimizer_code = opt_name, runs = runs, restarts = length(runs) - 1L,
                                 evals = used, derivs = d, problems = problems,
                                 messages = vapply(problems, `[[`, "", "msg")))
}

## One optimiser run on a model handle: the engine's results and, in
## res$fit, the fit's handle.
lmm_run <- function(ptr, REML, theta0, rhobeg, rhoend, maxeval, verbose, what = "lmer", optimizer = "auto") {
  fit <- engine_lmm_fit(ptr, REML, theta0, rhobeg, rhoend, maxeval, verbose, optimizer = optimizer)
  if (is.null(fit)) signal_interrupt(what)
  res <- engine_lmm_result(fit)
  res$fit <- fit
  res
}

## The fit of a model handle again: each run starts where the previous
## stopped, so the last run (the engine is deterministic) reproduces it.
replay_runs <- function(ptr, REML, runs, verbose) {
  r <- runs[[length(runs)]]
  lmm_run(ptr, REML, r$start, r$rhobeg, r$rhoend, r$maxeval, 0L, optimizer = r$optimizer %||% "auto")
}

## Why a boundary fit is a minimum there, from the derivatives at the
## bound: the criterion's derivative into the interior (analytic; 0 for a
## scalar term, whose criterion is even in its theta) and its curvature.
boundary_explanation <- function(d) {
  if (is.null(d) || !any(d$at_bound)) return("")
  i <- which(d$at_bound)
  g <- d$gradient[i]
  h <- d$bound_curvature
  how <- ifelse(g > 0, "increases into the interior",
                ifelse(g == 0 & !is.na(h) & h > 0, "is flat there and curves up into the interior", "decreases into the interior"))
  paste0("\n  ", sprintf("theta[%d] = 0: derivative of the criterion %s, curvature %s: it %s",
                         i, format(g, digits = 4), format(h, digits = 4), how), collapse = "")
}

## Report what is left after the restarts, as lme4 does (its checks and
## actions), and the boundary message.
lmm_report_convergence <- function(optinfo, res, ctrl, lower) {
  if (!isTRUE(res$converged))
    warning(sprintf("the optimiser stopped after %d evaluations without converging: increase maxeval (glmmgoControl) or maxfun (lmerControl optCtrl)",
                    as.integer(optinfo$evals)), call. = FALSE)
  cs <- ctrl$checkConv$check.conv.singular
  singular <- any(res$theta[lower == 0] < cs$tol)
  d <- optinfo$derivs
  if (singular && !isTRUE(getOption("glmmgo.quiet.singular")))
    act(cs$action, paste0("boundary (singular) fit: see help('isSingular')", boundary_explanation(d)))
  for (p in optinfo$problems) {
    a <- if (p$kind == "grad") ctrl$checkConv$check.conv.grad$action else ctrl$checkConv$check.conv.hess$action
    ## on a boundary fit lme4 skips the derivative checks; here only the
    ## interior components are checked, and a flat interior there is expected
    if (singular && isTRUE(p$singular)) next
    act(a, sprintf("%s\n  after %d restart%s of the optimiser; gradient of the criterion on the theta scale: %s",
                   p$msg, optinfo$restarts, if (optinfo$restarts == 1) "" else "s",
                   paste(format(d$gradient, digits = 4), collapse = ", ")))
  }
  invisible(singular)
}
