## mixlogit(): the two-class mixture of logistic random-intercept models,
## fitted by the engine's exact-likelihood maximisation ("quadrature") or its
## Monte Carlo EM ("mcem"). This file checks the data, calls the engine
## (R/engine.R) and presents the fit; R/mixlogit_methods.R has the methods.
##
## Subject i (a row of y) belongs to class c with probability pi_c and has
## a random intercept z ~ N(0, sigma_c^2); given both,
## P(y[i, j] = 1) = plogis(beta_c * x[i, j] + z). Class 1 is the class with
## the smaller slope (beta1 <= beta2).

## The parameters, in the engine's order.
mixlogit_par_names <- c("beta1", "beta2", "sigma1", "sigma2", "pi1")

## The columns of the engine's trace (GLMMGO_MIXLOGIT_TRACE, in glmmgo.h).
mixlogit_trace_names <- c("iter", "beta1", "beta2", "sigma1", "sigma2", "pi1", "loglik", "sample_size",
                          "augmentations", "delta_q", "ase", "lower", "upper", "ess_mean", "ess_min", "seconds")

mixlogit <- function(y, ...) UseMethod("mixlogit")

mixlogit.default <- function(y, x, method = c("mcem", "quadrature"), seed = NULL, workers = NULL, start = NULL,
                             control = mixlogitControl(), verbose = FALSE, ...) {
  call <- match.call()
  call[[1]] <- as.name("mixlogit")
  if (...length()) {
    stop(sprintf("unknown argument%s %s: the MCEM settings go in control = mixlogitControl(...)",
                 if (...length() > 1) "s" else "", paste(sQuote(names(list(...))), collapse = ", ")), call. = FALSE)
  }
  method <- match.arg(method)
  data <- mixlogit_data(y, x)
  opts <- c(list(method = unname(glmmgo_header$methods[[paste0("GLMMGO_MIXLOGIT_", toupper(method))]]),
                 seed = mixlogit_seed(seed), workers = check_workers(workers), start = mixlogit_start(start)),
            mixlogit_control_opts(control))
  model <- engine_mixlogit_new(data$y, data$x)
  t0 <- proc.time()[["elapsed"]]
  fit <- tryCatch(engine_mixlogit_fit(model, opts, verbose), finally = free_handle(model))
  if (is.null(fit)) signal_interrupt("mixlogit")
  res <- engine_mixlogit_result(fit)
  res$elapsed <- proc.time()[["elapsed"]] - t0
  mixlogit_result(res, fit, call, method, opts, rownames(data$y))
}

## The formula interface: long data, one row per subject and occasion.
mixlogit.formula <- function(y, data = NULL, ...) {
  call <- match.call()
  call[[1]] <- as.name("mixlogit")
  long <- mixlogit_long(y, data)
  fit <- mixlogit.default(long$y, long$x, ...)
  fit$call <- call
  fit$formula <- y
  fit
}

## The data checked with R's indices: y a numeric (or logical) n x T matrix
## of 0 and 1, x a finite numeric matrix of the same shape, no missing
## values. The engine checks that both responses occur and that x is not
## all zero.
mixlogit_data <- function(y, x) {
  if (missing(x)) stop("'x', the n x T covariate matrix, is required", call. = FALSE)
  y <- mixlogit_matrix(y, "y")
  x <- mixlogit_matrix(x, "x")
  if (!identical(dim(x), dim(y)))
    stop(sprintf("'x' is %d x %d but 'y' is %d x %d: both are n x T (a row per subject, a column per occasion)",
                 nrow(x), ncol(x), nrow(y), ncol(y)), call. = FALSE)
  if (ncol(y) == 0) stop("'y' has no columns (T = 0): each subject needs at least one occasion", call. = FALSE)
  if (nrow(y) < 10)
    stop(sprintf("'y' has %d rows (subjects); a two-class mixture with 5 parameters needs at least 10", nrow(y)),
         call. = FALSE)
  at <- function(k) sprintf("[%d, %d]", (k - 1) %% nrow(y) + 1, (k - 1) %/% nrow(y) + 1)
  if (anyNA(y)) stop(sprintf("'y' has a missing value at %s: every subject must be observed on every occasion",
                             at(which(is.na(y))[1])), call. = FALSE)
  if (anyNA(x)) stop(sprintf("'x' has a missing value at %s", at(which(is.na(x))[1])), call. = FALSE)
  bad <- which(y != 0 & y != 1)
  if (length(bad))
    stop(sprintf("'y' must hold 0 or 1 only: y%s is %s", at(bad[1]), format(y[bad[1]])), call. = FALSE)
  bad <- which(!is.finite(x))
  if (length(bad)) stop(sprintf("'x' must be finite: x%s is %s", at(bad[1]), format(x[bad[1]])), call. = FALSE)
  list(y = y, x = x)
}

## A numeric matrix from a matrix or data frame (logical y becomes 0/1).
mixlogit_matrix <- function(v, name) {
  if (is.data.frame(v)) v <- as.matrix(v)
  if (!is.matrix(v))
    stop(sprintf("'%s' must be an n x T matrix (a row per subject, a column per occasion), not a %s", name,
                 class(v)[1]), call. = FALSE)
  if (is.logical(v)) storage.mode(v) <- "double"
  if (!is.numeric(v)) stop(sprintf("'%s' must be numeric", name), call. = FALSE)
  v
}

