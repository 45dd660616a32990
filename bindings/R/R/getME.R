## getME(): the pieces of a fit under lme4's names (Bates et al. 2015,
## J. Stat. Softw. 67(1), section 3), as sparse matrices from the Matrix
## package where lme4 gives them. Everything is built from the fit's
## model matrices, theta and the engine's results; the pieces of lme4's
## own factorisation (L, RZX, A) are rebuilt from their definitions.

getME <- function(object, name, ...) UseMethod("getME")
getME.default <- function(object, name, ...) forward("lme4", "getME", object, name, ...)

getME_names <- c("X", "Z", "Zt", "Ztlist", "mmList", "y", "mu", "u", "b", "Gp", "Tp", "L", "Lambda", "Lambdat",
                 "Lind", "Tlist", "A", "RX", "RZX", "sigma", "flist", "fixef", "beta", "theta", "ST", "REML",
                 "is_REML", "n_rtrms", "n_rfacs", "N", "n", "p", "q", "p_i", "l_i", "q_i", "k", "m_i", "m", "cnms",
                 "devcomp", "offset", "lower", "devfun")

getME.glmmgo_merMod <- function(object, name = getME_names, ...) {
  if (missing(name)) stop("'name' must be given: one or more of ", paste(getME_names, collapse = ", "), call. = FALSE)
  if (identical(name, "ALL")) name <- getME_names
  if (length(name) > 1L) return(stats::setNames(lapply(name, function(nm) getME.glmmgo_merMod(object, nm)), name))
  if (!is.character(name) || !(name %in% getME_names))
    stop(sprintf("getME(): unknown name '%s'; glmmgo knows %s", format(name), paste(getME_names, collapse = ", ")),
         call. = FALSE)
  if (inherits(object, "glmmgo_glmer") && name %in% c("L", "A", "RX", "RZX"))
    stop(sprintf("getME(, \"%s\") is not available for glmer() fits: the engine keeps the PIRLS factor at the mode to itself (getME(, \"devcomp\") has its log-determinant)",
                 name), call. = FALSE)
  re <- object$reterms
  switch(name,
    X = me_X(object),
    Z = Matrix::t(me_Zt(object)),
    Zt = me_Zt(object),
    Ztlist = me_Ztlist(object),
    mmList = stats::setNames(lapply(re, `[[`, "Z"), vapply(re, `[[`, "", "label")),
    y = object$y,
    mu = object$fitted,
    u = object$u,
    b = object$b,
    Gp = as.integer(c(0, cumsum(vapply(re, function(t) t$nlevels * length(t$cnms), 1)))),
    Tp = as.integer(c(0, cumsum(vapply(re, function(t) length(t$theta_idx), 1)))),
    L = me_pls(object)$L,
    Lambda = Matrix::t(me_Lambdat(object)),
    Lambdat = me_Lambdat(object),
    Lind = me_Lind(object),
    Tlist = stats::setNames(lapply(re, function(t) theta_template(object$theta[t$theta_idx], t)),
                            vapply(re, `[[`, "", "label")),
    A = me_pls(object)$LtZtW,
    RX = me_RX(object),
    RZX = me_pls(object)$RZX,
    sigma = object$sigma,
    flist = me_flist(object),
    fixef = object$beta,
    beta = unname(object$beta),
    theta = stats::setNames(object$theta, theta_names(object)),
    ST = stats::setNames(lapply(re, function(t) {
      L <- theta_template(object$theta[t$theta_idx], t)
      d <- diag(L)
      S <- L %*% diag(1 / ifelse(d == 0, 1, d), nrow = length(d))
      diag(S) <- d
      S
    }), vapply(re, `[[`, "", "group")),
    REML = if (object$REML) length(object$beta) else 0L,
    is_REML = object$REML,
    n_rtrms = length(re),
    n_rfacs = length(unique(vapply(re, `[[`, "", "group"))),
    N = object$nobs, n = object$nobs,
    p = length(object$beta),
    q = length(object$b),
    p_i = vapply(re, function(t) length(t$cnms), 1L),
    l_i = vapply(re, `[[`, 1L, "nlevels"),
    q_i = vapply(re, function(t) t$nlevels * length(t$cnms), 1),
    k = length(re),
    m_i = vapply(re, function(t) length(t$theta_idx), 1L),
    m = length(object$theta),
    cnms = stats::setNames(lapply(re, `[[`, "cnms"), vapply(re, `[[`, "", "group")),
    devcomp = me_devcomp(object),
    offset = if (is.null(object$offset)) rep(0, object$nobs) else object$offset,
    lower = object$lower,
    devfun = fit_devfun(object))
}

