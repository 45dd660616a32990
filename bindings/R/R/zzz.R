## Library-level helpers. The engine lives in the package's own shared
## object (libglmmgo linked in as a static archive); see ../configure and
## engine.R (every call into it).

glmmgoVersion <- function() engine_version()

glmmgoWorkers <- function() engine_workers()

glmmgoMemoryLimit <- function(bytes) {
  if (missing(bytes)) return(engine_memory_limit())
  if (!is.numeric(bytes) || length(bytes) != 1L || !is.finite(bytes) || bytes < 0)
    stop("'bytes' must be one non-negative number of bytes (0: the default)", call. = FALSE)
  invisible(engine_memory_limit(bytes))
}

## The library must be the version this package's R code was generated for
## (R/codes.R) and its shim compiled against (the header copied by
## configure): same major and minor version (GLMMGO_VERSION_NUMBER is
## MAJOR*1000000 + MINOR*1000 + PATCH). A mismatch stops loading with an
## error saying which versions differ.
check_engine_version <- function(numbers = engine_version_number(), built_for = glmmgo_header$version_number) {
  fmt <- function(v) sprintf("%d.%d.%d", v %/% 1000000L, (v %/% 1000L) %% 1000L, v %% 1000L)
  for (want in unique(c(built_for, numbers[["header"]]))) {
    if (numbers[["library"]] %/% 1000L != want %/% 1000L)
      stop(sprintf("libglmmgo %s is not the version this package was built for (%s): the major and minor versions must match; reinstall glmmgo from one glmmgo checkout",
                   fmt(numbers[["library"]]), fmt(want)), call. = FALSE)
  }
  invisible(TRUE)
}

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

`%||%` <- function(a, b) if (is.null(a)) b else a

.onLoad <- function(libname, pkgname) {
  check_engine_version()
  ## One call into the engine now: it waits for Go's runtime to finish
  ## starting and attaches R's thread, so that a profiler started later
  ## (Rprof) finds the engine ready to wrap its signal handler (SECURITY.md).
  engine_workers()
  invisible()
}
