## The "glmmgo_mixlogit" fit and its methods. Everything a user reads is kept
## in the R object, so a fit survives saveRDS/readRDS and PSOCK workers; the
## engine's fit handle (`engine`) is used only for confint while it lives.

## The fit object from the engine's results (engine_mixlogit_result).
mixlogit_result <- function(res, fit, call, method, opts, subjects) {
  nm <- mixlogit_par_names
  named_mat <- function(M) { dimnames(M) <- list(nm, nm); M }
  named <- function(v) stats::setNames(v, nm)
  mc <- method == "mcem"
  post <- res$posterior
  dimnames(post) <- list(subjects, c("class1", "class2"))
  if (ncol(res$trace) != length(mixlogit_trace_names))
    stop(sprintf("glmmgo: internal: the engine's trace has %d columns, this package knows %d", ncol(res$trace),
                 length(mixlogit_trace_names)), call. = FALSE)
  trace <- as.data.frame(res$trace)
  names(trace) <- mixlogit_trace_names
  out <- list(coefficients = named(res$estimate), se = named(res$se), vcov = named_mat(res$vcov),
              info.posdef = res$info.posdef, loglik = res$loglik, gradient = named(res$gradient),
              posterior = post, converged = res$converged, iterations = res$iterations, method = method,
              start = named(res$start), mcse = if (mc) named(res$mcse), mcvcov = if (mc) named_mat(res$mcvcov),
              loglik.mc = if (mc) res$loglik.mc, loglik.mcse = if (mc) res$loglik.mcse,
              sample.size = if (mc) res$sample.size, total.draws = if (mc) res$total.draws,
              newton.steps = if (mc) res$newton.steps, final.rounds = if (mc) res$final.rounds,
              score.test = if (mc) res$score.test, ess = if (mc) stats::setNames(res$ess, c("mean", "min")),
              trace = trace,
              timing = stats::setNames(res$seconds, c("start", "fit", "estep", "mstep", "inference", "total")),
              n = res$n, T = res$T, seed = if (mc) opts$seed, workers = opts$workers, call = call,
              time = res$elapsed, engine = fit)
  if (!res$info.posdef)
    warning("the observed information is not positive definite at the estimate: no standard errors (the likelihood is flat in some direction; try method = \"quadrature\" or another start)",
            call. = FALSE)
  if (!res$converged)
    warning(sprintf("%s did not meet its stopping rule in %d iterations (increase control = mixlogitControl(max_iter = ...))",
                    if (mc) "MCEM" else "the trust-region maximisation", as.integer(res$iterations)), call. = FALSE)
  structure(out, class = "glmmgo_mixlogit")
}

coef.glmmgo_mixlogit <- function(object, ...) object$coefficients

vcov.glmmgo_mixlogit <- function(object, ...) {
  if (!object$info.posdef)
    warning("the observed information is not positive definite: the covariance is NA", call. = FALSE)
  object$vcov
}

## The exact log-likelihood at the estimate (whichever method found it),
## with its 5 parameters; nobs is the number of subjects, the independent
## units of the likelihood.
logLik.glmmgo_mixlogit <- function(object, ...) {
  structure(object$loglik, df = 5L, nobs = object$n, class = "logLik")
}

nobs.glmmgo_mixlogit <- function(object, ...) object$n

## Wald intervals est -/+ qnorm((1 + level)/2) se, from the engine while its
## fit lives (else the same formula here).
confint.glmmgo_mixlogit <- function(object, parm, level = 0.95, ...) {
  if (!is.numeric(level) || length(level) != 1L || !(level > 0 && level < 1))
    stop("'level' must be one number between 0 and 1", call. = FALSE)
  est <- object$coefficients
  ci <- if (handle_valid(object$engine)) {
    engine_mixlogit_confint(object$engine, level)
  } else {
    h <- stats::qnorm((1 + level) / 2) * object$se
    cbind(est - h, est + h)
  }
  if (missing(parm)) parm <- seq_along(est)
  if (is.character(parm)) {
    bad <- setdiff(parm, names(est))
    if (length(bad)) stop(sprintf("unknown parameter%s: %s (the parameters are %s)", if (length(bad) > 1) "s" else "",
                                  paste(bad, collapse = ", "), paste(names(est), collapse = ", ")), call. = FALSE)
    parm <- match(parm, names(est))
  }
  a <- (1 - level) / 2
  out <- ci[parm, , drop = FALSE]
  dimnames(out) <- list(names(est)[parm], paste(format(100 * c(a, 1 - a), trim = TRUE, digits = 3), "%"))
  out
}

## The posterior class probabilities P(class c | y_i) at the estimate, exact:
## an n x 2 matrix (rows: subjects; columns class1, class2).
posterior <- function(object, ...) UseMethod("posterior")

posterior.glmmgo_mixlogit <- function(object, ...) object$posterior

