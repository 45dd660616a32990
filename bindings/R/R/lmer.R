## lmer(): linear mixed models with lme4's formula syntax, fitted by the
## engine (profiled ML deviance or REML criterion, bounded BOBYQA-type
## optimiser), in lme4's steps: the formula module (lmm_lformula: frame,
## X, random-effects terms), the engine's model (lmm_model), the
## optimisation with its convergence checks (lmm_optimise, convergence.R)
## and the result (lmm_fit_object). Every number comes from libglmmgo; the
## R side builds the model frame and model matrices and formats results.
## An offset is handled by fitting y - offset (exact for a Gaussian LMM).

lmer <- function(formula, data = NULL, REML = TRUE, control = glmmgoControl(), start = NULL,
                 verbose = 0L, subset, weights, na.action, offset, contrasts = NULL, devFunOnly = FALSE) {
  mc <- match.call()
  if (inherits(formula, "formula")) mc$formula <- formula  # the formula itself, as lme4 keeps it
  if (!is.logical(REML) || length(REML) != 1L || is.na(REML)) stop("'REML' must be TRUE or FALSE", call. = FALSE)
  ctrl <- as_glmmgo_control(control, "lmer")
  mf <- mc[c(1L, match(c("data", "subset", "weights", "na.action", "offset"), names(mc), 0L))]
  lf <- lmm_lformula(formula, data, mf, parent.frame(), contrasts, ctrl)
  model <- lmm_model(lf, ctrl)
  if (isTRUE(devFunOnly)) return(lmm_devfun(model, REML))
  theta0 <- lmm_start(start, model)
  t0 <- proc.time()[["elapsed"]]
  opt <- lmm_optimise(model, REML, theta0, ctrl, verbose)
  elapsed <- proc.time()[["elapsed"]] - t0
  fit <- lmm_fit_object(lf, model, opt$res, opt$optinfo, REML, mc, ctrl, elapsed)
  lmm_report_convergence(opt$optinfo, opt$res, ctrl, model$lower)
  fit
}

## ---- the formula module ---------------------------------------------------

## lme4's lFormula: one model frame from the whole formula (bars replaced
## by `+`), evaluated with the caller's data, subset, weights, na.action
## and offset; then the fixed-effects matrix and the random-effects terms
## from that frame. mf is the caller's call restricted to those arguments.
## The response is an LMM's (a numeric vector) unless raw_response:
## then y is the model frame's response as it stands, for the caller
## (glmer) to interpret; allow_n admits a term with a level per
## observation (an observation-level random effect of a GLMM).
lmm_lformula <- function(formula, data, mf, env, contrasts, ctrl, raw_response = FALSE, allow_n = FALSE) {
  if (!inherits(formula, "formula")) formula <- stats::as.formula(formula, env = env)
  if (length(formula) != 3) stop("the formula needs a response: y ~ fixed + (random | group)", call. = FALSE)
  if (!is.null(data) && !is.data.frame(data)) data <- as.data.frame(data)
  xformula <- expand_dot(formula, data)
  bars <- find_bars(xformula[[3]])
  if (length(bars) == 0)
    stop("no random-effects terms in the formula: add at least one term like (1 | group); for a model without random effects use lm()",
         call. = FALSE)
  check_variables(xformula, data)
  fr_form <- xformula
  fr_form[[3]] <- sub_bars(xformula[[3]])
  environment(fr_form) <- environment(formula)
  mf[[1L]] <- quote(stats::model.frame)
  mf$formula <- fr_form
  mf$drop.unused.levels <- TRUE
  if (!is.null(mf$data)) mf$data <- data
  fr <- eval(mf, env)
  fr <- drop_zero_weights(fr, na_class(mf$na.action, env))
  n <- nrow(fr)
  if (n == 0) stop("no observations left after removing missing values (see 'na.action')", call. = FALSE)
  y <- stats::model.response(fr)
  if (!raw_response) y <- lmm_response(y, formula)
  w <- stats::model.weights(fr)
  if (!is.null(w)) w <- as_dbl(w)
  off <- stats::model.offset(fr)
  if (!is.null(off)) {
    if (length(off) != n) stop("'offset' must have one value per observation", call. = FALSE)
    if (any(!is.finite(off))) stop("the offset has non-finite values", call. = FALSE)
    off <- as_dbl(off)
  }
  fixed_formula <- no_bars(xformula)
  fterms <- sub_terms(fixed_formula, fr)
  X <- stats::model.matrix(fterms, fr, contrasts.arg = contrasts)
  if (any(!is.finite(X))) stop("the fixed-effects model matrix has non-finite values", call. = FALSE)
  check_scale_x(X, ctrl$checkControl$check.scaleX)
  ffr <- factorize_frame(fr, grouping_vars(xformula))
  specs <- do.call(c, lapply(bars, expand_bar))
  re <- lapply(specs, build_re_term, fr = fr, ffr = ffr, n = n)
  check_re_terms(re, n, ctrl$checkControl, allow_n)
  list(formula = formula, xformula = xformula, fixed.formula = fixed_formula, frame = fr, y = y, weights = w,
       offset = off, X = X, fixed.terms = stats::delete.response(fterms), terms = fterms,
       xlevels = stats::.getXlevels(fterms, fr), contrasts = attr(X, "contrasts"), reterms = re, n = n,
       na.action = attr(fr, "na.action"))
}

