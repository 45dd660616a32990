## Fit settings. glmmgoControl() holds everything glmmgo's fits honour;
## lme4's lmerControl()/glmerControl() objects are translated into it,
## setting by setting: those with a meaning here are honoured, the others
## are named in a message saying that they are ignored (never silently).

## A check setting as lme4's .makeCC: an action and a tolerance.
check_setting <- function(action, tol = NULL) {
  actions <- c("ignore", "message", "warning", "stop")
  if (!is.character(action) || length(action) != 1L || !(action %in% actions))
    stop(sprintf("a check action must be one of %s", paste(sQuote(actions), collapse = ", ")), call. = FALSE)
  if (!is.null(tol) && (!is.numeric(tol) || length(tol) != 1L || !is.finite(tol) || tol < 0))
    stop("a check tolerance must be one non-negative number", call. = FALSE)
  list(action = action, tol = tol)
}

glmmgoControl <- function(rhobeg = 0, rhoend = 0, maxeval = 0, calc.derivs = TRUE, restarts = 2L,
                          check.conv.grad = list(action = "warning", tol = 2e-3),
                          check.conv.singular = list(action = "message", tol = 1e-4),
                          check.conv.hess = list(action = "warning", tol = 1e-6),
                          check.nlev.gtreq.5 = "ignore", check.nobs.vs.nRE = "stop",
                          check.nobs.vs.rankZ = "ignore", check.rankX = "message+drop.cols",
                          check.scaleX = "ignore", restart_edge = TRUE, optimizer = c("auto", "bobyqa", "bfgs")) {
  optimizer <- match.arg(optimizer)
  chk <- function(v, nm) {
    if (!is.numeric(v) || length(v) != 1L || !is.finite(v) || v < 0)
      stop(sprintf("glmmgoControl(): '%s' must be one non-negative number (0 = the engine's default)", nm),
           call. = FALSE)
    as.double(v)
  }
  rhobeg <- chk(rhobeg, "rhobeg"); rhoend <- chk(rhoend, "rhoend"); maxeval <- chk(maxeval, "maxeval")
  if (rhobeg > 0 && rhoend > 0 && rhoend > rhobeg)
    stop("glmmgoControl(): 'rhoend' must not exceed 'rhobeg'", call. = FALSE)
  flag <- function(v, nm) {
    if (!is.logical(v) || length(v) != 1L || is.na(v))
      stop(sprintf("glmmgoControl(): '%s' must be TRUE or FALSE", nm), call. = FALSE)
    v
  }
  restarts <- chk(restarts, "restarts")
  action <- function(v, nm, allowed = c("ignore", "message", "warning", "stop")) {
    if (!is.character(v) || length(v) != 1L || !(v %in% allowed))
      stop(sprintf("glmmgoControl(): '%s' must be one of %s", nm, paste(sQuote(allowed), collapse = ", ")),
           call. = FALSE)
    v
  }
  cc <- function(v, nm, tol) {
    if (is.character(v)) v <- list(action = v)
    if (!is.list(v) || is.null(v$action))
      stop(sprintf("glmmgoControl(): '%s' must be an action or list(action, tol)", nm), call. = FALSE)
    check_setting(v$action, v$tol %||% tol)
  }
  structure(list(
    rhobeg = rhobeg, rhoend = rhoend, maxeval = round(maxeval),
    calc.derivs = flag(calc.derivs, "calc.derivs"), restarts = as.integer(restarts),
    restart_edge = flag(restart_edge, "restart_edge"), optimizer = optimizer,
    checkConv = list(check.conv.grad = cc(check.conv.grad, "check.conv.grad", 2e-3),
                     check.conv.singular = cc(check.conv.singular, "check.conv.singular", 1e-4),
                     check.conv.hess = cc(check.conv.hess, "check.conv.hess", 1e-6)),
    checkControl = list(
      check.nlev.gtreq.5 = action(check.nlev.gtreq.5, "check.nlev.gtreq.5"),
      check.nobs.vs.nRE = action(check.nobs.vs.nRE, "check.nobs.vs.nRE"),
      check.nobs.vs.rankZ = action(check.nobs.vs.rankZ, "check.nobs.vs.rankZ"),
      check.rankX = action(check.rankX, "check.rankX",
                           c("message+drop.cols", "silent.drop.cols", "warn+drop.cols", "stop.deficient")),
      check.scaleX = action(check.scaleX, "check.scaleX"))),
    class = "glmmgoControl")
}

