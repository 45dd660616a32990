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

test_that("Rprof() around 20 glmm() and 20 lmer() fits does not kill R", {
  ## In a fresh process each (a failure kills the process, not this session).
  skip_on_os("windows")
  child <- normalizePath(test_path("fixtures", "rprof-child.R"))
  rscript <- file.path(R.home("bin"), "Rscript")
  libs <- paste(.libPaths(), collapse = .Platform$path.sep)
  for (what in c("glmm", "lmer")) {
    out <- suppressWarnings(system2(rscript, c(shQuote(child), what), stdout = TRUE, stderr = TRUE,
                                    env = paste0("R_LIBS=", shQuote(libs)), timeout = 120))
    expect_true("SURVIVED" %in% out, info = paste(c(what, tail(out, 10)), collapse = "\n"))
  }
})
