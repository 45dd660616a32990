// Package trust minimises a twice-differentiable function with exact
// Hessians by the trust-region method of Geyer's R package trust, which
// glmm uses (with minimize = FALSE, rinit = 10, rmax = 1000, iterlim =
// 1000) to maximise its MCLA log-likelihood.
//
// Each iteration works on the quadratic model m(p) = f + g′p + ½p′Bp of f at
// the current point, with B = Q Λ Q′ from one symmetric eigendecomposition
// (Nocedal and Wright, Numerical Optimization, §4.3; Fletcher, Practical
// Methods of Optimization, §5.1):
//
//   - Newton: if B is positive definite and ‖B⁻¹g‖ ≤ r, p = −B⁻¹g.
//   - Otherwise p(β) = −Q (Λ − λ_min + β)⁻¹ Q′g with β ≥ 0 chosen so that
//     ‖p(β)‖ = r (Moré and Sorensen's secular equation, solved for
//     1/‖p(β)‖ = 1/r, which is nearly linear in β, by safeguarded Newton).
//     In the hard case (g has no component along the eigenvectors of λ_min
//     and β = 0 leaves the step inside) a multiple of such an eigenvector
//     takes the step to the boundary.
//
// The trial point's actual change is compared with the predicted change
// m(p) − f: with ratio ρ < 1/4 the step is rejected and r ← r/4; otherwise
// it is accepted and, when ρ > 3/4 and the step was not a Newton step,
// r ← min(2r, rmax). A trial point outside the function's domain (an error
// of kind errs.Domain or errs.Numeric, glmm's −∞ log-likelihood) counts as
// f = +∞, ρ = −∞. The search stops when a trial changes f by less than
// FuncTol (trust's fterm) or the predicted change is below ModelTol
// (mterm), both √ε by default and absolute, as in trust.
package trust

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

// Defaults of the Settings fields Minimize reads (trust's and glmm's).
const (
	DefaultInitStep = 10   // rinit
	DefaultMaxStep  = 1000 // rmax
	DefaultMaxIter  = 1000 // iterlim
)

// Minimize minimises p.FuncGradHess from start. It reads Settings.InitStep
// (the initial radius), MaxStep (the largest radius), MaxIter, FuncTol,
// ModelTol and Progress. The Result's Gradient and Hessian are those at X,
// the last accepted point; Step is the final radius. When Progress cancels,
// the Result so far is returned with errs.ErrCancelled.
func Minimize(p optim.Problem, start []float64, set optim.Settings) (*optim.Result, error) {
	if p.FuncGradHess == nil {
		return nil, errs.Invalidf("problem", "the trust region method needs FuncGradHess")
	}
	if err := optim.CheckStart(start); err != nil {
		return nil, err
	}
	set, err := withDefaults(set)
	if err != nil {
		return nil, err
	}
	s, err := newSearch(p.FuncGradHess, start, set)
	if err != nil {
		return nil, err
	}
	return s.run()
}

// withDefaults fills the zero fields of set and checks the rest.
func withDefaults(set optim.Settings) (optim.Settings, error) {
	if set.InitStep == 0 {
		set.InitStep = DefaultInitStep
	}
	if set.MaxStep == 0 {
		set.MaxStep = DefaultMaxStep
	}
	if set.MaxIter == 0 {
		set.MaxIter = DefaultMaxIter
	}
	if set.FuncTol == 0 {
		set.FuncTol = math.Sqrt(0x1p-52)
	}
	if set.ModelTol == 0 {
		set.ModelTol = math.Sqrt(0x1p-52)
	}
	if !(set.InitStep > 0) || !(set.MaxStep >= set.InitStep) || math.IsInf(set.MaxStep, 0) {
		return set, errs.Invalidf("rmax", "radii rinit = %g, rmax = %g: need 0 < rinit <= rmax < Inf", set.InitStep, set.MaxStep)
	}
	if set.MaxIter < 0 {
		return set, errs.Invalidf("iterlim", "is %d; must be positive", set.MaxIter)
	}
	if !(set.FuncTol > 0) || !(set.ModelTol > 0) {
		return set, errs.Invalidf("fterm", "tolerances must be positive")
	}
	return set, nil
}

// search is the state of one minimisation: the current point (in res), the
// radius, the trial point's buffers and the model at the current point.
type search struct {
	f          func(x, g, h []float64) (float64, error)
	set        optim.Settings
	res        *optim.Result
	r          float64
	xt, gt, ht []float64
	sub        subproblem
}

