## lmm_gradient and lmm_hessian against numDeriv on lme4's own deviance
## function (devFunOnly = TRUE) at lme4's optimum: an independent
## implementation of the same criterion.

lme4_devfun_at <- function(formula, data, REML) {
  l <- lme4::lmer(formula, data, REML = REML)
  f <- lme4::lmer(formula, data, REML = REML, devFunOnly = TRUE)
  list(theta = unname(lme4::getME(l, "theta")), f = f)
}

for (case in list(
  list(name = "sleepstudy ML", formula = Reaction ~ Days + (Days | Subject), data = "sleepstudy", REML = FALSE),
  list(name = "sleepstudy REML", formula = Reaction ~ Days + (Days | Subject), data = "sleepstudy", REML = TRUE),
  list(name = "Penicillin ML (crossed)", formula = diameter ~ 1 + (1 | plate) + (1 | sample), data = "Penicillin", REML = FALSE),
  list(name = "Pastes REML (nested)", formula = strength ~ 1 + (1 | batch / cask), data = "Pastes", REML = TRUE))) {
  test_that(sprintf("lmm_gradient and lmm_hessian(sigma = 'profiled') agree with numDeriv on lme4's devfun: %s", case$name), {
    skip_if_not_installed("lme4")
    skip_if_not_installed("numDeriv")
    d <- lme4_data(case$data)
    g <- glmmgo::lmer(case$formula, d, REML = case$REML)
    ref <- lme4_devfun_at(case$formula, d, case$REML)
    ## a point inside the parameter space, away from any bound
    th <- ref$theta * 1.1 + 0.01
    expect_equal(lmm_gradient(g, th), numDeriv::grad(ref$f, th), tolerance = 1e-5)
    H <- lmm_hessian(g, ref$theta, sigma = "profiled")
    expect_equal(H, numDeriv::hessian(ref$f, ref$theta), tolerance = 1e-4)
    expect_equal(H, t(H))
    ## at the fitted theta the gradient is the optimiser's tolerance
    expect_lt(max(abs(lmm_gradient(g))), 1e-2)
  })
}

test_that("sleepstudy ML: the sigma-fixed Hessian is MixedModels.jl's ForwardDiff one (2e-3; its optimum differs slightly)", {
  skip_if_not_installed("lme4")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), lme4_data("sleepstudy"), REML = FALSE)
  want <- matrix(c(45.4126, 35.9366, 6.35492, 35.9366, 465.74, 203.992, 6.35492, 203.992, 963.952), 3)
  expect_equal(lmm_hessian(g, sigma = "fixed"), want, tolerance = 2e-3)
  ## the two Hessians differ by a positive semi-definite rank-one matrix
  D <- lmm_hessian(g, sigma = "fixed") - lmm_hessian(g, sigma = "profiled")
  ev <- eigen(D, symmetric = TRUE)$values
  expect_gt(ev[1], 0)
  expect_lt(max(abs(ev[-1])), 1e-6 * ev[1])
})

test_that("Dyestuff2 ML on its bound: gradient exactly 0, Hessian 28.76868076413998 (MixedModels.jl)", {
  skip_if_not_installed("lme4")
  g <- glmmgo::lmer(Yield ~ 1 + (1 | Batch), lme4_data("Dyestuff2"), REML = FALSE)
  expect_identical(lmm_gradient(g, 0), 0)
  expect_equal(lmm_hessian(g, 0, sigma = "fixed")[1, 1], 28.76868076413998, tolerance = 1e-6)
})

test_that("lmm_gradient and lmm_hessian refuse bad input by name", {
  skip_if_not_installed("lme4")
  g <- glmmgo::lmer(Yield ~ 1 + (1 | Batch), lme4_data("Dyestuff"), REML = FALSE)
  expect_error(lmm_gradient(g, c(1, 2)), "theta")
  expect_error(lmm_gradient(g, NA_real_), "theta")
  expect_error(lmm_gradient(g, -1), "theta")
  expect_error(lmm_hessian(g, sigma = "neither"), "should be one of")
  expect_error(lmm_gradient(list()), "fit")
})

test_that("the optimiser: auto takes BFGS from 6 covariance parameters on; forced ones reach the same optimum", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  f <- Reaction ~ Days + (Days | Subject)
  a <- glmmgo::lmer(f, d, REML = FALSE)
  b <- glmmgo::lmer(f, d, REML = FALSE, control = glmmgoControl(optimizer = "bfgs"))
  expect_match(a$optinfo$optimizer, "BOBYQA")
  expect_match(b$optinfo$optimizer, "BFGS")
  expect_equal(glmmgo::REMLcrit(b), glmmgo::REMLcrit(a), tolerance = 1e-8)
  expect_lt(b$optinfo$evals, a$optinfo$evals)
  expect_length(b$optinfo$messages, 0L)
  expect_error(glmmgoControl(optimizer = "nlopt"), "should be one of")
})

test_that("Wald intervals for the variance parameters (lme4: NA) and vcov_theta", {
  skip_if_not_installed("lme4")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), lme4_data("sleepstudy"), REML = FALSE)
  ci <- confint(g, method = "Wald")
  expect_false(anyNA(ci))
  est <- c(23.78, 0.08, 5.717, 25.59)  # sd, cor, sd, sigma (lme4's VarCorr at the ML fit)
  expect_true(all(ci[1:4, 1] < est & est < ci[1:4, 2]))
  ## sigma's interval: the closed form of 2 J^-1 checked in the engine; here
  ## the symmetric interval about the estimate
  expect_equal(unname(rowMeans(ci[1:4, ])), unname(glmmgo:::theta_to_sdcor(g$theta, g$reterms, sigma(g))), tolerance = 1e-10)
  V <- vcov_theta(g)
  expect_equal(V, t(V))
  expect_equal(unname(V), 2 * solve(lmm_hessian(g)), tolerance = 1e-8)
  ## a singular fit: no Wald interval for the variance on its bound
  s <- glmmgo::lmer(Yield ~ 1 + (1 | Batch), lme4_data("Dyestuff2"), REML = FALSE)
  expect_true(is.na(vcov_theta(s)[1, 1]))
})

test_that("a model with 6 covariance parameters is fitted by BFGS (auto) to lme4's optimum, without false alarms", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  d$D <- d$Days / 9
  f <- Reaction ~ D + I(D^2) + (D + I(D^2) | Subject)
  g <- glmmgo::lmer(f, d, REML = FALSE)
  l <- suppressWarnings(lme4::lmer(f, d, REML = FALSE, control = lme4::lmerControl(optimizer = "bobyqa",
                                                                                  optCtrl = list(rhoend = 1e-10))))
  expect_match(g$optinfo$optimizer, "BFGS")
  expect_length(g$optinfo$messages, 0L)
  expect_lte(deviance(g), deviance(l) + 1e-6 * abs(deviance(l)))
  expect_equal(deviance(g), deviance(l), tolerance = 1e-6)
  b <- glmmgo::lmer(f, d, REML = FALSE, control = glmmgoControl(optimizer = "bobyqa"))
  expect_equal(deviance(g), deviance(b), tolerance = 1e-8)
  expect_lt(g$optinfo$evals, b$optinfo$evals)
})
