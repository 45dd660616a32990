## Accessors of glmmgo's mixed-model fits in lme4's style (class
## "glmmgo_merMod", the parent of lmer() fits and of every later fit of
## this kind), following lme4's conventions and names.

## ---- the engine behind a fit -------------------------------------------------

## The fit's engine handles: the model (e$model, for the criterion at any
## theta) and the fit (e$fit, for what the engine computes on request). A
## fit keeps every result it reports in the R object; a fit restored from a
## file (or sent to another process) has no handles, so the model is rebuilt
## from the fit's own data.
lmm_engine <- function(fit) {
  e <- fit$engine
  if (handle_valid(e$model)) return(e$model)
  model <- lmm_model(list(y = fit$y, X = fit$X, weights = fit$weights, offset = fit$offset, reterms = fit$reterms),
                     ctrl = NULL)
  e$model <- model$ptr
  e$model
}

## The fit's handle (for the conditional variances): after a restore, the
## fit's last optimiser run is replayed on the rebuilt model (the engine is
## deterministic, so this reproduces the fit), and theta is compared: a
## different theta (another glmmgo build) is an error, not a silent change.
lmm_engine_fitted <- function(fit) {
  e <- fit$engine
  if (handle_valid(e$fit)) return(e$fit)
  res <- replay_runs(lmm_engine(fit), fit$REML, fit$optinfo$runs, 0L)
  if (max(abs(res$theta - fit$theta)) > 1e-8 * max(1, abs(fit$theta))) {
    free_handle(res$fit)
    stop(sprintf("the engine's fit is gone (the fit was saved and restored, or sent to another R process) and refitting reached theta %s, not the fit's %s (a different glmmgo build?): refit the model",
                 paste(format(res$theta, digits = 6), collapse = ", "), paste(format(fit$theta, digits = 6), collapse = ", ")),
         call. = FALSE)
  }
  e$fit <- res$fit
  e$fit
}

## ---- generics shared with lme4 and nlme --------------------------------------

## fixef/ranef/VarCorr are nlme's generics (lme4 re-exports them). glmmgo
## defines its own, registers its methods on nlme's when nlme is loaded
## (NAMESPACE: S3method(nlme::...)), and its default methods hand other
## objects (merMod, lme) to nlme's. The same holds for lme4's generics
## (getME, ngrps, refit, refitML, isREML, isLMM, isGLMM, isNLMM).
fixef <- function(object, ...) UseMethod("fixef")
ranef <- function(object, ...) UseMethod("ranef")
VarCorr <- function(x, sigma = 1, ...) UseMethod("VarCorr")

## Hand an object glmmgo has no method for to the package whose generic
## (or function) this is.
forward <- function(pkg, name, ...) {
  if (!isNamespaceLoaded(pkg))
    stop(sprintf("glmmgo has no '%s' method for this object (and package %s is not loaded)", name, pkg), call. = FALSE)
  getExportedValue(pkg, name)(...)
}
fixef.default <- function(object, ...) forward("nlme", "fixef", object, ...)
ranef.default <- function(object, ...) forward("nlme", "ranef", object, ...)
VarCorr.default <- function(x, sigma = 1, ...) {
  if (missing(sigma)) forward("nlme", "VarCorr", x, ...) else forward("nlme", "VarCorr", x, sigma = sigma, ...)
}

## lme4's REMLcrit and isSingular are ordinary functions (not generics):
## glmmgo's versions handle glmmgo fits and hand anything else to lme4's.
## The REML criterion at the fitted theta (for an ML fit, at the ML
## estimate, as lme4's).
REMLcrit <- function(object) {
  if (!inherits(object, "glmmgo_merMod")) return(forward("lme4", "REMLcrit", object))
  if (!isLMM.glmmgo_merMod(object)) stop("REMLcrit(): there is no REML criterion for a GLMM", call. = FALSE)
  object$REMLcrit
}

