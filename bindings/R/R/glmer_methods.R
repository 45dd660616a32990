## Methods of glmer() fits (class c("glmmgo_glmer", "glmmgo_merMod")) where
## a GLMM differs from an LMM: residuals and predictions on the link and
## response scales, the internal generics of the parent class (conditional
## variances, devcomp, devfun, simulated responses), refit() and confint().

## lme4's residuals of a glmer fit: deviance (the default), pearson,
## response (y - mu, proportions for the binomial) and working
## ((y - mu) / (dmu/deta)), all from the engine but the last.
residuals.glmmgo_glmer <- function(object, type = c("deviance", "pearson", "working", "response"), scaled = FALSE, ...) {
  type <- match.arg(type)
  r <- switch(type, deviance = object$resid$deviance, pearson = object$resid$pearson,
              response = object$resid$response,
              working = object$resid$response / object$family$mu.eta(object$eta))
  names(r) <- rownames(object$frame)
  stats::naresid(object$na.action, r)
}

## Predictions on the link scale (the linear predictor, lme4's default) or
## the response scale, with (re.form = NULL) or without (NA, ~0) the
## conditional modes, for the fitted data or newdata.
predict.glmmgo_glmer <- function(object, newdata = NULL, re.form = NULL, type = c("link", "response"),
                                 allow.new.levels = FALSE, na.action = stats::na.pass, ...) {
  type <- match.arg(type)
  if (is.null(newdata)) {
    eta <- if (re_none(re.form)) lmm_linpred(object, re_form = NA) else object$eta
    names(eta) <- rownames(object$frame)
    eta <- stats::napredict(object$na.action, eta)
  } else {
    eta <- predict.glmmgo_merMod(object, newdata = newdata, re.form = re.form, allow.new.levels = allow.new.levels,
                                 na.action = na.action)
  }
  if (type == "response") object$family$linkinv(eta) else eta
}

## The conditional covariances of the random effects at the mode, from the
## engine with the fit.
fit_condvar.glmmgo_glmer <- function(object) object$condvar

## lme4's devcomp of a GLMM: log|L|^2, the squared length of u, the
## penalised deviance, the sum of squared deviance residuals and -2 log L.
me_devcomp.glmmgo_glmer <- function(object) {
  n <- object$nobs; p <- length(object$beta)
  cmp <- c(ldL2 = object$logdet, ldRX2 = NA, wrss = NA, ussq = object$ussq, pwrss = object$pdev,
           drsum = sum(object$resid$deviance^2), REML = NA, dev = object$deviance, sigmaML = 1, sigmaREML = NA)
  dims <- c(N = n, n = n, p = p, nmp = n - p, q = length(object$b), nth = length(object$theta), useSc = 0L,
            reTrms = 1L, spFe = 0L, REML = 0L, GLMM = 1L, NLMM = 0L, nAGQ = object$nAGQ)
  list(cmp = cmp, dims = dims)
}

## -2 log L as a function of c(theta, beta) (or of theta for a fast fit).
fit_devfun.glmmgo_glmer <- function(object) glmer_devfun(glmer_engine(object), object$lower, object$nAGQ)

## The fit's model handle, rebuilt from the fit's data after a restore.
glmer_engine <- function(fit) {
  e <- fit$engine
  if (handle_valid(e$model)) return(e$model)
  lf <- list(resp = fit$resp, family = fit$family, offset = fit$offset, X = fit$X, reterms = fit$reterms)
  e$model <- glmer_model(lf, ctrl = NULL)$ptr
  e$model
}

## Simulated responses given the linear predictor eta, in the shape of the
## fitted response, as lme4 (its family's simulate()): a factor response
## gives the factor, cbind(successes, failures) a two-column matrix with its
## column names, 0/1 gives 0/1, proportions with weights proportions of the
## fit's trials; counts for Poisson and negative binomial.
simulate_response.glmmgo_glmer <- function(object, mu, sig) {
  m <- object$family$linkinv(mu)
  r <- object$resp
  n <- length(m)
  switch(object$family$family,
    binomial = simulate_binomial(r, m),
    poisson = stats::rpois(n, m),
    stats::rnbinom(n, size = object$family$size, mu = m))
}

simulate_binomial <- function(r, m) {
  n <- length(m)
  if (!is.null(r$levels)) return(factor(r$levels[1 + stats::rbinom(n, 1, m)], levels = r$levels))
  if (r$bernoulli) return(stats::rbinom(n, 1, m))
  y <- stats::rbinom(n, r$trials, m)
  if (!isTRUE(r$two.column)) return(y / r$trials)
  yy <- cbind(y, r$trials - y)
  colnames(yy) <- r$colnames
  yy
}

## refit(): the same model to a new response (a vector on the scale of
## getME(fit, "y"): 0/1, proportions of the fit's trials, counts; a factor;
## or a two-column matrix of successes and failures — what simulate()
## returns), from the fit's estimates.
refit.glmmgo_glmer <- function(object, newresp = NULL, control = NULL, ...) {
  r <- object$resp
  if (!is.null(newresp)) {
    if (is.data.frame(newresp)) newresp <- newresp[[1]]
    if (is.matrix(newresp) && ncol(newresp) == 2) {
      if (nrow(newresp) != object$nobs) stop(sprintf("refit(newresp =): %d rows for %d observations", nrow(newresp), object$nobs), call. = FALSE)
      r <- glmer_response(newresp, r$w, object$family, object$formula)
    } else if (is.factor(newresp)) {
      if (length(newresp) != object$nobs) stop(sprintf("refit(newresp =): %d values for %d observations", length(newresp), object$nobs), call. = FALSE)
      r <- glmer_response(newresp, r$w, object$family, object$formula)
    } else {
      y <- as.numeric(newresp)
      if (length(y) != object$nobs) stop(sprintf("refit(newresp =): %d values for %d observations", length(y), object$nobs), call. = FALSE)
      r <- if (!is.null(r$trials)) glmer_response(cbind(round(y * r$trials), r$trials - round(y * r$trials)), r$w, object$family, object$formula)
           else glmer_response(y, r$w, object$family, object$formula)
    }
  }
  ctrl <- if (is.null(control)) object$control else as_glmer_control(control)
  lf <- list(formula = object$formula, xformula = object$xformula, fixed.formula = object$fixed.formula,
             frame = object$frame, y = r$yobs, weights = r$w, offset = object$offset, X = object$X,
             fixed.terms = object$fixed.terms, terms = object$terms, xlevels = object$xlevels, contrasts = object$contrasts,
             reterms = object$reterms, n = object$nobs, na.action = object$na.action, resp = r, family = object$family)
  model <- glmer_model(lf, ctrl = NULL)
  res <- glmer_run(model, object$nAGQ, NULL, ctrl, 0L)
  fit <- glmer_fit_object(lf, model, res, object$nAGQ, object$call, ctrl)
  glmer_report_convergence(fit)
  fit
}

## Intervals as lme4's confint.merMod: profile (its default; profile_glmer.R),
## Wald for the fixed effects (NA for theta), the parametric bootstrap as
## for lmer fits.
confint.glmmgo_glmer <- function(object, parm, level = 0.95, method = c("profile", "Wald", "boot"), ...) {
  method <- match.arg(method)
  confint.glmmgo_merMod(object, parm, level = level, method = method, ...)
}
