## glmmgo demo: salamander by MCLA (glmm's interface), InstEval by lmer
## (lme4's interface) and cbpp and VerbAgg by glmer beside lme4's, with
## summaries and timings.
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

## glmer(): a GLMM by the Laplace approximation and by adaptive quadrature,
## beside lme4's glmer where lme4 is installed. deviance() is -2 log L with
## every constant for both approximations (lme4 reports MixedModels.jl's
## deviance scale as -2 logLik for nAGQ > 1: fit$deviance.mm here).
if (requireNamespace("lme4", quietly = TRUE)) {
  data(cbpp, package = "lme4")
  f <- cbind(incidence, size - incidence) ~ period + (1 | herd)
  gm <- timed("cbpp, glmer (Laplace)", glmer(f, cbpp, family = binomial))
  print(summary(gm))
  lm4 <- timed("cbpp, lme4::glmer (Laplace)", lme4::glmer(f, cbpp, family = binomial))
  gm9 <- glmer(f, cbpp, family = binomial, nAGQ = 9)
  lm9 <- lme4::glmer(f, cbpp, family = binomial, nAGQ = 9)
  side <- rbind(glmmgo = c(`-2logL` = deviance(gm), theta = gm$theta, glmmgo::fixef(gm)),
                lme4 = c(-2 * c(logLik(lm4)), lme4::getME(lm4, "theta"), lme4::fixef(lm4)),
                `glmmgo nAGQ=9` = c(deviance(gm9), gm9$theta, glmmgo::fixef(gm9)),
                `lme4 nAGQ=9` = c(-2 * c(logLik(lm9)) - 2 * gm9$saturated.logLik, lme4::getME(lm9, "theta"),
                                  lme4::fixef(lm9)))
  cat("glmmgo beside lme4 (-2 log L on one scale, every constant included):\n")
  print(round(side, 5))
  data(VerbAgg, package = "lme4")
  fv <- r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)
  gv <- timed("VerbAgg, glmer (Laplace, crossed id and item)", glmer(fv, VerbAgg, family = binomial))
  lv <- timed("VerbAgg, lme4::glmer", lme4::glmer(fv, VerbAgg, family = binomial))
  cat(sprintf("VerbAgg -2 log L: glmmgo %.5f, lme4 %.5f\n", deviance(gv), -2 * c(logLik(lv))))
} else {
  cat("== glmer: needs lme4's data (cbpp, VerbAgg)\n")
}
