## Writes mixlogit_n100_t8.json, the reference data of the mixlogit tests of
## the Julia package (bindings/julia/test/data holds a copy; so does the C
## mirror of its tests): 100 subjects on 8 occasions simulated with R's
## generator from the two-class mixture of logistic random-intercept models
## (class 1 with probability pi1 = 0.6, slope -1, random-intercept SD 1;
## class 2 slope 1.5, SD 2), the exact log-likelihood at two points by R's
## integrate(), and the maximum likelihood estimate found by optim() on that
## log-likelihood (no glmmgo code involved).
##
##   Rscript testdata/mixlogit/make_reference.R   (from the repository root)
library(jsonlite)

set.seed(20251)
n <- 100; T <- 8
truth <- c(beta1 = -1, beta2 = 1.5, sigma1 = 1, sigma2 = 2, pi1 = 0.6)
x <- matrix(round(rnorm(n * T), 4), n, T)
cls <- ifelse(runif(n) < truth[["pi1"]], 1, 2)
z <- rnorm(n, 0, truth[c("sigma1", "sigma2")][cls])
y <- matrix(rbinom(n * T, 1, plogis(truth[c("beta1", "beta2")][cls] * x + z)), n, T)

## log I = log of the integral of dnorm(z, 0, sigma) prod_j f(y_j | beta x_j + z),
## on the log scale around the integrand's mode.
log_class_integral <- function(y, x, beta, sigma) {
  g <- function(z) stats::dnorm(z, 0, sigma, log = TRUE) +
    vapply(z, function(u) { eta <- beta * x + u; sum(y * plogis(eta, log.p = TRUE) + (1 - y) * plogis(-eta, log.p = TRUE)) }, 0)
  mode <- optimize(g, c(-20 * sigma - 20, 20 * sigma + 20), maximum = TRUE, tol = 1e-10)$maximum
  gm <- g(mode)
  h <- 1e-3 * max(1, sigma)
  s <- 1 / sqrt(max(-(g(mode + h) - 2 * gm + g(mode - h)) / h^2, 1e-12))
  f <- function(z) exp(g(z) - gm)
  gm + log(integrate(f, mode - 100 * s, mode, rel.tol = 1e-13, subdivisions = 2000L)$value +
           integrate(f, mode, mode + 100 * s, rel.tol = 1e-13, subdivisions = 2000L)$value)
}

loglik <- function(par) {
  sum(vapply(seq_len(n), function(i) {
    a <- log(par[[5]]) + log_class_integral(y[i, ], x[i, ], par[[1]], par[[3]])
    b <- log(1 - par[[5]]) + log_class_integral(y[i, ], x[i, ], par[[2]], par[[4]])
    max(a, b) + log1p(exp(-abs(a - b)))
  }, 0))
}

points <- list(truth, c(beta1 = -0.5, beta2 = 1, sigma1 = 0.8, sigma2 = 1.5, pi1 = 0.4))
at <- lapply(points, function(p) list(par = unname(p), loglik = loglik(p)))

## The MLE on (beta, log sigma, logit pi1), from the truth.
to_par <- function(psi) c(psi[1:2], exp(psi[3:4]), plogis(psi[5]))
opt <- optim(c(truth[1:2], log(truth[3:4]), qlogis(truth[5])), function(psi) -loglik(to_par(psi)),
             method = "BFGS", control = list(reltol = 1e-14, maxit = 500, ndeps = rep(1e-5, 5)))
opt <- optim(opt$par, function(psi) -loglik(to_par(psi)), method = "Nelder-Mead",
             control = list(reltol = 1e-15, maxit = 5000))
mle <- to_par(opt$par)
out <- list(n = n, T = T, truth = unname(truth), y = as.vector(y), x = as.vector(x), at = at,
            mle = unname(mle), loglik_at_mle = loglik(mle), optim_convergence = opt$convergence)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = FALSE), "testdata/mixlogit/mixlogit_n100_t8.json")
file.copy("testdata/mixlogit/mixlogit_n100_t8.json", "bindings/julia/test/data/mixlogit_n100_t8.json", overwrite = TRUE)
