## Derivatives of an lmer fit's criterion with respect to theta, from the
## engine (glmmgo_lmm_derivatives): the gradient is analytic, the Hessian
## central differences of the analytic gradient.
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

## The engine's fit results computed with its Wald standard errors (the
## derivatives at theta-hat: one Hessian, 2 * length(theta) gradients, on
## the first request).
lmm_wald_result <- function(fit, name) {
  if (!inherits(fit, "glmmgo_lmm"))
    stop("fit: not an lmer fit of glmmgo", call. = FALSE)
  engine_result(lmm_engine_fitted(fit), name)
}

## Wald standard errors of the sd/cor parameters in lme4's order (per term
## the lower triangle of the sd/cor matrix column by column), then sigma,
## from the engine's (per term: sds, then correlations; then sigma).
wald_sdcor_se <- function(fit) {
  se <- lmm_wald_result(fit, "GLMMGO_LMM_VARCORR_SE")
  off <- 0
  out <- unlist(lapply(fit$reterms, function(t) {
    k <- length(t$cnms)
    S <- matrix(0, k, k)
    diag(S) <- se[off + seq_len(k)]
    if (k > 1) S[lower.tri(S)] <- se[off + k + seq_len(k * (k - 1) / 2)]
    off <<- off + k * (k + 1) / 2
    S[t$theta_rc]
  }))
  c(out, se[length(se)])
}

vcov_theta <- function(fit) {
  k <- length(fit$theta)
  V <- matrix(lmm_wald_result(fit, "GLMMGO_LMM_THETA_VCOV"), k, k)
  nm <- names(getME(fit, "theta"))
  if (!is.null(nm)) dimnames(V) <- list(nm, nm)
  V
}
