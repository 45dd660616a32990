// Package optim is the one vocabulary of glmmgo's optimisers, modelled on
// gonum's optimize package: a Problem (the function, with its derivatives
// where a method uses them, and bounds), Settings (tolerances, limits, the
// initial step and one progress callback), a Result (the point, its value
// and derivatives, counts) and a Status that says why a method stopped.
// Every method minimises; to maximise, minimise −f.
//
// The methods are subpackages, one per algorithm, each with
//
//	func Minimize(p optim.Problem, start []float64, s optim.Settings) (*optim.Result, error)
//
// (golden, a search on an interval, takes no start):
//
//	trust       trust region with exact Hessians (Geyer's R package trust),
//	            for the MCLA fits, as glmm uses it
//	bobyqa      Powell's bound-constrained derivative-free BOBYQA, for the
//	            linear mixed model's profiled deviance, as lme4 uses it
//	neldermead  Nelder and Mead's simplex, for PQL's outer search, as glmm
//	            uses R's optim
//	golden      golden-section search for one parameter on an interval (the
//	            negative binomial dispersion)
//	projbfgs    projected quasi-Newton (BFGS) with bounds and an analytic
//	            gradient, for the linear mixed model with many θ
package optim

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Problem is a function to minimise. A method uses the fields it needs and
// reports an error when one it needs is missing.
type Problem struct {
	// Func returns f(x). An error stops the method and is returned.
	Func func(x []float64) (float64, error)
	// FuncGradHess returns f(x) and writes ∇f(x) into grad and ∇²f(x),
	// column-major, into hess: for methods with exact second derivatives,
	// whose objectives compute all three in one pass (the MCLA objective).
	FuncGradHess func(x, grad, hess []float64) (float64, error)
	// FuncGrad returns f(x) and writes ∇f(x) into grad: for quasi-Newton
	// methods (projbfgs).
	FuncGrad func(x, grad []float64) (float64, error)
	// Lower and Upper bound x elementwise (±Inf allowed); nil means
	// unbounded. Used by bobyqa (the box) and golden (the interval).
	Lower, Upper []float64
}

// Progress is called by a method on the calling goroutine after each
// iteration (BOBYQA and golden: after each evaluation) with the iteration
// count, the best value so far and its point (valid only during the call).
// Returning false cancels: the method stops with status Cancelled and the
// error errs.ErrCancelled.
type Progress func(iter int, f float64, x []float64) bool

// Settings control a method. Zero values select the method's defaults; each
// method's documentation says which fields it reads and what they mean
// there.
type Settings struct {
	InitStep float64 // initial step: trust region radius, BOBYQA's ρ_beg, simplex edge
	MaxStep  float64 // largest trust region radius
	StepTol  float64 // stop when the step scale (ρ, simplex, interval) reaches it
	FuncTol  float64 // stop when f changes by less (trust; the simplex's spread of values)
	ModelTol float64 // stop when the model predicts a smaller decrease (trust)
	GradTol  float64 // stop when the projected gradient's largest element is below it (projbfgs)
	MaxIter  int     // iteration limit
	MaxEval  int     // evaluation limit
	Progress Progress
}

// Result is where a method stopped: the best point found, its value and,
// for methods with derivatives, its gradient and Hessian.
type Result struct {
	X        []float64
	F        float64
	Gradient []float64 // nil for derivative-free methods
	Hessian  []float64 // column-major; nil for derivative-free methods
	Iter     int       // iterations
	Evals    int       // function evaluations, including the first
	Step     float64   // the final step scale: trust radius, ρ, simplex diameter or interval width
	Status   Status
}

// Status says why a method stopped.
type Status int

const (
	// NotTerminated is the zero Status: the method has not stopped.
	NotTerminated Status = iota
	// ValueConvergence: a step changed f by less than FuncTol.
	ValueConvergence
	// ModelConvergence: the local model predicted a decrease below ModelTol.
	ModelConvergence
	// StepConvergence: the step scale reached StepTol (BOBYQA's ρ reached
	// ρ_end; the simplex, with its spread of values, or the interval
	// became small enough).
	StepConvergence
	// IterationLimit: MaxIter iterations were used first.
	IterationLimit
	// EvaluationLimit: MaxEval evaluations were used first.
	EvaluationLimit
	// Cancelled: the Progress callback returned false.
	Cancelled
	// Failure: the function returned an error or the method broke down.
	Failure
	// GradientConvergence: the projected gradient (the gradient with the
	// components that push against an active bound set to zero) fell
	// below GradTol. It comes last so that the earlier statuses keep the
	// numbers the C header gives them (GLMMGO_STAGE_*).
	GradientConvergence
)

// Converged reports whether s is one of the convergence tests.
func (s Status) Converged() bool {
	return (s >= ValueConvergence && s <= StepConvergence) || s == GradientConvergence
}

func (s Status) String() string {
	switch s {
	case NotTerminated:
		return "not terminated"
	case ValueConvergence:
		return "converged: the change in the function value fell below its tolerance"
	case ModelConvergence:
		return "converged: the predicted change fell below its tolerance"
	case StepConvergence:
		return "converged: the step size reached its final value"
	case GradientConvergence:
		return "converged: the projected gradient fell below its tolerance"
	case IterationLimit:
		return "stopped: iteration limit reached"
	case EvaluationLimit:
		return "stopped: evaluation limit reached"
	case Cancelled:
		return "cancelled"
	}
	return "failed"
}

// CheckStart reports an empty or non-finite starting point, naming the
// argument "start".
func CheckStart(x []float64) error {
	if len(x) == 0 {
		return errs.Invalidf("start", "is empty")
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf("start", "element %d is %g; must be finite", i, v)
		}
	}
	return nil
}
