test_that("predict with new data, with and without random effects", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d)
  nd <- data.frame(Days = c(0, 5, 9), Subject = factor(c("308", "309", "372")))
  expect_equal(unname(predict(g, nd)), unname(predict(l, nd)), tolerance = 1e-4)
  expect_equal(unname(predict(g, nd, re.form = NA)), unname(predict(l, nd, re.form = NA)), tolerance = 1e-5)
  expect_equal(unname(predict(g, nd, re.form = ~0)), unname(predict(g, nd, re.form = NA)))
  expect_equal(unname(predict(g)), unname(fitted(g)))
  nd2 <- data.frame(Days = 1, Subject = "999")
  expect_error(predict(g, nd2), "new level.*allow.new.levels")
  expect_equal(unname(predict(g, nd2, allow.new.levels = TRUE)),
               unname(sum(glmmgo::fixef(g) * c(1, 1))))
})

test_that("methods keep working when lme4 is attached after glmmgo", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  ## lme4's (nlme's) generics dispatch to glmmgo's methods
  expect_equal(lme4::fixef(g), glmmgo::fixef(g))
  expect_equal(lme4::ranef(g)$Subject, glmmgo::ranef(g)$Subject)
  expect_equal(lme4::VarCorr(g)$Subject, glmmgo::VarCorr(g)$Subject)
  ## and glmmgo's generics hand lme4's fits to lme4
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d)
  expect_equal(glmmgo::fixef(l), lme4::fixef(l))
  expect_equal(glmmgo::VarCorr(l)$Subject, lme4::VarCorr(l)$Subject)
})

test_that("printing follows lme4's layout", {
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  out <- capture.output(print(summary(g)))
  expect_true(any(grepl("^Linear mixed model fit by REML", out)))
  expect_true(any(grepl("^REML criterion at convergence: 1743.6", out)))
  ## the criterion is flat along this variance: fits equal to 1e-12 in
  ## REMLcrit print 612.09 (glmmgo) or 612.10 (lme4)
  expect_true(any(grepl("^ Subject  \\(Intercept\\) 612\\.(09|1)", out)))
  expect_true(any(grepl("^Number of obs: 180, groups:  Subject, 18", out)))
  expect_true(any(grepl("^Days +10.467 +1.546 +6.77", out)))
  expect_true(any(grepl("Correlation of Fixed Effects", out)))
  out2 <- capture.output(print(glmmgo::lmer(Reaction ~ Days + (Days | Subject), d, REML = FALSE)))
  expect_true(any(grepl("maximum likelihood", out2)))
  expect_true(any(grepl("1763.9393", out2)))
  expect_output(print(glmmgo::VarCorr(g)), "Residual")
})

test_that("caterpillar plot draws one panel per grouping factor and column", {
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  f <- tempfile(fileext = ".pdf")
  grDevices::pdf(f)
  panels <- plot(g)
  grDevices::dev.off()
  expect_equal(length(panels), 2L)
  expect_true(all(is.finite(panels[[1]]$sd)))
  expect_gt(file.size(f), 1000)
})

test_that("coef combines fixed and random effects", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d)
  expect_equal(unname(as.matrix(coef(g)$Subject)), unname(as.matrix(coef(l)$Subject)), tolerance = 1e-4)
})

test_that("a saved or PSOCK-sent lmer fit keeps what users read, and rebuilds the engine when it needs it", {
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  file <- tempfile(fileext = ".rds")
  saveRDS(g, file)
  h <- readRDS(file)
  expect_false(glmmgo:::handle_valid(h$engine$model))
  expect_identical(glmmgo::fixef(h), glmmgo::fixef(g))
  expect_identical(vcov(h), vcov(g))
  expect_identical(glmmgo::VarCorr(h), glmmgo::VarCorr(g))
  expect_identical(logLik(h), logLik(g))
  expect_identical(fitted(h), fitted(g))
  expect_identical(glmmgo::ranef(h, condVar = FALSE), glmmgo::ranef(g, condVar = FALSE))
  expect_identical(capture.output(print(summary(h))), capture.output(print(summary(g))))
  ## what the engine computes on request comes from a rebuilt model and a
  ## replayed fit: the same numbers
  rg <- glmmgo::ranef(g)
  expect_equal(glmmgo::ranef(h), rg, tolerance = 1e-10)
  expect_equal(getME(h, "devcomp"), getME(g, "devcomp"), tolerance = 1e-10)
  ## a PSOCK worker gets the same results
  cl <- parallel::makeCluster(1, type = "PSOCK")
  on.exit(parallel::stopCluster(cl))
  parallel::clusterCall(cl, function(p) { .libPaths(p); library(glmmgo); NULL }, .libPaths())
  w <- parallel::clusterCall(cl, function(x) list(fixef = glmmgo::fixef(x), sigma = sigma(x), vc = glmmgo::VarCorr(x),
                                                    re = glmmgo::ranef(x), AIC = AIC(x)), g)[[1]]
  expect_identical(w$fixef, glmmgo::fixef(g))
  expect_identical(w$sigma, sigma(g))
  expect_identical(w$vc, glmmgo::VarCorr(g))
  expect_equal(w$re, rg, tolerance = 1e-10)
  expect_identical(w$AIC, AIC(g))
})

test_that("VarCorr is the engine's, and agrees with theta and sigma", {
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  L <- matrix(c(g$theta[1], g$theta[2], 0, g$theta[3]), 2)
  S <- sigma(g)^2 * L %*% t(L)
  vc <- glmmgo::VarCorr(g)$Subject
  expect_equal(unname(attr(vc, "stddev")), sqrt(diag(S)), tolerance = 1e-12)
  expect_equal(attr(vc, "correlation")[2, 1], S[2, 1] / sqrt(S[1, 1] * S[2, 2]), tolerance = 1e-12)
  expect_equal(unname(vc[, ]), unname(S), tolerance = 1e-12)
})