## lme4's names of theta: group.column for diagonal elements,
## group.row.column below the diagonal.
theta_names <- function(object) {
  unlist(lapply(object$reterms, function(t) {
    idx <- t$theta_rc
    ifelse(idx[, 1] == idx[, 2], paste(t$group, t$cnms[idx[, 1]], sep = "."),
           paste(t$group, t$cnms[idx[, 1]], t$cnms[idx[, 2]], sep = "."))
  }))
}

me_X <- function(object) {
  X <- object$X[, object$kept, drop = FALSE]
  attr(X, "assign") <- attr(object$X, "assign")[object$kept]
  attr(X, "contrasts") <- attr(object$X, "contrasts")
  X
}

## Z' of one term: q_i x n, rows level by level with the term's columns
## varying fastest (lme4's layout, and the engine's order of b).
term_zt <- function(t, n) {
  k <- ncol(t$Z)
  i <- as.vector(t(outer((t$codes - 1L) * k, seq_len(k), "+")))
  j <- rep(seq_len(n), each = k)
  x <- as.vector(t(t$Z))
  Matrix::drop0(Matrix::sparseMatrix(i = i, j = j, x = x, dims = c(t$nlevels * k, n),
                                     dimnames = list(rep(t$levels, each = k), NULL)))
}

## lme4's Ztlist: one levels x n matrix per column of each term, named
## group.column.
me_Ztlist <- function(object) {
  out <- list()
  for (t in object$reterms) for (j in seq_along(t$cnms)) {
    m <- Matrix::drop0(Matrix::sparseMatrix(i = t$codes, j = seq_along(t$codes), x = t$Z[, j],
                                            dims = c(t$nlevels, length(t$codes)),
                                            dimnames = list(t$levels, rownames(object$frame))))
    out[[paste(t$group, t$cnms[j], sep = ".")]] <- m
  }
  out
}

dense_term_z <- function(t) as.matrix(Matrix::t(term_zt(t, length(t$codes))))

me_Zt <- function(object) {
  Zt <- do.call(rbind, lapply(object$reterms, term_zt, n = object$nobs))
  colnames(Zt) <- rownames(object$frame)
  Zt
}

## Lambda' (q x q): each term's template repeated along the diagonal, one
## block per level.
me_Lambdat <- function(object) {
  blocks <- lapply(object$reterms, function(t) {
    L <- theta_template(object$theta[t$theta_idx], t)
    Matrix::kronecker(Matrix::Diagonal(t$nlevels), Matrix::Matrix(t(L), sparse = TRUE))
  })
  methods::as(Matrix::bdiag(blocks), "CsparseMatrix")
}

## Index into theta of each stored element of Lambda' (lme4's Lind).
me_Lind <- function(object) {
  blocks <- lapply(object$reterms, function(t) {
    k <- length(t$cnms)
    M <- matrix(0, k, k)
    M[t$theta_rc] <- t$theta_idx
    Matrix::kronecker(Matrix::Diagonal(t$nlevels), Matrix::Matrix(t(M), sparse = TRUE))
  })
  Lt <- methods::as(Matrix::bdiag(blocks), "CsparseMatrix")
  as.integer(Lt@x)
}

## Template of Lambda for term t from its elements of theta, placed where
## the engine's layout (t$theta_rc) says.
theta_template <- function(theta, t) {
  k <- length(t$cnms)
  L <- matrix(0, k, k)
  L[t$theta_rc] <- theta
  L
}

me_flist <- function(object) {
  re <- object$reterms
  g <- vapply(re, `[[`, "", "group")
  keep <- !duplicated(g)
  fl <- lapply(re[keep], function(t) factor(t$levels[t$codes], levels = t$levels))
  names(fl) <- g[keep]
  attr(fl, "assign") <- match(g, g[keep])
  fl
}

## R_X with R_X' R_X = sigma^2 vcov(beta)^{-1} (the fixed-effects block of
## the penalised least-squares factor).
me_RX <- function(object) {
  RX <- chol(object$sigma^2 * solve(object$vcov))
  dimnames(RX) <- dimnames(object$vcov)
  RX
}

## lme4's A = Lambda' Z' W^(1/2) (q x n), the sparse Cholesky factor L of
## A A' + I, and R_ZX = L^{-1} P A W^(1/2) X, rebuilt in R (Matrix) from
## their definitions (the engine keeps its own blocked factor).
me_pls <- function(object) {
  sw <- if (is.null(object$weights)) rep(1, object$nobs) else sqrt(object$weights)
  LtZtW <- me_Lambdat(object) %*% me_Zt(object) %*% Matrix::Diagonal(x = sw)
  L <- Matrix::Cholesky(Matrix::tcrossprod(LtZtW), LDL = FALSE, Imult = 1)
  X <- me_X(object) * sw
  RZX <- Matrix::solve(L, Matrix::solve(L, LtZtW %*% X, system = "P"), system = "L")
  list(L = L, RZX = as.matrix(RZX), LtZtW = LtZtW)
}

