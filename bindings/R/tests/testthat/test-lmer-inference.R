## lme4's inference tools on glmmgo's lmer fits, against lme4 in the same
## test: anova (one fit and nested fits), drop1, extractAIC, car::Anova,
## confint (profile, Wald, bootstrap), profile, simulate and refit.

both_fits <- function(formula, data, REML = TRUE) {
  list(g = glmmgo::lmer(formula, data, REML = REML), l = lme4::lmer(formula, data, REML = REML))
}

expect_anova_equal <- function(a, b, tol = 1e-4) {
  expect_equal(dim(a), dim(b))
  expect_equal(rownames(a), rownames(b))
  expect_equal(colnames(a), colnames(b))
  expect_equal(as.matrix(a), as.matrix(b), tolerance = tol)
}

test_that("anova of one fit is lme4's F table (sleepstudy, Penicillin, a transformed response)", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  d$late <- factor(d$Days > 4)
  f <- both_fits(Reaction ~ Days * late + (Days | Subject), d)
  expect_anova_equal(anova(f$g), anova(f$l))
  f <- both_fits(log(Reaction) ~ Days + (Days | Subject), d)
  expect_anova_equal(anova(f$g), anova(f$l))
  f <- both_fits(diameter ~ 1 + (1 | plate) + (1 | sample), lme4_data("Penicillin"))
  expect_anova_equal(anova(f$g), anova(f$l))
  expect_equal(attr(anova(f$g), "heading"), "Analysis of Variance Table")
})

test_that("anova of nested fits refits REML fits by ML with lme4's message and matches lme4 (was: missing)", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g0 <- glmmgo::lmer(Reaction ~ 1 + (Days | Subject), d)
  g1 <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  l0 <- lme4::lmer(Reaction ~ 1 + (Days | Subject), d)
  l1 <- lme4::lmer(Reaction ~ Days + (Days | Subject), d)
  expect_message(ag <- anova(g0, g1, model.names = c("m0", "m1")), "refitting model\\(s\\) with ML \\(instead of REML\\)")
  al <- suppressMessages(anova(l0, l1, model.names = c("m0", "m1")))
  expect_anova_equal(ag, al)
  expect_equal(attr(ag, "heading")[1], "Data: d")
  ## transformed response, REML fits kept as such with refit = FALSE
  t0 <- glmmgo::lmer(log(Reaction) ~ 1 + (1 | Subject), d, REML = FALSE)
  t1 <- glmmgo::lmer(log(Reaction) ~ Days + (1 | Subject), d, REML = FALSE)
  u0 <- lme4::lmer(log(Reaction) ~ 1 + (1 | Subject), d, REML = FALSE)
  u1 <- lme4::lmer(log(Reaction) ~ Days + (1 | Subject), d, REML = FALSE)
  expect_anova_equal(anova(t0, t1, model.names = c("m0", "m1")), anova(u0, u1, model.names = c("m0", "m1")))
  p <- lme4_data("Penicillin")
  p0 <- glmmgo::lmer(diameter ~ 1 + (1 | plate), p)
  p1 <- glmmgo::lmer(diameter ~ 1 + (1 | plate) + (1 | sample), p)
  q0 <- lme4::lmer(diameter ~ 1 + (1 | plate), p)
  q1 <- lme4::lmer(diameter ~ 1 + (1 | plate) + (1 | sample), p)
  nm <- c("m0", "m1")
  expect_anova_equal(suppressMessages(anova(p0, p1, model.names = nm)), suppressMessages(anova(q0, q1, model.names = nm)))
  expect_anova_equal(anova(p0, p1, refit = FALSE, model.names = nm), anova(q0, q1, refit = FALSE, model.names = nm))
  expect_error(anova(g1, glmmgo::lmer(Reaction ~ Days + (1 | Subject), d[-1, ])), "same size")
})

