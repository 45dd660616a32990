// Package lmm evaluates the profiled deviance of a linear mixed model,
//
//	y = Xβ + Zb + ε,  b = Λ_θ u,  u ~ N(0, σ²I),  ε ~ N(0, σ²W⁻¹),
//
// as a function of the covariance parameters θ alone (Bates et al., "Fitting
// linear mixed-effects models using lme4", J. Stat. Softw. 67(1), 2015,
// eqs. 34 and 41; seed 001 of this project). With the Cholesky factor
//
//	L_θ L_θᵀ = [Λᵀ Z′ZΛ + I   Λᵀ Z′X   Λᵀ Z′y]
//	           [X′ZΛ          X′X      X′y   ]
//	           [y′ZΛ          y′X      y′y   ]
//
// (weighted cross-products throughout: every row of Z, X and y is scaled by
// √wᵢ), whose diagonal gives log|L_Z|² (the random-effects block), log|R_X|²
// (the fixed-effects block) and r_θ (the last element, the square root of the
// penalised weighted residual sum of squares), the criteria are
//
//	ML:   log|L_Z|² + n·(1 + log(2π r²/n)) − Σ log wᵢ
//	REML: log|L_Z|² + log|R_X|² + (n−p)·(1 + log(2π r²/(n−p))) − Σ log wᵢ,
//
// lme4's lmerResp::Laplace. The factor is computed blockwise (the idea of
// MixedModels.jl, seed 001): the random-effects terms are ordered by
// decreasing number of levels; the first term's diagonal block is block
// diagonal (one kₜ×kₜ block per level) and factors level by level; its
// off-diagonal block against everything after it keeps the sparsity of Z′Z;
// everything after the first term (the other terms, then X, then y) forms
// one dense trailing block, the Schur complement, factored by
// core/dense. The sparsity pattern and all cross-products are computed
// once in New; each θ only rescales, downdates and factors, in
// preallocated storage.
package lmm
