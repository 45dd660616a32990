## The smaller differences from lme4 (each was wrong or missing before):
## weights, summary's sigma and vcov, deviance residuals, getME, ngrps,
## hatvalues, family, as.data.frame of ranef and VarCorr, what print(ranef())
## claims, lattice's dotplot, and the conditional variances of a restored fit.

test_that("weights, summary()$sigma, vcov(summary()), residuals(type = 'deviance') and family as lme4", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  d$w <- rep(c(1, 2, 0.5), length.out = nrow(d))
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d)
  expect_equal(weights(g), weights(l))
  expect_equal(summary(g)$sigma, sigma(l), tolerance = 1e-5)
  expect_equal(vcov(summary(g)), as.matrix(vcov(summary(l))), tolerance = 1e-4, ignore_attr = TRUE)
  expect_equal(summary(g)$coefficients, summary(l)$coefficients, tolerance = 1e-4)
  expect_equal(residuals(g, type = "deviance"), residuals(l, type = "deviance"), tolerance = 1e-3)
  gw <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d, weights = w)
  lw <- lme4::lmer(Reaction ~ Days + (Days | Subject), d, weights = w)
  expect_equal(weights(gw), weights(lw))
  expect_equal(residuals(gw, type = "pearson"), residuals(lw, type = "pearson"), tolerance = 1e-3)
  expect_equal(residuals(gw, type = "deviance"), residuals(lw, type = "deviance"), tolerance = 1e-3)
  expect_equal(family(g)$family, "gaussian")
  expect_equal(family(g)$link, "identity")
})

test_that("getME gives lme4's pieces under lme4's names", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d)
  same <- c("X", "Z", "Zt", "Ztlist", "mmList", "y", "mu", "u", "Gp", "Tp", "Lambda", "Lambdat", "Lind", "Tlist",
            "RX", "RZX", "A", "sigma", "flist", "fixef", "beta", "theta", "ST", "REML", "is_REML", "n_rtrms",
            "n_rfacs", "N", "n", "p", "q", "p_i", "l_i", "q_i", "k", "m_i", "m", "cnms", "offset", "lower")
  for (nm in same) {
    a <- getME(g, nm); b <- lme4::getME(l, nm)
    if (methods::is(a, "Matrix")) a <- as.matrix(a)
    if (methods::is(b, "Matrix")) b <- as.matrix(b)
    if (is.list(a) && !is.data.frame(a)) {
      a <- lapply(a, function(x) if (methods::is(x, "Matrix")) as.matrix(x) else x)
      b <- lapply(b, function(x) if (methods::is(x, "Matrix")) as.matrix(x) else x)
    }
    expect_equal(a, b, tolerance = 1e-4, ignore_attr = !(nm %in% c("theta", "fixef", "cnms")), info = nm)
  }
  expect_equal(getME(g, "b"), as.vector(lme4::getME(l, "b")), tolerance = 1e-4)
  expect_equal(getME(g, "devcomp")$cmp, lme4::getME(l, "devcomp")$cmp, tolerance = 1e-5)
  expect_equal(getME(g, "devcomp")$dims, lme4::getME(l, "devcomp")$dims)
  expect_equal(Matrix::determinant(getME(g, "L"))$modulus, Matrix::determinant(lme4::getME(l, "L"))$modulus,
               tolerance = 1e-5, ignore_attr = TRUE)
  expect_named(getME(g, c("theta", "beta")), c("theta", "beta"))
  expect_error(getME(g, "nonsense"), "unknown name 'nonsense'")
  expect_equal(ngrps(g), lme4::ngrps(l))
  expect_equal(hatvalues(g), hatvalues(l), tolerance = 1e-5)
  p <- lme4_data("Penicillin")
  gp <- glmmgo::lmer(diameter ~ 1 + (1 | plate) + (1 | sample), p)
  lp <- lme4::lmer(diameter ~ 1 + (1 | plate) + (1 | sample), p)
  expect_equal(ngrps(gp), lme4::ngrps(lp))
  expect_equal(hatvalues(gp), hatvalues(lp), tolerance = 1e-5)
  expect_equal(as.matrix(getME(gp, "Zt")), as.matrix(lme4::getME(lp, "Zt")))
  ## last: evaluating lme4's devfun changes the lme4 fit it came from
  expect_equal(getME(g, "devfun")(c(1, 0, 1)), lme4::getME(l, "devfun")(c(1, 0, 1)), tolerance = 1e-9)
})

