#!/usr/bin/env Rscript
# Converts glmmgo's MCLA reference cases (JSON, made with glmm 1.4.5, in the
# repository's testdata/mcla) into .rds files under inst/testdata/ (the
# example data sets are made by tools/make_data.R). Needs jsonlite (a
# tool-time dependency only; the package itself never parses JSON).
# internal/fixtures checks that the .rds files and the JSON agree.
#
#   Rscript tools/convert_refs.R [reference-dir]   (run from bindings/R)
args <- commandArgs(TRUE)
refdir <- if (length(args)) args[[1]] else "../../testdata/mcla"
stopifnot(dir.exists(refdir), requireNamespace("jsonlite", quietly = TRUE))
dir.create("inst/testdata", showWarnings = FALSE, recursive = TRUE)

read_case <- function(f) {
  j <- jsonlite::fromJSON(f, simplifyVector = TRUE)
  n <- j$n; p <- j$p; q <- j$q; d <- p + j$T
  list(name = j$name, file = basename(f), family = j$family, n = n, p = p, q = q, T = j$T, m = j$m,
       y = as.numeric(j$y), ntrials = as.numeric(j$ntrials), weights = as.numeric(j$weights),
       X = matrix(as.numeric(j$X), n, p),
       Z = data.frame(row = as.integer(j$Z$row) + 1L, col = as.integer(j$Z$col) + 1L,
                      val = as.numeric(j$Z$val)),
       nrandom = as.integer(j$nrandom), zeta = as.numeric(j$zeta), p_mix = as.numeric(j$p_mix),
       beta_pql = as.numeric(j$beta_pql), nu_pql = as.numeric(j$nu_pql),
       u_star = as.numeric(j$u_star), D_star = as.numeric(j$D_star),
       Sigmuh_inv = matrix(as.numeric(j$Sigmuh_inv), q, q),
       umat = matrix(as.numeric(j$umat), j$m, q),
       par = as.numeric(j$par), value = as.numeric(j$value),
       gradient = as.numeric(j$gradient), hessian = matrix(as.numeric(j$hessian), d, d),
       mcvcov = if (!is.null(j$mcvcov)) matrix(as.numeric(j$mcvcov), d, d),
       mcse = if (!is.null(j$mcse)) as.numeric(j$mcse),
       se = if (!is.null(j$se)) as.numeric(j$se))
}

files <- sort(list.files(refdir, pattern = "\\.json$", full.names = TRUE))
for (f in files) {
  cs <- read_case(f)
  out <- file.path("inst/testdata", sub("\\.json$", ".rds", basename(f)))
  saveRDS(cs, out, compress = "xz")
  cat("wrote", out, "\n")
}
