## Accessors and printing for lmer() fits (class "glmmgo_lmm"), following
## lme4's conventions and layout.

## Generics: nlme's fixef/ranef/VarCorr are the ones lme4 re-exports. We
## define our own (so nothing else is needed) and also register our methods
## on nlme's generics when nlme is loaded (NAMESPACE: S3method(nlme::...)),
## so the accessors keep working when lme4 is attached after glmmgo. When
## glmmgo is attached after lme4, our generics' default methods hand other
## objects (merMod, lme) to nlme's generics.
fixef <- function(object, ...) UseMethod("fixef")
ranef <- function(object, ...) UseMethod("ranef")
VarCorr <- function(x, sigma = 1, ...) UseMethod("VarCorr")

forward_nlme <- function(name, ...) {
  if (!isNamespaceLoaded("nlme"))
    stop(sprintf("no '%s' method for this object in glmmgo (and nlme/lme4 are not loaded)", name), call. = FALSE)
  getExportedValue("nlme", name)(...)
}
fixef.default <- function(object, ...) forward_nlme("fixef", object, ...)
ranef.default <- function(object, ...) forward_nlme("ranef", object, ...)
VarCorr.default <- function(x, sigma = 1, ...) {
  if (missing(sigma)) forward_nlme("VarCorr", x, ...) else forward_nlme("VarCorr", x, sigma = sigma, ...)
}

REMLcrit <- function(object) {
  if (!inherits(object, "glmmgo_lmm")) stop("REMLcrit() needs an lmer() fit from glmmgo", call. = FALSE)
  if (!object$REML) return(NA_real_)
  object$REMLcrit
}

isSingular <- function(x, tol = 1e-4) {
  if (!inherits(x, "glmmgo_lmm")) stop("isSingular() needs an lmer() fit from glmmgo", call. = FALSE)
  diagonal <- x$lower == 0
  any(x$theta[diagonal] < tol)
}

fixef.glmmgo_lmm <- function(object, add.dropped = FALSE, ...) {
  b <- object$beta
  if (add.dropped && length(object$kept) < ncol(object$X)) {
    full <- stats::setNames(rep(NA_real_, ncol(object$X)), colnames(object$X))
    full[names(b)] <- b
    b <- full
  }
  b
}

coef.glmmgo_lmm <- function(object, ...) {
  re <- ranef(object)
  fe <- object$beta
  out <- lapply(re, function(r) {
    m <- matrix(rep(fe, each = nrow(r)), nrow = nrow(r), dimnames = list(rownames(r), names(fe)))
    m <- as.data.frame(m, check.names = FALSE)
    for (nm in names(r)) {
      if (nm %in% names(m)) m[[nm]] <- m[[nm]] + r[[nm]] else m[[nm]] <- r[[nm]]
    }
    m
  })
  structure(out, class = "coef.glmmgo_lmm")
}

print.coef.glmmgo_lmm <- function(x, ...) {
  print(unclass(x), ...)
  invisible(x)
}

## The engine's handles of a fit (model or fit), or a clear error when they
## are gone: a fit restored by readRDS or sent to a PSOCK worker keeps its
## results but no engine state.
lmm_engine_handle <- function(object, which, what) {
  h <- object$engine[[which]]
  if (!handle_valid(h))
    stop(sprintf("%s needs the engine's %s, which is gone (the fit was saved and restored, or sent to another R process): refit the model%s",
                 what, which, if (which == "fit") ", or call ranef(fit) once before saving it" else ""),
         call. = FALSE)
  h
}

## Conditional covariance blocks from the engine, computed on the first
## request and kept in the fit (so they survive saveRDS once computed).
lmm_condvar <- function(object) {
  e <- object$engine
  if (!is.null(e$condvar)) return(e$condvar)
  e$condvar <- engine_result(lmm_engine_handle(object, "fit", "ranef(condVar = TRUE)"), "GLMMGO_LMM_CONDVAR")
  e$condvar
}

## lme4's deviance components (getME(fit, "devcomp")$cmp) at theta (the fit's
## by default), from the engine's pieces at theta: log|L|^2, log|R_X|^2, the
## weighted and penalised residual sums of squares and sum log w, combined
## into the ML deviance and REML criterion (Bates et al. 2015, J. Stat.
## Softw. 67(1)). drsum is lme4's GLMM entry (NA here).
lmm_devcomp <- function(object, theta = object$theta) {
  parts <- engine_lmm_deviance_parts(lmm_engine_handle(object, "model", "lmm_devcomp()"), theta)
  n <- object$nobs
  p <- length(object$kept)
  pw <- parts[["pwrss"]]
  dev <- parts[["ldL2"]] - parts[["ldW"]] + n * (1 + log(2 * pi * pw / n))
  reml <- parts[["ldL2"]] + parts[["ldRX2"]] - parts[["ldW"]] + (n - p) * (1 + log(2 * pi * pw / (n - p)))
  c(parts[c("ldL2", "ldRX2", "wrss", "ussq", "pwrss")], drsum = NA_real_,
    REML = if (object$REML) reml else NA_real_, dev = if (object$REML) NA_real_ else dev,
    sigmaML = sqrt(pw / n), sigmaREML = sqrt(pw / (n - p)), ldW = parts[["ldW"]])
}

