## anova() and drop1() of glmmgo_merMod fits, as lme4's anova.merMod and
## drop1.merMod: for one fit, the sequential F table of the fixed-effect
## terms (sums of squares (R_X beta)^2 summed per term, F = mean square /
## sigma^2, no denominator degrees of freedom); for several fits, the
## likelihood-ratio table, REML fits first refitted by ML.

anova.glmmgo_merMod <- function(object, ..., refit = TRUE, model.names = NULL) {
  mc <- match.call(expand.dots = TRUE)
  dots <- list(...)
  is_model <- vapply(dots, function(d) inherits(d, c("glmmgo_merMod", "merMod", "lm")), NA)
  if (any(is_model)) return(anova_models(c(list(object), dots[is_model]), mc, is_model, refit, model.names))
  if (length(dots)) warning("additional arguments ignored", call. = FALSE)
  if (inherits(object, "glmmgo_glmer"))
    stop("anova() of a single glmer() fit is not available: compare nested fits, anova(fit0, fit1), or use car::Anova(fit)",
         call. = FALSE)
  anova_terms(object)
}

anova_terms <- function(object) {
  X <- me_X(object)
  asgn <- attr(X, "assign")
  ss <- as.vector(me_RX(object) %*% object$beta)^2
  tl <- attr(stats::terms(object$fixed.formula), "term.labels")
  nm <- tl[unique(asgn[asgn > 0])]
  if (any(asgn == 0)) nm <- c("(Intercept)", nm)
  ss <- vapply(split(ss, asgn), sum, 1)
  df <- lengths(split(asgn, asgn))
  ms <- ss / df
  tab <- data.frame(df, ss, ms, ms / sigma(object)^2)
  dimnames(tab) <- list(nm, c("npar", "Sum Sq", "Mean Sq", "F value"))
  if ("(Intercept)" %in% nm) tab <- tab[-match("(Intercept)", nm), , drop = FALSE]
  structure(tab, heading = "Analysis of Variance Table", class = c("anova", "data.frame"))
}

anova_models <- function(mods, mc, is_model, refit, model.names) {
  nobs_all <- vapply(mods, stats::nobs, 1)
  if (stats::var(nobs_all) > 0) stop("models were not all fitted to the same size of dataset", call. = FALSE)
  names_all <- model.names %||% vapply(as.list(mc)[c(FALSE, TRUE, is_model)], deparse1_, "")
  if (length(names_all) != length(mods)) stop("model names vector and model list have different lengths", call. = FALSE)
  if (any(duplicated(names_all)) || max(nchar(names_all)) > 200) names_all <- paste0("MODEL", seq_along(mods))
  names(mods) <- names_all
  reml <- vapply(mods, function(m) (inherits(m, "glmmgo_merMod") && isTRUE(m$REML)) ||
                                    (inherits(m, "merMod") && isREML(m)), NA)
  if (refit) {
    if (any(reml)) message("refitting model(s) with ML (instead of REML)")
    mods[reml] <- lapply(mods[reml], refitML)
  } else if (any(reml) && any(!reml)) warning("some models fit with REML = TRUE, some not", call. = FALSE)
  llks <- lapply(mods, stats::logLik)
  npar <- vapply(llks, attr, 1, "df")
  ii <- order(npar)
  mods <- mods[ii]; llks <- llks[ii]; npar <- npar[ii]
  calls <- lapply(mods, stats::getCall)
  data <- lapply(calls, `[[`, "data")
  if (!all(vapply(data, identical, NA, data[[1]]))) stop("all models must be fit to the same data object", call. = FALSE)
  header <- paste("Data:", deparse1_(data[[1]]))
  subset <- lapply(calls, `[[`, "subset")
  if (!all(vapply(subset, identical, NA, subset[[1]]))) stop("all models must use the same subset", call. = FALSE)
  if (!is.null(subset[[1]])) header <- c(header, paste("Subset:", deparse1_(subset[[1]])))
  llk <- unlist(llks)
  chisq <- 2 * pmax(0, c(NA, diff(llk)))
  dfc <- c(NA, diff(npar))
  val <- data.frame(npar = npar, AIC = vapply(llks, stats::AIC, 1), BIC = vapply(llks, stats::BIC, 1), logLik = llk,
                    deviance = -2 * llk, Chisq = chisq, Df = dfc,
                    `Pr(>Chisq)` = ifelse(dfc == 0, NA, stats::pchisq(chisq, dfc, lower.tail = FALSE)),
                    row.names = names(mods), check.names = FALSE)
  class(val) <- c("anova", class(val))
  forms <- lapply(calls, function(cl) deparse1_(cl[["formula"]] %||% cl[[2]]))
  structure(val, heading = c(header, "Models:", paste(names(mods), unlist(forms), sep = ": ")))
}

## Single-term deletions of fixed-effect terms (lme4's drop1.merMod): AIC
## of each reduced model refitted by ML, and with test = "Chisq" the
## likelihood-ratio test.
drop1.glmmgo_merMod <- function(object, scope, scale = 0, test = c("none", "Chisq"), k = 2, trace = FALSE, ...) {
  test <- match.arg(test)
  tl <- attr(stats::terms(object$fixed.formula), "term.labels")
  if (missing(scope)) {
    scope <- stats::drop.scope(stats::terms(object$fixed.formula))
  } else {
    if (!is.character(scope)) scope <- attr(stats::terms(no_bars(stats::update.formula(object$fixed.formula, scope))),
                                            "term.labels")
    if (!all(match(scope, tl, 0L) > 0L)) stop("scope is not a subset of term labels", call. = FALSE)
  }
  ss <- stats::setNames(extractAIC(object, scale, k = k), c("df", "AIC"))
  ans <- matrix(NA_real_, length(scope) + 1L, 2L, dimnames = list(c("<none>", scope), c("df", "AIC")))
  ans[1, ] <- ss
  n0 <- stats::nobs(object)
  env <- environment(object$formula)
  for (i in seq_along(scope)) {
    if (trace > 1) cat("trying -", scope[i], "\n", sep = "")
    nfit <- stats::update(object, stats::as.formula(paste("~ . -", scope[i])), evaluate = FALSE)
    nfit <- eval(nfit, envir = env)
    ans[i + 1, ] <- extractAIC(nfit, scale, k = k)
    if (stats::nobs(nfit) != n0) stop("number of rows in use has changed: remove missing values?", call. = FALSE)
  }
  dfs <- ans[1L, 1L] - ans[, 1L]
  dfs[1L] <- NA
  aod <- data.frame(npar = dfs, AIC = ans[, 2])
  if (test == "Chisq") {
    dev <- ans[, 2L] - k * ans[, 1L]
    dev <- dev - dev[1L]
    dev[1L] <- NA
    P <- dev
    ok <- !is.na(dev)
    P[ok] <- stats::pchisq(dev[ok], dfs[ok], lower.tail = FALSE)
    aod[, c("LRT", "Pr(Chi)")] <- list(dev, P)
  }
  structure(aod, heading = c("Single term deletions", "\nModel:", deparse(formula(object))),
            class = c("anova", "data.frame"))
}
