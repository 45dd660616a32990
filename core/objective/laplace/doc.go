// Package laplace evaluates the Laplace approximation to the log-likelihood
// of a generalised linear mixed model, and for models with one scalar
// random-effects term its adaptive Gauss–Hermite refinement, as lme4's
// glmer (Bates, Mächler, Bolker and Walker, "Fitting linear mixed-effects
// models using lme4", J. Stat. Softw. 67(1), 2015, sec. 5 and the lme4
// vignette "PIRLS") and MixedModels.jl's GeneralizedLinearMixedModel do.
//
// The model is
//
//	η = o + Xβ + ZΛ_θ u,   u ~ N(0, I),   yᵢ | u ~ family with g(E yᵢ/Nᵢ) = ηᵢ
//
// with prior weights wᵢ, trials Nᵢ and the link g of package family.
//
// # PIRLS
//
// The conditional mode ũ of the spherical random effects (and, for the
// fast fit, β̃ with it) maximises Σ wᵢ log f(yᵢ | u) − ‖u‖²/2. Penalised
// iteratively reweighted least squares finds it: at the current η, with
// the Fisher weights Wᵢ = wᵢ·(dμ/dη)²/Var yᵢ and the working response
// zᵢ = ηᵢ − oᵢ + ℓᵢ′/Wᵢ, the penalised weighted least squares problem
//
//	min ‖W^½(z − Xβ − ZΛu)‖² + ‖u‖²
//
// is one Fisher-scoring step (a Newton step for canonical links). It is
// solved by the blocked Cholesky factor of the linear mixed model engine
// (package lmm): Refill puts W and z into the factor's cross-products
// without touching its structure, Solve factors L L′ = Λ′Z′WZΛ + I (X
// appended for the fast fit) and returns the solution. For β held fixed
// (the slow fit) the factor has no X and z excludes Xβ. A step that does
// not decrease the penalised deviance −2Σ wᵢ log f(yᵢ|u) + ‖u‖² is halved.
// The iteration stops when a full step would decrease the penalised
// deviance by less than Tol·(1 + its value) (the decrease the quadratic
// model predicts, ‖W^½Δη‖² + ‖Δu‖², a sum of squares that rounding cannot
// make negative), and the current point, where the factor's weights were
// taken, is the mode.
//
// # The Laplace approximation and its scales
//
// At the mode,
//
//	−2 log L(θ, β) ≈ −2 Σ wᵢ log f(yᵢ | ũ) + ‖ũ‖² + log|L|²
//
// with every constant of f included (binomial coefficients, log y!):
// −2 log L is the scale of logLik, AIC and likelihood-ratio tests, and the
// one every value of this package is on unless named otherwise.
// MixedModels.jl's "deviance" replaces −2 Σ log f by the sum of squared
// deviance residuals, 2·(log f_sat − log f); it differs from −2 log L by the
// constant −2 log f_sat of the saturated model (0 for Bernoulli
// responses), and is reported beside it, named as such.
//
// # Adaptive Gauss–Hermite quadrature
//
// With one scalar term the random effects of different levels are
// independent given the data, the factor is diagonal, L_jj² = 1 +
// λ²Σ_{i∈j} Wᵢzᵢ², and the likelihood is a product of one-dimensional
// integrals (Pinheiro and Bates 1995, J. Comput. Graph. Stat. 4(1); lme4's
// nAGQ, MixedModels.jl's fit(…; nAGQ)). Level j's is approximated with the
// Gauss–Hermite rule (nodes x_k, weights ω_k for e^{−x²/2}) centred at ũ_j
// with spread 1/L_jj:
//
//	L_j ≈ (L_jj·√(2π))⁻¹ Σ_k ω_k exp(g_j(ũ_j + x_k/L_jj) + x_k²/2),
//	g_j(u) = Σ_{i∈j} wᵢ log f(yᵢ | u) − u²/2.
//
// One node is the Laplace approximation exactly, and the value is on the
// same −2 log L scale for every number of nodes (lme4 reports nAGQ > 1
// fits on the deviance-residual scale; this package does not mix them).
package laplace
