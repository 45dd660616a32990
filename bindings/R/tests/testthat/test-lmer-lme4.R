test_that("Dyestuff (ML and REML) matches lme4", {
  skip_if_not_installed("lme4")
  d <- lme4_data("Dyestuff")
  compare_with_lme4(Yield ~ 1 + (1 | Batch), d, REML = FALSE)
  compare_with_lme4(Yield ~ 1 + (1 | Batch), d, REML = TRUE)
})

test_that("Dyestuff2 fits on the boundary like lme4", {
  skip_if_not_installed("lme4")
  d <- lme4_data("Dyestuff2")
  res <- suppressMessages(compare_with_lme4(Yield ~ 1 + (1 | Batch), d, REML = FALSE))
  expect_equal(res$g$theta, 0)
  expect_true(glmmgo::isSingular(res$g))
  expect_message(glmmgo::lmer(Yield ~ 1 + (1 | Batch), d), "singular")
})

test_that("sleepstudy (ML and REML, correlated and uncorrelated) matches lme4", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  compare_with_lme4(Reaction ~ Days + (Days | Subject), d, REML = FALSE)
  r <- compare_with_lme4(Reaction ~ Days + (Days | Subject), d, REML = TRUE)
  expect_equal(length(r$g$theta), 3L)
  compare_with_lme4(Reaction ~ Days + (Days || Subject), d, REML = TRUE)
  compare_with_lme4(Reaction ~ Days + (1 | Subject) + (0 + Days | Subject), d, REML = FALSE)
})

test_that("Penicillin (crossed) and Pastes (nested, a/b and a:b) match lme4", {
  skip_if_not_installed("lme4")
  p <- lme4_data("Penicillin")
  r <- compare_with_lme4(diameter ~ 1 + (1 | plate) + (1 | sample), p, REML = TRUE)
  expect_equal(names(glmmgo::VarCorr(r$g)), c("plate", "sample"))   # decreasing number of levels
  pa <- lme4_data("Pastes")
  r1 <- compare_with_lme4(strength ~ 1 + (1 | batch/cask), pa, REML = TRUE)
  r2 <- compare_with_lme4(strength ~ 1 + (1 | batch) + (1 | batch:cask), pa, REML = FALSE)
  r3 <- glmmgo::lmer(strength ~ 1 + (1 | batch) + (1 | cask:batch), pa, REML = TRUE)
  expect_equal(r3$theta, r1$g$theta, tolerance = 1e-6)
  expect_equal(names(glmmgo::VarCorr(r1$g)), c("cask:batch", "batch"))
})

test_that("InstEval matches lme4", {
  skip_if_not_installed("lme4")
  skip_if_slow()
  d <- lme4_data("InstEval")
  g <- glmmgo::lmer(y ~ service + (1 | s) + (1 | d) + (1 | dept), d, REML = FALSE)
  l <- lme4::lmer(y ~ service + (1 | s) + (1 | d) + (1 | dept), d, REML = FALSE)
  expect_equal(deviance(g), deviance(l), tolerance = 1e-7)
  expect_equal(g$theta, unname(lme4::getME(l, "theta")), tolerance = 2e-3)
  expect_equal(glmmgo::fixef(g), lme4::fixef(l), tolerance = 1e-4)
  expect_equal(sigma(g), sigma(l), tolerance = 1e-5)
  expect_equal(names(glmmgo::VarCorr(g)), c("s", "d", "dept"))
})

test_that("the deviance function agrees with lme4's at arbitrary theta", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  fg <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d, REML = FALSE, devFunOnly = TRUE)
  fl <- lme4::lmer(Reaction ~ Days + (Days | Subject), d, REML = FALSE, devFunOnly = TRUE)
  for (th in list(c(1, 0, 1), c(0.5, -0.2, 0.1), c(2, 0.3, 0))) expect_equal(fg(th), fl(th), tolerance = 1e-9)
  expect_error(fg(c(1, 2)), "3 elements")
})

