package mclafit

import (
	"math"
	"time"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/trust"
)

// sampleAndFit sets the fit's importance density and m samples from it on
// model, then fits from the point from.
func (f *Fit) sampleAndFit(model sampleSet, m int, from []float64, opt Options) error {
	t0 := time.Now()
	if err := f.beat.enter(PhaseSampling); err != nil {
		return err
	}
	if err := model.setSample(f, m, opt); err != nil {
		return err
	}
	f.M = m
	f.SampleTime += time.Since(t0)
	return f.fitAt(model, from, opt)
}

// fitAt maximises the MCLA log-likelihood of the model's samples by trust
// from the point from, and fills the results and the inference.
func (f *Fit) fitAt(model sampleSet, from []float64, opt Options) error {
	t0 := time.Now()
	if err := f.beat.enter(PhaseTrust); err != nil {
		return err
	}
	obj := &objective{model: model, workers: opt.Workers}
	if opt.Stages > 1 {
		obj.guard = guardShare
	}
	tr, err := trust.Minimize(optim.Problem{FuncGradHess: obj.negLogLik}, from,
		optim.Settings{InitStep: opt.RInit, MaxStep: opt.RMax, MaxIter: opt.IterLim, Progress: progress(opt.Progress, f.TotalIter)})
	if err != nil {
		return err
	}
	f.TotalIter += tr.Iter
	f.TrustTime += time.Since(t0)
	f.Beta, f.Nu = tr.X[:f.P], tr.X[f.P:]
	f.Value, f.Gradient, f.Hessian = -tr.F, negate(tr.Gradient), negate(tr.Hessian)
	f.Iter, f.Evals = tr.Iter, tr.Evals

	t0 = time.Now()
	if err := f.beat.enter(PhaseInference); err != nil {
		return err
	}
	if err := f.infer(model, tr.X, opt); err != nil {
		return err
	}
	f.InferenceTime += time.Since(t0)
	f.Guarded = obj.rejected > 0 && !(f.newtonSEs() <= 0.05)
	f.Convergence = f.judge(tr.Status)
	f.Converged = f.Convergence == Converged
	return nil
}

// newtonSEs is the length of the Newton step from the estimate, in
// standard errors (its largest element): about 0 at a maximum.
func (f *Fit) newtonSEs() float64 {
	d := len(f.Gradient)
	step := make([]float64, d)
	for i := range d {
		for j := range d {
			step[i] += f.Vcov[j*d+i] * f.Gradient[j] // (−H)⁻¹∇l
		}
	}
	var m float64
	for i, s := range step {
		m = math.Max(m, math.Abs(s)/f.SE[i])
	}
	return m
}

// guardShare: in a staged fit the maximisation stays where the importance
// weights keep at least this share of the effective sample size they have
// at the start (the centre of the stage's density, or the previous
// estimate). Far from the point its density was built for, an importance
// sample describes the likelihood through a few extreme draws, and the
// maximiser of l_m can run off to where one draw's own complete-data
// likelihood peaks, with an effective sample size near 1 (Geyer, J. R.
// Stat. Soc. B 56, 1994, on Monte Carlo maximum likelihood away from the
// importance parameter). A stage that ends against the guard moves the
// next density's centre as far as its sample can be trusted, as a trust
// region does.
const guardShare = 0.1

// objective is −l_m as the minimiser wants it: value, gradient and Hessian
// of the MCLA log-likelihood, negated (exactly: negation does not round),
// and, with a guard, +∞ (a Domain error, which trust treats as a rejected
// step) where the effective sample size falls below guard times its value
// at the first point evaluated.
type objective struct {
	model    sampleSet
	workers  int
	guard    float64
	floor    float64 // guard × the ESS at the first point
	rejected int     // points refused by the guard
	ev       mcla.Result
}

func (o *objective) negLogLik(x, g, h []float64) (float64, error) {
	o.ev.Gradient, o.ev.Hessian = g, h
	err := o.model.Evaluate(x, o.workers, &o.ev)
	negate(g)
	negate(h)
	if err != nil || o.guard == 0 {
		return -o.ev.Value, err
	}
	if o.floor == 0 {
		o.floor = o.guard * o.ev.ESS
	}
	if o.ev.ESS < o.floor {
		o.rejected++
		return math.Inf(1), errs.Domainf("par", "the importance sample is too thin here: its effective sample size %.3g is below %.3g", o.ev.ESS, o.floor)
	}
	return -o.ev.Value, nil
}

// negLogLik is −l_m without a guard.
func negLogLik(model sampleSet, workers int) func(x, g, h []float64) (float64, error) {
	return (&objective{model: model, workers: workers}).negLogLik
}

// progress reports the log-likelihood, not its negative, to the caller's
// callback, numbering the iterations on from those of the fit's earlier
// maximisations (base).
func progress(p optim.Progress, base int) optim.Progress {
	if p == nil {
		return nil
	}
	return func(iter int, f float64, x []float64) bool { return p(base+iter, -f, x) }
}

// negate changes the sign of every element of v in place and returns it.
func negate(v []float64) []float64 {
	for i, x := range v {
		v[i] = -x
	}
	return v
}
