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
package pql

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/neldermead"
	"github.com/glmmgo/glmmgo/core/pirls"
)

// SigmaFloor is glmm's lower bound on a PQL standard deviation.
const SigmaFloor = 1e-3

// Options tune the search; zero values select defaults.
type Options struct {
	NelderMead optim.Settings
	Inner      pirls.Options
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
}

// Fit runs PQL on pr, whose columns of Z belong to the variance components
// vcOf (values in 0..nvc-1).
func Fit(pr pirls.Problem, vcOf []int, nvc int, opt Options) (*Result, error) {
	if len(vcOf) != pr.Q {
		return nil, errs.Invalidf("vc_of_column", "has length %d, want q = %d", len(vcOf), pr.Q)
	}
	solver, err := pirls.New(pr)
	if err != nil {
		return nil, err
	}
	a := make([]float64, pr.Q)
	setA := func(sigma []float64) {
		for j, t := range vcOf {
			a[j] = sigma[t]
		}
	}
	var cur pirls.Result
	warmB, warmS := make([]float64, pr.P), make([]float64, pr.Q)
	outer := func(sigma []float64) (float64, error) {
		setA(sigma)
		if err := solver.Solve(a, warmB, warmS, opt.Inner, &cur); err != nil {
			if errs.KindOf(err) == errs.Numeric {
				return math.Inf(1), nil // a σ the inner problem cannot handle: avoid it
			}
			return 0, err
		}
		copy(warmB, cur.Beta)
		copy(warmS, cur.S)
		var ss float64
		for _, v := range cur.S {
			ss += v * v
		}
		return cur.LogDet/2 + ss/2 - cur.LogLik, nil
	}
	start := make([]float64, nvc)
	for t := range start {
		start[t] = 1
	}
	nm, err := neldermead.Minimize(optim.Problem{Func: outer}, start, opt.NelderMead)
	if err != nil {
		return nil, err
	}
	if math.IsInf(nm.F, 1) {
		return nil, errs.Numericf("pql", "the penalised likelihood could not be maximised at any standard deviation tried")
	}
	res := &Result{Sigma: make([]float64, nvc), Nu: make([]float64, nvc), Evals: nm.Evals, Converged: nm.Status.Converged()}
	for t, s := range nm.X {
		res.Sigma[t] = math.Abs(s)
		res.Nu[t] = s * s
	}
	// Re-solve at the returned σ so that β̃ and s̃ belong to it.
	setA(res.Sigma)
	var fin pirls.Result
	if err := solver.Solve(a, warmB, nil, opt.Inner, &fin); err != nil {
		return nil, err
	}
	var ss float64
	for _, v := range fin.S {
		ss += v * v
	}
	res.Value = fin.LogDet/2 + ss/2 - fin.LogLik
	res.Beta, res.S = fin.Beta, fin.S
	res.UStar, res.DStar = make([]float64, pr.Q), make([]float64, pr.Q)
	for j, t := range vcOf {
		res.UStar[j] = a[j] * fin.S[j]
		sd := math.Max(res.Sigma[t], SigmaFloor)
		res.DStar[j] = sd * sd
	}
	return res, nil
}
