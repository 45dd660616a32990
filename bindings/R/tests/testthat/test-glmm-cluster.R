## glmm(cluster = cl): the sample lives in the workers of a PSOCK cluster on
## this host; the fit is bit-identical to the fit in one process.

cluster_with_glmmgo <- function(k) {
  cl <- parallel::makePSOCKcluster(k)
  parallel::clusterCall(cl, function(p) { .libPaths(p); NULL }, .libPaths())
  cl
}

sal_cluster_fit <- function(...) {
  suppressWarnings(glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
                        data = salamander, family.glmm = bernoulli.glmm, m = 2000, seed = 31, ...))
}

## The one-process fit every cluster fit of salamander is compared with, made once.
sal_one <- local({
  fit <- NULL
  function() {
    if (is.null(fit)) fit <<- sal_cluster_fit(workers = 1)
    fit
  }
})

expect_same_fit <- function(a, b) {
  for (nm in c("beta", "nu", "loglike.value", "loglike.gradient", "loglike.hessian", "se", "mcse", "mcse.glmm",
               "ess", "m", "trust.iterations", "stages"))
    expect_identical(a[[nm]], b[[nm]], info = nm)
}

test_that("salamander on 2 and 3 PSOCK workers is the one-process fit bit for bit", {
  one <- sal_one()
  for (k in 2:3) {
    cl <- cluster_with_glmmgo(k)
    f <- sal_cluster_fit(cluster = cl)
    parallel::stopCluster(cl)
    expect_same_fit(f, one)
    info <- f$cluster.info
    expect_equal(info$workers, k)
    expect_length(info$lost, 0)
    ## bytes per evaluation: at most 64 batch partials of 4 + d + d^2 + n + nvc
    ## doubles (whatever m and q), plus the requests
    d <- 6; n <- nrow(salamander)
    expect_lt(info$bytes.per.evaluation, 8 * 64 * (4 + d + d^2 + n + 2) + k * 2000)
  }
})

test_that("grouseticks (Poisson) on 2 PSOCK workers is the one-process fit bit for bit", {
  gt <- lme4_data("grouseticks")
  gfit <- function(...) suppressWarnings(glmm(TICKS ~ YEAR, random = list(~ 0 + BROOD, ~ 0 + LOCATION),
                                              varcomps.names = c("brood", "location"), data = gt,
                                              family.glmm = poisson.glmm, m = 2000, seed = 8, ...))
  one <- gfit(workers = 1)
  cl <- cluster_with_glmmgo(2)
  on.exit(parallel::stopCluster(cl))
  expect_same_fit(gfit(cluster = cl), one)
})

test_that("a cluster made by future's makeClusterPSOCK (parallelly) is a parallel cluster and works as one", {
  skip_if_slow()
  skip_if_not_installed("parallelly")
  one <- sal_one()
  cl <- parallelly::makeClusterPSOCK(2, verbose = FALSE)
  on.exit(parallel::stopCluster(cl))
  parallel::clusterCall(cl, function(p) { .libPaths(p); NULL }, .libPaths())
  expect_same_fit(sal_cluster_fit(cluster = cl), one)
})

test_that("a worker killed mid-fit: the fit completes with the same result and a warning names it", {
  one <- sal_one()
  cl <- cluster_with_glmmgo(3)
  on.exit(parallel::stopCluster(cl[-2]))
  pids <- unlist(parallel::clusterCall(cl, Sys.getpid))
  old <- options(glmmgo.cluster.hook = function(i, report) {
    if (i == 20) { tools::pskill(pids[2], tools::SIGKILL); Sys.sleep(0.2) }
  })
  on.exit(options(old), add = TRUE)
  expect_warning(
    f <- glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
              data = salamander, family.glmm = bernoulli.glmm, m = 2000, seed = 31, cluster = cl),
    sprintf("lost worker 2 \\(pid %d", pids[2]))
  expect_same_fit(f, one)
  expect_length(f$cluster.info$lost, 1)
  ## the cluster's other workers still answer
  expect_equal(unlist(parallel::clusterCall(cl[-2], function() 1 + 1)), c(2, 2))
})