test_that("as.data.frame of ranef() and VarCorr() have lme4's columns and values (was: an error)", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d)
  rg <- as.data.frame(glmmgo::ranef(g))
  rl <- as.data.frame(lme4::ranef(l))
  expect_named(rg, names(rl))
  key <- function(r) paste(r$grpvar, r$term, r$grp)
  rl <- rl[match(key(rg), key(rl)), ]
  expect_equal(rg$condval, rl$condval, tolerance = 1e-3)
  expect_equal(rg$condsd, rl$condsd, tolerance = 1e-3)
  for (ord in c("cov.last", "lower.tri")) {
    vg <- as.data.frame(glmmgo::VarCorr(g), order = ord)
    vl <- as.data.frame(lme4::VarCorr(l), order = ord)
    expect_equal(vg[, 1:3], vl[, 1:3])
    expect_equal(vg$vcov, vl$vcov, tolerance = 1e-3)
    expect_equal(vg$sdcor, vl$sdcor, tolerance = 1e-3)
  }
})

test_that("print(ranef()) claims conditional variances only when it has them", {
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), lme4_data("sleepstudy"))
  expect_output(print(glmmgo::ranef(g)), "with conditional variances for \"Subject\"")
  out <- capture.output(print(glmmgo::ranef(g, condVar = FALSE)))
  expect_false(any(grepl("conditional variances", out)))
})

test_that("lattice::dotplot(ranef()) draws without warnings (was: a warning)", {
  skip_if_not_installed("lattice")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), lme4_data("sleepstudy"))
  expect_warning(p <- lattice::dotplot(glmmgo::ranef(g)), NA)
  expect_named(p, "Subject")
  expect_s3_class(p$Subject, "trellis")
  f <- tempfile(fileext = ".pdf")
  grDevices::pdf(f)
  expect_warning(print(p$Subject), NA)
  grDevices::dev.off()
  expect_gt(file.size(f), 1000)
})

test_that("a fit saved before ranef() keeps its conditional variances (was: lost silently)", {
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  f <- tempfile(fileext = ".rds")
  saveRDS(g, f)
  ref <- glmmgo::ranef(g)
  h <- readRDS(f)
  expect_false(glmmgo:::handle_valid(h$engine$model))
  expect_false(glmmgo:::handle_valid(h$engine$fit))
  rh <- glmmgo::ranef(h)
  expect_identical(attr(rh$Subject, "postVar"), attr(ref$Subject, "postVar"))
  expect_equal(getME(h, "devfun")(h$theta), glmmgo::REMLcrit(g), tolerance = 1e-12)
  ## profile and refit work on a restored fit too
  expect_equal(glmmgo::fixef(refit(h, d$Reaction)), glmmgo::fixef(g), tolerance = 1e-6)
})

test_that("REMLcrit and logLik(REML = TRUE) of an ML fit are lme4's; lme4::REMLcrit says it cannot read glmmgo fits", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d, REML = FALSE)
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d, REML = FALSE)
  expect_equal(glmmgo::REMLcrit(g), lme4::REMLcrit(l), tolerance = 1e-7)
  expect_equal(as.numeric(logLik(g, REML = TRUE)), as.numeric(logLik(l, REML = TRUE)), tolerance = 1e-7)
  expect_equal(glmmgo::REMLcrit(l), lme4::REMLcrit(l))
  expect_error(lme4::REMLcrit(g), "cannot read glmmgo fits.*glmmgo::REMLcrit\\(fit\\)")
  expect_false(lme4::isSingular(g))
  expect_equal(lme4::getME(g, "theta"), getME(g, "theta"))
})