isSingular <- function(x, tol = 1e-4) {
  if (!inherits(x, "glmmgo_merMod")) return(forward("lme4", "isSingular", x, tol = tol))
  any(x$theta[x$lower == 0] < tol)
}

isREML <- function(x, ...) UseMethod("isREML")
isREML.default <- function(x, ...) forward("lme4", "isREML", x, ...)
isREML.glmmgo_merMod <- function(x, ...) isTRUE(x$REML)

isLMM <- function(x, ...) UseMethod("isLMM")
isLMM.default <- function(x, ...) forward("lme4", "isLMM", x, ...)
isLMM.glmmgo_merMod <- function(x, ...) {
  lme4_devcrit_guard()
  inherits(x, "glmmgo_lmm")
}

isGLMM <- function(x, ...) UseMethod("isGLMM")
isGLMM.default <- function(x, ...) forward("lme4", "isGLMM", x, ...)
isGLMM.glmmgo_merMod <- function(x, ...) !inherits(x, "glmmgo_lmm")

isNLMM.glmmgo_merMod <- function(x, ...) FALSE

## lme4's REMLcrit() is not generic and reads the S4 slot object@devcomp,
## which an S3 fit cannot have; it asks isLMM() first, so that call gives
## a clear error instead of R's message about slots.
lme4_devcrit_guard <- function() {
  if (!isNamespaceLoaded("lme4")) return(invisible())
  dc <- get0("devCrit", envir = asNamespace("lme4"), inherits = FALSE)
  for (f in rev(sys.function.list())) if (identical(f, dc))
    stop("lme4::REMLcrit() cannot read glmmgo fits (it reads S4 slots of lme4's merMod class): use glmmgo::REMLcrit(fit) or deviance(fit, REML = TRUE)",
         call. = FALSE)
  invisible()
}
sys.function.list <- function() lapply(seq_len(sys.nframe() - 1L), sys.function)

## ---- estimates ---------------------------------------------------------------

fixef.glmmgo_merMod <- function(object, add.dropped = FALSE, ...) {
  b <- object$beta
  if (add.dropped && length(object$kept) < ncol(object$X)) {
    full <- stats::setNames(rep(NA_real_, ncol(object$X)), colnames(object$X))
    full[names(b)] <- b
    b <- full
  }
  b
}

coef.glmmgo_merMod <- function(object, ...) {
  re <- ranef(object, condVar = FALSE)
  fe <- object$beta
  out <- lapply(re, function(r) {
    m <- matrix(rep(fe, each = nrow(r)), nrow = nrow(r), dimnames = list(rownames(r), names(fe)))
    m <- as.data.frame(m, check.names = FALSE)
    for (nm in names(r)) {
      if (nm %in% names(m)) m[[nm]] <- m[[nm]] + r[[nm]] else m[[nm]] <- r[[nm]]
    }
    m
  })
  structure(out, class = "coef.glmmgo_merMod")
}

print.coef.glmmgo_merMod <- function(x, ...) {
  print(unclass(x), ...)
  invisible(x)
}

## Conditional covariance blocks of the random effects, term by term
## (model order), level by level, k x k each (see getME.R on the internal
## generics).
fit_condvar <- function(object) UseMethod("fit_condvar")

## For an LMM, from the engine (computed on demand and kept).
fit_condvar.glmmgo_lmm <- function(object) {
  e <- object$engine
  if (!is.null(e$condvar)) return(e$condvar)
  e$condvar <- engine_result(lmm_engine_fitted(object), "GLMMGO_LMM_CONDVAR")
  e$condvar
}

