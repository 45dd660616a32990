## Exports the mlmRev data sets the Laplace/AGQ tests use (Contraception,
## Mmmec; mlmRev 1.0-8 as Debian's r-cran-mlmrev ships it) to CSV, and
## records their factor level orders in columns.json, so that the Go tests
## build R's model matrices without R.
##
## Run from this directory:  Rscript export_mlmrev.R
##
## Contraception: use ~ age + I(age^2) + urban + livch + (1|urban:district)
##   (Bernoulli; the grouping factor urban:district is built in the tests
##   from the two columns: its levels are the combinations that occur).
## Mmmec: deaths ~ uvb + (1|region), offset = log(expected) (Poisson).
suppressMessages(library(mlmRev))
library(jsonlite)

describe <- function(df) {
  out <- list()
  for (nm in names(df)) {
    v <- df[[nm]]
    out[[nm]] <- if (is.factor(v)) {
      list(type = if (is.ordered(v)) "ordered" else "factor", levels = levels(v))
    } else if (is.integer(v)) list(type = "integer") else list(type = "numeric")
  }
  out
}

## columns.json in its existing layout: two-space indent, one column per
## block, level lists on one line.
format_columns <- function(cols) {
  q <- function(x) toJSON(x, auto_unbox = TRUE)
  sets <- vapply(names(cols), function(set) {
    entries <- vapply(names(cols[[set]]), function(col) {
      ci <- cols[[set]][[col]]
      body <- paste0('      "type": ', q(ci$type))
      if (!is.null(ci$levels)) {
        body <- paste0(body, ',\n      "levels": ', gsub("\",\"", "\", \"", toJSON(unlist(ci$levels)), fixed = TRUE))
      }
      paste0("    ", q(col), ": {\n", body, "\n    }")
    }, "")
    paste0("  ", q(set), ": {\n", paste(entries, collapse = ",\n"), "\n  }")
  }, "")
  paste0("{\n", paste(sets, collapse = ",\n"), "\n}")
}

## woman and county identify rows (one level per row): not exported.
sets <- list(Contraception = Contraception[, c("district", "use", "livch", "age", "urban")],
             Mmmec = Mmmec[, c("nation", "region", "deaths", "expected", "uvb")])
cols <- fromJSON("columns.json", simplifyVector = FALSE)
for (nm in names(sets)) {
  df <- sets[[nm]]
  write.csv(df, paste0(nm, ".csv"), row.names = FALSE)
  cols[[nm]] <- describe(df)
}
writeLines(format_columns(cols), "columns.json")
