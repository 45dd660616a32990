## compare_laplace_mcla(): the salamander model by glmer (Laplace) and by
## glmm (MCLA) on the same data; the table's columns are the two fits'
## numbers, and Laplace's variance components fall below MCLA's (the known
## downward bias of the Laplace approximation for crossed binary data;
## Knudson, Benson, Geyer and Jones 2021).

test_that("compare_laplace_mcla reports the two fits and their differences in SEs and MCSEs", {
  data(salamander, package = "glmmgo", envir = environment())
  g <- glmmgo::glmer(Mate ~ 0 + Cross + (1 | Female) + (1 | Male), salamander, family = stats::binomial)
  m <- suppressWarnings(glmmgo::glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male),
                                     varcomps.names = c("Female", "Male"), data = salamander,
                                     family.glmm = glmmgo::bernoulli.glmm, m = 2000, seed = 1))
  cm <- glmmgo::compare_laplace_mcla(g, m)
  tab <- cm$table
  expect_equal(rownames(tab), c(names(glmmgo::fixef(g)), "var(Female)", "var(Male)"))
  expect_equal(tab$Laplace, unname(c(glmmgo::fixef(g), g$theta^2)))
  expect_equal(tab$MCLA, unname(c(m$beta, m$nu)))
  expect_equal(tab$difference, tab$MCLA - tab$Laplace)
  expect_equal(tab$in.SE, tab$difference / unname(m$se))
  expect_equal(tab$in.MCSE, tab$difference / unname(m$mcse))
  expect_true(all(is.finite(tab$SE.Laplace)))   # the variances' SEs by the delta method from theta's
  expect_true(all(tab$MCLA[5:6] > tab$Laplace[5:6]))
  expect_output(print(cm), "Laplace \\(nAGQ = 1\\) vs MCLA \\(m = 2000\\)")
  ## fitting the MCLA model itself gives the same table
  auto <- suppressWarnings(glmmgo::compare_laplace_mcla(g, m = 2000, seed = 1))
  expect_equal(auto$table, tab)
  expect_error(glmmgo::compare_laplace_mcla(m, g), "must be a glmmgo glmer")
})
