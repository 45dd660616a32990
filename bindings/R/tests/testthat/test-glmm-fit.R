## glmm(): whole MCLA fits run by the engine (glmmgo_mcla_fit on a model).
## These tests compare with glmm, so their fits are glmm's single stage
## (control = mcla.control(stages = 1)); test-glmm-mcse.R tests the staged
## densities, m = "auto" and the jackknife MCSE.

glmm_stage <- mcla.control(stages = 1)

sal_fit <- function(m = 1e4, seed = 2024, workers = 1, control = glmm_stage, ...) {
  expect_warning(f <- glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
                           data = salamander, family.glmm = bernoulli.glmm, m = m, seed = seed, workers = workers,
                           control = control, ...),
                 "effective sample size")
  f
}

## Two salamander fits at m = 10^4 (workers 1 and 2), shared by the tests
## below: the fit is the expensive part.
sal <- sal_fit(workers = 1)
sal2 <- sal_fit(workers = 2)

test_that("salamander at m = 10^4 converges to a stationary point", {
  expect_s3_class(sal, c("glmmgo_glmm", "glmm"), exact = TRUE)
  expect_true(sal$trust.converged)
  expect_lt(max(abs(sal$loglike.gradient)), 1e-6)
  expect_named(sal$beta, c("CrossR/R", "CrossR/W", "CrossW/R", "CrossW/W"))
  expect_named(sal$nu, c("F", "M"))
  expect_true(all(sal$nu > 0))
  ## a maximum: the Hessian is negative definite
  expect_true(all(eigen(sal$loglike.hessian, symmetric = TRUE, only.values = TRUE)$values < 0))
  expect_equal(sal$m, 1e4)
  expect_equal(sum(sal$counts), 1e4)
  expect_equal(dim(sal$umat), c(1e4, 120))
})

test_that("results are identical for 1 and 2 workers", {
  for (nm in c("beta", "nu", "loglike.value", "loglike.gradient", "loglike.hessian", "mcvcov", "se", "ess",
               "u.star", "D.star", "par.init", "counts"))
    expect_identical(sal[[nm]], sal2[[nm]], info = nm)
  expect_identical(sal$umat, sal2$umat)
  ## a different seed draws a different sample
  expect_false(identical(sal_fit(m = 1e3, seed = 1)$beta, sal_fit(m = 1e3, seed = 2)$beta))
})

test_that("the PQL start is close to glmm's and defines the importance density", {
  ## glmm's PQL (reference case) stops its Nelder-Mead early; the engine's
  ## PQL minimises the same criterion further (core/pql's tests show a lower
  ## criterion), so the starts differ a little: nu by up to 20%, beta by up
  ## to 3% (the gaps the engine's own tests bound).
  ref <- ref_case("salamander_m300_pql")
  expect_true(sal$used.pql)
  expect_true(all(abs(sal$nu.pql - ref$nu_pql) / ref$nu_pql < 0.2))
  expect_true(all(abs(sal$beta.pql - ref$beta_pql) / pmax(abs(ref$beta_pql), 1) < 0.03))
  expect_gt(cor(sal$u.pql, ref$u_star), 0.99)
  ## D* is the PQL variance of each column's component; trust starts at PQL
  expect_equal(diag(sal$D.star), rep(unname(sal$nu.pql), c(60, 60)))
  expect_equal(unname(sal$par.init), unname(c(sal$beta.pql, sal$nu.pql)))
})

test_that("salamander estimates agree with glmm's fits at m = 10^4", {
  ## Two fits by glmm at m = 10^4 (different samples). At this m the
  ## importance weights of salamander's 120 random effects collapse onto a
  ## handful of samples (ESS ~ 1), so the Monte Carlo error of an estimate is
  ## of the order of its sampling standard error: glmm's two fits differ by
  ## up to 1.3 SEs (beta_2: 0.66 vs 0.32). The reported MCSEs rest on the
  ## same few samples and understate that error, so they cannot set the
  ## band. The band: each of our estimates lies within 2 SEs (our own,
  ## from the observed information) of the average of glmm's two fits;
  ## that admits Monte Carlo error of the size glmm itself shows, and fails
  ## for errors of scale (a standard deviation reported as a variance, a
  ## wrong link, a dropped component) or of sign.
  glmm_fits <- rbind(c(1.20, 0.66, -2.30, 1.18, 1.79, 1.32),
                     c(1.23, 0.32, -2.00, 0.92, 1.46, 1.64))
  ref <- colMeans(glmm_fits)
  est <- c(sal$beta, sal$nu)
  expect_true(all(is.finite(se(sal))))
  dev <- abs(est - ref) / se(sal)
  expect_true(all(dev < 2), info = paste(names(est), format(est, digits = 3), "SE-deviation", format(dev, digits = 2),
                                         collapse = "; "))
  ## and the SEs themselves are of the size glmm reports (0.25 to 0.35)
  expect_true(all(se(sal) > 0.15 & se(sal) < 0.5))
})