ranef.glmmgo_merMod <- function(object, condVar = TRUE, drop = FALSE, whichel = NULL, postVar = FALSE, ...) {
  condVar <- condVar || postVar
  cv <- if (condVar) fit_condvar(object) else NULL
  cvoff <- cumsum(c(0, vapply(object$reterms, function(t) t$nlevels * length(t$cnms)^2, 1)))
  groups <- unique(vapply(object$reterms, function(t) t$group, ""))
  out <- list()
  for (g in groups) {
    idx <- which(vapply(object$reterms, function(t) t$group == g, NA))
    dfs <- list(); pv <- list()
    for (i in idx) {
      t <- object$reterms[[i]]
      k <- length(t$cnms)
      B <- matrix(object$b[t$b_idx], nrow = t$nlevels, byrow = TRUE, dimnames = list(t$levels, t$cnms))
      dfs[[length(dfs) + 1L]] <- as.data.frame(B, check.names = FALSE)
      if (!is.null(cv)) pv[[length(pv) + 1L]] <- array(cv[cvoff[i] + seq_len(t$nlevels * k * k)], dim = c(k, k, t$nlevels))
    }
    df <- do.call(cbind, dfs)
    if (!is.null(cv)) {
      ## terms on one factor are a priori independent; their blocks are
      ## reported per term (cross-term conditional covariances omitted)
      ks <- vapply(pv, function(a) dim(a)[1], 1)
      a <- array(0, dim = c(sum(ks), sum(ks), dim(pv[[1]])[3]))
      off <- cumsum(c(0, ks))
      for (j in seq_along(pv)) a[off[j] + seq_len(ks[j]), off[j] + seq_len(ks[j]), ] <- pv[[j]]
      attr(df, "postVar") <- a
    }
    out[[g]] <- df
  }
  if (!is.null(whichel)) out <- out[whichel]
  if (drop) out <- lapply(out, function(d) if (ncol(d) == 1L) stats::setNames(d[[1]], rownames(d)) else d)
  structure(out, class = "ranef.glmmgo_merMod")
}

print.ranef.glmmgo_merMod <- function(x, ...) {
  cv <- names(x)[vapply(x, function(d) !is.null(attr(d, "postVar")), NA)]
  for (nm in names(x)) {
    cat("$", nm, "\n", sep = "")
    d <- x[[nm]]
    attr(d, "postVar") <- NULL
    print(d, ...)
    cat("\n")
  }
  if (length(cv)) cat("with conditional variances for", paste(dQuote(cv, FALSE), collapse = " "), "\n")
  invisible(x)
}

## lme4's long format: grpvar, term, grp, condval, condsd.
as.data.frame.ranef.glmmgo_merMod <- function(x, row.names = NULL, optional = FALSE, ...) {
  out <- list()
  for (g in names(x)) {
    d <- x[[g]]
    pv <- attr(d, "postVar")
    for (j in seq_along(d)) {
      sdv <- if (!is.null(pv)) sqrt(pv[j, j, ]) else rep(NA_real_, nrow(d))
      out[[length(out) + 1L]] <- data.frame(grpvar = g, term = factor(names(d)[j]), grp = factor(rownames(d),
                                                                                                 levels = rownames(d)),
                                            condval = d[[j]], condsd = sdv, stringsAsFactors = FALSE)
    }
  }
  res <- do.call(rbind, out)
  res$term <- factor(as.character(res$term), levels = unique(unlist(lapply(x, names))))
  res$grp <- factor(as.character(res$grp), levels = unique(unlist(lapply(x, rownames))))
  rownames(res) <- NULL
  res
}

