// Package mixlogit is the two-class mixture of logistic random-intercept
// models ("latent-class logistic GLMM"): its data, its parameters, and its
// exact observed-data log-likelihood with gradient and Hessian.
//
// # The model
//
// Subjects i = 1..n are observed on occasions j = 1..T with binary responses
// y_ij and a scalar covariate x_ij. Subject i belongs to a latent class
// c ∈ {1, 2} with probability π_c (π₂ = 1 − π₁) and, given its class, has a
// random intercept z ~ N(0, σ_c²) and independent responses
//
//	P(y_ij = 1 | c, z) = logit⁻¹(β_c x_ij + z).
//
// There is no other intercept: the random intercept has mean 0 in both
// classes, and the covariate is shared by the classes (the parameterisation
// of Z. Wang, "MCEM for GLMM", course project, Renmin University of China,
// 2025, whose data generator draws x_ij ~ N(0, 1) once for both classes).
// The parameter is Ω = (β₁, β₂, σ₁, σ₂, π₁), always in this order (Beta1 …
// Pi1 index every vector and matrix here), with σ_c > 0 a standard
// deviation and 0 < π₁ < 1.
//
// Label switching: the likelihood is unchanged when the class labels are
// exchanged, (β₁, β₂, σ₁, σ₂, π₁) → (β₂, β₁, σ₂, σ₁, 1 − π₁). Estimates are
// reported under the ordering constraint β₁ < β₂ (class 1 is the class with
// the smaller slope); Params.Ordered applies it.
//
// # The exact likelihood
//
// The observed-data log-likelihood is ℓ(Ω) = Σ_i log L_i with
//
//	L_i = Σ_c π_c I_ic,   I_ic = ∫ φ(z; 0, σ_c²) exp(h_i(β_c, z)) dz,
//	h_i(β, z) = Σ_j [y_ij(βx_ij + z) − log(1 + e^{βx_ij+z})].
//
// Each one-dimensional integral is evaluated by a quadrature rule placed
// by the integrand itself, as adaptive Gauss–Hermite quadrature is (Liu and
// Pierce, Biometrika 81:624–629, 1994): with g(z) = log φ(z; 0, σ_c²) +
// h_i(β_c, z), which is strictly concave, the mode ẑ (g′(ẑ) = 0, found by
// Newton's method safeguarded by bisection) and the scale
// s = (−g″(ẑ))^{−1/2} give the trapezoidal rule
//
//	I_ic ≈ h Σ_k e^{g(ẑ + k h)},   h = ½ min(s, 1),
//
// over k = 0, ±1, ±2, … until the terms fall below e^{−40} of the term at
// the mode. For an integrand analytic in a strip |Im z| < d the error of
// the trapezoidal rule decays like e^{−2πd/h} (Trefethen and Weideman,
// SIAM Rev. 56:385–458, 2014); here the logistic factors have their poles
// π from the real axis and the Gaussian factor limits the useful strip to
// a few s, whence h ≤ s/2 and h ≤ 1/2. The rule reaches 1e-12 in log I_ic
// in every design the tests check against composite Gauss–Legendre (T
// from 1 to 50, σ from 0.05 to 10), with about 45 nodes per integral for
// T = 20, σ ≤ 2. Gauss–Hermite quadrature, even adaptive, does not: when σ
// is large, subjects whose responses are all 0 or all 1 have integrands
// that are flat on one side of the mode and fall off within a unit on the
// other, and a 40-node adaptive Gauss–Hermite rule errs by 1e-3 there
// (σ₂ = 10 in Wang's course project).
//
// Derivatives are those of the integrals, differentiated under the integral
// sign and evaluated by the same rule (the nodes are held where the mode put
// them): with v_k ∝ e^{g(z_k)} the normalised node weights and
// d(z) = ∇ log[φ(z; 0, σ_c²) e^{h_i(β_c, z)}] over (β_c, σ_c),
//
//	d(z) = (Σ_j (y_ij − p_ij) x_ij,  −1/σ_c + z²/σ_c³),
//	∇d(z) = diag(−Σ_j p_ij(1 − p_ij) x_ij²,  1/σ_c² − 3z²/σ_c⁴),
//	∇ log I_ic = Σ_k v_k d(z_k),
//	∇² I_ic / I_ic = Σ_k v_k [∇d(z_k) + d(z_k) d(z_k)′].
//
// With r_ic = π_c I_ic / L_i (the posterior class probabilities), the
// subject's gradient is r_ic ∇ log I_ic in (β_c, σ_c) and r_i1/π₁ − r_i2/π₂
// in π₁; its Hessian is Σ_c ∇²(π_c I_ic)/L_i − ∇ℓ_i ∇ℓ_i′, whose only
// entries besides the (β_c, σ_c) blocks r_ic ∇²I_ic/I_ic are the (θ_c, π₁)
// cross terms ± r_ic ∇ log I_ic / π_c (+ for class 1, − for class 2).
//
// Sums over subjects are formed in fixed blocks of subjects combined in
// block order, so every result is bit-identical whatever the number of
// workers.
package mixlogit
