package mixlogitfit

import (
	"time"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/mixlogit"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/trust"
)

// Trust-region radii on the ψ scale: a unit step changes σ by a factor e
// or π₁'s odds by e, so the search starts with steps of that size.
const (
	trustRInit = 1
	trustRMax  = 100
)

// exactEval is ℓ with its gradient and Hessian in Ω at one point.
type exactEval struct {
	p    mixlogit.Params
	f    float64
	g, h []float64
}

// fitQuadrature maximises the exact log-likelihood over ψ from start. It
// returns the evaluation at the estimate, which the standard errors use.
func fitQuadrature(lik *mixlogit.Likelihood, start mixlogit.Params, opt Options, res *Result, t0 time.Time) (*exactEval, error) {
	var evals []exactEval
	obj := func(psi, g, h []float64) (float64, error) {
		p, err := fromPsi(psi)
		if err != nil {
			return 0, err
		}
		f, err := lik.Eval(p, g, h)
		if err != nil {
			return 0, err
		}
		evals = append(evals, exactEval{p, f, append([]float64(nil), g...), append([]float64(nil), h...)})
		chainRule(p, g, h)
		return f, nil
	}
	progress := func(iter int, value float64, psi []float64) bool {
		p, _ := fromPsi(psi)
		it := Iteration{Iter: iter, Estimate: p, LogLik: value, Elapsed: time.Since(t0)}
		blankMC(&it)
		res.Trace = append(res.Trace, it)
		return opt.Progress == nil || opt.Progress(iter, value, p[:])
	}
	tr, err := maximizeTrust(obj, toPsi(start), opt.MaxIter, progress)
	if err != nil {
		return nil, err
	}
	p, err := fromPsi(tr.X)
	if err != nil {
		return nil, errs.Numericf("par", "the trust-region search left the parameter space: %v", err)
	}
	res.Estimate, res.Converged, res.Iterations = p, tr.Status.Converged(), tr.Iter
	for k := len(evals) - 1; k >= 0; k-- {
		if evals[k].p == p {
			return &evals[k], nil
		}
	}
	return nil, nil
}

// maximizeTrust maximises obj (value, gradient, Hessian) by the shared
// trust-region method, which minimises: it minimises −obj, negated exactly,
// so the search is step for step the maximisation, and progress sees obj's
// value.
func maximizeTrust(obj func(x, g, h []float64) (float64, error), x0 []float64, iterLim int, progress optim.Progress) (*optim.Result, error) {
	neg := func(x, g, h []float64) (float64, error) {
		f, err := obj(x, g, h)
		for i, v := range g {
			g[i] = -v
		}
		for i, v := range h {
			h[i] = -v
		}
		return -f, err
	}
	var pr optim.Progress
	if progress != nil {
		pr = func(iter int, f float64, x []float64) bool { return progress(iter, -f, x) }
	}
	return trust.Minimize(optim.Problem{FuncGradHess: neg}, x0,
		optim.Settings{InitStep: trustRInit, MaxStep: trustRMax, MaxIter: iterLim, Progress: pr})
}

// blankMC marks the Monte Carlo columns of a trace row as absent.
func blankMC(it *Iteration) {
	nan := nanParams()[0]
	it.DeltaQ, it.ASE, it.Lower, it.Upper, it.ESSMean, it.ESSMin = nan, nan, nan, nan, nan, nan
}
