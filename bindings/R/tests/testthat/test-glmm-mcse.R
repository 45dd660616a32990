## glmm(): the jackknife MCSE, the staged importance densities, m = "auto"
## and mcla.control(). Small m throughout (CI time); the seed study behind
## the MCSE's honesty is inst/bench/seedstudy.R.

bh_fit <- function(...) {
  glmm(y ~ 0 + x1, list(y ~ 0 + z1), varcomps.names = "z1", data = BoothHobert, family.glmm = bernoulli.glmm,
       workers = 2, ...)
}

test_that("mcla.control() checks its settings and glmm() passes them on", {
  ctl <- mcla.control()
  expect_s3_class(ctl, "mcla.control")
  expect_equal(ctl$stages, 5)
  expect_output(print(ctl), "rel.mcse")
  expect_error(mcla.control(stages = 0), "'stages'")
  expect_error(mcla.control(ess = NA), "'ess'")
  expect_error(mcla.control(rel.mcse = -1), "'rel.mcse'")
  expect_error(mcla.control(m.max = 1.5), "'m.max'")
  expect_error(mcla.control(time.max = -1), "'time.max'")
  expect_error(mcla.control(sample.memory = -1), "'sample.memory'")
  expect_error(bh_fit(m = 500, control = list(bogus = 1)), "unknown control setting")
  f <- bh_fit(m = 512, seed = 3, control = list(stages = 1))
  expect_equal(nrow(f$stages), 1)
  expect_false(f$t.sigma)
  expect_identical(f$control, mcla.control(stages = 1))
  expect_equal(f$auto.stop, "m given")
})

test_that("mcse() is the jackknife's, mcse(method = \"glmm\") glmm's formula", {
  f <- bh_fit(m = 2048, seed = 5)
  expect_named(f$jackknife, c("groups", "effective.groups", "df", "inflation"))
  expect_gte(f$jackknife[["groups"]], 32)
  expect_identical(mcse(f), f$mcse)
  expect_identical(mcse(f, method = "glmm"), f$mcse.glmm)
  expect_equal(mcse(f), sqrt(diag(mcvcov(f))), tolerance = 1e-12)
  expect_equal(mcse(f, method = "glmm"), sqrt(diag(mcvcov(f, method = "glmm"))), tolerance = 1e-12)
  expect_true(all(is.finite(mcse(f)) & mcse(f) > 0))
  expect_error(mcse(f, method = "bootstrap"), "should be one of")
  s <- summary(f)
  out <- capture.output(print(s))
  expect_true(any(grepl("jackknife over [0-9]+ groups", out)))
  expect_true(any(grepl("glmm's MCSE", out)))
})

test_that("a tiny effective sample size gives a large MCSE, not a small one", {
  ## glmm's single density on salamander at m = 1000, seed 1: the weights
  ## rest on one or two samples; glmm's formula reports MCSEs of a few
  ## hundredths of a standard error, the jackknife cannot estimate the
  ## spread from so few effective groups and says so (Inf).
  expect_warning(f <- glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
                           data = salamander, family.glmm = bernoulli.glmm, m = 1000, seed = 1, workers = 2,
                           control = mcla.control(stages = 1)),
                 "effective sample size")
  expect_lt(f$ess, 2)
  expect_lt(f$jackknife[["effective.groups"]], 5)
  expect_true(all(mcse(f) >= 0.5 * se(f)))
  expect_true(any(mcse(f, method = "glmm") < 0.5 * se(f)))
})

test_that("stages raise salamander's effective sample size", {
  f <- suppressWarnings(glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
                             data = salamander, family.glmm = bernoulli.glmm, m = 2048, seed = 4, workers = 2,
                             control = mcla.control(stages = 3, m.pilot = 2048)))
  st <- f$stages
  expect_gte(nrow(st), 2)
  expect_equal(colnames(st$estimate), names(c(f$beta, f$nu)))
  expect_equal(sum(st$final), 1)
  expect_gt(st$ess[st$final], 2 * st$ess[1])
  expect_true(f$t.sigma)
  expect_true(any(grepl("Importance densities: [0-9]+ stages", capture.output(print(summary(f))))))
})

test_that("m = \"auto\" reaches its targets, or stops at a cap with a warning", {
  f <- bh_fit(m = "auto", seed = 7, control = mcla.control(ess = 200, rel.mcse = 0.2, m.pilot = 512))
  expect_equal(f$auto.stop, "targets reached")
  expect_true(f$target.met)
  expect_gte(f$ess, 200)
  expect_true(all(mcse(f) <= 0.2 * se(f)))
  expect_equal(f$m %% 256, 0)
  expect_warning(g <- bh_fit(m = "auto", seed = 7, control = mcla.control(ess = 1e6, m.max = 1024, m.pilot = 512)),
                 "m = \"auto\" stopped at m.max = 1,024 .*effective sample size is [0-9]+, below its target")
  expect_equal(g$auto.stop, "m.max reached")
  expect_equal(g$m, 1024)
  expect_false(g$target.met)
  expect_warning(h <- bh_fit(m = "auto", seed = 7, control = mcla.control(ess = 1e6, time.max = 1e-9, m.pilot = 512)),
                 "stopped at time.max")
  expect_equal(h$auto.stop, "time.max reached")
  ## bit-identical for 1 and 2 workers
  f1 <- glmm(y ~ 0 + x1, list(y ~ 0 + z1), varcomps.names = "z1", data = BoothHobert, family.glmm = bernoulli.glmm,
             workers = 1, m = "auto", seed = 7, control = mcla.control(ess = 200, rel.mcse = 0.2, m.pilot = 512))
  expect_identical(c(f1$beta, f1$nu, f1$mcse, f1$m), c(f$beta, f$nu, f$mcse, f$m))
})

test_that("a u-matrix too large for memory is refused before it is made", {
  f <- bh_fit(m = 512, seed = 1)
  old <- options(glmmgo.umatrix.bytes = 1000)
  on.exit(options(old))
  expect_error(f$umat, "would need 40 KiB")
  options(old)
  expect_equal(dim(f$umat), c(512, 10))
})