## The variance components as the engine reports them with the fit (the
## flat x$varcorr, GLMMGO_LMM_VARCORR: per term (model order) its k
## standard deviations, then the correlations below the diagonal column by
## column, NaN beside a zero standard deviation; last, sigma), in lme4's
## layout: the engine owns theta's layout.
VarCorr.glmmgo_merMod <- function(x, sigma = 1, ...) {
  s <- if (uses_scale(x)) x$sigma else 1
  v <- x$varcorr
  if (is.null(v)) stop("glmmgo: internal: this fit carries no variance components from the engine", call. = FALSE)
  off <- 0
  out <- lapply(x$reterms, function(t) {
    k <- length(t$cnms)
    sd <- v[off + seq_len(k)]
    cr <- diag(1, k)
    cr[lower.tri(cr)] <- v[off + k + seq_len(k * (k - 1) / 2)]
    cr[upper.tri(cr)] <- t(cr)[upper.tri(cr)]
    off <<- off + k + k * (k - 1) / 2
    V <- cr * outer(sd, sd)
    V[!is.finite(V)] <- 0
    diag(V) <- sd^2
    dimnames(V) <- dimnames(cr) <- list(t$cnms, t$cnms)
    attr(V, "stddev") <- stats::setNames(sd, t$cnms)
    attr(V, "correlation") <- cr
    V
  })
  names(out) <- make.unique(vapply(x$reterms, function(t) t$group, ""))
  attr(out, "sc") <- s
  attr(out, "useSc") <- uses_scale(x)
  structure(out, class = "VarCorr.glmmgo_merMod")
}

## TRUE when the family has a scale (sigma) estimated with the model.
uses_scale <- function(x) identical(x$family$family, "gaussian")

## lme4-style table of variance components.
format_varcorr <- function(vc, comp = c("Variance", "Std.Dev."), digits = max(3, getOption("digits") - 2)) {
  rows <- list()
  maxk <- max(vapply(vc, nrow, 1))
  for (g in names(vc)) {
    V <- vc[[g]]
    k <- nrow(V)
    for (i in seq_len(k))
      rows[[length(rows) + 1L]] <- list(group = if (i == 1) g else "", name = rownames(V)[i],
                                         var = V[i, i], sd = attr(V, "stddev")[i],
                                         corr = if (i > 1) attr(V, "correlation")[i, seq_len(i - 1)] else numeric())
  }
  if (isTRUE(attr(vc, "useSc"))) {
    sc <- attr(vc, "sc")
    rows[[length(rows) + 1L]] <- list(group = "Residual", name = "", var = sc^2, sd = sc, corr = numeric())
  }
  tab <- data.frame(Groups = vapply(rows, `[[`, "", "group"), Name = vapply(rows, `[[`, "", "name"),
                    stringsAsFactors = FALSE, check.names = FALSE)
  if ("Variance" %in% comp) tab$Variance <- format(vapply(rows, `[[`, 1, "var"), digits = digits)
  if ("Std.Dev." %in% comp) tab$Std.Dev. <- format(vapply(rows, `[[`, 1, "sd"), digits = digits)
  if (maxk > 1) {
    cm <- matrix("", length(rows), maxk - 1)
    for (r in seq_along(rows)) {
      cr <- rows[[r]]$corr
      if (length(cr)) cm[r, seq_along(cr)] <- formatC(cr, digits = max(2, digits - 2), format = "f")
    }
    colnames(cm) <- c("Corr", rep("", maxk - 2))
    tab <- cbind(tab, as.data.frame(cm, stringsAsFactors = FALSE, check.names = FALSE))
  }
  tab
}

print_varcorr_table <- function(tab) {
  m <- as.matrix(tab)
  rownames(m) <- rep("", nrow(m))
  print(m, quote = FALSE)
}

print.VarCorr.glmmgo_merMod <- function(x, digits = max(3, getOption("digits") - 2), comp = "Std.Dev.", ...) {
  print_varcorr_table(format_varcorr(x, comp = comp, digits = digits))
  invisible(x)
}

