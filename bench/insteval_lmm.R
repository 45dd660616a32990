# Times lme4 and glmmgo on the InstEval ML fit y ~ service*dept + (1|s) + (1|d)
# in the same run and prints the ratio. Until the R binding exists, glmmgo is
# timed through its Go benchmark (model construction + fit + summaries).
# Run from the repository root: Rscript bench/insteval_lmm.R
suppressMessages(library(lme4))
reps <- 3
data(InstEval, package = "lme4")
fm <- NULL
t_lme4 <- numeric(reps)
for (r in seq_len(reps)) t_lme4[r] <- system.time(
  fm <- lmer(y ~ service * dept + (1 | s) + (1 | d), InstEval, REML = FALSE))[["elapsed"]]
nfev <- fm@optinfo$feval
out <- system2("go", c("test", "./core/fit/lmmfit", "-run", "XXX", "-bench", "InstEvalFitML",
                       "-benchtime", "1x", "-count", as.character(reps)), stdout = TRUE)
ns <- as.numeric(sub(".*\\s([0-9]+) ns/op.*", "\\1", grep("ns/op", out, value = TRUE)))
t_go <- ns / 1e9
cat(sprintf("lme4   %s: median %.3f s (%d evaluations, %.1f ms each)\n",
            packageVersion("lme4"), median(t_lme4), nfev, 1000 * median(t_lme4) / nfev))
cat(sprintf("glmmgo      : median %.3f s\n", median(t_go)))
cat(sprintf("ratio lme4/glmmgo: %.2f\n", median(t_lme4) / median(t_go)))