test_that("SEs, MCSEs and the ESS are consistent with the objective at the estimate", {
  par <- c(sal$beta, sal$nu)
  H <- sal$loglike.hessian
  expect_equal(vcov(sal), solve(-H), tolerance = 1e-8)
  expect_equal(se(sal), sqrt(diag(solve(-H))), tolerance = 1e-8)
  expect_equal(mcse(sal), sqrt(diag(mcvcov(sal))), tolerance = 1e-12)
  expect_equal(mcse(sal, method = "glmm"), sqrt(diag(mcvcov(sal, method = "glmm"))), tolerance = 1e-12)
  ## The engine's MCLA objective over the fit's own sample and importance
  ## density (set on a model by the engine from the fit) reproduces the
  ## fit's value, gradient and Hessian, and so does the density rebuilt in
  ## R from u*, D*, Sigma~^-1 and the u-matrix (glmm's single stage).
  mod <- glmmgo:::glmm_objective_model(sal)
  o <- mcla_objective(mod, par)
  expect_equal(o$value, sal$loglike.value, tolerance = 1e-10)
  expect_equal(unname(o$hessian), unname(H), tolerance = 1e-8)
  expect_lt(max(abs(o$gradient)), 1e-6)
  mm <- sal$mod.mcml
  mod2 <- mcla_model(mm$y, mm$x, do.call(cbind, mm$z), sal$nrandom, bernoulli.glmm)
  mcla_set_importance(mod2, sal$u.star, diag(sal$D.star), glmmgo:::engine_mclafit_sigma_inv(sal$model$ptr))
  mcla_set_samples(mod2, sal$umat)
  expect_identical(mcla_objective(mod2, par)$value, o$value)
  ## mcvcov = H^-1 V H^-1 with V = sum_k v_k^2 g_k g_k' (v the normalised
  ## importance weights, g_k the per-sample scores), from per-sample partials
  st <- glmmgo:::glmm_sample_terms(sal)
  v <- exp(st$logweight - max(st$logweight)); v <- v / sum(v)
  V <- crossprod(st$score * v)
  Hi <- solve(H)
  expect_equal(unname(mcvcov(sal, method = "glmm")), unname(Hi %*% V %*% Hi), tolerance = 1e-6)
  expect_equal(sal$ess, 1 / sum(v^2), tolerance = 1e-8)
  expect_equal(importance_weights(sal), v, tolerance = 1e-12)
  ## Wald intervals
  ci <- confint(sal)
  expect_equal(unname(ci[, 1]), unname(par - qnorm(0.975) * se(sal)), tolerance = 1e-10)
  expect_equal(colnames(ci), c("0.025", "0.975"))   # glmm's names
  expect_equal(confint(sal, "F", level = 0.9)[1, 2], sal$nu[["F"]] + qnorm(0.95) * se(sal)[["F"]],
               tolerance = 1e-10)
  ## z-tests: two-sided for beta, one-sided for nu
  s <- summary(sal)
  expect_equal(s$coefmat[, "Pr(>|z|)"], 2 * pnorm(-abs(sal$beta / se(sal)[1:4])), tolerance = 1e-8)
  expect_equal(s$nucoefmat[, "Pr(>|z|)/2"], pnorm(-abs(sal$nu / se(sal)[5:6])), tolerance = 1e-8)
  expect_equal(coef(sal), sal$beta)
  expect_equal(varcomps(sal), sal$nu)
  expect_identical(logLik(sal), sal$loglike.value)  # glmm's logLik: the number
})

