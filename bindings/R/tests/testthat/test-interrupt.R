## Ctrl-C during a fit: run a long fit in a separate R process, send it
## SIGINT once the engine has reported its first iteration, and check that
## the fit stopped with glmmgo's interrupt condition and that the session
## then fits another model normally.
test_that("Ctrl-C stops a fit cleanly and the session survives", {
  skip_on_os("windows")
  skip_if_not_installed("lme4")
  res <- run_child_interrupted(c(
    "library(glmmgo)",
    "data(InstEval, package = 'lme4')",
    "t0 <- proc.time()[[3]]",
    "r <- tryCatch(lmer(y ~ service * dept + (1 | s) + (1 | d), InstEval, REML = FALSE, verbose = 1),",
    "              interrupt = function(e) paste(class(e), collapse = ','))",
    "cat('RESULT', if (is.character(r)) r else 'finished', '\\n')",
    "f <- lmer(Reaction ~ Days + (Days | Subject), lme4::sleepstudy)",
    "cat('AFTER', format(REMLcrit(f), nsmall = 3), '\\n')"))
  iters <- length(grep("^iteration", res))
  expect_gt(iters, 0)
  expect_true(any(grepl("^RESULT glmmgo_interrupt,interrupt,condition", res)), info = paste(tail(res, 5), collapse = "\n"))
  expect_true(any(grepl("^AFTER 1743.628", res)), info = paste(tail(res, 5), collapse = "\n"))
})

## The same for an MCLA fit: SIGINT after the first trust iteration stops
## glmm() with glmmgo's interrupt condition (the engine's fit handle is
## freed by the shim), and the session then fits again, getting what a
## fresh session gets.
test_that("Ctrl-C stops a glmm() fit cleanly and the session survives", {
  skip_on_os("windows")
  res <- run_child_interrupted(c(
    "library(glmmgo)",
    "r <- tryCatch(glmm(Mate ~ 0 + Cross, list(~ 0 + Female, ~ 0 + Male), c('F', 'M'), data = salamander,",
    "                   family.glmm = bernoulli.glmm, m = 1e5, seed = 1, verbose = TRUE),",
    "              interrupt = function(e) paste(class(e), collapse = ','))",
    "cat('RESULT', if (is.character(r)) r else 'finished', '\\n')",
    "f <- glmm(y ~ 0 + x1, list(~ 0 + z1), 'z1', data = BoothHobert, family.glmm = bernoulli.glmm, m = 500, seed = 1)",
    "cat('AFTER', sprintf('%.10f', f$loglike.value), '\\n')"))
  expect_gt(length(grep("^iteration", res)), 0)
  expect_true(any(grepl("^RESULT glmmgo_interrupt,interrupt,condition", res)), info = paste(tail(res, 5), collapse = "\n"))
  ref <- glmm(y ~ 0 + x1, list(~ 0 + z1), "z1", data = BoothHobert, family.glmm = bernoulli.glmm, m = 500, seed = 1)
  expect_true(any(res == sprintf("AFTER %.10f ", ref$loglike.value)), info = paste(tail(res, 5), collapse = "\n"))
})
