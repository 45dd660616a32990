// Package mcla is the Monte Carlo likelihood approximation (MCLA) of a GLMM,
// the objective of the R package glmm (C. Knudson, Monte Carlo Likelihood
// Approximation for Generalized Linear Mixed Models, PhD thesis, University
// of Minnesota, 2016; S. Benson, Generalized Linear Mixed Models and
// Parallel Computing in R, University of St. Thomas, eqs 1–3 and Appendix A).
//
// Model: η = o + Xβ + Zu (o an optional offset), u ~ N(0, D(ν)) with D
// diagonal and ν = (ν₁..ν_T) the variance of each component; column j of Z
// belongs to component t(j). With samples u_k from an importance density f̃
// (package importance),
//
//	log f(y|u)  = Σᵢ wᵢ (yᵢηᵢ − c(ηᵢ))                 (no normalising constants, as glmm)
//	log f_ν(u)  = Σₜ [−(qₜ/2) log(2πνₜ) − sₜ/(2νₜ)],    sₜ = Σ_{j∈t} u_j²
//	b_k         = log f_ν(u_k) + log f(y|u_k) − log f̃(u_k)
//	l_m(β, ν)   = log((1/m) Σ_k e^{b_k})
//
// With normalised weights v_k ∝ e^{b_k} and per-sample score
// g_k = (X′W(y − c′(η_k)), sₜ/(2νₜ²) − qₜ/(2νₜ)) and Hessian H_k,
//
//	∇l_m  = Σ v_k g_k
//	∇²l_m = Σ v_k H_k + Σ v_k g_k g_k′ − ∇l_m ∇l_m′
//
// where H_k is block diagonal: −X′ diag(wᵢ c″(η_ki)) X for β and
// qₜ/(2νₜ²) − sₜ/νₜ³ on the diagonal for ν.
//
// Cost. Everything that does not depend on (β, ν) — log f̃(u_k) and the
// sums of squares sₜ(u_k) — is computed once, when samples are set. Because
// Σ v_k X′ diag(w c″_k) X = X′ diag(Σ v_k w c″_k) X, the β-block of the
// Hessian is accumulated as an n-vector and multiplied out once per call.
// Per sample the work is then one sparse product Zu, one exp and one log1p
// per observation, and the p·n product X′r for the score: one pass, no
// dense n×q or n×n algebra.
//
// Blockwise estimator. When the random effects fall into conditionally
// independent blocks (zterms.BlocksOf: nested designs, one block per
// outermost group), f(y) is the product of one integral per block, and
// SetProduct estimates each by its own importance-sampling average, with
// a product density f̃ = Π_b f̃_b (importance.Product):
//
//	l_m(β, ν) = Σ_b log((1/m) Σ_k e^{b_bk}) + Σ_free log f(y_i | β)
//
// (see SetProduct for b_bk and the derivatives). The log-weight of a
// joint average is the sum of the blocks' log-weights, so its variance is
// about the sum of theirs; averaging per block divides it by about the
// number of blocks, and the effective sample size then scales with m
// instead of collapsing as q grows. (The factorisation is exact: given
// (β, ν) the blocks' random effects are independent a priori and each
// observation depends on one block only.) Its partials keep one
// sub-partial per block
// (parallel.Partial's Blocks), each with its own shift, so that merging
// is exact and bit-identical as above.
//
// Parallelism: samples are processed in the fixed blocks of package
// parallel; each block yields a Partial whose Sums hold, in this order, the
// scaled sums of g (d = p+nvc), of g g′ (d×d, column-major), of w c″ (n) and of
// sₜ (nvc). Merged in block order, results are bit-identical for any number
// of workers, and partials computed elsewhere merge the same way.
package mcla