## An LMM's response: a finite numeric vector.
lmm_response <- function(y, formula) {
  if (is.factor(y) || is.character(y) || is.logical(y) || !is.numeric(y))
    stop(sprintf("the response '%s' must be numeric for a linear mixed model", deparse1_(formula[[2]])),
         call. = FALSE)
  if (is.matrix(y) && ncol(y) > 1) stop("the response must be a vector, not a matrix", call. = FALSE)
  y <- as_dbl(y)
  if (any(!is.finite(y))) stop("the response has non-finite values", call. = FALSE)
  y
}

## Zero prior weights: the rows carry no information (lme4 and glmm accept
## them; lme4 then reports an infinite deviance), so they are dropped with a
## message and recorded like rows dropped by na.action. Negative or
## non-finite weights are errors.
drop_zero_weights <- function(fr, na_cls = "omit") {
  w <- stats::model.weights(fr)
  if (is.null(w)) return(fr)
  bad <- which(!is.finite(w) | w < 0)
  if (length(bad))
    stop(sprintf("'weights' must be non-negative and finite: observation %d has weight %s", bad[1], format(w[bad[1]])),
         call. = FALSE)
  zero <- which(w == 0)
  if (!length(zero)) return(fr)
  if (length(zero) == length(w)) stop("'weights' are all zero", call. = FALSE)
  message(sprintf("%d observation%s with zero weight dropped (they carry no information)", length(zero),
                  if (length(zero) > 1) "s" else ""))
  tt <- attr(fr, "terms"); na <- attr(fr, "na.action")
  ## positions in the data: the frame's rows are the data's rows without na
  kept_rows <- setdiff(seq_len(nrow(fr) + length(na)), na)
  drop <- stats::setNames(kept_rows[zero], rownames(fr)[zero])
  fr <- fr[-zero, , drop = FALSE]
  for (nm in names(fr)) if (is.factor(fr[[nm]])) fr[[nm]] <- droplevels(fr[[nm]])
  all_drop <- sort(c(unclass(na), drop))
  class(all_drop) <- if (!is.null(na)) class(na) else na_cls
  attr(fr, "terms") <- tt
  attr(fr, "na.action") <- all_drop
  fr
}

