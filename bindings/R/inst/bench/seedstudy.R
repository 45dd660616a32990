## Seed study of glmm(m = "auto"): does the reported Monte Carlo standard
## error match the spread of the estimates over independent seeds?
##
##   Rscript seedstudy.R [seeds] [models] [workers] [time.max]
##     seeds    number of seeds per model (default 20; seeds 1..seeds)
##     models   comma-separated subset of salamander,BoothHobert,bacteria,grouseticks
##     workers  engine threads (default 2)
##     time.max mcla.control(time.max = ) in seconds (default Inf)
##
## For every model and parameter: the mean and sd of the estimates over the
## seeds, the median reported MCSE (the jackknife's, and glmm's formula's),
## and sd / median MCSE, which should lie in [0.5, 2] when the MCSE is
## honest; then the median ESS, m reached and time per fit, and why m
## stopped growing. The data are the package's (salamander, BoothHobert) and
## the repository's testdata/glmm CSV files (bacteria, grouseticks), found
## through GLMMGO_TESTDATA or from the working directory upwards.
suppressPackageStartupMessages(library(glmmgo))
args <- commandArgs(TRUE)
nseed <- if (length(args) >= 1) as.integer(args[[1]]) else 20L
models <- if (length(args) >= 2) strsplit(args[[2]], ",")[[1]] else
  c("salamander", "BoothHobert", "bacteria", "grouseticks")
workers <- if (length(args) >= 3) as.integer(args[[3]]) else 2L
time.max <- if (length(args) >= 4) as.numeric(args[[4]]) else Inf

testdata <- function(file) {
  dir <- Sys.getenv("GLMMGO_TESTDATA")
  if (!nzchar(dir)) {
    d <- normalizePath(".")
    while (!file.exists(file.path(d, "testdata", "glmm")) && dirname(d) != d) d <- dirname(d)
    dir <- file.path(d, "testdata", "glmm")
  }
  path <- file.path(dir, file)
  if (!file.exists(path)) stop(sprintf("%s not found: set GLMMGO_TESTDATA to the repository's testdata/glmm", file))
  utils::read.csv(path)
}

## glmm's example calls (salamander, BoothHobert) and the classic models of
## the other two sets with their random effects as glmm's list of formulas.
calls <- list(
  salamander = function(seed, ctl) {
    glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
         data = salamander, family.glmm = bernoulli.glmm, m = "auto", seed = seed, workers = workers, control = ctl)
  },
  BoothHobert = function(seed, ctl) {
    glmm(y ~ 0 + x1, list(y ~ 0 + z1), varcomps.names = c("z1"), data = BoothHobert,
         family.glmm = bernoulli.glmm, m = "auto", seed = seed, workers = workers, control = ctl)
  },
  bacteria = function(seed, ctl) {
    d <- testdata("bacteria.csv")
    d$y <- as.numeric(d$y == "y"); d$ID <- factor(d$ID); d$trt <- factor(d$trt, c("placebo", "drug", "drug+"))
    d$late <- as.numeric(d$week > 2)
    glmm(y ~ trt + late, list(~ 0 + ID), varcomps.names = "ID", data = d, family.glmm = bernoulli.glmm,
         m = "auto", seed = seed, workers = workers, control = ctl)
  },
  grouseticks = function(seed, ctl) {
    d <- testdata("grouseticks.csv")
    d$BROOD <- factor(d$BROOD); d$LOCATION <- factor(d$LOCATION); d$YEAR <- factor(d$YEAR)
    glmm(TICKS ~ YEAR + cHEIGHT, list(~ 0 + BROOD, ~ 0 + LOCATION), varcomps.names = c("BROOD", "LOCATION"),
         data = d, family.glmm = poisson.glmm, m = "auto", seed = seed, workers = workers, control = ctl)
  })

study <- function(name) {
  ctl <- mcla.control(time.max = time.max)
  rows <- lapply(seq_len(nseed), function(seed) {
    t0 <- proc.time()[["elapsed"]]
    f <- withCallingHandlers(calls[[name]](seed, ctl), warning = function(w) invokeRestart("muffleWarning"))
    list(par = c(f$beta, f$nu), mcse = f$mcse, mcse.glmm = f$mcse.glmm, se = f$se, ess = f$ess, m = f$m,
         time = proc.time()[["elapsed"]] - t0, stop = f$auto.stop, stages = nrow(f$stages))
  })
  P <- do.call(rbind, lapply(rows, `[[`, "par"))
  MC <- do.call(rbind, lapply(rows, `[[`, "mcse"))
  MG <- do.call(rbind, lapply(rows, `[[`, "mcse.glmm"))
  sdv <- apply(P, 2, stats::sd)
  tab <- data.frame(model = name, parameter = colnames(P), mean = colMeans(P), sd = sdv,
                    mcse = apply(MC, 2, stats::median), mcse.glmm = apply(MG, 2, stats::median),
                    ratio = sdv / apply(MC, 2, stats::median), row.names = NULL)
  ess <- sapply(rows, `[[`, "ess"); m <- sapply(rows, `[[`, "m"); tm <- sapply(rows, `[[`, "time")
  stops <- table(sapply(rows, `[[`, "stop"))
  cat(sprintf("\n== %s: %d seeds, %d worker(s), time.max %s\n", name, nseed, workers, format(time.max)))
  print(tab, digits = 3, row.names = FALSE)
  cat(sprintf("ESS median %.0f (min %.0f, max %.0f); m median %.0f (min %.0f, max %.0f); time per fit median %.1f s (min %.1f, max %.1f)\n",
              stats::median(ess), min(ess), max(ess), stats::median(m), min(m), max(m), stats::median(tm), min(tm),
              max(tm)))
  cat("why m stopped:", paste(sprintf("%s %d", names(stops), stops), collapse = ", "), "\n")
  invisible(tab)
}

cat(sprintf("glmmgo %s (engine %s), %s\n", utils::packageVersion("glmmgo"), glmmgoVersion(), R.version.string))
for (name in models) study(name)