## lme4's long format: grp, var1, var2, vcov, sdcor.
as.data.frame.VarCorr.glmmgo_merMod <- function(x, row.names = NULL, optional = FALSE,
                                                order = c("cov.last", "lower.tri"), ...) {
  order <- match.arg(order)
  out <- list()
  for (g in names(x)) {
    V <- x[[g]]; k <- nrow(V); nm <- rownames(V)
    pairs <- if (order == "cov.last") {
      rbind(cbind(seq_len(k), seq_len(k)), if (k > 1) which(lower.tri(V), arr.ind = TRUE)[, c(2, 1), drop = FALSE])
    } else {
      idx <- which(lower.tri(V, diag = TRUE), arr.ind = TRUE)
      idx[order(idx[, 2], idx[, 1]), c(2, 1), drop = FALSE]
    }
    if (order == "cov.last" && k > 1) pairs[-seq_len(k), ] <- pairs[-seq_len(k), , drop = FALSE][
      order(pairs[-seq_len(k), 1], pairs[-seq_len(k), 2]), , drop = FALSE]
    for (r in seq_len(nrow(pairs))) {
      i <- pairs[r, 1]; j <- pairs[r, 2]
      out[[length(out) + 1L]] <- data.frame(
        grp = g, var1 = nm[i], var2 = if (i == j) NA_character_ else nm[j], vcov = V[j, i],
        sdcor = if (i == j) sqrt(V[i, i]) else attr(V, "correlation")[j, i], stringsAsFactors = FALSE)
    }
  }
  if (isTRUE(attr(x, "useSc"))) {
    sc <- attr(x, "sc")
    out[[length(out) + 1L]] <- data.frame(grp = "Residual", var1 = NA_character_, var2 = NA_character_,
                                          vcov = sc^2, sdcor = sc, stringsAsFactors = FALSE)
  }
  do.call(rbind, out)
}

sigma.glmmgo_merMod <- function(object, ...) if (uses_scale(object)) object$sigma else 1

nobs.glmmgo_merMod <- function(object, ...) object$nobs

## Number of parameters: fixed effects, theta, and sigma when there is one.
npar_fit <- function(object) length(object$beta) + length(object$theta) + as.integer(uses_scale(object))

logLik.glmmgo_merMod <- function(object, REML = NULL, ...) {
  if (is.null(REML)) REML <- object$REML
  val <- if (REML) -REMLcrit(object) / 2 else -object$deviance / 2
  structure(val, nall = object$nobs, nobs = object$nobs, df = npar_fit(object), class = "logLik")
}

## As lme4: the ML deviance (profiled at the fitted theta); REML = TRUE
## gives the REML criterion.
deviance.glmmgo_merMod <- function(object, REML = NULL, ...) {
  if (isTRUE(REML)) return(REMLcrit(object))
  object$deviance
}

df.residual.glmmgo_merMod <- function(object, ...) object$nobs - npar_fit(object)

vcov.glmmgo_merMod <- function(object, correlation = FALSE, ...) object$vcov

fitted.glmmgo_merMod <- function(object, ...) {
  f <- object$fitted
  names(f) <- rownames(object$frame)
  stats::napredict(object$na.action, f)
}

## Residuals as lme4's for an LMM: response (y - fitted), working (the
## same), pearson and deviance (sqrt(w) (y - fitted)); scaled divides by
## sigma.
residuals.glmmgo_merMod <- function(object, type = c("response", "working", "pearson", "deviance"),
                                    scaled = FALSE, ...) {
  type <- match.arg(type)
  r <- object$y - object$fitted
  if (type %in% c("pearson", "deviance") && !is.null(object$weights)) r <- r * sqrt(object$weights)
  if (scaled) r <- r / sigma(object)
  names(r) <- rownames(object$frame)
  stats::naresid(object$na.action, r)
}

## Prior weights (all 1 when none were given), as lme4's weights(type =
## "prior"); an LMM's working weights are its prior weights.
weights.glmmgo_merMod <- function(object, type = c("prior", "working"), ...) {
  type <- match.arg(type)
  if (is.null(object$weights)) rep(1, object$nobs) else object$weights
}

family.glmmgo_merMod <- function(object, ...) object$family

