## glmer(): generalised linear mixed models with lme4's formula syntax and
## arguments, fitted by the engine's Laplace approximation (nAGQ = 1),
## adaptive Gauss-Hermite quadrature (nAGQ > 1, one scalar random-effects
## term) or the fast fit (nAGQ = 0: theta optimised, beta in PIRLS), in
## lme4's steps (Bates, Maechler, Bolker and Walker 2015, J. Stat. Softw.
## 67(1)): the formula module (lmm_lformula, shared with lmer), the
## response as the family reads it (glmer_response), the engine's model,
## the fit and the result (glmer_fit_object). Every number comes from
## libglmmgo.
##
## One scale: deviance(), logLik(), AIC(), BIC() and anova() are on -2 log L
## with every constant of the density (binomial coefficients, log y!), for
## Laplace and quadrature alike. MixedModels.jl's "deviance" (the sum of
## squared deviance residuals plus the penalty, what lme4 prints as the
## deviance of nAGQ > 1 fits) is fit$deviance.mm, named as such.

glmer <- function(formula, data = NULL, family = stats::binomial, control = glmerControl(), start = NULL,
                  verbose = 0L, nAGQ = 1L, subset, weights, na.action, offset, contrasts = NULL, mustart, etastart,
                  devFunOnly = FALSE) {
  mc <- match.call()
  if (inherits(formula, "formula")) mc$formula <- formula
  fam <- glmer_family(family)
  if (identical(fam$family, "gaussian") && identical(fam$link, "identity")) {
    message("glmer() with the gaussian family and identity link is a linear mixed model: calling lmer() (REML = FALSE)")
    mc[[1]] <- quote(glmmgo::lmer)
    mc$family <- NULL; mc$nAGQ <- NULL; mc$REML <- FALSE
    mc$control <- NULL
    return(eval(mc, parent.frame()))
  }
  nAGQ <- glmer_nagq(nAGQ)
  if (!missing(mustart) || !missing(etastart)) message("glmer(): 'mustart' and 'etastart' are ignored (the engine chooses its start; see glmerControl(theta_start))")
  ctrl <- as_glmer_control(control)
  mf <- mc[c(1L, match(c("data", "subset", "weights", "na.action", "offset"), names(mc), 0L))]
  lf <- lmm_lformula(formula, data, mf, parent.frame(), contrasts, ctrl, raw_response = TRUE, allow_n = TRUE)
  lf$resp <- glmer_response(lf$y, lf$weights, fam, formula)
  lf$family <- fam
  model <- glmer_model(lf, ctrl)
  if (nAGQ > 1 && !glmer_can_agq(model))
    stop(sprintf("nAGQ = %d: adaptive Gauss-Hermite quadrature needs a single scalar random-effects term, such as (1 | group); use nAGQ = 1 (Laplace) or 0", nAGQ),
         call. = FALSE)
  if (isTRUE(devFunOnly)) return(glmer_devfun(model$ptr, model$lower, nAGQ))
  res <- glmer_run(model, nAGQ, glmer_start(start, model, nAGQ), ctrl, verbose)
  fit <- glmer_fit_object(lf, model, res, nAGQ, mc, ctrl)
  glmer_report_convergence(fit)
  fit
}

## ---- family and response ------------------------------------------------------

## The family as an object (a name, a function or a family), checked
## against what the engine has: binomial (logit, probit, cloglog), poisson
## (log), negative binomial with a known size (MASS::negative.binomial(theta),
## log link); gaussian/identity goes to lmer().
glmer_family <- function(family) {
  if (is.character(family)) family <- get(family, mode = "function", envir = parent.frame(2))
  if (is.function(family)) family <- family()
  if (!inherits(family, "family")) stop("'family' must be a family such as binomial, poisson or binomial(link = \"probit\")", call. = FALSE)
  links <- list(binomial = c("logit", "probit", "cloglog"), poisson = "log")
  f <- family$family
  if (grepl("^quasi", f))
    stop(sprintf("family '%s': quasi-likelihood families have no likelihood to approximate (lme4 refuses them too); use binomial or poisson, with an observation-level random effect for overdispersion", f),
         call. = FALSE)
  if (grepl("^Negative Binomial", f)) {
    size <- get0(".Theta", envir = environment(family$variance), inherits = FALSE)
    if (!is.numeric(size) || length(size) != 1L || !is.finite(size) || size <= 0)
      stop("family: a negative binomial family needs a known size theta > 0, as MASS::negative.binomial(theta = 2) gives", call. = FALSE)
    if (family$link != "log") stop(sprintf("family negative binomial: link '%s' is not available; the engine has the log link", family$link), call. = FALSE)
    family$size <- size
    return(family)
  }
  if (f == "gaussian") {
    if (family$link == "identity") return(family)
    stop(sprintf("family gaussian with link '%s' is not available: the engine fits GLMMs of the binomial, poisson and negative binomial families", family$link), call. = FALSE)
  }
  if (is.null(links[[f]]))
    stop(sprintf("family '%s' is not available: the engine fits binomial (logit, probit, cloglog), poisson (log) and negative binomial (MASS::negative.binomial(theta), log) GLMMs", f),
         call. = FALSE)
  if (!(family$link %in% links[[f]]))
    stop(sprintf("family %s: link '%s' is not available; use one of %s", f, family$link, paste(sQuote(links[[f]]), collapse = ", ")),
         call. = FALSE)
  family
}

