package laplace

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
)

// WorkingLMM returns the linear mixed model of a PIRLS step at the last
// mode of the fast fit (fast) or of the slow fit: the factor with X,
// refilled with the working weights Wᵢ at the mode and the working
// response zᵢ = ηᵢ − oᵢ + ℓᵢ′/Wᵢ. Evaluated at the mode's θ it gives what
// lme4 and MixedModels.jl read off their last PIRLS factor: the
// conditional variances of the random effects (CondVar with σ = 1) and
// the covariance of β̂ given θ ((R_X R_X′)⁻¹, Solve's Vcov over σ̂²). Fitted
// by REML or ML it gives a starting θ (see the laplacefit package).
//
// The model is the engine's own: it is valid until the next evaluation,
// which refills it, and must not be closed.
func (m *Model) WorkingLMM(fast bool) (*lmm.Model, error) {
	s := &m.slow
	if fast {
		s = &m.fast
	}
	if !s.valid {
		return nil, errs.Statef("no mode of the %s fit yet: evaluate first", fitName(fast))
	}
	ws := &m.ws
	m.setFixed(s, s.beta)
	m.linpred(ws.eta, s, s.theta, s.beta, s.u, ws.b)
	off := m.resp.Offset
	for i, e := range ws.eta {
		_, d1, w := m.point(i, e)
		w = math.Max(w, minWeight)
		ws.wt[i] = w
		o := 0.0
		if off != nil {
			o = off[i]
		}
		ws.work[i] = e - o + d1/w
	}
	if err := m.withX.Refill(ws.work, ws.wt); err != nil {
		return nil, err
	}
	return m.withX, nil
}

func fitName(fast bool) string {
	if fast {
		return "fast"
	}
	return "slow"
}
