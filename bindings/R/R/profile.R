## Likelihood profiles and profile confidence intervals of an LMM, as
## lme4's profile.merMod and confint.thpr define them (Bates et al. 2015,
## J. Stat. Softw. 67(1), section 5.1): the fit is refitted by ML; each
## parameter on the standard-deviation scale (.sig01, ... standard
## deviations and correlations of the random effects, .sigma, then the
## fixed effects) is fixed on a grid and the ML deviance is minimised over
## the others; zeta = sign(value - estimate) * sqrt(deviance - minimum) is
## interpolated by a spline and inverted at the normal quantiles.
##
## The deviance with sigma held at a given value is needed for the
## variance parameters: D(theta, sigma) = log|L|^2 - log|W| + n log(2 pi
## sigma^2) + P / sigma^2, with P the penalised weighted residual sum of
## squares at theta; the engine gives its pieces at any theta
## (glmmgo_lmm_deviance_parts). At sigma^2 = P / n it is the ML deviance
## profiled over sigma.

## D(theta, sigma): the ML deviance at sigma, through the engine.
sigma_deviance <- function(fit) {
  n <- fit$nobs
  ptr <- lmm_engine(fit)
  function(theta, sigma) {
    d <- engine_lmm_deviance_parts(ptr, theta)
    d[["ldL2"]] - d[["ldW"]] + n * log(2 * pi * sigma^2) + d[["pwrss"]] / sigma^2
  }
}

## ---- the standard-deviation scale ------------------------------------------

## theta and sigma -> standard deviations and correlations of each term
## (lower triangle by columns: sd on the diagonal, correlations below), as
## lme4's Cv_to_Sv, then sigma.
theta_to_sdcor <- function(theta, reterms, sigma) {
  out <- unlist(lapply(reterms, function(t) {
    L <- theta_template(theta[t$theta_idx], t)
    V <- sigma^2 * tcrossprod(L)
    sd <- sqrt(diag(V))
    S <- V / outer(sd, sd)
    S[!is.finite(S)] <- 0
    diag(S) <- sd
    S[t$theta_rc]
  }))
  c(out, sigma)
}

## The inverse (lme4's Sv_to_Cv): theta from the sd/cor vector and sigma.
sdcor_to_theta <- function(sv, reterms, sigma) {
  off <- 0
  unlist(lapply(reterms, function(t) {
    k <- length(t$cnms)
    m <- length(t$theta_idx)
    v <- sv[off + seq_len(m)]
    off <<- off + m
    S <- matrix(0, k, k)
    S[t$theta_rc] <- v
    sd <- diag(S)
    C <- S; diag(C) <- 1
    C[upper.tri(C)] <- t(C)[upper.tri(C)]
    V <- C * outer(sd, sd) / sigma^2
    L <- safe_chol_lower(V)
    L[t$theta_rc]
  }))
}

## Lower Cholesky factor that tolerates zero variances (their columns are 0).
safe_chol_lower <- function(V) {
  k <- nrow(V)
  L <- matrix(0, k, k)
  for (j in seq_len(k)) {
    s <- V[j, j] - sum(L[j, seq_len(j - 1)]^2)
    if (s <= 0) next
    L[j, j] <- sqrt(s)
    if (j < k) for (i in (j + 1):k) L[i, j] <- (V[i, j] - sum(L[i, seq_len(j - 1)] * L[j, seq_len(j - 1)])) / L[j, j]
  }
  L
}

## lme4's names of the profiled parameters: .sig01, ... and .sigma, or
## sd_(Intercept)|Subject, cor_Days.(Intercept)|Subject, sigma.
profile_names <- function(fit, signames = TRUE) {
  nth <- length(fit$theta)
  if (signames) return(c(sprintf(".sig%02d", seq_len(nth)), ".sigma"))
  nms <- unlist(lapply(fit$reterms, function(t) {
    idx <- t$theta_rc
    ifelse(idx[, 1] == idx[, 2], sprintf("sd_%s|%s", t$cnms[idx[, 1]], t$group),
           sprintf("cor_%s.%s|%s", t$cnms[idx[, 1]], t$cnms[idx[, 2]], t$group))
  }))
  c(nms, "sigma")
}