test_that("print and summary use glmm's layout", {
  out <- capture.output(print(summary(sal)))
  expect_true(any(grepl("^Call:", out)))
  expect_true(any(out == "Link is: \"logit (log odds)\""))
  i_fix <- which(out == "Fixed Effects:")
  i_vc <- which(out == "Variance Components for Random Effects (P-values are one-tailed):")
  expect_length(i_fix, 1)
  expect_length(i_vc, 1)
  expect_lt(i_fix, i_vc)
  expect_match(out[i_fix + 1], "Estimate +Std. Error +z value +Pr\\(>\\|z\\|\\)")
  expect_match(out[i_vc + 1], "Estimate +Std. Error +z value +Pr\\(>\\|z\\|\\)/2")
  for (nm in names(sal$beta)) expect_true(any(startsWith(out[(i_fix + 2):(i_fix + 5)], nm)), info = nm)
  expect_match(out[i_vc + 2], "^F ")
  expect_match(out[i_vc + 3], "^M ")
  p <- capture.output(print(sal))
  expect_true(any(p == "Fixed Effects:"))
  expect_true(any(p == "Variance Components for Random Effects:"))
})

test_that("the importance-weight plot draws and returns the ESS", {
  f <- sal_fit(m = 1e3, seed = 5)
  pdf(NULL)
  on.exit(dev.off())
  r <- plot(f)
  expect_equal(r$ess, f$ess, tolerance = 1e-8)
  expect_equal(sum(r$weights), 1)
})

test_that("a saved fit keeps its results but says the engine's fit is gone", {
  f <- sal_fit(m = 1e3, seed = 5)
  file <- tempfile(fileext = ".rds")
  saveRDS(f, file)
  g <- readRDS(file)
  for (nm in c("beta", "nu", "loglike.value", "loglike.hessian", "se", "mcse", "mcvcov", "ess", "u.star", "D.star",
               "counts"))
    expect_identical(g[[nm]], f[[nm]], info = nm)
  expect_equal(confint(g), confint(f), tolerance = 1e-10)
  expect_identical(summary(g)$coefmat, summary(f)$coefmat)
  expect_error(g$umat, "refit with the same seed")
  expect_error(importance_weights(g), "refit with the same seed")
})

test_that("a fit sent to a PSOCK worker reports the same results there", {
  f <- sal_fit(m = 1e3, seed = 5)
  cl <- parallel::makeCluster(1, type = "PSOCK")
  on.exit(parallel::stopCluster(cl))
  parallel::clusterCall(cl, function(p) { .libPaths(p); library(glmmgo); NULL }, .libPaths())
  w <- parallel::clusterCall(cl, function(x) list(coef = coef(x), se = se(x), mcse = mcse(x), ci = confint(x),
                                                    vc = varcomps(x), ll = logLik(x),
                                                    umat = tryCatch(x$umat, error = conditionMessage)), f)[[1]]
  expect_identical(w$coef, coef(f))
  expect_identical(w$se, se(f))
  expect_identical(w$mcse, mcse(f))
  expect_identical(w$vc, varcomps(f))
  expect_equal(w$ci, confint(f), tolerance = 1e-12)
  expect_identical(as.numeric(w$ll), as.numeric(logLik(f)))
  expect_match(w$umat, "engine's fit is gone")
})

sim_groups <- function(seed, ng = 40, ni = 10) {
  set.seed(seed)
  g <- factor(rep(seq_len(ng), each = ni))
  x <- rnorm(ng * ni)
  list(g = g, x = x, u = rnorm(ng, sd = sqrt(0.5)))
}

test_that("a Poisson fit recovers simulated parameters", {
  s <- sim_groups(42)
  d <- data.frame(y = rpois(length(s$x), exp(0.5 + 0.3 * s$x + s$u[s$g])), x = s$x, g = s$g)
  f <- glmm(y ~ x, list(~ 0 + g), "g", data = d, family.glmm = poisson.glmm, m = 2000, seed = 7)
  expect_true(f$trust.converged)
  expect_false(f$ess.warning)
  truth <- c(0.5, 0.3, 0.5)
  expect_true(all(abs(c(f$beta, f$nu) - truth) < 3 * se(f)))
  expect_true("Link is: \"log\"" %in% capture.output(print(summary(f))))
})

