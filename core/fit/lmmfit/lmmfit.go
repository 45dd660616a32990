// Package lmmfit fits linear mixed models by maximum likelihood or REML:
// it minimises the profiled criterion of core/objective/lmm over θ with
// the bounded derivative-free optimiser core/optim/bobyqa or, for many θ
// (AutoBFGSMinTheta), the projected quasi-Newton core/optim/projbfgs with
// the criterion's analytic gradient, from lme4's
// default start (1 on the diagonal of every Λ template, 0 off it) or from
// moment estimates when they are better (ChooseStart), and
// reports what lme4's summary does: θ, β̂ with standard errors and
// covariance, σ̂, the conditional modes of the random effects and their
// conditional variances, logLik, deviance, REML criterion, AIC and BIC,
// and a singular flag when a variance parameter ends on its boundary
// (lme4's isSingular rule: a diagonal θ below 1e-4).
package lmmfit

import (
	"math"
	"slices"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/bobyqa"
)

// Options control Fit. Zero values take the defaults noted.
type Options struct {
	REML    bool      // REML criterion instead of ML deviance
	Start   []float64 // starting θ (model order); nil: the better of lme4's default and the moment estimates (see ChooseStart)
	Rhobeg  float64   // initial trust radius; default 0.2 (minqa's choice for |θ₀| = 1)
	Rhoend  float64   // final trust radius; default RhoendRatio·Rhobeg = 1e-5 (see RhoendRatio)
	MaxEval int       // default 10000
	NPT     int       // interpolation points of the optimiser; default 2·len(θ)+1
	// Optimizer chooses the method: OptimizerAuto (the default) takes
	// OptimizerBFGS for models with at least AutoBFGSMinTheta elements of
	// θ and OptimizerBOBYQA otherwise (see AutoBFGSMinTheta).
	Optimizer Optimizer
	// Progress, if set, is called after every evaluation (on the calling
	// goroutine) with the evaluation count, the criterion and θ (valid only
	// during the call). Returning false cancels the fit (errs.ErrCancelled).
	Progress func(eval int, objective float64, theta []float64) bool
}

// RhoendRatio is the default final trust radius as a share of the initial
// one: θ to about 1e-5. lme4's convergence check (the gradient scaled by
// the Hessian's Cholesky factor below 2e-3) needs that on large data — the
// Hessian grows with n: InstEval's is 17 000 in θ₂, so an error of 2.6e-5
// in θ₂ (the former 1.5e-4 ratio) fails it and costs a restart of 25
// evaluations, where the tighter radius costs three.
const RhoendRatio = 5e-5

// SingularTol is the threshold below which a diagonal θ counts as zero.
const SingularTol = 1e-4

// Result is a fitted model. Slices are owned by the Result.
type Result struct {
	REML      bool
	Theta     []float64 // θ̂, model order (terms by decreasing number of levels)
	Beta      []float64 // β̂ for the kept columns of X
	BetaNames []string  // names of the kept columns (if given)
	Kept      []int     // indices of the kept columns of X
	Dropped   []int     // indices of aliased columns dropped
	SE        []float64 // standard errors of β̂
	Vcov      []float64 // covariance of β̂, p×p column-major
	Sigma     float64   // residual standard deviation
	U         []float64 // spherical conditional modes ũ (model order, level by level)
	B         []float64 // conditional modes b̃ = Λũ, same layout

	Objective float64 // the criterion minimised (REML criterion or ML deviance)
	LogLik    float64 // −Objective/2 (the REML log-likelihood for REML fits)
	Deviance  float64 // ML deviance profiled at θ̂
	REMLCrit  float64 // REML criterion at θ̂
	AIC, BIC  float64 // −2·LogLik + 2·npar, −2·LogLik + log(n)·npar
	NObs      int
	NPar      int // p + length(θ) + 1 (σ)

	Optimizer Optimizer // the method used
	Evals     int       // criterion evaluations (with the gradient for OptimizerBFGS)
	Converged bool      // the optimiser reached its final trust radius
	Message   string    // the optimiser's stopping reason
	Singular  bool      // some diagonal θ < SingularTol (a boundary fit)
}

