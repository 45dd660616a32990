## glmm() results shaped as glmm's: binomial.glmm with a 0/1 vector (as
## glmm's own tests use it), the components x, y, z and mod.mcml, summary's
## coefficients, confint's column names, logLik, glmm's family objects, and
## a class of glmmgo's own.

bh_fit <- function(fixed, family, ...) {
  suppressWarnings(glmm(fixed, list(y ~ 0 + z1), varcomps.names = "z1", data = BoothHobert, family.glmm = family,
                        m = 500, seed = 123, ...))
}

test_that("binomial.glmm takes a 0/1 vector as glmm does (was: an error), and equals the Bernoulli fit", {
  b1 <- bh_fit(y ~ 0 + x1, bernoulli.glmm)
  b2 <- bh_fit(y ~ 0 + x1, binomial.glmm)
  Bigy <- cbind(BoothHobert$y, 1 - BoothHobert$y)
  b3 <- bh_fit(Bigy ~ 0 + x1, binomial.glmm)
  expect_equal(coef(b1), coef(b2), tolerance = 1e-8)
  expect_equal(varcomps(b1), varcomps(b2), tolerance = 1e-8)
  expect_equal(coef(b1), coef(b3), tolerance = 1e-8, ignore_attr = TRUE)
  expect_equal(b2$mod.mcml$ntrials, rep(1, nrow(BoothHobert)))
  expect_error(bh_fit(I(2 * y) ~ 0 + x1, binomial.glmm), "must be 0 or 1")
})

test_that("x, y, z and mod.mcml are glmm's; glmmgo's extras have other names", {
  s <- salamander
  f <- suppressWarnings(glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
                             data = s, family.glmm = bernoulli.glmm, m = 200, seed = 1))
  expect_s3_class(f, c("glmmgo_glmm", "glmm"), exact = TRUE)
  X <- model.matrix(~ 0 + Cross, s)
  expect_equal(f$x, X, ignore_attr = TRUE)
  expect_equal(colnames(f$x), colnames(X))
  expect_equal(f$y, s$Mate)
  expect_type(f$z, "list")
  expect_length(f$z, 2L)
  expect_equal(f$z[[1]], model.matrix(~ 0 + Female, s), ignore_attr = TRUE)
  expect_equal(f$z[[2]], model.matrix(~ 0 + Male, s), ignore_attr = TRUE)
  expect_named(f$mod.mcml, c("x", "y", "z", "ntrials"))
  expect_named(f$mod.mcml$z, c("F", "M"))
  expect_equal(f$mod.mcml$z$F, f$z[[1]], ignore_attr = TRUE)
  expect_equal(f$z.value, c(f$beta, f$nu) / f$se)
  ## two random formulas sharing a variance component: mod.mcml$z binds them
  g <- suppressWarnings(glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = "FM",
                             varcomps.equal = c(1, 1), data = s, family.glmm = bernoulli.glmm, m = 200, seed = 1))
  expect_equal(ncol(g$mod.mcml$z$FM), 120L)
  expect_length(g$z, 2L)
})

test_that("summary has coefficients, confint glmm's column names, logLik glmm's value", {
  f <- bh_fit(y ~ 0 + x1, bernoulli.glmm)
  s <- summary(f)
  expect_named(s$coefficients, "x1")
  expect_equal(s$coefficients, setNames(s$coefmat[, "Estimate"], rownames(s$coefmat)))
  ## estimates rounded to the decimal of their MCSE's first significant digit
  d <- -floor(log10(f$mcse[["x1"]]))
  expect_equal(unname(s$coefficients), round(unname(f$beta), d))
  expect_equal(s$x, f$x)
  expect_equal(s$y, f$y)
  expect_equal(s$z, f$z)
  expect_equal(s$link, "logit (log odds)")
  ci <- confint(f)
  expect_equal(colnames(ci), c("0.025", "0.975"))
  expect_equal(rownames(ci), c("x1", "z1"))
  expect_equal(colnames(confint(f, level = 0.9)), c("0.05", "0.95"))
  expect_identical(logLik(f), f$loglike.value)
})

test_that("glmm's family objects are accepted (was: an error)", {
  ## the value of glmm 1.4.5's bernoulli.glmm(): class "glmm.family", no engine code
  glmm_bernoulli <- structure(list(family.glmm = "bernoulli.glmm", link = "logit (log odds)",
                                   cum = function(eta) log1p(exp(eta)), cp = function(eta) 1 / (1 + exp(-eta)),
                                   cpp = function(eta) 1 / (1 + exp(-eta)) / (1 + exp(eta)),
                                   checkData = function(x) NULL), class = "glmm.family")
  a <- bh_fit(y ~ 0 + x1, glmm_bernoulli)
  b <- bh_fit(y ~ 0 + x1, bernoulli.glmm)
  expect_identical(a$beta, b$beta)
  expect_identical(a$family.glmm$family.glmm, "bernoulli.glmm")
  bad <- structure(list(family.glmm = "gamma.glmm"), class = "glmm.family")
  expect_error(bh_fit(y ~ 0 + x1, bad), "gamma.glmm")
  expect_s3_class(bernoulli.glmm(), c("glmmgo_glmm_family", "glmm.family"), exact = TRUE)
})
