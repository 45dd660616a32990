## mcla.control(): the settings of glmm()'s importance-sampling stages and of
## its automatic sample size (m = "auto"), checked once and passed to the
## engine as fields of glmmgo_mcla_options.

mcla.control <- function(ess = 1000, rel.mcse = 0.05, m.max = 1e7, stages = 5, m.pilot = 1e4, time.max = Inf,
                         sample.memory = 2^32, estimator = "auto") {
  if (!is.character(estimator) || length(estimator) != 1L || !(estimator %in% mcla_estimators))
    stop("mcla.control(): 'estimator' must be \"auto\", \"joint\" or \"blockwise\"", call. = FALSE)
  count <- function(v, nm, lo = 1) {
    if (!is.numeric(v) || length(v) != 1L || !is.finite(v) || v < lo || v != round(v) || v > 2^53)
      stop(sprintf("mcla.control(): '%s' must be one whole number of at least %s", nm, format(lo)), call. = FALSE)
    as.double(v)
  }
  positive <- function(v, nm, lo) {
    if (!is.numeric(v) || length(v) != 1L || is.na(v) || !(v >= lo) || (is.infinite(v) && nm != "time.max"))
      stop(sprintf("mcla.control(): '%s' must be one number of at least %s%s", nm, format(lo),
                   if (nm == "time.max") " (Inf: no limit)" else ""), call. = FALSE)
    as.double(v)
  }
  if (!is.numeric(rel.mcse) || length(rel.mcse) != 1L || !is.finite(rel.mcse) || rel.mcse <= 0)
    stop("mcla.control(): 'rel.mcse' must be one positive number (the largest MCSE, in standard errors)",
         call. = FALSE)
  if (!is.numeric(sample.memory) || length(sample.memory) != 1L || is.na(sample.memory) || sample.memory < 0)
    stop("mcla.control(): 'sample.memory' must be a number of bytes (0: always redraw the samples; Inf: no limit)",
         call. = FALSE)
  time.max <- positive(time.max, "time.max", 0)
  if (time.max > 1e9 && is.finite(time.max))
    stop("mcla.control(): 'time.max' is in seconds; use Inf for no limit", call. = FALSE)
  structure(list(ess = positive(ess, "ess", 1), rel.mcse = as.double(rel.mcse), m.max = count(m.max, "m.max"),
                 stages = count(stages, "stages"), m.pilot = count(m.pilot, "m.pilot"), time.max = time.max,
                 sample.memory = as.double(sample.memory), estimator = estimator),
            class = "mcla.control")
}

## The estimators in the order of their codes (GLMMGO_MCLA_ESTIMATOR_*).
mcla_estimators <- c("auto", "joint", "blockwise")

## A control argument as glmm() accepts it: mcla.control()'s value or a list
## of its arguments.
as_mcla_control <- function(control) {
  if (inherits(control, "mcla.control")) return(control)
  if (is.list(control)) {
    bad <- setdiff(names(control), names(formals(mcla.control)))
    if (length(bad) || (length(control) && is.null(names(control))))
      stop(sprintf("unknown control setting(s) %s: see ?mcla.control", paste(sQuote(bad), collapse = ", ")),
           call. = FALSE)
    return(do.call(mcla.control, control))
  }
  stop("'control' must come from mcla.control()", call. = FALSE)
}

## The engine's options for the stages and the sample size.
mcla_control_opts <- function(ctl) {
  mem <- ctl$sample.memory
  list(stages = as.integer(ctl$stages), m_pilot = ctl$m.pilot, ess_target = ctl$ess, rel_mcse = ctl$rel.mcse,
       m_max = ctl$m.max, time_max = if (is.finite(ctl$time.max)) ctl$time.max else 0,
       sample_memory = if (is.finite(mem)) min(mem, 2^62) else -1,
       estimator = match(ctl$estimator %||% "auto", mcla_estimators) - 1L)
}

print.mcla.control <- function(x, ...) {
  cat("MCLA control settings:\n")
  utils::str(unclass(x), give.head = FALSE, no.list = TRUE)
  invisible(x)
}