// newSearch evaluates f at start, which must be feasible.
func newSearch(f func(x, g, h []float64) (float64, error), start []float64, set optim.Settings) (*search, error) {
	d := len(start)
	res := &optim.Result{X: append([]float64(nil), start...), Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	v, err := f(res.X, res.Gradient, res.Hessian)
	res.Evals = 1
	if err != nil {
		if outsideDomain(err) {
			return nil, &errs.Error{Kind: errs.KindOf(err), Arg: "start", Msg: "the starting values are not feasible: " + err.Error()}
		}
		return nil, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, errs.Numericf("start", "the objective at the starting values is %g", v)
	}
	if err := finiteDerivs(res.Gradient, res.Hessian); err != nil {
		return nil, err
	}
	res.F = v
	s := &search{f: f, set: set, res: res, r: set.InitStep,
		xt: make([]float64, d), gt: make([]float64, d), ht: make([]float64, d*d)}
	s.sub.init(d)
	return s, nil
}

// outsideDomain reports an error that marks a point where f is +∞.
func outsideDomain(err error) bool {
	k := errs.KindOf(err)
	return k == errs.Domain || k == errs.Numeric
}

// run iterates until a convergence test, the iteration limit, a
// cancellation or an error.
func (s *search) run() (*optim.Result, error) {
	res := s.res
	accept := true
	for iter := 1; iter <= s.set.MaxIter; iter++ {
		res.Iter = iter
		if accept {
			if err := s.sub.setModel(res.Gradient, res.Hessian); err != nil {
				res.Status = optim.Failure
				return res, err
			}
		}
		var err error
		if accept, err = s.step(); err != nil {
			res.Status = optim.Failure
			return res, err
		}
		if res.Status.Converged() {
			return res, nil
		}
		if s.set.Progress != nil && !s.set.Progress(iter, res.F, res.X) {
			res.Status = optim.Cancelled
			return res, errs.ErrCancelled
		}
	}
	res.Status = optim.IterationLimit
	return res, nil
}

// step solves the subproblem at the current radius, evaluates the trial
// point, accepts or rejects it, updates the radius and sets a convergence
// status when a test is met. It reports whether the point moved.
func (s *search) step() (bool, error) {
	res := s.res
	p, isNewton := s.sub.solve(s.r)
	pred := s.sub.predicted(p)
	for i := range s.xt {
		s.xt[i] = res.X[i] + p[i]
	}
	ft, err := s.evalTrial()
	if err != nil {
		return false, err
	}
	diff := ft - res.F
	rho := diff / pred
	if math.IsInf(ft, 1) {
		rho = math.Inf(-1)
	} else if math.Abs(diff) < s.set.FuncTol {
		res.Status = optim.ValueConvergence
	} else if math.Abs(pred) < s.set.ModelTol {
		res.Status = optim.ModelConvergence
	}
	var accept bool
	switch {
	case res.Status.Converged():
		accept = ft < res.F
	case rho < 0.25:
		s.r /= 4
	default:
		accept = true
		if rho > 0.75 && !isNewton {
			s.r = math.Min(2*s.r, s.set.MaxStep)
		}
	}
	if accept {
		copy(res.X, s.xt)
		copy(res.Gradient, s.gt)
		copy(res.Hessian, s.ht)
		res.F = ft
	}
	res.Step = s.r
	return accept, nil
}

// evalTrial evaluates f at the trial point; a point outside the domain, a
// NaN, or non-finite derivatives give +∞.
func (s *search) evalTrial() (float64, error) {
	ft, err := s.f(s.xt, s.gt, s.ht)
	s.res.Evals++
	switch {
	case err != nil:
		if !outsideDomain(err) {
			return 0, err
		}
		return math.Inf(1), nil
	case math.IsNaN(ft):
		return math.Inf(1), nil
	case !math.IsInf(ft, 1) && finiteDerivs(s.gt, s.ht) != nil:
		return math.Inf(1), nil
	}
	return ft, nil
}

func finiteDerivs(g, h []float64) error {
	for i, v := range g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Numericf("gradient", "element %d is %g", i, v)
		}
	}
	for i, v := range h {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Numericf("hessian", "element %d is %g", i, v)
		}
	}
	return nil
}
