## Family objects for MCLA fits, in the form glmm uses: functions returning
## a list with glmm's components (family.glmm, link, cum, cp, cpp,
## checkData), of class c("glmmgo_glmm_family", "glmm.family") so that
## glmm's own glmm() accepts them too. glmm() accepts the function or its
## value, and glmm's family objects (recognised by their family.glmm name).
## `code` is the engine's family code (glmmgo.h, by name from R/codes.R).

family_code <- function(name) glmmgo_header$families[[name]]

new_glmm_family <- function(name, link, code, cum, cp, cpp, check, extra = list()) {
  structure(c(list(family.glmm = name, link = link, code = code, cum = cum, cp = cp, cpp = cpp,
                   checkData = check), extra),
            class = c("glmmgo_glmm_family", "glmm.family"))
}

bernoulli.glmm <- function() {
  new_glmm_family("bernoulli.glmm", "logit", family_code("GLMMGO_BERNOULLI"),
    cum = function(eta) ifelse(eta > 0, eta + log1p(exp(-eta)), log1p(exp(eta))),
    cp = function(eta) stats::plogis(eta),
    cpp = function(eta) stats::plogis(eta) * stats::plogis(-eta),
    check = function(y) {
      bad <- which(!(y %in% c(0, 1)))
      if (length(bad))
        stop(sprintf("the response must be 0 or 1 for bernoulli.glmm: observation %d is %s%s",
                     bad[1], format(y[bad[1]]),
                     if (length(bad) > 1) sprintf(" (and %d more)", length(bad) - 1) else ""),
             call. = FALSE)
      invisible(TRUE)
    })
}

poisson.glmm <- function() {
  new_glmm_family("poisson.glmm", "log", family_code("GLMMGO_POISSON"),
    cum = function(eta) exp(eta), cp = function(eta) exp(eta), cpp = function(eta) exp(eta),
    check = function(y) check_counts(y, "poisson.glmm"))
}

binomial.glmm <- function() {
  new_glmm_family("binomial.glmm", "logit", family_code("GLMMGO_BINOMIAL"),
    cum = function(eta, ntrials = 1) ntrials * ifelse(eta > 0, eta + log1p(exp(-eta)), log1p(exp(eta))),
    cp = function(eta, ntrials = 1) ntrials * stats::plogis(eta),
    cpp = function(eta, ntrials = 1) ntrials * stats::plogis(eta) * stats::plogis(-eta),
    check = function(y) check_counts(y, "binomial.glmm"))
}

## Negative binomial with log link and size (dispersion) r:
## Var y = mu + mu^2 / size. glmm has no such family; this is glmmgo's. With
## size = NULL, glmm() estimates the size within size.range (by the profile
## MCLA log-likelihood, glmmgo_mcla_fit with dispersion_lo and _hi).
negbinomial.glmm <- function(size = NULL, size.range = c(0.01, 100)) {
  if (!is.null(size) && (!is.numeric(size) || length(size) != 1L || !is.finite(size) || size <= 0))
    stop("negbinomial.glmm(size): 'size' must be one positive finite number (Var y = mu + mu^2/size), or NULL to estimate it",
         call. = FALSE)
  if (is.null(size) && (!is.numeric(size.range) || length(size.range) != 2L || any(!is.finite(size.range)) ||
                        size.range[1] <= 0 || size.range[1] >= size.range[2]))
    stop("negbinomial.glmm(size.range =): must be c(lower, upper) with 0 < lower < upper", call. = FALSE)
  new_glmm_family("negbinomial.glmm", "log", family_code("GLMMGO_NEGBINOMIAL"),
    cum = function(eta) stop("the negative binomial family has no cumulant function"),
    cp = function(eta) exp(eta),
    cpp = function(eta) exp(eta),
    check = function(y) check_counts(y, "negbinomial.glmm"),
    extra = list(size = size, size.range = if (is.null(size)) size.range))
}

check_counts <- function(y, fam) {
  bad <- which(y < 0 | y != round(y))
  if (length(bad))
    stop(sprintf("the response must be non-negative whole counts for %s: observation %d is %s%s",
                 fam, bad[1], format(y[bad[1]]),
                 if (length(bad) > 1) sprintf(" (and %d more)", length(bad) - 1) else ""),
         call. = FALSE)
  invisible(TRUE)
}

print.glmmgo_glmm_family <- function(x, ...) {
  cat("Family:", x$family.glmm, "\nLink:  ", x$link, "\n")
  if (!is.null(x$size)) cat("Size:  ", format(x$size), "\n")
  else if (!is.null(x$size.range))
    cat("Size:   estimated in [", format(x$size.range[1]), ", ", format(x$size.range[2]), "]\n", sep = "")
  invisible(x)
}

## Resolve a family given as a function, a name, or a family object.
resolve_glmm_family <- function(family.glmm) {
  if (is.character(family.glmm)) {
    fn <- switch(family.glmm, bernoulli.glmm = , bernoulli = bernoulli.glmm,
                 poisson.glmm = , poisson = poisson.glmm,
                 binomial.glmm = , binomial = binomial.glmm,
                 stop(sprintf("unknown family.glmm '%s': use bernoulli.glmm, poisson.glmm, binomial.glmm or negbinomial.glmm(size)",
                              family.glmm), call. = FALSE))
    family.glmm <- fn
  }
  if (is.function(family.glmm)) family.glmm <- family.glmm()
  if (!inherits(family.glmm, "glmm.family"))
    stop("'family.glmm' must be bernoulli.glmm, poisson.glmm, binomial.glmm or negbinomial.glmm(size)",
         call. = FALSE)
  if (!inherits(family.glmm, "glmmgo_glmm_family")) {
    ## a family object of the package glmm: glmmgo's family of that name
    name <- family.glmm$family.glmm
    if (!is.character(name) || length(name) != 1L || !(name %in% c("bernoulli.glmm", "poisson.glmm", "binomial.glmm")))
      stop(sprintf("'family.glmm': glmmgo knows glmm's families bernoulli.glmm, poisson.glmm and binomial.glmm, not '%s'",
                   format(name)), call. = FALSE)
    family.glmm <- switch(name, bernoulli.glmm = bernoulli.glmm(), poisson.glmm = poisson.glmm(),
                          binomial.glmm = binomial.glmm())
  }
  family.glmm
}
