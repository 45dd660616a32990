## One salamander MCLA fit (glmm's example model) in a fresh R process:
## wall time of glmm() and of its phases, m, ESS, stages, and the process's
## peak resident set (VmHWM, Linux). Run it once per setting, interleaved,
## since the machine may be shared:
##
##   Rscript mcla_scale.R [m] [workers] [seed] [stages] [sample.memory]
##     m        a sample size or "auto" (default "auto")
##     workers  engine threads (default 2)
##     seed     default 1
##     stages   mcla.control(stages = ) (default 5; 1 is glmm's single density)
##     sample.memory  mcla.control(sample.memory = ) in bytes (default 2^32;
##              0 redraws the samples at every evaluation, Inf keeps them)
suppressPackageStartupMessages(library(glmmgo))
args <- commandArgs(TRUE)
m <- if (length(args) >= 1 && args[[1]] != "auto") as.numeric(args[[1]]) else "auto"
workers <- if (length(args) >= 2) as.integer(args[[2]]) else 2L
seed <- if (length(args) >= 3) as.numeric(args[[3]]) else 1
stages <- if (length(args) >= 4) as.integer(args[[4]]) else 5L
mem <- if (length(args) >= 5) as.numeric(args[[5]]) else 2^32

peak_rss <- function() {
  s <- tryCatch(readLines("/proc/self/status"), error = function(e) character())
  v <- grep("^VmHWM:", s, value = TRUE)
  if (length(v)) as.numeric(gsub("[^0-9]", "", v)) / 2^20 else NA # GiB
}

t0 <- proc.time()[["elapsed"]]
f <- withCallingHandlers(
  glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"), data = salamander,
       family.glmm = bernoulli.glmm, m = m, seed = seed, workers = workers, control = mcla.control(stages = stages, sample.memory = mem)),
  warning = function(w) { message("warning: ", conditionMessage(w)); invokeRestart("muffleWarning") })
wall <- proc.time()[["elapsed"]] - t0
tm <- f$timing
cat(sprintf("m = %s, workers %d, seed %g, stages %d: glmm() %.2f s (engine: pql %.2f, sampling %.2f, trust %.2f, inference %.2f; R %.2f), m used %.0f, ESS %.0f, %d stage(s), %s, samples %s, peak RSS %.2f GiB\n",
            format(m), workers, seed, stages, wall, tm[["pql"]], tm[["sampling"]], tm[["trust"]], tm[["inference"]],
            wall - sum(tm), f$m, f$ess, nrow(f$stages), f$auto.stop, if (f$samples.kept) "kept" else "redrawn",
            peak_rss()))
print(rbind(estimate = c(f$beta, f$nu), se = f$se, mcse = f$mcse, mcse.glmm = f$mcse.glmm), digits = 3)