test_that("a worker that stops answering is dropped after the timeout, with the same result", {
  skip_on_os("windows")
  skip_if_slow()
  one <- sal_one()
  cl <- cluster_with_glmmgo(2)
  pids <- unlist(parallel::clusterCall(cl, Sys.getpid))
  on.exit({ tools::pskill(pids[1], tools::SIGKILL); parallel::stopCluster(cl[-1]) })
  ## 15 s: long enough that the worker still answering is not taken for
  ## lost on a loaded machine (2 s dropped both at a load of 10)
  old <- options(glmmgo.cluster.timeout = 15,
                 glmmgo.cluster.hook = function(i, report) if (i == 10) tools::pskill(pids[1], tools::SIGSTOP))
  on.exit(options(old), add = TRUE)
  expect_warning(f <- glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male), varcomps.names = c("F", "M"),
                           data = salamander, family.glmm = bernoulli.glmm, m = 2000, seed = 31, cluster = cl),
                 sprintf("lost worker 1 \\(pid %d on [^)]*\\): no answer within 15 seconds", pids[1]))
  expect_same_fit(f, one)
})

test_that("no worker left, a stopped cluster, workers without glmmgo: clear errors, the session goes on", {
  cl <- cluster_with_glmmgo(1)
  pid <- parallel::clusterCall(cl, Sys.getpid)[[1]]
  old <- options(glmmgo.cluster.hook = function(i, report) if (i == 3) { tools::pskill(pid, tools::SIGKILL); Sys.sleep(0.2) })
  expect_error(sal_cluster_fit(cluster = cl), "no worker of the cluster is left.*worker 1")
  options(old)
  cl <- cluster_with_glmmgo(2)
  parallel::stopCluster(cl)
  expect_error(sal_cluster_fit(cluster = cl), "glmm\\(cluster =\\): worker 1 cannot take part")
  skip_if(nzchar(system.file(package = "glmmgo", lib.loc = .Library)), "glmmgo is installed in R's own library")
  bare <- parallel::makePSOCKcluster(1)
  on.exit(parallel::stopCluster(bare))
  ## a function of the global environment: one of this file's would carry its
  ## enclosure (a fit, whose functions load glmmgo) to the worker with it
  only_base <- function(lib) { .libPaths(lib); NULL }
  environment(only_base) <- globalenv()
  parallel::clusterCall(bare, only_base, .Library)
  expect_error(sal_cluster_fit(cluster = bare), "worker 1 cannot take part: glmmgo is not installed for this worker's R")
  expect_identical(sal_cluster_fit(workers = 1)$beta, sal_cluster_fit(workers = 2)$beta)
})

## Ctrl-C on the master during a cluster fit (in a child R process, sent
## SIGINT after the first trust iteration): glmm() stops with glmmgo's
## interrupt condition, the answers still on their way are read, and the
## same cluster then fits again, giving what one process gives.
test_that("Ctrl-C stops a cluster fit and leaves the cluster usable", {
  skip_on_os("windows")
  res <- run_child_interrupted(c(
    "library(glmmgo)",
    "cl <- parallel::makePSOCKcluster(2)",
    "r <- tryCatch(glmm(Mate ~ 0 + Cross, list(~ 0 + Female, ~ 0 + Male), c('F', 'M'), data = salamander,",
    "                   family.glmm = bernoulli.glmm, m = 1e5, seed = 1, verbose = TRUE, cluster = cl),",
    "              interrupt = function(e) paste(class(e), collapse = ','))",
    "cat('RESULT', if (is.character(r)) r else 'finished', '\\n')",
    "g <- function(...) glmm(y ~ 0 + x1, list(~ 0 + z1), 'z1', data = BoothHobert, family.glmm = bernoulli.glmm, m = 500, seed = 1, ...)",
    "a <- g(cluster = cl); b <- g(workers = 1)",
    "cat('AFTER', identical(a$beta, b$beta) && identical(a$mcse, b$mcse), length(a$cluster.info$lost), '\\n')",
    "parallel::stopCluster(cl)"))
  expect_gt(length(grep("^iteration", res)), 0)
  expect_true(any(grepl("^RESULT glmmgo_interrupt,interrupt,condition", res)), info = paste(tail(res, 5), collapse = "\n"))
  expect_true(any(grepl("^AFTER TRUE 0", res)), info = paste(tail(res, 5), collapse = "\n"))
})
