## Honest convergence: the optimiser's stopping point is checked with the
## gradient and Hessian on the theta scale and restarted when it is not a
## minimum; warnings only when a check still fails. And lmerControl's
## settings: honoured, or named in a message as ignored.

days2_data <- function() {
  d <- lme4_data("sleepstudy")
  d$Days2 <- 1000 * d$Days
  d
}

test_that("the badly scaled sleepstudy model reaches lme4's tight optimum to 1e-6 (was: 1761.80, reported converged)", {
  skip_if_not_installed("lme4")
  d <- days2_data()
  l <- suppressWarnings(lme4::lmer(Reaction ~ Days2 + (Days2 | Subject), d,
                                   control = lme4::lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12),
                                                               check.conv.grad = "ignore", check.conv.hess = "ignore")))
  expect_warning(g <- glmmgo::lmer(Reaction ~ Days2 + (Days2 | Subject), d), NA)
  expect_equal(glmmgo::REMLcrit(g), lme4::REMLcrit(l), tolerance = 1e-6)
  expect_lt(glmmgo::REMLcrit(g), 1757.45)
  expect_gte(g$optinfo$restarts, 1L)
  expect_length(g$optinfo$messages, 0L)
  ## the same model on the well-scaled predictor: scaling a column of X by
  ## 1000 adds 2 log(1000) to the REML criterion (its log|X'V^-1 X| term)
  h <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  expect_equal(glmmgo::REMLcrit(g) - glmmgo::REMLcrit(h), 2 * log(1000), tolerance = 1e-7)
})

test_that("a check that still fails after the restarts warns as lme4, with the gradient", {
  d <- days2_data()
  expect_warning(g <- glmmgo::lmer(Reaction ~ Days2 + (Days2 | Subject), d, control = glmmgoControl(restarts = 0)),
                 "Model failed to converge with max\\|grad\\| = .*after 0 restarts.*gradient of the criterion on the theta scale")
  expect_gt(glmmgo::REMLcrit(g), 1761)
  expect_gt(length(g$optinfo$messages), 0L)
  expect_output(print(g), "convergence check: Model failed to converge")
  ## check.conv.grad = "ignore" keeps quiet, calc.derivs = FALSE does not check at all
  expect_warning(glmmgo::lmer(Reaction ~ Days2 + (Days2 | Subject), d,
                              control = glmmgoControl(restarts = 0, check.conv.grad = "ignore")), NA)
  g0 <- glmmgo::lmer(Reaction ~ Days2 + (Days2 | Subject), d, control = glmmgoControl(calc.derivs = FALSE))
  expect_null(g0$optinfo$derivs)
  expect_equal(g0$optinfo$restarts, 0L)
})

test_that("well-behaved models get no convergence warning, and the derivatives agree with lme4's", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  expect_warning(g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d), NA)
  expect_equal(g$optinfo$restarts, 0L)
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d, control = lme4::lmerControl(optimizer = "bobyqa"))
  expect_equal(g$optinfo$derivs$Hessian, l@optinfo$derivs$Hessian, tolerance = 1e-3)
  expect_lt(max(abs(g$optinfo$derivs$gradient)), 1e-2)
  expect_warning(glmmgo::lmer(diameter ~ 1 + (1 | plate) + (1 | sample), lme4_data("Penicillin")), NA)
  expect_warning(glmmgo::lmer(strength ~ 1 + (1 | batch/cask), lme4_data("Pastes")), NA)
  ## a boundary fit: the singular message and no derivative complaint
  expect_warning(expect_message(b <- glmmgo::lmer(Yield ~ 1 + (1 | Batch), lme4_data("Dyestuff2"), REML = FALSE),
                                "boundary \\(singular\\) fit.*\n.*theta\\[1\\] = 0: derivative of the criterion 0, curvature 28.77: it is flat there and curves up"), NA)
  expect_true(b$optinfo$derivs$at_bound)
  expect_gte(b$optinfo$derivs$gradient, 0)
})

test_that("lmerControl settings are honoured or named as ignored (was: partly ignored silently)", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  f <- Reaction ~ Days + (Days | Subject)
  expect_message(glmmgo::lmer(f, d, control = lme4::lmerControl(optimizer = "nloptwrap")),
                 "ignores these lmerControl settings: optimizer = \"nloptwrap\"")
  expect_message(glmmgo::lmer(f, d, control = lme4::lmerControl(optimizer = "bobyqa")), NA)
  expect_error(suppressMessages(glmmgo::lmer(f, d, control = lme4::lmerControl(optCtrl = list(maxeval = 5)))),
               "maxeval/maxfun = 5.*too small")
  expect_warning(g <- glmmgo::lmer(f, d, control = lme4::lmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 12),
                                                                   check.conv.grad = "ignore")),
                 "stopped after 12 evaluations without converging")
  expect_false(g$converged)
  g <- glmmgo::lmer(f, d, control = lme4::lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-8)))
  expect_equal(g$optinfo$runs[[1]]$rhoend, 1e-8)
  expect_message(glmmgo::lmer(f, d, control = lme4::lmerControl(optimizer = "bobyqa", optCtrl = list(xtol_abs = 1e-8))),
                 "optCtrl\\$xtol_abs")
  expect_message(glmmgo::lmer(f, d, control = lme4::lmerControl(optimizer = "bobyqa", use.last.params = TRUE)),
                 "use.last.params = TRUE")
  d2 <- lme4_data("Dyestuff2")
  expect_message(glmmgo::lmer(Yield ~ 1 + (1 | Batch), d2,
                              control = lme4::lmerControl(optimizer = "bobyqa", check.conv.singular = "ignore")), NA)
  expect_warning(glmmgo::lmer(Yield ~ 1 + (1 | Batch), d2,
                              control = lme4::lmerControl(optimizer = "bobyqa", check.conv.singular = "warning")),
                 "singular")
  expect_error(glmmgo::lmer(f, d, control = lme4::lmerControl(optimizer = "bobyqa", check.nobs.vs.nlev = "ignore")),
               "check.nobs.vs.nlev = \"ignore\"\\) cannot be honoured")
  d$g3 <- factor(rep(1:3, length.out = nrow(d)))
  expect_warning(suppressMessages(glmmgo::lmer(Reaction ~ Days + (1 | g3), d,
                                               control = lme4::lmerControl(optimizer = "bobyqa",
                                                                           check.nlev.gtreq.5 = "warning"))),
                 "< 5 sampled levels")
  d$Days2 <- 2 * d$Days
  expect_error(glmmgo::lmer(Reaction ~ Days + Days2 + (1 | Subject), d,
                            control = lme4::lmerControl(optimizer = "bobyqa", check.rankX = "stop.deficient")),
               "rank deficient")
  expect_message(glmmgo::lmer(Reaction ~ Days + Days2 + (1 | Subject), d,
                              control = lme4::lmerControl(optimizer = "bobyqa", check.rankX = "silent.drop.cols")), NA)
  d$Days3 <- 1e4 * d$Days
  expect_warning(glmmgo::lmer(Reaction ~ Days3 + (1 | Subject), d, control = lme4::lmerControl(optimizer = "bobyqa")),
                 "very different scales")
  expect_error(glmmgo::lmer(f, d, control = list(foo = 1)), "unknown control")
})
