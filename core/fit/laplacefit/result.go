package laplacefit

import (
	"time"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/optim"
)

// Result is a fitted GLMM: what lme4's glmer result and MixedModels.jl's
// GeneralizedLinearMixedModel report. Matrices are column-major; θ, ũ, b̃
// and the conditional variances are in the model's term order (terms by
// decreasing number of levels: TermOrder maps it to the caller's).
type Result struct {
	Family family.Code
	Link   family.Link // resolved: never DefaultLink
	Fast   bool        // θ optimised alone, β from PIRLS (lme4's nAGQ = 0)
	NAGQ   int         // nodes of the second stage: 1 is Laplace
	NObs   int
	NPar   int // P + NTheta: the parameters AIC and BIC count (no dispersion)

	Theta     []float64 // θ̂
	Beta      []float64 // β̂ of the kept columns of X
	BetaNames []string
	Kept      []int // kept columns of X
	Dropped   []int // aliased columns of X, dropped as lme4 drops them
	TermOrder []int // for each term in model order, its index in the caller's terms
	SE        []float64
	Vcov      []float64 // p×p covariance of β̂
	// SEMethod says where SE and Vcov come from: "hessian" — the
	// β block of 2H⁻¹, H the finite-difference Hessian of −2 log L in
	// (θ, β) at the optimum (lme4's default for glmer since 1.1-8); or
	// "conditional" — (R_X R_X′)⁻¹ from the last PIRLS factor, the
	// covariance of β̂ given θ̂ (MixedModels.jl's, and lme4's with
	// use.hessian = FALSE): for fast fits, and for slow fits whose Hessian
	// is skipped, not positive definite or at a boundary θ.
	SEMethod   string
	ParVcov    []float64 // (NTheta+P)² covariance of (θ̂, β̂), 2H⁻¹, when SEMethod is "hessian"
	Singular   bool      // a diagonal θ below 1e−4 (lme4's isSingular rule)
	VarCorr    []lmm.TermVarCorr
	U          []float64   // spherical conditional modes ũ
	B          []float64   // conditional modes b̃ = Λ_θ̂ ũ (lme4's ranef)
	CondVar    [][]float64 // per term, one k×k block per level: Var(b | y) at the mode (σ = 1)
	LinearPred []float64   // η̃ = o + Xβ̂ + Zb̃
	Fitted     []float64   // μ̃ on the response scale: the probability (binomial, per trial) or the mean count (lme4's fitted)

	// ResidResponse is y/N − μ̃ (binomial proportions; y − μ̃ for counts),
	// ResidPearson (y − Nμ̃)·√w/√Var, ResidDeviance sign(y − Nμ̃)·√dᵢ with
	// dᵢ = 2wᵢ(log f(yᵢ|yᵢ) − log f(yᵢ|μ̃ᵢ)): lme4's residuals(type = …).
	ResidResponse, ResidPearson, ResidDeviance []float64

	// MinusTwoLogLik is −2 log L at the optimum by the fit's
	// approximation (Laplace, or AGQ with NAGQ nodes), every constant
	// included: the scale of LogLik, AIC, BIC and likelihood-ratio tests.
	MinusTwoLogLik float64
	LogLik         float64
	// Deviance is MixedModels.jl's deviance: the sum of squared deviance
	// residuals + ‖ũ‖² + log|L|² for Laplace (the same shift of
	// −2 log L, by −2 log f_sat, for AGQ). It is what lme4 reports as the
	// deviance of nAGQ > 1 fits.
	Deviance        float64
	SaturatedLogLik float64 // log f_sat, every constant included
	AIC, BIC        float64
	PenalisedDev    float64 // Σ dᵢ + ‖ũ‖² at the mode
	USSQ, LogDetL   float64 // ‖ũ‖², log|L|²

	Start     StartReport
	FastStage StageReport
	SlowStage StageReport // zero for fast fits
	Converged bool        // every stage met its tolerance
	Message   string
	Gradient  []float64 // ∇(−2 log L) at the optimum by central differences: in θ (fast) or (θ, β)
	Hessian   []float64 // its Hessian in (θ, β) (nil for fast fits or NoHessian)
	PIRLSIter int       // PIRLS steps of the whole fit (start, stages, results and derivatives)
	Time      time.Duration
}

// StageReport is one optimisation's account.
type StageReport struct {
	Evals     int
	Objective float64 // −2 log L at the stage's optimum
	Status    string
	Code      optim.Status // why the optimiser stopped (optim.NotTerminated: the stage did not run)
	Converged bool
	Time      time.Duration
}