test_that("weights and offsets match lme4", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  d$w <- rep(c(1, 2, 0.5), length.out = nrow(d))
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d, weights = w, REML = FALSE)
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d, weights = w, REML = FALSE)
  expect_equal(deviance(g), deviance(l), tolerance = 1e-7)
  expect_equal(glmmgo::fixef(g), lme4::fixef(l), tolerance = 1e-4)
  expect_equal(sigma(g), sigma(l), tolerance = 1e-4)
  d$o <- d$Days * 2
  g2 <- glmmgo::lmer(Reaction ~ Days + (1 | Subject) + offset(o), d)
  l2 <- lme4::lmer(Reaction ~ Days + (1 | Subject) + offset(o), d)
  expect_equal(glmmgo::fixef(g2), lme4::fixef(l2), tolerance = 1e-5)
  expect_equal(unname(fitted(g2)), unname(fitted(l2)), tolerance = 1e-5)
})

test_that("the engine's deviance components agree with lme4's getME(fit, \"devcomp\")$cmp", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  d$w <- rep(c(1, 2, 0.5), length.out = nrow(d))
  pa <- lme4_data("Pastes")
  cases <- list(list(f = Reaction ~ Days + (Days | Subject), d = d, REML = TRUE, w = FALSE),
                list(f = Reaction ~ Days + (Days | Subject), d = d, REML = FALSE, w = FALSE),
                list(f = Reaction ~ Days + (Days | Subject), d = d, REML = FALSE, w = TRUE),
                list(f = strength ~ 1 + (1 | batch/cask), d = pa, REML = TRUE, w = FALSE))
  for (cs in cases) {
    info <- paste(deparse(cs$f), if (cs$REML) "REML" else "ML", if (cs$w) "weighted" else "")
    l <- if (cs$w) lme4::lmer(cs$f, cs$d, REML = cs$REML, weights = w) else lme4::lmer(cs$f, cs$d, REML = cs$REML)
    g <- if (cs$w) glmmgo::lmer(cs$f, cs$d, REML = cs$REML, weights = w) else glmmgo::lmer(cs$f, cs$d, REML = cs$REML)
    cmp <- lme4::getME(l, "devcomp")$cmp
    n <- nobs(g); p <- length(glmmgo::fixef(g))
    ## at lme4's own theta (model order is lme4's order), the same quantities
    parts <- glmmgo:::engine_lmm_deviance_parts(glmmgo:::lmm_engine(g), unname(lme4::getME(l, "theta")))
    for (nm in c("ldL2", "ldRX2", "wrss", "ussq", "pwrss"))
      expect_equal(parts[[nm]], unname(cmp[[nm]]), tolerance = 1e-7, info = paste(info, nm))
    ## with sum log w they rebuild lme4's criterion
    expect_equal(parts[["ldW"]], if (cs$w) sum(log(d$w)) else 0, tolerance = 1e-12)
    crit <- if (cs$REML) {
      parts[["ldL2"]] + parts[["ldRX2"]] - parts[["ldW"]] + (n - p) * (1 + log(2 * pi * parts[["pwrss"]] / (n - p)))
    } else {
      parts[["ldL2"]] - parts[["ldW"]] + n * (1 + log(2 * pi * parts[["pwrss"]] / n))
    }
    expect_equal(crit, unname(cmp[[if (cs$REML) "REML" else "dev"]]), tolerance = 1e-9, info = info)
    ## getME(fit, "devcomp") takes the same pieces at the fit's theta
    ours <- getME(g, "devcomp")$cmp
    at_fit <- glmmgo:::engine_lmm_deviance_parts(glmmgo:::lmm_engine(g), g$theta)
    expect_identical(ours[c("ldL2", "ldRX2", "wrss", "ussq", "pwrss")], at_fit[c("ldL2", "ldRX2", "wrss", "ussq", "pwrss")])
    expect_equal(ours, cmp, tolerance = 1e-5, info = info)
  }
})
