## Linear mixed models at scale: glmmgo beside lme4 (and glmmTMB) in the
## same R process, and each engine's peak memory in a process of its own.
##
##   Rscript lmm_scale.R [reps] [case ...]
##   Rscript -e 'source(system.file("bench", "lmm_scale.R", package = "glmmgo"))'
##
## Cases (default: insteval local):
##   insteval     y ~ service * dept + (1 | s) + (1 | d) on lme4's InstEval, ML
##   local        y ~ x + (1 | pupil) + (1 | teacher) + (1 | school): 20 000 pupils
##                and 5 000 teachers crossed within 250 schools, 5 observations per
##                pupil (n = 100 000); glmmTMB too
##   crossed10k   y ~ x + (1 | g) + (1 | h), g and h with 10 000 levels each crossed
##                at random, 10 observations per level of g (n = 100 000); glmmgo only
##                unless "lme4" is also given (lme4 takes ~7 minutes here)
##   crossed20k   the same with 20 000 levels each (n = 200 000); glmmgo only
##
## For each case and engine: the whole fit (model frame to result) timed
## `reps` times, the engines interleaved (the machine may be shared and
## noisy: the range is printed with the median); the evaluations of the
## criterion; the time of one evaluation at the optimum (devFunOnly, the
## best of five); the ratio of the medians; and the peak resident set
## (VmHWM) of a fresh R process that loads the data and makes one fit with
## that engine (so the figure includes R, the data and the model frame).
## glmmgo's fits are ML with its default control; lme4's use its default
## optimiser. Peak memory needs Linux (/proc).

args <- commandArgs(TRUE)
child <- Sys.getenv("GLMMGO_BENCH_CHILD")

sim_local <- function(seed = 1, schools = 250, teachers_per = 20, pupils_per = 80, obs_per = 5) {
  set.seed(seed)
  np <- schools * pupils_per
  n <- np * obs_per
  pupil <- rep(seq_len(np), each = obs_per)
  school <- (pupil - 1) %/% pupils_per + 1
  slot <- ((pupil - 1) %% pupils_per) * obs_per + (seq_len(n) - 1) %% obs_per
  teacher <- (school - 1) * teachers_per + ifelse(slot < teachers_per, slot, sample.int(teachers_per, n, TRUE) - 1) + 1
  x <- runif(n, -1, 1)
  te <- runif(schools * teachers_per, -0.5, 0.5)
  y <- 1 + 0.5 * x + te[teacher] + 0.3 * sin(pupil) + 0.2 * (school %% 3) + runif(n, -0.5, 0.5)
  data.frame(y = y, x = x, pupil = factor(pupil), teacher = factor(teacher), school = factor(school))
}

sim_crossed <- function(levels, per_level = 10, seed = 1) {
  set.seed(seed)
  n <- levels * per_level
  g <- c(seq_len(levels), sample.int(levels, n - levels, TRUE))
  h <- c(seq_len(levels), sample.int(levels, n - levels, TRUE))
  x <- runif(n, -1, 1)
  y <- 1 + 0.5 * x + 0.3 * sin(g) + 0.3 * cos(h) + runif(n, -0.5, 0.5)
  data.frame(y = y, x = x, g = factor(g), h = factor(h))
}

cases <- list(
  insteval = list(form = y ~ service * dept + (1 | s) + (1 | d), engines = c("lme4", "glmmgo"),
                  data = function() { e <- new.env(); utils::data(InstEval, package = "lme4", envir = e); e$InstEval }),
  local = list(form = y ~ x + (1 | pupil) + (1 | teacher) + (1 | school), engines = c("lme4", "glmmgo", "glmmTMB"),
               data = function() sim_local()),
  crossed10k = list(form = y ~ x + (1 | g) + (1 | h), engines = "glmmgo", data = function() sim_crossed(10000)),
  crossed20k = list(form = y ~ x + (1 | g) + (1 | h), engines = "glmmgo", data = function() sim_crossed(20000))
)

fit_with <- function(engine, form, d) switch(engine,
  lme4 = lme4::lmer(form, d, REML = FALSE),
  glmmgo = glmmgo::lmer(form, d, REML = FALSE),
  glmmTMB = glmmTMB::glmmTMB(form, d, REML = FALSE))

evals_of <- function(engine, fit) switch(engine,
  lme4 = fit@optinfo$feval,
  glmmgo = as.integer(fit$evals),
  glmmTMB = unname(fit$fit$evaluations["function"]))

deviance_of <- function(engine, fit) switch(engine,
  lme4 = deviance(fit), glmmgo = deviance(fit), glmmTMB = -2 * as.numeric(logLik(fit)))

theta_of <- function(engine, fit) switch(engine,
  lme4 = lme4::getME(fit, "theta"), glmmgo = glmmgo::getME(fit, "theta"), NULL)

