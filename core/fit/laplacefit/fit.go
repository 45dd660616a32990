package laplacefit

import (
	"math"
	"time"

	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"github.com/glmmgo/glmmgo/core/optim"
	"github.com/glmmgo/glmmgo/core/optim/bobyqa"
)

// Fit fits the model: the fast stage (θ by BOBYQA, β in PIRLS) from the
// start of opt.ThetaStart, then unless opt.Fast the slow stage ((θ, β) by
// BOBYQA, the Laplace or AGQ objective) from the fast optimum, then the
// results at the optimum.
func Fit(m *laplace.Model, opt Options) (*Result, error) {
	t0 := time.Now()
	if err := opt.resolve(m); err != nil {
		return nil, err
	}
	m.SetWorkers(opt.Workers)
	m.SetTolerance(opt.Tolerance)
	iter0 := totalIter(m)
	r := &Result{Fast: opt.Fast, NAGQ: opt.NAGQ}
	nt := m.NTheta()
	theta := opt.Start
	if len(opt.Start) != nt+m.P() || opt.Fast {
		var err error
		if theta, err = fastStage(m, &opt, r); err != nil {
			return nil, err
		}
		r.Theta = theta
	}
	if !opt.Fast {
		if err := slowStage(m, &opt, r, theta); err != nil {
			return nil, err
		}
	}
	if err := summarise(m, &opt, r); err != nil {
		return nil, err
	}
	r.PIRLSIter = totalIter(m) - iter0
	r.Time = time.Since(t0)
	return r, nil
}

// At returns the results at θ and β without optimising: the slow fit's
// (Laplace, or AGQ with opt.NAGQ nodes) at (θ, β), or with β nil the fast
// fit's at θ, β̃(θ) from PIRLS. The stage reports are empty.
func At(m *laplace.Model, theta, beta []float64, opt Options) (*Result, error) {
	t0 := time.Now()
	opt.Fast, opt.Start = beta == nil, nil
	if err := opt.resolve(m); err != nil {
		return nil, err
	}
	m.SetWorkers(opt.Workers)
	m.SetTolerance(opt.Tolerance)
	iter0 := totalIter(m)
	r := &Result{Fast: opt.Fast, NAGQ: opt.NAGQ, Theta: append([]float64(nil), theta...), Beta: append([]float64(nil), beta...)}
	r.FastStage.Converged, r.SlowStage.Converged = true, true
	if err := summarise(m, &opt, r); err != nil {
		return nil, err
	}
	r.Converged, r.Message = false, "not optimised: the results at the given parameters"
	r.PIRLSIter = totalIter(m) - iter0
	r.Time = time.Since(t0)
	return r, nil
}

// fastStage minimises the fast objective over θ and returns θ̂ (with the
// model's fast mode at it).
func fastStage(m *laplace.Model, opt *Options, r *Result) ([]float64, error) {
	t0 := time.Now()
	start, err := chooseStart(m, opt)
	if err != nil {
		return nil, err
	}
	r.Start = *start
	p := optim.Problem{Func: m.LaplaceFast, Lower: m.Lower(), Upper: infs(m.NTheta())}
	res, err := bobyqa.Minimize(p, start.Theta, settings(opt, StageFast, nil))
	if err != nil {
		return nil, err
	}
	if _, err := m.LaplaceFast(res.X); err != nil { // the mode at θ̂, for the slow stage's start
		return nil, err
	}
	r.FastStage = stageReport(res, t0)
	return res.X, nil
}

// slowStage minimises −2 log L over (θ, β) from θ and the fast mode's β
// (or opt.Start), in coordinates v = (θ/thetaUnit, (β − β₀)/(betaUnits·SE))
// that make BOBYQA's first steps (ρ = 0.2) move θ by 0.05 and β by one
// standard error, as MixedModels.jl's initial steps do (half that at the
// default ρ = 0.1).
func slowStage(m *laplace.Model, opt *Options, r *Result, theta []float64) error {
	t0 := time.Now()
	nt, np := m.NTheta(), m.P()
	var beta0 []float64
	if theta == nil || len(theta) == nt+np {
		full := opt.Start
		theta, beta0 = full[:nt], full[nt:]
		if _, err := m.LaplaceFast(theta); err != nil { // for β's scale
			return err
		}
	} else {
		beta0 = m.LastMode(true).Beta
	}
	scale, err := betaScale(m, theta)
	if err != nil {
		return err
	}
	c := coords{nt: nt, beta0: append([]float64(nil), beta0...), scale: scale}
	f := func(v []float64) (float64, error) {
		th, be := c.natural(v)
		return objective(m, opt.NAGQ, th, be)
	}
	lower := append(divide(m.Lower(), thetaUnit), infs(np)...)
	for i := nt; i < nt+np; i++ {
		lower[i] = math.Inf(-1)
	}
	natural := func(v []float64) []float64 { th, be := c.natural(v); return append(th, be...) }
	res, err := bobyqa.Minimize(optim.Problem{Func: f, Lower: lower, Upper: infs(nt + np)}, c.coded(theta, beta0), settings(opt, StageSlow, natural))
	if err != nil {
		return err
	}
	r.Theta, r.Beta = c.natural(res.X)
	r.SlowStage = stageReport(res, t0)
	return nil
}

