## Benchmarks glmmgo::glmer against lme4::glmer in the same R process (the
## machine is shared: runs are interleaved, lme4 then glmmgo, and medians and
## ratios reported side by side), and glmm()'s PQL start at growing q.
##
##   Rscript glmer.R [reps] [insteval] [pql]   (default 3 repetitions; insteval = 0 skips the
##       binarised InstEval, whose lme4 fit takes minutes (it runs once); pql = 0 skips part 2)
##
## 1. cbpp (binomial, one term), VerbAgg (Bernoulli, crossed id and item) and
##    binarised InstEval, I(y > 3) ~ service + (1 | s) + (1 | d), each by
##    Laplace (nAGQ = 1) and the fast fit (nAGQ = 0): median seconds, lme4's
##    and glmmgo's evaluations, glmmgo's PIRLS iterations, seconds per
##    evaluation, -2 log L of both (on one scale), and the peak resident
##    memory of one fit of each package in a fresh R process.
## 2. glmm()'s PQL (the MCLA fit's start) on a Poisson model with two crossed
##    factors, n = 20 000, q = 1 500, 3 000, 5 000: its seconds (fit$timing).
suppressPackageStartupMessages(library(glmmgo))
args <- commandArgs(TRUE)
reps <- if (length(args) >= 1) as.integer(args[[1]]) else 3L
insteval <- if (length(args) >= 2) as.integer(args[[2]]) != 0 else TRUE
pql <- if (length(args) >= 3) as.integer(args[[3]]) != 0 else TRUE
cat(sprintf("glmmgo %s (engine %s), %s, %d CPU(s) available to the engine, %d repetitions; BLAS: %s\n",
            utils::packageVersion("glmmgo"), glmmgoVersion(), R.version.string, glmmgoWorkers(), reps,
            basename(extSoftVersion()[["BLAS"]])))

elapsed <- function(expr) { t0 <- proc.time()[["elapsed"]]; force(expr); proc.time()[["elapsed"]] - t0 }

## Peak resident memory (MiB) of a fresh R process that loads the data and fits once.
peak_rss <- function(pkg, dataset, formula, nAGQ, prep = "") {
  code <- sprintf(paste0("suppressPackageStartupMessages(library(%s)); data(%s, package = 'lme4'); d <- %s; %s",
                         "invisible(%s::glmer(%s, d, family = binomial, nAGQ = %d)); ",
                         "s <- readLines('/proc/self/status'); cat(sub('[^0-9]*([0-9]+).*', '\\\\1', grep('^VmHWM', s, value = TRUE)))"),
                  pkg, dataset, dataset, prep, pkg, deparse1(formula), nAGQ)
  out <- suppressWarnings(system2(file.path(R.home("bin"), "Rscript"), c("-e", shQuote(code)), stdout = TRUE, stderr = FALSE))
  kb <- suppressWarnings(as.numeric(utils::tail(out, 1)))
  if (length(kb) && is.finite(kb)) kb / 1024 else NA
}

bench_glmer <- function(label, dataset, formula, data, nAGQ, n = reps, prep = "") {
  tl <- tg <- numeric(n)
  for (r in seq_len(n)) {
    tl[r] <- elapsed(fl <- suppressWarnings(suppressMessages(lme4::glmer(formula, data, family = binomial, nAGQ = nAGQ))))
    tg[r] <- elapsed(fg <- glmmgo::glmer(formula, data, family = binomial, nAGQ = nAGQ))
  }
  el <- fl@optinfo$feval
  eg <- sum(fg$evals)
  m2l <- -2 * as.numeric(logLik(fl))
  cat(sprintf("\n%s, nAGQ = %d: %s\n", label, nAGQ, deparse1(formula)))
  cat(sprintf("  lme4 %-7s median %8.3f s (runs %s), %4d evaluations, %.4f s/evaluation, -2 log L %.4f\n",
              utils::packageVersion("lme4"), median(tl), paste(sprintf("%.2f", tl), collapse = " "), el, median(tl) / el, m2l))
  cat(sprintf("  glmmgo       median %8.3f s (runs %s), %4d evaluations, %.4f s/evaluation, -2 log L %.4f, %d PIRLS iterations\n",
              median(tg), paste(sprintf("%.2f", tg), collapse = " "), eg, median(tg) / eg, deviance(fg), as.integer(fg$optinfo$pirls)))
  cat(sprintf("  ratio lme4 / glmmgo: %.1f\n", median(tl) / median(tg)))
  rl <- peak_rss("lme4", dataset, formula, nAGQ, prep)
  rg <- peak_rss("glmmgo", dataset, formula, nAGQ, prep)
  cat(sprintf("  peak RSS of one fit in a fresh R process: lme4 %.0f MiB, glmmgo %.0f MiB\n", rl, rg))
  invisible(c(lme4 = median(tl), glmmgo = median(tg)))
}

if (requireNamespace("lme4", quietly = TRUE)) {
  data(cbpp, package = "lme4")
  data(VerbAgg, package = "lme4")
  if (reps > 0) for (k in c(1L, 0L)) bench_glmer("cbpp", "cbpp", cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, k)
  if (reps > 0) for (k in c(1L, 0L)) bench_glmer("VerbAgg", "VerbAgg", r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item), VerbAgg, k)
  if (insteval) {
    data(InstEval, package = "lme4")
    InstEval$y3 <- as.numeric(InstEval$y > 3)
    for (k in c(1L, 0L))
      bench_glmer("InstEval binarised", "InstEval", y3 ~ service + (1 | s) + (1 | d), InstEval, k, n = 1L,
                  prep = "d$y3 <- as.numeric(d$y > 3); ")
  }
} else {
  cat("\nglmer: skipped (needs lme4)\n")
}

## glmm()'s PQL at growing q: two crossed factors of q/2 levels each, n = 20 000.
if (pql) {
cat("\nglmm() PQL (the MCLA fit's start), Poisson, two crossed factors, n = 20 000 (m = 1000);",
    "before the blocked PIRLS: 26 s of a 35 s fit at q = 1 500, 143 s of 150 s at 3 000, over 10 minutes at 5 000\n")
set.seed(1)
for (q in c(1500L, 3000L, 5000L)) {
  n <- 20000L
  d <- data.frame(a = factor(sample.int(q / 2, n, TRUE)), b = factor(sample.int(q / 2, n, TRUE)), x = stats::rnorm(n))
  d$y <- stats::rpois(n, exp(0.2 + 0.3 * d$x + stats::rnorm(q / 2, sd = 0.5)[d$a] + stats::rnorm(q / 2, sd = 0.5)[d$b]))
  t <- elapsed(fit <- suppressWarnings(glmm(y ~ x, random = list(~ 0 + a, ~ 0 + b), varcomps.names = c("a", "b"), data = d,
                                            family.glmm = poisson.glmm, m = 1000, seed = 1)))
  cat(sprintf("  q = %5d: PQL %6.2f s of a %6.2f s fit\n", q, fit$timing[["pql"]], t))
}
}
