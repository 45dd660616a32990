## Benchmarks glmmgo against lme4 in the same R process, and times
## glmmgo's MCLA fit of the salamander data.
##
##   Rscript bench.R [reps]         (default 3 repetitions; medians reported)
##   Rscript -e 'source(system.file("bench", "bench.R", package = "glmmgo"))'
##
## 1. InstEval, ML: y ~ service * dept + (1 | s) + (1 | d) (Bates' model):
##    lme4 (default optimiser) vs glmmgo::lmer, each fit timed whole
##    (model frame to result); prints medians and the ratio lme4 / glmmgo.
## 2. salamander by MCLA at m = 10^4 and 10^5 (when the engine has the MCLA
##    fit functions).
suppressPackageStartupMessages(library(glmmgo))
args <- commandArgs(TRUE)
reps <- if (length(args)) as.integer(args[[1]]) else 3L
cat(sprintf("glmmgo %s (engine %s), %s, %d CPU(s) available to the engine, %d repetitions\n",
            utils::packageVersion("glmmgo"), glmmgoVersion(), R.version.string, glmmgoWorkers(), reps))

elapsed <- function(expr) { t0 <- proc.time()[["elapsed"]]; force(expr); proc.time()[["elapsed"]] - t0 }

if (requireNamespace("lme4", quietly = TRUE)) {
  data(InstEval, package = "lme4")
  form <- y ~ service * dept + (1 | s) + (1 | d)
  tg <- tl <- numeric(reps)
  for (r in seq_len(reps)) {
    tl[r] <- elapsed(fl <- lme4::lmer(form, InstEval, REML = FALSE))
    tg[r] <- elapsed(fg <- glmmgo::lmer(form, InstEval, REML = FALSE))
  }
  cat("\nInstEval ML fit,", deparse(form), "\n")
  cat(sprintf("  lme4 %-8s median %7.3f s  (runs: %s; %d evaluations)\n", utils::packageVersion("lme4"),
              median(tl), paste(sprintf("%.2f", tl), collapse = " "), fl@optinfo$feval))
  cat(sprintf("  glmmgo       median %7.3f s  (runs: %s; %d evaluations)\n", median(tg),
              paste(sprintf("%.2f", tg), collapse = " "), as.integer(fg$evals)))
  cat(sprintf("  ratio lme4 / glmmgo: %.2f\n", median(tl) / median(tg)))
  cat(sprintf("  deviance: lme4 %.4f  glmmgo %.4f  (difference %.2g)\n", deviance(fl), deviance(fg),
              deviance(fg) - deviance(fl)))
} else {
  cat("\nInstEval: skipped (needs lme4)\n")
}

cat("\nsalamander by MCLA: Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), seed 1234,",
    glmmgoWorkers(), "worker(s)\n")
for (m in c(1e4, 1e5)) {
  tm <- numeric(reps)
  for (r in seq_len(reps))
    tm[r] <- elapsed(fit <- suppressWarnings(glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male),
                                                  varcomps.names = c("F", "M"), data = salamander,
                                                  family.glmm = bernoulli.glmm, m = m, seed = 1234)))
  cat(sprintf("  m = %6d: median %7.3f s  (runs: %s); %d trust iterations; stages (last run): PQL %.2f, sampling %.2f, trust %.2f, inference %.2f s\n",
              as.integer(m), median(tm), paste(sprintf("%.2f", tm), collapse = " "),
              as.integer(fit$trust.iterations), fit$timing[["pql"]], fit$timing[["sampling"]],
              fit$timing[["trust"]], fit$timing[["inference"]]))
  est <- c(fit$beta, fit$nu)
  cat(sprintf("    %-9s %8s %7s %7s\n", "", "estimate", "SE", "MCSE"))
  cat(sprintf("    %-9s %8.3f %7.3f %7.4f\n", names(est), est, se(fit), mcse(fit)), sep = "")
  cat(sprintf("    loglik %.4f, ESS %.1f of m = %d%s\n", fit$loglike.value, fit$ess, as.integer(m),
              if (fit$trust.converged) "" else ", NOT converged"))
}