// objective is −2 log L at (θ, β): Laplace, or AGQ with nAGQ nodes.
func objective(m *laplace.Model, nAGQ int, theta, beta []float64) (float64, error) {
	if nAGQ == 1 {
		return m.Laplace(theta, beta)
	}
	return m.AGQ(theta, beta, nAGQ)
}

// thetaUnit and betaUnits set the slow stage's coordinates (see
// slowStage): with ρ_beg = 0.2 the first steps are 0.05 in θ and one
// standard error in β.
const (
	thetaUnit = 0.25
	betaUnits = 5
)

// coords maps the slow stage's coordinates to (θ, β) and back.
type coords struct {
	nt    int
	beta0 []float64
	scale []float64 // betaUnits·SE of each β
}

func (c coords) natural(v []float64) (theta, beta []float64) {
	theta = make([]float64, c.nt)
	for i := range theta {
		theta[i] = v[i] * thetaUnit
	}
	beta = make([]float64, len(c.beta0))
	for j := range beta {
		beta[j] = c.beta0[j] + c.scale[j]*v[c.nt+j]
	}
	return theta, beta
}

func (c coords) coded(theta, beta []float64) []float64 {
	v := make([]float64, c.nt+len(beta))
	for i, t := range theta {
		v[i] = t / thetaUnit
	}
	for j, b := range beta {
		v[c.nt+j] = (b - c.beta0[j]) / c.scale[j]
	}
	return v
}

// betaScale returns betaUnits times the conditional standard errors of β
// at the fast mode at θ (1 where one is not positive and finite).
func betaScale(m *laplace.Model, theta []float64) ([]float64, error) {
	_, se, err := conditionalVcov(m, true, theta)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(se))
	for j, s := range se {
		if !(s > 0) || math.IsInf(s, 0) {
			s = 1
		}
		out[j] = betaUnits * s
	}
	return out, nil
}

// conditionalVcov returns (R_X R_X′)⁻¹ and its standard errors from the
// working LMM at the last fast or slow mode (at θ).
func conditionalVcov(m *laplace.Model, fast bool, theta []float64) (vcov, se []float64, err error) {
	lm, err := m.WorkingLMM(fast)
	if err != nil {
		return nil, nil, err
	}
	sol, err := lm.Solve(theta, false)
	if err != nil {
		return nil, nil, err
	}
	s2 := sol.Sigma * sol.Sigma
	vcov, se = sol.Vcov, sol.SE
	for i := range vcov {
		vcov[i] /= s2
	}
	for i := range se {
		se[i] /= sol.Sigma
	}
	return vcov, se, nil
}

// settings are BOBYQA's for a stage; natural, if set, maps the
// optimiser's coordinates to the (θ, β) that Progress reports.
func settings(opt *Options, st Stage, natural func([]float64) []float64) optim.Settings {
	s := optim.Settings{InitStep: opt.Rhobeg, StepTol: opt.Rhoend, MaxEval: opt.MaxEval}
	if opt.Progress != nil {
		s.Progress = func(iter int, f float64, x []float64) bool {
			if natural != nil {
				x = natural(x)
			}
			return opt.Progress(st, iter, f, x)
		}
	}
	return s
}

func stageReport(res *optim.Result, t0 time.Time) StageReport {
	return StageReport{Evals: res.Evals, Objective: res.F, Status: res.Status.String(), Code: res.Status, Converged: res.Status.Converged(), Time: time.Since(t0)}
}

func infs(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Inf(1)
	}
	return v
}

func divide(v []float64, d float64) []float64 {
	for i := range v {
		v[i] /= d
	}
	return v
}