## ---- profile ------------------------------------------------------------------

profile.glmmgo_lmm <- function(fitted, which = NULL, alphamax = 0.01, maxpts = 100, delta = NULL,
                               delta.cutoff = 1/8, verbose = 0, devtol = 1e-9, maxmult = 10, signames = TRUE, ...) {
  fit <- refitML(fitted)
  nth <- length(fit$theta)
  nvp <- nth + 1L
  p <- length(fit$beta)
  pnames <- c(profile_names(fit, signames), names(fit$beta))
  opt <- stats::setNames(c(theta_to_sdcor(fit$theta, fit$reterms, fit$sigma), fit$beta), pnames)
  which <- profile_which(which, nvp, length(opt), pnames)
  base <- fit$deviance
  cutoff <- sqrt(stats::qchisq(1 - alphamax, length(opt)))
  if (is.null(delta)) delta <- cutoff * delta.cutoff
  is_sd <- c(unlist(lapply(fit$reterms, function(t) {
    idx <- t$theta_rc
    idx[, 1] == idx[, 2]
  })), TRUE)
  lower <- ifelse(is_sd, 0, -1)
  upper <- ifelse(is_sd, Inf, 1)
  ## sigma = 0 makes theta infinite: the optimiser searches above a tiny sigma
  search_lower <- lower
  search_lower[nvp] <- 1e-3 * fit$sigma
  ## the optimiser works on parameters scaled to their estimates' size
  typical <- ifelse(is_sd, pmax(abs(opt[seq_len(nvp)]), 1e-2 * fit$sigma), 1)
  D <- sigma_deviance(fit)
  Dpsi <- function(psi) {
    th <- sdcor_to_theta(psi[seq_len(nth)], fit$reterms, psi[nvp])
    ## far from the estimate the criterion may not be computable (a
    ## numerically singular system): the optimiser must step back
    tryCatch(D(th, psi[nvp]), error = function(e) Inf)
  }
  chk <- Dpsi(opt[seq_len(nvp)])
  if (abs(chk - base) > 1e-6 * abs(base))
    stop(sprintf("profile: the deviance at sigma (%.8f) does not reproduce the ML deviance (%.8f)", chk, base),
         call. = FALSE)
  res <- list()
  for (w in intersect(seq_len(nvp), which)) {
    varcov_zeta <- function(xx, start) {
      fn <- function(x) Dpsi(insert_par(x, w, xx))
      o <- stats::nlminb(start, fn, lower = search_lower[-w], upper = upper[-w], scale = 1 / typical[-w],
                         control = list(rel.tol = 1e-10, eval.max = 2000, iter.max = 1000))
      dd <- o$objective - base
      if (dd < -devtol) stop(sprintf("profiling detected a lower deviance (%.8g below the fit's): the fit had not converged",
                                     -dd), call. = FALSE)
      c(sign(xx - opt[w]) * sqrt(max(0, dd)), insert_par(o$par, w, xx), rep(NA_real_, p))
    }
    res[[pnames[w]]] <- profile_one(w, opt, varcov_zeta, lower[w], upper[w], delta, cutoff, maxpts, maxmult,
                                    function(row) row[1 + seq_len(nvp)][-w], verbose)
  }
  for (j in intersect(nvp + seq_len(p), which) - nvp) {
    fixed_zeta <- function(b, start) fixed_profile_point(fit, j, b, base, opt, nvp)
    step0 <- fit$beta.se[j]
    res[[pnames[nvp + j]]] <- profile_one(nvp + j, opt, fixed_zeta, -Inf, Inf, delta, cutoff, maxpts, maxmult,
                                          function(row) NULL, verbose, step0 = step0)
  }
  glmmgo_profile_object(res, c(lower, rep(-Inf, p)), c(upper, rep(Inf, p)), pnames)
}

