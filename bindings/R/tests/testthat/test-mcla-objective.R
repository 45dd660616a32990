cases <- c("salamander_m300_mle", "salamander_m300_pql", "salamander_m300_far",
           "boothhobert_m100_mle", "boothhobert_m100_pql", "boothhobert_m100_far")

model_for <- function(cs, sparse = FALSE) {
  Z <- if (sparse) {
    skip_if_not_installed("Matrix")
    Matrix::sparseMatrix(i = cs$Z$row, j = cs$Z$col, x = cs$Z$val, dims = c(cs$n, cs$q))
  } else {
    Z <- matrix(0, cs$n, cs$q); Z[cbind(cs$Z$row, cs$Z$col)] <- cs$Z$val; Z
  }
  m <- mcla_model(cs$y, cs$X, Z, cs$nrandom, bernoulli.glmm, ntrials = cs$ntrials, weights = cs$weights)
  mcla_set_importance(m, cs$u_star, cs$D_star, cs$Sigmuh_inv, zeta = cs$zeta,
                      p1 = cs$p_mix[1], p2 = cs$p_mix[2], p3 = cs$p_mix[3])
  mcla_set_samples(m, cs$umat)
  m
}

test_that("the MCLA objective reproduces glmm's value, gradient and Hessian", {
  for (nm in cases) {
    cs <- ref_case(nm)
    m <- model_for(cs, sparse = grepl("far", nm))
    o <- mcla_objective(m, cs$par)
    expect_equal(o$value, cs$value, tolerance = 1e-10, info = nm)
    expect_equal(unname(o$gradient), cs$gradient, tolerance = 1e-8, info = nm)
    expect_equal(unname(o$hessian), cs$hessian, tolerance = 1e-9, info = nm)
    expect_equal(unname(mcla_dims(m)), c(cs$n, cs$p, cs$q, cs$T, cs$m))
  }
})

test_that("results do not depend on the number of workers; partials merge exactly", {
  cs <- ref_case("salamander_m300_mle")
  m <- model_for(cs)
  o1 <- mcla_objective(m, cs$par, workers = 1)
  o2 <- mcla_objective(m, cs$par, workers = 2)
  expect_identical(o1, o2)
  parts <- list(mcla_partial(m, cs$par, c(1, 256)), mcla_partial(m, cs$par, c(257, 300)))
  mg <- mcla_merge(m, cs$par, parts)
  expect_identical(mg$value, o1$value)
  expect_equal(mg$gradient, unname(o1$gradient), tolerance = 1e-14)
})

test_that("outside the parameter space gives -Inf, as glmm's objfun", {
  cs <- ref_case("boothhobert_m100_mle")
  m <- model_for(cs)
  o <- mcla_objective(m, c(cs$par[1], -1))
  expect_equal(o$value, -Inf)
  expect_match(o$outside, "nu|variance|parameter")
})

test_that("the salamander data and glmm's formulas give the reference X and Z", {
  cs <- ref_case("salamander_m300_mle")
  spec <- glmmgo:::glmm_model_spec(Mate ~ 0 + Cross, list(~ 0 + Female, ~ 0 + Male), c("F", "M"),
                                   salamander, bernoulli.glmm, NULL, NULL)
  expect_equal(unname(spec$X), cs$X, ignore_attr = TRUE)
  Z <- matrix(0, cs$n, cs$q); Z[cbind(cs$Z$row, cs$Z$col)] <- cs$Z$val
  expect_equal(unname(spec$Z), Z, ignore_attr = TRUE)
  expect_equal(spec$nrandom, cs$nrandom)
  ## varcomps.equal puts the two formulas on one component
  spec2 <- glmmgo:::glmm_model_spec(Mate ~ 0 + Cross, list(~ 0 + Female, ~ 0 + Male), "FM",
                                    salamander, bernoulli.glmm, c(1, 1), NULL)
  expect_equal(spec2$nrandom, 120)
  bh <- ref_case("boothhobert_m100_mle")
  spec3 <- glmmgo:::glmm_model_spec(y ~ 0 + x1, list(y ~ 0 + z1), "z1", BoothHobert, bernoulli.glmm, NULL, NULL)
  expect_equal(unname(spec3$X), bh$X, ignore_attr = TRUE)
})