ranef.glmmgo_lmm <- function(object, condVar = TRUE, drop = FALSE, whichel = NULL, postVar = FALSE, ...) {
  condVar <- condVar || postVar
  cv <- if (condVar) lmm_condvar(object) else NULL
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
      if (!is.null(cv)) {
        a <- array(cv[cvoff[i] + seq_len(t$nlevels * k * k)], dim = c(k, k, t$nlevels))
        pv[[length(pv) + 1L]] <- a
      }
    }
    df <- do.call(cbind, dfs)
    if (!is.null(cv)) {
      if (length(pv) == 1L) {
        attr(df, "postVar") <- pv[[1]]
      } else {
        ## terms on one factor are a priori independent; their blocks are
        ## reported per term (cross-term conditional covariances omitted)
        ks <- vapply(pv, function(a) dim(a)[1], 1)
        K <- sum(ks); nl <- dim(pv[[1]])[3]
        a <- array(0, dim = c(K, K, nl))
        off <- cumsum(c(0, ks))
        for (j in seq_along(pv)) a[off[j] + seq_len(ks[j]), off[j] + seq_len(ks[j]), ] <- pv[[j]]
        attr(df, "postVar") <- a
      }
    }
    out[[g]] <- df
  }
  if (!is.null(whichel)) out <- out[whichel]
  if (drop) out <- lapply(out, function(d) if (ncol(d) == 1L) stats::setNames(d[[1]], rownames(d)) else d)
  structure(out, class = "ranef.glmmgo_lmm")
}

print.ranef.glmmgo_lmm <- function(x, ...) {
  for (nm in names(x)) {
    cat("$", nm, "\n", sep = "")
    d <- x[[nm]]
    attr(d, "postVar") <- NULL
    print(d, ...)
    cat("\n")
  }
  cat("with conditional variances for", paste(dQuote(names(x), FALSE), collapse = " "), "\n")
  invisible(x)
}

## The variance components as the engine reports them (GLMMGO_LMM_VARCORR:
## per term its k standard deviations, then the correlations below the
## diagonal column by column, NaN beside a zero standard deviation; last,
## sigma), in lme4's layout.
VarCorr.glmmgo_lmm <- function(x, sigma = 1, ...) {
  s <- x$sigma
  v <- x$varcorr
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
  attr(out, "useSc") <- TRUE
  structure(out, class = "VarCorr.glmmgo_lmm")
}

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
  sc <- attr(vc, "sc")
  rows[[length(rows) + 1L]] <- list(group = "Residual", name = "", var = sc^2, sd = sc, corr = numeric())
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

print.VarCorr.glmmgo_lmm <- function(x, digits = max(3, getOption("digits") - 2), comp = "Std.Dev.", ...) {
  print_varcorr_table(format_varcorr(x, comp = comp, digits = digits))
  invisible(x)
}

as.data.frame.VarCorr.glmmgo_lmm <- function(x, row.names = NULL, optional = FALSE, ...) {
  out <- list()
  for (g in names(x)) {
    V <- x[[g]]; k <- nrow(V); nm <- rownames(V)
    grp <- g
    for (i in seq_len(k)) out[[length(out) + 1L]] <- data.frame(grp = grp, var1 = nm[i], var2 = NA_character_,
                                                                 vcov = V[i, i], sdcor = sqrt(V[i, i]))
    if (k > 1) for (j in 1:(k - 1)) for (i in (j + 1):k)
      out[[length(out) + 1L]] <- data.frame(grp = grp, var1 = nm[j], var2 = nm[i], vcov = V[i, j],
                                            sdcor = attr(V, "correlation")[i, j])
  }
  sc <- attr(x, "sc")
  out[[length(out) + 1L]] <- data.frame(grp = "Residual", var1 = NA_character_, var2 = NA_character_,
                                        vcov = sc^2, sdcor = sc)
  do.call(rbind, out)
}

sigma.glmmgo_lmm <- function(object, ...) object$sigma

nobs.glmmgo_lmm <- function(object, ...) object$nobs

logLik.glmmgo_lmm <- function(object, REML = NULL, ...) {
  if (is.null(REML)) REML <- object$REML
  val <- if (REML) {
    if (!object$REML) stop("logLik(REML = TRUE) needs a REML fit", call. = FALSE)
    -object$REMLcrit / 2
  } else -object$deviance / 2
  structure(val, nall = object$nobs, nobs = object$nobs, df = length(object$beta) + length(object$theta) + 1L,
            class = "logLik")
}

deviance.glmmgo_lmm <- function(object, REML = NULL, ...) {
  if (isTRUE(REML)) return(REMLcrit(object))
  object$deviance
}

df.residual.glmmgo_lmm <- function(object, ...) object$nobs - length(object$beta) - length(object$theta) - 1L

vcov.glmmgo_lmm <- function(object, ...) object$vcov