## The profiles (one matrix of points per parameter) in lme4's long layout,
## with each parameter's forward and backward splines and its bounds.
glmmgo_profile_object <- function(res, lower, upper, pnames) {
  out <- do.call(rbind, lapply(names(res), function(nm) {
    d <- as.data.frame(res[[nm]], check.names = FALSE)
    d$.par <- nm
    d
  }))
  rownames(out) <- NULL
  out$.par <- factor(out$.par, levels = names(res))
  spl <- lapply(names(res), function(nm) profile_splines(out[out$.par == nm, ], nm))
  names(spl) <- names(res)
  structure(out, forward = lapply(spl, `[[`, "forward"), backward = lapply(spl, `[[`, "backward"),
            lower = lower[match(names(res), pnames)], upper = upper[match(names(res), pnames)],
            class = c("glmmgo_profile", "data.frame"))
}

insert_par <- function(rest, w, value) {
  out <- numeric(length(rest) + 1L)
  out[w] <- value
  out[-w] <- rest
  out
}

profile_which <- function(which, nvp, nptot, pnames) {
  if (is.null(which)) return(seq_len(nptot))
  if (is.character(which)) {
    wi <- integer()
    if ("theta_" %in% which) wi <- seq_len(nvp)
    if ("beta_" %in% which) wi <- c(wi, seq(nvp + 1L, nptot))
    wi <- sort(unique(c(wi, match(intersect(which, pnames), pnames))))
    bad <- setdiff(which, c(pnames, "theta_", "beta_"))
    if (length(bad)) stop(sprintf("unknown parameter%s %s: the parameters are %s", if (length(bad) > 1) "s" else "",
                                  paste(sQuote(bad), collapse = ", "), paste(pnames, collapse = ", ")), call. = FALSE)
    return(wi)
  }
  if (!is.numeric(which) || any(which < 1 | which > nptot))
    stop(sprintf("'which' must be parameter names or numbers in 1..%d", nptot), call. = FALSE)
  as.integer(which)
}

## One fixed-effect profile point: beta_j = b by moving x_j b into the
## response and refitting the others by ML in the engine.
fixed_profile_point <- function(fit, j, b, base, opt, nvp) {
  X <- fit$X[, fit$kept, drop = FALSE]
  yfit <- (if (is.null(fit$offset)) fit$y else fit$y - fit$offset) - X[, j] * b
  lf <- list(y = yfit, X = X[, -j, drop = FALSE], weights = fit$weights, offset = NULL, reterms = fit$reterms)
  model <- lmm_model(lf, ctrl = NULL, y = yfit)
  on.exit(free_handle(model$ptr))
  r <- lmm_run(model$ptr, FALSE, fit$theta, 0, 0, 0, 0L, what = "profile")
  free_handle(r$fit)
  dd <- r$deviance - base
  beta <- numeric(length(fit$beta))
  beta[j] <- b
  beta[-j] <- r$beta
  c(sign(b - opt[nvp + j]) * sqrt(max(0, dd)), theta_to_sdcor(r$theta, fit$reterms, r$sigma), beta)
}

## Walk from the estimate in both directions until |zeta| passes the
## cutoff or the parameter reaches its bound (lme4's step rule: the next
## value moves zeta by about delta, the step growing at most maxmult-fold).
## One point beside the estimate (shift) sets the first step both ways.
## start_of(row) gives the optimiser's start for the next point.
profile_one <- function(w, opt, zeta_fun, lowcut, upcut, delta, cutoff, maxpts, maxmult, start_of, verbose,
                        step0 = NULL) {
  first <- c(0, opt)
  pw <- opt[[w]]
  shift <- if (!is.null(step0)) pw + delta * step0 else if (pw == 0) 0.001 else pw * 1.01
  walk <- function(rows) {
    while (length(rows) < maxpts) {
      r <- length(rows)
      cur <- rows[[r]]; prev <- rows[[r - 1L]]
      if (cur[w + 1] <= lowcut || cur[w + 1] >= upcut || (!is.na(cur[1]) && abs(cur[1]) > cutoff)) break
      num <- cur[w + 1] - prev[w + 1]
      den <- cur[1] - prev[1]
      step <- if (is.na(den) || den == 0) 1e-6 else delta * num / den
      if (step < 0) step <- 1e-6
      if (abs(step) > maxmult * abs(num)) step <- maxmult * abs(num)
      nxt <- min(upcut, max(lowcut, cur[w + 1] + sign(num) * step))
      rows[[r + 1L]] <- zeta_fun(nxt, start_of(cur))
      if (verbose) cat(sprintf("parameter %d: %g zeta %g\n", w, nxt, rows[[r + 1L]][1]))
    }
    rows
  }
  s <- zeta_fun(shift, start_of(first))
  up <- walk(list(first, s))
  down <- if (pw > lowcut) walk(list(s, first))[-(1:2)] else list()
  m <- do.call(rbind, c(up, down))
  colnames(m) <- c(".zeta", names(opt))
  m <- unique(m)
  m[order(m[, w + 1]), , drop = FALSE]
}

