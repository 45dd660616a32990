## lmer(): linear mixed models with lme4's formula syntax, fitted by the
## engine (profiled ML deviance or REML criterion, bounded BOBYQA-type
## optimiser). The R side builds the model frame and model matrices and
## formats results; every number comes from libglmmgo.

glmmgoControl <- function(rhobeg = 0, rhoend = 0, maxeval = 0) {
  chk <- function(v, nm) {
    if (!is.numeric(v) || length(v) != 1L || !is.finite(v) || v < 0)
      stop(sprintf("glmmgoControl(): '%s' must be one non-negative number (0 = the engine's default)", nm),
           call. = FALSE)
    as.double(v)
  }
  rhobeg <- chk(rhobeg, "rhobeg"); rhoend <- chk(rhoend, "rhoend"); maxeval <- chk(maxeval, "maxeval")
  if (rhobeg > 0 && rhoend > 0 && rhoend > rhobeg)
    stop("glmmgoControl(): 'rhoend' must not exceed 'rhobeg'", call. = FALSE)
  structure(list(rhobeg = rhobeg, rhoend = rhoend, maxeval = round(maxeval)), class = "glmmgoControl")
}

## Accept glmmgoControl(), a plain list with those names, or lme4's
## lmerControl() (its optCtrl rhobeg/rhoend/maxfun are honoured).
as_glmmgo_control <- function(control) {
  if (is.null(control)) return(glmmgoControl())
  if (inherits(control, "glmmgoControl")) return(control)
  if (inherits(control, "lmerControl") || inherits(control, "merControl")) {
    oc <- control$optCtrl
    return(glmmgoControl(rhobeg = oc$rhobeg %||% 0, rhoend = oc$rhoend %||% 0, maxeval = oc$maxfun %||% 0))
  }
  if (is.list(control)) {
    bad <- setdiff(names(control), c("rhobeg", "rhoend", "maxeval"))
    if (length(bad))
      stop(sprintf("unknown control setting(s) %s: use glmmgoControl(rhobeg, rhoend, maxeval)",
                   paste(sQuote(bad), collapse = ", ")), call. = FALSE)
    return(do.call(glmmgoControl, control))
  }
  stop("'control' must come from glmmgoControl()", call. = FALSE)
}

