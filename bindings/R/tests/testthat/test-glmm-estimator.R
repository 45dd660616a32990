## mcla.control(estimator =): glmm's joint estimator or the blockwise one
## (one importance-sampling average per conditionally independent block of
## random effects). BoothHobert has one random intercept per group: 10
## blocks.

bh_fit <- function(...) {
  suppressWarnings(glmm(y ~ 0 + x1, list(~ 0 + z1), "z1", data = BoothHobert, family.glmm = bernoulli.glmm,
                        seed = 3, workers = 1, ...))
}

test_that("mcla.control checks the estimator", {
  expect_identical(mcla.control()$estimator, "auto")
  expect_identical(mcla.control(estimator = "joint")$estimator, "joint")
  expect_error(mcla.control(estimator = "product"), "'estimator' must be")
  expect_error(mcla.control(estimator = c("joint", "auto")), "'estimator' must be")
})

test_that("a given m keeps glmm's joint estimator; blockwise on request", {
  j <- bh_fit(m = 1000, control = mcla.control(stages = 1))
  expect_identical(j$estimator, "joint")
  expect_equal(j$blocks, 10)
  expect_identical(j$joint.ess, j$ess)
  b <- bh_fit(m = 1000, control = mcla.control(stages = 1, estimator = "blockwise"))
  expect_identical(b$estimator, "blockwise")
  ## the same samples' joint weights are far more uneven than any block's
  expect_gt(b$ess, 3 * b$joint.ess)
  ## both estimate the same likelihood: the estimates agree within their MC and
  ## sampling error
  expect_lt(max(abs(c(b$beta, b$nu) - c(j$beta, j$nu)) / se(j)), 0.5)
  ## the engine's objective over the fit's own samples reproduces the fit
  mod <- glmmgo:::glmm_objective_model(b)
  o <- mcla_objective(mod, c(b$beta, b$nu))
  expect_equal(o$value, b$loglike.value, tolerance = 1e-10)
  expect_lt(max(abs(o$gradient)), 1e-6)
  ## per-sample diagnostics show the joint weights of the samples
  expect_equal(1 / sum(importance_weights(b)^2), b$joint.ess, tolerance = 1e-8)
  expect_output(print(summary(b)), "blockwise over 10 blocks")
})

test_that("m = \"auto\" is blockwise on a design of several blocks", {
  a <- bh_fit(m = "auto", control = mcla.control(stages = 2, m.pilot = 512, m.max = 2048, ess = 200))
  expect_identical(a$estimator, "blockwise")
  expect_gte(a$ess, 200)
  j <- bh_fit(m = "auto", control = mcla.control(stages = 2, m.pilot = 512, m.max = 2048, ess = 200, estimator = "joint"))
  expect_identical(j$estimator, "joint")
})

test_that("a blockwise fit whose sample lives in PSOCK workers is the one-process fit bit for bit", {
  one <- bh_fit(m = 1500, control = mcla.control(stages = 2, m.pilot = 512, estimator = "blockwise"))
  cl <- parallel::makePSOCKcluster(2)
  on.exit(parallel::stopCluster(cl))
  parallel::clusterCall(cl, function(p) { .libPaths(p); NULL }, .libPaths())
  f <- bh_fit(m = 1500, control = mcla.control(stages = 2, m.pilot = 512, estimator = "blockwise"), cluster = cl)
  expect_identical(f$estimator, "blockwise")
  for (nm in c("beta", "nu", "loglike.value", "loglike.hessian", "se", "mcse", "mcse.glmm", "ess", "joint.ess", "m",
               "trust.iterations", "stages"))
    expect_identical(f[[nm]], one[[nm]], info = nm)
})