## "exclude" when the na.action in use is na.exclude, else "omit".
na_class <- function(na_arg, env) {
  f <- if (!is.null(na_arg)) eval(na_arg, env) else getOption("na.action")
  if (is.character(f)) f <- get(f, mode = "function", envir = env)
  if (identical(f, stats::na.exclude)) "exclude" else "omit"
}

## Tell users which variables cannot be found, before model.frame does.
check_variables <- function(formula, data) {
  vars <- setdiff(all.vars(formula), ".")
  env <- environment(formula)
  missing_vars <- vars[!vapply(vars, function(v) (!is.null(data) && v %in% names(data)) ||
                                                   exists(v, envir = env), NA)]
  if (length(missing_vars))
    stop(sprintf("variable%s %s in the formula %s not found%s",
                 if (length(missing_vars) > 1) "s" else "", paste(sQuote(missing_vars), collapse = ", "),
                 if (length(missing_vars) > 1) "were" else "was",
                 if (!is.null(data)) sprintf(" in 'data' (its columns are %s)",
                                            paste(utils::head(names(data), 12), collapse = ", ")) else ""),
         call. = FALSE)
}

## lme4's check.scaleX: predictors whose standard deviations differ by more
## than a factor 1000 (or are far from 1).
check_scale_x <- function(X, action) {
  if (action == "ignore" || ncol(X) == 0) return(invisible())
  cont <- apply(X, 2, function(z) !all(z %in% c(0, 1)))
  if (!any(cont)) return(invisible())
  sds <- apply(X[, cont, drop = FALSE], 2, stats::sd)
  ratios <- abs(log(outer(sds, sds, "/")))
  if (any(c(ratios, abs(log(sds))) > log(1000), na.rm = TRUE))
    act(action, "Some predictor variables are on very different scales: consider rescaling")
}

## lme4's checks of the random-effects terms, with glmmgo's actions.
check_re_terms <- function(re, n, ck, allow_n = FALSE) {
  for (t in re) {
    if (t$nlevels < 2)
      stop(sprintf("the grouping factor '%s' has only %d level%s: a random effect needs a factor with at least 2 levels (use a fixed effect instead)",
                   t$group, t$nlevels, if (t$nlevels == 1) "" else "s"), call. = FALSE)
    if (t$nlevels >= n && !(allow_n && t$nlevels == n))
      stop(sprintf("the grouping factor '%s' has %d levels for %d observations: each level must be observed more than once on average (number of levels must be < number of observations)",
                   t$group, t$nlevels, n), call. = FALSE)
    if (t$nlevels < 5)
      act(ck$check.nlev.gtreq.5, sprintf("grouping factors with < 5 sampled levels may give unreliable estimates ('%s' has %d)",
                                         t$group, t$nlevels))
    if (t$nlevels * ncol(t$Z) >= n && !allow_n)
      act(ck$check.nobs.vs.nRE, sprintf("number of observations (=%d) <= number of random effects (=%d) for term (%s); the random-effects parameters and the residual variance (or scale parameter) are probably unidentifiable",
                                        n, t$nlevels * ncol(t$Z), t$label))
  }
  if (ck$check.nobs.vs.rankZ != "ignore") {
    Z <- do.call(cbind, lapply(re, function(t) dense_term_z(t)))
    rz <- qr(Z)$rank
    if (n <= rz)
      act(ck$check.nobs.vs.rankZ, sprintf("number of observations (=%d) <= rank(Z) (=%d); the random-effects parameters and the residual variance (or scale parameter) are probably unidentifiable",
                                          n, rz))
  }
}

## ---- the engine's model ---------------------------------------------------

## The engine's handle for the model, with the terms in model order
## (decreasing number of levels) and the slices of theta and b per term.
lmm_model <- function(lf, ctrl, y = NULL) {
  re <- lf$reterms
  yfit <- if (!is.null(y)) y else if (is.null(lf$offset)) lf$y else lf$y - lf$offset
  ptr <- engine_lmm_new(yfit, lf$X, lf$weights, vapply(re, `[[`, 1L, "nlevels"), vapply(re, function(t) ncol(t$Z), 1L),
                        do.call(cbind, lapply(re, `[[`, "codes")), unlist(lapply(re, function(t) as_dbl(t$Z))))
  model_layout(ptr, engine_lmm_structure(ptr), lf, ctrl)
}

