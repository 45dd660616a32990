## The engine's interface as the package sees it: the version check at load,
## the generic result reader, the library's fork guard.

test_that("the library's version is the one the package was built for", {
  v <- glmmgo:::engine_version_number()
  expect_equal(v[["library"]], v[["header"]])
  expect_equal(v[["library"]], glmmgo:::glmmgo_header$version_number)
  expect_equal(glmmgoVersion(), glmmgo:::glmmgo_header$version_string)
  expect_true(glmmgo:::check_engine_version())
  ## another minor (or major) version is refused, naming both versions
  other <- c(library = v[["library"]] + 1000L, header = v[["header"]])
  expect_error(glmmgo:::check_engine_version(other),
               "libglmmgo 0\\.3\\.0 is not the version this package was built for \\(0\\.2\\.0\\)")
  expect_error(glmmgo:::check_engine_version(v, built_for = v[["library"]] - 1000L), "major and minor")
  ## a patch release is accepted
  expect_true(glmmgo:::check_engine_version(c(library = v[["library"]] + 1L, header = v[["header"]])))
})

test_that("one reader serves every result, with the header's codes and types", {
  d <- lme4_data("Dyestuff")
  g <- glmmgo::lmer(Yield ~ 1 + (1 | Batch), d, REML = FALSE)
  f <- g$engine$fit
  dims <- glmmgo:::engine_dims(f)
  expect_equal(dims[["kind"]], glmmgo:::glmmgo_header$kinds[["GLMMGO_KIND_LMM_FIT"]])
  expect_equal(dims[c("n", "p", "q", "ntheta", "nterms")], c(n = 30, p = 1, q = 6, ntheta = 1, nterms = 1))
  expect_identical(glmmgo:::engine_result(f, "GLMMGO_LMM_THETA"), g$theta)
  evals <- glmmgo:::engine_result(f, "GLMMGO_LMM_EVALS")   # an integer result, read by glmmgo_result_int64
  expect_true(length(evals) == 1 && evals >= 3 && evals == round(evals))
  expect_identical(glmmgo:::engine_result(g$engine$model, "GLMMGO_LMM_TERM_NLEVELS"), 6)
  expect_error(glmmgo:::engine_result(g$engine$model, "GLMMGO_LMM_THETA"), "fit it with glmmgo_lmm_fit")
  expect_error(glmmgo:::engine_result(f, "GLMMGO_NOT_A_RESULT"), "not a result code")
  ## every result code of the header has a type: the integer ones are a subset
  h <- glmmgo:::glmmgo_header
  expect_true(all(h$int_results %in% names(h$results)))
  expect_gt(length(h$results), 40)
})

test_that("a forked child gets the library's own message", {
  skip_on_os("windows")
  d <- lme4_data("Dyestuff")
  g <- glmmgo::lmer(Yield ~ 1 + (1 | Batch), d, REML = FALSE)
  dev <- function() getME(g, "devcomp")$cmp[["pwrss"]]
  res <- parallel::mclapply(1:2, function(i) tryCatch(dev(), error = conditionMessage), mc.cores = 2)
  expect_match(unlist(res), "forked after the library was loaded.*use a PSOCK cluster instead of mclapply")
  expect_match(unlist(res), "\\[called in a forked child\\]")
  expect_equal(dev(), sigma(g)^2 * nobs(g), tolerance = 1e-10)   # the parent is fine
})