// DefaultTheta returns lme4's start: 1 for diagonal elements of the Λ
// templates, 0 for the others.
func DefaultTheta(m *lmm.Model) []float64 {
	lo := m.Lower()
	th := make([]float64, len(lo))
	for i, l := range lo {
		if l == 0 {
			th[i] = 1
		}
	}
	return th
}

// Fit minimises the model's criterion over θ and returns the fit.
func Fit(m *lmm.Model, opt Options) (*Result, error) {
	lower := m.Lower()
	upper := make([]float64, len(lower))
	for i := range upper {
		upper[i] = math.Inf(1)
	}
	theta0, first := opt.Start, startValue{}
	if theta0 == nil {
		theta0, first = ChooseStart(m, opt.REML)
		// The evaluation that chose the start is reported too (as
		// iteration 0, with the better start), so that the callback sees
		// every evaluation that Result.Evals counts.
		if first.extra > 0 && opt.Progress != nil && !opt.Progress(0, first.f, first.theta) {
			return nil, errs.ErrCancelled
		}
	}
	if len(theta0) != len(lower) {
		return nil, errs.Invalidf("theta0", "length %d, want %d", len(theta0), len(lower))
	}
	for i, v := range theta0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errs.Invalidf("theta0", "element %d is %g", i, v)
		}
		if v < lower[i] {
			return nil, errs.Domainf("theta0", "element %d is %g, below its lower bound %g", i, v, lower[i])
		}
	}
	if opt.Rhobeg < 0 || math.IsNaN(opt.Rhobeg) || math.IsInf(opt.Rhobeg, 0) {
		return nil, errs.Invalidf("rhobeg", "is %g; the initial trust radius must be positive and finite (0: the default 0.2)", opt.Rhobeg)
	}
	if opt.Rhoend < 0 || math.IsNaN(opt.Rhoend) || math.IsInf(opt.Rhoend, 0) {
		return nil, errs.Invalidf("rhoend", "is %g; the final trust radius must be positive and finite (0: the default)", opt.Rhoend)
	}
	if opt.MaxEval < 0 {
		return nil, errs.Invalidf("maxeval", "%d is negative", opt.MaxEval)
	}
	if opt.Optimizer < OptimizerAuto || opt.Optimizer > OptimizerBFGS {
		return nil, errs.Invalidf("optimizer", "%d is not OptimizerAuto, OptimizerBOBYQA or OptimizerBFGS", int(opt.Optimizer))
	}
	set := optim.Settings{InitStep: opt.Rhobeg, StepTol: opt.Rhoend, MaxEval: opt.MaxEval, Progress: opt.Progress}
	if set.InitStep == 0 {
		set.InitStep = 0.2
	}
	if set.StepTol == 0 {
		set.StepTol = RhoendRatio * set.InitStep
	}
	if set.StepTol > set.InitStep {
		return nil, errs.Invalidf("rhoend", "%g exceeds rhobeg %g", set.StepTol, set.InitStep)
	}
	if set.MaxEval == 0 {
		set.MaxEval = 10000
	}
	// The evaluation that chose the start counts against the caller's
	// limit, so that a fit never makes more evaluations than MaxEval.
	if set.MaxEval > first.extra {
		set.MaxEval -= first.extra
	}
	method := opt.Optimizer.choose(len(lower))
	var res *optim.Result
	var err error
	switch method {
	case OptimizerBFGS:
		// BFGS evaluates the start again, with its gradient: the value at
		// the same θ is counted (and reported to Progress) once
		res, err = minimiseBFGS(m, opt, lower, theta0, set)
	default:
		p := optim.Problem{Func: first.reuse(func(th []float64) (float64, error) { return m.Objective(th, opt.REML) }), Lower: lower, Upper: upper}
		res, err = bobyqa.Method{NPT: opt.NPT}.Minimize(p, theta0, set)
	}
	if err != nil {
		return nil, thetaNamed(err)
	}
	res.Evals += first.extra
	r, err := Summarise(m, res.X, opt.REML, res)
	if r != nil {
		r.Optimizer = method
	}
	return r, err
}

