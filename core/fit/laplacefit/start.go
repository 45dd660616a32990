package laplacefit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/fit/lmmfit"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
)

// StartReport says where the fast stage started and why.
type StartReport struct {
	Theta      []float64 // the start used
	Objective  float64   // −2 log L (fast) there
	FromLMM    bool      // the LMM's θ was used
	Default    float64   // the fast objective at lme4's default θ (NaN if not evaluated)
	LMMTheta   []float64 // the LMM's θ, σ̂·θ̂ (nil if not computed)
	LMM        float64   // the fast objective at it (NaN if not evaluated)
	LMMFailure string    // why the LMM start is missing, if it is
}

// defaultTheta is lme4's start: 1 on the diagonal of each template, 0
// below it.
func defaultTheta(m *laplace.Model) []float64 {
	lo := m.Lower()
	th := make([]float64, len(lo))
	for i, l := range lo {
		if l == 0 {
			th[i] = 1
		}
	}
	return th
}

// lmmTheta fits, by ML, the linear mixed model of the first PIRLS step of
// the model without random effects (θ = 0: a GLM): the working response
// with the working weights, whose residual variance σ² is the dispersion
// the GLMM fixes at 1. Its random effects b = σΛ̂u have the GLMM's
// scale, so the start is σ̂·θ̂ (MixedModels.jl pull request 588 starts a
// GLMM from the LMM of the working response: 6 179 s → 690 s on a large
// fit).
func lmmTheta(m *laplace.Model) ([]float64, error) {
	if _, err := m.LaplaceFast(make([]float64, m.NTheta())); err != nil {
		return nil, err
	}
	lm, err := m.WorkingLMM(true)
	if err != nil {
		return nil, err
	}
	fit, err := lmmfit.Fit(lm, lmmfit.Options{Rhoend: 1e-4})
	if err != nil {
		return nil, err
	}
	th := fit.Theta
	for i := range th {
		th[i] *= fit.Sigma
	}
	return th, nil
}

// chooseStart returns the fast stage's start by the rule of opt.
func chooseStart(m *laplace.Model, opt *Options) (*StartReport, error) {
	r := &StartReport{Default: math.NaN(), LMM: math.NaN()}
	if opt.Start != nil {
		r.Theta = append([]float64(nil), opt.Start[:m.NTheta()]...)
		return r, nil
	}
	if opt.ThetaStart != StartDefault {
		th, err := lmmTheta(m)
		if err != nil && opt.ThetaStart == StartLMM {
			return nil, err
		}
		if err != nil {
			r.LMMFailure = err.Error()
		} else {
			r.LMMTheta = th
			if r.LMM, err = m.LaplaceFast(th); err != nil {
				r.LMM, r.LMMFailure = math.NaN(), err.Error()
			}
		}
	}
	if opt.ThetaStart != StartLMM {
		v, err := m.LaplaceFast(defaultTheta(m))
		if err != nil && math.IsNaN(r.LMM) {
			return nil, err
		}
		if err == nil {
			r.Default = v
		}
	}
	r.FromLMM = !math.IsNaN(r.LMM) && !(r.Default <= r.LMM)
	if r.FromLMM {
		r.Theta, r.Objective = r.LMMTheta, r.LMM
	} else {
		r.Theta, r.Objective = defaultTheta(m), r.Default
	}
	return r, nil
}
