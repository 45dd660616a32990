## Derivatives of an lmer fit's criterion with respect to theta, from the
## engine (glmmgo_lmm_derivatives): the gradient is analytic, the Hessian
## Richardson-extrapolated differences of the analytic gradient.
##
## sigma = "profiled": beta and sigma profiled out, lme4's devfun (the
## criterion the optimiser minimises); sigma = "fixed": sigma held at its
## estimate given theta, the function whose Hessian MixedModels.jl's
## ForwardDiff.hessian(model) reports. The gradients coincide.

lmm_derivative_args <- function(fit, theta, sigma) {
  if (!inherits(fit, "glmmgo_merMod"))
    stop("fit: not an lmer fit of glmmgo (class glmmgo_merMod)", call. = FALSE)
  if (is.null(theta)) theta <- fit$theta
  if (!is.numeric(theta) || length(theta) != length(fit$theta) || anyNA(theta))
    stop(sprintf("theta: a numeric vector of length %d without NAs (the fit's theta, lme4's order), or NULL for the fitted one",
                 length(fit$theta)), call. = FALSE)
  list(ptr = lmm_engine(fit), theta = unname(as.numeric(theta)), sigma = sigma)
}

lmm_gradient <- function(fit, theta = NULL, sigma = c("profiled", "fixed")) {
  sigma <- match.arg(sigma)
  a <- lmm_derivative_args(fit, theta, sigma)
  engine_lmm_derivatives(a$ptr, a$theta, fit$REML, sigma, hessian = FALSE)$gradient
}

lmm_hessian <- function(fit, theta = NULL, sigma = c("profiled", "fixed")) {
  sigma <- match.arg(sigma)
  a <- lmm_derivative_args(fit, theta, sigma)
  engine_lmm_derivatives(a$ptr, a$theta, fit$REML, sigma, hessian = TRUE)$hessian
}
