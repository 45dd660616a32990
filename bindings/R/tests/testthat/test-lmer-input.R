test_that("bad input gives messages a user can act on", {
  d <- lme4_data("sleepstudy")
  expect_error(glmmgo::lmer(Reaction ~ Days + (1 | Subjekt), d), "Subjekt.*not found in 'data'")
  expect_error(glmmgo::lmer(Reaction ~ Days, d), "no random-effects terms")
  d1 <- d; d1$one <- factor("a")
  expect_error(glmmgo::lmer(Reaction ~ Days + (1 | one), d1), "'one' has only 1 level")
  d1$id <- factor(seq_len(nrow(d1)))
  expect_error(glmmgo::lmer(Reaction ~ Days + (1 | id), d1), "180 levels for 180 observations")
  expect_error(glmmgo::lmer(Reaction ~ Days + (1 | Subject), d, weights = rep(1, 3)), "weights|variable lengths")
  d1$w <- -1
  expect_error(glmmgo::lmer(Reaction ~ Days + (1 | Subject), d1, weights = w), "non-negative")
  expect_error(glmmgo::lmer(Reaction ~ Days + (1 | Subject), d, start = c(1, 2)), "'start' must be theta")
  expect_error(glmmgo::lmer(Subject ~ Days + (1 | Subject), d), "must be numeric")
  expect_error(glmmgo::lmer(Reaction ~ Days + (1 | Subject), d, control = list(foo = 1)), "unknown control")
})

test_that("missing values are handled by na.action as lm does", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  d$Reaction[c(3, 50)] <- NA
  d$Days[7] <- NA
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d)
  expect_equal(nobs(g), 177L)
  expect_equal(glmmgo::REMLcrit(g), lme4::REMLcrit(l), tolerance = 1e-7)
  expect_equal(length(fitted(g)), 177L)
  ge <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d, na.action = na.exclude)
  expect_equal(length(residuals(ge)), 180L)
  expect_true(all(is.na(residuals(ge)[c(3, 7, 50)])))
  expect_error(glmmgo::lmer(Reaction ~ Days + (Days | Subject), d, na.action = na.fail), "missing values")
})

test_that("rank-deficient fixed effects are dropped as lme4 does", {
  d <- lme4_data("sleepstudy")
  d$Days2 <- 2 * d$Days
  expect_message(g <- glmmgo::lmer(Reaction ~ Days + Days2 + (1 | Subject), d), "dropping 1 column")
  expect_equal(names(glmmgo::fixef(g)), c("(Intercept)", "Days"))
  expect_true(is.na(glmmgo::fixef(g, add.dropped = TRUE)[["Days2"]]))
})

test_that("verbose prints progress and the formula parser handles lme4's syntax", {
  d <- lme4_data("sleepstudy")
  out <- capture.output(g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d, verbose = 1))
  expect_gt(length(grep("^iteration", out)), 10)
  expect_equal(glmmgo:::no_bars(y ~ x + (1 | g) + (x || h)), y ~ x)
  expect_equal(glmmgo:::no_bars(y ~ (1 | g)), y ~ 1)
  bars <- glmmgo:::find_bars(quote(x + (1 + x | g) + (1 | a/b)))
  expect_length(bars, 2)
  ex <- glmmgo:::expand_bar(bars[[2]])
  expect_equal(vapply(ex, function(t) deparse(t$group), ""), c("a", "b:a"))
  ex2 <- glmmgo:::expand_bar(quote(x + z || g))
  expect_equal(vapply(ex2, function(t) deparse(t$lhs), ""), c("1", "0 + x", "0 + z"))
})