glmer_nagq <- function(nAGQ) {
  if (!is.numeric(nAGQ) || length(nAGQ) != 1L || !is.finite(nAGQ) || nAGQ != round(nAGQ) || nAGQ < 0 || nAGQ > 25)
    stop("'nAGQ' must be a whole number from 0 (the fast fit) through 1 (Laplace) to 25 (adaptive Gauss-Hermite quadrature)", call. = FALSE)
  as.integer(nAGQ)
}

## The response as the engine reads it, with glm's conventions for the
## binomial family: a factor (the first level is failure) or 0/1 values
## (Bernoulli); a two-column matrix cbind(successes, failures); or
## proportions with the numbers of trials as weights. Returns the engine's
## family code, y (0/1, successes or counts), trials, prior weights, the
## response as lme4's getME(, "y") reports it (proportions), and the prior
## weights as lme4's weights() reports them (trials times weights).
glmer_response <- function(y, w, fam, formula) {
  codes <- glmmgo_header$families
  nm <- deparse1_(formula[[2]])
  if (fam$family != "binomial") {
    if (is.factor(y) || is.logical(y) || !is.numeric(y) || (is.matrix(y) && ncol(y) > 1))
      stop(sprintf("the response '%s' must be counts (a numeric vector) for the %s family", nm, fam$family), call. = FALSE)
    y <- as_dbl(y)
    if (any(!is.finite(y)) || any(y < 0) || any(y != round(y))) {
      i <- which(!is.finite(y) | y < 0 | y != round(y))[1]
      stop(sprintf("the response '%s' must be non-negative whole numbers (counts) for the %s family: observation %d is %s",
                   nm, fam$family, i, format(y[i])), call. = FALSE)
    }
    code <- if (fam$family == "poisson") codes[["GLMMGO_POISSON"]] else codes[["GLMMGO_NEGBINOMIAL"]]
    return(list(code = code, y = y, trials = NULL, w = w, yobs = y, prior = w %||% rep(1, length(y)), bernoulli = FALSE))
  }
  if (is.matrix(y) && ncol(y) == 2) {
    s <- as_dbl(y[, 1]); f <- as_dbl(y[, 2])
    if (any(!is.finite(s) | !is.finite(f)) || any(s < 0 | f < 0) || any(s != round(s) | f != round(f))) {
      i <- which(!is.finite(s) | !is.finite(f) | s < 0 | f < 0 | s != round(s) | f != round(f))[1]
      stop(sprintf("the response cbind(successes, failures) '%s' must hold non-negative whole numbers: row %d is (%s, %s)",
                   nm, i, format(s[i]), format(f[i])), call. = FALSE)
    }
    nt <- s + f
    if (any(nt == 0))
      stop(sprintf("the response '%s' has zero trials (successes + failures = 0) in observation %d: remove those rows (they carry no information)",
                   nm, which(nt == 0)[1]), call. = FALSE)
    return(list(code = codes[["GLMMGO_BINOMIAL"]], y = s, trials = nt, w = w, yobs = s / nt,
                prior = nt * (w %||% 1), bernoulli = FALSE, two.column = TRUE, colnames = colnames(y)))
  }
  if (is.matrix(y) && ncol(y) > 1)
    stop(sprintf("a matrix response '%s' for the binomial family must have two columns, cbind(successes, failures)", nm), call. = FALSE)
  lev <- if (is.factor(y)) levels(y) # simulate() returns this factor, as lme4
  if (is.factor(y)) y <- as.numeric(y != levels(y)[1])
  if (is.logical(y)) y <- as.numeric(y)
  if (!is.numeric(y)) stop(sprintf("the response '%s' must be 0/1, a factor, proportions or cbind(successes, failures) for the binomial family", nm), call. = FALSE)
  y <- as_dbl(y)
  if (any(!is.finite(y)) || any(y < 0 | y > 1)) {
    i <- which(!is.finite(y) | y < 0 | y > 1)[1]
    stop(sprintf("the response '%s' must lie in [0, 1] for the binomial family (0/1 or proportions): observation %d is %s; for counts of successes use cbind(successes, failures)",
                 nm, i, format(y[i])), call. = FALSE)
  }
  if (is.null(w)) {
    if (any(y != 0 & y != 1))
      stop(sprintf("the response '%s' has proportions (observation %d is %s) but no weights: give the numbers of trials as 'weights', or use cbind(successes, failures)",
                   nm, which(y != 0 & y != 1)[1], format(y[which(y != 0 & y != 1)[1]])), call. = FALSE)
    return(list(code = codes[["GLMMGO_BERNOULLI"]], y = y, trials = NULL, w = NULL, yobs = y, prior = rep(1, length(y)),
                bernoulli = TRUE, levels = lev))
  }
  ## proportions with weights: the weights are the numbers of trials
  s <- y * w
  if (any(abs(s - round(s)) > 1e-8 * pmax(1, s)) || any(w != round(w)))
    stop(sprintf("the response '%s' times 'weights' must be whole numbers of successes (glm's binomial: weights are the numbers of trials); observation %d gives %s",
                 nm, which(abs(s - round(s)) > 1e-8 * pmax(1, s) | w != round(w))[1], format(s[which(abs(s - round(s)) > 1e-8 * pmax(1, s) | w != round(w))[1]])),
         call. = FALSE)
  list(code = codes[["GLMMGO_BINOMIAL"]], y = round(s), trials = w, w = NULL, yobs = y, prior = w, bernoulli = FALSE,
       levels = lev)
}