## Accept glmmgoControl(), a plain list of its arguments, or lme4's
## lmerControl()/glmerControl().
as_glmmgo_control <- function(control, kind = "lmer") {
  if (is.null(control)) return(glmmgoControl())
  if (inherits(control, "glmmgoControl")) return(control)
  if (inherits(control, "merControl")) return(from_merControl(control, kind))
  if (is.list(control)) {
    bad <- setdiff(names(control), names(formals(glmmgoControl)))
    if (length(bad))
      stop(sprintf("unknown control setting(s) %s: see ?glmmgoControl (or pass lme4's lmerControl())",
                   paste(sQuote(bad), collapse = ", ")), call. = FALSE)
    return(do.call(glmmgoControl, control))
  }
  stop("'control' must come from glmmgoControl() or lme4's lmerControl()", call. = FALSE)
}

## lme4's control object, setting by setting. lme4's own defaults are
## compared with the object so that only the settings a user changed are
## reported as ignored, except the optimizer, which glmmgo never uses
## (it always runs the engine's BOBYQA-type optimiser).
from_merControl <- function(control, kind) {
  ignored <- character()
  oc <- control$optCtrl %||% list()
  num <- function(nm) { v <- oc[[nm]]; if (is.null(v)) 0 else v }
  maxeval <- if (!is.null(oc$maxfun)) oc$maxfun else num("maxeval")
  known_opt <- c("rhobeg", "rhoend", "maxfun", "maxeval")
  other_opt <- setdiff(names(oc), known_opt)
  if (length(other_opt))
    ignored <- c(ignored, sprintf("optCtrl$%s (glmmgo's optimiser takes rhobeg, rhoend and maxfun/maxeval)", other_opt))
  opt <- control$optimizer
  if (!is.null(opt) && !all(opt %in% "bobyqa"))
    ignored <- c(ignored, sprintf("optimizer = \"%s\" (glmmgo always uses its engine's BOBYQA-type optimiser)",
                                  paste(unique(opt), collapse = "\", \"")))
  defaults <- list(use.last.params = FALSE, sparseX = FALSE, standardize.X = FALSE, boundary.tol = 1e-5)
  for (nm in names(defaults))
    if (!is.null(control[[nm]]) && !identical(control[[nm]], defaults[[nm]]))
      ignored <- c(ignored, sprintf("%s = %s", nm, deparse1_(control[[nm]])))
  ck <- control$checkControl %||% list()
  nlev <- ck$check.nobs.vs.nlev %||% "stop"
  if (nlev != "stop")
    stop(sprintf("lmerControl(check.nobs.vs.nlev = \"%s\") cannot be honoured: glmmgo's engine needs every grouping factor to have fewer levels than observations (a level per observation leaves the residual and random-effect variances unidentifiable)",
                 nlev), call. = FALSE)
  gtr1 <- ck$check.nlev.gtr.1 %||% "stop"
  if (gtr1 != "stop")
    stop(sprintf("lmerControl(check.nlev.gtr.1 = \"%s\") cannot be honoured: glmmgo's engine needs every grouping factor to have at least 2 levels",
                 gtr1), call. = FALSE)
  lhs <- ck$check.formula.LHS %||% "stop"
  if (lhs != "stop") ignored <- c(ignored, sprintf("check.formula.LHS = \"%s\" (a fit needs a response)", lhs))
  rankX <- ck$check.rankX %||% "message+drop.cols"
  if (rankX == "ignore") {
    ignored <- c(ignored, "check.rankX = \"ignore\" (the engine always drops aliased columns; treated as \"message+drop.cols\")")
    rankX <- "message+drop.cols"
  }
  scaleX <- ck$check.scaleX %||% "warning"
  if (scaleX %in% c("silent.rescale", "message+rescale", "warn+rescale")) {
    ignored <- c(ignored, sprintf("check.scaleX = \"%s\" (glmmgo does not rescale X; its convergence check copes with badly scaled predictors; treated as \"%s\")",
                                  scaleX, if (scaleX == "silent.rescale") "ignore" else "message"))
    scaleX <- if (scaleX == "silent.rescale") "ignore" else "message"
  }
  if (kind == "lmer" && inherits(control, "glmerControl"))
    ignored <- c(ignored, "the glmer-only settings of glmerControl()")
  cv <- control$checkConv %||% list()
  out <- glmmgoControl(
    rhobeg = num("rhobeg"), rhoend = num("rhoend"), maxeval = maxeval,
    calc.derivs = control$calc.derivs %||% TRUE,
    check.conv.grad = cv$check.conv.grad %||% list(action = "warning", tol = 2e-3),
    check.conv.singular = cv$check.conv.singular %||% list(action = "message", tol = 1e-4),
    check.conv.hess = cv$check.conv.hess %||% list(action = "warning", tol = 1e-6),
    check.nlev.gtreq.5 = ck$check.nlev.gtreq.5 %||% "ignore",
    check.nobs.vs.nRE = ck$check.nobs.vs.nRE %||% "stop",
    check.nobs.vs.rankZ = ck$check.nobs.vs.rankZ %||% "ignore",
    check.rankX = rankX, check.scaleX = scaleX,
    restart_edge = control$restart_edge %||% TRUE)
  if (length(ignored))
    message(sprintf("glmmgo ignores these %s settings: %s", class(control)[1], paste(ignored, collapse = "; ")))
  out
}