## one evaluation of the criterion at the optimum, the best of five
per_theta <- function(engine, form, d, theta) {
  if (is.null(theta)) return(NA_real_)
  f <- switch(engine, lme4 = lme4::lmer(form, d, REML = FALSE, devFunOnly = TRUE),
              glmmgo = glmmgo::lmer(form, d, REML = FALSE, devFunOnly = TRUE))
  min(vapply(1:5, function(i) elapsed(f(theta)), 0))
}

elapsed <- function(expr) { t0 <- proc.time()[["elapsed"]]; force(expr); proc.time()[["elapsed"]] - t0 }

vmhwm_mb <- function() {
  st <- tryCatch(readLines("/proc/self/status"), error = function(e) character())
  line <- grep("^VmHWM:", st, value = TRUE)
  if (!length(line)) return(NA_real_)
  as.numeric(gsub("[^0-9]", "", line)) / 1024
}

## Child mode: load the data, fit once with one engine, report.
if (nzchar(child)) {
  parts <- strsplit(child, ":", fixed = TRUE)[[1]]
  cs <- cases[[parts[1]]]
  suppressPackageStartupMessages(loadNamespace(parts[2]))
  d <- cs$data()
  t <- elapsed(fit <- fit_with(parts[2], cs$form, d))
  cat(sprintf("CHILD %.3f %.1f\n", t, vmhwm_mb()))
  quit(save = "no")
}

reps <- if (length(args) && grepl("^[0-9]+$", args[1])) as.integer(args[1]) else 3L
which_cases <- setdiff(args, c(as.character(reps), "lme4"))
if (!length(which_cases)) which_cases <- c("insteval", "local")
with_lme4 <- "lme4" %in% args

suppressPackageStartupMessages(library(glmmgo))
si <- sessionInfo()
cat(sprintf("glmmgo %s (engine %s), lme4 %s, glmmTMB %s, %s\nBLAS: %s\n%d CPU(s) for the engine, %d repetitions; the machine may be shared: ranges in brackets\n",
            utils::packageVersion("glmmgo"), glmmgoVersion(),
            if (requireNamespace("lme4", quietly = TRUE)) utils::packageVersion("lme4") else "-",
            if (requireNamespace("glmmTMB", quietly = TRUE)) utils::packageVersion("glmmTMB") else "-",
            R.version.string, si$BLAS, glmmgoWorkers(), reps))

rscript <- file.path(R.home("bin"), "Rscript")
this_file <- local({
  f <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(f)) sub("^--file=", "", f[1]) else system.file("bench", "lmm_scale.R", package = "glmmgo")
})

peak_rss <- function(case, engine) {
  out <- suppressWarnings(system2(rscript, this_file, stdout = TRUE, stderr = FALSE,
                                  env = c(sprintf("GLMMGO_BENCH_CHILD=%s:%s", case, engine),
                                          sprintf("R_LIBS=%s", paste(.libPaths(), collapse = ":")))))
  line <- grep("^CHILD", out, value = TRUE)
  if (!length(line)) return(c(NA, NA))
  as.numeric(strsplit(line, " ")[[1]][2:3])
}

for (case in which_cases) {
  cs <- cases[[case]]
  if (is.null(cs)) stop("unknown case ", case)
  engines <- cs$engines
  if (with_lme4 && !"lme4" %in% engines) engines <- c("lme4", engines)
  engines <- engines[vapply(engines, requireNamespace, TRUE, quietly = TRUE)]
  d <- cs$data()
  cat(sprintf("\n== %s: %s, n = %d\n", case, deparse(cs$form), nrow(d)))
  times <- matrix(NA_real_, reps, length(engines), dimnames = list(NULL, engines))
  fits <- list()
  for (r in seq_len(reps)) for (e in engines) {
    times[r, e] <- elapsed(fits[[e]] <- fit_with(e, cs$form, d))
  }
  cat(sprintf("  %-8s %9s %-26s %6s %10s %16s %9s\n", "engine", "median s", "[runs]", "evals", "ms per θ", "deviance", "peak MB"))
  for (e in engines) {
    pt <- per_theta(e, cs$form, d, theta_of(e, fits[[e]]))
    rss <- peak_rss(case, e)
    cat(sprintf("  %-8s %9.3f %-26s %6d %10.2f %16.4f %9.0f\n", e, median(times[, e]),
                paste0("[", paste(sprintf("%.2f", times[, e]), collapse = " "), "]"),
                as.integer(evals_of(e, fits[[e]])), 1000 * pt, deviance_of(e, fits[[e]]), rss[2]))
  }
  for (e in setdiff(engines, "glmmgo"))
    cat(sprintf("  ratio %s / glmmgo: %.1f (medians; per run %s)\n", e, median(times[, e]) / median(times[, "glmmgo"]),
                paste(sprintf("%.1f", times[, e] / times[, "glmmgo"]), collapse = " ")))
  rm(fits); invisible(gc())
}