// thetaNamed renames the optimiser's variables, "x", to what they are here.
func thetaNamed(err error) error {
	if e, ok := err.(*errs.Error); ok && e.Arg == "x" {
		e.Arg = "theta"
	}
	return err
}

// Summarise computes the results at θ (normally the optimum).
func Summarise(m *lmm.Model, theta []float64, reml bool, opt *optim.Result) (*Result, error) {
	sol, err := m.Solve(theta, reml)
	if err != nil {
		return nil, err
	}
	r := &Result{
		REML: reml, Theta: sol.Theta, Beta: sol.Beta, BetaNames: m.XNames(), Kept: m.Kept(), Dropped: m.Dropped(),
		SE: sol.SE, Vcov: sol.Vcov, Sigma: sol.Sigma, U: sol.U, B: sol.B,
		Objective: sol.Objective, Deviance: sol.Deviance, REMLCrit: sol.REMLCrit,
		NObs: m.N(), NPar: m.P() + m.NTheta() + 1,
		Evals: opt.Evals, Converged: opt.Status.Converged(), Message: opt.Status.String(),
	}
	r.LogLik = -r.Objective / 2
	r.AIC = r.Objective + 2*float64(r.NPar)
	r.BIC = r.Objective + math.Log(float64(r.NObs))*float64(r.NPar)
	lo := m.Lower()
	for i, l := range lo {
		if l == 0 && theta[i] < SingularTol {
			r.Singular = true
		}
	}
	return r, nil
}

// CondVar returns the conditional covariance matrices of the random effects
// at the fit (see lmm.Model.CondVar): per term (model order), one k×k
// column-major block per level. m must be the model that was fitted.
func (r *Result) CondVar(m *lmm.Model) ([][]float64, error) {
	return m.CondVar(r.Theta, r.Sigma)
}

// ChooseStart returns the start of a fit without one: of lme4's default
// (DefaultTheta) and the moment estimates of lmm.Model.MomentTheta, the
// one with the lower criterion. On crossed factors with many levels the
// moment estimates land close to the optimum (InstEval: 0.264, 0.432 for
// an optimum at 0.276, 0.432), which saves a third of the evaluations; on
// nested factors they can be far off, and lme4's start is kept. The
// criterion at the chosen start is returned with it, so that the fit
// reuses it; the other one's evaluation is counted in Result.Evals.
func ChooseStart(m *lmm.Model, reml bool) ([]float64, startValue) {
	def := DefaultTheta(m)
	mom := m.MomentTheta()
	fd, errd := m.Objective(def, reml)
	fm, errm := m.Objective(mom, reml)
	switch {
	case errm == nil && (errd != nil || fm < fd):
		return mom, startValue{theta: mom, f: fm, extra: 1}
	case errd == nil:
		return def, startValue{theta: def, f: fd, extra: 1}
	}
	return def, startValue{}
}

// startValue is the criterion at a fit's start, computed while choosing
// it: the optimiser's first evaluation reuses it. extra counts the
// evaluations made to choose the start beyond that one.
type startValue struct {
	theta []float64
	f     float64
	extra int
	used  bool
}

// reuse wraps the criterion so that its first call at the start returns
// the value already computed.
func (s *startValue) reuse(f func([]float64) (float64, error)) func([]float64) (float64, error) {
	return func(th []float64) (float64, error) {
		if !s.used && s.theta != nil && slices.Equal(th, s.theta) {
			s.used = true
			return s.f, nil
		}
		return f(th)
	}
}