predict.glmmgo_merMod <- function(object, newdata = NULL, re.form = NULL, allow.new.levels = FALSE,
                                  na.action = stats::na.pass, ...) {
  if (is.null(newdata)) {
    p <- if (re_none(re.form)) lmm_linpred(object, re_form = NA) else object$fitted
    names(p) <- rownames(object$frame)
    return(stats::napredict(object$na.action, p))
  }
  newdata <- as.data.frame(newdata)
  tt <- object$fixed.terms
  mf <- stats::model.frame(tt, newdata, na.action = na.action, xlev = object$xlevels)
  X <- stats::model.matrix(tt, mf, contrasts.arg = object$contrasts)
  X <- X[, names(object$beta), drop = FALSE]
  eta <- drop(X %*% object$beta)
  off <- stats::model.offset(mf)
  if (!is.null(object$call$offset)) {
    extra <- eval(object$call$offset, newdata, environment(object$formula))
    off <- if (is.null(off)) extra else off + extra
  }
  if (!is.null(off)) eta <- eta + off
  if (!re_none(re.form)) {
    gvars <- grouping_vars(object$xformula)
    nd <- factorize_frame(newdata, intersect(gvars, names(newdata)))
    for (t in object$reterms) {
      g <- eval(t$group.expr, nd, environment(object$formula))
      code <- match(as.character(g), t$levels)
      if (anyNA(code) && !allow.new.levels) {
        bad <- unique(as.character(g)[is.na(code)])
        stop(sprintf("new level%s %s of '%s' in newdata: use allow.new.levels = TRUE to predict them from the fixed effects (random effect 0)",
                     if (length(bad) > 1) "s" else "", paste(utils::head(bad, 5), collapse = ", "), t$group),
             call. = FALSE)
      }
      lmf <- stats::model.frame(stats::delete.response(t$terms), newdata, na.action = na.action, xlev = t$xlevels)
      Z <- stats::model.matrix(stats::delete.response(t$terms), lmf, contrasts.arg = t$contrasts)
      B <- matrix(object$b[t$b_idx], nrow = t$nlevels, byrow = TRUE)
      contrib <- rowSums(Z * B[ifelse(is.na(code), 1L, code), , drop = FALSE])
      contrib[is.na(code)] <- 0
      eta <- eta + contrib
    }
  }
  names(eta) <- rownames(newdata)
  eta
}

model.frame.glmmgo_merMod <- function(formula, ...) formula$frame

## As lme4: the formula as given (random terms included); fixed.only =
## TRUE gives the fixed part, random.only = TRUE the random part.
formula.glmmgo_merMod <- function(x, fixed.only = FALSE, random.only = FALSE, ...) {
  if (fixed.only && random.only) stop("can't specify 'only fixed' and 'only random' terms", call. = FALSE)
  if (fixed.only) return(x$fixed.formula)
  if (random.only) {
    f <- x$xformula
    bars <- find_bars(f[[3]])
    f[[3]] <- Reduce(function(a, b) call("+", a, b), lapply(bars, function(b) call("(", b)))
    return(f)
  }
  x$formula
}

## The terms of the fixed part (lme4's terms(fixed.only = TRUE)), with the
## response, for anova, drop1 and car::Anova.
terms.glmmgo_merMod <- function(x, fixed.only = TRUE, random.only = FALSE, ...) {
  if (random.only) return(stats::terms(sub_bars(formula.glmmgo_merMod(x, random.only = TRUE))))
  if (!fixed.only) return(attr(x$frame, "terms"))
  x$terms
}

model.matrix.glmmgo_merMod <- function(object, type = c("fixed", "random", "randomListRaw"), ...) {
  type <- match.arg(type)
  switch(type, fixed = me_X(object), random = Matrix::t(me_Zt(object)),
         randomListRaw = stats::setNames(lapply(object$reterms, `[[`, "Z"),
                                         vapply(object$reterms, `[[`, "", "label")))
}

## extractAIC as lme4's: the number of parameters and the AIC of the fit
## refitted by ML.
extractAIC.glmmgo_merMod <- function(fit, scale = 0, k = 2, ...) {
  L <- stats::logLik(refitML(fit))
  edf <- attr(L, "df")
  c(edf, -2 * as.numeric(L) + k * edf)
}
