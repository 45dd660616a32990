## glmer()'s responses, links, families and methods against lme4 and glm's
## conventions, and its errors on bad input.

cbpp_fit <- function(...) {
  cbpp <- lme4_data("cbpp")
  glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::binomial, ...)
}

test_that("the binomial response: cbind, proportions with weights, 0/1 and factors give the same fits", {
  skip_if_not_installed("lme4")
  cbpp <- lme4_data("cbpp")
  a <- cbpp_fit()
  cbpp$prop <- cbpp$incidence / cbpp$size
  b <- glmmgo::glmer(prop ~ period + (1 | herd), cbpp, family = stats::binomial, weights = size)
  expect_equal(deviance(a), deviance(b), tolerance = 1e-10)
  expect_equal(glmmgo::fixef(a), glmmgo::fixef(b), tolerance = 1e-8)
  expect_equal(weights(a), cbpp$size)
  expect_equal(glmmgo::getME(a, "y"), cbpp$prop)
  ## Bernoulli: expand cbpp to one row per animal; a factor response reads its first level as failure
  long <- cbpp[rep(seq_len(nrow(cbpp)), cbpp$size), c("herd", "period")]
  long$y <- unlist(lapply(seq_len(nrow(cbpp)), function(i) rep(c(1, 0), c(cbpp$incidence[i], cbpp$size[i] - cbpp$incidence[i]))))
  long$yf <- factor(ifelse(long$y == 1, "sick", "healthy"), levels = c("healthy", "sick"))
  c1 <- glmmgo::glmer(y ~ period + (1 | herd), long, family = stats::binomial)
  c2 <- glmmgo::glmer(yf ~ period + (1 | herd), long, family = stats::binomial)
  expect_equal(glmmgo::fixef(c1), glmmgo::fixef(a), tolerance = 1e-4)
  expect_equal(c1$theta, a$theta, tolerance = 1e-4)
  expect_equal(deviance(c1), deviance(c2))
  ## the Bernoulli likelihood lacks the binomial coefficients of the grouped one
  lc <- sum(lchoose(cbpp$size, cbpp$incidence))
  expect_equal(deviance(c1) - deviance(a), 2 * lc, tolerance = 1e-6)
})

test_that("probit and cloglog links and the negative binomial agree with lme4", {
  skip_if_not_installed("lme4")
  skip_if_not_installed("MASS")
  cbpp <- lme4_data("cbpp")
  for (lk in c("probit", "cloglog")) {
    g <- glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::binomial(link = lk))
    l <- lme4::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::binomial(link = lk))
    expect_equal(unname(glmmgo::fixef(g)), unname(lme4::fixef(l)), tolerance = 2e-3, info = lk)
    expect_lte(deviance(g), glmmgo::getME(g, "devfun")(c(lme4::getME(l, "theta"), lme4::fixef(l))) + 1e-6)
    expect_equal(g$family$link, lk)
  }
  gt <- lme4_data("grouseticks")
  g <- glmmgo::glmer(TICKS ~ YEAR + (1 | BROOD), gt, family = MASS::negative.binomial(2))
  l <- suppressWarnings(lme4::glmer(TICKS ~ YEAR + (1 | BROOD), gt, family = MASS::negative.binomial(2)))
  expect_equal(unname(glmmgo::fixef(g)), unname(lme4::fixef(l)), tolerance = 2e-3)
  expect_equal(g$theta, unname(lme4::getME(l, "theta")), tolerance = 2e-3)
  expect_equal(as.numeric(logLik(g)), as.numeric(logLik(l)), tolerance = 1e-5)
})

