## mixlogit(): the two-class mixture of logistic random-intercept models.
## References: R's own integrate() for the exact likelihood, numDeriv for its
## derivatives, and the quadrature fit (the MLE) for MCEM.

## Data simulated with R's generator: n subjects on T occasions, x ~ N(0, 1),
## class 1 with probability pi1, z ~ N(0, sigma_c^2).
simulate_mixlogit <- function(n, T, truth = c(beta1 = -1, beta2 = 1.5, sigma1 = 1, sigma2 = 2, pi1 = 0.6), seed = 1) {
  set.seed(seed)
  x <- matrix(stats::rnorm(n * T), n, T)
  cls <- ifelse(stats::runif(n) < truth[["pi1"]], 1L, 2L)
  z <- stats::rnorm(n, 0, truth[c("sigma1", "sigma2")][cls])
  b <- truth[c("beta1", "beta2")][cls]
  y <- matrix(stats::rbinom(n * T, 1, stats::plogis(b * x + z)), n, T)
  list(y = y, x = x, class = cls)
}

## log of I_ic = integral of dnorm(z, 0, sigma) prod_j f(y_ij | beta x_ij + z)
## by integrate(), around the integrand's mode (found by optimize) on the
## log scale, so that nothing under- or overflows.
log_class_integral <- function(y, x, beta, sigma) {
  g <- function(z) stats::dnorm(z, 0, sigma, log = TRUE) +
    vapply(z, function(u) {
      eta <- beta * x + u
      sum(y * stats::plogis(eta, log.p = TRUE) + (1 - y) * stats::plogis(-eta, log.p = TRUE))
    }, 0)
  mode <- stats::optimize(g, c(-20 * sigma - 20, 20 * sigma + 20), maximum = TRUE, tol = 1e-10)$maximum
  gm <- g(mode)
  h <- 1e-3 * max(1, sigma)
  s <- 1 / sqrt(max(-(g(mode + h) - 2 * gm + g(mode - h)) / h^2, 1e-12))
  f <- function(z) exp(g(z) - gm)
  lo <- stats::integrate(f, mode - 100 * s, mode, rel.tol = 1e-13, subdivisions = 2000L)$value
  hi <- stats::integrate(f, mode, mode + 100 * s, rel.tol = 1e-13, subdivisions = 2000L)$value
  gm + log(lo + hi)
}

## The log-likelihood and posterior class probabilities at par by integrate().
integrate_mixlogit <- function(y, x, par) {
  li <- t(vapply(seq_len(nrow(y)), function(i) {
    c(log(par[["pi1"]]) + log_class_integral(y[i, ], x[i, ], par[["beta1"]], par[["sigma1"]]),
      log(1 - par[["pi1"]]) + log_class_integral(y[i, ], x[i, ], par[["beta2"]], par[["sigma2"]]))
  }, numeric(2)))
  m <- pmax(li[, 1], li[, 2])
  logL <- m + log(exp(li[, 1] - m) + exp(li[, 2] - m))
  list(loglik = sum(logL), posterior = exp(li - logL))
}

d_small <- simulate_mixlogit(60, 10, seed = 11)

test_that("the exact log-likelihood at the estimate is R's integrate(), per subject and class", {
  f <- mixlogit(d_small$y, d_small$x, method = "quadrature", workers = 1)
  ref <- integrate_mixlogit(d_small$y, d_small$x, coef(f))
  expect_equal(as.numeric(logLik(f)), ref$loglik, tolerance = 1e-8)
  expect_lt(abs(as.numeric(logLik(f)) - ref$loglik), 1e-8 * abs(ref$loglik))
  ## each subject's posterior class probabilities are pi_c I_ic / L_i
  expect_lt(max(abs(unname(posterior(f)) - ref$posterior)), 1e-8)
  ## and the objective at another point
  truth <- c(beta1 = -1, beta2 = 1.5, sigma1 = 1, sigma2 = 2, pi1 = 0.6)
  model <- glmmgo:::engine_mixlogit_new(d_small$y, d_small$x)
  at <- glmmgo:::engine_mixlogit_objective(model, truth, workers = 1L)
  expect_lt(abs(at$value - integrate_mixlogit(d_small$y, d_small$x, truth)$loglik), 1e-8 * abs(at$value))
  expect_null(at$gradient)
})

