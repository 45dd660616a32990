## Formulas on R's own model machinery: each call here failed before
## (transformed responses, subset, numeric nested IDs, the dot, zero
## weights) and is now compared with lme4 run in the same test.

test_that("transformed responses fit as lme4 (was: object 'Reaction' not found)", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  compare_with_lme4(log(Reaction) ~ Days + (Days | Subject), d, REML = TRUE)
  compare_with_lme4(sqrt(Reaction) ~ Days + (1 | Subject), d, REML = FALSE)
  gt <- lme4_data("grouseticks")
  compare_with_lme4(log(TICKS + 1) ~ YEAR + HEIGHT + (1 | BROOD) + (1 | LOCATION), gt, REML = TRUE)
  cb <- lme4_data("cbpp")
  g <- glmmgo::lmer(incidence / size ~ period + (1 | herd), cb, weights = size)
  l <- lme4::lmer(incidence / size ~ period + (1 | herd), cb, weights = size)
  expect_equal(glmmgo::REMLcrit(g), lme4::REMLcrit(l), tolerance = 1e-7)
  expect_equal(glmmgo::fixef(g), lme4::fixef(l), tolerance = 1e-5)
})

test_that("subset works and the frame never reads variables from the calling environment", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(log(Reaction) ~ Days + (Days | Subject), d, subset = Days > 0)
  l <- lme4::lmer(log(Reaction) ~ Days + (Days | Subject), d, subset = Days > 0)
  expect_equal(nobs(g), 162L)
  expect_equal(glmmgo::REMLcrit(g), lme4::REMLcrit(l), tolerance = 1e-7)
  ## a same-named vector in the calling environment must not be used
  Reaction <- rev(d$Reaction)
  g2 <- glmmgo::lmer(log(Reaction) ~ Days + (Days | Subject), d, subset = Days > 0)
  expect_equal(glmmgo::REMLcrit(g2), glmmgo::REMLcrit(g))
  expect_equal(unname(getME(g2, "y")), log(d$Reaction[d$Days > 0]))
})

test_that("I(), poly(), splines, interactions, contrasts and offset() match lme4, and predict on new data", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  d$late <- factor(ifelse(d$Days > 4, "late", "early"))
  compare_with_lme4(Reaction ~ poly(Days, 2) + (1 | Subject), d, REML = TRUE)
  compare_with_lme4(Reaction ~ splines::ns(Days, 3) + (1 | Subject), d, REML = FALSE)
  compare_with_lme4(Reaction ~ Days * late + I(Days^2) + (Days | Subject), d, REML = TRUE)
  g <- glmmgo::lmer(Reaction ~ late + (1 | Subject), d, contrasts = list(late = "contr.sum"))
  l <- lme4::lmer(Reaction ~ late + (1 | Subject), d, contrasts = list(late = "contr.sum"))
  expect_equal(glmmgo::fixef(g), lme4::fixef(l), tolerance = 1e-6)
  d$o <- d$Days / 2
  g <- glmmgo::lmer(Reaction ~ Days + offset(o) + (1 | Subject), d)
  l <- lme4::lmer(Reaction ~ Days + offset(o) + (1 | Subject), d)
  expect_equal(glmmgo::fixef(g), lme4::fixef(l), tolerance = 1e-6)
  gp <- glmmgo::lmer(Reaction ~ poly(Days, 2) + (1 | Subject), d)
  lp <- lme4::lmer(Reaction ~ poly(Days, 2) + (1 | Subject), d)
  nd <- data.frame(Days = c(0.5, 3, 8), Subject = factor(c("308", "309", "372")))
  expect_equal(unname(predict(gp, nd)), unname(predict(lp, nd)), tolerance = 1e-5)
})

test_that("numeric and character grouping variables are factors, also inside / and : (was: a confusing error)", {
  skip_if_not_installed("lme4")
  p <- lme4_data("Pastes")
  p$batchN <- as.integer(p$batch)
  p$caskN <- as.integer(p$cask)
  p$batchC <- as.character(p$batch)
  g <- glmmgo::lmer(strength ~ 1 + (1 | batchN/caskN), p)
  l <- lme4::lmer(strength ~ 1 + (1 | batchN/caskN), p)
  expect_equal(glmmgo::REMLcrit(g), lme4::REMLcrit(l), tolerance = 1e-7)
  expect_equal(names(glmmgo::VarCorr(g)), c("caskN:batchN", "batchN"))
  gf <- glmmgo::lmer(strength ~ 1 + (1 | batch/cask), p)
  expect_equal(glmmgo::REMLcrit(g), glmmgo::REMLcrit(gf), tolerance = 1e-10)
  g2 <- glmmgo::lmer(strength ~ 1 + (1 | batchN) + (1 | batchN:caskN), p)
  expect_equal(glmmgo::REMLcrit(g2), glmmgo::REMLcrit(gf), tolerance = 1e-10)
  g3 <- glmmgo::lmer(strength ~ 1 + (1 | batchC), p)
  l3 <- lme4::lmer(strength ~ 1 + (1 | batchC), p)
  expect_equal(glmmgo::REMLcrit(g3), lme4::REMLcrit(l3), tolerance = 1e-7)
  ## predict with numeric IDs in new data
  expect_equal(unname(predict(g, p[1:3, ])), unname(fitted(g)[1:3]), tolerance = 1e-10)
})

test_that("the dot stands for every column but the response and the grouping variables (was: silently dropped)", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  set.seed(5)
  d$x <- rnorm(nrow(d))
  g <- glmmgo::lmer(Reaction ~ . + (1 | Subject), d)
  expect_named(glmmgo::fixef(g), c("(Intercept)", "Days", "x"))
  l <- lme4::lmer(Reaction ~ Days + x + (1 | Subject), d)
  expect_equal(glmmgo::fixef(g), lme4::fixef(l), tolerance = 1e-6)
  expect_equal(glmmgo::REMLcrit(g), lme4::REMLcrit(l), tolerance = 1e-7)
  expect_equal(formula(g), Reaction ~ . + (1 | Subject))
  expect_error(glmmgo::lmer(Reaction ~ . + (1 | Subject)), "needs 'data'")
})

test_that("zero weights drop their rows with a message (was: rejected)", {
  d <- lme4_data("sleepstudy")
  d$w <- 1
  d$w[c(3, 50)] <- 0
  expect_message(g <- glmmgo::lmer(Reaction ~ Days + (1 | Subject), d, weights = w), "2 observations with zero weight dropped")
  h <- glmmgo::lmer(Reaction ~ Days + (1 | Subject), d[-c(3, 50), ])
  expect_equal(glmmgo::REMLcrit(g), glmmgo::REMLcrit(h), tolerance = 1e-10)
  expect_equal(nobs(g), 178L)
  ge <- suppressMessages(glmmgo::lmer(Reaction ~ Days + (1 | Subject), d, weights = w, na.action = na.exclude))
  expect_length(residuals(ge), 180L)
  expect_true(all(is.na(residuals(ge)[c(3, 50)])))
  d$w[7] <- -1
  expect_error(glmmgo::lmer(Reaction ~ Days + (1 | Subject), d, weights = w), "non-negative.*observation 7")
})