## Act on a check: nothing, a message, a warning or an error.
act <- function(action, msg) {
  switch(action, ignore = invisible(NULL), message = message(msg), warning = warning(msg, call. = FALSE),
         stop = stop(msg, call. = FALSE))
}

## glmer()'s settings: lme4's glmerControl() arguments that have a meaning
## for the engine (the optimiser's radii and budget, calc.derivs, the
## checks), and the engine's own: workers, theta_start ("auto": the lower
## of lme4's start and a linear mixed model's; "default": lme4's; "lmm"),
## pirls_tol, pirls_maxiter. lme4's settings without a meaning here
## (optimizer, tolPwrss, nAGQ0initStep, ...) may be given and are named in a
## message as ignored.
glmerControl <- function(optCtrl = list(), calc.derivs = TRUE, check.nlev.gtreq.5 = "ignore",
                         check.nobs.vs.nRE = "ignore", check.nobs.vs.rankZ = "ignore",
                         check.rankX = "message+drop.cols", check.scaleX = "warning",
                         check.conv.grad = list(action = "warning", tol = 2e-3),
                         check.conv.singular = list(action = "message", tol = 1e-4),
                         workers = 0L, theta_start = c("auto", "default", "lmm"), pirls_tol = 1e-24,
                         pirls_maxiter = 100L, ...) {
  lme4_only <- c("optimizer", "restart_edge", "boundary.tol", "use.last.params", "sparseX", "standardize.X",
                 "check.nobs.vs.nlev", "check.nlev.gtr.1", "check.formula.LHS", "check.conv.hess", "mod.type",
                 "tolPwrss", "compDev", "nAGQ0initStep", "check.response.not.const", "optimizer")
  dots <- list(...)
  bad <- setdiff(names(dots), lme4_only)
  if (length(bad) || (length(dots) && is.null(names(dots))))
    stop(sprintf("glmerControl(): unknown setting(s) %s", paste(sQuote(bad), collapse = ", ")), call. = FALSE)
  if (length(dots))
    message(sprintf("glmmgo ignores these glmerControl() settings: %s (the engine's optimiser is BOBYQA, its PIRLS runs to pirls_tol, and its fits always start with the fast stage)",
                    paste(names(dots), collapse = ", ")))
  theta_start <- match.arg(theta_start)
  num <- function(nm) { v <- optCtrl[[nm]]; if (is.null(v)) 0 else v }
  other <- setdiff(names(optCtrl), c("rhobeg", "rhoend", "maxfun", "maxeval"))
  if (length(other)) message(sprintf("glmmgo ignores optCtrl$%s (its optimiser takes rhobeg, rhoend and maxfun/maxeval)", other))
  ctrl <- glmmgoControl(rhobeg = num("rhobeg"), rhoend = num("rhoend"), maxeval = optCtrl$maxfun %||% num("maxeval"),
                        calc.derivs = calc.derivs, check.conv.grad = check.conv.grad,
                        check.conv.singular = check.conv.singular, check.nlev.gtreq.5 = check.nlev.gtreq.5,
                        check.nobs.vs.nRE = check.nobs.vs.nRE, check.nobs.vs.rankZ = check.nobs.vs.rankZ,
                        check.rankX = check.rankX, check.scaleX = check.scaleX)
  if (!is.numeric(workers) || length(workers) != 1L || workers < 0) stop("glmerControl(): 'workers' must be 0 (all CPUs) or a positive number", call. = FALSE)
  if (!is.numeric(pirls_tol) || length(pirls_tol) != 1L || !(pirls_tol > 0)) stop("glmerControl(): 'pirls_tol' must be a positive number", call. = FALSE)
  if (!is.numeric(pirls_maxiter) || length(pirls_maxiter) != 1L || pirls_maxiter < 1) stop("glmerControl(): 'pirls_maxiter' must be a positive number", call. = FALSE)
  ctrl$engine <- glmer_engine_options(ctrl, workers, theta_start, pirls_tol, pirls_maxiter)
  class(ctrl) <- c("glmmgo_glmerControl", class(ctrl))
  ctrl
}