mixlogit_seed <- function(seed) {
  if (is.null(seed)) seed <- sample.int(.Machine$integer.max, 1L)
  if (!is.numeric(seed) || length(seed) != 1L || !is.finite(seed) || seed < 0 || seed != round(seed) || seed > 2^53)
    stop("'seed' must be one non-negative whole number (at most 2^53)", call. = FALSE)
  as.double(seed)
}

## start: NULL (the engine's data-driven start) or the 5 parameters, named
## or in the order beta1, beta2, sigma1, sigma2, pi1.
mixlogit_start <- function(start) {
  if (is.null(start)) return(NULL)
  if (!is.numeric(start) || length(start) != 5L || anyNA(start) || any(!is.finite(start)))
    stop("'start' must be 5 finite numbers: c(beta1, beta2, sigma1, sigma2, pi1)", call. = FALSE)
  if (!is.null(names(start))) {
    if (!setequal(names(start), mixlogit_par_names))
      stop(sprintf("the names of 'start' must be %s", paste(mixlogit_par_names, collapse = ", ")), call. = FALSE)
    start <- start[mixlogit_par_names]
  }
  if (any(start[3:4] <= 0)) stop("'start': sigma1 and sigma2 must be positive (standard deviations)", call. = FALSE)
  if (!(start[[5]] > 0 && start[[5]] < 1))
    stop(sprintf("'start': pi1 must lie strictly between 0 and 1, not %s", format(start[[5]])), call. = FALSE)
  as_dbl(start)
}

## MCEM and optimiser settings; NULL keeps the engine's default (listed in
## ?mixlogitControl). The engine checks the ranges and names the setting.
mixlogitControl <- function(max_iter = NULL, initial_samples = NULL, max_samples = NULL, alpha = NULL, beta = NULL,
                            gamma = NULL, augment_divisor = NULL, tol = NULL, df = NULL) {
  ctl <- list(max_iter = max_iter, initial_samples = initial_samples, max_samples = max_samples, alpha = alpha,
              beta = beta, gamma = gamma, augment_divisor = augment_divisor, tol = tol, df = df)
  ctl <- ctl[!vapply(ctl, is.null, NA)]
  for (nm in names(ctl)) {
    v <- ctl[[nm]]
    if (!is.numeric(v) || length(v) != 1L || is.na(v))
      stop(sprintf("mixlogitControl: '%s' must be one number", nm), call. = FALSE)
    if (nm %in% c("max_iter", "initial_samples", "max_samples") && (v < 1 || v != round(v) || v > .Machine$integer.max))
      stop(sprintf("mixlogitControl: '%s' must be a positive whole number", nm), call. = FALSE)
  }
  structure(ctl, class = "glmmgo_mixlogit_control")
}

mixlogit_control_opts <- function(control) {
  if (!inherits(control, "glmmgo_mixlogit_control")) {
    if (!is.list(control)) stop("'control' must be mixlogitControl(...)", call. = FALSE)
    control <- do.call(mixlogitControl, control)
  }
  lapply(unclass(control), as.double)
}

## Long data (a row per subject and occasion) to the n x T matrices: the
## formula response ~ covariate | subject; a subject's occasions are its
## rows in the order of the data (the model treats occasions alike).
mixlogit_long <- function(formula, data) {
  rhs <- if (length(formula) == 3) formula[[3]] else NULL
  if (is.null(rhs) || !is.call(rhs) || !identical(rhs[[1]], as.name("|")))
    stop("the formula must be response ~ covariate | subject (one covariate, no intercept: the model has none)",
         call. = FALSE)
  env <- environment(formula)
  get_var <- function(e) eval(e, if (is.null(data)) env else data, env)
  resp <- get_var(formula[[2]])
  cov <- get_var(rhs[[2]])
  subj <- get_var(rhs[[3]])
  if (length(resp) != length(cov) || length(resp) != length(subj))
    stop("the response, the covariate and the subject have different lengths", call. = FALSE)
  if (anyNA(subj)) stop("the subject variable has missing values", call. = FALSE)
  if (is.logical(resp)) resp <- as.numeric(resp)
  if (!is.numeric(resp) || !is.numeric(cov)) stop("the response and the covariate must be numeric", call. = FALSE)
  g <- factor(subj, levels = unique(subj))
  counts <- tabulate(g, nlevels(g))
  if (length(unique(counts)) > 1L) {
    k <- which(counts != counts[1])[1]
    stop(sprintf("subject %s has %d occasions but subject %s has %d: mixlogit needs every subject observed on the same number of occasions",
                 levels(g)[k], counts[k], levels(g)[1], counts[1]), call. = FALSE)
  }
  ord <- order(as.integer(g), seq_along(g))
  occ <- counts[1]
  shape <- function(v) matrix(v[ord], nlevels(g), occ, byrow = TRUE, dimnames = list(levels(g), NULL))
  list(y = shape(resp), x = shape(cov))
}