test_that("the objective's gradient and Hessian are those of numDeriv", {
  skip_if_not_installed("numDeriv")
  model <- glmmgo:::engine_mixlogit_new(d_small$y, d_small$x)
  par <- c(-0.8, 1.3, 1.1, 1.8, 0.55)
  ll <- function(p) glmmgo:::engine_mixlogit_objective(model, p, workers = 1L)$value
  at <- glmmgo:::engine_mixlogit_objective(model, par, workers = 1L, derivs = TRUE)
  expect_equal(at$value, ll(par))
  expect_equal(at$gradient, numDeriv::grad(ll, par), tolerance = 1e-7)
  expect_equal(at$hessian, numDeriv::hessian(ll, par), tolerance = 1e-5)
  expect_equal(at$hessian, t(at$hessian))
})

d_big <- simulate_mixlogit(300, 20, seed = 1)
fq <- mixlogit(d_big$y, d_big$x, method = "quadrature")
fm <- mixlogit(d_big$y, d_big$x, seed = 1)

test_that("MCEM agrees with the quadrature fit (the MLE) within 3 Monte Carlo standard errors", {
  expect_true(fq$converged && fm$converged)
  expect_named(coef(fm), c("beta1", "beta2", "sigma1", "sigma2", "pi1"))
  expect_true(all(abs(coef(fm) - coef(fq)) <= 3 * mcse(fm)))
  expect_true(all(mcse(fm) > 0))
  ## Louis' standard errors are those of the observed information
  expect_lt(max(abs(sqrt(diag(vcov(fm))) / sqrt(diag(vcov(fq))) - 1)), 0.1)
  ## the quadrature fit is at the maximum of the exact likelihood, MCEM next to it
  expect_lt(max(abs(fq$gradient)), 1e-3)
  expect_gte(as.numeric(logLik(fq)), as.numeric(logLik(fm)))
  expect_lt(as.numeric(logLik(fq)) - as.numeric(logLik(fm)), 0.05)
  ## and both near the truth: class 1 is the class with the smaller slope
  expect_lt(coef(fq)[["beta1"]], coef(fq)[["beta2"]])
  expect_true(all(abs(coef(fq) - c(-1, 1.5, 1, 2, 0.6)) < 3 * sqrt(diag(vcov(fq)))))
  expect_true(all(is.na(mcse(fq))))
})

test_that("fits are the same bits for 1 and 2 workers", {
  for (method in c("quadrature", "mcem")) {
    a <- mixlogit(d_small$y, d_small$x, method = method, seed = 3, workers = 1)
    b <- mixlogit(d_small$y, d_small$x, method = method, seed = 3, workers = 2)
    expect_identical(coef(a), coef(b))
    expect_identical(vcov(a), vcov(b))
    expect_identical(logLik(a), logLik(b))
    expect_identical(posterior(a), posterior(b))
    expect_identical(mcse(a), mcse(b))
    expect_identical(a$trace[names(a$trace) != "seconds"], b$trace[names(b$trace) != "seconds"])
  }
})

test_that("the labels follow beta1 <= beta2 whatever the truth's order", {
  d <- simulate_mixlogit(150, 15, truth = c(beta1 = 1.5, beta2 = -1, sigma1 = 2, sigma2 = 1, pi1 = 0.4), seed = 5)
  f <- mixlogit(d$y, d$x, method = "quadrature")
  expect_lt(coef(f)[["beta1"]], coef(f)[["beta2"]])
  expect_gt(coef(f)[["pi1"]], 0.5) # class 1 here is the truth's class 2
  ## a start in the other labelling reaches the same fit, relabelled
  g <- mixlogit(d$y, d$x, method = "quadrature", start = c(beta1 = 1.5, beta2 = -1, sigma1 = 2, sigma2 = 1, pi1 = 0.4))
  expect_equal(coef(g), coef(f), tolerance = 1e-5)
  expect_equal(unname(posterior(g)[, 1]), unname(posterior(f)[, 1]), tolerance = 1e-5)
})