test_that("bad MCLA input gives messages a user can act on", {
  s <- salamander
  expect_error(glmm(Mate ~ 0 + Cross, list(~ 0 + Femal), "F", data = s, family.glmm = bernoulli.glmm, m = 10),
               "Femal.*not found")
  s2 <- s; s2$Mate[3] <- 2
  expect_error(glmm(Mate ~ 0 + Cross, list(~ 0 + Female), "F", data = s2, family.glmm = bernoulli.glmm, m = 10),
               "0 or 1.*observation 3 is 2")
  s3 <- s; s3$Mate[5] <- -1
  expect_error(glmm(Mate ~ 0 + Cross, list(~ 0 + Female), "F", data = s3, family.glmm = poisson.glmm, m = 10),
               "non-negative.*observation 5")
  expect_error(glmm(Mate ~ 0 + Cross, list(~ 0 + Female), "F", data = s, family.glmm = bernoulli.glmm, m = 10,
                    weights = c(1, 2)), "'weights'.*360")
  s4 <- s; s4$one <- factor("a")
  expect_error(glmm(Mate ~ 0 + Cross, list(~ 0 + one), "o", data = s4, family.glmm = bernoulli.glmm, m = 10),
               "only one level")
  expect_error(glmm(Mate ~ 0 + Cross, list(~ 0 + Female), c("F", "M"), data = s, family.glmm = bernoulli.glmm,
                    m = 10), "2 names but there are 1")
  expect_error(glmm(Mate ~ 0 + Cross, list(~ 0 + Female), "F", data = s, family.glmm = bernoulli.glmm, m = 10,
                    p1 = 0.5, p2 = 0.5, p3 = 0.5), "sum")
  expect_error(glmm(Mate ~ 0 + Cross, list(~ 0 + Female), "F", data = s, family.glmm = bernoulli.glmm),
               "'m'")
  expect_error(glmm(cbind(Mate, 1 - Mate) ~ 0 + Cross, list(~ 0 + Female), "F", data = s,
                    family.glmm = bernoulli.glmm, m = 10), "vector response")
  s2 <- s; s2$Mate <- 2 * s2$Mate
  expect_error(glmm(Mate ~ 0 + Cross, list(~ 0 + Female), "F", data = s2, family.glmm = binomial.glmm, m = 10),
               "must be 0 or 1.*cbind")
  expect_error(negbinomial.glmm(-1), "positive")
  expect_error(mcla_model(1:3, matrix(1, 2, 1), diag(3), 3), "X has 2 rows")
})

test_that("engine errors carry the library's message", {
  expect_error(mcla_model(c(0, 1, 0), matrix(1, 3, 1), matrix(c(1, 1, 0, 0, 0, 0), 3, 2), c(1, 1)),
               "glmmgo_mcla_new: .*column")
  cs <- ref_case("boothhobert_m100_mle")
  m <- model_for(cs)
  expect_error(mcla_objective(m, 1), "2 numbers")
  glmmgo:::free_handle(m$ptr)
  expect_error(mcla_objective(m, cs$par), "freed")
})

test_that("a forked child errors cleanly instead of calling the engine", {
  skip_on_os("windows")
  skip_if_not_installed("parallel")
  cs <- ref_case("boothhobert_m100_mle")
  m <- model_for(cs)
  res <- parallel::mclapply(1:2, function(i) tryCatch(mcla_objective(m, cs$par)$value,
                                                     error = function(e) conditionMessage(e)), mc.cores = 2)
  expect_match(unlist(res), "forked")
  expect_equal(mcla_objective(m, cs$par)$value, cs$value, tolerance = 1e-10)   # parent still fine
})
