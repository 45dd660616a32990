## Reference GLMM fits by lme4's glmer for the Laplace/AGQ tests of
## core/objective/laplace and core/fit/laplacefit, written to
## lme4_glmer.json. Run from this directory:  Rscript lme4_glmer.R
##
## For each model: lme4's estimates (theta in lme4's term order, which is
## the engine's: terms by decreasing number of levels; beta with names and
## standard errors), lme4's deviance() and -2*logLik() (lme4 reports nAGQ > 1
## fits on the deviance-residual scale, Laplace fits on the -2 log L
## scale), the saturated log-likelihood (to move between the two scales),
## lme4's results at the optimum (see results()), the standard errors of
## beta from an accurate Hessian there (se_tight, Laplace fits only),
## and lme4's deviance function at its optimum and two other points
## (devfun_at: the Laplace/AGQ deviance on the deviance-residual scale,
## MixedModels.jl's; for nAGQ = 0 a function of theta alone), which test
## the approximation independently of any optimiser.
suppressMessages({library(lme4); library(mlmRev); library(jsonlite); library(numDeriv)})

cbpp <- read.csv("cbpp.csv", colClasses = c(herd = "factor", period = "factor"))
grouse <- read.csv("grouseticks.csv", colClasses = c(INDEX = "factor", BROOD = "factor", YEAR = "factor", LOCATION = "factor"))
grouse$BROOD <- factor(grouse$BROOD, levels = unique(grouse$BROOD[order(as.numeric(as.character(grouse$BROOD)))]))
verbagg <- read.csv("VerbAgg.csv", stringsAsFactors = TRUE)
verbagg$id <- factor(verbagg$id, levels = as.character(1:316))
contra <- read.csv("Contraception.csv", colClasses = c(district = "factor"), stringsAsFactors = TRUE)
mmmec <- read.csv("Mmmec.csv", colClasses = c(region = "factor"), stringsAsFactors = TRUE)

models <- list(
  list(name = "cbpp", data = "cbpp", family = "binomial",
       formula = cbind(incidence, size - incidence) ~ period + (1 | herd), nAGQ = c(1, 0, 25)),
  list(name = "grouseticks", data = "grouseticks", family = "poisson",
       formula = TICKS ~ YEAR + cHEIGHT + (1 | INDEX) + (1 | BROOD) + (1 | LOCATION), nAGQ = c(1, 0)),
  list(name = "VerbAgg", data = "VerbAgg", family = "binomial",
       formula = r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item), nAGQ = c(1, 0)),
  list(name = "Contraception", data = "Contraception", family = "binomial",
       formula = use ~ age + I(age^2) + urban + livch + (1 | urban:district), nAGQ = c(1, 0, 7)),
  list(name = "Mmmec", data = "Mmmec", family = "poisson", offset = "log(expected)",
       formula = deaths ~ uvb + (1 | region), nAGQ = c(1, 0, 11)))
frames <- list(cbpp = cbpp, grouseticks = grouse, VerbAgg = verbagg, Contraception = contra, Mmmec = mmmec)

## The saturated log-likelihood, every constant included.
saturated <- function(fit) {
  y <- getME(fit, "y"); w <- weights(fit)
  fam <- family(fit)$family
  if (fam == "binomial") sum(dbinom(round(y * w), round(w), y, log = TRUE))
  else sum(dpois(y, y, log = TRUE))
}

fit_one <- function(spec, nAGQ) {
  fr <- frames[[spec$data]]
  args <- list(formula = spec$formula, data = fr, family = spec$family, nAGQ = nAGQ)
  if (!is.null(spec$offset)) args$offset <- with(fr, eval(parse(text = spec$offset)))
  t0 <- proc.time()[["elapsed"]]
  fit <- do.call(glmer, args)
  secs <- proc.time()[["elapsed"]] - t0
  df <- do.call(glmer, c(args, devFunOnly = TRUE))
  th <- getME(fit, "theta"); be <- fixef(fit)
  par <- if (nAGQ == 0) th else c(th, be)
  pts <- list(par, par * 1.05 + 0.01, par * 0.9 - 0.02)
  pts <- lapply(pts, function(p) { p[seq_along(th)] <- pmax(p[seq_along(th)], 0); p })
  list(name = spec$name, dataset = spec$data, formula = paste(deparse(spec$formula), collapse = ""),
       family = spec$family, offset = if (is.null(spec$offset)) "" else spec$offset, nAGQ = nAGQ,
       theta = I(unname(th)), beta = I(unname(be)), beta_names = I(names(be)),
       beta_se = I(unname(sqrt(diag(as.matrix(vcov(fit)))))),
       deviance = deviance(fit), minus_two_loglik = -2 * as.numeric(logLik(fit)),
       saturated_loglik = saturated(fit), nobs = nobs(fit),
       devfun_at = lapply(pts, function(p) list(par = I(unname(p)), value = df(p))),
       warnings = fit@optinfo$conv$lme4$messages, feval = fit@optinfo$feval, lme4_seconds = secs,
       results = results(fit), se_tight = if (nAGQ == 1) I(tight_se(args, c(th, be), length(th))) else I(numeric(0)))
}

## Standard errors of beta from numDeriv's Richardson-extrapolated Hessian
## of lme4's deviance function with its PIRLS tolerance tightened to 1e-13
## (lme4's default 1e-7 leaves noise that its own finite-difference Hessian
## amplifies: its cbpp SEs are 1% off), at lme4's optimum.
tight_se <- function(args, par, nth) {
  args$control <- glmerControl(tolPwrss = 1e-13)
  df <- do.call(glmer, c(args, devFunOnly = TRUE))
  V <- 2 * solve(numDeriv::hessian(df, par))
  unname(sqrt(diag(V))[-seq_len(nth)])
}

## lme4's results at its optimum: fitted values and residuals of the first
## (up to) 30 observations, the conditional modes and variances of the
## first term's levels sorted (the level orders of interaction factors
## differ between R and the Go tests), and sums: what laplacefit.At must
## give at lme4's (theta, beta).
results <- function(fit) {
  head30 <- function(v) I(unname(head(as.numeric(v), 30)))
  re <- ranef(fit, condVar = TRUE)
  first <- names(getME(fit, "flist"))[1]
  b <- re[[first]][[1]]
  cv <- attr(re[[first]], "postVar")[1, 1, ]
  r <- list(fitted = fitted(fit), pearson = residuals(fit, type = "pearson"),
            deviance = residuals(fit, type = "deviance"), response = residuals(fit, type = "response"),
            b = b, condvar = cv)
  out <- lapply(r[1:4], head30)
  names(out) <- names(r)[1:4]
  out$b_sorted <- I(sort(b)); out$condvar_sorted <- I(sort(cv))
  out$sums <- lapply(r, function(v) sum(as.numeric(v)))
  out$first_term <- first
  out$vcov <- I(as.numeric(as.matrix(vcov(fit))))
  out$aic <- AIC(fit); out$bic <- BIC(fit); out$loglik <- as.numeric(logLik(fit))
  out$sd <- I(unname(sapply(VarCorr(fit), function(v) attr(v, "stddev"))))
  out
}

out <- list()
for (spec in models) for (k in spec$nAGQ) out[[length(out) + 1]] <- fit_one(spec, k)
writeLines(toJSON(list(lme4_version = as.character(packageVersion("lme4")), models = out),
                  auto_unbox = TRUE, pretty = TRUE, digits = NA), "lme4_glmer.json")