test_that("a binomial fit with a two-column response recovers simulated parameters", {
  s <- sim_groups(43)
  nt <- sample(3:8, length(s$x), TRUE)
  succ <- rbinom(length(s$x), nt, plogis(-0.4 + 0.8 * s$x + s$u[s$g]))
  d <- data.frame(s = succ, f = nt - succ, x = s$x, g = s$g)
  f <- glmm(cbind(s, f) ~ x, list(~ 0 + g), "g", data = d, family.glmm = binomial.glmm, m = 2000, seed = 7)
  expect_true(f$trust.converged)
  truth <- c(-0.4, 0.8, 0.5)
  expect_true(all(abs(c(f$beta, f$nu) - truth) < 3 * se(f)))
  expect_equal(f$mod.mcml$ntrials, nt)
  ## the trials matter: the same successes as Bernoulli-like rows differ
  ## from a fit that ignores the failures
  expect_error(glmm(s ~ x, list(~ 0 + g), "g", data = d, family.glmm = binomial.glmm, m = 100, seed = 1), "cbind")
})

test_that("negative binomial fits: known size, and size estimated", {
  s <- sim_groups(44)
  d <- data.frame(y = rnbinom(length(s$x), size = 2, mu = exp(0.5 + 0.3 * s$x + s$u[s$g])), x = s$x, g = s$g)
  f <- glmm(y ~ x, list(~ 0 + g), "g", data = d, family.glmm = negbinomial.glmm(2), m = 2000, seed = 3)
  expect_true(f$trust.converged)
  expect_equal(f$size, 2)
  expect_true(all(abs(c(f$beta, f$nu) - c(0.5, 0.3, 0.5)) < 3 * se(f)))
  ## a small m keeps this quick (the size search refits many times); the
  ## ESS warning it draws is not what this test is about
  g <- suppressWarnings(glmm(y ~ x, list(~ 0 + g), "g", data = d,
                             family.glmm = negbinomial.glmm(size.range = c(0.5, 8)), m = 500, seed = 3))
  expect_true(g$size > 0.5 && g$size < 8)
  expect_true(abs(log(g$size / 2)) < log(3)) # within a factor 3 of the truth
  expect_true(is.finite(g$loglike.full))
  expect_output(print(summary(g)), "Negative binomial size")
  ## the size search: r-hat at the largest profile log-likelihood, which is
  ## the fit's MCLA value plus the terms of the likelihood free of eta
  expect_equal(g$size, unname(g$size.profile[which.max(g$size.profile[, "loglik"]), "size"]))
  expect_equal(g$loglike.full, max(g$size.profile[, "loglik"]))
  yy <- g$mod.mcml$y
  const <- sum(lgamma(yy + g$size) - lgamma(g$size) - lgamma(yy + 1) - yy * log(g$size))
  expect_equal(g$loglike.full, g$loglike.value + const, tolerance = 1e-10)
  ## the importance weights of a negative binomial fit (the objective at the
  ## fit's size over its own sample) give the fit's effective sample size
  expect_equal(1 / sum(importance_weights(f)^2), f$ess, tolerance = 1e-8)
  expect_equal(1 / sum(importance_weights(g)^2), g$ess, tolerance = 1e-8)
})