test_that("the methods: coef, vcov, logLik with df, confint, nobs, fitted, posterior, the trace, printing", {
  expect_equal(attr(logLik(fq), "df"), 5L)
  expect_equal(nobs(fq), 300)
  expect_equal(attr(logLik(fq), "nobs"), 300)
  expect_equal(AIC(fq), -2 * as.numeric(logLik(fq)) + 10)
  expect_equal(BIC(fq), -2 * as.numeric(logLik(fq)) + 5 * log(300))
  expect_equal(dimnames(vcov(fq)), list(names(coef(fq)), names(coef(fq))))
  ci <- confint(fq, level = 0.9)
  expect_equal(unname(ci), unname(cbind(coef(fq) - qnorm(0.95) * fq$se, coef(fq) + qnorm(0.95) * fq$se)), tolerance = 1e-12)
  expect_equal(colnames(ci), c("5 %", "95 %"))
  expect_equal(confint(fq, "pi1"), confint(fq)["pi1", , drop = FALSE])
  expect_error(confint(fq, "rho"), "unknown parameter: rho")
  expect_error(confint(fq, level = 2), "'level'")
  p <- posterior(fm)
  expect_equal(dim(p), c(300L, 2L))
  expect_equal(unname(rowSums(p)), rep(1, 300), tolerance = 1e-12)
  expect_identical(fitted(fm), p)
  ## the posterior recovers the simulated classes for most subjects
  expect_gt(mean((p[, 1] > 0.5) == (d_big$class == 1)), 0.85)
  expect_equal(nrow(fm$trace), fm$iterations)
  expect_equal(names(fm$trace)[1:7], c("iter", "beta1", "beta2", "sigma1", "sigma2", "pi1", "loglik"))
  expect_true(all(is.nan(fm$trace$loglik)) && all(fm$trace$sample_size >= 50))
  expect_true(all(diff(fq$trace$loglik) >= 0))
  expect_equal(fm$total.draws >= 300 * 50, TRUE)
  out <- capture.output(print(fm))
  expect_match(out[1], "Monte Carlo EM")
  expect_true(any(grepl("class 1 has the smaller slope", out)))
  s <- capture.output(print(summary(fm)))
  expect_true(any(grepl("MCSE", s)) && any(grepl("^beta2 ", s)) && any(grepl("Monte Carlo: log-likelihood estimate", s)))
  sq <- capture.output(print(summary(fq)))
  expect_false(any(grepl("MCSE", sq)))
  expect_true(any(grepl("Converged after", sq)))
})

test_that("the formula interface on long data gives the matrix interface's fit", {
  n <- nrow(d_small$y); T <- ncol(d_small$y)
  long <- data.frame(subject = rep(sprintf("s%02d", seq_len(n)), each = T), occasion = rep(seq_len(T), n),
                     resp = as.vector(t(d_small$y)), dose = as.vector(t(d_small$x)))
  a <- mixlogit(d_small$y, d_small$x, method = "quadrature", workers = 1)
  b <- mixlogit(resp ~ dose | subject, data = long, method = "quadrature", workers = 1)
  expect_identical(coef(a), coef(b))
  expect_identical(unname(posterior(a)), unname(posterior(b)))
  expect_equal(rownames(posterior(b)), sprintf("s%02d", seq_len(n)))
  expect_equal(deparse(b$call[[1]]), "mixlogit")
  ## rows in any order: a subject's occasions keep their order, subjects their first appearance
  shuffled <- long[order(long$occasion, long$subject), ]
  c2 <- mixlogit(resp ~ dose | subject, data = shuffled, method = "quadrature", workers = 1)
  expect_identical(coef(c2), coef(a))
  expect_error(mixlogit(resp ~ dose | subject, data = long[-5, ], method = "quadrature"),
               "subject s02 has 10 occasions but subject s01 has 9")
  expect_error(mixlogit(resp ~ dose, data = long), "response ~ covariate \\| subject")
  long$resp[3] <- NA
  expect_error(mixlogit(resp ~ dose | subject, data = long), "'y' has a missing value at \\[1, 3\\]")
})

