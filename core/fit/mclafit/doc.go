// Package mclafit fits a GLMM by Monte Carlo likelihood approximation, the
// whole of glmm's glmm() in Go (C. Knudson, Monte Carlo Likelihood
// Approximation for Generalized Linear Mixed Models, PhD thesis, University
// of Minnesota, 2016; S. Benson, Generalized Linear Mixed Models and
// Parallel Computing in R):
//
//  1. PQL (package pql) gives β_pql, ν_pql, u* and D*, or the caller's
//     starting values replace it (glmm's par.init / doPQL = FALSE: u* = 0,
//     D* = diag(ν_init)).
//  2. The importance density f̃ = p₁ t_ζ(0, D*) + p₂ N(u*, D*) + p₃ N(u*, Σ̃)
//     with Σ̃⁻¹ = Z′ diag(wᵢ·(−ℓ″(η*ᵢ))) Z + D*⁻¹, η* = o + Xβ_pql + Zu*
//     (package importance: built once, Σ̃⁻¹ factored once for both the log
//     density and the draws), and m samples from it, drawn block by block
//     into the MCLA model.
//  3. The MCLA log-likelihood l_m(β, ν) (package objective/mcla) is
//     maximised by the trust-region method (package optim/trust, which
//     minimises −l_m), from (β_pql, ν_pql) with glmm's radii.
//  4. Inference at the maximum (θ̂ = (β̂, ν̂), H = ∇²l_m(θ̂)):
//     standard errors √diag(−H⁻¹); z = θ̂/SE with two-sided p-values for β
//     and one-sided ones for ν (glmm's summary, "Pr(>|z|)/2"); Wald
//     intervals θ̂ ± z_{(1+level)/2}·SE; and the Monte Carlo covariance of
//     θ̂, glmm's mcvcov: H⁻¹ V H⁻¹ with V = Σ v_k² g_k g_k′ (package mcla,
//     Moments), whose square-rooted diagonal is the MCSE. glmm's mcvcov
//     rebuilds the importance density with the Bernoulli c″ and no
//     weights whatever the family; here V uses the density actually
//     sampled from, so it is right for every family and for weights.
//  5. The effective sample size of the importance weights at θ̂, Kish's
//     (Σ v_k)²/Σ v_k², with a warning flag when it is small — glmm has no
//     such diagnostic, and with q random effects importance sampling can
//     put nearly all the weight on a few samples.
//
// Results depend on the data, options and seed only: not on the number of
// workers (fixed sample blocks with their own streams, merged in order).
//
// FitDispersion estimates a negative binomial dispersion as well, by
// maximising the profile MCLA log-likelihood over it (golden-section
// search, package optim/golden) on one fixed sample.
package mclafit
