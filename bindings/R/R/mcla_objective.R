## The MCLA objective for user-supplied samples and importance parameters:
## what a glmm-style driver (its objfun) needs, evaluated by the engine.

## Z as 1-based triplets from a dense matrix or any Matrix sparse matrix.
z_triplets <- function(Z) {
  if (methods::is(Z, "Matrix") || methods::is(Z, "sparseMatrix")) {
    if (!requireNamespace("Matrix", quietly = TRUE))
      stop("Z is a Matrix object but package 'Matrix' is not available", call. = FALSE)
    T <- methods::as(methods::as(Z, "generalMatrix"), "TsparseMatrix")
    return(list(row = T@i + 1L, col = T@j + 1L, val = as_dbl(T@x), n = nrow(Z), q = ncol(Z)))
  }
  Z <- as.matrix(Z)
  if (!is.numeric(Z)) stop("Z must be a numeric matrix", call. = FALSE)
  nz <- which(Z != 0, arr.ind = TRUE)
  nz <- nz[order(nz[, 2], nz[, 1]), , drop = FALSE]
  list(row = as.integer(nz[, 1]), col = as.integer(nz[, 2]), val = as_dbl(Z[nz]),
       n = nrow(Z), q = ncol(Z))
}

vc_from_nrandom <- function(nrandom, q) {
  if (!is.numeric(nrandom) || any(is.na(nrandom)) || any(nrandom < 1) || any(nrandom != round(nrandom)))
    stop("'nrandom' must give a positive whole number of columns of Z for each variance component",
         call. = FALSE)
  if (sum(nrandom) != q)
    stop(sprintf("'nrandom' sums to %d but Z has %d columns", sum(nrandom), q), call. = FALSE)
  rep.int(seq_along(nrandom), nrandom)
}

mcla_model <- function(y, X, Z, nrandom, family.glmm = bernoulli.glmm, ntrials = NULL, weights = NULL) {
  fam <- resolve_glmm_family(family.glmm)
  if (fam$family.glmm == "negbinomial.glmm" && is.null(fam$size))
    stop("mcla_model(): the objective of a negative binomial model needs its size: family.glmm = negbinomial.glmm(size)",
         call. = FALSE)
  y <- as_dbl(y)
  n <- length(y)
  if (is.null(dim(X))) X <- matrix(X, ncol = if (length(X)) 1L else 0L)
  if (nrow(X) != n) stop(sprintf("X has %d rows but y has %d elements", nrow(X), n), call. = FALSE)
  zt <- z_triplets(Z)
  if (zt$n != n) stop(sprintf("Z has %d rows but y has %d elements", zt$n, n), call. = FALSE)
  vc <- vc_from_nrandom(nrandom, zt$q)
  if (!is.null(ntrials)) {
    if (length(ntrials) == 1L) ntrials <- rep(ntrials, n)
    if (length(ntrials) != n) stop("'ntrials' must have one element per observation", call. = FALSE)
    ntrials <- as_dbl(ntrials)
  }
  if (!is.null(weights)) {
    if (length(weights) != n)
      stop(sprintf("'weights' has %d elements but there are %d observations", length(weights), n), call. = FALSE)
    weights <- as_dbl(weights)
  }
  ptr <- engine_mcla_new(fam$code, y, ntrials, weights, X, zt$row, zt$col, zt$val, zt$q, vc, length(nrandom))
  if (!is.null(fam$size)) engine_mcla_set_dispersion(ptr, fam$size)
  structure(list(ptr = ptr, n = n, p = ncol(X), q = zt$q, nvc = length(nrandom), family = fam,
                 coef.names = colnames(X), vc.names = names(nrandom)),
            class = "glmmgo_mcla_model")
}

mcla_set_importance <- function(model, u.star, D.star, Sigmuh.inv = NULL, zeta = 5,
                                p1 = 1/3, p2 = 1/3, p3 = 1/3) {
  check_mcla_model(model)
  q <- model$q
  if (is.matrix(D.star)) D.star <- diag(D.star)
  if (length(u.star) != q) stop(sprintf("'u.star' must have q = %d elements", q), call. = FALSE)
  if (length(D.star) != q) stop(sprintf("'D.star' must be q = %d variances (or a q x q diagonal matrix)", q),
                                call. = FALSE)
  if (!is.null(Sigmuh.inv)) {
    Sigmuh.inv <- as.matrix(Sigmuh.inv)
    if (!all(dim(Sigmuh.inv) == q)) stop(sprintf("'Sigmuh.inv' must be a %d x %d matrix", q, q), call. = FALSE)
    Sigmuh.inv <- as_dbl(Sigmuh.inv)
  } else if (p3 != 0) {
    stop("'Sigmuh.inv' is needed when p3 > 0", call. = FALSE)
  }
  engine_mcla_set_importance(model$ptr, zeta, c(p1, p2, p3), u.star, D.star, Sigmuh.inv)
  invisible(model)
}

mcla_set_samples <- function(model, umat) {
  check_mcla_model(model)
  umat <- as.matrix(umat)
  if (ncol(umat) != model$q)
    stop(sprintf("'umat' must have q = %d columns (one row per sample)", model$q), call. = FALSE)
  engine_mcla_set_samples(model$ptr, umat)
  invisible(model)
}

mcla_objective <- function(model, par, gradient = TRUE, hessian = TRUE, workers = 0) {
  check_mcla_model(model)
  d <- model$p + model$nvc
  if (!is.numeric(par) || length(par) != d)
    stop(sprintf("'par' must be (beta, nu): %d numbers", d), call. = FALSE)
  out <- engine_mcla_objective(model$ptr, par, check_workers(workers), gradient, hessian)
  nm <- c(model$coef.names %||% paste0("beta", seq_len(model$p)),
          model$vc.names %||% paste0("nu", seq_len(model$nvc)))
  if (!is.null(out$gradient)) names(out$gradient) <- nm
  if (!is.null(out$hessian)) dimnames(out$hessian) <- list(nm, nm)
  if (is.null(out$outside)) out$outside <- NULL
  out
}

## Partials: summaries of a range of samples that merge exactly (for
## spreading the samples over processes or machines).
mcla_partial <- function(model, par, rows, workers = 0) {
  check_mcla_model(model)
  rows <- range(rows)
  engine_mcla_partial(model$ptr, par, rows[1], rows[2], check_workers(workers))
}

mcla_merge <- function(model, par, partials) {
  check_mcla_model(model)
  if (is.list(partials)) partials <- unlist(partials, use.names = FALSE)
  engine_mcla_merge(model$ptr, par, partials)
}

mcla_dims <- function(model) {
  check_mcla_model(model)
  engine_mcla_dims(model$ptr)
}

check_mcla_model <- function(model) {
  if (!inherits(model, "glmmgo_mcla_model"))
    stop("'model' must come from mcla_model()", call. = FALSE)
  invisible(model)
}

print.glmmgo_mcla_model <- function(x, ...) {
  d <- if (handle_valid(x$ptr)) mcla_dims(x) else NULL
  cat(sprintf("MCLA model (%s): n = %d, p = %d, q = %d, %d variance component(s)", x$family$family.glmm,
              x$n, x$p, x$q, x$nvc))
  if (!is.null(d)) cat(sprintf(", %d samples\n", as.integer(d[["m"]]))) else cat(" [freed]\n")
  invisible(x)
}
