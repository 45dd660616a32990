package lmmfit

import (
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/projbfgs"
)

// Optimizer names the method of a fit.
type Optimizer int

const (
	// OptimizerAuto chooses by the number of covariance parameters.
	OptimizerAuto Optimizer = iota
	// OptimizerBOBYQA is Powell's derivative-free BOBYQA (core/optim/bobyqa),
	// lme4's default.
	OptimizerBOBYQA
	// OptimizerBFGS is the projected quasi-Newton method with the analytic
	// gradient (core/optim/projbfgs).
	OptimizerBFGS
)

// AutoBFGSMinTheta is the length of θ from which OptimizerAuto takes the
// gradient. BOBYQA's evaluations grow faster than linearly with θ's length
// (it interpolates on 2·len(θ)+1 points), BFGS's gradients about linearly,
// and a gradient costs a few evaluations — more on large crossed data,
// whose dense Schur complement it inverts. BenchmarkFitOptimizer (2 cores,
// shared; ranges of 3 runs):
//
//	model (θ)          BOBYQA evals  time          BFGS gradients  time
//	sleepstudy (3)     62            0.6–1.2 ms    25              0.6–0.8 ms
//	Penicillin (2)     58            0.27–1.1 ms   15              0.22–0.26 ms
//	InstEval (2)       32            0.41–0.43 s   9               0.89–1.33 s
//	maximal (20)       977           3.6–5.6 s     45              0.79–0.97 s
//
// With few θ BOBYQA is as fast or, on large data, much faster; with many
// θ BFGS wins by far. 6 is the smallest length at which a vector-valued
// term (k = 3) or three correlated pairs appear.
const AutoBFGSMinTheta = 6

// String names the method as the C API and the bindings do.
func (o Optimizer) String() string {
	switch o {
	case OptimizerAuto:
		return "auto"
	case OptimizerBOBYQA:
		return "bobyqa"
	case OptimizerBFGS:
		return "bfgs"
	}
	return "unknown"
}

// choose resolves OptimizerAuto for a θ of length ntheta.
func (o Optimizer) choose(ntheta int) Optimizer {
	if o != OptimizerAuto {
		return o
	}
	return autoOptimizer(ntheta)
}

// autoOptimizer is OptimizerAuto's rule.
func autoOptimizer(ntheta int) Optimizer {
	if ntheta >= AutoBFGSMinTheta {
		return OptimizerBFGS
	}
	return OptimizerBOBYQA
}

// GradTol is the projected BFGS's convergence threshold on the projected
// gradient, relative to max(1, |criterion|): the criterion grows with n as
// its Hessian does, so θ ends within about GradTol·|f|/H of the optimum
// (sleepstudy: 1.8e-4 on a Hessian of 40–900; InstEval: 2.4e-2 on 17 000).
const GradTol = 1e-7

// minimiseBFGS fits by projbfgs with the analytic gradient; Progress is
// called after every evaluation, as for BOBYQA.
func minimiseBFGS(m *lmm.Model, opt Options, lower, theta0 []float64, set optim.Settings) (*optim.Result, error) {
	evals := 0
	p := optim.Problem{Lower: lower, FuncGrad: func(th, g []float64) (float64, error) {
		v, err := m.Gradient(th, opt.REML, g)
		evals++
		if err == nil && opt.Progress != nil && !opt.Progress(evals, v, th) {
			return v, errs.ErrCancelled
		}
		return v, err
	}}
	s := optim.Settings{GradTol: GradTol, MaxEval: set.MaxEval, InitStep: 1}
	return projbfgs.Minimize(p, theta0, s)
}