test_that("methods: predict, residuals, ranef, VarCorr, vcov, summary, anova, simulate and refit", {
  skip_if_not_installed("lme4")
  cbpp <- lme4_data("cbpp")
  g <- cbpp_fit()
  l <- lme4::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::binomial)
  expect_true(glmmgo::isGLMM(g))
  expect_false(glmmgo::isLMM(g))
  expect_equal(family(g)$family, "binomial")
  for (type in c("deviance", "pearson", "response", "working"))
    expect_equal(unname(residuals(g, type = type)), unname(residuals(l, type = type)), tolerance = 5e-3, info = type)
  expect_equal(unname(predict(g)), unname(predict(l)), tolerance = 1e-3)
  expect_equal(unname(predict(g, type = "response")), unname(fitted(g)))
  nd <- data.frame(period = factor(c("1", "4"), levels = levels(cbpp$period)), herd = factor(c("1", "3"), levels = levels(cbpp$herd)))
  expect_equal(unname(predict(g, newdata = nd, type = "response")), unname(predict(l, newdata = nd, type = "response")), tolerance = 1e-3)
  expect_equal(unname(predict(g, newdata = nd, re.form = NA)), unname(predict(l, newdata = nd, re.form = NA)), tolerance = 1e-3)
  rg <- glmmgo::ranef(g); rl <- lme4::ranef(l, condVar = TRUE)
  expect_equal(unname(as.matrix(rg$herd)), unname(as.matrix(rl$herd)), tolerance = 2e-3)
  expect_equal(as.vector(attr(rg$herd, "postVar")), as.vector(attr(rl$herd, "postVar")), tolerance = 5e-3)
  expect_equal(as.data.frame(glmmgo::VarCorr(g))$sdcor, as.data.frame(lme4::VarCorr(l))$sdcor, tolerance = 2e-3)
  expect_equal(unname(as.matrix(vcov(g))), unname(as.matrix(vcov(l))), tolerance = 0.03)  # lme4's Hessian is 1% off here
  expect_equal(attr(logLik(g), "df"), attr(logLik(l), "df"))
  ci <- confint(g, method = "Wald")
  expect_equal(unname(ci[-1, ]), unname(confint(l, method = "Wald")[-1, ]), tolerance = 0.02)
  out <- capture.output(print(summary(g)))
  expect_true(any(grepl("Laplace Approximation", out)))
  expect_true(any(grepl("-2 log L", out)))
  g0 <- glmmgo::glmer(cbind(incidence, size - incidence) ~ 1 + (1 | herd), cbpp, family = stats::binomial)
  a <- anova(g0, g)
  expect_equal(a$Chisq[2], deviance(g0) - deviance(g), tolerance = 1e-8)
  s <- simulate(g, nsim = 2, seed = 3)
  sl <- simulate(l, nsim = 2, seed = 3)
  expect_equal(dim(s), dim(sl))
  expect_identical(names(s), names(sl))
  # as lme4: each simulation of a cbind(successes, failures) response is a
  # two-column matrix with the response's column names
  expect_true(is.matrix(s[[1]]))
  expect_identical(dim(s[[1]]), dim(sl[[1]]))
  expect_identical(colnames(s[[1]]), colnames(sl[[1]]))
  expect_equal(unname(rowSums(s[[1]])), cbpp$size)
  expect_true(all(s[[1]] >= 0 & s[[1]] == round(s[[1]])))
  r <- glmmgo::refit(g, s[[1]])
  cbpp$sim <- s[[1]][, 1]
  direct <- glmmgo::glmer(cbind(sim, size - sim) ~ period + (1 | herd), cbpp, family = stats::binomial)
  expect_equal(glmmgo::fixef(r), glmmgo::fixef(direct), tolerance = 1e-10)
  expect_equal(glmmgo::fixef(glmmgo::refit(g)), glmmgo::fixef(g))
  dc <- glmmgo::getME(g, "devcomp")
  expect_equal(dc$cmp[["dev"]], deviance(g))
  expect_equal(dc$dims[["GLMM"]], 1)
})

