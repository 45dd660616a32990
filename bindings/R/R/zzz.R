## Library-level helpers. The engine lives in the package's own shared
## object (libglmmgo linked in as a static archive); see ../configure and
## engine.R (every call into it).

glmmgoVersion <- function() engine_version()

glmmgoWorkers <- function() engine_workers()

## Internal: coerce to a double vector without attributes (the shim passes
## REAL vectors to the engine without copying, so types are fixed here).
as_dbl <- function(x) {
  if (is.double(x) && is.null(attributes(x))) return(x)
  storage.mode(x) <- "double"
  attributes(x) <- NULL
  x
}

as_dbl_matrix <- function(x) {
  x <- as.matrix(x)
  if (!is.double(x)) storage.mode(x) <- "double"
  d <- dim(x)
  attributes(x) <- NULL
  dim(x) <- d
  x
}

check_workers <- function(workers) {
  if (is.null(workers)) return(0L)
  if (!is.numeric(workers) || length(workers) != 1L || is.na(workers) || workers < 0 ||
      workers != round(workers))
    stop("'workers' must be a single non-negative whole number (0 = all available CPUs)", call. = FALSE)
  as.integer(workers)
}

## Which parts of the engine this build has.
glmmgoFeatures <- function() c(lmm = has_lmm(), mcla_fit = has_mcla_fit())

`%||%` <- function(a, b) if (is.null(a)) b else a
