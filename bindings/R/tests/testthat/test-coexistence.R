## glmmgo, lme4 and glmm in one session, attached in every order: each
## package's functions work on its own fits and on glmmgo's, and glmmgo's
## functions hand other packages' fits to them. glmm cannot be installed
## here, so a stand-in package named glmm (fixtures/glmm-standin: glmm
## 1.4.5's exports and S3 registrations with minimal bodies) is installed
## into a temporary library. Every order runs in a fresh R process.

test_that("glmmgo, lme4 and glmm attached in any order leave each other's fits alone", {
  skip_on_os("windows")
  skip_if_not_installed("lme4"); skip_if_slow()
  lib <- tempfile("glmmlib")
  dir.create(lib)
  r <- file.path(R.home("bin"), "R")
  log <- system2(r, c("CMD", "INSTALL", "--no-test-load", paste0("--library=", shQuote(lib)),
                      shQuote(test_path("fixtures", "glmm-standin"))), stdout = TRUE, stderr = TRUE)
  expect_true(dir.exists(file.path(lib, "glmm")), info = paste(log, collapse = "\n"))
  child <- normalizePath(test_path("fixtures", "coexist-child.R"))
  rscript <- file.path(R.home("bin"), "Rscript")
  libs <- paste(c(lib, .libPaths()), collapse = .Platform$path.sep)
  pkgs <- c("glmmgo", "lme4", "glmm")
  orders <- list(pkgs[c(1, 2, 3)], pkgs[c(1, 3, 2)], pkgs[c(2, 1, 3)], pkgs[c(2, 3, 1)], pkgs[c(3, 1, 2)],
                 pkgs[c(3, 2, 1)])
  for (o in orders) {
    out <- system2(rscript, c(shQuote(child), o), stdout = TRUE, stderr = TRUE, env = paste0("R_LIBS=", shQuote(libs)))
    what <- paste("library() order:", paste(o, collapse = ", "))
    expect_true("DONE" %in% out, info = paste(c(what, tail(out, 15)), collapse = "\n"))
    fails <- grep("^FAIL", out, value = TRUE)
    expect_equal(fails, character(), info = what)
    expect_gte(length(grep("^OK", out)), 55L)
  }
})
