## glmer() against lme4's glmer, run in the same test, on the models of
## lme4's and MixedModels.jl's GLMM tests: our optimum is no worse than
## lme4's (both evaluated by our deviance function, so that lme4's PIRLS
## tolerance does not enter) by more than 1e-6 relative, and the estimates
## agree to lme4's optimiser precision. Each model is fitted once here.
## The table of -2 log L (ours, ours at lme4's estimate, lme4's own) is
## printed as messages.

glmer_pair <- function(formula, data, family, nAGQ = 1L, offset = NULL) {
  warns <- character()
  l <- withCallingHandlers(
    suppressMessages(lme4::glmer(formula, data, family = family, nAGQ = nAGQ, offset = offset)),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  g <- suppressMessages(glmmgo::glmer(formula, data, family = family, nAGQ = nAGQ, offset = offset))
  list(g = g, l = l, warnings = warns)
}

## The checks and the report line of one pair.
check_glmer_pair <- function(name, pr, tol = 2e-3) {
  g <- pr$g; l <- pr$l
  nAGQ <- g$nAGQ
  th_l <- unname(lme4::getME(l, "theta"))
  par_l <- if (nAGQ == 0L) th_l else c(th_l, unname(lme4::fixef(l)))
  ours_at_lme4 <- glmmgo::getME(g, "devfun")(par_l)
  ours <- deviance(g)
  lme4_own <- -2 * as.numeric(logLik(l)) - if (nAGQ > 1) 2 * g$saturated.logLik else 0
  expect_lte(ours, ours_at_lme4 + 1e-6 * abs(ours_at_lme4))
  if (length(pr$warnings)) expect_lte(ours, ours_at_lme4)  # where lme4 warns, we are at least as good
  expect_equal(g$theta, th_l, tolerance = tol, info = paste(name, "theta"))
  expect_equal(unname(glmmgo::fixef(g)), unname(lme4::fixef(l)), tolerance = tol, info = paste(name, "beta"))
  expect_equal(names(glmmgo::fixef(g)), names(lme4::fixef(l)))
  expect_equal(unname(fitted(g)), unname(fitted(l)), tolerance = 10 * tol, info = paste(name, "fitted"))
  message(sprintf("%-14s nAGQ=%2d  -2logL glmmgo %.6f  glmmgo at lme4's estimate %.6f  lme4's own %.6f  (ours - lme4 at its estimate %+.2e)%s",
                  name, nAGQ, ours, ours_at_lme4, lme4_own, ours - ours_at_lme4,
                  if (length(pr$warnings)) paste0("  lme4 warned: ", paste(substr(pr$warnings, 1, 60), collapse = "; ")) else ""))
  invisible(c(ours = ours, at_lme4 = ours_at_lme4, lme4 = lme4_own))
}

test_that("cbpp: Laplace, the fast fit and AGQ agree with lme4", {
  skip_if_not_installed("lme4")
  cbpp <- lme4_data("cbpp")
  f <- cbind(incidence, size - incidence) ~ period + (1 | herd)
  for (k in c(1L, 0L, 25L)) check_glmer_pair("cbpp", glmer_pair(f, cbpp, stats::binomial, nAGQ = k), tol = 2e-3)
})

test_that("grouseticks: Poisson with three crossed/nested terms agrees with lme4", {
  skip_if_not_installed("lme4")
  gt <- lme4_data("grouseticks")
  gt$cHEIGHT <- gt$HEIGHT - mean(gt$HEIGHT)
  check_glmer_pair("grouseticks", glmer_pair(TICKS ~ YEAR + cHEIGHT + (1 | INDEX) + (1 | BROOD) + (1 | LOCATION), gt,
                                             stats::poisson), tol = 5e-3)
})

test_that("VerbAgg: crossed (1|id) + (1|item) Bernoulli agrees with lme4", {
  skip_if_not_installed("lme4")
  va <- lme4_data("VerbAgg")
  check_glmer_pair("VerbAgg", glmer_pair(r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item), va, stats::binomial),
                   tol = 5e-3)
})

test_that("Contraception (where lme4 warns) and Mmmec (offset, AGQ) from mlmRev", {
  skip_if_not_installed("lme4")
  skip_if_not_installed("mlmRev")
  e <- new.env()
  utils::data(list = c("Contraception", "Mmmec"), package = "mlmRev", envir = e)
  check_glmer_pair("Contraception", glmer_pair(use ~ age + I(age^2) + urban + livch + (1 | urban:district),
                                               e$Contraception, stats::binomial), tol = 5e-3)
  mm <- e$Mmmec
  for (k in c(1L, 11L))
    check_glmer_pair("Mmmec", glmer_pair(deaths ~ uvb + (1 | region), mm, stats::poisson, nAGQ = k,
                                         offset = log(mm$expected)), tol = 2e-3)
})

test_that("AGQ: cbpp's log-likelihood at nAGQ = 25 is the integral, and the errors shrink with nAGQ", {
  skip_if_not_installed("lme4")
  cbpp <- lme4_data("cbpp")
  f <- cbind(incidence, size - incidence) ~ period + (1 | herd)
  g <- glmmgo::glmer(f, cbpp, family = stats::binomial, nAGQ = 25L)
  par <- c(g$theta, glmmgo::fixef(g))
  X <- stats::model.matrix(~ period, cbpp)
  eta0 <- drop(X %*% glmmgo::fixef(g))
  sigma <- g$theta
  ## log L = sum over herds of log of the integral over b ~ N(0, sigma^2)
  ## of the herd's binomial likelihood, every constant included
  ll <- sum(vapply(split(seq_len(nrow(cbpp)), cbpp$herd), function(i) {
    h <- function(b) vapply(b, function(bb) exp(sum(stats::dbinom(cbpp$incidence[i], cbpp$size[i],
                                                                     stats::plogis(eta0[i] + sigma * bb), log = TRUE))),
                            1) * stats::dnorm(b)
    log(stats::integrate(h, -Inf, Inf, rel.tol = 1e-13, abs.tol = 0)$value)
  }, 1))
  expect_equal(as.numeric(logLik(g)), ll, tolerance = 1e-6 / abs(ll))
  err <- vapply(c(1L, 3L, 9L, 25L), function(k) {
    dev <- glmmgo::glmer(f, cbpp, family = stats::binomial, nAGQ = k, devFunOnly = TRUE)
    abs(-dev(par) / 2 - ll)
  }, 1)
  message(sprintf("cbpp log-likelihood errors against integrate() at the nAGQ = 25 estimate: nAGQ 1 %.2e, 3 %.2e, 9 %.2e, 25 %.2e",
                  err[1], err[2], err[3], err[4]))
  expect_true(err[1] > err[2] && err[2] > err[3])
  expect_lt(err[4], 1e-6)
})
