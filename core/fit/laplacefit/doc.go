// Package laplacefit fits generalised linear mixed models by maximising
// the Laplace approximation to the log-likelihood, or for one scalar
// random-effects term its adaptive Gauss–Hermite refinement (package
// laplace), as lme4's glmer and MixedModels.jl's
// GeneralizedLinearMixedModel do (Bates, Mächler, Bolker and Walker,
// J. Stat. Softw. 67(1), 2015; D. Bates et al., MixedModels.jl):
//
//  1. start: θ at lme4's default (1 on the diagonal of every template) or,
//     where its fast objective is lower, at σ̂·θ̂ of a linear mixed model
//     fitted to the working response of the model without random effects
//     (MixedModels.jl pull request 588); the report says which was used;
//  2. the fast stage: θ by BOBYQA (Powell 2009), β̃(θ) and ũ by PIRLS
//     (lme4's nAGQ = 0, MixedModels.jl's fast = true); a fast fit stops
//     here;
//  3. the slow stage: (θ, β) by BOBYQA from the fast optimum, ũ by PIRLS
//     given β, the objective Laplace's or, with NAGQ > 1, the quadrature's
//     (lme4's nAGQ ≥ 1, MixedModels.jl's fast = false);
//  4. the results at the optimum, on one scale: −2 log L with every
//     constant (logLik, AIC, BIC), with MixedModels.jl's deviance (the sum
//     of squared deviance residuals + ‖ũ‖² + log|L|²) beside it, named;
//     the standard errors of a slow fit from the central-difference
//     Hessian of −2 log L in (θ, β) (lme4's glmer default), of a fast fit
//     from the last PIRLS factor (SEMethod says which).
//
// At lme4's optimum the results agree with lme4's (fitted values,
// residuals, conditional modes and variances to 2e−5 relative, limited by
// lme4's PIRLS tolerance), and the standard errors with an accurate
// Hessian of lme4's own deviance function to 1e−6 (lme4's glmer vcov is
// 1% off for cbpp: its finite differences amplify its PIRLS noise).
package laplacefit