## The fitted values of a latent-class model: each subject's posterior class
## probabilities (as posterior()).
fitted.glmmgo_mixlogit <- function(object, ...) object$posterior

## Monte Carlo standard errors and covariance of the MCEM estimate (NA for
## the quadrature fit, which has no Monte Carlo error).
mcse.glmmgo_mixlogit <- function(object, ...) {
  if (is.null(object$mcse)) return(stats::setNames(rep(NA_real_, 5), mixlogit_par_names))
  object$mcse
}

mcvcov.glmmgo_mixlogit <- function(object, ...) {
  if (is.null(object$mcvcov)) return(matrix(NA_real_, 5, 5, dimnames = list(mixlogit_par_names, mixlogit_par_names)))
  object$mcvcov
}

print.glmmgo_mixlogit <- function(x, digits = max(3, getOption("digits") - 3), ...) {
  cat("Two-class mixture of logistic random-intercept models, fitted by ",
      if (x$method == "mcem") "Monte Carlo EM" else "maximum likelihood (exact quadrature)", "\n", sep = "")
  cat("Call: ", paste(deparse(x$call), collapse = "\n"), "\n\n", sep = "")
  print.default(format(x$coefficients, digits = digits), print.gap = 2, quote = FALSE)
  cat(sprintf("\nlog-likelihood %s (exact), %d subjects on %d occasions; class 1 has the smaller slope\n",
              format(x$loglik, digits = digits + 3), as.integer(x$n), as.integer(x$T)))
  if (!x$converged) cat("WARNING: the fit did not meet its stopping rule\n")
  invisible(x)
}

## Estimates, standard errors, z values (estimate / SE: a test of 0, which
## means something for the slopes) and, for MCEM, Monte Carlo standard errors.
summary.glmmgo_mixlogit <- function(object, ...) {
  est <- object$coefficients
  tab <- cbind(Estimate = est, `Std. Error` = object$se, `z value` = est / object$se)
  if (object$method == "mcem") tab <- cbind(tab, MCSE = object$mcse)
  ll <- logLik(object)
  structure(list(call = object$call, method = object$method, coefficients = tab, logLik = ll,
                 AIC = stats::AIC(ll), BIC = stats::BIC(ll), n = object$n, T = object$T,
                 converged = object$converged, iterations = object$iterations,
                 class.sizes = colSums(object$posterior), info.posdef = object$info.posdef,
                 mc = if (object$method == "mcem") object[c("loglik.mc", "loglik.mcse", "sample.size", "total.draws", "ess")]),
            class = "summary.glmmgo_mixlogit")
}

print.summary.glmmgo_mixlogit <- function(x, digits = max(3, getOption("digits") - 3), ...) {
  cat("Two-class mixture of logistic random-intercept models\n")
  cat(sprintf("Method: %s\n", if (x$method == "mcem") "Monte Carlo EM (ascent-based; Louis' standard errors)"
                              else "maximum likelihood on the exact log-likelihood (quadrature)"))
  cat("Call: ", paste(deparse(x$call), collapse = "\n"), "\n\n", sep = "")
  cat("P(y[i, j] = 1 | class c, z) = plogis(beta_c x[i, j] + z),  z ~ N(0, sigma_c^2),  P(class 1) = pi1\n")
  cat("Class 1 is the class with the smaller slope.\n\n")
  tab <- x$coefficients
  shown <- cbind(Estimate = format(tab[, 1], digits = digits), `Std. Error` = format(tab[, 2], digits = digits),
                 `z value` = format(round(tab[, 3], 2), nsmall = 2))
  if (ncol(tab) > 3) shown <- cbind(shown, MCSE = format(tab[, 4], digits = 2))
  print(shown, quote = FALSE, right = TRUE)
  cat(sprintf("\nlog-likelihood %s (exact; df 5), AIC %s, BIC %s\n", format(as.numeric(x$logLik), digits = digits + 3),
              format(x$AIC, digits = digits + 3), format(x$BIC, digits = digits + 3)))
  cat(sprintf("%d subjects on %d occasions; posterior class sizes %s\n", as.integer(x$n), as.integer(x$T),
              paste(format(x$class.sizes, digits = digits), collapse = " and ")))
  cat(sprintf("%s after %d iterations\n", if (x$converged) "Converged" else "NOT converged", as.integer(x$iterations)))
  if (!is.null(x$mc))
    cat(sprintf("Monte Carlo: log-likelihood estimate %s (MCSE %s) from %d draws per subject; %s draws in all; ESS/draws mean %.2f, min %.2f\n",
                format(x$mc$loglik.mc, digits = digits + 3), format(x$mc$loglik.mcse, digits = 2),
                as.integer(x$mc$sample.size), format(x$mc$total.draws, big.mark = ","), x$mc$ess[["mean"]],
                x$mc$ess[["min"]]))
  if (!x$info.posdef) cat("WARNING: the observed information is not positive definite: no standard errors\n")
  invisible(x)
}