## The engine's options (glmmgo_laplace_options) of a control; 0 keeps a default.
glmer_engine_options <- function(ctrl, workers = 0L, theta_start = "auto", pirls_tol = 1e-24, pirls_maxiter = 100L) {
  o <- list(no_hessian = !ctrl$calc.derivs, workers = as.integer(workers),
            theta_start = match(theta_start, c("auto", "default", "lmm")) - 1L, pirls_tol = as.double(pirls_tol),
            pirls_maxiter = as.double(pirls_maxiter))
  if (ctrl$rhobeg > 0) o$rhobeg <- ctrl$rhobeg
  if (ctrl$rhoend > 0) o$rhoend <- ctrl$rhoend
  if (ctrl$maxeval > 0) o$maxeval <- ctrl$maxeval
  o
}

## Accept glmerControl(), a plain list of its arguments, or lme4's
## glmerControl() (translated as lmerControl's are; its glmer-only settings
## tolPwrss, compDev and nAGQ0initStep are named as ignored when changed).
as_glmer_control <- function(control) {
  if (is.null(control)) return(glmerControl())
  if (inherits(control, "glmmgo_glmerControl")) return(control)
  if (inherits(control, "merControl")) {
    ## lme4's default for glmer: bobyqa for the fast stage, Nelder-Mead for the second
    if (identical(control$optimizer, c("bobyqa", "Nelder_Mead"))) control$optimizer <- "bobyqa"
    ctrl <- from_merControl(control, "glmer")
    ch <- c(if (!identical(control$tolPwrss, 1e-7)) "tolPwrss", if (!isTRUE(control$compDev)) "compDev",
            if (!isTRUE(control$nAGQ0initStep)) "nAGQ0initStep")
    if (length(ch)) message(sprintf("glmmgo ignores these glmerControl settings: %s", paste(ch, collapse = ", ")))
    ctrl$engine <- glmer_engine_options(ctrl)
    class(ctrl) <- c("glmmgo_glmerControl", class(ctrl))
    return(ctrl)
  }
  if (is.list(control) && !inherits(control, "glmmgoControl")) return(do.call(glmerControl, control))
  stop("'control' must come from glmerControl() (glmmgo's or lme4's)", call. = FALSE)
}
