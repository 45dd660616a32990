## The slow comparisons (InstEval, the coexistence sessions, lme4's
## profiles) run once per tools/test.sh, in its testthat pass; R CMD check
## and quick iterations skip them with GLMMGO_SKIP_SLOW=1.
skip_if_slow <- function() skip_if(nzchar(Sys.getenv("GLMMGO_SKIP_SLOW")), "GLMMGO_SKIP_SLOW is set")
lme4_data <- function(name) {
  e <- new.env()
  utils::data(list = name, package = "lme4", envir = e)
  e[[name]]
}
ref_case <- function(name) readRDS(system.file("testdata", paste0(name, ".rds"), package = "glmmgo"))
## Fit the same model with both packages and compare everything lmer returns.
compare_with_lme4 <- function(formula, data, REML, tol = 1e-4) {
  g <- glmmgo::lmer(formula, data, REML = REML)
  l <- suppressMessages(lme4::lmer(formula, data, REML = REML,
                                   control = lme4::lmerControl(optimizer = "bobyqa",
                                                               optCtrl = list(rhoend = 1e-10))))
  crit_g <- if (REML) glmmgo::REMLcrit(g) else deviance(g)
  crit_l <- if (REML) lme4::REMLcrit(l) else deviance(l)
  testthat::expect_equal(crit_g, crit_l, tolerance = 1e-7, info = "criterion")
  testthat::expect_equal(g$theta, unname(lme4::getME(l, "theta")), tolerance = tol, info = "theta")
  testthat::expect_equal(glmmgo::fixef(g), lme4::fixef(l), tolerance = tol, info = "fixef")
  testthat::expect_equal(sigma(g), sigma(l), tolerance = tol, info = "sigma")
  testthat::expect_equal(unname(as.matrix(vcov(g))), unname(as.matrix(vcov(l))), tolerance = 1e-3, info = "vcov")
  testthat::expect_equal(as.numeric(logLik(g)), as.numeric(logLik(l)), tolerance = 1e-7)
  testthat::expect_equal(attr(logLik(g), "df"), attr(logLik(l), "df"))
  testthat::expect_equal(AIC(g), AIC(l), tolerance = 1e-7)
  testthat::expect_equal(BIC(g), BIC(l), tolerance = 1e-7)
  testthat::expect_equal(unname(fitted(g)), unname(fitted(l)), tolerance = 1e-4)
  testthat::expect_equal(unname(residuals(g)), unname(residuals(l)), tolerance = 1e-3)
  rg <- glmmgo::ranef(g); rl <- lme4::ranef(l, condVar = TRUE)
  testthat::expect_setequal(names(rg), names(rl))
  for (nm in names(rl)) {
    testthat::expect_equal(rownames(rg[[nm]]), rownames(rl[[nm]]))
    testthat::expect_equal(unname(as.matrix(rg[[nm]])), unname(as.matrix(rl[[nm]])), tolerance = 1e-3,
                           info = paste("ranef", nm))
    pl <- attr(rl[[nm]], "postVar")
    if (is.array(pl)) testthat::expect_equal(attr(rg[[nm]], "postVar"), pl, tolerance = 1e-3, info = paste("postVar", nm))
  }
  vg <- as.data.frame(glmmgo::VarCorr(g)); vl <- as.data.frame(lme4::VarCorr(l))
  testthat::expect_equal(vg$sdcor, vl$sdcor, tolerance = 1e-3)
  testthat::expect_equal(vg$grp, vl$grp)
  invisible(list(g = g, l = l))
}

## Runs the R code `lines` in a child Rscript (with this session's library
## paths), sends it SIGINT once it has printed a line starting "iteration"
## (or after 60 s), waits for it and returns its output lines: how the tests
## press Ctrl-C during a fit.
run_child_interrupted <- function(lines) {
  dir <- tempfile("intr"); dir.create(dir)
  child <- file.path(dir, "child.R"); out <- file.path(dir, "out.txt")
  writeLines(lines, child)
  rscript <- file.path(R.home("bin"), "Rscript")
  libs <- paste(.libPaths(), collapse = ":")
  script <- sprintf(paste(
    "R_LIBS='%s' '%s' '%s' > '%s' 2>&1 &",
    "pid=$!",
    "n=0; while ! grep -q '^iteration' '%s' 2>/dev/null; do sleep 0.05; n=$((n+1)); [ $n -gt 1200 ] && break; done",
    "kill -INT $pid",
    "wait $pid", sep = "\n"), libs, rscript, child, out, out)
  system2("sh", c("-c", shQuote(script)))
  readLines(out)
}
