## Scaling of glmm(cluster =) on PSOCK workers on this host (loopback):
## time per objective evaluation (the trust phase's wall time over its
## evaluations) against m and the number of workers, with the bytes that
## cross the network per evaluation, next to the fit in one process.
## Salamander, one importance density (stages = 1), one thread per worker
## process.
##
##   Rscript bindings/R/inst/bench/cluster_scaling.R [m ...]
library(glmmgo)
library(parallel)
args <- commandArgs(TRUE)
ms <- if (length(args)) as.numeric(args) else c(1e4, 1e5, 1e6)
ks <- as.integer(Sys.getenv("GLMMGO_BENCH_WORKERS", "1,2,3") |> strsplit(",") |> unlist())
fit <- function(m, ...) suppressWarnings(glmm(Mate ~ 0 + Cross, random = list(~ 0 + Female, ~ 0 + Male),
                                              varcomps.names = c("F", "M"), data = salamander,
                                              family.glmm = bernoulli.glmm, m = m, seed = 1,
                                              control = mcla.control(stages = 1), ...))
row <- function(m, k, f) {
  ev <- f$trust.evaluations
  data.frame(m = m, workers = k, evaluations = ev, ms.per.eval = 1000 * f$timing[["trust"]] / ev,
             sampling.s = f$timing[["sampling"]], total.s = f$time,
             bytes.per.eval = if (is.null(f$cluster.info)) 0 else f$cluster.info$bytes.per.evaluation)
}
out <- NULL
for (m in ms) {
  one <- fit(m, workers = 1)
  out <- rbind(out, row(m, 0L, one))
  for (k in ks) {
    cl <- makePSOCKcluster(k)
    invisible(clusterCall(cl, function(p) { .libPaths(p); NULL }, .libPaths()))
    f <- fit(m, cluster = cl, workers = 1)
    stopCluster(cl)
    stopifnot(identical(f$beta, one$beta), identical(f$mcse, one$mcse))
    out <- rbind(out, row(m, k, f))
  }
  print(out[out$m == m, ], digits = 4, row.names = FALSE)
}
cat("\nworkers = 0: one process, no cluster\n")
print(out, digits = 4, row.names = FALSE)
