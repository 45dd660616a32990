## Hostile and mistaken inputs (the hardening cases): each gives a clear
## error or an honest answer, quickly.

test_that("a fit started far from the maximum is not reported as converged, and R says why", {
  ## Before, par.init with nu = 1e300 or beta0 = 1e300 returned
  ## trust.converged = TRUE at a point that is not a maximum.
  d <- BoothHobert
  fit <- function(start) glmm(y ~ 0 + x1, list(~ 0 + z1), "z1", data = d, family.glmm = bernoulli.glmm,
                              m = 200, seed = 1, par.init = start, doPQL = FALSE)
  for (start in list(c(0, 1e300), c(1e300, 1))) {
    w <- character()
    f <- withCallingHandlers(fit(start), warning = function(e) {
      w <<- c(w, conditionMessage(e)); invokeRestart("muffleWarning")
    })
    expect_false(f$trust.converged)
    expect_equal(names(f$trust.convergence), "SCALE")
    expect_true(any(grepl("did not converge \\(scale\\)", w)), info = paste(w, collapse = " | "))
  }
  g <- glmm(y ~ 0 + x1, list(~ 0 + z1), "z1", data = d, family.glmm = bernoulli.glmm, m = 500, seed = 1)
  expect_equal(names(g$trust.convergence), "OK")
})

test_that("Rprof() around 20 glmm() and 20 lmer() fits, and around glmmgo's loading, does not kill R", {
  ## In a fresh process each (a failure kills the process, not this session).
  skip_on_os("windows")
  child <- normalizePath(test_path("fixtures", "rprof-child.R"))
  rscript <- file.path(R.home("bin"), "Rscript")
  libs <- paste(.libPaths(), collapse = .Platform$path.sep)
  for (what in c("glmm", "lmer", "load")) {
    out <- suppressWarnings(system2(rscript, c(shQuote(child), what), stdout = TRUE, stderr = TRUE,
                                    env = paste0("R_LIBS=", shQuote(libs)), timeout = 120))
    expect_true("SURVIVED" %in% out, info = paste(c(what, tail(out, 10)), collapse = "\n"))
  }
})

test_that("messages name the argument at fault and the cause", {
  ## Before: INT64_MIN for doubles >= 2^63, "pql: ... could not be maximised"
  ## for an aliased column, "start: objective is +Inf" for a weight of 1e308,
  ## "a perfect fit?" for y * 1e-300, "x: the interpolation points coincide"
  ## for a tiny rhoend, "missing value where TRUE/FALSE needed" for start = NaN.
  g <- function(...) glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
                          data = salamander, family.glmm = bernoulli.glmm, seed = 1, ...)
  expect_error(g(m = 1e300), "'m' is 1e\\+300")
  expect_error(g(m = 2^63), "'m' is 9.2")
  expect_error(g(m = 100, iterlim = 1e20), "'iterlim' is 1e\\+20")
  d <- salamander; d$x2 <- as.numeric(d$Cross == "R/R")
  expect_error(glmm(Mate ~ 0 + Cross + x2, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
                    data = d, family.glmm = bernoulli.glmm, m = 500), "x: .*aliased")
  expect_error(g(m = 500, weights = c(1e308, rep(1, 359))), "weights: add up to")
  set.seed(1); dl <- data.frame(y = rnorm(100) * 1e-300, x = rnorm(100), g = factor(rep(1:10, 10)))
  expect_error(lmer(y ~ x + (1 | g), data = dl), "y: its largest absolute value")
  dl$y <- dl$y * 1e300
  expect_error(lmer(y ~ x + (1 | g), data = dl, control = glmmgoControl(rhoend = 1e-320)), "rhoend")
  expect_error(lmer(y ~ x + (1 | g), data = dl, control = glmmgoControl(maxeval = 3)), "maxeval")
  expect_error(lmer(y ~ x + (1 | g), data = dl, control = glmmgoControl(maxeval = 1e300)), "'maxeval' is 1e\\+300")
  expect_error(lmer(y ~ x + (1 | g), data = dl, start = NaN), "'start' must be finite")
})

test_that("a large fit's memory is returned when glmm() returns", {
  ## Before, the dead u-matrix (here 96 MB) stayed resident for minutes:
  ## R's gc() does not reach Go's heap.
  skip_if_not(file.exists("/proc/self/status"))
  rss <- function() {
    l <- readLines("/proc/self/status")
    as.numeric(gsub("[^0-9]", "", l[grep("^VmRSS", l)])) / 1024
  }
  invisible(gc())
  before <- rss()
  f <- suppressWarnings(glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
                             data = salamander, family.glmm = bernoulli.glmm, m = 1e5, seed = 1, iterlim = 2))
  grew <- rss() - before
  expect_lt(grew, 48)
})