## The link's code of glmmgo.h.
link_code <- function(fam) {
  glmmgo_header$links[[paste0("GLMMGO_LINK_", toupper(fam$link))]]
}

## ---- the engine's model ------------------------------------------------------

glmer_model <- function(lf, ctrl) {
  re <- lf$reterms
  r <- lf$resp
  ptr <- engine_laplace_new(r$code, link_code(lf$family), r$y, r$trials, r$w, lf$offset, lf$family$size %||% 0, lf$X,
                            vapply(re, `[[`, 1L, "nlevels"), vapply(re, function(t) ncol(t$Z), 1L),
                            do.call(cbind, lapply(re, `[[`, "codes")), unlist(lapply(re, function(t) as_dbl(t$Z))))
  model_layout(ptr, engine_lmm_structure(ptr, "GLMMGO_LAPLACE_"), lf, ctrl)
}

glmer_can_agq <- function(model) length(model$reterms) == 1L && length(model$reterms[[1]]$cnms) == 1L

## devFunOnly = TRUE: -2 log L as a function of c(theta, beta) (nAGQ >= 1)
## or of theta (nAGQ = 0, beta from PIRLS), evaluated by the engine
## (lme4's devfun of the second or the first stage).
glmer_devfun <- function(ptr, lower, nAGQ) {
  f <- function(par) engine_laplace_objective(ptr, par, nagq = max(1L, nAGQ), fast = nAGQ == 0L)
  attr(f, "lower") <- lower
  attr(f, "nAGQ") <- nAGQ
  f
}

## start: NULL, theta, c(theta, beta), or lme4's list(theta =, fixef =).
glmer_start <- function(start, model, nAGQ) {
  if (is.null(start)) return(NULL)
  nt <- length(model$lower); p <- length(model$kept)
  if (is.list(start)) {
    th <- start$theta %||% stop("'start' as a list needs 'theta' (and may have 'fixef')", call. = FALSE)
    start <- if (!is.null(start$fixef) && nAGQ > 0) c(th, start$fixef) else th
  }
  if (!is.numeric(start) || !(length(start) == nt || (nAGQ > 0 && length(start) == nt + p)))
    stop(sprintf("'start' must be theta (%d numbers%s, terms by decreasing number of levels)", nt,
                 if (nAGQ > 0) sprintf(") or c(theta, fixef) (%d numbers", nt + p) else ""), call. = FALSE)
  if (any(start[seq_len(nt)] < model$lower)) stop("'start' has a negative value for a diagonal element of theta", call. = FALSE)
  as_dbl(start)
}

## The engine's fit, read into R (the handle is kept for what is read later).
glmer_run <- function(model, nAGQ, start, ctrl, verbose) {
  opts <- c(list(fast = nAGQ == 0L, nagq = max(1L, nAGQ), start = start), ctrl$engine)
  fit <- engine_laplace_fit(model$ptr, opts, verbose)
  if (is.null(fit)) signal_interrupt("glmer")
  res <- engine_laplace_result(fit)
  res$fit <- fit
  res
}

## ---- the result ----------------------------------------------------------------

