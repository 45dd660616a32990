#!/usr/bin/env Rscript
# Converts glmmgo's MCLA reference cases (JSON, made with glmm 1.4.5, in the
# repository's testdata/mcla) into .rds files under inst/testdata/, and
# rebuilds the two example data sets (salamander, BoothHobert) from the
# y, X and Z the cases carry. Needs jsonlite (a tool-time dependency only;
# the package itself never parses JSON).
#
#   Rscript tools/convert_refs.R [reference-dir]   (run from bindings/R)
args <- commandArgs(TRUE)
refdir <- if (length(args)) args[[1]] else "../../testdata/mcla"
stopifnot(dir.exists(refdir), requireNamespace("jsonlite", quietly = TRUE))
dir.create("inst/testdata", showWarnings = FALSE, recursive = TRUE)
dir.create("data", showWarnings = FALSE)

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

# Data sets, from the cases' design matrices (the same in every case of a model).
sal <- read_case(file.path(refdir, "salamander_m300_mle.json"))
zf <- sal$Z[sal$Z$col <= 60, ]; zm <- sal$Z[sal$Z$col > 60, ]
female <- integer(sal$n); female[zf$row] <- zf$col
male <- integer(sal$n); male[zm$row] <- zm$col - 60L
cross <- c("R/R", "R/W", "W/R", "W/W")[max.col(sal$X)]
salamander <- data.frame(Mate = as.integer(sal$y), Cross = factor(cross),
                         Female = factor(female, levels = 1:60), Male = factor(male, levels = 1:60))
save(salamander, file = "data/salamander.rda", compress = "xz")
bh <- read_case(file.path(refdir, "boothhobert_m100_mle.json"))
grp <- integer(bh$n); grp[bh$Z$row] <- bh$Z$col
BoothHobert <- data.frame(y = as.integer(bh$y), x1 = as.numeric(bh$X[, 1]),
                          z1 = factor(grp, levels = seq_len(bh$q)))
save(BoothHobert, file = "data/BoothHobert.rda", compress = "xz")
cat("wrote data/salamander.rda, data/BoothHobert.rda\n")
