// Package bobyqa minimises a function of a few variables subject to bounds
// without derivatives, by the method of Powell's BOBYQA (M.J.D. Powell, "The
// BOBYQA algorithm for bound constrained optimization without derivatives",
// Cambridge report DAMTP 2009/NA06):
//
//   - a quadratic model Q interpolates f at npt points (2n+1 by default);
//     when a point is replaced, Q changes by the quadratic of least Frobenius
//     norm of its Hessian change that restores interpolation (Powell's
//     "least Frobenius norm updating", DAMTP 2004/NA08);
//   - each iteration minimises Q within a trust region ‖s‖ ≤ Δ and the
//     bounds by truncated conjugate gradients with an active set;
//   - when a step is poor and a point lies far from the best one, that point
//     is replaced by one that makes its Lagrange function large (keeping the
//     interpolation set well poised);
//   - the resolution ρ falls from Rhobeg to Rhoend as Powell schedules it,
//     Δ ≥ ρ throughout.
//
// This implementation differs in its linear algebra, not its logic: rather
// than updating the inverse of the interpolation system in factored form,
// it re-forms and inverts the (npt+n+1)² system in coordinates scaled to
// the spread of the points after every change, which costs O((npt+n)³) —
// nothing beside the evaluations this package is meant for (the profiled
// deviance of a mixed model) — and is well conditioned at any ρ.
package bobyqa

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Status says why Minimize stopped.
type Status int

const (
	// Converged: the resolution ρ reached Rhoend.
	Converged Status = iota
	// MaxEval: the evaluation budget ran out first.
	MaxEval
)

func (s Status) String() string {
	if s == Converged {
		return "converged: trust region radius reached rhoend"
	}
	return "stopped: maximum number of function evaluations reached"
}

// Settings control Minimize. Zero values take the defaults noted.
type Settings struct {
	Rhobeg  float64 // initial trust region radius; default min(0.95, 0.2·max|x₀ᵢ|) or 0.2
	Rhoend  float64 // final radius; default 1e-6·Rhobeg
	MaxEval int     // evaluation budget; default 10000
	NPT     int     // interpolation points, n+2 ≤ NPT ≤ (n+1)(n+2)/2; default 2n+1
	// Progress, if set, is called after every evaluation with the count,
	// the value and the point (valid only during the call); returning false
	// stops the minimisation with errs.ErrCancelled.
	Progress func(eval int, f float64, x []float64) bool
}

// Result is the best point found.
type Result struct {
	X      []float64
	F      float64
	Evals  int
	Status Status
	Rho    float64 // the final resolution
}

// Func is the objective; an error stops the minimisation and is returned.
type Func func(x []float64) (float64, error)

// Minimize minimises f from x0 subject to lower ≤ x ≤ upper (±Inf allowed).
// x0 is moved inside the bounds if needed.
func Minimize(f Func, x0, lower, upper []float64, set Settings) (Result, error) {
	n := len(x0)
	if n == 0 {
		return Result{}, errs.Invalidf("x0", "no variables")
	}
	if len(lower) != n || len(upper) != n {
		return Result{}, errs.Invalidf("bounds", "lengths %d and %d, want %d", len(lower), len(upper), n)
	}
	maxAbs := 0.0
	for i := 0; i < n; i++ {
		if math.IsNaN(x0[i]) || math.IsInf(x0[i], 0) {
			return Result{}, errs.Invalidf("x0", "element %d is %g", i, x0[i])
		}
		if math.IsNaN(lower[i]) || math.IsNaN(upper[i]) || !(lower[i] < upper[i]) {
			return Result{}, errs.Invalidf("bounds", "element %d: lower %g, upper %g", i, lower[i], upper[i])
		}
		maxAbs = math.Max(maxAbs, math.Abs(x0[i]))
	}
	if set.Rhobeg <= 0 {
		set.Rhobeg = 0.2
		if maxAbs > 0 {
			set.Rhobeg = math.Min(0.95, 0.2*maxAbs)
		}
	}
	// Bounds closer than 2ρ leave no room for the initial points.
	for i := 0; i < n; i++ {
		if w := upper[i] - lower[i]; w < 2*set.Rhobeg {
			set.Rhobeg = w / 2
		}
	}
	if set.Rhoend <= 0 {
		set.Rhoend = 1e-6 * set.Rhobeg
	}
	if set.Rhoend > set.Rhobeg {
		return Result{}, errs.Invalidf("rhoend", "%g exceeds rhobeg %g", set.Rhoend, set.Rhobeg)
	}
	if set.MaxEval <= 0 {
		set.MaxEval = 10000
	}
	if set.NPT == 0 {
		set.NPT = 2*n + 1
	}
	if set.NPT < n+2 || set.NPT > (n+1)*(n+2)/2 {
		return Result{}, errs.Invalidf("npt", "%d outside %d..%d", set.NPT, n+2, (n+1)*(n+2)/2)
	}
	if set.MaxEval < set.NPT+1 {
		return Result{}, errs.Invalidf("maxeval", "%d evaluations cannot fit %d interpolation points", set.MaxEval, set.NPT)
	}
	o := newOptimizer(f, x0, lower, upper, set)
	err := o.run()
	res := Result{X: append([]float64(nil), o.pt[o.kopt]...), F: o.fv[o.kopt], Evals: o.nf, Status: o.status, Rho: o.rho}
	return res, err
}
