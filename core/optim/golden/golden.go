// Package golden minimises a function of one variable on an interval by
// golden-section search (Kiefer 1953; Press et al., Numerical Recipes,
// §10.2): the bracket [a, b] holds two interior points at the golden ratio,
// x₁ = b − (b−a)/φ and x₂ = a + (b−a)/φ; the side beyond the worse point is
// dropped, and the better point becomes one of the next pair, so each step
// costs one evaluation and shrinks the bracket by 1/φ ≈ 0.618.
//
// It needs no derivatives and no more than unimodality, which suits
// functions that are themselves the result of an inner optimisation (the
// profile log-likelihood of the negative binomial dispersion, each
// evaluation of which is a full MCLA fit).
package golden

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

// invPhi is 1/φ = (√5 − 1)/2.
const invPhi = 0.6180339887498949

// DefaultMaxEval is the evaluation limit when Settings.MaxEval is 0: enough
// to shrink any finite interval to a relative 1e-15 of its width.
const DefaultMaxEval = 100

// Minimize minimises p.Func over the interval [p.Lower[0], p.Upper[0]]
// (both finite, lower < upper). It stops with StepConvergence once the
// bracket is no wider than Settings.StepTol (required, > 0), and reads
// MaxEval and Progress (called after each evaluation with the evaluation
// count and the best value so far). The result is the better of the last
// two interior points (the first of equals); Step is the final width.
func Minimize(p optim.Problem, set optim.Settings) (*optim.Result, error) {
	a, b, err := interval(p, set)
	if err != nil {
		return nil, err
	}
	if set.MaxEval <= 0 {
		set.MaxEval = DefaultMaxEval
	}
	s := search{f: p.Func, set: set, res: &optim.Result{X: make([]float64, 1), F: math.Inf(1)}}
	x1, x2 := b-invPhi*(b-a), a+invPhi*(b-a)
	f1, err := s.eval(x1)
	if err != nil {
		return s.res, err
	}
	f2, err := s.eval(x2)
	if err != nil {
		return s.res, err
	}
	for b-a > set.StepTol {
		if s.res.Evals >= set.MaxEval {
			s.res.Status = optim.EvaluationLimit
			break
		}
		if f1 <= f2 {
			b, x2, f2 = x2, x1, f1
			x1 = b - invPhi*(b-a)
			f1, err = s.eval(x1)
		} else {
			a, x1, f1 = x1, x2, f2
			x2 = a + invPhi*(b-a)
			f2, err = s.eval(x2)
		}
		if err != nil {
			return s.res, err
		}
	}
	if s.res.Status == optim.NotTerminated {
		s.res.Status = optim.StepConvergence
	}
	s.res.X[0], s.res.F = x1, f1
	if f2 < f1 {
		s.res.X[0], s.res.F = x2, f2
	}
	s.res.Step = b - a
	return s.res, nil
}

// interval checks the problem and returns its bracket.
func interval(p optim.Problem, set optim.Settings) (a, b float64, err error) {
	if p.Func == nil {
		return 0, 0, errs.Invalidf("problem", "golden-section search needs Func")
	}
	if len(p.Lower) != 1 || len(p.Upper) != 1 {
		return 0, 0, errs.Invalidf("bounds", "need one lower and one upper bound, have %d and %d", len(p.Lower), len(p.Upper))
	}
	a, b = p.Lower[0], p.Upper[0]
	if !(a < b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return 0, 0, errs.Invalidf("bounds", "[%g, %g] must be a finite interval with lower < upper", a, b)
	}
	if !(set.StepTol > 0) {
		return 0, 0, errs.Invalidf("step_tol", "is %g; the final interval width must be positive", set.StepTol)
	}
	return a, b, nil
}

// search counts evaluations, keeps the best point and reports progress.
type search struct {
	f   func([]float64) (float64, error)
	set optim.Settings
	res *optim.Result
	x   [1]float64
}

func (s *search) eval(x float64) (float64, error) {
	s.x[0] = x
	v, err := s.f(s.x[:])
	s.res.Evals++
	s.res.Iter = s.res.Evals
	if err != nil {
		s.res.Status = optim.Failure
		return v, err
	}
	if v < s.res.F {
		s.res.X[0], s.res.F = x, v
	}
	if s.set.Progress != nil && !s.set.Progress(s.res.Evals, s.res.F, s.res.X) {
		s.res.Status = optim.Cancelled
		return v, errs.ErrCancelled
	}
	return v, nil
}