## The model of an engine handle ptr whose structure (engine_lmm_structure)
## is st: the kept columns of X (with lme4's message about the dropped
## ones), and the terms in model order with their slices of theta and b.
model_layout <- function(ptr, st, lf, ctrl) {
  re <- lf$reterms
  kept <- st$kept
  dropped <- setdiff(seq_len(ncol(lf$X)), kept)
  if (length(dropped) && !is.null(ctrl)) {
    msg <- sprintf("fixed-effect model matrix is rank deficient so dropping %d column%s / coefficient%s",
                   length(dropped), if (length(dropped) > 1) "s" else "", if (length(dropped) > 1) "s" else "")
    switch(ctrl$checkControl$check.rankX, "message+drop.cols" = message(msg), "warn+drop.cols" = warning(msg, call. = FALSE),
           "stop.deficient" = {
             free_handle(ptr)
             stop(sprintf("the fixed-effects model matrix is column rank deficient (rank(X) = %d < %d = p); the fixed effects will be jointly unidentifiable",
                          length(kept), ncol(lf$X)), call. = FALSE)
           })
  }
  re <- re[st$order]
  k <- vapply(re, function(t) ncol(t$Z), 1L)
  bstart <- cumsum(c(0, vapply(re, function(t) t$nlevels, 1L) * k))[seq_along(re)]
  for (i in seq_along(re)) {
    ## theta's layout is the engine's: which elements are this term's, and
    ## where each sits in the term's template of Lambda
    idx <- which(st$theta_term == i)
    re[[i]]$theta_idx <- idx
    re[[i]]$theta_rc <- cbind(st$theta_row[idx], st$theta_col[idx])
    re[[i]]$b_idx <- bstart[i] + seq_len(re[[i]]$nlevels * k[i])
  }
  list(ptr = ptr, kept = kept, lower = st$lower, reterms = re, order = st$order)
}

## devFunOnly = TRUE: the criterion as a function of theta (lme4's
## devfun), evaluated by the engine.
lmm_devfun <- function(model, REML) {
  ptr <- model$ptr
  ntheta <- length(model$lower)
  reml <- REML
  f <- function(theta) {
    if (length(theta) != ntheta) stop(sprintf("theta must have %d elements", ntheta), call. = FALSE)
    engine_lmm_objective(ptr, theta, reml)
  }
  attr(f, "lower") <- model$lower
  f
}

lmm_start <- function(start, model) {
  if (is.null(start)) return(NULL)
  k <- length(model$lower)
  if (is.list(start)) {
    if (!is.null(start$fixef)) message("glmmgo ignores start$fixef: the fixed effects are profiled out of an LMM's criterion")
    start <- start$theta
  }
  if (!is.numeric(start) || length(start) != k)
    stop(sprintf("'start' must be theta: %d numbers in lme4's order (terms by decreasing number of levels)", k),
         call. = FALSE)
  if (!all(is.finite(start))) stop("'start' must be finite numbers: it has NA, NaN or Inf", call. = FALSE)
  if (any(start < model$lower)) stop("'start' has a negative value for a diagonal element of theta", call. = FALSE)
  as_dbl(start)
}

signal_interrupt <- function(what) {
  cond <- structure(class = c("glmmgo_interrupt", "interrupt", "condition"),
                    list(message = sprintf("%s: interrupted by the user; the engine stopped and released the model", what),
                         call = NULL))
  signalCondition(cond)
  stop(structure(class = c("glmmgo_interrupt", "error", "condition"),
                 list(message = conditionMessage(cond), call = NULL)))
}

