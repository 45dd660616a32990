// Package lmm evaluates the profiled deviance of a linear mixed model,
//
//	y = Xβ + Zb + ε,  b = Λ_θ u,  u ~ N(0, σ²I),  ε ~ N(0, σ²W⁻¹),
//
// as a function of the covariance parameters θ alone (Bates, Mächler,
// Bolker and Walker, "Fitting linear mixed-effects models using lme4",
// J. Stat. Softw. 67(1), 2015, sec. 3). With the Cholesky factor
//
//	L_θ L_θ′ = [Λ′Z′WZΛ + I   Λ′Z′WX   Λ′Z′Wy]
//	           [X′WZΛ         X′WX     X′Wy  ]
//	           [y′WZΛ         y′WX     y′Wy  ]
//
// whose diagonal gives log|L_Z|² (the random-effects block), log|R_X|²
// (the fixed-effects block) and r_θ (the last element, the square root of
// the penalised weighted residual sum of squares), the criteria are
// (ibid., eqs. 34 and 41, with lme4's weights term)
//
//	ML:   log|L_Z|² + n·(1 + log(2π r²/n)) − Σ log wᵢ
//	REML: log|L_Z|² + log|R_X|² + (n−p)·(1 + log(2π r²/(n−p))) − Σ log wᵢ.
//
// Appending X and y to Z makes one factorisation yield all three pieces and,
// by back substitution, β̂ and the conditional modes ũ.
//
// # The blocked factor
//
// The factor is computed by blocks, as MixedModels.jl does (D. Bates et
// al., github.com/JuliaStats/MixedModels.jl; the scheme is outlined in
// D. Bates, "Fitting mixed-effects models in R and Julia", talk, 19 July
// 2013).
// The terms are ordered by decreasing number of levels, and the matrix is
// cut into three blocks, each a type with one small method per step:
//
//	[L₁₁     ]   diagBlock: the first term, block diagonal (one k×k block per level)
//	[L₂₁  L₂₂]   offBlock: its rows against everything after it, sparse by level
//	             tailFactor: the other terms, X and y — a denseTail or a sparseTail
//
// Per θ (Evaluate, MixedModels.jl's updateL!): scale by Λ and inflate the
// diagonal blocks (scaleInflate, copyscaleinflate!), factor L₁₁ level by
// level (cholUnblocked!), form L₂₁ = Λ_t′A₂₁Λ₁L₁₁⁻ᵀ (rdivFirst and
// lmulLambdaT: rmulΛ!, rdiv!, lmulΛ!), downdate L₂₂ −= L₂₁L₂₁′ (rankUpdate,
// rankUpdate!) and factor L₂₂.
//
// L₂₂ is the Schur complement of the first term's block. For crossed
// factors it fills in completely and is held dense, factored by the
// blocked Cholesky of core/dense near the machine's peak (MixedModels.jl's
// choice); for nested and partially nested factors (pupils and teachers
// within schools) it stays sparse in a fill-reducing order and is held as
// a supernodal factor (core/sparse/amd, core/sparse/cholesky), the X and y
// rows its dense border — lme4 factors its whole system that way, with
// CHOLMOD (Bates et al. 2015, sec. 3.7). The symbolic analysis predicts
// the sparse factor's nonzeros and flops before any value exists, and New
// takes the cheaper (plan.go), within the memory limit checked before
// anything of that size is allocated.
//
// Like a sparse Cholesky (Bates et al. 2015, sec. 3.7), the work is split by what it
// depends on. The symbolic phase (analyse, in New) depends on the shape
// only — the level codes and sizes: the term order, Λ's layout, L₂₁'s
// pattern and its column index, the storage of every block. The numeric
// phase (fill, in New and Refill) depends on the observations and weights:
// the cross-products Z′WZ, Z′WX, … of every block. Evaluate then only
// rescales, downdates and factors, in preallocated storage, allocating
// nothing. Refill replaces the response and the weights and recomputes the
// cross-products without touching the structure, which is what a
// penalised iteratively reweighted least squares step needs.
//
// # Derivatives with respect to θ
//
// Gradient is analytic. Write A = Λ′Z′WZΛ + I, φᵢ = Λ′zᵢ (observation i's
// row of ZΛ), ∂_p Λ = Λ̇_p (the unit matrix at θ_p's place in its template,
// repeated over the levels), ũ and e = y − Xβ̂ − ZΛũ the solution and
// residual. Jacobi's formula and the envelope theorem on the penalised
// least squares (Murray 2016, arXiv:1602.07527; Bates et al. 2015, sec.
// 3.4) give
//
//	∂_p log|A|   = tr(A⁻¹ ∂_pA) = 2 Σᵢ wᵢ (Λ̇_p′zᵢ)′ A⁻¹ φᵢ
//	∂_p r²       = −2 Σᵢ wᵢ eᵢ zᵢ′Λ̇_p ũ
//	∂_p log|R_X|² = −2 Σᵢ wᵢ (Λ̇_p′zᵢ)′ D Eᵢ,  C = A⁻¹Λ′Z′WX, E = X − ZΛC, D = C(R_X R_Xᵀ)⁻¹
//
// (the last because log|A| + log|R_X|² is log|M| of the system with the
// fixed effects, and M⁻¹'s random-effects block against [φᵢ; xᵢ] is
// A⁻¹φᵢ − D·Eᵢ), and the criteria's derivatives
//
//	ML:   ∂ log|A| + (n/r²) ∂r²        REML: ∂ log|A| + ∂ log|R_X|² + ((n−p)/r²) ∂r².
//
// Λ̇_p′zᵢ has one nonzero, so each sum needs of A⁻¹ only the entries
// between random effects that share an observation — the pattern of A.
// They come from the selected inverse (Takahashi, Fagan and Chin 1973) on
// the blocked factor (selinv.go): Z₂₂ = (L₂₂L₂₂′)⁻¹ (dense, or on the sparse
// factor's pattern by core/sparse/cholesky), then Z₂₁ and Z₁₁ level by
// level of the first term.
//
// Hessian differences the analytic gradient (central differences, 2·NTheta
// gradients), for two functions of θ: the profiled criterion
// (SigmaProfiled, lme4's devfun) and the deviance with σ held at σ̂(θ)
// (SigmaFixed) — the latter is what MixedModels.jl's
// ForwardDiff.hessian(model) reports, and reproduces its sleepstudy and
// dyestuff2 values. They differ by (d/r⁴)·∂r²·∂r²ᵀ, d = n or n − p.
package lmm