lmer <- function(formula, data = NULL, REML = TRUE, control = glmmgoControl(), start = NULL,
                 verbose = 0L, subset, weights, na.action, offset, contrasts = NULL, devFunOnly = FALSE) {
  mc <- match.call()
  if (!inherits(formula, "formula")) formula <- stats::as.formula(formula)
  if (length(formula) != 3) stop("the formula needs a response: y ~ fixed + (random | group)", call. = FALSE)
  if (!is.logical(REML) || length(REML) != 1L || is.na(REML)) stop("'REML' must be TRUE or FALSE", call. = FALSE)
  control <- as_glmmgo_control(control)
  bars <- find_bars(formula[[3]])
  if (length(bars) == 0)
    stop("no random-effects terms in the formula: add at least one term like (1 | group); for a model without random effects use lm()",
         call. = FALSE)
  terms_spec <- do.call(c, lapply(bars, expand_bar))

  ## ---- model frame over every variable used --------------------------
  if (!is.null(data) && !is.data.frame(data)) data <- as.data.frame(data)
  check_variables(formula, data)
  vf <- vars_formula(formula)
  mf <- mc[c(1L, match(c("data", "subset", "weights", "na.action", "offset"), names(mc), 0L))]
  mf[[1L]] <- quote(stats::model.frame)
  mf$formula <- vf
  mf$drop.unused.levels <- TRUE
  fr <- eval(mf, parent.frame())
  n <- nrow(fr)
  if (n == 0) stop("no observations left after removing missing values (see 'na.action')", call. = FALSE)
  y <- stats::model.response(fr)
  if (is.factor(y) || !is.numeric(y))
    stop(sprintf("the response '%s' must be numeric for a linear mixed model", deparse1_(formula[[2]])),
         call. = FALSE)
  if (is.matrix(y)) stop("the response must be a vector, not a matrix", call. = FALSE)
  y <- as_dbl(y)
  if (any(!is.finite(y))) stop("the response has non-finite values", call. = FALSE)
  w <- stats::model.weights(fr)
  if (!is.null(w)) {
    if (length(w) != n) stop("'weights' must have one value per observation", call. = FALSE)
    if (any(!is.finite(w)) || any(w <= 0))
      stop(sprintf("'weights' must be positive and finite: observation %d has weight %s",
                   which(!is.finite(w) | w <= 0)[1], format(w[which(!is.finite(w) | w <= 0)[1]])),
           call. = FALSE)
    w <- as_dbl(w)
  }
  off <- stats::model.offset(fr)

  ## ---- fixed effects ---------------------------------------------------
  fixed_formula <- no_bars(formula)
  ffr <- stats::model.frame(fixed_formula, fr, drop.unused.levels = TRUE)
  fterms <- attr(ffr, "terms")
  X <- stats::model.matrix(fterms, ffr, contrasts.arg = contrasts)
  off2 <- stats::model.offset(ffr)
  if (!is.null(off2)) off <- if (is.null(off)) off2 else off + off2
  if (!is.null(off)) {
    if (length(off) != n) stop("'offset' must have one value per observation", call. = FALSE)
    off <- as_dbl(off)
  }
  if (any(!is.finite(X))) stop("the fixed-effects model matrix has non-finite values", call. = FALSE)

  ## ---- random-effects terms ---------------------------------------------
  re <- lapply(terms_spec, build_re_term, fr = fr, n = n)
  nlev <- vapply(re, function(t) t$nlevels, 1L)
  ncol_t <- vapply(re, function(t) ncol(t$Z), 1L)
  codes <- do.call(cbind, lapply(re, function(t) t$codes))
  storage.mode(codes) <- "integer"
  zall <- unlist(lapply(re, function(t) as_dbl(t$Z)), use.names = FALSE)
  if (any(!is.finite(zall))) stop("a random-effects model matrix has non-finite values", call. = FALSE)

  yfit <- if (is.null(off)) y else y - off
  ptr <- engine_lmm_new(yfit, X, w, nlev, ncol_t, codes, zall)
  st <- engine_lmm_structure(ptr)
  ord <- st$order
  re <- re[ord]                              # model order (decreasing levels)
  ntheta_t <- vapply(re, function(t) { k <- ncol(t$Z); k * (k + 1L) / 2L }, 1)
  kept <- st$kept
  dropped <- setdiff(seq_len(ncol(X)), kept)
  if (length(dropped))
    message(sprintf("fixed-effect model matrix is rank deficient so dropping %d column%s / coefficient%s",
                    length(dropped), if (length(dropped) > 1) "s" else "", if (length(dropped) > 1) "s" else ""))

  if (isTRUE(devFunOnly)) {
    reml <- REML
    return(function(theta) {
      if (length(theta) != length(st$lower))
        stop(sprintf("theta must have %d elements", length(st$lower)), call. = FALSE)
      engine_lmm_objective(ptr, theta, reml)
    })
  }

  theta0 <- NULL
  if (!is.null(start)) {
    if (is.list(start)) start <- start$theta
    if (!is.numeric(start) || length(start) != length(st$lower))
      stop(sprintf("'start' must be theta: %d numbers in lme4's order (terms by decreasing number of levels)",
                   length(st$lower)), call. = FALSE)
    if (any(start < st$lower)) stop("'start' has a negative value for a diagonal element of theta", call. = FALSE)
    theta0 <- as_dbl(start)
  }

  t0 <- proc.time()[["elapsed"]]
  fitptr <- engine_lmm_fit(ptr, REML, theta0, control$rhobeg, control$rhoend, control$maxeval, verbose)
  if (is.null(fitptr)) {
    free_handle(ptr)
    signal_interrupt("lmer")
  }
  res <- engine_lmm_result(fitptr)
  elapsed <- proc.time()[["elapsed"]] - t0

  xnames <- colnames(X)
  beta <- stats::setNames(res$beta, xnames[kept])
  vc <- res$vcov
  dimnames(vc) <- list(xnames[kept], xnames[kept])
  ## per-term slices of theta and b
  tstart <- cumsum(c(0, ntheta_t))[seq_along(re)]
  bstart <- cumsum(c(0, vapply(re, function(t) t$nlevels * ncol(t$Z), 1)))[seq_along(re)]
  for (i in seq_along(re)) {
    re[[i]]$theta_idx <- tstart[i] + seq_len(ntheta_t[i])
    re[[i]]$b_idx <- bstart[i] + seq_len(re[[i]]$nlevels * ncol(re[[i]]$Z))
  }
  ## The engine's model (devFunOnly-style evaluations, deviance parts) and
  ## fit (conditional variances, computed on request and kept here); a fit
  ## restored by readRDS or received by a PSOCK worker has neither, and
  ## keeps everything else in the object.
  engine <- new.env(parent = emptyenv())
  engine$model <- ptr
  engine$fit <- fitptr
  engine$condvar <- NULL
  fit <- structure(list(
    call = mc, formula = formula, fixed.formula = fixed_formula, REML = REML,
    y = y, X = X, kept = kept, weights = w, offset = off, frame = fr,
    fixed.terms = fterms, xlevels = stats::.getXlevels(fterms, ffr), contrasts = attr(X, "contrasts"),
    reterms = lapply(re, function(t) { t$codes_model <- NULL; t }),
    theta = res$theta, lower = st$lower, beta = beta, beta.se = stats::setNames(res$se, xnames[kept]),
    vcov = vc, sigma = res$sigma, varcorr = res$varcorr, b = res$b, u = res$u,
    objective = res$objective, logLik = res$logLik, deviance = res$deviance, REMLcrit = res$REMLcrit,
    AIC = res$AIC, BIC = res$BIC, evals = res$evals, converged = res$converged, singular = res$singular,
    na.action = attr(fr, "na.action"), nobs = n, time = elapsed, control = control, engine = engine),
    class = "glmmgo_lmm")
  fit$fitted <- lmm_linpred(fit, re_form = NULL)
  if (!fit$converged)
    warning(sprintf("the optimiser stopped after %d evaluations without reaching rhoend: increase maxeval in glmmgoControl()",
                    as.integer(fit$evals)), call. = FALSE)
  if (fit$singular && !isTRUE(getOption("glmmgo.quiet.singular")))
    message("boundary (singular) fit: see help('isSingular')")
  fit
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

## One random-effects term: its model matrix, grouping factor and codes.
build_re_term <- function(spec, fr, n) {
  gname <- deparse1_(spec$group)
  gval <- tryCatch(eval(spec$group, fr, environment(attr(fr, "terms"))),
                   error = function(e) stop(sprintf("cannot evaluate the grouping factor '%s': %s", gname,
                                                    conditionMessage(e)), call. = FALSE))
  if (length(gval) != n)
    stop(sprintf("the grouping factor '%s' has %d values for %d observations", gname, length(gval), n), call. = FALSE)
  if (anyNA(gval)) stop(sprintf("the grouping factor '%s' has missing values", gname), call. = FALSE)
  g <- factor(gval)
  g <- droplevels(g)
  nl <- nlevels(g)
  if (nl < 2)
    stop(sprintf("the grouping factor '%s' has only %d level%s: a random effect needs a factor with at least 2 levels (use a fixed effect instead)",
                 gname, nl, if (nl == 1) "" else "s"), call. = FALSE)
  if (nl >= n)
    stop(sprintf("the grouping factor '%s' has %d levels for %d observations: each level must be observed more than once on average (number of levels must be < number of observations)",
                 gname, nl, n), call. = FALSE)
  lhs_f <- stats::as.formula(call("~", spec$lhs), env = environment(attr(fr, "terms")))
  lfr <- stats::model.frame(lhs_f, fr, drop.unused.levels = TRUE)
  lterms <- attr(lfr, "terms")
  Z <- stats::model.matrix(lterms, lfr)
  if (ncol(Z) == 0)
    stop(sprintf("the random-effects term (%s | %s) has no columns", deparse1_(spec$lhs), gname), call. = FALSE)
  list(group = gname, group.expr = spec$group, lhs = spec$lhs, label = paste(deparse1_(spec$lhs), "|", gname),
       Z = Z, cnms = colnames(Z), codes = as.integer(g), levels = levels(g), nlevels = nl,
       terms = lterms, xlevels = stats::.getXlevels(lterms, lfr), contrasts = attr(Z, "contrasts"))
}

signal_interrupt <- function(what) {
  cond <- structure(class = c("glmmgo_interrupt", "interrupt", "condition"),
                    list(message = sprintf("%s: interrupted by the user; the engine stopped and released the model", what),
                         call = NULL))
  signalCondition(cond)
  stop(structure(class = c("glmmgo_interrupt", "error", "condition"),
                 list(message = conditionMessage(cond), call = NULL)))
}

## X beta + Z b (+ offset) on the fitted data.
lmm_linpred <- function(fit, re_form = NULL) {
  eta <- drop(fit$X[, fit$kept, drop = FALSE] %*% fit$beta)
  if (!is.null(fit$offset)) eta <- eta + fit$offset
  if (!re_none(re_form)) {
    for (t in fit$reterms) {
      B <- matrix(fit$b[t$b_idx], nrow = t$nlevels, byrow = TRUE)
      eta <- eta + rowSums(t$Z * B[t$codes, , drop = FALSE])
    }
  }
  eta
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
