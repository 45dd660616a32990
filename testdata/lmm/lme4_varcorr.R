# Writes lme4_varcorr.json: lme4's VarCorr (standard deviations and
# correlations of each random-effects term, and the residual standard
# deviation) with the theta and sigma they belong to, for models whose
# terms have 1, 2 and 3 columns. Run with R and lme4 installed:
#   Rscript lme4_varcorr.R > lme4_varcorr.json
suppressMessages(library(lme4))
ctrl <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-10))
models <- list(
  list(name = "dyestuff_ml", data = "Dyestuff", formula = "Yield ~ 1 + (1|Batch)", REML = FALSE),
  list(name = "sleepstudy_ml", data = "sleepstudy", formula = "Reaction ~ 1 + Days + (1 + Days|Subject)", REML = FALSE),
  list(name = "sleepstudy_reml", data = "sleepstudy", formula = "Reaction ~ 1 + Days + (1 + Days|Subject)", REML = TRUE),
  list(name = "sleepstudy_quadratic_reml", data = "sleepstudy",
       formula = "Reaction ~ 1 + Days + (1 + Days + I(Days^2)|Subject)", REML = TRUE),
  list(name = "penicillin_ml", data = "Penicillin", formula = "diameter ~ 1 + (1|plate) + (1|sample)", REML = FALSE),
  list(name = "pastes_ml", data = "Pastes", formula = "strength ~ 1 + (1|batch) + (1|batch:cask)", REML = FALSE)
)
num <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
out <- character()
for (m in models) {
  fit <- suppressWarnings(lmer(as.formula(m$formula), data = get(m$data), REML = m$REML, control = ctrl))
  vc <- VarCorr(fit)
  terms <- character()
  for (g in names(vc)) { # lme4's term order, the order of theta
    v <- vc[[g]]
    sd <- attr(v, "stddev")
    corr <- attr(v, "correlation")
    terms <- c(terms, sprintf('{"group": "%s", "sd": %s, "corr": %s}', g, num(sd), num(as.vector(corr))))
  }
  out <- c(out, sprintf('  {"name": "%s", "formula": "%s", "REML": %s, "theta": %s, "sigma": %.17g, "terms": [%s]}',
                        m$name, m$formula, tolower(m$REML), num(getME(fit, "theta")), sigma(fit),
                        paste(terms, collapse = ", ")))
}
cat(sprintf('{\n "source": "lme4 %s VarCorr(), bobyqa rhoend = 1e-10; corr is the k x k correlation matrix, column-major",\n "models": [\n%s\n ]\n}\n',
            packageVersion("lme4"), paste(out, collapse = ",\n")))