fitted.glmmgo_lmm <- function(object, ...) {
  f <- object$fitted
  names(f) <- rownames(object$frame)
  stats::napredict(object$na.action, f)
}

residuals.glmmgo_lmm <- function(object, type = c("response", "pearson", "working"), scaled = FALSE, ...) {
  type <- match.arg(type)
  r <- object$y - object$fitted
  if (type == "pearson" && !is.null(object$weights)) r <- r * sqrt(object$weights)
  if (scaled) r <- r / object$sigma
  names(r) <- rownames(object$frame)
  stats::naresid(object$na.action, r)
}

predict.glmmgo_lmm <- function(object, newdata = NULL, re.form = NULL, allow.new.levels = FALSE,
                               na.action = stats::na.pass, ...) {
  if (is.null(newdata)) {
    p <- if (re_none(re.form)) lmm_linpred(object, re_form = NA) else object$fitted
    names(p) <- rownames(object$frame)
    return(stats::napredict(object$na.action, p))
  }
  newdata <- as.data.frame(newdata)
  tt <- stats::delete.response(object$fixed.terms)
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
    for (t in object$reterms) {
      g <- eval(t$group.expr, newdata, environment(object$formula))
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

model.frame.glmmgo_lmm <- function(formula, ...) formula$frame

formula.glmmgo_lmm <- function(x, ...) x$formula

model.matrix.glmmgo_lmm <- function(object, ...) object$X[, object$kept, drop = FALSE]

getME_theta <- function(object) object$theta

## ---- printing, in lme4's layout ----------------------------------------

lmm_header <- function(x) {
  cat(sprintf("Linear mixed model fit by %s ['glmmgo_lmm']\n",
              if (x$REML) "REML" else "maximum likelihood "))
  cat("Formula:", deparse1_(x$formula), "\n")
  if (!is.null(x$call$data)) cat("   Data:", deparse1_(x$call$data), "\n")
  if (!is.null(x$call$weights)) cat("Weights:", deparse1_(x$call$weights), "\n")
  if (!is.null(x$call$offset)) cat(" Offset:", deparse1_(x$call$offset), "\n")
  if (!is.null(x$call$subset)) cat(" Subset:", deparse1_(x$call$subset), "\n")
}

lmm_ngroups <- function(x) {
  g <- vapply(x$reterms, function(t) t$group, "")
  nl <- vapply(x$reterms, function(t) t$nlevels, 1L)
  keep <- !duplicated(g)
  stats::setNames(nl[keep], g[keep])
}

print_aictab <- function(tab, decimals) {
  out <- c(format(round(tab[1:4], decimals), nsmall = decimals), format(tab[5]))
  names(out) <- names(tab)
  print(out, quote = FALSE, right = TRUE)
}

print_ngroups <- function(x) {
  ng <- lmm_ngroups(x)
  cat(sprintf("Number of obs: %d, groups:  %s\n", x$nobs,
              paste(sprintf("%s, %d", names(ng), ng), collapse = "; ")))
}

print.glmmgo_lmm <- function(x, digits = max(3, getOption("digits") - 3), ...) {
  lmm_header(x)
  if (x$REML) {
    cat(sprintf("REML criterion at convergence: %s\n", format(round(x$REMLcrit, 4))))
  } else {
    print_aictab(c(AIC = stats::AIC(x), BIC = stats::BIC(x), logLik = -x$deviance / 2, deviance = x$deviance,
                   df.resid = stats::df.residual(x)), 4)
  }
  cat("Random effects:\n")
  print_varcorr_table(format_varcorr(VarCorr(x), comp = "Std.Dev.", digits = digits))
  print_ngroups(x)
  cat("Fixed Effects:\n")
  print(format(x$beta, digits = digits), quote = FALSE, print.gap = 2L)
  if (x$singular) cat("boundary (singular) fit: see help('isSingular')\n")
  invisible(x)
}

summary.glmmgo_lmm <- function(object, correlation = NULL, ...) {
  coefs <- cbind(Estimate = object$beta, `Std. Error` = object$beta.se,
                 `t value` = object$beta / object$beta.se)
  structure(list(fit = object, coefficients = coefs, varcor = VarCorr(object),
                 residuals = residuals(object, type = "pearson", scaled = TRUE),
                 correlation = correlation, vcov = object$vcov,
                 AICtab = c(AIC = stats::AIC(object), BIC = stats::BIC(object), logLik = -object$deviance / 2,
                            deviance = object$deviance, df.resid = stats::df.residual(object))),
            class = "summary.glmmgo_lmm")
}

print.summary.glmmgo_lmm <- function(x, digits = max(3, getOption("digits") - 3),
                                     correlation = NULL, signif.stars = FALSE, ...) {
  fit <- x$fit
  lmm_header(fit)
  cat("\n")
  if (fit$REML) {
    cat(sprintf("REML criterion at convergence: %s\n\n", format(round(fit$REMLcrit, 1), nsmall = 1)))
  } else {
    print_aictab(x$AICtab, 1)
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
  if (fit$singular) cat("boundary (singular) fit: see help('isSingular')\n")
  invisible(x)
}