test_that("simulate() returns the response's shape: a factor for a factor, proportions for proportions", {
  skip_if_not_installed("lme4")
  cbpp <- lme4_data("cbpp")
  cbpp$any <- factor(ifelse(cbpp$incidence > 0, "yes", "no"))
  g <- glmmgo::glmer(any ~ period + (1 | herd), cbpp, family = stats::binomial)
  s <- simulate(g, nsim = 3, seed = 1)
  expect_true(is.factor(s$sim_1))
  expect_identical(levels(s$sim_1), levels(cbpp$any))
  l <- suppressMessages(lme4::glmer(any ~ period + (1 | herd), cbpp, family = stats::binomial))
  expect_identical(class(s$sim_1), class(simulate(l, seed = 1)$sim_1))
  cbpp$simf <- s$sim_3
  expect_equal(glmmgo::fixef(glmmgo::refit(g, s$sim_3)),
               glmmgo::fixef(glmmgo::glmer(simf ~ period + (1 | herd), cbpp, family = stats::binomial)), tolerance = 1e-10)
  cbpp$prop <- cbpp$incidence / cbpp$size
  gp <- glmmgo::glmer(prop ~ period + (1 | herd), cbpp, family = stats::binomial, weights = size)
  sp <- simulate(gp, seed = 2)$sim_1
  expect_true(is.numeric(sp) && is.null(dim(sp)))
  expect_true(all(abs(sp * cbpp$size - round(sp * cbpp$size)) < 1e-9 & sp >= 0 & sp <= 1))
})

test_that("bad input gives clear errors", {
  skip_if_not_installed("lme4")
  cbpp <- lme4_data("cbpp")
  d <- data.frame(y = c(0, 1, 2, 1, 0, 1), g = factor(rep(1:3, 2)))
  expect_error(glmmgo::glmer(y ~ 1 + (1 | g), d, family = stats::binomial), "must lie in \\[0, 1\\].*observation 3 is 2")
  d$y <- c(0, 1, -2, 1, 0, 1)
  expect_error(glmmgo::glmer(y ~ 1 + (1 | g), d, family = stats::poisson), "non-negative whole numbers.*observation 3 is -2")
  d$y <- c(0, 1, 0.5, 1, 0, 1)
  expect_error(glmmgo::glmer(y ~ 1 + (1 | g), d, family = stats::binomial), "proportions.*no weights")
  d$s <- c(1, 0, 2, 1, 0, 1); d$f <- c(1, 0, 1, 2, 3, 1)
  expect_error(glmmgo::glmer(cbind(s, f) ~ 1 + (1 | g), d, family = stats::binomial), "zero trials.*observation 2")
  expect_error(glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::binomial,
                             offset = rep(0, 3)), "offset")
  expect_error(glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::Gamma),
               "family 'Gamma' is not available")
  expect_error(glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::quasibinomial),
               "quasi-likelihood")
  expect_error(glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::binomial(link = "log")),
               "link 'log' is not available")
  expect_error(glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::poisson(link = "sqrt")),
               "link 'sqrt'")
  expect_error(glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::binomial, nAGQ = 26),
               "nAGQ")
  gt <- lme4_data("grouseticks")
  expect_error(glmmgo::glmer(TICKS ~ YEAR + (1 | BROOD) + (1 | LOCATION), gt, family = stats::poisson, nAGQ = 5),
               "single scalar random-effects term")
  expect_error(glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::binomial,
                             control = glmmgo::glmerControl(bogus = 1)), "unknown setting")
  expect_message(glmmgo::glmerControl(tolPwrss = 1e-8), "ignores these glmerControl\\(\\) settings: tolPwrss")
})

test_that("devFunOnly, start and the control's settings reach the engine", {
  skip_if_not_installed("lme4")
  cbpp <- lme4_data("cbpp")
  g <- cbpp_fit()
  f <- glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::binomial, devFunOnly = TRUE)
  expect_equal(f(c(g$theta, glmmgo::fixef(g))), deviance(g), tolerance = 1e-12)
  s <- cbpp_fit(start = list(theta = 0.5, fixef = c(-1, -1, -1, -1)))
  expect_equal(deviance(s), deviance(g), tolerance = 1e-7)
  nh <- cbpp_fit(control = glmmgo::glmerControl(calc.derivs = FALSE, workers = 1L))
  expect_equal(nh$se.method, "conditional")
  expect_equal(g$se.method, "hessian")
  lim <- suppressWarnings(cbpp_fit(control = glmmgo::glmerControl(optCtrl = list(maxfun = 15))))
  expect_false(lim$converged)
  ws <- character()
  withCallingHandlers(cbpp_fit(control = glmmgo::glmerControl(optCtrl = list(maxfun = 15))),
                      warning = function(w) { ws <<- c(ws, conditionMessage(w)); invokeRestart("muffleWarning") })
  expect_true(any(grepl("before converging", ws)))
  expect_equal(cbpp_fit(control = lme4::glmerControl(calc.derivs = FALSE))$se.method, "conditional")
})