## lme4's splines: zeta as a function of the parameter (forward) and its
## inverse (backward), from the splines package.
profile_splines <- function(d, nm) {
  d <- d[is.finite(d$.zeta) & is.finite(d[[nm]]), , drop = FALSE]
  fwd <- tryCatch(splines::interpSpline(d[[nm]], d$.zeta), error = function(e) e)
  bak <- if (inherits(fwd, "error")) fwd else tryCatch(splines::backSpline(fwd), error = function(e) e)
  if (inherits(bak, "error")) warning("non-monotonic profile for ", nm, call. = FALSE)
  list(forward = fwd, backward = bak)
}

## Profile intervals as lme4's confint.thpr: the backward spline at the
## normal quantiles; where the profile does not reach a quantile (a bound,
## e.g. a standard deviation at 0) the bound is the limit.
confint.glmmgo_profile <- function(object, parm, level = 0.95, zeta, ...) {
  bak <- attr(object, "backward")
  bnms <- names(bak)
  lower <- attr(object, "lower"); upper <- attr(object, "upper")
  if (missing(parm)) parm <- bnms
  else if (is.numeric(parm)) parm <- bnms[parm]
  else if (length(parm) == 1L && parm == "theta_") parm <- grep("^(sd_|cor_|\\.sig|sigma$)", bnms, value = TRUE)
  else if (length(parm) == 1L && parm == "beta_") parm <- grep("^(sd_|cor_|\\.sig|sigma$)", bnms, value = TRUE, invert = TRUE)
  else parm <- intersect(as.character(parm), bnms)
  a <- (1 - level) / 2
  a <- c(a, 1 - a)
  if (missing(zeta)) zeta <- stats::qnorm(a)
  ci <- matrix(NA_real_, length(parm), 2L, dimnames = list(parm, format_perc(a)))
  for (i in seq_along(parm)) {
    b <- bak[[parm[i]]]
    d <- object[object$.par == parm[i], ]
    p <- if (inherits(b, "error")) {
      stats::approxfun(d$.zeta, d[[parm[i]]])(zeta)
    } else stats::predict(b, zeta)$y
    zr <- range(d$.zeta, na.rm = TRUE)
    p[zeta < zr[1]] <- NA
    p[zeta > zr[2]] <- NA
    k <- match(parm[i], bnms)
    if (is.na(p[1])) p[1] <- lower[k]
    if (is.na(p[2])) p[2] <- upper[k]
    ci[i, ] <- p
  }
  ci
}

format_perc <- function(probs, digits = 3) paste(format(100 * probs, trim = TRUE, scientific = FALSE, digits = digits), "%")

## The profile in lme4's long layout, or with `.focal` (the profiled value).
as.data.frame.glmmgo_profile <- function(x, ...) {
  out <- x
  class(out) <- "data.frame"
  attr(out, "forward") <- attr(out, "backward") <- attr(out, "lower") <- attr(out, "upper") <- NULL
  out$.focal <- vapply(seq_len(nrow(out)), function(i) out[[as.character(out$.par[i])]][i], 1)
  out
}

print.glmmgo_profile <- function(x, ...) {
  print(as.data.frame(x), ...)
  invisible(x)
}