## The pieces that depend on the kind of fit are internal generics with a
## method per class (the Gaussian LMM's here), so that another kind of
## glmmgo_merMod fit adds its own methods: me_devcomp, fit_devfun,
## fit_condvar (merMod.R) and simulate_response (simulate.R).

## lme4's devcomp: the pieces of the criterion at the estimate.
me_devcomp <- function(object) UseMethod("me_devcomp")

## For an LMM, the engine's deviance components at the fitted theta
## (glmmgo_lmm_deviance_parts: log|L|^2, log|R_X|^2, the weighted and
## penalised residual sums of squares) with the fit's criterion.
me_devcomp.glmmgo_lmm <- function(object) {
  n <- object$nobs; p <- length(object$beta)
  parts <- engine_lmm_deviance_parts(lmm_engine(object), object$theta)
  pwrss <- parts[["pwrss"]]
  cmp <- c(parts[c("ldL2", "ldRX2", "wrss", "ussq", "pwrss")], drsum = NA,
           REML = if (object$REML) object$REMLcrit else NA, dev = if (object$REML) NA else object$deviance,
           sigmaML = sqrt(pwrss / n), sigmaREML = sqrt(pwrss / (n - p)))
  dims <- c(N = n, n = n, p = p, nmp = n - p, q = length(object$b), nth = length(object$theta), useSc = 1L,
            reTrms = 1L, spFe = 0L, REML = if (object$REML) p else 0L, GLMM = 0L, NLMM = 0L)
  list(cmp = cmp, dims = dims)
}

## The criterion of the fit as a function of its parameters (lme4's
## devfun).
fit_devfun <- function(object) UseMethod("fit_devfun")

## For an LMM, the REML criterion or ML deviance as a function of theta,
## evaluated by the engine.
fit_devfun.glmmgo_lmm <- function(object) {
  ptr <- lmm_engine(object)
  reml <- object$REML
  nth <- length(object$theta)
  f <- function(theta) {
    if (length(theta) != nth) stop(sprintf("theta must have %d elements", nth), call. = FALSE)
    engine_lmm_objective(ptr, theta, reml)
  }
  attr(f, "lower") <- object$lower
  f
}

ngrps <- function(object, ...) UseMethod("ngrps")
ngrps.default <- function(object, ...) forward("lme4", "ngrps", object, ...)
ngrps.glmmgo_merMod <- function(object, ...) {
  g <- vapply(object$reterms, `[[`, "", "group")
  nl <- vapply(object$reterms, `[[`, 1, "nlevels")
  keep <- !duplicated(g)
  stats::setNames(nl[keep], g[keep])
}

## lme4's hat values of the fitted values (hatvalues.merMod): the
## diagonal of the map from y to the fitted values at the estimated theta.
hatvalues.glmmgo_merMod <- function(model, fullHatMatrix = FALSE, ...) {
  if (!inherits(model, "glmmgo_lmm"))
    stop("hatvalues() is not available for glmer() fits: it needs the PIRLS factor at the mode, which the engine keeps to itself",
         call. = FALSE)
  pls <- me_pls(model)
  sw <- if (is.null(model$weights)) rep(1, model$nobs) else sqrt(model$weights)
  CL <- Matrix::solve(pls$L, Matrix::solve(pls$L, pls$LtZtW, system = "P"), system = "L")
  X <- me_X(model)
  CR <- solve(t(me_RX(model)), t(X * sw) - as.matrix(Matrix::crossprod(pls$RZX, CL)))
  res <- if (fullHatMatrix) as.matrix(Matrix::crossprod(CL)) + crossprod(CR) else
    Matrix::colSums(CL^2) + colSums(CR^2)
  if (!fullHatMatrix) names(res) <- rownames(model$frame)
  if (fullHatMatrix) res else stats::napredict(model$na.action, res)
}

## car's Anova() and linearHypothesis() for these fits: car's methods for
## lme4's fits, which need only fixef, vcov, terms and model.matrix.
## Registered on car's generics when car is loaded.
Anova.glmmgo_merMod <- function(mod, ...) utils::getS3method("Anova", "merMod", envir = asNamespace("car"))(mod, ...)
has.intercept.glmmgo_merMod <- function(model, ...) any(names(model$beta) == "(Intercept)")
linearHypothesis.glmmgo_merMod <- function(model, ...) {
  utils::getS3method("linearHypothesis", "merMod", envir = asNamespace("car"))(model, ...)
}