test_that("drop1, extractAIC, terms, formula, model.matrix, nobs and df.residual match lme4", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  d$late <- factor(d$Days > 4)
  f <- list(g = glmmgo::lmer(Reaction ~ Days + late + (Days | Subject), d),
            l = lme4::lmer(Reaction ~ Days + late + (Days | Subject), d))
  expect_anova_equal(drop1(f$g, test = "Chisq"), drop1(f$l, test = "Chisq"))
  expect_equal(extractAIC(f$g), extractAIC(f$l), tolerance = 1e-7)
  expect_equal(attr(terms(f$g), "term.labels"), attr(terms(f$l), "term.labels"))
  expect_equal(attr(terms(f$g), "predvars"), attr(terms(f$l), "predvars"))
  expect_equal(formula(f$g), formula(f$l))
  expect_equal(formula(f$g, fixed.only = TRUE), Reaction ~ Days + late)
  expect_equal(model.matrix(f$g), model.matrix(f$l), ignore_attr = TRUE)
  expect_equal(attr(model.matrix(f$g), "assign"), attr(model.matrix(f$l), "assign"))
  expect_equal(nobs(f$g), nobs(f$l))
  expect_equal(df.residual(f$g), df.residual(f$l))
})

test_that("car::Anova works on glmmgo fits as on lme4's (was: an error)", {
  skip_if_not_installed("lme4"); skip_if_not_installed("car")
  d <- lme4_data("sleepstudy")
  d$late <- factor(d$Days > 4)
  f <- both_fits(Reaction ~ Days * late + (Days | Subject), d)
  expect_anova_equal(car::Anova(f$g), car::Anova(f$l))
  expect_anova_equal(car::Anova(f$g, type = 3), car::Anova(f$l, type = 3))
})

test_that("profile confidence intervals match lme4's to 1e-4 (sleepstudy, Penicillin, a transformed response)", {
  skip_if_not_installed("lme4"); skip_if_slow()
  d <- lme4_data("sleepstudy")
  for (f in list(list(Reaction ~ Days + (Days | Subject), d), list(log(Reaction) ~ Days + (Days | Subject), d),
                 list(diameter ~ 1 + (1 | plate) + (1 | sample), lme4_data("Penicillin")))) {
    g <- glmmgo::lmer(f[[1]], f[[2]])
    l <- lme4::lmer(f[[1]], f[[2]])
    expect_message(cg <- confint(g), "Computing profile confidence intervals")
    cl <- suppressMessages(confint(l))
    expect_equal(dimnames(cg), dimnames(cl))
    expect_equal(cg, cl, tolerance = 1e-4, info = deparse(f[[1]]))
  }
  ## on the boundary the lower limit is the bound, as lme4
  d2 <- lme4_data("Dyestuff2")
  g <- suppressMessages(glmmgo::lmer(Yield ~ 1 + (1 | Batch), d2, REML = FALSE))
  l <- suppressMessages(lme4::lmer(Yield ~ 1 + (1 | Batch), d2, REML = FALSE))
  expect_equal(suppressMessages(confint(g)), suppressMessages(confint(l)), tolerance = 1e-4)
  ## lme4's other names and a subset of parameters
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  ci <- confint(g, parm = c(".sigma", "Days"), quiet = TRUE)
  expect_equal(rownames(ci), c(".sigma", "Days"))
  ci2 <- confint(g, parm = "theta_", oldNames = FALSE, quiet = TRUE)
  expect_equal(rownames(ci2), c("sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject", "sd_Days|Subject", "sigma"))
})

test_that("profile() returns lme4's layout and its zeta is the signed root of the deviance difference", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (1 | Subject), d)
  p <- profile(g)
  expect_s3_class(p, "glmmgo_profile")
  expect_equal(levels(p$.par), c(".sig01", ".sigma", "(Intercept)", "Days"))
  expect_true(all(abs(range(p$.zeta[p$.par == "Days"])) > 3.5))
  ## a fixed-effect point: zeta^2 is the ML deviance of the model with that
  ## coefficient moved into an offset, minus the ML deviance
  row <- p[p$.par == "Days", ][3, ]
  d$o <- row$Days * d$Days
  h <- glmmgo::lmer(Reaction ~ 1 + (1 | Subject) + offset(o), d, REML = FALSE)
  base <- deviance(glmmgo::refitML(g))
  expect_equal(row$.zeta^2, deviance(h) - base, tolerance = 1e-6)
  expect_true("(Intercept)" %in% names(as.data.frame(p)))
  expect_equal(confint(p)["Days", ], confint(g, parm = "Days", quiet = TRUE)["Days", ])
})

