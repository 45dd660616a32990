## compare_laplace_mcla(): when does the Laplace approximation matter? The
## same GLMM fitted by glmer() (Laplace or adaptive quadrature) and by
## glmm() (Monte Carlo likelihood approximation, which converges to the
## maximum likelihood estimate as m grows; Knudson, Benson, Geyer and Jones
## 2021, Stat. Comput.), and the differences of every fixed effect and
## variance component in units of the standard errors and of the Monte
## Carlo standard errors. A difference of a fraction of a standard error is
## of no consequence for inference; several Monte Carlo standard errors
## mean the two approximations differ beyond Monte Carlo noise
## (salamander: Laplace's variance components are 15-20 % below MCLA's).

compare_laplace_mcla <- function(glmer_fit, glmm_fit = NULL, m = 10000L, seed = 1L, data = NULL, ...) {
  if (!inherits(glmer_fit, "glmmgo_glmer")) stop("'glmer_fit' must be a glmmgo glmer() fit", call. = FALSE)
  if (is.null(glmm_fit)) glmm_fit <- glmm_of_glmer(glmer_fit, m = m, seed = seed, data = data, ...)
  if (!inherits(glmm_fit, "glmmgo_glmm")) stop("'glmm_fit' must be a glmmgo glmm() fit of the same model", call. = FALSE)
  p <- length(glmer_fit$beta)
  if (length(glmm_fit$beta) != p)
    stop(sprintf("the fits have %d and %d fixed effects: they must be the same model", p, length(glmm_fit$beta)), call. = FALSE)
  vl <- laplace_variances(glmer_fit)
  if (length(glmm_fit$nu) != length(vl$var))
    stop(sprintf("the glmer fit has %d variance components (scalar terms only) and the glmm fit %d: they must be the same model",
                 length(vl$var), length(glmm_fit$nu)), call. = FALSE)
  est_l <- c(glmer_fit$beta, vl$var)
  se_l <- c(glmer_fit$beta.se, vl$se)
  est_m <- c(glmm_fit$beta, glmm_fit$nu)
  d <- est_m - est_l
  tab <- data.frame(Laplace = est_l, MCLA = est_m, difference = d, relative = d / abs(est_l),
                    SE.Laplace = se_l, SE.MCLA = unname(glmm_fit$se), MCSE = unname(glmm_fit$mcse),
                    in.SE = d / unname(glmm_fit$se), in.MCSE = d / unname(glmm_fit$mcse),
                    row.names = c(names(glmer_fit$beta), paste0("var(", names(vl$var), ")")), check.names = FALSE)
  structure(list(table = tab, nAGQ = glmer_fit$nAGQ, m = glmm_fit$m, glmer = glmer_fit, glmm = glmm_fit),
            class = "glmmgo_laplace_mcla")
}

print.glmmgo_laplace_mcla <- function(x, digits = 4, ...) {
  cat(sprintf("Laplace (nAGQ = %d) vs MCLA (m = %d): estimates, differences MCLA - Laplace, in SEs and in MCSEs\n",
              x$nAGQ, x$m))
  print(format(x$table, digits = digits), quote = FALSE)
  big <- rownames(x$table)[abs(x$table$in.SE) > 0.1 & abs(x$table$in.MCSE) > 3]
  if (length(big))
    cat(sprintf("The approximation matters for %s: differences above 0.1 SE and beyond 3 Monte Carlo SEs.\n",
                paste(big, collapse = ", ")))
  else cat("No difference exceeds both 0.1 SE and 3 Monte Carlo SEs.\n")
  invisible(x)
}

## The variance of each scalar random-effects term of a glmer fit and its
## standard error by the delta method from the covariance of theta (present
## when the fit's standard errors come from the Hessian; NA otherwise).
laplace_variances <- function(fit) {
  if (any(vapply(fit$reterms, function(t) length(t$cnms), 1L) != 1L))
    stop("compare_laplace_mcla(): glmm() fits scalar variance components only; the glmer fit has a vector-valued term",
         call. = FALSE)
  th <- fit$theta
  v <- th^2
  names(v) <- vapply(fit$reterms, `[[`, "", "group")
  se <- rep(NA_real_, length(th))
  if (!is.null(fit$par.vcov)) se <- 2 * abs(th) * sqrt(diag(fit$par.vcov)[seq_along(th)])
  list(var = v, se = se)
}

## The glmm() fit of a glmer fit's model: random intercepts of factors
## only, one variance component per term.
glmm_of_glmer <- function(fit, m, seed, data, ...) {
  fam <- fit$family$family
  if (fam == "binomial" && !fit$resp$bernoulli)
    stop("compare_laplace_mcla(): fit the binomial model with glmm() yourself (cbind responses) and pass it as glmm_fit", call. = FALSE)
  fg <- switch(fam, binomial = bernoulli.glmm(), poisson = poisson.glmm(),
               stop(sprintf("compare_laplace_mcla(): no glmm() family for '%s'; pass glmm_fit", fam), call. = FALSE))
  if (!is.null(fit$offset)) stop("compare_laplace_mcla(): the model has an offset; pass glmm_fit", call. = FALSE)
  if (any(vapply(fit$reterms, function(t) !identical(t$cnms, "(Intercept)"), NA)))
    stop("compare_laplace_mcla(): only random intercepts (1 | g) can be translated to glmm(); pass glmm_fit", call. = FALSE)
  if (is.null(data)) data <- eval(fit$call$data, environment(fit$formula))
  groups <- vapply(fit$reterms, `[[`, "", "group")
  random <- lapply(groups, function(g) stats::as.formula(sprintf("~ 0 + %s", g), env = environment(fit$formula)))
  fixed <- fit$fixed.formula
  glmm(fixed, random, varcomps.names = groups, data = data, family.glmm = fg, m = m, seed = seed, ...)
}