test_that("bad input gets a clear error naming the argument", {
  y <- d_small$y; x <- d_small$x
  yb <- y; yb[4, 2] <- 2
  expect_error(mixlogit(yb, x), "'y' must hold 0 or 1 only: y\\[4, 2\\] is 2")
  yb <- y; yb[5, 1] <- 0.5
  expect_error(mixlogit(yb, x), "y\\[5, 1\\] is 0.5")
  expect_error(mixlogit(matrix(numeric(0), 60, 0), matrix(numeric(0), 60, 0)), "T = 0")
  expect_error(mixlogit(y, x[, -1]), "'x' is 60 x 9 but 'y' is 60 x 10")
  expect_error(mixlogit(y, x[-1, ]), "'x' is 59 x 10 but 'y' is 60 x 10")
  expect_error(mixlogit(y[1:9, ], x[1:9, ]), "9 rows \\(subjects\\).*at least 10")
  yb <- y; yb[7, 3] <- NA
  expect_error(mixlogit(yb, x), "'y' has a missing value at \\[7, 3\\]")
  xb <- x; xb[2, 2] <- NA
  expect_error(mixlogit(y, xb), "'x' has a missing value at \\[2, 2\\]")
  xb <- x; xb[2, 2] <- Inf
  expect_error(mixlogit(y, xb), "'x' must be finite: x\\[2, 2\\] is Inf")
  expect_error(mixlogit(as.vector(y), x), "'y' must be an n x T matrix")
  expect_error(mixlogit(y), "'x'.*is required")
  expect_error(mixlogit(y, x, start = c(-1, 1.5, 1, 2, 1.5)), "'start': pi1 must lie strictly between 0 and 1, not 1.5")
  expect_error(mixlogit(y, x, start = c(-1, 1.5, 1, 2, 0)), "pi1 must lie strictly between 0 and 1, not 0")
  expect_error(mixlogit(y, x, start = c(-1, 1.5, -1, 2, 0.5)), "sigma1 and sigma2 must be positive")
  expect_error(mixlogit(y, x, start = c(-1, 1.5, 1)), "'start' must be 5 finite numbers")
  expect_error(mixlogit(y, x, start = c(a = -1, b = 1.5, c = 1, d = 2, e = 0.5)), "the names of 'start'")
  expect_error(mixlogit(y, x, method = "gibbs"), "should be one of")
  expect_error(mixlogit(y, x, workers = -1), "'workers'")
  expect_error(mixlogit(y, x, seed = -3), "'seed'")
  expect_error(mixlogit(y, x, max_iter = 5), "unknown argument 'max_iter'.*mixlogitControl")
  expect_error(mixlogit(y, x, control = mixlogitControl(max_iter = 0)), "'max_iter' must be a positive whole number")
  expect_error(mixlogit(y, x, control = mixlogitControl(alpha = 0.7)), "glmmgo_mixlogit_fit: alpha: is 0.7; must lie in \\(0, 0.5\\)")
  expect_error(mixlogit(y, x, control = list(tol = -1)), "tol: is -1")
  expect_error(mixlogit(matrix(0, 20, 5), matrix(1, 20, 5)), "y: all 100 responses are 0; both 0 and 1 must occur")
  expect_error(mixlogit(y, x * 0), "x: is zero everywhere")
  ## the engine's own checks, for callers that bypass mixlogit()
  model <- glmmgo:::engine_mixlogit_new(y, x)
  expect_error(glmmgo:::engine_mixlogit_objective(model, c(-1, 1, 1, 1, 1.2)), "par: pi1 is 1.2.*outside the parameter space")
  expect_error(glmmgo:::engine_mixlogit_fit(model, list(method = 2L, start = c(-1, 1, 1, 1, 1.2)), 0L),
               "start: pi1 is 1.2; the class probability must lie in \\(0, 1\\)")
})

test_that("a fit survives saveRDS/readRDS", {
  path <- tempfile(fileext = ".rds")
  on.exit(unlink(path))
  saveRDS(fm, path)
  r <- readRDS(path)
  expect_false(glmmgo:::handle_valid(r$engine))
  expect_identical(coef(r), coef(fm))
  expect_identical(vcov(r), vcov(fm))
  expect_identical(logLik(r), logLik(fm))
  expect_identical(mcse(r), mcse(fm))
  expect_identical(posterior(r), posterior(fm))
  expect_equal(confint(r), confint(fm), tolerance = 1e-14)
  expect_identical(capture.output(print(summary(r))), capture.output(print(summary(fm))))
  expect_identical(r$trace, fm$trace)
})
