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
//     (package importance: built once from Z's rows, Σ̃⁻¹ factored once for
//     both the log density and the draws — sparse, in a fill-reducing order,
//     from q = 200 when its factor is at most a quarter full, never formed
//     q×q; else dense, glmm's), and m samples from it, drawn block by block
//     into the MCLA model.
//  3. The MCLA log-likelihood l_m(β, ν) (package objective/mcla) is
//     maximised by the trust-region method (package optim/trust, which
//     minimises −l_m), from (β_pql, ν_pql) with glmm's radii.
//  4. Inference at the maximum (θ̂ = (β̂, ν̂), H = ∇²l_m(θ̂)):
//     standard errors √diag(−H⁻¹); z = θ̂/SE with two-sided p-values for β
//     and one-sided ones for ν (glmm's summary, "Pr(>|z|)/2"); Wald
//     intervals θ̂ ± z_{(1+level)/2}·SE; and the Monte Carlo standard
//     errors (below).
//  5. The effective sample size of the importance weights at θ̂, Kish's
//     (Σ v_k)²/Σ v_k² (L. Kish, Survey Sampling, Wiley, 1965), with a
//     warning flag when it is small — glmm has no such diagnostic, and
//     with q random effects importance sampling can put nearly all the
//     weight on a few samples.
//
// # The blockwise estimator
//
// When the random effects split into two or more conditionally
// independent blocks (zterms.BlocksOf: broods nested in locations, pupils
// in schools), the likelihood is the product of one integral per block,
// and the blockwise estimator (package objective/mcla, SetProduct)
// averages each block's importance weights separately, with the product
// density Π_b f̃_b — each factor glmm's mixture restricted to the block,
// Σ̃_b⁻¹ the block of Σ̃⁻¹ (which is block diagonal over the blocks). The
// joint estimator's log-weight is the sum of the blocks' log-weights, so
// its variance grows with the number of blocks until a few samples carry
// all the weight: grouseticks (63 blocks) has a joint ESS of 1–2 % even
// for the exact Laplace normal. The fit's ESS is then the smallest
// block's (the automatic m's ESS target applies to it; JointESS is the
// joint weights' on the same samples, for comparison); each stage builds
// the product density at its own centre; the jackknife deletes a group of
// samples from every block at once (the estimate is a smooth function of
// the blocks' means), and its effective number of groups is the smallest
// block's. Options.Estimator chooses: EstimatorAuto is blockwise for m =
// "auto" on a design of two or more blocks and joint with a given m, which
// keeps glmm's estimator — and glmm's numbers — for fits meant to be
// compared with glmm; a single block is the joint estimator either way.
// Partials carry one sub-partial per block, so a sample held by other
// processes (Evaluator) gives the same fit bit for bit.
//
// # Monte Carlo standard errors
//
// glmm's Monte Carlo covariance of θ̂ is the sandwich H⁻¹ V H⁻¹ with
// V = Σ v_k² g_k g_k′ (v_k the normalised importance weights, g_k the
// per-sample scores; package mcla, Moments), kept as MCVcovGlmm and
// MCSEGlmm. It is the delta-method variance of a ratio estimator and is
// honest only when the weights' variance is finite and the sample large
// enough for the weights' empirical moments to be near their expectations;
// with the weights of a poor density (ESS of a few) it understates the
// spread of θ̂ over seeds tenfold (salamander at m = 10⁴).
//
// The reported MCSE is instead a delete-a-group jackknife over the sample's
// fixed groups (the objective's batches of whole blocks, at least 32 of
// them; J. Shao and D. Tu, The Jackknife and Bootstrap, Springer, 1995,
// §5.2; groups of unequal size as F. Busing, E. Meijer and R. van der
// Leeden, Statistics and Computing 9, 1999): θ₋g, the estimate without
// group g, is one Newton step from θ̂ on the other groups' MCLA estimating
// equations (a full re-maximisation for a group holding over a tenth of
// the weight, or whose step has no negative definite Hessian), and the
// spread of the θ₋g gives Cov. Because each group's samples are
// independent of the others', the jackknife sees the ratio estimator's
// whole Monte Carlo variability, including that of the weights'
// normalisation, which the sandwich linearises away. Its assumptions: the
// weights have finite variance (the mixture's t component, p₁ > 0, bounds
// them for the densities used here), and there are enough groups carrying
// weight. The second is measured: with W_g a group's total weight, Kish's
// effective number of groups G_e = (Σ W_g)²/Σ W_g² gives the variance
// estimate about G_e − 1 degrees of freedom, and Cov is multiplied by
// (G_e − 1)/χ²_{G_e−1}(½), which makes it median-unbiased for a χ² with
// that many degrees of freedom. Below five effective groups the spread
// cannot be estimated (a χ² with under three degrees of freedom is often
// near zero in one of several directions) and the MCSE is +Inf: a fit
// whose weight sits in a few samples (a tiny ESS) never reports a small
// MCSE. A group without which the estimate is undefined makes it +Inf
// too.
//
// # Stages and the automatic sample size
//
// glmm's density is centred at the PQL estimate, which for crossed designs
// (salamander) lies far enough from the MLE that a single draw can carry
// nearly all the weight. With Options.Stages > 1 the fit rebuilds the
// density at its own estimate: each stage draws a fresh sample (seed per
// stage) of PilotM from a density built at the best previous stage's
// estimate θ — u* the conditional mode at θ (by the dense Newton
// iteration, or on the blocked factor of package pql when Σ̃⁻¹ is factored
// sparse), Σ̃ the curvature there,
// D* = diag(ν), and a t component t_ζ(u*, Σ̃) — maximises, and stops when
// every estimate stays within 2√2 MCSEs (the centre is itself an estimate
// with about the same MCSE) or a tenth of an SE of the density's centre,
// with an MCSE resting on at least nine degrees of freedom. Each
// stage is a complete MCLA with a fixed density, so its estimate and MCSE
// are valid on their own; the stage with the largest ESS (whose
// maximisation did not end against a guard that keeps the ESS above a
// tenth of its value at the start) is kept. Stages = 1 is glmm's fit.
//
// With Options.Auto the kept stage's sample then grows — by whole blocks,
// reusing the blocks drawn, since block b's samples depend only on the
// seed and b — until its ESS reaches ESSTarget and every MCSE is at most
// RelMCSE times its SE, or until MMax samples or TimeMax (Fit.AutoStop
// says which); an estimate that moves beyond its MCSE from the density's
// centre while growing gets a new density there first.
//
// Results depend on the data, options and seed only: not on the number of
// workers (fixed sample blocks with their own streams, merged in order).
//
// FitDispersion estimates a negative binomial dispersion as well, by
// maximising the profile MCLA log-likelihood over it (golden-section
// search, package optim/golden) on one fixed sample.
package mclafit