test_that("what needs the engine's PIRLS factor says so instead of answering wrongly", {
  skip_if_not_installed("lme4")
  g <- cbpp_fit()
  for (nm in c("L", "A", "RX", "RZX")) expect_error(glmmgo::getME(g, nm), "not available for glmer")
  expect_error(hatvalues(g), "not available for glmer")
  expect_error(anova(g), "single glmer")
  expect_equal(glmmgo::getME(g, "theta")[[1]], g$theta)
  expect_equal(glmmgo::getME(g, "devcomp")$cmp[["ldL2"]], g$logdet)
})

test_that("glmer's gradient check: min(|g|, |R^-T g|) per parameter, H = R'R", {
  ## Closed forms by hand. Before, glmmgo warned when the Newton step H^-1 g
  ## exceeded the tolerance, which it does on a poorly determined theta
  ## (case 1: H^-1 g = 0.005) where the fit is converged. Case 3 is where
  ## lme4's checkConv (R^-1 g) gives 0.01 and the whitened gradient 0.005.
  check <- function(H, g) {
    fit <- list(control = glmmgo::glmerControl(), converged = TRUE, singular = FALSE,
                optinfo = list(hessian = H, gradient = g, messages = ""))
    tryCatch({ glmmgo:::glmer_report_convergence(fit); "" }, warning = function(w) conditionMessage(w))
  }
  expect_identical(check(diag(c(22, 0.01)), c(1e-4, 5e-5)), "")
  expect_match(check(diag(c(4, 1)), c(0.01, 0.001)), "max|grad| = 0.005 (tol = 0.002, component 1)", fixed = TRUE)
  expect_match(check(matrix(c(4, 2, 2, 2), 2), c(0.01, 0.01)), "max|grad| = 0.005 (tol = 0.002, component 1)", fixed = TRUE)
  expect_identical(check(matrix(c(4, 2, 2, 2), 2), c(0.001, 0.001)), "")
  expect_match(check(-diag(2), c(3e-3, 0)), "max|grad| = 0.003 ", fixed = TRUE) # not positive definite: |g|
})

test_that("Contraception: no false convergence warning at an optimum lme4 warns about", {
  skip_if_not_installed("mlmRev")
  e <- new.env()
  utils::data(list = "Contraception", package = "mlmRev", envir = e)
  f <- expect_no_warning(glmmgo::glmer(use ~ age + I(age^2) + urban + livch + (1 | urban:district), e$Contraception,
                                       family = stats::binomial))
  H <- f$optinfo$hessian; g <- f$optinfo$gradient
  expect_lt(sum(g * solve(H, g)), 1e-5) # the Newton decrement: the deviance is within 1e-5 of its minimum
})

test_that("profile intervals of a glmer fit match lme4's (cbpp: .sig01 and the fixed effects)", {
  ## lme4 profiles -2 log L in (sd, beta) at the fit's nAGQ and inverts the
  ## signed square root at the normal quantiles; the same here, each point
  ## a minimisation of the engine's deviance over the other parameters.
  skip_if_not_installed("lme4")
  cbpp <- lme4_data("cbpp")
  g <- cbpp_fit()
  l <- lme4::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, family = stats::binomial)
  ours <- suppressMessages(confint(g))
  ref <- suppressMessages(confint(l))
  expect_identical(rownames(ours), rownames(ref))
  expect_equal(unname(ours), unname(ref), tolerance = 5e-4) # measured: 3e-5 apart
  pr <- profile(g, which = ".sig01")
  expect_true(all(c(".zeta", ".sig01", ".par") %in% names(pr)))
  expect_error(confint(glmmgo::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp,
                                     family = stats::binomial, nAGQ = 0), method = "profile"), "nAGQ = 0")
})