## The fit: class c("glmmgo_glmer", "glmmgo_merMod"); the accessors of the
## parent class read the same fields as for lmer() fits (the fitted values
## are the means mu, on the response scale, as lme4's fitted()).
glmer_fit_object <- function(lf, model, res, nAGQ, call, ctrl) {
  xnames <- colnames(lf$X)
  kept <- model$kept
  beta <- stats::setNames(res$beta, xnames[kept])
  vc <- res$vcov
  dimnames(vc) <- list(xnames[kept], xnames[kept])
  engine <- new.env(parent = emptyenv())
  engine$model <- model$ptr
  engine$fit <- res$fit
  r <- lf$resp
  msgs <- if (!res$converged) sprintf("the optimiser stopped before converging (stage status %s; see fit$optinfo)",
                                      paste(res$stage.status, collapse = ", "))
  fit <- structure(list(
    call = call, formula = lf$formula, xformula = lf$xformula, fixed.formula = lf$fixed.formula, REML = FALSE,
    family = lf$family, nAGQ = nAGQ, y = r$yobs, resp = r, X = lf$X, kept = kept, weights = r$prior,
    offset = lf$offset, frame = lf$frame, fixed.terms = lf$fixed.terms, terms = lf$terms, xlevels = lf$xlevels,
    contrasts = lf$contrasts, reterms = model$reterms, theta = res$theta, lower = model$lower, beta = beta,
    beta.se = stats::setNames(res$se, xnames[kept]), vcov = vc, se.method = res$se.method, par.vcov = res$par.vcov,
    sigma = 1, varcorr = res$varcorr, b = res$b, u = res$u, condvar = res$condvar, eta = res$eta, fitted = res$mu,
    resid = list(response = res$resid.response, pearson = res$resid.pearson, deviance = res$resid.deviance),
    objective = res$m2ll, logLik = res$logLik, deviance = res$m2ll, deviance.mm = res$deviance.mm,
    saturated.logLik = res$saturated, AIC = res$AIC, BIC = res$BIC, pdev = res$pdev, ussq = res$ussq, logdet = res$logdet,
    evals = res$evals, converged = res$converged, singular = res$singular,
    optinfo = list(optimizer = "bobyqa (glmmgo)", feval = sum(res$evals), evals = res$evals, pirls = res$pirls,
                   stage.objective = res$stage.objective, stage.status = res$stage.status, gradient = res$gradient,
                   hessian = res$hessian, start.theta = res$start.theta, start.from.lmm = res$start.from.lmm,
                   start.objectives = res$start.objectives, seconds = res$seconds, messages = msgs),
    na.action = lf$na.action, nobs = lf$n, time = res$seconds[["total"]], control = ctrl, engine = engine),
    class = c("glmmgo_glmer", "glmmgo_merMod"))
  fit$coefficients <- list(fixed = beta)
  fit
}

## lme4's convergence report: a warning when a stage stopped before
## converging, the gradient check when the Hessian is there, and the
## singular-fit message. The gradient check is the one lmer fits get
## (convergence.R): per parameter the smaller of |g| and |R^-T g|, where
## H = R'R is the Hessian of the deviance in (theta, beta) — R^-T g is the
## gradient in coordinates where H is the identity, so ||R^-T g||^2 =
## g'H^-1 g, twice the decrease still to come —, against check.conv.grad's
## tol; |g| alone where H is not positive definite. lme4's checkConv uses
## R^-1 g, which has no such meaning: it warns at Contraception's optimum
## (lme4#783's false warnings), where g'H^-1 g = 1e-7. The Newton step
## H^-1 g, which glmmgo used before, warned on poorly determined thetas.
glmer_report_convergence <- function(fit) {
  cc <- fit$control$checkConv
  if (!fit$converged) warning(sprintf("glmer: %s", fit$optinfo$messages), call. = FALSE)
  H <- fit$optinfo$hessian
  g <- fit$optinfo$gradient
  if (!is.null(H) && length(g) == nrow(H) && all(is.finite(H)) && all(is.finite(g))) {
    R <- tryCatch(chol(H), error = function(e) NULL)
    mingrad <- if (is.null(R)) abs(g) else pmin(abs(backsolve(R, g, transpose = TRUE)), abs(g))
    if (max(mingrad) > cc$check.conv.grad$tol)
      act(cc$check.conv.grad$action, sprintf("Model failed to converge with max|grad| = %.4g (tol = %g, component %d)",
                                             max(mingrad), cc$check.conv.grad$tol, which.max(mingrad)))
  }
  if (fit$singular) act(cc$check.conv.singular$action, "boundary (singular) fit: see help('isSingular')")
  invisible(fit)
}
