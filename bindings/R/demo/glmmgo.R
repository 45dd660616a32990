## glmmgo demo: salamander by MCLA (glmm's interface) and InstEval by lmer
## (lme4's interface), with summaries and timings.
##
##   Rscript -e 'demo("glmmgo", package = "glmmgo", ask = FALSE)'
##   (or Rscript "$(Rscript -e 'cat(system.file("demo", "glmmgo.R", package = "glmmgo"))')")
suppressPackageStartupMessages(library(glmmgo))
cat(sprintf("glmmgo %s, engine %s, %d CPU(s)\n\n", utils::packageVersion("glmmgo"), glmmgoVersion(),
            glmmgoWorkers()))
timed <- function(label, expr) {
  t0 <- proc.time()[["elapsed"]]
  val <- force(expr)
  cat(sprintf("== %s: %.2f s\n", label, proc.time()[["elapsed"]] - t0))
  val
}

if (glmmgoFeatures()[["mcla_fit"]]) {
  ## At m = 10^4 the importance weights of salamander's 120 random effects
  ## rest on very few samples: glmm() warns about the effective sample size.
  sal <- timed("salamander, MCLA with m = 10^4", withCallingHandlers(
    glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
         data = salamander, family.glmm = bernoulli.glmm, m = 1e4, seed = 1234),
    warning = function(w) { cat("warning:", conditionMessage(w), "\n"); invokeRestart("muffleWarning") }))
  print(summary(sal))
  cat("Monte Carlo standard errors:\n"); print(mcse(sal))
  cat("95% Wald intervals:\n"); print(confint(sal))
} else {
  cat("== salamander: this engine has no MCLA fit functions; evaluating the MCLA objective at glmm's reference point instead\n")
  cs <- readRDS(system.file("testdata", "salamander_m300_mle.rds", package = "glmmgo"))
  Z <- matrix(0, cs$n, cs$q); Z[cbind(cs$Z$row, cs$Z$col)] <- cs$Z$val
  mod <- mcla_model(cs$y, cs$X, Z, c(F = 60, M = 60))
  mcla_set_importance(mod, cs$u_star, cs$D_star, cs$Sigmuh_inv, zeta = cs$zeta)
  mcla_set_samples(mod, cs$umat)
  o <- timed("MCLA objective, m = 300", mcla_objective(mod, cs$par))
  cat(sprintf("value %.10f (glmm: %.10f)\n\n", o$value, cs$value))
}

if (glmmgoFeatures()[["lmm"]] && requireNamespace("lme4", quietly = TRUE)) {
  data(InstEval, package = "lme4")
  fm <- timed("InstEval, lmer ML: y ~ service * dept + (1 | s) + (1 | d)",
              lmer(y ~ service * dept + (1 | s) + (1 | d), InstEval, REML = FALSE))
  print(summary(fm, correlation = FALSE))
} else {
  cat("== InstEval: needs lme4's data and an engine with the LMM functions\n")
}