test_that("bad input to a fit gives clear errors", {
  s <- salamander
  fit <- function(...) glmm(Mate ~ 0 + Cross, list(~ 0 + Female, ~ 0 + Male), c("F", "M"), data = s,
                            family.glmm = bernoulli.glmm, ...)
  expect_error(fit(m = 0), "'m' must be one positive whole number")
  expect_error(fit(m = 10.5), "'m' must be one positive whole number")
  expect_error(fit(m = "Auto"), "or \"auto\"")
  expect_error(fit(m = 100, control = list(stages = 0)), "'stages'")
  expect_error(fit(m = 100, control = list(ess.target = 10)), "unknown control setting")
  expect_error(fit(m = 100, control = 3), "mcla.control")
  expect_error(fit(m = 100, p1 = 0, p2 = 0.5, p3 = 0.5), "'p1' must be positive")
  expect_error(fit(m = 100, zeta = -1), "'zeta'")
  expect_error(fit(m = 100, iterlim = 0), "'iterlim'")
  expect_error(fit(m = 100, par.init = c(1, 2)), "'par.init' must be 6 numbers")
  expect_error(fit(m = 100, par.init = c(0, 0, 0, 0, 1, -1)), "must be positive")
  expect_error(fit(m = 100, seed = -3), "'seed'")
  expect_error(fit(m = 100, workers = -1), "'workers'")
  expect_error(fit(m = 100, cluster = "two"), "'cluster'")
  s$Mate <- 0
  expect_error(fit(m = 100, seed = 1), "glmmgo_mcla_fit: .*(zero|0)")
  ## a failed fit makes no fit handle and leaves the model as it was; glmm()
  ## frees its model either way
  spec <- glmmgo:::glmm_model_spec(Mate ~ 0 + Cross, list(~ 0 + Female), "F", s, bernoulli.glmm, NULL, NULL)
  mod <- glmmgo:::mcla_model_of(spec)
  opts <- list(m = 100, seed = 1, workers = 1L)
  expect_error(glmmgo:::engine_mcla_fit(mod, opts, 0L), "glmmgo_mcla_fit: .*\\[invalid argument\\]")
  expect_true(glmmgo:::handle_valid(mod))
  expect_equal(glmmgo:::engine_dims(mod)[["n"]], nrow(s))
  glmmgo:::free_handle(mod)
  expect_false(glmmgo:::handle_valid(mod))
  expect_error(glmmgo:::engine_dims(mod), "handle is gone")
  ## a model is not a fit, and a fit's options are checked by the engine
  mod <- glmmgo:::mcla_model_of(glmmgo:::glmm_model_spec(Mate ~ 0 + Cross, list(~ 0 + Female), "F", salamander,
                                                         bernoulli.glmm, NULL, NULL))
  expect_error(glmmgo:::engine_mclafit_confint(mod, 0.95), "glmmgo_confint: .*not an MCLA, laplace or mixlogit fit")
  expect_error(glmmgo:::engine_mcla_fit(mod, list(m = 100, p_mix = c(0, 0, 0)), 0L), "p_mix")
  expect_error(glmmgo:::engine_result(mod, "GLMMGO_MCLA_BETA"), "what: 1001 is not a result of an MCLA model")
  glmmgo:::free_handle(mod)
})

test_that("glmm() options reach the engine", {
  ## par.init without PQL: trust starts there and no PQL ran
  start <- c(1, 0.3, -2, 1, 1.4, 1.3)
  f <- sal_fit(m = 1e3, seed = 9, par.init = start, doPQL = FALSE)
  expect_false(f$used.pql)
  expect_null(f$beta.pql)
  expect_equal(unname(f$par.init), start)
  ## p3 = 0 is allowed and draws no third-component samples
  g <- sal_fit(m = 1e3, seed = 9, p1 = 0.5, p2 = 0.5, p3 = 0)
  expect_equal(unname(g$counts[3]), 0)
  expect_equal(sum(g$counts), 1e3)
  ## iterlim = 1 stops trust early, with a warning
  expect_warning(expect_warning(h <- glmm(Mate ~ 0 + Cross, list(~ 0 + Female, ~ 0 + Male), c("F", "M"),
                                          data = salamander, family.glmm = bernoulli.glmm, m = 1e3, seed = 9,
                                          iterlim = 1, control = glmm_stage), "did not converge"),
                 "effective sample size")
  expect_false(h$trust.converged)
  expect_equal(h$trust.iterations, 1)
})

test_that("verbose fits report each trust iteration", {
  d <- BoothHobert
  out <- capture.output(f <- glmm(y ~ 0 + x1, list(~ 0 + z1), "z1", data = d, family.glmm = bernoulli.glmm,
                                  m = 500, seed = 1, verbose = TRUE, control = glmm_stage))
  expect_gt(length(out), 1)
  expect_match(out, "^iteration +[0-9]+: objective -?[0-9.]+ +par: [-0-9. e]+$")
  it <- as.integer(sub("^iteration +([0-9]+):.*", "\\1", out))
  expect_equal(it, seq_along(out))
  expect_lte(length(out), f$trust.iterations)
  obj <- as.numeric(sub(".*objective (-?[0-9.e+-]+) .*", "\\1", out))
  expect_true(all(diff(obj) >= -1e-6 * abs(obj[-1])))
  expect_lte(max(obj), f$loglike.value + 1e-6 * abs(f$loglike.value))
  last <- as.numeric(strsplit(sub(".*par: ", "", out[length(out)]), " ")[[1]])
  expect_length(last, 2)
})
