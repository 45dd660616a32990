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

## At m = 10^4 the importance weights of salamander's 120 random effects
## rest on very few samples: glmm() warns about the effective sample size.
sal <- timed("salamander, MCLA with m = 10^4", withCallingHandlers(
  glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
       data = salamander, family.glmm = bernoulli.glmm, m = 1e4, seed = 1234),
  warning = function(w) { cat("warning:", conditionMessage(w), "\n"); invokeRestart("muffleWarning") }))
print(summary(sal))
cat("Monte Carlo standard errors:\n"); print(mcse(sal))
cat("95% Wald intervals:\n"); print(confint(sal))

if (requireNamespace("lme4", quietly = TRUE)) {
  data(InstEval, package = "lme4")
  fm <- timed("InstEval, lmer ML: y ~ service * dept + (1 | s) + (1 | d)",
              lmer(y ~ service * dept + (1 | s) + (1 | d), InstEval, REML = FALSE))
  print(summary(fm, correlation = FALSE))
} else {
  cat("== InstEval: needs lme4's data\n")
}
