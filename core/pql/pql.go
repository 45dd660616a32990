// Package pql computes glmm's penalised quasi-likelihood (PQL) estimates,
// the starting point and importance-sampling centre of an MCLA fit.
//
// With standard deviations σ = (σ₁..σ_T), one per variance component, and
// A = diag(σ_{t(j)}) over the columns of Z, the inner problem (package
// pirls) maximises the penalised log-likelihood ℓ(β, s) − ‖s‖²/2 over
// (β, s) with η = Xβ + ZAs. The outer problem minimises over σ
//
//	Q(σ) = ½ log|AZ′W̃ZA + I| + ½‖s̃‖² − ℓ(β̃, s̃),
//
// (β̃, s̃) the inner maximiser and W̃ = diag(wᵢ·(−ℓ″(η̃ᵢ))): minus the
// Laplace approximation of the log-likelihood with PQL's working weights.
// This is glmm's definition (its pql.R), started as glmm starts it: σ = 1,
// β = 0, Nelder–Mead on σ, inner solves warm-started from the previous
// solution. The results are
//
//	β_pql = β̃,  ν_pql = σ²,  u* = A s̃,  D* = diag(max(|σ_t|, 10⁻³)²)
//
// (glmm floors σ at 10⁻³ so that D* stays invertible; Q is even in each σ_t,
// so the sign Nelder–Mead ends on is irrelevant and |σ| is reported).
//
// Differences from glmm, each deliberate (glmm's quirks, not copied):
// glmm's Q uses the ‖s‖² of the previous outer evaluation's inner solution
// (its warm start) instead of the current s̃, so its Q is not a function of
// σ alone; it returns the β̃ and s̃ of the last σ Nelder–Mead evaluated, not
// of the σ it returns; its optim stops on a relative value change of 1.5e-8
// and its inner problem ignores the weights in the gradient and in W. Here
// Q is a function of σ, the outputs belong to the returned σ, and the
// search stops on a small simplex. The estimates therefore agree with
// glmm's to about the accuracy of glmm's own search (see the tests).
//
// # The inner problem on the blocked factor
//
// The inner maximisation is the penalised iteratively reweighted least
// squares of the Laplace engine (package laplace) with β in PIRLS and the
// observed curvature as weights: with Z in the grouped form of package
// zterms (each variance component one or more scalar terms, θ of each
// term |σ| of its component), AZ′W̃ZA + I = Λ′Z′W̃ZΛ + I is the LMM
// engine's blocked factor, whose first block is diagonal and whose
// trailing block holds only the later terms, so that nothing of order q²
// is formed for a design whose largest factor dominates, and
// Q(σ) = ½(penalised deviance + log|L|²), searched by BOBYQA over σ ≥ 0
// (Q is even in each σ_t: the same minimiser as Nelder–Mead's, in half
// the evaluations). Where Z cannot be grouped (a
// component of a single column present in every row), the dense q×q
// Newton iteration of package pirls serves instead, within a memory
// limit (DenseLimit).
package pql

import (
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/pirls"
	"github.com/glmmgo/glmmgo/core/zterms"
)

// SigmaFloor is glmm's lower bound on a PQL standard deviation.
const SigmaFloor = 1e-3

// Options tune the search; zero values select defaults.
type Options struct {
	// Outer controls the blocked path's BOBYQA search on σ ≥ 0 (defaults:
	// initial radius 0.2, final radius 1e−8); NelderMead the dense path's
	// (glmm's search; defaults of package neldermead).
	Outer      optim.Settings
	NelderMead optim.Settings
	Inner      pirls.Options     // the dense path's Newton iteration; its Checkpoint is checked by both paths at every evaluation and step
	Blocked    laplace.Tolerance // the blocked path's PIRLS
	Workers    int               // goroutines of the blocked factorisation (0: all CPUs)
	Dense      bool              // force the dense path (for comparisons)
}

// Result holds the PQL estimates.
type Result struct {
	Beta      []float64 // β_pql
	Sigma     []float64 // |σ| per component, as found (not floored)
	Nu        []float64 // ν_pql = σ² per component (not floored)
	UStar     []float64 // u* = A s̃, length q
	DStar     []float64 // D* diagonal, length q, floored
	S         []float64 // s̃
	Value     float64   // Q at σ
	Evals     int       // outer evaluations
	Converged bool      // the outer search met its tolerance
	Dense     bool      // the dense q×q path served (Z could not be grouped)
}

// outerSettings fills the defaults of the blocked path's search.
func (o Options) outerSettings() optim.Settings {
	s := o.Outer
	if s.InitStep == 0 {
		s.InitStep = 0.2
	}
	if s.StepTol == 0 {
		s.StepTol = 1e-8
	}
	return s
}

// Fit runs PQL on pr, whose columns of Z belong to the variance components
// vcOf (values in 0..nvc-1): on the blocked factor, or on the dense path
// where Z cannot be grouped.
func Fit(pr pirls.Problem, vcOf []int, nvc int, opt Options) (*Result, error) {
	if len(vcOf) != pr.Q {
		return nil, errs.Invalidf("vc_of_column", "has length %d, want q = %d", len(vcOf), pr.Q)
	}
	if pr.Z == nil || pr.Z.Rows != pr.N || pr.Z.Cols != pr.Q {
		return nil, errs.Invalidf("z", "must be an n×q = %d×%d sparse matrix", pr.N, pr.Q)
	}
	if opt.Dense {
		return fitDense(pr, vcOf, nvc, opt)
	}
	terms, err := zterms.FromCSR(pr.Z, vcOf)
	if err != nil {
		if errs.KindOf(err) != errs.Invalid {
			return nil, err
		}
		return fitDense(pr, vcOf, nvc, opt)
	}
	return fitBlocked(pr, terms, vcOf, nvc, opt)
}
