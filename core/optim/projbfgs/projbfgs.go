// Package projbfgs minimises a smooth function subject to bounds
// l ≤ x ≤ u with its gradient: a projected quasi-Newton method (Bertsekas,
// "Projected Newton methods for optimization problems with simple
// constraints", SIAM J. Control Optim. 20(2), 1982; the BFGS update as in
// Nocedal and Wright, "Numerical Optimization", 2nd ed., 2006, sec. 6.1).
//
// Each iteration splits the variables into the active ones — on a bound,
// with the gradient pushing outwards — and the free ones, takes the BFGS
// direction −H·g on the free ones, and searches along the projection of
// that path onto the box with Armijo backtracking. Convergence is declared
// on the projected gradient only (every free component, and every bound
// component pushing inwards, below GradTol): a statement about the point,
// not about the progress of the iterations, so that a converged fit is a
// stationary point (lme4's issue 783 is false alarms from the opposite
// choice). A variable on its bound with a zero gradient — a symmetric
// criterion there, as a variance parameter of a linear mixed model at 0 —
// is a stationary point that need not be a minimum: before declaring
// convergence each such variable is probed a step into the interior, and
// the iterations resume from there if the function decreases.
package projbfgs

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

// Defaults of the Settings fields Minimize reads.
const (
	DefaultGradTol = 1e-6 // on the projected gradient, relative to max(1, |f|)
	DefaultMaxIter = 1000
	DefaultMaxEval = 10000
	probeStep      = 1e-3 // the step into the interior from a bound variable with zero gradient
)

// Minimize minimises p.FuncGrad within [p.Lower, p.Upper] (nil: unbounded)
// from start (moved into the box). It reads Settings.GradTol (the projected
// gradient's largest element below GradTol·max(1, |f|); default
// DefaultGradTol), InitStep (the first step's largest element; default 1),
// MaxIter, MaxEval and Progress (after each iteration). Evals counts
// FuncGrad calls.
func Minimize(p optim.Problem, start []float64, s optim.Settings) (*optim.Result, error) {
	if p.FuncGrad == nil {
		return nil, errs.Invalidf("problem", "projbfgs needs FuncGrad")
	}
	if err := optim.CheckStart(start); err != nil {
		return nil, err
	}
	n := len(start)
	if (p.Lower != nil && len(p.Lower) != n) || (p.Upper != nil && len(p.Upper) != n) {
		return nil, errs.Invalidf("bounds", "lengths %d and %d, want %d", len(p.Lower), len(p.Upper), n)
	}
	r := newRun(p, start, s)
	err := r.minimise()
	return r.result(), err
}

// run is the state of one minimisation.
type run struct {
	p               optim.Problem
	s               optim.Settings
	n               int
	lo, hi          []float64
	x, g, d, xn, gn []float64
	f               float64
	h               []float64 // inverse Hessian approximation, n×n
	evals, iter     int
	status          optim.Status
	probed          []bool
	fresh           bool // H is a multiple of I not yet scaled by a step
}

func newRun(p optim.Problem, start []float64, s optim.Settings) *run {
	n := len(start)
	r := &run{p: p, s: s, n: n, lo: make([]float64, n), hi: make([]float64, n),
		x: make([]float64, n), g: make([]float64, n), d: make([]float64, n), xn: make([]float64, n), gn: make([]float64, n),
		h: make([]float64, n*n), probed: make([]bool, n)}
	for i := range r.lo {
		r.lo[i], r.hi[i] = math.Inf(-1), math.Inf(1)
		if p.Lower != nil {
			r.lo[i] = p.Lower[i]
		}
		if p.Upper != nil {
			r.hi[i] = p.Upper[i]
		}
		r.x[i] = math.Min(math.Max(start[i], r.lo[i]), r.hi[i])
	}
	if r.s.GradTol == 0 {
		r.s.GradTol = DefaultGradTol
	}
	if r.s.MaxIter == 0 {
		r.s.MaxIter = DefaultMaxIter
	}
	if r.s.MaxEval == 0 {
		r.s.MaxEval = DefaultMaxEval
	}
	if r.s.InitStep == 0 {
		r.s.InitStep = 1
	}
	return r
}

func (r *run) result() *optim.Result {
	res := &optim.Result{X: append([]float64(nil), r.x...), F: r.f, Gradient: append([]float64(nil), r.g...),
		Iter: r.iter, Evals: r.evals, Status: r.status}
	res.Step = r.projectedGradient()
	return res
}

// eval calls FuncGrad at x into g.
func (r *run) eval(x, g []float64) (float64, error) {
	r.evals++
	f, err := r.p.FuncGrad(x, g)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		err = errs.Numericf("f", "the function is %g at x = %v", f, x)
	}
	return f, err
}

// active reports whether variable i is on a bound with the gradient
// pushing outwards.
func (r *run) active(i int) bool {
	return (r.x[i] <= r.lo[i] && r.g[i] >= 0) || (r.x[i] >= r.hi[i] && r.g[i] <= 0)
}

// projectedGradient returns the largest element of the projected gradient.
func (r *run) projectedGradient() float64 {
	m := 0.0
	for i, gi := range r.g {
		if !r.active(i) {
			m = math.Max(m, math.Abs(gi))
		}
	}
	return m
}

func (r *run) minimise() error {
	f, err := r.eval(r.x, r.g)
	if err != nil {
		r.status = optim.Failure
		return err
	}
	r.f = f
	r.resetH(1)
	for {
		if r.projectedGradient() <= r.s.GradTol*math.Max(1, math.Abs(r.f)) {
			moved, err := r.probeBounds()
			if err != nil {
				r.status = optim.Failure
				return err
			}
			if !moved {
				r.status = optim.GradientConvergence
				return nil
			}
			continue
		}
		if r.iter >= r.s.MaxIter {
			r.status = optim.IterationLimit
			return nil
		}
		if r.evals >= r.s.MaxEval {
			r.status = optim.EvaluationLimit
			return nil
		}
		r.iter++
		ok, err := r.step()
		if err != nil {
			r.status = optim.Failure
			return err
		}
		if !ok {
			// no decrease along the best direction available: the
			// projected gradient is not small, so this is no convergence
			r.status = optim.Failure
			return nil
		}
		if r.s.Progress != nil && !r.s.Progress(r.iter, r.f, r.x) {
			r.status = optim.Cancelled
			return errs.ErrCancelled
		}
	}
}