## ---- the result ------------------------------------------------------------

## The fit: class c("glmmgo_lmm", "glmmgo_merMod"). glmmgo_merMod is the
## parent that every glmmgo mixed-model fit in lme4's style shares (the
## accessors, getME, anova, simulate/refit plumbing and printing live
## there); glmmgo_lmm adds what is specific to the Gaussian case.
lmm_fit_object <- function(lf, model, res, optinfo, REML, call, ctrl, elapsed) {
  xnames <- colnames(lf$X)
  kept <- model$kept
  beta <- stats::setNames(res$beta, xnames[kept])
  vc <- res$vcov
  dimnames(vc) <- list(xnames[kept], xnames[kept])
  ## The engine's model (the criterion at any theta) and fit (what the
  ## engine computes on request, kept here once computed): handles, which a
  ## saved and restored fit lacks (merMod.R rebuilds them from its data).
  engine <- new.env(parent = emptyenv())
  engine$model <- model$ptr
  engine$fit <- res$fit
  engine$condvar <- NULL
  fit <- structure(list(
    call = call, formula = lf$formula, xformula = lf$xformula, fixed.formula = lf$fixed.formula, REML = REML,
    family = stats::gaussian(), y = lf$y, X = lf$X, kept = kept, weights = lf$weights, offset = lf$offset,
    frame = lf$frame, fixed.terms = lf$fixed.terms, terms = lf$terms, xlevels = lf$xlevels, contrasts = lf$contrasts,
    reterms = model$reterms, theta = res$theta, lower = model$lower, beta = beta,
    beta.se = stats::setNames(res$se, xnames[kept]), vcov = vc, sigma = res$sigma, varcorr = res$varcorr,
    b = res$b, u = res$u,
    objective = res$objective, logLik = res$logLik, deviance = res$deviance, REMLcrit = res$REMLcrit,
    AIC = res$AIC, BIC = res$BIC, evals = res$evals, converged = res$converged,
    singular = any(res$theta[model$lower == 0] < ctrl$checkConv$check.conv.singular$tol),
    optinfo = optinfo, na.action = lf$na.action, nobs = lf$n, time = elapsed, control = ctrl, engine = engine),
    class = c("glmmgo_lmm", "glmmgo_merMod"))
  fit$fitted <- lmm_linpred(fit, re_form = NULL)
  ## car reads the fixed effects of S3 mixed models (nlme's lme) from
  ## $coefficients$fixed; with it car::Anova() and linearHypothesis() work
  fit$coefficients <- list(fixed = beta)
  fit
}

## X beta + Z b (+ offset) on the fitted data.
lmm_linpred <- function(fit, re_form = NULL) {
  eta <- drop(fit$X[, fit$kept, drop = FALSE] %*% fit$beta)
  if (!is.null(fit$offset)) eta <- eta + fit$offset
  if (!re_none(re_form)) eta <- eta + re_contribution(fit$reterms, fit$b)
  eta
}

## Z b for the terms' model matrices and codes.
re_contribution <- function(reterms, b) {
  out <- 0
  for (t in reterms) {
    B <- matrix(b[t$b_idx], nrow = t$nlevels, byrow = TRUE)
    out <- out + rowSums(t$Z * B[t$codes, , drop = FALSE])
  }
  out
}

re_none <- function(re.form) {
  if (is.null(re.form)) return(FALSE)
  if (length(re.form) == 1L && !inherits(re.form, "formula") && is.na(re.form)) return(TRUE)
  if (inherits(re.form, "formula")) {
    rhs <- re.form[[length(re.form)]]
    if (identical(rhs, 0) || identical(rhs, 0L) || identical(rhs, quote(0))) return(TRUE)
    stop("re.form: use NULL (all random effects) or NA / ~0 (none)", call. = FALSE)
  }
  stop("re.form: use NULL (all random effects) or NA / ~0 (none)", call. = FALSE)
}
