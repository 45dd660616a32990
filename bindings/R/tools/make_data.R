#!/usr/bin/env Rscript
# Builds the package's example data sets (data/salamander.rda,
# data/BoothHobert.rda) from the repository's CSV copies of glmm's data
# (testdata/glmm/*.csv, factor level orders in testdata/glmm/columns.json),
# so that they are glmm's own data: the same rows, columns and factor
# levels. internal/fixtures checks that the .rda files and the CSVs agree.
# Needs jsonlite (a tool-time dependency only).
#
#   Rscript tools/make_data.R [testdata/glmm directory]   (run from bindings/R)
args <- commandArgs(TRUE)
dir <- if (length(args)) args[[1]] else "../../testdata/glmm"
stopifnot(dir.exists(dir), requireNamespace("jsonlite", quietly = TRUE))
columns <- jsonlite::fromJSON(file.path(dir, "columns.json"), simplifyVector = TRUE)

read_set <- function(name) {
  d <- read.csv(file.path(dir, paste0(name, ".csv")), colClasses = "character")
  spec <- columns[[name]]
  for (v in names(d)) {
    s <- spec[[v]]
    d[[v]] <- switch(s$type,
                     factor = factor(d[[v]], levels = s$levels),
                     integer = as.integer(d[[v]]),
                     as.numeric(d[[v]]))
  }
  d
}

dir.create("data", showWarnings = FALSE)
salamander <- read_set("salamander")
save(salamander, file = "data/salamander.rda", compress = "xz")
BoothHobert <- read_set("BoothHobert")
save(BoothHobert, file = "data/BoothHobert.rda", compress = "xz")
cat("wrote data/salamander.rda, data/BoothHobert.rda\n")