test_that("Wald and bootstrap intervals, and lme4::bootMer on a glmmgo fit", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  l <- lme4::lmer(Reaction ~ Days + (Days | Subject), d)
  ## the fixed effects as lme4's; the variance parameters, NA in lme4, from
  ## the engine's Wald standard errors (tested in test-lmer-derivatives.R)
  wg <- confint(g, method = "Wald")
  wl <- confint(l, method = "Wald")
  expect_equal(dimnames(wg), dimnames(wl))
  expect_equal(wg[5:6, ], wl[5:6, ], tolerance = 1e-4)
  expect_true(all(is.na(wl[1:4, ])) && !anyNA(wg[1:4, ]))
  cb <- confint(g, method = "boot", nsim = 20, seed = 1, quiet = TRUE)
  expect_equal(dimnames(cb), dimnames(confint(g, method = "Wald")))
  expect_true(all(cb[, 1] < cb[, 2]))
  est <- c(glmmgo:::theta_to_sdcor(g$theta, g$reterms, g$sigma), g$beta)
  expect_true(all(cb[-2, 1] < est[-2] & est[-2] < cb[-2, 2]))   # the correlation's interval may sit at 1
  expect_identical(confint(g, method = "boot", nsim = 20, seed = 1, quiet = TRUE), cb)
  bb <- lme4::bootMer(g, function(x) glmmgo::fixef(x), nsim = 5, seed = 2)
  expect_equal(dim(bb$t), c(5L, 2L))
  expect_equal(bb$t0, glmmgo::fixef(g))
})

test_that("simulate and refit: new responses and the same model fitted to them", {
  skip_if_not_installed("lme4")
  d <- lme4_data("sleepstudy")
  g <- glmmgo::lmer(Reaction ~ Days + (Days | Subject), d)
  s <- simulate(g, nsim = 3, seed = 11)
  expect_named(s, c("sim_1", "sim_2", "sim_3"))
  expect_equal(dim(s), c(180L, 3L))
  expect_identical(simulate(g, nsim = 3, seed = 11), s)
  r <- refit(g, s[[2]])
  d$ys <- s[[2]]
  direct_g <- glmmgo::lmer(ys ~ Days + (Days | Subject), d)
  direct_l <- lme4::lmer(ys ~ Days + (Days | Subject), d)
  expect_equal(glmmgo::REMLcrit(r), glmmgo::REMLcrit(direct_g), tolerance = 1e-9)
  expect_equal(glmmgo::REMLcrit(r), lme4::REMLcrit(direct_l), tolerance = 1e-7)
  expect_equal(glmmgo::fixef(r), lme4::fixef(direct_l), tolerance = 1e-5)
  ## conditional on the fitted random effects, the noise has variance sigma^2
  sc <- simulate(g, nsim = 200, seed = 3, use.u = TRUE)
  res <- as.matrix(sc) - fitted(g)
  expect_equal(sd(as.vector(res)), sigma(g), tolerance = 0.02)
  expect_lt(max(abs(rowMeans(res))), 5 * sigma(g) / sqrt(200))
  ## unconditional: the between-subject spread of the intercepts is sd .sig01
  su <- simulate(g, nsim = 300, seed = 4)
  day0 <- as.matrix(su)[d$Days == 0, ]
  expect_equal(sd(as.vector(day0)), sqrt(glmmgo::VarCorr(g)$Subject[1, 1] + sigma(g)^2), tolerance = 0.05)
  expect_error(simulate(g, newdata = d), "newdata")
  rm <- glmmgo::refitML(g)
  expect_false(rm$REML)
  expect_equal(deviance(rm), deviance(lme4::refitML(lme4::lmer(Reaction ~ Days + (Days | Subject), d))), tolerance = 1e-7)
  ## the original fit keeps its own result after refits
  expect_equal(attr(glmmgo::ranef(g)$Subject, "postVar"),
               attr(lme4::ranef(lme4::lmer(Reaction ~ Days + (Days | Subject), d), condVar = TRUE)$Subject, "postVar"),
               tolerance = 1e-3)
})
