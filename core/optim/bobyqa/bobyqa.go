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
	"errors"
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

// settings are Powell's parameters, resolved from optim.Settings.
type settings struct {
	Rhobeg   float64 // initial trust region radius
	Rhoend   float64 // final radius
	MaxEval  int     // evaluation budget
	NPT      int     // interpolation points
	Progress optim.Progress
}

// Method is BOBYQA with NPT interpolation points, n+2 ≤ NPT ≤ (n+1)(n+2)/2
// (0 selects 2n+1, Powell's recommendation).
type Method struct{ NPT int }

// Minimize minimises p.Func from start subject to p.Lower ≤ x ≤ p.Upper
// (±Inf allowed; nil means unbounded) with 2n+1 interpolation points; see
// Method.Minimize.
func Minimize(p optim.Problem, start []float64, set optim.Settings) (*optim.Result, error) {
	return Method{}.Minimize(p, start, set)
}

// Minimize minimises p.Func from start within the bounds; start is moved
// inside them if needed. It reads Settings.InitStep (ρ_beg, default
// min(0.95, 0.2·max|startᵢ|) or 0.2), StepTol (ρ_end, default 1e-6·ρ_beg),
// MaxEval (default 10000) and Progress (called after every evaluation with
// the evaluation count). The status is StepConvergence when ρ reached ρ_end
// and EvaluationLimit when the budget ran out first; Step is the final ρ.
// An error from p.Func, or a non-finite value, stops the minimisation and is
// returned with the best point so far.
func (m Method) Minimize(p optim.Problem, start []float64, set optim.Settings) (*optim.Result, error) {
	if p.Func == nil {
		return nil, errs.Invalidf("problem", "BOBYQA needs Func")
	}
	if err := optim.CheckStart(start); err != nil {
		return nil, err
	}
	n := len(start)
	lower, upper, err := bounds(p, n)
	if err != nil {
		return nil, err
	}
	cfg, err := resolve(m, set, start, lower, upper)
	if err != nil {
		return nil, err
	}
	o := newOptimizer(p.Func, start, lower, upper, cfg)
	err = o.run()
	res := &optim.Result{X: append([]float64(nil), o.pt[o.kopt]...), F: o.fv[o.kopt], Evals: o.nf, Iter: o.nf, Status: o.status, Step: o.rho}
	switch {
	case errors.Is(err, errs.ErrCancelled):
		res.Status = optim.Cancelled
	case err != nil:
		res.Status = optim.Failure
	}
	return res, err
}

// bounds returns the box, ±Inf where p leaves it open, and checks it.
func bounds(p optim.Problem, n int) (lower, upper []float64, err error) {
	lower, upper = p.Lower, p.Upper
	if lower == nil {
		lower = fill(n, math.Inf(-1))
	}
	if upper == nil {
		upper = fill(n, math.Inf(1))
	}
	if len(lower) != n || len(upper) != n {
		return nil, nil, errs.Invalidf("bounds", "lengths %d and %d, want %d", len(lower), len(upper), n)
	}
	for i := 0; i < n; i++ {
		if math.IsNaN(lower[i]) || math.IsNaN(upper[i]) || !(lower[i] < upper[i]) {
			return nil, nil, errs.Invalidf("bounds", "element %d: lower %g, upper %g", i, lower[i], upper[i])
		}
	}
	return lower, upper, nil
}

func fill(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// resolve fills Powell's parameters from the method and settings.
func resolve(m Method, s optim.Settings, x0, lower, upper []float64) (settings, error) {
	n := len(x0)
	set := settings{Rhobeg: s.InitStep, Rhoend: s.StepTol, MaxEval: s.MaxEval, NPT: m.NPT, Progress: s.Progress}
	if math.IsNaN(set.Rhobeg) || math.IsInf(set.Rhobeg, 0) {
		return set, errs.Invalidf("rhobeg", "is %g; the initial trust radius must be positive and finite", set.Rhobeg)
	}
	if math.IsNaN(set.Rhoend) || math.IsInf(set.Rhoend, 0) {
		return set, errs.Invalidf("rhoend", "is %g; the final trust radius must be positive and finite", set.Rhoend)
	}
	maxAbs := 0.0
	for _, v := range x0 {
		maxAbs = math.Max(maxAbs, math.Abs(v))
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
		return set, errs.Invalidf("rhoend", "%g exceeds rhobeg %g", set.Rhoend, set.Rhobeg)
	}
	if res := Resolution * math.Max(1, maxAbs); set.Rhobeg < res {
		return set, errs.Invalidf("start", "has an element of size %g, so large that the optimiser's steps (rhobeg = %g) cannot change it in double precision; start nearer the solution", maxAbs, set.Rhobeg)
	}
	if res := Resolution * math.Max(1, maxAbs); set.Rhoend < res {
		return set, errs.Invalidf("rhoend", "is %g, below what double precision resolves at the start (%g): the interpolation points would coincide; use a larger rhoend", set.Rhoend, res)
	}
	if set.MaxEval <= 0 {
		set.MaxEval = 10000
	}
	if set.NPT == 0 {
		set.NPT = 2*n + 1
	}
	if set.NPT < n+2 || set.NPT > (n+1)*(n+2)/2 {
		return set, errs.Invalidf("npt", "%d outside %d..%d", set.NPT, n+2, (n+1)*(n+2)/2)
	}
	if set.MaxEval < set.NPT+1 {
		return set, errs.Invalidf("maxeval", "is %d; the optimiser needs at least npt + 1 = %d evaluations (its %d interpolation points, then a step)", set.MaxEval, set.NPT+1, set.NPT)
	}
	return set, budget.Need("x", fmt.Sprintf("BOBYQA's interpolation system for %d variables and %d points ((npt+n+1)² = %d² doubles, twice)", n, set.NPT, set.NPT+n+1),
		Memory(n, set.NPT))
}

// Resolution is the smallest final radius ρ_end accepted, relative to
// max(1, |start|): four units in the last place. Below it the interpolation
// points x ± ρeᵢ round to x.
const Resolution = 4 * 0x1p-52

// Memory is what a minimisation of n variables with npt interpolation
// points holds: the inverse of the (npt+n+1)² interpolation system and the
// new one formed beside it, the model's n×n Hessian, and the points with
// their scaled copies.
func Memory(n, npt int) float64 {
	N := float64(npt + n + 1)
	return 8 * (2*N*N + float64(n)*float64(n) + 3*float64(npt)*float64(n))
}
