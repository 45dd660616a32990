## glmmgo demo: the two-class mixture of logistic random-intercept models on
## simulated data, fitted by maximum likelihood (exact quadrature) and by
## Monte Carlo EM, side by side with the truth.
##
##   Rscript -e 'demo("mixlogit", package = "glmmgo", ask = FALSE)'
suppressPackageStartupMessages(library(glmmgo))

## 500 subjects on 20 occasions; class 1 (probability 0.6) has slope -1 and
## random-intercept SD 1, class 2 slope 1.5 and SD 2.
set.seed(2025)
n <- 500; T <- 20
truth <- c(beta1 = -1, beta2 = 1.5, sigma1 = 1, sigma2 = 2, pi1 = 0.6)
x <- matrix(rnorm(n * T), n, T)
cls <- ifelse(runif(n) < truth[["pi1"]], 1, 2)
z <- rnorm(n, 0, truth[c("sigma1", "sigma2")][cls])
y <- matrix(rbinom(n * T, 1, plogis(truth[c("beta1", "beta2")][cls] * x + z)), n, T)

timed <- function(label, expr) {
  t0 <- proc.time()[["elapsed"]]
  val <- force(expr)
  cat(sprintf("== %s: %.2f s\n", label, proc.time()[["elapsed"]] - t0))
  val
}
fq <- timed("maximum likelihood (quadrature)", mixlogit(y, x, method = "quadrature"))
fm <- timed("Monte Carlo EM", mixlogit(y, x, method = "mcem", seed = 1))
print(summary(fm))
cat("\nTruth, both estimates, and MCEM's distance from the MLE in Monte Carlo standard errors:\n")
print(round(cbind(truth = truth, quadrature = coef(fq), se = fq$se, mcem = coef(fm), mcse = mcse(fm),
                  `(mcem - mle)/mcse` = (coef(fm) - coef(fq)) / mcse(fm)), 4))
cat("\n95% Wald intervals of the quadrature fit:\n")
print(confint(fq))
cat(sprintf("\nSubjects classified (posterior > 0.5) into their simulated class: %.1f%%\n",
            100 * mean((posterior(fq)[, "class1"] > 0.5) == (cls == 1))))
