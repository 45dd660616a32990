## print() and summary() of glmmgo_merMod fits in lme4's layout.

fit_title <- function(x) {
  if (inherits(x, "glmmgo_lmm")) {
    sprintf("Linear mixed model fit by %s", if (x$REML) "REML" else "maximum likelihood ")
  } else {
    sprintf("Generalized linear mixed model fit by maximum likelihood (%s)",
            if (isTRUE(x$nAGQ > 1)) sprintf("Adaptive Gauss-Hermite Quadrature, nAGQ = %d", x$nAGQ)
            else if (identical(x$nAGQ, 0L)) "Laplace Approximation, fast fit: nAGQ = 0" else "Laplace Approximation")
  }
}

## The scale of a GLMM's deviance, said where it is printed.
print_deviance_scale <- function(x) {
  if (!is.null(x$deviance.mm))
    cat(sprintf("  (deviance = -2 log L with every constant; MixedModels.jl's deviance, fit$deviance.mm: %s)\n",
                format(round(x$deviance.mm, 4))))
}

lmm_header <- function(x) {
  cat(sprintf("%s ['%s']\n", fit_title(x), class(x)[1]))
  if (!inherits(x, "glmmgo_lmm"))
    cat(sprintf(" Family: %s  ( %s )\n", x$family$family, x$family$link))
  cat("Formula:", deparse1_(x$formula), "\n")
  if (!is.null(x$call$data)) cat("   Data:", deparse1_(x$call$data), "\n")
  if (!is.null(x$call$weights)) cat("Weights:", deparse1_(x$call$weights), "\n")
  if (!is.null(x$call$offset)) cat(" Offset:", deparse1_(x$call$offset), "\n")
  if (!is.null(x$call$subset)) cat(" Subset:", deparse1_(x$call$subset), "\n")
}

print_aictab <- function(tab, decimals) {
  out <- c(format(round(tab[1:4], decimals), nsmall = decimals), format(tab[5]))
  names(out) <- names(tab)
  print(out, quote = FALSE, right = TRUE)
}

print_ngroups <- function(x) {
  ng <- ngrps.glmmgo_merMod(x)
  cat(sprintf("Number of obs: %d, groups:  %s\n", x$nobs,
              paste(sprintf("%s, %d", names(ng), ng), collapse = "; ")))
}

aic_table <- function(object) {
  c(AIC = stats::AIC(object), BIC = stats::BIC(object), logLik = -object$deviance / 2, deviance = object$deviance,
    df.resid = stats::df.residual(object))
}

print_fit_messages <- function(x) {
  if (x$singular) cat("boundary (singular) fit: see help('isSingular')\n")
  for (m in x$optinfo$messages) cat("optimizer convergence check: ", m, "\n", sep = "")
}

print.glmmgo_merMod <- function(x, digits = max(3, getOption("digits") - 3), ...) {
  lmm_header(x)
  if (x$REML) {
    cat(sprintf("REML criterion at convergence: %s\n", format(round(x$REMLcrit, 4))))
  } else {
    print_aictab(aic_table(x), 4)
    print_deviance_scale(x)
  }
  cat("Random effects:\n")
  print_varcorr_table(format_varcorr(VarCorr(x), comp = "Std.Dev.", digits = digits))
  print_ngroups(x)
  cat("Fixed Effects:\n")
  print(format(x$beta, digits = digits), quote = FALSE, print.gap = 2L)
  print_fit_messages(x)
  invisible(x)
}

## lme4's summary.merMod components (methTitle, logLik, ngrps,
## coefficients, sigma, vcov, varcor, AICtab, call, residuals, fitMsgs,
## optinfo, ...), plus the fit itself.
summary.glmmgo_merMod <- function(object, correlation = NULL, ...) {
  se <- object$beta.se
  coefs <- cbind(Estimate = object$beta, `Std. Error` = se, `t value` = object$beta / se)
  if (!uses_scale(object)) {
    colnames(coefs)[3] <- "z value"
    coefs <- cbind(coefs, `Pr(>|z|)` = 2 * stats::pnorm(-abs(coefs[, 3])))
  }
  structure(list(fit = object, methTitle = fit_title(object), objClass = class(object)[1],
                 devcomp = me_devcomp(object), isLmer = inherits(object, "glmmgo_lmm"), useScale = uses_scale(object),
                 logLik = stats::logLik(object), family = if (!uses_scale(object)) object$family$family,
                 link = if (!uses_scale(object)) object$family$link, ngrps = ngrps.glmmgo_merMod(object),
                 coefficients = coefs, sigma = sigma(object), vcov = object$vcov, varcor = VarCorr(object),
                 AICtab = if (object$REML) c(REML = object$REMLcrit) else aic_table(object), call = object$call,
                 residuals = residuals(object, type = "pearson", scaled = TRUE),
                 fitMsgs = object$optinfo$messages, optinfo = object$optinfo, correlation = correlation),
            class = "summary.glmmgo_merMod")
}

vcov.summary.glmmgo_merMod <- function(object, ...) object$vcov

print.summary.glmmgo_merMod <- function(x, digits = max(3, getOption("digits") - 3),
                                        correlation = NULL, signif.stars = FALSE, ...) {
  fit <- x$fit
  lmm_header(fit)
  cat("\n")
  if (fit$REML) {
    cat(sprintf("REML criterion at convergence: %s\n\n", format(round(fit$REMLcrit, 1), nsmall = 1)))
  } else {
    print_aictab(x$AICtab, 1)
    print_deviance_scale(fit)
    cat("\n")
  }
  cat("Scaled residuals: \n")
  q <- zapsmall(stats::quantile(x$residuals, na.rm = TRUE), digits + 1L)
  names(q) <- c("Min", "1Q", "Median", "3Q", "Max")
  print(q, digits = digits)
  cat("\nRandom effects:\n")
  print_varcorr_table(format_varcorr(x$varcor, comp = c("Variance", "Std.Dev."), digits = digits))
  print_ngroups(fit)
  cat("\nFixed effects:\n")
  stats::printCoefmat(x$coefficients, digits = digits, signif.stars = signif.stars)
  p <- nrow(x$coefficients)
  if (is.null(correlation)) correlation <- x$correlation
  if (is.null(correlation)) correlation <- p <= 12
  if (correlation && p > 1) {
    cr <- stats::cov2cor(x$vcov)
    rn <- abbreviate(rownames(cr), minlength = 6)
    out <- format(round(cr, 3), nsmall = 3)
    out[upper.tri(out, diag = TRUE)] <- ""
    out <- out[-1, -p, drop = FALSE]
    dimnames(out) <- list(rownames(cr)[-1], rn[-p])
    cat("\nCorrelation of Fixed Effects:\n")
    print(out, quote = FALSE, right = TRUE)
  }
  print_fit_messages(fit)
  invisible(x)
}
